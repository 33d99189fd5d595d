//! Oracles of Compare: datasets of known landscapes, one landscape at two temperatures, two
//! different landscapes, and the paper's two word tasks.

use balance_core::Dataset;
use balance_core::compare::{CompareSettings, Comparison, compare};
use balance_core::datasets::Bundled;
use balance_core::simulate::FewStates;

/// Six states whose energies are fixed; `beta` and the seed vary.
fn run(energies: &[f64], beta: f64, seed: u64, attempts: usize) -> Dataset {
    let mut d = FewStates { energies: energies.to_vec(), beta }.restarts(seed, attempts).dataset;
    d.name = format!("beta {beta} (seed {seed})");
    d
}

const ENERGIES: [f64; 6] = [0.0, 0.4, 0.9, 1.3, 1.8, 2.2];

fn settings(bootstrap: usize) -> CompareSettings {
    CompareSettings { bootstrap, ..CompareSettings::default() }
}

fn p(c: &Comparison) -> f64 {
    let t = c.test.as_ref().expect("a test");
    t.p_value_bootstrap.or(t.p_value).expect("a p-value")
}

#[test]
fn one_landscape_at_two_temperatures_gives_the_ratio_of_temperatures_and_is_not_rejected() {
    let a = run(&ENERGIES, 1.0, 11, 30_000);
    let b = run(&ENERGIES, 2.0, 12, 30_000);
    let c = compare(&[a, b], &settings(200)).unwrap();
    let scale = c.datasets[1].scale.as_ref().unwrap();
    let se = scale.se.unwrap();
    assert!((scale.value - 2.0).abs() < 3.0 * se, "beta {} ± {se}", scale.value);
    assert!(se < 0.2, "se {se}");
    let [lo, hi] = scale.interval.unwrap();
    assert!(lo < 2.0 && 2.0 < hi, "bootstrap interval [{lo}, {hi}]");
    let test = c.test.as_ref().unwrap();
    assert_eq!(test.df, 4, "6 + 6 differences less 5 potentials and one scale");
    assert!(p(&c) > 0.01, "{}", c.verdict);
    assert!(c.verdict.starts_with("One landscape up to scale"), "{}", c.verdict);
    assert_eq!(c.datasets[0].scale.as_ref().unwrap().value, 1.0);
    // The joint potential is the first dataset's scale: beta E with beta = 1.
    for s in c.states.iter().filter(|s| s.shared) {
        let i = (s.label.as_bytes()[0] - b'A') as usize;
        let joint = s.joint.unwrap();
        assert!((joint - ENERGIES[i]).abs() < 4.0 * s.joint_se.unwrap().max(0.02), "{s:?}");
    }
}

#[test]
fn two_different_landscapes_are_told_apart_and_the_odd_state_is_named() {
    let a = run(&ENERGIES, 1.0, 21, 30_000);
    // The same landscape but D pulled down by 1.2: no scale makes them one.
    let mut other = ENERGIES;
    other[3] -= 1.2;
    let b = run(&other, 1.0, 22, 30_000);
    let c = compare(&[a, b], &settings(100)).unwrap();
    assert!(p(&c) < 0.01, "{}", c.verdict);
    assert!(c.verdict.starts_with("The landscapes differ"), "{}", c.verdict);
    let worst = c
        .states
        .iter()
        .max_by(|x, y| x.disagreement.unwrap_or(0.0).total_cmp(&y.disagreement.unwrap_or(0.0)))
        .unwrap();
    assert_eq!(worst.label, "D", "{:?}", c.states);
    assert!(c.verdict.contains(" D"), "{}", c.verdict);
}

#[test]
fn the_test_holds_its_size_over_repeated_pairs_of_one_landscape() {
    // 60 pairs at beta 1 and 1.5, small runs: the chi-square test should reject about 5%.
    let mut rejected = 0;
    let pairs = 60;
    for k in 0..pairs {
        let a = run(&ENERGIES, 1.0, 1000 + k, 6_000);
        let b = run(&ENERGIES, 1.5, 2000 + k, 6_000);
        let c = compare(&[a, b], &settings(0)).unwrap();
        if c.test.as_ref().unwrap().p_value.unwrap() < 0.05 {
            rejected += 1;
        }
    }
    // Binomial(60, 0.05): 9 or more happens with probability below 0.2%.
    assert!(rejected <= 8, "{rejected} of {pairs} rejected");
}

#[test]
fn the_papers_two_word_tasks_share_only_attitude_so_there_is_nothing_to_test() {
    // Documented answer (docs/method.md): Claude-4's fitted component is ATTITUDE, PERSONAL,
    // PROBLEMS; Gemini-2.5-flash's is ATTITUDE, DISCIPLINE, EXCELLENT, BLISSFUL. They share
    // ATTITUDE, the lowest state of both, and nothing else the data place.
    let c =
        compare(&[Bundled::Claude4Word.load(), Bundled::Gemini25FlashWord.load()], &settings(50))
            .unwrap();
    assert!(c.test.is_none());
    assert!(c.verdict.contains("only one identifiable state (ATTITUDE)"), "{}", c.verdict);
    let attitude = c.states.iter().find(|s| s.label == "ATTITUDE").unwrap();
    for e in attitude.estimates.iter().map(|e| e.as_ref().unwrap()) {
        assert_eq!(e.potential, Some(0.0), "ATTITUDE is the lowest state of both");
    }
    assert_eq!(c.datasets[0].identifiable, 3);
    assert_eq!(c.datasets[1].identifiable, 4);
}

#[test]
fn three_datasets_and_bad_input_are_handled() {
    let a = run(&ENERGIES, 1.0, 31, 20_000);
    let b = run(&ENERGIES, 0.5, 32, 20_000);
    let c3 = run(&ENERGIES, 2.0, 33, 20_000);
    let c = compare(&[a.clone(), b, c3], &settings(0)).unwrap();
    let betas: Vec<f64> = c.datasets.iter().map(|d| d.scale.as_ref().unwrap().value).collect();
    assert!((betas[1] - 0.5).abs() < 0.1 && (betas[2] - 2.0).abs() < 0.3, "{betas:?}");
    assert_eq!(c.test.as_ref().unwrap().df, 15 - 5 - 2);

    assert!(
        compare(std::slice::from_ref(&a), &settings(0)).unwrap_err().0.contains("at least two")
    );
    let mut empty = a.clone();
    empty.counts = Default::default();
    empty.name = "Empty".into();
    let err = compare(&[a.clone(), empty], &settings(0)).unwrap_err();
    assert_eq!(err.0, "Empty: the dataset has no states");
    // Disjoint state names: nothing shared, said plainly.
    let mut renamed = run(&ENERGIES, 1.0, 34, 5_000);
    renamed.counts =
        balance_core::import::parse_counts_csv("source,target,count\nX,Y,3\nY,X,4\n").unwrap().0;
    let c = compare(&[a, renamed], &settings(0)).unwrap();
    assert!(c.test.is_none());
    assert!(c.verdict.contains("shares no identifiable state"), "{}", c.verdict);
}
