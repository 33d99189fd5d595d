//! `balance run` against the mock LLM server: what the server answered is what the file holds,
//! faults are retried, an interrupted run resumes without loss or duplicates, a bad key stops it.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use balance_core::experiment::ExperimentFile;
use mock_llm::{Faults, MockServer};

async fn server(faults: Faults) -> MockServer {
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    MockServer::start(addr, faults, 5, false).await.unwrap()
}

/// A run file for the word task against `server`, `attempts` attempts at `concurrency`.
fn run_file(dir: &Path, server: &MockServer, attempts: usize, concurrency: usize) -> PathBuf {
    let text = format!(
        r#"
name = "test"
key_env = "TEST_MOCK_KEY"
[provider]
kind = "openai-compatible"
base_url = "http://{}/v1"
model = "mock"
temperature = 1.0
max_tokens = 16
timeout_s = 5
[task]
preset = "word-sum-100"
[plan]
seeds = ["BUZZY"]
protocol = "uniform"
attempts = {attempts}
concurrency = {concurrency}
seed = 3
[retry]
max_attempts = 8
base_delay_ms = 10
max_delay_ms = 100
max_retry_after_ms = 1000
"#,
        server.addr()
    );
    let path = dir.join("run.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn balance(file: &Path, out: &Path, key: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_balance"));
    c.arg("run").arg(file).arg("--out").arg(out).arg("--quiet").env("TEST_MOCK_KEY", key);
    c
}

async fn output(mut c: Command) -> Output {
    tokio::task::spawn_blocking(move || c.output().unwrap()).await.unwrap()
}

fn read(path: &Path) -> ExperimentFile {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn sorted_indices(file: &ExperimentFile) -> Vec<u64> {
    let mut indices: Vec<u64> = file.attempts.iter().map(|a| a.index.unwrap()).collect();
    indices.sort_unstable();
    indices
}

/// (source, raw answer) pairs and how often each occurs.
type Tally = BTreeMap<(String, String), usize>;

fn tally_file(file: &ExperimentFile) -> Tally {
    let mut t = Tally::new();
    for a in &file.attempts {
        *t.entry((a.source.clone(), a.raw.clone().unwrap())).or_default() += 1;
    }
    t
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_records_exactly_what_the_server_answered_through_429s_and_500s() {
    let faults = Faults {
        rate_limit_every: 7,
        retry_after_s: 0.02,
        error_500_every: 11,
        ..Faults::default()
    };
    let server = server(faults).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let file = run_file(dir.path(), &server, 500, 8);
    let result = output(balance(&file, &out, "")).await;
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(result.status.success(), "{stdout}{}", String::from_utf8_lossy(&result.stderr));
    let written = read(&out);
    assert_eq!(written.attempts.len(), 500);
    assert_eq!(sorted_indices(&written), (0..500).collect::<Vec<_>>());
    assert_eq!(tally_file(&written), server.answered());
    let log = server.log();
    let failed = log.iter().filter(|e| e.status == 429 || e.status == 500).count();
    assert!(failed > 60, "faults injected: {failed}");
    assert_eq!(log.len(), 500 + failed);
    assert!(stdout.contains(&format!("{failed} retries")), "{stdout}");
    // The file is the app's experiment format and keeps the run's settings, with no key.
    assert_eq!(written.settings["provider"]["kind"], "openai-compatible");
    assert_eq!(written.dataset().counts.total_attempts(), 500.0);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_run_resumes_with_nothing_lost_or_counted_twice() {
    let server = server(Faults { slow_ms: 10, ..Faults::default() }).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let file = run_file(dir.path(), &server, 400, 4);
    let mut child = balance(&file, &out, "").spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(Instant::now() < deadline, "the first run wrote nothing");
        if let Ok(text) = std::fs::read_to_string(&out)
            && let Ok(f) = serde_json::from_str::<ExperimentFile>(&text)
            && f.attempts.len() >= 100
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let first = read(&out).attempts.len();
    assert!((100..400).contains(&first), "{first} attempts before the kill");
    let result = output(balance(&file, &out, "")).await;
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let written = read(&out);
    assert_eq!(sorted_indices(&written), (0..400).collect::<Vec<_>>());
    // Every recorded answer is one the server gave (answers lost with the killed process were
    // asked again, so the server answered at least as many).
    let (file_tally, log_tally) = (tally_file(&written), server.answered());
    for (pair, n) in &file_tally {
        assert!(log_tally.get(pair).copied().unwrap_or(0) >= *n, "{pair:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_key_stops_the_run_with_a_clear_message() {
    let server = server(Faults { key: "right-key".into(), ..Faults::default() }).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let file = run_file(dir.path(), &server, 50, 4);
    let result = output(balance(&file, &out, "wrong-key")).await;
    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("refused the API key (401)"), "{stderr}");
    assert!(!stderr.contains("wrong-key"));
    assert!(server.log().iter().all(|e| e.status == 401));
    // Nothing is recorded, and the file names no key.
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(!written.contains("wrong-key"));
    assert_eq!(read(&out).attempts.len(), 0);
    // The right key resumes the same run to the end.
    let result = output(balance(&file, &out, "right-key")).await;
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    assert_eq!(read(&out).attempts.len(), 50);
}

#[test]
fn the_example_run_file_reads_and_a_wrong_one_is_named() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    let out = Command::new(env!("CARGO_BIN_EXE_balance"))
        .args(["run", "no-such-file.toml"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read no-such-file.toml"));
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(examples.join("word-task-mock.toml")).unwrap();
    let broken = text.replace("attempts = 500", "attempts = \"many\"");
    std::fs::write(dir.path().join("bad.toml"), broken).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_balance"))
        .arg("run")
        .arg(dir.path().join("bad.toml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the run file") && stderr.contains("attempts"), "{stderr}");
}

/// A run file for the simulated agent: the word task, `attempts` attempts, no key.
fn simulated_run(name: &str, attempts: usize) -> String {
    format!(
        r#"
name = "{name}"
[provider]
kind = "simulated"
model = "simulated-word-task"
temperature = 1.0
max_tokens = 16
latency_ms = 0
[task]
preset = "word-sum-100"
[plan]
seeds = ["BUZZY"]
protocol = "uniform"
attempts = {attempts}
concurrency = 8
seed = 2
"#
    )
}

#[test]
fn a_simulated_run_needs_no_key_and_no_network() {
    let dir = tempfile::tempdir().unwrap();
    let text = simulated_run("sim", 300);
    let file = dir.path().join("sim.toml");
    std::fs::write(&file, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_balance")).arg("run").arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = read(&dir.path().join("sim.json"));
    assert_eq!(written.attempts.len(), 300);
    // The simulated LLM answers a word of 100 (a move), the prompt's word (a refusal, rejected
    // as a repeat) or a word of another sum (into INVALID00); the task judged each so.
    use balance_core::experiment::Outcome;
    use balance_core::simulate::letter_sum;
    let mut seen = [0; 3];
    for a in &written.attempts {
        let raw = a.raw.as_deref().unwrap();
        match a.outcome {
            Outcome::Transition => {
                assert_eq!(letter_sum(raw), Some(100));
                seen[0] += 1;
            }
            Outcome::Rejected => {
                assert_eq!(
                    (raw, a.reason.as_deref()),
                    (&*a.source, Some("repeats the prompt's state"))
                );
                seen[1] += 1;
            }
            Outcome::Invalid => {
                assert_ne!(letter_sum(raw), Some(100));
                assert_eq!(a.state.as_deref(), Some("INVALID00"));
                seen[2] += 1;
            }
            Outcome::SelfLoop => panic!("a repeat is rejected, never a self-loop"),
            Outcome::NoAnswer => panic!("the simulated agent always answers in full"),
        }
    }
    assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
}

#[test]
fn the_authors_number_tasks_run_from_a_run_file_on_the_simulated_agent() {
    let dir = tempfile::tempdir().unwrap();
    for (preset, seed, digits) in [("digit_sum_15", "159", 3), ("four-digit-div-7", "1001", 4)] {
        let text = simulated_run("numbers", 400)
            .replace(r#"preset = "word-sum-100""#, &format!("preset = \"{preset}\""))
            .replace(r#"seeds = ["BUZZY"]"#, &format!("seeds = [\"{seed}\"]"));
        let file = dir.path().join("numbers.toml");
        std::fs::write(&file, text).unwrap();
        let out =
            Command::new(env!("CARGO_BIN_EXE_balance")).arg("run").arg(&file).output().unwrap();
        assert!(out.status.success(), "{preset}: {}", String::from_utf8_lossy(&out.stderr));
        let written = read(&dir.path().join("numbers.json"));
        assert_eq!(written.attempts.len(), 400);
        let states: std::collections::BTreeSet<&str> =
            written.attempts.iter().filter_map(|a| a.state.as_deref()).collect();
        assert!(states.len() > 5, "{preset}: {states:?}");
        for s in states.iter().filter(|s| **s != "INVALID00") {
            let n: u64 = s.parse().unwrap();
            let ok = if digits == 3 {
                balance_core::simulate::digit_sum(n) == 15
            } else {
                n.is_multiple_of(7)
            };
            assert!(s.len() == digits && ok, "{preset}: {s}");
        }
        std::fs::remove_file(dir.path().join("numbers.json")).unwrap();
    }
    // A task the simulated agent cannot answer is refused before any attempt, saying why.
    let text = simulated_run("words", 100).replace("word-sum-100", "five-letter-s");
    let file = dir.path().join("words.toml");
    std::fs::write(&file, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_balance")).arg("run").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("needs a real model"), "{stderr}");
    assert!(!dir.path().join("words.json").exists());
    // An unknown preset names the ones there are.
    let text = simulated_run("typo", 100).replace("word-sum-100", "sum-101");
    std::fs::write(&file, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_balance")).arg("run").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("\"sum-101\"") && stderr.contains("\"digit-sum-15\""), "{stderr}");
}

#[test]
fn a_planned_run_file_spends_its_attempts_unevenly_and_resumes_planned() {
    let dir = tempfile::tempdir().unwrap();
    let text = simulated_run("planned", 2000)
        .replace(r#"protocol = "uniform""#, r#"protocol = "planned""#);
    let file = dir.path().join("planned.toml");
    std::fs::write(&file, &text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_balance")).arg("run").arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = read(&dir.path().join("planned.json"));
    assert_eq!(written.attempts.len(), 2000);
    assert_eq!(written.settings["plan"]["protocol"], serde_json::json!("planned"));
    let mut per_source: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &written.attempts {
        *per_source.entry(&a.source).or_default() += 1;
    }
    // Uniform restarts give the first states found about 1.5 times the typical share (their
    // head start); the planner gives some sources several times it.
    let most = per_source.values().copied().max().unwrap_or(0);
    let typical = 2000 / per_source.len();
    assert!(per_source.len() > 10 && most > 3 * typical, "{per_source:?}");
    // Cut short as an interrupted run leaves its file, the same command goes on planned from
    // what was recorded, keeping it.
    let mut cut = written.clone();
    cut.attempts.truncate(1200);
    std::fs::write(dir.path().join("planned.json"), serde_json::to_string(&cut).unwrap()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_balance")).arg("run").arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let resumed = read(&dir.path().join("planned.json"));
    assert_eq!(resumed.attempts.len(), 2000);
    assert_eq!(resumed.attempts[..1200], written.attempts[..1200]);
    let mut resumed_per_source: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &resumed.attempts {
        *resumed_per_source.entry(&a.source).or_default() += 1;
    }
    let most = resumed_per_source.values().copied().max().unwrap_or(0);
    assert!(most > 3 * 2000 / resumed_per_source.len(), "{resumed_per_source:?}");
}

#[test]
fn a_comparison_run_writes_one_file_per_arm_and_compare_finds_the_temperature_ratio() {
    let dir = tempfile::tempdir().unwrap();
    let base = simulated_run("Sweep", 8000);
    let arms = "[[arms]]\nname = \"T 1\"\n[[arms]]\nname = \"T 0.5\"\ntemperature = 0.5\n";
    let file = dir.path().join("sweep.toml");
    std::fs::write(&file, format!("{base}{arms}")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_balance")).arg("run").arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let (warm, cold) = (dir.path().join("sweep.t-1.json"), dir.path().join("sweep.t-0.5.json"));
    assert!(stdout.contains("balance compare --input experiment"), "{stdout}");
    for (path, name, t) in [(&warm, "Sweep (T 1)", 1.0), (&cold, "Sweep (T 0.5)", 0.5)] {
        let written = read(path);
        assert_eq!((written.attempts.len(), written.name.as_str()), (8000, name));
        assert_eq!(written.settings["provider"]["temperature"], t);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_balance"))
        .args(["compare", "--input", "experiment", "--bootstrap", "0"])
        .arg(&warm)
        .arg(&cold)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let (beta, se) = (
        v["datasets"][1]["scale"]["value"].as_f64().unwrap(),
        v["datasets"][1]["scale"]["se"].as_f64().unwrap(),
    );
    assert!((beta - 2.0).abs() < 3.0 * se, "β {beta} ± {se}");

    // One arm, or two of one name, are refused with the reason.
    for (arms, why) in [
        ("[[arms]]\nname = \"a\"\n", "2 to 8 arms"),
        ("[[arms]]\nname = \"a\"\n[[arms]]\nname = \"a\"\n", "a name of its own"),
        ("[[arms]]\nname = \"a\"\n[[arms]]\nname = \"b\"\ntemperature = 9.0\n", "arm b"),
    ] {
        std::fs::write(&file, format!("{base}{arms}")).unwrap();
        let out =
            Command::new(env!("CARGO_BIN_EXE_balance")).arg("run").arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && stderr.contains(why), "{stderr}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn anthropic_and_gemini_formats_carry_the_key_and_the_answers() {
    for (kind, base) in [("anthropic", "v1"), ("gemini", "v1beta"), ("openai", "v1")] {
        let server = server(Faults { key: "k-123".into(), ..Faults::default() }).await;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.json");
        let file = run_file(dir.path(), &server, 40, 4);
        let text = std::fs::read_to_string(&file).unwrap();
        let text = text
            .replace("kind = \"openai-compatible\"", &format!("kind = \"{kind}\""))
            .replace("/v1\"", &format!("/{base}\""));
        std::fs::write(&file, text).unwrap();
        let result = output(balance(&file, &out, "k-123")).await;
        assert!(result.status.success(), "{kind}: {}", String::from_utf8_lossy(&result.stderr));
        let written = read(&out);
        assert_eq!(written.attempts.len(), 40, "{kind}");
        assert_eq!(tally_file(&written), server.answered(), "{kind}");
        // Token usage is read from each format (the mock counts the prompt's words, and a token
        // per four characters of the answer).
        let first = &written.attempts[0];
        let usage = first.usage.unwrap();
        let answer = first.raw.as_deref().unwrap();
        assert_eq!(usage.output_tokens, answer.len().div_ceil(4) as u64, "{kind}");
        assert!(usage.input_tokens > 50, "{kind}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn overloads_and_hung_calls_are_retried_and_a_malformed_answer_stops_the_run() {
    let faults = Faults { overloaded_every: 5, hang_every: 13, ..Faults::default() };
    let server = server(faults).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let file = run_file(dir.path(), &server, 60, 4);
    let text = std::fs::read_to_string(&file).unwrap().replace("timeout_s = 5", "timeout_s = 1");
    std::fs::write(&file, text).unwrap();
    let result = output(balance(&file, &out, "")).await;
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let log = server.log();
    let overloaded = log.iter().filter(|e| e.status == 529).count();
    let hung = log.iter().filter(|e| e.status == 0).count();
    assert!(overloaded >= 10 && hung >= 4, "{overloaded} overloaded, {hung} hung");
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(stdout.contains(&format!("{} retries", overloaded + hung)), "{stdout}");
    assert_eq!(tally_file(&read(&out)), server.answered());

    // A body that is not the provider's format is not retried: the run stops and says why.
    let server = self::server(Faults { malformed_every: 3, ..Faults::default() }).await;
    let out = dir.path().join("malformed.json");
    let file = run_file(dir.path(), &server, 60, 1);
    let result = output(balance(&file, &out, "")).await;
    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("the answer could not be read: the body is not JSON"), "{stderr}");
    assert_eq!(read(&out).attempts.len(), 2, "the two answers before it are kept");
}

/// The paper's run file for `name` (in docs/examples), pointed at `server` and cut to
/// `attempts`, the key read from `TEST_MOCK_KEY`.
fn paper_file(dir: &Path, server: &MockServer, name: &str, attempts: usize) -> PathBuf {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    let text = std::fs::read_to_string(examples.join(format!("{name}.toml"))).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        let line = if let Some(url) = line.strip_prefix("base_url = \"") {
            let path = if url.contains("v1beta") { "v1beta" } else { "v1" };
            format!("base_url = \"http://{}/{path}\"", server.addr())
        } else if line.starts_with("key_env = ") {
            "key_env = \"TEST_MOCK_KEY\"".to_owned()
        } else if line == "attempts = 20000" {
            format!("attempts = {attempts}")
        } else {
            line.to_owned()
        };
        out.push_str(&line);
        out.push('\n');
    }
    assert!(out.contains(&format!("attempts = {attempts}")), "{name}: the example changed shape");
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, out).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn the_papers_three_models_run_from_their_example_files() {
    for (name, api, model) in [
        ("gpt-5-nano", mock_llm::Api::OpenAi, "gpt-5-nano"),
        ("claude-4", mock_llm::Api::Anthropic, "claude-sonnet-4-20250514"),
        ("gemini-2.5-flash", mock_llm::Api::Gemini, "gemini-2.5-flash"),
    ] {
        let server = server(Faults { key: "k-paper".into(), ..Faults::default() }).await;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.json");
        let file = paper_file(dir.path(), &server, name, 600);
        let result = output(balance(&file, &out, "k-paper")).await;
        assert!(result.status.success(), "{name}: {}", String::from_utf8_lossy(&result.stderr));
        let written = read(&out);
        assert_eq!(written.attempts.len(), 600, "{name}");
        // Every answer came whole: none cut off by reasoning, none refused.
        use balance_core::experiment::Outcome;
        let answered = written.attempts.iter().filter(|a| a.outcome != Outcome::NoAnswer).count();
        assert!(answered * 100 >= 95 * 600, "{name}: {answered} of 600 answered");
        let log = server.log();
        assert!(log.iter().all(|e| e.status == 200 && e.api == api && e.model == model), "{name}");
        assert_eq!(tally_file(&written), server.answered(), "{name}");
        // What was sent is the paper's setting, in each provider's words.
        let body = &log[0].body;
        match api {
            mock_llm::Api::OpenAi => {
                assert_eq!(body["reasoning_effort"], "minimal");
                assert!(body.get("max_tokens").is_none() && body.get("temperature").is_none());
            }
            mock_llm::Api::Anthropic => {
                assert!(body.get("thinking").is_none());
                assert_eq!(body["temperature"], 1.0);
            }
            mock_llm::Api::Gemini => {
                assert_eq!(body["generationConfig"]["thinkingConfig"]["thinkingBudget"], 0);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_parameter_stops_the_run_naming_the_setting_to_change() {
    // GPT-5 Nano behind an OpenAI-compatible base URL that is in fact OpenAI's: `max_tokens`
    // is what compatible servers take, and what OpenAI refuses for reasoning models.
    let server = server(Faults::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let file = run_file(dir.path(), &server, 20, 2);
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("model = \"mock\"", "model = \"gpt-5-nano\"");
    std::fs::write(&file, text).unwrap();
    let result = output(balance(&file, &out, "")).await;
    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("Unsupported parameter: 'max_tokens'"), "{stderr}");
    assert!(stderr.contains("change Max tokens"), "{stderr}");
    assert!(!stderr.contains("run the same command again to resume"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_cut_off_by_thinking_pause_the_run_and_a_raised_limit_goes_on() {
    // A thinking model on a compatible server (as Ollama serves qwen3): it thinks for hundreds
    // of tokens, so 16 leave nothing of the answer.
    let server = server(Faults::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let file = run_file(dir.path(), &server, 200, 1);
    let text =
        std::fs::read_to_string(&file).unwrap().replace("model = \"mock\"", "model = \"qwen3:8b\"");
    std::fs::write(&file, &text).unwrap();
    let result = output(balance(&file, &out, "")).await;
    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("11 of the last 11 answers were cut off"), "{stderr}");
    assert!(stderr.contains("raise Max tokens (now 16)"), "{stderr}");
    let paused = read(&out);
    use balance_core::experiment::Outcome;
    let cut: Vec<_> = paused.attempts.iter().filter(|a| a.outcome == Outcome::NoAnswer).collect();
    assert!(cut.len() >= 11);
    assert!(cut.iter().all(|a| a.finish.as_deref() == Some("length") && a.usage.unwrap().reasoning_tokens > 0));
    assert_eq!(
        paused.dataset().counts.total_attempts() as usize,
        paused.attempts.len() - cut.len(),
        "cut-off answers are not counted"
    );
    // Raising the limit is the one change a resume accepts.
    std::fs::write(&file, text.replace("max_tokens = 16", "max_tokens = 2000")).unwrap();
    let result = output(balance(&file, &out, "")).await;
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let done = read(&out);
    assert_eq!(sorted_indices(&done), (0..200).collect::<Vec<_>>());
    assert_eq!(done.settings["provider"]["max_tokens"], 2000);
    // Any other change is refused.
    std::fs::write(&file, text.replace("seed = 3", "seed = 4")).unwrap();
    let result = output(balance(&file, &out, "")).await;
    assert!(String::from_utf8_lossy(&result.stderr).contains("holds another experiment"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_temperature_sweep_on_a_model_without_a_temperature_is_refused_before_any_call() {
    let server = server(Faults::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = run_file(dir.path(), &server, 20, 2);
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("kind = \"openai-compatible\"", "kind = \"anthropic\"")
        .replace("model = \"mock\"", "model = \"claude-sonnet-5\"");
    let arms = "[[arms]]\nname = \"T 1\"\n[[arms]]\nname = \"T 0.5\"\ntemperature = 0.5\n";
    std::fs::write(&file, format!("{text}{arms}")).unwrap();
    let out = dir.path().join("sweep.json");
    let result = output(balance(&file, &out, "k")).await;
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!result.status.success(), "{stderr}");
    assert!(
        stderr.contains("arm T 0.5") && stderr.contains("takes only its default temperature"),
        "{stderr}"
    );
    assert!(server.log().is_empty(), "nothing was sent: {:?}", server.log());
    // One run at the default temperature goes: Claude Sonnet 5 thinks unless told not to, and
    // the run tells it not to.
    std::fs::write(&file, text).unwrap();
    let result = output(balance(&file, &out, "k")).await;
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let sent = &server.log()[0].body;
    assert_eq!(sent["thinking"]["type"], "disabled");
    assert!(sent.get("temperature").is_none(), "{sent}");
    assert!(
        read(&out)
            .attempts
            .iter()
            .all(|a| a.outcome != balance_core::experiment::Outcome::NoAnswer)
    );
}
