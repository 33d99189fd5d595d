//! The calibration study of Compare (docs/calibration.md): pairs of datasets simulated from one
//! landscape at two temperatures, so the truth is known: the second dataset's scale is the
//! ratio of the inverse temperatures, and one landscape holds. Reports how often the 95%
//! intervals of that scale cover it and how often the test rejects at 5%.
//!
//! Usage: `cargo run --release -p balance-core --example compare_calibration -- [pairs]`

use balance_core::Dataset;
use balance_core::compare::{CompareSettings, compare};
use balance_core::simulate::{FewStates, WordTask};

/// Tallies of one design.
#[derive(Default)]
struct Tally {
    pairs: usize,
    wald: usize,
    boot: usize,
    boot_seen: usize,
    chi2: usize,
    chi2_seen: usize,
    boot_rejects: usize,
    boot_tests: usize,
}

fn rate(k: usize, n: usize) -> String {
    if n == 0 { "-".into() } else { format!("{:.1}%", 100.0 * k as f64 / n as f64) }
}

fn design(name: &str, pairs: u64, truth: f64, make: &dyn Fn(u64) -> [Dataset; 2]) {
    let settings = CompareSettings { bootstrap: 200, ..CompareSettings::default() };
    let mut t = Tally::default();
    for k in 0..pairs {
        let Ok(c) = compare(&make(k), &CompareSettings { seed: k + 1, ..settings }) else {
            continue;
        };
        let (Some(test), Some(scale)) = (c.test.as_ref(), c.datasets[1].scale.as_ref()) else {
            continue;
        };
        t.pairs += 1;
        if let Some(se) = scale.se
            && (scale.value - truth).abs() <= 1.96 * se
        {
            t.wald += 1;
        }
        if let Some([lo, hi]) = scale.interval {
            t.boot_seen += 1;
            t.boot += usize::from(lo <= truth && truth <= hi);
        }
        if let Some(p) = test.p_value {
            t.chi2_seen += 1;
            t.chi2 += usize::from(p < 0.05);
        }
        if let Some(p) = test.p_value_bootstrap {
            t.boot_tests += 1;
            t.boot_rejects += usize::from(p < 0.05);
        }
    }
    println!(
        "| {name} | {} | {} | {} | {} | {} |",
        t.pairs,
        rate(t.wald, t.pairs),
        rate(t.boot, t.boot_seen),
        rate(t.chi2, t.chi2_seen),
        rate(t.boot_rejects, t.boot_tests)
    );
}

fn few(beta: f64, seed: u64, attempts: usize) -> Dataset {
    let energies = vec![0.0, 0.4, 0.9, 1.3, 1.8, 2.2];
    FewStates { energies, beta }.restarts(seed, attempts).dataset
}

fn word(temperature: f64, seed: u64, attempts: usize) -> Dataset {
    WordTask { temperature, ..WordTask::default() }.run(seed, attempts).dataset
}

fn main() {
    let pairs: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    println!(
        "| design | pairs | β ± 1.96 SE covers | bootstrap 95% covers | χ² rejects at 5% | bootstrap rejects at 5% |"
    );
    println!("|---|---|---|---|---|---|");
    for attempts in [20_000, 3_000, 600] {
        design(&format!("6 states, β 1 and 2, {attempts} attempts each"), pairs, 2.0, &|k| {
            [few(1.0, 10_000 + k, attempts), few(2.0, 20_000 + k, attempts)]
        });
    }
    for attempts in [20_000, 2_000] {
        design(
            &format!("simulated word agent, temperature 1 and 0.5, {attempts} attempts each"),
            pairs,
            2.0,
            &|k| [word(1.0, 30_000 + k, attempts), word(0.5, 40_000 + k, attempts)],
        );
    }
    design("simulated word agent, temperature 1 and 2, 20000 attempts each", pairs, 0.5, &|k| {
        [word(1.0, 50_000 + k, 20_000), word(2.0, 60_000 + k, 20_000)]
    });
}
