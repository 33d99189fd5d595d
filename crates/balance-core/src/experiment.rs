//! Balance Lab's own versioned experiment file: the settings of a run and every attempt, with
//! the raw answer, what it became, token usage and timing.
//!
//! ```json
//! {"format": "balance-lab-experiment", "version": 1, "name": "...", "settings": {...},
//!  "total_attempts": null,
//!  "attempts": [{"source": "BUZZY", "outcome": "transition", "state": "ATTITUDE",
//!                "raw": "attitude", "usage": {"input_tokens": 80, "output_tokens": 3},
//!                "finish": "stop", "elapsed_ms": 412.0}]}
//! ```
//!
//! Version 2 added the `no-answer` outcome (an answer cut off by the token limit, blocked or
//! refused), the provider's `finish` reason, the answer's `logprob` and `reasoning_tokens` in the
//! usage; version 1 files are read as they are.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use std::collections::BTreeMap;

use crate::datasets::{Dataset, RawAnswer};
use crate::import::ImportError;
use crate::model::Counts;

/// The value of the `format` field.
pub const FORMAT: &str = "balance-lab-experiment";
/// The newest version this build reads and writes.
pub const VERSION: u64 = 2;

/// What one attempt gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// A new state (`state` set, different from the source).
    Transition,
    /// The source state itself.
    SelfLoop,
    /// No state: the answer was rejected (`reason` says why).
    Rejected,
    /// An invalid answer mapped to a sink state (`state` is the sink, e.g. `INVALID00`).
    Invalid,
    /// No usable answer: cut off by the token limit, blocked by the provider's filters, or
    /// refused (`reason` says which, `finish` gives the provider's word). It says nothing about
    /// where the agent goes, so it is kept in the file but not counted.
    NoAnswer,
}

/// Tokens an LLM call used, and what it cost where the provider says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Prompt tokens.
    pub input_tokens: u64,
    /// Every billed output token: the answer's and the reasoning's.
    pub output_tokens: u64,
    /// The part of `output_tokens` the model spent reasoning (thinking) before it answered.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub reasoning_tokens: u64,
    /// What the provider billed for the call, in dollars, where it says (OpenRouter's
    /// `usage.cost`); otherwise the cost is the tokens at the price table's prices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
}

fn is_zero(x: &u64) -> bool {
    *x == 0
}

/// One attempt: a source state put into the prompt and what came back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attempt {
    /// Its index in the run that made it (every index at most once), when a runner wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
    /// The state put into the prompt.
    pub source: String,
    /// What the answer became.
    pub outcome: Outcome,
    /// The resulting state (transitions and invalid answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Why the answer was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The raw answer, as untrusted text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// Tokens used (the whole call's, on the first attempt of a call that gave several answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    /// Why the provider ended the answer, in its own words (`stop`, `length`, `MAX_TOKENS`,
    /// `end_turn`, `SAFETY`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish: Option<String>,
    /// The natural log of the answer's probability (the sum of its tokens' log-probabilities),
    /// when the provider returned them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logprob: Option<f64>,
    /// Wall time of the call in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<f64>,
    /// The provider that served the call, where a router says (OpenRouter's `provider`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_by: Option<String>,
}

/// A whole experiment file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExperimentFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Format version.
    pub version: u64,
    /// A name for people.
    pub name: String,
    /// The experiment's settings (provider, prompt, parser, protocol), as the runner wrote them.
    #[serde(default)]
    pub settings: Value,
    /// Total attempts of the experiment, when not every attempt is recorded.
    #[serde(default)]
    pub total_attempts: Option<f64>,
    /// Every attempt, in order.
    pub attempts: Vec<Attempt>,
}

impl ExperimentFile {
    /// The counts the attempts add up to (attempts with no answer are not counted).
    pub fn counts(&self) -> Counts {
        let mut c = Counts::new();
        for a in &self.attempts {
            match (&a.outcome, &a.state) {
                (Outcome::NoAnswer, _) => {}
                (Outcome::Transition | Outcome::Invalid, Some(s)) => {
                    c.add_transition(&a.source, s, 1.0)
                }
                (Outcome::SelfLoop, _) => c.add_transition(&a.source, &a.source, 1.0),
                _ => c.add_rejection(&a.source, 1.0),
            }
        }
        c
    }

    /// The dataset of this experiment.
    pub fn dataset(&self) -> Dataset {
        Dataset {
            name: self.name.clone(),
            description: format!("Balance Lab experiment, {} attempts", self.attempts.len()),
            counts: self.counts(),
            total_attempts: self.total_attempts,
            scores: Default::default(),
            answers: self.answers(),
            notes: Vec::new(),
        }
    }

    /// The distinct raw answers to each source state with what they became, most frequent first.
    pub fn answers(&self) -> BTreeMap<String, Vec<RawAnswer>> {
        let mut tally: BTreeMap<&str, BTreeMap<(&str, String), usize>> = BTreeMap::new();
        for a in &self.attempts {
            let Some(raw) = a.raw.as_deref() else { continue };
            let became = match (&a.outcome, &a.state) {
                (Outcome::SelfLoop, _) => a.source.clone(),
                (Outcome::Transition | Outcome::Invalid, Some(s)) => s.clone(),
                (Outcome::NoAnswer, _) => {
                    format!("no answer: {}", a.reason.as_deref().unwrap_or("no reason given"))
                }
                _ => format!("rejected: {}", a.reason.as_deref().unwrap_or("no reason given")),
            };
            *tally.entry(&a.source).or_default().entry((raw, became)).or_default() += 1;
        }
        tally
            .into_iter()
            .map(|(source, answers)| {
                let mut list: Vec<RawAnswer> = answers
                    .into_iter()
                    .map(|((raw, became), count)| RawAnswer { raw: raw.to_owned(), became, count })
                    .collect();
                list.sort_by_key(|a| std::cmp::Reverse(a.count));
                (source.to_owned(), list)
            })
            .collect()
    }

    /// The file as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("experiment files always serialise")
    }
}

/// Parses an experiment file, checking its format and version and every attempt (errors name
/// the 1-based attempt and the field).
pub fn parse_experiment(text: &str) -> Result<ExperimentFile, ImportError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ImportError::at(e.line(), "json", format!("not valid JSON: {e}")))?;
    let obj = value.as_object().ok_or_else(|| ImportError::file("expected a JSON object"))?;
    match obj.get("format").and_then(Value::as_str) {
        Some(FORMAT) => {}
        _ => {
            return Err(ImportError::file(format!(
                "not a Balance Lab experiment (format must be {FORMAT:?})"
            )));
        }
    }
    let version = obj
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| ImportError::file("missing version"))?;
    if version == 0 || version > VERSION {
        return Err(ImportError::file(format!(
            "experiment file version {version} is not supported (this build reads 1 to {VERSION})"
        )));
    }
    let name = obj.get("name").and_then(Value::as_str).unwrap_or("experiment").to_owned();
    let total_attempts = match obj.get("total_attempts") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_f64()
                .filter(|a| a.is_finite() && *a > 0.0)
                .ok_or_else(|| ImportError::file("total_attempts must be a positive number"))?,
        ),
    };
    let list = obj
        .get("attempts")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::file("missing the list of attempts"))?;
    let mut attempts = Vec::with_capacity(list.len());
    for (i, a) in list.iter().enumerate() {
        let attempt: Attempt = serde_json::from_value(a.clone())
            .map_err(|e| ImportError::at(i + 1, "attempt", e.to_string()))?;
        if attempt.source.is_empty() {
            return Err(ImportError::at(i + 1, "source", "the source state is empty"));
        }
        let needs_state = matches!(attempt.outcome, Outcome::Transition | Outcome::Invalid);
        match (&attempt.state, needs_state) {
            (Some(s), true) if s.is_empty() => {
                return Err(ImportError::at(i + 1, "state", "the state is empty"));
            }
            (None, true) => {
                return Err(ImportError::at(i + 1, "state", "missing for this outcome"));
            }
            _ => {}
        }
        attempts.push(attempt);
    }
    Ok(ExperimentFile {
        format: FORMAT.to_owned(),
        version,
        name,
        settings: obj.get("settings").cloned().unwrap_or(Value::Null),
        total_attempts,
        attempts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ExperimentFile {
        let at = |source: &str, outcome, state: Option<&str>| Attempt {
            index: None,
            source: source.into(),
            outcome,
            state: state.map(Into::into),
            reason: None,
            raw: Some("<b>x</b>".into()),
            usage: Some(Usage {
                input_tokens: 10,
                output_tokens: 2,
                reasoning_tokens: 0,
                cost: None,
            }),
            finish: Some("stop".into()),
            logprob: Some(-1.5),
            elapsed_ms: Some(5.0),
            served_by: None,
        };
        ExperimentFile {
            format: FORMAT.into(),
            version: VERSION,
            name: "t".into(),
            settings: serde_json::json!({"model": "m"}),
            total_attempts: None,
            attempts: vec![
                at("A", Outcome::Transition, Some("B")),
                at("B", Outcome::SelfLoop, None),
                at("B", Outcome::Rejected, None),
                at("A", Outcome::Invalid, Some("INVALID00")),
                at("B", Outcome::NoAnswer, None),
            ],
        }
    }

    #[test]
    fn round_trip_and_counts() {
        let f = sample();
        let back = parse_experiment(&f.to_json()).unwrap();
        assert_eq!(back, f);
        let c = back.counts();
        let s = c.states();
        let (a, b, inv) = (s.get("A").unwrap(), s.get("B").unwrap(), s.get("INVALID00").unwrap());
        assert_eq!(c.count(a, b), 1.0);
        assert_eq!(c.self_loops(b), 1.0);
        assert_eq!(c.rejected(b), 1.0, "an answer cut off is not counted");
        assert_eq!(c.count(a, inv), 1.0);
        assert_eq!(c.total_attempts(), 4.0);
    }

    #[test]
    fn raw_answers_are_kept_per_source_with_what_they_became() {
        let mut f = sample();
        for (a, raw) in f.attempts.iter_mut().zip(["b", "B.", "<b>no</b>", "love", ""]) {
            a.raw = Some(raw.to_owned());
            a.reason = match a.outcome {
                Outcome::Rejected => Some("not a word".to_owned()),
                Outcome::NoAnswer => Some("cut off by the token limit".to_owned()),
                _ => None,
            };
        }
        f.attempts.push(f.attempts[0].clone());
        let answers = f.dataset().answers;
        let a = &answers["A"];
        assert_eq!(a[0], RawAnswer { raw: "b".into(), became: "B".into(), count: 2 });
        assert_eq!(a[1], RawAnswer { raw: "love".into(), became: "INVALID00".into(), count: 1 });
        let b = &answers["B"];
        assert!(b.contains(&RawAnswer { raw: "B.".into(), became: "B".into(), count: 1 }));
        assert!(b.contains(&RawAnswer {
            raw: "<b>no</b>".into(),
            became: "rejected: not a word".into(),
            count: 1
        }));
        assert!(b.contains(&RawAnswer {
            raw: String::new(),
            became: "no answer: cut off by the token limit".into(),
            count: 1
        }));
    }

    #[test]
    fn version_1_files_still_read() {
        let v1 = r#"{"format":"balance-lab-experiment","version":1,"name":"old","attempts":[
            {"index":0,"source":"A","outcome":"transition","state":"B","raw":"b",
             "usage":{"input_tokens":5,"output_tokens":1}}]}"#;
        let f = parse_experiment(v1).unwrap();
        assert_eq!(f.version, 1);
        assert_eq!(f.attempts[0].usage.unwrap().reasoning_tokens, 0);
        assert_eq!(f.attempts[0].finish, None);
    }

    #[test]
    fn bad_files_are_named() {
        assert!(parse_experiment("{}").unwrap_err().to_string().contains("format"));
        let newer = r#"{"format":"balance-lab-experiment","version":9,"attempts":[]}"#;
        assert!(parse_experiment(newer).unwrap_err().to_string().contains("version 9"));
        let missing = r#"{"format":"balance-lab-experiment","version":1,"attempts":[
            {"source":"A","outcome":"rejected"},{"source":"A","outcome":"transition"}]}"#;
        let e = parse_experiment(missing).unwrap_err();
        assert_eq!((e.line, e.field.as_deref()), (2, Some("state")));
        let unknown = r#"{"format":"balance-lab-experiment","version":1,"attempts":[
            {"source":"A","outcome":"teleport","state":"B"}]}"#;
        assert_eq!(parse_experiment(unknown).unwrap_err().line, 1);
    }
}
