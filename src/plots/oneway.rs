//! One-way pairs (paper Fig. 10).

use balance_core::detailed_balance::OneWayPair;
use leptos::prelude::*;
use plotters::prelude::*;

use super::{Area, Drawn, Palette, diagonal_chart, figure, nothing_to_test};

/// For each pair seen one way only (f → g, never g → f), the bound the missing reverse puts on
/// `V(f) − V(g)` against the fitted difference. The bound is a lower one: points on or below
/// `y = x` agree with it.
#[component]
pub fn OneWayPlot(pairs: Vec<OneWayPair>) -> impl IntoView {
    let fitted: Vec<(f64, f64)> =
        pairs.iter().filter_map(|p| p.fitted.map(|x| (x, p.bound))).collect();
    if fitted.is_empty() {
        let why = if pairs.is_empty() {
            "Nothing to test: every pair of states seen one way was also seen the other way."
        } else {
            "Nothing to test: every pair seen one way only involves a state the data cannot \
             place, so no fitted difference can be compared with its bound."
        };
        return nothing_to_test("oneway-plot", "One-way pairs", why);
    }
    let summary = format!(
        "{} one-way pairs; {} within one fitted component are plotted (the others involve an \
         unbounded state). Points on or below y = x agree with the bound.",
        pairs.len(),
        fitted.len()
    );
    figure(
        "oneway-plot",
        "One-way pairs",
        "One-way pairs: lower bound on the potential difference against the fitted difference",
        summary,
        (),
        move |area, palette| draw(area, palette, &fitted),
    )
    .into_any()
}

fn draw(root: &Area, palette: &Palette, points: &[(f64, f64)]) -> Result<(), String> {
    let mut lo: f64 = 0.0;
    let mut hi: f64 = 1.0;
    for &(x, y) in points {
        lo = lo.min(x).min(y);
        hi = hi.max(x).max(y);
    }
    let mut chart = diagonal_chart(
        root,
        palette,
        (lo, hi),
        "βV(f) − βV(g)  (fitted)",
        "lower bound on βV(f) − βV(g)",
    )?;
    chart
        .draw_series(
            points.iter().map(|&(x, y)| TriangleMarker::new((x, y), 5, palette.blue.filled())),
        )
        .drawn()?;
    Ok(())
}
