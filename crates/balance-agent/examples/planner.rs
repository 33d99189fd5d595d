//! Benchmark of the planned protocol against the paper's uniform restarts, with the agent's own
//! scheduler: (1) on a landscape of a few states (the lessons' agent), the attempts needed until
//! every state the data place has a standard error of at most 0.1; (2) on the simulated word
//! agent, the standard errors reached at fixed budgets (there the target is out of reach of any
//! protocol for its rarely entered words). Run by `bench/planner.sh`; figures in
//! docs/benchmarks.md.
//!
//! `cargo run --release -p balance-agent --example planner -- [seeds]`

use balance_agent::runner::attempt_of;
use balance_agent::schedule::{PLANNED_TARGET_SE, Plan, Price, Protocol, Scheduler};
use balance_agent::task::Task;
use balance_core::experiment::{ExperimentFile, FORMAT, VERSION};
use balance_core::report::Report;
use balance_core::simulate::{FewStates, WordTask};
use balance_core::{Settings, analyze};

/// Attempts between checks of the standard errors.
const CHECK_EVERY: usize = 250;

/// Runs `protocol` from `seed` state `start`, answering with `answer`, for at most `cap`
/// attempts; `check` sees the analysis every [`CHECK_EVERY`] attempts and stops the run by
/// returning `true`. Returns the attempts made.
fn run(
    protocol: Protocol,
    seed: u64,
    start: &str,
    task: &Task,
    cap: usize,
    answer: &mut dyn FnMut(&str) -> String,
    check: &mut dyn FnMut(usize, &Report) -> bool,
) -> usize {
    let plan = Plan {
        seeds: vec![start.into()],
        protocol,
        attempts: cap,
        concurrency: 1,
        seed,
        price: Price::default(),
        budget: None,
    };
    let mut scheduler = Scheduler::new(plan).expect("a valid plan");
    let mut file = ExperimentFile {
        format: FORMAT.into(),
        version: VERSION,
        name: "bench".into(),
        settings: Default::default(),
        total_attempts: None,
        attempts: Vec::new(),
    };
    while let Some(call) = scheduler.next_call(1) {
        let attempt = attempt_of(task, &call.source, &answer(&call.source));
        scheduler.record(call.indices[0], &attempt);
        file.attempts.push(attempt);
        let n = file.attempts.len();
        if n.is_multiple_of(CHECK_EVERY) {
            let r = analyze(&file.dataset(), &Settings::default()).expect("an analysis");
            if check(n, &r) {
                return n;
            }
        }
    }
    file.attempts.len()
}

/// Standard errors of the placed states.
fn errors(r: &Report) -> Vec<f64> {
    r.states.iter().filter(|s| s.identifiable).filter_map(|s| s.potential_se).collect()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    if xs.is_empty() { f64::NAN } else { xs[xs.len() / 2] }
}

fn main() {
    let seeds: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let landscape = FewStates { energies: vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0], beta: 1.0 };
    let cap = 400_000;
    println!(
        "## Few-state landscape (8 states, energies 0 to 4): attempts until every placed state has SE <= {PLANNED_TARGET_SE}\n"
    );
    println!("| seed | uniform (paper) | planned | uniform / planned |");
    println!("|---|---|---|---|");
    let mut ratios = Vec::new();
    for seed in 1..=seeds {
        let needed = |protocol: Protocol| {
            let mut llm = landscape.responder(seed);
            run(protocol, seed, "A", &Task::blank(), cap, &mut |s| llm.answer(s), &mut |_, r| {
                let se = errors(r);
                se.len() == landscape.energies.len() && se.iter().all(|e| *e <= PLANNED_TARGET_SE)
            })
        };
        let (u, p) = (needed(Protocol::Uniform), needed(Protocol::Planned));
        ratios.push(u as f64 / p as f64);
        println!("| {seed} | {u} | {p} | {:.2} |", u as f64 / p as f64);
    }
    println!("\nmedian uniform / planned: {:.2}", median(ratios));
    let data = landscape.restarts(1, 200_000).dataset;
    if let Some(v) = balance_core::planner::variance_sources(&data.counts, &Settings::default()) {
        println!(
            "the best static allocation of sources needs {:.2}x fewer attempts than uniform (asymptotic bound)\n",
            best_allocation_gain(&v.per_attempt)
        );
    }

    println!("## Simulated word agent: standard errors at fixed budgets\n");
    println!(
        "| seed | budget | placed (uniform / planned) | median SE (uniform / planned) | worst SE (uniform / planned) |"
    );
    println!("|---|---|---|---|---|");
    let word = WordTask::default().run(1, 100_000).dataset;
    if let Some(v) = balance_core::planner::variance_sources(&word.counts, &Settings::default()) {
        println!(
            "the best static allocation needs {:.2}x fewer attempts than uniform to bring the worst SE of its {} placed states to a target (asymptotic bound)\n",
            best_allocation_gain(&v.per_attempt),
            v.states.len()
        );
    }
    for seed in 1..=seeds.min(5) {
        for budget in [20_000, 100_000] {
            let at = |protocol: Protocol| {
                let mut llm = WordTask::default().responder(seed);
                let mut last = (0, f64::NAN, f64::NAN);
                run(
                    protocol,
                    seed,
                    "BUZZY",
                    &Task::word_sum_100(),
                    budget,
                    &mut |s| llm.answer(s),
                    &mut |n, r| {
                        if n == budget {
                            let se = errors(r);
                            last = (
                                se.len(),
                                median(se.clone()),
                                se.iter().copied().fold(0.0, f64::max),
                            );
                        }
                        false
                    },
                );
                last
            };
            let (u, p) = (at(Protocol::Uniform), at(Protocol::Planned));
            println!(
                "| {seed} | {budget} | {} / {} | {:.3} / {:.3} | {:.2} / {:.2} |",
                u.0, p.0, u.1, p.1, u.2, p.2
            );
        }
    }
}

/// The attempts the best static allocation of sources needs, relative to uniform restarts, for
/// every standard error of the largest component to reach a target (asymptotically): with
/// `a[f][i]` the per-attempt variance terms, uniform needs `k max_i sum_f a[f][i]` attempts per
/// unit variance and the best allocation `max_lambda (sum_f sqrt(sum_i lambda_i a[f][i]))^2`
/// (the dual of the minimax allocation), found by exponentiated gradient.
pub fn best_allocation_gain(a: &[Vec<f64>]) -> f64 {
    let (k, m) = (a.len(), a.first().map_or(0, Vec::len));
    let uniform =
        (0..m).map(|i| a.iter().map(|row| row[i]).sum::<f64>()).fold(0.0, f64::max) * k as f64;
    let mut lambda = vec![1.0 / m as f64; m];
    let mut best = 0.0f64;
    for _ in 0..3000 {
        let c: Vec<f64> =
            a.iter().map(|row| row.iter().zip(&lambda).map(|(x, l)| x * l).sum::<f64>()).collect();
        let value: f64 = c.iter().map(|x| x.sqrt()).sum::<f64>().powi(2);
        best = best.max(value);
        let grad: Vec<f64> = (0..m)
            .map(|i| {
                a.iter()
                    .zip(&c)
                    .filter(|(_, c)| **c > 0.0)
                    .map(|(row, c)| row[i] / (2.0 * c.sqrt()))
                    .sum()
            })
            .collect();
        let scale = grad.iter().copied().fold(0.0, f64::max).max(1e-300);
        lambda.iter_mut().zip(&grad).for_each(|(l, g)| *l *= (0.5 * g / scale).exp());
        let sum: f64 = lambda.iter().sum();
        lambda.iter_mut().for_each(|l| *l /= sum);
    }
    uniform / best
}
