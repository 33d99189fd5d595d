//! A ring of states driven one way: detailed balance broken by design.

use std::collections::BTreeMap;

use super::Simulation;
use super::engine::{Agent, Step, restart_sampling};
use crate::datasets::Dataset;
use crate::random::Random;

/// From each state of a ring, step forward with probability `forward`, backward with
/// `backward`, otherwise the answer is rejected. With `forward != backward` no potential exists;
/// the cycle affinity is `states * ln(forward / backward)`.
#[derive(Debug, Clone, PartialEq)]
pub struct DrivenCycle {
    /// Number of states on the ring (at least 3).
    pub states: usize,
    /// Probability of a forward step.
    pub forward: f64,
    /// Probability of a backward step.
    pub backward: f64,
    /// Default number of attempts.
    pub attempts: usize,
}

impl Default for DrivenCycle {
    fn default() -> Self {
        DrivenCycle { states: 3, forward: 0.4, backward: 0.1, attempts: 3_000 }
    }
}

impl DrivenCycle {
    /// A ring of `states` whose steps happen with total probability `rate`, split so that
    /// `ln(forward / backward) = drive` (0: detailed balance).
    pub fn with_drive(states: usize, rate: f64, drive: f64, attempts: usize) -> DrivenCycle {
        let forward = rate / (1.0 + (-drive).exp());
        DrivenCycle { states, forward, backward: rate - forward, attempts }
    }
}

struct Ring {
    n: usize,
    forward: f64,
    backward: f64,
}

impl Agent for Ring {
    fn label(&self, i: usize) -> String {
        format!("C{i}")
    }

    fn step(&mut self, f: usize, rng: &mut Random) -> Step {
        let u = rng.uniform();
        if u < self.forward {
            Step::To((f + 1) % self.n)
        } else if u < self.forward + self.backward {
            Step::To((f + self.n - 1) % self.n)
        } else {
            Step::Rejected
        }
    }
}

impl DrivenCycle {
    /// Runs `attempts` attempts of restart sampling from state 0.
    pub fn run(&self, seed: u64, attempts: usize) -> Simulation {
        let mut agent =
            Ring { n: self.states.max(3), forward: self.forward, backward: self.backward };
        let mut rng = Random::new(seed);
        let (counts, index) = restart_sampling(&mut agent, &[0], attempts, &mut rng);
        let truth = if self.forward == self.backward {
            index.iter().map(|&i| (agent.label(i), 0.0)).collect()
        } else {
            BTreeMap::new()
        };
        Simulation {
            dataset: Dataset::of_counts(
                format!("Driven cycle (seed {seed})"),
                format!(
                    "Simulated: a ring of {} states, forward {:.3}, backward {:.3}, {attempts} attempts.",
                    agent.n, self.forward, self.backward
                ),
                counts,
            ),
            truth,
        }
    }
}
