//! Number tasks, simulated: "another three-digit number whose digits add up to 15", "another
//! four-digit number divisible by 7". Every number of the task is a state; a simulated LLM
//! ([`Responder`]) moves between them with a hidden potential, so that a study of such tasks
//! runs offline with a known truth.

use std::collections::BTreeMap;

use super::catalogue::{Catalogue, Responder};
use super::lowest_zero;
use crate::random::Random;

/// The largest number of digits simulated (90,000 five-digit numbers).
pub const MAX_DIGITS: u32 = 5;
/// The sink of invalid answers.
const INVALID: &str = "INVALID00";
/// The place of the deep well in the agent's order of popularity (0: its favourite).
const WELL_RANK: usize = 3;

/// Sum of the decimal digits of `n`.
pub fn digit_sum(n: u64) -> u32 {
    let mut n = n;
    let mut sum = 0;
    while n > 0 {
        sum += (n % 10) as u32;
        n /= 10;
    }
    sum
}

/// A number task and its simulated LLM: the valid states are the numbers of exactly `digits`
/// digits (no leading zero) whose digits add up to `digit_sum` and that `divisible_by` divides
/// (each condition when given). The agent favours low numbers (popularity falling with the
/// number's place among them); its fourth favourite is the deep well (potential 0), every other
/// number sits at `floor + sigma |z|`.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberTask {
    /// Digits of every valid number.
    pub digits: u32,
    /// The sum of digits required, if any.
    pub digit_sum: Option<u32>,
    /// The divisor required, if any.
    pub divisible_by: Option<u32>,
    /// Potential of the numbers other than the favourite, at least this.
    pub floor: f64,
    /// Spread above the floor.
    pub sigma: f64,
    /// Share of answers that are invalid.
    pub invalid_rate: f64,
    /// How far down the order of popularity proposals reach (`exp(-rank / spread)`).
    pub spread: f64,
    /// Sampling temperature: the potential the data show is `V / temperature`.
    pub temperature: f64,
}

impl NumberTask {
    /// The task with the word task's agent settings (floor 3, sigma 2, 2% invalid, spread 4,
    /// temperature 1).
    pub fn new(digits: u32, digit_sum: Option<u32>, divisible_by: Option<u32>) -> NumberTask {
        NumberTask {
            digits,
            digit_sum,
            divisible_by,
            floor: 3.0,
            sigma: 2.0,
            invalid_rate: 0.02,
            spread: 4.0,
            temperature: 1.0,
        }
    }

    /// Whether `n` (of the task's digits) meets the task's conditions.
    fn meets(&self, n: u64) -> bool {
        self.digit_sum.is_none_or(|s| digit_sum(n) == s)
            && self.divisible_by.is_none_or(|d| d > 0 && n.is_multiple_of(u64::from(d)))
    }

    /// The numbers of the task's digits, lowest first.
    fn range(&self) -> std::ops::Range<u64> {
        let digits = self.digits.clamp(1, MAX_DIGITS);
        let low = if digits == 1 { 0 } else { 10u64.pow(digits - 1) };
        low..10u64.pow(digits)
    }

    /// Every valid number, lowest first: the agent's order of popularity (like a model that
    /// favours the first numbers that come to mind); empty when no number qualifies or the
    /// task has more than [`MAX_DIGITS`] digits.
    pub fn states(&self) -> Vec<String> {
        if self.digits == 0 || self.digits > MAX_DIGITS {
            return Vec::new();
        }
        self.range().filter(|&n| self.meets(n)).map(|n| n.to_string()).collect()
    }

    /// A seed for the task's fixed randomness, from its conditions.
    fn fingerprint(&self) -> u64 {
        let d = u64::from(self.digits);
        let s = self.digit_sum.map_or(0, |s| u64::from(s) + 1);
        let k = self.divisible_by.map_or(0, |k| u64::from(k) + 1);
        2512_10047 ^ (d << 48) ^ (s << 24) ^ k
    }

    /// The hidden potential of every valid number, in the order of [`NumberTask::states`]: the
    /// fourth most popular number (or the last, when there are fewer) is the deep well.
    pub fn potential(&self) -> Vec<f64> {
        let n = self.states().len();
        let well = WELL_RANK.min(n.saturating_sub(1));
        let mut rng = Random::new(self.fingerprint());
        (0..n)
            .map(|i| {
                let z = rng.normal().abs();
                if i == well { 0.0 } else { self.floor + self.sigma * z }
            })
            .collect()
    }

    /// The potential the agent's moves show at its temperature, `V / temperature`.
    fn scaled_potential(&self) -> Vec<f64> {
        let t = if self.temperature > 0.0 { self.temperature } else { 1.0 };
        self.potential().into_iter().map(|v| v / t).collect()
    }

    /// The potential an experiment with [`NumberTask::responder`] should recover, by number,
    /// lowest zero.
    pub fn truth(&self) -> BTreeMap<String, f64> {
        lowest_zero(self.states().into_iter().zip(self.scaled_potential()).collect())
    }

    /// A few numbers of the task's digits that fail its conditions (numbers of one more digit
    /// when every number of its digits qualifies): the agent's wrong answers.
    fn wrong(&self) -> Vec<String> {
        let failing: Vec<String> =
            self.range().filter(|&n| !self.meets(n)).take(5).map(|n| n.to_string()).collect();
        if failing.is_empty() {
            let next = 10u64.pow(self.digits.clamp(1, MAX_DIGITS));
            return (next..next + 5).map(|n| n.to_string()).collect();
        }
        failing
    }

    /// The simulated LLM answering one prompt at a time, or `None` when no number qualifies
    /// (or the task has more than [`MAX_DIGITS`] digits). An unknown state is answered as the
    /// agent's favourite (the lowest number).
    pub fn responder(&self, seed: u64) -> Option<Responder> {
        let states = self.states();
        if states.is_empty() {
            return None;
        }
        let agent = Catalogue::new(
            states,
            self.scaled_potential(),
            self.spread,
            self.invalid_rate,
            INVALID,
        );
        Some(Responder::new(agent, self.wrong(), 0, seed))
    }
}

#[cfg(test)]
mod tests {
    use super::super::catalogue::check_probabilities;
    use super::*;

    #[test]
    fn the_states_are_exactly_the_numbers_that_qualify() {
        let fifteen = NumberTask::new(3, Some(15), None).states();
        assert_eq!(fifteen.len(), 69, "three-digit numbers whose digits add up to 15");
        assert!(fifteen.iter().all(|n| n.len() == 3 && digit_sum(n.parse().unwrap()) == 15));
        let sevens = NumberTask::new(4, None, Some(7)).states();
        assert_eq!(sevens.len(), 1286, "four-digit multiples of 7: 1001 to 9996");
        assert!(sevens.contains(&"1001".to_owned()) && sevens.contains(&"9996".to_owned()));
        assert!(NumberTask::new(6, None, None).states().is_empty(), "beyond the limit");
        assert!(NumberTask::new(2, Some(30), None).responder(1).is_none(), "none qualifies");
    }

    #[test]
    fn answers_are_valid_numbers_or_the_wrong_ones_with_their_exact_probabilities() {
        let task = NumberTask::new(3, Some(15), None);
        let mut llm = task.responder(3).unwrap();
        let states = task.states();
        let sources = [states[0].as_str(), states[5].as_str(), "999"];
        let seen = check_probabilities(&mut llm, &sources, &states[3], 100_000);
        assert!(seen.keys().all(|a| states.contains(a) || task.wrong().contains(a)));
        assert!(task.wrong().iter().all(|w| digit_sum(w.parse().unwrap()) != 15));
    }
}
