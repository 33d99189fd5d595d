//! The analysis of the current dataset: settings, the verdict in plain words, and the potentials.
//! Every number comes from `balance_core::analyze`.

use balance_core::datasets::Dataset;
use balance_core::normalization::Normalization;
use balance_core::potential::{BoundKind, Kernel};
use balance_core::report::{AnalyzeError, Preset, Report, Settings, StateReport, analyze};
use leptos::prelude::*;

use crate::format;
use crate::plots::PairwisePlot;
use crate::table::{DataTable, column};

/// The preset names shown in the picker.
fn preset_name(p: Preset) -> &'static str {
    match p {
        Preset::PaperText => "Paper (text)",
        Preset::PaperCode => "Paper (code)",
        Preset::BalanceLab => "Balance Lab",
    }
}

fn preset_id(p: Preset) -> &'static str {
    match p {
        Preset::PaperText => "paper-text",
        Preset::PaperCode => "paper-code",
        Preset::BalanceLab => "balance-lab",
    }
}

/// Settings, verdict and potentials of `dataset`. A preset sets everything together; changing
/// one field makes the settings custom (`preset` becomes `None` and `custom` holds them).
#[component]
pub fn AnalysisPanel(
    dataset: RwSignal<Dataset>,
    preset: RwSignal<Option<Preset>>,
    custom: RwSignal<Settings>,
    settings: Memo<Settings>,
) -> impl IntoView {
    let edit = move |change: &dyn Fn(&mut Settings)| {
        let mut s = settings.get_untracked();
        change(&mut s);
        custom.set(s);
        preset.set(None);
    };
    let beta_error = RwSignal::new(None::<String>);
    let report = Memo::new(move |_| dataset.with(|d| analyze(d, &settings.get())));

    view! {
        <div class="card settings" id="settings">
            <h3>"Settings"</h3>
            <div class="settings-row">
                <label>
                    "Preset "
                    <select
                        id="preset-picker"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(p) = Preset::ALL.into_iter().find(|p| preset_id(*p) == v) {
                                preset.set(Some(p));
                            }
                        }
                    >
                        {Preset::ALL
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <option value=preset_id(p) selected=move || preset.get() == Some(p)>
                                        {preset_name(p)}
                                    </option>
                                }
                            })
                            .collect_view()}
                        <option value="custom" disabled=true selected=move || preset.get().is_none()>
                            "Custom"
                        </option>
                    </select>
                </label>
                <label>
                    "Normalisation "
                    <select
                        id="normalization-picker"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(n) = Normalization::ALL.into_iter().find(|n| n.id() == v) {
                                edit(&|s| s.normalization = n);
                            }
                        }
                    >
                        {Normalization::ALL
                            .into_iter()
                            .map(|n| {
                                view! {
                                    <option
                                        value=n.id()
                                        selected=move || settings.with(|s| s.normalization == n)
                                    >
                                        {n.id()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "Kernel "
                    <select
                        id="kernel-picker"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(k) = Kernel::ALL.into_iter().find(|k| k.id() == v) {
                                edit(&|s| s.kernel = k);
                            }
                        }
                    >
                        {Kernel::ALL
                            .into_iter()
                            .map(|k| {
                                view! {
                                    <option value=k.id() selected=move || settings.with(|s| s.kernel == k)>
                                        {k.id()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "β "
                    <input
                        id="beta-input"
                        type="number"
                        min="0.01"
                        step="0.1"
                        prop:value=move || settings.with(|s| s.beta.to_string())
                        on:change=move |ev| {
                            match event_target_value(&ev).parse::<f64>() {
                                Ok(b) if b.is_finite() && b > 0.0 => {
                                    beta_error.set(None);
                                    edit(&|s| s.beta = b);
                                }
                                _ => beta_error.set(Some("β must be a positive number".into())),
                            }
                        }
                    />
                </label>
            </div>
            {move || beta_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </div>
        {move || match report.get() {
            Ok(r) => {
                view! {
                    <Verdict report=r.clone() />
                    <PotentialsTable report=r.clone() />
                    <PairwisePlot pairwise=r.pairwise />
                }
                    .into_any()
            }
            Err(AnalyzeError(e)) => {
                view! {
                    <p class="error" role="alert" id="analysis-error">
                        {format!("This analysis cannot be made: {e}")}
                    </p>
                }
                    .into_any()
            }
        }}
    }
}

/// The verdict in plain words, with its numbers.
#[component]
fn Verdict(report: Report) -> impl IntoView {
    let lrt = &report.lrt;
    let test = match lrt.p_value {
        Some(p) if p < 0.05 => format!(
            "Detailed balance is rejected: G = {}, df = {}, p = {}.",
            format::number(lrt.statistic, 2),
            lrt.df,
            format::p_value(p)
        ),
        Some(p) => format!(
            "No evidence against detailed balance: G = {}, df = {}, p = {}.",
            format::number(lrt.statistic, 2),
            lrt.df,
            format::p_value(p)
        ),
        None => "The two-way transitions form no cycle, so the likelihood-ratio test has nothing \
                 to judge (df = 0)."
            .to_owned(),
    };
    let ep = &report.entropy_production;
    let entropy = format!(
        "Entropy production {} nats per step over {} two-way pairs{}.",
        format::number(ep.value, 4),
        ep.pairs,
        ep.interval.map_or(String::new(), |[lo, hi]| format!(
            " (95% interval {} to {})",
            format::number(lo, 4),
            format::number(hi, 4)
        ))
    );
    let n = report.states.len();
    let identifiable = report.states.iter().filter(|s| s.identifiable).count();
    let unplaced: Vec<String> = report
        .states
        .iter()
        .filter(|s| !s.identifiable)
        .map(|s| format!("{}: {}", s.label, s.reason.clone().unwrap_or_default()))
        .collect();
    let cycles: Vec<String> = report
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
    view! {
        <div class="card verdict" id="verdict">
            <h3>"Verdict"</h3>
            <p id="verdict-lrt">{test}</p>
            <p id="verdict-entropy">{entropy}</p>
            <p id="verdict-identifiable">
                {format!("{identifiable} of {n} states are identifiable.")}
            </p>
            {(!unplaced.is_empty())
                .then(|| {
                    view! {
                        <ul class="reasons">
                            {unplaced.into_iter().map(|u| view! { <li>{u}</li> }).collect_view()}
                        </ul>
                    }
                })}
            {(!cycles.is_empty())
                .then(|| {
                    view! {
                        <p>"Most significant cycles:"</p>
                        <ul class="cycles">
                            {cycles.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                        </ul>
                    }
                })}
            <dl class="stats">
                <div>
                    <dt>"Minimum action S"</dt>
                    <dd id="stat-action">{format::number(report.action.minimum, 5)}</dd>
                </div>
                <div>
                    <dt>"Pairwise test N, r"</dt>
                    <dd id="stat-pairwise">
                        {format!(
                            "{}, {}",
                            report.pairwise.n,
                            report.pairwise.pearson_r.map_or("–".into(), |r| format::number(r, 3)),
                        )}
                    </dd>
                </div>
                <div>
                    <dt>"Loop test triangles"</dt>
                    <dd id="stat-loops">{report.loops.n}</dd>
                </div>
            </dl>
        </div>
    }
}

/// The potential of every state: `V` with its standard error, the free energy, or the
/// bound of an unbounded state. Sortable by state, attempts, `V` and `F`.
#[component]
fn PotentialsTable(report: Report) -> impl IntoView {
    // Sorted by V, lowest first; unbounded states (and those without F) last.
    let sort = RwSignal::new((2usize, true));
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
                4 => number(x.free_energy).total_cmp(&number(y.free_energy)),
                _ => number(x.potential).total_cmp(&number(y.potential)),
            };
            if ascending { by } else { by.reverse() }
        });
        order.into_iter().map(|i| state_row(&states[i])).collect_view()
    };
    view! {
        <div class="card">
            <h3>"Potentials"</h3>
            <p class="muted">
                "V is the least-action potential, lowest identifiable state at 0 (the paper \
                 reports βV with β = 1); F = −log π is the reversible-likelihood estimate of the \
                 same landscape. Click a heading to sort."
            </p>
            <DataTable
                id="potentials-table"
                columns=vec![
                    column("State", false),
                    column("Attempts", true),
                    column("V", true),
                    column("± SE or bound", true),
                    column("F", true),
                ]
                sort=sort
                sortable=vec![0, 1, 2, 4]
            >
                {rows}
            </DataTable>
        </div>
    }
}

/// One row of the potentials table.
fn state_row(s: &StateReport) -> impl IntoView + use<> {
    let potential = match s.potential {
        Some(v) => format::number(v, 4),
        None => "unbounded".to_owned(),
    };
    let detail = match (s.potential, s.potential_bound) {
        (Some(_), _) => {
            s.potential_se.map_or(String::new(), |e| format!("± {}", format::number(e, 4)))
        }
        (None, Some(b)) => format!(
            "V {} {}",
            if b.kind == BoundKind::Lower { "≥" } else { "≤" },
            format::number(b.value, 2)
        ),
        (None, None) => String::new(),
    };
    view! {
        <tr data-state=s.label.clone()>
            <th scope="row">{s.label.clone()}</th>
            <td class="num">{format::count(s.attempts)}</td>
            <td class="num potential">{potential}</td>
            <td class="num">{detail}</td>
            <td class="num">{s.free_energy.map_or("–".into(), |f| format::number(f, 4))}</td>
        </tr>
    }
}
