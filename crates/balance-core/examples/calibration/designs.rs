//! The simulated designs of the calibration study: transition kernels with a known truth (a
//! potential where detailed balance holds, an entropy production where it does not), and
//! datasets sampled from them with a set number of attempts per source.

use balance_core::datasets::Dataset;
use balance_core::model::Counts;
use balance_core::random::Random;

/// A transition kernel: row `i` holds the probabilities of each outcome of an attempt from
/// state `i` (the diagonal: the attempt stays, a self-loop).
pub type Chain = Vec<Vec<f64>>;

/// A Metropolis chain on `energies` with uniform proposals (reversible with `V = E`).
pub fn uniform_metropolis(energies: &[f64]) -> Chain {
    let k = energies.len();
    let mut p: Chain = (0..k)
        .map(|i| {
            (0..k)
                .map(|j| {
                    if i == j {
                        0.0
                    } else {
                        (-(energies[j] - energies[i])).exp().min(1.0) / (k - 1) as f64
                    }
                })
                .collect()
        })
        .collect();
    fill_diagonal(&mut p);
    p
}

/// Puts on each row's diagonal what its other entries leave.
fn fill_diagonal(p: &mut Chain) {
    for (i, row) in p.iter_mut().enumerate() {
        let off: f64 = row.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, x)| x).sum();
        row[i] = (1.0 - off).max(0.0);
    }
}

/// The pairs of a random sparse graph on `n` states: a ring (so it is connected) and `chords`
/// random chords.
pub fn random_graph(n: usize, chords: usize, rng: &mut Random) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> =
        (0..n).map(|i| (i.min((i + 1) % n), i.max((i + 1) % n))).collect();
    while pairs.len() < n + chords {
        let (a, b) = (rng.below(n), rng.below(n));
        let pair = (a.min(b), a.max(b));
        if a != b && !pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    pairs
}

/// Each state's neighbours in `pairs`.
fn neighbours(n: usize, pairs: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); n];
    for &(a, b) in pairs {
        out[a].push(b);
        out[b].push(a);
    }
    out
}

/// Heat-bath moves along `pairs` (proposal `rate / most neighbours`, acceptance
/// `1 / (1 + exp(E_j - E_i - a_ij))`) with an antisymmetric drive `a_ij = -a_ji` of standard
/// deviation `drive` on every pair: reversible with `V = E` at drive 0, driven otherwise (the
/// drive is no gradient on a graph with cycles).
pub fn heat_bath(
    energies: &[f64],
    pairs: &[(usize, usize)],
    drive: f64,
    rate: f64,
    rng: &mut Random,
) -> Chain {
    let n = energies.len();
    let most = neighbours(n, pairs).iter().map(Vec::len).max().unwrap_or(1) as f64;
    let mut p = vec![vec![0.0; n]; n];
    for &(a, b) in pairs {
        let push = drive * rng.normal();
        p[a][b] = rate / most / (1.0 + (energies[b] - energies[a] - push).exp());
        p[b][a] = rate / most / (1.0 + (energies[a] - energies[b] + push).exp());
    }
    fill_diagonal(&mut p);
    p
}

/// Metropolis-Hastings moves along `pairs` with non-symmetric proposals (each state spreads
/// `rate` over its neighbours with random weights) and the acceptance that makes the chain
/// reversible with `V = E` whatever the proposals.
pub fn hastings(energies: &[f64], pairs: &[(usize, usize)], rate: f64, rng: &mut Random) -> Chain {
    let n = energies.len();
    let near = neighbours(n, pairs);
    let mut q = vec![vec![0.0; n]; n];
    for (i, js) in near.iter().enumerate() {
        let w: Vec<f64> = js.iter().map(|_| 0.2 + rng.uniform()).collect();
        let total: f64 = w.iter().sum();
        for (&j, wj) in js.iter().zip(&w) {
            q[i][j] = rate * wj / total;
        }
    }
    let mut p = vec![vec![0.0; n]; n];
    for i in 0..n {
        for &j in &near[i] {
            let ratio = (-(energies[j] - energies[i])).exp() * q[j][i] / q[i][j];
            p[i][j] = q[i][j] * ratio.min(1.0);
        }
    }
    fill_diagonal(&mut p);
    p
}

/// A ring of `n` states whose steps happen with probability `rate`, split so that
/// `ln(forward / backward) = drive`.
pub fn ring(n: usize, rate: f64, drive: f64) -> Chain {
    let forward = rate / (1.0 + (-drive).exp());
    let mut p = vec![vec![0.0; n]; n];
    for (i, row) in p.iter_mut().enumerate() {
        row[(i + 1) % n] += forward;
        row[(i + n - 1) % n] += rate - forward;
    }
    fill_diagonal(&mut p);
    p
}

/// The chains side by side, with no transitions between them: one component each.
pub fn side_by_side(chains: &[Chain]) -> Chain {
    let n: usize = chains.iter().map(Vec::len).sum();
    let mut p = vec![vec![0.0; n]; n];
    let mut at = 0;
    for c in chains {
        for (i, row) in c.iter().enumerate() {
            p[at + i][at..at + c.len()].copy_from_slice(row);
        }
        at += c.len();
    }
    p
}

/// Attempts per source falling as a Zipf law from `most` (state 0) to `least` (the last).
pub fn zipf(n: usize, most: f64, least: f64) -> Vec<f64> {
    let s = (most / least).ln() / (n as f64).ln();
    (0..n).map(|i| (most / ((i + 1) as f64).powf(s)).round()).collect()
}

/// Rows of `p` sampled with `attempts[i]` attempts from source `i`, states named S0, S1, ...
pub fn sample(p: &Chain, attempts: &[f64], rng: &mut Random) -> Dataset {
    let mut c = Counts::new();
    for i in 0..p.len() {
        c.add_state(&format!("S{i}"));
    }
    for (i, row) in p.iter().enumerate() {
        for (j, x) in rng.multinomial(attempts[i], row).into_iter().enumerate() {
            if x > 0.0 {
                c.add_transition_ids(i, j, x);
            }
        }
    }
    Dataset::of_counts("calibration", "", c)
}

/// The index of a state named `S<i>`.
pub fn index(label: &str) -> Option<usize> {
    label.strip_prefix('S').and_then(|i| i.parse().ok())
}

/// The stationary distribution of a small chain, by power iteration.
fn stationary(p: &Chain) -> Vec<f64> {
    let n = p.len();
    let mut x = vec![1.0 / n as f64; n];
    for _ in 0..1_000_000 {
        let mut y = vec![0.0; n];
        for i in 0..n {
            for j in 0..n {
                y[j] += x[i] * p[i][j];
            }
        }
        let change: f64 = y.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum();
        x = y;
        if change < 1e-15 {
            break;
        }
    }
    x
}

/// The true entropy production the estimate of a class measures: that of the chain `p`
/// restricted to the class's `states` (each row renormalised over the class, as the estimate
/// leaves out the attempts that leave it), summed over the pairs of the class seen both ways
/// (`two_way`, as indices of `p`).
pub fn true_entropy(p: &Chain, states: &[usize], two_way: &[(usize, usize)]) -> f64 {
    let sub: Chain = states
        .iter()
        .map(|&i| {
            let row: Vec<f64> = states.iter().map(|&j| p[i][j]).collect();
            let total: f64 = row.iter().sum();
            row.iter().map(|x| x / total).collect()
        })
        .collect();
    let pi = stationary(&sub);
    let local = |s: usize| states.iter().position(|&x| x == s).expect("a state of the class");
    two_way
        .iter()
        .map(|&(a, b)| {
            let (i, j) = (local(a), local(b));
            let (x, y) = (pi[i] * sub[i][j], pi[j] * sub[j][i]);
            (x - y) * (x / y).ln()
        })
        .sum()
}
