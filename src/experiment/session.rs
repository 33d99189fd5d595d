//! One run in the page: drives the agent's runner with the browser's transport, writes every
//! attempt to IndexedDB as it completes, and keeps the live figures the page shows.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

use balance_agent::answers::Answers;
use balance_agent::call::Retry;
use balance_agent::errors::advice;
use balance_agent::http::Transport;
use balance_agent::runner::{Events, Experiment, Notice, run};
use balance_agent::schedule::{Scheduler, Stop};
use balance_agent::simulated::{SimulatedTransport, Simulator};
use balance_agent::{ApiKey, ProviderKind, Spec};
use balance_core::datasets::Dataset;
use balance_core::experiment::{Attempt, ExperimentFile, FORMAT, Outcome, VERSION};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::fetch::{BrowserClock, Fetch};
use super::store::{Record, Status, Store};
use crate::browser;

/// How long completed attempts wait to be written together (ms).
const SAVE_WINDOW_MS: u32 = 20;

/// Rows kept in the attempts log.
const LOG_ROWS: usize = 50;

/// What the person asked the run to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Stop starting attempts, keep the run resumable.
    Pause,
    /// Stop for good.
    Cancel,
}

/// One line of the attempts log (the raw answer is shown as text).
#[derive(Debug, Clone, PartialEq)]
pub struct LogRow {
    /// The attempt's index.
    pub index: u64,
    /// The state in the prompt.
    pub source: String,
    /// The model's answer, untrusted.
    pub raw: String,
    /// What it became.
    pub became: String,
    /// Failures retried on its way.
    pub retries: usize,
    /// Wall time of the call, retries included (ms).
    pub ms: f64,
    /// How the provider ended the answer, in its words.
    pub finish: String,
    /// The answer's log-probability, when the provider gave it.
    pub logprob: Option<f64>,
    /// Reasoning tokens the call spent.
    pub reasoning_tokens: u64,
}

/// The live figures of a run, copied to the page twice a second.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// Attempts recorded (saved ones included).
    pub recorded: usize,
    /// Attempts planned.
    pub total: usize,
    /// Attempts written to IndexedDB.
    pub saved: usize,
    /// Attempts a second in this session.
    pub rate: Option<f64>,
    /// Seconds left at that rate.
    pub eta_s: Option<f64>,
    /// Dollars spent (all sessions of the run).
    pub spent: f64,
    /// Failures retried, by kind (all sessions of the run).
    pub retried: BTreeMap<String, usize>,
    /// Outcomes so far: transitions, self-loops, rejections, sink states, no answer.
    pub outcomes: [usize; 5],
    /// The newest attempts first.
    pub log: Vec<LogRow>,
    /// The answers that became no state, by reason with examples (one line each).
    pub unread: Vec<String>,
    /// What the run noticed about the provider and did about it.
    pub notices: Vec<String>,
}

/// A run and everything it has recorded.
pub struct Session {
    /// Where the attempts are saved.
    pub store: Store,
    /// The saved record.
    pub record: RefCell<Record>,
    /// Every recorded attempt (the experiment file being made).
    pub file: RefCell<ExperimentFile>,
    pending: RefCell<Vec<Attempt>>,
    flushing: Cell<bool>,
    saved: Cell<usize>,
    save_error: RefCell<Option<String>>,
    ending: Cell<Option<Ending>>,
    spent: Cell<f64>,
    retried: RefCell<BTreeMap<String, usize>>,
    outcomes: Cell<[usize; 5]>,
    answers: RefCell<Answers>,
    notices: RefCell<Vec<String>>,
    log: RefCell<VecDeque<LogRow>>,
    /// (time, attempts recorded) when this page's part of the run began.
    started: Cell<(f64, usize)>,
}

/// The experiment file of `record` holding `attempts`.
pub fn file_of(record: &Record, attempts: Vec<Attempt>) -> ExperimentFile {
    ExperimentFile {
        format: FORMAT.to_owned(),
        version: VERSION,
        name: record.spec.name.clone(),
        settings: serde_json::to_value(&record.spec).unwrap_or_default(),
        total_attempts: None,
        attempts,
    }
}

/// The data of `record` holding `attempts`, named for a comparison ("Experiment: name").
pub fn compared_dataset(record: &Record, attempts: Vec<Attempt>) -> Dataset {
    let mut d = file_of(record, attempts).dataset();
    d.name = format!("Experiment: {}", record.spec.name);
    d
}

/// Words for what an answer became.
pub fn became(a: &Attempt) -> String {
    match (&a.outcome, &a.state) {
        (Outcome::SelfLoop, _) => format!("{} (stayed)", a.source),
        (Outcome::Transition, Some(s)) => s.clone(),
        (Outcome::Invalid, Some(s)) => {
            format!("{s} ({})", a.reason.as_deref().unwrap_or("invalid"))
        }
        (Outcome::NoAnswer, _) => {
            format!("no answer: {}", a.reason.as_deref().unwrap_or("none given"))
        }
        _ => format!("rejected: {}", a.reason.as_deref().unwrap_or("no reason given")),
    }
}

/// Where an outcome is counted in [`Snapshot::outcomes`].
fn slot(outcome: &Outcome) -> usize {
    match outcome {
        Outcome::Transition => 0,
        Outcome::SelfLoop => 1,
        Outcome::Rejected => 2,
        Outcome::Invalid => 3,
        Outcome::NoAnswer => 4,
    }
}

/// The outcomes of `attempts`, counted.
fn tally(attempts: &[Attempt]) -> [usize; 5] {
    let mut counts = [0; 5];
    for a in attempts {
        counts[slot(&a.outcome)] += 1;
    }
    counts
}

impl Session {
    /// A session over `record` with the attempts already saved.
    pub fn new(store: Store, record: Record, saved: Vec<Attempt>) -> Rc<Session> {
        let file = file_of(&record, saved);
        let price = record.spec.plan.price;
        let outcomes = tally(&file.attempts);
        let answers = Answers::of(&file.attempts);
        let spent =
            file.attempts.iter().filter_map(|a| a.usage.as_ref()).map(|u| price.cost(u)).sum();
        Rc::new(Session {
            retried: RefCell::new(record.retried.clone()),
            store,
            saved: Cell::new(file.attempts.len()),
            record: RefCell::new(record),
            file: RefCell::new(file),
            pending: RefCell::new(Vec::new()),
            flushing: Cell::new(false),
            save_error: RefCell::new(None),
            ending: Cell::new(None),
            spent: Cell::new(spent),
            outcomes: Cell::new(outcomes),
            answers: RefCell::new(answers),
            notices: RefCell::new(Vec::new()),
            log: RefCell::new(VecDeque::new()),
            started: Cell::new((browser::now_ms(), 0)),
        })
    }

    /// Asks the run to pause or cancel (the calls under way still finish and are recorded).
    pub fn end(&self, ending: Ending) {
        self.ending.set(Some(ending));
    }

    /// The live figures now.
    pub fn snapshot(&self) -> Snapshot {
        let file = self.file.borrow();
        let total = self.record.borrow().spec.plan.attempts;
        let recorded = file.attempts.len();
        let (t0, n0) = self.started.get();
        let seconds = (browser::now_ms() - t0) / 1000.0;
        let rate = (seconds > 0.5 && recorded > n0).then(|| (recorded - n0) as f64 / seconds);
        Snapshot {
            recorded,
            total,
            saved: self.saved.get(),
            rate,
            eta_s: rate.map(|r| total.saturating_sub(recorded) as f64 / r),
            spent: self.spent.get(),
            retried: self.retried.borrow().clone(),
            outcomes: self.outcomes.get(),
            log: self.log.borrow().iter().cloned().collect(),
            unread: self.answers.borrow().lines(),
            notices: self.notices.borrow().clone(),
        }
    }

    /// Takes one recorded attempt: into the file, the log and the queue for IndexedDB.
    fn take(self: &Rc<Self>, attempt: &Attempt, retried: &[Retry]) {
        if let Some(u) = &attempt.usage {
            let price = self.record.borrow().spec.plan.price;
            self.spent.set(self.spent.get() + price.cost(u));
        }
        {
            let mut kinds = self.retried.borrow_mut();
            for (error, _) in retried {
                *kinds.entry(error.to_string()).or_default() += 1;
            }
        }
        let mut outcomes = self.outcomes.get();
        outcomes[slot(&attempt.outcome)] += 1;
        self.outcomes.set(outcomes);
        self.answers.borrow_mut().add(attempt);
        let mut log = self.log.borrow_mut();
        log.push_front(LogRow {
            index: attempt.index.unwrap_or_default(),
            source: attempt.source.clone(),
            raw: attempt.raw.clone().unwrap_or_default(),
            became: became(attempt),
            retries: retried.len(),
            ms: attempt.elapsed_ms.unwrap_or(0.0),
            finish: attempt.finish.clone().unwrap_or_default(),
            logprob: attempt.logprob,
            reasoning_tokens: attempt.usage.map_or(0, |u| u.reasoning_tokens),
        });
        log.truncate(LOG_ROWS);
        self.file.borrow_mut().attempts.push(attempt.clone());
        self.pending.borrow_mut().push(attempt.clone());
        if !self.flushing.get() {
            self.flushing.set(true);
            let me = self.clone();
            spawn_local(async move { me.flush().await });
        }
    }

    /// Writes the queued attempts, a transaction at a time, until none are left; each
    /// transaction takes what completed in the last [`SAVE_WINDOW_MS`] (fewer, larger
    /// transactions keep up with hundreds of attempts a second). A failure pauses the run: what
    /// was not saved is not lost, it is asked again on resume.
    async fn flush(self: Rc<Self>) {
        loop {
            gloo_timers::future::TimeoutFuture::new(SAVE_WINDOW_MS).await;
            let batch = std::mem::take(&mut *self.pending.borrow_mut());
            if batch.is_empty() {
                break;
            }
            let id = self.record.borrow().id.clone();
            match self.store.add_attempts(&id, &batch).await {
                Ok(()) => self.saved.set(self.saved.get() + batch.len()),
                Err(e) => {
                    self.save_error.borrow_mut().get_or_insert(e);
                    self.ending.set(Some(Ending::Pause));
                    break;
                }
            }
        }
        self.flushing.set(false);
    }

    /// Saves the record as it now stands.
    pub async fn save_record(&self) -> Result<(), String> {
        let record = self.record.borrow().clone();
        self.store.save(&record).await
    }

    /// Runs (or resumes) the experiment to its end, a pause or a stop; `key` goes only into the
    /// requests to the provider. Returns the run's new status.
    pub async fn drive(self: Rc<Self>, key: Option<ApiKey>) -> Status {
        let spec: Spec = self.record.borrow().spec.clone();
        let saved: Vec<(usize, Attempt)> = self
            .file
            .borrow()
            .attempts
            .iter()
            .filter_map(|a| Some((a.index? as usize, a.clone())))
            .collect();
        if let Err(e) = spec.check() {
            return Status::Stopped(format!("the run cannot go on: {e}"));
        }
        let mut scheduler = match Scheduler::resume(spec.plan.clone(), &saved) {
            Ok(s) => s,
            Err(e) => return Status::Stopped(format!("the run cannot go on: {e}")),
        };
        self.started.set((browser::now_ms(), saved.len()));
        self.ending.set(None);
        self.record.borrow_mut().status = Status::Running;
        if let Err(e) = self.save_record().await {
            return Status::Stopped(e);
        }
        let clock = BrowserClock;
        let stop = if spec.provider.kind == ProviderKind::Simulated {
            let simulator = match Simulator::for_task(&spec.task) {
                Ok(s) => s,
                Err(e) => return Status::Stopped(format!("the run cannot go on: {e}")),
            };
            let llm =
                SimulatedTransport::new(simulator, spec.plan.seed, clock, spec.provider.latency_ms);
            self.run_with(&mut scheduler, &spec, key.as_ref(), &llm).await
        } else {
            let fetch = Fetch { timeout_ms: spec.provider.timeout_s * 1000.0 };
            self.run_with(&mut scheduler, &spec, key.as_ref(), &fetch).await
        };
        while self.flushing.get() {
            clock_tick().await;
        }
        let status = match (self.save_error.borrow_mut().take(), stop) {
            (Some(e), _) => Status::Stopped(format!("{e}; the run is paused and nothing is lost")),
            (None, None) => Status::Finished,
            (None, Some(Stop::Cancelled)) if self.ending.get() == Some(Ending::Pause) => {
                Status::Paused
            }
            (None, Some(Stop::Cancelled)) => Status::Cancelled,
            (None, Some(Stop::Budget)) => Status::Stopped(format!(
                "the budget (${:.2}) could be passed by the next attempt",
                spec.plan.budget.unwrap_or(0.0)
            )),
            // A model that rambles is not helped by a higher limit: no offer to raise it.
            (None, Some(Stop::CutOff { cut, rambling, of, example })) if 2 * rambling > cut => {
                Status::Stopped(format!(
                    "{}. A changed prompt or pattern is another experiment: start a new one",
                    spec.cut_off_message(cut, rambling, of, example.as_deref())
                ))
            }
            (None, Some(Stop::CutOff { cut, rambling, of, example })) => {
                Status::CutOff(spec.cut_off_message(cut, rambling, of, example.as_deref()))
            }
            (None, Some(Stop::Empty { empty, of })) => {
                Status::Stopped(spec.empty_message(empty, of))
            }
            (None, Some(Stop::Failed(error))) => {
                Status::Stopped(match advice(&spec.provider, &error, Some(&browser::origin())) {
                    Some(hint) => format!("{error}. {hint}"),
                    None => error.to_string(),
                })
            }
        };
        {
            let mut record = self.record.borrow_mut();
            record.status = status.clone();
            record.retried = self.retried.borrow().clone();
        }
        match self.save_record().await {
            Ok(()) => status,
            Err(e) => Status::Stopped(e),
        }
    }

    async fn run_with(
        self: &Rc<Self>,
        scheduler: &mut Scheduler,
        spec: &Spec,
        key: Option<&ApiKey>,
        transport: &impl Transport,
    ) -> Option<Stop> {
        let experiment =
            Experiment { config: &spec.provider, key, task: &spec.task, policy: spec.retry };
        let me = self.clone();
        let mut on_attempt = move |_: usize, a: &Attempt, r: &[Retry]| me.take(a, r);
        let mut on_notice = |n: &Notice| self.notices.borrow_mut().push(n.to_string());
        let events = Events { attempt: &mut on_attempt, notice: &mut on_notice };
        let ending = || self.ending.get().is_some();
        run(scheduler, &experiment, transport, &BrowserClock, events, &ending).await
    }
}

/// Lets the event loop turn once.
async fn clock_tick() {
    gloo_timers::future::TimeoutFuture::new(5).await;
}

/// A fresh id for an experiment.
pub fn new_id() -> String {
    format!("exp-{:.0}-{:06}", browser::epoch_ms(), (js_sys::Math::random() * 1e6) as u32)
}

/// Signals the page reads while a session runs.
#[derive(Clone, Copy)]
pub struct Live {
    /// The figures, refreshed twice a second.
    pub snapshot: RwSignal<Snapshot>,
    /// Where the run stands.
    pub status: RwSignal<Option<Status>>,
    /// Whether a pause or cancel was asked and the calls under way are finishing.
    pub ending: RwSignal<Option<Ending>>,
    /// Bumped every two seconds while attempts come in, for the live analysis.
    pub tick: RwSignal<u64>,
}

impl Live {
    /// Signals for a page.
    pub fn new() -> Live {
        Live {
            snapshot: RwSignal::new(Snapshot::default()),
            status: RwSignal::new(None),
            ending: RwSignal::new(None),
            tick: RwSignal::new(0),
        }
    }
}

/// Starts `session` with `key`, refreshing `live` as it goes; `done` gets the final status.
pub fn start(
    session: Rc<Session>,
    key: Option<ApiKey>,
    live: Live,
    done: impl Fn(Status) + 'static,
) {
    live.status.set(Some(Status::Running));
    live.ending.set(None);
    live.snapshot.set(session.snapshot());
    let ticker = {
        let session = session.clone();
        let mut n = 0u64;
        gloo_timers::callback::Interval::new(500, move || {
            n += 1;
            live.snapshot.set(session.snapshot());
            if n.is_multiple_of(4) {
                live.tick.update(|t| *t += 1);
            }
        })
    };
    spawn_local(async move {
        let status = session.clone().drive(key).await;
        drop(ticker);
        live.snapshot.set(session.snapshot());
        live.tick.update(|t| *t += 1);
        live.ending.set(None);
        live.status.set(Some(status.clone()));
        done(status);
    });
}
