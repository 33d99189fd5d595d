//! The readable summary of a report.

use std::fmt::Write;

use balance_core::datasets::Dataset;
use balance_core::potential::BoundKind;
use balance_core::report::{Report, THINLY_ENTERED_NOTE};
use balance_core::verdict::{component_name, entropy_sentences};

/// Largest number of states listed one per line.
const MAX_STATES: usize = 60;
/// Largest number of components listed one per line.
const MAX_COMPONENTS: usize = 20;

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{v:.digits$}"))
}

/// Renders the report for a terminal.
pub fn render(dataset: &Dataset, r: &Report) -> String {
    let c = &dataset.counts;
    let mut o = String::new();
    let s = &r.settings;
    let _ = writeln!(o, "{}", dataset.name);
    let _ = writeln!(
        o,
        "{} states, {} transitions ({} unique), {} attempts recorded; A = {}",
        c.len(),
        c.total_transitions(),
        c.edge_count(),
        c.total_attempts(),
        r.total_attempts
    );
    let _ = writeln!(
        o,
        "settings: {} normalisation, {} kernel, beta {}, {:?} solver\n",
        s.normalization.id(),
        s.kernel.id(),
        s.beta,
        s.solver
    );

    let _ =
        writeln!(o, "{:<24} {:>9} {:>10} {:>8} {:>9}  status", "state", "attempts", "V", "SE", "F");
    let mut order: Vec<usize> = (0..r.states.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |i: usize| r.states[i].potential.unwrap_or(f64::INFINITY);
        key(a).total_cmp(&key(b))
    });
    for &i in order.iter().take(MAX_STATES) {
        let st = &r.states[i];
        // States entered once or twice: their intervals are those of a count of one or two.
        let thin = if st.thinly_entered() { " †" } else { "" };
        let status = match (st.potential, st.potential_bound) {
            (Some(_), _) if st.reference => {
                format!("reference of component {}", st.component.map_or(0, |c| c + 1))
            }
            (Some(_), _) => match (st.potential_credible, st.potential_interval) {
                (Some([lo, hi]), _) => format!("95% posterior [{lo:.3}, {hi:.3}]{thin}"),
                (None, Some([lo, hi])) => format!("95% bootstrap [{lo:.3}, {hi:.3}]{thin}"),
                (None, None) => format!("component {}", st.component.map_or(0, |c| c + 1)),
            },
            (None, Some(b)) => format!(
                "unbounded, V {} {:.3}",
                if b.kind == BoundKind::Lower { ">=" } else { "<=" },
                b.value
            ),
            (None, None) => format!("unbounded ({})", st.reason.as_deref().unwrap_or("no bound")),
        };
        let label: String = st.label.chars().take(24).collect();
        let _ = writeln!(
            o,
            "{label:<24} {:>9} {:>10} {:>8} {:>9}  {status}",
            st.attempts,
            opt(st.potential, 4),
            opt(st.potential_se, 4),
            opt(st.free_energy, 4)
        );
    }
    if r.states.iter().any(|st| st.thinly_entered()) {
        let _ = writeln!(o, "{THINLY_ENTERED_NOTE}");
    }
    if r.states.len() > MAX_STATES {
        let _ =
            writeln!(o, "... and {} more states (use --json for all)", r.states.len() - MAX_STATES);
    }

    let _ = writeln!(
        o,
        "\nminimum action S = {:.6} ({} active states, {} component(s))",
        r.action.minimum, r.action.n_active, r.action.components
    );
    let _ = writeln!(o, "verdict: {}", r.verdict.headline);
    for d in &r.verdict.details {
        let _ = writeln!(o, "  {d}");
    }
    let lrt = &r.lrt;
    let _ = writeln!(
        o,
        "likelihood-ratio test: G = {:.4}, df = {}, chi-square p = {}{}",
        lrt.statistic,
        lrt.df,
        lrt.p_value.map_or("-".to_owned(), balance_core::format::p_value),
        lrt.p_value_null.map_or(String::new(), |p| format!(
            ", calibrated p = {} ({} replicates)",
            balance_core::format::p_value(p),
            lrt.null_replicates
        ))
    );
    let p = &r.pairwise;
    let _ = writeln!(
        o,
        "pairwise test: N = {}, r = {}, chi2/ndf = {} (paper-compatible {})",
        p.n,
        opt(p.pearson_r, 4),
        opt(p.chi2_ndf, 4),
        opt(p.chi2_ndf_paper, 4)
    );
    let _ =
        writeln!(o, "loop test: {} triangles, chi2/ndf = {}", r.loops.n, opt(r.loops.chi2_ndf, 4));
    if r.components.len() > 1 {
        let _ = writeln!(
            o,
            "\n{:<40} {:>7} {:>9} {:>10} {:>4} {:>10}",
            "component", "states", "attempts", "G", "df", "p"
        );
        let labels: Vec<String> = r.states.iter().map(|s| s.label.clone()).collect();
        for (k, c) in r.components.iter().enumerate().take(MAX_COMPONENTS) {
            let name: String = component_name(&r.components, k, &labels).chars().take(40).collect();
            let p = match (c.df, c.p()) {
                (0, _) => "untested".to_owned(),
                (_, Some(p)) => balance_core::format::p_value(p),
                (_, None) => "-".to_owned(),
            };
            let _ = writeln!(
                o,
                "{name:<40} {:>7} {:>9} {:>10.4} {:>4} {p:>10}",
                c.states.len(),
                c.attempts,
                c.statistic,
                c.df
            );
        }
        if r.components.len() > MAX_COMPONENTS {
            let _ = writeln!(
                o,
                "... and {} more components (use --json for all)",
                r.components.len() - MAX_COMPONENTS
            );
        }
        let _ = writeln!(o);
    }
    for line in entropy_sentences(r) {
        let _ = writeln!(o, "{line}");
    }
    for cycle in r.cycles.iter().take(3) {
        let names: Vec<&str> = cycle.states.iter().map(|&i| r.states[i].label.as_str()).collect();
        let _ = writeln!(
            o,
            "  cycle {}: affinity {:.4} +- {:.4}",
            names.join(" -> "),
            cycle.affinity,
            cycle.se
        );
    }
    for note in &r.notes {
        let _ = writeln!(o, "note: {note}");
    }
    o
}

#[cfg(test)]
mod tests {
    use balance_core::simulate::WordTask;
    use balance_core::{Settings, analyze};

    use super::*;

    #[test]
    fn intervals_of_states_entered_once_or_twice_are_marked_and_explained() {
        let sim = WordTask::default().run(1, 500);
        let r = analyze(&sim.dataset, &Settings { posterior: 50, ..Settings::default() }).unwrap();
        let text = render(&sim.dataset, &r);
        let thin = r.states.iter().filter(|s| s.thinly_entered()).count();
        assert!(thin > 0, "a 500-attempt run has words entered once or twice");
        let marked = text.lines().filter(|l| l.contains("95% posterior") && l.ends_with(" †"));
        assert_eq!(marked.count(), thin, "{text}");
        assert!(text.contains(THINLY_ENTERED_NOTE), "{text}");
    }
}
