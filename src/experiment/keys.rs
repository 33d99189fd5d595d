//! API keys in the browser: kept where the person chose (this tab, or this device), under one
//! storage entry per provider, and sent only to that provider. Never in the URL, a share link,
//! an export, IndexedDB or a log.

use balance_agent::{ApiKey, ProviderConfig, ProviderKind};

use crate::browser::{self, Keep};

/// Where the choice of storage is remembered (it holds no key).
const CHOICE: &str = "balance-lab-key-storage";

fn entry(kind: ProviderKind) -> String {
    format!("balance-lab-key-{}", kind.id())
}

/// Where keys are kept, as chosen before (this tab when never chosen).
pub fn chosen_keep() -> Keep {
    match browser::stored(Keep::Device, CHOICE).as_deref() {
        Some("device") => Keep::Device,
        _ => Keep::Tab,
    }
}

/// Remembers where keys are kept, and moves the kept keys there.
pub fn choose_keep(keep: Keep) -> Result<(), String> {
    let other = if keep == Keep::Tab { Keep::Device } else { Keep::Tab };
    for kind in ProviderKind::ALL {
        if let Some(key) = browser::stored(other, &entry(kind)) {
            browser::store(keep, &entry(kind), &key)?;
            browser::unstore(other, &entry(kind));
        }
    }
    browser::store(Keep::Device, CHOICE, if keep == Keep::Tab { "tab" } else { "device" })
}

/// The key kept for `kind`, wherever it is.
pub fn key(kind: ProviderKind) -> Option<ApiKey> {
    [Keep::Tab, Keep::Device]
        .into_iter()
        .find_map(|k| browser::stored(k, &entry(kind)))
        .and_then(|k| ApiKey::new(&k))
}

/// Keeps `key` for `kind` where keys are kept (an empty key forgets it).
pub fn set_key(kind: ProviderKind, key: &str) -> Result<(), String> {
    forget(kind);
    if key.trim().is_empty() {
        return Ok(());
    }
    browser::store(chosen_keep(), &entry(kind), key.trim())
}

/// Forgets the key of `kind` in both places.
pub fn forget(kind: ProviderKind) {
    browser::unstore(Keep::Tab, &entry(kind));
    browser::unstore(Keep::Device, &entry(kind));
}

/// The sentence saying exactly where the key is kept and where it goes.
pub fn where_it_goes(config: &ProviderConfig, keep: Keep) -> String {
    let kept = match keep {
        Keep::Tab => "in this tab only (session storage: it is gone when the tab closes)",
        Keep::Device => "on this device (local storage: until you press Forget key)",
    };
    let header = match config.kind {
        ProviderKind::Anthropic => "x-api-key",
        ProviderKind::Gemini => "x-goog-api-key",
        _ => "Authorization",
    };
    let base = config.base_url.trim();
    let base = if base.is_empty() { config.kind.default_base_url() } else { base };
    format!(
        "Your key is kept {kept} and is sent only to {base}, in the {header} header of each \
         call. It is never put in a link, an export, the saved experiment or a log."
    )
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use balance_agent::Spec;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    #[wasm_bindgen_test]
    fn a_key_is_kept_where_chosen_moved_and_forgotten() {
        let kind = ProviderKind::Gemini;
        let name = entry(kind);
        choose_keep(Keep::Tab).unwrap();
        set_key(kind, "  AIza-test-key ").unwrap();
        assert_eq!(browser::stored(Keep::Tab, &name).as_deref(), Some("AIza-test-key"));
        assert_eq!(browser::stored(Keep::Device, &name), None);
        assert!(key(kind).is_some());
        choose_keep(Keep::Device).unwrap();
        assert_eq!(chosen_keep(), Keep::Device);
        assert_eq!(browser::stored(Keep::Tab, &name), None);
        assert_eq!(browser::stored(Keep::Device, &name).as_deref(), Some("AIza-test-key"));
        forget(kind);
        assert!(key(kind).is_none());
        assert_eq!(browser::stored(Keep::Device, &name), None);
        choose_keep(Keep::Tab).unwrap();
    }

    #[wasm_bindgen_test]
    fn the_sentence_names_the_storage_the_server_and_the_header() {
        let mut config = Spec::simulated_word_task().provider;
        config.kind = ProviderKind::Anthropic;
        let s = where_it_goes(&config, Keep::Tab);
        assert!(
            s.contains("in this tab only") && s.contains("https://api.anthropic.com/v1"),
            "{s}"
        );
        assert!(s.contains("x-api-key"), "{s}");
        config.kind = ProviderKind::OpenAiCompatible;
        config.base_url = "http://127.0.0.1:1234/v1".into();
        let s = where_it_goes(&config, Keep::Device);
        assert!(
            s.contains("on this device")
                && s.contains("127.0.0.1:1234")
                && s.contains("Authorization")
        );
    }
}
