//! The app shell: header, navigation between the main areas, and the dataset picker.

use std::collections::BTreeMap;

use balance_core::datasets::Dataset;
use leptos::prelude::*;

use crate::analyse::AnalyseArea;
use crate::browser;
use crate::experiment::{ExperimentArea, RunState};
use crate::learn::{LearnArea, Link};

/// The main areas of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Area {
    Analyse,
    Experiment,
    Learn,
}

impl Area {
    const ALL: [Area; 3] = [Area::Analyse, Area::Experiment, Area::Learn];

    fn title(self) -> &'static str {
        match self {
            Area::Analyse => "Analyse",
            Area::Experiment => "Experiment",
            Area::Learn => "Learn",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Area::Analyse => "analyse",
            Area::Experiment => "experiment",
            Area::Learn => "learn",
        }
    }
}

/// A dataset with its true potential, when a simulator made it.
pub type WithTruth = (Dataset, Option<BTreeMap<String, f64>>);

/// A dataset (with its true potential, when known) handed to the Analyse area from another
/// area, and the switch to it.
#[derive(Clone, Copy)]
pub struct Handoff {
    area: RwSignal<Area>,
    data: RwSignal<Option<WithTruth>>,
}

impl Handoff {
    /// Shows `dataset` in the Analyse area.
    pub fn open(&self, dataset: Dataset, truth: Option<BTreeMap<String, f64>>) {
        self.data.set(Some((dataset, truth)));
        self.area.set(Area::Analyse);
    }

    /// The dataset handed over, once.
    pub fn take(&self) -> Option<WithTruth> {
        self.data.try_update_untracked(Option::take).flatten()
    }
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    // A lesson link opens its lesson; any other fragment is the Analyse area's (a share link).
    let lesson = StoredValue::new(Link::parse(&browser::fragment()));
    let area =
        RwSignal::new(if lesson.with_value(Option::is_some) { Area::Learn } else { Area::Analyse });
    provide_context(Handoff { area, data: RwSignal::new(None) });
    provide_context(RunState::new());
    view! {
        <header class="app-header">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true">"⇄"</span>
                <h1>"Balance Lab"</h1>
            </div>
            <nav class="main-nav" aria-label="Main areas">
                {Area::ALL
                    .into_iter()
                    .map(|a| {
                        view! {
                            <button
                                type="button"
                                id=format!("nav-{}", a.id())
                                class="nav-tab"
                                aria-current=move || (area.get() == a).then_some("page")
                                on:click=move |_| area.set(a)
                            >
                                {a.title()}
                            </button>
                        }
                    })
                    .collect_view()}
            </nav>
            <ThemePicker />
        </header>
        <main id="main">
            {move || match area.get() {
                Area::Analyse => view! { <AnalyseArea /> }.into_any(),
                Area::Experiment => view! { <ExperimentArea /> }.into_any(),
                Area::Learn => {
                    // The link's lesson the first time; the first lesson afterwards.
                    let link = lesson.try_update_value(Option::take).flatten();
                    view! { <LearnArea link=link /> }.into_any()
                }
            }}
        </main>
    }
}

/// The colour themes: the system's choice, or light or dark whatever the system says.
const THEMES: [(&str, &str); 3] = [("system", "System"), ("light", "Light"), ("dark", "Dark")];

/// Chooses the colour theme; the choice is remembered on this device.
#[component]
fn ThemePicker() -> impl IntoView {
    let theme = RwSignal::new(browser::stored_theme().unwrap_or_else(|| "system".to_owned()));
    Effect::new(move |_| browser::apply_theme(&theme.get()));
    view! {
        <label class="theme-picker">
            "Theme "
            <select
                id="theme-picker"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    if THEMES.iter().any(|(id, _)| *id == value) {
                        browser::store_theme(&value);
                        theme.set(value);
                    }
                }
            >
                {THEMES
                    .into_iter()
                    .map(|(id, name)| {
                        view! {
                            <option value=id selected=move || theme.get() == id>
                                {name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
