//! The faults the server can inject, and which one request `n` meets.

use serde::{Deserialize, Serialize};

/// Faults to inject. `*_every: k` hits requests `k, 2k, 3k, ...` (counted from 1, across every
/// endpoint); 0 turns a fault off.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Answer 429 with `Retry-After: retry_after_s`.
    pub rate_limit_every: u64,
    /// The `Retry-After` of a 429, in seconds.
    pub retry_after_s: f64,
    /// Answer 500.
    pub error_500_every: u64,
    /// Answer 529 (overloaded).
    pub overloaded_every: u64,
    /// Answer 200 with a body that is not JSON.
    pub malformed_every: u64,
    /// Never answer (the connection stays open).
    pub hang_every: u64,
    /// Wrap the answer in HTML (`<b>WORD</b>`), to check clients show it as text.
    pub html_every: u64,
    /// Wait this long before every answer, in milliseconds.
    pub slow_ms: u64,
    /// Leave out the CORS headers (so browsers refuse the answers).
    pub no_cors: bool,
    /// The API key every request must carry; none when empty.
    pub key: String,
}

/// What request `n` meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// An answer.
    None,
    /// 429 with Retry-After.
    RateLimited,
    /// 500.
    ServerError,
    /// 529.
    Overloaded,
    /// A body that is not JSON.
    Malformed,
    /// No answer at all.
    Hang,
    /// An answer wrapped in HTML.
    Html,
}

impl Faults {
    /// The fault request `n` (from 1) meets; the first listed wins when several hit.
    pub fn for_request(&self, n: u64) -> Fault {
        let hits = |every: u64| every > 0 && n.is_multiple_of(every);
        if hits(self.rate_limit_every) {
            Fault::RateLimited
        } else if hits(self.error_500_every) {
            Fault::ServerError
        } else if hits(self.overloaded_every) {
            Fault::Overloaded
        } else if hits(self.malformed_every) {
            Fault::Malformed
        } else if hits(self.hang_every) {
            Fault::Hang
        } else if hits(self.html_every) {
            Fault::Html
        } else {
            Fault::None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_hit_their_multiples_and_the_first_listed_wins() {
        let f = Faults { rate_limit_every: 3, error_500_every: 2, ..Faults::default() };
        let got: Vec<Fault> = (1..=6).map(|n| f.for_request(n)).collect();
        use Fault::*;
        assert_eq!(got, [None, ServerError, RateLimited, ServerError, None, RateLimited]);
        assert_eq!(Faults::default().for_request(7), Fault::None);
    }
}
