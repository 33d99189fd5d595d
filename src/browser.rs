//! Small wrappers over browser APIs: the URL fragment and reading dropped or picked files.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;

/// Puts a `<select>` back on its first option (a picker of actions, not of a value).
pub fn reset_select(ev: &web_sys::Event) {
    use wasm_bindgen::JsCast;
    if let Some(select) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
    {
        select.set_selected_index(0);
    }
}

/// The current URL fragment without its `#` (empty when there is none).
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// Replaces the URL fragment without adding a history entry; returns the full URL.
pub fn set_fragment(fragment: &str) -> Option<String> {
    let window = web_sys::window()?;
    let location = window.location();
    let base = format!("{}{}", location.origin().ok()?, location.pathname().ok()?);
    let url = format!("{base}#{fragment}");
    window
        .history()
        .ok()?
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        .ok()?;
    Some(url)
}

/// Clears the URL fragment.
pub fn clear_fragment() {
    if let Some(window) = web_sys::window() {
        let location = window.location();
        if let (Ok(origin), Ok(path), Ok(history)) =
            (location.origin(), location.pathname(), window.history())
        {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("{origin}{path}")),
            );
        }
    }
}

/// The name and text of a file, or a message saying why it cannot be read.
pub async fn read_file(file: web_sys::File) -> Result<(String, String), String> {
    let name = file.name();
    let text = JsFuture::from(file.text()).await.map_err(|_| format!("{name} cannot be read"))?;
    let text = text.as_string().ok_or_else(|| format!("{name} is not text"))?;
    Ok((name, text))
}

/// The first file of a file input's change event.
pub fn picked_file(ev: &web_sys::Event) -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = ev.target()?.dyn_into().ok()?;
    input.files()?.get(0)
}

/// The first file of a drop event.
pub fn dropped_file(ev: &web_sys::DragEvent) -> Option<web_sys::File> {
    ev.data_transfer()?.files()?.get(0)
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = "the browser refused to make the file";
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail)?;
    let result = download_url(name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    result
}

/// Offers the resource at `url` (an object or data URL) as a download named `name`.
pub fn download_url(name: &str, url: &str) -> Result<(), String> {
    let fail = || "the browser refused to download".to_owned();
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(fail)?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| fail())?.dyn_into().map_err(|_| fail())?;
    anchor.set_href(url);
    anchor.set_download(name);
    anchor.click();
    Ok(())
}

/// Largest number of measures kept per name (older ones are dropped).
const MAX_MEASURES: u32 = 200;

/// Runs `f` and records how long it took as a performance measure named `name`, which the
/// browser benchmarks read (`performance.getEntriesByName(name)`).
pub fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let performance = web_sys::window().and_then(|w| w.performance());
    let start = format!("{name}:start");
    if let Some(p) = &performance {
        let _ = p.mark(&start);
    }
    let out = f();
    if let Some(p) = &performance {
        if p.get_entries_by_name(name).length() >= MAX_MEASURES {
            p.clear_measures_with_measure_name(name);
        }
        let _ = p.measure_with_start_mark(name, &start);
        p.clear_marks_with_mark_name(&start);
    }
    out
}

/// Records a performance mark named `name` (the end-to-end tests count them).
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Where something is kept in the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// This tab only (session storage: gone when the tab closes).
    Tab,
    /// This device (local storage: until forgotten).
    Device,
}

fn storage(keep: Keep) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    match keep {
        Keep::Tab => window.session_storage().ok()?,
        Keep::Device => window.local_storage().ok()?,
    }
}

/// The value kept under `key`, if any.
pub fn stored(keep: Keep, key: &str) -> Option<String> {
    storage(keep)?.get_item(key).ok()?
}

/// Keeps `value` under `key`, or says why the browser refused.
pub fn store(keep: Keep, key: &str, value: &str) -> Result<(), String> {
    storage(keep)
        .ok_or("this browser keeps no storage for this page")?
        .set_item(key, value)
        .map_err(|_| "the browser refused to keep it (storage full or blocked)".to_owned())
}

/// Forgets `key`.
pub fn unstore(keep: Keep, key: &str) {
    if let Some(s) = storage(keep) {
        let _ = s.remove_item(key);
    }
}

/// Where the theme choice is remembered (local storage).
const THEME_KEY: &str = "balance-lab-theme";

/// The theme chosen earlier on this device, if any.
pub fn stored_theme() -> Option<String> {
    stored(Keep::Device, THEME_KEY)
}

/// Remembers the theme choice on this device (silently skipped where storage is refused).
pub fn store_theme(theme: &str) {
    let _ = store(Keep::Device, THEME_KEY, theme);
}

/// Applies a theme: `light` or `dark` force it, anything else follows the system.
pub fn apply_theme(theme: &str) {
    let Some(root) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match theme {
        "light" | "dark" => root.set_attribute("data-theme", theme),
        _ => root.remove_attribute("data-theme"),
    };
}

/// The system's colour-scheme query.
fn dark_scheme_query() -> Option<web_sys::MediaQueryList> {
    web_sys::window()?.match_media("(prefers-color-scheme: dark)").ok().flatten()
}

/// Whether the system asks for a dark colour scheme.
pub fn system_prefers_dark() -> bool {
    dark_scheme_query().is_some_and(|q| q.matches())
}

/// Calls `changed` with the system's new choice whenever it switches between light and dark
/// (for the life of the page).
pub fn on_system_theme_change(changed: impl Fn(bool) + 'static) {
    let Some(query) = dark_scheme_query() else { return };
    let listener = Closure::<dyn Fn()>::new(move || changed(system_prefers_dark()));
    if query.add_event_listener_with_callback("change", listener.as_ref().unchecked_ref()).is_ok() {
        listener.forget();
    }
}

/// Milliseconds since the page started (the performance clock).
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Milliseconds since 1970 (the wall clock).
pub fn epoch_ms() -> f64 {
    js_sys::Date::now()
}

/// The page's origin (`http://127.0.0.1:8080`), for advice about CORS.
pub fn origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

/// Puts `text` on the clipboard.
pub async fn copy_text(text: &str) -> Result<(), String> {
    let clipboard = web_sys::window().ok_or("no window")?.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| "the browser refused the clipboard".to_owned())
}

/// Today's date and time in the reader's locale.
pub fn today() -> String {
    String::from(
        js_sys::Date::new_0().to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED),
    )
}

/// Every figure drawn in the main area: its card's title and its canvas as a PNG data URL.
pub fn figures() -> Vec<(String, String)> {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return Vec::new() };
    let Ok(cards) = document.query_selector_all("#main .figure") else { return Vec::new() };
    (0..cards.length())
        .filter_map(|i| cards.item(i)?.dyn_into::<web_sys::Element>().ok())
        .filter_map(|card| {
            let title = card.query_selector("h3").ok()??.text_content()?;
            let canvas = card.query_selector("canvas").ok()??;
            let png = canvas.dyn_into::<web_sys::HtmlCanvasElement>().ok()?.to_data_url().ok()?;
            Some((title, png))
        })
        .collect()
}
