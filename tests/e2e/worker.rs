//! Heavy analyses run in the Web Worker: progress, cancel, and the same numbers as natively.

use crate::support::Browser;

/// The Enter key as WebDriver types it (a typed newline is Enter in chromedriver only).
const ENTER: char = '\u{e007}';

#[tokio::test]
#[ignore = "end-to-end"]
async fn the_paper_scale_dataset_is_analysed_in_the_worker_and_can_be_cancelled() {
    let b = Browser::open("/").await;
    // A bootstrap of 100 replicates on 7,831 states (with the 200 posterior draws and 200
    // replicates under detailed balance the small default dataset had) runs for a minute or
    // more: long enough that the cancel surely lands while it runs.
    let input = b.find("#bootstrap-input").await;
    input.clear().await.unwrap();
    input.send_keys(&format!("100{ENTER}")).await.unwrap();
    b.wait_text("#preset-picker option:checked", "Custom").await;
    b.choose_dataset("sim-paper-scale", "7831").await;
    let progress = b.text("#analysis-progress").await;
    assert!(progress.contains("Analysing"), "{progress}");
    assert!(progress.contains("of 503 steps"), "{progress}");
    b.screenshot("worker-progress-paper-scale").await;
    b.find("#cancel-analysis").await.click().await.unwrap();
    assert!(b.text("#analysis-cancelled").await.starts_with("Analysis cancelled."));
    // The page answers while nothing runs: the dataset is still there.
    assert_eq!(b.text("#stat-states").await, "7831");
    // "Run it again" starts the same job afresh; cancel it too.
    b.find("#rerun-analysis").await.click().await.unwrap();
    assert!(b.text("#analysis-progress").await.contains("of 503 steps"));
    b.find("#cancel-analysis").await.click().await.unwrap();
    b.find("#analysis-cancelled").await;

    // The Balance Lab preset (no replicates at this size, observed normalisation here) runs to
    // its end.
    b.find("#preset-picker").await.select_by_value("balance-lab").await.unwrap();
    let timing = b.wait_for_text("#analysis-timing", |t| t.contains("background worker")).await;
    assert!(timing.starts_with("Analysed in"), "{timing}");
    // Natively (`balance simulate --preset paper-scale --seed 1 --format csv | balance analyze`):
    // 6,501 identifiable states and a minimum action of 0.18005.
    assert_eq!(b.text("#verdict-identifiable").await, "6501 of 7831 states are identifiable.");
    assert_eq!(b.text("#stat-action").await, "0.18005");
    let summary = b.text("#landscape-summary").await;
    assert!(summary.starts_with("300 of "), "{summary}");
    // The potentials table opens on the largest component, by potential, and not on a page of
    // small components' references.
    let rows: Vec<(String, String)> = serde_json::from_value(
        b.client
            .execute(
                "return [...document.querySelectorAll('#potentials-table tbody tr')].map(r => \
                 [r.querySelector('td:nth-child(4)').textContent, \
                  r.querySelector('td.component').textContent])",
                vec![],
            )
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(rows.len(), 100, "the first page");
    assert!(rows.iter().all(|r| r.1 == "1"), "all from the largest component");
    let references = rows.iter().filter(|r| r.0 == "reference").count();
    assert!(references <= 1, "one reference per component: {:?}", &rows[..3]);
    b.screenshot("analyse-paper-scale").await;
    b.shoot("#landscape-card", "figure-landscape-paper-scale").await;
    b.shoot("#level-diagram-card", "figure-levels-paper-scale").await;
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn a_bootstrap_runs_in_the_worker_and_adds_intervals() {
    let b = Browser::open("/").await;
    // The simulated word task (37 states, with the preset's 200 posterior draws and 200
    // replicates under detailed balance) is big enough to go to the worker.
    b.choose_dataset("sim-word-task", "37").await;
    b.wait_for_text("#analysis-timing", |t| t.contains("background worker")).await;
    let before = b.text("#verdict-entropy").await;
    assert!(!before.contains("bootstrap 95% interval"), "{before}");
    let input = b.find("#bootstrap-input").await;
    input.clear().await.unwrap();
    input.send_keys(&format!("200{ENTER}")).await.unwrap();
    let after = b.wait_for_text("#verdict-entropy", |t| t.contains("bootstrap 95% interval")).await;
    assert!(after.contains("bootstrap 95% interval"), "{after}");
    assert_eq!(b.text("#preset-picker option:checked").await, "Custom");
    let timing = b.text("#analysis-timing").await;
    assert!(timing.contains("background worker"), "{timing}");
    // A refused value keeps the analysis and says why.
    let input = b.find("#bootstrap-input").await;
    input.clear().await.unwrap();
    input.send_keys(&format!("-3{ENTER}")).await.unwrap();
    let error = b.text("#settings .error").await;
    assert!(error.contains("whole number from 0 to 2000"), "{error}");
    assert!(b.text("#verdict-entropy").await.contains("bootstrap 95% interval"));
    // So is a number of replicates too small for a 95% interval, in the core's words.
    let input = b.find("#bootstrap-input").await;
    input.clear().await.unwrap();
    input.send_keys(&format!("10{ENTER}")).await.unwrap();
    let error = b.wait_for_text("#settings .error", |t| t.contains("too few")).await;
    assert!(error.contains("need at least 39"), "{error}");
    assert!(b.text("#verdict-entropy").await.contains("bootstrap 95% interval"));
    b.finish().await;
}
