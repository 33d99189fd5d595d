//! The loop test (paper Figs. 3, 8): the Kolmogorov criterion on triangles, no potential needed.

use serde::{Deserialize, Serialize};

use crate::graph::Pairs;
use crate::model::{Counts, StateId};
use crate::normalization::Weights;

/// One triangle `f, g, h` of the loop test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Triple {
    /// The states, sorted.
    pub states: [StateId; 3],
    /// `log T(f->g) + log T(g->h) + log T(h->f)`.
    pub forward: f64,
    /// `log T(f->h) + log T(h->g) + log T(g->f)`.
    pub backward: f64,
    /// Variance of `backward - forward`.
    pub var: f64,
}

/// The loop test's triangles and statistic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoopResult {
    /// The triangles kept.
    pub triples: Vec<Triple>,
    /// Number of triangles (the degrees of freedom).
    pub n: usize,
    /// `sum (B - F)^2 / var`.
    pub chi2: f64,
    /// `chi2 / n`, when there is a triangle.
    pub chi2_ndf: Option<f64>,
}

/// Largest variance of a kept triangle.
const MAX_VAR: f64 = 100.0;

/// Runs the loop test: triangles with all six directed edges, whose nine counts (six edges,
/// three `n`) all exceed `threshold`, and whose variance is below 100.
pub fn loop_test(counts: &Counts, weights: &Weights, threshold: f64) -> LoopResult {
    let two_way = Pairs::two_way(counts.len(), weights.edges.iter().map(|&(f, g, _)| (f, g)));
    let mut triples = Vec::new();
    for [f, g, h] in two_way.triangles() {
        let n = |s: StateId| weights.n0[s];
        let c = |a: StateId, b: StateId| counts.count(a, b);
        let forward_edges = [(f, g), (g, h), (h, f)];
        let backward_edges = [(f, h), (h, g), (g, f)];
        let all = forward_edges.iter().chain(&backward_edges);
        if all.clone().any(|&(a, b)| c(a, b) <= threshold)
            || [f, g, h].iter().any(|&s| n(s) <= threshold)
        {
            continue;
        }
        let sum_log = |edges: &[(StateId, StateId)]| {
            edges.iter().map(|&(a, b)| (c(a, b) / n(a)).ln()).sum::<f64>()
        };
        let var: f64 = all.map(|&(a, b)| 1.0 / c(a, b) + 1.0 / n(a)).sum();
        if var >= MAX_VAR {
            continue;
        }
        triples.push(Triple {
            states: [f, g, h],
            forward: sum_log(&forward_edges),
            backward: sum_log(&backward_edges),
            var,
        });
    }
    let chi2: f64 = triples.iter().map(|t| (t.backward - t.forward).powi(2) / t.var).sum();
    let n = triples.len();
    LoopResult { triples, n, chi2, chi2_ndf: (n > 0).then(|| chi2 / n as f64) }
}
