//! The task an agent performs: the prompt made from a state, and how an answer becomes the
//! next state (parse, then validate; an invalid answer becomes a sink state or a rejection).

pub use balance_core::simulate::{digit_sum, letter_sum};
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
    /// A word of letters only whose values (A = 1 .. Z = 26) add up to a multiple of `divisor`.
    LetterSumDivisible {
        /// The number the sum must be a multiple of.
        divisor: u32,
    },
    /// A word of letters only, exactly `letters` long, beginning with `starts_with` (case as
    /// the task's case makes the answer) when given.
    Word {
        /// The number of letters.
        letters: u32,
        /// What the word must begin with.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        starts_with: Option<String>,
    },
    /// A whole number of exactly `digits` digits (no leading zero), whose digits add up to
    /// `digit_sum` and that `divisible_by` divides, each when given.
    Number {
        /// The number of digits.
        digits: u32,
        /// The sum of the digits required.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        digit_sum: Option<u32>,
        /// The divisor required.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        divisible_by: Option<u32>,
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

/// A task ready to run, with what its validator checks and the seed state it starts from.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// The id used in run files and share links (kebab-case).
    pub id: &'static str,
    /// The id the paper's authors give the task on their companion page, if it is one of theirs.
    pub paper_id: Option<&'static str>,
    /// A short name.
    pub name: &'static str,
    /// What the validator checks, and what it cannot.
    pub checks: &'static str,
    /// The state the task's experiments start from.
    pub seed: &'static str,
    make: fn() -> Task,
}

impl Preset {
    /// The preset's task.
    pub fn task(&self) -> Task {
        (self.make)()
    }

    /// The preset with this id (or the authors' id of the task).
    pub fn find(id: &str) -> Option<&'static Preset> {
        PRESETS.iter().find(|p| p.id == id || p.paper_id == Some(id))
    }

    /// The preset whose task `task` is, unchanged.
    pub fn of(task: &Task) -> Option<&'static Preset> {
        PRESETS.iter().find(|p| p.task() == *task)
    }
}

/// The built-in tasks: the paper's word task, the five other tasks of the authors' companion
/// page, and a blank task to fill in.
pub const PRESETS: [Preset; 7] = [
    Preset {
        id: "word-sum-100",
        paper_id: Some("sum100"),
        name: "A word whose letters add up to 100 (the paper's task)",
        checks: "letters only, whose values (A = 1 ... Z = 26) add up to 100; not checked: that \
                 it is an English word (no word list)",
        seed: "BUZZY",
        make: Task::word_sum_100,
    },
    Preset {
        id: "five-letter-s",
        paper_id: Some("five_letter_s"),
        name: "Another five-letter word starting with S",
        checks: "five letters, the first S; not checked: that it is an English word",
        seed: "STONE",
        make: || Task {
            template: "An example word is {state}, a five-letter English word that starts with \
                S. Please give me another five-letter English word that starts with S. Only \
                provide the word without any additional explanation."
                .to_owned(),
            validator: Validator::Word { letters: 5, starts_with: Some("S".to_owned()) },
            ..Task::word_sum_100()
        },
    },
    Preset {
        id: "digit-sum-15",
        paper_id: Some("digit_sum_15"),
        name: "Another three-digit number whose digits add up to 15",
        checks: "three digits, the first not 0, adding up to 15",
        seed: "159",
        make: || Task {
            template: "An example number is {state}, a three-digit number whose digits add up \
                to 15. Please give me another three-digit number whose digits add up to 15. \
                Only provide the number without any additional explanation."
                .to_owned(),
            case: Case::Keep,
            validator: Validator::Number { digits: 3, digit_sum: Some(15), divisible_by: None },
            ..Task::word_sum_100()
        },
    },
    Preset {
        id: "sum-div-10",
        paper_id: Some("sum_div10"),
        name: "A word whose letter sum is divisible by 10",
        checks: "letters only, whose values (A = 1 ... Z = 26) add up to a multiple of 10; not \
                 checked: that it is an English word",
        seed: "BUZZY",
        make: || Task {
            template: "Let the letters A to Z be worth 1 to 26: A = 1, B = 2, ..., Z = 26. A \
                word is worth the sum of its letters. For example, LUCK adds up to 47 and LOVE \
                to 54. An example word is {state}, whose letters add up to a multiple of 10. \
                Please give me a new English word whose letters add up to a multiple of 10. \
                Only provide the word without any additional explanation."
                .to_owned(),
            validator: Validator::LetterSumDivisible { divisor: 10 },
            ..Task::word_sum_100()
        },
    },
    Preset {
        id: "seven-letter-words",
        paper_id: Some("seven_letter_words"),
        name: "Another common word of exactly seven letters",
        checks: "seven letters; not checked: that it is an English word, or a common one",
        seed: "EXAMPLE",
        make: || Task {
            template: "An example word is {state}, a common English word of exactly seven \
                letters. Please give me another common English word of exactly seven letters. \
                Only provide the word without any additional explanation."
                .to_owned(),
            validator: Validator::Word { letters: 7, starts_with: None },
            ..Task::word_sum_100()
        },
    },
    Preset {
        id: "four-digit-div-7",
        paper_id: Some("four_digit_div7"),
        name: "Another four-digit number divisible by 7",
        checks: "four digits, the first not 0, a multiple of 7",
        seed: "1001",
        make: || Task {
            template: "An example number is {state}, a four-digit number divisible by 7. Please \
                give me another four-digit number divisible by 7. Only provide the number \
                without any additional explanation."
                .to_owned(),
            case: Case::Keep,
            validator: Validator::Number { digits: 4, digit_sum: None, divisible_by: Some(7) },
            ..Task::word_sum_100()
        },
    },
    Preset {
        id: "blank",
        paper_id: None,
        name: "Blank: the state is the prompt, any answer valid",
        checks: "any answer that is not empty",
        seed: "",
        make: Task::blank,
    },
];

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
        match &self.validator {
            Validator::Regex(x) => {
                Regex::new(x).map_err(|e| format!("the validation pattern is not valid: {e}"))?;
            }
            Validator::LetterSumDivisible { divisor: 0 } => {
                return Err("the letter sum's divisor must be 1 or more".to_owned());
            }
            Validator::Word { letters: 0, .. } => {
                return Err("a word needs 1 letter or more".to_owned());
            }
            Validator::Word { starts_with: Some(p), .. } if p.trim().is_empty() => {
                return Err("what the word begins with is empty".to_owned());
            }
            Validator::Number { digits, .. } if !(1..=19).contains(digits) => {
                return Err(format!("a number has 1 to 19 digits here, not {digits}"));
            }
            Validator::Number { divisible_by: Some(0), .. } => {
                return Err("the number's divisor must be 1 or more".to_owned());
            }
            _ => {}
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
            Validator::LetterSumDivisible { divisor } => match letter_sum(&text) {
                None if text.split_whitespace().count() > 1 => reject("not one word"),
                None => reject("not a word of letters only"),
                Some(s) if *divisor > 0 && s.is_multiple_of(*divisor) => Outcome::State(text),
                Some(s) => self.invalid_answer(&format!(
                    "letters add up to {s}, which is not a multiple of {divisor}"
                )),
            },
            Validator::Word { letters, starts_with } => {
                if text.split_whitespace().count() > 1 {
                    return reject("not one word");
                }
                if !text.chars().all(|c| c.is_ascii_alphabetic()) {
                    return reject("not a word of letters only");
                }
                let n = text.chars().count();
                if n != *letters as usize {
                    return self.invalid_answer(&format!("{n} letters, not {letters}"));
                }
                match starts_with {
                    Some(p) if !text.starts_with(p.as_str()) => {
                        self.invalid_answer(&format!("does not begin with {p}"))
                    }
                    _ => Outcome::State(text),
                }
            }
            Validator::Number { digits, digit_sum: sum, divisible_by } => {
                self.judge_number(text, *digits, *sum, *divisible_by)
            }
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

    /// What the answer `text` (trimmed, in its case) is under [`Validator::Number`].
    fn judge_number(
        &self,
        text: String,
        digits: u32,
        sum: Option<u32>,
        divisible_by: Option<u32>,
    ) -> Outcome {
        let reject = |reason: &str| Outcome::Rejected { reason: reason.to_owned() };
        if text.split_whitespace().count() > 1 {
            return reject("not one number");
        }
        if !text.chars().all(|c| c.is_ascii_digit()) {
            return reject("not a number of digits only");
        }
        let n = text.len();
        if n != digits as usize {
            return self.invalid_answer(&format!("{n} digits, not {digits}"));
        }
        if n > 1 && text.starts_with('0') {
            return self.invalid_answer("begins with 0");
        }
        let Ok(value) = text.parse::<u64>() else {
            return reject("too long a number");
        };
        if let Some(target) = sum
            && digit_sum(value) != target
        {
            let s = digit_sum(value);
            return self.invalid_answer(&format!("digits add up to {s}, not {target}"));
        }
        if let Some(d) = divisible_by
            && (d == 0 || !value.is_multiple_of(u64::from(d)))
        {
            return self.invalid_answer(&format!("not divisible by {d}"));
        }
        Outcome::State(text)
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
