//! The fitted model: everything an analysis found, as a serialisable [`Report`] (its JSON schema
//! is documented in `docs/report.md`). [`crate::analysis::analyze`] makes it.

use serde::{Deserialize, Serialize};

use crate::detailed_balance::{Histogram, LoopResult, OneWayPair, PairwiseResult};
use crate::potential::Bound;
use crate::settings::Settings;
use crate::verdict::Verdict;

/// One state of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateReport {
    /// The state's label.
    pub label: String,
    /// Attempts started from it, `n(f)` as recorded.
    pub attempts: f64,
    /// Transitions into it from other states, as recorded. A placed state entered at most
    /// [`FEW_ENTRIES`] times is [`StateReport::thinly_entered`].
    pub entries: f64,
    /// Whether the data fix its potential (member of a fitted strongly connected component).
    pub identifiable: bool,
    /// Index of its fitted component (0 is the largest; potentials of different components
    /// are not comparable).
    pub component: Option<usize>,
    /// Whether it is its component's reference state (the one entered most often), which every
    /// standard error and interval of the component is relative to.
    pub reference: bool,
    /// Least-action potential `V` (the data fix `beta V`), or null when unbounded.
    pub potential: Option<f64>,
    /// For an unbounded state, the bound the data give, in the largest component's gauge.
    pub potential_bound: Option<Bound>,
    /// Standard error of `V - V(reference)` (its component's reference state), by the
    /// sandwich method; null for components beyond the dense size limit.
    pub potential_se: Option<f64>,
    /// 95% interval of `V` from the standard error, `V ± 1.96 SE`, widened to hold the exact
    /// interval of the state's entries (below); null where the standard error is.
    pub potential_se_interval: Option<[f64; 2]>,
    /// Posterior 95% interval of `V`, in the reported gauge: the posterior draws' quantiles
    /// pivoted about the estimate, which covers the truth at its nominal rate where plain
    /// quantiles fell short (docs/calibration.md).
    ///
    /// Each interval of `V` (this, `potential_se_interval` and `potential_interval`) is widened
    /// where needed to hold the exact (Garwood) 95% interval of the count of transitions that
    /// entered the state ([`crate::potential::widen_to_entries`]): for a state entered once or
    /// twice it then runs further up than down.
    pub potential_credible: Option<[f64; 2]>,
    /// Bootstrap 95% interval of `V - V(reference)` (replicates smoothed by the posterior's
    /// prior: [`crate::replicates::Resampling::SmoothedBootstrap`]), pivoted about the estimate
    /// as the posterior's and shifted to the reported gauge.
    pub potential_interval: Option<[f64; 2]>,
    /// Reversible-MLE stationary probability within its strongly connected class.
    pub stationary: Option<f64>,
    /// Posterior 95% credible interval of the stationary probability.
    pub stationary_credible: Option<[f64; 2]>,
    /// `-log(stationary)`, shifted so its minimum over the class is 0: the likelihood-based
    /// potential.
    pub free_energy: Option<f64>,
    /// Posterior 95% credible interval of the free energy (relative to the state of lowest free
    /// energy of its class).
    pub free_energy_credible: Option<[f64; 2]>,
    /// Level in the condensation of strongly connected components (the paper's initial guess).
    pub level: usize,
    /// Mean first-passage time to the state of lowest free energy of the largest class, for its
    /// states (small classes only).
    pub mfpt_to_minimum: Option<f64>,
    /// Why the potential is not given, when it is not.
    pub reason: Option<String>,
}

/// Entries at or below which a placed state is [`StateReport::thinly_entered`]: its potential
/// rests on a count of one or two, and its intervals are widened to hold that count's exact
/// interval, which makes them lopsided (docs/calibration.md).
pub const FEW_ENTRIES: f64 = 2.0;

/// What the mark "†" on the interval of a [`StateReport::thinly_entered`] state says, in the
/// app, the HTML report and the command line.
pub const THINLY_ENTERED_NOTE: &str = "† A state entered only once or twice: its potential rests \
    on that count, so its interval is widened to hold the count's exact 95% interval and runs \
    further up than down (a rarely entered state may lie much higher than one entry suggests).";

impl StateReport {
    /// Whether the state is placed and was entered at most [`FEW_ENTRIES`] times: its potential
    /// then rests on a count of one or two, and its intervals are those of that count.
    pub fn thinly_entered(&self) -> bool {
        self.potential.is_some() && self.entries <= FEW_ENTRIES
    }
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

/// The likelihood-ratio test of detailed balance on the whole dataset: every strongly
/// connected class tested, `G` and the degrees of freedom summed over them (each class's own
/// test is in [`Report::components`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LrtReport {
    /// `G = 2 (log L_nonrev - log L_rev)`, summed over the classes.
    pub statistic: f64,
    /// Degrees of freedom: the cycle rank of the symmetrised support (pairs seen either way),
    /// summed over the classes.
    pub df: usize,
    /// Chi-square p-value; null when `df = 0` (nothing to test).
    pub p_value: Option<f64>,
    /// Calibrated p-value: the chi-square p-value calibrated by replicates drawn under the
    /// reversible estimate of every class (the share whose own chi-square p-value is at most
    /// the observed one).
    pub p_value_null: Option<f64>,
    /// Replicates behind `p_value_null`.
    pub null_replicates: usize,
    /// Share of expected counts (under the reversible estimate) below 5.
    pub small_expected: f64,
    /// Whether the chi-square law cannot be trusted (Cochran's rule: more than 20% of expected
    /// counts below 5); the verdict then uses `p_value_null`.
    pub sparse: bool,
    /// Log-likelihood of the non-reversible MLE.
    pub log_likelihood_nonrev: f64,
    /// Log-likelihood of the reversible MLE.
    pub log_likelihood_rev: f64,
    /// States of the classes the Markov estimators use (every strongly connected class of two
    /// or more states).
    pub states: usize,
    /// Those classes.
    pub components: usize,
    /// The classes with something to test (`df > 0`).
    pub tested: usize,
    /// Bootstrap 95% interval of `G` (biased upward under detailed balance: see `bias`).
    pub interval: Option<[f64; 2]>,
    /// Bootstrap mean of `G` less `G`: how far resampling pushes it up.
    pub bias: Option<f64>,
    /// Posterior 95% credible interval of `G`.
    pub credible: Option<[f64; 2]>,
}

impl LrtReport {
    /// Whether the test rejects detailed balance at 5% on the p-value the verdict rests on:
    /// the calibrated one where computed, else the chi-square one unless the counts are too
    /// sparse to trust it.
    pub fn rejects(&self) -> bool {
        match self.p_value_null {
            Some(p) => p < 0.05,
            None => !self.sparse && self.p_value.is_some_and(|p| p < 0.05),
        }
    }
}

/// Entropy production over the pairs seen both ways, of a class or of the whole (its classes
/// weighted by their shares of the attempts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntropyReport {
    /// Nats per step; null when no pair was seen both ways (with transitions seen one way only
    /// it is then unbounded: see `one_way`).
    pub value: Option<f64>,
    /// Two-way pairs it sums over.
    pub pairs: usize,
    /// Transitions seen one way only. Each would add an unbounded amount if its reverse were
    /// impossible, so with any of them the whole entropy production is at least `value`, not
    /// `value`.
    pub one_way: usize,
    /// Bootstrap 95% interval of `value` ([`crate::replicates::entropy_interval`]: 0 below when
    /// the test does not reject detailed balance, the replicates' 97.5% quantile above).
    pub interval: Option<[f64; 2]>,
    /// Bootstrap mean less the value (the plug-in estimate is biased upward).
    pub bias: Option<f64>,
    /// Posterior 95% interval of `value`, built as the bootstrap's.
    pub credible: Option<[f64; 2]>,
}

impl EntropyReport {
    /// Whether the data give no finite estimate: transitions seen one way only and no pair
    /// seen both ways (a cycle never reversed, say).
    pub fn unbounded(&self) -> bool {
        self.value.is_none() && self.one_way > 0
    }
}

/// One strongly connected class of two or more states: the likelihood-ratio test and the
/// entropy production on it alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentReport {
    /// Its index among the fitted components of the potential ([`StateReport::component`]),
    /// when it is one of them (always, unless majority voting dropped an edge).
    pub component: Option<usize>,
    /// Its states.
    pub states: Vec<usize>,
    /// Attempts from its states that stayed in it.
    pub attempts: f64,
    /// `G` on it.
    pub statistic: f64,
    /// Its degrees of freedom; 0 when its pairs form no cycle (nothing to test).
    pub df: usize,
    /// Its chi-square p-value (null when `df = 0`).
    pub p_value: Option<f64>,
    /// Its p-value calibrated by the replicates under detailed balance.
    pub p_value_null: Option<f64>,
    /// Whether its counts are too sparse for the chi-square law (Cochran's rule).
    pub sparse: bool,
    /// Its entropy production.
    pub entropy: EntropyReport,
}

impl ComponentReport {
    /// The p-value its own verdict would rest on: the calibrated one where computed, else the
    /// chi-square one.
    pub fn p(&self) -> Option<f64> {
        self.p_value_null.or(self.p_value)
    }
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

/// A cycle of transitions each seen one way only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OneWayCycleReport {
    /// State indices around the cycle, in the direction seen.
    pub states: Vec<usize>,
    /// Reverse transitions the reversible estimate expects around it.
    pub expected_reverse: f64,
    /// The chance of none if detailed balance held, `exp(-expected_reverse)`.
    pub p_value: f64,
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
    /// Entropy production of the whole.
    pub entropy_production: EntropyReport,
    /// Every strongly connected class of two or more states, tested alone, largest first.
    pub components: Vec<ComponentReport>,
    /// The most significant cycle affinities of every class (at most 20).
    pub cycles: Vec<CycleReport>,
    /// Cycles of one-way transitions of every class, most telling first (at most 10).
    pub one_way_cycles: Vec<OneWayCycleReport>,
    /// Histogram of `V` over identifiable states sampled at least twice, with its Gaussian fit.
    pub histogram: Option<Histogram>,
    /// Implied timescales of the reversible MLE (small state spaces).
    pub timescales: Option<Vec<f64>>,
    /// What the tests say, in plain words.
    pub verdict: Verdict,
    /// Plain-language caveats about what the data cannot tell.
    pub notes: Vec<String>,
}
