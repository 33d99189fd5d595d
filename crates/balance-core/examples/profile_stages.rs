//! Times the stages of the paper-scale analysis (a profiling aid for docs/benchmarks.md).
use std::time::Instant;

use balance_core::graph::Components;
use balance_core::markov::{
    CountMatrix, cycle_affinities, entropy_production, likelihood_ratio, nonrev_stationary,
    one_way_cycles, reversible_mle,
};
use balance_core::normalization::Normalization;
use balance_core::potential::{Gauge, Kernel, Solver, fit_potential};
use balance_core::simulate::Preset;
use balance_core::{Settings, analyze};

fn time<T>(name: &str, runs: usize, mut f: impl FnMut() -> T) -> T {
    let mut out = None;
    let mut ts: Vec<f64> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            out = Some(f());
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ts.sort_by(f64::total_cmp);
    println!("{name:<28} {:>9.2} ms", ts[runs / 2]);
    out.unwrap()
}

fn main() {
    let d = Preset::PaperScale.run(1, None).dataset;
    for norm in [Normalization::Observed, Normalization::LowReject] {
        let s = Settings { normalization: norm, ..Settings::default() };
        println!("-- {}", norm.id());
        time("analyze (total)", 5, || analyze(&d, &s).unwrap());
        let w = time("weights", 5, || s.weights(&d.counts, None));
        time("components", 5, || Components::new(w.len(), w.edges.iter().map(|&(f, g, _)| (f, g))));
        let fit = time("fit_potential (se <= 400)", 5, || {
            fit_potential(&w, Kernel::Softplus, 1.0, Solver::Newton, Gauge::LowestZero, 400)
                .unwrap()
        });
        println!(
            "   components {}, largest {}, iterations {}",
            fit.components.len(),
            fit.components[0].states.len(),
            fit.components[0].iterations
        );
        let cm =
            time("count matrix", 5, || CountMatrix::classes(&d.counts, norm, &w)).swap_remove(0);
        let rev = time("reversible_mle", 5, || reversible_mle(&cm));
        println!("   connected set {}, newton iterations {}", cm.len(), rev.iterations);
        time("likelihood_ratio", 5, || likelihood_ratio(&cm, &rev));
        let (pi, _) = time("nonrev_stationary", 5, || nonrev_stationary(&cm, Some(&rev.pi)));
        time("entropy_production", 5, || entropy_production(&cm, &pi));
        time("cycle_affinities", 5, || cycle_affinities(&cm));
        time("one_way_cycles", 5, || one_way_cycles(&cm, &rev));
        time("pairwise_test", 5, || {
            balance_core::detailed_balance::pairwise_test(
                &d.counts,
                &w,
                &fit.value,
                &fit.component,
                s.pair_rule,
                1.0,
            )
        });
        time("loop_test", 5, || balance_core::detailed_balance::loop_test(&d.counts, &w, 0.0));
        time("one_way_pairs", 5, || {
            balance_core::detailed_balance::one_way_pairs(&w, &fit.value, &fit.component, 1.0)
        });
        time("markov dense (<=400)", 5, || {
            if cm.len() <= 400 {
                Some(balance_core::markov::DenseChain::new(&rev.dense()))
            } else {
                None
            }
        });
        time("fit_potential (no se)", 5, || {
            fit_potential(&w, Kernel::Softplus, 1.0, Solver::Newton, Gauge::LowestZero, 0).unwrap()
        });
    }
}
