//! The price table: dollars per million tokens for each model, editable, remembered on this
//! device. The built-in figures are list prices at the time of writing: check your provider's.

use std::collections::BTreeMap;

use balance_agent::schedule::Price;

use crate::browser::{self, Keep};

const ENTRY: &str = "balance-lab-prices";

/// List prices (input, output per million tokens) the table starts from.
const LIST: [(&str, f64, f64); 14] = [
    ("gpt-5-nano", 0.05, 0.40),
    ("gpt-5-mini", 0.25, 2.00),
    ("gpt-4o-mini", 0.15, 0.60),
    ("gpt-4o", 2.50, 10.00),
    ("gpt-4.1-mini", 0.40, 1.60),
    ("claude-sonnet-4-20250514", 3.00, 15.00),
    ("claude-sonnet-5-5", 2.00, 10.00),
    ("claude-sonnet-5", 2.00, 10.00),
    ("claude-opus-5-5", 4.00, 20.00),
    ("claude-haiku-4-5-20251001", 1.00, 5.00),
    ("claude-3-5-haiku-latest", 0.80, 4.00),
    ("gemini-2.5-flash", 0.30, 2.50),
    ("gemini-2.5-pro", 1.25, 10.00),
    ("simulated-word-task", 0.0, 0.0),
];

/// The table: the list prices with the person's changes.
pub fn table() -> BTreeMap<String, Price> {
    let mut t: BTreeMap<String, Price> = LIST
        .iter()
        .map(|(m, i, o)| ((*m).to_owned(), Price { input_per_million: *i, output_per_million: *o }))
        .collect();
    if let Some(saved) = browser::stored(Keep::Device, ENTRY)
        .and_then(|s| serde_json::from_str::<BTreeMap<String, Price>>(&s).ok())
    {
        t.extend(saved);
    }
    t
}

/// The price of `model` (free when the table does not know it).
pub fn price_of(model: &str) -> Option<Price> {
    table().get(model.trim()).copied()
}

/// Remembers the price of `model`.
pub fn set_price(model: &str, price: Price) -> Result<(), String> {
    let mut saved: BTreeMap<String, Price> = browser::stored(Keep::Device, ENTRY)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    saved.insert(model.trim().to_owned(), price);
    let json = serde_json::to_string(&saved).map_err(|e| e.to_string())?;
    browser::store(Keep::Device, ENTRY, &json)
}

/// Remembers the prices a provider listed with its models (OpenRouter), in one write.
pub fn remember_listed(models: &[balance_agent::models::ModelInfo]) -> Result<usize, String> {
    let mut saved: BTreeMap<String, Price> = browser::stored(Keep::Device, ENTRY)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let mut n = 0;
    for m in models {
        if let Some(p) = m.price {
            saved.insert(m.id.clone(), p);
            n += 1;
        }
    }
    if n > 0 {
        let json = serde_json::to_string(&saved).map_err(|e| e.to_string())?;
        browser::store(Keep::Device, ENTRY, &json)?;
    }
    Ok(n)
}
