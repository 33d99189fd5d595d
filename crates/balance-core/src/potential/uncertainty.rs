//! Standard errors of the least-action potential by the sandwich (delta) method.
//!
//! The fit solves `grad S(V; N) = 0`, where `S = sum_e w_e K(V_f - V_g)` and each weight
//! `w_e` is a function of the count `N_e` of its edge. Restart sampling makes each source's
//! outcomes a multinomial sample, so the counts' covariance is known: within source `f`,
//! `Cov(N_fg, N_fh) = n_f (p_g [g = h] - p_g p_h)` with `n_f` its trials. The delta method gives
//! `Var(V) = H^-1 J H^-1`, with `H` the Hessian of `S` (a weighted graph Laplacian) and `J` the
//! covariance of the gradient `sum_e N_e a_e`, `a_e = (dw_e/dN_e) K'(V_f - V_g) (e_f - e_g)`:
//! `J = sum_f [sum_e N_e a_e a_e^T - (1/n_f) s_f s_f^T]`, `s_f = sum over f's edges of N_e a_e`.
//! Unlike the inverse Hessian alone, this holds for any normalisation, kernel, inverse
//! temperature and majority voting, and for sources sampled unequally often.

use nalgebra::DMatrix;

use super::solve::Problem;

/// The noise of each edge's weight: its count and `dw/dN`, and each state's trials.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeNoise {
    /// `N_e`, in the order of the problem's edges.
    pub counts: Vec<f64>,
    /// `dw_e / dN_e`, in the same order.
    pub slopes: Vec<f64>,
    /// Trials of each (local) state's multinomial.
    pub trials: Vec<f64>,
}

impl EdgeNoise {
    /// The counts the covariance of the counts is computed from: the counts themselves, but
    /// for a source whose every trial went along its one edge. Its share is exactly 1 and,
    /// taken as it is, has no variance: a state placed by 3 of 3 attempts one way and 1 of 1
    /// back would get a standard error of exactly 0. There the share is smoothed as by the
    /// posterior's prior, `(N + 1/2) / (n + 1)` (the edge and the rest of the source's possible
    /// outcomes sharing a weight of 1), and the count is `n` times it.
    fn variance_counts(&self, problem: &Problem) -> Vec<f64> {
        let mut edges_of = vec![0usize; problem.m];
        for &(f, _, _) in &problem.edges {
            edges_of[f] += 1;
        }
        problem
            .edges
            .iter()
            .zip(&self.counts)
            .map(|(&(f, _, _), &n)| {
                let trials = self.trials[f];
                if edges_of[f] == 1 && n >= trials && trials > 0.0 {
                    trials * (n + 0.5) / (trials + 1.0)
                } else {
                    n
                }
            })
            .collect()
    }
}

/// The inverse Hessian of `problem` at `v` with the `pinned` state removed, as a dense matrix
/// over all states (row and column of the pinned state 0). `None` when it is singular.
fn inverse_hessian(problem: &Problem, v: &[f64], pinned: usize) -> Option<DMatrix<f64>> {
    let m = problem.m;
    let idx = |i: usize| (i != pinned).then(|| if i < pinned { i } else { i - 1 });
    let h = problem.hessian_weights(v);
    let mut hess = DMatrix::<f64>::zeros(m - 1, m - 1);
    for (e, &(f, g, _)) in problem.edges.iter().enumerate() {
        let k = h[e];
        if let Some(a) = idx(f) {
            hess[(a, a)] += k;
        }
        if let Some(b) = idx(g) {
            hess[(b, b)] += k;
        }
        if let (Some(a), Some(b)) = (idx(f), idx(g)) {
            hess[(a, b)] -= k;
            hess[(b, a)] -= k;
        }
    }
    let inv = hess.cholesky()?.inverse();
    Some(DMatrix::from_fn(m, m, |i, j| match (idx(i), idx(j)) {
        (Some(a), Some(b)) => inv[(a, b)],
        _ => 0.0,
    }))
}

/// Each source's share of the variance of `V - V(pinned)`: `share[f][i]` is the diagonal of
/// `H^-1 J_f H^-1` at state `i`, where `J_f` is source `f`'s term of `J`. With `X = H^-1` and
/// `d_ie = X_{i,f} - X_{i,g}` for edge `e = f -> g`,
/// `share[f][i] = sum_e N_e c_e^2 d_ie^2 - (1/n_f) (sum_e N_e c_e d_ie)^2`,
/// `c_e = (dw_e/dN_e) K'(V_f - V_g)`: a cost of states times edges after one inverse.
pub fn variance_shares(
    problem: &Problem,
    v: &[f64],
    pinned: usize,
    noise: &EdgeNoise,
) -> Option<Vec<Vec<f64>>> {
    let m = problem.m;
    if m < 2 {
        return Some(vec![vec![0.0; m]; m]);
    }
    let x = inverse_hessian(problem, v, pinned)?;
    let counts = noise.variance_counts(problem);
    let mut by_source: Vec<Vec<usize>> = vec![Vec::new(); m];
    for (e, &(f, _, _)) in problem.edges.iter().enumerate() {
        by_source[f].push(e);
    }
    let mut share = vec![vec![0.0; m]; m];
    for (f, edges) in by_source.iter().enumerate() {
        let trials = noise.trials[f];
        for i in 0..m {
            let (mut own, mut sum) = (0.0, 0.0);
            for &e in edges {
                let (_, g, _) = problem.edges[e];
                let c = noise.slopes[e] * problem.kernel.d1(v[f] - v[g], problem.beta);
                let d = x[(i, f)] - x[(i, g)];
                let n = counts[e];
                own += n * c * c * d * d;
                sum += n * c * d;
            }
            let correlated = if trials > 0.0 { sum * sum / trials } else { 0.0 };
            share[f][i] = (own - correlated).max(0.0);
        }
    }
    share.iter().flatten().all(|x| x.is_finite()).then_some(share)
}

/// Standard errors of `V - V(pinned)` at the minimiser `v` of `problem`: the square roots of
/// the diagonal of `H^-1 J H^-1`, the sum of the sources' [`variance_shares`] (0 for the pinned
/// state). `None` when the Hessian is singular.
pub fn sandwich_se(
    problem: &Problem,
    v: &[f64],
    pinned: usize,
    noise: &EdgeNoise,
) -> Option<Vec<f64>> {
    let share = variance_shares(problem, v, pinned, noise)?;
    Some((0..problem.m).map(|i| share.iter().map(|s| s[i]).sum::<f64>().sqrt()).collect())
}

/// The whole covariance `H^-1 J H^-1` of `V - V(pinned)` at the minimiser `v` of `problem`
/// (row and column of the pinned state 0): what a comparison of potentials weighs its
/// differences by. Its diagonal is the square of [`sandwich_se`]. `None` when the Hessian is
/// singular.
pub fn sandwich_covariance(
    problem: &Problem,
    v: &[f64],
    pinned: usize,
    noise: &EdgeNoise,
) -> Option<DMatrix<f64>> {
    let m = problem.m;
    let x = inverse_hessian(problem, v, pinned)?;
    let counts = noise.variance_counts(problem);
    let mut cov = DMatrix::<f64>::zeros(m, m);
    let mut by_source: Vec<Vec<usize>> = vec![Vec::new(); m];
    for (e, &(f, _, _)) in problem.edges.iter().enumerate() {
        by_source[f].push(e);
    }
    for (f, edges) in by_source.iter().enumerate() {
        // d_e = c_e (X e_f - X e_g); cov += sum_e N_e d_e d_e^T - (1/n_f) s s^T, s = sum N_e d_e.
        let mut s = nalgebra::DVector::<f64>::zeros(m);
        for &e in edges {
            let (_, g, _) = problem.edges[e];
            let c = noise.slopes[e] * problem.kernel.d1(v[f] - v[g], problem.beta);
            let d = (x.column(f) - x.column(g)) * c;
            let n = counts[e];
            cov.syger(n, &d, &d, 1.0);
            s.axpy(n, &d, 1.0);
        }
        let trials = noise.trials[f];
        if trials > 0.0 {
            cov.syger(-1.0 / trials, &s, &s, 1.0);
        }
    }
    cov.fill_upper_triangle_with_lower_triangle();
    cov.iter().all(|x| x.is_finite()).then_some(cov)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::potential::Kernel;

    #[test]
    fn a_pair_gets_the_multinomial_delta_method_error() {
        // A -> B 1000 of 20000 attempts, B -> A 15 of 300: the audit's case.
        for kernel in Kernel::ALL {
            let (wab, wba): (f64, f64) = (1000.0 / 20000.0, 15.0 / 300.0);
            let problem =
                Problem { m: 2, edges: vec![(0, 1, wab), (1, 0, wba)], kernel, beta: 1.0 };
            let v = [0.0, (wab / wba).ln()];
            let noise = EdgeNoise {
                counts: vec![1000.0, 15.0],
                slopes: vec![1.0 / 20000.0, 1.0 / 300.0],
                trials: vec![20000.0, 300.0],
            };
            let se = sandwich_se(&problem, &v, 0, &noise).unwrap();
            let expected = ((1.0 - wab) / 1000.0 + (1.0 - wba) / 15.0).sqrt();
            assert!((se[1] - expected).abs() < 1e-12, "{kernel:?}: {} vs {expected}", se[1]);
            assert_eq!(se[0], 0.0);
        }
    }

    #[test]
    fn a_state_placed_by_single_outcomes_is_not_certain() {
        // A -> B 3 of 3 attempts, B -> A 1 of 1: every attempt of each source went one way, so
        // unsmoothed shares (exactly 1) have no variance and B's error was exactly 0.
        let problem = Problem {
            m: 2,
            edges: vec![(0, 1, 1.0), (1, 0, 1.0)],
            kernel: Kernel::Softplus,
            beta: 1.0,
        };
        let noise = EdgeNoise {
            counts: vec![3.0, 1.0],
            slopes: vec![1.0 / 3.0, 1.0],
            trials: vec![3.0, 1.0],
        };
        let se = sandwich_se(&problem, &[0.0, 0.0], 0, &noise).unwrap();
        // Each count's variance n p (1 - p) with p = (N + 1/2) / (n + 1), through the delta
        // method's 1/N: 3 * (3.5/4)(0.5/4) / 9 and 1 * (1.5/2)(0.5/2) / 1.
        let expected = (3.0 * 0.875 * 0.125 / 9.0 + 0.75 * 0.25f64).sqrt();
        assert!((se[1] - expected).abs() < 1e-12, "{se:?} vs {expected}");
    }

    #[test]
    fn the_covariance_has_the_standard_errors_on_its_diagonal() {
        // A triangle with unequal trials: the full matrix must agree with the per-state shares.
        let problem = Problem {
            m: 3,
            edges: vec![
                (0, 1, 0.2),
                (1, 0, 0.1),
                (1, 2, 0.3),
                (2, 1, 0.25),
                (0, 2, 0.05),
                (2, 0, 0.02),
            ],
            kernel: Kernel::Softplus,
            beta: 1.0,
        };
        let v = [0.0, 0.4, 0.9];
        let noise = EdgeNoise {
            counts: vec![40.0, 30.0, 90.0, 20.0, 10.0, 2.0],
            slopes: vec![
                1.0 / 200.0,
                1.0 / 300.0,
                1.0 / 300.0,
                1.0 / 80.0,
                1.0 / 200.0,
                1.0 / 80.0,
            ],
            trials: vec![200.0, 300.0, 80.0],
        };
        let se = sandwich_se(&problem, &v, 0, &noise).unwrap();
        let cov = sandwich_covariance(&problem, &v, 0, &noise).unwrap();
        for i in 0..3 {
            assert!(
                (cov[(i, i)].sqrt() - se[i]).abs() < 1e-12,
                "{i}: {} vs {}",
                cov[(i, i)],
                se[i]
            );
        }
        assert_eq!(cov[(0, 1)], 0.0);
        assert!((cov[(1, 2)] - cov[(2, 1)]).abs() < 1e-15);
        assert!(cov[(1, 2)] != 0.0);
    }
}
