//! The data model: interned states and the sparse count model built from attempts.
//!
//! Every importer produces a [`Counts`]: per source, the transitions to other states (edges),
//! the self-loops and the rejected attempts. Counts are `f64` so that expected counts (such as
//! `C = 1000 P` in the reference cases) can be analysed exactly like observed ones.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

/// Index of a state in a [`States`] table.
pub type StateId = usize;

/// An interner of state labels: each distinct label gets a dense [`StateId`], in order of first
/// appearance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub struct States {
    labels: Vec<String>,
    index: HashMap<String, StateId>,
}

impl From<Vec<String>> for States {
    fn from(labels: Vec<String>) -> Self {
        let mut states = States::default();
        for label in labels {
            states.intern(&label);
        }
        states
    }
}

impl From<States> for Vec<String> {
    fn from(states: States) -> Self {
        states.labels
    }
}

impl States {
    /// The id of `label`, adding it if it is new.
    pub fn intern(&mut self, label: &str) -> StateId {
        if let Some(&id) = self.index.get(label) {
            return id;
        }
        let id = self.labels.len();
        self.labels.push(label.to_owned());
        self.index.insert(label.to_owned(), id);
        id
    }

    /// The id of `label`, if it is known.
    pub fn get(&self, label: &str) -> Option<StateId> {
        self.index.get(label).copied()
    }

    /// The label of state `id`.
    ///
    /// # Panics
    /// If `id` is not a state of this table.
    pub fn label(&self, id: StateId) -> &str {
        &self.labels[id]
    }

    /// All labels, indexed by [`StateId`].
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Number of states.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no states.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

/// The sparse count model of a dataset.
///
/// `edges[(f, g)]` is `N(g <- f)` for `g != f`; self-loops and rejected attempts are kept per
/// source, so that `n(f)` (attempts started from `f`) is their sum with the outgoing edges.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CountsRepr", into = "CountsRepr")]
pub struct Counts {
    states: States,
    edges: BTreeMap<(StateId, StateId), f64>,
    self_loops: Vec<f64>,
    rejected: Vec<f64>,
    out_total: Vec<f64>,
}

impl Counts {
    /// An empty count model.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a state (with no attempts) if it is new, and returns its id.
    pub fn add_state(&mut self, label: &str) -> StateId {
        let id = self.states.intern(label);
        if id == self.self_loops.len() {
            self.self_loops.push(0.0);
            self.rejected.push(0.0);
            self.out_total.push(0.0);
        }
        id
    }

    /// Records `count` attempts from `source` that gave `target`. When the two are equal this
    /// is a self-loop, which counts as an attempt but never as an edge.
    pub fn add_transition(&mut self, source: &str, target: &str, count: f64) {
        let f = self.add_state(source);
        let g = self.add_state(target);
        self.add_transition_ids(f, g, count);
    }

    /// As [`Counts::add_transition`], by id.
    ///
    /// # Panics
    /// If either id is not a state of this model.
    pub fn add_transition_ids(&mut self, f: StateId, g: StateId, count: f64) {
        assert!(f < self.len() && g < self.len(), "unknown state id");
        if f == g {
            self.self_loops[f] += count;
        } else {
            *self.edges.entry((f, g)).or_insert(0.0) += count;
            self.out_total[f] += count;
        }
    }

    /// Records `count` rejected attempts from `source`.
    pub fn add_rejection(&mut self, source: &str, count: f64) {
        let f = self.add_state(source);
        self.rejected[f] += count;
    }

    /// As [`Counts::add_rejection`], by id.
    ///
    /// # Panics
    /// If `f` is not a state of this model.
    pub fn add_rejection_id(&mut self, f: StateId, count: f64) {
        self.rejected[f] += count;
    }

    /// The state table.
    pub fn states(&self) -> &States {
        &self.states
    }

    /// Number of states.
    pub fn len(&self) -> usize {
        self.states.len()
    }

    /// Whether the model has no states.
    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }

    /// `N(g <- f)` for `g != f` (0 when never observed; the self-loop count when `f == g`).
    pub fn count(&self, f: StateId, g: StateId) -> f64 {
        if f == g { self.self_loops[f] } else { self.edges.get(&(f, g)).copied().unwrap_or(0.0) }
    }

    /// Observed edges `(f, g, N(g <- f))` with `f != g` and a positive count, ordered by `(f, g)`.
    pub fn edges(&self) -> impl Iterator<Item = (StateId, StateId, f64)> + '_ {
        self.edges.iter().filter(|(_, c)| **c > 0.0).map(|(&(f, g), &c)| (f, g, c))
    }

    /// Number of distinct observed edges (unique transitions).
    pub fn edge_count(&self) -> usize {
        self.edges().count()
    }

    /// Self-loop count of `f`.
    pub fn self_loops(&self, f: StateId) -> f64 {
        self.self_loops[f]
    }

    /// Rejected attempts from `f`.
    pub fn rejected(&self, f: StateId) -> f64 {
        self.rejected[f]
    }

    /// Transitions from `f` to other states.
    pub fn out_transitions(&self, f: StateId) -> f64 {
        self.out_total[f]
    }

    /// `n(f)`: every attempt started from `f` (transitions, self-loops and rejections).
    pub fn attempts(&self, f: StateId) -> f64 {
        self.out_total[f] + self.self_loops[f] + self.rejected[f]
    }

    /// Total number of attempts in the data.
    pub fn total_attempts(&self) -> f64 {
        (0..self.len()).map(|f| self.attempts(f)).sum()
    }

    /// The first count that is not a whole number, as `(source, outcome, count)`: the outcome is
    /// the target of a transition (the source itself for a self-loop), or `None` for the
    /// source's rejections. Replicates resample whole attempts, so such counts cannot be
    /// resampled as they are.
    pub fn first_fractional(&self) -> Option<(StateId, Option<StateId>, f64)> {
        let whole = |c: f64| c.fract() == 0.0;
        self.edges().find(|e| !whole(e.2)).map(|(f, g, c)| (f, Some(g), c)).or_else(|| {
            (0..self.len()).find_map(|f| {
                if !whole(self.self_loops[f]) {
                    Some((f, Some(f), self.self_loops[f]))
                } else if !whole(self.rejected[f]) {
                    Some((f, None, self.rejected[f]))
                } else {
                    None
                }
            })
        })
    }

    /// Total number of recorded transitions between distinct states.
    pub fn total_transitions(&self) -> f64 {
        self.out_total.iter().sum()
    }
}

/// The serialised form of [`Counts`]: labels, then edges as `(source, target, count)` triples.
#[derive(Serialize, Deserialize)]
struct CountsRepr {
    states: Vec<String>,
    edges: Vec<(StateId, StateId, f64)>,
    self_loops: Vec<f64>,
    rejected: Vec<f64>,
}

impl From<Counts> for CountsRepr {
    fn from(c: Counts) -> Self {
        CountsRepr {
            edges: c.edges.iter().map(|(&(f, g), &n)| (f, g, n)).collect(),
            states: c.states.into(),
            self_loops: c.self_loops,
            rejected: c.rejected,
        }
    }
}

impl TryFrom<CountsRepr> for Counts {
    type Error = String;

    fn try_from(r: CountsRepr) -> Result<Self, Self::Error> {
        let n = r.states.len();
        if r.self_loops.len() != n || r.rejected.len() != n {
            return Err(format!(
                "{n} states but {} self-loop and {} rejection counts",
                r.self_loops.len(),
                r.rejected.len()
            ));
        }
        let mut c = Counts::new();
        for label in &r.states {
            if c.states.get(label).is_some() {
                return Err(format!("state {label:?} is listed twice"));
            }
            c.add_state(label);
        }
        let valid = |x: f64| x.is_finite() && x >= 0.0;
        for (f, (&l, &rj)) in r.self_loops.iter().zip(&r.rejected).enumerate() {
            if !valid(l) || !valid(rj) {
                return Err(format!("state {f}: counts must be finite and non-negative"));
            }
            c.self_loops[f] = l;
            c.rejected[f] = rj;
        }
        for (f, g, count) in r.edges {
            if f >= n || g >= n || f == g {
                return Err(format!("edge ({f}, {g}) does not join two distinct known states"));
            }
            if !valid(count) {
                return Err(format!(
                    "edge ({f}, {g}): count {count} is not finite and non-negative"
                ));
            }
            c.add_transition_ids(f, g, count);
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_stable_and_dense() {
        let mut s = States::default();
        assert_eq!(s.intern("A"), 0);
        assert_eq!(s.intern("B"), 1);
        assert_eq!(s.intern("A"), 0);
        assert_eq!(s.get("B"), Some(1));
        assert_eq!(s.get("C"), None);
        assert_eq!(s.label(1), "B");
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn self_loops_and_rejections_count_as_attempts_not_edges() {
        let mut c = Counts::new();
        c.add_transition("A", "B", 3.0);
        c.add_transition("A", "A", 2.0);
        c.add_rejection("A", 1.0);
        c.add_transition("A", "B", 1.0);
        let a = c.states().get("A").unwrap();
        let b = c.states().get("B").unwrap();
        assert_eq!(c.count(a, b), 4.0);
        assert_eq!(c.count(a, a), 2.0);
        assert_eq!(c.attempts(a), 7.0);
        assert_eq!(c.attempts(b), 0.0);
        assert_eq!(c.edge_count(), 1);
        assert_eq!(c.total_attempts(), 7.0);
        assert_eq!(c.total_transitions(), 4.0);
    }

    #[test]
    fn serde_round_trip_keeps_ids() {
        let mut c = Counts::new();
        c.add_transition("X", "Y", 5.0);
        c.add_rejection("Y", 2.0);
        let json = serde_json::to_string(&c).unwrap();
        let back: Counts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn deserialising_rejects_inconsistent_counts() {
        let bad = r#"{"states":["A","B"],"edges":[[0,5,1.0]],"self_loops":[0,0],"rejected":[0,0]}"#;
        assert!(serde_json::from_str::<Counts>(bad).is_err());
        let neg =
            r#"{"states":["A","B"],"edges":[[0,1,-1.0]],"self_loops":[0,0],"rejected":[0,0]}"#;
        assert!(serde_json::from_str::<Counts>(neg).is_err());
        let dup = r#"{"states":["A","A"],"edges":[],"self_loops":[0,0],"rejected":[0,0]}"#;
        assert!(serde_json::from_str::<Counts>(dup).is_err());
    }
}
