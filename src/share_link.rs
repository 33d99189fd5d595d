//! The link made by "Share as link" (a dataset's analysis or a comparison), with a Copy button.

use leptos::prelude::*;

use crate::browser;

/// The link made by "Share as link", with a button that copies it and says whether it did.
#[component]
pub fn ShareLink(url: String) -> impl IntoView {
    let copied = RwSignal::new(None::<Result<(), String>>);
    let text = url.clone();
    let copy = Action::new_local(move |(): &()| {
        let text = text.clone();
        async move { copied.set(Some(browser::copy_text(&text).await)) }
    });
    view! {
        <p class="share">
            <label>
                "Link to this analysis: "
                <input id="share-link" readonly=true prop:value=url />
            </label>
            <button type="button" id="copy-link" on:click=move |_| { copy.dispatch(()); }>
                "Copy"
            </button>
            <span id="copy-status" role="status">
                {move || match copied.get() {
                    None => String::new(),
                    Some(Ok(())) => "Copied.".into(),
                    Some(Err(e)) => format!("Not copied ({e}): select the link and copy it."),
                }}
            </span>
        </p>
    }
}
