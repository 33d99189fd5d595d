//! Measures of irreversibility on the two-way support: the stationary distribution of the
//! non-reversible MLE, entropy production, and cycle affinities.

use serde::{Deserialize, Serialize};

use super::counts::CountMatrix;
use super::reversible::ReversibleFit;
use crate::fixed_point::squarem;
use crate::graph::{Components, Pairs, shortest_cycle_through};

/// Stationary distribution of the non-reversible MLE `C_ij / c_i` on its largest strongly
/// connected class (0 elsewhere), through its jump chain `Q` (the chain without its self-loops):
/// with one state pinned, `x (I - Q) = 0` is a nonsingular M-matrix system, solved by BiCGSTAB
/// preconditioned by symmetric Gauss-Seidel, from `guess` (a distribution over the matrix's
/// states; the reversible estimate is close near detailed balance), with Gauss-Seidel sweeps
/// accelerated by SQUAREM as the fallback; then each state is weighted back by its holding time.
/// Returns the distribution and whether the solve converged.
pub fn nonrev_stationary(c: &CountMatrix, guess: Option<&[f64]>) -> (Vec<f64>, bool) {
    let n = c.len();
    let comps = Components::new(n, c.off_diagonal().map(|(i, j, _)| (i, j)));
    let Some(best) = (0..comps.len()).max_by_key(|&k| comps.members[k].len()) else {
        return (Vec::new(), true);
    };
    let inside: Vec<bool> = (0..n).map(|i| comps.of[i] == best).collect();
    // The jump chain of the restricted chain: edges leaving the class and the diagonal are
    // dropped and each row renormalised (its stationary vector converges much faster).
    let kept: Vec<f64> = (0..n)
        .map(|i| c.rows[i].iter().filter(|e| inside[e.0] && e.0 != i).map(|e| e.1).sum::<f64>())
        .collect();
    let size = comps.members[best].len() as f64;
    let members = &comps.members[best];
    // Start from the guess (the reversible estimate is close near detailed balance), turned
    // into the jump chain's weights, or from uniform.
    let start: Vec<f64> = match guess {
        Some(pi) if pi.len() == n => {
            let w: Vec<f64> = members
                .iter()
                .map(|&i| pi[i].max(1e-300) * kept[i] / (kept[i] + c.get(i, i)).max(1e-300))
                .collect();
            let sum: f64 = w.iter().sum();
            if sum > 0.0 && sum.is_finite() {
                w.iter().map(|v| v / sum).collect()
            } else {
                vec![1.0 / size; members.len()]
            }
        }
        _ => vec![1.0 / size; members.len()],
    };
    let mut local = vec![usize::MAX; n];
    for (k, &i) in members.iter().enumerate() {
        local[i] = k;
    }
    // Incoming edges of the jump chain, for Gauss-Seidel sweeps of pi_j = sum_i pi_i Q_ij.
    let mut incoming: Vec<Vec<(usize, f64)>> = vec![Vec::new(); members.len()];
    for (k, &i) in members.iter().enumerate() {
        if kept[i] > 0.0 {
            for &(j, v) in c.rows[i].iter().filter(|e| inside[e.0] && e.0 != i) {
                incoming[local[j]].push((k, v / kept[i]));
            }
        }
    }
    let map = |x: &[f64]| {
        let mut next = x.to_vec();
        for j in 0..next.len() {
            let inflow: f64 = incoming[j].iter().map(|&(k, q)| next[k] * q).sum();
            if inflow > 0.0 {
                next[j] = inflow;
            }
        }
        let sum: f64 = next.iter().sum();
        next.iter_mut().for_each(|v| *v /= sum);
        next
    };
    // BiCGSTAB from the guess is fastest when it converges; a sparse LU (with the `direct`
    // feature) is exact otherwise.
    let solved = pinned_stationary(&incoming, &start);
    #[cfg(feature = "direct")]
    let solved = solved
        .or_else(|| (members.len() <= LU_MAX_STATES).then(|| lu_stationary(&incoming)).flatten());
    let (x, converged) = match solved {
        Some(x) => (x, true),
        None => {
            let (x, _, converged) = squarem(start, map, 1e-13, 400_000);
            (x, converged)
        }
    };
    // Back from the jump chain: a state is held 1 / (1 - P_ii) steps per visit.
    let mut pi = vec![0.0; n];
    for (k, &i) in members.iter().enumerate() {
        let held = kept[i] + c.get(i, i);
        pi[i] = if kept[i] > 0.0 { x[k] * held / kept[i] } else { x[k] };
    }
    let sum: f64 = pi.iter().sum();
    pi.iter_mut().for_each(|v| *v /= sum);
    (pi, converged)
}

/// Relative residual at which BiCGSTAB stops: tighter is below what it reaches on a slowly mixing
/// chain in double precision (it would stagnate and fall back to a slower method).
const STATIONARY_RTOL: f64 = 1e-11;

/// Most BiCGSTAB iterations before the fallback.
const MAX_BICGSTAB_ITERATIONS: usize = 3000;

/// Largest chain whose stationary vector is found by a sparse LU factorisation.
#[cfg(feature = "direct")]
const LU_MAX_STATES: usize = 20_000;

/// The stationary vector of a jump chain given by its incoming edges (`incoming[j]` holds
/// `(i, Q_ij)`), normalised to sum 1, by one sparse LU solve (faer, fill-reducing ordering) of
/// `x_j - sum_i x_i Q_ij = 0` for every state but the first, whose row is `x_0 = 1`; `None` if
/// the factorisation fails or the answer is not a distribution.
#[cfg(feature = "direct")]
fn lu_stationary(incoming: &[Vec<(usize, f64)>]) -> Option<Vec<f64>> {
    use faer::linalg::solvers::Solve;
    use faer::sparse::{SparseColMat, Triplet};
    let m = incoming.len();
    if m < 2 {
        return Some(vec![1.0; m]);
    }
    let mut entries = Vec::with_capacity(m + incoming.iter().map(Vec::len).sum::<usize>());
    entries.push(Triplet::new(0, 0, 1.0));
    for (j, row) in incoming.iter().enumerate().skip(1) {
        entries.push(Triplet::new(j, j, 1.0));
        entries.extend(row.iter().map(|&(i, q)| Triplet::new(j, i, -q)));
    }
    let a = SparseColMat::<usize, f64>::try_new_from_triplets(m, m, &entries).ok()?;
    let lu = a.sp_lu().ok()?;
    let mut rhs = faer::Mat::<f64>::zeros(m, 1);
    rhs[(0, 0)] = 1.0;
    lu.solve_in_place(rhs.as_mut());
    let x: Vec<f64> = (0..m).map(|j| rhs[(j, 0)]).collect();
    let sum: f64 = x.iter().sum();
    (x.iter().all(|v| v.is_finite() && *v > -1e-9 * sum.abs()) && sum > 0.0)
        .then(|| x.iter().map(|v| v.max(0.0) / sum).collect())
}

/// The stationary vector of a jump chain given by its incoming edges (`incoming[j]` holds
/// `(i, Q_ij)`), normalised to sum 1, by BiCGSTAB, right-preconditioned by a symmetric
/// Gauss-Seidel sweep, on `x_j - sum_{i != k} x_i Q_ij = Q_kj` with
/// `x_k = 1` for the state `k` the start weighs most; `None` if it breaks down or does not
/// converge (the caller falls back to a fixed point).
fn pinned_stationary(incoming: &[Vec<(usize, f64)>], start: &[f64]) -> Option<Vec<f64>> {
    let m = start.len();
    if m < 2 {
        return Some(vec![1.0; m]);
    }
    let k = (0..m).max_by(|&a, &b| start[a].total_cmp(&start[b]))?;
    // `A`, the pinned system's matrix, by rows in one contiguous array (compressed sparse rows):
    // row `j != k` holds `-Q_ij` for every `i != k`, sorted by `i`, behind its diagonal 1 (the
    // jump chain has no self-loops); row `k` is empty (`x_k` is held at 0 inside the products).
    let mut start_of = Vec::with_capacity(m + 1);
    let mut below_end = Vec::with_capacity(m);
    let (mut column, mut value) = (Vec::new(), Vec::new());
    let mut b = vec![0.0; m];
    for (j, row) in incoming.iter().enumerate() {
        start_of.push(column.len());
        if j != k {
            let mut entries: Vec<(usize, f64)> = row.iter().copied().filter(|e| e.0 != k).collect();
            entries.sort_unstable_by_key(|e| e.0);
            b[j] = row.iter().filter(|e| e.0 == k).map(|e| e.1).sum();
            below_end.push(column.len() + entries.partition_point(|e| e.0 < j));
            column.extend(entries.iter().map(|e| e.0));
            value.extend(entries.iter().map(|e| e.1));
        } else {
            below_end.push(column.len());
        }
    }
    start_of.push(column.len());
    let inflow = |x: &[f64], from: usize, to: usize| {
        column[from..to].iter().zip(&value[from..to]).map(|(&i, q)| x[i] * q).sum::<f64>()
    };
    let apply = |x: &[f64], out: &mut [f64]| {
        for j in 0..m {
            out[j] = if j == k { 0.0 } else { x[j] - inflow(x, start_of[j], start_of[j + 1]) };
        }
    };
    // Preconditioned by a symmetric Gauss-Seidel sweep of `A` (Gauss-Seidel is the classical
    // stationary solver of a Markov chain): `M = (I + L)(I + U)`, `L` and `U` the parts of `A`
    // below and above its unit diagonal, applied by a forward and a backward substitution.
    let precondition = |r: &[f64], out: &mut [f64]| {
        for j in 0..m {
            out[j] = r[j] + inflow(out, start_of[j], below_end[j]);
        }
        for j in (0..m).rev() {
            out[j] += inflow(out, below_end[j], start_of[j + 1]);
        }
    };
    let mut x: Vec<f64> = start.iter().map(|v| v / start[k]).collect();
    x[k] = 0.0;
    let dot = |a: &[f64], c: &[f64]| a.iter().zip(c).map(|(p, q)| p * q).sum::<f64>();
    let mut ax = vec![0.0; m];
    apply(&x, &mut ax);
    let mut r: Vec<f64> = b.iter().zip(&ax).map(|(p, q)| p - q).collect();
    let r0 = r.clone();
    let bnorm = dot(&b, &b).sqrt().max(f64::MIN_POSITIVE);
    let (mut rho, mut alpha, mut omega) = (1.0, 1.0, 1.0);
    let (mut v, mut p) = (vec![0.0; m], vec![0.0; m]);
    let (mut s, mut t) = (vec![0.0; m], vec![0.0; m]);
    let (mut p_hat, mut s_hat) = (vec![0.0; m], vec![0.0; m]);
    let mut converged = dot(&r, &r).sqrt() <= STATIONARY_RTOL * bnorm;
    for _ in 0..(10 * m + 1000).min(MAX_BICGSTAB_ITERATIONS) {
        if converged {
            break;
        }
        let rho_next = dot(&r0, &r);
        if rho_next == 0.0 || omega == 0.0 {
            return None;
        }
        let beta = (rho_next / rho) * (alpha / omega);
        rho = rho_next;
        for i in 0..m {
            p[i] = r[i] + beta * (p[i] - omega * v[i]);
        }
        precondition(&p, &mut p_hat);
        apply(&p_hat, &mut v);
        let r0v = dot(&r0, &v);
        if r0v == 0.0 {
            return None;
        }
        alpha = rho / r0v;
        for i in 0..m {
            s[i] = r[i] - alpha * v[i];
        }
        if dot(&s, &s).sqrt() <= STATIONARY_RTOL * bnorm {
            x.iter_mut().zip(&p_hat).for_each(|(xi, pi)| *xi += alpha * pi);
            converged = true;
            break;
        }
        precondition(&s, &mut s_hat);
        apply(&s_hat, &mut t);
        let tt = dot(&t, &t);
        if tt == 0.0 {
            return None;
        }
        omega = dot(&t, &s) / tt;
        for i in 0..m {
            x[i] += alpha * p_hat[i] + omega * s_hat[i];
            r[i] = s[i] - omega * t[i];
        }
        converged = dot(&r, &r).sqrt() <= STATIONARY_RTOL * bnorm;
    }
    if !converged {
        return None;
    }
    x[k] = 1.0;
    let sum: f64 = x.iter().sum();
    (x.iter().all(|v| v.is_finite() && *v > -1e-12) && sum > 0.0)
        .then(|| x.iter().map(|v| v.max(0.0) / sum).collect())
}

/// Entropy production per step on the two-way support, with `P = C_ij / c_i` and the given
/// stationary distribution: `1/2 sum (pi_i P_ij - pi_j P_ji) log(pi_i P_ij / (pi_j P_ji))` over
/// pairs seen in both directions with both states carrying stationary weight. Also returns the
/// number of pairs used.
pub fn entropy_production(c: &CountMatrix, pi: &[f64]) -> (f64, usize) {
    let rows = c.row_sums();
    let two_way = Pairs::two_way(c.len(), c.off_diagonal().map(|(i, j, _)| (i, j)));
    let mut sigma = 0.0;
    let mut used = 0;
    for &(i, j) in &two_way.pairs {
        if pi[i] <= 0.0 || pi[j] <= 0.0 {
            continue;
        }
        let a = pi[i] * c.get(i, j) / rows[i];
        let b = pi[j] * c.get(j, i) / rows[j];
        sigma += (a - b) * (a / b).ln();
        used += 1;
    }
    (sigma, used)
}

/// The transitions of `c` seen one way only (`C_ij > 0`, `C_ji = 0`). Along each, the plug-in
/// entropy production is infinite; whether the reverse is impossible or only rare the data do
/// not say, so the entropy production over the pairs seen both ways is a lower bound of the
/// whole's wherever there are any.
pub fn one_way_transitions(c: &CountMatrix) -> usize {
    c.off_diagonal().filter(|&(i, j, _)| c.get(j, i) == 0.0).count()
}

/// The affinity of one cycle of the two-way graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CycleAffinity {
    /// The cycle's states (local indices of the count matrix), in the direction measured.
    pub states: Vec<usize>,
    /// `log(prod forward P / prod backward P) = sum log(C_ab / C_ba)` around the cycle.
    pub affinity: f64,
    /// Its standard error, `sqrt(sum 1/C_ab + 1/C_ba)`.
    pub se: f64,
}

/// Affinities of a cycle basis of the two-way graph (fundamental cycles), oriented so that the
/// affinity is non-negative, most significant (largest `affinity / se`) first.
pub fn cycle_affinities(c: &CountMatrix) -> Vec<CycleAffinity> {
    let two_way = Pairs::two_way(c.len(), c.off_diagonal().map(|(i, j, _)| (i, j)));
    let mut out: Vec<CycleAffinity> = two_way
        .fundamental_cycles()
        .into_iter()
        .map(|mut states| {
            let k = states.len();
            let (mut a, mut var) = (0.0, 0.0);
            for t in 0..k {
                let (x, y) = (states[t], states[(t + 1) % k]);
                let (fw, bw) = (c.get(x, y), c.get(y, x));
                a += (fw / bw).ln();
                var += 1.0 / fw + 1.0 / bw;
            }
            if a < 0.0 {
                states.reverse();
                a = -a;
            }
            CycleAffinity { states, affinity: a, se: var.sqrt() }
        })
        .collect();
    out.sort_by(|x, y| (y.affinity / y.se).total_cmp(&(x.affinity / x.se)));
    out
}

/// A cycle of transitions each seen one way only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OneWayCycle {
    /// The cycle's states (local indices of the count matrix), in the direction seen.
    pub states: Vec<usize>,
    /// Reverse transitions the reversible estimate expects around it, given each state's
    /// attempts: `sum c_j P_rev(j -> i)` over its edges `i -> j`.
    pub expected_reverse: f64,
    /// The chance of seeing none of them if detailed balance held: `exp(-expected_reverse)`.
    pub p_value: f64,
}

/// Cycles of one-way transitions (`i -> j` seen, `j -> i` never): one shortest cycle through a
/// state of each strongly connected set of the one-way graph, most telling (fewest expected
/// reverse transitions missing by chance) first. Along such a cycle the entropy production is
/// infinite; whether that is evidence depends on how many reverse transitions were expected.
pub fn one_way_cycles(c: &CountMatrix, rev: &ReversibleFit) -> Vec<OneWayCycle> {
    let n = c.len();
    let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, j, _) in c.off_diagonal() {
        if c.get(j, i) == 0.0 {
            adjacency[i].push(j);
        }
    }
    let one_way = adjacency.iter().enumerate().flat_map(|(i, js)| js.iter().map(move |&j| (i, j)));
    let comps = Components::new(n, one_way);
    let rows = c.row_sums();
    let mut out: Vec<OneWayCycle> = comps
        .nontrivial()
        .filter_map(|k| shortest_cycle_through(&adjacency, comps.members[k][0]))
        .map(|states| {
            let k = states.len();
            let expected_reverse: f64 = (0..k)
                .map(|t| {
                    let (i, j) = (states[t], states[(t + 1) % k]);
                    rows[j] * rev.get(j, i)
                })
                .sum();
            OneWayCycle { states, expected_reverse, p_value: (-expected_reverse).exp() }
        })
        .collect();
    out.sort_by(|a, b| b.expected_reverse.total_cmp(&a.expected_reverse));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Random;

    /// The jump chain of a Metropolis walk on `m` states, each joined to its two neighbours on
    /// a ring and to four states at random, with energies rising across two wells: slowly
    /// mixing, as real landscapes are.
    fn metastable_chain(m: usize, seed: u64) -> Vec<Vec<(usize, f64)>> {
        let mut rng = Random::new(seed);
        let energy: Vec<f64> = (0..m)
            .map(|i| {
                let well = if i < m / 2 { 0.0 } else { 3.0 };
                well + 8.0 * ((i % (m / 2)) as f64 / (m / 2) as f64) + rng.uniform()
            })
            .collect();
        let mut rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); m];
        for i in 0..m {
            // A ring keeps it connected; random chords make it an expander.
            let mut to: Vec<usize> = vec![(i + 1) % m, (i + m - 1) % m];
            to.extend((0..4).map(|_| rng.below(m)).filter(|&j| j != i));
            for j in to {
                rows[i].push((j, (energy[i] - energy[j]).min(0.0).exp()));
            }
        }
        let mut incoming = vec![Vec::new(); m];
        for (i, row) in rows.iter().enumerate() {
            let total: f64 = row.iter().map(|e| e.1).sum();
            for &(j, w) in row {
                incoming[j].push((i, w / total));
            }
        }
        incoming
    }

    #[test]
    fn the_preconditioned_solve_finds_the_stationary_vector_of_a_slowly_mixing_chain() {
        for (m, seed) in [(500, 1), (3000, 2)] {
            let incoming = metastable_chain(m, seed);
            let start = vec![1.0 / m as f64; m];
            let x = pinned_stationary(&incoming, &start).expect("it converges");
            assert!((x.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            // x Q = x, state by state, relative to each state's weight.
            for (j, row) in incoming.iter().enumerate() {
                let inflow: f64 = row.iter().map(|&(i, q)| x[i] * q).sum();
                assert!((inflow - x[j]).abs() <= 1e-8 * x[j], "{m} states, state {j}");
            }
        }
    }
}
