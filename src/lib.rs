//! # Balance Lab, the browser app
//!
//! A Leptos client-side app over [`balance_core`]: components only lay out and draw what the
//! core computes.

mod analyse;
mod analysis_runner;
mod analysis_view;
mod app;
mod browser;
mod dataset_view;
mod experiment;
mod format;
mod plots;
mod report_tables;
mod table;

pub use app::App;
