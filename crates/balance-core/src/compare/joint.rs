//! The joint model of several datasets' potentials, fitted by minimum distance.
//!
//! Each dataset `k` gives, on the shared states of its largest component, the differences
//! `y(s) = V_k(s) - V_k(r)` from a reference state `r`, with their sandwich covariance `C`. The
//! joint model says `V_k(s) = beta_k V(s) + c_k`, so `y(s) = beta_k (V(s) - V(r))`. Its
//! parameters (`V` on the shared states up to a constant, `beta_k` for every dataset but the
//! first, whose `beta` is 1) minimise `Q = sum_k (y - mu)^T C^-1 (y - mu)`: the generalised
//! least-squares distance of the separate fits from the joint one. Under the joint model `Q`
//! follows a chi-square law with as many degrees of freedom as the separate fits have free
//! parameters beyond the joint one.

use nalgebra::{DMatrix, DVector};

/// One dataset's separate estimate on its shared states.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// Which dataset.
    pub dataset: usize,
    /// Indices of its shared states in the comparison's list; the first is the reference.
    pub states: Vec<usize>,
    /// `V(s) - V(reference)` for `states[1..]`.
    pub y: DVector<f64>,
    /// Their covariance.
    pub covariance: DMatrix<f64>,
    /// Its inverse.
    pub weight: DMatrix<f64>,
}

impl Block {
    /// A block, or `None` when the covariance cannot be inverted.
    pub fn new(
        dataset: usize,
        states: Vec<usize>,
        y: DVector<f64>,
        covariance: DMatrix<f64>,
    ) -> Option<Block> {
        let weight = covariance.clone().cholesky()?.inverse();
        Some(Block { dataset, states, y, covariance, weight })
    }

    /// `D v`: the model's differences `v(s) - v(reference)` before scaling.
    fn differences(&self, v: &[f64]) -> DVector<f64> {
        let r = self.states[0];
        DVector::from_iterator(self.y.len(), self.states[1..].iter().map(|&s| v[s] - v[r]))
    }

    /// The design `D` as a matrix over every shared state (one row per difference).
    fn design(&self, n: usize) -> DMatrix<f64> {
        let mut d = DMatrix::zeros(self.y.len(), n);
        for (i, &s) in self.states[1..].iter().enumerate() {
            d[(i, s)] += 1.0;
            d[(i, self.states[0])] -= 1.0;
        }
        d
    }
}

/// The fitted joint model.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JointFit {
    /// `V` per shared state, 0 at state 0 (the first dataset's reference).
    pub v: Vec<f64>,
    /// `beta` per dataset, 1 for the first.
    pub beta: Vec<f64>,
    /// The minimum distance `Q`.
    pub distance: f64,
    /// Whether the alternating steps met their stopping criterion.
    pub converged: bool,
}

/// Alternating steps before Gauss-Newton takes over.
const ALTERNATING_STEPS: usize = 30;
/// Most Gauss-Newton steps.
const NEWTON_STEPS: usize = 200;

/// Fits `V` on `n` shared states and `beta` for `datasets` datasets: a few alternating exact
/// steps (`V` by generalised least squares given `beta`, then each `beta_k` given `V`; each
/// lowers `Q`) for a start, then Gauss-Newton steps with backtracking to the minimum. `None`
/// when `V` is not identified (the shared states do not hang together).
pub(crate) fn fit(blocks: &[Block], n: usize, datasets: usize) -> Option<JointFit> {
    let designs: Vec<DMatrix<f64>> = blocks.iter().map(|b| b.design(n)).collect();
    let mut beta = vec![1.0; datasets];
    let mut v = vec![0.0; n];
    for _ in 0..ALTERNATING_STEPS {
        v = solve_v(blocks, &designs, &beta, n)?;
        for (k, b) in beta.iter_mut().enumerate().skip(1) {
            let (mut num, mut den) = (0.0, 0.0);
            for block in blocks.iter().filter(|b| b.dataset == k) {
                let u = block.differences(&v);
                let wu = &block.weight * &u;
                num += wu.dot(&block.y);
                den += wu.dot(&u);
            }
            if den > 0.0 {
                *b = num / den;
            }
        }
    }
    let mut current =
        JointFit { distance: distance_of(blocks, &v, &beta), v, beta, converged: false };
    for _ in 0..NEWTON_STEPS {
        let Some(step) = gauss_newton_step(blocks, &current, n) else { break };
        let size = step.amax();
        let mut t = 1.0;
        let mut moved = false;
        while t > 1e-10 {
            let mut next = current.clone();
            for i in 1..n {
                next.v[i] += t * step[i - 1];
            }
            for k in 1..datasets {
                next.beta[k] += t * step[n - 1 + k - 1];
            }
            next.distance = distance_of(blocks, &next.v, &next.beta);
            if next.distance <= current.distance {
                current = next;
                moved = true;
                break;
            }
            t *= 0.5;
        }
        let scale =
            1.0 + current.v.iter().chain(&current.beta).fold(0.0_f64, |m, x| m.max(x.abs()));
        if !moved || t * size <= 1e-12 * scale {
            current.converged = true;
            break;
        }
    }
    Some(current)
}

/// The Gauss-Newton step `(J^T W J)^-1 J^T W r` in the free parameters.
fn gauss_newton_step(blocks: &[Block], fit: &JointFit, n: usize) -> Option<DVector<f64>> {
    let jac = jacobian(blocks, fit, n);
    let mu = fitted(blocks, fit);
    let p = jac.first()?.ncols();
    let mut info = DMatrix::<f64>::zeros(p, p);
    let mut grad = DVector::<f64>::zeros(p);
    for ((b, j), mu) in blocks.iter().zip(&jac).zip(&mu) {
        let jtw = j.transpose() * &b.weight;
        info += &jtw * j;
        grad += jtw * (&b.y - mu);
    }
    info.cholesky().map(|c| c.solve(&grad))
}

/// `V` (0 at state 0) minimising `Q` for fixed `beta`.
fn solve_v(blocks: &[Block], designs: &[DMatrix<f64>], beta: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut a = DMatrix::<f64>::zeros(n, n);
    let mut rhs = DVector::<f64>::zeros(n);
    for (block, d) in blocks.iter().zip(designs) {
        let b = beta[block.dataset];
        let dtw = d.transpose() * &block.weight;
        a += (&dtw * d) * (b * b);
        rhs += (&dtw * &block.y) * b;
    }
    let free = a.view((1, 1), (n - 1, n - 1)).into_owned();
    let x = free.cholesky()?.solve(&rhs.rows(1, n - 1).into_owned());
    Some(std::iter::once(0.0).chain(x.iter().copied()).collect())
}

/// `Q` at `(v, beta)`.
pub(crate) fn distance_of(blocks: &[Block], v: &[f64], beta: &[f64]) -> f64 {
    blocks
        .iter()
        .map(|b| {
            let r = &b.y - b.differences(v) * beta[b.dataset];
            r.dot(&(&b.weight * &r))
        })
        .sum()
}

/// The model's differences `beta_k (V(s) - V(reference))` of each block.
pub(crate) fn fitted(blocks: &[Block], fit: &JointFit) -> Vec<DVector<f64>> {
    blocks.iter().map(|b| b.differences(&fit.v) * fit.beta[b.dataset]).collect()
}

/// The Jacobian of the stacked model in the free parameters (`V` at states `1..n`, then `beta`
/// of datasets `1..`), one block of rows per block.
fn jacobian(blocks: &[Block], fit: &JointFit, n: usize) -> Vec<DMatrix<f64>> {
    let k = fit.beta.len();
    blocks
        .iter()
        .map(|b| {
            let d = b.design(n);
            let mut j = DMatrix::zeros(b.y.len(), n - 1 + k - 1);
            let scale = fit.beta[b.dataset];
            j.view_mut((0, 0), (b.y.len(), n - 1)).copy_from(&(d.columns(1, n - 1) * scale));
            if b.dataset > 0 {
                j.set_column(n - 1 + b.dataset - 1, &b.differences(&fit.v));
            }
            j
        })
        .collect()
}

/// What the fit's uncertainty gives.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Uncertainty {
    /// Standard error of `V(s) - V(state 0)` per shared state.
    pub v_se: Vec<f64>,
    /// Standard error of `beta` per dataset (0 for the first).
    pub beta_se: Vec<f64>,
    /// Per block, per state of the block (reference first): the residual after removing the
    /// block's mean residual, and its standard deviation.
    pub residuals: Vec<Vec<(f64, f64)>>,
}

/// Standard errors of the parameters (the inverse of the information `J^T C^-1 J`) and the
/// standardised residuals. `None` when the information is singular (`beta` not identified, as
/// when a dataset's shared states all sit at one level).
pub(crate) fn uncertainty(blocks: &[Block], fit: &JointFit, n: usize) -> Option<Uncertainty> {
    let k = fit.beta.len();
    let p = n - 1 + k - 1;
    let jac = jacobian(blocks, fit, n);
    let mut info = DMatrix::<f64>::zeros(p, p);
    for (b, j) in blocks.iter().zip(&jac) {
        info += j.transpose() * &b.weight * j;
    }
    let cov = info.cholesky()?.inverse();
    let sd = |x: f64| x.max(0.0).sqrt();
    let v_se = std::iter::once(0.0).chain((0..n - 1).map(|i| sd(cov[(i, i)]))).collect();
    let beta_se =
        std::iter::once(0.0).chain((0..k - 1).map(|i| sd(cov[(n - 1 + i, n - 1 + i)]))).collect();
    let mu = fitted(blocks, fit);
    let residuals = blocks
        .iter()
        .zip(&jac)
        .zip(&mu)
        .map(|((b, j), mu)| {
            // Cov(r) = C - J cov J^T on the block (the projection's complement), then the
            // reference's residual (0) is put back and the block's mean removed.
            let cr = &b.covariance - j * &cov * j.transpose();
            let m = b.states.len();
            let mut lift = DMatrix::<f64>::zeros(m, m - 1);
            for i in 0..m - 1 {
                lift[(i + 1, i)] = 1.0;
            }
            let centre =
                DMatrix::<f64>::identity(m, m) - DMatrix::from_element(m, m, 1.0 / m as f64);
            let t = &centre * &lift;
            let r = &t * (&b.y - mu);
            let var = &t * cr * t.transpose();
            (0..m).map(|i| (r[i], sd(var[(i, i)]))).collect()
        })
        .collect();
    Some(Uncertainty { v_se, beta_se, residuals })
}

/// Degrees of freedom: the separate fits' free differences less the joint model's parameters.
pub(crate) fn degrees_of_freedom(blocks: &[Block], n: usize, datasets: usize) -> isize {
    let data: usize = blocks.iter().map(|b| b.y.len()).sum();
    data as isize - (n as isize - 1) - (datasets as isize - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(dataset: usize, states: Vec<usize>, y: &[f64], sd: f64) -> Block {
        let m = y.len();
        Block::new(dataset, states, DVector::from_row_slice(y), DMatrix::identity(m, m) * (sd * sd))
            .unwrap()
    }

    #[test]
    fn an_exact_rescaling_is_recovered_with_zero_distance() {
        // V = (0, 1, 3, 4); the second dataset is 2 V with its own reference (state 1).
        let a = block(0, vec![0, 1, 2, 3], &[1.0, 3.0, 4.0], 0.1);
        let b = block(1, vec![1, 0, 2, 3], &[-2.0, 4.0, 6.0], 0.1);
        let fit = fit(&[a.clone(), b.clone()], 4, 2).unwrap();
        assert!(fit.converged);
        assert!((fit.beta[1] - 2.0).abs() < 1e-9, "{:?}", fit.beta);
        for (v, t) in fit.v.iter().zip([0.0, 1.0, 3.0, 4.0]) {
            assert!((v - t).abs() < 1e-9, "{:?}", fit.v);
        }
        assert!(fit.distance < 1e-15);
        assert_eq!(degrees_of_freedom(&[a, b], 4, 2), 2);
    }

    #[test]
    fn residuals_point_at_the_state_that_disagrees() {
        // Four states; the second dataset agrees at scale 1 except at state 3.
        let a = block(0, vec![0, 1, 2, 3], &[1.0, 2.0, 3.0], 0.05);
        let b = block(1, vec![0, 1, 2, 3], &[1.0, 2.0, 1.0], 0.05);
        let blocks = [a, b];
        let f = fit(&blocks, 4, 2).unwrap();
        let u = uncertainty(&blocks, &f, 4).unwrap();
        let z: Vec<f64> = u.residuals[1].iter().map(|(r, s)| (r / s).abs()).collect();
        let worst = (0..4).max_by(|&i, &j| z[i].total_cmp(&z[j])).unwrap();
        assert_eq!(worst, 3, "{z:?}");
        assert!(f.distance > 100.0);
    }
}
