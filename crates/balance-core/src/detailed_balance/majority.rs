//! Majority voting (paper Supplement D): draw `M` candidates, accept a state that appears at
//! least `n > M/2` times.

use statrs::function::beta::beta_reg;

/// `T_M = sum_{k=n}^{M} C(M,k) T^k (1-T)^(M-k) = I_T(n, M - n + 1)`.
pub fn majority_vote(t: f64, m: u32, n: u32) -> f64 {
    if t <= 0.0 {
        return 0.0;
    }
    if t >= 1.0 {
        return 1.0;
    }
    beta_reg(f64::from(n), f64::from(m - n + 1), t)
}

/// `dT_M / dT = T^(n-1) (1-T)^(M-n) / B(n, M - n + 1)`, the density of the Beta(n, M - n + 1)
/// distribution at `T`.
pub fn majority_vote_slope(t: f64, m: u32, n: u32) -> f64 {
    if !(0.0..=1.0).contains(&t) {
        return 0.0;
    }
    let (a, b) = (f64::from(n), f64::from(m - n + 1));
    let log_beta = libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b);
    let log_t = if a == 1.0 { 0.0 } else { (a - 1.0) * t.ln() };
    let log_1t = if b == 1.0 { 0.0 } else { (b - 1.0) * (1.0 - t).ln() };
    (log_t + log_1t - log_beta).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_binomial_sum() {
        let (m, n, t) = (5u32, 3u32, 0.3f64);
        let binom = |k: u32| -> f64 {
            let c = (1..=m).product::<u32>() as f64
                / ((1..=k).product::<u32>() as f64 * (1..=m - k).product::<u32>() as f64);
            c * t.powi(k as i32) * (1.0 - t).powi((m - k) as i32)
        };
        let sum: f64 = (n..=m).map(binom).sum();
        assert!((majority_vote(t, m, n) - sum).abs() < 1e-12);
    }

    #[test]
    fn the_slope_is_the_derivative() {
        for &(m, n, t) in &[(5u32, 3u32, 0.3f64), (3, 2, 0.01), (1, 1, 0.4)] {
            let h = 1e-6;
            let fd = (majority_vote(t + h, m, n) - majority_vote(t - h, m, n)) / (2.0 * h);
            assert!((fd - majority_vote_slope(t, m, n)).abs() < 1e-6, "{m} {n} {t}");
        }
    }

    #[test]
    fn small_ratios_are_raised_to_the_power_n() {
        let (a, b) = (1e-4, 3e-5);
        let ratio = majority_vote(a, 5, 3) / majority_vote(b, 5, 3);
        assert!((ratio.ln() / (a / b).ln() - 3.0).abs() < 1e-3);
    }
}
