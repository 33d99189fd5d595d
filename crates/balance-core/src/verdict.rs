//! What the tests say about detailed balance, in plain words, from the corrected tests: the
//! likelihood-ratio test with its calibrated p-value when counts are sparse, cycles of one-way
//! transitions, and the entropy production against what detailed balance alone gives.

use serde::{Deserialize, Serialize};

use crate::format;
use crate::report::{LrtReport, OneWayCycleReport};

/// The conclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// The data are consistent with detailed balance.
    Consistent,
    /// Detailed balance is rejected at the 5% level.
    Rejected,
    /// A cycle of transitions never reversed, where detailed balance would have shown reverses.
    Irreversible,
    /// The chi-square law rejects, but the counts are too sparse to trust it and no calibrated
    /// p-value was computed.
    Inconclusive,
    /// The data cannot tell (no cycle to test, no connected set).
    Untestable,
}

/// Which evidence the decision rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// The likelihood-ratio test's chi-square p-value.
    ChiSquare,
    /// The likelihood-ratio test's chi-square p-value calibrated by replicates drawn under
    /// detailed balance.
    ParametricBootstrap,
    /// A cycle of one-way transitions.
    OneWayCycle,
}

/// The verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The conclusion.
    pub decision: Decision,
    /// One sentence.
    pub headline: String,
    /// The p-value the decision rests on.
    pub p_value: Option<f64>,
    /// What the decision rests on.
    pub evidence: Option<Evidence>,
    /// Further sentences: the bias of the bootstrap intervals, how the p-value was calibrated,
    /// cycles of one-way transitions that are not evidence.
    pub details: Vec<String>,
}

/// A one-way cycle is evidence when none of its expected reverses coming is this unlikely.
const CYCLE_EVIDENCE: f64 = 1e-3;

/// What the verdict is made from.
pub struct Findings<'a> {
    /// States of the connected set of the Markov estimators.
    pub markov_states: usize,
    /// The likelihood-ratio test.
    pub lrt: &'a LrtReport,
    /// Cycles of one-way transitions, most telling first.
    pub one_way_cycles: &'a [OneWayCycleReport],
    /// State labels, for naming cycles.
    pub labels: &'a [String],
}

fn cycle_text(states: &[usize], labels: &[String]) -> String {
    let mut names: Vec<&str> = states.iter().map(|&s| labels[s].as_str()).collect();
    names.push(names[0]);
    names.join(" → ")
}

/// The verdict of `f`.
pub fn verdict(f: &Findings<'_>) -> Verdict {
    let lrt = f.lrt;
    let mut details = Vec::new();
    if let (Some(b), Some(_)) = (lrt.bias, lrt.interval) {
        details.push(format!(
            "Bootstrap intervals of G and of the entropy production sit above their estimates \
             when detailed balance holds (resampling adds about {} to G): judge by the p-value, \
             not by whether an interval leaves out 0.",
            format::number(b)
        ));
    }
    if f.markov_states < 2 {
        return Verdict {
            decision: Decision::Untestable,
            headline: "No two states were seen to reach each other: there is no stationary \
                       distribution and nothing to test."
                .into(),
            p_value: None,
            evidence: None,
            details,
        };
    }
    if let Some(c) = f.one_way_cycles.first().filter(|c| c.p_value < CYCLE_EVIDENCE) {
        return Verdict {
            decision: Decision::Irreversible,
            headline: format!(
                "Detailed balance is broken: {} was never reversed, although detailed balance \
                 would give about {} reverse transitions (chance of none: {}).",
                cycle_text(&c.states, f.labels),
                format::number(c.expected_reverse),
                format::p_value(c.p_value)
            ),
            p_value: Some(c.p_value),
            evidence: Some(Evidence::OneWayCycle),
            details,
        };
    }
    if let Some(c) = f.one_way_cycles.first() {
        details.push(format!(
            "{} cycle(s) of transitions seen one way only (such as {}), but detailed balance \
             would give only about {} reverse transitions there: not evidence either way.",
            f.one_way_cycles.len(),
            cycle_text(&c.states, f.labels),
            format::number(c.expected_reverse)
        ));
    }
    let (Some(p_chi2), true) = (lrt.p_value, lrt.df > 0) else {
        return Verdict {
            decision: Decision::Untestable,
            headline: "Nothing to test: the pairs of states seen (either way) form no cycle, so \
                       any such data fit detailed balance exactly (df = 0)."
                .into(),
            p_value: None,
            evidence: None,
            details,
        };
    };
    let test = |p: f64, how: &str| {
        format!(
            "G = {} on {} degrees of freedom, {} ({how})",
            format::number(lrt.statistic),
            lrt.df,
            format::p_phrase(p)
        )
    };
    let sparse_share = format!("{:.0}%", 100.0 * lrt.small_expected);
    let (p, evidence, how) = match lrt.p_value_null {
        Some(p) => {
            details.push(format!(
                "The p-value is the chi-square one ({}) calibrated by {} replicates drawn under \
                 detailed balance{}.",
                format::p_phrase(p_chi2),
                lrt.null_replicates,
                if lrt.sparse {
                    format!(", as the counts are sparse ({sparse_share} of the counts detailed balance predicts are below 5)")
                } else {
                    String::new()
                }
            ));
            (
                p,
                Evidence::ParametricBootstrap,
                format!("calibrated by {} replicates", lrt.null_replicates),
            )
        }
        None if lrt.sparse => {
            let headline = if p_chi2 < 0.05 {
                format!(
                    "The chi-square law rejects detailed balance ({}), but {sparse_share} of the \
                     counts detailed balance predicts are below 5, where that law fails: ask for \
                     replicates under detailed balance for a p-value to trust.",
                    test(p_chi2, "chi-square")
                )
            } else {
                format!(
                    "Consistent with detailed balance ({}), though with sparse counts the \
                     chi-square law is only a guide.",
                    test(p_chi2, "chi-square")
                )
            };
            return Verdict {
                decision: if p_chi2 < 0.05 { Decision::Inconclusive } else { Decision::Consistent },
                headline,
                p_value: Some(p_chi2),
                evidence: Some(Evidence::ChiSquare),
                details,
            };
        }
        None => (p_chi2, Evidence::ChiSquare, "chi-square".to_owned()),
    };
    let (decision, headline) = if p < 0.05 {
        (Decision::Rejected, format!("Detailed balance is rejected: {}.", test(p, &how)))
    } else {
        (Decision::Consistent, format!("Consistent with detailed balance: {}.", test(p, &how)))
    };
    Verdict { decision, headline, p_value: Some(p), evidence: Some(evidence), details }
}
