//! # balance-agent
//!
//! What an experiment needs besides the science: the wire formats of the LLM providers
//! ([`provider`]), how their failures are classified ([`errors`]) and retried ([`retry`]), and the
//! task an agent performs — the prompt template, the parser and the validator ([`task`]) — and
//! the sampling protocol with the run's bookkeeping ([`schedule`]). The
//! HTTP transport is a trait ([`http::Transport`]): the browser and native tools each bring
//! their own. What each model accepts (token field, temperature, reasoning) is its
//! [`profile`]; [`models`] lists a provider's models; [`answers`] sums up what a run's answers
//! were, the ones that became no state by reason.
//!
//! API keys are an [`ApiKey`]: it cannot be serialised and prints as `***`, so it never reaches
//! a share link, an export or a log; it only goes into the request to its provider.
#![warn(missing_docs)]

pub mod answers;
pub mod call;
pub mod errors;
pub mod http;
pub mod models;
pub mod profile;
pub mod provider;
pub mod retry;
pub mod runner;
pub mod schedule;
pub mod simulated;
pub mod spec;
pub mod task;

pub use errors::ProviderError;
pub use profile::Reasoning;
pub use provider::{ApiKey, Completion, ProviderConfig, ProviderKind, Usage};
pub use spec::Spec;
