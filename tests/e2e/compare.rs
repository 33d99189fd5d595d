//! The Compare view: the paper's two datasets, a simulated temperature sweep, its share link,
//! the way in from Analyse and from lesson 5, and Back.

use std::time::Duration;

use crate::support::Browser;

/// The scale shown for the dataset `name`: (beta, interval low, interval high).
async fn scale(b: &Browser, name: &str) -> (f64, f64, f64) {
    let li = b.find(&format!("#compare-scales li[data-name='{name}']")).await;
    let attr = |a: &'static str| {
        let li = li.clone();
        async move {
            li.attr(a)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("{name} has no {a}"))
                .parse()
                .unwrap()
        }
    };
    (attr("data-beta").await, attr("data-lo").await, attr("data-hi").await)
}

/// Adds the entry `value` of the picker and waits until `arms` datasets are listed.
async fn add(b: &Browser, value: &str, arms: usize) {
    b.find("#compare-add").await.select_by_value(value).await.unwrap();
    b.find(&format!("#compare-arms li:nth-child({arms})")).await;
}

/// Waits (up to 90 s: the bootstrap runs in the worker) for the verdict to satisfy `done`.
async fn verdict(b: &Browser, done: impl Fn(&str) -> bool) -> String {
    for _ in 0..6 {
        let text = b.wait_for_text("#compare-verdict", &done).await;
        if done(&text) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the verdict never came");
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn compares_the_papers_datasets_and_a_temperature_sweep_and_shares_it() {
    let b = Browser::open("/").await;
    b.find("#counts-table").await;
    // From Analyse: the dataset shown becomes the first of the comparison.
    b.find("#compare-button").await.click().await.unwrap();
    b.find("#compare-arms li[data-name='Claude-4 word task (paper)']").await;
    assert!(b.client.current_url().await.unwrap().path().ends_with("/compare"));
    // Compare is a view of Analyse: its tab stays marked.
    let class = b.find("#nav-analyse").await.attr("class").await.unwrap().unwrap_or_default();
    assert!(class.contains("in-area"), "{class}");
    add(&b, "gemini25flash-word", 2).await;
    let text = verdict(&b, |t| t.contains("ATTITUDE")).await;
    assert!(text.contains("only one identifiable state (ATTITUDE)"), "{text}");
    b.find("#compare-scatter-empty").await;
    // Levels in the ink colour, drawn.
    let (_, ink) = b.wait_pixels("#compare-levels", (40, 44, 48), 200).await;
    assert!(ink > 200, "{ink} level pixels");
    b.screenshot("compare-paper").await;
    // Back returns to Analyse.
    b.client.back().await.unwrap();
    b.find("#counts-table").await;

    // One landscape at temperatures 1 and 0.5: the colder run's scale is 2.
    b.goto("/compare").await;
    b.find("#compare-empty").await;
    add(&b, "word-t1", 1).await;
    add(&b, "word-t0.5", 2).await;
    let text =
        verdict(&b, |t| t.starts_with("One landscape") || t.starts_with("The landscapes")).await;
    assert!(text.starts_with("One landscape up to scale"), "{text}");
    let (beta, lo, hi) = scale(&b, "Simulated word task at temperature 0.5").await;
    assert!(lo < 2.0 && 2.0 < hi && lo < beta && beta < hi, "β {beta} in [{lo}, {hi}]");
    let p = b.text("#compare-p-bootstrap").await;
    assert!(p.parse::<f64>().is_ok_and(|p| p > 0.0), "{p}");
    // Points in blue and the joint model's line in orange.
    let (_, blue) = b.wait_pixels("#compare-scatter", (0, 114, 178), 300).await;
    let (_, orange) = b.wait_pixels("#compare-scatter", (230, 159, 0), 300).await;
    assert!(blue > 300 && orange > 300, "{blue} blue, {orange} orange pixels");
    b.find("#compare-table tr[data-state='ATTITUDE']").await;
    b.screenshot("compare-sweep").await;
    b.shoot("#compare-scatter-card", "compare-scatter").await;
    b.shoot("#compare-levels-card", "compare-levels").await;
    b.shoot("#compare-table-card", "compare-table").await;

    // The link reproduces the same numbers.
    b.find("#compare-share").await.click().await.unwrap();
    let link = b.find("#share-link").await.prop("value").await.unwrap().unwrap();
    assert!(link.contains("/compare#c1/"), "{link}");
    b.goto("/").await;
    b.find("#counts-table").await;
    b.client.goto(&link).await.unwrap();
    let again =
        verdict(&b, |t| t.starts_with("One landscape") || t.starts_with("The landscapes")).await;
    assert_eq!(again, text);
    assert_eq!(scale(&b, "Simulated word task at temperature 0.5").await, (beta, lo, hi));

    // A broken link says so, and the view still works.
    b.goto("/").await;
    b.find("#counts-table").await;
    b.goto(&format!("/compare#c1/{}", "A".repeat(40))).await;
    assert!(b.text("#compare-notice").await.contains("cannot be opened"));
    add(&b, "claude4-word", 1).await;
    // A long bootstrap can be skipped: the comparison comes at once with the χ² p-value only.
    b.goto("/compare").await;
    // Too few replicates for an interval are refused, in the core's words.
    b.fill("#compare-bootstrap", "10").await;
    let notice = b.wait_for_text("#compare-notice", |t| t.contains("too few")).await;
    assert!(notice.starts_with("10 bootstrap replicates are too few"), "{notice}");
    b.fill("#compare-bootstrap", "2000").await;
    add(&b, "word-t1", 1).await;
    add(&b, "word-t2", 2).await;
    b.find("#compare-skip-bootstrap").await.click().await.unwrap();
    verdict(&b, |t| t.starts_with("One landscape") || t.starts_with("The landscapes")).await;
    assert_eq!(b.text("#compare-p-bootstrap").await, "–");
    let shown = b.find("#compare-bootstrap").await.prop("value").await.unwrap();
    assert_eq!(shown.as_deref(), Some("0"));
    // Removing a dataset leaves one: nothing to compare, no verdict.
    b.find("#compare-arms li:nth-child(2) .remove-arm").await.click().await.unwrap();
    b.find("#compare-arms li").await;
    assert!(b.client.find(fantoccini::Locator::Css("#compare-verdict")).await.is_err());
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn lesson_five_opens_its_two_runs_in_compare() {
    let b = Browser::open("/learn/voting").await;
    b.find("#l5-slope").await;
    b.fill("#l5-beta", "2").await;
    b.wait_for_text("#l5-slope", |t| t.parse::<f64>().is_ok_and(|s| s > 1.5)).await;
    b.find("#l5-compare").await.click().await.unwrap();
    b.find("#compare-arms li[data-name='Lesson 5: β = 1, one answer']").await;
    verdict(&b, |t| t.starts_with("One landscape") || t.starts_with("The landscapes")).await;
    let (beta, lo, hi) = scale(&b, "Lesson 5: β = 2, vote of 1").await;
    assert!(lo < 2.0 && 2.0 < hi, "β {beta} in [{lo}, {hi}]");
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn two_experiments_of_the_simulated_agent_open_in_compare() {
    let b = Browser::open("/experiment").await;
    // The simulated agent at temperatures 1 and 0.5: one landscape, twice as deep when colder.
    for (runs, (name, t)) in [("Warm", "1"), ("Cold", "0.5")].into_iter().enumerate() {
        b.fill("#name", name).await;
        b.fill("#temperature", t).await;
        b.fill("#attempts", "3000").await;
        // One call at a time: the data, and so the verdict, are the same on every run.
        b.fill("#concurrency", "1").await;
        b.fill("#latency", "0").await;
        b.find("#start-run").await.click().await.unwrap();
        let started = std::time::Instant::now();
        while b.text("#experiment-list tbody").await.matches("finished").count() < runs + 1 {
            assert!(started.elapsed().as_secs() < 120, "{name}: the run did not finish");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    let compare = b.find("#compare-experiments").await;
    assert_eq!(compare.attr("disabled").await.unwrap().as_deref(), Some("true"));
    for tick in b.client.find_all(fantoccini::Locator::Css(".compare-check")).await.unwrap() {
        tick.click().await.unwrap();
    }
    b.find("#compare-experiments").await.click().await.unwrap();
    b.find("#compare-arms li[data-name='Experiment: Cold']").await;
    b.find("#compare-arms li[data-name='Experiment: Warm']").await;
    let text =
        verdict(&b, |t| t.starts_with("One landscape") || t.starts_with("The landscapes")).await;
    assert!(text.starts_with("One landscape up to scale"), "{text}");
    // The list shows the newest first, so Cold is the first dataset: Warm's scale is about 1/2.
    let (beta, lo, hi) = scale(&b, "Experiment: Warm").await;
    assert!(lo < 0.5 && 0.5 < hi, "β {beta} in [{lo}, {hi}]");
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn a_run_over_two_temperatures_runs_its_arms_together_and_opens_in_compare() {
    let b = Browser::open("/experiment").await;
    b.fill("#name", "Sweep").await;
    b.fill("#attempts", "3000").await;
    b.fill("#latency", "0").await;
    // One temperature alone is not a comparison, and a word is not a temperature.
    b.fill("#arm-temperatures", "1").await;
    b.find("#start-run").await.click().await.unwrap();
    assert!(b.text("#form-error").await.contains("two or more"));
    b.fill("#arm-temperatures", "1, warm").await;
    b.find("#start-run").await.click().await.unwrap();
    b.wait_for_text("#form-error", |t| t.contains("\"warm\" is not a number")).await;
    b.fill("#arm-temperatures", "1, 0.5").await;
    b.fill("#latency", "10").await;
    b.find("#start-run").await.click().await.unwrap();
    b.find("#run-arms").await;
    // Pause stops every arm, Resume starts them all again.
    b.find("#pause-run").await.click().await.unwrap();
    b.wait_text("#run-status", "paused").await;
    b.wait_for_text("#run-arms", |t| t.ends_with("paused")).await;
    let paused = b.text("#run-arms").await;
    assert!(paused.ends_with("paused"), "{paused}");
    b.find("#resume-run").await.click().await.unwrap();
    b.wait_for_text("#run-arms", |t| !t.ends_with("paused")).await;
    b.find("#open-arms").await;
    // A second sweep, one call at a time: its data are then the same on every run of this test
    // (many calls at once finish in a varying order), so its verdict is reproducible.
    b.fill("#name", "Sweep").await;
    b.fill("#concurrency", "1").await;
    b.fill("#latency", "0").await;
    b.find("#start-run").await.click().await.unwrap();
    // Both arms are saved experiments of their own, running at the same time: four in all.
    let started = std::time::Instant::now();
    while b.text("#experiment-list tbody").await.matches("finished").count() < 4 {
        assert!(started.elapsed().as_secs() < 120, "the second sweep did not finish");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    b.find("#open-arms").await.click().await.unwrap();
    b.find("#compare-arms li[data-name='Experiment: Sweep (T 1)']").await;
    b.find("#compare-arms li[data-name='Experiment: Sweep (T 0.5)']").await;
    let text =
        verdict(&b, |t| t.starts_with("One landscape") || t.starts_with("The landscapes")).await;
    assert!(text.starts_with("One landscape up to scale"), "{text}");
    let (beta, lo, hi) = scale(&b, "Experiment: Sweep (T 0.5)").await;
    assert!(lo < 2.0 && 2.0 < hi, "β {beta} in [{lo}, {hi}]");
    b.client.back().await.unwrap();
    // The list is read again from the store when the area opens.
    let done = |t: &str| t.matches("finished").count() == 4;
    let list = b.wait_for_text("#experiment-list tbody", done).await;
    assert!(done(&list), "{list}");
    b.finish().await;
}
