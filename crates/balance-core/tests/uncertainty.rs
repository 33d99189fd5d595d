//! The uncertainties are honest: each finding of the audit of the standard errors, the
//! likelihood-ratio test and the intervals, as a test that would have caught it; and, at a small
//! size, the calibration that `bench/calibration.rs` measures at full size (docs/calibration.md).

use balance_core::datasets::{Bundled, Dataset};
use balance_core::import::{Format, load};
use balance_core::model::Counts;
use balance_core::normalization::Normalization;
use balance_core::potential::Kernel;
use balance_core::random::Random;
use balance_core::simulate::{Metropolis, WordTask};
use balance_core::verdict::{Decision, Evidence};
use balance_core::{Majority, Preset, Settings, analyze};

fn dataset(counts: Counts) -> Dataset {
    Dataset::of_counts("test", "", counts)
}

fn potential_se(d: &Dataset, s: &Settings, label: &str) -> (f64, f64) {
    let r = analyze(d, s).unwrap();
    let st = r.states.iter().find(|x| x.label == label).unwrap();
    (st.potential.unwrap(), st.potential_se.unwrap())
}

#[test]
fn standard_errors_follow_unequal_sampling_both_kernels_and_voting() {
    // The audit's case: A sampled 20000 times, B 300 times. B, entered 1000 times, is the
    // reference, and A's error is that of V(A) - V(B).
    let d = load("t.csv", "A,B,1000\nA,,19000\nB,A,15\nB,,285\n", Format::Csv).unwrap();
    for kernel in Kernel::ALL {
        let (_, se) = potential_se(&d, &Settings { kernel, ..Settings::default() }, "A");
        let delta = ((1.0 - 0.05) / 1000.0 + (1.0 - 0.05) / 15.0f64).sqrt();
        assert!((se - delta).abs() < 1e-9, "{kernel:?}: {se} vs {delta} (the audit: 0.255)");
    }
    // Claude-4 with the paper's exp kernel: the same error as with softplus.
    let claude = Bundled::Claude4Word.load();
    let hr = Settings { normalization: Normalization::HighReject, ..Settings::default() };
    for (label, n_out, n_in) in [("PERSONAL", 66.0f64, 3879.0f64), ("PROBLEMS", 20.0, 3558.0)] {
        let exact = ((1.0 - n_out / 4000.0) / n_out + (1.0 - n_in / 4000.0) / n_in).sqrt();
        for kernel in Kernel::ALL {
            let (_, se) = potential_se(&claude, &Settings { kernel, ..hr.clone() }, label);
            assert!((se - exact).abs() < 1e-9, "{label} {kernel:?}: {se} vs {exact}");
        }
    }
}

/// Standard deviation of `xs`.
fn sd(xs: &[f64]) -> f64 {
    let m = xs.iter().sum::<f64>() / xs.len() as f64;
    (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt()
}

#[test]
fn standard_errors_under_majority_voting_match_monte_carlo() {
    // Two states, T(B<-A) = 0.2, T(A<-B) = 0.05, 3000 attempts each, voting 2 of 3.
    let voting = Settings { majority: Some(Majority { m: 3, n: 2 }), ..Settings::default() };
    let mut rng = Random::new(9);
    let (mut vs, mut ses) = (Vec::new(), Vec::new());
    for _ in 0..300 {
        let ab = rng.binomial(3000.0, 0.2);
        let ba = rng.binomial(3000.0, 0.05);
        let mut c = Counts::new();
        c.add_transition("A", "B", ab);
        c.add_rejection("A", 3000.0 - ab);
        c.add_transition("B", "A", ba);
        c.add_rejection("B", 3000.0 - ba);
        let (v, se) = potential_se(&dataset(c), &voting, "A");
        vs.push(v);
        ses.push(se);
    }
    let mean_se = ses.iter().sum::<f64>() / ses.len() as f64;
    let ratio = mean_se / sd(&vs);
    assert!((0.85..1.15).contains(&ratio), "sandwich {mean_se} vs Monte Carlo {}", sd(&vs));
}

#[test]
fn the_likelihood_ratio_test_counts_one_way_pairs_and_flags_one_way_cycles() {
    // A pure driven cycle, never reversed, with self-loops: the most irreversible data there are.
    let d = load("t.csv", "A,B,1000\nB,C,1000\nC,A,1000\nA,A,50\nB,B,50\nC,C,50\n", Format::Csv)
        .unwrap();
    let r = analyze(&d, &Settings::default()).unwrap();
    assert_eq!(r.lrt.df, 1);
    assert!(r.lrt.p_value.unwrap() < 1e-100);
    assert_eq!(r.verdict.decision, Decision::Irreversible, "{}", r.verdict.headline);
    assert_eq!(r.verdict.evidence, Some(Evidence::OneWayCycle));
    assert!(r.verdict.headline.contains("→"), "{}", r.verdict.headline);
    assert!(r.one_way_cycles[0].expected_reverse > 100.0);
    // A lone transient state: nothing reaches back.
    let lone = load("t.csv", "A,B,10\nA,A,5\n", Format::Csv).unwrap();
    let r = analyze(&lone, &Settings::default()).unwrap();
    assert_eq!(r.verdict.decision, Decision::Untestable);
    assert!(r.states.iter().all(|s| s.stationary.is_none() && s.free_energy.is_none()));
    assert!(r.notes.iter().any(|n| n.contains("No two states reach each other")), "{:?}", r.notes);
}

#[test]
fn a_small_run_of_the_simulated_agent_is_not_rejected_by_a_miscounted_test() {
    // The simulated word agent moves by Metropolis-Hastings: detailed balance holds. Its
    // 500-attempt runs are sparse; with the calibrated p-value they are rejected at about the
    // nominal rate (the old degrees of freedom made the test reject most of them).
    let s = Settings { null_replicates: 99, ..Settings::default() };
    let mut rejected = 0;
    let runs = 40;
    for seed in 0..runs {
        let d = WordTask::default().run(seed, 500).dataset;
        let r = analyze(&d, &s).unwrap();
        if r.lrt.df > 0 {
            assert!(r.lrt.sparse, "seed {seed}: {}", r.lrt.small_expected);
            assert_eq!(
                r.verdict.evidence,
                Some(Evidence::ParametricBootstrap),
                "{}",
                r.verdict.headline
            );
        }
        rejected += usize::from(r.verdict.decision == Decision::Rejected);
    }
    // 5% of 40 is 2; 7 or more has probability below 0.5% for a calibrated test.
    assert!(rejected <= 6, "{rejected} of {runs} reversible runs rejected");
}

#[test]
fn intervals_of_g_and_entropy_production_come_with_their_bias_and_null() {
    let d = Metropolis::default().run(3, 20_000).dataset;
    let s = Settings { bootstrap: 60, null_replicates: 60, seed: 2, ..Settings::default() };
    let r = analyze(&d, &s).unwrap();
    let bias = r.lrt.bias.unwrap();
    assert!(bias > 0.0, "resampling pushes G up under detailed balance: {bias}");
    assert!(r.entropy_production.bias.unwrap() > 0.0);
    assert!(
        r.verdict.details.iter().any(|d| d.contains("judge by the p-value")),
        "{:?}",
        r.verdict.details
    );
    assert_eq!(r.lrt.null_replicates, 60);
    assert_eq!(r.verdict.evidence, Some(Evidence::ParametricBootstrap));
}

#[test]
fn huge_counts_are_resampled_at_the_cost_of_small_ones_and_overflowing_ones_are_refused() {
    let mut c = Counts::new();
    c.add_transition("A", "B", 3e13);
    c.add_transition("B", "A", 1e13);
    c.add_transition("B", "C", 2e13);
    c.add_transition("C", "B", 4e13);
    c.add_rejection("A", 1e13);
    let started = std::time::Instant::now();
    let r =
        analyze(&dataset(c), &Settings { bootstrap: 200, posterior: 200, ..Settings::default() })
            .unwrap();
    // Not a timing test: 10^13 draws one by one would not finish at all.
    assert!(started.elapsed().as_secs() < 60);
    let placed = r.states.iter().find(|s| s.potential.is_some_and(|v| v > 0.1)).unwrap();
    for [lo, hi] in [placed.potential_interval.unwrap(), placed.potential_credible.unwrap()] {
        assert!(hi - lo < 1e-5 && hi > lo, "{lo} {hi}");
    }
    let mut big = Counts::new();
    big.add_transition("A", "B", 1e308);
    big.add_transition("B", "A", 1e308);
    let e = analyze(&dataset(big), &Settings::default()).unwrap_err();
    assert!(e.0.contains("too large"), "{e}");
}

#[test]
fn smaller_findings_beta_trees_narrow_landscapes_and_repeated_rows() {
    // At beta = 2 the pairwise test compares beta (V_f - V_g) with the measured log ratio.
    let d = Metropolis::default().run(4, 40_000).dataset;
    let r = analyze(&d, &Settings { beta: 2.0, ..Settings::default() }).unwrap();
    let worst = r.pairwise.points.iter().map(|p| ((p.y - p.x) / p.sigma).abs()).fold(0.0, f64::max);
    assert!(r.pairwise.n > 10 && worst < 5.0, "{} points, worst {worst}", r.pairwise.n);
    // The Gemini data: the pairs seen both ways form a tree, so the pairwise test cannot fail.
    let g = analyze(
        &Bundled::Gemini25FlashWord.load(),
        &Preset::PaperCode.settings(&Bundled::Gemini25FlashWord.load()),
    )
    .unwrap();
    assert_eq!(g.pairwise.cycle_rank, 0);
    assert!(g.notes.iter().any(|n| n.contains("cannot fail")), "{:?}", g.notes);
    // A narrow landscape is flagged (the large-width prediction would exceed K(0)).
    let narrow = load(
        "t.csv",
        "A,B,50\nB,A,45\nB,C,50\nC,B,48\nA,C,47\nC,A,50\nA,A,10\nB,B,10\nC,C,10\n",
        Format::Csv,
    )
    .unwrap();
    let r = analyze(&narrow, &Settings::default()).unwrap();
    let h = r.histogram.unwrap();
    assert!(!h.large_width && h.predicted_action > 2f64.ln(), "{h:?}");
    assert!(r.notes.iter().any(|n| n.contains("landscape is narrow")));
    // Repeated rows of a CSV are summed, and the report says so.
    let d = load("t.csv", "A,B,1\nB,A,2\nA,B,3\n", Format::Csv).unwrap();
    let r = analyze(&d, &Settings::default()).unwrap();
    assert!(r.notes.iter().any(|n| n.contains("added together")), "{:?}", r.notes);
}

/// Share of `datasets` Metropolis datasets (a few states, known energies) whose 95% interval of
/// the highest state's potential, by `interval`, covers the truth.
fn coverage(
    datasets: u64,
    attempts: usize,
    settings: &Settings,
    interval: fn(&balance_core::report::StateReport) -> Option<[f64; 2]>,
) -> f64 {
    let m = Metropolis { states: 15, sigma: 1.0, ..Metropolis::default() };
    let mut covered = 0;
    for seed in 0..datasets {
        let sim = m.run(seed, attempts);
        let r = analyze(&sim.dataset, settings).unwrap();
        let top = r
            .states
            .iter()
            .max_by(|a, b| sim.truth[&a.label].total_cmp(&sim.truth[&b.label]))
            .unwrap();
        let lowest = r.states.iter().find(|s| s.potential == Some(0.0)).unwrap();
        let truth = sim.truth[&top.label] - sim.truth[&lowest.label];
        if let Some([lo, hi]) = interval(top) {
            covered += usize::from(lo <= truth && truth <= hi);
        }
    }
    covered as f64 / datasets as f64
}

#[test]
fn intervals_cover_the_truth_at_their_nominal_rate_in_a_small_study() {
    // 100 datasets: a calibrated 95% interval covers 88-100% of the time (binomial 99.9%).
    let base = Settings::default();
    let c = coverage(100, 2_000, &base, |s| s.potential_se_interval);
    assert!((0.88..=1.0).contains(&c), "sandwich {c}");
    let post = Settings { posterior: 100, ..base.clone() };
    let c = coverage(100, 2_000, &post, |s| s.potential_credible);
    assert!((0.88..=1.0).contains(&c), "posterior {c}");
}

/// How many of the posterior intervals of every placed state of `runs` runs of the simulated
/// word agent, `attempts` each, cover the truth: (covered, intervals), for the states entered at
/// least three times and for those entered once or twice (`StateReport::thinly_entered`).
fn word_agent_posterior_coverage(runs: u64, attempts: usize) -> [(usize, usize); 2] {
    word_agent_coverage(runs, attempts, &Settings { posterior: 100, ..Settings::default() }, |s| {
        s.potential_credible
    })
}

/// As [`word_agent_posterior_coverage`], for the intervals `interval` picks under `settings`.
fn word_agent_coverage(
    runs: u64,
    attempts: usize,
    settings: &Settings,
    interval: fn(&balance_core::report::StateReport) -> Option<[f64; 2]>,
) -> [(usize, usize); 2] {
    let mut tally = [(0usize, 0usize); 2];
    for seed in 0..runs {
        let sim = WordTask::default().run(seed, attempts);
        let r = analyze(&sim.dataset, &Settings { seed, ..settings.clone() }).unwrap();
        let Some(reference) =
            r.states.iter().find(|s| s.potential == Some(0.0) && s.component == Some(0))
        else {
            continue;
        };
        let t0 = sim.truth[&reference.label];
        for s in r.states.iter().filter(|s| s.component == Some(0) && s.label != reference.label) {
            if let (Some(&t), Some([lo, hi])) = (sim.truth.get(&s.label), interval(s)) {
                let (covered, intervals) = &mut tally[usize::from(s.thinly_entered())];
                *intervals += 1;
                *covered += usize::from(lo <= t - t0 && t - t0 <= hi);
            }
        }
    }
    tally
}

#[test]
fn the_posterior_covers_the_simulated_word_agent_whose_sources_reach_many_words_once() {
    // Every placed state of 15 runs of 20,000 attempts (about 500 intervals, correlated within
    // a run): 93% cover the truth. With Jeffreys' 1/2 per observed outcome the credible intervals
    // covered 81% here: the word agent's sources reach dozens of words once or twice, and the
    // prior's pseudo-counts pulled the posterior off the data.
    let [(a, b), (c, d)] = word_agent_posterior_coverage(15, 20_000);
    let (covered, intervals) = (a + c, b + d);
    let c = covered as f64 / intervals as f64;
    assert!(intervals > 300 && c > 0.91, "{covered} of {intervals} intervals cover the truth");
}

#[test]
fn posterior_intervals_cover_short_runs_whose_estimates_run_high() {
    // Every placed state of 200 runs of 500 attempts (about 3,500 intervals). The least-action
    // estimate runs high here, and the posterior's refits higher still: their plain quantiles
    // covered the truth 84% of the time; pivoted about the estimate, 92% (docs/calibration.md).
    let [others, thin] = word_agent_posterior_coverage(200, 500);
    let (covered, intervals) = (others.0 + thin.0, others.1 + thin.1);
    let c = covered as f64 / intervals as f64;
    assert!(intervals > 2_000 && c > 0.93, "{covered} of {intervals} intervals cover the truth");
    // The states entered once or twice, whose intervals rest on a count of one or two: pivoted
    // Gaussian-like intervals covered 86% of them, always missing low; widened to hold the
    // count's exact interval, as many as the rest (docs/calibration.md, by entries).
    let rate = |(covered, intervals): (usize, usize)| covered as f64 / intervals as f64;
    assert!(thin.1 > 500 && rate(thin) > 0.93, "entered once or twice: {thin:?}");
    assert!(rate(others) > 0.93, "entered three times or more: {others:?}");
}

#[test]
fn bootstrap_intervals_cover_short_runs_where_rare_outcomes_vanish_from_replicates() {
    // Every placed state of 100 runs of 500 attempts. A plain bootstrap replicate loses an
    // outcome seen once a third of the time, and the states it placed drop out or are placed by
    // other edges: plain replicates covered 88.5% here (1,295 of 1,463) and gave no interval
    // for a sixth of the states. Smoothed by the posterior's prior, every placed state has an
    // interval, and 96.3% of 1,790 cover the truth (docs/calibration.md).
    let settings = Settings { bootstrap: 100, ..Settings::default() };
    let [others, thin] = word_agent_coverage(100, 500, &settings, |s| s.potential_interval);
    let (covered, intervals) = (others.0 + thin.0, others.1 + thin.1);
    let c = covered as f64 / intervals as f64;
    assert!(intervals > 1_700 && c > 0.93, "{covered} of {intervals} intervals cover the truth");
}
