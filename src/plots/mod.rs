//! Figures drawn on canvas with plotters: what the report says, drawn, never recomputed.
//! Colours are the Okabe-Ito palette (colour-blind safe); a second cue (line style, marker)
//! always doubles the colour.

mod disconnectivity;
mod histogram;
mod labels;
mod landscape;
mod levels;
mod loops;
mod oneway;
mod pairwise;
mod scale;
mod side_by_side;
mod surface;

pub use disconnectivity::DisconnectivityPlot;
pub use histogram::HistogramPlot;
pub use landscape::LandscapePlot;
pub use levels::LevelDiagram;
pub use loops::LoopPlot;
pub use oneway::OneWayPlot;
pub use pairwise::PairwisePlot;
pub use scale::ScalePlot;
pub use side_by_side::SideBySide;
pub use surface::SurfacePlot;

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use crate::browser;

/// Reference lines and uphill transitions (Okabe-Ito vermillion).
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
/// Fits and highlights (Okabe-Ito orange).
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);

/// The colours that follow the page's theme: a figure's paper, its ink, its grid, and the blue
/// of measured points and downhill transitions (Okabe-Ito blue, sky blue on dark paper).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// The background, the cards' surface colour.
    pub paper: RGBColor,
    /// Text, axes and levels.
    pub ink: RGBColor,
    /// Light grid lines.
    pub grid: RGBColor,
    /// Measured points and downhill transitions.
    pub blue: RGBColor,
}

impl Palette {
    /// Figures on a light page.
    pub const LIGHT: Palette = Palette {
        paper: RGBColor(255, 255, 255),
        ink: RGBColor(40, 44, 48),
        grid: RGBColor(235, 235, 235),
        blue: RGBColor(0, 114, 178),
    };
    /// Figures on a dark page.
    pub const DARK: Palette = Palette {
        paper: RGBColor(29, 35, 40),
        ink: RGBColor(230, 233, 236),
        grid: RGBColor(40, 47, 53),
        blue: RGBColor(86, 180, 233),
    };

    /// Text of `size` px in this palette's ink.
    pub fn text(&self, size: u32) -> TextStyle<'static> {
        TextStyle { color: self.ink.to_backend_color(), ..("sans-serif", size).into_font().into() }
    }
}

/// Whether the page shows its dark theme: provided by the app shell, read by every figure.
#[derive(Debug, Clone, Copy)]
pub struct DarkFigures(pub Signal<bool>);

/// The palette of the page's theme as a tracked getter, for a figure's drawing effect: the
/// figure redraws when the theme changes. Light where the app provides no theme.
pub fn theme_palette() -> impl Fn() -> Palette + Copy + 'static {
    let dark = use_context::<DarkFigures>();
    move || match dark {
        Some(DarkFigures(dark)) if dark.get() => Palette::DARK,
        _ => Palette::LIGHT,
    }
}

/// Styles a chart's mesh in `palette`: axes, tick labels and axis titles in its ink, light
/// lines in its grid colour.
pub fn themed<'m, 'a, 'b, X, Y>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, CanvasBackend>,
    palette: &Palette,
) -> &'m mut MeshStyle<'a, 'b, X, Y, CanvasBackend>
where
    X: Ranged,
    Y: Ranged,
{
    mesh.axis_style(palette.ink)
        .label_style(palette.text(12))
        .axis_desc_style(palette.text(13))
        .bold_line_style(palette.grid.mix(0.9))
        .light_line_style(palette.grid)
}

/// Draws the legend of `chart`'s labelled series at `position`, on a patch of its paper.
pub fn legend<CT: CoordTranslate>(
    chart: &mut ChartContext<'_, CanvasBackend, CT>,
    palette: &Palette,
    position: SeriesLabelPosition,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(palette.paper.mix(0.9))
        .border_style(palette.ink)
        .label_font(palette.text(13))
        .draw()
        .drawn()
}

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

/// Clears `canvas` to the palette's paper, lets `draw` paint it, and presents the result.
pub fn paint(
    canvas: web_sys::HtmlCanvasElement,
    palette: &Palette,
    draw: impl FnOnce(&Area) -> Result<(), String>,
) -> Result<(), String> {
    let area =
        CanvasBackend::with_canvas_object(canvas).ok_or("no 2D context")?.into_drawing_area();
    area.fill(&palette.paper).drawn()?;
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
    palette: &Palette,
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
    themed(&mut chart.configure_mesh(), palette).x_desc(x_desc).y_desc(y_desc).draw().drawn()?;
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

/// The card of a test that has nothing to test on these data: its title and why, instead of an
/// empty chart.
pub fn nothing_to_test(id: &'static str, title: &'static str, why: &'static str) -> AnyView {
    view! {
        <div class="card figure" id=format!("{id}-card")>
            <h3>{title}</h3>
            <p class="muted" id=format!("{id}-empty")>{why}</p>
        </div>
    }
    .into_any()
}

/// A figure card: title, a PNG button, a line of statistics, optional content, and the canvas
/// that `draw` paints once mounted, and again in the new palette when the theme changes.
pub fn figure(
    id: &'static str,
    title: &'static str,
    description: &'static str,
    summary: String,
    extra: impl IntoView + 'static,
    draw: impl Fn(&Area, &Palette) -> Result<(), String> + 'static,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let error = RwSignal::new(None::<String>);
    let palette = theme_palette();
    Effect::new(move |_| {
        let palette = palette();
        if let Some(element) = canvas.get()
            && let Err(e) = paint(element, &palette, |area| draw(area, &palette))
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
