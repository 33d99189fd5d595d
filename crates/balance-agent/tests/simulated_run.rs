//! A whole experiment without a key or a network: the simulated word-task LLM answers through
//! the same runner, scheduler and task as a real provider, and the analysis of what it recorded
//! recovers the simulator's hidden potential.

mod common;

use std::collections::BTreeMap;

use balance_agent::retry::RetryPolicy;
use balance_agent::runner::{Events, Experiment, run};
use balance_agent::schedule::{Plan, Price, Protocol, Scheduler};
use balance_agent::simulated::{SimulatedTransport, Simulator};
use balance_agent::task::{Outcome as Judged, Preset, Task};
use balance_agent::{ProviderConfig, ProviderKind};
use balance_core::compare::{CompareSettings, compare};
use balance_core::experiment::{Attempt, ExperimentFile, Outcome};
use balance_core::simulate::{WORDS, WordTask};
use balance_core::{Settings, analyze};
use common::{FakeClock, block_on};

/// The attempts of a run of the simulated word LLM at `temperature`, by the runner.
fn run_simulated(temperature: f64, attempts: usize, seed: u64) -> Vec<(usize, Attempt)> {
    run_task(&Task::word_sum_100(), "BUZZY", temperature, attempts, seed)
}

/// The attempts of a run of the simulated LLM that answers `task`, from `start`.
fn run_task(
    task: &Task,
    start: &str,
    temperature: f64,
    attempts: usize,
    seed: u64,
) -> Vec<(usize, Attempt)> {
    let plan = Plan {
        seeds: vec![start.into()],
        protocol: Protocol::Uniform,
        attempts,
        concurrency: 8,
        seed,
        price: Price::default(),
        budget: None,
    };
    let mut scheduler = Scheduler::new(plan).unwrap();
    let config = ProviderConfig {
        kind: ProviderKind::OpenAiCompatible,
        base_url: "simulated".into(),
        model: "word-task".into(),
        temperature,
        max_tokens: 8,
        reasoning: Default::default(),
        answers_per_call: 1,
        logprobs: false,
        system_prompt: None,
        latency_ms: 0.0,
        timeout_s: 60.0,
        pin_route: true,
    };
    let experiment =
        Experiment { config: &config, key: None, task, policy: RetryPolicy::default() };
    let clock = FakeClock::default();
    let simulator = Simulator::for_task(task).unwrap();
    let transport = SimulatedTransport::new(simulator, seed + 6, FakeClock::default(), 0.0);
    let mut recorded = Vec::new();
    let stop = block_on(run(
        &mut scheduler,
        &experiment,
        &transport,
        &clock,
        Events {
            attempt: &mut |index, attempt, retried| {
                assert!(retried.is_empty());
                recorded.push((index, attempt.clone()));
            },
            notice: &mut |n| panic!("the simulated agent gives every answer asked: {n}"),
        },
        &|| false,
    ));
    assert_eq!(stop, None);
    recorded
}

/// The experiment file of recorded attempts.
fn file(recorded: Vec<(usize, Attempt)>) -> ExperimentFile {
    ExperimentFile {
        format: "balance-lab-experiment".into(),
        version: 1,
        name: "simulated".into(),
        settings: Default::default(),
        total_attempts: None,
        attempts: recorded.into_iter().map(|r| r.1).collect(),
    }
}

#[test]
fn a_simulated_experiment_recovers_the_hidden_potential() {
    let attempts = 20_000;
    let recorded = run_simulated(1.0, attempts, 5);
    assert_eq!(recorded.len(), attempts);
    let mut indices: Vec<usize> = recorded.iter().map(|r| r.0).collect();
    indices.sort_unstable();
    indices.dedup();
    assert_eq!(indices.len(), attempts, "each attempt once");
    // Every kind of answer occurs: moves, refused moves (the word repeated), wrong sums.
    let kind = |o: Outcome| recorded.iter().filter(|r| r.1.outcome == o).count();
    let (moves, rejected, invalid) =
        (kind(Outcome::Transition), kind(Outcome::Rejected), kind(Outcome::Invalid));
    assert!(moves > 1000 && rejected > 1000 && invalid > 100, "{moves} {rejected} {invalid}");
    assert!(recorded.iter().all(|r| r.1.raw.is_some() && r.1.usage.is_some()));

    // The analysis of the experiment file finds the simulator's potential (ATTITUDE at 0).
    let ours = median_error(&file(recorded).dataset());
    // The core's own simulation of the same LLM (restart sampling, same number of attempts)
    // is the yardstick: the runner's data must be as good.
    let reference = median_error(&WordTask::default().run(5, attempts).dataset);
    assert!(ours < 0.2, "median |recovered - true| {ours}");
    assert!(
        (ours - reference).abs() < 0.1,
        "runner {ours} against the core's simulation {reference}"
    );
}

#[test]
fn a_colder_run_of_the_simulated_llm_shows_the_same_landscape_deeper() {
    // The request's temperature reaches the simulated LLM: at 0.5 its potential is twice as deep.
    let warm = file(run_simulated(1.0, 8_000, 21)).dataset();
    let cold = file(run_simulated(0.5, 8_000, 22)).dataset();
    let c =
        compare(&[warm, cold], &CompareSettings { bootstrap: 0, ..Default::default() }).unwrap();
    let scale = c.datasets[1].scale.clone().unwrap();
    let se = scale.se.unwrap();
    assert!((scale.value - 2.0).abs() < 3.0 * se && se < 0.5, "beta {} ± {se}", scale.value);
}

/// The median absolute difference between the recovered and the true potential (ATTITUDE at
/// 0 in both) over the states sampled at least 300 times.
fn median_error(dataset: &balance_core::datasets::Dataset) -> f64 {
    let report = analyze(dataset, &Settings::default()).unwrap();
    let truth: BTreeMap<&str, f64> =
        WORDS.iter().copied().zip(WordTask::default().potential()).collect();
    let mut errors: Vec<f64> = report
        .states
        .iter()
        .filter(|s| s.attempts >= 300.0)
        .filter_map(|s| Some((s.potential? - truth.get(s.label.as_str())?).abs()))
        .collect();
    assert!(errors.len() >= 10, "{errors:?}");
    errors.sort_by(f64::total_cmp);
    errors[errors.len() / 2]
}

#[test]
fn the_number_tasks_run_offline_and_their_hidden_potential_is_recovered() {
    for id in ["digit-sum-15", "four-digit-div-7"] {
        let preset = Preset::find(id).unwrap();
        let task = preset.task();
        let recorded = run_task(&task, preset.seed, 1.0, 20_000, 3);
        assert_eq!(recorded.len(), 20_000);
        // What became a state is a number the task accepts; what did not is said why.
        for (_, a) in &recorded {
            let raw = a.raw.as_deref().unwrap();
            match (&a.outcome, task.judge(&a.source, raw)) {
                (Outcome::Transition, Judged::State(s)) => assert_eq!(Some(&s), a.state.as_ref()),
                (Outcome::Invalid, Judged::Sink { reason, .. }) => assert!(!reason.is_empty()),
                (Outcome::Rejected, Judged::Rejected { reason }) => {
                    assert_eq!(reason, "repeats the prompt's state", "{raw}")
                }
                (o, j) => panic!("{id}: {raw:?} recorded as {o:?}, judged {j:?}"),
            }
        }
        let invalid = recorded.iter().filter(|r| r.1.outcome == Outcome::Invalid).count();
        assert!(invalid > 50, "{id}: the agent sometimes answers a number that fails: {invalid}");
        let truth = Simulator::for_task(&task).unwrap().truth(1.0);
        let report = analyze(&file(recorded).dataset(), &Settings::default()).unwrap();
        // Potentials are known up to a constant: compare them after the median offset.
        let mut differences: Vec<f64> = report
            .states
            .iter()
            .filter(|s| s.attempts >= 300.0)
            .filter_map(|s| Some(s.potential? - truth.get(s.label.as_str())?))
            .collect();
        assert!(differences.len() >= 5, "{id}: {differences:?}");
        differences.sort_by(f64::total_cmp);
        let offset = differences[differences.len() / 2];
        let mut errors: Vec<f64> = differences.iter().map(|d| (d - offset).abs()).collect();
        errors.sort_by(f64::total_cmp);
        let median = errors[errors.len() / 2];
        println!("{id}: {} states of 300+ attempts, median |error| {median:.3}", errors.len());
        assert!(median < 0.25, "{id}: median |recovered - true| {median} over {errors:?}");
    }
}
