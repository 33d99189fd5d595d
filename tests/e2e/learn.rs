//! The Learn area: each lesson opens without console errors, its controls move the numbers the
//! right way, its link restores the same state, and its data open in Analyse.

use crate::support::{Browser, app_url};

/// The Okabe-Ito blue and orange of the figures (light theme).
const BLUE: (u8, u8, u8) = (0, 114, 178);
const ORANGE: (u8, u8, u8) = (230, 159, 0);

/// The greatest height in CSS pixels of the elements matching `css`.
async fn height(b: &Browser, css: &str) -> f64 {
    let v = b
        .client
        .execute(
            "return Math.max(...[...document.querySelectorAll(arguments[0])].map(e => \
             e.getBoundingClientRect().height))",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap();
    v.as_f64().unwrap()
}

/// Picks the choice of the "predict first" block `id` whose text is `text`; returns the answer
/// shown.
async fn predict(b: &Browser, id: &str, text: &str) -> String {
    let choice = format!("//div[@id='{id}-predict']//button[normalize-space()='{text}']");
    b.client.find(fantoccini::Locator::XPath(&choice)).await.unwrap().click().await.unwrap();
    b.wait_for_text(&format!("#{id}-answer"), |t| !t.is_empty()).await
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn start_here_explains_detailed_balance_in_typeset_maths_and_asks_before_it_tells() {
    let b = Browser::open("/learn").await;
    b.find("#lesson-idea").await;
    let tab = b.find("#lesson-tab-idea").await.attr("aria-current").await.unwrap();
    assert_eq!(tab.as_deref(), Some("page"));
    // The formulas are MathML the browser typesets: a fraction stands taller than a line of text.
    let formulas = b.client.find_all(fantoccini::Locator::Css("#lesson-idea math")).await.unwrap();
    assert!(formulas.len() >= 4, "{} formulas", formulas.len());
    let fraction = height(&b, "#lesson-idea .formula.block math").await;
    assert!(fraction > 30.0, "the tallest formula is {fraction} px tall");
    // The answer stays hidden until the reader guesses; a wrong guess is told so, then the right.
    assert!(b.client.find(fantoccini::Locator::Css("#idea-answer")).await.is_err());
    let wrong = predict(&b, "idea", "A is lower, by about 1.1").await;
    assert!(wrong.starts_with("Not quite."), "{wrong}");
    let right = predict(&b, "idea", "B is lower, by about 1.1").await;
    assert!(right.starts_with("Yes.") && right.contains("ln 3"), "{right}");
    b.screenshot("learn-start-here").await;
    // The map of lessons leads into them.
    b.client
        .find(fantoccini::Locator::Css("#idea-map a[href='/learn/two-states']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.find("#lesson-two-states").await;
    b.finish().await;
}

/// The leading number of a text such as "1.02 ± 0.03".
fn lead(text: &str) -> f64 {
    text.split_whitespace().next().and_then(|x| x.parse().ok()).unwrap_or(f64::NAN)
}

/// The number after "±".
fn se(text: &str) -> f64 {
    text.split('±').nth(1).and_then(|x| x.trim().parse().ok()).unwrap_or(f64::NAN)
}

async fn open_lesson(b: &Browser, id: &str) {
    b.find("#nav-learn").await.click().await.unwrap();
    // The area has opened on its first lesson before a lesson's tab is clicked (in Firefox a
    // click on a tab still being drawn was lost now and then).
    b.find("#lesson-idea").await;
    b.find(&format!("#lesson-tab-{id}")).await.click().await.unwrap();
    b.find(&format!("#lesson-{id}")).await;
}

/// The link the lesson's "Link to this lesson" button shows, as a path on the app.
async fn lesson_link(b: &Browser) -> String {
    b.find(".lesson-link-button").await.click().await.unwrap();
    let url = b.find(".lesson-link").await.prop("value").await.unwrap().unwrap();
    assert!(url.contains("/learn/"), "{url}");
    url.strip_prefix(app_url()).unwrap().to_owned()
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn two_states_the_estimate_converges_to_the_truth_and_the_link_restores_it() {
    let b = Browser::open("/").await;
    open_lesson(&b, "two-states").await;
    assert_eq!(b.text("#l1-samples").await, "200");
    assert_eq!(b.text("#l1-truth").await, "1.00");
    assert!(b.find("#lesson-two-states math").await.is_displayed().await.unwrap());
    let answer = predict(&b, "l1", "About 100").await;
    assert!(answer.starts_with("Yes."), "{answer}");
    // The estimate over time: its band and line drawn in blue, the truth in vermillion.
    let (_, blue) = b.wait_pixels("#l1-convergence", BLUE, 500).await;
    assert!(blue > 500, "{blue} blue pixels");
    let (_, truth) = b.pixels("#l1-convergence", (213, 94, 0)).await;
    assert!(truth > 100, "{truth} vermillion pixels");
    let early = b.text("#l1-estimate").await;
    let before = b.canvas_data("#l1-convergence").await;
    for _ in 0..10 {
        b.find("#l1-more").await.click().await.unwrap();
    }
    assert_eq!(b.wait_text("#l1-samples", "10200").await, "10200");
    let late = b.text("#l1-estimate").await;
    // More samples: a smaller error bar (about sqrt(51) times), and the truth within it.
    assert!(se(&late) < se(&early) / 4.0, "{early} -> {late}");
    assert!((lead(&late) - 1.0).abs() < 3.0 * se(&late), "{late}");
    // The figure follows the samples.
    let after = b.wait_canvas("#l1-convergence", |d| d != before).await;
    assert_ne!(after, before, "the convergence figure did not redraw");
    b.screenshot("learn-two-states").await;
    b.shoot("#l1-convergence-card", "learn-two-states-convergence").await;

    // B below A: the estimate turns negative with the truth.
    b.fill("#l1-delta", "-1.5").await;
    assert_eq!(b.wait_text("#l1-truth", "-1.50").await, "-1.50");
    let below = b.text("#l1-estimate").await;
    assert!((lead(&below) + 1.5).abs() < 3.0 * se(&below), "{below}");

    // Play adds samples ten times a second; Pause stops.
    b.find("#l1-play").await.click().await.unwrap();
    b.wait_for_text("#l1-samples", |t| t.parse::<f64>().unwrap() >= 10_300.0).await;
    b.find("#l1-play").await.click().await.unwrap();
    let paused = b.text("#l1-samples").await;
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(b.text("#l1-samples").await, paused);

    // The link restores the same lesson, parameters and seed: the same numbers.
    let path = lesson_link(&b).await;
    let shown = (b.text("#l1-samples").await, b.text("#l1-ab").await, b.text("#l1-estimate").await);
    let c = Browser::open(&path).await;
    c.find("#lesson-two-states").await;
    let again = (c.text("#l1-samples").await, c.text("#l1-ab").await, c.text("#l1-estimate").await);
    assert_eq!(again, shown);
    c.finish().await;

    // Its data in Analyse, with the true potential beside the recovered one.
    b.find(".lesson-analyse").await.click().await.unwrap();
    assert_eq!(b.wait_text("#stat-states", "2").await, "2");
    assert!(b.text("#potentials-table thead").await.contains("True βV"));
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn driven_cycle_more_drive_gives_larger_g_affinity_and_entropy_production() {
    let b = Browser::open("/").await;
    open_lesson(&b, "driven-cycle").await;
    let mut seen = Vec::new();
    for drive in ["0", "1", "2.5"] {
        b.fill("#l2-drive", drive).await;
        let truth = format!("Cycle affinity (true {:.2})", 3.0 * drive.parse::<f64>().unwrap());
        b.wait_for_text("#l2-numbers", |t| t.contains(&truth)).await;
        let g = lead(&b.text("#l2-g").await);
        let affinity = b.text("#l2-affinity").await;
        let entropy = lead(&b.text("#l2-entropy").await);
        let chi2 = lead(&b.text("#l2-loop").await);
        seen.push((g, lead(&affinity), entropy, chi2, se(&affinity), b.text("#l2-p").await));
    }
    let [none, some, strong] = [&seen[0], &seen[1], &seen[2]];
    assert!(none.0 < some.0 && some.0 < strong.0, "G: {seen:?}");
    assert!(none.1 < some.1 && some.1 < strong.1, "affinity: {seen:?}");
    assert!(none.2 < some.2 && some.2 < strong.2, "entropy production: {seen:?}");
    assert!(none.3 < strong.3, "loop test: {seen:?}");
    // No drive: the affinity is 0 within its error; a strong drive: near its true 7.5.
    assert!(none.1 < 3.0 * none.4, "{seen:?}");
    assert!((strong.1 - 7.5).abs() < 3.0 * strong.4, "{seen:?}");
    assert_eq!((none.5.as_str(), strong.5.as_str()), ("p = 0.0539", "p < 1e-300"), "{seen:?}");
    b.screenshot("learn-driven-cycle").await;

    let path = lesson_link(&b).await;
    assert!(path.contains("drive=2.5"), "{path}");
    let c = Browser::open(&path).await;
    c.find("#lesson-driven-cycle").await;
    assert_eq!(lead(&c.text("#l2-g").await), strong.0);
    assert_eq!(c.text("#l2-affinity").await, b.text("#l2-affinity").await);
    c.finish().await;

    b.find(".lesson-analyse").await.click().await.unwrap();
    assert_eq!(b.wait_text("#stat-states", "3").await, "3");
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn landscape_more_samples_bring_the_recovered_potentials_to_the_true_ones() {
    let b = Browser::open("/").await;
    open_lesson(&b, "landscape").await;
    assert_eq!(b.text("#l3-samples").await, "300");
    let mut seen = Vec::new();
    for n in ["300", "1200", "4800", "19200", "76800"] {
        if n != "300" {
            b.find("#l3-more").await.click().await.unwrap();
        }
        assert_eq!(b.wait_text("#l3-samples", n).await, n);
        seen.push((lead(&b.text("#l3-rms").await), lead(&b.text("#l3-se").await)));
    }
    // Error bars shrink at every step (about halving for four times the samples), and the
    // error against the truth shrinks from the first to the last.
    for w in seen.windows(2) {
        assert!(w[1].1 < w[0].1 * 0.7, "SE: {seen:?}");
    }
    let (first, last) = (seen[0], seen[4]);
    assert!(last.0 < first.0 / 3.0 && last.0 < 3.0 * last.1, "RMS: {seen:?}");
    b.screenshot("learn-landscape").await;
    // The drawing has a labelled potential axis (ticks 0 to 4) and a legend.
    let ticks = b.text("#lesson-landscape svg.levels").await;
    for label in ["0", "1", "2", "3", "4", "true energy", "recovered V ± SE"] {
        assert!(ticks.contains(label), "{label:?} missing from {ticks:?}");
    }
    b.shoot("#lesson-landscape svg.levels", "learn-landscape-figure").await;

    // Reshape: raise D; the link keeps the shape and the seed.
    b.fill("#l3-d", "0.3").await;
    b.wait_for_text("#l3-rms", |t| lead(t).is_finite()).await;
    let path = lesson_link(&b).await;
    assert!(path.contains("d=0.3") && path.contains("samples=76800"), "{path}");
    let c = Browser::open(&path).await;
    c.find("#lesson-landscape").await;
    assert_eq!(c.text("#l3-rms").await, b.text("#l3-rms").await);
    assert_eq!(c.text("#l3-se").await, b.text("#l3-se").await);
    c.finish().await;
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn the_real_thing_places_what_the_paper_placed_and_bounds_the_rest() {
    let b = Browser::open("/").await;
    open_lesson(&b, "real-data").await;
    let row = |table: &str, state: &str| format!("#{table} tr[data-state='{state}']");
    assert_eq!(b.text("#l6-states").await, "5");
    assert_eq!(b.text("#l6-placed").await, "3");
    // The paper's Claude-4 potentials (ORACLES: PERSONAL 4.07, PROBLEMS 5.18, ATTITUDE 0).
    assert!(b.text(&row("l6-placed-table", "PERSONAL")).await.contains("4.07"));
    assert!(b.text(&row("l6-placed-table", "PROBLEMS")).await.contains("5.18"));
    assert!(b.text(&row("l6-placed-table", "ATTITUDE")).await.contains("0.00"));
    for state in ["BUZZY", "TURKEY"] {
        let text = b.text(&row("l6-unplaced-table", state)).await;
        assert!(text.contains("V ≥"), "{text}");
    }
    // The paper's level diagram of the same data, drawn in the lesson.
    let levels =
        b.wait_for_text("#lesson-real-data #level-diagram-summary", |t| !t.is_empty()).await;
    assert!(levels.starts_with("5 of 5 placeable states"), "{levels}");
    let (_, ink) = b.wait_pixels("#level-diagram", (40, 44, 48), 300).await;
    assert!(ink > 300, "levels drawn: {ink} ink pixels");
    b.screenshot("learn-real-data").await;
    b.find("#l6-model").await.select_by_value("gemini25flash-word").await.unwrap();
    assert_eq!(b.wait_text("#l6-states", "13").await, "13");
    for (state, v) in [("DISCIPLINE", "0.53"), ("EXCELLENT", "4.77"), ("BLISSFUL", "5.17")] {
        assert!(b.text(&row("l6-placed-table", state)).await.contains(v), "{state}");
    }
    let path = lesson_link(&b).await;
    let c = Browser::open(&path).await;
    assert_eq!(c.wait_text("#l6-states", "13").await, "13");
    c.finish().await;
    // In Analyse, the data are named by their lesson and analysed with the lesson's settings
    // (the paper's text: exp kernel), so the numbers agree.
    let action: f64 = b.text("#l6-action").await.parse().unwrap();
    b.find(".lesson-analyse").await.click().await.unwrap();
    assert_eq!(b.wait_text("#stat-states", "13").await, "13");
    assert_eq!(b.text("#dataset-picker option:checked").await, "Lesson 6. The real thing");
    assert_eq!(b.text("#preset-picker option:checked").await, "Paper (text)");
    let analysed: f64 = b.text("#stat-action").await.parse().unwrap();
    assert!((analysed - action).abs() < 1e-4, "lesson {action}, Analyse {analysed}");
    b.finish().await;
}

/// The attempts and the standard error in a cell "N · ± SE".
fn attempts_and_se(cell: &str) -> (f64, f64) {
    let (n, error) = cell.split_once('·').unwrap();
    (n.trim().replace(',', "").parse().unwrap(), se(error))
}

/// The attempts and standard error in the cell `css`.
async fn cell(b: &Browser, css: String) -> (f64, f64) {
    attempts_and_se(&b.text(&css).await)
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn restarts_spread_the_attempts_that_a_trajectory_spends_in_the_valleys() {
    let b = Browser::open("/").await;
    open_lesson(&b, "protocols").await;
    let top = "#l4-table tr[data-state='E']";
    let (restarts, walk) =
        (cell(&b, format!("{top} .restarts")).await, cell(&b, format!("{top} .walk")).await);
    // The highest state: many more attempts under restart sampling, yet an error bar about as
    // wide, since both see about as many of the rare climbs into it.
    assert!(restarts.0 > 3.0 * walk.0, "{restarts:?} against {walk:?}");
    assert!(
        walk.1 < 1.5 * restarts.1 && restarts.1 < 1.5 * walk.1,
        "{restarts:?} against {walk:?}"
    );
    // The lowest state: the trajectory spends most of its time there.
    let bottom = "#l4-table tr[data-state='A']";
    let (r, w) =
        (cell(&b, format!("{bottom} .restarts")).await, cell(&b, format!("{bottom} .walk")).await);
    assert!(w.0 > r.0, "{r:?} against {w:?}");
    // The figure: both protocols' potentials with error bars, blue and orange.
    let (_, blue) = b.wait_pixels("#l4-figure", BLUE, 200).await;
    let (_, orange) = b.pixels("#l4-figure", ORANGE).await;
    assert!(blue > 200 && orange > 200, "{blue} blue, {orange} orange pixels");
    let answer = predict(&b, "l4", "About the same").await;
    assert!(answer.starts_with("Yes."), "{answer}");
    b.shoot("#l4-figure-card", "learn-protocols-figure").await;
    // A steep landscape: the trajectory hardly reaches the top, and its error bar falls behind.
    b.fill("#l4-spread", "6").await;
    b.wait_for_text("#l4-table tr[data-state='E'] td.num", |t| t == "6.00").await;
    let (restarts, walk) =
        (cell(&b, format!("{top} .restarts")).await, cell(&b, format!("{top} .walk")).await);
    assert!(walk.1 > 2.0 * restarts.1 || walk.1.is_nan(), "{restarts:?} against {walk:?}");
    // A flatter landscape: the trajectory reaches the top far more often.
    b.fill("#l4-spread", "0.5").await;
    b.wait_for_text("#l4-table tr[data-state='E'] td.num", |t| t == "0.50").await;
    let flat = cell(&b, format!("{top} .walk")).await;
    assert!(flat.0 > 2.0 * walk.0, "{flat:?} against {walk:?}");
    b.screenshot("learn-protocols").await;
    let path = lesson_link(&b).await;
    let c = Browser::open(&path).await;
    assert_eq!(c.text(&format!("{top} .walk")).await, b.text(&format!("{top} .walk")).await);
    c.finish().await;
    b.finish().await;
}

/// The slope of V against E and the minimum action the voting lesson shows.
async fn slope_and_action(b: &Browser) -> (f64, f64) {
    (lead(&b.text("#l5-slope").await), lead(&b.text("#l5-action").await))
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn colder_agents_and_votes_steepen_the_potential_and_shrink_the_action() {
    let b = Browser::open("/").await;
    open_lesson(&b, "voting").await;
    let plain = slope_and_action(&b).await;
    assert!((plain.0 - 1.0).abs() < 0.1, "{plain:?}");
    b.fill("#l5-votes", "3").await;
    assert_eq!(b.wait_text("#l5-n", "2 of 3").await, "2 of 3");
    let voted = slope_and_action(&b).await;
    assert!(voted.0 > 1.6 && voted.0 < 2.1, "{voted:?}");
    assert!(voted.1 < plain.1, "action {plain:?} -> {voted:?}");
    b.fill("#l5-votes", "1").await;
    b.fill("#l5-beta", "2").await;
    b.wait_for_text("#l5-numbers", |t| t.contains("about βn = 2.00")).await;
    let cold = slope_and_action(&b).await;
    assert!((cold.0 - 2.0).abs() < 0.2, "{cold:?}");
    assert!(cold.1 < plain.1, "action {plain:?} -> {cold:?}");
    b.screenshot("learn-voting").await;
    // The drawing's dashed line is the expected slope βn = 2: at E = 2.25 it stands at V = 4.5
    // (245 − 4.5 × 14 = 182 in the drawing's pixels); ticks and a legend label it.
    let lines = b
        .client
        .find_all(fantoccini::Locator::Css("#lesson-voting svg.levels line.expected-line"))
        .await
        .unwrap();
    let end = lines.last().unwrap().attr("y2").await.unwrap().unwrap();
    assert!((end.parse::<f64>().unwrap() - 182.0).abs() < 0.01, "expected line ends at {end}");
    let text = b.text("#lesson-voting svg.levels").await;
    for label in ["energy E", "recovered V", "fitted slope", "βn", "15"] {
        assert!(text.contains(label), "{label:?} missing from {text:?}");
    }
    b.shoot("#lesson-voting svg.levels", "learn-voting-figure").await;
    let path = lesson_link(&b).await;
    let c = Browser::open(&path).await;
    assert_eq!(c.text("#l5-slope").await, b.text("#l5-slope").await);
    c.finish().await;
    b.finish().await;
}
