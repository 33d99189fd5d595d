//! The energy surface: the states of the largest component laid out in the plane so that states
//! a few transitions apart sit near each other, the potential spread over the plane between them
//! as a smooth surface, and its contour lines.
//!
//! - **Layout.** Distances are the fewest transitions between two states (either direction,
//!   within the states drawn). Classical multidimensional scaling gives a first layout; stress
//!   majorisation (SMACOF, unweighted) then moves each state so the plane's distances match the
//!   graph's as closely as it can. Seeded, so the same report always gives the same picture.
//! - **Surface.** At each point of a grid, the potential is a Gaussian-weighted mean of the
//!   states' potentials (Nadaraya-Watson, bandwidth 0.6 times the median distance from a state to
//!   its nearest neighbour, so that the colour near a state is its own). Points farther than three
//!   bandwidths (and a tenth of the square) from every state are left empty: the surface is
//!   drawn only where there are states to speak for it.
//! - **Contours** by marching squares on the grid, at evenly spaced levels of the potential.

use std::collections::VecDeque;

use crate::random::Random;
use crate::report::Report;

/// Grid points across and down.
pub const GRID: (usize, usize) = (96, 64);
/// Contour levels drawn between the lowest and highest potential.
const LEVELS: usize = 8;
/// Iterations of stress majorisation.
const SMACOF_STEPS: usize = 120;

/// A contour line at one level: segments in the unit square.
#[derive(Debug, Clone, PartialEq)]
pub struct Contour {
    /// The potential along it.
    pub level: f64,
    /// Its pieces, each from one point to another.
    pub segments: Vec<[[f64; 2]; 2]>,
}

/// The surface of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Surface {
    /// The states drawn (indices into the report's states), most attempted first.
    pub states: Vec<usize>,
    /// Where each is drawn, in the unit square (y up).
    pub positions: Vec<[f64; 2]>,
    /// Each state's potential.
    pub potentials: Vec<f64>,
    /// The interpolated potential at grid point `(i, j)`, at `values[j * GRID.0 + i]`, for
    /// `x = i / (GRID.0 - 1)`, `y = j / (GRID.1 - 1)`; `None` far from every state.
    pub values: Vec<Option<f64>>,
    /// The lowest and highest potential of the states drawn.
    pub range: [f64; 2],
    /// Contour lines, lowest level first.
    pub contours: Vec<Contour>,
    /// Transitions among the states drawn: source and target (indices into `states`) and weight.
    pub edges: Vec<(usize, usize, f64)>,
}

/// The surface of the `most` most attempted placed states of the largest component, or `None`
/// when fewer than three states are placed there.
pub fn surface(report: &Report, most: usize) -> Option<Surface> {
    let mut states: Vec<usize> = (0..report.states.len())
        .filter(|&s| report.states[s].component == Some(0) && report.states[s].potential.is_some())
        .collect();
    if states.len() < 3 {
        return None;
    }
    states.sort_by(|&a, &b| report.states[b].attempts.total_cmp(&report.states[a].attempts));
    states.truncate(most.max(3));
    let n = states.len();
    let mut index = vec![None; report.states.len()];
    for (k, &s) in states.iter().enumerate() {
        index[s] = Some(k);
    }
    let edges: Vec<(usize, usize, f64)> = report
        .transitions
        .iter()
        .filter_map(|t| Some((index[t.source]?, index[t.target]?, t.weight)))
        .filter(|e| e.0 != e.1)
        .collect();
    let distances = hop_distances(n, &edges);
    let positions = normalise(smacof(&distances, classical_scaling(&distances)));
    let potentials: Vec<f64> =
        states.iter().map(|&s| report.states[s].potential.unwrap_or(0.0)).collect();
    let range = potentials
        .iter()
        .fold([f64::INFINITY, f64::NEG_INFINITY], |[lo, hi], &v| [lo.min(v), hi.max(v)]);
    let values = interpolate(&positions, &potentials);
    let contours = (1..=LEVELS)
        .map(|k| range[0] + (range[1] - range[0]) * k as f64 / (LEVELS + 1) as f64)
        .map(|level| Contour { level, segments: marching_squares(&values, level) })
        .collect();
    Some(Surface { states, positions, potentials, values, range, contours, edges })
}

/// Fewest transitions between each pair (either direction); pairs that never meet are put one
/// step beyond the farthest pair that does.
fn hop_distances(n: usize, edges: &[(usize, usize, f64)]) -> Vec<Vec<f64>> {
    let mut near = vec![Vec::new(); n];
    for &(a, b, _) in edges {
        near[a].push(b);
        near[b].push(a);
    }
    let mut d = vec![vec![f64::INFINITY; n]; n];
    for (start, row) in d.iter_mut().enumerate() {
        row[start] = 0.0;
        let mut queue = VecDeque::from([start]);
        while let Some(s) = queue.pop_front() {
            for &t in &near[s] {
                if row[t].is_infinite() {
                    row[t] = row[s] + 1.0;
                    queue.push_back(t);
                }
            }
        }
    }
    let far = d.iter().flatten().filter(|x| x.is_finite()).fold(0.0f64, |a, &b| a.max(b)) + 1.0;
    for x in d.iter_mut().flatten() {
        if x.is_infinite() {
            *x = far;
        }
    }
    d
}

/// Classical multidimensional scaling into the plane: the two leading eigenvectors of the
/// double-centred squared distances (by power iteration with deflation), seeded.
fn classical_scaling(d: &[Vec<f64>]) -> Vec<[f64; 2]> {
    let n = d.len();
    let sq: Vec<Vec<f64>> = d.iter().map(|r| r.iter().map(|x| x * x).collect()).collect();
    let row_mean: Vec<f64> = sq.iter().map(|r| r.iter().sum::<f64>() / n as f64).collect();
    let all = row_mean.iter().sum::<f64>() / n as f64;
    let b: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| -0.5 * (sq[i][j] - row_mean[i] - row_mean[j] + all)).collect())
        .collect();
    let mut rng = Random::new(7);
    let mut axes: Vec<(f64, Vec<f64>)> = Vec::new();
    for _ in 0..2 {
        let mut v: Vec<f64> = (0..n).map(|_| rng.uniform() - 0.5).collect();
        let mut value = 0.0;
        for _ in 0..300 {
            let mut w: Vec<f64> = (0..n).map(|i| dot(&b[i], &v)).collect();
            for (lambda, u) in &axes {
                let along = dot(u, &v);
                for (wi, ui) in w.iter_mut().zip(u) {
                    *wi -= lambda * along * ui;
                }
            }
            let norm = dot(&w, &w).sqrt();
            if norm < 1e-12 {
                break;
            }
            value = dot(&v, &w);
            v = w.into_iter().map(|x| x / norm).collect();
        }
        axes.push((value, v));
    }
    (0..n)
        .map(|i| {
            let coord = |(lambda, u): &(f64, Vec<f64>)| lambda.max(0.0).sqrt() * u[i];
            [coord(&axes[0]), coord(&axes[1])]
        })
        .collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Stress majorisation (unweighted SMACOF): each step the Guttman transform, which never raises
/// the stress. States that start on one spot are nudged apart first.
fn smacof(d: &[Vec<f64>], start: Vec<[f64; 2]>) -> Vec<[f64; 2]> {
    let n = d.len();
    let mut rng = Random::new(11);
    let mut x: Vec<[f64; 2]> = start
        .into_iter()
        .map(|p| [p[0] + 1e-3 * rng.normal(), p[1] + 1e-3 * rng.normal()])
        .collect();
    for _ in 0..SMACOF_STEPS {
        let mut next = vec![[0.0; 2]; n];
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                let gap = dist(x[i], x[j]);
                let ratio = if gap > 1e-12 { d[i][j] / gap } else { 0.0 };
                for c in 0..2 {
                    next[i][c] += ratio * (x[i][c] - x[j][c]);
                }
            }
        }
        for p in &mut next {
            p[0] /= n as f64;
            p[1] /= n as f64;
        }
        x = next;
    }
    x
}

/// Scales the layout into the unit square with a margin of 8%, keeping its proportions.
fn normalise(x: Vec<[f64; 2]>) -> Vec<[f64; 2]> {
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in &x {
        for c in 0..2 {
            lo[c] = lo[c].min(p[c]);
            hi[c] = hi[c].max(p[c]);
        }
    }
    let span = (hi[0] - lo[0]).max(hi[1] - lo[1]).max(1e-12);
    let centre = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
    x.into_iter()
        .map(|p| [0.5 + 0.84 * (p[0] - centre[0]) / span, 0.5 + 0.84 * (p[1] - centre[1]) / span])
        .collect()
}

/// The distance between two points of the plane.
fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// The Gaussian-weighted mean of the potentials at every grid point, empty far from the states.
fn interpolate(positions: &[[f64; 2]], potentials: &[f64]) -> Vec<Option<f64>> {
    let mut nearest: Vec<f64> = positions
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            positions
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, &q)| dist(p, q))
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    nearest.sort_by(f64::total_cmp);
    let h = (0.6 * nearest[nearest.len() / 2]).max(0.02);
    let reach = (3.0 * h).max(0.1);
    let (nx, ny) = GRID;
    let mut values = Vec::with_capacity(nx * ny);
    for j in 0..ny {
        for i in 0..nx {
            let at = [i as f64 / (nx - 1) as f64, j as f64 / (ny - 1) as f64];
            let (mut sum, mut weight, mut closest) = (0.0, 0.0, f64::INFINITY);
            for (&p, &v) in positions.iter().zip(potentials) {
                let r = dist(at, p);
                closest = closest.min(r);
                let w = (-0.5 * (r / h).powi(2)).exp();
                sum += w * v;
                weight += w;
            }
            values.push((closest <= reach && weight > 0.0).then(|| sum / weight));
        }
    }
    values
}

/// The contour at `level` of the grid `values`, by marching squares (saddles split by the
/// square's mean); squares with an empty corner are skipped.
fn marching_squares(values: &[Option<f64>], level: f64) -> Vec<[[f64; 2]; 2]> {
    let (nx, ny) = GRID;
    let point = |i: usize, j: usize| [i as f64 / (nx - 1) as f64, j as f64 / (ny - 1) as f64];
    let mut segments = Vec::new();
    for j in 0..ny - 1 {
        for i in 0..nx - 1 {
            // Corners counter-clockwise from the lower left.
            let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
            let Some(v) =
                corners.iter().map(|&(a, b)| values[b * nx + a]).collect::<Option<Vec<f64>>>()
            else {
                continue;
            };
            // Where the level crosses each edge k (from corner k to corner k + 1).
            let crossing = |k: usize| -> Option<[f64; 2]> {
                let (a, b) = (v[k], v[(k + 1) % 4]);
                if (a < level) == (b < level) {
                    return None;
                }
                let t = (level - a) / (b - a);
                let ((pi, pj), (qi, qj)) = (corners[k], corners[(k + 1) % 4]);
                let (p, q) = (point(pi, pj), point(qi, qj));
                Some([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])])
            };
            let cuts: Vec<(usize, [f64; 2])> =
                (0..4).filter_map(|k| crossing(k).map(|p| (k, p))).collect();
            match cuts.len() {
                2 => segments.push([cuts[0].1, cuts[1].1]),
                4 => {
                    // A saddle: pair the edges so that the side the centre lies on stays joined.
                    let centre_low = v.iter().sum::<f64>() / 4.0 < level;
                    let corner_low = v[0] < level;
                    if centre_low == corner_low {
                        segments.push([cuts[0].1, cuts[1].1]);
                        segments.push([cuts[2].1, cuts[3].1]);
                    } else {
                        segments.push([cuts[0].1, cuts[3].1]);
                        segments.push([cuts[1].1, cuts[2].1]);
                    }
                }
                _ => {}
            }
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::Bundled;
    use crate::simulate::Metropolis;
    use crate::{Preset, analyze};

    #[test]
    fn a_ring_is_laid_out_as_a_ring() {
        // Six states on a ring: neighbours nearer than states across the ring, all apart.
        let n = 6;
        let edges: Vec<(usize, usize, f64)> = (0..n).map(|i| (i, (i + 1) % n, 1.0)).collect();
        let d = hop_distances(n, &edges);
        assert_eq!(d[0][3], 3.0);
        let x = normalise(smacof(&d, classical_scaling(&d)));
        for i in 0..n {
            let next = dist(x[i], x[(i + 1) % n]);
            let across = dist(x[i], x[(i + 3) % n]);
            assert!(next > 0.05 && next < 0.8 * across, "{i}: {next} against {across}");
        }
    }

    #[test]
    fn the_surface_passes_near_each_state_and_its_contours_separate_low_from_high() {
        let d = Metropolis::default().run(3, 20_000).dataset;
        let r = analyze(&d, &Preset::BalanceLab.settings(&d).point_estimates()).unwrap();
        let s = surface(&r, 300).unwrap();
        assert_eq!(s.states.len(), s.positions.len());
        assert!(s.states.len() >= 20);
        assert!(s.positions.iter().flatten().all(|c| (0.0..=1.0).contains(c)));
        // The lowest and the highest state: the surface under them is lower under the lowest.
        let at = |p: [f64; 2]| {
            let (nx, ny) = GRID;
            let i = (p[0] * (nx - 1) as f64).round() as usize;
            let j = (p[1] * (ny - 1) as f64).round() as usize;
            s.values[j * nx + i].unwrap()
        };
        let low = (0..s.states.len()).min_by(|&a, &b| s.potentials[a].total_cmp(&s.potentials[b]));
        let high = (0..s.states.len()).max_by(|&a, &b| s.potentials[a].total_cmp(&s.potentials[b]));
        let (low, high) = (low.unwrap(), high.unwrap());
        assert!(at(s.positions[low]) < at(s.positions[high]));
        // Every grid value lies within the states' range, and some contour has segments.
        assert!(
            s.values.iter().flatten().all(|v| *v >= s.range[0] - 1e-9 && *v <= s.range[1] + 1e-9)
        );
        assert!(s.contours.iter().any(|c| !c.segments.is_empty()));
        assert!(s.values.iter().any(Option::is_none), "the surface reaches every corner");
    }

    #[test]
    fn too_few_placed_states_give_no_surface() {
        let d = Bundled::Claude4Word.load();
        let r = analyze(&d, &Preset::PaperText.settings(&d).point_estimates()).unwrap();
        // Claude-4 places three states: the smallest surface there is.
        assert_eq!(surface(&r, 300).map(|s| s.states.len()), Some(3));
        let mut two = r.clone();
        two.states.truncate(2);
        two.transitions.retain(|t| t.source < 2 && t.target < 2);
        assert!(surface(&two, 300).is_none());
    }
}
