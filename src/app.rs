//! The app shell: the router, the header with the main areas' tabs, and the hand-off of a
//! dataset from one area to Analyse.

use std::collections::BTreeMap;

use std::rc::Rc;

use balance_core::Preset;
use balance_core::datasets::Dataset;
use balance_core::share::Source;
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};
use leptos_router::{NavigateOptions, path};

use crate::analyse::AnalyseArea;
use crate::browser;
use crate::compare::CompareArea;
use crate::experiment::{ExperimentArea, RunState};
use crate::learn::{LearnArea, Link};
use crate::plots::DarkFigures;

/// The main areas of the app, each a route: its path, its tab's title and the id of the tab.
const AREAS: [(&str, &str, &str); 3] = [
    ("/", "Analyse", "analyse"),
    ("/experiment", "Experiment", "experiment"),
    ("/learn", "Learn", "learn"),
];

/// A dataset with its true potential, when a simulator made it.
pub type WithTruth = (Dataset, Option<BTreeMap<String, f64>>);

/// Goes to a path of the app (the router's navigation, kept for use outside components).
type Navigate = Rc<dyn Fn(&str)>;

/// Data handed to the Analyse area by another area: the dataset with its truth, where it comes
/// from (shown in the dataset picker) and the preset to analyse it with.
#[derive(Debug, Clone)]
pub struct Handed {
    /// The dataset and its true potential, when known.
    pub data: WithTruth,
    /// Where it comes from, in words ("Experiment: …", "Lesson 6: …").
    pub from: String,
    /// The settings' preset.
    pub preset: Preset,
}

/// Data handed to the Analyse area (or its Compare view) from another area, and the way there.
#[derive(Clone, Copy)]
pub struct Handoff {
    data: RwSignal<Option<Handed>>,
    comparison: RwSignal<Vec<(Source, Dataset)>>,
    navigate: StoredValue<Navigate, LocalStorage>,
}

impl Handoff {
    /// Shows `handed` in the Analyse area (a new history entry: Back returns here).
    pub fn open(&self, handed: Handed) {
        self.data.set(Some(handed));
        self.navigate.with_value(|go| go("/"));
    }

    /// The data handed over, once.
    pub fn take(&self) -> Option<Handed> {
        self.data.try_update_untracked(Option::take).flatten()
    }

    /// Opens the Compare view on `datasets` (each with where it comes from, for its link).
    pub fn compare(&self, datasets: Vec<(Source, Dataset)>) {
        self.comparison.set(datasets);
        self.navigate.with_value(|go| go("/compare"));
    }

    /// The datasets handed to the Compare view, once.
    pub fn take_comparison(&self) -> Vec<(Source, Dataset)> {
        self.comparison.try_update_untracked(std::mem::take).unwrap_or_default()
    }
}

/// The whole app: the router around the shell.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Shell />
        </Router>
    }
}

/// The header with the areas' tabs, and the area of the current route.
#[component]
fn Shell() -> impl IntoView {
    let navigate = use_navigate();
    // Lesson links of earlier versions (`/#learn/<lesson>?...`) open their lesson's route, and
    // an area's name in the fragment (`/#experiment`) its area.
    let fragment = browser::fragment();
    let old = Link::parse(&fragment).map(|link| link.path()).or_else(|| {
        AREAS.iter().find(|(path, _, id)| *id == fragment && *path != "/").map(|a| a.0.to_owned())
    });
    if let Some(path) = old {
        navigate(&path, NavigateOptions { replace: true, ..Default::default() });
    }
    let go: Navigate = Rc::new(move |path: &str| navigate(path, Default::default()));
    provide_context(Handoff {
        data: RwSignal::new(None),
        comparison: RwSignal::new(Vec::new()),
        navigate: StoredValue::new_local(go),
    });
    provide_context(RunState::new());
    let theme = RwSignal::new(browser::stored_theme().unwrap_or_else(|| "system".to_owned()));
    let system_dark = RwSignal::new(browser::system_prefers_dark());
    browser::on_system_theme_change(move |dark| system_dark.set(dark));
    let dark = Signal::derive(move || match theme.get().as_str() {
        "dark" => true,
        "light" => false,
        _ => system_dark.get(),
    });
    provide_context(DarkFigures(dark));
    let location = use_location();
    view! {
        <header class="app-header">
            <div class="brand">
                <span class="brand-mark" aria-hidden="true">"⇄"</span>
                <h1>"Balance Lab"</h1>
            </div>
            <nav class="main-nav" aria-label="Main areas">
                {AREAS
                    .into_iter()
                    .map(|(path, title, id)| {
                        // Compare is a view of Analyse: its tab stays marked there.
                        let compare = move || path == "/" && location.pathname.get() == "/compare";
                        view! {
                            <A
                                href=path
                                exact=path == "/"
                                attr:id=format!("nav-{id}")
                                attr:class="nav-tab"
                                class:in-area=compare
                            >
                                {title}
                            </A>
                        }
                    })
                    .collect_view()}
            </nav>
            <ThemePicker theme=theme />
        </header>
        <main id="main">
            <Routes fallback=NotFound>
                <Route path=path!("/") view=AnalyseArea />
                <Route path=path!("/compare") view=CompareArea />
                <Route path=path!("/experiment") view=ExperimentArea />
                <Route path=path!("/learn") view=LearnRoute />
                <Route path=path!("/learn/:lesson") view=LearnRoute />
            </Routes>
        </main>
    }
}

/// A path the app does not know: says so and offers the way back.
#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="area card" id="not-found">
            <h2>"There is no page here"</h2>
            <p>
                {move || format!("Balance Lab has no page at {}. ", use_location().pathname.get())}
                <A href="/">"Open the Analyse area"</A>
                "."
            </p>
        </section>
    }
}

/// The Learn area on the lesson of the route (`/learn/<lesson>?parameters`). A new lesson
/// draws afresh; parameters written back by the lesson's link keep the lesson as it is.
#[component]
fn LearnRoute() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let lesson = Memo::new(move |_| params.with(|p| p.get("lesson")));
    move || {
        let lesson = lesson.get();
        let link = lesson.map(|lesson| Link {
            lesson,
            params: query.with_untracked(|q| {
                q.into_iter().map(|(k, v)| (k.to_string(), v.to_owned())).collect()
            }),
        });
        view! { <LearnArea link=link /> }
    }
}

/// The colour themes: the system's choice, or light or dark whatever the system says.
const THEMES: [(&str, &str); 3] = [("system", "System"), ("light", "Light"), ("dark", "Dark")];

/// Chooses the colour theme (`system`, `light` or `dark`); the choice is remembered on this
/// device.
#[component]
fn ThemePicker(theme: RwSignal<String>) -> impl IntoView {
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
