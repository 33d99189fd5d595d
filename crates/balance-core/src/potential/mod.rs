//! The least-action potential (SCIENCE.md section 3): kernels, solvers and the per-component
//! fit with gauges, standard errors and the bounds of states outside the identifiable set.

mod fit;
mod kernel;
mod solve;

pub use fit::{Bound, BoundKind, FittedComponent, Gauge, PotentialFit, fit_potential};
pub use kernel::Kernel;
pub use solve::{Problem, Solution, SolveError, Solver};
