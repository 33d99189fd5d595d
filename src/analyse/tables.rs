//! The report's tables: potentials of the states and the transitions, sortable and paged.

use std::collections::BTreeMap;
use std::sync::Arc;

use balance_core::report::{Report, StateReport, THINLY_ENTERED_NOTE};
use leptos::prelude::*;

use crate::format;
use crate::table::{DataTable, column};

/// Rows shown at first, and added by each "show more".
const PAGE: usize = 100;

/// The "showing n of m" line and its "show more" button.
fn pager(id: &'static str, shown: RwSignal<usize>, total: usize) -> impl IntoView {
    move || {
        let n = shown.get().min(total);
        (total > PAGE).then(|| {
            view! {
                <p class="pager muted">
                    {format!("Showing {n} of {total} rows. ")}
                    {(n < total)
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="small"
                                    id=format!("{id}-more")
                                    on:click=move |_| shown.update(|s| *s += PAGE)
                                >
                                    {format!("Show {} more", PAGE.min(total - n))}
                                </button>
                            }
                        })}
                </p>
            }
        })
    }
}

/// The potential of every state: `V` with its standard error, the free energy, or the bound of
/// an unbounded state; beside it the true potential when a simulator made the data, and the
/// component the state belongs to (potentials compare only within one). Sortable by state,
/// attempts, `V`, `F` and component; at first by component, largest first, and `V` within it,
/// so the informative rows come first and the reference state of each small component does not
/// crowd the top.
#[component]
pub fn PotentialsTable(report: Arc<Report>, truth: Option<BTreeMap<String, f64>>) -> impl IntoView {
    let has_truth = truth.is_some();
    let component_column = if has_truth { 7 } else { 6 };
    let sort = RwSignal::new((component_column, true));
    let shown = RwSignal::new(PAGE);
    let total = report.states.len();
    let truth = truth.unwrap_or_default();
    let rows = move || {
        let (column, ascending) = sort.get();
        let states = &report.states;
        let number = |x: Option<f64>| x.unwrap_or(f64::INFINITY);
        let mut order: Vec<usize> = (0..states.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&states[a], &states[b]);
            let by_v = number(x.potential).total_cmp(&number(y.potential));
            let by = match column {
                0 => x.label.cmp(&y.label),
                1 => x.attempts.total_cmp(&y.attempts),
                5 => number(x.free_energy).total_cmp(&number(y.free_energy)),
                c if c == component_column => component_then_v(x, y),
                _ => by_v,
            };
            if ascending { by } else { by.reverse() }
        });
        order
            .into_iter()
            .take(shown.get())
            .map(|i| state_row(&states[i], has_truth.then(|| truth.get(&states[i].label).copied())))
            .collect_view()
    };
    let mut columns = vec![
        column("State", false),
        column("Attempts", true),
        column("βV", true),
        column("± SE or bound", true),
        column("95% interval", true),
        column("F", true),
    ];
    if has_truth {
        columns.push(column("True βV", true));
    }
    columns.push(column("Component", true));
    view! {
        <div class="card">
            <h3>"Potentials"</h3>
            <p class="muted">
                "βV is the least-action potential (the paper reports βV with β = 1), with its \
                 sandwich standard error and its 95% interval (from the exact posterior, \
                 pivoted about the estimate; else the bootstrap's); F = −log π is the \
                 reversible-likelihood estimate of the same landscape. Potentials compare only \
                 within a component (1 is the largest). Each component's reference state, the \
                 one entered most often, is marked: every error and interval is of the \
                 difference from it, and the Balance Lab preset puts it at 0 (the paper's \
                 presets put the lowest state, or the mean, at 0). " {THINLY_ENTERED_NOTE} " \
                 Click a heading to sort."
            </p>
            <DataTable
                id="potentials-table"
                columns=columns
                sort=sort
                sortable=vec![0, 1, 2, 5, component_column]
            >
                {rows}
            </DataTable>
            {pager("potentials", shown, total)}
        </div>
    }
}

/// The text of one state's row of the potentials table, for the page and the HTML report.
#[derive(Debug, Clone, PartialEq)]
pub struct PotentialCells {
    /// `βV`, or "unbounded".
    pub potential: String,
    /// "± SE", the bound of an unbounded state, or "reference" for a component's reference
    /// state.
    pub detail: String,
    /// The 95% interval, "lo to hi", or empty.
    pub interval: String,
    /// Where the interval comes from: "posterior", "bootstrap" or empty.
    pub interval_kind: &'static str,
    /// Whether the state was entered only once or twice ([`StateReport::thinly_entered`]): its
    /// interval, widened to hold that count's exact interval, is marked "†".
    pub thin: bool,
    /// `F`, or "–".
    pub free_energy: String,
    /// The component, counted from 1 (the largest), or "–".
    pub component: String,
}

impl PotentialCells {
    /// The cells of state `s`.
    pub fn of(s: &StateReport) -> PotentialCells {
        let potential = match s.potential {
            Some(v) => format::number(v, 4),
            None => "unbounded".to_owned(),
        };
        let detail = match (s.potential, s.potential_bound) {
            // The reference of its component: every error is relative to it, so it has none.
            (Some(_), _) if s.reference => "reference".into(),
            (Some(_), _) => {
                s.potential_se.map_or(String::new(), |e| format!("± {}", format::number(e, 4)))
            }
            (None, Some(b)) => format::bound(&b),
            (None, None) => String::new(),
        };
        // The posterior's interval (pivoted about the estimate), else the bootstrap's.
        let range =
            |[lo, hi]: [f64; 2]| format!("{} to {}", format::number(lo, 3), format::number(hi, 3));
        let (mut interval, interval_kind) = match (s.potential_credible, s.potential_interval) {
            (Some(i), _) => (range(i), "posterior"),
            (None, Some(i)) => (range(i), "bootstrap"),
            (None, None) => (String::new(), ""),
        };
        let thin = s.thinly_entered();
        if thin && !interval.is_empty() {
            interval.push_str(" †");
        }
        PotentialCells {
            potential,
            detail,
            interval,
            interval_kind,
            thin,
            free_energy: s.free_energy.map_or("–".into(), |f| format::number(f, 4)),
            component: s.component.map_or("–".into(), |c| (c + 1).to_string()),
        }
    }
}

/// The states in the table's first order: by component, largest first, and by `V` within
/// one; states of no component last.
pub fn by_component(report: &Report) -> Vec<usize> {
    let states = &report.states;
    let mut order: Vec<usize> = (0..states.len()).collect();
    order.sort_by(|&a, &b| component_then_v(&states[a], &states[b]));
    order
}

/// The order of [`by_component`].
fn component_then_v(x: &StateReport, y: &StateReport) -> std::cmp::Ordering {
    let set = |s: &StateReport| s.component.unwrap_or(usize::MAX);
    let v = |s: &StateReport| s.potential.unwrap_or(f64::INFINITY);
    set(x).cmp(&set(y)).then(v(x).total_cmp(&v(y)))
}

/// The tooltip of an interval cell: where it comes from, and why it is marked if it is.
fn interval_title(c: &PotentialCells, entries: f64) -> String {
    if !c.thin {
        return c.interval_kind.to_owned();
    }
    let times = match entries {
        1.0 => "once".to_owned(),
        2.0 => "twice".to_owned(),
        n => format!("{} times", format::count(n)),
    };
    format!(
        "{}; entered only {times}: widened to hold that count's exact interval",
        c.interval_kind
    )
}

/// One row of the potentials table; `truth` is `Some` when the table has a truth column.
fn state_row(s: &StateReport, truth: Option<Option<f64>>) -> impl IntoView + use<> {
    let c = PotentialCells::of(s);
    let title = interval_title(&c, s.entries);
    view! {
        <tr data-state=s.label.clone()>
            <th scope="row">{s.label.clone()}</th>
            <td class="num">{format::count(s.attempts)}</td>
            <td class="num potential">{c.potential}</td>
            <td class="num">{c.detail}</td>
            <td class="num interval" class:thin=c.thin title=title>{c.interval}</td>
            <td class="num">{c.free_energy}</td>
            {truth.map(|t| view! { <td class="num truth">{t.map_or("–".into(), |v| format::number(v, 4))}</td> })}
            <td class="num component">{c.component}</td>
        </tr>
    }
}

/// Every observed transition with its count, its normalised weight T and the fitted potential
/// difference; sortable, filterable by state name.
#[component]
pub fn TransitionsTable(report: Arc<Report>) -> impl IntoView {
    // Sorted by count, largest first.
    let sort = RwSignal::new((2usize, false));
    let shown = RwSignal::new(PAGE);
    let filter = RwSignal::new(String::new());
    let report = StoredValue::new(report);
    let matching = Memo::new(move |_| {
        let needle = filter.get().to_uppercase();
        let (column, ascending) = sort.get();
        report.with_value(|r| {
            let label = |i: usize| r.states[i].label.as_str();
            let mut rows: Vec<usize> = (0..r.transitions.len())
                .filter(|&k| {
                    let t = &r.transitions[k];
                    needle.is_empty()
                        || label(t.source).to_uppercase().contains(&needle)
                        || label(t.target).to_uppercase().contains(&needle)
                })
                .collect();
            let key = |k: usize| delta(r, k).unwrap_or(f64::INFINITY);
            rows.sort_by(|&a, &b| {
                let (x, y) = (&r.transitions[a], &r.transitions[b]);
                let by = match column {
                    0 => label(x.source).cmp(label(y.source)),
                    1 => label(x.target).cmp(label(y.target)),
                    3 => x.weight.total_cmp(&y.weight),
                    4 => key(a).total_cmp(&key(b)),
                    _ => x.count.total_cmp(&y.count),
                };
                if ascending { by } else { by.reverse() }
            });
            rows
        })
    });
    let total = Memo::new(move |_| matching.with(Vec::len));
    let rows = move || {
        let n = shown.get();
        report.with_value(|r| {
            matching
                .get()
                .into_iter()
                .take(n)
                .map(|k| {
                    let t = &r.transitions[k];
                    view! {
                        <tr>
                            <td>{r.states[t.source].label.clone()}</td>
                            <td>{r.states[t.target].label.clone()}</td>
                            <td class="num">{format::count(t.count)}</td>
                            <td class="num">{format::number(t.weight, 4)}</td>
                            <td class="num">{delta(r, k).map_or("–".into(), |d| format::number(d, 3))}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="card">
            <h3>"Transitions"</h3>
            <p class="muted">
                "Each observed transition: its count N, its weight T = min(1, N / N0(source)) \
                 after normalisation, and ΔβV = βV(to) − βV(from) where both are placed."
            </p>
            <label>
                "Filter by state "
                <input
                    id="transitions-filter"
                    type="search"
                    prop:value=move || filter.get()
                    on:input=move |ev| {
                        filter.set(event_target_value(&ev));
                        shown.set(PAGE);
                    }
                />
            </label>
            <DataTable
                id="transitions-table"
                columns=vec![
                    column("From", false),
                    column("To", false),
                    column("Count", true),
                    column("T", true),
                    column("ΔβV", true),
                ]
                sort=sort
                sortable=vec![0, 1, 2, 3, 4]
            >
                {rows}
            </DataTable>
            {move || pager("transitions", shown, total.get())}
        </div>
    }
}

/// The fitted `V(to) − V(from)` of transition `k`, when both states sit in one component.
pub fn delta(r: &Report, k: usize) -> Option<f64> {
    let t = &r.transitions[k];
    let (a, b) = (&r.states[t.source], &r.states[t.target]);
    if a.component.is_some() && a.component == b.component {
        Some(b.potential? - a.potential?)
    } else {
        None
    }
}
