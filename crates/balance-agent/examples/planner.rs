//! Benchmark of the planned protocol against the paper's uniform restarts, with the agent's own
//! scheduler: (1) on two landscapes of a few states (the lessons' agent: graded energies, and a
//! deep well), the attempts needed until every state the data place has a standard error of at
//! most 0.1; (2) on the simulated word
//! agent, the standard errors reached at fixed budgets (there the target is out of reach of any
//! protocol for its rarely entered words). For each, the bound any allocation of the sources
//! could reach, from the agents' exact answer probabilities. Run by `bench/planner.sh`; figures
//! in docs/benchmarks.md.
//!
//! `cargo run --release -p balance-agent --example planner -- [seeds]`

use balance_agent::runner::attempt_of;
use balance_agent::schedule::{PLANNED_TARGET_SE, Plan, Price, Protocol, Scheduler};
use balance_agent::task::Task;
use balance_core::experiment::{ExperimentFile, FORMAT, VERSION};
use balance_core::model::Counts;
use balance_core::planner::variance_sources;
use balance_core::report::Report;
use balance_core::simulate::{FewStates, WORDS, WordTask};
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

/// Standard errors of the placed states, by state.
fn errors(r: &Report) -> Vec<(String, f64)> {
    r.states
        .iter()
        .filter(|s| s.identifiable)
        .filter_map(|s| Some((s.label.clone(), s.potential_se?)))
        .collect()
}

/// Attempts from each source in the counts [`exact_bound`] builds: large enough for the
/// sandwich's per-attempt terms to be those of the exact answer probabilities.
const EXPECTED_ATTEMPTS: f64 = 1e6;

/// What the best allocation of attempts among `sources` can gain, computed from the agent's
/// exact answer probabilities `probability(source, answer)` over `answers` (what is left is an
/// answer outside the list): the expected counts of [`EXPECTED_ATTEMPTS`] attempts from each
/// source give the per-attempt variance terms of every state `sources` place. Returns
/// [`best_allocation_gain`] of those terms and the attempts uniform restarts among `sources` need
/// for the largest standard error to reach `target` (a variance falls as one over the attempts).
fn exact_bound(
    sources: &[String],
    answers: &[String],
    probability: &dyn Fn(&str, &str) -> f64,
    target: f64,
) -> Option<(f64, f64)> {
    let mut counts = Counts::new();
    for f in sources {
        let mut listed = 0.0;
        for g in answers {
            let p = probability(f, g);
            listed += p;
            if p > 0.0 {
                counts.add_transition(f, g, EXPECTED_ATTEMPTS * p);
            }
        }
        if listed < 1.0 {
            counts.add_rejection(f, EXPECTED_ATTEMPTS * (1.0 - listed));
        }
    }
    let v = variance_sources(&counts, &Settings::default())?;
    let k = v.per_attempt.len() as f64;
    let worst = (0..v.states.len())
        .map(|i| v.per_attempt.iter().map(|row| row[i]).sum::<f64>())
        .fold(0.0, f64::max);
    Some((best_allocation_gain(&v.per_attempt), k * worst / (target * target)))
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    if xs.is_empty() { f64::NAN } else { xs[xs.len() / 2] }
}

/// The few-state table of `landscape`: attempts until every state is placed with SE at most
/// the target, uniform restarts against the planned protocol, over `seeds`, with the bound.
fn few_states(name: &str, landscape: &FewStates, seeds: u64) {
    let cap = 400_000;
    println!("## {name}: attempts until every placed state has SE <= {PLANNED_TARGET_SE}\n");
    println!("| seed | uniform (paper) | planned | uniform / planned |");
    println!("|---|---|---|---|");
    let mut ratios = Vec::new();
    for seed in 1..=seeds {
        let needed = |protocol: Protocol| {
            let mut llm = landscape.responder(seed);
            run(protocol, seed, "A", &Task::blank(), cap, &mut |s| llm.answer(s), &mut |_, r| {
                let se = errors(r);
                se.len() == landscape.energies.len() && se.iter().all(|e| e.1 <= PLANNED_TARGET_SE)
            })
        };
        let (u, p) = (needed(Protocol::Uniform), needed(Protocol::Planned));
        ratios.push(u as f64 / p as f64);
        println!("| {seed} | {u} | {p} | {:.2} |", u as f64 / p as f64);
    }
    println!("\nmedian uniform / planned: {:.2}", median(ratios));
    let labels: Vec<String> = (0..landscape.energies.len()).map(FewStates::label).collect();
    let e = &landscape.energies;
    let probability = |f: &str, g: &str| {
        let (Some(i), Some(j)) =
            (labels.iter().position(|l| l == f), labels.iter().position(|l| l == g))
        else {
            return 0.0;
        };
        let moved =
            |j: usize| (-landscape.beta * (e[j] - e[i])).exp().min(1.0) / (e.len() - 1) as f64;
        if i == j {
            1.0 - (0..e.len()).filter(|&h| h != i).map(moved).sum::<f64>()
        } else {
            moved(j)
        }
    };
    if let Some((gain, uniform)) = exact_bound(&labels, &labels, &probability, PLANNED_TARGET_SE) {
        println!(
            "from the exact answer probabilities: uniform restarts need {uniform:.0} attempts (asymptotically), the best allocation of the sources {gain:.2}x fewer\n"
        );
    }
}

fn main() {
    let seeds: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    few_states(
        "Few-state landscape (8 states, energies 0 to 4)",
        &FewStates { energies: vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0], beta: 1.0 },
        seeds,
    );
    let mut well = vec![3.0; 8];
    well[0] = 0.0;
    few_states(
        "A deep well (8 states: one at energy 0, seven at 3)",
        &FewStates { energies: well, beta: 1.0 },
        seeds,
    );

    println!("## Simulated word agent: standard errors at fixed budgets\n");
    println!(
        "The bound: for the states the uniform run placed, from the exact answer probabilities with those states as the sources: uniform attempts for every SE <= {PLANNED_TARGET_SE} and the best allocation's gain.\n"
    );
    println!(
        "| seed | budget | placed (uniform / planned) | median SE (uniform / planned) | worst SE (uniform / planned) | worst SE of the states both placed | bound: uniform attempts to SE {PLANNED_TARGET_SE}, best gain |"
    );
    println!("|---|---|---|---|---|---|---|");
    let words: Vec<String> = WORDS.iter().map(|w| (*w).to_owned()).collect();
    let agent = WordTask::default().responder(0);
    let word = |f: &str, g: &str| agent.probability(f, g);
    for seed in 1..=seeds.min(5) {
        for budget in [20_000, 100_000] {
            let at = |protocol: Protocol| {
                let mut llm = WordTask::default().responder(seed);
                let mut last = Vec::new();
                run(
                    protocol,
                    seed,
                    "BUZZY",
                    &Task::word_sum_100(),
                    budget,
                    &mut |s| llm.answer(s),
                    &mut |n, r| {
                        if n == budget {
                            last = errors(r);
                        }
                        false
                    },
                );
                last
            };
            let (u, p) = (at(Protocol::Uniform), at(Protocol::Planned));
            let worst = |se: &[(String, f64)], keep: &dyn Fn(&str) -> bool| {
                se.iter().filter(|s| keep(&s.0)).map(|s| s.1).fold(0.0, f64::max)
            };
            let in_p = |l: &str| p.iter().any(|s| s.0 == l);
            let in_u = |l: &str| u.iter().any(|s| s.0 == l);
            let placed: Vec<String> = u.iter().map(|s| s.0.clone()).collect();
            let bound = exact_bound(&placed, &words, &word, PLANNED_TARGET_SE)
                .map_or("-".into(), |(gain, n)| format!("{n:.2e}, {gain:.2}x"));
            let med = |se: &[(String, f64)]| median(se.iter().map(|s| s.1).collect());
            println!(
                "| {seed} | {budget} | {} / {} | {:.3} / {:.3} | {:.2} / {:.2} | {:.2} / {:.2} | {bound} |",
                u.len(),
                p.len(),
                med(&u),
                med(&p),
                worst(&u, &|_| true),
                worst(&p, &|_| true),
                worst(&u, &in_p),
                worst(&p, &in_u),
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
