//! Seeded random numbers that are identical on every platform (native and wasm32): ChaCha8
//! bits, uniform doubles from their top 53 bits, sampling by comparisons only, and the
//! binomial, gamma, multinomial and Dirichlet draws of the bootstrap and the posterior, written
//! with `libm` so that they give the same bits everywhere. Their cost does not grow with the
//! counts: a binomial of 10^13 trials costs what one of 100 does.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// A seeded, platform-independent random source.
#[derive(Debug, Clone)]
pub struct Random(ChaCha8Rng);

impl Random {
    /// A source seeded with `seed`.
    pub fn new(seed: u64) -> Random {
        Random(ChaCha8Rng::seed_from_u64(seed))
    }

    /// Independent stream `stream` of the source seeded with `seed`: replicate `k` draws from
    /// stream `k`, so its numbers do not depend on which replicates ran before it, or where.
    pub fn stream(seed: u64, stream: u64) -> Random {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Random(rng)
    }

    /// Uniform in `[0, 1)`.
    pub fn uniform(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in `0..n` (`n > 0`), without modulo bias.
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let x = self.0.next_u64();
            if x < zone {
                return (x % n) as usize;
            }
        }
    }

    /// An index drawn with probability proportional to `cumulative[i] - cumulative[i-1]`, given
    /// the running sums of non-negative weights (last element the total, positive).
    pub fn pick(&mut self, cumulative: &[f64]) -> usize {
        let total = cumulative[cumulative.len() - 1];
        let u = self.uniform() * total;
        cumulative.partition_point(|&c| c <= u).min(cumulative.len() - 1)
    }

    /// A standard normal deviate (Box-Muller with the platform-independent `libm`).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform();
        let u2 = self.uniform();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
    }

    /// A binomial draw: successes in `n` trials (a whole number, as `f64`, up to 2^53) of
    /// probability `p`. Exact: inversion when `n min(p, 1 - p) < 10`, else Hörmann's
    /// transformed rejection with squeeze (BTRS, 1993), whose cost does not grow with `n`.
    pub fn binomial(&mut self, n: f64, p: f64) -> f64 {
        let n = n.max(0.0).round();
        if n == 0.0 || p <= 0.0 {
            return 0.0;
        }
        if p >= 1.0 {
            return n;
        }
        if p > 0.5 {
            return n - self.binomial(n, 1.0 - p);
        }
        if n * p < 10.0 { self.binomial_inversion(n, p) } else { self.binomial_btrs(n, p) }
    }

    fn binomial_inversion(&mut self, n: f64, p: f64) -> f64 {
        let q = 1.0 - p;
        let s = p / q;
        let a = (n + 1.0) * s;
        let mut r = libm::exp(n * libm::log1p(-p));
        let mut u = self.uniform();
        let mut x = 0.0;
        while u > r && x < n {
            u -= r;
            x += 1.0;
            r *= a / x - s;
        }
        x
    }

    fn binomial_btrs(&mut self, n: f64, p: f64) -> f64 {
        let q = 1.0 - p;
        let spq = libm::sqrt(n * p * q);
        let b = 1.15 + 2.53 * spq;
        let a = -0.0873 + 0.0248 * b + 0.01 * p;
        let c = n * p + 0.5;
        let v_r = 0.92 - 4.2 / b;
        let alpha = (2.83 + 5.1 / b) * spq;
        let lpq = libm::log(p / q);
        let m = libm::floor((n + 1.0) * p);
        let h = libm::lgamma(m + 1.0) + libm::lgamma(n - m + 1.0);
        loop {
            let u = self.uniform() - 0.5;
            let v = self.uniform();
            let us = 0.5 - u.abs();
            let k = libm::floor((2.0 * a / us + b) * u + c);
            if k < 0.0 || k > n {
                continue;
            }
            if us >= 0.07 && v <= v_r {
                return k;
            }
            let v = libm::log(v * alpha / (a / (us * us) + b));
            if v <= h - libm::lgamma(k + 1.0) - libm::lgamma(n - k + 1.0) + (k - m) * lpq {
                return k;
            }
        }
    }

    /// A multinomial draw of `n` trials over outcomes of probability proportional to
    /// `weights`, by sequential binomials: its cost grows with the outcomes, not with `n`.
    pub fn multinomial(&mut self, n: f64, weights: &[f64]) -> Vec<f64> {
        let mut left = n.max(0.0).round();
        let mut mass: f64 = weights.iter().map(|w| w.max(0.0)).sum();
        let mut out = vec![0.0; weights.len()];
        for (k, &w) in weights.iter().enumerate() {
            if left <= 0.0 || mass <= 0.0 {
                break;
            }
            let w = w.max(0.0);
            let x = if w >= mass { left } else { self.binomial(left, w / mass) };
            out[k] = x;
            left -= x;
            mass -= w;
        }
        out
    }

    /// A gamma draw of shape `shape` (> 0) and scale 1 (Marsaglia and Tsang 2000; shapes below
    /// 1 by the boost `G(a + 1) U^(1/a)`).
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let u = 1.0 - self.uniform();
            return self.gamma(shape + 1.0) * libm::pow(u, 1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / libm::sqrt(9.0 * d);
        loop {
            let x = self.normal();
            let t = 1.0 + c * x;
            if t <= 0.0 {
                continue;
            }
            let v = t * t * t;
            let u = 1.0 - self.uniform();
            if u < 1.0 - 0.0331 * x * x * x * x
                || libm::log(u) < 0.5 * x * x + d * (1.0 - v + libm::log(v))
            {
                return d * v;
            }
        }
    }

    /// A Dirichlet draw with parameters `alpha` (each > 0): probabilities summing to 1.
    pub fn dirichlet(&mut self, alpha: &[f64]) -> Vec<f64> {
        let mut g: Vec<f64> = alpha.iter().map(|&a| self.gamma(a)).collect();
        let sum: f64 = g.iter().sum();
        if sum > 0.0 {
            g.iter_mut().for_each(|x| *x /= sum);
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_known_first_values() {
        let mut a = Random::new(7);
        let mut b = Random::new(7);
        let xs: Vec<f64> = (0..5).map(|_| a.uniform()).collect();
        let ys: Vec<f64> = (0..5).map(|_| b.uniform()).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        assert_ne!(Random::new(8).uniform(), xs[0]);
    }

    #[test]
    fn pick_follows_the_weights() {
        let mut r = Random::new(1);
        let cum = [1.0, 1.0, 4.0]; // weights 1, 0, 3
        let mut hits = [0usize; 3];
        for _ in 0..40_000 {
            hits[r.pick(&cum)] += 1;
        }
        assert_eq!(hits[1], 0);
        let frac = hits[2] as f64 / 40_000.0;
        assert!((frac - 0.75).abs() < 0.01, "{frac}");
        for _ in 0..1000 {
            assert!(r.below(3) < 3);
        }
    }

    /// Mean and variance of `draws` draws.
    fn moments(draws: usize, mut draw: impl FnMut() -> f64) -> (f64, f64) {
        let xs: Vec<f64> = (0..draws).map(|_| draw()).collect();
        let mean = xs.iter().sum::<f64>() / draws as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws - 1) as f64;
        (mean, var)
    }

    #[test]
    fn binomials_have_their_mean_and_variance_at_every_size() {
        let mut r = Random::new(3);
        for &(n, p) in &[(5.0, 0.3), (40.0, 0.1), (1000.0, 0.37), (1e6, 0.9), (1e13, 2e-3)] {
            let (mean, var) = moments(20_000, || r.binomial(n, p));
            let (m0, v0) = (n * p, n * p * (1.0 - p));
            // The sample mean is within 5 standard errors, the variance within 6%.
            assert!((mean - m0).abs() < 5.0 * (v0 / 20_000.0).sqrt(), "{n} {p}: {mean} vs {m0}");
            assert!((var / v0 - 1.0).abs() < 0.06, "{n} {p}: {var} vs {v0}");
        }
        assert_eq!(r.binomial(0.0, 0.5), 0.0);
        assert_eq!(r.binomial(7.0, 1.0), 7.0);
        // Small exact case: P(X = 0) for Bin(3, 0.5) is 1/8.
        let zeros = (0..40_000).filter(|_| r.binomial(3.0, 0.5) == 0.0).count();
        assert!((zeros as f64 / 40_000.0 - 0.125).abs() < 0.006, "{zeros}");
    }

    #[test]
    fn multinomials_keep_the_total_and_dirichlets_their_means() {
        let mut r = Random::new(4);
        let w = [3.0, 0.0, 1.0, 6.0];
        let mut sums = [0.0; 4];
        for _ in 0..5_000 {
            let x = r.multinomial(1e12, &w);
            assert_eq!(x.iter().sum::<f64>(), 1e12);
            assert_eq!(x[1], 0.0);
            for k in 0..4 {
                sums[k] += x[k];
            }
        }
        for k in 0..4 {
            assert!((sums[k] / 5_000.0 / 1e12 - w[k] / 10.0).abs() < 1e-6, "{k}");
        }
        let (mean, var) = moments(40_000, || r.gamma(0.4));
        assert!((mean - 0.4).abs() < 0.02 && (var - 0.4).abs() < 0.04, "{mean} {var}");
        let (mean, var) = moments(40_000, || r.gamma(2.5e9) / 2.5e9);
        assert!((mean - 1.0).abs() < 1e-5 && (var * 2.5e9 - 1.0).abs() < 0.05, "{mean} {var}");
        let d: Vec<Vec<f64>> = (0..20_000).map(|_| r.dirichlet(&[1.0, 2.0, 7.0])).collect();
        let mean0 = d.iter().map(|x| x[0]).sum::<f64>() / d.len() as f64;
        assert!((mean0 - 0.1).abs() < 0.003, "{mean0}");
        assert!(d.iter().all(|x| (x.iter().sum::<f64>() - 1.0).abs() < 1e-12));
    }
}
