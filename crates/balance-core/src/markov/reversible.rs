//! The reversible maximum-likelihood transition matrix (the estimator of Bowman 2009 and Prinz
//! 2011, as in deeptime) by Newton's method on its convex dual, and the row-wise multinomial
//! log-likelihoods.

use std::collections::BTreeMap;

use super::counts::CountMatrix;

/// The reversible MLE of a count matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct ReversibleFit {
    /// Stationary distribution `pi` (sums to 1).
    pub pi: Vec<f64>,
    /// Sparse rows of `P_rev` on the symmetrised support, diagonal included, sorted by column.
    pub p: Vec<Vec<(usize, f64)>>,
    /// Newton iterations.
    pub iterations: usize,
    /// Whether the gradient (or the step) fell below the tolerance.
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

/// Newton iterations at most.
const MAX_NEWTON: usize = 200;
/// Largest change of any `z_i` in one Newton step.
const MAX_LOG_STEP: f64 = 4.0;
/// Largest gradient, relative to the total count, accepted as converged when the line search
/// can no longer decrease the objective (its rounding then exceeds any decrease).
const STALLED_GRADIENT: f64 = 1e-9;

/// `log(e^a + e^b)` without overflow.
fn log_add_exp(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    hi + (lo - hi).exp().ln_1p()
}

/// `1 / (1 + e^-t)` without overflow.
fn sigmoid(t: f64) -> f64 {
    if t >= 0.0 {
        1.0 / (1.0 + (-t).exp())
    } else {
        let e = t.exp();
        e / (1.0 + e)
    }
}

/// Computes the reversible MLE of a count matrix whose states all lead somewhere else (as on a
/// strongly connected set).
///
/// With `S = C + C^T` off the diagonal, `c_i` the row sums and `o_i = c_i - C_ii`, the maximum
/// has `X_ij = S_ij / (u_i + u_j)`, `X_ii = C_ii / u_i` and `x_i = c_i / u_i` (so `P = X / x`,
/// `pi ~ x`), where `u` solves `sum_j S_ij u_i / (u_i + u_j) = o_i`: the stationary point of the
/// convex function `phi(z) = sum_{i<j} S_ij log(e^z_i + e^z_j) - sum_i o_i z_i` of `z = log u`.
/// Its Hessian is a weighted graph Laplacian (`S_ij s (1 - s)`, `s = sigmoid(z_i - z_j)`), so
/// Newton's method with a line search finds it in a few steps, to rounding, however sparse or
/// nearly one-way the counts (where the self-consistent iteration of Bowman and Prinz crawls).
pub fn reversible_mle(c: &CountMatrix) -> ReversibleFit {
    let n = c.len();
    let rows = c.row_sums();
    // Symmetric support without the diagonal (pairs i < j), and the diagonal counts.
    let mut sym: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut diag = vec![0.0; n];
    for (i, row) in c.rows.iter().enumerate() {
        for &(j, v) in row {
            if i == j {
                diag[i] = v;
            } else {
                *sym.entry((i.min(j), i.max(j))).or_insert(0.0) += v;
            }
        }
    }
    let pairs: Vec<(usize, usize, f64)> = sym.into_iter().map(|((i, j), s)| (i, j, s)).collect();
    let off: Vec<f64> = (0..n).map(|i| rows[i] - diag[i]).collect();
    let phi = |z: &[f64]| {
        pairs.iter().map(|&(i, j, s)| s * log_add_exp(z[i], z[j])).sum::<f64>()
            - (0..n).map(|i| off[i] * z[i]).sum::<f64>()
    };
    let gradient = |z: &[f64], g: &mut [f64]| {
        g.iter_mut().zip(&off).for_each(|(g, o)| *g = -o);
        for &(i, j, s) in &pairs {
            let t = s * sigmoid(z[i] - z[j]);
            g[i] += t;
            g[j] += s - t;
        }
    };
    let scale: f64 = off.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let tol = 1e-14 * scale;
    // Start where pi is proportional to each state's symmetrised flow (u = c / flow).
    let mut flow = vec![0.0; n];
    for &(i, j, s) in &pairs {
        flow[i] += s;
        flow[j] += s;
    }
    // (A nearby estimate's pi is no better a start: it can leave a few edges with vanishing
    // Hessian weight, where the Newton solves crawl.)
    let mut z: Vec<f64> = (0..n)
        .map(|i| if flow[i] > 0.0 && rows[i] > 0.0 { (rows[i] / flow[i]).ln() } else { 0.0 })
        .collect();
    let edges: Vec<(usize, usize)> = pairs.iter().map(|&(i, j, _)| (i, j)).collect();
    let laplacian = crate::laplacian::LaplacianSolver::new(n, &edges);
    let mut first_norm = None;
    let mut g = vec![0.0; n];
    let mut value = phi(&z);
    let (mut iterations, mut converged) = (0, n < 2 || pairs.is_empty());
    while !converged && iterations < MAX_NEWTON {
        iterations += 1;
        gradient(&z, &mut g);
        if g.iter().all(|x| x.abs() <= tol) {
            converged = true;
            break;
        }
        let h: Vec<f64> = pairs
            .iter()
            .map(|&(i, j, s)| {
                let t = sigmoid(z[i] - z[j]);
                s * t * (1.0 - t)
            })
            .collect();
        let norm = g.iter().map(|x| x * x).sum::<f64>().sqrt();
        let forcing =
            (norm / *first_norm.get_or_insert(norm)).clamp(crate::potential::FORCING_FLOOR, 0.1);
        let mut step = crate::potential::newton_step(&laplacian, &edges, &h, &g, forcing);
        // A state joined only by weak edges can be sent far in one step, leaving its edges
        // with no Hessian weight (a singular next step): no log-weight moves more than
        // MAX_LOG_STEP at once.
        let longest = step.iter().map(|d| d.abs()).fold(0.0, f64::max);
        if longest > MAX_LOG_STEP {
            step.iter_mut().for_each(|d| *d *= MAX_LOG_STEP / longest);
        }
        let slope: f64 = -g.iter().zip(&step).map(|(a, b)| a * b).sum::<f64>();
        let rounding = 8.0 * f64::EPSILON * value.abs().max(scale);
        let mut t = 1.0;
        let mut trial = z.clone();
        loop {
            for k in 0..n {
                trial[k] = z[k] - t * step[k];
            }
            let v = phi(&trial);
            if v <= value + 1e-4 * t * slope || v <= value + rounding {
                value = v;
                break;
            }
            t *= 0.5;
            if t < 1e-12 {
                break;
            }
        }
        if t < 1e-12 {
            // No decrease beyond the rounding of phi: converged when the gradient is at the
            // level that rounding leaves.
            converged = g.iter().all(|x| x.abs() <= STALLED_GRADIENT * scale);
            break;
        }
        let moved = step.iter().map(|d| (t * d).abs()).fold(0.0, f64::max);
        z.clone_from(&trial);
        if moved <= 1e-13 {
            converged = true;
        }
    }
    let u: Vec<f64> = z.iter().map(|zi| zi.exp()).collect();
    let mut x: Vec<f64> = (0..n).map(|i| rows[i] / u[i]).collect();
    let norm: f64 = x.iter().sum();
    x.iter_mut().for_each(|v| *v /= norm);
    let mut p: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for &(i, j, s) in &pairs {
        let xij = s / (u[i] + u[j]);
        p[i].push((j, xij));
        p[j].push((i, xij));
    }
    for (i, row) in p.iter_mut().enumerate() {
        if diag[i] > 0.0 {
            row.push((i, diag[i] / u[i]));
        }
        let sum: f64 = row.iter().map(|e| e.1).sum();
        row.iter_mut().for_each(|e| e.1 /= sum);
        row.sort_by_key(|e| e.0);
    }
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
