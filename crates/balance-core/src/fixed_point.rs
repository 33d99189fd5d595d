//! SQUAREM (Varadhan and Roland 2008): acceleration of slowly converging fixed-point maps such
//! as the reversible-MLE iteration and the power iteration, with the plain map as a fallback.

/// Iterates `map` from `x` until a plain step changes the vector by less than `tol` in the
/// 1-norm (deeptime's criterion for probability vectors), or `max_maps` evaluations of the map. Returns the fixed point, the number of map evaluations
/// and whether it converged. `map` must keep its iterates positive and normalised.
pub fn squarem(
    mut x: Vec<f64>,
    map: impl Fn(&[f64]) -> Vec<f64>,
    tol: f64,
    max_maps: usize,
) -> (Vec<f64>, usize, bool) {
    let change = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(u, v)| (u - v).abs()).sum::<f64>();
    let mut maps = 0;
    while maps < max_maps {
        let x1 = map(&x);
        let x2 = map(&x1);
        maps += 2;
        if change(&x1, &x) < tol {
            return (x1, maps, true);
        }
        let r: Vec<f64> = x1.iter().zip(&x).map(|(a, b)| a - b).collect();
        let v: Vec<f64> = x2.iter().zip(&x1).zip(&r).map(|((a, b), r)| a - b - r).collect();
        let rn = r.iter().map(|a| a * a).sum::<f64>().sqrt();
        let vn = v.iter().map(|a| a * a).sum::<f64>().sqrt();
        if vn == 0.0 {
            x = x2;
            continue;
        }
        let alpha = (-rn / vn).min(-1.0);
        let jump: Vec<f64> = x
            .iter()
            .zip(&r)
            .zip(&v)
            .map(|((x, r), v)| x - 2.0 * alpha * r + alpha * alpha * v)
            .collect();
        // Keep the extrapolation only where it stays a valid (positive) point.
        x = if jump.iter().all(|a| *a > 0.0 && a.is_finite()) {
            let sum: f64 = jump.iter().sum();
            let normalised: Vec<f64> = jump.iter().map(|a| a / sum).collect();
            maps += 1;
            map(&normalised)
        } else {
            x2
        };
    }
    (x, maps, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_stationary_vector_of_a_slow_linear_map() {
        // A lazy two-state chain with a slow mode: x -> x P, P = [[1-a, a], [b, 1-b]].
        let (a, b) = (1e-3, 3e-3);
        let map = |x: &[f64]| vec![x[0] * (1.0 - a) + x[1] * b, x[0] * a + x[1] * (1.0 - b)];
        let (x, maps, ok) = squarem(vec![0.5, 0.5], map, 1e-14, 100_000);
        assert!(ok);
        assert!((x[0] - 0.75).abs() < 1e-12, "{x:?}");
        assert!(maps < 200, "{maps} maps");
    }
}
