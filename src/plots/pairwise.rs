//! The pairwise test (paper Figs. 4, 7, 9).

use balance_core::detailed_balance::PairwiseResult;
use leptos::prelude::*;
use plotters::prelude::*;

use super::{Area, Drawn, Palette, diagonal_chart, figure, nothing_to_test};
use crate::format;

/// The measured log ratio of each two-way pair against the fitted potential difference, with
/// error bars on the ratio and the line `y = x` on which detailed balance puts every point.
#[component]
pub fn PairwisePlot(pairwise: PairwiseResult) -> impl IntoView {
    if pairwise.points.is_empty() {
        return nothing_to_test(
            "pairwise-plot",
            "Pairwise test",
            "Nothing to test: no pair of identifiable states was seen in both directions.",
        );
    }
    let summary = format!(
        "N = {}, r = {}, χ²/ndf = {} (paper-compatible {})",
        pairwise.n,
        pairwise.pearson_r.map_or("–".into(), |r| format::number(r, 3)),
        pairwise.chi2_ndf.map_or("–".into(), |c| format::number(c, 3)),
        pairwise.chi2_ndf_paper.map_or("–".into(), |c| format::number(c, 3)),
    );
    figure(
        "pairwise-plot",
        "Pairwise test",
        "Pairwise test: measured log ratio against fitted potential difference",
        summary,
        (),
        move |area, palette| draw(area, palette, &pairwise),
    )
    .into_any()
}

/// Draws the pairwise test.
fn draw(root: &Area, palette: &Palette, p: &PairwiseResult) -> Result<(), String> {
    // A square range holding every point and its error bar, so that y = x is the diagonal.
    let mut lo: f64 = -1.0;
    let mut hi: f64 = 1.0;
    for q in &p.points {
        lo = lo.min(q.x - q.sigma).min(q.y);
        hi = hi.max(q.x + q.sigma).max(q.y);
    }
    let mut chart = diagonal_chart(
        root,
        palette,
        (lo, hi),
        "log T(a→b) / T(b→a)  (measured)",
        "βV(a) − βV(b)  (fitted)",
    )?;
    chart
        .draw_series(p.points.iter().map(|q| {
            ErrorBar::new_horizontal(
                q.y,
                q.x - q.sigma,
                q.x,
                q.x + q.sigma,
                palette.blue.filled(),
                6,
            )
        }))
        .drawn()?;
    chart
        .draw_series(p.points.iter().map(|q| Circle::new((q.x, q.y), 4, palette.blue.filled())))
        .drawn()?;
    Ok(())
}
