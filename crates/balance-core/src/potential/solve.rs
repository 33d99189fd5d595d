//! Minimisers of the action on one strongly connected component.
//!
//! The objective is `S(V) = sum_e w_e K(V(f_e) - V(g_e))` over the component's internal edges
//! (unscaled; the caller divides by `n_active`). It is convex and, on a strongly connected set,
//! has a unique minimiser up to a constant. Three solvers are offered and must agree:
//! Newton on the graph Laplacian (preconditioned conjugate gradients for each step), L-BFGS with
//! the analytic gradient (the paper's method), and the Bradley-Terry minorise-maximise fixed point
//! (Hunter 2004; softplus kernel only).

use serde::{Deserialize, Serialize};

use super::kernel::Kernel;
use crate::laplacian::LaplacianSolver;

/// Which minimiser to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Solver {
    /// Newton's method with the Hessian (a weighted graph Laplacian) solved by sparse Cholesky or
    /// conjugate gradients ([`crate::laplacian`]): fast on large sparse graphs, exact to rounding.
    Newton,
    /// Limited-memory BFGS with the analytic gradient, as the paper (L-BFGS-B) does.
    Lbfgs,
    /// Bradley-Terry minorise-maximise (softplus kernel only); needs no line search.
    MinorizeMaximize,
}

impl Solver {
    /// Every solver, for pickers.
    pub const ALL: [Solver; 3] = [Solver::Newton, Solver::Lbfgs, Solver::MinorizeMaximize];
}

/// The action restricted to one component, on local state indices `0..m`.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Number of states.
    pub m: usize,
    /// Edges `(f, g, w)` on local indices.
    pub edges: Vec<(usize, usize, f64)>,
    /// The kernel.
    pub kernel: Kernel,
    /// Inverse temperature.
    pub beta: f64,
}

/// A minimiser's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The potential, with state 0 at 0.
    pub v: Vec<f64>,
    /// Iterations used.
    pub iterations: usize,
    /// Whether the stopping criterion was met (rather than the iteration cap).
    pub converged: bool,
}

/// Why a solver could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolveError(pub String);

impl Problem {
    /// `S(V)`.
    pub fn value(&self, v: &[f64]) -> f64 {
        self.edges.iter().map(|&(f, g, w)| w * self.kernel.value(v[f] - v[g], self.beta)).sum()
    }

    /// The gradient of `S` at `v`, written into `grad`.
    pub fn gradient(&self, v: &[f64], grad: &mut [f64]) {
        grad.iter_mut().for_each(|x| *x = 0.0);
        for &(f, g, w) in &self.edges {
            let d = w * self.kernel.d1(v[f] - v[g], self.beta);
            grad[f] += d;
            grad[g] -= d;
        }
    }

    /// Hessian edge weights `h_e = w_e K''(d_e)`: the Hessian is the Laplacian with these weights.
    pub fn hessian_weights(&self, v: &[f64]) -> Vec<f64> {
        self.edges.iter().map(|&(f, g, w)| w * self.kernel.d2(v[f] - v[g], self.beta)).collect()
    }

    /// Sum of edge weights: the scale for stopping tolerances.
    fn scale(&self) -> f64 {
        self.edges.iter().map(|e| e.2).sum::<f64>().max(f64::MIN_POSITIVE)
    }

    /// Minimises with the chosen solver, starting from `v0` (any gauge).
    pub fn solve(&self, solver: Solver, v0: &[f64]) -> Result<Solution, SolveError> {
        if self.m < 2 {
            return Ok(Solution { v: vec![0.0; self.m], iterations: 0, converged: true });
        }
        let mut sol = match solver {
            Solver::Newton => self.newton(v0),
            Solver::Lbfgs => self.lbfgs(v0),
            Solver::MinorizeMaximize => self.minorize_maximize(v0)?,
        };
        let v0 = sol.v[0];
        sol.v.iter_mut().for_each(|x| *x -= v0);
        Ok(sol)
    }

    fn newton(&self, v0: &[f64]) -> Solution {
        let mut v: Vec<f64> = v0.iter().map(|x| x - v0[0]).collect();
        let mut grad = vec![0.0; self.m];
        let tol = 1e-15 * self.scale();
        let mut s = self.value(&v);
        let pairs: Vec<(usize, usize)> = self.edges.iter().map(|&(f, g, _)| (f, g)).collect();
        let laplacian = LaplacianSolver::new(self.m, &pairs);
        let mut first_norm = None;
        for it in 1..=200 {
            self.gradient(&v, &mut grad);
            if grad.iter().all(|g| g.abs() <= tol) {
                return Solution { v, iterations: it - 1, converged: true };
            }
            let h = self.hessian_weights(&v);
            // Inexact Newton: solve loosely while far from the optimum, tightly near it.
            let norm = grad.iter().map(|g| g * g).sum::<f64>().sqrt();
            let forcing = (norm / *first_norm.get_or_insert(norm)).clamp(FORCING_FLOOR, 0.1);
            let step = newton_step(&laplacian, &pairs, &h, &grad, forcing);
            // Backtracking (Armijo) along the Newton direction -step; near the optimum a value
            // equal to rounding is accepted, since the full Newton step is then exact.
            let slope: f64 = -grad.iter().zip(&step).map(|(g, d)| g * d).sum::<f64>();
            let rounding = 8.0 * f64::EPSILON * s.abs();
            let mut t = 1.0;
            let mut trial = v.clone();
            loop {
                for i in 0..self.m {
                    trial[i] = v[i] - t * step[i];
                }
                let st = self.value(&trial);
                if st <= s + 1e-4 * t * slope || st <= s + rounding {
                    s = st;
                    break;
                }
                t *= 0.5;
                if t < 1e-12 {
                    return Solution { v, iterations: it, converged: false };
                }
            }
            let moved = step.iter().map(|d| (t * d).abs()).fold(0.0, f64::max);
            v.clone_from(&trial);
            let size = v.iter().map(|x| x.abs()).fold(1.0, f64::max);
            if moved <= 1e-12 * size {
                return Solution { v, iterations: it, converged: true };
            }
        }
        Solution { v, iterations: 200, converged: false }
    }

    fn lbfgs(&self, v0: &[f64]) -> Solution {
        const MEMORY: usize = 10;
        const MAX_ITER: usize = 20_000;
        let n = self.m;
        let mut x: Vec<f64> = v0.iter().map(|x| x - v0[0]).collect();
        let mut g = vec![0.0; n];
        self.gradient(&x, &mut g);
        let mut fx = self.value(&x);
        let tol = 1e-13 * self.scale();
        let mut s_hist: Vec<Vec<f64>> = Vec::new();
        let mut y_hist: Vec<Vec<f64>> = Vec::new();
        let mut rho: Vec<f64> = Vec::new();
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
        for it in 1..=MAX_ITER {
            if g.iter().all(|v| v.abs() <= tol) {
                return Solution { v: x, iterations: it - 1, converged: true };
            }
            // Two-loop recursion: d = -H g.
            let mut q = g.clone();
            let k = s_hist.len();
            let mut alpha = vec![0.0; k];
            for i in (0..k).rev() {
                alpha[i] = rho[i] * dot(&s_hist[i], &q);
                for j in 0..n {
                    q[j] -= alpha[i] * y_hist[i][j];
                }
            }
            let gamma = if k > 0 {
                dot(&s_hist[k - 1], &y_hist[k - 1]) / dot(&y_hist[k - 1], &y_hist[k - 1])
            } else {
                1.0 / g.iter().map(|v| v.abs()).fold(0.0, f64::max).max(1e-300)
            };
            q.iter_mut().for_each(|v| *v *= gamma);
            for i in 0..k {
                let b = rho[i] * dot(&y_hist[i], &q);
                for j in 0..n {
                    q[j] += s_hist[i][j] * (alpha[i] - b);
                }
            }
            let mut d: Vec<f64> = q.iter().map(|v| -v).collect();
            let mut slope = dot(&g, &d);
            if slope >= 0.0 {
                // Not a descent direction: restart from steepest descent.
                s_hist.clear();
                y_hist.clear();
                rho.clear();
                d = g.iter().map(|v| -v * gamma.abs().max(1e-12)).collect();
                slope = dot(&g, &d);
            }
            let mut t = 1.0;
            let mut xn = x.clone();
            let mut fxn;
            loop {
                for j in 0..n {
                    xn[j] = x[j] + t * d[j];
                }
                fxn = self.value(&xn);
                if fxn <= fx + 1e-4 * t * slope || t < 1e-16 {
                    break;
                }
                t *= 0.5;
            }
            let mut gn = vec![0.0; n];
            self.gradient(&xn, &mut gn);
            let s: Vec<f64> = xn.iter().zip(&x).map(|(a, b)| a - b).collect();
            let y: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
            let sy = dot(&s, &y);
            let stalled = s.iter().all(|v| v.abs() < 1e-15) || fxn > fx;
            x = xn;
            g = gn;
            fx = fxn.min(fx);
            if stalled {
                return Solution {
                    v: x,
                    iterations: it,
                    converged: g.iter().all(|v| v.abs() <= 1e3 * tol),
                };
            }
            if sy > 1e-300 {
                if s_hist.len() == MEMORY {
                    s_hist.remove(0);
                    y_hist.remove(0);
                    rho.remove(0);
                }
                s_hist.push(s);
                y_hist.push(y);
                rho.push(1.0 / sy);
            }
        }
        Solution { v: x, iterations: MAX_ITER, converged: false }
    }

    fn minorize_maximize(&self, v0: &[f64]) -> Result<Solution, SolveError> {
        if self.kernel != Kernel::Softplus {
            return Err(SolveError(
                "the minorise-maximise solver needs the softplus kernel (Bradley-Terry)".into(),
            ));
        }
        const MAX_ITER: usize = 1_000_000;
        let n = self.m;
        let beta = self.beta;
        // Wins W_i and pair totals n_ij (as an adjacency list).
        let mut wins = vec![0.0; n];
        let mut pair: std::collections::BTreeMap<(usize, usize), f64> = Default::default();
        for &(f, g, w) in &self.edges {
            wins[f] += w;
            *pair.entry((f.min(g), f.max(g))).or_insert(0.0) += w;
        }
        let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        for (&(a, b), &w) in &pair {
            adj[a].push((b, w));
            adj[b].push((a, w));
        }
        let mut gamma: Vec<f64> = v0.iter().map(|v| (beta * (v - v0[0])).exp()).collect();
        for it in 1..=MAX_ITER {
            let mut change: f64 = 0.0;
            let mut next = vec![0.0; n];
            for i in 0..n {
                let denom: f64 = adj[i].iter().map(|&(j, w)| w / (gamma[i] + gamma[j])).sum();
                next[i] = wins[i] / denom;
            }
            // Fix the gauge by the geometric mean.
            let mean_log = next.iter().map(|g| g.ln()).sum::<f64>() / n as f64;
            for i in 0..n {
                next[i] = (next[i].ln() - mean_log).exp();
                change = change.max((next[i].ln() - gamma[i].ln()).abs());
            }
            gamma = next;
            if change < 1e-15 {
                let v = gamma.iter().map(|g| g.ln() / beta).collect();
                return Ok(Solution { v, iterations: it, converged: true });
            }
        }
        let v = gamma.iter().map(|g| g.ln() / beta).collect();
        Ok(Solution { v, iterations: MAX_ITER, converged: false })
    }
}

/// The tightest relative residual asked of an iterative Newton solve. Tighter is below what
/// conjugate gradients can reach on an ill-conditioned Laplacian in double precision (they would
/// run to their iteration cap); two steps at this forcing already reach rounding.
pub(crate) const FORCING_FLOOR: f64 = 1e-10;

/// The Newton step `H^-1 grad` (to a residual `rtol` when solved iteratively) for a Hessian
/// that is the Laplacian of `edges` with weights `h`, pinned at state 0; should the solve fail
/// (weights underflowing to 0), the diagonal (Jacobi) step, which the line search then shortens.
pub(crate) fn newton_step(
    laplacian: &LaplacianSolver,
    edges: &[(usize, usize)],
    h: &[f64],
    grad: &[f64],
    rtol: f64,
) -> Vec<f64> {
    if let Some(x) = laplacian.solve(h, grad, rtol) {
        return x;
    }
    let mut diag = vec![0.0; grad.len()];
    for (&(f, g), &w) in edges.iter().zip(h) {
        diag[f] += w;
        diag[g] += w;
    }
    grad.iter()
        .zip(&diag)
        .enumerate()
        .map(|(i, (g, d))| if i == 0 || *d <= 0.0 { 0.0 } else { g / d })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 4-state ring with chords and asymmetric weights: strongly connected.
    fn problem(kernel: Kernel) -> Problem {
        Problem {
            m: 4,
            edges: vec![
                (0, 1, 0.3),
                (1, 0, 0.05),
                (1, 2, 0.2),
                (2, 1, 0.1),
                (2, 3, 0.02),
                (3, 2, 0.4),
                (3, 0, 0.15),
                (0, 3, 0.01),
                (0, 2, 0.07),
            ],
            kernel,
            beta: 1.0,
        }
    }

    #[test]
    fn all_solvers_agree_and_zero_the_gradient() {
        for kernel in Kernel::ALL {
            let p = problem(kernel);
            let newton = p.solve(Solver::Newton, &[0.0; 4]).unwrap();
            let lbfgs = p.solve(Solver::Lbfgs, &[0.0, 3.0, -2.0, 1.0]).unwrap();
            assert!(newton.converged && lbfgs.converged);
            let mut g = vec![0.0; 4];
            p.gradient(&newton.v, &mut g);
            assert!(g.iter().all(|x| x.abs() < 1e-13), "{g:?}");
            for i in 0..4 {
                assert!((newton.v[i] - lbfgs.v[i]).abs() < 1e-8, "{kernel:?} {i}");
            }
            if kernel == Kernel::Softplus {
                let mm = p.solve(Solver::MinorizeMaximize, &[0.0; 4]).unwrap();
                assert!(mm.converged);
                for i in 0..4 {
                    assert!((newton.v[i] - mm.v[i]).abs() < 1e-9, "mm {i}");
                }
            } else {
                assert!(p.solve(Solver::MinorizeMaximize, &[0.0; 4]).is_err());
            }
        }
    }

    #[test]
    fn a_two_state_pair_gives_the_log_ratio() {
        for kernel in Kernel::ALL {
            for solver in [Solver::Newton, Solver::Lbfgs] {
                let p = Problem {
                    m: 2,
                    edges: vec![(0, 1, 3879.0 / 4000.0), (1, 0, 66.0 / 4000.0)],
                    kernel,
                    beta: 1.0,
                };
                let s = p.solve(solver, &[0.0, 0.0]).unwrap();
                let expected = -(3879.0f64 / 66.0).ln();
                assert!((s.v[1] - expected).abs() < 1e-9, "{kernel:?} {solver:?} {:?}", s.v);
            }
        }
    }
}
