//! The least-action potential (docs/method.md, section 3): kernels, solvers and the per-component
//! fit with gauges, sandwich standard errors and the bounds of states outside the identifiable
//! set.

mod entry_count;
mod fit;
mod kernel;
mod solve;
mod uncertainty;

pub use entry_count::{entry_range, hold, poisson_factors, widen_to_entries};
pub use fit::{
    Bound, BoundKind, FittedComponent, Gauge, PotentialFit, component_covariance, fit_potential,
    fit_potential_from,
};
pub(crate) use fit::{component_problem, edges_by_component};
pub use kernel::Kernel;
pub(crate) use solve::{FORCING_FLOOR, newton_step};
pub use solve::{Problem, Solution, SolveError, Solver};
pub use uncertainty::{EdgeNoise, sandwich_covariance, sandwich_se, variance_shares};
