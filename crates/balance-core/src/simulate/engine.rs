//! The restart-sampling engine shared by the simulators.

use std::collections::{HashMap, HashSet};

use crate::model::{Counts, StateId};
use crate::random::Random;

/// What one simulated attempt from a source gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A state (by the agent's own index); the source itself is a self-loop.
    To(usize),
    /// A rejected answer.
    Rejected,
    /// An invalid answer mapped to the sink state with this index (never used as a source).
    Sink(usize),
}

/// An agent: states by index, with labels, and one step from a source.
pub trait Agent {
    /// The label of state `i`.
    fn label(&self, i: usize) -> String;
    /// One attempt from `source`.
    fn step(&mut self, source: usize, rng: &mut Random) -> Step;
}

/// Runs restart sampling: `attempts` attempts, each from a source drawn uniformly among the
/// states discovered so far (starting with `seeds`); sinks are recorded but never become sources.
/// Returns the counts and the agent index of each of their states (sinks included).
pub fn restart_sampling(
    agent: &mut impl Agent,
    seeds: &[usize],
    attempts: usize,
    rng: &mut Random,
) -> (Counts, Vec<usize>) {
    let mut sources: Vec<usize> = seeds.to_vec();
    let mut is_source: HashSet<usize> = seeds.iter().copied().collect();
    let mut steps = Vec::with_capacity(attempts);
    for _ in 0..attempts {
        let f = sources[rng.below(sources.len())];
        let step = agent.step(f, rng);
        if let Step::To(g) = step
            && is_source.insert(g)
        {
            sources.push(g);
        }
        steps.push((f, step));
    }
    let mut counts = Counts::new();
    let mut ids: HashMap<usize, StateId> = HashMap::new();
    let mut agent_index = Vec::new();
    let mut intern = |i: usize, counts: &mut Counts| -> StateId {
        *ids.entry(i).or_insert_with(|| {
            agent_index.push(i);
            counts.add_state(&agent.label(i))
        })
    };
    for &s in seeds {
        intern(s, &mut counts);
    }
    for (f, step) in steps {
        let fi = intern(f, &mut counts);
        match step {
            Step::To(g) | Step::Sink(g) => {
                let gi = intern(g, &mut counts);
                counts.add_transition_ids(fi, gi, 1.0);
            }
            Step::Rejected => counts.add_rejection_id(fi, 1.0),
        }
    }
    (counts, agent_index)
}
