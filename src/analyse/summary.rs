//! The report in words: what the verdict card says and the HTML report repeats.

use balance_core::report::Report;
use balance_core::verdict::entropy_sentences;

use crate::format;

/// One strongly connected component's own test, as a row of text.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentRow {
    /// Its number and first states: "2: D, E, F and 4 more".
    pub name: String,
    /// Its states and attempts: "7 / 2100".
    pub size: String,
    /// `G` on its degrees of freedom ("178.34 on 1"), or "–" when it has nothing to test.
    pub g: String,
    /// Its p-value (calibrated where computed), or why it has none.
    pub p: String,
}

/// The verdict and its numbers as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The core's verdict in one sentence.
    pub headline: String,
    /// The decision's name (`consistent`, `rejected`, ...), lower case.
    pub decision: String,
    /// The entropy production with its intervals: the whole's, then the components' when
    /// there are several.
    pub entropy: Vec<String>,
    /// Each component's own test, when there are several (empty for one): at most
    /// [`COMPONENT_ROWS`], those whose tests are strongest first.
    pub components: Vec<ComponentRow>,
    /// How many components there are.
    pub component_count: usize,
    /// The verdict's further remarks.
    pub details: Vec<String>,
    /// How many states the data place.
    pub identifiable: String,
    /// Why the other states are not placed.
    pub unplaced: Vec<String>,
    /// The most significant cycles with their affinities.
    pub cycles: Vec<String>,
}

impl Summary {
    /// The summary of `report`.
    pub fn of(report: &Report) -> Summary {
        let n = report.states.len();
        let placed = report.states.iter().filter(|s| s.identifiable).count();
        let cycles = report
            .cycles
            .iter()
            .take(3)
            .map(|c| {
                let names: Vec<&str> =
                    c.states.iter().map(|&i| report.states[i].label.as_str()).collect();
                format!(
                    "{}: affinity {} ± {}",
                    names.join(" → "),
                    format::number(c.affinity, 3),
                    format::number(c.se, 3)
                )
            })
            .collect();
        Summary {
            headline: report.verdict.headline.clone(),
            decision: format!("{:?}", report.verdict.decision).to_lowercase(),
            entropy: entropy_sentences(report),
            components: component_rows(report),
            component_count: report.components.len(),
            details: report.verdict.details.clone(),
            identifiable: format!("{placed} of {n} states are identifiable."),
            unplaced: unplaced_states(report),
            cycles,
        }
    }
}

/// Most components listed in the verdict (the report holds every one).
pub const COMPONENT_ROWS: usize = 10;

/// Each component's own test, when there are several: the tested ones by their p-values, then
/// the untested by size, at most [`COMPONENT_ROWS`].
fn component_rows(report: &Report) -> Vec<ComponentRow> {
    let components = &report.components;
    if components.len() < 2 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..components.len()).collect();
    order.sort_by(|&a, &b| {
        let p =
            |k: usize| if components[k].df > 0 { components[k].p().unwrap_or(1.0) } else { 2.0 };
        p(a).total_cmp(&p(b)).then(a.cmp(&b))
    });
    order
        .into_iter()
        .take(COMPONENT_ROWS)
        .map(|k| (k, &components[k]))
        .map(|(k, c)| ComponentRow {
            name: format!("{}: {}", k + 1, state_list(report, &c.states)),
            size: format!("{} / {}", c.states.len(), format::count(c.attempts)),
            g: if c.df > 0 {
                format!("{} on {}", format::number(c.statistic, 2), c.df)
            } else {
                "–".into()
            },
            p: match (c.df, c.p_value_null, c.p_value) {
                (0, _, _) => "no cycle to test".into(),
                (_, Some(p), _) => format!("{} (calibrated)", balance_core::format::p_value(p)),
                (_, None, Some(p)) => format!("{} (chi-square)", balance_core::format::p_value(p)),
                _ => "–".into(),
            },
        })
        .collect()
}

/// The first states of a component by name, "D, E, F and 4 more".
fn state_list(report: &Report, states: &[usize]) -> String {
    let names: Vec<&str> =
        states.iter().take(3).map(|&s| report.states[s].label.as_str()).collect();
    match states.len().saturating_sub(3) {
        0 => names.join(", "),
        more => format!("{} and {more} more", names.join(", ")),
    }
}

/// Most unplaced states listed one by one; beyond this they are grouped by reason.
const MAX_LISTED: usize = 8;
/// Example states named per reason in a group.
const EXAMPLES: usize = 3;

/// Why states are not placed: each one with its reason when there are few, else one line per
/// reason with the number of states and a few examples.
fn unplaced_states(report: &Report) -> Vec<String> {
    let unplaced: Vec<(&str, &str)> = report
        .states
        .iter()
        .filter(|s| !s.identifiable)
        .map(|s| (s.label.as_str(), s.reason.as_deref().unwrap_or("")))
        .collect();
    if unplaced.len() <= MAX_LISTED {
        return unplaced.into_iter().map(|(l, r)| format!("{l}: {r}")).collect();
    }
    let mut by_reason: Vec<(&str, Vec<&str>)> = Vec::new();
    for (label, reason) in unplaced {
        match by_reason.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, labels)) => labels.push(label),
            None => by_reason.push((reason, vec![label])),
        }
    }
    by_reason.sort_by_key(|(_, labels)| std::cmp::Reverse(labels.len()));
    by_reason
        .into_iter()
        .map(|(reason, labels)| {
            let examples: Vec<&str> = labels.iter().take(EXAMPLES).copied().collect();
            let more = if labels.len() > EXAMPLES { ", …" } else { "" };
            format!("{} states: {reason} (e.g. {}{more})", labels.len(), examples.join(", "))
        })
        .collect()
}
