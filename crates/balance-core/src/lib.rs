//! # balance-core
//!
//! The science of Balance Lab, in pure Rust with no web or async dependencies: the data model,
//! importers, estimators and the tests of detailed balance described in arXiv:2512.10047.

pub mod datasets;
pub mod import;
pub mod model;
