//! `balance run` against a real language model: llama.cpp's OpenAI-compatible server with
//! SmolLM2-135M-Instruct, on this machine's CPUs. The paper's word task from the example run file
//! with only the base URL and the model changed, as a new user would run it, then as the run's own
//! advice says; what must hold for any model is asserted: every attempt recorded exactly once
//! with its raw answer, no failed call, an analysis of what came back.

#[path = "../../../tests/e2e/llama.rs"]
mod llama;

use std::path::Path;
use std::process::Command;

use balance_core::experiment::{ExperimentFile, Outcome};

/// The example run file with the server's address and model, `attempts` attempts.
fn example(server: &llama::Llama, attempts: usize) -> String {
    let text = include_str!("../../../docs/examples/word-task-mock.toml");
    let text = text
        .replace("http://127.0.0.1:8787/v1", &server.base_url())
        .replace("model = \"mock\"", &format!("model = \"{}\"", llama::MODEL))
        .replace("attempts = 500", &format!("attempts = {attempts}"));
    assert!(text.contains(&server.base_url()) && text.contains("attempts = 100"), "{text}");
    text
}

/// `balance run FILE --out OUT`: (success, what it printed).
fn run(file: &Path, out: &Path) -> (bool, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_balance"))
        .arg("run")
        .arg(file)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    (o.status.success(), text)
}

fn read(path: &Path) -> ExperimentFile {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every recorded attempt once, by index, each with the raw answer the model gave.
fn assert_recorded_once(file: &ExperimentFile, what: &str) {
    let mut indices: Vec<u64> = file.attempts.iter().map(|a| a.index.unwrap()).collect();
    indices.sort_unstable();
    let n = indices.len() as u64;
    assert_eq!(indices, (0..n).collect::<Vec<_>>(), "{what}: each attempt once");
    assert!(file.attempts.iter().all(|a| a.raw.is_some() && a.usage.is_some()), "{what}");
}

#[test]
#[ignore = "needs llama.cpp's server and SmolLM2 (scripts/real-model.sh): make test runs it"]
fn the_word_task_runs_against_a_real_model_as_copied_and_as_its_advice_says() {
    let server = llama::Llama::start();
    let dir = std::env::temp_dir().join(format!("balance-real-model-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    // As copied: a 135M model rambles past the example's 16 tokens. Whether the run goes to its
    // end or pauses, what it recorded is whole, and a pause says why and what would help.
    let file = dir.join("as-copied.toml");
    std::fs::write(&file, example(&server, 100)).unwrap();
    let out = dir.join("as-copied.json");
    let (finished, text) = run(&file, &out);
    let copied = read(&out);
    assert_recorded_once(&copied, "as copied");
    assert!(!text.contains("retries, ") || text.contains(" 0 retries"), "{text}");
    if finished {
        assert_eq!(copied.attempts.len(), 100, "{text}");
    } else {
        assert!(text.contains("paused: "), "{text}");
        let rambles = copied.attempts.iter().filter(|a| a.outcome == Outcome::NoAnswer).count();
        assert!(
            text.contains("the model rambles") || text.contains("raise Max tokens"),
            "a pause names its cause and the fix ({rambles} cut off): {text}"
        );
    }
    // The answers that became no state are listed by reason, with the model's words.
    if copied.attempts.iter().any(|a| !matches!(a.outcome, Outcome::Transition | Outcome::SelfLoop))
    {
        assert!(text.contains("answers became a state; the others:"), "{text}");
    }

    // As the advice says: ask for one word, and read the first word of each answer. That is
    // another experiment; it runs to its end (raising the token limit and resuming, as a pause
    // for cut-off answers says, if it comes to that).
    let advised = example(&server, 100)
        .replace("timeout_s = 30", "timeout_s = 30\nsystem_prompt = \"Answer with one word only.\"")
        .replace(
            "preset = \"word-sum-100\"",
            &format!("preset = \"word-sum-100\"\nextract = '{}'", balance_agent::spec::FIRST_WORD),
        );
    let file = dir.join("advised.toml");
    std::fs::write(&file, &advised).unwrap();
    let out = dir.join("advised.json");
    let (mut finished, mut text) = run(&file, &out);
    for _ in 0..3 {
        if finished {
            break;
        }
        assert!(text.contains("raise Max tokens"), "only a token limit may stop it: {text}");
        let raised =
            std::fs::read_to_string(&file).unwrap().replace("max_tokens = 16", "max_tokens = 64");
        std::fs::write(&file, raised).unwrap();
        (finished, text) = run(&file, &out);
    }
    assert!(finished, "{text}");
    assert!(text.contains("100 of 100 attempts recorded") && text.contains(" 0 retries"), "{text}");
    let advised = read(&out);
    assert_recorded_once(&advised, "advised");
    assert_eq!(advised.attempts.len(), 100);

    // The analysis reads what came back, whatever the model did.
    let o = Command::new(env!("CARGO_BIN_EXE_balance"))
        .args(["analyze", out.to_str().unwrap(), "--input", "experiment"])
        .output()
        .unwrap();
    let summary = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(summary.contains("verdict: "), "{summary}");
    std::fs::remove_dir_all(dir).ok();
}
