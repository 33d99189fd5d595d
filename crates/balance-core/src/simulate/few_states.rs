//! A few states whose energies a person sets (the lessons' landscapes): from any state, another
//! is proposed uniformly and accepted with `min(1, exp(-beta (E_g - E_f)))`, so detailed balance
//! holds with `V = beta E`. Sampled by restart sampling (the paper's protocol) or as one
//! trajectory (a token walking).

use std::collections::BTreeMap;

use super::engine::{Agent, Step, restart_sampling};
use super::{Simulation, lowest_zero};
use crate::datasets::Dataset;
use crate::model::Counts;
use crate::random::Random;

/// Most states (labelled A to Z).
pub const MAX_STATES: usize = 26;

/// A few states with set energies.
#[derive(Debug, Clone, PartialEq)]
pub struct FewStates {
    /// The energy of each state (2 to 26 states).
    pub energies: Vec<f64>,
    /// Inverse temperature.
    pub beta: f64,
}

struct Few<'a> {
    energies: &'a [f64],
    beta: f64,
}

/// The label of state `i`: A, B, C, ...
pub fn label(i: usize) -> String {
    char::from(b'A' + (i % MAX_STATES) as u8).to_string()
}

impl Agent for Few<'_> {
    fn label(&self, i: usize) -> String {
        label(i)
    }

    fn step(&mut self, f: usize, rng: &mut Random) -> Step {
        let n = self.energies.len();
        let g = (f + 1 + rng.below(n - 1)) % n;
        let accept = libm::exp(-self.beta * (self.energies[g] - self.energies[f])).min(1.0);
        if rng.uniform() < accept { Step::To(g) } else { Step::Rejected }
    }
}

/// Majority voting over an agent: `m` candidate answers are drawn, and the state named by more
/// than half of them is the answer (else the attempt is rejected).
struct Voting<'a> {
    agent: Few<'a>,
    m: usize,
}

impl Agent for Voting<'_> {
    fn label(&self, i: usize) -> String {
        label(i)
    }

    fn step(&mut self, f: usize, rng: &mut Random) -> Step {
        let mut tally = [0usize; MAX_STATES];
        for _ in 0..self.m {
            // A refused move answers the source again: a candidate like any other.
            let g = match self.agent.step(f, rng) {
                Step::To(g) => g,
                _ => f,
            };
            tally[g] += 1;
        }
        match tally.iter().position(|&k| 2 * k > self.m) {
            Some(g) if g != f => Step::To(g),
            _ => Step::Rejected,
        }
    }
}

/// A few-state agent answering prompts one at a time: the next state's label, or the prompt's
/// own label when the move was refused.
pub struct FewResponder {
    energies: Vec<f64>,
    beta: f64,
    rng: Random,
}

impl FewResponder {
    /// The answer to a prompt about `state` (a label A, B, ...; an unknown one is answered as
    /// if it were A).
    pub fn answer(&mut self, state: &str) -> String {
        let n = self.energies.len();
        let f = (0..n).find(|&i| label(i) == state.trim()).unwrap_or(0);
        let mut agent = Few { energies: &self.energies, beta: self.beta };
        match agent.step(f, &mut self.rng) {
            Step::To(g) => label(g),
            _ => label(f),
        }
    }
}

impl FewStates {
    /// The agent answering prompts one at a time, its moves drawn from `seed`.
    pub fn responder(&self, seed: u64) -> FewResponder {
        FewResponder { energies: self.energies.clone(), beta: self.beta, rng: Random::new(seed) }
    }

    /// The label of state `i`: A, B, C, ...
    pub fn label(i: usize) -> String {
        label(i)
    }

    /// The states' energies clamped to 2..=26 states.
    fn agent(&self) -> Few<'_> {
        let n = self.energies.len().clamp(2, MAX_STATES);
        Few { energies: &self.energies[..n.min(self.energies.len())], beta: self.beta }
    }

    /// The true potential `beta E`, lowest zero.
    pub fn truth(&self) -> BTreeMap<String, f64> {
        let agent = self.agent();
        lowest_zero(
            agent.energies.iter().enumerate().map(|(i, e)| (label(i), self.beta * e)).collect(),
        )
    }

    fn dataset(&self, counts: Counts, what: String) -> Simulation {
        Simulation {
            dataset: Dataset::of_counts(
                format!("{} states with set energies", self.agent().energies.len()),
                what,
                counts,
            ),
            truth: self.truth(),
        }
    }

    /// `attempts` attempts of restart sampling from state A.
    pub fn restarts(&self, seed: u64, attempts: usize) -> Simulation {
        let mut agent = self.agent();
        let mut rng = Random::new(seed);
        let (counts, _) = restart_sampling(&mut agent, &[0], attempts, &mut rng);
        self.dataset(
            counts,
            format!("{attempts} attempts of restart sampling from A (seed {seed})"),
        )
    }

    /// `attempts` attempts of restart sampling from A by majority voting over `m` candidates
    /// (docs/method.md, section 7: for small T the potential becomes `n V` with `n = m / 2 + 1`).
    pub fn restarts_voting(&self, seed: u64, attempts: usize, m: usize) -> Simulation {
        let mut agent = Voting { agent: self.agent(), m: m.max(1) };
        let mut rng = Random::new(seed);
        let (counts, _) = restart_sampling(&mut agent, &[0], attempts, &mut rng);
        self.dataset(
            counts,
            format!(
                "{attempts} attempts of restart sampling by majority voting of {m} (seed {seed})"
            ),
        )
    }

    /// One trajectory of `steps` attempts from A (a refused move stays put): its counts, and
    /// the state after each step.
    pub fn walk(&self, seed: u64, steps: usize) -> (Simulation, Vec<usize>) {
        let mut agent = self.agent();
        let mut rng = Random::new(seed);
        let mut counts = Counts::new();
        for i in 0..agent.energies.len() {
            counts.add_state(&label(i));
        }
        let mut at = 0;
        let mut path = Vec::with_capacity(steps);
        for _ in 0..steps {
            match agent.step(at, &mut rng) {
                Step::To(g) => {
                    counts.add_transition(&label(at), &label(g), 1.0);
                    at = g;
                }
                _ => counts.add_rejection(&label(at), 1.0),
            }
            path.push(at);
        }
        (self.dataset(counts, format!("a trajectory of {steps} steps from A (seed {seed})")), path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Preset, analyze};

    fn potential(sim: &Simulation, state: &str) -> (f64, f64) {
        let d = &sim.dataset;
        let r = analyze(d, &Preset::BalanceLab.settings(d)).unwrap();
        let s = r.states.iter().find(|s| s.label == state).unwrap();
        (s.potential.unwrap(), s.potential_se.unwrap())
    }

    #[test]
    fn two_states_give_back_their_energy_difference_both_ways_of_sampling() {
        let two = FewStates { energies: vec![0.0, 1.2], beta: 1.0 };
        let (walk, path) = two.walk(3, 20_000);
        assert_eq!(path.len(), 20_000);
        let (v, se) = potential(&walk, "B");
        assert!((v - 1.2).abs() < 3.0 * se && se < 0.05, "walk: {v} ± {se}");
        let (v, se) = potential(&two.restarts(3, 20_000), "B");
        assert!((v - 1.2).abs() < 3.0 * se && se < 0.05, "restarts: {v} ± {se}");
        assert_eq!(two.truth()["B"], 1.2);
    }

    #[test]
    fn majority_voting_multiplies_the_potential_of_a_rarely_moving_agent() {
        // Ten states, so every proposal is rare (T <= 1/9): voting of 3 (n = 2) nearly doubles V.
        let energies: Vec<f64> = (0..10).map(|i| 0.25 * i as f64).collect();
        let few = FewStates { energies, beta: 1.0 };
        let slope = |sim: &Simulation| {
            let d = &sim.dataset;
            let r = analyze(d, &Preset::BalanceLab.settings(d)).unwrap();
            let (mut xy, mut xx) = (0.0, 0.0);
            for s in &r.states {
                if let (Some(v), Some(t)) = (s.potential, sim.truth.get(&s.label)) {
                    xy += v * t;
                    xx += t * t;
                }
            }
            xy / xx
        };
        let one = slope(&few.restarts_voting(4, 200_000, 1));
        let three = slope(&few.restarts_voting(4, 200_000, 3));
        assert!((one - 1.0).abs() < 0.05, "no voting: slope {one}");
        assert!(three > 1.6 && three < 2.1, "voting of 3: slope {three}");
    }

    #[test]
    fn a_walk_is_seeded_and_moves_between_neighbours_of_its_path() {
        let three = FewStates { energies: vec![0.5, 0.0, 2.0], beta: 2.0 };
        assert_eq!(three.walk(9, 500).1, three.walk(9, 500).1);
        assert_ne!(three.walk(9, 500).1, three.walk(10, 500).1);
        // The deepest state (B) is where the token spends most time.
        let path = three.walk(9, 5_000).1;
        let at_b = path.iter().filter(|&&s| s == 1).count();
        assert!(at_b > 2_500, "{at_b}");
        assert_eq!(three.truth(), [("A".into(), 1.0), ("B".into(), 0.0), ("C".into(), 4.0)].into());
    }
}
