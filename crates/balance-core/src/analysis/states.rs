//! The report of every state and transition: each state's potential with its standard error
//! and intervals (widened to hold the exact interval of its entries), its bound or why it has
//! none, its class's stationary probability and free energy.

use super::classes::Markov;
use crate::datasets::Dataset;
use crate::normalization::Weights;
use crate::potential::{PotentialFit, entry_range, hold};
use crate::replicates::Intervals;
use crate::report::{StateReport, TransitionReport};
use crate::settings::Settings;

/// Plain words on why a state with (or without) edges out and in has no finite potential.
fn unbounded_reason(out: bool, inc: bool) -> String {
    match (out, inc) {
        (true, false) => "only leaves (never reached): its potential runs to +infinity".into(),
        (false, true) => "only reached (never left): its potential runs to -infinity".into(),
        (false, false) => "no transitions to or from it".into(),
        (true, true) => {
            "not in a strongly connected set: the way back to where it leads was never seen".into()
        }
    }
}

pub(super) fn state_reports(
    dataset: &Dataset,
    settings: &Settings,
    weights: &Weights,
    fit: &PotentialFit,
    m: &Markov,
    posterior: Option<&Intervals>,
    boot: Option<&Intervals>,
) -> Vec<StateReport> {
    let counts = &dataset.counts;
    let n = counts.len();
    let mut has_out = vec![false; n];
    let mut has_in = vec![false; n];
    let mut entries = vec![0.0; n];
    for (_, g, c) in counts.edges().filter(|(f, g, _)| f != g) {
        entries[g] += c;
    }
    for &(f, g, _) in &weights.edges {
        has_out[f] = true;
        has_in[g] = true;
    }
    let at = |i: Option<&Intervals>, pick: fn(&Intervals) -> &Vec<Option<[f64; 2]>>, s: usize| {
        i.and_then(|x| pick(x).get(s).copied().flatten())
    };
    // Intervals of `V` are widened to hold the exact interval of the entries that placed the
    // state, found once per state (a component's reference sits at its value by definition and
    // is left as it is).
    let mut reference = vec![false; n];
    for c in &fit.components {
        reference[c.reference] = true;
    }
    (0..n)
        .map(|s| {
            let intervals = [
                fit.value[s].zip(fit.se[s]).map(|(v, e)| [v - 1.96 * e, v + 1.96 * e]),
                at(posterior, |i| &i.potential, s),
                at(boot, |i| &i.potential, s),
            ];
            // Found only where there is an interval to widen.
            let range = fit.value[s]
                .filter(|_| !reference[s] && intervals.iter().any(Option::is_some))
                .and_then(|v| entry_range(v, entries[s], settings.beta));
            let [se_interval, credible, interval] = intervals.map(|i| Some(hold(i?, range)));
            let identifiable = fit.value[s].is_some();
            let reason = if identifiable {
                None
            } else if !weights.active[s] {
                Some(format!(
                    "filtered: sampled {} times, at most the threshold {}",
                    counts.out_transitions(s) + counts.self_loops(s),
                    settings.threshold
                ))
            } else {
                Some(unbounded_reason(has_out[s], has_in[s]))
            };
            StateReport {
                label: counts.states().label(s).to_owned(),
                attempts: counts.attempts(s),
                entries: entries[s],
                identifiable,
                component: fit.component[s],
                reference: reference[s],
                potential: fit.value[s],
                potential_bound: fit.bound[s],
                potential_se: fit.se[s],
                potential_se_interval: se_interval,
                potential_credible: credible,
                potential_interval: interval,
                stationary: m.stationary[s],
                stationary_credible: at(posterior, |i| &i.stationary, s),
                free_energy: m.free_energy[s],
                free_energy_credible: at(posterior, |i| &i.free_energy, s),
                level: fit.level[s],
                mfpt_to_minimum: m.mfpt[s],
                reason,
            }
        })
        .collect()
}

pub(super) fn transition_reports(dataset: &Dataset, weights: &Weights) -> Vec<TransitionReport> {
    let weight_of: std::collections::BTreeMap<(usize, usize), f64> =
        weights.edges.iter().map(|&(f, g, w)| ((f, g), w)).collect();
    dataset
        .counts
        .edges()
        .map(|(f, g, c)| TransitionReport {
            source: f,
            target: g,
            count: c,
            weight: weight_of.get(&(f, g)).copied().unwrap_or(0.0),
        })
        .collect()
}
