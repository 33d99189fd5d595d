//! The Compare view, a mode of Analyse at `/compare`: do several datasets (models,
//! temperatures, prompts) move on one landscape? The state and its operations live in
//! [`Comparer`]; the comparison itself runs in the worker; the components only draw.

mod choices;
mod state;
mod states_table;

use std::sync::Arc;

use balance_core::Preset;
use balance_core::compare::{CompareSettings, Comparison};
use balance_core::share;
use balance_worker::Work;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::Handoff;
use crate::browser;
use crate::format;
use crate::number_field::NumberField;
use crate::plots::{ScalePlot, SideBySide};
use crate::runner::{RunEvent, Runner};
use crate::share_link::ShareLink;
pub use state::Comparer;
use states_table::StatesTable;

/// The presets offered, with their names.
const PRESETS: [(Preset, &str, &str); 3] = [
    (Preset::BalanceLab, "balance-lab", "Balance Lab"),
    (Preset::PaperText, "paper-text", "Paper (text)"),
    (Preset::PaperCode, "paper-code", "Paper (code)"),
];
/// Most bootstrap replicates a person can ask for here.
const MAX_BOOTSTRAP: usize = 2000;

/// The Compare view.
#[component]
pub fn CompareArea() -> impl IntoView {
    let cmp = Comparer::new();
    provide_context(cmp);
    // Datasets handed over (from Analyse or a lesson) come first, then a comparison link.
    let fragment = browser::fragment();
    let handed = use_context::<Handoff>().map(|h| h.take_comparison()).unwrap_or_default();
    if !handed.is_empty() {
        for (source, dataset) in handed {
            cmp.add(source, dataset);
        }
    } else if share::is_comparison(&fragment) {
        cmp.open_link(&fragment);
    }
    run_on_change(cmp);
    view! {
        <section class="area" aria-labelledby="compare-title" id="compare">
            <p class="lead">
                "Compare asks whether several datasets (two models, one model at two \
                 temperatures, two prompts) move on one landscape: the same potential up to a \
                 scale β per dataset. It fits each dataset alone and all of them jointly, and \
                 tests the joint fit against the separate ones."
            </p>
            <div class="toolbar">
                <h2 id="compare-title">"Compare"</h2>
                <A href="/" attr:id="compare-back">"One dataset"</A>
                <Adder cmp=cmp />
                <button type="button" id="compare-share" on:click=move |_| cmp.share()>
                    "Share as link"
                </button>
            </div>
            {move || cmp.notice.get().map(|n| view! { <p class="error" role="alert" id="compare-notice">{n}</p> })}
            {move || cmp.link.get().map(|url| view! { <ShareLink url=url /> })}
            <Arms cmp=cmp />
            <SettingsBar cmp=cmp />
            <Outcome cmp=cmp />
        </section>
    }
}

/// Runs the comparison in the worker whenever the datasets or the settings change (the joint
/// fit is left out of the page's WebAssembly to keep the download small).
fn run_on_change(cmp: Comparer) {
    let runner = StoredValue::new_local(Runner::new(move |event| match event {
        RunEvent::Replicates(done, total) => cmp.progress.set(Some((done, total))),
        RunEvent::Compared(c) => {
            cmp.progress.set(None);
            cmp.result.set(Some(Ok(Arc::new(*c))));
        }
        RunEvent::Failed(e) => {
            cmp.progress.set(None);
            cmp.result.set(Some(Err(e)));
        }
        // Single analyses are Analyse's: this runner never asks for one.
        RunEvent::Progress(_) | RunEvent::Done(..) => {}
    }));
    Effect::new(move |_| {
        let settings = cmp.settings.get();
        let datasets = cmp.datasets();
        cmp.result.set(None);
        if datasets.len() < 2 {
            runner.with_value(Runner::cancel);
            cmp.progress.set(None);
            return;
        }
        cmp.progress.set(Some((0, settings.bootstrap)));
        let work = Work::Compare { datasets: datasets.clone(), settings };
        if let Err(e) = runner.with_value(|r| r.start(work)) {
            cmp.progress.set(None);
            cmp.result.set(Some(Err(format!(
                "Compare runs in the analysis worker, and {e}: reload the page, or try a \
                 browser that allows Web Workers"
            ))));
        }
    });
}

/// The picker that adds a dataset: bundled, simulated, or an experiment saved here.
#[component]
fn Adder(cmp: Comparer) -> impl IntoView {
    let saved = LocalResource::new(choices::experiments);
    let add = Action::new_local(move |value: &String| {
        let value = value.clone();
        async move {
            if let Some((source, dataset)) = choices::made(&value) {
                cmp.add(source, dataset);
            } else if value.starts_with("exp-") {
                match choices::experiment(&value).await {
                    Ok(d) => cmp.add(share::Source::Counts, d),
                    Err(e) => cmp.notice.set(Some(format!("Could not add the experiment: {e}."))),
                }
            }
        }
    });
    view! {
        <label class="picker">
            "Add "
            <select
                id="compare-add"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    if !value.is_empty() {
                        add.dispatch(value);
                    }
                    browser::reset_select(&ev);
                }
            >
                <option value="" selected=true>"a dataset…"</option>
                <For each=choices::offered key=|(v, _)| v.clone() let((v, label))>
                    <option value=v>{label}</option>
                </For>
                {move || {
                    saved
                        .get()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(v, label)| view! { <option value=v>{label}</option> })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// The datasets compared, each with a button that removes it.
#[component]
fn Arms(cmp: Comparer) -> impl IntoView {
    view! {
        <div class="card" id="compare-arms-card">
            <h3>"Datasets"</h3>
            {move || {
                cmp.arms.with(Vec::is_empty).then(|| view! {
                    <p class="muted" id="compare-empty">
                        "Add two or more datasets: the first sets the scale (β = 1)."
                    </p>
                })
            }}
            <ol id="compare-arms">
                <For each=move || cmp.arms.get() key=|a| a.key let(arm)>
                    <li data-name=arm.dataset.name.clone()>
                        <span class="arm-name">{arm.dataset.name.clone()}</span>
                        <span class="muted">
                            {format!(" — {} states", arm.dataset.counts.len())}
                        </span>
                        " "
                        <button
                            type="button"
                            class="small remove-arm"
                            aria-label=format!("Remove {}", arm.dataset.name)
                            on:click=move |_| cmp.remove(arm.key)
                        >
                            "Remove"
                        </button>
                    </li>
                </For>
            </ol>
        </div>
    }
}

/// The preset every dataset is fitted with, the bootstrap replicates and their seed.
#[component]
fn SettingsBar(cmp: Comparer) -> impl IntoView {
    let set = move |f: &dyn Fn(&mut CompareSettings)| {
        let mut s = cmp.settings.get_untracked();
        f(&mut s);
        cmp.set_settings(s);
    };
    let bootstrap = Callback::new(move |text: String| match text.trim().parse::<usize>() {
        Ok(n) if n <= MAX_BOOTSTRAP => {
            let next = CompareSettings { bootstrap: n, ..cmp.settings.get_untracked() };
            match next.validate() {
                Ok(()) => set(&|s| s.bootstrap = n),
                Err(why) => cmp.notice.set(Some(format!(
                    "{}; kept {}.",
                    crate::format::capitalised(&why),
                    cmp.settings.get_untracked().bootstrap
                ))),
            }
        }
        _ => cmp.notice.set(Some(format!(
            "Bootstrap replicates must be a whole number from 0 to {MAX_BOOTSTRAP}; kept {}.",
            cmp.settings.get_untracked().bootstrap
        ))),
    });
    let seed = Callback::new(move |text: String| match text.trim().parse::<u64>() {
        Ok(n) => set(&|s| s.seed = n),
        Err(_) => cmp.notice.set(Some(format!(
            "The seed must be a whole number of 0 or more; kept {}.",
            cmp.settings.get_untracked().seed
        ))),
    });
    view! {
        <div class="card settings-row" id="compare-settings">
            <label>
                "Settings "
                <select
                    id="compare-preset"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if let Some((p, _, _)) = PRESETS.iter().find(|p| p.1 == value) {
                            set(&|s| s.preset = *p);
                        }
                    }
                >
                    {PRESETS
                        .into_iter()
                        .map(|(p, id, name)| {
                            view! {
                                <option value=id selected=move || cmp.settings.get().preset == p>
                                    {name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <NumberField
                id="compare-bootstrap"
                label="Bootstrap replicates "
                value=Signal::derive(move || cmp.settings.get().bootstrap.to_string())
                apply=bootstrap
                step=1.0
                min=0.0
                max=MAX_BOOTSTRAP as f64
            />
            <NumberField
                id="compare-seed"
                label="Seed "
                value=Signal::derive(move || cmp.settings.get().seed.to_string())
                apply=seed
                step=1.0
                min=0.0
            />
        </div>
    }
}

/// The verdict, the scales, the figures and the table, or where the comparison stands.
#[component]
fn Outcome(cmp: Comparer) -> impl IntoView {
    move || {
        if cmp.arms.with(|a| a.len() < 2) {
            return ().into_any();
        }
        if let Some((done, total)) = cmp.progress.get() {
            return view! {
                <div class="card" id="compare-running" role="status">
                    <p>{format!("Comparing… bootstrap replicate {done} of {total}.")}</p>
                    <progress max=total.max(1) value=done></progress>
                    <p>
                        <button type="button" id="compare-skip-bootstrap" on:click=move |_| cmp.skip_bootstrap()>
                            "Skip the bootstrap"
                        </button>
                        <span class="muted">
                            " (large datasets take long: the χ² test and standard errors come at \
                             once, without the calibrated p-value and intervals)"
                        </span>
                    </p>
                </div>
            }
            .into_any();
        }
        match cmp.result.get() {
            None => ().into_any(),
            Some(Err(e)) => view! {
                <p class="error" role="alert" id="compare-error">{format!("No comparison: {e}.")}</p>
            }
            .into_any(),
            Some(Ok(c)) => view! { <Result comparison=c /> }.into_any(),
        }
    }
}

/// A finished comparison.
#[component]
fn Result(comparison: Arc<Comparison>) -> impl IntoView {
    let k = comparison.datasets.len();
    let against = RwSignal::new(1usize);
    let c = comparison.clone();
    let pair_picker = (k > 2).then(|| {
        let names: Vec<(usize, String)> =
            c.datasets.iter().enumerate().skip(1).map(|(i, d)| (i, d.name.clone())).collect();
        view! {
            <label class="picker">
                "Plot against the first: "
                <select
                    id="compare-against"
                    on:change=move |ev| {
                        if let Ok(i) = event_target_value(&ev).parse() {
                            against.set(i);
                        }
                    }
                >
                    {names
                        .into_iter()
                        .map(|(i, n)| view! { <option value=i.to_string()>{n}</option> })
                        .collect_view()}
                </select>
            </label>
        }
    });
    let scatter = comparison.clone();
    view! {
        <Verdict comparison=comparison.clone() />
        {pair_picker}
        <div class="figures">
            {move || view! { <ScalePlot comparison=scatter.clone() a=0 b=against.get() /> }}
            <SideBySide comparison=comparison.clone() />
        </div>
        <StatesTable comparison=comparison />
    }
}

/// The answer in words, the test and every dataset's scale.
#[component]
fn Verdict(comparison: Arc<Comparison>) -> impl IntoView {
    let test = comparison.test.clone().map(|t| {
        let p = |p: Option<f64>| match p {
            Some(p) if p < 1e-300 => "< 1e-300".to_owned(),
            Some(p) => balance_core::format::p_value(p),
            None => "–".into(),
        };
        view! {
            <table class="compact" id="compare-test">
                <tbody>
                    <tr>
                        <th scope="row">"Distance Q (df)"</th>
                        <td class="num">{format!("{} ({})", format::number(t.statistic, 3), t.df)}</td>
                    </tr>
                    <tr>
                        <th scope="row">"p-value, χ²"</th>
                        <td class="num" id="compare-p-chi2">{p(t.p_value)}</td>
                    </tr>
                    <tr>
                        <th scope="row">{format!("p-value, bootstrap ({} replicates)", t.replicates)}</th>
                        <td class="num" id="compare-p-bootstrap">{p(t.p_value_bootstrap)}</td>
                    </tr>
                </tbody>
            </table>
        }
    });
    // Where one landscape is rejected, the joint fit's scales describe no landscape.
    let differ = comparison.one_landscape() == Some(false);
    let scales = comparison
        .datasets
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let text = match &d.scale {
                None => "no joint scale".to_owned(),
                Some(_) if i == 0 => "β = 1 (it sets the scale)".to_owned(),
                Some(_) if differ => "no common scale: the landscapes differ".to_owned(),
                Some(s) => {
                    let se =
                        s.se.map_or_else(String::new, |se| format!(" ± {}", format::number(se, 3)));
                    let interval = s.interval.map_or_else(String::new, |[lo, hi]| {
                        format!(
                            ", 95% interval [{}, {}]",
                            format::number(lo, 3),
                            format::number(hi, 3)
                        )
                    });
                    format!("β = {}{se}{interval}", format::number(s.value, 3))
                }
            };
            let beta = d.scale.as_ref().map(|s| s.value.to_string());
            let lo = d.scale.as_ref().and_then(|s| s.interval).map(|i| i[0].to_string());
            let hi = d.scale.as_ref().and_then(|s| s.interval).map(|i| i[1].to_string());
            view! {
                <li data-name=d.name.clone() data-beta=beta data-lo=lo data-hi=hi>
                    <strong>{d.name.clone()}</strong>
                    {format!(": {text}; {} of {} states placed.", d.identifiable, d.states)}
                </li>
            }
        })
        .collect_view();
    let notes = comparison.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view();
    view! {
        <div class="card verdict" id="compare-verdict-card">
            <h3>"Verdict"</h3>
            <p id="compare-verdict">{comparison.verdict.clone()}</p>
            {test}
            <ul id="compare-scales">{scales}</ul>
            <ul class="muted" id="compare-notes">{notes}</ul>
        </div>
    }
}
