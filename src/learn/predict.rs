//! "Predict first": a question the reader answers before the lesson shows the answer. The choice
//! is the reader's own guess; the explanation appears once a guess is made.

use leptos::prelude::*;

/// One choice of a question: its text and whether it is right.
pub type Choice = (&'static str, bool);

/// A question with its choices and the explanation shown after a guess.
#[component]
pub fn Predict(
    /// The id prefix of the block (`{id}-predict`, `{id}-answer`).
    id: &'static str,
    /// The question.
    question: &'static str,
    /// The choices, in the order shown.
    choices: &'static [Choice],
    /// Why the right choice is right.
    answer: &'static str,
) -> impl IntoView {
    let chosen = RwSignal::new(None::<usize>);
    let buttons = choices
        .iter()
        .enumerate()
        .map(|(k, (text, _))| {
            view! {
                <button
                    type="button"
                    class="predict-choice"
                    aria-pressed=move || (chosen.get() == Some(k)).to_string()
                    on:click=move |_| chosen.set(Some(k))
                >
                    {*text}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="predict" id=format!("{id}-predict")>
            <p class="predict-question"><strong>"Predict first. "</strong>{question}</p>
            <div class="predict-choices" role="group" aria-label="Your prediction">{buttons}</div>
            {move || chosen.get().map(|k| {
                let right = choices[k].1;
                view! {
                    <p
                        class=if right { "predict-answer right" } else { "predict-answer wrong" }
                        role="status"
                        id=format!("{id}-answer")
                    >
                        <strong>{if right { "Yes. " } else { "Not quite. " }}</strong>
                        {answer}
                    </p>
                }
            })}
        </div>
    }
}
