//! The Analyse area: where the data come from (bundled, simulated, imported, a share link), and
//! sharing the current analysis as a link.

use std::collections::BTreeMap;

use balance_core::analyze;
use balance_core::datasets::{Bundled, Dataset};
use balance_core::import::{Format, load, write_counts_csv, write_paper_json};
use balance_core::share;
use balance_core::simulate::Preset as Simulation;
use balance_core::{Preset, Settings};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::analysis_view::AnalysisPanel;
use crate::app::Handoff;
use crate::browser;
use crate::dataset_view::DatasetView;

/// Seed of the simulated datasets offered in the picker.
const SIMULATION_SEED: u64 = 1;

/// A picker entry: its value and label.
fn sources() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> =
        Bundled::ALL.into_iter().map(|b| (b.id().to_owned(), b.load().name)).collect();
    for (sim, label) in [
        (Simulation::Metropolis, "Simulated: Metropolis landscape (true potential known)"),
        (Simulation::DrivenCycle, "Simulated: driven cycle (detailed balance broken)"),
        (Simulation::WordTask, "Simulated: word task (no key needed)"),
        (Simulation::PaperScale, "Simulated: paper scale (about 7,800 states, 50,000 transitions)"),
    ] {
        out.push((format!("sim-{}", sim.id()), label.to_owned()));
    }
    out
}

/// The dataset behind a picker value, with the true potential when a simulator made it.
fn load_source(value: &str) -> Option<(Dataset, Option<BTreeMap<String, f64>>)> {
    if let Some(b) = Bundled::from_id(value) {
        return Some((b.load(), None));
    }
    let id = value.strip_prefix("sim-")?;
    let sim = Simulation::ALL.into_iter().find(|s| s.id() == id)?;
    let run = sim.run(SIMULATION_SEED, None);
    Some((run.dataset, (!run.truth.is_empty()).then_some(run.truth)))
}

/// The Analyse area.
#[component]
pub fn AnalyseArea() -> impl IntoView {
    let dataset = RwSignal::new(Bundled::Claude4Word.load());
    let choice = RwSignal::new(Bundled::Claude4Word.id().to_owned());
    let preset = RwSignal::new(Some(Preset::BalanceLab));
    let custom = RwSignal::new(Settings::default());
    let notice = RwSignal::new(None::<String>);
    let link = RwSignal::new(None::<String>);
    let truth = RwSignal::new(None::<BTreeMap<String, f64>>);

    // A dataset handed over by another area (an experiment) comes first; then a share link in
    // the URL opens its dataset and settings, and a broken one says why.
    let fragment = browser::fragment();
    if let Some((d, t)) = use_context::<Handoff>().and_then(|h| h.take()) {
        dataset.set(d);
        truth.set(t);
        choice.set("experiment".into());
        browser::clear_fragment();
    } else if !fragment.is_empty() && !fragment.starts_with(crate::learn::PREFIX) {
        match share::decode(&fragment) {
            Ok((d, s)) => {
                dataset.set(d);
                custom.set(s);
                truth.set(None);
                preset.set(None);
                choice.set("shared".into());
            }
            Err(e) => notice.set(Some(format!(
                "This share link cannot be opened: {e}. Showing the default dataset instead."
            ))),
        }
    }

    let settings = Memo::new(move |_| match preset.get() {
        Some(p) => dataset.with(|d| p.settings(d)),
        None => custom.get(),
    });

    let import = move |file: Option<web_sys::File>| {
        let Some(file) = file else { return };
        spawn_local(async move {
            let result = browser::read_file(file).await.and_then(|(name, text)| {
                let format = Format::detect(&name, &text);
                load(&name, &text, format)
                    .map_err(|e| format!("Could not import {name} (read as {}): {e}", format.id()))
            });
            match result {
                Ok(d) => {
                    truth.set(None);
                    dataset.set(d);
                    choice.set("imported".into());
                    notice.set(None);
                    link.set(None);
                }
                Err(e) => notice.set(Some(format!("{e}. The current dataset is kept."))),
            }
        });
    };

    let on_share = move |_| match share::encode(&dataset.get_untracked(), &settings.get_untracked())
    {
        Ok(fragment) => {
            link.set(browser::set_fragment(&fragment));
            notice.set(None);
        }
        Err(e) => {
            link.set(None);
            notice.set(Some(format!("No link: {e}.")));
        }
    };

    // Exports: the report, the counts (importable CSV) and the paper's JSON format.
    let export = move |kind: &'static str| {
        let d = dataset.get_untracked();
        let stem: String =
            d.name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        let result = match kind {
            "report" => analyze(&d, &settings.get_untracked())
                .map_err(|e| e.to_string())
                .map(|r| serde_json::to_string_pretty(&r).expect("reports always serialise"))
                .and_then(|json| {
                    browser::download(&format!("{stem}-report.json"), "application/json", &json)
                }),
            "csv" => {
                browser::download(&format!("{stem}.csv"), "text/csv", &write_counts_csv(&d.counts))
            }
            _ => browser::download(
                &format!("{stem}-paper.json"),
                "application/json",
                &write_paper_json(&d.counts, &d.scores),
            ),
        };
        if let Err(e) = result {
            notice.set(Some(format!("Export failed: {e}.")));
        }
    };

    view! {
        <section
            class="area"
            aria-labelledby="analyse-title"
            on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
            on:drop=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                import(browser::dropped_file(&ev));
            }
        >
            <div class="toolbar">
                <h2 id="analyse-title">"Analyse"</h2>
                <label class="picker">
                    "Dataset "
                    <select
                        id="dataset-picker"
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            let loaded = browser::timed("load-dataset", || load_source(&value));
                            if let Some((d, t)) = loaded {
                                truth.set(t);
                                dataset.set(d);
                                choice.set(value);
                                notice.set(None);
                                link.set(None);
                                browser::clear_fragment();
                            }
                        }
                    >
                        {sources()
                            .into_iter()
                            .map(|(value, label)| {
                                let v = value.clone();
                                view! {
                                    <option value=value selected=move || choice.get() == v>
                                        {label}
                                    </option>
                                }
                            })
                            .collect_view()}
                        <option value="imported" disabled=true selected=move || choice.get() == "imported">
                            "Imported file"
                        </option>
                        <option value="shared" disabled=true selected=move || choice.get() == "shared">
                            "From a share link"
                        </option>
                        <option value="experiment" disabled=true selected=move || choice.get() == "experiment">
                            "From an experiment"
                        </option>
                    </select>
                </label>
                <label class="button">
                    "Import a file…"
                    <input
                        id="import-file"
                        type="file"
                        accept=".csv,.json,.txt,.traj"
                        on:change=move |ev| import(browser::picked_file(&ev))
                    />
                </label>
                <button type="button" id="share-button" on:click=on_share>
                    "Share as link"
                </button>
                <span class="exports" role="group" aria-label="Export">
                    "Export: "
                    <button type="button" id="export-report" on:click=move |_| export("report")>
                        "report (JSON)"
                    </button>
                    <button type="button" id="export-csv" on:click=move |_| export("csv")>
                        "counts (CSV)"
                    </button>
                    <button type="button" id="export-paper" on:click=move |_| export("paper")>
                        "paper JSON"
                    </button>
                </span>
            </div>
            <p class="muted hint">
                "Import paper JSON, counts CSV (source,target,count), trajectories or a Balance Lab \
                 experiment file, by the button or by dropping it here."
            </p>
            {move || notice.get().map(|n| view! { <p class="error" role="alert" id="notice">{n}</p> })}
            {move || {
                link.get()
                    .map(|url| {
                        view! {
                            <p class="share">
                                <label>
                                    "Link to this analysis: "
                                    <input id="share-link" readonly=true prop:value=url />
                                </label>
                            </p>
                        }
                    })
            }}
            <AnalysisPanel dataset=dataset preset=preset custom=custom settings=settings truth=truth />
            {move || view! { <DatasetView dataset=dataset.get() /> }}
        </section>
    }
}
