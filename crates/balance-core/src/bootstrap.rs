//! Bootstrap intervals (seeded): every replicate resamples each source's attempts from its own
//! observed outcomes (restart sampling makes each row an independent multinomial sample), then
//! refits the potential and recomputes `G` and the entropy production.

use crate::datasets::Dataset;
use crate::markov::{
    CountMatrix, entropy_production, log_likelihood_nonrev, log_likelihood_rev, nonrev_stationary,
    reversible_mle,
};
use crate::model::Counts;
use crate::normalization::Normalization;
use crate::potential::{Gauge, PotentialFit, fit_potential};
use crate::random::Random;
use crate::report::{Settings, analysis_weights};

/// 95% percentile intervals from the replicates.
#[derive(Debug, Clone, PartialEq)]
pub struct Bootstrap {
    /// Per state: interval of `V` in the reported gauge, where the state was fitted in at least
    /// half of the replicates.
    pub potential: Vec<Option<[f64; 2]>>,
    /// Interval of the likelihood-ratio statistic.
    pub lrt: Option<[f64; 2]>,
    /// Interval of the entropy production.
    pub entropy: Option<[f64; 2]>,
}

/// One resampled copy of the counts: each source keeps its number of attempts, drawn from its
/// observed outcomes. With high-reject data the unrecorded attempts `N0(f) - n(f)` are resampled
/// as rejections.
pub fn resample(
    counts: &Counts,
    settings: &Settings,
    total: Option<f64>,
    rng: &mut Random,
) -> Counts {
    let n = counts.len();
    let n0 = if settings.normalization == Normalization::HighReject && n > 0 {
        Some(
            settings.total_attempts.or(total).unwrap_or_else(|| counts.total_attempts()) / n as f64,
        )
    } else {
        None
    };
    let mut out_edges: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for (f, g, c) in counts.edges() {
        out_edges[f].push((g, c));
    }
    let mut fresh = Counts::new();
    for s in 0..n {
        fresh.add_state(counts.states().label(s));
    }
    for (f, edges) in out_edges.iter().enumerate() {
        // Outcomes: a state (self-loop included), a recorded rejection, an unrecorded attempt.
        let unrecorded = n0.map_or(0.0, |a| (a - counts.attempts(f)).max(0.0));
        let mut outcomes: Vec<(Outcome, f64)> =
            edges.iter().map(|&(g, c)| (Outcome::State(g), c)).collect();
        outcomes.push((Outcome::State(f), counts.self_loops(f)));
        outcomes.push((Outcome::Rejected, counts.rejected(f)));
        outcomes.push((Outcome::Unrecorded, unrecorded));
        let mut cumulative = Vec::with_capacity(outcomes.len());
        let mut acc = 0.0;
        for o in &outcomes {
            acc += o.1;
            cumulative.push(acc);
        }
        let draws = acc.round() as usize;
        if draws == 0 {
            continue;
        }
        let mut tally = vec![0usize; outcomes.len()];
        for _ in 0..draws {
            tally[rng.pick(&cumulative)] += 1;
        }
        for (k, &t) in tally.iter().enumerate().filter(|(_, t)| **t > 0) {
            match outcomes[k].0 {
                Outcome::State(g) => fresh.add_transition_ids(f, g, t as f64),
                Outcome::Rejected => fresh.add_rejection(counts.states().label(f), t as f64),
                // Unrecorded high-reject attempts stay implicit, as in the data.
                Outcome::Unrecorded => {}
            }
        }
    }
    fresh
}

/// What one resampled attempt gave.
#[derive(Clone, Copy)]
enum Outcome {
    State(usize),
    Rejected,
    Unrecorded,
}

fn percentile_interval(mut xs: Vec<f64>) -> Option<[f64; 2]> {
    xs.retain(|x| x.is_finite());
    if xs.len() < 2 {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let pos = q * (xs.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        xs[lo] + (xs[hi] - xs[lo]) * (pos - lo as f64)
    };
    Some([at(0.025), at(0.975)])
}

/// Runs `replicates` bootstrap replicates with `seed`. Potentials are compared relative to the
/// reference state of each fitted component of `fit`, then shifted to the reported gauge.
/// `finished` is called with the number of replicates done after each one.
pub fn bootstrap(
    dataset: &Dataset,
    settings: &Settings,
    fit: &PotentialFit,
    replicates: usize,
    seed: u64,
    finished: &mut dyn FnMut(usize),
) -> Bootstrap {
    let n = dataset.counts.len();
    let mut rng = Random::new(seed);
    let mut vs: Vec<Vec<f64>> = vec![Vec::new(); n];
    let mut gs = Vec::with_capacity(replicates);
    let mut sigmas = Vec::with_capacity(replicates);
    for k in 0..replicates {
        let counts = resample(&dataset.counts, settings, dataset.total_attempts, &mut rng);
        let weights = analysis_weights(&counts, settings, dataset.total_attempts);
        if let Ok(rep) = fit_potential(
            &weights,
            settings.kernel,
            settings.beta,
            settings.solver,
            Gauge::LowestZero,
            0,
        ) {
            for comp in &fit.components {
                let r = comp.reference;
                let (Some(vr), Some(cr)) = (rep.value[r], rep.component[r]) else {
                    continue;
                };
                let offset = fit.value[r].unwrap_or(0.0);
                for &s in &comp.states {
                    if let (Some(v), Some(c)) = (rep.value[s], rep.component[s])
                        && c == cr
                    {
                        vs[s].push(v - vr + offset);
                    }
                }
            }
        }
        let cm = CountMatrix::from_counts(&counts, settings.normalization, &weights);
        let rev = reversible_mle(&cm);
        gs.push((2.0 * (log_likelihood_nonrev(&cm) - log_likelihood_rev(&cm, &rev))).max(0.0));
        let (pi, _) = nonrev_stationary(&cm, Some(&rev.pi));
        sigmas.push(entropy_production(&cm, &pi).0);
        finished(k + 1);
    }
    let potential = vs
        .into_iter()
        .map(|v| if 2 * v.len() >= replicates { percentile_interval(v) } else { None })
        .collect();
    Bootstrap { potential, lrt: percentile_interval(gs), entropy: percentile_interval(sigmas) }
}
