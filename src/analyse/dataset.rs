//! Shows a dataset as it is: summary, states and the counts table.

use balance_core::datasets::Dataset;
use balance_core::model::Counts;
use leptos::prelude::*;

use crate::format;
use crate::table::{DataTable, column};

/// Largest state space shown as a full source-by-target matrix; larger ones get a list.
const MATRIX_MAX_STATES: usize = 30;
/// Rows of the transition list shown for large state spaces.
const LIST_MAX_ROWS: usize = 200;

/// Summary, states and counts of one dataset.
#[component]
pub fn DatasetView(dataset: Dataset) -> impl IntoView {
    let counts = dataset.counts.clone();
    let summary = view! {
        <div class="card dataset-summary">
            <h3 id="dataset-name">{dataset.name.clone()}</h3>
            <p class="muted">{dataset.description.clone()}</p>
            <dl class="stats">
                <div>
                    <dt>"States"</dt>
                    <dd id="stat-states">{counts.len()}</dd>
                </div>
                <div>
                    <dt>"Recorded transitions"</dt>
                    <dd id="stat-transitions">{format::count(counts.total_transitions())}</dd>
                </div>
                <div>
                    <dt>"Unique transitions"</dt>
                    <dd id="stat-unique">{counts.edge_count()}</dd>
                </div>
                <div>
                    <dt>"Attempts in the experiment"</dt>
                    <dd id="stat-attempts">
                        {dataset
                            .total_attempts
                            .map_or_else(|| format::count(counts.total_attempts()), format::count)}
                    </dd>
                </div>
            </dl>
        </div>
    };
    let table = if counts.len() <= MATRIX_MAX_STATES {
        view! { <CountsMatrix counts=counts.clone() /> }.into_any()
    } else {
        view! { <TransitionList counts=counts.clone() /> }.into_any()
    };
    view! {
        {summary}
        <div class="card">
            <h3>"States"</h3>
            <StatesTable counts=counts />
        </div>
        <div class="card">{table}</div>
    }
}

/// One row per state: attempts started there, transitions out, in, self-loops and rejections.
#[component]
fn StatesTable(counts: Counts) -> impl IntoView {
    let mut incoming = vec![0.0; counts.len()];
    for (_, g, c) in counts.edges() {
        incoming[g] += c;
    }
    // Large state spaces list their most attempted states only.
    let mut order: Vec<usize> = (0..counts.len()).collect();
    let hidden = counts.len().saturating_sub(LIST_MAX_ROWS);
    if hidden > 0 {
        order.sort_by(|&a, &b| counts.attempts(b).total_cmp(&counts.attempts(a)));
        order.truncate(LIST_MAX_ROWS);
    }
    let rows = order
        .into_iter()
        .map(|f| {
            view! {
                <tr data-state=counts.states().label(f).to_owned()>
                    <th scope="row">{counts.states().label(f).to_owned()}</th>
                    <td class="num">{format::count(counts.attempts(f))}</td>
                    <td class="num">{format::count(counts.out_transitions(f))}</td>
                    <td class="num">{format::count(incoming[f])}</td>
                    <td class="num">{format::count(counts.self_loops(f))}</td>
                    <td class="num">{format::count(counts.rejected(f))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <DataTable
            id="states-table"
            columns=vec![
                column("State", false),
                column("Recorded attempts n(f)", true),
                column("Out", true),
                column("In", true),
                column("Self-loops", true),
                column("Rejected", true),
            ]
        >
            {rows}
        </DataTable>
        {(hidden > 0)
            .then(|| {
                view! {
                    <p class="muted">
                        {format!(
                            "The {LIST_MAX_ROWS} most attempted of {} states; the potentials table \
                             below lists them all.",
                            counts.len(),
                        )}
                    </p>
                }
            })}
    }
}

/// The full counts matrix, rows are sources and columns targets.
#[component]
fn CountsMatrix(counts: Counts) -> impl IntoView {
    let n = counts.len();
    let label = |i: usize| counts.states().label(i).to_owned();
    let header: Vec<(String, bool)> = std::iter::once(column("from \\ to", false))
        .chain((0..n).map(|g| column(label(g), false)))
        .collect();
    let rows = (0..n)
        .map(|f| {
            let cells = (0..n)
                .map(|g| {
                    let c = counts.count(f, g);
                    view! {
                        <td
                            class="num"
                            class:zero=c == 0.0
                            data-source=label(f)
                            data-target=label(g)
                        >
                            {format::count(c)}
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{label(f)}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>"Counts N(target ← source)"</h3>
        <p class="muted">"Rows are sources, columns targets; the diagonal holds self-loops."</p>
        <DataTable id="counts-table" class="matrix" columns=header>
            {rows}
        </DataTable>
    }
}

/// The most frequent transitions, for state spaces too large for a matrix.
#[component]
fn TransitionList(counts: Counts) -> impl IntoView {
    let mut edges: Vec<_> = counts.edges().collect();
    edges.sort_by(|a, b| b.2.total_cmp(&a.2));
    let total = edges.len();
    let rows = edges
        .into_iter()
        .take(LIST_MAX_ROWS)
        .map(|(f, g, c)| {
            view! {
                <tr>
                    <td>{counts.states().label(f).to_owned()}</td>
                    <td>{counts.states().label(g).to_owned()}</td>
                    <td class="num">{format::count(c)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>"Transitions"</h3>
        <p class="muted">
            {format!("The {} most frequent of {total} unique transitions.", total.min(LIST_MAX_ROWS))}
        </p>
        <DataTable
            id="transitions-table"
            columns=vec![column("Source", false), column("Target", false), column("Count", true)]
        >
            {rows}
        </DataTable>
    }
}
