//! Importers: every supported file format becomes a [`Dataset`].
//!
//! Parsing is strict. A bad file gives an [`ImportError`] naming the line (or record) and the
//! field at fault; no row is ever skipped silently and no input makes an importer panic.

mod csv_counts;
mod paper_json;
mod trajectory;

pub use csv_counts::{parse_counts_csv, write_counts_csv};
pub use paper_json::{PaperData, parse_paper_json, write_paper_json};
pub use trajectory::parse_trajectories;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::datasets::Dataset;
use crate::experiment::parse_experiment;

/// A file format Balance Lab reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// The paper's JSON list of records.
    PaperJson,
    /// `source,target,count` rows.
    Csv,
    /// Sequences of states.
    Trajectory,
    /// Balance Lab's experiment file.
    Experiment,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 4] =
        [Format::PaperJson, Format::Csv, Format::Trajectory, Format::Experiment];

    /// The kebab-case name used on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Format::PaperJson => "paper-json",
            Format::Csv => "csv",
            Format::Trajectory => "trajectory",
            Format::Experiment => "experiment",
        }
    }

    /// Guesses the format of a file from its name and first characters.
    pub fn detect(name: &str, text: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        let start = text.trim_start();
        if start.starts_with('{') {
            Format::Experiment
        } else if start.starts_with("[[") || start.starts_with("[ [") || lower.ends_with(".traj") {
            Format::Trajectory
        } else if start.starts_with('[') {
            Format::PaperJson
        } else if lower.ends_with(".csv") || start.lines().next().is_some_and(|l| l.contains(',')) {
            Format::Csv
        } else {
            Format::Trajectory
        }
    }
}

/// Reads a file's text in `format` into a dataset named `name`.
pub fn load(name: &str, text: &str, format: Format) -> Result<Dataset, ImportError> {
    let plain = |counts| Dataset {
        name: name.to_owned(),
        description: format!("Imported from {name} ({})", format.id()),
        counts,
        total_attempts: None,
        scores: Default::default(),
        answers: Default::default(),
        notes: Vec::new(),
    };
    match format {
        Format::Csv => parse_counts_csv(text).map(|(c, notes)| Dataset { notes, ..plain(c) }),
        Format::Trajectory => parse_trajectories(text).map(plain),
        Format::PaperJson => {
            parse_paper_json(text).map(|d| Dataset { scores: d.scores, ..plain(d.counts) })
        }
        Format::Experiment => {
            parse_experiment(text).map(|f| Dataset { name: name.to_owned(), ..f.dataset() })
        }
    }
}

/// What went wrong while reading a file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// 1-based line (text formats) or record (JSON formats) at fault; 0 for the file as a whole.
    pub line: usize,
    /// The field at fault, if one can be named.
    pub field: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
}

impl ImportError {
    /// An error at `line` in `field`.
    pub fn at(line: usize, field: &str, message: impl Into<String>) -> Self {
        ImportError { line, field: Some(field.to_owned()), message: message.into() }
    }

    /// An error about the file as a whole.
    pub fn file(message: impl Into<String>) -> Self {
        ImportError { line: 0, field: None, message: message.into() }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.field) {
            (0, _) => write!(f, "{}", self.message),
            (line, Some(field)) => write!(f, "line {line}, field `{field}`: {}", self.message),
            (line, None) => write!(f, "line {line}: {}", self.message),
        }
    }
}

impl std::error::Error for ImportError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format() {
        assert_eq!(Format::detect("a.csv", "source,target,count\n"), Format::Csv);
        assert_eq!(Format::detect("a.json", "[{\"target_expression\":1}]"), Format::PaperJson);
        assert_eq!(Format::detect("a.json", "[[\"A\",\"B\"]]"), Format::Trajectory);
        assert_eq!(Format::detect("a.json", "{\"format\":1}"), Format::Experiment);
        assert_eq!(Format::detect("walk.txt", "A\nB\n"), Format::Trajectory);
    }
}
