//! Dense analyses of a transition matrix, for state spaces small enough to hold as a matrix:
//! stationary distribution, implied timescales, mean first-passage times and committors.

use nalgebra::{DMatrix, DVector};

/// A dense row-stochastic transition matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct DenseChain {
    p: DMatrix<f64>,
}

impl DenseChain {
    /// Wraps dense rows; each row must sum to 1.
    pub fn new(rows: &[Vec<f64>]) -> DenseChain {
        let n = rows.len();
        DenseChain { p: DMatrix::from_fn(n, n, |i, j| rows[i][j]) }
    }

    /// Number of states.
    pub fn len(&self) -> usize {
        self.p.nrows()
    }

    /// Whether the chain has no states.
    pub fn is_empty(&self) -> bool {
        self.p.nrows() == 0
    }

    /// Eigenvalues of a chain reversible with respect to `pi`, largest first, from the symmetric
    /// matrix `D^1/2 P D^-1/2` (`D = diag(pi)`).
    pub fn reversible_eigenvalues(&self, pi: &[f64]) -> Vec<f64> {
        let n = self.len();
        let s = DMatrix::from_fn(n, n, |i, j| {
            let a = self.p[(i, j)] * (pi[i] / pi[j]).sqrt();
            let b = self.p[(j, i)] * (pi[j] / pi[i]).sqrt();
            (a + b) / 2.0
        });
        let mut ev: Vec<f64> = s.symmetric_eigenvalues().iter().copied().collect();
        ev.sort_by(|a, b| b.total_cmp(a));
        ev
    }

    /// Implied timescales `-lag / ln|lambda_k|` of the non-stationary eigenvalues (lag 1),
    /// longest first; eigenvalues of modulus 0 or 1 give no timescale.
    pub fn implied_timescales(&self, pi: &[f64]) -> Vec<f64> {
        let mut ev = self.reversible_eigenvalues(pi);
        if ev.is_empty() {
            return Vec::new();
        }
        ev.remove(0);
        let mut ts: Vec<f64> = ev
            .into_iter()
            .map(f64::abs)
            .filter(|l| *l > 0.0 && *l < 1.0)
            .map(|l| -1.0 / l.ln())
            .collect();
        ts.sort_by(|a, b| b.total_cmp(a));
        ts
    }
}

/// The stationary distribution of an irreducible chain: solves `pi (P - I) = 0`, `sum pi = 1`.
pub fn stationary_dense(chain: &DenseChain) -> Option<Vec<f64>> {
    let n = chain.len();
    if n == 0 {
        return None;
    }
    // Replace one equation of (P^T - I) pi = 0 by the normalisation.
    let mut a = chain.p.transpose() - DMatrix::identity(n, n);
    for j in 0..n {
        a[(n - 1, j)] = 1.0;
    }
    let mut b = DVector::zeros(n);
    b[n - 1] = 1.0;
    let pi = a.lu().solve(&b)?;
    pi.iter().all(|v| v.is_finite() && *v > -1e-12).then(|| pi.iter().map(|v| v.max(0.0)).collect())
}

/// Mean first-passage times to `target`: `m_target = 0`, `m_i = 1 + sum_j P_ij m_j`.
/// `None` when the target cannot be reached from every state.
pub fn mean_first_passage(chain: &DenseChain, target: usize) -> Option<Vec<f64>> {
    let n = chain.len();
    if target >= n {
        return None;
    }
    if n == 1 {
        return Some(vec![0.0]);
    }
    let others: Vec<usize> = (0..n).filter(|&i| i != target).collect();
    let k = others.len();
    let a = DMatrix::from_fn(k, k, |r, c| {
        let (i, j) = (others[r], others[c]);
        f64::from(u8::from(i == j)) - chain.p[(i, j)]
    });
    let sol = a.lu().solve(&DVector::from_element(k, 1.0))?;
    if sol.iter().any(|v| !v.is_finite() || *v < 0.0) {
        return None;
    }
    let mut m = vec![0.0; n];
    for (r, &i) in others.iter().enumerate() {
        m[i] = sol[r];
    }
    Some(m)
}

/// Forward committor from set `a` to set `b`: `q = 0` on `a`, `1` on `b`,
/// `q_i = sum_j P_ij q_j` elsewhere. `None` when the sets overlap or the system is singular.
pub fn committor(chain: &DenseChain, a: &[usize], b: &[usize]) -> Option<Vec<f64>> {
    let n = chain.len();
    if a.iter().any(|x| b.contains(x)) || a.iter().chain(b).any(|&x| x >= n) {
        return None;
    }
    let mut m = DMatrix::<f64>::zeros(n, n);
    let mut rhs = DVector::<f64>::zeros(n);
    for i in 0..n {
        if a.contains(&i) {
            m[(i, i)] = 1.0;
        } else if b.contains(&i) {
            m[(i, i)] = 1.0;
            rhs[i] = 1.0;
        } else {
            for j in 0..n {
                m[(i, j)] = -chain.p[(i, j)];
            }
            m[(i, i)] += 1.0;
        }
    }
    let q = m.lu().solve(&rhs)?;
    q.iter().all(|v| v.is_finite()).then(|| q.iter().map(|v| v.clamp(0.0, 1.0)).collect())
}
