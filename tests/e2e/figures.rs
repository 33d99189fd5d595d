//! The Analyse figures: each one drawn from the report, saved as PNG, and the landscape's
//! pan, zoom, hover and selection.

use fantoccini::Locator;
use fantoccini::actions::{
    InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction, WheelAction, WheelActions,
};
use serde_json::json;

use crate::support::Browser;

/// Ink of levels and nodes (40, 44, 48), as drawn (levels opaque, nodes at 85% on white).
const INK: (u8, u8, u8) = (40, 44, 48);
const NODE: (u8, u8, u8) = (72, 76, 79);
const BLUE: (u8, u8, u8) = (0, 114, 178);
const VERMILLION: (u8, u8, u8) = (213, 94, 0);
const ORANGE: (u8, u8, u8) = (230, 159, 0);
/// Edges of the landscape: blue and vermillion at 45% on white.
const BLUE_EDGE: (u8, u8, u8) = (140, 191, 220);
const VERMILLION_EDGE: (u8, u8, u8) = (236, 182, 140);

/// Every figure card, by canvas id.
const FIGURES: [&str; 7] = [
    "level-diagram",
    "disconnectivity-plot",
    "landscape-plot",
    "pairwise-plot",
    "loop-plot",
    "oneway-plot",
    "histogram-plot",
];

/// Records the downloads the page starts through a link: `[name, href]` pairs.
const CAPTURE_LINKS: &str = "window.__links = []; const click = HTMLAnchorElement.prototype.click; \
    HTMLAnchorElement.prototype.click = function () { \
      window.__links.push([this.download, this.href]); return click.call(this); };";

/// Decodes the PNG of a data URL: `[is PNG, width, height]`.
const PNG_SIZE: &str = "const bytes = atob(arguments[0].split(',')[1]); \
    const u32 = i => ((bytes.charCodeAt(i) << 24) | (bytes.charCodeAt(i + 1) << 16) | \
      (bytes.charCodeAt(i + 2) << 8) | bytes.charCodeAt(i + 3)) >>> 0; \
    return [bytes.slice(1, 4) === 'PNG', u32(16), u32(20)];";

/// A number in a summary: the first one after `after`.
fn number_after(text: &str, after: &str) -> f64 {
    let rest = text.split_once(after).unwrap_or_else(|| panic!("no {after:?} in {text:?}")).1;
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    digits.parse().unwrap_or_else(|_| panic!("no number after {after:?} in {text:?}"))
}

/// The number in the cell `css` of a table row.
async fn cell_number(row: &fantoccini::elements::Element, css: &str) -> f64 {
    row.find(Locator::Css(css)).await.unwrap().text().await.unwrap().parse().unwrap()
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn the_default_dataset_draws_its_levels_and_every_figure_saves_as_png() {
    let b = Browser::open("/").await;
    // Claude-4: three placed states and TURKEY, BUZZY above the break with their bounds.
    let summary = b.text("#level-diagram-summary").await;
    assert!(summary.starts_with("5 of 5 placeable states"), "{summary}");
    let (_, ink) = b.wait_pixels("#level-diagram", INK, 300).await;
    assert!(ink > 300, "five levels: {ink} ink pixels");
    let (_, bound_text) = b.pixels("#level-diagram", VERMILLION).await;
    assert!(bound_text > 30, "the bounds of TURKEY and BUZZY: {bound_text} vermillion pixels");
    let (_, arrows) = b.pixels("#level-diagram", BLUE).await;
    assert!(arrows > 200, "downhill arrows: {arrows} blue pixels");
    b.shoot("#level-diagram-card", "figure-levels-claude4").await;
    b.shoot("#landscape-card", "figure-landscape-claude4").await;

    // Claude-4's five states hold no triangle seen both ways: the loop test says it has
    // nothing to test instead of drawing an empty chart.
    let empty = b.text("#loop-plot-empty").await;
    assert!(empty.starts_with("Nothing to test: no three states"), "{empty}");
    assert!(b.client.find(fantoccini::Locator::Css("#loop-plot")).await.is_err());
    assert!(!b.text("#main").await.contains("-0.00"), "no negative zero anywhere");

    b.client.execute(CAPTURE_LINKS, vec![]).await.unwrap();
    let mut drawn = Vec::new();
    for id in FIGURES {
        let css = format!("#{id}-empty");
        if b.client.find(fantoccini::Locator::Css(&css)).await.is_ok() {
            continue;
        }
        let button =
            if id == "landscape-plot" { "#landscape-png".into() } else { format!("#{id}-png") };
        b.find(&button).await.click().await.unwrap();
        drawn.push(if id == "landscape-plot" {
            "landscape.png".into()
        } else {
            format!("{id}.png")
        });
    }
    assert!(drawn.len() >= 4, "{drawn:?}");
    let links = b.client.execute("return window.__links", vec![]).await.unwrap();
    let links: Vec<(String, String)> = serde_json::from_value(links).unwrap();
    let names: Vec<&str> = links.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(names, drawn);
    for (name, href) in &links {
        let v = b.client.execute(PNG_SIZE, vec![json!(href)]).await.unwrap();
        let (png, w, h): (bool, u32, u32) = serde_json::from_value(v).unwrap();
        assert!(png, "{name} is a PNG");
        let expected = if name == "landscape.png" { (900, 520) } else { (640, 420) };
        assert_eq!((w, h), expected, "{name}");
    }
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn metropolis_figures_show_the_loop_test_the_histogram_and_the_true_potential() {
    let b = Browser::open("/").await;
    b.choose_dataset("sim-metropolis", "30").await;
    // The native analysis of the same simulation (`balance simulate --preset metropolis
    // --seed 1 --format csv | balance analyze --json`): 30 triangles, chi2/ndf 0.8550, a
    // histogram of 30 states with sigma 1.3081 and a minimum action of 0.32840.
    let loops = b.text("#loop-plot-summary").await;
    assert!(loops.starts_with("30 triangles"), "{loops}");
    assert!((number_after(&loops, "χ²/ndf =") - 0.855).abs() < 1e-3, "{loops}");
    let (_, points) = b.wait_pixels("#loop-plot", BLUE, 300).await;
    assert!(points > 300, "30 triangles with error bars: {points} blue pixels");
    let histogram = b.text("#histogram-plot-summary").await;
    assert!(histogram.starts_with("30 states"), "{histogram}");
    assert!((number_after(&histogram, "σ =") - 1.308).abs() < 1e-3, "{histogram}");
    assert_eq!(b.text("#action-measured").await, "0.3284");
    let (_, fit) = b.wait_pixels("#histogram-plot", ORANGE, 100).await;
    assert!(fit > 100, "the Gaussian fit: {fit} orange pixels");
    // A rugged landscape of 30 random energies has several wells, joined into one tree.
    let tree = b.text("#disconnectivity-plot-summary").await;
    let minima = number_after(&format!(" {tree}"), " ");
    assert!(tree.contains("local minima of the 30 states") && minima >= 2.0, "{tree}");
    let (_, ink) = b.wait_pixels("#disconnectivity-plot", INK, 200).await;
    assert!(ink > 200, "the tree: {ink} ink pixels");
    b.shoot("#disconnectivity-plot-card", "figure-disconnectivity-metropolis").await;
    // The energy surface: all 30 states laid out, the potential in viridis from dark purple
    // (low) to yellow (high), with the lowest states named.
    let surface = b.text("#surface-plot-summary").await;
    assert!(surface.starts_with("30 of the 30 states"), "{surface}");
    for (name, rgb) in
        [("purple", (71, 44, 122)), ("teal", (33, 144, 141)), ("yellow", (253, 231, 37))]
    {
        let (_, near) = b.wait_pixels("#surface-plot", rgb, 50).await;
        assert!(near > 50, "the surface's {name}: {near} pixels");
    }
    b.shoot("#surface-plot-card", "figure-surface-metropolis").await;
    // The simulator's true potential stands beside the recovered one.
    let headings = b.text("#potentials-table thead").await;
    assert!(headings.contains("True βV"), "{headings}");
    let rows =
        b.client.find_all(fantoccini::Locator::Css("#potentials-table tbody tr")).await.unwrap();
    let mut worst: f64 = 0.0;
    for row in rows.iter().take(10) {
        let fitted = cell_number(row, "td.potential").await;
        let truth = cell_number(row, "td.truth").await;
        worst = worst.max((fitted - truth).abs());
    }
    assert!(worst < 0.5, "the ten lowest states within 0.5 of the truth: worst {worst}");
    for id in ["loop-plot", "histogram-plot", "pairwise-plot", "level-diagram"] {
        b.shoot(&format!("#{id}-card"), &format!("figure-{id}-metropolis")).await;
    }
    b.finish().await;
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn word_task_one_way_pairs_and_the_transitions_table() {
    let b = Browser::open("/").await;
    b.choose_dataset("sim-word-task", "37").await;
    // Natively: 190 one-way pairs, 187 of them within the fitted component.
    let summary = b.text("#oneway-plot-summary").await;
    assert!(summary.starts_with("190 one-way pairs; 187 within"), "{summary}");
    let (_, points) = b.wait_pixels("#oneway-plot", BLUE, 500).await;
    assert!(points > 500, "187 triangles: {points} blue pixels");
    b.shoot("#oneway-plot-card", "figure-oneway-word-task").await;

    // The transitions table: largest count first, paged, filtered by state.
    let pager = b.text(".pager").await;
    assert!(pager.starts_with("Showing 100 of"), "{pager}");
    let first_count: f64 =
        b.text("#transitions-table tbody tr:first-child td:nth-child(3)").await.parse().unwrap();
    let second_count: f64 =
        b.text("#transitions-table tbody tr:nth-child(2) td:nth-child(3)").await.parse().unwrap();
    assert!(first_count >= second_count);
    let filter = b.find("#transitions-filter").await;
    let first_state = b.text("#transitions-table tbody tr:first-child td:first-child").await;
    filter.send_keys(&first_state).await.unwrap();
    // Every row mentions the state once the last keystroke is applied.
    let body = b
        .wait_for_text("#transitions-table tbody", |t| {
            !t.is_empty() && t.lines().all(|row| row.contains(first_state.as_str()))
        })
        .await;
    assert!(body.lines().all(|row| row.contains(first_state.as_str())), "{body}");
    b.shoot("#transitions-table", "table-transitions-word-task").await;

    // Words entered only once or twice have their intervals marked, and the table says why:
    // widened to hold the exact interval of a count of one or two, each reaches at least
    // log(2 / 0.2422) = 2.11 above the estimate (3.68 for a count of one; beta is 1).
    let thin = b.client.find_all(Locator::Css("#potentials-table td.interval.thin")).await.unwrap();
    assert!(!thin.is_empty(), "the 500-attempt run has words entered once or twice");
    for cell in &thin {
        let text = cell.text().await.unwrap();
        assert!(text.ends_with(" †"), "{text}");
        let title = cell.attr("title").await.unwrap().unwrap_or_default();
        assert!(title.contains("entered only") && title.contains("exact interval"), "{title}");
        let row = cell.find(Locator::XPath("..")).await.unwrap();
        let v = cell_number(&row, "td.potential").await;
        let ends: Vec<f64> =
            text.trim_end_matches(" †").split(" to ").map(|x| x.parse().unwrap()).collect();
        assert!(ends[0] < v && ends[1] - v > 2.11 - 1e-3, "widened upward: {v} in {text}");
    }
    let all = b.client.find_all(Locator::Css("#potentials-table td.interval")).await.unwrap();
    assert!(thin.len() < all.len(), "only some: {} of {}", thin.len(), all.len());
    let note = b.text(".card:has(#potentials-table) > p.muted").await;
    assert!(note.contains("† A state entered only once or twice"), "{note}");
    b.shoot("#potentials-table", "table-potentials-word-task").await;
    b.finish().await;
}

/// The viewport position of a drawn node of `#landscape-plot` (the centre of a node's disc).
const FIND_NODE: &str = "const c = document.querySelector('#landscape-plot'); \
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
    const near = (x, y) => { const i = 4 * (y * c.width + x); \
      return Math.abs(d[i] - 72) < 12 && Math.abs(d[i + 1] - 76) < 12 && Math.abs(d[i + 2] - 79) < 12; }; \
    const box = c.getBoundingClientRect(); \
    for (let y = 80; y < c.height - 60; y++) for (let x = 80; x < c.width - 20; x++) { \
      if (near(x, y) && near(x + 2, y) && near(x, y + 2) && near(x + 2, y + 2)) { \
        return [box.left + (x + 1) * box.width / c.width, box.top + (y + 1) * box.height / c.height]; } } \
    return null;";

#[tokio::test]
#[ignore = "end-to-end"]
async fn the_landscape_hovers_selects_zooms_pans_and_resets() {
    let b = Browser::open("/").await;
    b.choose_dataset("sim-metropolis", "30").await;
    let summary = b.text("#landscape-summary").await;
    assert!(summary.starts_with("30 of 30 states"), "{summary}");
    b.client
        .execute(
            "document.querySelector('#landscape-plot').scrollIntoView({block: 'center'})",
            vec![],
        )
        .await
        .unwrap();
    let (_, nodes) = b.wait_pixels("#landscape-plot", NODE, 300).await;
    assert!(nodes > 300, "30 nodes: {nodes} pixels");
    let (_, down) = b.pixels("#landscape-plot", BLUE_EDGE).await;
    let (_, up) = b.pixels("#landscape-plot", VERMILLION_EDGE).await;
    assert!(down > 200 && up > 200, "downhill {down} and uphill {up} edge pixels");
    let original = b.canvas_data("#landscape-plot").await;

    // Hover a node: the tooltip names it with its attempts and potential.
    let at = b.client.execute(FIND_NODE, vec![]).await.unwrap();
    let (x, y): (f64, f64) = serde_json::from_value(at).expect("a node is drawn");
    let mouse =
        MouseActions::new("mouse".into()).then(PointerAction::MoveTo { duration: None, x, y });
    b.client.perform_actions(mouse).await.unwrap();
    let tip = b.text("#landscape-tooltip").await;
    assert!(tip.contains("attempts, βV = "), "{tip}");
    let label = tip.split_once(':').unwrap().0.to_owned();
    b.shoot("#landscape-card", "figure-landscape-hover-metropolis").await;

    // Click it (the screenshot scrolled the page): its transitions are listed both ways.
    let at = b.client.execute(FIND_NODE, vec![]).await.unwrap();
    let (x, y): (f64, f64) = serde_json::from_value(at).expect("a node is drawn");
    let click = MouseActions::new("mouse".into())
        .then(PointerAction::MoveTo { duration: None, x, y })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    let (_, before) = b.pixels("#landscape-plot", BLUE).await;
    b.client.perform_actions(click).await.unwrap();
    let title = b.text("#state-details-title").await;
    assert!(title.starts_with(&label), "{title} is about {label}");
    // Its own transitions stand out in full colour while the others fade.
    let (_, after) = b.wait_pixels("#landscape-plot", BLUE, before + 100).await;
    assert!(after > before + 100, "picked-out transitions: {before} then {after} blue pixels");
    b.shoot("#landscape-card", "figure-landscape-selected-metropolis").await;
    assert!(!b.text("#state-out tbody").await.is_empty());
    assert!(!b.text("#state-in tbody").await.is_empty());
    assert_eq!(b.text("#landscape-select option:checked").await, label);

    // Zoom with the wheel, pan by dragging: the drawing changes; 0 resets it exactly.
    let wheel = WheelActions::new("wheel".into()).then(WheelAction::Scroll {
        duration: None,
        x: x as i64,
        y: y as i64,
        delta_x: 0,
        delta_y: -400,
    });
    b.client.perform_actions(wheel).await.unwrap();
    b.client
        .perform_actions(MouseActions::new("mouse".into()).then(PointerAction::MoveBy {
            duration: None,
            x: 40.0,
            y: 0.0,
        }))
        .await
        .unwrap();
    let zoomed = b.canvas_data("#landscape-plot").await;
    assert_ne!(zoomed, original, "zooming redraws");
    b.shoot("#landscape-card", "figure-landscape-zoomed-metropolis").await;
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveTo { duration: None, x: x - 100.0, y })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::MoveBy { duration: None, x: 120.0, y: 30.0 })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    b.client.perform_actions(drag).await.unwrap();
    let panned = b.canvas_data("#landscape-plot").await;
    assert_ne!(panned, zoomed, "dragging pans");
    // Deselect and reset by keyboard: the first drawing comes back, pixel for pixel.
    b.find("#landscape-select").await.select_by_value("").await.unwrap();
    b.find("#landscape-plot").await.send_keys("0").await.unwrap();
    let now = b.wait_canvas("#landscape-plot", |d| d == original).await;
    assert!(now == original, "0 resets the view");

    // Fewer states, typed and applied with Enter; a minimum T thins the transitions.
    let enter = '\u{e007}';
    let top_k = b.find("#landscape-top-k").await;
    top_k.clear().await.unwrap();
    top_k.send_keys(&format!("10{enter}")).await.unwrap();
    let fewer = b.wait_for_text("#landscape-summary", |t| t.starts_with("10 of 30")).await;
    assert!(fewer.starts_with("10 of 30 states"), "{fewer}");
    let (_, all_edges) = b.pixels("#landscape-plot", BLUE_EDGE).await;
    let min_t = b.find("#landscape-min-t").await;
    min_t.clear().await.unwrap();
    min_t.send_keys(&format!("0.2{enter}")).await.unwrap();
    let thinned = b.wait_canvas("#landscape-plot", |d| d != now).await;
    assert_ne!(thinned, now);
    let (_, strong_edges) = b.pixels("#landscape-plot", BLUE_EDGE).await;
    assert!(strong_edges < all_edges, "T ≥ 0.2 keeps fewer: {strong_edges} of {all_edges}");
    b.finish().await;
}

/// The labels the level diagram placed, as `[x0, y0, x1, y1]` boxes in canvas pixels.
async fn level_labels(b: &Browser) -> Vec<[f64; 4]> {
    let script = "const e = document.querySelector('#level-diagram-labels'); \
                  return e ? e.dataset.boxes : '[]'";
    let started = std::time::Instant::now();
    loop {
        let v = b.client.execute(script, vec![]).await.expect("read the label boxes");
        let text = v.as_str().unwrap_or("[]");
        let boxes: Vec<[f64; 4]> =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        if !boxes.is_empty() || started.elapsed() > std::time::Duration::from_secs(10) {
            return boxes;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[ignore = "end-to-end"]
async fn no_two_labels_of_the_level_diagram_overlap() {
    let b = Browser::open("/").await;
    // (dataset, states, labels at least: the ten most attempted states at most, each with
    // its name, plus the bounds and arrows it can fit).
    for (value, states, at_least) in [
        ("claude4-word", "5", 5 + 2),
        ("gemini25flash-word", "13", 10),
        ("sim-metropolis", "30", 10),
        ("sim-word-task", "37", 10),
    ] {
        b.choose_dataset(value, states).await;
        // Wait for the figure of this dataset (its summary names its state count).
        let boxes = level_labels(&b).await;
        assert!(boxes.len() >= at_least, "{value}: only {} labels placed", boxes.len());
        for (i, a) in boxes.iter().enumerate() {
            assert!(a[0] >= 0.0 && a[1] >= 0.0 && a[2] <= 640.0 && a[3] <= 420.0, "{value}: {a:?}");
            // No two overlap, and none come so near (under 4 px) that they read as one.
            for c in &boxes[i + 1..] {
                let g = 2.0;
                let near = a[0] - g < c[2] + g
                    && c[0] - g < a[2] + g
                    && a[1] - g < c[3] + g
                    && c[1] - g < a[3] + g;
                assert!(!near, "{value}: labels {a:?} and {c:?} overlap or touch");
            }
        }
        b.shoot("#level-diagram-card", &format!("figure-levels-{value}")).await;
    }
    b.finish().await;
}

/// The dark theme's figure paper (the cards' dark surface) and the light theme's white.
const DARK_PAPER: (u8, u8, u8) = (29, 35, 40);
const WHITE: (u8, u8, u8) = (255, 255, 255);

/// For every canvas on the page: its id, the share of its pixels within 30 of `rgb`, and the
/// same share over its outer frame (the 6 pixels along each edge).
const PAPER_SHARE: &str = "const [r, g, b] = arguments; \
    return [...document.querySelectorAll('canvas')].map(c => { \
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
      let near = 0, frame = 0, framed = 0; \
      for (let i = 0; i < d.length; i += 4) { \
        const p = Math.abs(d[i] - r) < 30 && Math.abs(d[i + 1] - g) < 30 && Math.abs(d[i + 2] - b) < 30; \
        const x = (i / 4) % c.width, y = Math.floor(i / 4 / c.width); \
        const edge = x < 6 || y < 6 || x >= c.width - 6 || y >= c.height - 6; \
        if (p) near++; if (edge) { framed++; if (p) frame++; } } \
      return [c.id, near / (d.length / 4), frame / framed]; });";

/// The figure whose plot is a coloured surface by design: only its frame is paper.
const COLOURED: &str = "surface-plot";

#[tokio::test]
#[ignore = "end-to-end"]
async fn every_figure_follows_the_dark_theme_and_back() {
    let b = Browser::open("/").await;
    b.wait_pixels("#level-diagram", INK, 300).await;
    for (theme, paper) in [("dark", DARK_PAPER), ("light", WHITE)] {
        b.find("#theme-picker").await.select_by_value(theme).await.unwrap();
        let started = std::time::Instant::now();
        let shares = loop {
            let args = vec![json!(paper.0), json!(paper.1), json!(paper.2)];
            let v = b.client.execute(PAPER_SHARE, args).await.unwrap();
            let shares: Vec<(String, f64, f64)> = serde_json::from_value(v).unwrap();
            let done = shares.iter().all(|s| (s.1 > 0.5 || s.0 == COLOURED) && s.2 > 0.95);
            if done || started.elapsed() > std::time::Duration::from_secs(10) {
                break shares;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        };
        assert!(shares.len() >= 4, "{theme}: the figures {shares:?}");
        for (id, share, frame) in &shares {
            assert!(*share > 0.5 || id == COLOURED, "{theme}: {id} is {:.0}% paper", share * 100.0);
            assert!(*frame > 0.95, "{theme}: {id}'s frame is {:.0}% paper", frame * 100.0);
        }
        assert!(shares.iter().any(|s| s.0 == COLOURED), "{theme}: no energy surface");
        b.shoot("#level-diagram-card", &format!("figure-levels-{theme}")).await;
        if theme == "dark" {
            // Text and levels in the dark theme's light ink.
            let (_, light_ink) = b.pixels("#level-diagram", (230, 233, 236)).await;
            assert!(light_ink > 100, "labels and levels in light ink: {light_ink}");
            b.screenshot("analyse-desktop-dark").await;
        }
    }
    b.finish().await;
}
