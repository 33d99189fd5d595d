//! # balance-core
//!
//! The science of Balance Lab, in pure Rust with no web or async dependencies: the data model,
//! importers, estimators and the tests of detailed balance described in arXiv:2512.10047.

#![warn(missing_docs)]

pub mod analysis;
pub mod compare;
pub mod datasets;
pub mod detailed_balance;
pub mod disconnectivity;
pub mod experiment;
mod fixed_point;
pub mod format;
pub mod graph;
pub mod import;
pub mod laplacian;
pub mod markov;
pub mod model;
pub mod normalization;
mod parallel;
pub mod planner;
pub mod potential;
pub mod random;
pub mod replicates;
pub mod report;
pub mod settings;
pub mod share;
pub mod simulate;
pub mod surface;
pub mod verdict;

pub use analysis::{AnalyzeError, Progress, Stage, analyze, analyze_with_progress};
pub use datasets::Dataset;
pub use report::Report;
pub use settings::{Majority, Preset, Settings};
