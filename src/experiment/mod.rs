//! The Experiment area: set up an experiment (provider, key, task, protocol, cost), test the
//! connection, run it with every attempt saved to IndexedDB as it completes, and keep, resume,
//! rename, export, import and delete experiments.

mod fetch;
mod form;
mod keys;
mod list;
mod panel;
mod prices;
mod session;
mod store;

pub use session::compared_dataset;
pub use store::Store;

use std::rc::Rc;

use balance_agent::call::call;
use balance_agent::errors::advice;
use balance_agent::retry::RetryPolicy;
use balance_agent::simulated::SimulatedTransport;
use balance_agent::spec::Arm;
use balance_agent::{ProviderKind, Spec};
use balance_core::Preset;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::{Handed, Handoff};
use crate::browser::{self, Keep};
use fetch::{BrowserClock, Fetch};
use form::{PlanForm, Presets, ProviderForm, TaskForm};
use list::{Action, ExperimentList};
use panel::RunPanel;
use session::{Live, Session, new_id};
use store::{Record, Status};

/// Where the last experiment's settings are remembered (they hold no key).
const LAST_SPEC: &str = "balance-lab-last-experiment";

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

/// The arms a comma-separated list of temperatures asks for ("1, 0.5"): none for an empty list.
fn temperature_arms(text: &str) -> Result<Vec<Arm>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|t| match t.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Arm {
                name: format!("T {v}"),
                temperature: Some(v),
                model: None,
                template: None,
            }),
            _ => Err(format!(
                "Temperatures to compare: {:?} is not a number (write them as 1, 0.5)",
                t.trim()
            )),
        })
        .collect()
}

impl Default for RunState {
    fn default() -> Self {
        RunState::new()
    }
}

/// The settings used last on this device, or the simulated word task.
fn last_spec() -> Spec {
    browser::stored(Keep::Device, LAST_SPEC)
        .and_then(|s| serde_json::from_str::<Spec>(&s).ok())
        .unwrap_or_else(Spec::simulated_word_task)
}

/// What a successful test call says: the answer as the task judges it, how it ended, the
/// reasoning it took.
fn connected(spec: &Spec, completion: &balance_agent::Completion, ms: f64) -> String {
    let source = spec.plan.seeds.first().map_or("", String::as_str);
    let Some(answer) = completion.answers.first() else {
        return format!("Connected, but {} gave no answer.", spec.provider.model);
    };
    let attempt = balance_agent::runner::attempt_of_answer(&spec.task, source, answer);
    let reasoning = completion.usage.map_or(0, |u| u.reasoning_tokens);
    let mut text =
        format!("Connected: {} answered {:?} in {ms:.0} ms", spec.provider.model, answer.text);
    if let Some(f) = &answer.finish_reason {
        text.push_str(&format!(" (finish: {f})"));
    }
    if reasoning > 0 {
        text.push_str(&format!(", after {reasoning} reasoning tokens"));
    }
    text.push_str(&format!("; the task reads it as {}.", session::became(&attempt)));
    if attempt.outcome == balance_core::experiment::Outcome::NoAnswer {
        text.push_str(&format!(" To get whole answers, {}.", spec.cut_off_advice()));
    }
    text
}

/// The Experiment area.
#[component]
pub fn ExperimentArea() -> impl IntoView {
    let run: RunState = expect_context();
    let handoff: Handoff = expect_context();
    let live = run.live;
    let spec = RwSignal::new(last_spec());
    let form_error = RwSignal::new(None::<String>);
    // Temperatures to compare: a run made for comparing, one arm per temperature.
    let arm_text = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<String>);
    let connection = RwSignal::new(None::<Result<String, String>>);
    let key_text = RwSignal::new(String::new());
    let keep = RwSignal::new(keys::chosen_keep());
    let store = StoredValue::new_local(None::<Store>);
    let records = RwSignal::new(Vec::<(Record, usize)>::new());
    let busy = Signal::derive(move || {
        live.status.track();
        run.session.with_value(|s| {
            s.as_ref()
                .filter(|_| live.status.get() == Some(Status::Running))
                .map(|s| s.record.borrow().id.clone())
        })
    });
    let companions = run.companions;
    let also_running = Signal::derive(move || {
        companions.with(|c| {
            c.iter()
                .filter(|(_, l)| l.status.get() == Some(Status::Running))
                .map(|(s, _)| s.record.borrow().id.clone())
                .collect::<Vec<_>>()
        })
    });
    let truth = Signal::derive(move || {
        live.status.track();
        run.session.with_value(|s| s.as_ref().and_then(|s| s.record.borrow().truth()))
    });

    let refresh = move || {
        spawn_local(async move {
            let Some(db) = store.get_value() else { return };
            match db.records().await {
                Ok((list, unreadable)) => {
                    records.set(list);
                    if unreadable > 0 {
                        notice.set(Some(format!(
                            "{unreadable} saved experiments could not be read and are not listed."
                        )));
                    }
                }
                Err(e) => notice.set(Some(e)),
            }
        });
    };
    spawn_local(async move {
        match Store::open().await {
            Ok(db) => {
                store.set_value(Some(db));
                refresh();
            }
            Err(e) => {
                notice.set(Some(format!("{e}. Experiments cannot be saved in this browser.")))
            }
        }
    });

    // Starts `session` in the panel; false when it cannot start (no key).
    let launch = move |session: Rc<Session>| {
        let kind = session.record.borrow().spec.provider.kind;
        let key = keys::key(kind);
        if kind.needs_key() && key.is_none() {
            notice.set(Some(format!(
                "{} needs an API key: paste it in the key field first.",
                kind.label()
            )));
            return false;
        }
        notice.set(None);
        run.session.set_value(Some(session.clone()));
        session::start(session, key, live, move |_| refresh());
        refresh();
        true
    };

    let start_new = move |_| {
        let s = spec.get_untracked();
        if let Err(e) = s.check() {
            form_error.set(Some(e));
            return;
        }
        let specs = match temperature_arms(&arm_text.get_untracked()) {
            Ok(arms) if arms.is_empty() => vec![s.clone()],
            Ok(arms) if arms.len() == 1 => {
                form_error.set(Some(
                    "Temperatures to compare: give two or more, or none for one run.".into(),
                ));
                return;
            }
            Ok(arms) => match s.arms(&arms) {
                Ok(specs) => specs,
                Err(e) => {
                    form_error.set(Some(format!("Temperatures to compare: {e}.")));
                    return;
                }
            },
            Err(e) => {
                form_error.set(Some(e));
                return;
            }
        };
        form_error.set(None);
        connection.set(None);
        if busy.get_untracked().is_some() || !also_running.get_untracked().is_empty() {
            notice.set(Some("An experiment is running: pause or cancel it first.".into()));
            return;
        }
        let Some(db) = store.get_value() else {
            notice
                .set(Some("Experiments cannot be saved in this browser, so none can run.".into()));
            return;
        };
        if let Ok(json) = serde_json::to_string(&s) {
            let _ = browser::store(Keep::Device, LAST_SPEC, &json);
        }
        // The arms of a run made for comparing start together: the first is shown in the
        // panel, the others run beside it and stop with it.
        let mut sessions = specs.into_iter().enumerate().map(|(k, spec)| {
            let record = Record {
                id: new_id(),
                spec,
                created: browser::epoch_ms() + k as f64,
                status: Status::Running,
                retried: Default::default(),
                data_only: false,
            };
            Session::new(db.clone(), record, Vec::new())
        });
        let Some(first) = sessions.next() else { return };
        companions.set(Vec::new());
        if !launch(first) {
            return;
        }
        let key = keys::key(s.provider.kind);
        let others: Vec<(Rc<Session>, Live)> = sessions
            .map(|session| {
                let l = run.owner.with_value(|o| match o {
                    Some(owner) => owner.with(Live::new),
                    None => Live::new(),
                });
                session::start(session.clone(), key.clone(), l, move |_| refresh());
                (session, l)
            })
            .collect();
        companions.set(others);
    };
    // The list follows the other arms as they run.
    Effect::new(move |_| {
        let ticks: Vec<u64> = companions.with(|c| c.iter().map(|(_, l)| l.tick.get()).collect());
        if ticks.iter().any(|&t| t > 0) {
            refresh();
        }
    });

    let open_saved =
        move |record: Record, then: fn(Rc<Session>, Handoff, RwSignal<Option<String>>)| {
            let Some(db) = store.get_value() else { return };
            spawn_local(async move {
                match db.attempts(&record.id).await {
                    Ok(attempts) => then(Session::new(db, record, attempts), handoff, notice),
                    Err(e) => notice.set(Some(e)),
                }
            });
        };

    let act = Callback::new(move |action: Action| match action {
        Action::Resume(record) => {
            if busy.get_untracked().is_some() {
                notice.set(Some("An experiment is running: pause or cancel it first.".into()));
                return;
            }
            let Some(db) = store.get_value() else { return };
            spawn_local(async move {
                match db.attempts(&record.id).await {
                    Ok(attempts) => {
                        launch(Session::new(db, record, attempts));
                    }
                    Err(e) => notice.set(Some(e)),
                }
            });
        }
        Action::Analyse(record) => open_saved(record, |session, handoff, _| {
            let dataset = session.file.borrow().dataset();
            let record = session.record.borrow();
            handoff.open(Handed {
                from: format!("Experiment: {}", record.spec.name),
                data: (dataset, record.truth()),
                preset: Preset::BalanceLab,
            });
        }),
        Action::Compare(records) => {
            let Some(db) = store.get_value() else { return };
            spawn_local(async move {
                let mut datasets = Vec::new();
                for record in records {
                    match db.attempts(&record.id).await {
                        Ok(attempts) => {
                            let d = compared_dataset(&record, attempts);
                            datasets.push((balance_core::share::Source::Counts, d));
                        }
                        Err(e) => return notice.set(Some(e)),
                    }
                }
                handoff.compare(datasets);
            });
        }
        Action::Export(record) => open_saved(record, |session, _, notice| {
            let mut file = session.file.borrow().clone();
            file.attempts.sort_by_key(|a| a.index);
            let stem: String = file
                .name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            if let Err(e) = browser::download(
                &format!("{stem}-experiment.json"),
                "application/json",
                &file.to_json(),
            ) {
                notice.set(Some(format!("Export failed: {e}.")));
            }
        }),
        Action::Rename(mut record, name) => {
            let Some(db) = store.get_value() else { return };
            let name = name.trim().to_owned();
            if name.is_empty() {
                notice.set(Some("A name cannot be empty.".into()));
                return;
            }
            // The running session keeps its own record: rename it there too.
            run.session.with_value(|s| {
                if let Some(s) = s.as_ref().filter(|s| s.record.borrow().id == record.id) {
                    s.record.borrow_mut().spec.name = name.clone();
                }
            });
            record.spec.name = name;
            spawn_local(async move {
                // Said once saved: a reload before then would show the old name.
                match db.save(&record).await {
                    Ok(()) => notice.set(Some(format!("Renamed to “{}”.", record.spec.name))),
                    Err(e) => notice.set(Some(e)),
                }
                refresh();
            });
        }
        Action::Delete(record) => {
            let Some(db) = store.get_value() else { return };
            spawn_local(async move {
                if let Err(e) = db.delete(&record.id).await {
                    notice.set(Some(e));
                }
                run.session.update_value(|s| {
                    if s.as_ref().is_some_and(|s| s.record.borrow().id == record.id) {
                        *s = None;
                        live.status.set(None);
                    }
                });
                refresh();
            });
        }
    });

    // Resumes the run of this page, with a raised token limit when one is given (answers cut
    // off before are kept but not counted, so the data do not mix two limits).
    let resume_current = Callback::new(move |max_tokens: Option<u32>| {
        if let Some(session) = run.session.get_value() {
            if let Some(m) = max_tokens {
                session.record.borrow_mut().spec.provider.max_tokens = m;
                session.file.borrow_mut().settings =
                    serde_json::to_value(&session.record.borrow().spec).unwrap_or_default();
            }
            if launch(session) {
                // The other arms go on with it, where they can.
                let key = keys::key(run.session.with_value(|s| {
                    s.as_ref()
                        .map_or(ProviderKind::Simulated, |s| s.record.borrow().spec.provider.kind)
                }));
                for (session, l) in companions.get_untracked() {
                    let resumable = l.status.get_untracked().is_some_and(|s| s.resumable());
                    if resumable && l.status.get_untracked() != Some(Status::Running) {
                        session::start(session, key.clone(), l, move |_| refresh());
                    }
                }
            }
        }
    });
    let open_arms = Callback::new(move |()| {
        let mut all: Vec<Rc<Session>> = run.session.get_value().into_iter().collect();
        all.extend(companions.get_untracked().into_iter().map(|(s, _)| s));
        let datasets = all
            .iter()
            .map(|s| {
                let attempts = s.file.borrow().attempts.clone();
                let d = compared_dataset(&s.record.borrow(), attempts);
                (balance_core::share::Source::Counts, d)
            })
            .collect();
        handoff.compare(datasets);
    });

    let import = move |file: Option<web_sys::File>| {
        let Some(file) = file else { return };
        let Some(db) = store.get_value() else { return };
        spawn_local(async move {
            let result = match browser::read_file(file).await {
                Ok((name, text)) => list::import(&name, &text, new_id(), browser::epoch_ms()),
                Err(e) => Err(e),
            };
            match result {
                Ok((record, file)) => {
                    let saved = async {
                        db.save(&record).await?;
                        db.add_attempts(&record.id, &file.attempts).await
                    };
                    match saved.await {
                        Ok(()) => notice.set(Some(format!(
                            "Imported {} ({} attempts){}.",
                            record.spec.name,
                            file.attempts.len(),
                            if record.status.resumable() { "; it can be resumed" } else { "" }
                        ))),
                        Err(e) => notice.set(Some(e)),
                    }
                    refresh();
                }
                Err(e) => notice.set(Some(format!("{e}. Nothing was imported."))),
            }
        });
    };

    let test_connection = move |_| {
        let s = spec.get_untracked();
        if let Err(e) = s.check() {
            connection.set(Some(Err(format!("Not called: {e}."))));
            return;
        }
        let key = keys::key(s.provider.kind);
        if s.provider.kind.needs_key() && key.is_none() {
            connection.set(Some(Err(format!(
                "Not called: {} needs an API key: paste it in the key field first.",
                s.provider.kind.label()
            ))));
            return;
        }
        connection.set(Some(Ok("Calling…".into())));
        spawn_local(async move {
            let prompt = s.task.prompt(s.plan.seeds.first().map_or("", String::as_str));
            let once = RetryPolicy { max_attempts: 1, ..RetryPolicy::default() };
            let started = browser::now_ms();
            let result = if s.provider.kind == ProviderKind::Simulated {
                let llm = SimulatedTransport::new(s.plan.seed, BrowserClock, s.provider.latency_ms);
                call(&llm, &BrowserClock, &s.provider, None, &prompt, &once, &mut || 0.5).await
            } else {
                let fetch = Fetch { timeout_ms: s.provider.timeout_s * 1000.0 };
                call(&fetch, &BrowserClock, &s.provider, key.as_ref(), &prompt, &once, &mut || 0.5)
                    .await
            };
            let ms = browser::now_ms() - started;
            connection.set(Some(match result {
                Ok(a) => Ok(connected(&s, &a.completion, ms)),
                Err(f) => Err(match advice(&s.provider, &f.error, Some(&browser::origin())) {
                    Some(hint) => format!("{}. {hint}", f.error),
                    None => f.error.to_string(),
                }),
            }));
        });
    };

    view! {
        <section class="area" aria-labelledby="experiment-title" id="area-experiment">
            <div class="toolbar">
                <h2 id="experiment-title">"Experiment"</h2>
                <label class="button">
                    "Import an experiment file…"
                    <input id="import-experiment" type="file" accept=".json" on:change=move |ev| import(browser::picked_file(&ev)) />
                </label>
            </div>
            {move || notice.get().map(|n| view! { <p class="error" role="alert" id="experiment-notice">{n}</p> })}
            <Show when=move || live.status.get().is_some()>
                <RunPanel
                    session=run.session
                    companions=companions
                    live=live
                    resume=resume_current
                    open_arms=open_arms
                    truth=truth
                />
            </Show>
            <h3>"Your experiments"</h3>
            <ExperimentList
                records=records
                busy=busy
                also_running=also_running
                live_saved=Signal::derive(move || live.snapshot.with(|s| s.saved))
                act=act
            />
            <h3>"New experiment"</h3>
            <p class="muted">
                "An agent puts a state into the prompt, the model answers, the answer becomes the \
                 next state. The default is the paper's word task against a simulated agent whose \
                 true potential is known: no key and no network."
            </p>
            <Presets spec=spec error=form_error />
            <div class="experiment-form">
                <ProviderForm spec=spec error=form_error key_text=key_text keep=keep />
                <TaskForm spec=spec error=form_error />
                <PlanForm spec=spec error=form_error />
            </div>
            <div class="card" id="arms-form">
                <label>
                    "Temperatures to compare (optional) "
                    <input
                        id="arm-temperatures"
                        placeholder="e.g. 1, 0.5"
                        prop:value=move || arm_text.get()
                        on:change=move |ev| arm_text.set(event_target_value(&ev))
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
                <button type="button" id="test-connection" on:click=test_connection>"Test connection"</button>
                <button type="button" id="start-run" class="primary" on:click=start_new>"Start"</button>
            </div>
            {move || form_error.get().map(|e| view! { <p class="error" role="alert" id="form-error">{e}</p> })}
            {move || connection.get().map(|r| match r {
                Ok(m) => view! { <p id="connection-result" class="ok">{m}</p> }.into_any(),
                Err(m) => view! { <p id="connection-result" class="error">{m}</p> }.into_any(),
            })}
        </section>
    }
}
