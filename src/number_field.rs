//! The app's one number field: it shows a value and applies a typed one on a change or on Enter
//! (Chromium sends a change event for Enter in a number field, Firefox does not).

use leptos::prelude::*;

/// A labelled number field showing `value`; `apply` gets the typed text when the field changes
/// or Enter is pressed in it, and decides what it means.
#[component]
pub fn NumberField(
    /// The input's element id.
    id: &'static str,
    /// The label in front of it.
    label: &'static str,
    /// The text shown.
    #[prop(into)]
    value: Signal<String>,
    /// Receives the typed text.
    #[prop(into)]
    apply: Callback<String>,
    /// The step of the spinner ("any" when absent).
    #[prop(optional)]
    step: Option<f64>,
    /// The least value offered.
    #[prop(optional)]
    min: Option<f64>,
    /// The largest value offered.
    #[prop(optional)]
    max: Option<f64>,
) -> impl IntoView {
    let step = step.map_or("any".to_owned(), |s| s.to_string());
    view! {
        <label>
            {label}
            <input
                id=id
                type="number"
                step=step
                min=min.map(|m| m.to_string())
                max=max.map(|m| m.to_string())
                prop:value=move || value.get()
                on:change=move |ev| apply.run(event_target_value(&ev))
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" {
                        apply.run(event_target_value(&ev));
                    }
                }
            />
        </label>
    }
}
