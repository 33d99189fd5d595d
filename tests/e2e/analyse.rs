//! The Analyse area: potentials, verdict and settings on the paper's data.

use crate::support::Browser;

/// The Enter key as WebDriver types it (a typed newline is Enter in chromedriver only).
const ENTER: char = '\u{e007}';

const PERSONAL: &str = "#potentials-table tr[data-state='PERSONAL'] td.potential";
const PROBLEMS: &str = "#potentials-table tr[data-state='PROBLEMS'] td.potential";

#[tokio::test]
#[ignore = "end-to-end"]
async fn claude4_potentials_and_unbounded_states() {
    let b = Browser::open("/").await;
    assert_eq!(b.text(PERSONAL).await, "4.0737");
    assert_eq!(b.text(PROBLEMS).await, "5.1812");
    assert_eq!(b.text("#potentials-table tr[data-state='ATTITUDE'] td.potential").await, "0.0000");
    for state in ["TURKEY", "BUZZY"] {
        let row = format!("#potentials-table tr[data-state='{state}']");
        assert_eq!(b.text(&format!("{row} td.potential")).await, "unbounded", "{state}");
        assert!(b.text(&row).await.contains("V ≥"), "{state} shows its bound");
    }
    assert_eq!(b.text("#verdict-identifiable").await, "3 of 5 states are identifiable.");
    assert!(b.text("#verdict-lrt").await.contains("df = 0"));
    b.client.execute("document.querySelector('#verdict').scrollIntoView()", vec![]).await.unwrap();
    b.screenshot("analyse-claude4").await;
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn kernel_and_preset_change_the_numbers_and_bad_beta_is_refused() {
    let b = Browser::open("/").await;
    let softplus = b.text("#stat-action").await;
    b.find("#kernel-picker").await.select_by_value("exp").await.unwrap();
    let exp = b.wait_text_change("#stat-action", &softplus).await;
    assert_ne!(exp, softplus, "the action depends on the kernel");
    assert_eq!(b.text("#preset-picker option:checked").await, "Custom");
    // Each pair exchanges only with ATTITUDE: both kernels give the exact log ratio.
    assert_eq!(b.text(PERSONAL).await, "4.0737");

    b.find("#preset-picker").await.select_by_value("paper-code").await.unwrap();
    let code = b.wait_text_change("#stat-action", &exp).await;
    assert_eq!(code, softplus, "paper code: softplus, high-reject");
    // The paper code's gauge is mean zero over the fitted states.
    assert_ne!(b.text(PERSONAL).await, "4.0737");

    b.find("#preset-picker").await.select_by_value("balance-lab").await.unwrap();
    assert_eq!(b.wait_text(PERSONAL, "4.0737").await, "4.0737");
    let beta = b.find("#beta-input").await;
    beta.clear().await.unwrap();
    beta.send_keys(&format!("-2{ENTER}")).await.unwrap();
    assert!(b.text("p.error[role='alert']").await.contains("positive"));
    assert_eq!(b.text(PERSONAL).await, "4.0737", "the analysis is kept");
    beta.clear().await.unwrap();
    beta.send_keys(&format!("2{ENTER}")).await.unwrap();
    assert_eq!(
        b.wait_text(PERSONAL, "2.0368").await,
        "2.0368",
        "beta V is what the data fix: V halves"
    );
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn gemini_shows_four_identifiable_states() {
    let b = Browser::open("/").await;
    b.find("#dataset-picker").await.select_by_value("gemini25flash-word").await.unwrap();
    let blissful = "#potentials-table tr[data-state='BLISSFUL'] td.potential";
    assert_eq!(b.wait_text(blissful, "5.1733").await, "5.1733");
    assert_eq!(b.text("#verdict-identifiable").await, "4 of 13 states are identifiable.");
    b.screenshot("analyse-gemini").await;
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn the_potentials_table_sorts_by_a_clicked_heading() {
    let b = Browser::open("/").await;
    let first = "#potentials-table tbody tr:first-child th";
    let last = "#potentials-table tbody tr:last-child th";
    assert_eq!(b.text(first).await, "ATTITUDE", "lowest V first");
    let state_heading = "#potentials-table thead th:first-child button";
    b.find(state_heading).await.click().await.unwrap();
    assert_eq!(b.wait_text(last, "TURKEY").await, "TURKEY");
    assert_eq!(b.text(first).await, "ATTITUDE");
    b.find(state_heading).await.click().await.unwrap();
    assert_eq!(b.wait_text(first, "TURKEY").await, "TURKEY", "a second click reverses");
    let aria =
        b.find("#potentials-table thead th:first-child").await.attr("aria-sort").await.unwrap();
    assert_eq!(aria.as_deref(), Some("descending"));
    b.find("#potentials-table thead th:nth-child(2) button").await.click().await.unwrap();
    assert_eq!(b.wait_text(first, "ATTITUDE").await, "ATTITUDE", "fewest attempts first");
    assert_eq!(b.text(last).await, "TURKEY", "4122 attempts");
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn the_pairwise_plot_is_drawn_from_the_report() {
    let b = Browser::open("/").await;
    b.find("#pairwise-plot").await;
    assert!(b.text("#pairwise-plot-summary").await.starts_with("N = 2, r = 1.000"));
    // Points and error bars in the points' blue (0, 114, 178).
    let (drawn, blue) = b.wait_pixels("#pairwise-plot", (0, 114, 178), 40).await;
    assert!(drawn > 2_000, "axes, labels and the y = x line: {drawn} pixels");
    assert!(blue > 40, "the two measured pairs: {blue} blue pixels");
    b.shoot("#pairwise-plot-card", "figure-pairwise-claude4").await;
    b.finish().await;
}
