//! The calibration study: on data simulated with known truth, how often the reported 95%
//! intervals (sandwich standard errors, posterior credible intervals, bootstrap intervals) cover
//! the true potential, and how often the likelihood-ratio test rejects detailed balance when it
//! holds. Run by `bench/calibration.sh`; the results are in docs/calibration.md.
//!
//! `cargo run --release -p balance-core --example calibration -- [datasets] [design] [--tests |
//! --by-entries]`: `design` keeps only the designs whose name contains it; `--tests` draws no
//! posterior or bootstrap replicates and reports the tests' rejection rates only (cheap enough
//! for thousands of datasets); `--by-entries` reports the coverage by how many transitions
//! entered each state, with how many of the misses had the truth above the interval.

use balance_core::datasets::Dataset;
use balance_core::model::Counts;
use balance_core::potential::Kernel;
use balance_core::random::Random;
use balance_core::report::Report;
use balance_core::simulate::{Metropolis, WORDS, WordTask};
use balance_core::{Majority, Settings, analyze};

/// The true potential of each state, by label.
type Truth = Box<dyn Fn(&str) -> Option<f64>>;

/// A Metropolis chain on `energies` with uniform proposals (reversible with `V = E`).
fn chain(energies: &[f64]) -> Vec<Vec<f64>> {
    let k = energies.len();
    (0..k)
        .map(|i| {
            let mut row: Vec<f64> = (0..k)
                .map(|j| {
                    if i == j {
                        0.0
                    } else {
                        (-(energies[j] - energies[i])).exp().min(1.0) / (k - 1) as f64
                    }
                })
                .collect();
            row[i] = 1.0 - row.iter().sum::<f64>();
            row
        })
        .collect()
}

/// Rows of `p` sampled with `attempts[i]` attempts from source `i`, states named S0, S1, ...
fn sample(p: &[Vec<f64>], attempts: &[f64], rng: &mut Random) -> Dataset {
    let mut c = Counts::new();
    for i in 0..p.len() {
        c.add_state(&format!("S{i}"));
    }
    for (i, row) in p.iter().enumerate() {
        for (j, x) in rng.multinomial(attempts[i], row).into_iter().enumerate() {
            if x > 0.0 {
                c.add_transition_ids(i, j, x);
            }
        }
    }
    Dataset::of_counts("calibration", "", c)
}

/// The simulated word agent asked `attempts` times about every one of its words (a fixed design,
/// where restart sampling asks about the words it has met so far, so that words met late get few
/// attempts and how many depends on the earlier answers). Wrong answers go to INVALID00.
fn every_word(attempts: f64) -> impl Fn(u64) -> (Dataset, Truth) {
    move |seed: u64| {
        let task = WordTask::default();
        let agent = task.responder(0);
        let k = WORDS.len();
        let mut c = Counts::new();
        for w in WORDS.iter() {
            c.add_state(w);
        }
        let invalid = c.add_state("INVALID00");
        let mut rng = Random::new(seed);
        for (f, word) in WORDS.iter().enumerate() {
            let mut row: Vec<f64> = WORDS.iter().map(|g| agent.probability(word, g)).collect();
            row.push((1.0 - row.iter().sum::<f64>()).max(0.0));
            for (g, x) in rng.multinomial(attempts, &row).into_iter().enumerate() {
                match g {
                    _ if x == 0.0 => {}
                    _ if g == f => c.add_rejection_id(f, x),
                    _ if g == k => c.add_transition_ids(f, invalid, x),
                    _ => c.add_transition_ids(f, g, x),
                }
            }
        }
        let truth = task.truth();
        let f: Truth = Box::new(move |l: &str| truth.get(l).copied());
        (Dataset::of_counts("every word", "", c), f)
    }
}

/// Coverage counts of one interval method: (covered, intervals, missed with the truth above).
#[derive(Default, Clone, Copy)]
struct Tally(usize, usize, usize);

impl Tally {
    fn add(&mut self, interval: Option<[f64; 2]>, truth: f64) {
        if let Some([lo, hi]) = interval {
            self.1 += 1;
            self.0 += usize::from(lo <= truth && truth <= hi);
            self.2 += usize::from(truth > hi);
        }
    }

    fn show(self) -> String {
        if self.1 == 0 {
            return "-".into();
        }
        let p = self.0 as f64 / self.1 as f64;
        format!("{:.1}% ({})", 100.0 * p, self.1)
    }

    /// As [`Tally::show`], with how many of the misses had the truth above the interval.
    fn show_misses(self) -> String {
        if self.1 == 0 {
            return "-".into();
        }
        format!("{}, {} of {} missed high", self.show(), self.2, self.1 - self.0)
    }
}

/// Upper ends of the classes of states by how often the data saw them entered.
const ENTRY_CLASSES: [f64; 5] = [2.0, 5.0, 30.0, 100.0, f64::INFINITY];

/// Coverage of the three interval methods (sandwich, posterior, bootstrap), over all placed
/// states and by how many transitions entered each state (its class in [`ENTRY_CLASSES`]).
#[derive(Default)]
struct Coverage {
    all: [Tally; 3],
    by_entries: [[Tally; 3]; ENTRY_CLASSES.len()],
}

impl Coverage {
    /// Adds each placed state's coverage (relative to the fitted reference state of `r`).
    fn add(&mut self, r: &Report, truth: &dyn Fn(&str) -> Option<f64>) {
        let Some(reference) =
            r.states.iter().find(|s| s.potential == Some(0.0) && s.component == Some(0))
        else {
            return;
        };
        let Some(t0) = truth(&reference.label) else { return };
        for s in r.states.iter().filter(|s| s.component == Some(0) && s.label != reference.label) {
            let Some(ts) = truth(&s.label) else { continue };
            let x = ts - t0;
            let class = ENTRY_CLASSES.iter().position(|&hi| s.entries <= hi).unwrap_or(0);
            for t in [&mut self.all, &mut self.by_entries[class]] {
                t[0].add(s.potential_se_interval, x);
                t[1].add(s.potential_credible, x);
                t[2].add(s.potential_interval, x);
            }
        }
    }
}

/// How often the likelihood-ratio test rejects at 5%, by the chi-square law and calibrated, over
/// the datasets with something to test (df > 0).
#[derive(Default)]
struct Rejections {
    chi2: usize,
    calibrated: usize,
    tested: usize,
}

impl Rejections {
    fn add(&mut self, r: &Report) {
        if r.lrt.df > 0 {
            self.tested += 1;
            self.chi2 += usize::from(r.lrt.p_value.is_some_and(|p| p < 0.05));
            self.calibrated += usize::from(r.lrt.p_value_null.is_some_and(|p| p < 0.05));
        }
    }

    fn rate(&self, k: usize) -> String {
        if self.tested == 0 {
            "-".into()
        } else {
            format!("{:.1}%", 100.0 * k as f64 / self.tested as f64)
        }
    }
}

/// Runs a design: `make(seed)` gives a dataset and its truth by label. With `--tests`, draws no
/// posterior or bootstrap replicates and reports the tests' rates only, with the 95% band of a
/// test of exact size 5% over as many datasets.
fn design(name: &str, datasets: u64, settings: &Settings, make: &dyn Fn(u64) -> (Dataset, Truth)) {
    if std::env::args().nth(2).is_some_and(|only| !name.contains(&only)) {
        return;
    }
    let settings = if mode() == Mode::Tests {
        Settings { posterior: 0, bootstrap: 0, ..settings.clone() }
    } else {
        settings.clone()
    };
    let mut coverage = Coverage::default();
    let mut tests = Rejections::default();
    for seed in 0..datasets {
        let (d, truth) = make(seed);
        let r = analyze(&d, &Settings { seed, ..settings.clone() }).expect("an analysis");
        coverage.add(&r, &*truth);
        tests.add(&r);
    }
    let (chi2, calibrated) = (tests.rate(tests.chi2), tests.rate(tests.calibrated));
    if mode() == Mode::ByEntries {
        let mut low = 0.0;
        for (hi, t) in ENTRY_CLASSES.iter().zip(&coverage.by_entries) {
            let class =
                if hi.is_finite() { format!("{}-{hi}", low + 1.0) } else { format!("over {low}") };
            let (a, b, c) = (t[0].show_misses(), t[1].show_misses(), t[2].show_misses());
            println!("| {name} | {class} | {a} | {b} | {c} |");
            low = *hi;
        }
        let t = &coverage.all;
        let (a, b, c) = (t[0].show_misses(), t[1].show_misses(), t[2].show_misses());
        println!("| {name} | all | {a} | {b} | {c} |");
    } else if mode() == Mode::Full {
        let t = &coverage.all;
        let (a, b, c) = (t[0].show(), t[1].show(), t[2].show());
        println!("| {name} | {datasets} | {a} | {b} | {c} | {chi2} | {calibrated} |");
    } else if tests.tested == 0 {
        println!("| {name} | 0 | - | - | - |");
    } else {
        let band = 1.96 * (0.05 * 0.95 / tests.tested as f64).sqrt();
        let (lo, hi) = (100.0 * (0.05 - band), 100.0 * (0.05 + band));
        println!("| {name} | {} | {chi2} | {calibrated} | {lo:.1}-{hi:.1}% |", tests.tested);
    }
}

/// What the run reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Coverage of every method over all placed states, and the tests' rates.
    Full,
    /// The tests' rejection rates only (`--tests`).
    Tests,
    /// Coverage by how many transitions entered each state (`--by-entries`).
    ByEntries,
}

fn mode() -> Mode {
    match std::env::args().nth(3).as_deref() {
        Some("--tests") => Mode::Tests,
        Some("--by-entries") => Mode::ByEntries,
        _ => Mode::Full,
    }
}

fn main() {
    let datasets: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let full =
        Settings { posterior: 200, bootstrap: 200, null_replicates: 200, ..Settings::default() };
    if mode() == Mode::ByEntries {
        println!(
            "| design | transitions into the state | sandwich ±1.96 SE | posterior 95% | bootstrap 95% |"
        );
        println!("|---|---|---|---|---|");
    } else if mode() == Mode::Tests {
        println!(
            "| design | datasets tested | LRT χ² rejects at 5% | LRT calibrated rejects at 5% | 95% band of an exact 5% test |"
        );
        println!("|---|---|---|---|---|");
    } else {
        println!(
            "| design | datasets | sandwich ±1.96 SE | posterior 95% | bootstrap 95% | LRT χ² rejects at 5% | LRT calibrated rejects at 5% |"
        );
        println!("|---|---|---|---|---|---|---|");
    }
    let energies = [0.0, 0.4, 0.9, 1.3, 1.8, 2.5];
    let p = chain(&energies);
    let truth_of = |e: Vec<f64>| -> Truth {
        Box::new(move |l: &str| {
            l.strip_prefix('S').and_then(|i| i.parse::<usize>().ok()).map(|i| e[i])
        })
    };
    let equal = |n: f64| {
        let p = p.clone();
        move |seed: u64| {
            let mut rng = Random::new(seed);
            (sample(&p, &[n; 6], &mut rng), truth_of(energies.to_vec()))
        }
    };
    design("6 states, 2,000 attempts each, softplus", datasets, &full, &equal(2000.0));
    design(
        "6 states, 2,000 attempts each, exp kernel",
        datasets,
        &Settings { kernel: Kernel::Exp, ..full.clone() },
        &equal(2000.0),
    );
    design("6 states, 60 attempts each (sparse)", datasets, &full, &equal(60.0));
    let unequal = {
        let p = p.clone();
        move |seed: u64| {
            let mut rng = Random::new(seed);
            (
                sample(&p, &[20000.0, 6000.0, 2000.0, 600.0, 200.0, 100.0], &mut rng),
                truth_of(energies.to_vec()),
            )
        }
    };
    design("6 states, 20,000 to 100 attempts", datasets, &full, &unequal);
    design(
        "6 states, 20,000 to 100 attempts, exp kernel",
        datasets,
        &Settings { kernel: Kernel::Exp, ..full.clone() },
        &unequal,
    );
    let metropolis = |attempts: usize| {
        move |seed: u64| {
            let sim = Metropolis::default().run(seed, attempts);
            let truth = sim.truth.clone();
            let f: Truth = Box::new(move |l: &str| truth.get(l).copied());
            (sim.dataset, f)
        }
    };
    design(
        "Metropolis, 30 states, 20,000 attempts (restarts)",
        datasets,
        &full,
        &metropolis(20_000),
    );
    design("Metropolis, 30 states, 2,000 attempts (sparse)", datasets, &full, &metropolis(2_000));
    let word = |attempts: usize| {
        move |seed: u64| {
            let sim = WordTask::default().run(seed, attempts);
            let truth = sim.truth.clone();
            let f: Truth = Box::new(move |l: &str| truth.get(l).copied());
            (sim.dataset, f)
        }
    };
    design("simulated word agent, 500 attempts", datasets, &full, &word(500));
    design("simulated word agent, 20,000 attempts", datasets, &full, &word(20_000));
    design(
        "simulated word agent, 282 attempts from every word",
        datasets,
        &full,
        &every_word(282.0),
    );
    // Majority voting (2 of 3) on a two-state chain: the truth is the voted kernel's ratio.
    let (tab, tba) = (0.2f64, 0.05f64);
    let vote = |t: f64| 3.0 * t * t * (1.0 - t) + t * t * t;
    let voted_gap = (vote(tab) / vote(tba)).ln();
    let voting = move |seed: u64| {
        let mut rng = Random::new(seed);
        let p = vec![vec![1.0 - tab, tab], vec![tba, 1.0 - tba]];
        let d = sample(&p, &[3000.0, 3000.0], &mut rng);
        let f: Truth = Box::new(move |l: &str| Some(if l == "S0" { voted_gap } else { 0.0 }));
        (d, f)
    };
    design(
        "2 states, majority vote 2 of 3",
        datasets,
        &Settings { majority: Some(Majority { m: 3, n: 2 }), ..full.clone() },
        &voting,
    );
}
