//! Compare's table: every state against every dataset (its own V ± SE and attempts), the joint
//! potential and how much the state disagrees, sortable.

use std::sync::Arc;

use balance_core::compare::{ComparedState, Comparison};
use leptos::prelude::*;

use crate::format;
use crate::table::{DataTable, column};

/// Sortable columns: state, joint V, disagreement.
const SORTABLE: [usize; 3] = [0, 1, 2];

/// One row per state, shared states first by joint potential.
#[component]
pub fn StatesTable(comparison: Arc<Comparison>) -> impl IntoView {
    let sort = RwSignal::new((1usize, true));
    let mut columns = vec![
        column("State", false),
        column("Joint V ± SE", true),
        column("Disagreement |z|", true),
    ];
    for d in &comparison.datasets {
        columns.push(column(format!("{}: V ± SE (attempts)", d.name), true));
    }
    let rows = move || {
        let (by, ascending) = sort.get();
        let mut states: Vec<&ComparedState> = comparison.states.iter().collect();
        let key = |s: &ComparedState| match by {
            1 => s.joint,
            2 => s.disagreement,
            _ => None,
        };
        states.sort_by(|a, b| {
            let order = if by == 0 {
                a.label.cmp(&b.label)
            } else {
                // States without a value go last whichever way the column is sorted.
                match (key(a), key(b)) {
                    (Some(x), Some(y)) => x.total_cmp(&y),
                    (Some(_), None) => return std::cmp::Ordering::Less,
                    (None, Some(_)) => return std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                }
            };
            if ascending { order } else { order.reverse() }
        });
        states
            .into_iter()
            .map(|s| {
                let joint = match (s.joint, s.joint_se) {
                    (Some(v), Some(se)) => {
                        format!("{} ± {}", format::number(v, 3), format::number(se, 3))
                    }
                    (Some(v), None) => format::number(v, 3),
                    _ => "–".into(),
                };
                let cells = s
                    .estimates
                    .iter()
                    .map(|e| {
                        let text = match e {
                            None => "not met".to_owned(),
                            Some(e) => {
                                let v = match (e.potential, e.se) {
                                    (Some(v), Some(se)) => format!(
                                        "{} ± {}",
                                        format::number(v, 3),
                                        format::number(se, 3)
                                    ),
                                    (Some(v), None) => format::number(v, 3),
                                    (None, _) => "unplaced".into(),
                                };
                                format!("{v} ({})", format::count(e.attempts))
                            }
                        };
                        view! { <td class="num">{text}</td> }
                    })
                    .collect_view();
                view! {
                    <tr data-state=s.label.clone() class:muted=!s.shared>
                        <th scope="row">{s.label.clone()}</th>
                        <td class="num">{joint}</td>
                        <td class="num">{s.disagreement.map_or("–".into(), |z| format::number(z, 2))}</td>
                        {cells}
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="card" id="compare-table-card">
            <h3>"States across the datasets"</h3>
            <p class="muted">
                "Each dataset's own potential (its own gauge) with its standard error and the \
                 attempts made from the state; the joint potential is in the first dataset's \
                 scale. Grey rows are states fewer than two datasets place."
            </p>
            <DataTable id="compare-table" columns=columns sort=sort sortable=SORTABLE.to_vec()>
                {rows}
            </DataTable>
        </div>
    }
}
