//! One-way pairs (paper Fig. 10).

use balance_core::detailed_balance::OneWayPair;
use leptos::prelude::*;
use plotters::prelude::*;

use super::{Area, BLUE, Drawn, diagonal_chart, figure};

/// For each pair seen one way only (f → g, never g → f), the bound the missing reverse puts on
/// `V(f) − V(g)` against the fitted difference. The bound is a lower one: points on or below
/// `y = x` agree with it.
#[component]
pub fn OneWayPlot(pairs: Vec<OneWayPair>) -> impl IntoView {
    let fitted: Vec<(f64, f64)> =
        pairs.iter().filter_map(|p| p.fitted.map(|x| (x, p.bound))).collect();
    let summary = format!(
        "{} one-way pairs; {} within one fitted component are plotted (the others involve an \
         unbounded state). Points on or below y = x agree with the bound.",
        pairs.len(),
        fitted.len()
    );
    let empty = fitted.is_empty().then(|| {
        view! { <p class="muted">"No one-way pair lies within a fitted component: nothing to plot."</p> }
    });
    figure(
        "oneway-plot",
        "One-way pairs",
        "One-way pairs: lower bound on the potential difference against the fitted difference",
        summary,
        empty,
        move |area| draw(area, &fitted),
    )
}

fn draw(root: &Area, points: &[(f64, f64)]) -> Result<(), String> {
    let mut lo: f64 = 0.0;
    let mut hi: f64 = 1.0;
    for &(x, y) in points {
        lo = lo.min(x).min(y);
        hi = hi.max(x).max(y);
    }
    let mut chart =
        diagonal_chart(root, (lo, hi), "βV(f) − βV(g)  (fitted)", "lower bound on βV(f) − βV(g)")?;
    chart
        .draw_series(points.iter().map(|&(x, y)| TriangleMarker::new((x, y), 5, BLUE.filled())))
        .drawn()?;
    Ok(())
}
