//! Normalisations: the choice of `N0(f)` in `T(g <- f) ~ N(g <- f) / N0(f)`, and the edge
//! weights `w(f -> g) = min(1, N(g <- f) / N0(f))` the action and the tests use.

use serde::{Deserialize, Serialize};

use crate::model::{Counts, StateId};

/// How `N0(f)` is chosen (docs/method.md, section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Normalization {
    /// `N0 = A / #states` for every state, `A` the total attempts (the paper, small state spaces).
    HighReject,
    /// `N0 = n(f)` counting transitions and self-loops; states with `n(f) <= threshold` are
    /// filtered with every edge touching them (the paper, large state spaces).
    LowReject,
    /// `N0 = n(f)` counting every attempt: transitions, self-loops and rejections.
    Observed,
}

impl Normalization {
    /// Every normalisation, for pickers.
    pub const ALL: [Normalization; 3] =
        [Normalization::HighReject, Normalization::LowReject, Normalization::Observed];

    /// The kebab-case name used in files and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Normalization::HighReject => "high-reject",
            Normalization::LowReject => "low-reject",
            Normalization::Observed => "observed",
        }
    }
}

/// Edge weights and per-state normalisers for one dataset and normalisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// `N0(f)` for each state (0 for a filtered state or one never used as a source).
    pub n0: Vec<f64>,
    /// Whether each state takes part in the analysis (not filtered out).
    pub active: Vec<bool>,
    /// Edges `(f, g, w)` between active states with `N(g <- f) > 0`, `w = min(1, N / N0(f))`.
    pub edges: Vec<(StateId, StateId, f64)>,
    /// `N(g <- f)` of each edge, in the order of `edges`.
    pub counts: Vec<f64>,
    /// `dw / dN` of each edge: `1 / N0(f)`, 0 where `w` is capped at 1, the chain rule's factor
    /// under majority voting. The standard errors propagate the counts' noise through it.
    pub slopes: Vec<f64>,
    /// Trials of each source's multinomial: the attempts its outcomes are drawn from (at least
    /// `N0(f)` under high-reject, where the unrecorded attempts count as rejections).
    pub trials: Vec<f64>,
    /// Number of active states with `N0(f) > 0`: the action is divided by it.
    pub n_active: usize,
    /// The total attempts `A` used (high-reject), or the recorded attempts.
    pub total_attempts: f64,
}

impl Weights {
    /// Computes the weights. `total_attempts` overrides the recorded total (high-reject only
    /// uses it); `threshold` is the low-reject filter `n(f) <= threshold`.
    pub fn new(
        counts: &Counts,
        normalization: Normalization,
        total_attempts: Option<f64>,
        threshold: f64,
    ) -> Weights {
        let n = counts.len();
        let recorded = counts.total_attempts();
        let total = total_attempts.filter(|a| *a > 0.0).unwrap_or(recorded);
        let mut active = vec![true; n];
        let n0: Vec<f64> = (0..n)
            .map(|f| match normalization {
                Normalization::HighReject if n > 0 => total / n as f64,
                Normalization::HighReject => 0.0,
                Normalization::LowReject => {
                    let nf = counts.out_transitions(f) + counts.self_loops(f);
                    if nf <= threshold {
                        active[f] = false;
                        0.0
                    } else {
                        nf
                    }
                }
                Normalization::Observed => counts.attempts(f),
            })
            .collect();
        let kept: Vec<(StateId, StateId, f64)> =
            counts.edges().filter(|&(f, g, _)| active[f] && active[g] && n0[f] > 0.0).collect();
        let edges = kept.iter().map(|&(f, g, c)| (f, g, (c / n0[f]).min(1.0))).collect();
        let slopes =
            kept.iter().map(|&(f, _, c)| if c < n0[f] { 1.0 / n0[f] } else { 0.0 }).collect();
        let trials = (0..n)
            .map(|f| match normalization {
                Normalization::HighReject => n0[f].max(counts.attempts(f)),
                _ => n0[f],
            })
            .collect();
        let n_active = (0..n).filter(|&f| active[f] && n0[f] > 0.0).count();
        Weights {
            n0,
            active,
            counts: kept.iter().map(|e| e.2).collect(),
            edges,
            slopes,
            trials,
            n_active,
            total_attempts: total,
        }
    }

    /// The weights under majority voting of `n` out of `m` answers: each `w` becomes
    /// `T_M(w)` (its slope by the chain rule); edges whose voted weight is 0 are dropped.
    pub fn voted(mut self, m: u32, n: u32) -> Weights {
        use crate::detailed_balance::{majority_vote, majority_vote_slope};
        let edges = std::mem::take(&mut self.edges);
        let counts = std::mem::take(&mut self.counts);
        let slopes = std::mem::take(&mut self.slopes);
        for ((f, g, t), (c, slope)) in edges.into_iter().zip(counts.into_iter().zip(slopes)) {
            let w = majority_vote(t, m, n);
            if w > 0.0 {
                self.edges.push((f, g, w));
                self.counts.push(c);
                self.slopes.push(slope * majority_vote_slope(t, m, n));
            }
        }
        self
    }

    /// Number of states (active or not).
    pub fn len(&self) -> usize {
        self.n0.len()
    }

    /// Whether there are no states.
    pub fn is_empty(&self) -> bool {
        self.n0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::Bundled;

    #[test]
    fn high_reject_uses_total_over_states_and_caps_at_one() {
        let d = Bundled::Claude4Word.load();
        let w = Weights::new(&d.counts, Normalization::HighReject, d.total_attempts, 1.0);
        assert!(w.n0.iter().all(|&x| x == 4000.0));
        assert_eq!(w.n_active, 5);
        let s = d.counts.states();
        let find = |f: &str, g: &str| {
            let (f, g) = (s.get(f).unwrap(), s.get(g).unwrap());
            w.edges.iter().find(|e| e.0 == f && e.1 == g).unwrap().2
        };
        assert_eq!(find("TURKEY", "ATTITUDE"), 1.0);
        assert_eq!(find("PERSONAL", "ATTITUDE"), 3879.0 / 4000.0);
    }

    #[test]
    fn low_reject_filters_rarely_sampled_states_and_their_edges() {
        let mut c = Counts::new();
        c.add_transition("A", "B", 3.0);
        c.add_transition("A", "A", 1.0);
        c.add_transition("B", "A", 2.0);
        c.add_transition("C", "A", 1.0);
        c.add_transition("A", "C", 1.0);
        c.add_rejection("B", 5.0);
        let w = Weights::new(&c, Normalization::LowReject, None, 1.0);
        assert_eq!(w.n0, vec![5.0, 2.0, 0.0]);
        assert_eq!(w.active, vec![true, true, false]);
        assert_eq!(w.edges, vec![(0, 1, 0.6), (1, 0, 1.0)]);
        assert_eq!(w.n_active, 2);
        let o = Weights::new(&c, Normalization::Observed, None, 1.0);
        assert_eq!(o.n0, vec![5.0, 7.0, 1.0]);
        assert_eq!(o.edges.len(), 4);
    }
}
