//! The fitted comparison: what [`super::compare`] found, serialisable (its JSON fields are
//! documented in `docs/report.md`).

use serde::{Deserialize, Serialize};

use super::CompareSettings;

/// A dataset's scale `beta_k` in the joint model (the first dataset's is 1 by definition).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    /// The fitted `beta_k`.
    pub value: f64,
    /// Its standard error (from the joint fit's information), when identified.
    pub se: Option<f64>,
    /// Bootstrap 95% percentile interval, when replicates were drawn.
    pub interval: Option<[f64; 2]>,
}

/// One dataset of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparedDataset {
    /// Its name.
    pub name: String,
    /// Its states.
    pub states: usize,
    /// States of its largest fitted component (the ones it can compare).
    pub identifiable: usize,
    /// Its shared states' reference: the lowest of them in this dataset.
    pub reference: Option<String>,
    /// `beta_k`, when the joint model was fitted.
    pub scale: Option<Scale>,
    /// `c_k` in `V_k = beta_k V + c_k`, in this dataset's reported gauge.
    pub offset: Option<f64>,
    /// The least-action minimum of its own fit, divided by its active states.
    pub action: f64,
}

/// One dataset's numbers for one state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Attempts started from the state in this dataset.
    pub attempts: f64,
    /// Its own least-action potential (its own gauge), when identifiable.
    pub potential: Option<f64>,
    /// Standard error of the potential relative to its component's reference (sandwich).
    pub se: Option<f64>,
    /// Index of the fitted component (0 is the largest: only it is compared).
    pub component: Option<usize>,
    /// Shared states: this dataset's potential less the joint model's, after removing the mean
    /// over the dataset's shared states.
    pub difference: Option<f64>,
    /// `difference` over its standard deviation.
    pub z: Option<f64>,
}

/// One state over every dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparedState {
    /// The state's label.
    pub label: String,
    /// Per dataset, in the comparison's order; null where the dataset never met the state.
    pub estimates: Vec<Option<Estimate>>,
    /// Whether the joint model uses it (identifiable in at least two datasets).
    pub shared: bool,
    /// The joint potential `V`, in the first dataset's scale, 0 at the first dataset's reference.
    pub joint: Option<f64>,
    /// Its standard error.
    pub joint_se: Option<f64>,
    /// The largest `|z|` over the datasets: how much the state disagrees with one landscape.
    pub disagreement: Option<f64>,
}

/// The test of one landscape (the joint model) against separate ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommonLandscapeTest {
    /// The minimum distance `Q` (generalised least squares with the separate fits'
    /// sandwich covariances).
    pub statistic: f64,
    /// Degrees of freedom: the separate fits' free differences less the joint parameters.
    pub df: usize,
    /// Chi-square p-value; null when `df = 0`.
    pub p_value: Option<f64>,
    /// Bootstrap p-value: the share of recentred replicates whose own chi-square p-value is at
    /// most the observed one (a calibrated p-value).
    pub p_value_bootstrap: Option<f64>,
    /// Replicates behind the bootstrap (drawn less those that lost a shared state).
    pub replicates: usize,
    /// Whether the joint fit converged.
    pub converged: bool,
}

/// Everything a comparison found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The settings used.
    pub settings: CompareSettings,
    /// The datasets, in order.
    pub datasets: Vec<ComparedDataset>,
    /// Every state of every dataset: shared ones first, by joint potential, then the others.
    pub states: Vec<ComparedState>,
    /// The test, when the datasets share enough states to fit the joint model.
    pub test: Option<CommonLandscapeTest>,
    /// The answer in plain words.
    pub verdict: String,
    /// What the data cannot tell, in plain words.
    pub notes: Vec<String>,
}

impl Comparison {
    /// Whether the test keeps one landscape at 5% (by the bootstrap p-value when there is one,
    /// else the chi-square one); `None` when nothing could be tested.
    pub fn one_landscape(&self) -> Option<bool> {
        let t = self.test.as_ref()?;
        t.p_value_bootstrap.or(t.p_value).map(|p| p >= 0.05)
    }
}
