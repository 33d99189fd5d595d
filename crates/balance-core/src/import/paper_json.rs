//! The paper's JSON format: a list of records
//! `{"target_expression": g, "target_score": x?, "source_expressions": [{"expression": f, "score": y?}, ...]}`,
//! each (source, target) pair one transition.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::ImportError;
use crate::model::Counts;

/// Counts and task scores read from a paper-format file.
#[derive(Debug, Clone, PartialEq)]
pub struct PaperData {
    /// The transitions.
    pub counts: Counts,
    /// Task score of each state that has one.
    pub scores: BTreeMap<String, f64>,
}

fn json_error(e: &serde_json::Error) -> ImportError {
    ImportError::at(e.line(), "json", format!("not valid JSON: {e}"))
}

/// Parses the paper's JSON format. Errors name the 1-based record and the field.
pub fn parse_paper_json(text: &str) -> Result<PaperData, ImportError> {
    let value: Value = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    let Value::Array(records) = value else {
        return Err(ImportError::file("expected a JSON list of records"));
    };
    let mut counts = Counts::new();
    let mut scores = BTreeMap::new();
    for (i, record) in records.iter().enumerate() {
        let at = i + 1;
        let obj = record
            .as_object()
            .ok_or_else(|| ImportError::at(at, "record", "expected an object"))?;
        let target = obj
            .get("target_expression")
            .ok_or_else(|| ImportError::at(at, "target_expression", "missing"))?
            .as_str()
            .ok_or_else(|| ImportError::at(at, "target_expression", "expected a string"))?;
        if target.is_empty() {
            return Err(ImportError::at(at, "target_expression", "the state is empty"));
        }
        read_score(obj.get("target_score"), at, "target_score", target, &mut scores)?;
        let sources = obj
            .get("source_expressions")
            .ok_or_else(|| ImportError::at(at, "source_expressions", "missing"))?
            .as_array()
            .ok_or_else(|| ImportError::at(at, "source_expressions", "expected a list"))?;
        counts.add_state(target);
        for (k, source) in sources.iter().enumerate() {
            let field = format!("source_expressions[{k}]");
            let s = source
                .as_object()
                .ok_or_else(|| ImportError::at(at, &field, "expected an object"))?;
            let f = s.get("expression").and_then(Value::as_str).ok_or_else(|| {
                ImportError::at(at, &format!("{field}.expression"), "missing or not a string")
            })?;
            if f.is_empty() {
                return Err(ImportError::at(
                    at,
                    &format!("{field}.expression"),
                    "the state is empty",
                ));
            }
            read_score(s.get("score"), at, &format!("{field}.score"), f, &mut scores)?;
            counts.add_transition(f, target, 1.0);
        }
    }
    if counts.total_attempts() == 0.0 {
        return Err(ImportError::file("the file holds no transitions"));
    }
    Ok(PaperData { counts, scores })
}

fn read_score(
    value: Option<&Value>,
    at: usize,
    field: &str,
    state: &str,
    scores: &mut BTreeMap<String, f64>,
) -> Result<(), ImportError> {
    match value {
        None | Some(Value::Null) => Ok(()),
        Some(v) => {
            let x = v
                .as_f64()
                .filter(|x| x.is_finite())
                .ok_or_else(|| ImportError::at(at, field, "expected a finite number or null"))?;
            scores.insert(state.to_owned(), x);
            Ok(())
        }
    }
}

/// Writes counts in the paper's format: one record per target, each source listed once per
/// transition (counts are rounded to whole transitions; self-loops are written as a source
/// equal to its target; rejections cannot be written in this format).
pub fn write_paper_json(counts: &Counts, scores: &BTreeMap<String, f64>) -> String {
    let n = counts.len();
    let mut by_target: Vec<Vec<Value>> = vec![Vec::new(); n];
    for (f, records) in by_target.iter_mut().enumerate() {
        let loops = counts.self_loops(f).round() as usize;
        for _ in 0..loops {
            records.push(source_record(counts.states().label(f), scores));
        }
    }
    for (f, g, c) in counts.edges() {
        for _ in 0..c.round() as usize {
            by_target[g].push(source_record(counts.states().label(f), scores));
        }
    }
    let records: Vec<Value> = by_target
        .into_iter()
        .enumerate()
        .filter(|(_, s)| !s.is_empty())
        .map(|(g, sources)| {
            let label = counts.states().label(g);
            json!({
                "target_expression": label,
                "target_score": scores.get(label),
                "source_expressions": sources,
            })
        })
        .collect();
    serde_json::to_string_pretty(&records).expect("JSON values always serialise")
}

fn source_record(label: &str, scores: &BTreeMap<String, f64>) -> Value {
    json!({ "expression": label, "score": scores.get(label) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records_and_scores() {
        let text = r#"[
            {"target_expression": "x+1", "target_score": 0.5,
             "source_expressions": [{"expression": "x", "score": 0.1}, {"expression": "x"}]},
            {"target_expression": "x", "source_expressions": [{"expression": "x+1", "score": null}]}
        ]"#;
        let d = parse_paper_json(text).unwrap();
        let s = d.counts.states();
        assert_eq!(d.counts.count(s.get("x").unwrap(), s.get("x+1").unwrap()), 2.0);
        assert_eq!(d.counts.count(s.get("x+1").unwrap(), s.get("x").unwrap()), 1.0);
        assert_eq!(d.scores["x+1"], 0.5);
        assert_eq!(d.scores["x"], 0.1);
    }

    #[test]
    fn errors_name_the_record_and_field() {
        let e = parse_paper_json(
            r#"[{"target_expression": "a", "source_expressions": []},
            {"target_expression": 3, "source_expressions": []}]"#,
        )
        .unwrap_err();
        assert_eq!((e.line, e.field.as_deref()), (2, Some("target_expression")));
        let e = parse_paper_json(
            r#"[{"target_expression": "a", "source_expressions": [{"score": 1}]}]"#,
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("source_expressions[0].expression"));
        let e = parse_paper_json(
            r#"[{"target_expression": "a", "target_score": "high", "source_expressions": []}]"#,
        )
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("target_score"));
        assert!(parse_paper_json("{}").is_err());
        assert!(parse_paper_json("[").is_err());
        assert!(parse_paper_json("[]").is_err());
    }

    #[test]
    fn write_then_read_round_trips() {
        let mut c = Counts::new();
        c.add_transition("A", "B", 3.0);
        c.add_transition("B", "A", 1.0);
        c.add_transition("B", "B", 2.0);
        let scores = BTreeMap::from([("A".to_owned(), 1.5)]);
        let back = parse_paper_json(&write_paper_json(&c, &scores)).unwrap();
        let s = back.counts.states();
        let (a, b) = (s.get("A").unwrap(), s.get("B").unwrap());
        assert_eq!(back.counts.count(a, b), 3.0);
        assert_eq!(back.counts.count(b, a), 1.0);
        assert_eq!(back.counts.self_loops(b), 2.0);
        assert_eq!(back.scores, scores);
    }
}
