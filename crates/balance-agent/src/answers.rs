//! What a run's answers were: how many became states, and the ones that did not (rejected,
//! invalid, no answer) by reason, with the raw answers as the model wrote them. A real model
//! answers in ways a task's parser may not expect (chatty preambles, punctuation, several
//! words), and this is where a person sees it.

use std::collections::BTreeMap;

use balance_core::experiment::{Attempt, Outcome};

/// Raw answers kept as examples of each reason.
pub const EXAMPLES: usize = 3;

/// The answers of one reason that did not become a state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    /// What happened to them: "rejected", "invalid" or "no answer".
    pub outcome: &'static str,
    /// Why, as the task or the provider said.
    pub reason: String,
    /// How many answers.
    pub count: usize,
    /// The first few, as the model wrote them (distinct).
    pub examples: Vec<String>,
}

/// The answers of a run, summed up.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answers {
    /// Attempts in all.
    pub attempts: usize,
    /// Those that became a state (a transition or a self-loop).
    pub states: usize,
    /// The others by what happened to them and why.
    by_reason: BTreeMap<(&'static str, String), Unread>,
}

impl Answers {
    /// The summary of `attempts`.
    pub fn of<'a>(attempts: impl IntoIterator<Item = &'a Attempt>) -> Answers {
        let mut out = Answers::default();
        for a in attempts {
            out.add(a);
        }
        out
    }

    /// Counts one more attempt.
    pub fn add(&mut self, a: &Attempt) {
        self.attempts += 1;
        let outcome = match a.outcome {
            Outcome::Transition | Outcome::SelfLoop => {
                self.states += 1;
                return;
            }
            Outcome::Rejected => "rejected",
            Outcome::Invalid => "invalid",
            Outcome::NoAnswer => "no answer",
        };
        let reason = kind(a.reason.as_deref().unwrap_or_default()).to_owned();
        let entry = self.by_reason.entry((outcome, reason.clone())).or_insert_with(|| Unread {
            outcome,
            reason,
            count: 0,
            examples: Vec::new(),
        });
        entry.count += 1;
        let raw = a.raw.as_deref().unwrap_or_default();
        if entry.examples.len() < EXAMPLES && !entry.examples.iter().any(|e| e == raw) {
            entry.examples.push(raw.to_owned());
        }
    }

    /// The answers that became no state, by reason, the commonest first.
    pub fn unread(&self) -> Vec<&Unread> {
        let mut out: Vec<&Unread> = self.by_reason.values().collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
        out
    }

    /// One line per reason: "12 rejected (not one word), such as "Here's a word…"".
    pub fn lines(&self) -> Vec<String> {
        self.unread()
            .into_iter()
            .map(|u| {
                let examples: Vec<String> = u.examples.iter().map(|e| quoted(e)).collect();
                let such = if examples.is_empty() {
                    String::new()
                } else {
                    format!(", such as {}", examples.join(", "))
                };
                format!("{} {} ({}){such}", u.count, u.outcome, u.reason)
            })
            .collect()
    }
}

/// A reason without its detail in parentheses at the end ("letters do not add up to 100 (they
/// add up to 54)" is of the kind "letters do not add up to 100"): answers are grouped by kind.
fn kind(reason: &str) -> &str {
    match reason.strip_suffix(')').and_then(|r| r.rfind(" (")) {
        Some(at) => &reason[..at],
        None => reason,
    }
}

/// Most characters of a raw answer quoted in a line.
const QUOTED: usize = 60;

/// A raw answer in quotes, with its line breaks escaped, cut to [`QUOTED`] characters.
pub fn quoted(raw: &str) -> String {
    let short: String = raw.chars().take(QUOTED).collect();
    let more = if raw.chars().count() > QUOTED { "…" } else { "" };
    format!("{:?}", format!("{short}{more}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::attempt_of;
    use crate::task::Task;

    #[test]
    fn unread_answers_are_grouped_by_reason_with_examples() {
        let task = Task::word_sum_100();
        let answers = [
            "ATTITUDE",
            "**Attitude**.",
            "Here is a word: TURKEY",
            "Sure thing, friend!",
            "Here is a word: TURKEY",
            "LOVE",
            "",
        ];
        let attempts: Vec<Attempt> =
            answers.iter().map(|a| attempt_of(&task, "BUZZY", a)).collect();
        let summary = Answers::of(&attempts);
        assert_eq!((summary.attempts, summary.states), (7, 2));
        let lines = summary.lines();
        // The commonest first; each example once, as the model wrote it.
        assert_eq!(
            lines[0],
            "3 rejected (not one word), such as \"Here is a word: TURKEY\", \"Sure thing, friend!\"",
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|l| l == "1 invalid (letters do not add up to 100), such as \"LOVE\""),
            "{lines:?}"
        );
        assert!(lines.iter().any(|l| l.starts_with("1 rejected (empty answer)")), "{lines:?}");
    }
}
