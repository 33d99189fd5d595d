//! The Experiment area: set up an experiment (provider, key, task, protocol, cost), test the
//! connection, run it with every attempt saved to IndexedDB as it completes, and keep, resume,
//! rename, export, import and delete experiments.

mod controller;
mod fetch;
mod form;
mod keys;
mod list;
mod models;
mod panel;
mod prices;
mod session;
mod store;

pub use session::compared_dataset;
pub use store::Store;

use std::rc::Rc;

use leptos::prelude::*;

use crate::browser;

use controller::Experiments;
use form::{PlanForm, Presets, ProviderForm, TaskForm};
use list::{ExperimentList, WhereNextCard};
use panel::RunPanel;
use session::{Live, Session};

/// The run of this page, kept by the app so it goes on while other areas are shown.
#[derive(Clone, Copy)]
pub struct RunState {
    live: Live,
    session: StoredValue<Option<Rc<Session>>, LocalStorage>,
    /// The other arms of a run made for comparing, running beside `session`.
    companions: RwSignal<Vec<(Rc<Session>, Live)>, LocalStorage>,
    /// The app's owner: the companions' signals must outlive the Experiment area, as their runs
    /// go on while other areas are shown.
    owner: StoredValue<Option<Owner>, LocalStorage>,
}

impl RunState {
    /// No run yet.
    pub fn new() -> RunState {
        RunState {
            live: Live::new(),
            session: StoredValue::new_local(None),
            companions: RwSignal::new_local(Vec::new()),
            owner: StoredValue::new_local(Owner::current()),
        }
    }
}

impl Default for RunState {
    fn default() -> Self {
        RunState::new()
    }
}

/// The Experiment area: draws the state of [`Experiments`] and calls its operations.
#[component]
pub fn ExperimentArea() -> impl IntoView {
    let x = Experiments::new(expect_context(), expect_context());
    let live = x.run.live;
    let resume = Callback::new(move |max_tokens: Option<u32>| x.resume_current(max_tokens));
    let open_arms = Callback::new(move |()| x.open_arms());
    let act = Callback::new(move |action| x.act(action));
    view! {
        <section class="area" aria-labelledby="experiment-title" id="area-experiment">
            <div class="toolbar">
                <h2 id="experiment-title">"Experiment"</h2>
                <label class="button">
                    "Import an experiment file…"
                    <input id="import-experiment" type="file" accept=".json" on:change=move |ev| x.import(browser::picked_file(&ev)) />
                </label>
            </div>
            {move || x.store_notice.get().map(|n| view! { <p class="error" role="alert" id="store-notice">{n}</p> })}
            {move || x.message().map(|n| view! { <p class="error" role="alert" id="experiment-notice">{n}</p> })}
            <Show when=move || live.status.get().is_some()>
                <RunPanel
                    session=x.run.session
                    companions=x.run.companions
                    live=live
                    resume=resume
                    open_arms=open_arms
                    truth=x.truth
                />
            </Show>
            <h3>"Your experiments"</h3>
            <ExperimentList
                records=x.records
                busy=x.busy
                also_running=x.also_running
                live_saved=Signal::derive(move || live.snapshot.with(|s| s.saved))
                act=act
            />
            <WhereNextCard next=x.where_next spec=x.spec />
            <h3>"New experiment"</h3>
            <p class="muted">
                "An agent puts a state into the prompt, the model answers, the answer becomes the \
                 next state. The default is the paper's word task against a simulated agent whose \
                 true potential is known: no key and no network."
            </p>
            <Presets spec=x.spec error=x.form_error />
            <div class="experiment-form">
                <ProviderForm spec=x.spec error=x.form_error key_text=x.key_text keep=x.keep />
                <TaskForm spec=x.spec error=x.form_error />
                <PlanForm spec=x.spec error=x.form_error />
            </div>
            <div class="card" id="arms-form">
                <label>
                    "Temperatures to compare (optional) "
                    <input
                        id="arm-temperatures"
                        placeholder="e.g. 1, 0.5"
                        prop:value=move || x.arm_text.get()
                        on:change=move |ev| x.arm_text.set(event_target_value(&ev))
                    />
                </label>
                <p class="muted">
                    "Two or more temperatures start one run per temperature, all at once (so each \
                     sees the same time window), each saved as its own experiment; when they are \
                     done, open them together in Compare to test whether they move on one \
                     landscape."
                </p>
            </div>
            // Messages go below the buttons: one that disappears when a field is fixed must not
            // move the buttons away from the pointer between a press and its release.
            <div class="buttons">
                <button type="button" id="test-connection" on:click=move |_| x.test_connection()>"Test connection"</button>
                <button type="button" id="start-run" class="primary" on:click=move |_| x.start_new()>"Start"</button>
            </div>
            {move || x.form_error.get().map(|e| view! { <p class="error" role="alert" id="form-error">{e}</p> })}
            {move || x.connection().map(|r| match r {
                Ok(m) => view! { <p id="connection-result" class="ok">{m}</p> }.into_any(),
                Err(m) => view! { <p id="connection-result" class="error">{m}</p> }.into_any(),
            })}
        </section>
    }
}
