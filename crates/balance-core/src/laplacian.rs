//! Linear solves with a weighted graph Laplacian, state 0 pinned: the Newton steps of the
//! potential and of the reversible estimate. Up to [`DIRECT_MAX_STATES`] states, a sparse
//! Cholesky factorisation (faer, with its fill-reducing ordering) is exact and fast, and its
//! symbolic part, which depends only on which states are joined, is made once and reused for
//! every Newton step. Larger transition graphs are random-like (expanders): their factors fill
//! in badly (28 ms for the 6,121 states of the paper-scale component), while conjugate gradients
//! with a Jacobi preconditioner converge in few sweeps, since an expander's Laplacian is well
//! conditioned.

use faer::linalg::solvers::Solve;
use faer::sparse::linalg::solvers::{Llt, SymbolicLlt};
use faer::sparse::{Argsort, Pair, SparseColMat, SymbolicSparseColMat};
use faer::{Mat, Side};

/// Most conjugate-gradient iterations of one solve.
const MAX_CG_ITERATIONS: usize = 1500;

/// Largest system solved by sparse Cholesky; larger ones by preconditioned conjugate gradients.
pub const DIRECT_MAX_STATES: usize = 1500;

/// A pinned Laplacian's sparsity pattern, analysed once.
pub struct PinnedLaplacian {
    /// Index of each state in the reduced system (`usize::MAX` for the pinned one).
    index: Vec<usize>,
    /// The edges `(f, g)`, in the order their weights are given.
    edges: Vec<(usize, usize)>,
    symbolic: SymbolicSparseColMat<usize>,
    argsort: Argsort<usize>,
    llt: SymbolicLlt<usize>,
}

impl PinnedLaplacian {
    /// The pattern of the Laplacian of `edges` over `n` states with state `pinned` removed, or
    /// `None` if it cannot be analysed.
    fn new(n: usize, edges: &[(usize, usize)], pinned: usize) -> Option<PinnedLaplacian> {
        let index: Vec<usize> = (0..n)
            .map(|i| match i.cmp(&pinned) {
                std::cmp::Ordering::Less => i,
                std::cmp::Ordering::Equal => usize::MAX,
                std::cmp::Ordering::Greater => i - 1,
            })
            .collect();
        let m = n.checked_sub(1)?;
        let mut entries = Vec::with_capacity(3 * edges.len() + m);
        // Every diagonal entry, so that the pattern is whole even for a state without edges.
        entries.extend((0..m).map(|i| Pair::new(i, i)));
        for &(f, g) in edges {
            let (a, b) = (index[f], index[g]);
            if a != usize::MAX {
                entries.push(Pair::new(a, a));
            }
            if b != usize::MAX {
                entries.push(Pair::new(b, b));
            }
            if a != usize::MAX && b != usize::MAX && a != b {
                // The lower triangle: row >= column.
                entries.push(Pair::new(a.max(b), a.min(b)));
            }
        }
        let (symbolic, argsort) =
            SymbolicSparseColMat::try_new_from_indices(m, m, &entries).ok()?;
        let llt = SymbolicLlt::try_new(symbolic.as_ref(), Side::Lower).ok()?;
        Some(PinnedLaplacian { index, edges: edges.to_vec(), symbolic, argsort, llt })
    }

    /// Solves `L x = b` for the Laplacian with edge weights `h` (in the order of the edges),
    /// with `x` 0 at the pinned state; `None` when the matrix is not positive definite (the
    /// edges of positive weight do not join every state to the pinned one).
    fn solve(&self, h: &[f64], b: &[f64]) -> Option<Vec<f64>> {
        let m = self.index.len() - 1;
        let mut values = Vec::with_capacity(3 * self.edges.len() + m);
        values.extend(std::iter::repeat_n(0.0, m));
        for (&(f, g), &w) in self.edges.iter().zip(h) {
            let (a, b) = (self.index[f], self.index[g]);
            if a != usize::MAX {
                values.push(w);
            }
            if b != usize::MAX {
                values.push(w);
            }
            if a != usize::MAX && b != usize::MAX && a != b {
                values.push(-w);
            }
        }
        let matrix =
            SparseColMat::new_from_argsort(self.symbolic.clone(), &self.argsort, &values).ok()?;
        let llt =
            Llt::try_new_with_symbolic(self.llt.clone(), matrix.as_ref(), Side::Lower).ok()?;
        let mut rhs = Mat::<f64>::zeros(m, 1);
        for (i, &k) in self.index.iter().enumerate() {
            if k != usize::MAX {
                rhs[(k, 0)] = b[i];
            }
        }
        llt.solve_in_place(rhs.as_mut());
        let x: Vec<f64> =
            self.index.iter().map(|&k| if k == usize::MAX { 0.0 } else { rhs[(k, 0)] }).collect();
        x.iter().all(|v| v.is_finite()).then_some(x)
    }
}

/// Solves pinned-Laplacian systems on one sparsity pattern (state 0 pinned): directly when it
/// is small enough, else by conjugate gradients.
pub struct LaplacianSolver {
    n: usize,
    edges: Vec<(usize, usize)>,
    direct: Option<PinnedLaplacian>,
}

impl LaplacianSolver {
    /// A solver for the Laplacians of `edges` over `n` states.
    pub fn new(n: usize, edges: &[(usize, usize)]) -> LaplacianSolver {
        let direct = (2..=DIRECT_MAX_STATES)
            .contains(&n)
            .then(|| PinnedLaplacian::new(n, edges, 0))
            .flatten();
        LaplacianSolver { n, edges: edges.to_vec(), direct }
    }

    /// `L x = b` with edge weights `h`, `x[0] = 0`: exact when solved directly, else to a
    /// residual `rtol` relative to `b`. `None` when no solution can be had (the weights leave a
    /// state unjoined).
    pub fn solve(&self, h: &[f64], b: &[f64], rtol: f64) -> Option<Vec<f64>> {
        match &self.direct {
            Some(d) => d.solve(h, b),
            None => Some(conjugate_gradients(self.n, &self.edges, h, b, rtol)),
        }
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

#[cfg(test)]
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
