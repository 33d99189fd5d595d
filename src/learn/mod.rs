//! The Learn area: short interactive lessons on detailed balance and potentials. Each lesson is
//! seeded, has a link that restores it (lesson, parameters, seed), and opens its data in Analyse.

mod convergence;
mod driven;
mod idea;
mod landscape;
mod link;
mod maths;
mod predict;
mod protocols;
mod real_data;
mod two_states;
mod voting;

use balance_core::Preset;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::app::{Handed, Handoff, WithTruth};
use crate::browser;
use crate::number_field::NumberField;
pub use link::{Link, PREFIX};
use maths::Formula;

/// The lessons: id and title (the first page, which the area opens on, explains the idea).
const LESSONS: [(&str, &str); 7] = [
    (idea::ID, "Start here"),
    (two_states::ID, "1. Two states"),
    (driven::ID, "2. A driven cycle"),
    (landscape::ID, "3. Shape a landscape"),
    (protocols::ID, "4. Restarts or a trajectory"),
    (voting::ID, "5. Temperature and voting"),
    (real_data::ID, "6. The real thing"),
];

impl Link {
    /// The link of lesson `lesson` with these numeric parameters.
    pub fn of(lesson: &str, params: &[(&str, f64)]) -> Link {
        Link {
            lesson: lesson.to_owned(),
            params: params.iter().map(|(k, v)| ((*k).to_owned(), format!("{v}"))).collect(),
        }
    }
}

/// A number input with its label, bound to `value` and kept within `[min, max]`.
pub fn number(
    id: &'static str,
    label: &'static str,
    min: f64,
    max: f64,
    step: f64,
    value: RwSignal<f64>,
) -> impl IntoView {
    let apply = move |text: String| {
        if let Ok(x) = text.trim().parse::<f64>()
            && x.is_finite()
        {
            value.set(x.clamp(min, max));
        } else {
            value.notify();
        }
    };
    view! {
        <NumberField
            id=id
            label=label
            value=Signal::derive(move || value.get().to_string())
            apply=apply
            step=step
            min=min
            max=max
        />
        <input
            type="range"
            class="slider"
            aria-label=label
            min=min
            max=max
            step=step
            prop:value=move || value.get().to_string()
            on:input=move |ev| {
                if let Ok(x) = event_target_value(&ev).parse::<f64>() {
                    value.set(x.clamp(min, max));
                }
            }
        />
    }
}

/// A Play / Pause button adding `per_tick` to `samples` ten times a second while playing.
pub fn play_button(id: &'static str, samples: RwSignal<f64>, per_tick: f64) -> impl IntoView {
    let ticker = StoredValue::new_local(None::<gloo_timers::callback::Interval>);
    let playing = RwSignal::new(false);
    on_cleanup(move || ticker.set_value(None));
    view! {
        <button
            type="button"
            id=id
            on:click=move |_| {
                if playing.get_untracked() {
                    ticker.set_value(None);
                    playing.set(false);
                } else {
                    let interval = gloo_timers::callback::Interval::new(100, move || {
                        samples.update(|n| *n += per_tick);
                    });
                    ticker.set_value(Some(interval));
                    playing.set(true);
                }
            }
        >
            {move || if playing.get() { "Pause" } else { "Play" }}
        </button>
    }
}

/// A lesson's frame: title, text, the lesson's own content, and its link and Analyse buttons.
#[component]
pub fn LessonFrame(
    id: &'static str,
    title: &'static str,
    text: &'static str,
    /// The lesson's formula, typeset under its text.
    #[prop(optional)]
    formula: Option<String>,
    link: Signal<Link>,
    data: Callback<(), WithTruth>,
    /// The preset the lesson's own numbers use, carried to Analyse with its data.
    #[prop(optional)]
    preset: Option<Preset>,
    children: Children,
) -> impl IntoView {
    let handoff: Handoff = expect_context();
    let navigate = use_navigate();
    let shown = RwSignal::new(None::<String>);
    view! {
        <article class="lesson" id=format!("lesson-{id}")>
            <h3>{title}</h3>
            <p class="lesson-text">{text}</p>
            {formula.map(|mathml| view! { <Formula mathml=mathml block=true /> })}
            {children()}
            <div class="buttons">
                <button
                    type="button"
                    class="lesson-link-button"
                    on:click=move |_| {
                        let path = link.get_untracked().path();
                        navigate(&path, NavigateOptions { replace: true, ..Default::default() });
                        shown.set(Some(format!("{}{path}", browser::origin())));
                    }
                >
                    "Link to this lesson"
                </button>
                <button
                    type="button"
                    class="lesson-analyse"
                    on:click=move |_| {
                        handoff.open(Handed {
                            data: data.run(()),
                            from: format!("Lesson {title}"),
                            preset: preset.unwrap_or(Preset::BalanceLab),
                        });
                    }
                >
                    "Open these data in Analyse"
                </button>
            </div>
            {move || shown.get().map(|url| view! {
                <label class="share">"Link: " <input class="lesson-link" readonly=true prop:value=url /></label>
            })}
        </article>
    }
}

/// The Learn area, opened on the lesson of `link` (the first lesson when there is none or it
/// is unknown). Each lesson's tab is a link to its route.
#[component]
pub fn LearnArea(link: Option<Link>) -> impl IntoView {
    let link = link
        .filter(|l| LESSONS.iter().any(|(id, _)| *id == l.lesson))
        .unwrap_or_else(|| Link::of(LESSONS[0].0, &[]));
    let current = link.lesson.clone();
    view! {
        <section class="area" aria-labelledby="learn-title" id="area-learn">
            <div class="toolbar">
                <h2 id="learn-title">"Learn"</h2>
                <nav class="lesson-nav" aria-label="Lessons">
                    {LESSONS
                        .into_iter()
                        .map(|(id, title)| view! {
                            <a
                                href=Link::of(id, &[]).path()
                                class="lesson-tab"
                                id=format!("lesson-tab-{id}")
                                aria-current=(current == id).then_some("page")
                            >
                                {title}
                            </a>
                        })
                        .collect_view()}
                </nav>
            </div>
            <p class="muted">
                "Lessons on what the paper measured: each asks you to guess first, then gives you \
                 something to move and numbers and figures that answer at once. Everything runs \
                 here, offline, from a seed."
            </p>
            {match link.lesson.as_str() {
                driven::ID => view! { <driven::DrivenCycleLesson link=link /> }.into_any(),
                landscape::ID => view! { <landscape::Landscape link=link /> }.into_any(),
                protocols::ID => view! { <protocols::Protocols link=link /> }.into_any(),
                voting::ID => view! { <voting::Voting link=link /> }.into_any(),
                real_data::ID => view! { <real_data::RealData link=link /> }.into_any(),
                two_states::ID => view! { <two_states::TwoStates link=link /> }.into_any(),
                _ => view! { <idea::Idea /> }.into_any(),
            }}
        </section>
    }
}
