//! The saved experiments: resume, open in Analyse, open several in Compare, rename, export,
//! delete, say where to sample next; and importing an experiment file as a new one.

use balance_agent::Spec;
use balance_agent::schedule::Protocol;
use balance_core::experiment::{ExperimentFile, FORMAT, VERSION};
use leptos::prelude::*;

use super::controller::WhereNext;
use super::panel::status_text;
use super::store::{Record, Status};

/// What the person asked of a saved experiment.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Go on with the run.
    Resume(Record),
    /// Show it in the Analyse area.
    Analyse(Record),
    /// Download its experiment file.
    Export(Record),
    /// Say where it should sample next.
    WhereNext(Record),
    /// Give it a new name.
    Rename(Record, String),
    /// Delete it and its attempts.
    Delete(Record),
    /// Show them side by side in Compare.
    Compare(Vec<Record>),
}

/// The list; `busy` is the id of the experiment running in this page's panel, whose count of
/// saved attempts follows the run (`live_saved`) rather than the last reading of the store;
/// `also_running` the other arms of a run made for comparing, running beside it.
#[component]
pub fn ExperimentList(
    records: Signal<Vec<(Record, usize)>>,
    busy: Signal<Option<String>>,
    also_running: Signal<Vec<String>>,
    live_saved: Signal<usize>,
    act: Callback<Action>,
) -> impl IntoView {
    let confirming = RwSignal::new(None::<String>);
    // The experiments ticked for Compare, by id.
    let checked = RwSignal::new(Vec::<String>::new());
    let compare = move |_| {
        let ids = checked.get_untracked();
        let chosen: Vec<Record> = records.with_untracked(|rs| {
            rs.iter().filter(|(r, _)| ids.contains(&r.id)).map(|(r, _)| r.clone()).collect()
        });
        act.run(Action::Compare(chosen));
    };
    // A row is drawn again when what it shows from the store changes.
    let key = |(r, saved): &(Record, usize)| {
        (r.id.clone(), *saved, status_text(&r.status), r.spec.name.clone())
    };
    view! {
        <div class="table-scroll">
        <table class="data" id="experiment-list">
            <thead>
                <tr>
                    <th>"Name"</th>
                    <th>"Model"</th>
                    <th>"Attempts"</th>
                    <th>"Status"</th>
                    <th>"Compare"</th>
                    <th>"Actions"</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || records.get() key=key let((record, saved))>
                    {row(record, saved, ListState { busy, also_running, live_saved, confirming, checked, act })}
                </For>
            </tbody>
        </table>
        </div>
        {move || records.with(Vec::is_empty).then(|| view! { <p class="muted">"No experiments yet."</p> })}
        {move || (records.with(Vec::len) >= 2).then(|| view! {
            <p>
                <button
                    type="button"
                    id="compare-experiments"
                    disabled=move || checked.with(Vec::len) < 2
                    on:click=compare
                >
                    "Open the ticked experiments in Compare"
                </button>
                <span class="muted">
                    " Tick two or more (the same task at two temperatures, two models…) to test \
                     whether they move on one landscape."
                </span>
            </p>
        })}
    }
}

/// What every row of the list reads and writes.
#[derive(Clone, Copy)]
struct ListState {
    busy: Signal<Option<String>>,
    also_running: Signal<Vec<String>>,
    live_saved: Signal<usize>,
    confirming: RwSignal<Option<String>>,
    checked: RwSignal<Vec<String>>,
    act: Callback<Action>,
}

/// One experiment of the list, with its actions.
fn row(record: Record, saved: usize, list: ListState) -> impl IntoView {
    let ListState { busy, also_running, live_saved, confirming, checked, act } = list;
    let id = record.id.clone();
    let tick = {
        let id = id.clone();
        move |ev: web_sys::Event| {
            let on = event_target_checked(&ev);
            checked.update(|c| {
                c.retain(|x| *x != id);
                if on {
                    c.push(id.clone());
                }
            });
        }
    };
    let running_here = {
        let id = id.clone();
        Memo::new(move |_| busy.with(|b| b.as_deref() == Some(id.as_str())))
    };
    // Another arm of a run made for comparing, running beside the one in the panel.
    let running_beside = {
        let id = id.clone();
        Memo::new(move |_| also_running.with(|r| r.contains(&id)))
    };
    let status = {
        let s = record.status.clone();
        move || match (&s, running_here.get() || running_beside.get()) {
            (Status::Running, false) => {
                "interrupted (the page closed mid-run): resume to go on".to_owned()
            }
            (s, _) => status_text(s),
        }
    };
    let planned = record.spec.plan.attempts;
    let count = move || {
        let n = if running_here.get() { live_saved.get().max(saved) } else { saved };
        format!("{n} of {planned}")
    };
    let name = RwSignal::new(record.spec.name.clone());
    let resumable = record.status.resumable();
    let record = StoredValue::new(record);
    let run = move |make: fn(Record) -> Action| act.run(make(record.get_value()));
    let delete = move || {
        (!running_here.get()).then(|| {
            let id = id.clone();
            if confirming.get().as_deref() == Some(id.as_str()) {
                view! {
                    <button type="button" class="small danger confirm-delete" on:click=move |_| run(Action::Delete)>"Delete for good"</button>
                    <button type="button" class="small" on:click=move |_| confirming.set(None)>"Keep"</button>
                }
                .into_any()
            } else {
                view! {
                    <button type="button" class="small delete-button" on:click=move |_| confirming.set(Some(id.clone()))>"Delete"</button>
                }
                .into_any()
            }
        })
    };
    let model =
        record.with_value(|r| format!("{} ({})", r.spec.provider.model, r.spec.provider.kind.id()));
    view! {
        <tr data-id=record.with_value(|r| r.id.clone())>
            <td>
                <input
                    class="rename"
                    aria-label="Name"
                    prop:value=move || name.get()
                    on:change=move |ev| name.set(event_target_value(&ev))
                />
                <button type="button" class="small rename-button" on:click=move |_| act.run(Action::Rename(record.get_value(), name.get_untracked()))>
                    "Rename"
                </button>
            </td>
            <td>{model}</td>
            <td class="saved-count">{count}</td>
            <td class="status">{status}</td>
            <td>
                <input type="checkbox" class="compare-check" aria-label="Compare" on:change=tick />
            </td>
            <td class="actions">
                {move || (resumable && !running_here.get()).then(|| view! {
                    <button type="button" class="small resume-button" on:click=move |_| run(Action::Resume)>"Resume"</button>
                })}
                <button type="button" class="small analyse-button" on:click=move |_| run(Action::Analyse)>"Open in Analyse"</button>
                <button type="button" class="small export-button" on:click=move |_| run(Action::Export)>"Export"</button>
                <button type="button" class="small where-next-button" on:click=move |_| run(Action::WhereNext)>"Where next"</button>
                {delete}
            </td>
        </tr>
    }
}

/// Where a saved experiment should sample next (the list's "Where next"): the planner's ranking,
/// a way to make its states the new experiment's fixed sources (in `spec`), and one to close it.
#[component]
pub fn WhereNextCard(next: RwSignal<Option<WhereNext>>, spec: RwSignal<Spec>) -> impl IntoView {
    move || {
        next.get().map(|w| {
            let states: Vec<String> = w.rows.iter().map(|r| r.0.clone()).collect();
            let rows: Vec<(usize, String, String)> =
                w.rows.into_iter().enumerate().map(|(i, (s, why))| (i + 1, s, why)).collect();
            let empty = rows.is_empty();
            let use_them = move |_| {
                let states = states.clone();
                spec.update(|s| s.plan.protocol = Protocol::Fixed(states));
            };
            view! {
                <div class="card" id="where-next">
                    <h4>"Where to sample next: " {w.name}</h4>
                    <p class="muted">
                        "The planner's ranking at this point of the run: states it cannot place \
                         yet first, then where one more attempt shrinks the largest standard \
                         errors most. Use them as a fixed list of sources, or run the planned \
                         protocol, which follows this ranking as it goes."
                    </p>
                    {empty.then(|| view! {
                        <p id="where-next-empty">"Nothing to rank yet: no state is placed and none awaits its first attempts."</p>
                    })}
                    <table class="table" hidden=empty>
                        <thead><tr><th>"#"</th><th>"State"</th><th>"Why"</th></tr></thead>
                        <tbody>
                            <For each=move || rows.clone() key=|r| r.1.clone() let((rank, state, why))>
                                <tr><td>{rank}</td><th scope="row">{state}</th><td>{why}</td></tr>
                            </For>
                        </tbody>
                    </table>
                    <button type="button" class="small" id="where-next-use" hidden=empty on:click=use_them>
                        "Use them as the new experiment's fixed sources"
                    </button>
                    <button type="button" class="small" id="where-next-close" on:click=move |_| next.set(None)>"Close"</button>
                </div>
            }
        })
    }
}

/// A record and its attempts from an experiment file's text: the run's own spec when the file
/// has one (so a run exported mid-way can be resumed), else a record of its data only.
pub fn import(
    name: &str,
    text: &str,
    id: String,
    now: f64,
) -> Result<(Record, ExperimentFile), String> {
    let mut file: ExperimentFile = serde_json::from_str(text)
        .map_err(|e| format!("{name} is not a Balance Lab experiment file: {e}"))?;
    if file.format != FORMAT {
        return Err(format!(
            "{name} is not a Balance Lab experiment file (format {:?})",
            file.format
        ));
    }
    if file.version > VERSION {
        return Err(format!(
            "{name} was written by a newer Balance Lab (version {}; this one reads {VERSION})",
            file.version
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, a) in file.attempts.iter_mut().enumerate() {
        let index = *a.index.get_or_insert(i as u64);
        if !seen.insert(index) {
            return Err(format!("{name} has attempt {index} twice"));
        }
    }
    let spec = serde_json::from_value::<Spec>(file.settings.clone()).ok();
    let resumable = spec.as_ref().is_some_and(|s| {
        s.check().is_ok()
            && file.attempts.iter().all(|a| (a.index.unwrap_or(0) as usize) < s.plan.attempts)
    });
    let data_only = !resumable;
    let (spec, status) = match spec {
        Some(s) if resumable => {
            let status = if file.attempts.len() < s.plan.attempts {
                Status::Paused
            } else {
                Status::Finished
            };
            (s, status)
        }
        _ => {
            // Data only: the record keeps the name and the count, and cannot be resumed.
            let mut s = Spec::simulated_word_task();
            s.name = if file.name.trim().is_empty() { name.to_owned() } else { file.name.clone() };
            s.plan.attempts = file.attempts.len().max(1);
            s.provider.model = "imported data".to_owned();
            (s, Status::Finished)
        }
    };
    Ok((Record { id, spec, created: now, status, retried: Default::default(), data_only }, file))
}

#[cfg(test)]
mod tests {
    use balance_core::experiment::{Attempt, Outcome};

    use super::*;
    use crate::experiment::session::file_of;

    fn record(attempts: usize) -> Record {
        let mut spec = Spec::simulated_word_task();
        spec.plan.attempts = attempts;
        Record {
            id: "a".into(),
            spec,
            created: 0.0,
            status: Status::Paused,
            retried: Default::default(),
            data_only: false,
        }
    }

    fn attempt(index: Option<u64>) -> Attempt {
        Attempt {
            index,
            source: "BUZZY".into(),
            outcome: Outcome::SelfLoop,
            state: None,
            reason: None,
            raw: Some("BUZZY".into()),
            usage: None,
            finish: Some("stop".into()),
            logprob: None,
            elapsed_ms: None,
            served_by: None,
        }
    }

    #[test]
    fn an_export_made_mid_run_comes_back_resumable() {
        let file = file_of(&record(10), vec![attempt(Some(3)), attempt(Some(0))]);
        let (r, f) = import("run.json", &file.to_json(), "b".into(), 5.0).unwrap();
        assert_eq!((r.status, r.data_only, r.id.as_str()), (Status::Paused, false, "b"));
        assert_eq!(r.spec, record(10).spec);
        assert_eq!(f.attempts.iter().map(|a| a.index).collect::<Vec<_>>(), [Some(3), Some(0)]);
    }

    #[test]
    fn a_file_without_its_settings_is_data_only() {
        let mut file = file_of(&record(10), vec![attempt(None), attempt(None)]);
        file.settings = serde_json::json!({ "model": "elsewhere" });
        let (r, f) = import("other.json", &file.to_json(), "c".into(), 5.0).unwrap();
        assert_eq!((r.status, r.data_only), (Status::Finished, true));
        assert_eq!(f.attempts.iter().map(|a| a.index).collect::<Vec<_>>(), [Some(0), Some(1)]);
    }

    #[test]
    fn broken_files_are_refused_with_the_reason() {
        let twice = file_of(&record(10), vec![attempt(Some(1)), attempt(Some(1))]);
        let e = import("t.json", &twice.to_json(), "d".into(), 0.0).unwrap_err();
        assert_eq!(e, "t.json has attempt 1 twice");
        let mut newer = file_of(&record(10), vec![]);
        newer.version = 99;
        let e = import("n.json", &newer.to_json(), "d".into(), 0.0).unwrap_err();
        assert!(e.contains("newer Balance Lab"), "{e}");
        let e = import("x.json", "{", "d".into(), 0.0).unwrap_err();
        assert!(e.starts_with("x.json is not a Balance Lab experiment file"), "{e}");
    }
}
