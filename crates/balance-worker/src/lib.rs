//! # The analysis worker's protocol
//!
//! The app sends a [`Request`] (an analysis of one dataset, or a comparison of several); the
//! worker answers with [`Reply`] messages: `Ready` once it has started, then for each request its
//! progress and finally the report, the comparison or the error. Messages
//! travel as postcard bytes ([`encode`], [`decode`]): a compact binary form several times
//! faster to read than JSON for reports of thousands of states. The handling is plain Rust
//! ([`handle`]), so it is tested natively.

use balance_core::compare::{CompareSettings, Comparison, compare_with_progress};
use balance_core::datasets::Dataset;
use balance_core::report::Report;
use balance_core::{Progress, Settings, analyze_with_progress};
use serde::{Deserialize, Serialize};

/// A job to run, with the caller's number for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// The caller's job number, echoed in every reply.
    pub job: u64,
    /// What to do.
    pub work: Work,
}

/// What a job does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Work {
    /// Analyse one dataset.
    Analyze {
        /// The data (boxed: far larger than a comparison's list of datasets).
        dataset: Box<Dataset>,
        /// The settings.
        settings: Settings,
    },
    /// Compare several datasets.
    Compare {
        /// The data, in order.
        datasets: Vec<Dataset>,
        /// The settings.
        settings: CompareSettings,
    },
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
    /// How far comparison `job` has got: `done` of `total` bootstrap replicates.
    Replicates {
        /// The job.
        job: u64,
        /// Replicates done.
        done: usize,
        /// Replicates in all.
        total: usize,
    },
    /// The finished comparison of job `job`.
    Compared {
        /// The job.
        job: u64,
        /// The comparison.
        comparison: Box<Comparison>,
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
    let elapsed = || start.zip(clock()).map(|(a, b)| b - a);
    match request.work {
        Work::Analyze { dataset, settings } => {
            match analyze_with_progress(&dataset, &settings, &mut |progress| {
                post(Reply::Progress { job, progress })
            }) {
                Ok(report) => {
                    let compute_ms = elapsed();
                    post(Reply::Report { job, report: Box::new(report), compute_ms })
                }
                Err(e) => post(Reply::Error { job, message: e.to_string() }),
            }
        }
        Work::Compare { datasets, settings } => {
            match compare_with_progress(&datasets, &settings, &mut |done, total| {
                post(Reply::Replicates { job, done, total })
            }) {
                Ok(comparison) => {
                    let compute_ms = elapsed();
                    post(Reply::Compared { job, comparison: Box::new(comparison), compute_ms })
                }
                Err(e) => post(Reply::Error { job, message: e.to_string() }),
            }
        }
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
        let settings = Settings { bootstrap: 40, ..Settings::default() };
        let request = Request {
            job: 7,
            work: Work::Analyze { dataset: Box::new(dataset.clone()), settings: settings.clone() },
        };
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
        // At least the stage's start and its end; at most every one of the 40 replicates.
        assert!((5..=44).contains(&progress.len()), "{progress:?}");
        assert!(progress.windows(2).all(|w| w[0].1 <= w[1].1), "{progress:?}");
        assert_eq!(progress.last(), Some(&(Stage::Bootstrap, 43)));
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
            work: Work::Analyze {
                dataset: Box::new(Bundled::Claude4Word.load()),
                settings: Settings { beta: -1.0, ..Settings::default() },
            },
        };
        let replies = run(&encode(&request));
        assert!(
            matches!(replies.last(), Some(Reply::Error { job: 3, message }) if message.contains("beta")),
            "{replies:?}"
        );
    }

    #[test]
    fn a_comparison_reports_its_replicates_then_the_same_numbers_as_compare() {
        use balance_core::compare::compare;
        let a = balance_core::simulate::WordTask::default().run(3, 3_000).dataset;
        let b = balance_core::simulate::WordTask { temperature: 0.5, ..Default::default() }
            .run(4, 3_000)
            .dataset;
        let settings = CompareSettings { bootstrap: 40, ..CompareSettings::default() };
        let work = Work::Compare { datasets: vec![a.clone(), b.clone()], settings };
        let replies = run(&encode(&Request { job: 5, work }));
        assert!(
            replies.iter().any(|r| matches!(r, Reply::Replicates { job: 5, done: 40, total: 40 })),
            "{replies:?}"
        );
        let Some(Reply::Compared { job: 5, comparison, .. }) = replies.last() else {
            panic!("no comparison: {replies:?}");
        };
        assert_eq!(**comparison, compare(&[a.clone(), b], &settings).unwrap());
        let back: Reply = decode(&encode(replies.last().unwrap())).unwrap();
        assert_eq!(&back, replies.last().unwrap());
        let work = Work::Compare { datasets: vec![a], settings };
        let replies = run(&encode(&Request { job: 6, work }));
        assert!(
            matches!(replies.last(), Some(Reply::Error { job: 6, message }) if message.contains("two")),
            "{replies:?}"
        );
    }
}
