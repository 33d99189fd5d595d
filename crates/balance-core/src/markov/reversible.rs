//! The reversible maximum-likelihood transition matrix (Bowman 2009, Prinz 2011; deeptime's
//! self-consistent iteration) and the row-wise multinomial log-likelihoods.

use std::collections::BTreeMap;

use super::counts::CountMatrix;

/// The reversible MLE of a count matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct ReversibleFit {
    /// Stationary distribution `pi` (sums to 1).
    pub pi: Vec<f64>,
    /// Sparse rows of `P_rev` on the symmetrised support, diagonal included, sorted by column.
    pub p: Vec<Vec<(usize, f64)>>,
    /// Iterations of the fixed point.
    pub iterations: usize,
    /// Whether the relative change fell below the tolerance.
    pub converged: bool,
}

impl ReversibleFit {
    /// `P_rev[i][j]` (0 off the support).
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.p[i]
            .binary_search_by_key(&j, |e| e.0)
            .map_or(0.0, |k| self.p[i][k].1)
    }

    /// Dense copy of `P_rev`.
    pub fn dense(&self) -> Vec<Vec<f64>> {
        let n = self.p.len();
        let mut out = vec![vec![0.0; n]; n];
        for (i, row) in self.p.iter().enumerate() {
            for &(j, v) in row {
                out[i][j] = v;
            }
        }
        out
    }
}

/// Relative change of `x` below which the fixed point stops.
const TOLERANCE: f64 = 1e-13;
/// Iteration cap of the fixed point.
const MAX_ITER: usize = 1_000_000;

/// Computes the reversible MLE: with `S = C + C^T` and `c_i = sum_j C_ij`, iterate
/// `x_i <- sum_j S_ij / (c_i/x_i + c_j/x_j)`, normalise, until the largest relative change is
/// below 1e-13; then `P_ij = X_ij / sum_k X_ik` with `X_ij = S_ij / (c_i/x_i + c_j/x_j)`.
pub fn reversible_mle(c: &CountMatrix) -> ReversibleFit {
    let n = c.len();
    let rows = c.row_sums();
    // Symmetric support without the diagonal, and the diagonal counts.
    let mut sym: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); n];
    let mut diag = vec![0.0; n];
    for (i, row) in c.rows.iter().enumerate() {
        for &(j, v) in row {
            if i == j {
                diag[i] = v;
            } else {
                *sym[i].entry(j).or_insert(0.0) += v;
                *sym[j].entry(i).or_insert(0.0) += v;
            }
        }
    }
    let sym: Vec<Vec<(usize, f64)>> = sym.into_iter().map(|m| m.into_iter().collect()).collect();
    let total: f64 = rows.iter().sum::<f64>() * 2.0;
    let mut x: Vec<f64> = (0..n)
        .map(|i| (2.0 * diag[i] + sym[i].iter().map(|e| e.1).sum::<f64>()) / total)
        .collect();
    let mut next = vec![0.0; n];
    let mut iterations = 0;
    let mut converged = n == 0;
    while iterations < MAX_ITER && !converged {
        iterations += 1;
        for i in 0..n {
            let qi = rows[i] / x[i];
            let mut s = if rows[i] > 0.0 {
                diag[i] * x[i] / rows[i]
            } else {
                0.0
            };
            for &(j, sij) in &sym[i] {
                s += sij / (qi + rows[j] / x[j]);
            }
            next[i] = s;
        }
        let norm: f64 = next.iter().sum();
        let mut change: f64 = 0.0;
        for i in 0..n {
            let v = next[i] / norm;
            change = change.max(((v - x[i]) / v).abs());
            x[i] = v;
        }
        converged = change < TOLERANCE;
    }
    let p = (0..n)
        .map(|i| {
            let qi = rows[i] / x[i];
            let mut row: Vec<(usize, f64)> = sym[i]
                .iter()
                .map(|&(j, sij)| (j, sij / (qi + rows[j] / x[j])))
                .collect();
            if diag[i] > 0.0 {
                row.push((i, diag[i] * x[i] / rows[i]));
            }
            let sum: f64 = row.iter().map(|e| e.1).sum();
            row.iter_mut().for_each(|e| e.1 /= sum);
            row.sort_by_key(|e| e.0);
            row
        })
        .collect();
    ReversibleFit {
        pi: x,
        p,
        iterations,
        converged,
    }
}

/// `log L(P_nonrev) = sum_ij C_ij log(C_ij / c_i)`.
pub fn log_likelihood_nonrev(c: &CountMatrix) -> f64 {
    let rows = c.row_sums();
    c.rows
        .iter()
        .enumerate()
        .flat_map(|(i, r)| r.iter().map(move |&(_, v)| (i, v)))
        .map(|(i, v)| v * (v / rows[i]).ln())
        .sum()
}

/// `log L(P) = sum_ij C_ij log P_ij` for the reversible estimate.
pub fn log_likelihood_rev(c: &CountMatrix, fit: &ReversibleFit) -> f64 {
    c.rows
        .iter()
        .enumerate()
        .flat_map(|(i, r)| r.iter().map(move |&(j, v)| (i, j, v)))
        .map(|(i, j, v)| v * fit.get(i, j).ln())
        .sum()
}
