//! The Analyse area: where the data come from (bundled, simulated, imported, handed over, a
//! share link), the analysis of them, and sharing it as a link. The state and its operations
//! live in [`Workspace`]; the components here only draw them.

mod dataset;
mod html_report;
mod panel;
mod summary;
mod tables;
mod workspace;

pub use tables::PotentialsTable;

use leptos::prelude::*;

use crate::app::Handoff;
use crate::browser;
use crate::share_link::ShareLink;
use dataset::DatasetView;
use panel::AnalysisPanel;
use workspace::{Export, Origin, Workspace, offered};

/// The Analyse area.
#[component]
pub fn AnalyseArea() -> impl IntoView {
    let ws = Workspace::new();
    provide_context(ws);
    // Data handed over by another area (an experiment, a lesson) come first; then a share link
    // in the URL opens its dataset and settings, and a broken one says why.
    let fragment = browser::fragment();
    let handoff = use_context::<Handoff>();
    if let Some(handed) = handoff.and_then(|h| h.take()) {
        ws.preset.set(Some(handed.preset));
        ws.hand_over(handed.data, handed.from);
    } else if !fragment.is_empty() && !fragment.starts_with(crate::learn::PREFIX) {
        ws.open_link(&fragment);
    }

    view! {
        <section
            class="area"
            aria-labelledby="analyse-title"
            on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
            on:drop=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                ws.import_file(browser::dropped_file(&ev));
            }
        >
            <p class="lead" id="intro">
                "Balance Lab measures how an LLM-driven agent moves between states: it estimates \
                 the potential each state sits at and tests whether the moves obey detailed \
                 balance, the sign that the agent descends one landscape. Shown first: the \
                 paper's own measurement of Claude 4, which settles in ATTITUDE."
            </p>
            <div class="toolbar">
                <h2 id="analyse-title">"Analyse"</h2>
                <DatasetPicker ws=ws />
                <label class="button" aria-busy=move || ws.reading.get().to_string()>
                    {move || if ws.reading.get() { "Reading the file…" } else { "Import a file…" }}
                    <input
                        id="import-file"
                        type="file"
                        accept=".csv,.json,.txt,.traj"
                        on:change=move |ev| ws.import_file(browser::picked_file(&ev))
                    />
                </label>
                <button type="button" id="share-button" on:click=move |_| ws.share()>
                    "Share as link"
                </button>
                <button
                    type="button"
                    id="compare-button"
                    title="Compare these data with other datasets: one landscape or several?"
                    on:click=move |_| {
                        if let Some(h) = handoff {
                            h.compare(vec![ws.current()]);
                        }
                    }
                >
                    "Compare with…"
                </button>
                <span class="exports" role="group" aria-label="Export">
                    "Export: "
                    <button type="button" id="export-html" on:click=move |_| ws.export(Export::Html)>
                        "report (HTML, one file)"
                    </button>
                    <button type="button" id="export-report" on:click=move |_| ws.export(Export::Report)>
                        "report (JSON)"
                    </button>
                    <button type="button" id="export-csv" on:click=move |_| ws.export(Export::Counts)>
                        "counts (CSV)"
                    </button>
                    <button type="button" id="export-paper" on:click=move |_| ws.export(Export::Paper)>
                        "paper JSON"
                    </button>
                </span>
            </div>
            <p class="muted hint">
                "Import paper JSON, counts CSV (source,target,count), trajectories or a Balance Lab \
                 experiment file, by the button or by dropping it here."
            </p>
            {move || ws.notice.get().map(|n| view! { <p class="error" role="alert" id="notice">{n}</p> })}
            {move || ws.link.get().map(|url| view! { <ShareLink url=url /> })}
            <AnalysisPanel ws=ws />
            {move || view! { <DatasetView dataset=ws.dataset.get() /> }}
        </section>
    }
}

/// The dataset picker: the bundled and simulated datasets, and, when shown, the one that came
/// from elsewhere, by its name.
#[component]
fn DatasetPicker(ws: Workspace) -> impl IntoView {
    let value = Memo::new(move |_| ws.origin.with(Origin::value));
    // The entry of data that are not on offer: an import, a link's counts, a hand-over.
    let elsewhere = move || {
        let origin = ws.origin.get();
        let name = ws.dataset.with(|d| d.name.clone());
        let label = match &origin {
            _ if origin.is_offered() => return None,
            Origin::Named(_) | Origin::Shared => format!("From a share link: {name}"),
            Origin::Imported => format!("Imported: {name}"),
            Origin::HandedOver(from) => from.clone(),
        };
        Some(view! { <option value=origin.value() disabled=true selected=true>{label}</option> })
    };
    view! {
        <label class="picker">
            "Dataset "
            <select id="dataset-picker" on:change=move |ev| ws.choose(&event_target_value(&ev))>
                <For each=offered key=|(v, _)| v.clone() let((v, label))>
                    <option value=v.clone() selected=move || value.get() == v>
                        {label}
                    </option>
                </For>
                {elsewhere}
            </select>
        </label>
    }
}
