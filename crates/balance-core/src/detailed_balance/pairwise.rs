//! The pairwise test (paper Figs. 4, 7, 9): `log(w(f->g) / w(g->f))` against `V(f) - V(g)`.

use serde::{Deserialize, Serialize};

use crate::model::{Counts, StateId};
use crate::normalization::Weights;

/// Which pairs enter the pairwise test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PairRule {
    /// Paper text: every pair observed in both directions.
    Paper,
    /// Paper code: at least 2 counts each way, and pairs with `|V(f) - V(g)| > log(A)` dropped.
    PaperCode,
}

/// One pair of the test, oriented `a < b`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairPoint {
    /// First state.
    pub a: StateId,
    /// Second state.
    pub b: StateId,
    /// `log(w(a->b) / w(b->a))`: the measured log ratio.
    pub x: f64,
    /// `beta (V(a) - V(b))`: the fitted difference (detailed balance makes it equal `x`).
    pub y: f64,
    /// Error on `x`: `sqrt(1/N(a->b) + 1/n(a) + 1/N(b->a) + 1/n(b))`.
    pub sigma: f64,
}

/// The pairwise test's points and statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairwiseResult {
    /// The points.
    pub points: Vec<PairPoint>,
    /// Number of pairs.
    pub n: usize,
    /// Pearson correlation of `x` and `y` (needs 2 points with spread).
    pub pearson_r: Option<f64>,
    /// Error-weighted `sum((y - x) / sigma)^2 / N`.
    pub chi2_ndf: Option<f64>,
    /// Paper-compatible unweighted `sum (y - x)^2 / N`.
    pub chi2_ndf_paper: Option<f64>,
    /// Independent cycles among the pairs tested. With none, and `exact`, the fit reproduces
    /// every pair by construction and the test cannot fail.
    pub cycle_rank: usize,
    /// Whether every point lies on `y = x` to rounding.
    pub exact: bool,
}

/// Runs the pairwise test with the potential `v` (per state; `None` outside the identifiable
/// set), the component of each state (pairs must share one) and the inverse temperature `beta`
/// of the fit.
pub fn pairwise_test(
    counts: &Counts,
    weights: &Weights,
    v: &[Option<f64>],
    component: &[Option<usize>],
    rule: PairRule,
    beta: f64,
) -> PairwiseResult {
    let min_count = match rule {
        PairRule::Paper => 0.0,
        PairRule::PaperCode => 2.0,
    };
    let max_gap = weights.total_attempts.ln();
    let w: std::collections::BTreeMap<(StateId, StateId), f64> =
        weights.edges.iter().map(|&(f, g, w)| ((f, g), w)).collect();
    let mut points = Vec::new();
    for (&(a, b), &wab) in w.range(..) {
        if a > b {
            continue;
        }
        let Some(&wba) = w.get(&(b, a)) else { continue };
        let (nab, nba) = (counts.count(a, b), counts.count(b, a));
        if nab < min_count || nba < min_count || nab <= 0.0 || nba <= 0.0 {
            continue;
        }
        let (Some(va), Some(vb)) = (v[a], v[b]) else {
            continue;
        };
        if component[a] != component[b] {
            continue;
        }
        let y = beta * (va - vb);
        if rule == PairRule::PaperCode && y.abs() > max_gap {
            continue;
        }
        let sigma = (1.0 / nab + 1.0 / weights.n0[a] + 1.0 / nba + 1.0 / weights.n0[b]).sqrt();
        points.push(PairPoint { a, b, x: (wab / wba).ln(), y, sigma });
    }
    let n = points.len();
    let (chi2_ndf, chi2_ndf_paper) = if n > 0 {
        let weighted: f64 = points.iter().map(|p| ((p.y - p.x) / p.sigma).powi(2)).sum();
        let plain: f64 = points.iter().map(|p| (p.y - p.x).powi(2)).sum();
        (Some(weighted / n as f64), Some(plain / n as f64))
    } else {
        (None, None)
    };
    let xs: Vec<f64> = points.iter().map(|p| p.x).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.y).collect();
    let cycle_rank = crate::graph::Pairs::two_way(
        counts.len(),
        points.iter().flat_map(|p| [(p.a, p.b), (p.b, p.a)]),
    )
    .cycle_rank();
    let exact = points.iter().all(|p| (p.y - p.x).abs() <= 1e-9 * (1.0 + p.x.abs()));
    PairwiseResult {
        pearson_r: pearson(&xs, &ys),
        points,
        n,
        chi2_ndf,
        chi2_ndf_paper,
        cycle_rank,
        exact,
    }
}

/// Pearson correlation, `None` with fewer than 2 points or no spread.
pub(crate) fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len();
    if n < 2 {
        return None;
    }
    let mx = x.iter().sum::<f64>() / n as f64;
    let my = y.iter().sum::<f64>() / n as f64;
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}
