//! Seeded simulators, reproducible on every platform: agents whose true behaviour is known, run
//! with the paper's restart sampling (the source of each attempt drawn uniformly among the
//! states discovered so far).
//!
//! - [`Metropolis`]: an agent on a hidden energy landscape; detailed balance holds with
//!   `V = beta E`, so the recovered potential can be checked against the truth.
//! - [`DrivenCycle`]: a ring driven one way; detailed balance is broken by design.
//! - [`WordTask`]: the paper's word-sum-100 task over real English words with a hidden potential.
//! - [`NumberTask`]: number tasks (digit sums, divisibility) with a hidden potential.
//! - [`PaperScale`]: a large landscape with the size of the paper's symbolic-regression data.

mod catalogue;
mod driven;
mod engine;
mod few_states;
mod metropolis;
mod number_task;
mod paper_scale;
mod word_task;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use catalogue::Responder;
pub use driven::DrivenCycle;
pub use engine::{Agent, Step, restart_sampling};
pub use few_states::{FewResponder, FewStates};
pub use metropolis::Metropolis;
pub use number_task::{MAX_DIGITS, NumberTask, digit_sum};
pub use paper_scale::PaperScale;
pub use word_task::{WORDS, WordTask, letter_sum};

use crate::datasets::Dataset;

/// A simulated dataset and the truth behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// The recorded attempts as counts.
    pub dataset: Dataset,
    /// The true potential `beta V` of each discovered state (lowest 0), when the agent has one.
    pub truth: BTreeMap<String, f64>,
}

/// The simulators offered by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// [`Metropolis`] with its defaults.
    Metropolis,
    /// [`DrivenCycle`] with its defaults.
    DrivenCycle,
    /// [`WordTask`] with its defaults.
    WordTask,
    /// [`PaperScale`] with its defaults.
    PaperScale,
    /// [`PaperScale::large`]: about 100,000 states and 1,000,000 transitions.
    Large,
}

impl Preset {
    /// Every preset.
    pub const ALL: [Preset; 5] = [
        Preset::Metropolis,
        Preset::DrivenCycle,
        Preset::WordTask,
        Preset::PaperScale,
        Preset::Large,
    ];

    /// The kebab-case name used on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Preset::Metropolis => "metropolis",
            Preset::DrivenCycle => "driven-cycle",
            Preset::WordTask => "word-task",
            Preset::PaperScale => "paper-scale",
            Preset::Large => "large",
        }
    }

    /// Runs the preset with `seed`, for `attempts` attempts (its default when `None`).
    pub fn run(self, seed: u64, attempts: Option<usize>) -> Simulation {
        match self {
            Preset::Metropolis => {
                let m = Metropolis::default();
                m.run(seed, attempts.unwrap_or(m.attempts))
            }
            Preset::DrivenCycle => {
                let d = DrivenCycle::default();
                d.run(seed, attempts.unwrap_or(d.attempts))
            }
            Preset::WordTask => {
                let w = WordTask::default();
                w.run(seed, attempts.unwrap_or(w.attempts))
            }
            Preset::PaperScale => PaperScale::default().run(seed, attempts),
            Preset::Large => PaperScale::large().run(seed, attempts),
        }
    }
}

/// Shifts a potential so that its minimum is 0.
pub(crate) fn lowest_zero(mut truth: BTreeMap<String, f64>) -> BTreeMap<String, f64> {
    let min = truth.values().copied().fold(f64::INFINITY, f64::min);
    truth.values_mut().for_each(|v| *v -= min);
    truth
}
