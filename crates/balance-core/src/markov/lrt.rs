//! The likelihood-ratio test of detailed balance, with degrees of freedom that match what it
//! compares, a check of whether the chi-square approximation can be trusted, and its p-value
//! calibrated by a parametric bootstrap under the reversible estimate.
//!
//! The reversible estimate lives on the symmetrised support: every pair seen in either
//! direction, with both directions allowed. The unconstrained model it is nested in has two free
//! parameters per pair there (`2E`); the reversible one has `E + n - 1` (the symmetric flows and
//! the stationary weights). So `df = E - n + #components`, the cycle rank of the symmetrised
//! support. A transition seen one way only is a parameter at its boundary (the reverse estimated
//! at 0), where the chi-square law fails: with sparse counts, the parametric bootstrap under the
//! reversible estimate gives the p-value instead.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::counts::CountMatrix;
use super::reversible::{ReversibleFit, log_likelihood_nonrev, log_likelihood_rev, reversible_mle};
use crate::graph::Pairs;
use crate::parallel::map_replicates;
use crate::random::Random;

/// Expected counts below this are "small" (Cochran's rule).
const SMALL_EXPECTED: f64 = 5.0;
/// Share of small expected counts above which the chi-square law is not trusted.
pub const SMALL_SHARE: f64 = 0.2;

/// The test on one count matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct LikelihoodRatio {
    /// `G = 2 (log L_nonrev - log L_rev)`.
    pub statistic: f64,
    /// Cycle rank of the symmetrised support.
    pub df: usize,
    /// Chi-square p-value, when `df > 0`.
    pub p_chi2: Option<f64>,
    /// `log L` of the non-reversible estimate.
    pub ll_nonrev: f64,
    /// `log L` of the reversible estimate.
    pub ll_rev: f64,
    /// Share of the off-diagonal entries of the symmetrised support whose count expected under
    /// the reversible estimate is below 5.
    pub small_expected: f64,
    /// Off-diagonal entries of the symmetrised support (what `small_expected` is a share of).
    pub entries: usize,
    /// Whether the chi-square law cannot be trusted: more than 20% of expected counts below 5
    /// (Cochran's rule).
    pub sparse: bool,
}

/// `G` of `c` against its reversible estimate `rev`.
pub fn statistic(c: &CountMatrix, rev: &ReversibleFit) -> f64 {
    (2.0 * (log_likelihood_nonrev(c) - log_likelihood_rev(c, rev))).max(0.0)
}

/// The test of `c` given its reversible estimate `rev`.
pub fn likelihood_ratio(c: &CountMatrix, rev: &ReversibleFit) -> LikelihoodRatio {
    let ll_nonrev = log_likelihood_nonrev(c);
    let ll_rev = log_likelihood_rev(c, rev);
    let statistic = (2.0 * (ll_nonrev - ll_rev)).max(0.0);
    let df = Pairs::either_way(c.len(), c.off_diagonal().map(|(i, j, _)| (i, j))).cycle_rank();
    let p_chi2 = chi_square_p(statistic, df);
    let rows = c.row_sums();
    let mut small = 0usize;
    let mut entries = 0usize;
    for (i, row) in rev.p.iter().enumerate() {
        for &(_, p) in row.iter().filter(|e| e.0 != i) {
            let expected = rows[i] * p;
            entries += 1;
            small += usize::from(expected < SMALL_EXPECTED);
        }
    }
    let small_expected = if entries == 0 { 0.0 } else { small as f64 / entries as f64 };
    LikelihoodRatio {
        statistic,
        df,
        p_chi2,
        ll_nonrev,
        ll_rev,
        small_expected,
        entries,
        sparse: small_expected > SMALL_SHARE,
    }
}

/// The chi-square p-value of `G = statistic` on `df` degrees of freedom; `None` when `df = 0`
/// (nothing to test).
pub fn chi_square_p(statistic: f64, df: usize) -> Option<f64> {
    (df > 0)
        .then(|| ChiSquared::new(df as f64).map_or(f64::NAN, |d| d.sf(statistic)))
        .filter(|p| p.is_finite())
}

/// The test on count matrices drawn under detailed balance, for the whole dataset and for each
/// of its strongly connected classes.
#[derive(Debug, Clone, PartialEq)]
pub struct NullDistribution {
    /// The chi-square p-value of each replicate's whole test (`G` and the degrees of freedom
    /// summed over every class it holds; 1 when it has none).
    pub p_chi2: Vec<f64>,
    /// Per class of the data, the chi-square p-value of that class's replicate in each
    /// replicate (1 when it has nothing to test).
    pub classes: Vec<Vec<f64>>,
}

/// The calibrated p-value of an observed chi-square p-value `p` among the replicates' `null`:
/// `(1 + #{p* <= p}) / (B + 1)`.
fn calibrated(null: &[f64], p: f64) -> f64 {
    let below = null.iter().filter(|&&x| x <= p).count();
    (1 + below) as f64 / (null.len() + 1) as f64
}

impl NullDistribution {
    /// The calibrated p-value of the whole test's observed chi-square p-value `p`: the share of
    /// replicates whose own chi-square p-value is at most `p`, `(1 + #{p* <= p}) / (B + 1)`.
    ///
    /// Bootstrapping `G` itself does not work here: a replicate drawn on the observed support
    /// leaves many of its sparse pairs empty, loses their degrees of freedom, and so has a
    /// smaller `G` than data drawn from the real chain, whose rare pairs were selected by having
    /// been seen (it rejected 22-83% of reversible datasets at 5% in our study). The chi-square
    /// p-value adapts to each replicate's support; its distribution is what is calibrated.
    pub fn p_value(&self, p: f64) -> f64 {
        calibrated(&self.p_chi2, p)
    }

    /// As [`NullDistribution::p_value`], for class `k` alone.
    pub fn class_p_value(&self, k: usize, p: f64) -> Option<f64> {
        self.classes.get(k).map(|null| calibrated(null, p))
    }
}

/// `G` and the degrees of freedom of `c` tested as the data are: on each of its strongly
/// connected classes, summed.
pub fn class_test(c: &CountMatrix) -> (f64, usize) {
    c.classes_of().iter().fold((0.0, 0), |(g, df), class| {
        let fit = reversible_mle(class);
        let lrt = likelihood_ratio(class, &fit);
        (g + lrt.statistic, df + lrt.df)
    })
}

/// Draws `replicates` datasets from the reversible estimates of the data's strongly connected
/// classes (`classes`, each with its estimate), each row with the attempts of the data's
/// (restart sampling: every row an independent multinomial; replicate `k` from random stream
/// `k`), and tests each as the data are tested: every class it splits into, each class's `G`
/// and degrees of freedom, and their sums for the whole; `finished` hears how many replicates
/// are done.
pub fn null_distribution(
    classes: &[(&CountMatrix, &ReversibleFit)],
    replicates: usize,
    seed: u64,
    finished: &mut dyn FnMut(usize),
) -> NullDistribution {
    let rows: Vec<Vec<f64>> = classes.iter().map(|(c, _)| c.row_sums()).collect();
    let one = |k: usize| {
        let mut rng = Random::stream(seed, k as u64);
        let tests: Vec<(f64, usize)> = classes
            .iter()
            .zip(&rows)
            .map(|((c, rev), rows)| {
                let drawn = CountMatrix {
                    states: c.states.clone(),
                    rows: rev
                        .p
                        .iter()
                        .enumerate()
                        .map(|(i, row)| {
                            let probabilities: Vec<f64> = row.iter().map(|e| e.1).collect();
                            let x = rng.multinomial(rows[i], &probabilities);
                            row.iter()
                                .zip(x)
                                .filter(|(_, n)| *n > 0.0)
                                .map(|(e, n)| (e.0, n))
                                .collect()
                        })
                        .collect(),
                };
                class_test(&drawn)
            })
            .collect();
        let (g, df) = tests.iter().fold((0.0, 0), |(g, df), t| (g + t.0, df + t.1));
        let each: Vec<f64> =
            tests.iter().map(|&(g, df)| chi_square_p(g, df).unwrap_or(1.0)).collect();
        (chi_square_p(g, df).unwrap_or(1.0), each)
    };
    let all = map_replicates(replicates, finished, one);
    let mut classes_p = vec![Vec::with_capacity(replicates); classes.len()];
    for (_, each) in &all {
        for (k, &p) in each.iter().enumerate() {
            classes_p[k].push(p);
        }
    }
    NullDistribution { p_chi2: all.iter().map(|r| r.0).collect(), classes: classes_p }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sparse_reversible_chain_is_rejected_at_the_nominal_rate_by_the_parametric_bootstrap() {
        // A Metropolis chain on four energies (so reversible), 40 attempts per state: sparse.
        let energy: [f64; 4] = [0.0, 0.5, 1.0, 1.5];
        let p: Vec<Vec<f64>> = (0..4)
            .map(|i| {
                let mut row: Vec<f64> =
                    (0..4)
                        .map(|j| {
                            if i == j {
                                0.0
                            } else {
                                0.1 * (-(energy[j] - energy[i])).exp().min(1.0)
                            }
                        })
                        .collect();
                row[i] = 1.0 - row.iter().sum::<f64>();
                row
            })
            .collect();
        let mut rng = Random::new(1);
        let (mut rejected, mut datasets, mut sparse) = (0, 0, 0);
        for seed in 0..100 {
            let rows: Vec<Vec<f64>> = p.iter().map(|row| rng.multinomial(40.0, row)).collect();
            let c = CountMatrix::from_dense(&rows);
            let rev = super::super::reversible::reversible_mle(&c);
            let lrt = likelihood_ratio(&c, &rev);
            if lrt.df == 0 {
                continue;
            }
            datasets += 1;
            sparse += usize::from(lrt.sparse);
            let null = null_distribution(&[(&c, &rev)], 99, seed, &mut |_| {});
            rejected += usize::from(null.p_value(lrt.p_chi2.unwrap()) < 0.05);
        }
        assert!(datasets >= 90 && sparse > datasets / 2, "{datasets} tested, {sparse} sparse");
        // At 5%, about 5 of 100: binomial 99.9% bounds are 0 to 13.
        assert!(rejected <= 13, "{rejected} of {datasets} rejected");
    }

    #[test]
    fn degrees_of_freedom_count_the_one_way_pairs() {
        // A directed 3-cycle never reversed, with self-loops: one cycle either way.
        let c = CountMatrix::from_dense(&[
            vec![50.0, 1000.0, 0.0],
            vec![0.0, 50.0, 1000.0],
            vec![1000.0, 0.0, 50.0],
        ]);
        let rev = super::super::reversible::reversible_mle(&c);
        let lrt = likelihood_ratio(&c, &rev);
        assert_eq!(lrt.df, 1);
        assert!(lrt.statistic > 1000.0 && lrt.p_chi2.unwrap() < 1e-100, "{lrt:?}");
    }
}
