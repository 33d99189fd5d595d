//! Writes the paper-scale benchmark problems for `bench/compare.py` and times our solvers on
//! them: the action of the largest strongly connected component (softplus, observed
//! normalisation) and the count matrix of the reversible MLE; also the full report.
//!
//! `cargo run --release -p balance-core --example export_bench -- OUT_DIR`

use std::fmt::Write;
use std::time::Instant;

use balance_core::markov::{CountMatrix, reversible_mle};
use balance_core::normalization::{Normalization, Weights};
use balance_core::potential::{Gauge, Kernel, Problem, Solver, fit_potential};
use balance_core::simulate::Preset;
use balance_core::{Settings, analyze};

/// Median wall time of `runs` calls, in milliseconds.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[runs / 2]
}

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| "bench/data".into());
    std::fs::create_dir_all(&out).expect("create the output folder");
    let sim = Preset::PaperScale.run(1, None);
    let counts = &sim.dataset.counts;
    let w = Weights::new(counts, Normalization::Observed, None, 1.0);
    let fit = fit_potential(&w, Kernel::Softplus, 1.0, Solver::Newton, Gauge::LowestZero, 0)
        .expect("softplus fit");
    let comp = &fit.components[0];
    let mut local = vec![usize::MAX; counts.len()];
    for (i, &s) in comp.states.iter().enumerate() {
        local[s] = i;
    }
    let local_edges: Vec<(usize, usize, f64)> = w
        .edges
        .iter()
        .filter(|&&(f, g, _)| local[f] != usize::MAX && local[g] != usize::MAX)
        .map(|&(f, g, wt)| (local[f], local[g], wt))
        .collect();
    let mut edges = String::from("f,g,w\n");
    for &(f, g, wt) in &local_edges {
        let _ = writeln!(edges, "{f},{g},{wt:.17e}");
    }
    let problem =
        Problem { m: comp.states.len(), edges: local_edges, kernel: Kernel::Softplus, beta: 1.0 };
    std::fs::write(format!("{out}/action_edges.csv"), edges).unwrap();
    let mut v = String::from("v\n");
    for &s in &comp.states {
        let _ = writeln!(v, "{:.17e}", fit.value[s].unwrap());
    }
    std::fs::write(format!("{out}/action_v_newton.csv"), v).unwrap();

    let cm = CountMatrix::classes(counts, Normalization::Observed, &w).swap_remove(0);
    let mut c = String::from("i,j,c\n");
    for (i, row) in cm.rows.iter().enumerate() {
        for &(j, x) in row {
            let _ = writeln!(c, "{i},{j},{x}");
        }
    }
    std::fs::write(format!("{out}/counts.csv"), c).unwrap();
    let rev = reversible_mle(&cm);
    let mut pi = String::from("pi\n");
    for p in &rev.pi {
        let _ = writeln!(pi, "{p:.17e}");
    }
    std::fs::write(format!("{out}/pi_rev.csv"), pi).unwrap();

    let newton = median_ms(5, || {
        fit_potential(&w, Kernel::Softplus, 1.0, Solver::Newton, Gauge::LowestZero, 0).unwrap();
    });
    let lbfgs = median_ms(3, || {
        fit_potential(&w, Kernel::Softplus, 1.0, Solver::Lbfgs, Gauge::LowestZero, 0).unwrap();
    });
    let zeros = vec![0.0; problem.m];
    let component = median_ms(5, || {
        problem.solve(Solver::Newton, &zeros).unwrap();
    });
    let mle = median_ms(5, || {
        reversible_mle(&cm);
    });
    let report = median_ms(11, || {
        analyze(&sim.dataset, &Settings::default()).unwrap();
    });
    println!(
        "{{\"states\": {}, \"component_states\": {}, \"matrix_states\": {}, \"fit_newton_ms\": {newton:.2}, \"component_newton_ms\": {component:.2}, \
         \"fit_lbfgs_ms\": {lbfgs:.2}, \"reversible_mle_ms\": {mle:.2}, \"mle_maps\": {}, \"analyze_ms\": {report:.2}}}",
        counts.len(),
        comp.states.len(),
        cm.len(),
        rev.iterations
    );
}
