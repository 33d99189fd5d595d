//! The runner against a server that behaves as llama.cpp's does with a small model: it gives one
//! answer whatever the number asked for, and its answers ramble past the token limit after a
//! first word.

mod common;

use std::cell::{Cell, RefCell};
use std::future::Future;

use balance_agent::http::{HttpRequest, HttpResponse, Transport, TransportError};
use balance_agent::retry::RetryPolicy;
use balance_agent::runner::{Events, Experiment, Notice, run};
use balance_agent::schedule::{Plan, Price, Protocol, Scheduler, Stop};
use balance_agent::spec::FIRST_WORD;
use balance_agent::task::Task;
use balance_agent::{ProviderConfig, ProviderKind};
use balance_core::experiment::Outcome;
use common::{FakeClock, block_on};

/// One choice per call, whatever `n` asks, cut off by the token limit after a first word.
struct OneChoice {
    calls: Cell<usize>,
    asked: RefCell<Vec<u64>>,
}

impl Transport for OneChoice {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
        self.asked.borrow_mut().push(body["n"].as_u64().unwrap_or(1));
        let k = self.calls.get();
        self.calls.set(k + 1);
        let word = ["ATTITUDE", "Turkey", "LOVE"][k % 3];
        let content = format!("{word}! Here is why: the letters of {word} add up to");
        let reply = serde_json::json!({
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "logprobs": null, "finish_reason": "length"}],
            "usage": {"prompt_tokens": 87, "completion_tokens": 16}
        });
        std::future::ready(Ok(HttpResponse {
            status: 200,
            headers: Vec::new(),
            body: reply.to_string(),
        }))
    }
}

#[test]
fn a_server_that_ignores_n_is_asked_one_answer_at_a_time_and_each_attempt_recorded_once() {
    let config = ProviderConfig {
        kind: ProviderKind::OpenAiCompatible,
        base_url: "http://127.0.0.1:1/v1".into(),
        model: "smollm2".into(),
        temperature: 1.0,
        max_tokens: 16,
        reasoning: Default::default(),
        answers_per_call: 4,
        logprobs: false,
        system_prompt: None,
        latency_ms: 0.0,
        timeout_s: 60.0,
        pin_route: true,
    };
    // The first word is read from answers cut off after it.
    let task = Task { extract: Some(FIRST_WORD.into()), ..Task::word_sum_100() };
    let plan = Plan {
        seeds: vec!["BUZZY".into()],
        protocol: Protocol::Uniform,
        attempts: 30,
        concurrency: 1,
        seed: 1,
        price: Price::default(),
        budget: None,
    };
    let mut scheduler = Scheduler::new(plan).unwrap();
    let experiment =
        Experiment { config: &config, key: None, task: &task, policy: RetryPolicy::default() };
    let transport = OneChoice { calls: Cell::new(0), asked: RefCell::default() };
    let (mut recorded, mut notices) = (Vec::new(), Vec::new());
    let stop = block_on(run(
        &mut scheduler,
        &experiment,
        &transport,
        &FakeClock::default(),
        Events {
            attempt: &mut |index, attempt, _| recorded.push((index, attempt.clone())),
            notice: &mut |n| notices.push(n.clone()),
        },
        &|| false,
    ));
    assert_eq!(stop, None::<Stop>);
    // Told once, then asked one at a time: 30 attempts in 30 calls.
    assert_eq!(notices, [Notice::FewerAnswers { asked: 4, got: 1 }]);
    assert!(notices[0].to_string().contains("asking for 1 per call from now on"));
    assert_eq!(transport.calls.get(), 30);
    assert_eq!(transport.asked.borrow()[0], 4);
    assert!(transport.asked.borrow()[1..].iter().all(|&n| n == 1), "{:?}", transport.asked);
    let mut indices: Vec<usize> = recorded.iter().map(|r| r.0).collect();
    indices.sort_unstable();
    assert_eq!(indices, (0..30).collect::<Vec<_>>());
    // Each answer was cut off, after its first word: that word is read.
    for (_, a) in &recorded {
        assert_eq!(a.finish.as_deref(), Some("length"));
        assert_ne!(a.outcome, Outcome::NoAnswer, "{a:?}");
        assert!(a.raw.as_deref().unwrap().contains("Here is why"));
    }
    let states: Vec<Option<&str>> = recorded.iter().map(|r| r.1.state.as_deref()).collect();
    assert!(states.contains(&Some("ATTITUDE")) && states.contains(&Some("TURKEY")));
    assert!(states.contains(&Some("INVALID00")), "LOVE adds up to 54");
}

#[test]
fn a_state_cut_off_in_the_middle_is_not_read() {
    let task = Task { extract: Some(FIRST_WORD.into()), ..Task::word_sum_100() };
    assert!(task.reads_cut_off("ATTITUDE is"));
    assert!(!task.reads_cut_off("ATTIT"), "the word may go on");
    assert!(!Task::word_sum_100().reads_cut_off("ATTITUDE is"), "no pattern: nothing is read");
}
