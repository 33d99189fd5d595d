//! Counts CSV: `source,target,count`, one row per (source, target) pair.
//!
//! An empty target is a rejected attempt from `source`; `source == target` is a self-loop. A
//! header row `source,target,count` is optional. Counts must be finite and non-negative.

use super::ImportError;
use crate::model::Counts;

/// Parses a counts CSV into a count model, with a note when rows repeat a (source, target)
/// pair: their counts are added together, and the note says so.
pub fn parse_counts_csv(text: &str) -> Result<(Counts, Vec<String>), ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut counts = Counts::new();
    let mut rows = 0usize;
    let mut first_line: std::collections::HashMap<(String, String), usize> = Default::default();
    let mut repeats: Vec<(usize, usize, String, String)> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(i + 1, |p| p.line() as usize);
            ImportError::at(line, "row", format!("not valid CSV: {e}"))
        })?;
        let line = record.position().map_or(i + 1, |p| p.line() as usize);
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows == 0 && is_header(&record) {
            rows += 1;
            continue;
        }
        rows += 1;
        if record.len() != 3 {
            return Err(ImportError::at(
                line,
                "row",
                format!("expected 3 fields (source,target,count), found {}", record.len()),
            ));
        }
        let source = &record[0];
        let target = &record[1];
        if source.is_empty() {
            return Err(ImportError::at(line, "source", "the source state is empty"));
        }
        let count = parse_count(&record[2]).map_err(|m| ImportError::at(line, "count", m))?;
        let pair = (source.to_owned(), target.to_owned());
        match first_line.get(&pair) {
            Some(&first) => repeats.push((line, first, pair.0, pair.1)),
            None => {
                first_line.insert(pair, line);
            }
        }
        if target.is_empty() {
            counts.add_rejection(source, count);
        } else {
            counts.add_transition(source, target, count);
        }
    }
    if counts.is_empty() {
        return Err(ImportError::file("the file has no rows of counts"));
    }
    let notes = repeats
        .first()
        .map(|(line, first, source, target)| {
            let target = if target.is_empty() { "a rejection" } else { target.as_str() };
            format!(
                "{} row(s) of the file repeat a (source, target) pair given before (line {line} \
                 repeats line {first}: {source} → {target}); their counts were added together.",
                repeats.len()
            )
        })
        .into_iter()
        .collect();
    Ok((counts, notes))
}

/// Writes counts as `source,target,count` rows: transitions, self-loops (`source == target`)
/// and rejections (empty target); labels are quoted where CSV needs it.
pub fn write_counts_csv(counts: &Counts) -> String {
    let label = |i: usize| counts.states().label(i);
    let mut rows: Vec<[String; 3]> = vec![["source".into(), "target".into(), "count".into()]];
    for (f, g, c) in counts.edges() {
        rows.push([label(f).into(), label(g).into(), c.to_string()]);
    }
    for f in 0..counts.len() {
        if counts.self_loops(f) > 0.0 {
            rows.push([label(f).into(), label(f).into(), counts.self_loops(f).to_string()]);
        }
        if counts.rejected(f) > 0.0 {
            rows.push([label(f).into(), String::new(), counts.rejected(f).to_string()]);
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in &rows {
        w.write_record(row).expect("writing CSV to memory cannot fail");
    }
    let bytes = w.into_inner().expect("writing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 labels is UTF-8")
}

fn is_header(record: &csv::StringRecord) -> bool {
    let fields: Vec<String> = record.iter().map(str::to_ascii_lowercase).collect();
    fields == ["source", "target", "count"]
}

/// Parses a count: a finite, non-negative number.
pub(crate) fn parse_count(text: &str) -> Result<f64, String> {
    let value: f64 = text.parse().map_err(|_| format!("{text:?} is not a number"))?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!("{text:?} is not a finite, non-negative count"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_transitions_self_loops_and_rejections() {
        let (c, notes) =
            parse_counts_csv("source,target,count\nA,B,3\nA,A,2\nA,,1\nB,A,4\n").unwrap();
        assert!(notes.is_empty());
        let (a, b) = (c.states().get("A").unwrap(), c.states().get("B").unwrap());
        assert_eq!(c.count(a, b), 3.0);
        assert_eq!(c.self_loops(a), 2.0);
        assert_eq!(c.rejected(a), 1.0);
        assert_eq!(c.attempts(a), 6.0);
        assert_eq!(c.count(b, a), 4.0);
    }

    #[test]
    fn write_then_read_round_trips() {
        let (c, _) = parse_counts_csv("A,B,3\nA,A,2\nA,,1\n\"x, y\",A,4\n").unwrap();
        assert_eq!(parse_counts_csv(&write_counts_csv(&c)).unwrap().0.total_attempts(), 10.0);
        let (back, _) = parse_counts_csv(&write_counts_csv(&c)).unwrap();
        let (a, xy) = (back.states().get("A").unwrap(), back.states().get("x, y").unwrap());
        assert_eq!(back.rejected(a), 1.0);
        assert_eq!(back.self_loops(a), 2.0);
        assert_eq!(back.count(xy, a), 4.0);
    }

    #[test]
    fn header_is_optional_and_quoted_labels_may_hold_commas() {
        let (c, _) = parse_counts_csv("\"f(x, y)\",x,2\n").unwrap();
        assert_eq!(c.states().label(0), "f(x, y)");
        assert_eq!(c.total_transitions(), 2.0);
    }

    #[test]
    fn errors_name_the_line_and_field() {
        let e = parse_counts_csv("source,target,count\nA,B,3\nA,B,three\n").unwrap_err();
        assert_eq!((e.line, e.field.as_deref()), (3, Some("count")));
        assert!(e.to_string().starts_with("line 3, field `count`"), "{e}");
        let e = parse_counts_csv("A,B\n").unwrap_err();
        assert_eq!((e.line, e.field.as_deref()), (1, Some("row")));
        let e = parse_counts_csv("A,B,-1\n").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("count"));
        let e = parse_counts_csv(",B,1\n").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("source"));
        let e = parse_counts_csv("A,B,NaN\n").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("count"));
        assert!(parse_counts_csv("").is_err());
        // Repeated pairs are summed, and said to be.
        let (c, notes) = parse_counts_csv("A,B,1\nB,A,2\nA,B,3\nA,,1\nA,,4\n").unwrap();
        assert_eq!(c.count(0, 1), 4.0);
        assert_eq!(c.rejected(0), 5.0);
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].starts_with("2 row(s)") && notes[0].contains("line 3 repeats line 1"),
            "{notes:?}"
        );
        assert!(parse_counts_csv("source,target,count\n").is_err());
    }
}
