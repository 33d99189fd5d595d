//! End-to-end tests: real headless Chromium against the release build of the app.
//!
//! They need `trunk build --release` and chromedriver, so they are ignored by a plain
//! `cargo test`; `make test` builds the app and runs them with `--ignored`.
#![cfg(not(target_arch = "wasm32"))]

mod analyse;
mod compare;
mod data;
mod experiment;
mod figures;
mod learn;
mod llama;
mod providers;
mod real_model;
mod shell;
mod support;
mod worker;
