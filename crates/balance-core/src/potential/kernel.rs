//! The action's kernels `K(x)`, convex and decreasing in `x = V(f) - V(g)`.

use serde::{Deserialize, Serialize};

/// A kernel of the least-action potential (docs/method.md, section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kernel {
    /// `K(x) = log(1 + exp(-beta x))`: paper code; makes the fit a weighted Bradley-Terry model.
    Softplus,
    /// `K(x) = exp(-beta x / 2)`: paper main text.
    Exp,
}

impl Kernel {
    /// Both kernels, for pickers.
    pub const ALL: [Kernel; 2] = [Kernel::Softplus, Kernel::Exp];

    /// The kebab-case name used in files and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Kernel::Softplus => "softplus",
            Kernel::Exp => "exp",
        }
    }

    /// `K(x)`.
    pub fn value(self, x: f64, beta: f64) -> f64 {
        match self {
            Kernel::Softplus => {
                let z = -beta * x;
                if z > 0.0 { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() }
            }
            Kernel::Exp => (-beta * x / 2.0).exp(),
        }
    }

    /// `K'(x)`.
    pub fn d1(self, x: f64, beta: f64) -> f64 {
        match self {
            Kernel::Softplus => -beta * sigmoid(-beta * x),
            Kernel::Exp => -beta / 2.0 * (-beta * x / 2.0).exp(),
        }
    }

    /// `K''(x)`.
    pub fn d2(self, x: f64, beta: f64) -> f64 {
        match self {
            Kernel::Softplus => beta * beta * sigmoid(beta * x) * sigmoid(-beta * x),
            Kernel::Exp => beta * beta / 4.0 * (-beta * x / 2.0).exp(),
        }
    }
}

/// The logistic function, computed without overflow.
pub(crate) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detailed_balance_identity_holds_for_both_kernels() {
        // K'(x) = K'(-x) exp(-beta x): what makes the minimiser reproduce detailed balance.
        for k in Kernel::ALL {
            for &beta in &[0.5, 1.0, 2.0] {
                for &x in &[-3.0, -0.4, 0.0, 0.7, 5.0] {
                    let lhs = k.d1(x, beta);
                    let rhs = k.d1(-x, beta) * (-beta * x).exp();
                    assert!((lhs - rhs).abs() < 1e-12 * lhs.abs().max(1e-300), "{k:?} {x}");
                }
            }
        }
    }

    #[test]
    fn derivatives_match_finite_differences_and_softplus_is_stable() {
        let h = 1e-5;
        for k in Kernel::ALL {
            for &x in &[-2.0, 0.0, 1.5] {
                let fd1 = (k.value(x + h, 1.3) - k.value(x - h, 1.3)) / (2.0 * h);
                let fd2 = (k.d1(x + h, 1.3) - k.d1(x - h, 1.3)) / (2.0 * h);
                assert!((fd1 - k.d1(x, 1.3)).abs() < 1e-8);
                assert!((fd2 - k.d2(x, 1.3)).abs() < 1e-8);
            }
        }
        assert_eq!(Kernel::Softplus.value(-1000.0, 1.0), 1000.0);
        assert!(Kernel::Softplus.value(1000.0, 1.0) >= 0.0);
        assert!((Kernel::Softplus.value(0.0, 1.0) - 2f64.ln()).abs() < 1e-15);
        assert_eq!(Kernel::Exp.value(0.0, 1.0), 1.0);
    }
}
