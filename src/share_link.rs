//! The link made by "Share as link" (a dataset's analysis or a comparison), with a Copy button.

use balance_core::share::ShareError;
use leptos::prelude::*;

use crate::browser;

/// Puts a made link's `fragment` in the address bar and in `link`, or says in `notice` why there
/// is none.
pub fn publish(
    fragment: Result<String, ShareError>,
    link: RwSignal<Option<String>>,
    notice: RwSignal<Option<String>>,
) {
    match fragment {
        Ok(fragment) => {
            link.set(browser::set_fragment(&fragment));
            notice.set(None);
        }
        Err(e) => {
            link.set(None);
            notice.set(Some(format!("No link: {e}.")));
        }
    }
}

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
