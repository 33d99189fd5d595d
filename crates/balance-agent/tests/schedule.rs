//! The run's bookkeeping: exactly-once recording under concurrency and out-of-order answers, resume
//! after a reload, the sampling protocols, the budget cap.

use balance_agent::errors::ProviderError;
use balance_agent::runner::attempt_of;
use balance_agent::schedule::{CUT_OFF, Plan, Price, Protocol, Scheduler, Stop};
use balance_agent::task::Task;
use balance_core::experiment::{Attempt, ExperimentFile, Outcome, Usage};

/// A tiny deterministic generator for the tests' choices.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

const WORDS: [&str; 6] = ["ATTITUDE", "TURKEY", "PERSONAL", "LOVE", "BUZZY", "PROBLEMS"];

/// What a fake model answers to `source`: another word (LOVE is worth 54, so it lands in the
/// sink), judged by the paper's word task.
fn answer(source: &str, rng: &mut Lcg) -> Attempt {
    let raw = WORDS[rng.below(WORDS.len())];
    let mut attempt = attempt_of(&Task::word_sum_100(), source, raw);
    attempt.usage =
        Some(Usage { input_tokens: 100, output_tokens: 5, reasoning_tokens: 0, cost: None });
    attempt
}

/// One attempt to start, as a call asking for one answer gives it.
struct Job {
    index: usize,
    source: String,
}

fn next_job(s: &mut Scheduler) -> Option<Job> {
    s.next_call(1).map(|c| Job { index: c.indices[0], source: c.source })
}

fn plan(attempts: usize, concurrency: usize) -> Plan {
    Plan {
        seeds: vec!["BUZZY".into()],
        protocol: Protocol::Uniform,
        attempts,
        concurrency,
        seed: 9,
        price: Price { input_per_million: 100.0, output_per_million: 0.0 },
        budget: None,
    }
}

/// Runs `s` with answers arriving in random order, each reported twice; stops after `limit`
/// records (a reload), returning the records.
fn drive(s: &mut Scheduler, rng: &mut Lcg, limit: usize) -> Vec<(usize, Attempt)> {
    let mut running = Vec::new();
    let mut records = Vec::new();
    while !s.finished() && records.len() < limit {
        while let Some(job) = next_job(s) {
            running.push(job);
        }
        assert!(!running.is_empty(), "a run that is not finished has work");
        let job = running.swap_remove(rng.below(running.len()));
        let attempt = answer(&job.source, rng);
        assert!(s.record(job.index, &attempt));
        assert!(
            !s.record(job.index, &attempt),
            "a second report of attempt {} is refused",
            job.index
        );
        records.push((job.index, attempt));
    }
    records
}

#[test]
fn every_attempt_is_recorded_once_with_answers_out_of_order() {
    let mut s = Scheduler::new(plan(500, 8)).unwrap();
    let mut rng = Lcg(1);
    let records = drive(&mut s, &mut rng, usize::MAX);
    assert!(s.finished());
    assert_eq!(s.progress(), (500, 500));
    let mut indices: Vec<usize> = records.iter().map(|r| r.0).collect();
    indices.sort_unstable();
    assert_eq!(indices, (0..500).collect::<Vec<_>>());
    // The counts add up to the attempts; the sink state never became a source.
    let file = ExperimentFile {
        format: "balance-lab-experiment".into(),
        version: 2,
        name: "test".into(),
        settings: Default::default(),
        total_attempts: None,
        attempts: records.into_iter().map(|r| r.1).collect(),
    };
    assert_eq!(file.counts().total_attempts(), 500.0);
    assert!(file.attempts.iter().all(|a| a.source != "INVALID00"));
    assert!(s.discovered().iter().all(|d| d != "INVALID00" && d != "LOVE"));
    assert!((s.spent() - 500.0 * 100.0 * 100.0 / 1e6).abs() < 1e-9, "{}", s.spent());
}

#[test]
fn a_resumed_run_loses_nothing_and_counts_nothing_twice() {
    let mut first = Scheduler::new(plan(500, 8)).unwrap();
    let mut rng = Lcg(2);
    // A reload after 200 answers: the attempts still running are lost with the page.
    let saved = drive(&mut first, &mut rng, 200);
    assert_eq!(saved.len(), 200);
    let mut second = Scheduler::resume(plan(500, 8), &saved).unwrap();
    assert_eq!(second.progress(), (200, 500));
    let rest = drive(&mut second, &mut rng, usize::MAX);
    let mut indices: Vec<usize> = saved.iter().chain(&rest).map(|r| r.0).collect();
    indices.sort_unstable();
    assert_eq!(indices, (0..500).collect::<Vec<_>>(), "each attempt exactly once");
    assert!(Scheduler::resume(plan(10, 1), &saved).is_err(), "records beyond the plan are refused");
}

#[test]
fn protocols_choose_their_sources() {
    let mut rng = Lcg(3);
    // Uniform: only discovered states, and more of them as they are found.
    let mut s = Scheduler::new(plan(300, 4)).unwrap();
    let records = drive(&mut s, &mut rng, usize::MAX);
    let sources: std::collections::BTreeSet<&str> =
        records.iter().map(|r| r.1.source.as_str()).collect();
    assert!(sources.len() >= 4, "{sources:?}");
    // Fixed: only the listed sources.
    let fixed = Plan {
        protocol: Protocol::Fixed(vec!["TURKEY".into(), "ATTITUDE".into()]),
        ..plan(100, 4)
    };
    let mut s = Scheduler::new(fixed).unwrap();
    let records = drive(&mut s, &mut rng, usize::MAX);
    assert!(records.iter().all(|r| r.1.source == "TURKEY" || r.1.source == "ATTITUDE"));
    // Walk: one call at a time, each starting where the last valid answer went.
    let walk = Plan { protocol: Protocol::Walk, ..plan(100, 8) };
    let mut s = Scheduler::new(walk).unwrap();
    let first = next_job(&mut s).unwrap();
    assert_eq!(first.source, "BUZZY");
    assert!(next_job(&mut s).is_none(), "a walk makes one call at a time");
    let mut attempt = answer("BUZZY", &mut rng);
    attempt.outcome = Outcome::Transition;
    attempt.state = Some("TURKEY".into());
    s.record(first.index, &attempt);
    assert_eq!(next_job(&mut s).unwrap().source, "TURKEY");
    // Bad plans say why.
    assert!(Scheduler::new(Plan { seeds: vec![" ".into()], ..plan(1, 1) }).is_err());
    assert!(Scheduler::new(plan(0, 1)).is_err());
}

#[test]
fn the_budget_is_never_exceeded_and_failures_and_cancels_stop_the_run() {
    // Each attempt costs 100 * 100 / 1e6 = $0.01; a $0.255 budget allows 25 of them.
    let capped = Plan { budget: Some(0.255), ..plan(500, 8) };
    let mut s = Scheduler::new(capped).unwrap();
    assert!(next_job(&mut s).is_some());
    assert!(next_job(&mut s).is_none(), "one at a time until a cost is known");
    let mut rng = Lcg(4);
    let mut s = Scheduler::new(Plan { budget: Some(0.255), ..plan(500, 8) }).unwrap();
    let records = drive(&mut s, &mut rng, usize::MAX);
    assert_eq!(s.stopped(), Some(&Stop::Budget));
    assert!(s.spent() <= 0.255 + 1e-12, "{}", s.spent());
    assert_eq!(records.len(), 25);

    let mut s = Scheduler::new(plan(50, 4)).unwrap();
    let job = next_job(&mut s).unwrap();
    let other = next_job(&mut s).unwrap();
    s.fail(job.index, &ProviderError::BadKey);
    assert!(next_job(&mut s).is_none());
    assert!(!s.finished(), "the other call is still running");
    assert!(s.record(other.index, &answer(&other.source, &mut rng)));
    assert!(s.finished());
    assert_eq!(s.stopped(), Some(&Stop::Failed(ProviderError::BadKey)));

    let mut s = Scheduler::new(plan(50, 4)).unwrap();
    next_job(&mut s).unwrap();
    s.cancel();
    assert!(next_job(&mut s).is_none());
    assert_eq!(s.stopped(), Some(&Stop::Cancelled));
}

#[test]
fn several_answers_per_call_share_a_source_and_unanswered_ones_come_back() {
    let mut s = Scheduler::new(plan(10, 2)).unwrap();
    let call = s.next_call(4).unwrap();
    assert_eq!(call.indices, vec![0, 1, 2, 3]);
    let second = s.next_call(4).unwrap();
    assert_eq!(second.indices, vec![4, 5, 6, 7]);
    assert!(s.next_call(4).is_none(), "two calls at once, whatever their answers");
    let mut rng = Lcg(5);
    // The server gave two answers of four: the other two are asked again.
    for &i in &call.indices[..2] {
        assert!(s.record(i, &answer(&call.source, &mut rng)));
    }
    s.release(call.indices[2]);
    s.release(call.indices[3]);
    let again = s.next_call(4).unwrap();
    assert_eq!(again.indices, vec![2, 3, 8, 9], "the released ones first");
    assert!(s.next_call(4).is_none());
    for c in [second, again] {
        for i in c.indices {
            assert!(s.record(i, &answer(&c.source, &mut rng)));
        }
    }
    assert!(s.finished());
    assert_eq!(s.progress(), (10, 10));
}

#[test]
fn a_run_whose_answers_are_mostly_cut_off_pauses() {
    let mut s = Scheduler::new(plan(100, 4)).unwrap();
    let mut rng = Lcg(6);
    let cut = |source: &str| Attempt {
        outcome: Outcome::NoAnswer,
        state: None,
        reason: Some(CUT_OFF.to_owned()),
        ..answer(source, &mut Lcg(0))
    };
    // Some cut-off answers among good ones do not stop it.
    for k in 0..20 {
        let job = next_job(&mut s).unwrap();
        let a = if k % 4 == 0 { cut(&job.source) } else { answer(&job.source, &mut rng) };
        assert!(s.record(job.index, &a));
    }
    assert_eq!(s.stopped(), None);
    // Most of the last twenty cut off: it stops, saying how many.
    while s.stopped().is_none() {
        let job = next_job(&mut s).unwrap();
        assert!(s.record(job.index, &cut(&job.source)));
    }
    // The answers cut off were one word each: a higher limit is what helps.
    assert_eq!(s.stopped(), Some(&Stop::CutOff { cut: 11, rambling: 0, of: 20, example: None }));
    assert!(next_job(&mut s).is_none());
}

#[test]
fn a_model_that_rambles_or_answers_nothing_pauses_with_what_would_help() {
    use balance_agent::Spec;
    let spec = Spec::simulated_word_task();
    // Cut off after many words: raising the limit would not help, and the message says what
    // would.
    let mut s = Scheduler::new(plan(100, 4)).unwrap();
    let ramble = "Here's a possible solution to the word BUZZY:\n\nBU";
    while s.stopped().is_none() {
        let job = next_job(&mut s).unwrap();
        let a = Attempt {
            outcome: Outcome::NoAnswer,
            state: None,
            reason: Some(CUT_OFF.to_owned()),
            raw: Some(ramble.to_owned()),
            ..answer(&job.source, &mut Lcg(0))
        };
        assert!(s.record(job.index, &a));
    }
    let Some(Stop::CutOff { cut, rambling, of, example }) = s.stopped().cloned() else {
        panic!("{:?}", s.stopped());
    };
    assert_eq!((cut, rambling, of), (11, 11, 11));
    let message = spec.cut_off_message(cut, rambling, of, example.as_deref());
    assert!(message.contains("the model rambles"), "{message}");
    assert!(
        message.contains("system prompt") && message.contains("extraction pattern"),
        "{message}"
    );
    assert!(
        message.contains("\"Here's a possible solution to the word BUZZY:\\n\\nBU\""),
        "{message}"
    );
    assert!(!message.contains("raise Max tokens"), "{message}");
    // Empty answers, attempt after attempt: it stops and says so.
    let mut s = Scheduler::new(plan(100, 4)).unwrap();
    let task = Task::word_sum_100();
    while s.stopped().is_none() {
        let job = next_job(&mut s).unwrap();
        assert!(s.record(job.index, &attempt_of(&task, &job.source, "")));
    }
    assert_eq!(s.stopped(), Some(&Stop::Empty { empty: 11, of: 11 }));
    let message = spec.empty_message(11, 11);
    assert!(message.starts_with("11 of the last 11 answers were empty"), "{message}");
}

#[test]
fn the_planned_protocol_tries_every_state_then_favours_some_sources() {
    use balance_core::simulate::WordTask;
    let plan = Plan { protocol: Protocol::Planned, ..plan(3000, 4) };
    let mut s = Scheduler::new(plan).unwrap();
    let mut llm = WordTask::default().responder(3);
    let task = Task::word_sum_100();
    let mut running: Vec<balance_agent::schedule::Call> = Vec::new();
    let mut attempts = Vec::new();
    loop {
        while let Some(c) = s.next_call(1) {
            running.push(c);
        }
        if running.is_empty() {
            break;
        }
        let c = running.remove(0);
        let a = attempt_of(&task, &c.source, &llm.answer(&c.source));
        assert!(s.record(c.indices[0], &a));
        attempts.push(a);
    }
    assert!(s.finished());
    assert_eq!(s.progress(), (3000, 3000));
    let file = ExperimentFile {
        format: "balance-lab-experiment".into(),
        version: 2,
        name: "planned".into(),
        settings: Default::default(),
        total_attempts: None,
        attempts,
    };
    let counts = file.counts();
    let tried = |d: &str| counts.states().get(d).map_or(0.0, |i| counts.attempts(i));
    // Every state found was tried several times (the planner places states first) ...
    let late = s.discovered().iter().filter(|d| tried(d) < 5.0).count();
    assert!(late <= 2, "{late} states barely tried");
    // ... and then some sources got far more attempts than others (uniform restarts share
    // them evenly among the discovered states).
    let most = s.discovered().iter().map(|d| tried(d)).fold(0.0, f64::max);
    let typical = 3000.0 / s.discovered().len() as f64;
    assert!(most > 3.0 * typical, "most {most}, typical {typical}");
}

/// The experiment file of `plan` run one call at a time, `answer` giving each prompt's text.
fn one_call_at_a_time(
    plan: Plan,
    task: &Task,
    mut answer: impl FnMut(&str) -> String,
) -> ExperimentFile {
    let mut s = Scheduler::new(plan).unwrap();
    let mut attempts = Vec::new();
    while let Some(c) = s.next_call(1) {
        let a = attempt_of(task, &c.source, &answer(&c.source));
        assert!(s.record(c.indices[0], &a));
        attempts.push(a);
    }
    ExperimentFile {
        format: "balance-lab-experiment".into(),
        version: 2,
        name: "recorded".into(),
        settings: Default::default(),
        total_attempts: None,
        attempts,
    }
}

/// The largest standard error of the potential after `attempts` attempts of `protocol` on a
/// few-state agent, one call at a time, with the sandwich errors alone.
fn worst_error(
    protocol: Protocol,
    landscape: &balance_core::simulate::FewStates,
    seed: u64,
    attempts: usize,
) -> f64 {
    let plan = Plan { seeds: vec!["A".into()], protocol, seed, ..plan(attempts, 1) };
    let mut llm = landscape.responder(seed);
    let file = one_call_at_a_time(plan, &Task::blank(), |source| llm.answer(source));
    let settings = balance_core::Settings {
        posterior: 0,
        bootstrap: 0,
        null_replicates: 0,
        ..Default::default()
    };
    let report = balance_core::analyze(&file.dataset(), &settings).unwrap();
    let placed: Vec<f64> =
        report.states.iter().filter(|s| s.identifiable).filter_map(|s| s.potential_se).collect();
    assert_eq!(placed.len(), landscape.energies.len(), "every state placed");
    placed.into_iter().fold(0.0, f64::max)
}

#[test]
fn the_planned_protocol_needs_under_half_the_attempts_in_a_deep_well() {
    // One state at energy 0, seven at 3: prompts about the well are rarely answered with a move,
    // so its side of every pair is what the errors rest on, and the best allocation of attempts
    // needs 2.74x fewer than uniform restarts (docs/benchmarks.md). With a variance falling as
    // one over the attempts, uniform restarts would need (uniform SE / planned SE)^2 times the
    // planner's attempts to match its largest error.
    let mut energies = vec![3.0; 8];
    energies[0] = 0.0;
    let well = balance_core::simulate::FewStates { energies, beta: 1.0 };
    for seed in 1..=3 {
        let uniform = worst_error(Protocol::Uniform, &well, seed, 6000);
        let planned = worst_error(Protocol::Planned, &well, seed, 6000);
        let ratio = (uniform / planned).powi(2);
        assert!(ratio > 2.0, "seed {seed}: worst SE {uniform:.3} uniform, {planned:.3} planned");
    }
}

#[test]
fn where_next_ranks_states_to_place_first_and_never_the_sink() {
    use balance_agent::schedule::where_next;
    use balance_core::planner::Need;
    use balance_core::simulate::WordTask;
    let mut llm = WordTask::default().responder(4);
    let file = one_call_at_a_time(plan(600, 1), &Task::word_sum_100(), |s| llm.answer(s));
    let next = where_next(&file, 10);
    assert_eq!(next.len(), 10, "{next:?}");
    assert!(next.iter().all(|(state, _)| state != "INVALID00"), "{next:?}");
    // States not placed yet come first, fewest attempts first; then the precision ranking,
    // largest gain first: in order of (kind, attempts or minus the gain).
    let order: Vec<(u8, f64)> = next
        .iter()
        .map(|(_, need)| match need {
            Need::Placing { attempts } => (0, *attempts),
            Need::Precision { gain } => (1, -gain),
        })
        .collect();
    assert_eq!(order[0].0, 0, "some state awaits placing: {next:?}");
    assert!(order.windows(2).all(|w| w[0].0 < w[1].0 || w[0] <= w[1]), "{next:?}");
    // Every state named was prompted or found as an answer.
    let known = |state: &str| {
        file.attempts.iter().any(|a| a.source == state || a.state.as_deref() == Some(state))
    };
    assert!(next.iter().all(|(state, _)| known(state)), "{next:?}");
}
