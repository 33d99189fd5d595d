//! Seeded random numbers that are identical on every platform (native and wasm32): ChaCha8
//! bits, uniform doubles from their top 53 bits, and sampling by comparisons only.

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
}
