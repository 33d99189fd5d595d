//! Linear solves with a weighted graph Laplacian, state 0 pinned: the Newton steps of the
//! potential and of the reversible estimate. Up to [`DIRECT_MAX_STATES`] states, a sparse
//! Cholesky factorisation (faer, with its fill-reducing ordering) is exact and fast, and its
//! symbolic part, which depends only on which states are joined, is made once and reused for
//! every Newton step. Larger transition graphs are random-like (expanders): their factors fill
//! in badly (28 ms for the 6,121 states of the paper-scale component), while conjugate gradients
//! with a Jacobi preconditioner converge in few sweeps, since an expander's Laplacian is well
//! conditioned.

#[cfg(feature = "direct")]
mod direct;
#[cfg(feature = "direct")]
use direct::PinnedLaplacian;

/// Most conjugate-gradient iterations of one solve.
const MAX_CG_ITERATIONS: usize = 1500;

/// Largest system solved by sparse Cholesky (with the `direct` feature); larger ones, and every
/// one without it, by preconditioned conjugate gradients.
pub const DIRECT_MAX_STATES: usize = 1500;

/// Solves pinned-Laplacian systems on one sparsity pattern (state 0 pinned): directly when it
/// is small enough, else by conjugate gradients.
pub struct LaplacianSolver {
    n: usize,
    edges: Vec<(usize, usize)>,
    #[cfg(feature = "direct")]
    direct: Option<PinnedLaplacian>,
}

impl LaplacianSolver {
    /// A solver for the Laplacians of `edges` over `n` states.
    pub fn new(n: usize, edges: &[(usize, usize)]) -> LaplacianSolver {
        LaplacianSolver {
            n,
            edges: edges.to_vec(),
            #[cfg(feature = "direct")]
            direct: (2..=DIRECT_MAX_STATES)
                .contains(&n)
                .then(|| PinnedLaplacian::new(n, edges, 0))
                .flatten(),
        }
    }

    /// `L x = b` with edge weights `h`, `x[0] = 0`: exact when solved directly, else to a
    /// residual `rtol` relative to `b`. `None` when no solution can be had (the weights leave a
    /// state unjoined).
    pub fn solve(&self, h: &[f64], b: &[f64], rtol: f64) -> Option<Vec<f64>> {
        #[cfg(feature = "direct")]
        if let Some(d) = &self.direct {
            return d.solve(h, b);
        }
        Some(conjugate_gradients(self.n, &self.edges, h, b, rtol))
    }
}

/// Solves `L x = b` for the Laplacian of `edges` with weights `h`, `x[0] = 0`, by
/// Jacobi-preconditioned conjugate gradients on the other unknowns, to a residual `rtol` relative
/// to `b`.
fn conjugate_gradients(
    m: usize,
    edges: &[(usize, usize)],
    h: &[f64],
    b: &[f64],
    rtol: f64,
) -> Vec<f64> {
    let mut diag = vec![0.0; m];
    for (e, &(f, g)) in edges.iter().enumerate() {
        diag[f] += h[e];
        diag[g] += h[e];
    }
    let matvec = |x: &[f64], out: &mut [f64]| {
        out.iter_mut().for_each(|o| *o = 0.0);
        for (e, &(f, g)) in edges.iter().enumerate() {
            let d = h[e] * (x[f] - x[g]);
            out[f] += d;
            out[g] -= d;
        }
        out[0] = 0.0;
    };
    let precond = |r: &[f64], z: &mut [f64]| {
        for i in 0..m {
            z[i] = if i == 0 || diag[i] <= 0.0 { 0.0 } else { r[i] / diag[i] };
        }
    };
    let mut x = vec![0.0; m];
    let mut r: Vec<f64> = b.to_vec();
    r[0] = 0.0;
    let bnorm = r.iter().map(|v| v * v).sum::<f64>().sqrt();
    if bnorm == 0.0 {
        return x;
    }
    let mut z = vec![0.0; m];
    precond(&r, &mut z);
    let mut p = z.clone();
    let mut rz: f64 = r.iter().zip(&z).map(|(a, b)| a * b).sum();
    let mut ap = vec![0.0; m];
    // Inexact Newton needs no exact step: past this many iterations the step taken so far is
    // used (on a nearly singular Hessian, where conjugate gradients crawl, the line search
    // then decides).
    for _ in 0..(4 * m + 100).min(MAX_CG_ITERATIONS) {
        matvec(&p, &mut ap);
        let pap: f64 = p.iter().zip(&ap).map(|(a, b)| a * b).sum();
        if pap <= 0.0 {
            break;
        }
        let alpha = rz / pap;
        for i in 0..m {
            x[i] += alpha * p[i];
            r[i] -= alpha * ap[i];
        }
        let rnorm = r.iter().map(|v| v * v).sum::<f64>().sqrt();
        if rnorm <= rtol * bnorm {
            break;
        }
        precond(&r, &mut z);
        let rz_new: f64 = r.iter().zip(&z).map(|(a, b)| a * b).sum();
        let beta = rz_new / rz;
        rz = rz_new;
        for i in 0..m {
            p[i] = z[i] + beta * p[i];
        }
    }
    x
}

#[cfg(all(test, feature = "direct"))]
mod tests {
    use super::*;

    #[test]
    fn solves_a_weighted_path_exactly_and_refuses_a_disconnected_graph() {
        // Path 0 - 1 - 2 with weights 2 and 3, pinned at 0: x1 = (b1 + b2) / 2, x2 = x1 + b2 / 3.
        let l = PinnedLaplacian::new(3, &[(0, 1), (1, 2)], 0).unwrap();
        let x = l.solve(&[2.0, 3.0], &[0.0, 1.0, 2.0]).unwrap();
        assert_eq!(x[0], 0.0);
        assert!((x[1] - 1.5).abs() < 1e-14 && (x[2] - (1.5 + 2.0 / 3.0)).abs() < 1e-14, "{x:?}");
        // Two edges of the same pair add up; a state joined by nothing makes it singular.
        let l = PinnedLaplacian::new(3, &[(0, 1), (1, 0), (1, 2)], 1).unwrap();
        let x = l.solve(&[1.0, 1.0, 4.0], &[2.0, 0.0, 4.0]).unwrap();
        assert!((x[0] - 1.0).abs() < 1e-14 && (x[2] - 1.0).abs() < 1e-14, "{x:?}");
        let l = PinnedLaplacian::new(3, &[(0, 1)], 0).unwrap();
        assert!(l.solve(&[1.0], &[0.0, 1.0, 1.0]).is_none());
    }

    #[test]
    fn conjugate_gradients_agree_with_the_direct_solve() {
        // A ring of 40 states with chords and uneven weights.
        let n = 40;
        let mut edges: Vec<(usize, usize)> = (0..n).map(|i| (i, (i + 1) % n)).collect();
        edges.extend((0..n).step_by(3).map(|i| (i, (i * 7 + 5) % n)).filter(|(a, b)| a != b));
        let h: Vec<f64> = (0..edges.len()).map(|e| 0.1 + (e % 5) as f64).collect();
        let b: Vec<f64> = (0..n).map(|i| (i as f64 * 0.37).sin()).collect();
        let direct = PinnedLaplacian::new(n, &edges, 0).unwrap().solve(&h, &b).unwrap();
        let cg = conjugate_gradients(n, &edges, &h, &b, 1e-14);
        for i in 0..n {
            assert!((direct[i] - cg[i]).abs() < 1e-10, "{i}: {} vs {}", direct[i], cg[i]);
        }
    }
}
