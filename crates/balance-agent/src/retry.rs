//! When to try a failed call again: only where it can help, with exponential backoff and
//! jitter, honouring the provider's `Retry-After`, a bounded number of times.

use serde::{Deserialize, Serialize};

use crate::errors::ProviderError;

/// The retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RetryPolicy {
    /// Most tries of one call, the first included.
    pub max_attempts: u32,
    /// Delay before the first retry, in milliseconds (doubled each time).
    pub base_delay_ms: f64,
    /// Longest backoff delay, in milliseconds.
    pub max_delay_ms: f64,
    /// Longest `Retry-After` honoured, in milliseconds; a provider asking for more ends the call.
    pub max_retry_after_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base_delay_ms: 500.0,
            max_delay_ms: 30_000.0,
            max_retry_after_ms: 300_000.0,
        }
    }
}

impl RetryPolicy {
    /// How long to wait before trying again after `tries` tries ended in `error`, or `None` to
    /// give up. `jitter` in `[0, 1)` spreads the backoff over its upper half, so that parallel
    /// calls do not retry in lockstep.
    pub fn next_delay(&self, tries: u32, error: &ProviderError, jitter: f64) -> Option<f64> {
        if !error.retryable() || tries >= self.max_attempts {
            return None;
        }
        if let ProviderError::RateLimited { retry_after: Some(s) } = error {
            let ms = s * 1000.0;
            return (ms <= self.max_retry_after_ms).then_some(ms);
        }
        let exponent = tries.saturating_sub(1).min(30) as i32;
        let backoff = (self.base_delay_ms * 2f64.powi(exponent)).min(self.max_delay_ms);
        Some(backoff * (0.5 + 0.5 * jitter.clamp(0.0, 1.0)))
    }
}
