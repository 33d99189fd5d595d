//! The sampling protocol and the bookkeeping of a run, without any I/O: which attempt to start
//! next and from which state, what each finished attempt recorded, the budget. Every attempt has
//! an index and is recorded at most once, so a run resumed from its saved attempts loses nothing
//! and counts nothing twice.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use balance_core::experiment::{Attempt, ExperimentFile, Outcome, Usage};
use balance_core::model::Counts;
use balance_core::planner::Need;
use serde::{Deserialize, Serialize};

use crate::errors::ProviderError;

/// The reason recorded for an answer the token limit cut off.
pub const CUT_OFF: &str = "cut off by the token limit";
/// Recent attempts watched for cut-off and empty answers.
const WATCH_WINDOW: usize = 20;
/// Cut-off (or empty) answers among them that pause the run: most of them.
const WATCH_LIMIT: usize = WATCH_WINDOW / 2 + 1;
/// Words from which a cut-off answer rambles (it would not have been one state however long the
/// limit).
const RAMBLING_WORDS: usize = 3;

/// What one recorded attempt tells the watch of recent answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Watched {
    /// Cut off by the token limit.
    cut: bool,
    /// Cut off after several words: the model rambles.
    rambling: bool,
    /// The model gave nothing at all.
    empty: bool,
}

/// Where each attempt starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// The paper's: a source drawn uniformly among the states discovered so far.
    Uniform,
    /// Sources drawn uniformly from this fixed list.
    Fixed(Vec<String>),
    /// A walk: the next source is the last answer (one attempt at a time).
    Walk,
    /// Sources chosen by the planner from the attempts so far: states the data cannot place
    /// yet first, then where one more attempt shrinks the standard errors most (until every
    /// placed state's is below [`PLANNED_TARGET_SE`]).
    Planned,
}

/// The standard error the planned protocol works down to.
pub const PLANNED_TARGET_SE: f64 = 0.1;

/// Where the next attempts of the recorded experiment `file` should start, most needed first,
/// at most `k`: the planner's ranking (`balance_core::planner::rank_sources`, with the planned
/// protocol's target) over the states the run can prompt, those it prompted and those it found
/// as answers (the sink of invalid answers is not one), as the planned protocol would rank them
/// at this point of the run.
pub fn where_next(file: &ExperimentFile, k: usize) -> Vec<(String, Need)> {
    let counts = file.counts();
    let mut promptable = BTreeSet::new();
    for a in &file.attempts {
        promptable.insert(a.source.as_str());
        if let (Outcome::Transition, Some(state)) = (&a.outcome, &a.state) {
            promptable.insert(state.as_str());
        }
    }
    let candidates: Vec<usize> = promptable.iter().filter_map(|s| counts.states().get(s)).collect();
    let settings = balance_core::Settings::default();
    balance_core::planner::rank_sources(&counts, &settings, &candidates, PLANNED_TARGET_SE)
        .into_iter()
        .take(k)
        .map(|a| (counts.states().label(a.state).to_owned(), a.need))
        .collect()
}

/// Prices of a model, in dollars per million tokens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Price {
    /// Per million prompt tokens.
    pub input_per_million: f64,
    /// Per million answer tokens.
    pub output_per_million: f64,
}

impl Price {
    /// The cost of one call, in dollars: what the provider billed where it says, else the
    /// tokens at these prices.
    pub fn cost(&self, usage: &Usage) -> f64 {
        usage.cost.unwrap_or(
            (usage.input_tokens as f64 * self.input_per_million
                + usage.output_tokens as f64 * self.output_per_million)
                / 1e6,
        )
    }
}

/// What a run does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The starting states (at least one).
    pub seeds: Vec<String>,
    /// Where attempts start.
    pub protocol: Protocol,
    /// Attempts in all.
    pub attempts: usize,
    /// Calls at once (a walk makes one at a time).
    pub concurrency: usize,
    /// Seed of the source choices.
    pub seed: u64,
    /// The model's prices (none: free).
    #[serde(default)]
    pub price: Price,
    /// Most dollars to spend. No attempt starts while the spending plus the dearest attempt so
    /// far, for each running one and the new one, would pass it; until an attempt has reported
    /// its cost, one runs at a time.
    #[serde(default)]
    pub budget: Option<f64>,
}

/// Why a run stopped before its last attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// The budget would be exceeded.
    Budget,
    /// A call failed for good.
    Failed(ProviderError),
    /// The person stopped it.
    Cancelled,
    /// Most recent answers were cut off by the token limit (`cut` of the last `of`).
    CutOff {
        /// Cut-off answers among the recent ones.
        cut: usize,
        /// Those of them cut off after several words (the model rambles: a higher limit would
        /// not make them one state).
        rambling: usize,
        /// Recent answers watched.
        of: usize,
        /// The latest answer cut off after several words, as the model wrote it.
        example: Option<String>,
    },
    /// Most recent answers were empty (`empty` of the last `of`): the model answers nothing.
    Empty {
        /// Empty answers among the recent ones.
        empty: usize,
        /// Recent answers watched.
        of: usize,
    },
}

/// A call to make: one prompt about `source`, answered once per index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The state to put into the prompt.
    pub source: String,
    /// The attempts its answers are recorded under, in order (0-based run indices).
    pub indices: Vec<usize>,
}

/// The state of a run.
#[derive(Debug, Clone)]
pub struct Scheduler {
    plan: Plan,
    /// States that can be sources, in order of discovery.
    discovered: Vec<String>,
    known: BTreeSet<String>,
    /// Attempts under way: their source and the call they belong to.
    in_flight: BTreeMap<usize, (String, usize)>,
    /// Calls made so far (their ids).
    calls: usize,
    /// What each of the latest recorded attempts tells the watch.
    recent: VecDeque<Watched>,
    /// The latest answer cut off after several words.
    rambled: Option<String>,
    recorded: BTreeSet<usize>,
    /// The smallest index never started.
    fresh: usize,
    /// Indices started but lost (a reload), to start again.
    lost: BTreeSet<usize>,
    spent: f64,
    /// The dearest attempt so far, in dollars.
    dearest: f64,
    /// Whether an attempt has reported its cost.
    priced: bool,
    /// Where a walk stands.
    position: String,
    /// What the recorded attempts add up to (the planned protocol plans from them).
    counts: Counts,
    /// Sources the planner chose for the next attempts.
    planned: VecDeque<String>,
    stop: Option<Stop>,
}

/// A well-mixed 64-bit hash of the run's seed and an attempt's index (SplitMix64).
pub(crate) fn mix(seed: u64, index: usize) -> u64 {
    let mut z = seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Scheduler {
    /// A new run, or why the plan cannot run.
    pub fn new(plan: Plan) -> Result<Scheduler, String> {
        let seeds: Vec<String> =
            plan.seeds.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
        if seeds.is_empty() {
            return Err("the run needs at least one seed state".into());
        }
        if plan.attempts == 0 || plan.concurrency == 0 {
            return Err("the run needs at least one attempt and one call at a time".into());
        }
        if let Protocol::Fixed(list) = &plan.protocol
            && list.iter().all(|s| s.trim().is_empty())
        {
            return Err("the fixed protocol needs at least one source".into());
        }
        if let Some(b) = plan.budget
            && !(b.is_finite() && b >= 0.0)
        {
            return Err("the budget must be a positive number of dollars".into());
        }
        let mut s = Scheduler {
            position: seeds[0].clone(),
            plan,
            discovered: Vec::new(),
            known: BTreeSet::new(),
            in_flight: BTreeMap::new(),
            calls: 0,
            recent: VecDeque::new(),
            rambled: None,
            recorded: BTreeSet::new(),
            fresh: 0,
            lost: BTreeSet::new(),
            spent: 0.0,
            dearest: 0.0,
            priced: false,
            counts: Counts::new(),
            planned: VecDeque::new(),
            stop: None,
        };
        for seed in seeds {
            s.discover(&seed);
        }
        Ok(s)
    }

    /// A run resumed from the attempts it had recorded (with their indices); attempts that
    /// were started but not recorded are started again.
    pub fn resume(plan: Plan, recorded: &[(usize, Attempt)]) -> Result<Scheduler, String> {
        let mut s = Scheduler::new(plan)?;
        for (index, attempt) in recorded {
            if *index >= s.plan.attempts {
                return Err(format!("attempt {index} is beyond the run's {}", s.plan.attempts));
            }
            s.in_flight.insert(*index, (attempt.source.clone(), usize::MAX));
            s.record(*index, attempt);
        }
        // Answers cut off before are history: the watch starts again with the resumed run.
        s.recent.clear();
        s.stop = None;
        let last = recorded.iter().map(|(i, _)| i + 1).max().unwrap_or(0);
        s.fresh = last;
        s.lost = (0..last).filter(|i| !s.recorded.contains(i)).collect();
        Ok(s)
    }

    fn discover(&mut self, state: &str) {
        if self.known.insert(state.to_owned()) {
            self.discovered.push(state.to_owned());
            self.counts.add_state(state);
        }
    }

    /// Plans the sources of the next attempts from what was recorded.
    fn replan(&mut self, answers: usize) {
        let candidates: Vec<usize> =
            self.discovered.iter().filter_map(|d| self.counts.states().get(d)).collect();
        let k = (self.plan.concurrency * answers * 2).max(20).max(self.recorded.len() / 20);
        let settings = balance_core::Settings::default();
        let next = balance_core::planner::next_sources(
            &self.counts,
            &settings,
            &candidates,
            PLANNED_TARGET_SE,
            k,
        );
        self.planned = next.into_iter().map(|s| self.counts.states().label(s).to_owned()).collect();
    }

    /// Calls under way.
    fn calls_in_flight(&self) -> usize {
        self.in_flight.values().map(|(_, call)| *call).collect::<BTreeSet<_>>().len()
    }

    /// The smallest index not yet started, lost ones first.
    fn take_index(&mut self) -> Option<usize> {
        let index = match self.lost.first().copied() {
            Some(i) => i,
            None if self.fresh < self.plan.attempts => self.fresh,
            None => return None,
        };
        if !self.lost.remove(&index) {
            self.fresh += 1;
        }
        Some(index)
    }

    /// The next call to make, asking for up to `answers` answers (each its own attempt), if one
    /// may start now.
    pub fn next_call(&mut self, answers: usize) -> Option<Call> {
        if self.stop.is_some() {
            return None;
        }
        let one_at_a_time =
            self.plan.protocol == Protocol::Walk || (self.plan.budget.is_some() && !self.priced);
        let limit = if one_at_a_time { 1 } else { self.plan.concurrency };
        if self.calls_in_flight() >= limit {
            return None;
        }
        let answers = if self.plan.protocol == Protocol::Walk { 1 } else { answers.max(1) };
        let waiting = self.lost.len() + self.plan.attempts.saturating_sub(self.fresh);
        let take = answers.min(waiting);
        if take == 0 {
            return None;
        }
        if let Some(budget) = self.plan.budget
            && self.spent + self.dearest * (self.in_flight.len() + take) as f64 > budget
        {
            self.stop = Some(Stop::Budget);
            return None;
        }
        let indices: Vec<usize> = (0..take).filter_map(|_| self.take_index()).collect();
        let r = mix(self.plan.seed, indices[0]);
        let source = match &self.plan.protocol {
            Protocol::Uniform => {
                self.discovered[(r % self.discovered.len() as u64) as usize].clone()
            }
            Protocol::Fixed(list) => {
                let list: Vec<&String> = list.iter().filter(|s| !s.trim().is_empty()).collect();
                list[(r % list.len() as u64) as usize].trim().to_owned()
            }
            Protocol::Walk => self.position.clone(),
            Protocol::Planned => {
                if self.planned.is_empty() {
                    self.replan(answers);
                }
                // Nothing to plan from yet: uniform among the discovered states.
                self.planned.pop_front().unwrap_or_else(|| {
                    self.discovered[(r % self.discovered.len() as u64) as usize].clone()
                })
            }
        };
        let call = self.calls;
        self.calls += 1;
        for &i in &indices {
            self.in_flight.insert(i, (source.clone(), call));
        }
        Some(Call { source, indices })
    }

    /// Attempt `index` of a call got no answer (the provider gave fewer than asked): it is
    /// started again later.
    pub fn release(&mut self, index: usize) {
        if self.in_flight.remove(&index).is_some() {
            self.lost.insert(index);
        }
    }

    /// Records what attempt `index` gave; `false` (and nothing recorded) when it was not
    /// running or was recorded before.
    pub fn record(&mut self, index: usize, attempt: &Attempt) -> bool {
        if self.in_flight.remove(&index).is_none() || !self.recorded.insert(index) {
            return false;
        }
        if let Some(u) = &attempt.usage {
            let cost = self.plan.price.cost(u);
            self.spent += cost;
            self.dearest = self.dearest.max(cost);
            self.priced = true;
        }
        self.watch(attempt);
        match (&attempt.outcome, &attempt.state) {
            (Outcome::Transition | Outcome::Invalid, Some(state)) => {
                self.counts.add_transition(&attempt.source, state, 1.0)
            }
            (Outcome::SelfLoop, _) => {
                self.counts.add_transition(&attempt.source, &attempt.source, 1.0)
            }
            (Outcome::Rejected, _) => self.counts.add_rejection(&attempt.source, 1.0),
            // No answer says nothing about the agent.
            _ => {}
        }
        match (&attempt.outcome, &attempt.state) {
            (Outcome::Transition, Some(state)) => {
                self.discover(state);
                self.position = state.clone();
            }
            (Outcome::SelfLoop, _) => self.position = attempt.source.clone(),
            // Rejections and sink states leave a walk where it was.
            _ => {}
        }
        true
    }

    /// Watches the recent answers: the run stops when most were cut off by the token limit, or
    /// most were empty.
    fn watch(&mut self, attempt: &Attempt) {
        let raw = attempt.raw.as_deref().unwrap_or("");
        let cut =
            attempt.outcome == Outcome::NoAnswer && attempt.reason.as_deref() == Some(CUT_OFF);
        let rambling = cut && raw.split_whitespace().count() >= RAMBLING_WORDS;
        if rambling {
            self.rambled = Some(raw.to_owned());
        }
        self.recent.push_back(Watched {
            cut,
            rambling,
            empty: attempt.raw.is_some() && raw.trim().is_empty(),
        });
        if self.recent.len() > WATCH_WINDOW {
            self.recent.pop_front();
        }
        let count = |f: fn(&Watched) -> bool| self.recent.iter().filter(|w| f(w)).count();
        let (cut, rambling, empty) = (count(|w| w.cut), count(|w| w.rambling), count(|w| w.empty));
        let of = self.recent.len();
        if cut >= WATCH_LIMIT {
            let example = (rambling > 0).then(|| self.rambled.clone()).flatten();
            self.stop.get_or_insert(Stop::CutOff { cut, rambling, of, example });
        } else if empty >= WATCH_LIMIT {
            self.stop.get_or_insert(Stop::Empty { empty, of });
        }
    }

    /// Attempt `index` could not be made (its call failed for good): the run stops.
    pub fn fail(&mut self, index: usize, error: &ProviderError) {
        self.in_flight.remove(&index);
        self.lost.insert(index);
        self.stop.get_or_insert(Stop::Failed(error.clone()));
    }

    /// Stops starting attempts (the running ones may still be recorded).
    pub fn cancel(&mut self) {
        self.stop.get_or_insert(Stop::Cancelled);
    }

    /// Why the run stopped early, if it did.
    pub fn stopped(&self) -> Option<&Stop> {
        self.stop.as_ref()
    }

    /// Whether nothing runs and nothing more will start.
    pub fn finished(&self) -> bool {
        self.in_flight.is_empty()
            && (self.stop.is_some() || self.recorded.len() == self.plan.attempts)
    }

    /// Attempts recorded, of the run's total.
    pub fn progress(&self) -> (usize, usize) {
        (self.recorded.len(), self.plan.attempts)
    }

    /// Dollars spent so far.
    pub fn spent(&self) -> f64 {
        self.spent
    }

    /// The states discovered so far, in order.
    pub fn discovered(&self) -> &[String] {
        &self.discovered
    }
}
