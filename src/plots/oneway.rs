//! One-way pairs (paper Fig. 10).

use balance_core::detailed_balance::OneWayPair;
use leptos::prelude::*;
use plotters::prelude::*;

use super::{Area, BLUE, Drawn, GRID, VERMILLION, figure};

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
    let pad = 0.05 * (hi - lo);
    let (lo, hi) = (lo - pad, hi + pad);
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(56)
        .build_cartesian_2d(lo..hi, lo..hi)
        .drawn()?;
    chart
        .configure_mesh()
        .x_desc("βV(f) − βV(g)  (fitted)")
        .y_desc("lower bound on βV(f) − βV(g)")
        .light_line_style(GRID)
        .draw()
        .drawn()?;
    chart.draw_series(LineSeries::new([(lo, lo), (hi, hi)], VERMILLION.stroke_width(2))).drawn()?;
    chart
        .draw_series(points.iter().map(|&(x, y)| TriangleMarker::new((x, y), 5, BLUE.filled())))
        .drawn()?;
    Ok(())
}
