//! The no-key, no-network provider: the core's simulated word-task LLM behind the same
//! [`Transport`] as the real providers, answering in OpenAI's chat-completions format.

use std::cell::RefCell;
use std::future::Future;
use std::sync::LazyLock;

use balance_core::simulate::{WordResponder, WordTask};
use regex_lite::Regex;
use serde_json::{Value, json};

use crate::call::Sleep;
use crate::http::{HttpRequest, HttpResponse, Transport, TransportError};

/// The simulated LLM as a transport. It reads the state from the prompt ([`state_in_prompt`])
/// and the sampling temperature from the request (1 when absent: its moves are kept with
/// `exp(-(V_g - V_f) / T)`, so a colder run shows a deeper landscape), and answers after
/// `latency_ms`.
pub struct SimulatedTransport<S: Sleep> {
    seed: u64,
    /// One simulated LLM per temperature asked for (by the temperature's bits).
    responders: RefCell<Vec<(u64, WordResponder)>>,
    sleeper: S,
    /// Added wait per answer, in milliseconds.
    pub latency_ms: f64,
}

/// The state a prompt is about: the word after "An example word is" (the word task's
/// template), else the last upper-case word, else nothing.
pub fn state_in_prompt(prompt: &str) -> String {
    static EXAMPLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"example word is ([A-Za-z]+)").expect("a valid pattern"));
    static CAPITALS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b[A-Z]{2,}\b").expect("a valid pattern"));
    if let Some(c) = EXAMPLE.captures(prompt) {
        return c[1].to_owned();
    }
    CAPITALS.find_iter(prompt).last().map_or_else(String::new, |m| m.as_str().to_owned())
}

impl<S: Sleep> SimulatedTransport<S> {
    /// The word task's simulated LLM (default settings) with answers drawn from `seed`.
    pub fn new(seed: u64, sleeper: S, latency_ms: f64) -> SimulatedTransport<S> {
        SimulatedTransport { seed, responders: RefCell::new(Vec::new()), sleeper, latency_ms }
    }
}

impl<S: Sleep> Transport for SimulatedTransport<S> {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        let body: Value = serde_json::from_str(&request.body).unwrap_or_default();
        let prompt = body["messages"]
            .as_array()
            .and_then(|m| m.last())
            .and_then(|m| m["content"].as_str())
            .unwrap_or_default()
            .to_owned();
        let state = state_in_prompt(&prompt);
        let n = body["n"].as_u64().unwrap_or(1).max(1);
        let logprobs = body["logprobs"] == true;
        // Temperature 0 would make every uphill move impossible; the lowest is 0.05.
        let temperature = body["temperature"].as_f64().unwrap_or(1.0).max(0.05);
        let mut responders = self.responders.borrow_mut();
        let at = match responders.iter().position(|r| r.0 == temperature.to_bits()) {
            Some(at) => at,
            None => {
                let task = WordTask { temperature, ..WordTask::default() };
                responders.push((temperature.to_bits(), task.responder(self.seed)));
                responders.len() - 1
            }
        };
        let llm = &mut responders[at].1;
        let choices: Vec<Value> = (0..n)
            .map(|i| {
                let answer = llm.answer(&state);
                // The answer's exact probability, as one token's log-probability.
                let lp = logprobs.then(|| {
                    json!({ "content": [{ "token": answer, "logprob": llm.probability(&state, &answer).ln() }] })
                });
                json!({
                    "index": i,
                    "message": { "role": "assistant", "content": answer },
                    "finish_reason": "stop",
                    "logprobs": lp,
                })
            })
            .collect();
        drop(responders);
        let reply = json!({
            "choices": choices,
            "usage": {
                "prompt_tokens": prompt.split_whitespace().count(),
                "completion_tokens": 2 * n
            }
        });
        let wait = self.sleeper.sleep(self.latency_ms);
        async move {
            wait.await;
            Ok(HttpResponse { status: 200, headers: Vec::new(), body: reply.to_string() })
        }
    }
}
