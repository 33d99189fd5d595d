//! Fits the potential on every strongly connected component of the weighted transition graph.

use serde::{Deserialize, Serialize};

use super::kernel::Kernel;
use super::solve::{Problem, SolveError, Solver};
use super::uncertainty::{EdgeNoise, sandwich_covariance, sandwich_se};
use crate::graph::Components;
use crate::model::StateId;
use crate::normalization::Weights;

/// Where the arbitrary constant of `V` is fixed. Whatever the gauge, standard errors and
/// intervals are those of `V - V(reference)`, the difference from the component's reference
/// state ([`FittedComponent::reference`]), moved with the estimate to where the gauge puts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Gauge {
    /// Each component's reference state (the one entered most often) at 0: the gauge in which
    /// every interval is of the difference it is drawn as.
    Reference,
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
    /// The state entered most often from the rest of the component (ties: the one with the
    /// most attempts, then the first): the pinned state of the standard errors, chosen from how
    /// much data place each state and not from the estimates, whose noise would otherwise choose
    /// it (the state whose estimate is lowest is often one whose own error is strongly
    /// negative, and then every interval of the component shifts with it).
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
    /// Standard error of `V - V(reference)` by the sandwich `H^-1 J H^-1` (the reference
    /// pinned): [`super::uncertainty::sandwich_se`].
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

/// The indices of the edges inside each component of `comps`.
pub(crate) fn edges_by_component(weights: &Weights, comps: &Components) -> Vec<Vec<usize>> {
    let mut edges_of: Vec<Vec<usize>> = vec![Vec::new(); comps.len()];
    for (e, &(f, g, _)) in weights.edges.iter().enumerate() {
        if comps.of[f] == comps.of[g] {
            edges_of[comps.of[f]].push(e);
        }
    }
    edges_of
}

/// The action restricted to one component (`members`, its edges `edges`, `local` the local
/// index of each of its states) and the noise of its weights.
pub(crate) fn component_problem(
    weights: &Weights,
    members: &[StateId],
    edges: &[usize],
    local: &[usize],
    kernel: Kernel,
    beta: f64,
) -> (Problem, EdgeNoise) {
    let problem = Problem {
        m: members.len(),
        edges: edges
            .iter()
            .map(|&e| {
                let (f, g, w) = weights.edges[e];
                (local[f], local[g], w)
            })
            .collect(),
        kernel,
        beta,
    };
    let noise = EdgeNoise {
        counts: edges.iter().map(|&e| weights.counts[e]).collect(),
        slopes: edges.iter().map(|&e| weights.slopes[e]).collect(),
        trials: members.iter().map(|&s| weights.trials[s]).collect(),
    };
    (problem, noise)
}

/// Fits `V` per strongly connected component of the weighted graph.
///
/// `max_se_states` limits the dense matrices of the standard errors.
pub fn fit_potential(
    weights: &Weights,
    kernel: Kernel,
    beta: f64,
    solver: Solver,
    gauge: Gauge,
    max_se_states: usize,
) -> Result<PotentialFit, SolveError> {
    fit_potential_from(weights, kernel, beta, solver, gauge, max_se_states, &[])
}

/// As [`fit_potential`], starting each component's solver from `start` (a potential per state,
/// such as the data's own fit when refitting a replicate) where it covers the whole component,
/// else from the condensation levels. The
/// minimum is the same; a close start saves Newton steps.
pub fn fit_potential_from(
    weights: &Weights,
    kernel: Kernel,
    beta: f64,
    solver: Solver,
    gauge: Gauge,
    max_se_states: usize,
    start: &[Option<f64>],
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
    let edges_of = edges_by_component(weights, &comps);
    let mut total_action = 0.0;
    for &c in &order {
        let members = &comps.members[c];
        for (i, &s) in members.iter().enumerate() {
            local[s] = i;
        }
        let (problem, noise) =
            component_problem(weights, members, &edges_of[c], &local, kernel, beta);
        let warm: Option<Vec<f64>> =
            members.iter().map(|&s| start.get(s).copied().flatten()).collect();
        let v0 = warm
            .filter(|v| v.iter().all(|x| x.is_finite()))
            .unwrap_or_else(|| members.iter().map(|&s| levels[s] as f64).collect());
        let sol = problem.solve(solver, &v0)?;
        total_action += problem.value(&sol.v);
        let pinned = reference_of(&problem, &noise);
        let zero = match gauge {
            Gauge::Reference => sol.v[pinned],
            Gauge::LowestZero | Gauge::MeanZero => {
                sol.v.iter().copied().fold(f64::INFINITY, f64::min)
            }
        };
        let se = (members.len() <= max_se_states)
            .then(|| sandwich_se(&problem, &sol.v, pinned, &noise))
            .flatten();
        let index = fit.components.len();
        for (i, &s) in members.iter().enumerate() {
            fit.value[s] = Some(sol.v[i] - zero);
            fit.component[s] = Some(index);
            fit.se[s] = se.as_ref().map(|e| e[i]);
        }
        fit.components.push(FittedComponent {
            states: members.clone(),
            reference: members[pinned],
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

/// The reference of a component's `problem` (local index): the state entered most often by
/// its edges, ties broken by the most trials, then the first. Entries and trials are counts the
/// design and the agent's moves give, not the fitted values, so the choice does not follow the
/// noise of the estimates.
fn reference_of(problem: &Problem, noise: &EdgeNoise) -> usize {
    let mut entries = vec![0.0; problem.m];
    for (e, &(_, g, _)) in problem.edges.iter().enumerate() {
        entries[g] += noise.counts[e];
    }
    (0..problem.m)
        .max_by(|&a, &b| {
            entries[a]
                .total_cmp(&entries[b])
                .then(noise.trials[a].total_cmp(&noise.trials[b]))
                .then(b.cmp(&a))
        })
        .unwrap_or(0)
}

/// The sandwich covariance of `V - V(reference)` over the states of `fit`'s component
/// `component`, in the order of its `states` (the reference's row and column 0). `None` when
/// the component does not exist or its Hessian is singular.
pub fn component_covariance(
    weights: &Weights,
    fit: &PotentialFit,
    component: usize,
    kernel: Kernel,
    beta: f64,
) -> Option<nalgebra::DMatrix<f64>> {
    let comp = fit.components.get(component)?;
    let members = &comp.states;
    let mut local = vec![usize::MAX; weights.len()];
    for (i, &s) in members.iter().enumerate() {
        local[s] = i;
    }
    let edges: Vec<usize> = (0..weights.edges.len())
        .filter(|&e| {
            let (f, g, _) = weights.edges[e];
            local[f] != usize::MAX && local[g] != usize::MAX
        })
        .collect();
    let (problem, noise) = component_problem(weights, members, &edges, &local, kernel, beta);
    let v: Option<Vec<f64>> = members.iter().map(|&s| fit.value[s]).collect();
    let pinned = local[comp.reference];
    sandwich_covariance(&problem, &v?, pinned, &noise)
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
