//! Data in and out of the Analyse area: import, simulated datasets, share links.

use crate::support::{Browser, artifacts};

/// Writes `text` to a file under the artifacts folder and returns its absolute path.
fn fixture(name: &str, text: &str) -> String {
    let path = artifacts().join(name);
    std::fs::write(&path, text).unwrap();
    path.canonicalize().unwrap().display().to_string()
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn importing_a_csv_analyses_it_and_a_bad_file_keeps_the_current_dataset() {
    let good =
        fixture("import-good.csv", "source,target,count\nA,B,30\nB,A,10\nB,C,5\nC,B,20\nA,,60\n");
    let bad = fixture("import-bad.csv", "source,target,count\nA,B,30\nB,A,ten\n");
    let b = Browser::open("/").await;
    b.find("#counts-table").await;
    b.find("#import-file").await.send_keys(&bad).await.unwrap();
    let notice = b.text("#notice").await;
    assert!(notice.contains("line 3, field `count`"), "{notice}");
    assert!(notice.contains("current dataset is kept"), "{notice}");
    assert_eq!(b.text("#stat-states").await, "5");
    b.screenshot("import-error").await;

    b.find("#import-file").await.send_keys(&good).await.unwrap();
    assert_eq!(b.wait_text("#stat-states", "3").await, "3");
    assert_eq!(b.text("#preset-picker option:checked").await, "Balance Lab");
    // Observed normalisation: n(A) = 90, n(B) = 15, and the pair A-B exchanges with nothing
    // else on A's side, so V(B) - V(A) = log(w(B->A) / w(A->B)) = log((10/15) / (30/90)).
    let b_row = "#potentials-table tr[data-state='B'] td.potential";
    let a_row = "#potentials-table tr[data-state='A'] td.potential";
    let (va, vb): (f64, f64) =
        (b.text(a_row).await.parse().unwrap(), b.text(b_row).await.parse().unwrap());
    assert!(((vb - va) - ((10.0f64 / 15.0) / (30.0 / 90.0)).ln()).abs() < 1e-3, "{va} {vb}");
    b.finish().await;
}

/// A reversible landscape of four states (A to D, 2,000 attempts each, Metropolis at energies
/// 1.5, 1, 0.5 and 0) and, apart from it, a ring X → Y → Z → X stepping forward six times as
/// often as back (300 attempts each).
const TWO_COMPONENTS: &str = "source,target,count\n\
    A,B,300\nA,C,300\nA,D,300\nA,,1100\nB,A,185\nB,C,300\nB,D,300\nB,,1215\n\
    C,A,110\nC,B,185\nC,D,300\nC,,1405\nD,A,67\nD,B,110\nD,C,185\nD,,1638\n\
    X,Y,90\nX,Z,16\nX,,194\nY,Z,88\nY,X,15\nY,,197\nZ,X,92\nZ,Y,14\nZ,,194\n";

#[tokio::test]
#[ignore = "end-to-end"]
async fn every_component_is_tested_and_the_verdict_names_the_driven_one() {
    let file = fixture("two-components.csv", TWO_COMPONENTS);
    let b = Browser::open("/").await;
    b.find("#counts-table").await;
    b.find("#import-file").await.send_keys(&file).await.unwrap();
    assert_eq!(b.wait_text("#stat-states", "7").await, "7");
    // The Balance Lab preset calibrates the test by replicates under detailed balance drawn
    // from both components; the ring is the smaller one, and it is where the evidence is.
    let headline = b.wait_for_text("#verdict-lrt", |t| t.contains("calibrated")).await;
    assert!(headline.starts_with("Detailed balance is rejected"), "{headline}");
    assert!(headline.contains("over the 2 components with a cycle"), "{headline}");
    assert!(headline.contains("most of it in component 2 of 2 (X, Y, Z)"), "{headline}");
    let details = b.text("#verdict-details").await;
    assert!(details.contains("Tested: 2 of the 2 strongly connected components"), "{details}");
    // Each component's own test, in a table: the ring's p-value at the smallest 200 replicates
    // give, the landscape's far from 5%.
    let rows: Vec<Vec<String>> = serde_json::from_value(
        b.client
            .execute(
                "return [...document.querySelectorAll('#components-table tbody tr')].map(r => \
                 [...r.children].map(c => c.textContent))",
                vec![],
            )
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0], ["2: X, Y, Z", "3 / 900", "178.34 on 1", "0.0050 (calibrated)"]);
    assert_eq!(rows[1][..3], ["1: A, B, C and 1 more", "4 / 8000", "0.08 on 3"]);
    let p: f64 = rows[1][3].trim_end_matches(" (calibrated)").parse().unwrap();
    assert!(p > 0.2, "{rows:?}");
    // Entropy production of the whole and of each component: the ring's interval away from 0,
    // the landscape's from 0.
    let entropy = b.text("#verdict-entropy").await;
    assert!(entropy.contains("Over both components, each weighted by its share"), "{entropy}");
    let ring = entropy.lines().find(|l| l.starts_with("Component 2 of 2")).unwrap().to_owned();
    assert!(!ring.contains("interval 0 to"), "{ring}");
    let landscape = entropy.lines().find(|l| l.starts_with("Component 1 of 2")).unwrap().to_owned();
    assert!(landscape.contains("posterior 95% interval 0 to"), "{landscape}");
    // One reference per component, the state entered most often (D, the lowest, and X), at 0,
    // marked in the table.
    let references = b
        .client
        .execute(
            "return [...document.querySelectorAll('#potentials-table tbody tr')]\
             .filter(r => r.textContent.includes('reference')).map(r => r.dataset.state)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(references, serde_json::json!(["D", "X"]));
    b.client.execute("document.querySelector('#verdict').scrollIntoView()", vec![]).await.unwrap();
    b.screenshot("analyse-two-components").await;
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn share_link_round_trip_gives_identical_numbers() {
    let b = Browser::open("/").await;
    b.choose_dataset("gemini25flash-word", "13").await;
    b.find("#kernel-picker").await.select_by_value("exp").await.unwrap();
    b.wait_text("#preset-picker option:checked", "Custom").await;
    let before_table = b.text("#potentials-table").await;
    let before_verdict = b.text("#verdict").await;
    b.find("#share-button").await.click().await.unwrap();
    let url = b.find("#share-link").await.prop("value").await.unwrap().unwrap();
    assert!(url.contains("#v2/"), "{url}");
    assert!(!url.to_lowercase().contains("key"), "a link holds no key");
    b.finish().await;

    let path = url.split_once("127.0.0.1").unwrap().1.split_once('/').unwrap().1;
    let c = Browser::open(&format!("/{path}")).await;
    assert_eq!(c.text("#stat-states").await, "13");
    assert_eq!(c.text("#potentials-table").await, before_table);
    assert_eq!(c.text("#verdict").await, before_verdict);
    assert_eq!(c.text("#kernel-picker option:checked").await, "exp");
    // A bundled dataset travels by name: the picker names it.
    assert_eq!(
        c.text("#dataset-picker option:checked").await,
        "Gemini-2.5-flash word task (paper)"
    );
    assert_eq!(c.text("#preset-picker option:checked").await, "Custom");
    c.finish().await;
}

/// Replaces the clipboard with one that keeps what it is given in `window.__copied`, or
/// refuses it.
const FAKE_CLIPBOARD: &str = "const refuse = arguments[0]; \
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: t => { \
      if (refuse) return Promise.reject(new DOMException('denied', 'NotAllowedError')); \
      window.__copied = t; return Promise.resolve(); } } });";

#[tokio::test]
#[ignore = "end-to-end"]
async fn a_simulated_dataset_is_shared_by_generator_and_seed_with_its_preset() {
    let b = Browser::open("/").await;
    b.choose_dataset("sim-word-task", "37").await;
    let table = b.wait_for_text("#potentials-table", |t| t.contains("True βV")).await;
    let verdict = b.text("#verdict").await;
    b.find("#share-button").await.click().await.unwrap();
    let url = b.find("#share-link").await.prop("value").await.unwrap().unwrap();
    assert!(url.contains("#v2/") && url.len() < 800, "{} characters: {url}", url.len());

    // Copy: the link goes to the clipboard and the page says so; a refusal is explained.
    b.client.execute(FAKE_CLIPBOARD, vec![serde_json::json!(false)]).await.unwrap();
    b.find("#copy-link").await.click().await.unwrap();
    assert_eq!(b.wait_text("#copy-status", "Copied.").await, "Copied.");
    let copied = b.client.execute("return window.__copied", vec![]).await.unwrap();
    assert_eq!(copied.as_str(), Some(url.as_str()));
    b.goto("/").await;
    b.find("#share-button").await.click().await.unwrap();
    b.client.execute(FAKE_CLIPBOARD, vec![serde_json::json!(true)]).await.unwrap();
    b.find("#copy-link").await.click().await.unwrap();
    let refused = b.wait_for_text("#copy-status", |t| t.starts_with("Not copied")).await;
    assert!(refused.contains("select the link"), "{refused}");
    b.finish().await;

    let path = url.split_once("127.0.0.1").unwrap().1.split_once('/').unwrap().1;
    let c = Browser::open(&format!("/{path}")).await;
    assert_eq!(c.wait_text("#stat-states", "37").await, "37");
    assert_eq!(
        c.text("#dataset-picker option:checked").await,
        "Simulated: word task (no key needed)"
    );
    assert_eq!(c.text("#preset-picker option:checked").await, "Balance Lab");
    assert_eq!(c.wait_for_text("#potentials-table", |t| t.contains("True βV")).await, table);
    assert_eq!(c.text("#verdict").await, verdict);
    c.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn a_tampered_link_says_so_and_the_app_still_opens() {
    let b = Browser::open("/#v1/eJyrVkpUslIyMjAwUKoFAA").await;
    let notice = b.text("#notice").await;
    assert!(notice.contains("cannot be opened"), "{notice}");
    assert_eq!(b.text("#stat-states").await, "5", "the default dataset is shown");
    b.screenshot("share-tampered").await;
    b.goto("/#v7/whatever").await;
    b.client.refresh().await.unwrap();
    assert!(b.text("#notice").await.contains("newer version"));
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn simulated_metropolis_dataset_is_analysed() {
    let b = Browser::open("/").await;
    b.choose_dataset("sim-metropolis", "30").await;
    let identifiable = b.text("#verdict-identifiable").await;
    assert!(identifiable.ends_with("of 30 states are identifiable."), "{identifiable}");
    b.find("#transitions-table, #counts-table").await;
    b.screenshot("analyse-metropolis").await;
    b.finish().await;
}

/// Records every blob the page turns into a download, so a test can read what was exported.
const CAPTURE_DOWNLOADS: &str = "window.__exports = []; const make = URL.createObjectURL; \
    URL.createObjectURL = b => { window.__exports.push(b); return make(b); };";

#[tokio::test]
#[ignore = "end-to-end"]
async fn exports_hold_the_report_the_counts_and_the_paper_format() {
    let b = Browser::open("/").await;
    b.find("#potentials-table").await;
    b.client.execute(CAPTURE_DOWNLOADS, vec![]).await.unwrap();
    for id in ["#export-report", "#export-csv", "#export-paper"] {
        b.find(id).await.click().await.unwrap();
    }
    let read = "const done = arguments[arguments.length - 1]; \
        Promise.all(window.__exports.map(x => x.text())).then(done);";
    let texts = b.client.execute_async(read, vec![]).await.unwrap();
    let texts: Vec<String> = serde_json::from_value(texts).unwrap();
    assert_eq!(texts.len(), 3);
    let report: serde_json::Value = serde_json::from_str(&texts[0]).unwrap();
    let personal =
        report["states"].as_array().unwrap().iter().find(|s| s["label"] == "PERSONAL").unwrap();
    assert!((personal["potential"].as_f64().unwrap() - (3879.0f64 / 66.0).ln()).abs() < 1e-9);
    assert!(texts[1].starts_with("source,target,count\n"));
    assert!(texts[1].contains("PERSONAL,ATTITUDE,3879"));
    let paper: serde_json::Value = serde_json::from_str(&texts[2]).unwrap();
    assert_eq!(paper.as_array().unwrap().len(), 4, "one record per reached state");
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn an_experiment_files_raw_answers_are_listed_as_text() {
    let mut attempts = Vec::new();
    for _ in 0..6 {
        attempts.push(r#"{"source":"A","outcome":"transition","state":"B","raw":"b"}"#);
        attempts.push(r#"{"source":"B","outcome":"transition","state":"A","raw":" a."}"#);
    }
    attempts
        .push(r#"{"source":"A","outcome":"rejected","reason":"not a word","raw":"<b>LOVE</b>"}"#);
    let text = format!(
        r#"{{"format":"balance-lab-experiment","version":1,"name":"html answers","attempts":[{}]}}"#,
        attempts.join(",")
    );
    let file = fixture("answers.json", &text);
    let b = Browser::open("/").await;
    b.find("#import-file").await.send_keys(&file).await.unwrap();
    assert_eq!(b.wait_text("#stat-states", "2").await, "2");
    b.find("#landscape-select").await.select_by_label("A").await.unwrap();
    let answers = b.text("#state-answers tbody").await;
    assert!(answers.contains("b B 6"), "{answers}");
    assert!(answers.contains("<b>LOVE</b> rejected: not a word 1"), "{answers}");
    // The markup stayed text: no element was made from it.
    let made = b
        .client
        .execute("return document.querySelectorAll('#state-answers td.raw b').length", vec![])
        .await
        .unwrap();
    assert_eq!(made, 0);
    b.shoot("#state-details", "landscape-raw-answers").await;
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn the_html_report_is_one_file_that_opens_offline_with_its_figures() {
    let b = Browser::open("/").await;
    b.choose_dataset("gemini25flash-word", "13").await;
    b.find("#level-diagram").await;
    b.client.execute(CAPTURE_DOWNLOADS, vec![]).await.unwrap();
    b.find("#export-html").await.click().await.unwrap();
    let read = "const done = arguments[arguments.length - 1]; \
        const wait = () => window.__exports.length ? window.__exports[0].text().then(done) \
                                                   : setTimeout(wait, 50); wait();";
    let html = b.client.execute_async(read, vec![]).await.unwrap();
    let html = html.as_str().unwrap().to_owned();
    let verdict = b.text("#verdict-lrt").await;
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script") && !html.contains("src=\"http"), "nothing to run or load");
    assert!(html.contains("href=\"http://127.0.0.1:"), "a link back into the app");
    let path = artifacts().join("report-gemini.html");
    std::fs::write(&path, &html).unwrap();
    b.finish().await;

    // Opened from the disk, with the app's server out of the picture.
    let c = Browser::open("/").await;
    let url = format!("file://{}", path.canonicalize().unwrap().display());
    c.client.goto(&url).await.unwrap();
    let title = c.client.title().await.unwrap();
    assert_eq!(title, "Balance Lab report: Gemini-2.5-flash word task (paper)");
    let images: Vec<(String, u32)> = serde_json::from_value(
        c.client
            .execute("return [...document.images].map(i => [i.alt, i.naturalWidth])", vec![])
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(images.len() >= 4, "{images:?}");
    assert!(images.iter().all(|(_, w)| *w >= 640), "every figure decodes: {images:?}");
    let body = c.text("body").await;
    assert!(body.contains(&verdict), "the verdict: {verdict}");
    for state in ["ATTITUDE", "DISCIPLINE", "EXCELLENT", "BLISSFUL"] {
        assert!(body.contains(state), "{state}");
    }
    c.screenshot("report-html-offline").await;
    c.finish().await;
}
