//! The calibration study: on data simulated with known truth, how often the reported 95%
//! intervals cover the truth (of the potential: sandwich standard errors, posterior and
//! bootstrap intervals; of the entropy production: posterior and bootstrap intervals, of the
//! whole and of each component), and how often the likelihood-ratio test rejects detailed
//! balance, when it holds (its size) and when a component is driven (its power, and whether the
//! verdict names that component). Run by `bench/calibration.sh`; the results are in
//! docs/calibration.md.
//!
//! `cargo run --release -p balance-core --example calibration -- [datasets] [design] [--tests |
//! --by-entries | --entropy | --draws B]`: `design` keeps only the designs whose name contains
//! it; `--tests` draws no posterior or bootstrap replicates and reports the tests' rejection
//! rates only (cheap enough for thousands of datasets); `--by-entries` reports the coverage by
//! how many transitions entered each state, with how many of the misses had the truth above the
//! interval; `--entropy` reports the entropy production's coverage, of the whole and per
//! component, and the verdicts on data with several components; `--draws B` runs the main table
//! with `B` posterior draws and bootstrap replicates (200 otherwise).

mod designs;
mod tally;

use balance_core::datasets::Dataset;
use balance_core::potential::Kernel;
use balance_core::random::Random;
use balance_core::report::Report;
use balance_core::simulate::{Metropolis, WORDS, WordTask};
use balance_core::verdict::Decision;
use balance_core::{Majority, Settings, analyze};
use designs::{
    Chain, hastings, heat_bath, index, random_graph, ring, sample, side_by_side, true_entropy,
    uniform_metropolis, zipf,
};
use tally::{Coverage, ENTRY_CLASSES, Rejections, Tally};

/// The true potential of each state, by label.
type Potential = Box<dyn Fn(&str) -> Option<f64>>;

/// What a design knows of its truth.
struct Truth {
    /// The true potential, where detailed balance holds.
    potential: Option<Potential>,
    /// The kernel the data were drawn from (states named `S<i>`), for the true entropy
    /// production; `None` for a reversible simulator, whose entropy production is 0.
    chain: Option<Chain>,
    /// A state of the one driven component, where there is one.
    driven: Option<usize>,
}

impl Truth {
    fn potential(f: impl Fn(&str) -> Option<f64> + 'static) -> Truth {
        Truth { potential: Some(Box::new(f)), chain: None, driven: None }
    }

    /// The true entropy production of component `k` of `r` (over its pairs seen both ways in
    /// `d`), or of the whole when `k` is `None` (the components weighted as the report weighs
    /// them); `None` where the report has no estimate.
    fn entropy(&self, d: &Dataset, r: &Report, k: Option<usize>) -> Option<f64> {
        let of = |c: &balance_core::report::ComponentReport| -> Option<f64> {
            c.entropy.value?;
            let Some(p) = &self.chain else { return Some(0.0) };
            let states: Vec<usize> =
                c.states.iter().map(|&s| index(&r.states[s].label).expect("S<i>")).collect();
            let mut two_way = Vec::new();
            for (x, &a) in c.states.iter().enumerate() {
                for (y, &b) in c.states.iter().enumerate().skip(x + 1) {
                    if d.counts.count(a, b) > 0.0 && d.counts.count(b, a) > 0.0 {
                        two_way.push((states[x], states[y]));
                    }
                }
            }
            Some(true_entropy(p, &states, &two_way))
        };
        match k {
            Some(k) => of(&r.components[k]),
            None => {
                r.entropy_production.value?;
                let with: Vec<_> =
                    r.components.iter().filter(|c| c.entropy.value.is_some()).collect();
                let total: f64 = with.iter().map(|c| c.attempts).sum();
                with.iter().map(|c| of(c).map(|t| t * c.attempts / total)).sum()
            }
        }
    }
}

/// The simulated word agent asked `attempts` times about every one of its words (a fixed design,
/// where restart sampling asks about the words it has met so far, so that words met late get few
/// attempts and how many depends on the earlier answers). Wrong answers go to INVALID00.
fn every_word(attempts: f64) -> impl Fn(u64) -> (Dataset, Truth) {
    move |seed: u64| {
        let task = WordTask::default();
        let agent = task.responder(0);
        let k = WORDS.len();
        let mut c = balance_core::model::Counts::new();
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
        (
            Dataset::of_counts("every word", "", c),
            Truth::potential(move |l: &str| truth.get(l).copied()),
        )
    }
}

/// Everything one design's datasets add up to.
#[derive(Default)]
struct Results {
    coverage: Coverage,
    tests: Rejections,
    /// Entropy production, of the whole: posterior and bootstrap.
    entropy: [Tally; 2],
    /// Entropy production, of each component.
    component_entropy: [Tally; 2],
    /// Datasets whose verdict rejects detailed balance (rejected or a one-way cycle), and
    /// those among them that name the driven component.
    rejected: usize,
    named: usize,
    /// Whether the design has one driven component among others to name.
    nameable: bool,
    datasets: usize,
    /// Sum of the true entropy production of the whole, for its mean.
    truth: f64,
    truths: usize,
}

impl Results {
    fn add(&mut self, d: &Dataset, r: &Report, truth: &Truth) {
        self.datasets += 1;
        if let Some(t) = &truth.potential {
            self.coverage.add(r, t.as_ref());
        }
        self.tests.add(r);
        if let Some(t) = truth.entropy(d, r, None) {
            self.truth += t;
            self.truths += 1;
            self.entropy[0].add(r.entropy_production.credible, t);
            self.entropy[1].add(r.entropy_production.interval, t);
        }
        for k in 0..r.components.len() {
            if let Some(t) = truth.entropy(d, r, Some(k)) {
                let e = &r.components[k].entropy;
                self.component_entropy[0].add(e.credible, t);
                self.component_entropy[1].add(e.interval, t);
            }
        }
        self.nameable |= truth.driven.is_some();
        if matches!(r.verdict.decision, Decision::Rejected | Decision::Irreversible) {
            self.rejected += 1;
            let named = truth.driven.and_then(|s| {
                let k = r
                    .components
                    .iter()
                    .position(|c| c.states.iter().any(|&x| index(&r.states[x].label) == Some(s)))?;
                let n = r.components.len();
                Some(n == 1 || r.verdict.headline.contains(&format!("component {} of {n} ", k + 1)))
            });
            self.named += usize::from(named == Some(true));
        }
    }
}

/// Runs a design: `make(seed)` gives a dataset and its truth.
fn design(name: &str, datasets: u64, settings: &Settings, make: &dyn Fn(u64) -> (Dataset, Truth)) {
    if std::env::args().nth(2).is_some_and(|only| !only.is_empty() && !name.contains(&only)) {
        return;
    }
    let settings = match mode() {
        Mode::Tests => Settings { posterior: 0, bootstrap: 0, ..settings.clone() },
        Mode::Draws(b) => Settings { posterior: b, bootstrap: b, ..settings.clone() },
        _ => settings.clone(),
    };
    let mut results = Results::default();
    for seed in 0..datasets {
        let (d, truth) = make(seed);
        let r = analyze(&d, &Settings { seed, ..settings.clone() }).expect("an analysis");
        results.add(&d, &r, &truth);
    }
    let Results { coverage, tests, .. } = &results;
    let (chi2, calibrated) = (tests.rate(tests.chi2), tests.rate(tests.calibrated));
    match mode() {
        Mode::ByEntries => {
            let mut low = 0.0;
            for (hi, t) in ENTRY_CLASSES.iter().zip(&coverage.by_entries) {
                let class = if hi.is_finite() {
                    format!("{}-{hi}", low + 1.0)
                } else {
                    format!("over {low}")
                };
                let (a, b, c) = (t[0].show_misses(), t[1].show_misses(), t[2].show_misses());
                println!("| {name} | {class} | {a} | {b} | {c} |");
                low = *hi;
            }
            let t = &coverage.all;
            let (a, b, c) = (t[0].show_misses(), t[1].show_misses(), t[2].show_misses());
            println!("| {name} | all | {a} | {b} | {c} |");
        }
        Mode::Full | Mode::Draws(_) => {
            let t = &coverage.all;
            let (a, b, c) = (t[0].show(), t[1].show(), t[2].show());
            let (e, f) = (results.entropy[0].show(), results.entropy[1].show());
            println!(
                "| {name} | {datasets} | {a} | {b} | {c} | {chi2} | {calibrated} | {e} | {f} |"
            );
        }
        Mode::Entropy => {
            let mean = if results.truths > 0 {
                format!("{:.4}", results.truth / results.truths as f64)
            } else {
                "-".into()
            };
            let (e, f) = (results.entropy[0].show_misses(), results.entropy[1].show_misses());
            let (g, h) = (results.component_entropy[0].show(), results.component_entropy[1].show());
            let rejects =
                format!("{:.1}%", 100.0 * results.rejected as f64 / results.datasets as f64);
            let named = if results.nameable && results.rejected > 0 {
                format!("{} of {}", results.named, results.rejected)
            } else {
                "-".into()
            };
            println!(
                "| {name} | {datasets} | {mean} | {e} | {f} | {g} | {h} | {rejects} | {named} |"
            );
        }
        Mode::Tests if tests.tested == 0 => println!("| {name} | 0 | - | - | - |"),
        Mode::Tests => {
            let band = 1.96 * (0.05 * 0.95 / tests.tested as f64).sqrt();
            let (lo, hi) = (100.0 * (0.05 - band), 100.0 * (0.05 + band));
            println!("| {name} | {} | {chi2} | {calibrated} | {lo:.1}-{hi:.1}% |", tests.tested);
        }
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
    /// The entropy production's coverage and the verdicts on several components (`--entropy`).
    Entropy,
    /// As `Full`, with this many posterior draws and bootstrap replicates (`--draws B`).
    Draws(usize),
}

fn mode() -> Mode {
    let args: Vec<String> = std::env::args().collect();
    match args.get(3).map(String::as_str) {
        Some("--tests") => Mode::Tests,
        Some("--by-entries") => Mode::ByEntries,
        Some("--entropy") => Mode::Entropy,
        Some("--draws") => Mode::Draws(args.get(4).and_then(|b| b.parse().ok()).unwrap_or(200)),
        _ => Mode::Full,
    }
}

/// The reversible designs of the main table.
fn reversible(datasets: u64, full: &Settings) {
    let energies = [0.0, 0.4, 0.9, 1.3, 1.8, 2.5];
    let p = uniform_metropolis(&energies);
    let of_energies = |e: Vec<f64>| Truth::potential(move |l: &str| index(l).map(|i| e[i]));
    let fixed = |attempts: Vec<f64>| {
        let p = p.clone();
        move |seed: u64| {
            let mut rng = Random::new(seed);
            (sample(&p, &attempts, &mut rng), of_energies(energies.to_vec()))
        }
    };
    design("6 states, 2,000 attempts each, softplus", datasets, full, &fixed(vec![2000.0; 6]));
    let exp = Settings { kernel: Kernel::Exp, ..full.clone() };
    design("6 states, 2,000 attempts each, exp kernel", datasets, &exp, &fixed(vec![2000.0; 6]));
    design("6 states, 60 attempts each (sparse)", datasets, full, &fixed(vec![60.0; 6]));
    let unequal = vec![20000.0, 6000.0, 2000.0, 600.0, 200.0, 100.0];
    design("6 states, 20,000 to 100 attempts", datasets, full, &fixed(unequal.clone()));
    design("6 states, 20,000 to 100 attempts, exp kernel", datasets, &exp, &fixed(unequal));
    let metropolis = |attempts: usize| {
        move |seed: u64| {
            let sim = Metropolis::default().run(seed, attempts);
            let truth = sim.truth.clone();
            (sim.dataset, Truth::potential(move |l: &str| truth.get(l).copied()))
        }
    };
    design(
        "Metropolis, 30 states, 20,000 attempts (restarts)",
        datasets,
        full,
        &metropolis(20_000),
    );
    design("Metropolis, 30 states, 2,000 attempts (sparse)", datasets, full, &metropolis(2_000));
    let word = |attempts: usize| {
        move |seed: u64| {
            let sim = WordTask::default().run(seed, attempts);
            let truth = sim.truth.clone();
            (sim.dataset, Truth::potential(move |l: &str| truth.get(l).copied()))
        }
    };
    design("simulated word agent, 500 attempts", datasets, full, &word(500));
    design("simulated word agent, 20,000 attempts", datasets, full, &word(20_000));
    design(
        "simulated word agent, 282 attempts from every word",
        datasets,
        full,
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
        (d, Truth::potential(move |l: &str| Some(if l == "S0" { voted_gap } else { 0.0 })))
    };
    let voted = Settings { majority: Some(Majority { m: 3, n: 2 }), ..full.clone() };
    design("2 states, majority vote 2 of 3", datasets, &voted, &voting);
    // Designs this code did not grow up with: a 60-state sparse graph sampled 200-fold
    // unequally (Zipf, 12,738 to 27 attempts per source; where the lowest estimate used to
    // choose the reference), Metropolis-Hastings with non-symmetric proposals, and reversible
    // components side by side.
    let graph = |n: usize, chords: usize, kind: &'static str, attempts: Vec<f64>| {
        move |seed: u64| {
            let mut rng = Random::new(seed ^ 0x9e37_79b9);
            let energies: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
            let pairs = random_graph(n, chords, &mut rng);
            let p = match kind {
                "hastings" => hastings(&energies, &pairs, 0.6, &mut rng),
                _ => heat_bath(&energies, &pairs, 0.0, 0.6, &mut rng),
            };
            (sample(&p, &attempts, &mut rng), of_energies(energies))
        }
    };
    design(
        "heat bath, 60 states, Zipf 12,738 to 27 attempts",
        datasets,
        full,
        &graph(60, 60, "heat bath", zipf(60, 12_738.0, 27.0)),
    );
    design(
        "Metropolis-Hastings, non-symmetric proposals, 40 states, 400 each",
        datasets,
        full,
        &graph(40, 40, "hastings", vec![400.0; 40]),
    );
    let components = move |seed: u64| {
        let mut rng = Random::new(seed ^ 0x5bd1_e995);
        let mut energies = Vec::new();
        let chains: Vec<Chain> = (0..4)
            .map(|_| {
                let e: Vec<f64> = (0..5).map(|_| rng.normal()).collect();
                let pairs = random_graph(5, 3, &mut rng);
                energies.extend(e.iter().copied());
                heat_bath(&e, &pairs, 0.0, 0.6, &mut rng)
            })
            .collect();
        let p = side_by_side(&chains);
        let attempts = zipf(20, 3000.0, 100.0);
        (sample(&p, &attempts, &mut rng), of_energies(energies))
    };
    design("4 reversible components of 5 states, Zipf 3,000 to 100", datasets, full, &components);
}

/// A driven design: `chain(seed)` with `attempts`; where it has components that are not driven,
/// `driven` is a state of the one that is (the verdict should name it).
fn driven_design(
    name: &str,
    datasets: u64,
    settings: &Settings,
    attempts: Vec<f64>,
    driven: Option<usize>,
    chain: impl Fn(&mut Random) -> Chain,
) {
    let make = move |seed: u64| {
        let mut rng = Random::new(seed ^ 0x2545_f491);
        let p = chain(&mut rng);
        let d = sample(&p, &attempts, &mut rng);
        (d, Truth { potential: None, chain: Some(p), driven })
    };
    design(name, datasets, settings, &make);
}

/// The designs of the entropy table: reversible (truth 0) and driven, of several strengths and
/// sizes, alone and beside other components.
fn entropy(datasets: u64, full: &Settings) {
    for drive in [0.0, 0.1, 0.3, 1.0, 3.0] {
        driven_design(
            &format!("ring of 3, drive {drive}, 500 each"),
            datasets,
            full,
            vec![500.0; 3],
            None,
            |_| ring(3, 0.3, drive),
        );
    }
    for drive in [0.1, 0.5] {
        driven_design(
            &format!("ring of 8, drive {drive}, 300 each"),
            datasets,
            full,
            vec![300.0; 8],
            None,
            |_| ring(8, 0.4, drive),
        );
    }
    for drive in [0.0, 0.3, 1.0] {
        let graph = move |rng: &mut Random| {
            let energies: Vec<f64> = (0..20).map(|_| rng.normal()).collect();
            let pairs = random_graph(20, 20, rng);
            heat_bath(&energies, &pairs, drive, 0.8, rng)
        };
        driven_design(
            &format!("heat bath, 20 states, drive {drive}, 300 each"),
            datasets,
            full,
            vec![300.0; 20],
            None,
            graph,
        );
        driven_design(
            &format!("heat bath, 20 states, drive {drive}, Zipf 3,000 to 150"),
            datasets,
            full,
            zipf(20, 3000.0, 150.0),
            None,
            graph,
        );
    }
    // A driven ring of 3 beside a reversible component of 6, larger and smaller, and among
    // eleven reversible components: is it tested, and does the verdict name it?
    let beside = |reversible: usize, drive: f64| {
        move |rng: &mut Random| {
            let mut chains = Vec::new();
            for _ in 0..reversible {
                let e: Vec<f64> = (0..6).map(|_| rng.normal()).collect();
                let pairs = random_graph(6, 4, rng);
                chains.push(heat_bath(&e, &pairs, 0.0, 0.6, rng));
            }
            chains.push(ring(3, 0.3, drive));
            side_by_side(&chains)
        }
    };
    for drive in [0.0, 1.0, 2.0] {
        driven_design(
            &format!("reversible 6 (2,000 each) beside a ring of 3 (300 each), drive {drive}"),
            datasets,
            full,
            [vec![2000.0; 6], vec![300.0; 3]].concat(),
            (drive > 0.0).then_some(6),
            beside(1, drive),
        );
    }
    for drive in [0.0, 2.0] {
        driven_design(
            &format!("11 reversible components of 6 and a ring of 3, drive {drive}, 400 each"),
            datasets,
            full,
            vec![400.0; 69],
            (drive > 0.0).then_some(66),
            beside(11, drive),
        );
    }
}

fn main() {
    let datasets: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let full =
        Settings { posterior: 200, bootstrap: 200, null_replicates: 200, ..Settings::default() };
    match mode() {
        Mode::ByEntries => {
            println!(
                "| design | transitions into the state | sandwich ±1.96 SE | posterior 95% | bootstrap 95% |"
            );
            println!("|---|---|---|---|---|");
            reversible(datasets, &full);
        }
        Mode::Tests => {
            println!(
                "| design | datasets tested | LRT χ² rejects at 5% | LRT calibrated rejects at 5% | 95% band of an exact 5% test |"
            );
            println!("|---|---|---|---|---|");
            reversible(datasets, &full);
            entropy(datasets, &full);
        }
        Mode::Entropy => {
            println!(
                "| design | datasets | true entropy production (mean) | posterior 95% covers | bootstrap 95% covers | each component, posterior | each component, bootstrap | verdict rejects | names the driven component |"
            );
            println!("|---|---|---|---|---|---|---|---|---|");
            entropy(datasets, &full);
        }
        Mode::Full | Mode::Draws(_) => {
            println!(
                "| design | datasets | sandwich ±1.96 SE | posterior 95% | bootstrap 95% | LRT χ² rejects at 5% | LRT calibrated rejects at 5% | entropy production, posterior 95% | entropy production, bootstrap 95% |"
            );
            println!("|---|---|---|---|---|---|---|---|---|");
            reversible(datasets, &full);
        }
    }
}
