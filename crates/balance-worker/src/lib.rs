//! # The analysis worker's protocol
//!
//! The app sends a [`Request`]; the worker answers with [`Reply`] messages: `Ready` once it has
//! started, then for each request its progress and finally the report or the error. Messages
//! travel as postcard bytes ([`encode`], [`decode`]): a compact binary form several times
//! faster to read than JSON for reports of thousands of states. The handling is plain Rust
//! ([`handle`]), so it is tested natively.

use balance_core::datasets::Dataset;
use balance_core::report::Report;
use balance_core::{Progress, Settings, analyze_with_progress};
use serde::{Deserialize, Serialize};

/// An analysis to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// The caller's job number, echoed in every reply.
    pub job: u64,
    /// The data.
    pub dataset: Dataset,
    /// The settings.
    pub settings: Settings,
}

/// A message from the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The worker is running and listening.
    Ready,
    /// How far job `job` has got.
    Progress {
        /// The job.
        job: u64,
        /// Its progress.
        progress: Progress,
    },
    /// The finished analysis of job `job`.
    Report {
        /// The job.
        job: u64,
        /// The report (boxed: it is large).
        report: Box<Report>,
        /// Time spent computing, in milliseconds, when the worker can tell.
        compute_ms: Option<f64>,
    },
    /// Job `job` could not be analysed (or the request could not be read).
    Error {
        /// The job (0 when the request could not be read).
        job: u64,
        /// Why, in words.
        message: String,
    },
}

/// A message as bytes.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    // Requests and replies are plain data: postcard cannot fail on them.
    postcard::to_allocvec(message).unwrap_or_default()
}

/// A message from bytes, or why they are not one.
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| e.to_string())
}

/// Handles one request's bytes: posts its progress and then its report or error through
/// `post`. `clock` gives the time in milliseconds, when there is one.
pub fn handle(request: &[u8], post: &mut dyn FnMut(Reply), clock: &dyn Fn() -> Option<f64>) {
    let request: Request = match decode(request) {
        Ok(r) => r,
        Err(e) => {
            post(Reply::Error {
                job: 0,
                message: format!("the analysis request is unreadable: {e}"),
            });
            return;
        }
    };
    let job = request.job;
    let start = clock();
    let result = analyze_with_progress(&request.dataset, &request.settings, &mut |progress| {
        post(Reply::Progress { job, progress })
    });
    match result {
        Ok(report) => {
            let compute_ms = start.zip(clock()).map(|(a, b)| b - a);
            post(Reply::Report { job, report: Box::new(report), compute_ms })
        }
        Err(e) => post(Reply::Error { job, message: e.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use balance_core::datasets::Bundled;
    use balance_core::{Stage, analyze};

    use super::*;

    fn run(request: &[u8]) -> Vec<Reply> {
        let mut replies = Vec::new();
        handle(request, &mut |r| replies.push(r), &|| None);
        replies
    }

    #[test]
    fn a_request_gets_its_progress_then_the_same_report_as_analyze() {
        let dataset = Bundled::Claude4Word.load();
        let settings = Settings { bootstrap: 3, ..Settings::default() };
        let request = Request { job: 7, dataset: dataset.clone(), settings: settings.clone() };
        let replies = run(&encode(&request));
        let progress: Vec<(Stage, usize)> = replies
            .iter()
            .filter_map(|r| match r {
                Reply::Progress { job: 7, progress } => Some((progress.stage, progress.done)),
                _ => None,
            })
            .collect();
        // The three stages, then the replicates: one by one, or in batches when the core runs
        // them in parallel (its `parallel` feature, on in workspace builds through the CLI).
        assert_eq!(progress[..3], [(Stage::Potential, 0), (Stage::Markov, 1), (Stage::Tests, 2)]);
        assert!((5..=7).contains(&progress.len()), "{progress:?}");
        assert!(progress.windows(2).all(|w| w[0].1 <= w[1].1), "{progress:?}");
        assert_eq!(progress.last(), Some(&(Stage::Bootstrap, 6)));
        let Some(Reply::Report { job: 7, report, .. }) = replies.last() else {
            panic!("no report: {replies:?}");
        };
        assert_eq!(**report, analyze(&dataset, &settings).unwrap());
        // The reply survives the trip through bytes that the page makes.
        let back: Reply = decode(&encode(replies.last().unwrap())).unwrap();
        assert_eq!(&back, replies.last().unwrap());
    }

    #[test]
    fn bad_requests_and_bad_settings_get_an_error_reply() {
        let replies = run(b"\xff\xff not a request");
        assert!(
            matches!(&replies[..], [Reply::Error { job: 0, message }] if message.contains("unreadable"))
        );
        let request = Request {
            job: 3,
            dataset: Bundled::Claude4Word.load(),
            settings: Settings { beta: -1.0, ..Settings::default() },
        };
        let replies = run(&encode(&request));
        assert!(
            matches!(replies.last(), Some(Reply::Error { job: 3, message }) if message.contains("beta")),
            "{replies:?}"
        );
    }
}
