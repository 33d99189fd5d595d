//! Datasets bundled with Balance Lab: the paper's measured word tasks.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::import::parse_counts_csv;
use crate::model::Counts;

/// A dataset: counts plus what is known about how they were collected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Short name shown in pickers.
    pub name: String,
    /// One sentence on where the data come from.
    pub description: String,
    /// The count model.
    pub counts: Counts,
    /// Total attempts `A` of the experiment when the data do not record every attempt (the
    /// paper's word tasks: 20000 generations, of which only accepted transitions were published).
    pub total_attempts: Option<f64>,
    /// Task score of the states that have one (the paper format's `score` fields).
    #[serde(default)]
    pub scores: BTreeMap<String, f64>,
    /// The raw answers behind the counts, by source state, when the data keep them (experiment
    /// files): untrusted text, to be shown as text.
    #[serde(default)]
    pub answers: BTreeMap<String, Vec<RawAnswer>>,
    /// What the import noticed and the analysis should say (rows summed, for instance).
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Dataset {
    /// A dataset of bare counts: no recorded total of attempts, scores, answers or notes.
    pub fn of_counts(
        name: impl Into<String>,
        description: impl Into<String>,
        counts: Counts,
    ) -> Dataset {
        Dataset {
            name: name.into(),
            description: description.into(),
            counts,
            total_attempts: None,
            scores: BTreeMap::new(),
            answers: BTreeMap::new(),
            notes: Vec::new(),
        }
    }
}

/// One distinct answer to prompts about a state, and how often it came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawAnswer {
    /// The answer as the model gave it.
    pub raw: String,
    /// What it became: the next state, or why it was rejected.
    pub became: String,
    /// How many times.
    pub count: usize,
}

/// Identifiers of the bundled datasets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Bundled {
    /// The paper's Claude-4 word task (5 states).
    Claude4Word,
    /// The paper's Gemini-2.5-flash word task (13 states).
    Gemini25FlashWord,
}

impl Bundled {
    /// Every bundled dataset, default first.
    pub const ALL: [Bundled; 2] = [Bundled::Claude4Word, Bundled::Gemini25FlashWord];

    /// Stable identifier, used in links and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Bundled::Claude4Word => "claude4-word",
            Bundled::Gemini25FlashWord => "gemini25flash-word",
        }
    }

    /// The bundled dataset with identifier `id`.
    pub fn from_id(id: &str) -> Option<Bundled> {
        Bundled::ALL.into_iter().find(|b| b.id() == id)
    }

    /// Loads the dataset.
    pub fn load(self) -> Dataset {
        let (name, description, csv) = match self {
            Bundled::Claude4Word => (
                "Claude-4 word task (paper)",
                "arXiv:2512.10047: Claude-4 asked 20000 times for a word whose letters sum to 100, \
                 sources drawn uniformly among discovered states, seed BUZZY.",
                include_str!("../data/claude4-word.csv"),
            ),
            Bundled::Gemini25FlashWord => (
                "Gemini-2.5-flash word task (paper)",
                "arXiv:2512.10047: Gemini-2.5-flash asked 20000 times for a word whose letters sum \
                 to 100, sources drawn uniformly among discovered states, seed BUZZY.",
                include_str!("../data/gemini25flash-word.csv"),
            ),
        };
        let (counts, _) = parse_counts_csv(csv).expect("bundled datasets are valid CSV");
        Dataset {
            name: name.to_owned(),
            description: description.to_owned(),
            counts,
            total_attempts: Some(20000.0),
            scores: BTreeMap::new(),
            answers: Default::default(),
            notes: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claude4_matches_the_papers_table() {
        let d = Bundled::Claude4Word.load();
        let c = &d.counts;
        assert_eq!(c.len(), 5);
        let id = |s: &str| c.states().get(s).unwrap();
        assert_eq!(c.count(id("ATTITUDE"), id("PERSONAL")), 66.0);
        assert_eq!(c.count(id("ATTITUDE"), id("PROBLEMS")), 20.0);
        assert_eq!(c.count(id("TURKEY"), id("ATTITUDE")), 4122.0);
        assert_eq!(c.count(id("PERSONAL"), id("ATTITUDE")), 3879.0);
        assert_eq!(c.count(id("PROBLEMS"), id("ATTITUDE")), 3558.0);
        assert_eq!(c.count(id("BUZZY"), id("ATTITUDE")), 3859.0);
        assert_eq!(c.count(id("BUZZY"), id("TURKEY")), 238.0);
        assert_eq!(c.edge_count(), 7);
        assert_eq!(c.total_transitions(), 15742.0);
    }

    #[test]
    fn gemini_has_thirteen_states() {
        let d = Bundled::Gemini25FlashWord.load();
        assert_eq!(d.counts.len(), 13);
        assert_eq!(d.counts.edge_count(), 26);
    }

    #[test]
    fn ids_round_trip() {
        for b in Bundled::ALL {
            assert_eq!(Bundled::from_id(b.id()), Some(b));
        }
        assert_eq!(Bundled::from_id("nope"), None);
    }
}
