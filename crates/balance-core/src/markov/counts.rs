//! The sparse count matrix `C` the Markov estimators work on.

use std::collections::BTreeMap;

use crate::graph::Components;
use crate::model::{Counts, StateId};
use crate::normalization::{Normalization, Weights};

/// A sparse, row-major count matrix on a set of states, with the diagonal holding self-loops
/// and rejections (so every row is one source's multinomial sample).
#[derive(Debug, Clone, PartialEq)]
pub struct CountMatrix {
    /// The dataset's state of each row (local index -> state id).
    pub states: Vec<StateId>,
    /// Row `i`: `(j, C_ij)` sorted by `j`, positive counts only, diagonal included.
    pub rows: Vec<Vec<(usize, f64)>>,
}

impl CountMatrix {
    /// A matrix from dense rows (tests and small examples); zero entries are dropped.
    pub fn from_dense(c: &[Vec<f64>]) -> CountMatrix {
        let rows = c
            .iter()
            .map(|row| {
                row.iter().enumerate().filter(|(_, v)| **v > 0.0).map(|(j, &v)| (j, v)).collect()
            })
            .collect();
        CountMatrix { states: (0..c.len()).collect(), rows }
    }

    /// The count matrices of a dataset on each of its strongly connected classes of two or
    /// more states among the states the normalisation keeps, largest first (ties: the one with
    /// the smallest state), as the potential's components are ordered. Transient states, never
    /// re-entered, have no stationary weight and would stall the reversible estimate, so each
    /// class is analysed alone, as MSM estimators do; a state in no class is in none of them.
    pub fn classes(
        counts: &Counts,
        normalization: Normalization,
        weights: &Weights,
    ) -> Vec<CountMatrix> {
        let n = counts.len();
        let active_edges =
            counts.edges().filter(|&(f, g, _)| weights.active[f] && weights.active[g]);
        let comps = Components::new(n, active_edges.map(|(f, g, _)| (f, g)));
        let mut order: Vec<usize> = comps.nontrivial().collect();
        order.sort_by_key(|&c| (std::cmp::Reverse(comps.members[c].len()), comps.members[c][0]));
        order
            .into_iter()
            .map(|c| CountMatrix::on_states(counts, normalization, weights, &comps.members[c]))
            .collect()
    }

    /// The count matrix of a dataset on the given states: the transitions between them, and on
    /// the diagonal of each row what did not leave the state, which are self-loops and the
    /// rejections the normalisation counts (observed: recorded rejections; high-reject: `N0(f)`
    /// less the recorded transitions). Transitions to other states are left out, so each row
    /// is its source's attempts that stayed among `states`.
    pub fn on_states(
        counts: &Counts,
        normalization: Normalization,
        weights: &Weights,
        states: &[StateId],
    ) -> CountMatrix {
        let mut local = vec![usize::MAX; counts.len()];
        for (i, &s) in states.iter().enumerate() {
            local[s] = i;
        }
        let mut rows: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); states.len()];
        for (f, g, c) in counts.edges() {
            if local[f] != usize::MAX && local[g] != usize::MAX {
                rows[local[f]].insert(local[g], c);
            }
        }
        for (i, &s) in states.iter().enumerate() {
            let diag = match normalization {
                Normalization::LowReject => counts.self_loops(s),
                Normalization::Observed => counts.self_loops(s) + counts.rejected(s),
                Normalization::HighReject => (counts.self_loops(s) + counts.rejected(s))
                    .max(weights.n0[s] - counts.out_transitions(s)),
            };
            if diag > 0.0 {
                rows[i].insert(i, diag);
            }
        }
        let rows = rows.into_iter().map(|r| r.into_iter().collect()).collect();
        CountMatrix { states: states.to_vec(), rows }
    }

    /// Number of states.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the matrix is empty.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Row sums `c_i`.
    pub fn row_sums(&self) -> Vec<f64> {
        self.rows.iter().map(|r| r.iter().map(|e| e.1).sum()).collect()
    }

    /// `C_ij` (0 when absent).
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.rows[i].binary_search_by_key(&j, |e| e.0).map_or(0.0, |k| self.rows[i][k].1)
    }

    /// Off-diagonal directed edges `(i, j)` with `C_ij > 0`.
    pub fn off_diagonal(&self) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
        self.rows
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r.iter().filter(move |e| e.0 != i).map(move |&(j, c)| (i, j, c)))
    }

    /// The matrix split into its strongly connected classes of two or more states, largest
    /// first (ties: the one with the smallest state), dropping the counts that leave each;
    /// `states` keeps the dataset's ids.
    pub fn classes_of(&self) -> Vec<CountMatrix> {
        let comps = Components::new(self.len(), self.off_diagonal().map(|(i, j, _)| (i, j)));
        let mut order: Vec<usize> = comps.nontrivial().collect();
        if order.len() == 1 && comps.members[order[0]].len() == self.len() {
            return vec![self.clone()];
        }
        order.sort_by_key(|&k| (std::cmp::Reverse(comps.members[k].len()), comps.members[k][0]));
        let mut local = vec![usize::MAX; self.len()];
        order
            .into_iter()
            .map(|k| {
                let members = &comps.members[k];
                for (i, &s) in members.iter().enumerate() {
                    local[s] = i;
                }
                CountMatrix {
                    states: members.iter().map(|&i| self.states[i]).collect(),
                    rows: members
                        .iter()
                        .map(|&i| {
                            self.rows[i]
                                .iter()
                                .filter(|e| comps.of[e.0] == k)
                                .map(|&(j, v)| (local[j], v))
                                .collect()
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// Sum of every count.
    pub fn total(&self) -> f64 {
        self.rows.iter().flatten().map(|e| e.1).sum()
    }

    /// A copy with every count multiplied by `factor`.
    pub fn scaled(&self, factor: f64) -> CountMatrix {
        CountMatrix {
            states: self.states.clone(),
            rows: self
                .rows
                .iter()
                .map(|r| r.iter().map(|&(j, c)| (j, c * factor)).collect())
                .collect(),
        }
    }
}
