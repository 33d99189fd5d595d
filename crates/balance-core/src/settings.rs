//! What can be chosen about an analysis ([`Settings`]) and named sets of choices ([`Preset`]):
//! the estimator's settings, kept apart from the fitting ([`crate::analysis`]) and from the
//! fitted model ([`crate::report`]).

use serde::{Deserialize, Serialize};

use crate::datasets::Dataset;
use crate::detailed_balance::PairRule;
use crate::model::Counts;
use crate::normalization::{Normalization, Weights};
use crate::potential::{Gauge, Kernel, Solver};
use crate::replicates::MIN_DRAWS;

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
    /// Draws from the exact posterior of each source's outcome probabilities (0: none): credible
    /// intervals for the potentials, stationary probabilities, free energies, `G` and the
    /// entropy production.
    pub posterior: usize,
    /// Bootstrap replicates (0: none): resampling each source's attempts.
    pub bootstrap: usize,
    /// Replicates drawn under detailed balance (the reversible estimate) for the
    /// parametric-bootstrap p-value of the likelihood-ratio test and the null distribution of
    /// the entropy production (0: none).
    pub null_replicates: usize,
    /// Seed of every random draw.
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
            gauge: Gauge::Reference,
            pair_rule: PairRule::Paper,
            loop_threshold: 0.0,
            majority: None,
            posterior: 0,
            bootstrap: 0,
            null_replicates: 0,
            seed: 1,
            max_dense_states: 400,
        }
    }
}

impl Settings {
    /// Why no analysis can use these settings, if none can.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.beta.is_finite() && self.beta > 0.0) {
            return Err("beta must be a positive number".into());
        }
        if !self.threshold.is_finite() || !self.loop_threshold.is_finite() {
            return Err("thresholds must be finite numbers".into());
        }
        if let Some(a) = self.total_attempts
            && !(a.is_finite() && a > 0.0)
        {
            return Err("total attempts must be a positive number".into());
        }
        if let Some(Majority { m, n }) = self.majority
            && !(m >= 1 && 2 * n > m && n <= m)
        {
            return Err("majority voting needs M >= 1 and M/2 < n <= M".into());
        }
        if self.solver == Solver::MinorizeMaximize && self.kernel != Kernel::Softplus {
            return Err("the minorise-maximise solver needs the softplus kernel".into());
        }
        if (1..MIN_NULL_REPLICATES).contains(&self.null_replicates) {
            return Err(format!(
                "{} replicates under detailed balance cannot reject at 5%: the smallest \
                 calibrated p-value they give is 1/{} = {}; ask for at least \
                 {MIN_NULL_REPLICATES} (200 is the default), or 0 for none",
                self.null_replicates,
                self.null_replicates + 1,
                crate::format::number(1.0 / (self.null_replicates + 1) as f64)
            ));
        }
        for (name, draws) in
            [("posterior draws", self.posterior), ("bootstrap replicates", self.bootstrap)]
        {
            if (1..MIN_DRAWS).contains(&draws) {
                return Err(format!(
                    "{draws} {name} are too few for a 95% interval: its ends are the 2.5% and \
                     97.5% quantiles, which need at least {MIN_DRAWS} (200 is the default), or \
                     0 for none"
                ));
            }
        }
        Ok(())
    }

    /// These settings without replicates (no posterior draws, bootstrap or null replicates):
    /// point estimates only, fast enough for what must answer at once.
    pub fn point_estimates(self) -> Settings {
        Settings { posterior: 0, bootstrap: 0, null_replicates: 0, ..self }
    }

    /// Steps of the replicates these settings ask for.
    pub fn replicates(&self) -> usize {
        self.posterior + self.bootstrap + self.null_replicates
    }

    /// The weights an analysis of `counts` uses (`total`: the dataset's total attempts, when it
    /// records only a total): normalised, then majority-voted if asked.
    pub fn weights(&self, counts: &Counts, total: Option<f64>) -> Weights {
        let w =
            Weights::new(counts, self.normalization, self.total_attempts.or(total), self.threshold);
        match self.majority {
            Some(Majority { m, n }) => w.voted(m, n),
            None => w,
        }
    }
}

/// Fewest replicates under detailed balance that can reject at 5%: the smallest calibrated
/// p-value of `B` replicates is `1 / (B + 1)`, below 0.05 from `B = 20` on.
pub const MIN_NULL_REPLICATES: usize = 20;

/// Largest dataset (in states) the Balance Lab preset draws replicates for by default.
pub const REPLICATED_STATES: usize = 300;

/// Named sets of settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// The paper's main text: exp kernel, every two-way pair, loop threshold 0.
    PaperText,
    /// The paper's code: softplus kernel, L-BFGS, pairs with 2+ counts each way, threshold 1.
    PaperCode,
    /// Balance Lab's defaults: softplus, Newton, every attempt counted when attempts are
    /// recorded, with 200 posterior draws and 200 replicates under detailed balance for datasets
    /// of up to [`REPLICATED_STATES`] states (larger ones ask for them explicitly).
    BalanceLab,
}

impl Preset {
    /// Every preset, for pickers.
    pub const ALL: [Preset; 3] = [Preset::PaperText, Preset::PaperCode, Preset::BalanceLab];

    /// The settings of this preset for `dataset`: the paper's normalisation is high-reject for
    /// small state spaces (up to 50 states) and low-reject for large ones; Balance Lab observes
    /// every attempt unless the data only give a total (the paper's own data), and draws no
    /// replicates of counts that are not whole numbers (replicates resample whole attempts).
    pub fn settings(self, dataset: &Dataset) -> Settings {
        let small = dataset.counts.len() <= 50;
        let replicated = dataset.counts.len() <= REPLICATED_STATES
            && dataset.counts.first_fractional().is_none();
        let paper_norm = if small { Normalization::HighReject } else { Normalization::LowReject };
        let base = Settings::default();
        match self {
            Preset::PaperText => Settings {
                normalization: paper_norm,
                kernel: Kernel::Exp,
                solver: Solver::Lbfgs,
                gauge: Gauge::LowestZero,
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
                posterior: if replicated { 200 } else { 0 },
                null_replicates: if replicated { 200 } else { 0 },
                ..base
            },
        }
    }
}
