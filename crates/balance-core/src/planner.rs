//! Where to sample next: ranks the sources by how much one more attempt from each would shrink
//! the uncertainty that matters, and allocates the next attempts greedily.
//!
//! Two needs, in order. **Placing states**: a state the data cannot place yet and that was
//! rarely tried as a source is sampled first (its own transitions are what can join it to the
//! rest), and a fifth of every allocation keeps going to states still unplaced. **Precision**: by the sandwich formula, `Var(V) = H^-1 (sum_f J_f) H^-1`, and with the
//! weights normalised by each source's attempts, `J_f` falls as `1 / n_f` while `H` stays put;
//! one more attempt from `f` lowers `Var(V_i)` by `a_fi (1/n - 1/(n + 1))` at `n` attempts,
//! `a_fi` its per-attempt term. Attempts go greedily where they lower the summed log-variance of
//! the states still above the target most: relative reductions, so that a state whose error no
//! source can lower fast (one the agent rarely enters) does not swallow the attempts.

use serde::{Deserialize, Serialize};

use crate::graph::Components;
use crate::model::{Counts, StateId};
use crate::potential::{component_problem, edges_by_component, fit_potential, variance_shares};
use crate::settings::Settings;

/// Attempts a state the data cannot place gets before precision is sought elsewhere.
pub const EXPLORE_ATTEMPTS: f64 = 10.0;
/// Share of each allocation that keeps going to states still unplaced after their first
/// attempts (fewest attempts first), so that the planner keeps placing states as the paper's
/// uniform restarts do.
pub const EXPLORE_SHARE: f64 = 0.2;

/// Why a source is worth sampling.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Need {
    /// The data cannot place it yet, and it was tried as a source only this often.
    Placing {
        /// Its attempts so far.
        attempts: f64,
    },
    /// One more attempt lowers the summed variance of the states above the target by this.
    Precision {
        /// The reduction of the summed variance from the next attempt.
        gain: f64,
    },
}

/// One source and what sampling it does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advice {
    /// The state to put into the prompt.
    pub state: StateId,
    /// Why.
    pub need: Need,
}

/// How each source's attempts feed the variances of the largest fitted component: with `n_f`
/// attempts from source `f`, `Var(V_i) ~ sum_f per_attempt[f][i] / n_f` (the sandwich formula,
/// its sources' terms scaled to one attempt).
#[derive(Debug, Clone, PartialEq)]
pub struct VarianceSources {
    /// The component's states.
    pub states: Vec<StateId>,
    /// `per_attempt[f][i]`, on the component's local indices.
    pub per_attempt: Vec<Vec<f64>>,
}

/// The [`VarianceSources`] of the largest fitted component of `counts`, when it is small enough
/// for dense standard errors.
pub fn variance_sources(counts: &Counts, settings: &Settings) -> Option<VarianceSources> {
    let weights = settings.weights(counts, None);
    let fit =
        fit_potential(&weights, settings.kernel, settings.beta, settings.solver, settings.gauge, 0)
            .ok()?;
    let comp = fit.components.first().filter(|c| c.states.len() <= settings.max_dense_states)?;
    let comps = Components::new(weights.len(), weights.edges.iter().map(|&(f, g, _)| (f, g)));
    let edges_of = edges_by_component(&weights, &comps);
    let mut local = vec![usize::MAX; weights.len()];
    for (i, &s) in comp.states.iter().enumerate() {
        local[s] = i;
    }
    let c = comps.of[comp.states[0]];
    let (problem, noise) = component_problem(
        &weights,
        &comp.states,
        &edges_of[c],
        &local,
        settings.kernel,
        settings.beta,
    );
    let v: Vec<f64> = comp.states.iter().map(|&s| fit.value[s].unwrap_or(0.0)).collect();
    let share = variance_shares(&problem, &v, local[comp.reference], &noise)?;
    let per_attempt = share
        .into_iter()
        .zip(&comp.states)
        .map(|(row, &s)| row.into_iter().map(|x| x * weights.trials[s]).collect())
        .collect();
    Some(VarianceSources { states: comp.states.clone(), per_attempt })
}

/// The placed states' variance terms: per component, its states, each source's per-attempt
/// terms and attempts.
struct Placed {
    /// Every placed state, with its component's index into `per_attempt`.
    states: Vec<(StateId, usize, usize)>,
    /// Per component: `per_attempt[f][i]` on local indices.
    per_attempt: Vec<Vec<Vec<f64>>>,
    /// Per component: each local source's attempts.
    trials: Vec<Vec<f64>>,
    /// Per component: its states.
    members: Vec<Vec<StateId>>,
}

fn placed(counts: &Counts, settings: &Settings) -> Placed {
    let mut out = Placed {
        states: Vec::new(),
        per_attempt: Vec::new(),
        trials: Vec::new(),
        members: Vec::new(),
    };
    let weights = settings.weights(counts, None);
    let Ok(fit) =
        fit_potential(&weights, settings.kernel, settings.beta, settings.solver, settings.gauge, 0)
    else {
        return out;
    };
    let comps = Components::new(weights.len(), weights.edges.iter().map(|&(f, g, _)| (f, g)));
    let edges_of = edges_by_component(&weights, &comps);
    let mut local = vec![usize::MAX; weights.len()];
    for comp in fit.components.iter().filter(|c| c.states.len() <= settings.max_dense_states) {
        let members = &comp.states;
        for (i, &s) in members.iter().enumerate() {
            local[s] = i;
        }
        let c = comps.of[members[0]];
        let (problem, noise) = component_problem(
            &weights,
            members,
            &edges_of[c],
            &local,
            settings.kernel,
            settings.beta,
        );
        let v: Vec<f64> = members.iter().map(|&s| fit.value[s].unwrap_or(0.0)).collect();
        let Some(share) = variance_shares(&problem, &v, local[comp.reference], &noise) else {
            continue;
        };
        let k = out.per_attempt.len();
        let trials: Vec<f64> = members.iter().map(|&s| weights.trials[s]).collect();
        out.per_attempt.push(
            share
                .into_iter()
                .zip(&trials)
                .map(|(row, n)| row.into_iter().map(|x| x * n).collect())
                .collect(),
        );
        out.states.extend(members.iter().enumerate().map(|(i, &s)| (s, k, i)));
        out.trials.push(trials);
        out.members.push(members.clone());
    }
    out
}

/// Allocates `k` attempts among the placed sources greedily: each goes to the source whose
/// next attempt lowers the summed log-variance of the states above `target_se` (all states once
/// none is) most, that is their relative variances, so that every state counts alike however
/// large its error; the variances are updated as attempts are allocated. Returns the sources,
/// and each source's first gain for ranking.
fn allocate(
    p: &Placed,
    candidates: &[StateId],
    target_se: f64,
    k: usize,
) -> (Vec<StateId>, Vec<(StateId, f64)>) {
    let mut trials = p.trials.clone();
    let variance = |trials: &[Vec<f64>], c: usize, i: usize| {
        p.per_attempt[c]
            .iter()
            .zip(&trials[c])
            .map(|(row, n)| if *n > 0.0 { row[i] / n } else { 0.0 })
            .sum::<f64>()
    };
    let allowed: std::collections::BTreeSet<StateId> = candidates.iter().copied().collect();
    let mut out = Vec::with_capacity(k);
    let mut first_gains = Vec::new();
    for step in 0..=k {
        let vars: Vec<f64> = p.states.iter().map(|&(_, c, i)| variance(&trials, c, i)).collect();
        let above: Vec<bool> = vars.iter().map(|v| v.sqrt() > target_se).collect();
        let any = above.iter().any(|a| *a);
        let counted = |j: usize| above[j] || !any;
        let weight: Vec<f64> = (0..vars.len())
            .map(|j| if counted(j) && vars[j] > 0.0 { 1.0 / vars[j] } else { 0.0 })
            .collect();
        let mut best: Option<(f64, usize, usize)> = None;
        for (c, sources) in p.per_attempt.iter().enumerate() {
            for (f, row) in sources.iter().enumerate() {
                let s = p.members[c][f];
                let n = trials[c][f];
                if !allowed.contains(&s) || n <= 0.0 {
                    continue;
                }
                let drop = 1.0 / n - 1.0 / (n + 1.0);
                let gain: f64 = p
                    .states
                    .iter()
                    .enumerate()
                    .filter(|&(_, &(_, cc, _))| cc == c)
                    .map(|(j, &(_, _, i))| weight[j] * row[i] * drop)
                    .sum();
                if step == 0 {
                    first_gains.push((s, gain));
                }
                if best.is_none_or(|b| gain > b.0) {
                    best = Some((gain, c, f));
                }
            }
        }
        if step == k {
            break;
        }
        let Some((_, c, f)) = best.filter(|b| b.0 > 0.0) else { break };
        trials[c][f] += 1.0;
        out.push(p.members[c][f]);
    }
    (out, first_gains)
}

/// The sources of `candidates` ranked by need: states to place first (fewest attempts first),
/// then by how much their next attempt lowers the largest standard errors.
pub fn rank_sources(
    counts: &Counts,
    settings: &Settings,
    candidates: &[StateId],
    target_se: f64,
) -> Vec<Advice> {
    let p = placed(counts, settings);
    let (_, gains) = allocate(&p, candidates, target_se, 0);
    let placed: std::collections::BTreeSet<StateId> = p.states.iter().map(|s| s.0).collect();
    let mut placing: Vec<Advice> = candidates
        .iter()
        .filter(|s| !placed.contains(s))
        .map(|&state| Advice { state, need: Need::Placing { attempts: counts.attempts(state) } })
        .collect();
    placing.sort_by(|a, b| match (a.need, b.need) {
        (Need::Placing { attempts: x }, Need::Placing { attempts: y }) => x.total_cmp(&y),
        _ => std::cmp::Ordering::Equal,
    });
    let mut precision: Vec<Advice> = gains
        .into_iter()
        .filter(|(_, g)| *g > 0.0)
        .map(|(state, gain)| Advice { state, need: Need::Precision { gain } })
        .collect();
    precision.sort_by(|a, b| match (b.need, a.need) {
        (Need::Precision { gain: x }, Need::Precision { gain: y }) => x.total_cmp(&y),
        _ => std::cmp::Ordering::Equal,
    });
    placing.extend(precision);
    placing
}

/// The sources of the next `k` attempts among `candidates`: states the data cannot place yet
/// get their first attempts, a share keeps going to those still unplaced, and the rest goes
/// where it lowers the largest standard errors (above `target_se`) most. Empty when the data
/// place nothing and nothing needs placing.
pub fn next_sources(
    counts: &Counts,
    settings: &Settings,
    candidates: &[StateId],
    target_se: f64,
    k: usize,
) -> Vec<StateId> {
    let p = placed(counts, settings);
    let placed: std::collections::BTreeSet<StateId> = p.states.iter().map(|s| s.0).collect();
    let mut unplaced: Vec<(f64, StateId)> = candidates
        .iter()
        .filter(|s| !placed.contains(s))
        .map(|&s| (counts.attempts(s), s))
        .collect();
    unplaced.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut out = Vec::with_capacity(k);
    // First attempts of states to place.
    for &(n, s) in unplaced.iter().filter(|(n, _)| *n < EXPLORE_ATTEMPTS) {
        let missing = (EXPLORE_ATTEMPTS - n).ceil() as usize;
        out.extend(std::iter::repeat_n(s, missing.min(k.saturating_sub(out.len()))));
    }
    // A share for those still unplaced, fewest attempts first.
    let still: Vec<StateId> =
        unplaced.iter().filter(|(n, _)| *n >= EXPLORE_ATTEMPTS).map(|x| x.1).collect();
    let explore = ((k as f64 * EXPLORE_SHARE).ceil() as usize).min(k.saturating_sub(out.len()));
    if !still.is_empty() {
        out.extend(still.iter().cycle().take(explore));
    }
    let (precision, _) = allocate(&p, candidates, target_se, k.saturating_sub(out.len()));
    out.extend(precision);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(rows: &[(&str, &str, f64)]) -> Counts {
        let mut c = Counts::new();
        for &(f, g, n) in rows {
            if g.is_empty() {
                c.add_rejection(f, n);
            } else {
                c.add_transition(f, g, n);
            }
        }
        c
    }

    #[test]
    fn the_uncertain_side_of_a_pair_and_unplaced_states_come_first() {
        // A: 2000 attempts, 100 to B; B: 40 attempts, 2 to A. V(B) - V(A) rests on B's rare
        // returns: more attempts from B shrink its error far more than more from A.
        let c = counts(&[
            ("A", "B", 100.0),
            ("A", "", 1900.0),
            ("B", "A", 2.0),
            ("B", "", 38.0),
            ("B", "C", 1.0),
        ]);
        let s = Settings::default();
        let (a, b, cc) = (0, 1, 2);
        let ranked = rank_sources(&c, &s, &[a, b, cc], 0.1);
        assert_eq!(ranked[0].state, cc, "C was reached but never tried: place it first");
        assert!(matches!(ranked[0].need, Need::Placing { attempts } if attempts == 0.0));
        assert_eq!(ranked[1].state, b);
        let next = next_sources(&c, &s, &[a, b, cc], 0.1, 30);
        assert_eq!(next.iter().filter(|&&x| x == cc).count(), 10);
        let from_b = next.iter().filter(|&&x| x == b).count();
        assert!(from_b >= 15, "{next:?}");
    }
}
