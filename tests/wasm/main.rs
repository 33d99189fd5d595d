//! Browser-only tests of the app's components, run by wasm-bindgen-test in headless Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app in a fresh element, at the route `/` (a test before may have navigated), and
/// returns the element with the handle keeping it alive.
fn mount_app() -> (web_sys::Element, impl Drop) {
    let window = web_sys::window().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"))
        .unwrap();
    let document = window.document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone().unchecked_into(), balance_lab::App);
    (host, handle)
}

/// Lets the reactive system run its scheduled effects.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn text(host: &web_sys::Element, selector: &str) -> String {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn app_opens_on_the_claude4_counts() {
    let (host, _handle) = mount_app();
    // The router draws the route's area once it has read the location.
    settle().await;
    assert!(text(&host, "#dataset-name").contains("Claude-4"));
    assert_eq!(text(&host, "#stat-states"), "5");
    assert_eq!(text(&host, "#stat-attempts"), "20000");
    assert_eq!(text(&host, "td[data-source='PERSONAL'][data-target='ATTITUDE']"), "3879");
    assert_eq!(text(&host, "td[data-source='BUZZY'][data-target='TURKEY']"), "238");
    assert_eq!(host.query_selector_all("#states-table tbody tr").unwrap().length(), 5);
}

#[wasm_bindgen_test]
async fn navigation_marks_the_current_area() {
    let (host, _handle) = mount_app();
    let analyse = host.query_selector("#nav-analyse").unwrap().unwrap();
    assert_eq!(analyse.get_attribute("aria-current").as_deref(), Some("page"));
    host.query_selector("#nav-learn")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    settle().await;
    let learn = host.query_selector("#nav-learn").unwrap().unwrap();
    assert_eq!(learn.get_attribute("aria-current").as_deref(), Some("page"));
    assert_eq!(analyse.get_attribute("aria-current"), None);
    assert!(host.query_selector("#area-learn").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn analysis_panel_shows_the_papers_potentials() {
    let (host, _handle) = mount_app();
    // The analysis runs in an effect, right after the page is mounted.
    settle().await;
    let potential = |state: &str| {
        text(&host, &format!("#potentials-table tr[data-state='{state}'] td.potential"))
    };
    assert_eq!(potential("PERSONAL"), "4.0737");
    assert_eq!(potential("PROBLEMS"), "5.1812");
    assert_eq!(potential("TURKEY"), "unbounded");
    assert_eq!(text(&host, "#verdict-identifiable"), "3 of 5 states are identifiable.");
}

#[path = "../../crates/balance-core/tests/common/fingerprint.rs"]
mod fingerprint;

#[wasm_bindgen_test]
fn simulators_give_the_same_data_in_the_browser_as_natively() {
    assert_eq!(fingerprint::fingerprints(), fingerprint::expected());
}

#[wasm_bindgen_test]
fn the_paper_scale_analysis_fits_in_the_browsers_stack_and_matches_native() {
    use balance_core::simulate::Preset;
    use balance_core::{Settings, analyze};
    // The browser's stack is far smaller than a native thread's: a recursive graph walk over
    // 7,831 states overflowed it once. Natively: 6,501 identifiable states, S = 0.180051.
    let dataset = Preset::PaperScale.run(1, None).dataset;
    let report = analyze(&dataset, &Settings::default()).expect("an analysis");
    assert_eq!(report.states.iter().filter(|s| s.identifiable).count(), 6501);
    assert!((report.action.minimum - 0.180_050_694).abs() < 1e-8, "{}", report.action.minimum);
}

#[wasm_bindgen_test]
fn the_analysis_worker_answers_a_request_as_analyze_does() {
    use balance_core::datasets::Bundled;
    use balance_core::{Settings, analyze};
    use balance_worker::{Reply, Request, Work, encode, handle};
    let dataset = Bundled::Gemini25FlashWord.load();
    let settings = Settings { bootstrap: 40, ..Settings::default() };
    let request = Request {
        job: 1,
        work: Work::Analyze { dataset: Box::new(dataset.clone()), settings: settings.clone() },
    };
    let mut replies = Vec::new();
    handle(&encode(&request), &mut |r| replies.push(r), &|| Some(0.0));
    match replies.last() {
        Some(Reply::Report { job: 1, report, compute_ms: Some(ms) }) => {
            assert_eq!(**report, analyze(&dataset, &settings).unwrap());
            assert_eq!(*ms, 0.0);
        }
        other => panic!("no report: {other:?}"),
    }
}
