//! Lesson 6: the real thing. The paper's word-task data for Claude-4 and Gemini-2.5-flash: the
//! potentials they give, and which states the data cannot place, and why.

use std::sync::Arc;

use balance_core::datasets::Bundled;
use balance_core::report::Report;
use balance_core::{Preset, analyze};
use leptos::prelude::*;

use super::LessonFrame;
use super::link::Link;
use super::predict::Predict;
use crate::format;
use crate::plots::LevelDiagram;

/// The lesson's id in links.
pub const ID: &str = "real-data";

fn report(model: Bundled) -> Option<Report> {
    let d = model.load();
    analyze(&d, &Preset::PaperText.settings(&d)).ok()
}

/// The lesson.
#[component]
pub fn RealData(link: Link) -> impl IntoView {
    let start = link.params.get("model").and_then(|m| Bundled::from_id(m));
    let model = RwSignal::new(start.unwrap_or(Bundled::Claude4Word));
    let shown = Memo::new(move |_| report(model.get()));
    let link = Signal::derive(move || {
        let mut l = Link::of(ID, &[]);
        l.params.insert("model".into(), model.get().id().to_owned());
        l
    });
    let data = Callback::new(move |()| (model.get_untracked().load(), None));
    view! {
        <LessonFrame
            id=ID
            title="6. The real thing"
            link=link
            data=data
            preset=Preset::PaperText
            text="The paper asked Claude-4 and Gemini-2.5-flash 20,000 times each for a new word \
                  whose letters add up to 100, starting from BUZZY. Both fall into ATTITUDE and \
                  stay near it: it is the deep well, at potential 0. A state gets a potential only \
                  when the agent was seen both entering and leaving the set it belongs to; a state \
                  only ever left (like BUZZY, the seed) or only ever entered gets a one-sided bound \
                  instead: the data say it is at least that high, not how high."
        >
            <Predict
                id="l6"
                question="Claude-4 visited five words: BUZZY (the start), ATTITUDE, TURKEY, \
                          PERSONAL and PROBLEMS. How many of them can the data give a potential?"
                choices=&[("All five", false), ("Three", true), ("One", false)]
                answer="Three: ATTITUDE, PERSONAL and PROBLEMS, which the agent was seen both \
                        entering and leaving. BUZZY and TURKEY were left for ATTITUDE but never \
                        reached again, so the data only say how high they are at least."
            />
            <div class="lesson-controls">
                <label>
                    "Model "
                    <select
                        id="l6-model"
                        on:change=move |ev| {
                            if let Some(b) = Bundled::from_id(&event_target_value(&ev)) {
                                model.set(b);
                            }
                        }
                    >
                        {Bundled::ALL
                            .into_iter()
                            .map(|b| view! {
                                <option value=b.id() selected=move || model.get() == b>{b.load().name}</option>
                            })
                            .collect_view()}
                    </select>
                </label>
            </div>
            {move || match shown.get() {
                None => view! { <p class="error">"These data cannot be analysed."</p> }.into_any(),
                Some(r) => {
                    let placed: Vec<_> = r.states.iter().filter(|s| s.potential.is_some()).cloned().collect();
                    let unplaced: Vec<_> = r.states.iter().filter(|s| s.potential.is_none()).cloned().collect();
                    view! {
                        <dl class="stats">
                            <div><dt>"States"</dt><dd id="l6-states">{r.states.len()}</dd></div>
                            <div><dt>"Placed"</dt><dd id="l6-placed">{placed.len()}</dd></div>
                            <div><dt>"Minimum action S"</dt><dd id="l6-action">{format::number(r.action.minimum, 4)}</dd></div>
                        </dl>
                        // The paper's Fig. 2: the placed states at their potential, the others
                        // above the break with their bounds.
                        <LevelDiagram report=Arc::new(r.clone()) />
                        <h4>"Placed: their potential (βV, ATTITUDE at 0)"</h4>
                        <div class="table-scroll">
                        <table class="data compact" id="l6-placed-table">
                            <tbody>
                                {placed.into_iter().map(|s| view! {
                                    <tr data-state=s.label.clone()>
                                        <th scope="row">{s.label.clone()}</th>
                                        <td class="num">{s.potential.map(|v| format::number(v, 2))}</td>
                                        <td>{s.potential_se.map(|e| format!("± {}", format::number(e, 2)))}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                        <h4>"Not placed, and why"</h4>
                        <div class="table-scroll">
                        <table class="data compact" id="l6-unplaced-table">
                            <tbody>
                                {unplaced.into_iter().map(|s| {
                                    let bound = s.potential_bound.map(|b| format::bound(&b));
                                    view! {
                                        <tr data-state=s.label.clone()>
                                            <th scope="row">{s.label.clone()}</th>
                                            <td>{bound}</td>
                                            <td class="muted">{s.reason.clone()}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any()
                }
            }}
        </LessonFrame>
    }
}
