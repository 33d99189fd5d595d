//! Criterion benchmarks on the paper-scale synthetic dataset (about 50,000 transitions among
//! 7,800 states): the full report and its two heaviest parts. Figures: docs/benchmarks.md.

use balance_core::markov::{CountMatrix, reversible_mle};
use balance_core::normalization::{Normalization, Weights};
use balance_core::potential::{Gauge, Kernel, Solver, fit_potential};
use balance_core::simulate::Preset;
use balance_core::{Settings, analyze};
use criterion::{Criterion, criterion_group, criterion_main};

fn paper_scale(c: &mut Criterion) {
    let sim = Preset::PaperScale.run(1, None);
    let dataset = &sim.dataset;
    let mut group = c.benchmark_group("paper-scale");
    group.sample_size(10);
    for norm in [Normalization::Observed, Normalization::LowReject] {
        let settings = Settings { normalization: norm, ..Settings::default() };
        group.bench_function(format!("analyze/{}", norm.id()), |b| {
            b.iter(|| analyze(dataset, &settings).unwrap())
        });
    }
    let w = Weights::new(&dataset.counts, Normalization::Observed, None, 1.0);
    group.bench_function("fit_potential/newton", |b| {
        b.iter(|| {
            fit_potential(&w, Kernel::Softplus, 1.0, Solver::Newton, Gauge::LowestZero, 400)
                .unwrap()
        })
    });
    let cm = CountMatrix::classes(&dataset.counts, Normalization::Observed, &w).swap_remove(0);
    group.bench_function("reversible_mle", |b| b.iter(|| reversible_mle(&cm)));
    group.finish();
}

criterion_group!(benches, paper_scale);
criterion_main!(benches);
