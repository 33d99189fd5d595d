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
    const ids = ['level-diagram', 'disconnectivity-plot', 'surface-plot', 'landscape-plot', 'pairwise-plot', \
      'loop-plot', 'oneway-plot', 'histogram-plot']; \
    const ready = () => { const t = document.querySelector('#analysis-timing'); \
      return t && t.innerText.includes('background worker') && \
        ids.every(id => document.getElementById(id) || document.getElementById(id + '-card')) && \
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

/// Resident memory (KiB) of the page's renderer process (the page, its worker and everything
/// they hold): the largest renderer of the profile at `profile`, leaving out Chromium's own UI
/// and the spare renderer it keeps ready.
fn renderer_kib(profile: &std::path::Path) -> u64 {
    let out = std::process::Command::new("ps").args(["-eo", "rss=,args="]).output().unwrap();
    let profile = profile.display().to_string();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| {
            l.contains("--type=renderer")
                && !l.contains("--top-chrome-webui")
                && l.contains(&profile)
        })
        .filter_map(|l| l.split_whitespace().next()?.parse::<u64>().ok())
        .max()
        .unwrap_or(0)
}

/// Clicks Start and resolves, once the run's status reads "finished", with the milliseconds
/// between (measured in the page, checked every frame).
const START_TO_FINISHED: &str = "const done = arguments[arguments.length - 1]; \
    const t0 = performance.now(); document.querySelector('#start-run').click(); \
    const check = () => { const s = document.querySelector('#run-status'); \
      if (s && s.innerText === 'finished') { done(performance.now() - t0); } \
      else { requestAnimationFrame(check); } }; \
    requestAnimationFrame(check);";

/// Runs `attempts` against the mock server at `concurrency`; returns the seconds from the click
/// on Start to "finished" and the peak memory of the page's renderer (MiB), sampled every
/// 500 ms.
async fn timed_run(
    b: &Browser,
    server: &mock_llm::MockServer,
    attempts: usize,
    concurrency: usize,
) -> (f64, f64) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    b.find("#nav-experiment").await.click().await.unwrap();
    b.find("#provider-kind").await.select_by_value("openai-compatible").await.unwrap();
    b.fill("#base-url", &format!("http://{}/v1", server.addr())).await;
    b.fill("#model", "mock").await;
    b.fill("#attempts", &attempts.to_string()).await;
    b.fill("#concurrency", &concurrency.to_string()).await;
    let (peak, stop) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicBool::new(false)));
    let sampler = {
        let (peak, stop, profile) = (peak.clone(), stop.clone(), b.profile.path().to_owned());
        tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                peak.fetch_max(renderer_kib(&profile), Ordering::SeqCst);
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
        })
    };
    let timeouts = fantoccini::wd::TimeoutConfiguration::new(
        Some(std::time::Duration::from_secs(600)),
        None,
        None,
    );
    b.client.update_timeouts(timeouts).await.unwrap();
    let ms =
        b.client.execute_async(START_TO_FINISHED, vec![]).await.expect("the run").as_f64().unwrap();
    stop.store(true, Ordering::SeqCst);
    sampler.await.unwrap();
    let counts = b.text("#run-counts").await;
    let expected = format!("{attempts} of {attempts} attempts recorded ({attempts} saved)");
    assert!(counts.starts_with(&expected), "{counts}");
    let peak = peak.load(Ordering::SeqCst).max(renderer_kib(b.profile.path()));
    (ms / 1000.0, peak as f64 / 1024.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by bench/browser.sh"]
async fn experiment_benchmarks() {
    let addr: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
    let server =
        mock_llm::MockServer::start(addr, mock_llm::Faults::default(), 1, false).await.unwrap();
    let mut rates = Vec::new();
    for _ in 0..3 {
        let b = Browser::open("/").await;
        let (seconds, _) = timed_run(&b, &server, 2000, 16).await;
        rates.push(2000.0 / seconds);
        b.finish().await;
    }
    let b = Browser::open("/").await;
    b.find("#potentials-table").await;
    let idle = renderer_kib(b.profile.path()) as f64 / 1024.0;
    let (seconds, peak) = timed_run(&b, &server, 20_000, 16).await;
    let live: Vec<f64> = serde_json::from_value(
        b.client
            .execute(
                "return performance.getEntriesByName('live-analysis').map(e => e.duration)",
                vec![],
            )
            .await
            .unwrap(),
    )
    .unwrap();
    let heap: f64 = b
        .client
        .execute("return performance.memory.usedJSHeapSize / 1048576", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap_or(f64::NAN);
    b.finish().await;
    println!("| measure | median | all runs |");
    println!("|---|---|---|");
    println!(
        "| experiment against mock-llm, 2,000 attempts at 16, saved to IndexedDB | {:.0} attempts/s | {rates:.0?} |",
        median(rates.clone())
    );
    println!(
        "| 20,000-attempt run (the paper's size): time, attempts/s | {seconds:.1} s | {:.0} attempts/s |",
        20_000.0 / seconds
    );
    println!(
        "| live analysis during the 20,000-attempt run ({} times) | {:.0} ms | max {:.0} ms |",
        live.len(),
        median(live.clone()),
        live.iter().copied().fold(0.0f64, f64::max)
    );
    println!(
        "| 20,000-attempt run: peak memory of the page's renderer (page + worker) | {peak:.0} MB | {idle:.0} MB with the app open before the run; JS heap at the end {heap:.0} MB |"
    );
}
