//! The paper's word task, simulated: real English words whose letters (A = 1 ... Z = 26) sum to
//! 100, and an "LLM" that moves between them with a hidden potential.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::catalogue::{Catalogue, Responder};
use super::engine::{Agent, restart_sampling};
use super::{Simulation, lowest_zero};
use crate::datasets::Dataset;
use crate::random::Random;

/// The built-in words, each summing to 100 (the paper's words among them).
pub static WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/words100.txt").lines().filter(|l| !l.is_empty()).collect()
});

/// Letter sum with A = 1 ... Z = 26 (case-insensitive); `None` if a character is not a letter.
pub fn letter_sum(word: &str) -> Option<u32> {
    word.chars()
        .map(|c| {
            c.is_ascii_alphabetic().then(|| u32::from(c.to_ascii_uppercase() as u8 - b'A' + 1))
        })
        .sum()
}

/// The simulated word agent, a [`Responder`] over the built-in words (most popular first).
/// ATTITUDE is the deep well (potential 0), every other word sits at `floor + sigma |z|`.
/// Detailed balance holds exactly with `V`. A fraction `invalid_rate` of answers are words that
/// do not sum to 100, mapped to `INVALID00`.
#[derive(Debug, Clone, PartialEq)]
pub struct WordTask {
    /// Potential of the words other than ATTITUDE, at least this.
    pub floor: f64,
    /// Spread above the floor.
    pub sigma: f64,
    /// Share of answers that are invalid.
    pub invalid_rate: f64,
    /// How far down the word list proposals reach (popularity `exp(-rank / spread)`).
    pub spread: f64,
    /// Default number of attempts (the paper's 20000).
    pub attempts: usize,
    /// Sampling temperature: moves are kept with `exp(-(V_g - V_f) / temperature)` (times the
    /// popularity ratio), so the potential the data show is `V / temperature`.
    pub temperature: f64,
}

impl Default for WordTask {
    fn default() -> Self {
        WordTask {
            floor: 3.0,
            sigma: 2.0,
            invalid_rate: 0.02,
            spread: 4.0,
            attempts: 20_000,
            temperature: 1.0,
        }
    }
}

/// The seed word of the paper's runs.
const SEED_WORD: &str = "BUZZY";
/// The sink of invalid answers.
const INVALID: &str = "INVALID00";

impl WordTask {
    /// The hidden potential of every built-in word (fixed: the same "LLM" in every run).
    pub fn potential(&self) -> Vec<f64> {
        let mut rng = Random::new(2512_10047);
        WORDS
            .iter()
            .map(|w| {
                let z = rng.normal().abs();
                if *w == "ATTITUDE" { 0.0 } else { self.floor + self.sigma * z }
            })
            .collect()
    }

    /// The potential the agent's moves show at its temperature, `V / temperature`.
    fn scaled_potential(&self) -> Vec<f64> {
        let t = if self.temperature > 0.0 { self.temperature } else { 1.0 };
        self.potential().into_iter().map(|v| v / t).collect()
    }

    /// The potential an experiment with [`WordTask::responder`] should recover, by word, lowest
    /// zero: the hidden potential over the temperature.
    pub fn truth(&self) -> BTreeMap<String, f64> {
        lowest_zero(WORDS.iter().map(|w| (*w).to_owned()).zip(self.scaled_potential()).collect())
    }

    /// The simulated LLM itself.
    fn agent(&self) -> Catalogue {
        let words = WORDS.iter().map(|w| (*w).to_owned()).collect();
        Catalogue::new(words, self.scaled_potential(), self.spread, self.invalid_rate, INVALID)
    }

    /// The simulated LLM answering one prompt at a time, as an experiment runner meets it.
    pub fn responder(&self, seed: u64) -> Responder {
        let wrong = WRONG_WORDS.iter().map(|w| (*w).to_owned()).collect();
        let buzzy = WORDS.iter().position(|w| *w == SEED_WORD).unwrap_or(0);
        Responder::new(self.agent(), wrong, buzzy, seed)
    }

    /// Runs `attempts` attempts of restart sampling from BUZZY.
    pub fn run(&self, seed: u64, attempts: usize) -> Simulation {
        let start = WORDS.iter().position(|w| *w == SEED_WORD).expect("BUZZY is a built-in word");
        let mut agent = self.agent();
        let mut rng = Random::new(seed);
        let (counts, index) = restart_sampling(&mut agent, &[start], attempts, &mut rng);
        let truth: BTreeMap<String, f64> = index
            .iter()
            .filter(|&&i| i < WORDS.len())
            .map(|&i| (agent.label(i), agent.potential[i]))
            .collect();
        Simulation {
            dataset: Dataset::of_counts(
                format!("Simulated word task (seed {seed})"),
                format!(
                    "Simulated LLM on the paper's word-sum-100 task: {} real words, hidden \
                     potential, {attempts} attempts from {SEED_WORD}.",
                    WORDS.len()
                ),
                counts,
            ),
            truth: lowest_zero(truth),
        }
    }
}

/// Words that do not add up to 100: what the simulated LLM says when it gets the task wrong.
const WRONG_WORDS: [&str; 5] = ["KNOWLEDGE", "HARDWORK", "LUCK", "LOVE", "MONEY"];

#[cfg(test)]
mod tests {
    use super::super::catalogue::check_probabilities;
    use super::*;

    #[test]
    fn answer_probabilities_sum_to_one_and_match_the_frequencies() {
        let mut llm = WordTask::default().responder(5);
        check_probabilities(&mut llm, &["BUZZY", "ATTITUDE", "TURKEY"], "BUZZY", 200_000);
        assert_eq!(llm.probability("BUZZY", "NOT-A-WORD"), 0.0);
    }
}
