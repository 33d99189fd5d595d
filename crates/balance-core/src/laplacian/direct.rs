//! The sparse Cholesky factorisation (faer) of a pinned Laplacian: its symbolic part, which
//! depends only on which states are joined, is made once and reused for every set of weights.

use faer::linalg::solvers::Solve;
use faer::sparse::linalg::solvers::{Llt, SymbolicLlt};
use faer::sparse::{Argsort, Pair, SparseColMat, SymbolicSparseColMat};
use faer::{Mat, Side};

/// A pinned Laplacian's sparsity pattern, analysed once.
pub(super) struct PinnedLaplacian {
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
    pub(super) fn new(
        n: usize,
        edges: &[(usize, usize)],
        pinned: usize,
    ) -> Option<PinnedLaplacian> {
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
    pub(super) fn solve(&self, h: &[f64], b: &[f64]) -> Option<Vec<f64>> {
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
