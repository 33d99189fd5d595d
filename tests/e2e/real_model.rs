//! The Experiment area against a real language model: llama.cpp's server with
//! SmolLM2-135M-Instruct on this machine's CPUs (`llama.rs`). The paper's word task as the form
//! opens it, then as the run's advice says; what must hold for any model is asserted: every
//! attempt recorded once with its raw answer, no failed call, the answers that became no state
//! listed with the model's words, the analysis and its views drawn from the data.

use balance_core::experiment::ExperimentFile;

use crate::llama::{Llama, MODEL};
use crate::support::{Browser, export_first, wait_status};

/// Waits (up to `seconds`) until the run's status is no longer "running"; returns it.
async fn wait_done(b: &Browser, seconds: u64) -> String {
    wait_status(b, seconds, |t| {
        !t.is_empty() && !t.starts_with("running") && !t.contains("finishing")
    })
    .await
}

/// Every attempt recorded once, by index, each with the model's raw answer.
fn assert_recorded_once(file: &ExperimentFile) {
    let mut indices: Vec<u64> = file.attempts.iter().map(|a| a.index.unwrap()).collect();
    indices.sort_unstable();
    assert_eq!(indices, (0..indices.len() as u64).collect::<Vec<_>>());
    assert!(file.attempts.iter().all(|a| a.raw.is_some()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "end-to-end"]
async fn a_real_model_runs_the_word_task_from_the_browser() {
    let server = tokio::task::spawn_blocking(Llama::start).await.unwrap();
    let b = Browser::open("/").await;
    b.find("#nav-experiment").await.click().await.unwrap();
    b.find("#provider-kind").await.select_by_value("openai-compatible").await.unwrap();
    b.fill("#base-url", &server.base_url()).await;
    b.fill("#model", MODEL).await;
    b.fill("#timeout", "60").await;
    b.find("#test-connection").await.click().await.unwrap();
    let connected =
        b.wait_for_text("#connection-result", |t| !t.is_empty() && !t.starts_with("Calling")).await;
    assert!(connected.starts_with(&format!("Connected: {MODEL} answered")), "{connected}");

    // As the form opens it: a small model rambles past 16 tokens; whatever it does, the run
    // ends or pauses saying why, and the answers that became no state are listed.
    b.fill("#attempts", "100").await;
    b.fill("#concurrency", "4").await;
    b.find("#start-run").await.click().await.unwrap();
    let status = wait_done(&b, 300).await;
    assert!(
        status == "finished" || status.contains("rambles") || status.contains("cut off"),
        "{status}"
    );
    let unread = b.text("#unread-answers").await;
    assert!(unread.contains("rejected") || unread.contains("no answer"), "{unread}");
    b.shoot("#run-panel", "experiment-real-model-as-opened").await;

    // As the advice says: one word asked for, the first word read. A new experiment, to its end.
    b.fill("#system-prompt", "Answer with one word only.").await;
    b.fill("#extract", balance_agent::spec::FIRST_WORD).await;
    b.find("#start-run").await.click().await.unwrap();
    let mut status = wait_done(&b, 300).await;
    if status.contains("cut off") {
        b.find("#raise-and-resume").await.click().await.unwrap();
        status = wait_done(&b, 300).await;
    }
    assert_eq!(status, "finished");
    let counts = b.wait_for_text("#run-counts", |t| t.contains("(100 saved)")).await;
    assert!(counts.starts_with("100 of 100 attempts recorded (100 saved)"), "{counts}");
    let retries = b.text("#run-retries").await;
    assert!(retries.starts_with("0 retries"), "no call failed on loopback: {retries}");
    let file = export_first(&b).await;
    assert_eq!(file.attempts.len(), 100);
    assert_recorded_once(&file);
    assert_eq!(file.settings["provider"]["model"], MODEL);
    b.shoot("#run-panel", "experiment-real-model-advised").await;

    // Its analysis and every view, from the data.
    b.find("#experiment-list tbody tr .analyse-button").await.click().await.unwrap();
    b.wait_for_text("#stat-states", |t| t.parse::<usize>().is_ok_and(|n| n >= 2)).await;
    let verdict = b.wait_for_text("#verdict-lrt", |t| !t.is_empty()).await;
    assert!(!verdict.contains("NaN"), "{verdict}");
    b.find("#counts-table").await;
    b.find("#potentials-table").await;
    b.screenshot("analyse-real-model").await;
    b.finish().await;
}
