//! The width of the landscape and the size of the action (paper Supplement D, Table IV).

use serde::{Deserialize, Serialize};
use statrs::function::erf::erfc;

/// The histogram of `V` with its Gaussian fit and the predicted minimum action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Left edge of the first bin.
    pub start: f64,
    /// Bin width.
    pub width: f64,
    /// Counts per bin.
    pub bins: Vec<usize>,
    /// Number of potentials.
    pub n: usize,
    /// Mean of the Gaussian fit.
    pub mean: f64,
    /// Standard deviation of the Gaussian fit (maximum likelihood).
    pub sigma: f64,
    /// Large-width prediction `K(0) / (sqrt(pi) sigma)`, valid only when `large_width`.
    pub predicted_action: f64,
    /// Whether the landscape is wide enough (`sigma >= 1`) for the large-width prediction; below,
    /// it can even exceed `K(0)`, and only the exact form applies.
    pub large_width: bool,
    /// The paper model's exact form `K(0) exp(sigma^2) erfc(sigma)`.
    pub predicted_action_exact: f64,
}

/// `exp(x^2) erfc(x)`, the scaled complementary error function, without overflow.
pub fn erfcx(x: f64) -> f64 {
    if x < 25.0 {
        (x * x).exp() * erfc(x)
    } else {
        // Asymptotic series; the first omitted term is below 1e-13 relative here.
        let y = 1.0 / (2.0 * x * x);
        (1.0 - y + 3.0 * y * y - 15.0 * y.powi(3) + 105.0 * y.powi(4))
            / (x * std::f64::consts::PI.sqrt())
    }
}

/// Fits a Gaussian to the potentials and predicts the minimum action for a kernel with
/// `K(0) = k0`. Needs at least 3 values with spread.
pub fn potential_histogram(values: &[f64], k0: f64) -> Option<Histogram> {
    let n = values.len();
    if n < 3 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sigma = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
    if sigma <= 0.0 {
        return None;
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let nbins = ((n as f64).sqrt().ceil() as usize).clamp(5, 50);
    let width = (hi - lo) / nbins as f64;
    let mut bins = vec![0; nbins];
    for v in values {
        let k = (((v - lo) / width) as usize).min(nbins - 1);
        bins[k] += 1;
    }
    Some(Histogram {
        start: lo,
        width,
        bins,
        n,
        mean,
        sigma,
        predicted_action: k0 / (std::f64::consts::PI.sqrt() * sigma),
        large_width: sigma >= 1.0,
        predicted_action_exact: k0 * erfcx(sigma),
    })
}
