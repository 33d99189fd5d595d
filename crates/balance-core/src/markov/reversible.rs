//! The reversible maximum-likelihood transition matrix (Bowman 2009, Prinz 2011; deeptime's
//! self-consistent iteration) and the row-wise multinomial log-likelihoods.

use std::collections::BTreeMap;

use super::counts::CountMatrix;
use crate::fixed_point::squarem;

/// The reversible MLE of a count matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct ReversibleFit {
    /// Stationary distribution `pi` (sums to 1).
    pub pi: Vec<f64>,
    /// Sparse rows of `P_rev` on the symmetrised support, diagonal included, sorted by column.
    pub p: Vec<Vec<(usize, f64)>>,
    /// Evaluations of the fixed-point map (accelerated by SQUAREM).
    pub iterations: usize,
    /// Whether the change fell below the tolerance.
    pub converged: bool,
}

impl ReversibleFit {
    /// `P_rev[i][j]` (0 off the support).
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.p[i].binary_search_by_key(&j, |e| e.0).map_or(0.0, |k| self.p[i][k].1)
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

/// Change of `x` (1-norm) below which the fixed point stops.
const TOLERANCE: f64 = 1e-13;
/// Cap on evaluations of the fixed-point map.
const MAX_ITER: usize = 1_000_000;

/// Computes the reversible MLE: with `S = C + C^T` and `c_i = sum_j C_ij`, iterate
/// `x_i <- sum_j S_ij / (c_i/x_i + c_j/x_j)`, normalise (accelerated by SQUAREM), until a step
/// changes `x` by less than 1e-13 in the 1-norm; then `P_ij = X_ij / sum_k X_ik` with `X_ij = S_ij / (c_i/x_i + c_j/x_j)`.
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
    // The diagonal only makes states sticky: with y_i = x_i c'_i / c_i (c'_i = c_i - C_ii) the
    // fixed point is the same iteration on the counts without their diagonal, which converges
    // much faster; x is recovered from y afterwards.
    let off: Vec<f64> = (0..n).map(|i| rows[i] - diag[i]).collect();
    let total: f64 = off.iter().sum::<f64>() * 2.0;
    let y0: Vec<f64> = (0..n).map(|i| sym[i].iter().map(|e| e.1).sum::<f64>() / total).collect();
    let map = |y: &[f64]| {
        let mut next: Vec<f64> = (0..n)
            .map(|i| {
                let qi = off[i] / y[i];
                sym[i].iter().map(|&(j, sij)| sij / (qi + off[j] / y[j])).sum::<f64>()
            })
            .collect();
        let norm: f64 = next.iter().sum();
        next.iter_mut().for_each(|v| *v /= norm);
        next
    };
    let (y, iterations, converged) = if n < 2 || total == 0.0 {
        (vec![1.0; n], 0, true)
    } else {
        squarem(y0, map, TOLERANCE, MAX_ITER)
    };
    let mut x: Vec<f64> =
        (0..n).map(|i| if off[i] > 0.0 { y[i] * rows[i] / off[i] } else { y[i] }).collect();
    let norm: f64 = x.iter().sum();
    x.iter_mut().for_each(|v| *v /= norm);
    let p = (0..n)
        .map(|i| {
            let qi = rows[i] / x[i];
            let mut row: Vec<(usize, f64)> =
                sym[i].iter().map(|&(j, sij)| (j, sij / (qi + rows[j] / x[j]))).collect();
            if diag[i] > 0.0 {
                row.push((i, diag[i] * x[i] / rows[i]));
            }
            let sum: f64 = row.iter().map(|e| e.1).sum();
            row.iter_mut().for_each(|e| e.1 /= sum);
            row.sort_by_key(|e| e.0);
            row
        })
        .collect();
    ReversibleFit { pi: x, p, iterations, converged }
}

/// The non-reversible MLE `P_ij = C_ij / c_i` as sparse rows (a row without counts stays empty).
pub fn nonreversible_mle(c: &CountMatrix) -> Vec<Vec<(usize, f64)>> {
    c.rows
        .iter()
        .map(|row| {
            let total: f64 = row.iter().map(|e| e.1).sum();
            row.iter().map(|&(j, v)| (j, v / total)).collect()
        })
        .collect()
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
