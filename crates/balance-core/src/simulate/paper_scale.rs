//! A generator with the size of the paper's symbolic-regression dataset (IdeaSearchFitter on
//! PMLB nikuradse_2): about 50,000 transitions among 7,500 states, 20,000 of them unique.

use std::collections::BTreeMap;

use super::engine::{Agent, Step, restart_sampling};
use super::{Simulation, lowest_zero};
use crate::datasets::Dataset;
use crate::random::Random;

/// A Metropolis agent on an implicit landscape of `universe` expression-like states. Each
/// proposal is, with probability `jump`, any state of the universe, else one of `2 reach` lattice
/// neighbours (the first `reach` of the offsets 1, 37 and 1031, both ways): a symmetric proposal,
/// so detailed balance holds with the hidden potential `V ~ N(0, sigma^2)` of each state.
#[derive(Debug, Clone, PartialEq)]
pub struct PaperScale {
    /// Size of the implicit state space.
    pub universe: usize,
    /// Share of proposals that jump anywhere.
    pub jump: f64,
    /// Spread of the hidden potential.
    pub sigma: f64,
    /// Lattice offsets used (1 to 3).
    pub reach: usize,
    /// Default number of attempts.
    pub attempts: usize,
    /// The dataset's name, before its seed.
    pub name: &'static str,
}

impl Default for PaperScale {
    fn default() -> Self {
        PaperScale {
            universe: 10_000,
            jump: 0.03,
            sigma: 2.5,
            reach: 3,
            attempts: 100_000,
            name: "Paper-scale synthetic",
        }
    }
}

/// SplitMix64: a hash of a state index into 64 well-mixed bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const TERMS: [&str; 8] = ["x", "x**2", "log(x)", "exp(-x)", "sqrt(x)", "1/x", "tanh(x)", "x**3"];

struct Landscape {
    universe: usize,
    reach: usize,
    jump: f64,
    sigma: f64,
    salt: u64,
}

impl Landscape {
    fn potential(&self, i: usize) -> f64 {
        let h = mix(self.salt ^ i as u64);
        let u1 = ((h >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        let u2 = (mix(h) >> 11) as f64 / (1u64 << 53) as f64;
        self.sigma * libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
    }
}

impl Agent for Landscape {
    fn label(&self, i: usize) -> String {
        let h = mix(i as u64);
        let (a, b) = (TERMS[(h & 7) as usize], TERMS[((h >> 3) & 7) as usize]);
        format!("{}.{:03}*{a} + {b}", i / 1000, i % 1000)
    }

    fn step(&mut self, f: usize, rng: &mut Random) -> Step {
        let n = self.universe;
        let g = if rng.uniform() < self.jump {
            rng.below(n)
        } else {
            let offset = [1, 37, 1031][rng.below(self.reach)];
            if rng.below(2) == 0 { (f + offset) % n } else { (f + n - offset) % n }
        };
        if g == f {
            return Step::To(f);
        }
        let accept = libm::exp(-(self.potential(g) - self.potential(f))).min(1.0);
        if rng.uniform() < accept { Step::To(g) } else { Step::Rejected }
    }
}

impl PaperScale {
    /// The same landscape twenty times larger, for measuring speed and memory: about 100,000
    /// states and 1,000,000 transitions.
    pub fn large() -> Self {
        PaperScale {
            universe: 120_000,
            attempts: 2_000_000,
            name: "Large synthetic",
            ..PaperScale::default()
        }
    }

    /// Runs the generator (its default number of attempts when `None`).
    pub fn run(&self, seed: u64, attempts: Option<usize>) -> Simulation {
        let attempts = attempts.unwrap_or(self.attempts);
        let mut agent = Landscape {
            universe: self.universe.max(2100),
            reach: self.reach.clamp(1, 3),
            jump: self.jump,
            sigma: self.sigma,
            salt: mix(seed ^ 0x5041_5045_5253),
        };
        let mut rng = Random::new(seed);
        let start = rng.below(agent.universe);
        let (counts, index) = restart_sampling(&mut agent, &[start], attempts, &mut rng);
        let truth: BTreeMap<String, f64> =
            index.iter().map(|&i| (agent.label(i), agent.potential(i))).collect();
        Simulation {
            dataset: Dataset::of_counts(
                format!("{} (seed {seed})", self.name),
                format!(
                    "Simulated at the size of the paper's symbolic-regression data: {attempts} \
                     attempts of restart sampling on a landscape of {} expressions.",
                    agent.universe
                ),
                counts,
            ),
            truth: lowest_zero(truth),
        }
    }
}
