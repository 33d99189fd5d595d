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
    assert!(url.contains("#v1/"), "{url}");
    assert!(!url.to_lowercase().contains("key"), "a link holds no key");
    b.finish().await;

    let path = url.split_once("127.0.0.1").unwrap().1.split_once('/').unwrap().1;
    let c = Browser::open(&format!("/{path}")).await;
    assert_eq!(c.text("#stat-states").await, "13");
    assert_eq!(c.text("#potentials-table").await, before_table);
    assert_eq!(c.text("#verdict").await, before_verdict);
    assert_eq!(c.text("#kernel-picker option:checked").await, "exp");
    assert_eq!(c.text("#dataset-picker option:checked").await, "From a share link");
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
