//! Importers: every supported file format becomes a [`Counts`](crate::model::Counts).
//!
//! Parsing is strict. A bad file gives an [`ImportError`] naming the line (or record) and the
//! field at fault; no row is ever skipped silently and no input makes an importer panic.

mod csv_counts;

pub use csv_counts::parse_counts_csv;

use std::fmt;

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
        ImportError {
            line,
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    /// An error about the file as a whole.
    pub fn file(message: impl Into<String>) -> Self {
        ImportError {
            line: 0,
            field: None,
            message: message.into(),
        }
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
