//! The analysis of the current dataset: settings, the verdict in plain words, and the potentials.
//! Every number comes from `balance_core::analyze`.

use balance_core::normalization::Normalization;
use balance_core::potential::Kernel;
use std::sync::Arc;

use balance_core::report::Report;
use balance_core::{AnalyzeError, Preset, Progress, Settings, Stage, analyze};
use leptos::prelude::*;

use super::summary::{ComponentRow, Summary};
use super::tables::{PotentialsTable, TransitionsTable};
use super::workspace::Workspace;
use crate::browser;
use crate::format;
use crate::number_field::NumberField;
use crate::plots::{
    DisconnectivityPlot, HistogramPlot, LandscapePlot, LevelDiagram, LoopPlot, OneWayPlot,
    PairwisePlot, SurfacePlot,
};
use crate::runner::{RunEvent, Runner};
use balance_worker::Work;

/// Analyses whose size (states and transitions, times one plus the replicates) passes this run in
/// the background worker; smaller ones on the page, at once.
const WORKER_MIN_WORK: usize = 20_000;
/// Most replicates of each kind (posterior, bootstrap, null) one can ask for.
const MAX_REPLICATES: usize = 2000;

/// The preset names shown in the picker.
pub fn preset_name(p: Preset) -> &'static str {
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
pub fn AnalysisPanel(ws: Workspace) -> impl IntoView {
    let Workspace { dataset, preset, custom, settings, truth, report, .. } = ws;
    let edit = move |change: &dyn Fn(&mut Settings)| {
        let mut s = settings.get_untracked();
        change(&mut s);
        custom.set(s);
        preset.set(None);
    };
    let setting_error = RwSignal::new(None::<String>);
    let progress = RwSignal::new(None::<Progress>);
    let timing = RwSignal::new(None::<String>);
    let cancelled = RwSignal::new(false);
    let rerun = RwSignal::new(0u32);
    let runner = StoredValue::new_local(Runner::new(move |event| match event {
        RunEvent::Progress(p) => progress.set(Some(p)),
        RunEvent::Done(r, ms) => {
            progress.set(None);
            timing
                .set(ms.map(|ms| format!("Analysed in {} ms in a background worker.", ms.round())));
            report.set(Some(Ok(Arc::new(*r))));
        }
        RunEvent::Failed(e) => {
            progress.set(None);
            report.set(Some(Err(e)));
        }
        // Comparisons are the Compare view's: this runner never asks for one.
        RunEvent::Replicates(..) | RunEvent::Compared(_) => {}
    }));
    runner.with_value(Runner::warm_up);
    // The dataset last analysed, to tell a new dataset from a new setting.
    let last = StoredValue::new(None::<(String, usize, usize)>);
    Effect::new(move |_| {
        rerun.track();
        let s = settings.get();
        dataset.with(|d| {
            let id = (d.name.clone(), d.counts.len(), d.counts.edge_count());
            if last.get_value().as_ref() != Some(&id) {
                report.set(None);
                last.set_value(Some(id));
            }
            cancelled.set(false);
            let work = (d.counts.len() + d.counts.edge_count()) * (1 + s.replicates());
            if work > WORKER_MIN_WORK {
                progress.set(Some(Progress {
                    stage: Stage::Potential,
                    done: 0,
                    total: 3 + s.replicates(),
                }));
                let work = Work::Analyze { dataset: Box::new(d.clone()), settings: s.clone() };
                if let Err(e) = runner.with_value(|r| r.start(work)) {
                    progress.set(None);
                    report.set(Some(analyze(d, &s).map(Arc::new).map_err(|AnalyzeError(e)| e)));
                    timing.set(Some(format!("Analysed on the page: {e}.")));
                }
            } else {
                runner.with_value(Runner::cancel);
                progress.set(None);
                let r = browser::timed("analyze", || analyze(d, &s));
                timing.set(None);
                report.set(Some(r.map(Arc::new).map_err(|AnalyzeError(e)| e)));
            }
        })
    });
    let running = Memo::new(move |_| progress.with(Option::is_some));
    let cancel = move |_| {
        runner.with_value(Runner::cancel);
        progress.set(None);
        cancelled.set(true);
    };

    let stale = move || progress.with(Option::is_some);
    let shown = move || report.get().and_then(Result::ok);
    view! {
        <div class="workspace">
        <div class="side">
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
                {number_input("beta-input", "β ", 0.1, settings, edit, setting_error, |s| s.beta, |s, x| {
                    if x > 0.0 {
                        s.beta = x;
                        Ok(())
                    } else {
                        Err("β must be a positive number")
                    }
                })}
                {number_input("threshold-input", "Low-reject threshold ", 1.0, settings, edit, setting_error, |s| s.threshold, |s, x| {
                    s.threshold = x;
                    Ok(())
                })}
                {number_input("loop-threshold-input", "Loop threshold ", 1.0, settings, edit, setting_error, |s| s.loop_threshold, |s, x| {
                    s.loop_threshold = x;
                    Ok(())
                })}
                {number_input("posterior-input", "Posterior draws ", 50.0, settings, edit, setting_error, |s| s.posterior as f64, |s, x| {
                    replicates(x).map(|n| s.posterior = n).ok_or("posterior draws must be a whole number from 0 to 2000")
                })}
                {number_input("null-input", "Replicates under detailed balance ", 50.0, settings, edit, setting_error, |s| s.null_replicates as f64, |s, x| {
                    replicates(x).map(|n| s.null_replicates = n).ok_or("replicates under detailed balance must be a whole number from 0 to 2000")
                })}
                {number_input("bootstrap-input", "Bootstrap replicates ", 50.0, settings, edit, setting_error, |s| s.bootstrap as f64, |s, x| {
                    replicates(x).map(|n| s.bootstrap = n).ok_or("bootstrap replicates must be a whole number from 0 to 2000")
                })}
                {number_input("seed-input", "Seed ", 1.0, settings, edit, setting_error, |s| s.seed as f64, |s, x| {
                    if x >= 0.0 && x.fract() == 0.0 && x < 9.0e15 {
                        s.seed = x as u64;
                        Ok(())
                    } else {
                        Err("the seed must be a whole number from 0")
                    }
                })}
            </div>
            {move || setting_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </div>
        // The card is drawn once per analysis and only its bar and text follow the progress, so
        // a click on Cancel is never lost to a redraw of the button under the pointer.
        {move || {
            running
                .get()
                .then(|| {
                    let at = move || progress.get().unwrap_or(Progress { stage: Stage::Potential, done: 0, total: 1 });
                    view! {
                        <div class="card progress" id="analysis-progress" role="status">
                            <progress max=move || at().total value=move || at().done></progress>
                            <span>{move || { let p = at(); format!("Analysing: {} ({} of {} steps)", p.stage.label(), p.done, p.total) }}</span>
                            <button type="button" id="cancel-analysis" on:click=cancel>
                                "Cancel"
                            </button>
                        </div>
                    }
                })
        }}
        {move || {
            cancelled
                .get()
                .then(|| {
                    view! {
                        <p class="card" id="analysis-cancelled" role="status">
                            "Analysis cancelled. "
                            <button type="button" id="rerun-analysis" on:click=move |_| rerun.update(|n| *n += 1)>
                                "Run it again"
                            </button>
                        </p>
                    }
                })
        }}
        {move || timing.get().map(|t| view! { <p class="muted" id="analysis-timing">{t}</p> })}
        <div class:stale=stale>
            {move || match report.get() {
                Some(Ok(r)) => view! { <Verdict report=r /> }.into_any(),
                Some(Err(e)) => view! {
                    <p class="error" role="alert" id="analysis-error">
                        {format!("This analysis cannot be made: {e}")}
                    </p>
                }
                .into_any(),
                None => ().into_any(),
            }}
        </div>
        </div>
        // The figures beside the settings and verdict on a wide screen, the headline first.
        <div class="figures" class:stale=stale>
            {move || shown().map(|r| {
                let (scores, answers) =
                    dataset.with_untracked(|d| (d.scores.clone(), d.answers.clone()));
                view! {
                    <LevelDiagram report=r.clone() />
                    <DisconnectivityPlot report=r.clone() />
                    <SurfacePlot report=r.clone() />
                    <LandscapePlot report=r.clone() scores=scores answers=answers />
                    <PairwisePlot pairwise=r.pairwise.clone() />
                    <LoopPlot loops=r.loops.clone() />
                    <OneWayPlot pairs=r.one_way.clone() />
                    <HistogramPlot histogram=r.histogram.clone() measured_action=r.action.minimum />
                }
            })}
        </div>
        </div>
        <div class:stale=stale>
            {move || shown().map(|r| view! {
                <PotentialsTable report=r.clone() truth=truth.get_untracked() />
                <TransitionsTable report=r />
            })}
        </div>
    }
}

/// A whole number of replicates from 0 to [`MAX_REPLICATES`].
fn replicates(x: f64) -> Option<usize> {
    (x >= 0.0 && x <= MAX_REPLICATES as f64 && x.fract() == 0.0).then_some(x as usize)
}

/// A number field of the settings: shows `get`, and on a change applies `set` (which may
/// refuse the value with a message shown in `error`, as may the core's check of the settings
/// that result).
#[allow(clippy::too_many_arguments)]
fn number_input(
    id: &'static str,
    label: &'static str,
    step: f64,
    settings: Memo<Settings>,
    edit: impl Fn(&dyn Fn(&mut Settings)) + Copy + Send + Sync + 'static,
    error: RwSignal<Option<String>>,
    get: fn(&Settings) -> f64,
    set: fn(&mut Settings, f64) -> Result<(), &'static str>,
) -> impl IntoView {
    let apply = move |text: String| {
        let mut next = settings.get_untracked();
        match text.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => match set(&mut next, x) {
                // An unchanged value is no edit (Enter and the change that follows it).
                Ok(()) if next == settings.get_untracked() => error.set(None),
                // The core's own check, such as too few replicates to reject at 5%.
                Ok(()) => match next.validate() {
                    Ok(()) => {
                        error.set(None);
                        edit(&|s| *s = next.clone());
                    }
                    Err(m) => error.set(Some(m)),
                },
                Err(m) => error.set(Some(m.to_owned())),
            },
            _ => error.set(Some(format!("{} must be a number", label.trim()))),
        }
    };
    view! {
        <NumberField
            id=id
            label=label
            value=Signal::derive(move || settings.with(|s| get(s).to_string()))
            apply=apply
            step=step
        />
    }
}

/// Each strongly connected component's own test, when there are several.
#[component]
fn ComponentsTable(rows: Vec<ComponentRow>, of: usize) -> impl IntoView {
    let caption = if rows.len() < of {
        format!(
            "Each component tested on its own: the {} whose tests are strongest, of {of} (the \
             JSON report lists every one)",
            rows.len()
        )
    } else {
        "Each component tested on its own".to_owned()
    };
    view! {
        <table class="components" id="components-table">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th>"Component"</th>
                    <th class="num">"States / attempts"</th>
                    <th class="num">"G on df"</th>
                    <th>"p"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr>
                                <th>{r.name}</th>
                                <td class="num">{r.size}</td>
                                <td class="num">{r.g}</td>
                                <td>{r.p}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// The verdict in plain words (the core's), with its numbers.
#[component]
fn Verdict(report: Arc<Report>) -> impl IntoView {
    let Summary {
        headline,
        decision,
        entropy,
        components,
        component_count,
        details,
        identifiable,
        unplaced,
        cycles,
    } = Summary::of(&report);
    view! {
        <div class="card verdict" id="verdict">
            <h3>"Verdict"</h3>
            <p id="verdict-lrt" data-decision=decision>
                {headline}
            </p>
            <div id="verdict-entropy">
                {entropy.into_iter().map(|e| view! { <p>{e}</p> }).collect_view()}
            </div>
            {(!components.is_empty())
                .then(|| view! { <ComponentsTable rows=components of=component_count/> })}
            {(!details.is_empty())
                .then(|| {
                    view! {
                        <ul class="details" id="verdict-details">
                            {details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}
                        </ul>
                    }
                })}
            <p id="verdict-identifiable">{identifiable}</p>
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
