//! The Experiment area's controller: its state as signals in one plain type, and every
//! operation on it (start, resume, connection test, import, the list's actions). The
//! components in `mod.rs`, `panel` and `list` draw it and call these operations.

use std::rc::Rc;

use balance_agent::call::call;
use balance_agent::errors::advice;
use balance_agent::retry::RetryPolicy;
use balance_agent::simulated::{SimulatedTransport, Simulator};
use balance_agent::spec::Arm;
use balance_agent::{ApiKey, ProviderKind, Spec};
use balance_core::Preset;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::RunState;
use super::fetch::{BrowserClock, Fetch};
use super::keys;
use super::list::{self, Action as ListAction};
use super::session::{self, Live, Session, compared_dataset, new_id};
use super::store::{Record, Status, Store};
use crate::app::{Handed, Handoff};
use crate::browser::{self, Keep};

/// What the store lists: the saved experiments with their counts of attempts, and how many
/// could not be read.
type Listing = (Vec<(Record, usize)>, usize);

/// Where the last experiment's settings are remembered (they hold no key).
const LAST_SPEC: &str = "balance-lab-last-experiment";

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

/// The Experiment area's state and everything a person can do with it: start, resume, pause
/// through the panel, test the connection, import, and act on saved experiments. A plain `Copy`
/// type of signals, made once by the area and provided by context; components only draw it and
/// call its operations.
#[derive(Clone, Copy)]
pub struct Experiments {
    /// The run of this page (kept by the app).
    pub run: RunState,
    handoff: Handoff,
    /// The experiment being set up.
    pub spec: RwSignal<Spec>,
    /// What is wrong with the form, if anything.
    pub form_error: RwSignal<Option<String>>,
    /// Temperatures to compare, as typed ("1, 0.5"): a run made for comparing.
    pub arm_text: RwSignal<String>,
    /// The last operation's message (errors, renames), shown by `message`.
    notice: RwSignal<Option<String>>,
    /// The connection test: one call with the form's settings and the key they need; its value
    /// is what came back, or why nothing was called or came back.
    probe: Action<(Spec, Option<ApiKey>), Result<String, String>>,
    /// Whether the connection test is calling.
    calling: Memo<bool>,
    /// The key field's text.
    pub key_text: RwSignal<String>,
    /// Where the key is kept.
    pub keep: RwSignal<Keep>,
    /// This browser's experiments store, opened once (or why it cannot be).
    store: LocalResource<Result<Store, String>>,
    /// What the store holds: the saved experiments with their counts of attempts, and how many
    /// could not be read; read when the store opens and again after every change (`refresh`).
    listing: LocalResource<Result<Listing, String>>,
    /// The saved experiments with their counts of attempts (none until the store is read).
    pub records: Signal<Vec<(Record, usize)>>,
    /// What keeps experiments from being saved or listed, if anything.
    pub store_notice: Signal<Option<String>>,
    /// A change to the saved experiments (import, rename, delete) made in the background; its
    /// value is what happened.
    changing: Action<Change, Option<String>>,
    /// The id of the experiment running in the panel.
    pub busy: Signal<Option<String>>,
    /// The ids of the other arms of a run made for comparing that are running.
    pub also_running: Signal<Vec<String>>,
    /// The true potential of the panel's run, when its agent is simulated.
    pub truth: Signal<Option<std::collections::BTreeMap<String, f64>>>,
    /// Where a saved experiment should sample next, when asked (the list's "Where next").
    pub where_next: RwSignal<Option<WhereNext>>,
}

/// Where a saved experiment should sample next: its name and, most needed first, each state
/// with why.
#[derive(Debug, Clone, PartialEq)]
pub struct WhereNext {
    /// The experiment's name.
    pub name: String,
    /// Each state and why it is worth prompting.
    pub rows: Vec<(String, String)>,
}

/// How many states "Where next" names.
const WHERE_NEXT_STATES: usize = 10;

/// Why the planner names a state, in words.
fn why(need: &balance_core::planner::Need) -> String {
    match need {
        balance_core::planner::Need::Placing { attempts } => {
            format!("not placed yet; prompted {attempts} times")
        }
        balance_core::planner::Need::Precision { .. } => {
            "shrinks the largest standard errors".to_owned()
        }
    }
}

impl Experiments {
    /// The area's state, with the experiments store opening in the background; `run` and
    /// `handoff` come from the app.
    pub fn new(run: RunState, handoff: Handoff) -> Experiments {
        let live = run.live;
        let companions = run.companions;
        let busy = Signal::derive(move || {
            live.status.track();
            run.session.with_value(|s| {
                s.as_ref()
                    .filter(|_| live.status.get() == Some(Status::Running))
                    .map(|s| s.record.borrow().id.clone())
            })
        });
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
        let probe = Action::new_local(|(spec, key): &(Spec, Option<ApiKey>)| {
            probe(spec.clone(), key.clone())
        });
        let store = LocalResource::new(Store::open);
        let listing = LocalResource::new(move || async move { store.await?.records().await });
        let x = Experiments {
            run,
            handoff,
            spec: RwSignal::new(last_spec()),
            form_error: RwSignal::new(None),
            arm_text: RwSignal::new(String::new()),
            notice: RwSignal::new(None),
            probe,
            calling: probe.pending(),
            key_text: RwSignal::new(String::new()),
            keep: RwSignal::new(keys::chosen_keep()),
            store,
            listing,
            // A memo: the list is copied out of the listing once per reading, not per use.
            records: Memo::new(move |_| {
                listing
                    .map(|l| l.as_ref().map(|(list, _)| list.clone()).unwrap_or_default())
                    .unwrap_or_default()
            })
            .into(),
            store_notice: Signal::derive(move || {
                match store.map(|s| s.as_ref().err().cloned())? {
                    Some(e) => Some(format!("{e}. Experiments cannot be saved in this browser.")),
                    None => listing.map(|l| match l {
                        Err(e) => Some(e.clone()),
                        Ok((_, 0)) => None,
                        Ok((_, unreadable)) => Some(format!(
                            "{unreadable} saved experiments could not be read and are not listed."
                        )),
                    })?,
                }
            }),
            changing: Action::new_unsync_local(move |change: &Change| {
                let change = change.clone();
                async move {
                    let said = change.make(store.await).await;
                    listing.refetch();
                    said
                }
            }),
            busy,
            also_running,
            truth,
            where_next: RwSignal::new(None),
        };
        // The list follows the other arms as they run.
        Effect::new(move |_| {
            let ticks: Vec<u64> =
                companions.with(|c| c.iter().map(|(_, l)| l.tick.get()).collect());
            if ticks.iter().any(|&t| t > 0) {
                x.refresh();
            }
        });
        x
    }

    /// Reads the saved experiments again.
    pub fn refresh(self) {
        self.listing.refetch();
    }

    /// Makes `message` the area's message (`None` clears it), in place of a change's.
    fn say(self, message: Option<String>) {
        self.changing.value().set(None);
        self.notice.set(message);
    }

    /// The area's last message: what a change is doing or did, or the last operation's.
    pub fn message(self) -> Option<String> {
        if let Some(doing) = self.changing.input().with(|c| c.as_ref().map(Change::doing)) {
            return Some(doing.to_owned());
        }
        self.changing.value().get().flatten().or_else(|| self.notice.get())
    }

    /// Makes `change` in the background (its message replaces the area's).
    fn change(self, change: Change) {
        self.say(None);
        self.changing.dispatch_local(change);
    }

    /// The store, once it has opened.
    fn db(self) -> Option<Store> {
        self.store.get_untracked().and_then(Result::ok)
    }

    /// Starts `session` in the panel; false when it cannot start (no key).
    fn launch(self, session: Rc<Session>) -> bool {
        let kind = session.record.borrow().spec.provider.kind;
        let key = keys::key(kind);
        if kind.needs_key() && key.is_none() {
            self.say(Some(format!(
                "{} needs an API key: paste it in the key field first.",
                kind.label()
            )));
            return false;
        }
        self.say(None);
        self.run.session.set_value(Some(session.clone()));
        session::start(session, key, self.run.live, move |_| self.refresh());
        self.refresh();
        true
    }

    /// The specs the form asks for: one, or one per temperature to compare.
    fn specs(self) -> Result<Vec<Spec>, String> {
        let s = self.spec.get_untracked();
        s.check()?;
        match temperature_arms(&self.arm_text.get_untracked())? {
            arms if arms.is_empty() => Ok(vec![s]),
            arms if arms.len() == 1 => {
                Err("Temperatures to compare: give two or more, or none for one run.".into())
            }
            arms => s.arms(&arms).map_err(|e| format!("Temperatures to compare: {e}.")),
        }
    }

    /// Starts the experiment the form describes (every arm of a run made for comparing at once,
    /// the first shown in the panel, the others beside it).
    pub fn start_new(self) {
        let specs = match self.specs() {
            Ok(specs) => specs,
            Err(e) => return self.form_error.set(Some(e)),
        };
        self.form_error.set(None);
        self.probe.value().set(None);
        if self.busy.get_untracked().is_some() || !self.also_running.get_untracked().is_empty() {
            self.say(Some("An experiment is running: pause or cancel it first.".into()));
            return;
        }
        let Some(db) = self.db() else {
            self.say(Some("Experiments cannot be saved in this browser, so none can run.".into()));
            return;
        };
        let s = self.spec.get_untracked();
        if let Ok(json) = serde_json::to_string(&s) {
            let _ = browser::store(Keep::Device, LAST_SPEC, &json);
        }
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
        let companions = self.run.companions;
        companions.set(Vec::new());
        if !self.launch(first) {
            return;
        }
        let key = keys::key(s.provider.kind);
        let others: Vec<(Rc<Session>, Live)> = sessions
            .map(|session| {
                let l = self.run.owner.with_value(|o| match o {
                    Some(owner) => owner.with(Live::new),
                    None => Live::new(),
                });
                session::start(session.clone(), key.clone(), l, move |_| self.refresh());
                (session, l)
            })
            .collect();
        companions.set(others);
    }

    /// Loads the attempts of `record` and hands its session to `then`.
    fn open_saved(self, record: Record, then: impl FnOnce(Rc<Session>) + 'static) {
        let Some(db) = self.db() else { return };
        spawn_local(async move {
            match db.attempts(&record.id).await {
                Ok(attempts) => then(Session::new(db, record, attempts)),
                Err(e) => self.say(Some(e)),
            }
        });
    }

    /// Does what the experiments list asks.
    pub fn act(self, action: ListAction) {
        match action {
            ListAction::Resume(record) => {
                if self.busy.get_untracked().is_some() {
                    self.notice
                        .set(Some("An experiment is running: pause or cancel it first.".into()));
                    return;
                }
                self.open_saved(record, move |session| {
                    self.launch(session);
                });
            }
            ListAction::Analyse(record) => {
                let handoff = self.handoff;
                self.open_saved(record, move |session| {
                    let dataset = session.file.borrow().dataset();
                    let record = session.record.borrow();
                    handoff.open(Handed {
                        from: format!("Experiment: {}", record.spec.name),
                        data: (dataset, record.truth()),
                        preset: Preset::BalanceLab,
                    });
                });
            }
            ListAction::Compare(records) => self.compare(records),
            ListAction::Export(record) => self.open_saved(record, move |session| {
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
                    self.say(Some(format!("Export failed: {e}.")));
                }
            }),
            ListAction::WhereNext(record) => self.open_saved(record, move |session| {
                let file = session.file.borrow();
                let rows = balance_agent::schedule::where_next(&file, WHERE_NEXT_STATES)
                    .into_iter()
                    .map(|(state, need)| (state, why(&need)))
                    .collect();
                self.where_next.set(Some(WhereNext { name: file.name.clone(), rows }));
            }),
            ListAction::Rename(record, name) => self.rename(record, name),
            ListAction::Delete(record) => self.delete(record),
        }
    }

    /// Opens the saved experiments `records` together in Compare.
    fn compare(self, records: Vec<Record>) {
        let Some(db) = self.db() else { return };
        spawn_local(async move {
            let mut datasets = Vec::new();
            for record in records {
                match db.attempts(&record.id).await {
                    Ok(attempts) => {
                        let d = compared_dataset(&record, attempts);
                        datasets.push((balance_core::share::Source::Counts, d));
                    }
                    Err(e) => return self.say(Some(e)),
                }
            }
            self.handoff.compare(datasets);
        });
    }

    /// Renames a saved experiment (and the running one, when it is that one).
    fn rename(self, mut record: Record, name: String) {
        let name = name.trim().to_owned();
        if name.is_empty() {
            self.say(Some("A name cannot be empty.".into()));
            return;
        }
        // The running session keeps its own record: rename it there too.
        self.run.session.with_value(|s| {
            if let Some(s) = s.as_ref().filter(|s| s.record.borrow().id == record.id) {
                s.record.borrow_mut().spec.name = name.clone();
            }
        });
        record.spec.name = name;
        self.change(Change::Rename(record));
    }

    /// Deletes a saved experiment and its attempts (and clears the panel when it showed it).
    fn delete(self, record: Record) {
        self.run.session.update_value(|s| {
            if s.as_ref().is_some_and(|s| s.record.borrow().id == record.id) {
                *s = None;
                self.run.live.status.set(None);
            }
        });
        self.change(Change::Delete(record));
    }

    /// Resumes the run of this page, with a raised token limit when one is given (answers cut
    /// off before are kept but not counted, so the data do not mix two limits); the other arms
    /// of a run made for comparing go on with it, where they can.
    pub fn resume_current(self, max_tokens: Option<u32>) {
        let Some(session) = self.run.session.get_value() else { return };
        if let Some(m) = max_tokens {
            session.record.borrow_mut().spec.provider.max_tokens = m;
            session.file.borrow_mut().settings =
                serde_json::to_value(&session.record.borrow().spec).unwrap_or_default();
        }
        let kind = session.record.borrow().spec.provider.kind;
        if self.launch(session) {
            let key = keys::key(kind);
            for (session, l) in self.run.companions.get_untracked() {
                let status = l.status.get_untracked();
                if status.as_ref().is_some_and(|s| s.resumable()) && status != Some(Status::Running)
                {
                    session::start(session, key.clone(), l, move |_| self.refresh());
                }
            }
        }
    }

    /// Opens every arm of the panel's run in Compare.
    pub fn open_arms(self) {
        let mut all: Vec<Rc<Session>> = self.run.session.get_value().into_iter().collect();
        all.extend(self.run.companions.get_untracked().into_iter().map(|(s, _)| s));
        let datasets = all
            .iter()
            .map(|s| {
                let attempts = s.file.borrow().attempts.clone();
                let d = compared_dataset(&s.record.borrow(), attempts);
                (balance_core::share::Source::Counts, d)
            })
            .collect();
        self.handoff.compare(datasets);
    }

    /// Imports an experiment file picked by the person.
    pub fn import(self, file: Option<web_sys::File>) {
        if let Some(file) = file {
            self.change(Change::Import(file));
        }
    }

    /// Makes one call with the form's settings (after checking them, and that a key is there
    /// when one is needed) and says what came back.
    pub fn test_connection(self) {
        let s = self.spec.get_untracked();
        if let Err(e) = s.check() {
            self.probe.value().set(Some(Err(format!("Not called: {e}."))));
            return;
        }
        let key = keys::key(s.provider.kind);
        if s.provider.kind.needs_key() && key.is_none() {
            self.probe.value().set(Some(Err(format!(
                "Not called: {} needs an API key: paste it in the key field first.",
                s.provider.kind.label()
            ))));
            return;
        }
        self.probe.dispatch_local((s, key));
    }

    /// What the connection test says: "Calling…" while it runs, then its result.
    pub fn connection(self) -> Option<Result<String, String>> {
        if self.calling.get() {
            return Some(Ok("Calling…".into()));
        }
        self.probe.value().get()
    }
}

/// A change to the saved experiments.
#[derive(Clone)]
enum Change {
    /// Read an experiment file and save it as a new experiment.
    Import(web_sys::File),
    /// Save a record under its new name.
    Rename(Record),
    /// Delete an experiment and its attempts.
    Delete(Record),
}

impl Change {
    /// What is said while it is made.
    fn doing(&self) -> &'static str {
        match self {
            Change::Import(_) => "Importing…",
            Change::Rename(_) => "Renaming…",
            Change::Delete(_) => "Deleting…",
        }
    }

    /// Makes the change in `store`; says what happened (nothing when a deletion worked).
    async fn make(self, store: Result<Store, String>) -> Option<String> {
        let db = match store {
            Ok(db) => db,
            Err(e) => return Some(format!("{e}. Nothing was changed.")),
        };
        match self {
            Change::Import(file) => Some(import_file(&db, file).await),
            // Said once saved: a reload before then would show the old name.
            Change::Rename(record) => Some(match db.save(&record).await {
                Ok(()) => format!("Renamed to “{}”.", record.spec.name),
                Err(e) => e,
            }),
            Change::Delete(record) => db.delete(&record.id).await.err(),
        }
    }
}

/// Reads an experiment `file` and saves it in `db` as a new experiment; says what happened.
async fn import_file(db: &Store, file: web_sys::File) -> String {
    let read = match browser::read_file(file).await {
        Ok((name, text)) => list::import(&name, &text, new_id(), browser::epoch_ms()),
        Err(e) => Err(e),
    };
    let (record, file) = match read {
        Ok(read) => read,
        Err(e) => return format!("{e}. Nothing was imported."),
    };
    let saved = async {
        db.save(&record).await?;
        db.add_attempts(&record.id, &file.attempts).await
    };
    match saved.await {
        Ok(()) => format!(
            "Imported {} ({} attempts){}.",
            record.spec.name,
            file.attempts.len(),
            if record.status.resumable() { "; it can be resumed" } else { "" }
        ),
        Err(e) => e,
    }
}

/// One call to the provider `spec` names (the simulated agent answers without a network), with
/// what it says about the answer, or the error with advice.
async fn probe(s: Spec, key: Option<ApiKey>) -> Result<String, String> {
    let prompt = s.task.prompt(s.plan.seeds.first().map_or("", String::as_str));
    let once = RetryPolicy { max_attempts: 1, ..RetryPolicy::default() };
    let started = browser::now_ms();
    let result = if s.provider.kind == ProviderKind::Simulated {
        let simulator = Simulator::for_task(&s.task)?;
        let llm =
            SimulatedTransport::new(simulator, s.plan.seed, BrowserClock, s.provider.latency_ms);
        call(&llm, &BrowserClock, &s.provider, None, &prompt, &once, &mut || 0.5).await
    } else {
        let fetch = Fetch { timeout_ms: s.provider.timeout_s * 1000.0 };
        call(&fetch, &BrowserClock, &s.provider, key.as_ref(), &prompt, &once, &mut || 0.5).await
    };
    let ms = browser::now_ms() - started;
    match result {
        Ok(a) => Ok(connected(&s, &a.completion, ms)),
        Err(f) => Err(match advice(&s.provider, &f.error, Some(&browser::origin())) {
            Some(hint) => format!("{}. {hint}", f.error),
            None => f.error.to_string(),
        }),
    }
}
