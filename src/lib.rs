//! # Balance Lab, the browser app
//!
//! A Leptos client-side app over [`balance_core`]: components only lay out and draw what the
//! core computes.

mod analyse;
mod app;
mod browser;
mod compare;
mod experiment;
mod format;
mod learn;
mod number_field;
mod plots;
mod runner;
mod share_link;
mod table;

pub use app::App;

// The browser-only code's own tests run in headless Chromium (wasm-bindgen-test).
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
