//! The one entry point: [`analyze`] turns a dataset and [`Settings`] into a serialisable
//! [`Report`], used alike by the command line and the app. Its JSON schema is documented in
//! `docs/report.md`.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::bootstrap::{Bootstrap, bootstrap};
use crate::datasets::Dataset;
use crate::detailed_balance::{
    Histogram, LoopResult, OneWayPair, PairRule, PairwiseResult, loop_test, majority_vote,
    one_way_pairs, pairwise_test, potential_histogram,
};
use crate::markov::{
    CountMatrix, DenseChain, cycle_affinities, entropy_production, log_likelihood_nonrev,
    log_likelihood_rev, mean_first_passage, nonrev_stationary, reversible_mle,
};
use crate::model::Counts;
use crate::normalization::{Normalization, Weights};
use crate::potential::{Bound, Gauge, Kernel, Solver, fit_potential};

/// Majority voting applied to the measured kernel before the fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Majority {
    /// Candidates drawn.
    pub m: u32,
    /// Votes needed (`n > m / 2`).
    pub n: u32,
}

/// Everything that can be chosen about an analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// How `N0(f)` is chosen.
    pub normalization: Normalization,
    /// Total attempts `A` for high-reject; the dataset's own when absent.
    pub total_attempts: Option<f64>,
    /// Low-reject filter: states with `n(f) <= threshold` are dropped.
    pub threshold: f64,
    /// The action's kernel.
    pub kernel: Kernel,
    /// Inverse temperature of the kernel.
    pub beta: f64,
    /// The minimiser.
    pub solver: Solver,
    /// Where the constant of `V` is fixed.
    pub gauge: Gauge,
    /// Which pairs enter the pairwise test.
    pub pair_rule: PairRule,
    /// The loop test keeps triangles whose nine counts all exceed this.
    pub loop_threshold: f64,
    /// Majority voting applied to the kernel, if any.
    pub majority: Option<Majority>,
    /// Bootstrap replicates (0: none).
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// Largest component (or connected set) given dense analyses: standard errors, implied
    /// timescales and mean first-passage times.
    pub max_dense_states: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            normalization: Normalization::Observed,
            total_attempts: None,
            threshold: 1.0,
            kernel: Kernel::Softplus,
            beta: 1.0,
            solver: Solver::Newton,
            gauge: Gauge::LowestZero,
            pair_rule: PairRule::Paper,
            loop_threshold: 0.0,
            majority: None,
            bootstrap: 0,
            seed: 1,
            max_dense_states: 400,
        }
    }
}

/// Named sets of settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// The paper's main text: exp kernel, every two-way pair, loop threshold 0.
    PaperText,
    /// The paper's code: softplus kernel, L-BFGS, pairs with 2+ counts each way, threshold 1.
    PaperCode,
    /// Balance Lab's defaults: softplus, Newton, every attempt counted when attempts are recorded.
    BalanceLab,
}

impl Preset {
    /// Every preset, for pickers.
    pub const ALL: [Preset; 3] = [Preset::PaperText, Preset::PaperCode, Preset::BalanceLab];

    /// The settings of this preset for `dataset`: the paper's normalisation is high-reject for
    /// small state spaces (up to 50 states) and low-reject for large ones; Balance Lab observes
    /// every attempt unless the data only give a total (the paper's own data).
    pub fn settings(self, dataset: &Dataset) -> Settings {
        let small = dataset.counts.len() <= 50;
        let paper_norm = if small { Normalization::HighReject } else { Normalization::LowReject };
        let base = Settings::default();
        match self {
            Preset::PaperText => Settings {
                normalization: paper_norm,
                kernel: Kernel::Exp,
                solver: Solver::Lbfgs,
                pair_rule: PairRule::Paper,
                loop_threshold: 0.0,
                ..base
            },
            Preset::PaperCode => Settings {
                normalization: paper_norm,
                kernel: Kernel::Softplus,
                solver: Solver::Lbfgs,
                gauge: Gauge::MeanZero,
                pair_rule: PairRule::PaperCode,
                loop_threshold: 1.0,
                ..base
            },
            Preset::BalanceLab => Settings {
                normalization: if dataset.total_attempts.is_some() {
                    Normalization::HighReject
                } else {
                    Normalization::Observed
                },
                ..base
            },
        }
    }
}

/// One state of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateReport {
    /// The state's label.
    pub label: String,
    /// Attempts started from it, `n(f)` as recorded.
    pub attempts: f64,
    /// Whether the data fix its potential (member of a fitted strongly connected component).
    pub identifiable: bool,
    /// Index of its fitted component (0 is the largest; potentials of different components
    /// are not comparable).
    pub component: Option<usize>,
    /// Least-action potential `V` (the data fix `beta V`), or null when unbounded.
    pub potential: Option<f64>,
    /// For an unbounded state, the bound the data give, in the largest component's gauge.
    pub potential_bound: Option<Bound>,
    /// Standard error of `V - V(reference)` (the lowest state of its component).
    pub potential_se: Option<f64>,
    /// Bootstrap 95% interval of `V - V(reference)`, shifted to the reported gauge.
    pub potential_interval: Option<[f64; 2]>,
    /// Reversible-MLE stationary probability, on the connected set.
    pub stationary: Option<f64>,
    /// `-log(stationary)`, shifted so its minimum is 0: the likelihood-based potential.
    pub free_energy: Option<f64>,
    /// Level in the condensation of strongly connected components (the paper's initial guess).
    pub level: usize,
    /// Mean first-passage time to the state of lowest free energy (small state spaces).
    pub mfpt_to_minimum: Option<f64>,
    /// Why the potential is not given, when it is not.
    pub reason: Option<String>,
}

/// A transition of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransitionReport {
    /// Source state index.
    pub source: usize,
    /// Target state index.
    pub target: usize,
    /// `N(target <- source)`.
    pub count: f64,
    /// `w = min(1, N / N0(source))`, 0 when filtered.
    pub weight: f64,
}

/// The minimum action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionReport {
    /// `S_min`.
    pub minimum: f64,
    /// States the action is divided by.
    pub n_active: usize,
    /// Fitted components (two or more states).
    pub components: usize,
    /// Whether every component's solver converged.
    pub converged: bool,
}

/// The likelihood-ratio test of detailed balance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LrtReport {
    /// `G = 2 (log L_nonrev - log L_rev)`.
    pub statistic: f64,
    /// Degrees of freedom: the cycle rank of the two-way graph.
    pub df: usize,
    /// Chi-square p-value; null when `df = 0` (nothing to test).
    pub p_value: Option<f64>,
    /// Log-likelihood of the non-reversible MLE.
    pub log_likelihood_nonrev: f64,
    /// Log-likelihood of the reversible MLE.
    pub log_likelihood_rev: f64,
    /// States of the connected set the Markov estimators use.
    pub states: usize,
    /// Bootstrap 95% interval of `G`.
    pub interval: Option<[f64; 2]>,
}

/// Entropy production on the two-way support.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntropyReport {
    /// Nats per step.
    pub value: f64,
    /// Two-way pairs it sums over.
    pub pairs: usize,
    /// Bootstrap 95% interval.
    pub interval: Option<[f64; 2]>,
}

/// A cycle of the two-way graph and its affinity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CycleReport {
    /// State indices around the cycle.
    pub states: Vec<usize>,
    /// `log(prod forward / prod backward)`.
    pub affinity: f64,
    /// Its standard error.
    pub se: f64,
}

/// The whole analysis of a dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The settings used.
    pub settings: Settings,
    /// Total attempts `A` used by the normalisation.
    pub total_attempts: f64,
    /// Every state, indexed like the dataset's states.
    pub states: Vec<StateReport>,
    /// Every observed transition.
    pub transitions: Vec<TransitionReport>,
    /// The minimum action.
    pub action: ActionReport,
    /// The likelihood-ratio test.
    pub lrt: LrtReport,
    /// The pairwise test.
    pub pairwise: PairwiseResult,
    /// The loop test.
    pub loops: LoopResult,
    /// One-way pairs with their bounds.
    pub one_way: Vec<OneWayPair>,
    /// Entropy production.
    pub entropy_production: EntropyReport,
    /// The most significant cycle affinities (at most 20).
    pub cycles: Vec<CycleReport>,
    /// Histogram of `V` over identifiable states sampled at least twice, with its Gaussian fit.
    pub histogram: Option<Histogram>,
    /// Implied timescales of the reversible MLE (small state spaces).
    pub timescales: Option<Vec<f64>>,
    /// Plain-language caveats about what the data cannot tell.
    pub notes: Vec<String>,
}

/// Why an analysis could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzeError(pub String);

impl std::fmt::Display for AnalyzeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AnalyzeError {}

/// Checks settings for values no analysis can use.
fn validate(s: &Settings) -> Result<(), AnalyzeError> {
    let bad = |m: &str| Err(AnalyzeError(m.to_owned()));
    if !(s.beta.is_finite() && s.beta > 0.0) {
        return bad("beta must be a positive number");
    }
    if !s.threshold.is_finite() || !s.loop_threshold.is_finite() {
        return bad("thresholds must be finite numbers");
    }
    if let Some(a) = s.total_attempts
        && !(a.is_finite() && a > 0.0)
    {
        return bad("total attempts must be a positive number");
    }
    if let Some(Majority { m, n }) = s.majority
        && !(m >= 1 && 2 * n > m && n <= m)
    {
        return bad("majority voting needs M >= 1 and M/2 < n <= M");
    }
    if s.solver == Solver::MinorizeMaximize && s.kernel != Kernel::Softplus {
        return bad("the minorise-maximise solver needs the softplus kernel");
    }
    Ok(())
}

/// The weights an analysis uses: normalised, then majority-voted if asked.
pub(crate) fn analysis_weights(counts: &Counts, s: &Settings, total: Option<f64>) -> Weights {
    let mut w = Weights::new(counts, s.normalization, s.total_attempts.or(total), s.threshold);
    if let Some(Majority { m, n }) = s.majority {
        w.edges.iter_mut().for_each(|e| e.2 = majority_vote(e.2, m, n));
        w.edges.retain(|e| e.2 > 0.0);
    }
    w
}

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
            Stage::Bootstrap => "bootstrap replicates",
        }
    }
}

/// How far an analysis has got: `done` of `total` steps, now in `stage`. The steps are the
/// three fixed stages and one per bootstrap replicate.
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

/// Analyses a dataset, calling `progress` as each stage starts and after each bootstrap
/// replicate (for a progress bar in a worker).
pub fn analyze_with_progress(
    dataset: &Dataset,
    settings: &Settings,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, AnalyzeError> {
    validate(settings)?;
    let total = 3 + settings.bootstrap;
    let mut report = |stage, done| progress(Progress { stage, done, total });
    report(Stage::Potential, 0);
    let counts = &dataset.counts;
    if counts.is_empty() {
        return Err(AnalyzeError("the dataset has no states".into()));
    }
    let n = counts.len();
    let weights = analysis_weights(counts, settings, dataset.total_attempts);
    let fit = fit_potential(
        &weights,
        settings.kernel,
        settings.beta,
        settings.solver,
        settings.gauge,
        settings.max_dense_states,
    )
    .map_err(|e| AnalyzeError(e.0))?;

    // Markov estimators on the connected set.
    report(Stage::Markov, 1);
    let cm = CountMatrix::from_counts(counts, settings.normalization, &weights);
    let rev = reversible_mle(&cm);
    let ll_nonrev = log_likelihood_nonrev(&cm);
    let ll_rev = log_likelihood_rev(&cm, &rev);
    let two_way = crate::graph::TwoWay::new(cm.len(), cm.off_diagonal().map(|(i, j, _)| (i, j)));
    let df = two_way.cycle_rank();
    let statistic = (2.0 * (ll_nonrev - ll_rev)).max(0.0);
    let p_value = (df > 0)
        .then(|| ChiSquared::new(df as f64).map_or(f64::NAN, |d| d.sf(statistic)))
        .filter(|p| p.is_finite());
    let (pi_nonrev, _) = nonrev_stationary(&cm, Some(&rev.pi));
    let (sigma, pairs) = entropy_production(&cm, &pi_nonrev);

    let mut stationary = vec![None; n];
    let mut free_energy = vec![None; n];
    let f_min =
        rev.pi.iter().copied().filter(|p| *p > 0.0).map(|p| -p.ln()).fold(f64::INFINITY, f64::min);
    for (i, &s) in cm.states.iter().enumerate() {
        if rev.pi[i] > 0.0 {
            stationary[s] = Some(rev.pi[i]);
            free_energy[s] = Some(-rev.pi[i].ln() - f_min);
        }
    }
    let mut mfpt = vec![None; n];
    let mut timescales = None;
    if !cm.is_empty() && cm.len() <= settings.max_dense_states {
        let chain = DenseChain::new(&rev.dense());
        timescales = Some(chain.implied_timescales(&rev.pi));
        let target = (0..cm.len()).max_by(|&a, &b| rev.pi[a].total_cmp(&rev.pi[b])).unwrap_or(0);
        if let Some(m) = mean_first_passage(&chain, target) {
            for (i, &s) in cm.states.iter().enumerate() {
                mfpt[s] = Some(m[i]);
            }
        }
    }

    report(Stage::Tests, 2);
    let pairwise = pairwise_test(counts, &weights, &fit.value, &fit.component, settings.pair_rule);
    let loops = loop_test(counts, &weights, settings.loop_threshold);
    let one_way = one_way_pairs(&weights, &fit.value, &fit.component);
    let cycles = cycle_affinities(&cm)
        .into_iter()
        .take(20)
        .map(|c| CycleReport {
            states: c.states.iter().map(|&i| cm.states[i]).collect(),
            affinity: c.affinity,
            se: c.se,
        })
        .collect();
    let k0 = settings.kernel.value(0.0, settings.beta);
    let sampled: Vec<f64> = (0..n)
        .filter(|&s| counts.attempts(s) >= 2.0 && fit.component[s] == Some(0))
        .filter_map(|s| fit.value[s])
        .collect();
    let histogram = potential_histogram(&sampled, k0);

    let boot: Option<Bootstrap> = (settings.bootstrap > 0).then(|| {
        report(Stage::Bootstrap, 3);
        bootstrap(dataset, settings, &fit, settings.bootstrap, settings.seed, &mut |k| {
            report(Stage::Bootstrap, 3 + k)
        })
    });

    let weight_of: std::collections::BTreeMap<(usize, usize), f64> =
        weights.edges.iter().map(|&(f, g, w)| ((f, g), w)).collect();
    let transitions = counts
        .edges()
        .map(|(f, g, c)| TransitionReport {
            source: f,
            target: g,
            count: c,
            weight: weight_of.get(&(f, g)).copied().unwrap_or(0.0),
        })
        .collect();

    let mut has_out = vec![false; n];
    let mut has_in = vec![false; n];
    for &(f, g, _) in &weights.edges {
        has_out[f] = true;
        has_in[g] = true;
    }
    let states = (0..n)
        .map(|s| {
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
                identifiable,
                component: fit.component[s],
                potential: fit.value[s],
                potential_bound: fit.bound[s],
                potential_se: fit.se[s],
                potential_interval: boot.as_ref().and_then(|b| b.potential[s]),
                stationary: stationary[s],
                free_energy: free_energy[s],
                level: fit.level[s],
                mfpt_to_minimum: mfpt[s],
                reason,
            }
        })
        .collect();

    let mut notes = Vec::new();
    let unbounded = (0..n).filter(|&s| fit.value[s].is_none()).count();
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
             bootstrap for larger ones.",
            settings.max_dense_states
        ));
    }
    let one_way_pairs = cm.off_diagonal().filter(|&(i, j, _)| cm.get(j, i) == 0.0).count();
    if one_way_pairs > two_way.pairs.len() {
        notes.push(format!(
            "{one_way_pairs} transitions were seen one way only, more than the {} pairs seen both \
             ways: the chi-square p-value of the likelihood-ratio test assumes well-sampled pairs \
             and is then too small; prefer the bootstrap interval of G and the loop test.",
            two_way.pairs.len()
        ));
    }
    if df == 0 {
        notes.push(
            "The two-way transitions form no cycle: the likelihood-ratio test has nothing to \
             test (df = 0)."
                .into(),
        );
    }

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
        lrt: LrtReport {
            statistic,
            df,
            p_value,
            log_likelihood_nonrev: ll_nonrev,
            log_likelihood_rev: ll_rev,
            states: cm.len(),
            interval: boot.as_ref().and_then(|b| b.lrt),
        },
        pairwise,
        loops,
        one_way,
        entropy_production: EntropyReport {
            value: sigma,
            pairs,
            interval: boot.as_ref().and_then(|b| b.entropy),
        },
        cycles,
        histogram,
        timescales,
        notes,
    })
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
