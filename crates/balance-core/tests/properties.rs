//! Property tests of the estimators, simulators and importers.
// Matrix checks read most clearly with (i, j) indices.
#![allow(clippy::needless_range_loop)]

use balance_core::experiment::parse_experiment;
use balance_core::import::{parse_counts_csv, parse_paper_json, parse_trajectories};
use balance_core::markov::{
    CountMatrix, log_likelihood_nonrev, log_likelihood_rev, reversible_mle,
};
use balance_core::normalization::Normalization;
use balance_core::potential::{Kernel, Problem};
use balance_core::simulate::{DrivenCycle, Metropolis};
use balance_core::{Settings, analyze};
use proptest::prelude::*;

#[path = "common/fingerprint.rs"]
mod fingerprint;

/// Count matrices on 2 to 6 states, strongly connected through a ring of positive counts.
fn count_matrix() -> impl Strategy<Value = Vec<Vec<f64>>> {
    (2usize..=6).prop_flat_map(|n| {
        proptest::collection::vec(proptest::collection::vec(0u32..20, n), n).prop_map(move |m| {
            let mut rows: Vec<Vec<f64>> =
                m.into_iter().map(|r| r.into_iter().map(f64::from).collect()).collect();
            for i in 0..n {
                rows[i][(i + 1) % n] += 1.0;
            }
            rows
        })
    })
}

fn rev_of(rows: &[Vec<f64>]) -> (CountMatrix, Vec<Vec<f64>>, Vec<f64>) {
    let c = CountMatrix::from_dense(rows);
    let fit = reversible_mle(&c);
    assert!(fit.converged);
    let p = fit.dense();
    (c, p, fit.pi)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn scaling_all_counts_leaves_p_rev_unchanged(rows in count_matrix(), k in 2u32..10) {
        let (_, p, _) = rev_of(&rows);
        let scaled: Vec<Vec<f64>> = rows.iter().map(|r| r.iter().map(|c| c * f64::from(k)).collect()).collect();
        let (_, q, _) = rev_of(&scaled);
        for (a, b) in p.iter().flatten().zip(q.iter().flatten()) {
            prop_assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
    }

    #[test]
    fn p_rev_is_stochastic_stationary_reversible_with_observed_diagonal(rows in count_matrix()) {
        let (_, p, pi) = rev_of(&rows);
        let n = rows.len();
        for i in 0..n {
            prop_assert!((p[i].iter().sum::<f64>() - 1.0).abs() < 1e-12);
            let pi_p: f64 = (0..n).map(|k| pi[k] * p[k][i]).sum();
            prop_assert!((pi_p - pi[i]).abs() < 1e-10, "pi P != pi at {i}");
            let ci: f64 = rows[i].iter().sum();
            prop_assert!((p[i][i] - rows[i][i] / ci).abs() < 1e-12, "diagonal at {i}");
            for j in 0..n {
                prop_assert!((pi[i] * p[i][j] - pi[j] * p[j][i]).abs() < 1e-10, "flux {i} {j}");
            }
        }
    }

    #[test]
    fn tree_supports_give_g_zero(n in 2usize..8, seed in any::<u64>(), diag in 0u32..5) {
        // A random tree: each state i > 0 linked both ways to an earlier one.
        let mut rows = vec![vec![0.0; n]; n];
        let mut s = seed;
        for i in 1..n {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let parent = (s >> 33) as usize % i;
            rows[i][parent] = 1.0 + ((s >> 13) % 7) as f64;
            rows[parent][i] = 1.0 + ((s >> 23) % 5) as f64;
            rows[i][i] = f64::from(diag);
        }
        let c = CountMatrix::from_dense(&rows);
        let fit = reversible_mle(&c);
        let g = 2.0 * (log_likelihood_nonrev(&c) - log_likelihood_rev(&c, &fit));
        prop_assert!(g.abs() < 1e-9, "G = {g}");
    }

    #[test]
    fn shifting_v_leaves_the_action_unchanged(
        v in proptest::collection::vec(-5.0f64..5.0, 4),
        shift in -100.0f64..100.0,
        exp_kernel in any::<bool>(),
    ) {
        let kernel = if exp_kernel { Kernel::Exp } else { Kernel::Softplus };
        let p = Problem {
            m: 4,
            edges: vec![(0, 1, 0.3), (1, 0, 0.1), (1, 2, 0.5), (2, 3, 0.2), (3, 0, 0.05), (2, 1, 0.4)],
            kernel,
            beta: 1.0,
        };
        let shifted: Vec<f64> = v.iter().map(|x| x + shift).collect();
        let (a, b) = (p.value(&v), p.value(&shifted));
        prop_assert!((a - b).abs() <= 1e-9 * a.abs().max(1.0), "{a} vs {b}");
    }

    #[test]
    fn arbitrary_bytes_never_panic_an_importer(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse_counts_csv(&text);
        let _ = parse_paper_json(&text);
        let _ = parse_trajectories(&text);
        let _ = parse_experiment(&text);
    }

    #[test]
    fn mutated_valid_files_never_panic_an_importer(pos in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let samples = [
            "source,target,count\nA,B,3\nB,A,1\nA,,2\n",
            r#"[{"target_expression":"x","target_score":1.5,"source_expressions":[{"expression":"y","score":2}]}]"#,
            r#"[["A","B","A"],["C","A"]]"#,
            r#"{"format":"balance-lab-experiment","version":1,"name":"e","attempts":[{"source":"A","outcome":"transition","state":"B","raw":"b"}]}"#,
        ];
        for sample in samples {
            let mut bytes = sample.as_bytes().to_vec();
            let i = pos.index(bytes.len());
            bytes[i] = byte;
            bytes.truncate(cut.index(bytes.len() + 1).max(1));
            let text = String::from_utf8_lossy(&bytes);
            for result in [
                parse_counts_csv(&text).map(|_| ()),
                parse_paper_json(&text).map(|_| ()),
                parse_trajectories(&text).map(|_| ()),
                parse_experiment(&text).map(|_| ()),
            ] {
                if let Err(e) = result {
                    prop_assert!(!e.to_string().is_empty());
                }
            }
        }
    }
}

/// Root-mean-square error of the fitted potential against the truth, over the largest
/// component, after removing the best constant offset.
fn rms_error(seed: u64, attempts: usize) -> f64 {
    let sim = Metropolis::default().run(seed, attempts);
    let s = Settings { normalization: Normalization::Observed, ..Settings::default() };
    let r = analyze(&sim.dataset, &s).unwrap();
    let diffs: Vec<f64> = r
        .states
        .iter()
        .filter(|st| st.component == Some(0))
        .map(|st| st.potential.unwrap() - sim.truth[&st.label])
        .collect();
    assert!(diffs.len() >= 25, "most states are identifiable");
    let mean = diffs.iter().sum::<f64>() / diffs.len() as f64;
    (diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / diffs.len() as f64).sqrt()
}

#[test]
fn metropolis_data_recover_the_true_energies_better_with_more_attempts() {
    for seed in 1..=3 {
        let small = rms_error(seed, 5_000);
        let large = rms_error(seed, 80_000);
        assert!(large < 0.15, "seed {seed}: rms error {large} with 80000 attempts");
        assert!(large < small / 2.0, "seed {seed}: {small} -> {large}");
    }
}

#[test]
fn metropolis_data_are_not_rejected_and_a_driven_cycle_is() {
    let sim = Metropolis::default().run(11, 40_000);
    let s = Settings::default();
    let r = analyze(&sim.dataset, &s).unwrap();
    assert!(r.lrt.df > 10);
    assert!(r.lrt.p_value.unwrap() > 0.001, "G = {} on df {}", r.lrt.statistic, r.lrt.df);
    let driven = DrivenCycle::default().run(11, 6_000);
    let r = analyze(&driven.dataset, &s).unwrap();
    assert_eq!(r.lrt.df, 1);
    assert!(r.lrt.p_value.unwrap() < 1e-6);
    // Affinity of the ring: 3 ln(0.4 / 0.1).
    assert!((r.cycles[0].affinity - 3.0 * 4f64.ln()).abs() < 0.5, "{}", r.cycles[0].affinity);
    assert!(r.entropy_production.value.unwrap() > 0.05);
}

#[test]
fn simulators_are_reproducible_and_seed_dependent() {
    let a = Metropolis::default().run(5, 3_000);
    let b = Metropolis::default().run(5, 3_000);
    let c = Metropolis::default().run(6, 3_000);
    assert_eq!(a, b);
    assert_ne!(a.dataset.counts, c.dataset.counts);
    for preset in balance_core::simulate::Preset::ALL {
        let x = preset.run(9, Some(2_000));
        assert_eq!(x, preset.run(9, Some(2_000)), "{preset:?}");
        assert_eq!(x.dataset.counts.total_attempts(), 2_000.0, "{preset:?}");
    }
}

#[test]
fn word_task_words_sum_to_100_and_the_paper_scale_generator_has_the_papers_size() {
    use balance_core::simulate::{PaperScale, WORDS, letter_sum};
    assert!(WORDS.len() >= 60);
    for w in WORDS.iter() {
        assert_eq!(letter_sum(w), Some(100), "{w}");
    }
    assert_eq!(letter_sum("A1"), None);
    let sim = PaperScale::default().run(1, None);
    let c = &sim.dataset.counts;
    assert!((45_000.0..56_000.0).contains(&c.total_transitions()), "{}", c.total_transitions());
    assert!((6_500..9_000).contains(&c.len()), "{}", c.len());
    assert!((17_000..25_000).contains(&c.edge_count()), "{}", c.edge_count());
}

#[test]
fn simulators_match_the_recorded_fingerprints() {
    assert_eq!(fingerprint::fingerprints(), fingerprint::expected());
}
