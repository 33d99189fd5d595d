//! The task an agent performs: the prompt made from a state, and how an answer becomes the
//! next state (parse, then validate; an invalid answer becomes a sink state or a rejection).

pub use balance_core::simulate::letter_sum;
use regex_lite::Regex;
use serde::{Deserialize, Serialize};

/// The placeholder the template's state replaces.
pub const STATE: &str = "{state}";

/// What [`Task::markup`] takes off either end of an answer, besides whitespace: emphasis,
/// quotes, brackets and punctuation.
pub const AROUND: &[char] = &[
    '*', '_', '"', '\'', '`', '.', '!', '?', ',', ';', ':', '(', ')', '[', ']', '\u{201c}',
    '\u{201d}', '\u{2018}', '\u{2019}',
];

/// Letter case applied by the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Case {
    /// As answered.
    Keep,
    /// Upper case.
    Upper,
    /// Lower case.
    Lower,
}

/// What makes a parsed answer valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Validator {
    /// Anything not empty.
    Any,
    /// A word of letters only whose values (A = 1 .. Z = 26) add up to `target`.
    LetterSum {
        /// The sum required.
        target: u32,
    },
    /// Matches this regular expression (in full).
    Regex(String),
    /// One of these states.
    OneOf(Vec<String>),
}

/// What an invalid answer becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Invalid {
    /// A transition into this named sink state (the paper's `INVALID00`).
    Sink(String),
    /// A rejected attempt (no transition).
    Reject,
}

/// A task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// The prompt, with `{state}` where the current state goes.
    pub template: String,
    /// Trim surrounding whitespace (and a final full stop) from answers.
    pub trim: bool,
    /// Also take off the markup and punctuation models put around a one-word answer
    /// (`**Attitude**.`, `"ATTITUDE"`, `Attitude!`): the characters of [`AROUND`] at either end.
    #[serde(default)]
    pub markup: bool,
    /// Letter case applied to answers.
    pub case: Case,
    /// A regular expression picking the state out of the answer: its first group if it has
    /// one, else the whole match.
    pub extract: Option<String>,
    /// What makes an answer valid.
    pub validator: Validator,
    /// What an invalid answer becomes.
    pub invalid: Invalid,
    /// Reject answers that only repeat the state in the prompt.
    pub reject_repeats: bool,
}

/// What one answer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A transition to this state.
    State(String),
    /// An invalid answer recorded as a transition into a sink state.
    Sink {
        /// The sink state.
        state: String,
        /// Why the answer was invalid.
        reason: String,
    },
    /// An attempt rejected: no transition.
    Rejected {
        /// Why.
        reason: String,
    },
}

impl Task {
    /// The paper's word task (docs/experiments.md): the prompt with its worked examples, answers
    /// trimmed (with the markup and punctuation real models put around one word) and
    /// upper-cased, non-words and repeats rejected, wrong sums into `INVALID00`.
    pub fn word_sum_100() -> Task {
        Task {
            markup: true,
            template: "Let the letters A to Z be worth 1% to 26%: A = 1%, B = 2%, ..., Z = 26%. A \
                word is worth the sum of its letters. For example, KNOWLEDGE adds up to 96%, \
                HARDWORK to 98%, LUCK to 47%, LOVE to 54% and MONEY to 72%. An example word is \
                {state}, whose letters add up to 100%. Please give me a new word whose letters \
                add up to 100%. Only provide the word without any additional explanation."
                .to_owned(),
            trim: true,
            case: Case::Upper,
            extract: None,
            validator: Validator::LetterSum { target: 100 },
            invalid: Invalid::Sink("INVALID00".to_owned()),
            reject_repeats: true,
        }
    }

    /// A blank task to fill in: the state as the whole prompt, any answer valid.
    pub fn blank() -> Task {
        Task {
            markup: false,
            template: STATE.to_owned(),
            trim: true,
            case: Case::Keep,
            extract: None,
            validator: Validator::Any,
            invalid: Invalid::Reject,
            reject_repeats: false,
        }
    }

    /// Checks the task can run: the template has `{state}`, the regular expressions compile.
    pub fn check(&self) -> Result<(), String> {
        if !self.template.contains(STATE) {
            return Err(format!("the prompt template needs {STATE} where the state goes"));
        }
        if let Some(x) = &self.extract {
            Regex::new(x).map_err(|e| format!("the extraction pattern is not valid: {e}"))?;
        }
        if let Validator::Regex(x) = &self.validator {
            Regex::new(x).map_err(|e| format!("the validation pattern is not valid: {e}"))?;
        }
        if let Invalid::Sink(s) = &self.invalid
            && s.trim().is_empty()
        {
            return Err("the sink state needs a name".to_owned());
        }
        Ok(())
    }

    /// The prompt for `state`.
    pub fn prompt(&self, state: &str) -> String {
        self.template.replace(STATE, state)
    }

    /// What `answer` to the prompt for `source` does. Call [`Task::check`] first: a pattern
    /// that does not compile rejects every answer.
    pub fn judge(&self, source: &str, answer: &str) -> Outcome {
        let reject = |reason: &str| Outcome::Rejected { reason: reason.to_owned() };
        let mut text = answer.to_owned();
        if let Some(x) = &self.extract {
            let Ok(re) = Regex::new(x) else {
                return reject("the extraction pattern is not valid");
            };
            match re.captures(&text) {
                Some(c) => {
                    text = c.get(1).or_else(|| c.get(0)).map_or("", |m| m.as_str()).to_owned()
                }
                None => return self.invalid_answer("the pattern found nothing in the answer"),
            }
        }
        if self.trim {
            text = text.trim().trim_end_matches('.').trim().to_owned();
        }
        if self.markup {
            text = text.trim_matches(|c: char| c.is_whitespace() || AROUND.contains(&c)).to_owned();
        }
        text = match self.case {
            Case::Keep => text,
            Case::Upper => text.to_uppercase(),
            Case::Lower => text.to_lowercase(),
        };
        if text.is_empty() {
            return reject("empty answer");
        }
        if self.reject_repeats && text == source {
            return reject("repeats the prompt's state");
        }
        match &self.validator {
            Validator::Any => Outcome::State(text),
            Validator::LetterSum { target } => match letter_sum(&text) {
                None if text.split_whitespace().count() > 1 => reject("not one word"),
                None => reject("not a word of letters only"),
                Some(s) if s == *target => Outcome::State(text),
                Some(s) => self.invalid_answer(&format!(
                    "letters do not add up to {target} (they add up to {s})"
                )),
            },
            Validator::Regex(x) => match Regex::new(&format!("^(?:{x})$")) {
                Ok(re) if re.is_match(&text) => Outcome::State(text),
                Ok(_) => self.invalid_answer("does not match the pattern"),
                Err(_) => reject("the validation pattern is not valid"),
            },
            Validator::OneOf(list) => {
                if list.contains(&text) {
                    Outcome::State(text)
                } else {
                    self.invalid_answer("not one of the allowed states")
                }
            }
        }
    }

    /// Whether an answer cut off by the token limit still holds what the task reads from it:
    /// the task has an extraction pattern, which matches, and the answer goes on after the match
    /// (a state cut off in the middle is not read).
    pub fn reads_cut_off(&self, answer: &str) -> bool {
        let Some(re) = self.extract.as_deref().and_then(|x| Regex::new(x).ok()) else {
            return false;
        };
        re.captures(answer)
            .and_then(|c| c.get(1).or_else(|| c.get(0)))
            .is_some_and(|m| m.end() < answer.len())
    }

    /// An invalid answer, as the task treats them.
    fn invalid_answer(&self, reason: &str) -> Outcome {
        match &self.invalid {
            Invalid::Sink(state) => {
                Outcome::Sink { state: state.clone(), reason: reason.to_owned() }
            }
            Invalid::Reject => Outcome::Rejected { reason: reason.to_owned() },
        }
    }
}
