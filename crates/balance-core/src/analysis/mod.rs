//! The fitting: [`analyze`] turns a dataset and [`Settings`] into a [`Report`], used alike by
//! the command line and the app. It fits the potential, the Markov estimators and the tests, then
//! the replicates the settings ask for (the null distribution under detailed balance, posterior
//! draws, bootstrap replicates), and words the verdict.

use serde::{Deserialize, Serialize};

mod classes;
mod states;

use crate::datasets::Dataset;
use crate::detailed_balance::{loop_test, one_way_pairs, pairwise_test, potential_histogram};
use crate::markov::{NullDistribution, null_distribution};
use crate::potential::{PotentialFit, fit_potential};
use crate::replicates::{Intervals, Resampling, entropy_interval, mean, replicate};
use crate::report::{ActionReport, ComponentReport, EntropyReport, LrtReport, Report};
use crate::settings::Settings;
use crate::verdict::{Findings, verdict};
use classes::{ClassFit, Markov};

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
    if settings.replicates() > 0
        && let Some(count) = counts.first_fractional()
    {
        return Err(AnalyzeError(format!(
            "posterior draws, bootstrap replicates and replicates under detailed balance \
             resample whole attempts, but a count is not a whole number ({}): give the counts \
             as attempts, or ask for no replicates",
            count_name(dataset, count)
        )));
    }
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
    let markov = Markov::new(dataset, settings, &weights)?;
    let whole = markov.whole();

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

    let null = (settings.null_replicates > 0 && whole.df > 0).then(|| {
        report(Stage::Null, 3);
        let seed = settings.seed ^ 0x6e75_6c6c;
        let classes: Vec<_> = markov.classes.iter().map(|c| (&c.cm, &c.rev)).collect();
        null_distribution(&classes, settings.null_replicates, seed, &mut |k| {
            report(Stage::Null, 3 + k)
        })
    });
    let classes = markov.replicate_classes();
    let mut replicated = |kind: Resampling, count: usize, stage: Stage, start: usize| {
        (count > 0).then(|| {
            report(stage, start);
            replicate(dataset, settings, &fit, &classes, kind, count, settings.seed, &mut |k| {
                report(stage, start + k)
            })
        })
    };
    let start = 3 + settings.null_replicates;
    let posterior = replicated(Resampling::Posterior, settings.posterior, Stage::Posterior, start);
    let start = start + settings.posterior;
    let boot =
        replicated(Resampling::SmoothedBootstrap, settings.bootstrap, Stage::Bootstrap, start);
    let replicates =
        Replicates { null: null.as_ref(), posterior: posterior.as_ref(), boot: boot.as_ref() };

    let lrt = lrt_report(&markov, &replicates);
    let components = component_reports(&markov, &fit, &replicates);
    let entropy_production = entropy_report(
        markov.entropy(),
        markov.classes.iter().map(|c| c.pairs).sum(),
        markov.classes.iter().map(|c| c.one_way).sum(),
        lrt.rejects(),
        |i| &i.entropy,
        &replicates,
    );
    let states = states::state_reports(
        dataset,
        settings,
        &weights,
        &fit,
        &markov,
        posterior.as_ref(),
        boot.as_ref(),
    );
    let transitions = states::transition_reports(dataset, &weights);
    let labels = counts.states().labels();
    let verdict = verdict(&Findings {
        lrt: &lrt,
        components: &components,
        one_way_cycles: &markov.one_way_cycles,
        one_way_cycles_found: markov.one_way_cycles_found,
        labels,
    });
    let mut notes = dataset.notes.clone();
    notes.extend(notes_on(dataset, settings, &fit, &components, &pairwise, histogram.as_ref(), n));

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
        components,
        cycles: markov.cycles,
        one_way_cycles: markov.one_way_cycles,
        histogram,
        timescales: markov.timescales,
        verdict,
        notes,
    })
}

/// The replicates an analysis drew.
struct Replicates<'a> {
    null: Option<&'a NullDistribution>,
    posterior: Option<&'a Intervals>,
    boot: Option<&'a Intervals>,
}

fn lrt_report(m: &Markov, r: &Replicates<'_>) -> LrtReport {
    let whole = m.whole();
    let g = whole.statistic;
    LrtReport {
        statistic: g,
        df: whole.df,
        p_value: whole.p_chi2,
        p_value_null: r.null.and_then(|d| whole.p_chi2.map(|p| d.p_value(p))),
        null_replicates: r.null.map_or(0, |d| d.p_chi2.len()),
        small_expected: whole.small_expected,
        sparse: whole.sparse,
        log_likelihood_nonrev: whole.ll_nonrev,
        log_likelihood_rev: whole.ll_rev,
        states: whole.states,
        components: m.classes.len(),
        tested: m.classes.iter().filter(|c| c.lrt.df > 0).count(),
        interval: r.boot.and_then(|b| b.lrt),
        bias: r.boot.and_then(|b| b.lrt_mean).map(|x| x - g),
        credible: r.posterior.and_then(|p| p.lrt),
    }
}

/// The entropy production `value` (over `pairs` pairs seen both ways, beside `one_way`
/// transitions seen one way only) with its intervals from the replicates' values `draws`,
/// given whether the test of the same data `rejected` detailed balance.
fn entropy_report(
    value: Option<f64>,
    pairs: usize,
    one_way: usize,
    rejected: bool,
    draws: impl Fn(&Intervals) -> &Vec<f64>,
    r: &Replicates<'_>,
) -> EntropyReport {
    let interval = |i: Option<&Intervals>| {
        value.zip(i).and_then(|(v, i)| entropy_interval(v, draws(i), rejected))
    };
    EntropyReport {
        value,
        pairs,
        one_way,
        interval: interval(r.boot),
        bias: value.zip(r.boot).and_then(|(v, b)| mean(draws(b)).map(|x| x - v)),
        credible: interval(r.posterior),
    }
}

/// Each class's own test and entropy production.
fn component_reports(m: &Markov, fit: &PotentialFit, r: &Replicates<'_>) -> Vec<ComponentReport> {
    m.classes
        .iter()
        .enumerate()
        .map(|(k, c): (usize, &ClassFit)| {
            let component = fit.component[c.cm.states[0]]
                .filter(|&i| fit.components[i].states.len() == c.cm.len());
            let p_value_null = r.null.zip(c.lrt.p_chi2).and_then(|(d, p)| d.class_p_value(k, p));
            let rejected = match p_value_null {
                Some(p) => p < 0.05,
                None => !c.lrt.sparse && c.lrt.p_chi2.is_some_and(|p| p < 0.05),
            };
            ComponentReport {
                component,
                states: c.cm.states.clone(),
                attempts: c.attempts,
                statistic: c.lrt.statistic,
                df: c.lrt.df,
                p_value: c.lrt.p_chi2,
                p_value_null,
                sparse: c.lrt.sparse,
                entropy: entropy_report(
                    c.entropy,
                    c.pairs,
                    c.one_way,
                    rejected,
                    |i| &i.class_entropy[k],
                    r,
                ),
            }
        })
        .collect()
}

/// How a count of the data is named in a message: `A → B`, `A → A (self-loop)` or
/// `A (rejected)`.
fn count_name(dataset: &Dataset, (f, g, c): (usize, Option<usize>, f64)) -> String {
    let label = |s: usize| dataset.counts.states().label(s).to_owned();
    let what = match g {
        Some(g) if g == f => format!("{} → {} (self-loop)", label(f), label(f)),
        Some(g) => format!("{} → {}", label(f), label(g)),
        None => format!("{} (rejected)", label(f)),
    };
    format!("{what}: {c}")
}

fn notes_on(
    dataset: &Dataset,
    settings: &Settings,
    fit: &PotentialFit,
    components: &[ComponentReport],
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
    if components.is_empty() {
        notes.push(
            "No two states reach each other (every strongly connected set has one state): \
             there is no stationary distribution or free energy to estimate."
                .into(),
        );
    }
    if let Some(count) = dataset.counts.first_fractional() {
        notes.push(format!(
            "Some counts are not whole numbers ({}): the standard errors and the chi-square \
             test take each count as that many attempts, which holds only if it is one.",
            count_name(dataset, count)
        ));
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
