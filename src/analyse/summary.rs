//! The report in words: what the verdict card says and the HTML report repeats.

use balance_core::report::Report;

use crate::format;

/// The verdict and its numbers as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The core's verdict in one sentence.
    pub headline: String,
    /// The decision's name (`consistent`, `rejected`, ...), lower case.
    pub decision: String,
    /// The entropy production with its intervals.
    pub entropy: String,
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
        let ep = &report.entropy_production;
        let interval = |name: &str, i: Option<[f64; 2]>| {
            i.map_or(String::new(), |[lo, hi]| {
                let (lo, hi) = (format::number(lo, 4), format::number(hi, 4));
                format!(", {name} 95% interval {lo} to {hi}")
            })
        };
        let entropy = format!(
            "Entropy production {} nats per step over {} two-way pairs{}{}.",
            format::number(ep.value, 4),
            ep.pairs,
            interval("posterior", ep.credible),
            interval("bootstrap", ep.interval),
        );
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
            entropy,
            details: report.verdict.details.clone(),
            identifiable: format!("{placed} of {n} states are identifiable."),
            unplaced: unplaced_states(report),
            cycles,
        }
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
