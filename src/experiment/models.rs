//! The models a provider offers, listed when the person asks ("Load models"): the list feeds the
//! model field's suggestions, and their prices go into the price table.

use balance_agent::models::{ModelInfo, list_models};
use balance_agent::{ApiKey, Spec};
use leptos::prelude::*;

use super::fetch::Fetch;
use super::keys;
use super::prices;

/// What one listing brought: the models, and how many of them came with a price.
type Listed = (Vec<ModelInfo>, usize);

/// The listing of a provider's models: a Leptos `Action` whose pending state and value the form
/// draws.
#[derive(Clone, Copy)]
pub struct ModelListing {
    load: Action<(Spec, Option<ApiKey>), Result<Listed, String>>,
}

impl ModelListing {
    /// No models listed yet.
    pub fn new() -> ModelListing {
        ModelListing {
            load: Action::new_local(|(spec, key): &(Spec, Option<ApiKey>)| {
                listed(spec.clone(), key.clone())
            }),
        }
    }

    /// Lists the models of the provider `spec` names, with the key kept for it.
    pub fn load(self, spec: Spec) {
        let key = keys::key(spec.provider.kind);
        self.load.dispatch_local((spec, key));
    }

    /// The models listed last (none before a listing worked).
    pub fn models(self) -> Vec<ModelInfo> {
        self.load.value().with(|v| match v {
            Some(Ok((models, _))) => models.clone(),
            _ => Vec::new(),
        })
    }

    /// The picker's suggestions for `kind`: the listed models once loaded, else a current model
    /// of the provider beside the paper's ([`balance_agent::models::suggested`]).
    pub fn suggestions(self, kind: balance_agent::ProviderKind) -> Vec<ModelInfo> {
        let loaded = self.models();
        if !loaded.is_empty() {
            return loaded;
        }
        balance_agent::models::suggested(kind)
            .iter()
            .map(|(id, name)| ModelInfo {
                id: (*id).to_owned(),
                name: Some((*name).to_owned()),
                price: None,
            })
            .collect()
    }

    /// What the listing says: "Loading the models…" while it runs, then how many came or why
    /// none did.
    pub fn message(self) -> Option<String> {
        if self.load.input().with(Option::is_some) {
            return Some("Loading the models…".into());
        }
        self.load.value().with(|v| {
            v.as_ref().map(|v| match v {
                Ok((models, priced)) => {
                    let mut text = format!("{} models: type to pick one.", models.len());
                    if *priced > 0 {
                        text.push_str(&format!(
                            " The prices of {priced} went into the price table."
                        ));
                    }
                    text
                }
                Err(e) => e.clone(),
            })
        })
    }
}

/// Lists the models of `spec`'s provider and remembers the prices that came with them.
async fn listed(spec: Spec, key: Option<ApiKey>) -> Result<Listed, String> {
    let fetch = Fetch { timeout_ms: spec.provider.timeout_s * 1000.0 };
    match list_models(&fetch, &spec.provider, key.as_ref()).await {
        Ok(models) => {
            let priced = prices::remember_listed(&models).unwrap_or(0);
            Ok((models, priced))
        }
        Err(e) => {
            let hint =
                balance_agent::errors::advice(&spec.provider, &e, Some(&crate::browser::origin()));
            Err(format!("The models could not be listed: {e}. {}", hint.unwrap_or_default()))
        }
    }
}
