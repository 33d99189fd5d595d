//! Markov-chain estimators on the count matrix (SCIENCE.md section 4, items 4 and 5): the
//! non-reversible and reversible maximum-likelihood transition matrices, stationary
//! distributions, the likelihood-ratio test of detailed balance, entropy production, cycle
//! affinities, and (for small state spaces) implied timescales, mean first-passage times and
//! committors.

mod counts;
mod dense;
mod irreversibility;
mod reversible;

pub use counts::CountMatrix;
pub use dense::{DenseChain, committor, mean_first_passage, stationary_dense};
pub use irreversibility::{CycleAffinity, cycle_affinities, entropy_production, nonrev_stationary};
pub use reversible::{
    ReversibleFit, log_likelihood_nonrev, log_likelihood_rev, nonreversible_mle, reversible_mle,
};
