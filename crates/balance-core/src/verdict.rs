//! What the tests say about detailed balance, in plain words, from the corrected tests: the
//! likelihood-ratio test with its calibrated p-value when counts are sparse, cycles of one-way
//! transitions, and the entropy production against what detailed balance alone gives.

use serde::{Deserialize, Serialize};

use crate::format;
use crate::report::{ComponentReport, EntropyReport, LrtReport, OneWayCycleReport, Report};

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

/// A one-way cycle is evidence when the chance that none of its expected reverses came is
/// this small, corrected for the number of such cycles found (Bonferroni).
const CYCLE_EVIDENCE: f64 = 1e-3;

/// States named when a component is named; beyond them, how many more.
const NAMED_STATES: usize = 3;

/// What the verdict is made from.
pub struct Findings<'a> {
    /// The likelihood-ratio test of the whole dataset.
    pub lrt: &'a LrtReport,
    /// Every strongly connected class of two or more states, tested alone, largest first.
    pub components: &'a [ComponentReport],
    /// The most telling cycles of one-way transitions, first first.
    pub one_way_cycles: &'a [OneWayCycleReport],
    /// How many cycles of one-way transitions were found in all.
    pub one_way_cycles_found: usize,
    /// State labels, for naming cycles and components.
    pub labels: &'a [String],
}

fn cycle_text(states: &[usize], labels: &[String]) -> String {
    let mut names: Vec<&str> = states.iter().map(|&s| labels[s].as_str()).collect();
    names.push(names[0]);
    names.join(" → ")
}

/// "component 3 of 12 (D, E, F and 4 more)": the class at `k` of `components`, by its first
/// states' `labels`.
pub fn component_name(components: &[ComponentReport], k: usize, labels: &[String]) -> String {
    let c = &components[k];
    let names: Vec<&str> =
        c.states.iter().take(NAMED_STATES).map(|&s| labels[s].as_str()).collect();
    let mut list = names.join(", ");
    let more = c.states.len().saturating_sub(NAMED_STATES);
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    format!("component {} of {} ({list})", k + 1, components.len())
}

/// An entropy production in one sentence (without a full stop): its value over the pairs seen
/// both ways with its intervals, "at least" that where transitions were seen one way only, and
/// "unbounded" where no pair was seen both ways but some one way.
pub fn entropy_sentence(e: &EntropyReport) -> String {
    let interval = |name: &str, i: Option<[f64; 2]>| {
        i.map_or(String::new(), |[lo, hi]| {
            format!(", {name} 95% interval {} to {}", format::number(lo), format::number(hi))
        })
    };
    let one_way =
        |n: usize| if n == 1 { "1 transition".to_owned() } else { format!("{n} transitions") };
    match e.value {
        None if e.one_way > 0 => format!(
            "entropy production unbounded: no pair of states was seen both ways, and {} seen \
             one way only would each make it infinite if never reversed",
            one_way(e.one_way)
        ),
        None => "no entropy production to estimate: no pair of states was seen both ways".into(),
        Some(v) => {
            let over = format!(
                "{} nats per step over {} pair{} seen both ways{}{}",
                format::number(v),
                e.pairs,
                if e.pairs == 1 { "" } else { "s" },
                interval("posterior", e.credible),
                interval("bootstrap", e.interval)
            );
            if e.one_way > 0 {
                format!(
                    "entropy production at least {over}; {} seen one way only add an amount \
                     the data do not bound (unbounded if never reversed)",
                    one_way(e.one_way)
                )
            } else {
                format!("entropy production {over}")
            }
        }
    }
}

/// Components whose entropy production is written out one by one; the report lists them all.
const LISTED_COMPONENTS: usize = 5;

/// The entropy production of `report` in sentences: the whole's, and when there are several
/// components (the whole weighs them by their attempts) those of the [`LISTED_COMPONENTS`]
/// whose own tests are strongest, then how many more there are.
pub fn entropy_sentences(report: &Report) -> Vec<String> {
    let labels = report.states.iter().map(|s| s.label.clone()).collect::<Vec<_>>();
    let capital = |s: String| {
        let mut c = s.chars();
        c.next().map_or(String::new(), |f| f.to_uppercase().collect::<String>() + c.as_str())
    };
    let components = &report.components;
    let mut out = Vec::new();
    if components.len() > 1 {
        let all = match components.len() {
            2 => "both components".to_owned(),
            n => format!("all {n} components"),
        };
        out.push(format!(
            "Over {all}, each weighted by its share of the attempts: {}.",
            entropy_sentence(&report.entropy_production)
        ));
        let mut order: Vec<usize> = (0..components.len()).collect();
        order.sort_by(|&a, &b| {
            let p = |k: usize| components[k].p().unwrap_or(1.0);
            p(a).total_cmp(&p(b)).then(a.cmp(&b))
        });
        for &k in order.iter().take(LISTED_COMPONENTS) {
            out.push(format!(
                "{}: {}.",
                capital(component_name(components, k, &labels)),
                entropy_sentence(&components[k].entropy)
            ));
        }
        if components.len() > LISTED_COMPONENTS {
            out.push(format!(
                "And {} more components, whose own tests are weaker (the report lists each).",
                components.len() - LISTED_COMPONENTS
            ));
        }
    } else {
        out.push(format!("{}.", capital(entropy_sentence(&report.entropy_production))));
    }
    out
}

impl Findings<'_> {
    /// "component 3 of 12 (D, E, F)" for the component at `k`.
    fn component_name(&self, k: usize) -> String {
        component_name(self.components, k, self.labels)
    }

    /// The component holding state `s`.
    fn component_of(&self, s: usize) -> Option<usize> {
        self.components.iter().position(|c| c.states.contains(&s))
    }

    /// The tested component whose own p-value is smallest (ties: the larger `G`).
    fn strongest(&self) -> Option<usize> {
        (0..self.components.len()).filter(|&k| self.components[k].df > 0).min_by(|&a, &b| {
            let (x, y) = (&self.components[a], &self.components[b]);
            let p = |c: &ComponentReport| c.p().unwrap_or(1.0);
            p(x).total_cmp(&p(y)).then(y.statistic.total_cmp(&x.statistic))
        })
    }

    /// What was tested, when there is more than one component: how many of them, their states
    /// and attempts, and why the others were not.
    fn scope(&self) -> Option<String> {
        let all = self.components.len();
        if all < 2 {
            return None;
        }
        let tested: Vec<&ComponentReport> = self.components.iter().filter(|c| c.df > 0).collect();
        let states: usize = tested.iter().map(|c| c.states.len()).sum();
        let attempts: f64 = tested.iter().map(|c| c.attempts).sum();
        let untested = all - tested.len();
        let rest = match untested {
            0 => String::new(),
            1 => "; the other one has no cycle to test (its pairs form a tree, df = 0)".into(),
            u => format!("; the other {u} have no cycle to test (their pairs form trees, df = 0)"),
        };
        Some(format!(
            "Tested: {} of the {all} strongly connected components, each on its own and \
             together (G and the degrees of freedom summed), with {states} states and {} \
             attempts{rest}.",
            tested.len(),
            format::number(attempts)
        ))
    }
}

/// "1 degree of freedom", "4 degrees of freedom".
fn freedom(df: usize) -> String {
    if df == 1 { "1 degree of freedom".into() } else { format!("{df} degrees of freedom") }
}

/// The verdict of `f`.
pub fn verdict(f: &Findings<'_>) -> Verdict {
    let lrt = f.lrt;
    let mut details = Vec::new();
    if let (Some(b), Some(_)) = (lrt.bias, lrt.interval) {
        details.push(format!(
            "Bootstrap intervals of G sit above the estimate when detailed balance holds \
             (resampling adds about {} to G): judge by the p-value, not by whether an interval \
             leaves out 0.",
            format::number(b)
        ));
    }
    if f.components.is_empty() {
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
    let several = f.components.len() > 1;
    let found = f.one_way_cycles_found.max(f.one_way_cycles.len()).max(1);
    let adjusted = |p: f64| (p * found as f64).min(1.0);
    if let Some(c) = f.one_way_cycles.first().filter(|c| adjusted(c.p_value) < CYCLE_EVIDENCE) {
        let place = f
            .component_of(c.states[0])
            .filter(|_| several)
            .map_or(String::new(), |k| format!(" in {}", f.component_name(k)));
        let of = if found > 1 {
            format!(
                "; of {found} such cycles, one this telling by chance: {}",
                format::p_value(adjusted(c.p_value))
            )
        } else {
            String::new()
        };
        details.extend(f.scope());
        return Verdict {
            decision: Decision::Irreversible,
            headline: format!(
                "Detailed balance is broken{place}: {} was never reversed, although detailed \
                 balance would give about {} reverse transitions (chance of none: {}{of}).",
                cycle_text(&c.states, f.labels),
                format::number(c.expected_reverse),
                format::p_value(c.p_value)
            ),
            p_value: Some(adjusted(c.p_value)),
            evidence: Some(Evidence::OneWayCycle),
            details,
        };
    }
    if let Some(c) = f.one_way_cycles.first() {
        details.push(format!(
            "{} cycle(s) of transitions seen one way only (such as {}), but detailed balance \
             would give only about {} reverse transitions there: not evidence either way.",
            found,
            cycle_text(&c.states, f.labels),
            format::number(c.expected_reverse)
        ));
    }
    let (Some(p_chi2), true) = (lrt.p_value, lrt.df > 0) else {
        let headline = if several {
            format!(
                "Nothing to test: in none of the {} strongly connected components do the pairs \
                 of states seen (either way) form a cycle, so any such data fit detailed \
                 balance exactly (df = 0).",
                f.components.len()
            )
        } else {
            "Nothing to test: the pairs of states seen (either way) form no cycle, so any such \
             data fit detailed balance exactly (df = 0)."
                .into()
        };
        return Verdict {
            decision: Decision::Untestable,
            headline,
            p_value: None,
            evidence: None,
            details,
        };
    };
    let scope = if several {
        let tested = f.components.iter().filter(|c| c.df > 0).count();
        if tested == 1 {
            format!(", over the one component of {} with a cycle", f.components.len())
        } else {
            format!(", over the {tested} components with a cycle")
        }
    } else {
        String::new()
    };
    let test = |p: f64, how: &str| {
        format!(
            "G = {} on {}, {} ({how}){scope}",
            format::number(lrt.statistic),
            freedom(lrt.df),
            format::p_phrase(p)
        )
    };
    details.extend(f.scope());
    let tested = f.components.iter().filter(|c| c.df > 0).count();
    // Where the evidence is: the component whose own test is strongest, named when there are
    // several to choose from.
    let strongest = f.strongest().filter(|_| tested > 1).map(|k| {
        let c = &f.components[k];
        let p = c.p().unwrap_or(1.0);
        (
            k,
            p,
            format!(
                "{}: G = {} on {}, {} on its own",
                f.component_name(k),
                format::number(c.statistic),
                freedom(c.df),
                format::p_phrase(p)
            ),
        )
    });
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
            let floor = if p * (lrt.null_replicates + 1) as f64 <= 1.0 + 1e-9 {
                ", the smallest they can give"
            } else {
                ""
            };
            (
                p,
                Evidence::ParametricBootstrap,
                format!("calibrated by {} replicates{floor}", lrt.null_replicates),
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
            if let Some((_, _, text)) = strongest.filter(|_| p_chi2 < 0.05) {
                details.push(format!("The strongest evidence is in {text}."));
            }
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
        let most = strongest
            .as_ref()
            .map_or(String::new(), |(_, _, text)| format!("; most of it in {text}"));
        (Decision::Rejected, format!("Detailed balance is rejected: {}{most}.", test(p, &how)))
    } else {
        if let Some((_, q, text)) = strongest.as_ref().filter(|s| s.1 < 0.05) {
            details.push(format!(
                "Taken alone, {text}; but with {tested} components tested, one p-value this \
                 small is not rare by chance (corrected for them, by Bonferroni: {}), and \
                 together they are consistent with detailed balance.",
                format::p_value((q * tested as f64).min(1.0))
            ));
        }
        (Decision::Consistent, format!("Consistent with detailed balance: {}.", test(p, &how)))
    };
    Verdict { decision, headline, p_value: Some(p), evidence: Some(evidence), details }
}
