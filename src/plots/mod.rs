//! Figures drawn on canvas with plotters: what the report says, drawn, never recomputed.
//! Colours are the Okabe-Ito palette (colour-blind safe); a second cue (line style, marker)
//! always doubles the colour.

mod histogram;
mod landscape;
mod levels;
mod loops;
mod oneway;
mod pairwise;

pub use histogram::HistogramPlot;
pub use landscape::LandscapePlot;
pub use levels::LevelDiagram;
pub use loops::LoopPlot;
pub use oneway::OneWayPlot;
pub use pairwise::PairwisePlot;

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use crate::browser;

/// Measured points and downhill transitions (Okabe-Ito blue).
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
/// Reference lines and uphill transitions (Okabe-Ito vermillion).
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Fits and highlights (Okabe-Ito orange).
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
/// Text and levels.
pub const INK: RGBColor = RGBColor(40, 44, 48);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(235, 235, 235);

/// The whole canvas as a plotters drawing area.
pub type Area = DrawingArea<CanvasBackend, Shift>;

/// Turns a plotters error into the message the figure logs.
pub trait Drawn<T> {
    /// The result with the error as text.
    fn drawn(self) -> Result<T, String>;
}

impl<T, E: std::fmt::Display> Drawn<T> for Result<T, E> {
    fn drawn(self) -> Result<T, String> {
        self.map_err(|e| e.to_string())
    }
}

/// Clears `canvas`, lets `draw` paint it, and presents the result.
pub fn paint(
    canvas: web_sys::HtmlCanvasElement,
    draw: impl FnOnce(&Area) -> Result<(), String>,
) -> Result<(), String> {
    let area =
        CanvasBackend::with_canvas_object(canvas).ok_or("no 2D context")?.into_drawing_area();
    area.fill(&WHITE).drawn()?;
    draw(&area)?;
    area.present().drawn()
}

/// Saves a canvas as a PNG file named `name`.
pub fn save_png(canvas: &web_sys::HtmlCanvasElement, name: &str) -> Result<(), String> {
    let url = canvas.to_data_url().map_err(|_| "the browser refused to export the figure")?;
    browser::download_url(name, &url)
}

/// A chart whose axes both span `lo..hi` (padded by 5%), with its mesh, the axis labels and the
/// line `y = x` on which detailed balance puts every point (pairwise, loop and one-way tests).
pub fn diagonal_chart<'a>(
    root: &'a Area,
    (lo, hi): (f64, f64),
    x_desc: &str,
    y_desc: &str,
) -> Result<ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>, String> {
    let pad = 0.05 * (hi - lo).max(1e-9);
    let (lo, hi) = (lo - pad, hi + pad);
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(56)
        .build_cartesian_2d(lo..hi, lo..hi)
        .drawn()?;
    chart.configure_mesh().x_desc(x_desc).y_desc(y_desc).light_line_style(GRID).draw().drawn()?;
    chart.draw_series(LineSeries::new([(lo, lo), (hi, hi)], VERMILLION.stroke_width(2))).drawn()?;
    Ok(chart)
}

/// An arrowhead at `tip`, pointing away from `from` (pixel coordinates).
pub fn arrowhead(from: (i32, i32), tip: (i32, i32), size: f64) -> Vec<(i32, i32)> {
    let (dx, dy) = ((tip.0 - from.0) as f64, (tip.1 - from.1) as f64);
    let len = dx.hypot(dy).max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    let base = (tip.0 as f64 - size * ux, tip.1 as f64 - size * uy);
    let half = 0.45 * size;
    vec![
        tip,
        ((base.0 - half * uy).round() as i32, (base.1 + half * ux).round() as i32),
        ((base.0 + half * uy).round() as i32, (base.1 - half * ux).round() as i32),
    ]
}

/// A figure card: title, a PNG button, a line of statistics, optional content, and the canvas
/// that `draw` paints once mounted.
pub fn figure(
    id: &'static str,
    title: &'static str,
    description: &'static str,
    summary: String,
    extra: impl IntoView + 'static,
    draw: impl Fn(&Area) -> Result<(), String> + 'static,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(element) = canvas.get()
            && let Err(e) = paint(element, &draw)
        {
            error.set(Some(format!("This figure could not be drawn: {e}")));
        }
    });
    let save = move |_| {
        if let Some(element) = canvas.get_untracked()
            && let Err(e) = save_png(&element, &format!("{id}.png"))
        {
            error.set(Some(format!("Export failed: {e}.")));
        }
    };
    view! {
        <div class="card figure" id=format!("{id}-card")>
            <div class="figure-head">
                <h3>{title}</h3>
                <button type="button" class="small" id=format!("{id}-png") on:click=save>
                    "Save PNG"
                </button>
            </div>
            <p class="muted summary" id=format!("{id}-summary")>{summary}</p>
            {extra}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <canvas id=id node_ref=canvas width="640" height="420" role="img" aria-label=description></canvas>
        </div>
    }
}
