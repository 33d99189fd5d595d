//! A simulated LLM over a fixed list of valid states: it proposes state `g` with a popularity
//! `q(g)` falling off with its place in the list (`exp(-rank / spread)`), like a model with
//! favourite answers, and keeps it with the Metropolis-Hastings probability
//! `min(1, exp(-(V_g - V_f)) q(f) / q(g))`, else repeats the prompt's state (an answer the task
//! rejects): detailed balance holds exactly with the hidden `V`. A share of answers are invalid
//! (wrong answers from a short list), recorded as the task's sink state.

use std::collections::BTreeMap;

use super::engine::{Agent, Step};
use super::lowest_zero;
use crate::random::Random;

/// The agent: the valid states in order of popularity and their hidden potential.
#[derive(Debug, Clone)]
pub(crate) struct Catalogue {
    /// The valid states, most popular first.
    pub(crate) states: Vec<String>,
    /// The hidden potential of each state (as the moves show it).
    pub(crate) potential: Vec<f64>,
    popularity: Vec<f64>,
    cumulative: Vec<f64>,
    invalid_rate: f64,
    sink: &'static str,
}

impl Catalogue {
    /// The agent over `states` (most popular first) with `potential`, proposals reaching down
    /// the list as `exp(-rank / spread)`, a share `invalid_rate` of invalid answers into `sink`.
    pub(crate) fn new(
        states: Vec<String>,
        potential: Vec<f64>,
        spread: f64,
        invalid_rate: f64,
        sink: &'static str,
    ) -> Catalogue {
        let popularity: Vec<f64> =
            (0..states.len()).map(|r| libm::exp(-(r as f64) / spread.max(0.1))).collect();
        let cumulative = popularity
            .iter()
            .scan(0.0, |acc, p| {
                *acc += p;
                Some(*acc)
            })
            .collect();
        Catalogue { states, potential, popularity, cumulative, invalid_rate, sink }
    }

    /// The probability that a move proposed from `f` to `g` is kept.
    fn accept(&self, f: usize, g: usize) -> f64 {
        let ratio = self.popularity[f] / self.popularity[g];
        (libm::exp(-(self.potential[g] - self.potential[f])) * ratio).min(1.0)
    }
}

impl Agent for Catalogue {
    fn label(&self, i: usize) -> String {
        self.states.get(i).map_or(self.sink, |w| w).to_owned()
    }

    fn step(&mut self, f: usize, rng: &mut Random) -> Step {
        if rng.uniform() < self.invalid_rate {
            return Step::Sink(self.states.len());
        }
        let g = rng.pick(&self.cumulative);
        if g == f {
            return Step::Rejected;
        }
        if rng.uniform() < self.accept(f, g) { Step::To(g) } else { Step::Rejected }
    }
}

/// A simulated LLM answering prompts one at a time with text: a valid state (a move), the
/// prompt's state again (a move it refused), or one of a few invalid answers.
#[derive(Debug, Clone)]
pub struct Responder {
    agent: Catalogue,
    /// What the agent answers when it gets the task wrong.
    wrong: Vec<String>,
    /// The state an unknown prompt's state is answered as.
    fallback: usize,
    rng: Random,
}

impl Responder {
    /// The responder of `agent`, answering an unknown state as `fallback` (an index of the
    /// agent's states), with `wrong` as its invalid answers and draws from `seed`.
    pub(crate) fn new(agent: Catalogue, wrong: Vec<String>, fallback: usize, seed: u64) -> Self {
        Responder { agent, wrong, fallback, rng: Random::new(seed) }
    }

    /// The same LLM sampled at `temperature` (its moves then show the potential over the
    /// temperature; `self` is taken to be at temperature 1), drawing from `seed`.
    pub fn at_temperature(&self, temperature: f64, seed: u64) -> Responder {
        let mut agent = self.agent.clone();
        let t = if temperature > 0.0 { temperature } else { 1.0 };
        agent.potential.iter_mut().for_each(|v| *v /= t);
        Responder::new(agent, self.wrong.clone(), self.fallback, seed)
    }

    /// The index of the state a prompt about `state` is answered for (case-insensitive).
    fn source(&self, state: &str) -> usize {
        let known = self.agent.states.iter().position(|w| w.eq_ignore_ascii_case(state.trim()));
        known.unwrap_or(self.fallback)
    }

    /// The answer to a prompt about `state` (case-insensitive; an unknown state is answered as
    /// if it were the task's seed).
    pub fn answer(&mut self, state: &str) -> String {
        let f = self.source(state);
        match self.agent.step(f, &mut self.rng) {
            Step::To(g) => self.agent.states[g].clone(),
            Step::Rejected => self.agent.states[f].clone(),
            Step::Sink(_) => self.wrong[self.rng.below(self.wrong.len())].clone(),
        }
    }

    /// The probability that a prompt about `state` is answered with exactly `answer`: what a
    /// model's token log-probabilities would give, known exactly here.
    pub fn probability(&self, state: &str, answer: &str) -> f64 {
        let a = &self.agent;
        let f = self.source(state);
        if self.wrong.iter().any(|w| w == answer) {
            return a.invalid_rate / self.wrong.len() as f64;
        }
        let Some(g) = a.states.iter().position(|w| w == answer) else { return 0.0 };
        let total = a.cumulative[a.cumulative.len() - 1];
        let moved = |g: usize| a.popularity[g] / total * a.accept(f, g);
        let valid = 1.0 - a.invalid_rate;
        if g != f {
            return valid * moved(g);
        }
        // The prompt's own state: proposed itself, or another proposal refused.
        let refused: f64 = (0..a.states.len())
            .filter(|&h| h != f)
            .map(|h| a.popularity[h] / total - moved(h))
            .sum();
        valid * (a.popularity[f] / total + refused)
    }

    /// The potential an experiment with this LLM should recover, by state, lowest zero.
    pub fn truth(&self) -> BTreeMap<String, f64> {
        let a = &self.agent;
        lowest_zero(a.states.iter().cloned().zip(a.potential.iter().copied()).collect())
    }

    /// Every answer the responder can give (valid states, then the invalid answers).
    pub fn answers(&self) -> impl Iterator<Item = &str> {
        self.agent.states.iter().chain(&self.wrong).map(String::as_str)
    }
}

/// Checks `llm`'s exact probabilities: they sum to 1 from each of `sources`, and `n` answers to
/// `from` occur as often as they say (within 5 standard errors, for answers seen more than 1% of
/// the time). Returns the answers seen, with their counts.
#[cfg(test)]
pub(crate) fn check_probabilities(
    llm: &mut Responder,
    sources: &[&str],
    from: &str,
    n: usize,
) -> BTreeMap<String, usize> {
    for source in sources {
        let all: f64 = llm.answers().map(|a| llm.probability(source, a)).sum();
        assert!((all - 1.0).abs() < 1e-12, "{source}: {all}");
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..n {
        *seen.entry(llm.answer(from)).or_default() += 1;
    }
    for (answer, k) in seen.iter().filter(|(_, k)| **k > n / 100) {
        let p = llm.probability(from, answer);
        let se = (p * (1.0 - p) / n as f64).sqrt();
        let freq = *k as f64 / n as f64;
        assert!((freq - p).abs() < 5.0 * se, "{answer}: {freq} against {p}");
    }
    seen
}
