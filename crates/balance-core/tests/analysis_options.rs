//! Bootstrap intervals, majority voting, presets and settings validation, through `analyze`.

use balance_core::datasets::Bundled;
use balance_core::normalization::Normalization;
use balance_core::simulate::{DrivenCycle, Metropolis};
use balance_core::{Majority, Preset, Progress, Settings, Stage, analyze, analyze_with_progress};

fn high_reject() -> Settings {
    Settings { normalization: Normalization::HighReject, ..Settings::default() }
}

#[test]
fn bootstrap_intervals_cover_the_estimate_with_the_width_the_counts_imply() {
    let d = Bundled::Claude4Word.load();
    let s = Settings { bootstrap: 200, seed: 7, ..high_reject() };
    let r = analyze(&d, &s).unwrap();
    let personal = r.states.iter().find(|x| x.label == "PERSONAL").unwrap();
    let v = personal.potential.unwrap();
    let [lo, hi] = personal.potential_interval.unwrap();
    assert!(lo < v && v < hi, "{lo} < {v} < {hi}");
    // ATTITUDE and PERSONAL exchange transitions only with each other, so the potential is
    // log(3879 / 66) and its error the multinomial delta method's, exactly:
    // sqrt((1 - 66/4000)/66 + (1 - 3879/4000)/3879) = 0.1221, a 95% interval about 0.48 wide.
    let se = personal.potential_se.unwrap();
    let exact = ((1.0 - 66.0 / 4000.0) / 66.0 + (1.0 - 3879.0 / 4000.0) / 3879.0f64).sqrt();
    assert!((se - exact).abs() < 1e-9, "{se} vs {exact}");
    assert!((hi - lo - 3.92 * se).abs() < 0.12, "width {}", hi - lo);
    // Unbounded states get no interval; the same seed gives the same intervals.
    let turkey = r.states.iter().find(|x| x.label == "TURKEY").unwrap();
    assert!(turkey.potential_interval.is_none());
    let again = analyze(&d, &s).unwrap();
    assert_eq!(r, again);
    let other = analyze(&d, &Settings { seed: 8, ..s }).unwrap();
    assert_ne!(
        other.states.iter().find(|x| x.label == "PERSONAL").unwrap().potential_interval,
        personal.potential_interval
    );
}

#[test]
fn progress_runs_through_the_stages_and_every_replicate_to_the_end() {
    let d = Bundled::Claude4Word.load();
    let s = Settings { bootstrap: 40, ..high_reject() };
    let mut seen: Vec<Progress> = Vec::new();
    let r = analyze_with_progress(&d, &s, &mut |p| seen.push(p)).unwrap();
    assert_eq!(r, analyze(&d, &s).unwrap());
    let stages: Vec<(Stage, usize)> = seen.iter().map(|p| (p.stage, p.done)).collect();
    // The three stages, then the replicates to the last (one by one, or by batches when they
    // run on several cores), never going back.
    assert_eq!(
        stages[..4],
        [(Stage::Potential, 0), (Stage::Markov, 1), (Stage::Tests, 2), (Stage::Bootstrap, 3)]
    );
    assert_eq!(stages.last(), Some(&(Stage::Bootstrap, 43)));
    assert!(stages.windows(2).all(|w| w[0].1 <= w[1].1), "{stages:?}");
    assert!(seen.iter().all(|p| p.total == 43));
}

#[test]
fn bootstrap_intervals_of_g_and_entropy_production_separate_driven_from_balanced() {
    let s = Settings { bootstrap: 40, seed: 3, ..Settings::default() };
    let driven = analyze(&DrivenCycle::default().run(2, 6_000).dataset, &s).unwrap();
    let [lo, _] = driven.entropy_production.interval.unwrap();
    assert!(lo > 0.1, "driven entropy production interval starts at {lo}");
    let [glo, _] = driven.lrt.interval.unwrap();
    assert!(glo > 50.0, "{glo}");
    let balanced = analyze(&Metropolis::default().run(2, 20_000).dataset, &s).unwrap();
    let [_, hi] = balanced.entropy_production.interval.unwrap();
    assert!(hi < lo, "balanced {hi} vs driven {lo}");
}

#[test]
fn majority_voting_multiplies_small_potential_differences() {
    // Two weakly coupled states: T small both ways, so T_M ~ C(M,n) T^n and V -> n V.
    let mut counts = balance_core::model::Counts::new();
    counts.add_transition("A", "B", 20.0);
    counts.add_transition("B", "A", 5.0);
    counts.add_rejection("A", 9980.0);
    counts.add_rejection("B", 9995.0);
    let d = balance_core::datasets::Dataset::of_counts("pair", "", counts);
    let plain = analyze(&d, &Settings::default()).unwrap();
    let voted =
        analyze(&d, &Settings { majority: Some(Majority { m: 5, n: 3 }), ..Settings::default() })
            .unwrap();
    let gap = |r: &balance_core::report::Report| {
        r.states[0].potential.unwrap() - r.states[1].potential.unwrap()
    };
    assert!((gap(&plain) - 4f64.ln()).abs() < 1e-9);
    assert!((gap(&voted) / gap(&plain) - 3.0).abs() < 0.02, "{}", gap(&voted) / gap(&plain));
    assert!(voted.action.minimum < plain.action.minimum);
}

#[test]
fn sparse_data_carry_a_caveat_on_the_chi_square_p_value() {
    let sparse = balance_core::simulate::Preset::PaperScale.run(1, Some(20_000)).dataset;
    let r = analyze(&sparse, &Settings::default()).unwrap();
    assert!(r.lrt.sparse && r.lrt.small_expected > 0.2, "{}", r.lrt.small_expected);
    assert_eq!(r.verdict.evidence, Some(balance_core::verdict::Evidence::ChiSquare));
    assert!(
        r.verdict.headline.contains("below 5") || r.verdict.headline.contains("sparse"),
        "{}",
        r.verdict.headline
    );
    let dense =
        analyze(&Metropolis::default().run(1, 20_000).dataset, &Settings::default()).unwrap();
    assert!(!dense.lrt.sparse, "{}", dense.lrt.small_expected);
}

#[test]
fn presets_set_the_papers_choices_and_bad_settings_are_refused() {
    let d = Bundled::Claude4Word.load();
    let text = Preset::PaperText.settings(&d);
    assert_eq!(text.normalization, Normalization::HighReject);
    assert_eq!(text.kernel, balance_core::potential::Kernel::Exp);
    let code = Preset::PaperCode.settings(&d);
    assert_eq!(code.pair_rule, balance_core::detailed_balance::PairRule::PaperCode);
    let lab = Preset::BalanceLab.settings(&d);
    assert_eq!(lab.normalization, Normalization::HighReject, "the paper's data only give a total");
    for preset in Preset::ALL {
        let r = analyze(&d, &preset.settings(&d)).unwrap();
        let personal = r.states.iter().find(|x| x.label == "PERSONAL").unwrap();
        assert!(personal.potential.is_some(), "{preset:?}");
    }
    for bad in [
        Settings { beta: 0.0, ..Settings::default() },
        Settings { beta: f64::NAN, ..Settings::default() },
        Settings { total_attempts: Some(-5.0), ..Settings::default() },
        Settings { majority: Some(Majority { m: 4, n: 2 }), ..Settings::default() },
        Settings {
            solver: balance_core::potential::Solver::MinorizeMaximize,
            kernel: balance_core::potential::Kernel::Exp,
            ..Settings::default()
        },
    ] {
        assert!(analyze(&d, &bad).is_err(), "{bad:?}");
    }
}

/// Every number a report holds, with where it is.
fn numbers(r: &balance_core::report::Report) -> Vec<(String, f64)> {
    let mut out = vec![
        ("action.minimum".to_owned(), r.action.minimum),
        ("lrt.statistic".to_owned(), r.lrt.statistic),
        ("lrt.log_likelihood_nonrev".to_owned(), r.lrt.log_likelihood_nonrev),
        ("lrt.log_likelihood_rev".to_owned(), r.lrt.log_likelihood_rev),
    ];
    let mut opt = |name: &str, x: Option<f64>| out.extend(x.map(|v| (name.to_owned(), v)));
    opt("entropy_production.value", r.entropy_production.value);
    for c in &r.components {
        opt("component.statistic", Some(c.statistic));
        opt("component.p_value", c.p_value);
        opt("component.entropy", c.entropy.value);
    }
    opt("lrt.p_value", r.lrt.p_value);
    opt("pairwise.pearson_r", r.pairwise.pearson_r);
    opt("pairwise.chi2_ndf", r.pairwise.chi2_ndf);
    opt("pairwise.chi2_ndf_paper", r.pairwise.chi2_ndf_paper);
    opt("loops.chi2_ndf", r.loops.chi2_ndf);
    for s in &r.states {
        for (k, v) in [
            ("potential", s.potential),
            ("potential_se", s.potential_se),
            ("stationary", s.stationary),
            ("free_energy", s.free_energy),
            ("mfpt", s.mfpt_to_minimum),
            ("bound", s.potential_bound.map(|b| b.value)),
        ] {
            opt(&format!("{}.{k}", s.label), v);
        }
    }
    for p in &r.pairwise.points {
        out.extend([
            ("pair.x".to_owned(), p.x),
            ("pair.y".to_owned(), p.y),
            ("pair.sigma".to_owned(), p.sigma),
        ]);
    }
    for c in &r.cycles {
        out.extend([("cycle.affinity".to_owned(), c.affinity), ("cycle.se".to_owned(), c.se)]);
    }
    for t in r.timescales.iter().flatten() {
        out.push(("timescale".to_owned(), *t));
    }
    if let Some(h) = &r.histogram {
        out.extend([
            ("hist.sigma".to_owned(), h.sigma),
            ("hist.pred".to_owned(), h.predicted_action_exact),
        ]);
    }
    out
}

#[test]
fn reports_hold_only_finite_numbers_and_round_trip() {
    let mut lonely = balance_core::model::Counts::new();
    lonely.add_rejection("ONLY", 3.0);
    let mut sink = balance_core::model::Counts::new();
    sink.add_transition("A", "B", 2.0);
    let plain = |counts| balance_core::datasets::Dataset::of_counts("edge case", "", counts);
    let datasets = [
        Bundled::Claude4Word.load(),
        Bundled::Gemini25FlashWord.load(),
        DrivenCycle::default().run(1, 2_000).dataset,
        Metropolis::default().run(1, 4_000).dataset,
        plain(lonely),
        plain(sink),
    ];
    for d in &datasets {
        for s in [high_reject(), Settings::default(), Preset::PaperText.settings(d)] {
            let r = analyze(d, &s).unwrap();
            for (name, v) in numbers(&r) {
                assert!(v.is_finite(), "{}: {name} = {v}", d.name);
            }
            let back: balance_core::report::Report =
                serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
            assert_eq!(back, r);
        }
    }
    let s: Settings = serde_json::from_str(r#"{"kernel":"exp","beta":2}"#).unwrap();
    assert_eq!(s.beta, 2.0);
    assert_eq!(s.normalization, Settings::default().normalization);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// Any small dataset, however sparse or disconnected, gets a report of finite numbers.
    #[test]
    fn analyze_never_panics_and_stays_finite(
        cells in proptest::collection::vec((0usize..6, 0usize..7, 0u32..30), 1..25),
        norm in 0usize..3,
        exp_kernel in proptest::prelude::any::<bool>(),
    ) {
        let mut counts = balance_core::model::Counts::new();
        for (f, g, c) in cells {
            let c = f64::from(c);
            if g == 6 {
                counts.add_rejection(&format!("s{f}"), c);
            } else {
                counts.add_transition(&format!("s{f}"), &format!("s{g}"), c);
            }
        }
        let d = balance_core::datasets::Dataset::of_counts("random", "", counts);
        let s = Settings {
            normalization: Normalization::ALL[norm],
            kernel: if exp_kernel {
                balance_core::potential::Kernel::Exp
            } else {
                balance_core::potential::Kernel::Softplus
            },
            bootstrap: 40,
            posterior: 40,
            null_replicates: 20,
            ..Settings::default()
        };
        let r = analyze(&d, &s).unwrap();
        for (name, v) in numbers(&r) {
            proptest::prop_assert!(v.is_finite(), "{name} = {v}");
        }
    }
}
