//! Fits the potential on every strongly connected component of the weighted transition graph.

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use super::kernel::Kernel;
use super::solve::{Problem, SolveError, Solver};
use crate::graph::Components;
use crate::model::StateId;
use crate::normalization::Weights;

/// Where the arbitrary constant of `V` is fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Gauge {
    /// The lowest state of each component at 0 (the paper's figures).
    LowestZero,
    /// Mean zero over each component (the paper's code).
    MeanZero,
}

/// Which side a bound is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BoundKind {
    /// `V >= value`: the state only leads into the reference component (it lies uphill).
    Lower,
    /// `V <= value`: the state is only reached from the reference component (it lies downhill).
    Upper,
}

/// A one-sided bound on an unbounded state's potential, in the reference component's gauge.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bound {
    /// Lower or upper.
    pub kind: BoundKind,
    /// The bound.
    pub value: f64,
}

/// One fitted component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedComponent {
    /// Its states.
    pub states: Vec<StateId>,
    /// The state with the lowest potential: the pinned state of the standard errors.
    pub reference: StateId,
    /// Solver iterations.
    pub iterations: usize,
    /// Whether the solver met its stopping criterion.
    pub converged: bool,
    /// Whether standard errors were computed (components up to the size limit).
    pub has_standard_errors: bool,
}

/// The potential of every state, where the data fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct PotentialFit {
    /// `V` per state in the chosen gauge; `None` outside the identifiable set.
    pub value: Vec<Option<f64>>,
    /// Index into `components` of each identifiable state.
    pub component: Vec<Option<usize>>,
    /// Standard error of `V - V(reference)` from the inverse Hessian with the reference pinned.
    pub se: Vec<Option<f64>>,
    /// Bounds of unbounded states relative to the reference component.
    pub bound: Vec<Option<Bound>>,
    /// The fitted components (strongly connected, two or more states), largest first.
    pub components: Vec<FittedComponent>,
    /// The minimum action `S_min` (divided by `n_active`).
    pub action: f64,
    /// Condensation level of each state (the initial guess of the solvers).
    pub level: Vec<usize>,
}

/// Fits `V` per strongly connected component of the weighted graph.
///
/// `max_se_states` limits the dense Hessian inversion used for standard errors.
pub fn fit_potential(
    weights: &Weights,
    kernel: Kernel,
    beta: f64,
    solver: Solver,
    gauge: Gauge,
    max_se_states: usize,
) -> Result<PotentialFit, SolveError> {
    let n = weights.len();
    let comps = Components::new(n, weights.edges.iter().map(|&(f, g, _)| (f, g)));
    let mut order: Vec<usize> = comps.nontrivial().collect();
    order.sort_by_key(|&c| (std::cmp::Reverse(comps.members[c].len()), comps.members[c][0]));

    let levels = comps.state_levels();
    let mut fit = PotentialFit {
        value: vec![None; n],
        component: vec![None; n],
        se: vec![None; n],
        bound: vec![None; n],
        components: Vec::new(),
        action: 0.0,
        level: levels.clone(),
    };
    let mut local = vec![usize::MAX; n];
    let mut total_action = 0.0;
    for &c in &order {
        let members = &comps.members[c];
        for (i, &s) in members.iter().enumerate() {
            local[s] = i;
        }
        let edges: Vec<(usize, usize, f64)> = weights
            .edges
            .iter()
            .filter(|&&(f, g, _)| comps.of[f] == c && comps.of[g] == c)
            .map(|&(f, g, w)| (local[f], local[g], w))
            .collect();
        let problem = Problem { m: members.len(), edges, kernel, beta };
        let v0: Vec<f64> = members.iter().map(|&s| levels[s] as f64).collect();
        let sol = problem.solve(solver, &v0)?;
        total_action += problem.value(&sol.v);
        let min_i = (0..members.len()).min_by(|&a, &b| sol.v[a].total_cmp(&sol.v[b])).unwrap_or(0);
        let lowest = sol.v[min_i];
        let se = (members.len() <= max_se_states)
            .then(|| standard_errors(&problem, &sol.v, min_i, weights, members))
            .flatten();
        let index = fit.components.len();
        for (i, &s) in members.iter().enumerate() {
            fit.value[s] = Some(sol.v[i] - lowest);
            fit.component[s] = Some(index);
            fit.se[s] = se.as_ref().map(|e| e[i]);
        }
        fit.components.push(FittedComponent {
            states: members.clone(),
            reference: members[min_i],
            iterations: sol.iterations,
            converged: sol.converged,
            has_standard_errors: se.is_some(),
        });
    }
    fit.action = if weights.n_active > 0 { total_action / weights.n_active as f64 } else { 0.0 };
    if !fit.components.is_empty() {
        bounds(&mut fit, weights, &comps, &levels);
    }
    if gauge == Gauge::MeanZero {
        for (ci, comp) in fit.components.iter().enumerate() {
            let mean = comp.states.iter().filter_map(|&s| fit.value[s]).sum::<f64>()
                / comp.states.len() as f64;
            for &s in &comp.states {
                fit.value[s] = fit.value[s].map(|v| v - mean);
            }
            if ci == 0 {
                for b in fit.bound.iter_mut().flatten() {
                    b.value -= mean;
                }
            }
        }
    }
    Ok(fit)
}

/// Standard errors of `V - V(pinned)`: square roots of the diagonal of the inverse Hessian of
/// `sum_e N0(f) w_e K(V_f - V_g)` (count units; for softplus, the Bradley-Terry Fisher
/// information) with the pinned state removed.
fn standard_errors(
    problem: &Problem,
    v: &[f64],
    pinned: usize,
    weights: &Weights,
    members: &[StateId],
) -> Option<Vec<f64>> {
    let m = problem.m;
    let h = problem.hessian_weights(v);
    let idx = |i: usize| if i < pinned { i } else { i - 1 };
    let mut mat = DMatrix::<f64>::zeros(m - 1, m - 1);
    for (e, &(f, g, _)) in problem.edges.iter().enumerate() {
        let k = h[e] * weights.n0[members[f]];
        if f != pinned {
            mat[(idx(f), idx(f))] += k;
        }
        if g != pinned {
            mat[(idx(g), idx(g))] += k;
        }
        if f != pinned && g != pinned {
            mat[(idx(f), idx(g))] -= k;
            mat[(idx(g), idx(f))] -= k;
        }
    }
    let inv = mat.cholesky()?.inverse();
    Some(
        (0..m)
            .map(|i| if i == pinned { 0.0 } else { inv[(idx(i), idx(i))].max(0.0).sqrt() })
            .collect(),
    )
}

/// One-sided bounds of states outside the reference component (the largest), from the
/// one-way edges: `f -> g` seen, `g -> f` not, gives `V(f) - V(g) >= log(w(f -> g) N0(g))`.
fn bounds(fit: &mut PotentialFit, weights: &Weights, comps: &Components, levels: &[usize]) {
    let n = weights.len();
    let reference = &fit.components[0].states;
    let mut in_ref = vec![false; n];
    for &s in reference {
        in_ref[s] = true;
    }
    // Known lower (resp. upper) values: V itself inside the reference component.
    let mut lower: Vec<Option<f64>> =
        (0..n).map(|s| if in_ref[s] { fit.value[s] } else { None }).collect();
    let mut upper = lower.clone();
    let mut by_level: Vec<StateId> = (0..n).collect();
    by_level.sort_by_key(|&s| levels[s]);
    let mut out_edges: Vec<Vec<(StateId, f64)>> = vec![Vec::new(); n];
    let mut in_edges: Vec<Vec<(StateId, f64)>> = vec![Vec::new(); n];
    for &(f, g, w) in &weights.edges {
        if comps.of[f] != comps.of[g] {
            out_edges[f].push((g, w));
            in_edges[g].push((f, w));
        }
    }
    // log(w(f -> g) N0(g)): the smallest gap the absence of g -> f allows.
    let gap = |g: StateId, w: f64| {
        let x = w * weights.n0[g];
        (x > 0.0).then(|| x.ln())
    };
    // Lower bounds flow uphill: successors have lower levels, so ascending order sees them first.
    for &s in &by_level {
        if in_ref[s] {
            continue;
        }
        for &(g, w) in &out_edges[s] {
            if let (Some(lg), Some(d)) = (lower[g], gap(g, w)) {
                lower[s] = Some(lower[s].map_or(lg + d, |b: f64| b.max(lg + d)));
            }
        }
    }
    for &s in by_level.iter().rev() {
        if in_ref[s] {
            continue;
        }
        for &(f, w) in &in_edges[s] {
            if let (Some(uf), Some(d)) = (upper[f], gap(s, w)) {
                upper[s] = Some(upper[s].map_or(uf - d, |b: f64| b.min(uf - d)));
            }
        }
    }
    for s in 0..n {
        if in_ref[s] {
            continue;
        }
        fit.bound[s] = match (lower[s], upper[s]) {
            (Some(v), _) => Some(Bound { kind: BoundKind::Lower, value: v }),
            (None, Some(v)) => Some(Bound { kind: BoundKind::Upper, value: v }),
            _ => None,
        };
    }
}
