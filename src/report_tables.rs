//! The report's tables: potentials of the states and the transitions, sortable and paged.

use std::collections::BTreeMap;

use balance_core::report::{Report, StateReport};
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
/// an unbounded state; beside it the true potential when a simulator made the data. Sortable
/// by state, attempts, `V` and `F`.
#[component]
pub fn PotentialsTable(report: Report, truth: Option<BTreeMap<String, f64>>) -> impl IntoView {
    // Sorted by V, lowest first; unbounded states (and those without F) last.
    let sort = RwSignal::new((2usize, true));
    let shown = RwSignal::new(PAGE);
    let total = report.states.len();
    let has_truth = truth.is_some();
    let truth = truth.unwrap_or_default();
    let rows = move || {
        let (column, ascending) = sort.get();
        let states = &report.states;
        let number = |x: Option<f64>| x.unwrap_or(f64::INFINITY);
        let mut order: Vec<usize> = (0..states.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&states[a], &states[b]);
            let by = match column {
                0 => x.label.cmp(&y.label),
                1 => x.attempts.total_cmp(&y.attempts),
                5 => number(x.free_energy).total_cmp(&number(y.free_energy)),
                _ => number(x.potential).total_cmp(&number(y.potential)),
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
    view! {
        <div class="card">
            <h3>"Potentials"</h3>
            <p class="muted">
                "βV is the least-action potential, lowest identifiable state at 0 (the paper \
                 reports βV with β = 1), with its sandwich standard error and its 95% interval \
                 (posterior credible interval, or bootstrap); F = −log π is the \
                 reversible-likelihood estimate of the same landscape. Click a heading to sort."
            </p>
            <DataTable id="potentials-table" columns=columns sort=sort sortable=vec![0, 1, 2, 5]>
                {rows}
            </DataTable>
            {pager("potentials", shown, total)}
        </div>
    }
}

/// One row of the potentials table; `truth` is `Some` when the table has a truth column.
fn state_row(s: &StateReport, truth: Option<Option<f64>>) -> impl IntoView + use<> {
    let potential = match s.potential {
        Some(v) => format::number(v, 4),
        None => "unbounded".to_owned(),
    };
    let detail = match (s.potential, s.potential_bound) {
        (Some(_), _) => {
            s.potential_se.map_or(String::new(), |e| format!("± {}", format::number(e, 4)))
        }
        (None, Some(b)) => format::bound(&b),
        (None, None) => String::new(),
    };
    // The posterior's credible interval, else the bootstrap's.
    let (interval, interval_kind) = match (s.potential_credible, s.potential_interval) {
        (Some([lo, hi]), _) => {
            (format!("{} to {}", format::number(lo, 3), format::number(hi, 3)), "posterior")
        }
        (None, Some([lo, hi])) => {
            (format!("{} to {}", format::number(lo, 3), format::number(hi, 3)), "bootstrap")
        }
        (None, None) => (String::new(), ""),
    };
    view! {
        <tr data-state=s.label.clone()>
            <th scope="row">{s.label.clone()}</th>
            <td class="num">{format::count(s.attempts)}</td>
            <td class="num potential">{potential}</td>
            <td class="num">{detail}</td>
            <td class="num interval" title=interval_kind>{interval}</td>
            <td class="num">{s.free_energy.map_or("–".into(), |f| format::number(f, 4))}</td>
            {truth.map(|t| view! { <td class="num truth">{t.map_or("–".into(), |v| format::number(v, 4))}</td> })}
        </tr>
    }
}

/// Every observed transition with its count, its normalised weight T and the fitted potential
/// difference; sortable, filterable by state name.
#[component]
pub fn TransitionsTable(report: Report) -> impl IntoView {
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
fn delta(r: &Report, k: usize) -> Option<f64> {
    let t = &r.transitions[k];
    let (a, b) = (&r.states[t.source], &r.states[t.target]);
    if a.component.is_some() && a.component == b.component {
        Some(b.potential? - a.potential?)
    } else {
        None
    }
}
