//! Browser benchmarks (not tests: nothing is asserted about time). Run by `bench/browser.sh`,
//! which builds the release app first; prints a Markdown table for docs/benchmarks.md.
//!
//! Measures, in headless Chromium on the release build: the paper-scale dataset from choosing
//! it to every view drawn, the worker's analysis time, and the landscape's redraw time per
//! frame with 1,000 nodes while zooming and panning.
#![cfg(not(target_arch = "wasm32"))]

#[allow(dead_code)]
#[path = "../e2e/support.rs"]
mod support;

use serde_json::json;
use support::Browser;

/// Chooses the paper-scale dataset and resolves, once the worker's report is drawn, with
/// `[ms from the choice to every view drawn, worker text, ms generating the dataset, ms
/// reading the report]`.
const PAPER_SCALE_TO_DRAWN: &str = "const done = arguments[arguments.length - 1]; \
    const picker = document.querySelector('#dataset-picker'); \
    const t0 = performance.now(); \
    picker.value = 'sim-paper-scale'; picker.dispatchEvent(new Event('change')); \
    const ids = ['level-diagram', 'landscape-plot', 'pairwise-plot', 'loop-plot', 'oneway-plot', 'histogram-plot']; \
    const ready = () => { const t = document.querySelector('#analysis-timing'); \
      return t && t.innerText.includes('background worker') && \
        ids.every(id => document.getElementById(id)) && \
        performance.getEntriesByName('landscape-draw').length > 0; }; \
    const check = () => { if (ready()) { \
        const load = performance.getEntriesByName('load-dataset').pop(); \
        const parse = performance.getEntriesByName('worker-reply-parse').map(e => e.duration).reduce((a, b) => Math.max(a, b), 0); \
        done([performance.now() - t0, document.querySelector('#analysis-timing').innerText, load ? load.duration : -1, parse]); \
      } else { requestAnimationFrame(check); } }; \
    performance.clearMeasures('landscape-draw'); \
    requestAnimationFrame(check);";

/// Zooms and pans the landscape `arguments[0]` times, one frame each, and resolves with the
/// durations of the redraws.
const ZOOM_AND_PAN: &str = "const [frames, done] = [arguments[0], arguments[arguments.length - 1]]; \
    const c = document.querySelector('#landscape-plot'); const box = c.getBoundingClientRect(); \
    performance.clearMeasures('landscape-draw'); let k = 0; \
    const step = () => { \
      if (k >= frames) { done(performance.getEntriesByName('landscape-draw').map(e => e.duration)); return; } \
      const zoomIn = k % 4 < 2; \
      c.dispatchEvent(new WheelEvent('wheel', { deltaY: zoomIn ? -120 : 120, clientX: box.left + box.width / 2, \
        clientY: box.top + box.height / 2, bubbles: true, cancelable: true })); \
      c.dispatchEvent(new KeyboardEvent('keydown', { key: k % 2 ? 'ArrowLeft' : 'ArrowRight', bubbles: true })); \
      k++; requestAnimationFrame(step); }; \
    requestAnimationFrame(step);";

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() { f64::NAN } else { v[v.len() / 2] }
}

#[tokio::test]
#[ignore = "benchmark: run by bench/browser.sh"]
async fn browser_benchmarks() {
    let mut to_drawn = Vec::new();
    let mut worker = Vec::new();
    let mut generate = Vec::new();
    let mut read = Vec::new();
    let mut redraw = Vec::new();
    for _ in 0..3 {
        let b = Browser::open("/").await;
        b.find("#potentials-table").await;
        // A person takes a moment before choosing: by then the worker has loaded.
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let v = b.client.execute_async(PAPER_SCALE_TO_DRAWN, vec![]).await.expect("paper scale");
        let (ms, text, load, parse): (f64, String, f64, f64) = serde_json::from_value(v).unwrap();
        let compute: f64 = text
            .trim_start_matches("Analysed in ")
            .split_whitespace()
            .next()
            .and_then(|x| x.parse().ok())
            .unwrap_or(f64::NAN);
        to_drawn.push(ms);
        worker.push(compute);
        generate.push(load);
        read.push(parse);

        let top = b.find("#landscape-top-k").await;
        top.clear().await.unwrap();
        top.send_keys("1000\n").await.unwrap();
        b.wait_for_text("#landscape-summary", |t| t.starts_with("1000 of")).await;
        let v = b.client.execute_async(ZOOM_AND_PAN, vec![json!(40)]).await.expect("redraws");
        let frames: Vec<f64> = serde_json::from_value(v).unwrap();
        redraw.extend(frames);
        b.finish().await;
    }
    let max = redraw.iter().copied().fold(0.0f64, f64::max);
    println!("| measure | median | all runs |");
    println!("|---|---|---|");
    println!(
        "| paper scale: choice to every view drawn | {:.0} ms | {to_drawn:.0?} |",
        median(to_drawn.clone())
    );
    println!(
        "| of which generating the dataset (page) | {:.0} ms | {generate:.0?} |",
        median(generate.clone())
    );
    println!(
        "| of which `analyze` in the worker | {:.0} ms | {worker:.0?} |",
        median(worker.clone())
    );
    println!(
        "| of which reading the report on the page | {:.0} ms | {read:.0?} |",
        median(read.clone())
    );
    println!(
        "| landscape redraw, 1,000 nodes, zoom and pan ({} frames) | {:.1} ms | max {max:.1} ms |",
        redraw.len(),
        median(redraw.clone())
    );
}
