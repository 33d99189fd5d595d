//! The no-key, no-network provider: the core's simulated LLMs (the word agent, the number agent)
//! behind the same [`Transport`] as the real providers, answering in OpenAI's chat-completions
//! format.

use std::cell::RefCell;
use std::future::Future;
use std::sync::LazyLock;

use balance_core::simulate::{MAX_DIGITS, NumberTask, Responder, WordTask};
use regex_lite::Regex;
use serde_json::{Value, json};

use crate::call::Sleep;
use crate::http::{HttpRequest, HttpResponse, Transport, TransportError};
use crate::task::{Task, Validator};

/// The simulated LLM that answers a task (at temperature 1): the word agent or the number agent.
#[derive(Debug, Clone)]
pub struct Simulator(Responder);

impl Simulator {
    /// The potential a run of this LLM at `temperature` should recover, by state, lowest zero
    /// (the hidden potential over the temperature).
    pub fn truth(&self, temperature: f64) -> std::collections::BTreeMap<String, f64> {
        self.0.at_temperature(temperature, 0).truth()
    }

    /// The simulated LLM for `task`, or why there is none: the simulated agent knows the word
    /// task's words (letters adding up to 100, valid also for a letter sum divisible by any
    /// divisor of 100) and the numbers of number tasks, not other words.
    pub fn for_task(task: &Task) -> Result<Simulator, String> {
        match &task.validator {
            Validator::LetterSum { target: 100 } => Ok(Simulator(WordTask::default().responder(0))),
            Validator::LetterSumDivisible { divisor }
                if *divisor > 0 && 100u32.is_multiple_of(*divisor) =>
            {
                Ok(Simulator(WordTask::default().responder(0)))
            }
            Validator::Number { digits, .. } if *digits > MAX_DIGITS => Err(format!(
                "the simulated agent answers numbers of up to {MAX_DIGITS} digits, not {digits}"
            )),
            Validator::Number { digits, digit_sum, divisible_by } => {
                NumberTask::new(*digits, *digit_sum, *divisible_by)
                    .responder(0)
                    .map(Simulator)
                    .ok_or_else(|| "no number meets the task's conditions".to_owned())
            }
            _ => Err("the simulated agent answers the word task (letters adding up to 100, or \
                      to a multiple of a divisor of 100) and number tasks; this task needs a \
                      real model"
                .to_owned()),
        }
    }
}

/// The simulated LLM as a transport. It reads the state from the prompt ([`state_in_prompt`])
/// and the sampling temperature from the request (1 when absent: its moves are kept with
/// `exp(-(V_g - V_f) / T)`, so a colder run shows a deeper landscape), and answers after
/// `latency_ms`.
pub struct SimulatedTransport<S: Sleep> {
    simulator: Simulator,
    seed: u64,
    /// One simulated LLM per temperature asked for (by the temperature's bits).
    responders: RefCell<Vec<(u64, Responder)>>,
    sleeper: S,
    /// Added wait per answer, in milliseconds.
    pub latency_ms: f64,
}

/// The state a prompt is about: the word or number after "An example word is" or "An example
/// number is" (the presets' templates), else the last upper-case word, else nothing.
pub fn state_in_prompt(prompt: &str) -> String {
    static EXAMPLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"example (?:word|number) is ([A-Za-z]+|[0-9]+)").expect("a valid pattern")
    });
    static CAPITALS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b[A-Z]{2,}\b").expect("a valid pattern"));
    if let Some(c) = EXAMPLE.captures(prompt) {
        return c[1].to_owned();
    }
    CAPITALS.find_iter(prompt).last().map_or_else(String::new, |m| m.as_str().to_owned())
}

impl<S: Sleep> SimulatedTransport<S> {
    /// The simulated LLM `simulator` (default settings) with answers drawn from `seed`.
    pub fn new(simulator: Simulator, seed: u64, sleeper: S, latency_ms: f64) -> Self {
        let responders = RefCell::new(Vec::new());
        SimulatedTransport { simulator, seed, responders, sleeper, latency_ms }
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
                let llm = self.simulator.0.at_temperature(temperature, self.seed);
                responders.push((temperature.to_bits(), llm));
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
