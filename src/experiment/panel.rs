//! The running experiment: progress with rate and time left, the cost meter, pause / resume /
//! cancel, the retries, the live analysis and the log of attempts (answers shown as text).

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use balance_core::report::Report;
use balance_core::{Preset, analyze};
use leptos::prelude::*;

use super::session::{Ending, Live, Session};
use super::store::Status;
use crate::analyse::PotentialsTable;
use crate::browser;
use crate::format;

/// Most states analysed live on the page (beyond, "Open in Analyse" uses the worker).
const LIVE_MAX_STATES: usize = 300;

/// The analysis of what `session` has recorded so far (`None` before any attempt; a message
/// instead when there are too many states to analyse on the page).
fn live_analysis(session: &Session) -> Option<Result<Report, String>> {
    let dataset = session.file.borrow().dataset();
    if dataset.counts.is_empty() {
        return None;
    }
    if dataset.counts.len() > LIVE_MAX_STATES {
        return Some(Err(format!(
            "{} states: open it in Analyse for the full analysis (in the background).",
            dataset.counts.len()
        )));
    }
    Some(
        analyze(&dataset, &Preset::BalanceLab.settings(&dataset).point_estimates())
            .map_err(|e| e.to_string()),
    )
}

/// Words for a status.
pub fn status_text(status: &Status) -> String {
    match status {
        Status::Running => "running".into(),
        Status::Paused => "paused".into(),
        Status::Finished => "finished".into(),
        Status::Cancelled => "cancelled".into(),
        Status::Stopped(why) => format!("stopped: {why}"),
        Status::CutOff(why) => format!("paused: {why}"),
    }
}

fn duration(seconds: f64) -> String {
    let s = seconds.round() as u64;
    if s >= 3600 {
        format!("{} h {:02} min", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{} min {:02} s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

/// The panel of the session in `session`; `resume` starts it again after a pause or a stop.
#[component]
pub fn RunPanel(
    session: StoredValue<Option<Rc<Session>>, LocalStorage>,
    /// The other arms of a run made for comparing: they pause and cancel with this one.
    companions: RwSignal<Vec<(Rc<Session>, Live)>, LocalStorage>,
    live: Live,
    resume: Callback<Option<u32>>,
    /// Opens this run and its companions in Compare.
    open_arms: Callback<()>,
    truth: Signal<Option<BTreeMap<String, f64>>>,
) -> impl IntoView {
    let snap = live.snapshot;
    let running = move || live.status.get() == Some(Status::Running);
    let end = move |e: Ending| {
        session.with_value(|s| {
            if let Some(s) = s {
                s.end(e);
            }
        });
        live.ending.set(Some(e));
        companions.with_untracked(|c| {
            for (s, l) in c {
                s.end(e);
                l.ending.set(Some(e));
            }
        });
    };
    // The arms beside this run: name, recorded of planned, status.
    let arms = move || {
        companions.with(|c| {
            c.iter()
                .map(|(s, l)| {
                    let name = s.record.borrow().spec.name.clone();
                    let (recorded, total) = l.snapshot.with(|s| (s.recorded, s.total));
                    let status = l.status.get().map(|s| status_text(&s)).unwrap_or_default();
                    view! { <li>{format!("{name}: {recorded} of {total} attempts, {status}")}</li> }
                })
                .collect_view()
        })
    };
    let all_done = move || {
        !running()
            && !companions.with(Vec::is_empty)
            && companions.with(|c| c.iter().all(|(_, l)| l.status.get() != Some(Status::Running)))
    };
    let percent = move || {
        snap.with(|s| if s.total == 0 { 0.0 } else { 100.0 * s.recorded as f64 / s.total as f64 })
    };
    let name = move || {
        live.status.track();
        session.with_value(|s| s.as_ref().map(|s| s.record.borrow().spec.name.clone()))
    };
    let budget = move || {
        live.status.track();
        session.with_value(|s| s.as_ref().and_then(|s| s.record.borrow().spec.plan.budget))
    };
    // The live analysis, recomputed every two seconds while attempts come in.
    let analysis = Memo::new(move |_| {
        live.tick.track();
        session.with_value(|s| {
            let s = s.as_ref()?;
            browser::timed("live-analysis", || live_analysis(s))
        })
    });
    view! {
        <section class="run-panel" aria-labelledby="run-title" id="run-panel">
            <h3 id="run-title">{move || name().unwrap_or_default()}</h3>
            <p id="run-status" role="status">
                {move || {
                    let status = live.status.get().map(|s| status_text(&s)).unwrap_or_default();
                    match live.ending.get() {
                        Some(Ending::Pause) if running() => "pausing: the calls under way are finishing".to_owned(),
                        Some(Ending::Cancel) if running() => "cancelling: the calls under way are finishing".to_owned(),
                        _ => status,
                    }
                }}
            </p>
            <progress id="run-progress" max="100" prop:value=percent></progress>
            <p id="run-counts">
                {move || snap.with(|s| {
                    let rate = s.rate.map(|r| format!(", {r:.0} attempts/s")).unwrap_or_default();
                    let eta = match (s.eta_s, running()) {
                        (Some(t), true) if s.recorded < s.total => format!(", about {} left", duration(t)),
                        _ => String::new(),
                    };
                    format!("{} of {} attempts recorded ({} saved){rate}{eta}", s.recorded, s.total, s.saved)
                })}
            </p>
            <p id="run-cost">
                {move || {
                    let spent = snap.with(|s| s.spent);
                    match budget() {
                        Some(b) => format!("Spent ${spent:.4} of a ${b:.2} budget"),
                        None => format!("Spent ${spent:.4}"),
                    }
                }}
            </p>
            <p id="run-outcomes">
                {move || snap.with(|s| {
                    let [t, l, r, i, x] = s.outcomes;
                    format!("{t} transitions, {l} stayed, {r} rejected, {i} invalid, {x} without an answer (cut off or blocked: kept, not counted)")
                })}
            </p>
            <p id="run-retries">
                {move || snap.with(|s| {
                    let all: usize = s.retried.values().sum();
                    let kinds: Vec<String> = s.retried.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
                    let mut text = format!("{all} retries");
                    if !kinds.is_empty() {
                        text.push_str(&format!(" ({})", kinds.join("; ")));
                    }
                    text
                })}
            </p>
            <Show when=move || !companions.with(Vec::is_empty)>
                <p>"Running beside it, for comparing:"</p>
                <ul id="run-arms">{arms}</ul>
            </Show>
            <Show when=all_done>
                <p>
                    <button type="button" id="open-arms" on:click=move |_| open_arms.run(())>
                        "Open the arms in Compare"
                    </button>
                </p>
            </Show>
            <div class="buttons">
                <Show when=running>
                    <button type="button" id="pause-run" disabled=move || live.ending.get().is_some() on:click=move |_| end(Ending::Pause)>
                        "Pause"
                    </button>
                    <button type="button" id="cancel-run" disabled=move || live.ending.get().is_some() on:click=move |_| end(Ending::Cancel)>
                        "Cancel"
                    </button>
                </Show>
                <Show when=move || live.status.get().is_some_and(|s| s.resumable() && s != Status::Running)>
                    <button type="button" id="resume-run" on:click=move |_| resume.run(None)>
                        "Resume"
                    </button>
                </Show>
                <Show when=move || matches!(live.status.get(), Some(Status::CutOff(_)))>
                    {move || {
                        let now = session.with_value(|s| s.as_ref().map_or(16, |s| s.record.borrow().spec.provider.max_tokens));
                        // Room for a thinking model's reasoning, which is what usually cuts answers off.
                        let raised = now.saturating_mul(4).max(now.saturating_add(2048));
                        view! {
                            <button type="button" id="raise-and-resume" on:click=move |_| resume.run(Some(raised))>
                                {format!("Raise Max tokens to {raised} and resume")}
                            </button>
                        }
                    }}
                </Show>
            </div>
            <h4>"Live analysis"</h4>
            {move || match analysis.get() {
                None => view! { <p class="muted">"No attempts yet."</p> }.into_any(),
                Some(Err(e)) => view! { <p class="muted" id="live-analysis">{e}</p> }.into_any(),
                Some(Ok(report)) => {
                    let identifiable = report.states.iter().filter(|s| s.identifiable).count();
                    let summary = format!(
                        "{} states, {identifiable} placed; minimum action S = {}; \
                         pairwise test χ²/ndf = {}.",
                        report.states.len(),
                        format::number(report.action.minimum, 4),
                        report.pairwise.chi2_ndf.map_or("n/a".into(), |x| format::number(x, 3)),
                    );
                    view! {
                        <div id="live-analysis">
                            <p>{summary}</p>
                            <PotentialsTable report=Arc::new(report) truth=truth.get() />
                        </div>
                    }
                    .into_any()
                }
            }}
            {move || snap.with(|s| (!s.notices.is_empty()).then(|| view! {
                <ul class="notices" id="run-notices">
                    {s.notices.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}
                </ul>
            }))}
            {move || snap.with(|s| (!s.unread.is_empty()).then(|| view! {
                <h4>"Answers that became no state"</h4>
                <p class="muted">
                    "By reason, with answers as the model wrote them (text, never markup). Many \
                     of one reason point at the task's parser (an extraction pattern), the prompt \
                     or the model."
                </p>
                <ul class="unread" id="unread-answers">
                    {s.unread.iter().map(|u| view! { <li>{u.clone()}</li> }).collect_view()}
                </ul>
            }))}
            <h4>"Latest attempts"</h4>
            <div class="table-scroll">
            <table class="data" id="attempt-log">
                <thead>
                    <tr>
                        <th>"#"</th>
                        <th>"State"</th>
                        <th>"Answer (as text)"</th>
                        <th>"Became"</th>
                        <th>"Ended"</th>
                        <th>"log p"</th>
                        <th>"Reasoning tokens"</th>
                        <th>"Retries"</th>
                        <th>"ms"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || snap.with(|s| {
                        s.log
                            .iter()
                            .take(50)
                            .map(|row| {
                                view! {
                                    <tr>
                                        <td>{row.index}</td>
                                        <td>{row.source.clone()}</td>
                                        <td class="raw">{row.raw.clone()}</td>
                                        <td>{row.became.clone()}</td>
                                        <td class="finish">{row.finish.clone()}</td>
                                        <td class="logprob">{row.logprob.map(|p| format::number(p, 3)).unwrap_or_default()}</td>
                                        <td>{row.reasoning_tokens}</td>
                                        <td>{row.retries}</td>
                                        <td>{format!("{:.0}", row.ms)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    })}
                </tbody>
            </table>
            </div>
        </section>
    }
}
