//! The Compare view's state and its operations, apart from the components that draw them: the
//! datasets compared, the settings, the comparison once made, and the share link.

use std::sync::Arc;

use balance_core::compare::{CompareSettings, Comparison, MAX_DATASETS};
use balance_core::datasets::Dataset;
use balance_core::share::{self, Source};
use leptos::prelude::*;
/// One dataset of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Arm {
    /// A key unique within the view, for keyed lists.
    pub key: u64,
    /// Where it comes from (what a link carries).
    pub source: Source,
    /// The data.
    pub dataset: Arc<Dataset>,
}

/// The Compare view's state, provided by context.
#[derive(Debug, Clone, Copy)]
pub struct Comparer {
    /// The datasets compared, in order (the first sets the scale).
    pub arms: RwSignal<Vec<Arm>>,
    /// The settings.
    pub settings: RwSignal<CompareSettings>,
    /// The comparison of what is shown, once made (or why it cannot be); `None` while it runs
    /// or with fewer than two datasets.
    pub result: RwSignal<Option<Result<Arc<Comparison>, String>>>,
    /// Bootstrap replicates done and in all, while the comparison runs.
    pub progress: RwSignal<Option<(usize, usize)>>,
    /// A message about the last operation that failed (nothing shown is lost).
    pub notice: RwSignal<Option<String>>,
    /// The share link made last, while it still describes what is shown.
    pub link: RwSignal<Option<String>>,
    next: StoredValue<u64>,
}

impl Comparer {
    /// No datasets yet, the default settings.
    pub fn new() -> Comparer {
        Comparer {
            arms: RwSignal::new(Vec::new()),
            settings: RwSignal::new(CompareSettings::default()),
            result: RwSignal::new(None),
            progress: RwSignal::new(None),
            notice: RwSignal::new(None),
            link: RwSignal::new(None),
            next: StoredValue::new(0),
        }
    }

    /// Adds a dataset, unless the comparison is full or already holds one of that name.
    pub fn add(&self, source: Source, dataset: Dataset) {
        let (full, twice) = self.arms.with_untracked(|arms| {
            (arms.len() >= MAX_DATASETS, arms.iter().any(|a| a.dataset.name == dataset.name))
        });
        if full {
            self.notice.set(Some(format!(
                "A comparison takes at most {MAX_DATASETS} datasets: remove one first."
            )));
            return;
        }
        if twice {
            self.notice.set(Some(format!("{} is already compared.", dataset.name)));
            return;
        }
        let key = self.next.get_value();
        self.next.set_value(key + 1);
        let arm = Arm { key, source, dataset: Arc::new(dataset) };
        self.arms.update(|arms| arms.push(arm));
        self.changed();
    }

    /// Removes the dataset of `key`.
    pub fn remove(&self, key: u64) {
        self.arms.update(|arms| arms.retain(|a| a.key != key));
        self.changed();
    }

    /// Changes the settings.
    pub fn set_settings(&self, settings: CompareSettings) {
        self.settings.set(settings);
        self.changed();
    }

    /// Compares again without bootstrap replicates (the running comparison is replaced).
    pub fn skip_bootstrap(&self) {
        let settings = CompareSettings { bootstrap: 0, ..self.settings.get_untracked() };
        self.set_settings(settings);
    }

    /// What shown changed: old messages and links no longer apply.
    fn changed(&self) {
        self.notice.set(None);
        self.link.set(None);
    }

    /// The datasets, in order.
    pub fn datasets(&self) -> Vec<Dataset> {
        self.arms.with(|arms| arms.iter().map(|a| (*a.dataset).clone()).collect())
    }

    /// Opens a comparison link's `fragment`: its datasets and settings, or why it cannot (what
    /// is shown stays).
    pub fn open_link(&self, fragment: &str) {
        match share::decode_comparison(fragment) {
            Ok(opened) => {
                self.arms.set(Vec::new());
                self.settings.set(opened.settings);
                for (source, dataset, _) in opened.arms {
                    self.add(source, dataset);
                }
            }
            Err(e) => self.notice.set(Some(format!("This comparison link cannot be opened: {e}."))),
        }
    }

    /// Makes the share link of the comparison shown and puts it in the address bar, or says why
    /// not.
    pub fn share(&self) {
        let fragment = self.arms.with_untracked(|arms| {
            let arms: Vec<(Source, &Dataset)> =
                arms.iter().map(|a| (a.source, a.dataset.as_ref())).collect();
            share::encode_comparison(&self.settings.get_untracked(), &arms)
        });
        crate::share_link::publish(fragment, self.link, self.notice);
    }
}
