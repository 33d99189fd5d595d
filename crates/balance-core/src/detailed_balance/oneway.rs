//! One-way pairs (paper Fig. 10): `f -> g` seen but never `g -> f`.

use serde::{Deserialize, Serialize};

use crate::model::StateId;
use crate::normalization::Weights;

/// A one-way pair and what it says about `V(f) - V(g)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OneWayPair {
    /// The state the transition left.
    pub from: StateId,
    /// The state it reached.
    pub to: StateId,
    /// `log(w(f -> g) N0(g))`: with `T(f <- g) <~ 1 / N0(g)`, a lower bound on
    /// `beta (V(f) - V(g))`.
    pub bound: f64,
    /// The fitted `beta (V(f) - V(g))`, when both states are in the same fitted component.
    pub fitted: Option<f64>,
}

/// Every one-way pair whose reverse had a chance to be seen (`N0(g) > 0`); `beta` is the fit's
/// inverse temperature (the bound is on `beta (V(f) - V(g))`).
pub fn one_way_pairs(
    weights: &Weights,
    v: &[Option<f64>],
    component: &[Option<usize>],
    beta: f64,
) -> Vec<OneWayPair> {
    let seen: std::collections::BTreeSet<(StateId, StateId)> =
        weights.edges.iter().map(|&(f, g, _)| (f, g)).collect();
    weights
        .edges
        .iter()
        .filter(|&&(f, g, _)| !seen.contains(&(g, f)) && weights.n0[g] > 0.0)
        .map(|&(f, g, w)| OneWayPair {
            from: f,
            to: g,
            bound: (w * weights.n0[g]).ln(),
            fitted: match (v[f], v[g]) {
                (Some(a), Some(b)) if component[f] == component[g] => Some(beta * (a - b)),
                _ => None,
            },
        })
        .collect()
}
