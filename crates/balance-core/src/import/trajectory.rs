//! Trajectories: sequences of states, consecutive pairs being transitions.
//!
//! Two layouts are read: a JSON list of lists of strings, or plain text with one state per line
//! and a blank line between trajectories.

use serde_json::Value;

use super::ImportError;
use crate::model::Counts;

/// Parses trajectories into counts: every state but a trajectory's last is one attempt.
pub fn parse_trajectories(text: &str) -> Result<Counts, ImportError> {
    let mut counts = Counts::new();
    if text.trim_start().starts_with('[') {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| ImportError::at(e.line(), "json", format!("not valid JSON: {e}")))?;
        let list =
            value.as_array().ok_or_else(|| ImportError::file("expected a list of trajectories"))?;
        for (i, t) in list.iter().enumerate() {
            let states = t
                .as_array()
                .ok_or_else(|| ImportError::at(i + 1, "trajectory", "expected a list of states"))?;
            let mut labels = Vec::with_capacity(states.len());
            for (k, s) in states.iter().enumerate() {
                let label = s.as_str().filter(|s| !s.is_empty()).ok_or_else(|| {
                    ImportError::at(
                        i + 1,
                        &format!("trajectory[{k}]"),
                        "expected a non-empty string",
                    )
                })?;
                labels.push(label);
            }
            add_path(&mut counts, &labels);
        }
    } else {
        let mut current: Vec<&str> = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() {
                add_path(&mut counts, &current);
                current.clear();
            } else {
                current.push(line);
            }
        }
        add_path(&mut counts, &current);
    }
    if counts.total_attempts() == 0.0 {
        return Err(ImportError::file("no trajectory has two or more states"));
    }
    Ok(counts)
}

fn add_path(counts: &mut Counts, labels: &[&str]) {
    for label in labels {
        counts.add_state(label);
    }
    for pair in labels.windows(2) {
        counts.add_transition(pair[0], pair[1], 1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json_layouts_agree() {
        let text = parse_trajectories("A\nB\nA\nA\n\nC\nA\n").unwrap();
        let json = parse_trajectories(r#"[["A","B","A","A"],["C","A"]]"#).unwrap();
        assert_eq!(text, json);
        let s = text.states();
        let (a, b, c) = (s.get("A").unwrap(), s.get("B").unwrap(), s.get("C").unwrap());
        assert_eq!(text.count(a, b), 1.0);
        assert_eq!(text.count(b, a), 1.0);
        assert_eq!(text.self_loops(a), 1.0);
        assert_eq!(text.count(c, a), 1.0);
        assert_eq!(text.total_attempts(), 4.0);
    }

    #[test]
    fn bad_trajectories_are_named() {
        let e = parse_trajectories(r#"[["A","B"], "C"]"#).unwrap_err();
        assert_eq!((e.line, e.field.as_deref()), (2, Some("trajectory")));
        let e = parse_trajectories(r#"[["A", 3]]"#).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("trajectory[1]"));
        assert!(parse_trajectories("A\n\nB\n").is_err());
        assert!(parse_trajectories("").is_err());
    }
}
