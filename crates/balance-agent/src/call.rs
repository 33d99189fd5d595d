//! One model call with retries: send, classify, wait as the policy says, try again.

use std::future::Future;

use crate::errors::ProviderError;
use crate::http::Transport;
use crate::provider::{ApiKey, Completion, ProviderConfig};
use crate::retry::RetryPolicy;

/// Waits and tells the time: a timer in the browser or natively, an instant fake clock in tests.
pub trait Sleep {
    /// Waits `ms` milliseconds.
    fn sleep(&self, ms: f64) -> impl Future<Output = ()>;

    /// Milliseconds since some fixed moment (for timing calls).
    fn now_ms(&self) -> f64;
}

/// A failure that was retried, and the wait before the retry (ms).
pub type Retry = (ProviderError, f64);

/// A successful call.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    /// The answer.
    pub completion: Completion,
    /// Tries it took (1 when the first one succeeded).
    pub tries: u32,
    /// The failures retried on the way, with the wait before each retry (ms).
    pub retried: Vec<Retry>,
}

/// A call that failed for good.
#[derive(Debug, Clone, PartialEq)]
pub struct Failed {
    /// The last failure.
    pub error: ProviderError,
    /// Tries made.
    pub tries: u32,
    /// The failures retried before it, with the wait before each retry (ms).
    pub retried: Vec<Retry>,
}

/// Asks the model to answer `prompt`, retrying as `policy` says; `jitter` gives numbers in
/// `[0, 1)` for the backoff.
pub async fn call(
    transport: &impl Transport,
    sleeper: &impl Sleep,
    config: &ProviderConfig,
    key: Option<&ApiKey>,
    prompt: &str,
    policy: &RetryPolicy,
    jitter: &mut dyn FnMut() -> f64,
) -> Result<Answered, Failed> {
    let mut retried = Vec::new();
    let mut tries = 0;
    loop {
        tries += 1;
        let result = match transport.send(config.request(key, prompt)).await {
            Ok(response) => config.parse(&response),
            Err(e) => Err(ProviderError::from_transport(e)),
        };
        match result {
            Ok(completion) => return Ok(Answered { completion, tries, retried }),
            Err(error) => match policy.next_delay(tries, &error, jitter()) {
                Some(ms) => {
                    sleeper.sleep(ms).await;
                    retried.push((error, ms));
                }
                None => return Err(Failed { error, tries, retried }),
            },
        }
    }
}
