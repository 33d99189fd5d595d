//! The loop test (paper Figs. 3, 8).

use balance_core::detailed_balance::LoopResult;
use leptos::prelude::*;
use plotters::prelude::*;

use super::{Area, Drawn, Palette, diagonal_chart, figure, nothing_to_test};
use crate::format;

/// Each triangle's log-probability around the loop one way against the other way, with the
/// error bar of the difference; detailed balance (Kolmogorov's criterion) puts them on `y = x`.
#[component]
pub fn LoopPlot(loops: LoopResult) -> impl IntoView {
    if loops.triples.is_empty() {
        return nothing_to_test(
            "loop-plot",
            "Loop test",
            "Nothing to test: no three states were seen going both ways around a triangle, \
             so no loop can be compared with its reverse.",
        );
    }
    let summary = format!(
        "{} triangles, χ² = {}, χ²/ndf = {}",
        loops.n,
        format::number(loops.chi2, 2),
        loops.chi2_ndf.map_or("–".into(), |c| format::number(c, 3)),
    );
    figure(
        "loop-plot",
        "Loop test",
        "Loop test: log-probability around each triangle forward against backward",
        summary,
        (),
        move |area, palette| draw(area, palette, &loops),
    )
    .into_any()
}

fn draw(root: &Area, palette: &Palette, l: &LoopResult) -> Result<(), String> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for t in &l.triples {
        let s = t.var.sqrt();
        lo = lo.min(t.forward).min(t.backward - s);
        hi = hi.max(t.forward).max(t.backward + s);
    }
    if !(lo.is_finite() && hi.is_finite()) {
        (lo, hi) = (-10.0, 0.0);
    }
    let mut chart = diagonal_chart(
        root,
        palette,
        (lo, hi),
        "Σ log T around f→g→h→f  (forward)",
        "Σ log T around f→h→g→f  (backward)",
    )?;
    chart
        .draw_series(l.triples.iter().map(|t| {
            let s = t.var.sqrt();
            ErrorBar::new_vertical(
                t.forward,
                t.backward - s,
                t.backward,
                t.backward + s,
                palette.blue.filled(),
                6,
            )
        }))
        .drawn()?;
    chart
        .draw_series(
            l.triples
                .iter()
                .map(|t| Circle::new((t.forward, t.backward), 4, palette.blue.filled())),
        )
        .drawn()?;
    Ok(())
}
