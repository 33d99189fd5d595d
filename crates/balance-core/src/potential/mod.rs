//! The least-action potential (SCIENCE.md section 3): kernels, solvers and the per-component
//! fit with gauges, sandwich standard errors and the bounds of states outside the identifiable
//! set.

mod fit;
mod kernel;
mod solve;
mod uncertainty;

pub use fit::{
    Bound, BoundKind, FittedComponent, Gauge, PotentialFit, component_covariance, fit_potential,
    fit_potential_from,
};
pub(crate) use fit::{component_problem, edges_by_component};
pub use kernel::Kernel;
pub(crate) use solve::{FORCING_FLOOR, newton_step};
pub use solve::{Problem, Solution, SolveError, Solver};
pub use uncertainty::{EdgeNoise, sandwich_covariance, sandwich_se, variance_shares};
