//! Tests of detailed balance that work on the measured kernel (docs/method.md, section 5): the
//! pairwise test against the fitted potential, the loop (Kolmogorov) test, one-way pairs with
//! their bounds, the width of the landscape and the predicted action, and majority voting.

mod histogram;
mod loops;
mod majority;
mod oneway;
mod pairwise;

pub use histogram::{Histogram, erfcx, potential_histogram};
pub use loops::{LoopResult, Triple, loop_test};
pub use majority::{majority_vote, majority_vote_slope};
pub use oneway::{OneWayPair, one_way_pairs};
pub use pairwise::{PairPoint, PairRule, PairwiseResult, pairwise_test};
