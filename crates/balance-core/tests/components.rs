//! A verdict true for the whole dataset: every strongly connected component tested, alone and
//! together, the violation named where it is; entropy production over every component, with
//! intervals that cover and "unbounded" where the data give no finite value; the reference state
//! chosen from the data's design and not from the noise of the estimates; and settings too weak
//! to conclude anything refused.

use balance_core::datasets::Dataset;
use balance_core::import::{Format, load};
use balance_core::random::Random;
use balance_core::simulate::Metropolis;
use balance_core::verdict::{Decision, entropy_sentences};
use balance_core::{Preset, Settings, analyze};

/// A counts CSV of a reversible Metropolis chain on four states (A to D, energies 0 to 1.5,
/// 2,000 attempts each) and a ring X → Y → Z → X of 300 attempts each, stepping forward with
/// probability `forward` and back with `back`; `tree` adds the largest component, a path of
/// five states (P1 to P5) whose pairs form no cycle.
fn side_by_side(seed: u64, forward: f64, back: f64, tree: bool) -> Dataset {
    let mut rng = Random::new(seed);
    let mut csv = String::new();
    let energies: [f64; 4] = [0.0, 0.5, 1.0, 1.5];
    let names = ["A", "B", "C", "D"];
    for (i, e) in energies.iter().enumerate() {
        let mut row: Vec<f64> = energies.iter().map(|f| (e - f).exp().min(1.0) / 6.0).collect();
        row[i] = 0.0;
        row.push(1.0 - row.iter().sum::<f64>());
        for (j, x) in rng.multinomial(2000.0, &row).into_iter().enumerate() {
            match names.get(j) {
                Some(g) if x > 0.0 => csv.push_str(&format!("{},{g},{x}\n", names[i])),
                None => csv.push_str(&format!("{},,{x}\n", names[i])),
                _ => {}
            }
        }
    }
    let ring = ["X", "Y", "Z"];
    for i in 0..3 {
        let x = rng.multinomial(300.0, &[forward, back, 1.0 - forward - back]);
        csv.push_str(&format!("{},{},{}\n", ring[i], ring[(i + 1) % 3], x[0]));
        csv.push_str(&format!("{},{},{}\n", ring[i], ring[(i + 2) % 3], x[1]));
        csv.push_str(&format!("{},,{}\n", ring[i], x[2]));
    }
    if tree {
        for i in 1..5 {
            csv.push_str(&format!("P{i},P{},40\nP{},P{i},60\nP{i},,400\n", i + 1, i + 1));
        }
    }
    load("two.csv", &csv, Format::Csv).unwrap()
}

fn calibrated() -> Settings {
    Settings { null_replicates: 200, posterior: 200, bootstrap: 200, ..Settings::default() }
}

#[test]
fn a_driven_component_beside_a_reversible_one_is_found_and_named() {
    let d = side_by_side(1, 0.3, 0.05, false);
    let r = analyze(&d, &calibrated()).unwrap();
    assert_eq!(r.components.len(), 2);
    assert_eq!(r.lrt.components, 2);
    assert_eq!(r.lrt.tested, 2);
    // The whole test sums G and df over the components.
    let g: f64 = r.components.iter().map(|c| c.statistic).sum();
    let df: usize = r.components.iter().map(|c| c.df).sum();
    assert!((r.lrt.statistic - g).abs() < 1e-9 && r.lrt.df == df && df == 3 + 1);
    assert_eq!(r.verdict.decision, Decision::Rejected, "{}", r.verdict.headline);
    assert!(
        r.verdict.headline.contains("most of it in component 2 of 2 (X, Y, Z)"),
        "{}",
        r.verdict.headline
    );
    // Each component has its own test: the ring rejected, the landscape not.
    let (landscape, ring) = (&r.components[0], &r.components[1]);
    assert_eq!(ring.states.len(), 3);
    assert!(ring.p_value_null.unwrap() < 0.01, "{:?}", ring.p_value_null);
    assert!(landscape.p_value_null.unwrap() > 0.05, "{:?}", landscape.p_value_null);
    assert!(
        r.verdict.details.iter().any(|d| d.starts_with("Tested: 2 of the 2")),
        "{:?}",
        r.verdict.details
    );
    // Entropy production of each: the ring's interval away from 0 and about its value (each of
    // its three pairs adds (pi f - pi b) ln(f / b) with pi = 1/3, f = 0.3, b = 0.05), the
    // landscape's from 0.
    let [lo, hi] = ring.entropy.credible.unwrap();
    let truth = (0.3 - 0.05) * 6f64.ln();
    assert!(lo > 0.0 && lo <= truth && truth <= hi, "{lo} {truth} {hi}");
    assert_eq!(landscape.entropy.credible.unwrap()[0], 0.0);
    let lines = entropy_sentences(&r);
    assert!(lines[0].starts_with("Over both components"), "{lines:?}");
    assert!(lines[1].starts_with("Component 2 of 2 (X, Y, Z): entropy production"), "{lines:?}");
}

#[test]
fn a_driven_component_beside_a_tree_is_tested_not_called_untestable() {
    // The path (P1 to P5) is the largest component but has no cycle: the ring and the
    // landscape are still tested, and the verdict says how many components had something to
    // test (when only the largest was tested, this read "Nothing to test").
    let d = side_by_side(2, 0.3, 0.05, true);
    let r = analyze(&d, &Settings { null_replicates: 100, ..Settings::default() }).unwrap();
    assert_eq!(r.components.len(), 3);
    assert_eq!((r.components[0].states.len(), r.components[0].df), (5, 0));
    assert_eq!(r.lrt.tested, 2);
    assert_eq!(r.verdict.decision, Decision::Rejected, "{}", r.verdict.headline);
    assert!(r.verdict.headline.contains("component 3 of 3 (X, Y, Z)"), "{}", r.verdict.headline);
    assert!(
        r.verdict.details.iter().any(|d| d.contains("the other one has no cycle to test")),
        "{:?}",
        r.verdict.details
    );
    // Only trees: nothing to test, and it says so for all of them.
    let trees = load("t.csv", "P,Q,40\nQ,P,60\nR,S,10\nS,R,10\nR,,5\n", Format::Csv).unwrap();
    let r = analyze(&trees, &Settings::default()).unwrap();
    assert_eq!(r.verdict.decision, Decision::Untestable);
    assert!(
        r.verdict.headline.contains("in none of the 2 strongly connected"),
        "{}",
        r.verdict.headline
    );
}

#[test]
fn reversible_components_together_hold_the_tests_size() {
    // Three reversible components (the four-state landscape, a balanced ring, a tree): the
    // whole test, on G and df summed, rejects about 5% of such datasets.
    let s = Settings { null_replicates: 40, ..Settings::default() };
    let runs = 60;
    let rejected = (0..runs)
        .filter(|&seed| {
            let r = analyze(&side_by_side(100 + seed, 0.2, 0.2, true), &s).unwrap();
            assert_eq!(r.lrt.tested, 2);
            r.verdict.decision == Decision::Rejected
        })
        .count();
    // 5% of 60 is 3; 9 or more has probability below 0.5% for a test of size 5%.
    assert!(rejected <= 8, "{rejected} of {runs} reversible datasets rejected");
}

#[test]
fn a_cycle_never_reversed_has_no_finite_entropy_production() {
    let d = load("t.csv", "A,B,1000\nB,C,1000\nC,A,1000\nA,A,50\nB,B,50\nC,C,50\n", Format::Csv)
        .unwrap();
    let r = analyze(&d, &calibrated()).unwrap();
    let e = &r.entropy_production;
    assert_eq!((e.value, e.pairs, e.one_way), (None, 0, 3));
    assert!(e.unbounded() && e.credible.is_none() && e.interval.is_none());
    let lines = entropy_sentences(&r);
    assert!(lines[0].starts_with("Entropy production unbounded"), "{lines:?}");
    // Beside pairs seen both ways, one-way transitions make the value a lower bound.
    let d = load(
        "t.csv",
        "A,B,100\nB,A,80\nB,C,90\nC,B,70\nA,C,30\nA,,500\nB,,500\nC,,500\n",
        Format::Csv,
    )
    .unwrap();
    let r = analyze(&d, &Settings::default()).unwrap();
    assert_eq!((r.entropy_production.pairs, r.entropy_production.one_way), (2, 1));
    assert!(entropy_sentences(&r)[0].starts_with("Entropy production at least"));
}

#[test]
fn entropy_production_intervals_cover_zero_under_detailed_balance() {
    // Reversible restart-sampled landscapes: the truth is 0; the plug-in estimate is positive
    // every time, and the old percentile intervals never reached 0.
    let s = Settings { posterior: 100, bootstrap: 100, null_replicates: 40, ..Settings::default() };
    let runs = 30;
    let mut covered = [0, 0];
    for seed in 0..runs {
        let r = analyze(&Metropolis::default().run(seed, 4_000).dataset, &s).unwrap();
        let e = &r.entropy_production;
        assert!(e.value.unwrap() > 0.0);
        covered[0] += usize::from(e.credible.unwrap()[0] == 0.0);
        covered[1] += usize::from(e.interval.unwrap()[0] == 0.0);
    }
    // 95% of 30 is 28.5; 25 or fewer has probability below 1%.
    assert!(covered.iter().all(|&c| c >= 26), "{covered:?} of {runs}");
}

#[test]
fn the_reference_is_the_state_entered_most_not_the_lowest_estimate() {
    // B is entered 1,000 times, C once from B (and leaves to B 3 of 3 times): C's estimate is
    // lower than B's would be with more data, but one entry does not make it the reference.
    let d =
        load("t.csv", "A,B,1000\nA,,19000\nB,A,15\nB,C,1\nB,,284\nC,B,3\n", Format::Csv).unwrap();
    let r = analyze(&d, &Settings::default()).unwrap();
    let reference: Vec<&str> =
        r.states.iter().filter(|s| s.reference).map(|s| s.label.as_str()).collect();
    assert_eq!(reference, ["B"]);
    let b = r.states.iter().find(|s| s.label == "B").unwrap();
    assert_eq!((b.potential, b.potential_se), (Some(0.0), Some(0.0)));
    // A state placed by single outcomes (C: 3 of 3 to B) is not certain.
    let c = r.states.iter().find(|s| s.label == "C").unwrap();
    assert!(c.potential_se.unwrap() > 0.3, "{:?}", c.potential_se);
    // The paper's text puts the lowest state at 0; the errors stay those from the reference.
    let paper = analyze(&d, &Preset::PaperText.settings(&d)).unwrap();
    let lowest = paper.states.iter().filter_map(|s| s.potential).fold(f64::INFINITY, f64::min);
    assert_eq!(lowest, 0.0);
    assert!(paper.states.iter().any(|s| s.label == "B" && s.reference));
}

#[test]
fn settings_that_cannot_conclude_are_refused() {
    let d = side_by_side(3, 0.3, 0.05, false);
    let message = |s: Settings| analyze(&d, &s).unwrap_err().0;
    // Ten replicates under detailed balance can never give p < 0.05 (at best 1/11).
    let m = message(Settings { null_replicates: 10, ..Settings::default() });
    assert!(m.contains("cannot reject at 5%") && m.contains("at least 20"), "{m}");
    let m = message(Settings { posterior: 10, ..Settings::default() });
    assert!(m.contains("too few for a 95% interval"), "{m}");
    let m = message(Settings { bootstrap: 38, ..Settings::default() });
    assert!(m.contains("at least 39"), "{m}");
    assert!(
        analyze(&d, &Settings { null_replicates: 20, bootstrap: 39, ..Settings::default() })
            .is_ok()
    );
}

#[test]
fn fractional_counts_are_not_resampled_as_attempts() {
    let d = load("t.csv", "A,B,2.5\nB,A,3\nA,,10\nB,,12\n", Format::Csv).unwrap();
    let m = analyze(&d, &Settings { posterior: 100, ..Settings::default() }).unwrap_err().0;
    assert!(m.contains("not a whole number (A → B: 2.5)"), "{m}");
    // The preset draws no replicates of such data, and the report says why its errors are
    // approximate.
    let s = Preset::BalanceLab.settings(&d);
    assert_eq!(s.replicates(), 0);
    let r = analyze(&d, &s).unwrap();
    assert!(r.notes.iter().any(|n| n.contains("not whole numbers (A → B: 2.5)")), "{:?}", r.notes);
    // Whole counts are resampled as before.
    let whole = load("t.csv", "A,B,2\nB,A,3\nA,,10\nB,,12\n", Format::Csv).unwrap();
    assert_eq!(Preset::BalanceLab.settings(&whole).posterior, 200);
}
