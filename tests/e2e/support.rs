//! The end-to-end harness: serves the release build (`dist/`) on loopback, starts a WebDriver
//! server and a fresh headless browser (Chromium through chromedriver; Firefox ESR through
//! geckodriver when `BALANCE_BROWSER=firefox`), and checks the browser console for errors
//! (in Firefox, whose driver cannot read it, the uncaught errors the browser writes to its log).

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use balance_core::experiment::ExperimentFile;
use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// Root of the repository (the app package).
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The release build under test: `$BALANCE_DIST`, or `dist/` as `trunk build --release` leaves it.
fn dist() -> PathBuf {
    let dist = std::env::var_os("BALANCE_DIST").map_or_else(|| root().join("dist"), PathBuf::from);
    assert!(
        dist.join("index.html").is_file(),
        "no app build at {}: run `trunk build --release` (make test does)",
        dist.display()
    );
    dist
}

/// Where screenshots and other artifacts go: `target/e2e-artifacts/` (Chromium's), with
/// Firefox's in its `firefox/` folder.
pub fn artifacts() -> PathBuf {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
    let mut dir = target.join("e2e-artifacts");
    if Engine::current() == Engine::Firefox {
        dir.push("firefox");
    }
    std::fs::create_dir_all(&dir).expect("create the artifacts folder");
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// How long the test server holds back its next answer for a WebAssembly file, in milliseconds
/// (0: not at all); see [`hold_back_the_next_webassembly`].
static HOLD_BACK_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Makes the test server answer its next request for a WebAssembly file only after `held` (on a
/// thread of its own, so that the page's other requests are answered meanwhile, whichever the
/// browser asks first), as a browser that holds back that request would: the harness's own check
/// of [`Browser::try_open`]'s answer to such a stall.
pub fn hold_back_the_next_webassembly(held: Duration) {
    let ms = u64::try_from(held.as_millis()).unwrap_or(u64::MAX);
    HOLD_BACK_MS.store(ms, std::sync::atomic::Ordering::SeqCst);
}

/// Answers one request for a file of the release build in `dist`, and logs how it ended.
fn answer(request: tiny_http::Request, dist: &Path) {
    let url = request.url().to_owned();
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let relative = path.trim_start_matches('/');
    // The app's routes (paths without a file extension) are all the one page, as
    // `trunk serve` and any single-page host serve them.
    let route = !relative.rsplit('/').next().unwrap_or("").contains('.');
    let file = if route || relative.contains("..") {
        dist.join("index.html")
    } else {
        dist.join(relative)
    };
    let response = match std::fs::read(&file) {
        Ok(bytes) => {
            let header =
                tiny_http::Header::from_bytes(&b"Content-Type"[..], content_type(&file).as_bytes())
                    .unwrap();
            tiny_http::Response::from_data(bytes).with_header(header).boxed()
        }
        Err(_) => tiny_http::Response::empty(404).boxed(),
    };
    let began = Instant::now();
    let outcome = request.respond(response);
    server_log(&format!("{url} answered in {:?}: {outcome:?}", began.elapsed()));
}

/// Appends a line, with the time since the epoch in milliseconds, to the test server's log.
fn server_log(line: &str) {
    use std::io::Write;
    static LOG: OnceLock<std::sync::Mutex<std::fs::File>> = OnceLock::new();
    let file = LOG.get_or_init(|| {
        let file = std::fs::File::create(server_log_path()).expect("create the server's log");
        std::sync::Mutex::new(file)
    });
    if let Ok(mut file) = file.lock() {
        let _ = writeln!(file, "{} {line}", epoch_millis());
    }
}

/// The test server's log: `server-<process>.log` among the artifacts.
fn server_log_path() -> PathBuf {
    artifacts().join(format!("server-{}.log", std::process::id()))
}

/// Milliseconds since the Unix epoch (the logs' and the failure files' time stamps).
fn epoch_millis() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis())
}

/// Where [`Browser::open`] records each first page it found stalled.
pub fn stalls_log() -> PathBuf {
    artifacts().join("stalls.log")
}

/// The base URL of a static server over the release build, started once per test process.
pub fn app_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let dist = dist();
        let server = tiny_http::Server::http("127.0.0.1:0").expect("start the static server");
        let port = server.server_addr().to_ip().unwrap().port();
        // Each request is logged (`server-<process>.log` among the artifacts) with when it was
        // asked and how its answer ended, for a failing test's evidence.
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                server_log(&format!("{} asked", request.url()));
                let held = if request.url().ends_with(".wasm") {
                    HOLD_BACK_MS.swap(0, std::sync::atomic::Ordering::SeqCst)
                } else {
                    0
                };
                if held == 0 {
                    answer(request, &dist);
                } else {
                    let dist = dist.clone();
                    std::thread::spawn(move || {
                        std::thread::sleep(Duration::from_millis(held));
                        answer(request, &dist);
                    });
                }
            }
        });
        format!("http://127.0.0.1:{port}")
    })
}

/// The legacy chromedriver command that returns (and clears) the browser console log.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}

/// The browser engines the suite runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Chromium, through chromedriver (the default).
    Chromium,
    /// Firefox ESR, through geckodriver (`BALANCE_BROWSER=firefox`).
    Firefox,
}

impl Engine {
    /// The engine this run uses.
    pub fn current() -> Engine {
        match std::env::var("BALANCE_BROWSER").as_deref() {
            Ok("firefox") => Engine::Firefox,
            _ => Engine::Chromium,
        }
    }

    /// The WebDriver server's command and its arguments to listen on `port`.
    fn driver(self, port: u16) -> Command {
        let mut command = match self {
            Engine::Chromium => Command::new("chromedriver"),
            Engine::Firefox => {
                let mut c = Command::new("geckodriver");
                c.args(["--host", "127.0.0.1", "--binary", "/usr/bin/firefox-esr"]);
                c
            }
        };
        command.arg(format!("--port={port}"));
        command
    }

    /// The capabilities of a fresh headless session of 1280x900 with its profile in `profile`.
    fn capabilities(self, profile: &Path) -> Capabilities {
        let caps = match self {
            Engine::Chromium => json!({
                "goog:loggingPrefs": { "browser": "ALL" },
                "goog:chromeOptions": {
                    "binary": "/usr/bin/chromium",
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                        "--window-size=1280,900",
                        format!("--user-data-dir={}", profile.display()),
                    ]
                }
            }),
            Engine::Firefox => json!({
                "moz:firefoxOptions": {
                    "binary": "/usr/bin/firefox-esr",
                    "args": ["-headless", "-width", "1280", "-height", "900", "-profile",
                             profile.display().to_string()],
                    "prefs": {
                        // No network but the app's: no updates, telemetry or captive-portal checks.
                        "app.update.enabled": false,
                        "network.captive-portal-service.enabled": false,
                        "datareporting.policy.dataSubmissionEnabled": false,
                        "toolkit.telemetry.enabled": false,
                        "browser.shell.checkDefaultBrowser": false,
                        // The page's console to the driver's log, where a failing test finds it
                        // and `console_errors` reads the app's uncaught errors.
                        "devtools.console.stdout.content": true
                    }
                }
            }),
        };
        serde_json::from_value(caps).unwrap()
    }
}

/// A headless browser driven through its own WebDriver server, on the app.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    driver: Driver,
    /// The browser's fresh profile folder (its processes name it on their command line).
    pub profile: tempfile::TempDir,
    /// The WebDriver server's log (removed when the test passes).
    log: PathBuf,
    /// How much of the log [`Browser::console_errors`] has read.
    log_read: std::cell::Cell<usize>,
}

impl Browser {
    /// Starts the WebDriver server and a fresh headless browser (1280x900), and opens the app
    /// at `path`; fails the test if that first page never asks for the app's WebAssembly
    /// ([`Browser::try_open`]).
    pub async fn open(path: &str) -> Browser {
        Browser::try_open(path).await.unwrap_or_else(|stall| panic!("{stall}"))
    }

    /// [`Browser::open`], with a first page that never asked for the app's WebAssembly returned
    /// as its report (also appended to [`stalls_log`]) instead of failing the test.
    pub async fn try_open(path: &str) -> Result<Browser, String> {
        let engine = Engine::current();
        let port = free_port();
        // Its own process group, so that dropping the driver also stops the browser it started.
        // The driver's output (with Firefox, also the browser's console) goes to a log file that a
        // failing test names.
        let log = artifacts().join("drivers").join(format!("{port}.log"));
        std::fs::create_dir_all(log.parent().unwrap()).expect("create the drivers' log folder");
        let output = std::fs::File::create(&log).expect("create the driver's log");
        let mut driver = engine.driver(port);
        if let Ok(modules) = std::env::var("BALANCE_MOZ_LOG") {
            driver.env("MOZ_LOG", modules).env("MOZ_LOG_FILE", log.with_extension("moz"));
        }
        let driver = driver
            .process_group(0)
            .stdout(output.try_clone().expect("share the driver's log"))
            .stderr(output)
            .spawn()
            .expect("start the WebDriver server (installed by scripts/setup.sh)");
        let profile = tempfile::tempdir().unwrap();
        let caps = engine.capabilities(profile.path());
        let webdriver = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let mut builder = ClientBuilder::new(HttpConnector::new());
            match builder.capabilities(caps.clone()).connect(&webdriver).await {
                Ok(client) => break client,
                Err(e) if started.elapsed() < Duration::from_secs(20) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("could not start a browser session: {e}"),
            }
        };
        let browser = Browser {
            client,
            driver: Driver(driver),
            profile,
            log,
            log_read: std::cell::Cell::new(0),
        };
        browser.goto(path).await;
        browser.first_page_asks_for_the_webassembly(path).await?;
        Ok(browser)
    }

    /// Headless Firefox used to leave a fresh browser's first page blank now and then: the
    /// document completed, its preload of the app's WebAssembly never went out, and the loader's
    /// fetch waited on that preload (README, "Developing"; the app no longer preloads it). When,
    /// 10 s after the first page was opened, the document is complete, the app's bindings are
    /// absent and no WebAssembly has arrived, this records the stall with its evidence in
    /// [`stalls_log`] and returns that report. A page that fails any other way (a script error, a
    /// failed fetch, an app that loads and then breaks) is left for the test to fail on.
    async fn first_page_asks_for_the_webassembly(&self, path: &str) -> Result<(), String> {
        let started = Instant::now();
        loop {
            let state = self
                .client
                .execute(
                    "return [document.readyState === 'complete', \
                     typeof window.wasmBindings !== 'undefined', \
                     performance.getEntriesByType('resource').some(e => e.name.endsWith('.wasm'))]",
                    vec![],
                )
                .await;
            let Some([complete, loaded, fetched]) =
                state.ok().and_then(|v| serde_json::from_value::<[bool; 3]>(v).ok())
            else {
                return Ok(());
            };
            if loaded || fetched {
                return Ok(());
            }
            if started.elapsed() >= Duration::from_secs(10) {
                if complete {
                    break;
                }
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let evidence = self.evidence("stall").await;
        let line = format!(
            "{} {} first page {path} held back its WebAssembly for 10 s\n{evidence}\n",
            epoch_millis(),
            std::thread::current().name().unwrap_or("?"),
        );
        use std::io::Write;
        if let Ok(mut log) =
            std::fs::OpenOptions::new().create(true).append(true).open(stalls_log())
        {
            let _ = log.write_all(line.as_bytes());
        }
        Err(format!("a blank first page (README, \"Developing\"): {line}"))
    }

    /// Navigates to `path` (with its fragment) on the app.
    pub async fn goto(&self, path: &str) {
        self.client.goto(&format!("{}{path}", app_url())).await.expect("navigate");
    }

    /// Waits (up to 20 s) for an element matching `css`.
    pub async fn find(&self, css: &str) -> Element {
        let found = self
            .client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await;
        match found {
            Ok(element) => element,
            Err(e) => {
                let evidence = self.evidence("failure").await;
                panic!("no element matches {css}: {e}\n{evidence}")
            }
        }
    }

    /// What a failing test (`kind` "failure") or a stalled page ("stall") leaves to look at: the
    /// address, the document's state and title, a screenshot and the page's source (saved as
    /// `<kind>-<time>.png` and `.html` among the artifacts) and the driver's log.
    async fn evidence(&self, kind: &str) -> String {
        let name = format!("{kind}-{}", epoch_millis());
        let url = self.client.current_url().await.map(|u| u.to_string());
        let state = self
            .client
            .execute(
                "const t = e => e.name + ' ' + e.responseStatus + ' ' + Math.round(e.startTime) + \
                 '+' + Math.round(e.duration) + 'ms'; \
                 return [document.readyState, document.title, \
                 document.body ? document.body.innerText.length : -1, \
                 typeof window.wasmBindings, Math.round(performance.now()), \
                 performance.getEntriesByType('navigation').map(t).join(', '), \
                 performance.getEntriesByType('resource').map(t).join(', ')]",
                vec![],
            )
            .await;
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(artifacts().join(format!("{name}.png")), png);
        }
        if let Ok(html) = self.client.source().await {
            let _ = std::fs::write(artifacts().join(format!("{name}.html")), html);
        }
        let kept = artifacts().join(format!("{name}.log"));
        let _ = std::fs::copy(&self.log, &kept);
        format!(
            "address: {url:?}\n[readyState, title, body text length, the app's bindings, now, \
             navigation, resources fetched]: {state:?}\n\
             screenshot, page source and driver log: {}.{{png,html,log}}; the test server's \
             log: {}",
            artifacts().join(&name).display(),
            server_log_path().display()
        )
    }

    /// The text of the first element matching `css`, once it exists.
    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("read text")
    }

    /// Waits (up to 20 s) until the text of `css` satisfies `done`; returns the last text seen.
    pub async fn wait_for_text(&self, css: &str, done: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let text = self.text(css).await;
            if done(&text) || started.elapsed() > Duration::from_secs(20) {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits (up to 20 s) until the text of `css` equals `expected`; returns the last text seen.
    pub async fn wait_text(&self, css: &str, expected: &str) -> String {
        self.wait_for_text(css, |t| t == expected).await
    }

    /// Waits (up to 20 s) until the text of `css` differs from `old`; returns the new text.
    pub async fn wait_text_change(&self, css: &str, old: &str) -> String {
        self.wait_for_text(css, |t| t != old).await
    }

    /// Sets a field as a person typing into it would, then leaves it (which fires `change`).
    pub async fn fill(&self, css: &str, value: &str) {
        let script = "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
                      e.dispatchEvent(new Event('change', { bubbles: true }));";
        self.find(css).await;
        self.client.execute(script, vec![json!(css), json!(value)]).await.expect("fill a field");
    }

    /// Saves a PNG screenshot of the page as `target/e2e-artifacts/NAME.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("take a screenshot");
        std::fs::write(artifacts().join(format!("{name}.png")), png).expect("save screenshot");
    }

    /// Chooses `value` in the dataset picker and waits until its `states` states are shown.
    pub async fn choose_dataset(&self, value: &str, states: &str) {
        self.find("#dataset-picker").await.select_by_value(value).await.expect("choose a dataset");
        assert_eq!(self.wait_text("#stat-states", states).await, states, "{value}");
    }

    /// Scrolls the element matching `css` into view and saves a screenshot of it as
    /// `target/e2e-artifacts/NAME.png`.
    pub async fn shoot(&self, css: &str, name: &str) {
        let element = self.find(css).await;
        self.client
            .execute("arguments[0].scrollIntoView({block: 'center'})", vec![json!(element)])
            .await
            .expect("scroll");
        let png = element.screenshot().await.expect("take a screenshot");
        std::fs::write(artifacts().join(format!("{name}.png")), png).expect("save screenshot");
    }

    /// Pixels of the canvas matching `css`: `(drawn, near)`, the pixels that are not near-white
    /// and those within 30 of colour `rgb` on every channel.
    pub async fn pixels(&self, css: &str, rgb: (u8, u8, u8)) -> (u64, u64) {
        let script = "const [sel, r, g, b] = arguments; const c = document.querySelector(sel); \
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
            let drawn = 0, near = 0; \
            for (let i = 0; i < d.length; i += 4) { \
              if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) drawn++; \
              if (Math.abs(d[i] - r) < 30 && Math.abs(d[i + 1] - g) < 30 && Math.abs(d[i + 2] - b) < 30) near++; \
            } \
            return [drawn, near];";
        let args = vec![json!(css), json!(rgb.0), json!(rgb.1), json!(rgb.2)];
        let v = self.client.execute(script, args).await.expect("read the canvas");
        let counts: Vec<u64> = serde_json::from_value(v).expect("two counts");
        (counts[0], counts[1])
    }

    /// Waits (up to 20 s) until the canvas matching `css` has more than `at_least` pixels near
    /// `rgb`; returns the last [`Browser::pixels`].
    pub async fn wait_pixels(&self, css: &str, rgb: (u8, u8, u8), at_least: u64) -> (u64, u64) {
        self.find(css).await;
        let started = Instant::now();
        loop {
            let counts = self.pixels(css, rgb).await;
            if counts.1 > at_least || started.elapsed() > Duration::from_secs(20) {
                return counts;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The canvas matching `css` as a PNG data URL.
    pub async fn canvas_data(&self, css: &str) -> String {
        let v = self
            .client
            .execute("return document.querySelector(arguments[0]).toDataURL()", vec![json!(css)])
            .await
            .expect("read the canvas");
        v.as_str().unwrap_or_default().to_owned()
    }

    /// Waits (up to 5 s) until the canvas matching `css` satisfies `done`; returns its last
    /// PNG data URL.
    pub async fn wait_canvas(&self, css: &str, done: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let data = self.canvas_data(css).await;
            if done(&data) || started.elapsed() > Duration::from_secs(5) {
                return data;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Console messages of level SEVERE since the last call. In Firefox, whose driver cannot
    /// read the console, the uncaught errors of the app's own scripts (a panic ends in one) that
    /// the browser wrote to the driver's log since the last call.
    pub async fn console_errors(&self) -> Vec<String> {
        if Engine::current() == Engine::Firefox {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            let start = self.log_read.replace(log.len());
            let ours = format!("JavaScript error: {}", app_url());
            return log
                .get(start..)
                .unwrap_or_default()
                .lines()
                .filter(|line| line.starts_with(&ours))
                .map(str::to_owned)
                .collect();
        }
        let log = self.client.issue_cmd(BrowserLog).await.expect("read the browser log");
        log.as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter(|e| e["level"] == "SEVERE")
                    .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Asserts that the console shows no errors, then closes the browser.
    pub async fn finish(self) {
        self.finish_expecting(&[]).await;
    }

    /// Like [`Browser::finish`], but allows the console errors that contain one of `expected`
    /// (the browser logs every failed HTTP status a test provokes on purpose).
    pub async fn finish_expecting(self, expected: &[&str]) {
        let errors: Vec<String> = self
            .console_errors()
            .await
            .into_iter()
            .filter(|e| !expected.iter().any(|x| e.contains(x)))
            .collect();
        assert!(errors.is_empty(), "errors in the browser console: {errors:#?}");
        let Browser { client, driver, profile, log, .. } = self;
        let _ = client.close().await;
        drop(driver);
        drop(profile);
        let _ = std::fs::remove_file(log);
    }
}

/// The chromedriver process, stopped when dropped (also when a test fails).
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: chromedriver and the Chromium processes it started.
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits (up to `seconds`) until the run's status satisfies `done`; returns it.
pub async fn wait_status(b: &Browser, seconds: u64, done: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let text = b.text("#run-status").await;
        if done(&text) {
            return text;
        }
        assert!(started.elapsed() < Duration::from_secs(seconds), "the run is still: {text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Records every Blob the page turns into a download URL, so exports can be read back.
const CAPTURE_BLOBS: &str = "window.__blobs = []; const make = URL.createObjectURL; \
    URL.createObjectURL = function (b) { window.__blobs.push(b); return make.call(URL, b); };";

/// Exports the first listed experiment and reads the file the page made.
pub async fn export_first(b: &Browser) -> ExperimentFile {
    b.client.execute(CAPTURE_BLOBS, vec![]).await.unwrap();
    b.find("#experiment-list tbody tr .export-button").await.click().await.unwrap();
    let read = "const done = arguments[arguments.length - 1]; \
        const wait = () => window.__blobs.length ? window.__blobs[0].text().then(done) \
                                                 : setTimeout(wait, 50); wait();";
    let text = b.client.execute_async(read, vec![]).await.unwrap();
    serde_json::from_str(text.as_str().unwrap()).expect("the export is an experiment file")
}
