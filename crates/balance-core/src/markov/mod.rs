//! Markov-chain estimators on the count matrix: the non-reversible and reversible
//! maximum-likelihood transition matrices, stationary distributions, the likelihood-ratio test
//! of detailed balance with its null distribution, entropy production, cycle affinities and
//! cycles of one-way transitions, and (for small state spaces) implied timescales, mean
//! first-passage times and committors.

mod counts;
mod dense;
mod irreversibility;
mod lrt;
mod reversible;

pub use counts::CountMatrix;
pub use dense::{DenseChain, committor, mean_first_passage, stationary_dense};
pub use irreversibility::{
    CycleAffinity, OneWayCycle, cycle_affinities, entropy_production, nonrev_stationary,
    one_way_cycles, one_way_transitions,
};
pub use lrt::{
    LikelihoodRatio, NullDistribution, SMALL_SHARE, chi_square_p, class_test, likelihood_ratio,
    null_distribution, statistic,
};
pub use reversible::{
    ReversibleFit, log_likelihood_nonrev, log_likelihood_rev, nonreversible_mle, reversible_mle,
};
