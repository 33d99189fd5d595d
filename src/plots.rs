//! Figures drawn on canvas with plotters: what the report says, drawn, never recomputed.

use balance_core::detailed_balance::PairwiseResult;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

/// Colour of measured points (Okabe-Ito blue, colour-blind safe).
const POINTS: RGBColor = RGBColor(0, 114, 178);
/// Colour of the detailed-balance line (Okabe-Ito vermillion).
const BALANCE: RGBColor = RGBColor(213, 94, 0);

/// The pairwise test (paper Figs. 4, 7, 9): the measured log ratio of each two-way pair against
/// the fitted potential difference, with error bars on the ratio and the line `y = x` on which
/// detailed balance puts every point.
#[component]
pub fn PairwisePlot(pairwise: PairwiseResult) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let empty = pairwise.points.is_empty();
    let summary = format!(
        "N = {}, r = {}, χ²/ndf = {} (paper-compatible {})",
        pairwise.n,
        pairwise.pearson_r.map_or("–".into(), |r| format!("{r:.3}")),
        pairwise.chi2_ndf.map_or("–".into(), |c| format!("{c:.3}")),
        pairwise.chi2_ndf_paper.map_or("–".into(), |c| format!("{c:.3}")),
    );
    Effect::new(move |_| {
        if let Some(element) = canvas.get()
            && let Err(e) = draw_pairwise(element, &pairwise)
        {
            leptos::logging::warn!("the pairwise plot could not be drawn: {e}");
        }
    });
    view! {
        <div class="card">
            <h3>"Pairwise test"</h3>
            <p class="muted" id="pairwise-summary">{summary}</p>
            {empty
                .then(|| {
                    view! {
                        <p class="muted">
                            "No pair of identifiable states was seen in both directions: nothing to plot."
                        </p>
                    }
                })}
            <canvas
                id="pairwise-plot"
                node_ref=canvas
                width="640"
                height="420"
                role="img"
                aria-label="Pairwise test: measured log ratio against fitted potential difference"
            ></canvas>
        </div>
    }
}

/// Draws the pairwise test on `canvas`.
fn draw_pairwise(canvas: web_sys::HtmlCanvasElement, p: &PairwiseResult) -> Result<(), String> {
    let backend = CanvasBackend::with_canvas_object(canvas).ok_or("no 2D context")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    // A square range holding every point and its error bar, so that y = x is the diagonal.
    let mut lo: f64 = -1.0;
    let mut hi: f64 = 1.0;
    for q in &p.points {
        lo = lo.min(q.x - q.sigma).min(q.y);
        hi = hi.max(q.x + q.sigma).max(q.y);
    }
    let pad = 0.05 * (hi - lo);
    let (lo, hi) = (lo - pad, hi + pad);
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(56)
        .build_cartesian_2d(lo..hi, lo..hi)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("log T(a→b) / T(b→a)  (measured)")
        .y_desc("V(a) − V(b)  (fitted)")
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(LineSeries::new([(lo, lo), (hi, hi)], BALANCE.stroke_width(2)))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(p.points.iter().map(|q| {
            ErrorBar::new_horizontal(q.y, q.x - q.sigma, q.x, q.x + q.sigma, POINTS.filled(), 6)
        }))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(p.points.iter().map(|q| Circle::new((q.x, q.y), 4, POINTS.filled())))
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}
