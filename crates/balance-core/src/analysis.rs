//! The fitting: [`analyze`] turns a dataset and [`Settings`] into a [`Report`], used alike by
//! the command line and the app. It fits the potential, the Markov estimators and the tests, then
//! the replicates the settings ask for (the null distribution under detailed balance, posterior
//! draws, bootstrap replicates), and words the verdict.

use serde::{Deserialize, Serialize};

use crate::datasets::Dataset;
use crate::detailed_balance::{loop_test, one_way_pairs, pairwise_test, potential_histogram};
use crate::markov::{
    CountMatrix, DenseChain, LikelihoodRatio, NullDistribution, cycle_affinities,
    entropy_production, likelihood_ratio, mean_first_passage, nonrev_stationary, null_distribution,
    one_way_cycles, reversible_mle,
};
use crate::normalization::Weights;
use crate::potential::{PotentialFit, entry_range, fit_potential, hold};
use crate::replicates::{Intervals, Resampling, replicate};
use crate::report::{
    ActionReport, CycleReport, EntropyReport, LrtReport, OneWayCycleReport, Report, StateReport,
    TransitionReport,
};
use crate::settings::Settings;
use crate::verdict::{Findings, verdict};

/// Largest total of counts analysed: beyond it, sums of counts times logarithms overflow.
const MAX_TOTAL: f64 = 1e300;

/// Why an analysis could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzeError(pub String);

impl std::fmt::Display for AnalyzeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AnalyzeError {}

/// The stages of an analysis, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Fitting the least-action potential.
    Potential,
    /// The Markov-chain estimators and the likelihood-ratio test.
    Markov,
    /// The pairwise, loop and one-way tests.
    Tests,
    /// Replicates drawn under detailed balance.
    Null,
    /// Posterior draws.
    Posterior,
    /// Bootstrap replicates.
    Bootstrap,
}

impl Stage {
    /// What the stage does, for a progress message.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Potential => "fitting the potential",
            Stage::Markov => "reversible and non-reversible estimates",
            Stage::Tests => "tests of detailed balance",
            Stage::Null => "replicates under detailed balance",
            Stage::Posterior => "posterior draws",
            Stage::Bootstrap => "bootstrap replicates",
        }
    }
}

/// How far an analysis has got: `done` of `total` steps, now in `stage`. The steps are the
/// three fixed stages and one per replicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The stage being worked on.
    pub stage: Stage,
    /// Steps finished.
    pub done: usize,
    /// Steps in all.
    pub total: usize,
}

/// Analyses a dataset.
pub fn analyze(dataset: &Dataset, settings: &Settings) -> Result<Report, AnalyzeError> {
    analyze_with_progress(dataset, settings, &mut |_| {})
}

/// The Markov-chain estimates on the connected set.
struct Markov {
    cm: CountMatrix,
    lrt: LikelihoodRatio,
    /// Stationary probability and free energy per dataset state.
    stationary: Vec<Option<f64>>,
    free_energy: Vec<Option<f64>>,
    /// The dataset state of lowest free energy.
    minimum: Option<usize>,
    entropy: (f64, usize),
    mfpt: Vec<Option<f64>>,
    timescales: Option<Vec<f64>>,
    cycles: Vec<CycleReport>,
    one_way_cycles: Vec<OneWayCycleReport>,
    rev: crate::markov::ReversibleFit,
}

fn markov(
    dataset: &Dataset,
    settings: &Settings,
    weights: &Weights,
) -> Result<Markov, AnalyzeError> {
    let n = dataset.counts.len();
    let cm = CountMatrix::from_counts(&dataset.counts, settings.normalization, weights);
    let rev = reversible_mle(&cm);
    let lrt = likelihood_ratio(&cm, &rev);
    if !(lrt.ll_nonrev.is_finite() && lrt.ll_rev.is_finite()) {
        return Err(AnalyzeError(
            "the counts are too large to analyse: their log-likelihood is not a finite number"
                .into(),
        ));
    }
    let connected = cm.len() >= 2;
    let mut stationary = vec![None; n];
    let mut free_energy = vec![None; n];
    let mut minimum = None;
    if connected {
        let f_min = rev
            .pi
            .iter()
            .copied()
            .filter(|p| *p > 0.0)
            .map(|p| -p.ln())
            .fold(f64::INFINITY, f64::min);
        for (i, &s) in cm.states.iter().enumerate() {
            if rev.pi[i] > 0.0 {
                stationary[s] = Some(rev.pi[i]);
                free_energy[s] = Some(-rev.pi[i].ln() - f_min);
                if -rev.pi[i].ln() == f_min {
                    minimum = Some(s);
                }
            }
        }
    }
    let entropy = if connected {
        let (pi_nonrev, _) = nonrev_stationary(&cm, Some(&rev.pi));
        entropy_production(&cm, &pi_nonrev)
    } else {
        (0.0, 0)
    };
    let mut mfpt = vec![None; n];
    let mut timescales = None;
    if connected && cm.len() <= settings.max_dense_states {
        let chain = DenseChain::new(&rev.dense());
        timescales = Some(chain.implied_timescales(&rev.pi));
        let target = (0..cm.len()).max_by(|&a, &b| rev.pi[a].total_cmp(&rev.pi[b])).unwrap_or(0);
        if let Some(m) = mean_first_passage(&chain, target) {
            for (i, &s) in cm.states.iter().enumerate() {
                mfpt[s] = Some(m[i]);
            }
        }
    }
    let cycles = cycle_affinities(&cm)
        .into_iter()
        .take(20)
        .map(|c| CycleReport {
            states: c.states.iter().map(|&i| cm.states[i]).collect(),
            affinity: c.affinity,
            se: c.se,
        })
        .collect();
    let one_way_cycles = one_way_cycles(&cm, &rev)
        .into_iter()
        .take(10)
        .map(|c| OneWayCycleReport {
            states: c.states.iter().map(|&i| cm.states[i]).collect(),
            expected_reverse: c.expected_reverse,
            p_value: c.p_value,
        })
        .collect();
    Ok(Markov {
        cm,
        lrt,
        stationary,
        free_energy,
        minimum,
        entropy,
        mfpt,
        timescales,
        cycles,
        one_way_cycles,
        rev,
    })
}

/// Checks that the counts can be summed and multiplied by logarithms without overflow.
pub(crate) fn check_finite(dataset: &Dataset) -> Result<(), AnalyzeError> {
    let total = dataset.counts.total_attempts();
    if !(total.is_finite() && total <= MAX_TOTAL) {
        return Err(AnalyzeError(format!(
            "the counts are too large to analyse: their total ({total:e}) is beyond {MAX_TOTAL:e}"
        )));
    }
    Ok(())
}

/// Analyses a dataset, calling `progress` as each stage starts and after each replicate (for a
/// progress bar in a worker).
pub fn analyze_with_progress(
    dataset: &Dataset,
    settings: &Settings,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, AnalyzeError> {
    settings.validate().map_err(AnalyzeError)?;
    let counts = &dataset.counts;
    if counts.is_empty() {
        return Err(AnalyzeError("the dataset has no states".into()));
    }
    check_finite(dataset)?;
    let total = 3 + settings.null_replicates + settings.posterior + settings.bootstrap;
    let mut report = |stage, done| progress(Progress { stage, done, total });
    report(Stage::Potential, 0);
    let n = counts.len();
    let weights = settings.weights(counts, dataset.total_attempts);
    let fit = fit_potential(
        &weights,
        settings.kernel,
        settings.beta,
        settings.solver,
        settings.gauge,
        settings.max_dense_states,
    )
    .map_err(|e| AnalyzeError(e.0))?;
    if fit.value.iter().flatten().any(|v| !v.is_finite()) || !fit.action.is_finite() {
        return Err(AnalyzeError(
            "the potential could not be fitted: the action is not a finite number".into(),
        ));
    }

    report(Stage::Markov, 1);
    let markov = markov(dataset, settings, &weights)?;

    report(Stage::Tests, 2);
    let beta = settings.beta;
    let pairwise =
        pairwise_test(counts, &weights, &fit.value, &fit.component, settings.pair_rule, beta);
    let loops = loop_test(counts, &weights, settings.loop_threshold);
    let one_way = one_way_pairs(&weights, &fit.value, &fit.component, beta);
    let k0 = settings.kernel.value(0.0, settings.beta);
    let sampled: Vec<f64> = (0..n)
        .filter(|&s| counts.attempts(s) >= 2.0 && fit.component[s] == Some(0))
        .filter_map(|s| fit.value[s])
        .collect();
    let histogram = potential_histogram(&sampled, k0);

    let connected = markov.cm.len() >= 2;
    let null = (settings.null_replicates > 0 && connected && markov.lrt.df > 0).then(|| {
        report(Stage::Null, 3);
        let seed = settings.seed ^ 0x6e75_6c6c;
        null_distribution(&markov.cm, &markov.rev, settings.null_replicates, seed, &mut |k| {
            report(Stage::Null, 3 + k)
        })
    });
    let mut replicated = |kind: Resampling, count: usize, stage: Stage, start: usize| {
        (count > 0).then(|| {
            report(stage, start);
            replicate(
                dataset,
                settings,
                &fit,
                markov.minimum,
                kind,
                count,
                settings.seed,
                &mut |k| report(stage, start + k),
            )
        })
    };
    let start = 3 + settings.null_replicates;
    let posterior = replicated(Resampling::Posterior, settings.posterior, Stage::Posterior, start);
    let start = start + settings.posterior;
    let boot =
        replicated(Resampling::SmoothedBootstrap, settings.bootstrap, Stage::Bootstrap, start);

    let lrt = lrt_report(&markov, null.as_ref(), posterior.as_ref(), boot.as_ref());
    let entropy_production = entropy_report(&markov, posterior.as_ref(), boot.as_ref());
    let states = state_reports(
        dataset,
        settings,
        &weights,
        &fit,
        &markov,
        posterior.as_ref(),
        boot.as_ref(),
    );
    let transitions = transition_reports(dataset, &weights);
    let labels = counts.states().labels();
    let verdict = verdict(&Findings {
        markov_states: markov.cm.len(),
        lrt: &lrt,
        one_way_cycles: &markov.one_way_cycles,
        labels,
    });
    let mut notes = dataset.notes.clone();
    notes.extend(notes_on(settings, &fit, &markov, &pairwise, histogram.as_ref(), n));

    Ok(Report {
        settings: settings.clone(),
        total_attempts: weights.total_attempts,
        states,
        transitions,
        action: ActionReport {
            minimum: fit.action,
            n_active: weights.n_active,
            components: fit.components.len(),
            converged: fit.components.iter().all(|c| c.converged),
        },
        lrt,
        pairwise,
        loops,
        one_way,
        entropy_production,
        cycles: markov.cycles,
        one_way_cycles: markov.one_way_cycles,
        histogram,
        timescales: markov.timescales,
        verdict,
        notes,
    })
}

fn lrt_report(
    m: &Markov,
    null: Option<&NullDistribution>,
    posterior: Option<&Intervals>,
    boot: Option<&Intervals>,
) -> LrtReport {
    let g = m.lrt.statistic;
    LrtReport {
        statistic: g,
        df: m.lrt.df,
        p_value: m.lrt.p_chi2,
        p_value_null: null.and_then(|d| m.lrt.p_chi2.map(|p| d.p_value(p))),
        null_replicates: null.map_or(0, |d| d.p_chi2.len()),
        small_expected: m.lrt.small_expected,
        sparse: m.lrt.sparse,
        log_likelihood_nonrev: m.lrt.ll_nonrev,
        log_likelihood_rev: m.lrt.ll_rev,
        states: m.cm.len(),
        interval: boot.and_then(|b| b.lrt),
        bias: boot.and_then(|b| b.lrt_mean).map(|x| x - g),
        credible: posterior.and_then(|p| p.lrt),
    }
}

fn entropy_report(
    m: &Markov,
    posterior: Option<&Intervals>,
    boot: Option<&Intervals>,
) -> EntropyReport {
    let (value, pairs) = m.entropy;
    EntropyReport {
        value,
        pairs,
        interval: boot.and_then(|b| b.entropy),
        bias: boot.and_then(|b| b.entropy_mean).map(|x| x - value),
        credible: posterior.and_then(|p| p.entropy),
    }
}

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

fn state_reports(
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

fn transition_reports(dataset: &Dataset, weights: &Weights) -> Vec<TransitionReport> {
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

fn notes_on(
    settings: &Settings,
    fit: &PotentialFit,
    m: &Markov,
    pairwise: &crate::detailed_balance::PairwiseResult,
    histogram: Option<&crate::detailed_balance::Histogram>,
    n: usize,
) -> Vec<String> {
    let mut notes = Vec::new();
    let unbounded = fit.value.iter().filter(|v| v.is_none()).count();
    if unbounded > 0 {
        notes.push(format!(
            "{unbounded} of {n} states are outside every strongly connected component: their \
             potential runs to plus or minus infinity, so only a bound is given."
        ));
    }
    if fit.components.len() > 1 {
        notes.push(format!(
            "The transitions form {} separate strongly connected components; potentials are \
             only comparable within one.",
            fit.components.len()
        ));
    }
    if fit.components.iter().any(|c| !c.has_standard_errors) {
        notes.push(format!(
            "Standard errors are computed for components of at most {} states; use the \
             posterior draws or the bootstrap for larger ones.",
            settings.max_dense_states
        ));
    }
    if m.cm.len() < 2 {
        notes.push(
            "No two states reach each other (the largest strongly connected set has one \
             state): there is no stationary distribution or free energy to estimate."
                .into(),
        );
    }
    if pairwise.n > 0 && pairwise.cycle_rank == 0 && pairwise.exact {
        notes.push(
            "The pairs of the pairwise test form a tree and nothing else joins their states: the \
             fitted potential reproduces each pair's ratio exactly, so this test cannot fail \
             here (it has no degrees of freedom)."
                .into(),
        );
    }
    if let Some(h) = histogram
        && !h.large_width
    {
        notes.push(format!(
            "The landscape is narrow (sigma = {:.2} < 1): the large-width prediction of the \
             minimum action, K(0) / (sqrt(pi) sigma), does not apply; the exact form does.",
            h.sigma
        ));
    }
    notes
}
