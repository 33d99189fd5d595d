//! A Metropolis agent on a hidden energy landscape.

use std::collections::BTreeMap;

use super::engine::{Agent, Step, restart_sampling};
use super::{Simulation, lowest_zero};
use crate::datasets::Dataset;
use crate::random::Random;

/// An agent on `states` states with energies `E ~ N(0, sigma^2)`, proposing one of six
/// neighbours on a ring with chords (offsets 1, 2 and 7 both ways: a symmetric proposal) and
/// accepting with `min(1, exp(-beta (E_g - E_f)))`; a refused move is a rejected attempt.
/// Detailed balance holds with `V = beta E`.
#[derive(Debug, Clone, PartialEq)]
pub struct Metropolis {
    /// Number of states (at least 15, so the six neighbours are distinct).
    pub states: usize,
    /// Spread of the energies.
    pub sigma: f64,
    /// Inverse temperature.
    pub beta: f64,
    /// Default number of attempts.
    pub attempts: usize,
}

impl Default for Metropolis {
    fn default() -> Self {
        Metropolis { states: 30, sigma: 1.5, beta: 1.0, attempts: 20_000 }
    }
}

struct Landscape {
    energies: Vec<f64>,
    beta: f64,
}

impl Agent for Landscape {
    fn label(&self, i: usize) -> String {
        format!("S{i:02}")
    }

    fn step(&mut self, f: usize, rng: &mut Random) -> Step {
        let n = self.energies.len();
        let offset = [1, 2, 7][rng.below(3)];
        let g = if rng.below(2) == 0 { (f + offset) % n } else { (f + n - offset) % n };
        let accept = libm::exp(-self.beta * (self.energies[g] - self.energies[f])).min(1.0);
        if rng.uniform() < accept { Step::To(g) } else { Step::Rejected }
    }
}

impl Metropolis {
    /// The hidden energies for `seed`.
    pub fn energies(&self, seed: u64) -> Vec<f64> {
        let mut rng = Random::new(seed ^ 0x4d45_5452_4f50_4f4c);
        (0..self.states.max(15)).map(|_| self.sigma * rng.normal()).collect()
    }

    /// Runs `attempts` attempts of restart sampling from state 0.
    pub fn run(&self, seed: u64, attempts: usize) -> Simulation {
        let mut agent = Landscape { energies: self.energies(seed), beta: self.beta };
        let mut rng = Random::new(seed);
        let (counts, index) = restart_sampling(&mut agent, &[0], attempts, &mut rng);
        let truth: BTreeMap<String, f64> =
            index.iter().map(|&i| (agent.label(i), self.beta * agent.energies[i])).collect();
        Simulation {
            dataset: Dataset::of_counts(
                format!("Metropolis landscape (seed {seed})"),
                format!(
                    "Simulated: {} states with hidden energies (sigma {}), Metropolis moves, \
                     {attempts} attempts of restart sampling.",
                    self.states, self.sigma
                ),
                counts,
            ),
            truth: lowest_zero(truth),
        }
    }
}
