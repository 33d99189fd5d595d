//! Lesson 1's figure: the estimate of V(B) − V(A) after each number of samples, with its error
//! band, against the truth. The horizontal axis is logarithmic, so the band's 1/√n narrowing
//! shows as a steady funnel.

use leptos::prelude::*;
use plotters::prelude::*;

use crate::format;
use crate::plots::{Area, Drawn, Palette, VERMILLION, figure, legend, themed};

/// The estimate after `samples` samples, with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Samples so far.
    pub samples: f64,
    /// The estimated V(B) − V(A).
    pub estimate: f64,
    /// Its standard error.
    pub se: f64,
}

/// The figure: `track` gives the points and the truth; it redraws when they change.
pub fn convergence_figure(track: Signal<(Vec<Point>, f64)>) -> impl IntoView {
    figure(
        "l1-convergence",
        "The estimate as samples come in",
        "The estimated potential difference against the number of samples, with its error band \
         and the true difference",
        "Blue: the estimate ± one standard error after each number of samples (log scale). \
         Dashed: the truth."
            .to_owned(),
        (),
        move |area, palette| track.with(|(points, truth)| draw(area, palette, points, *truth)),
    )
}

fn draw(root: &Area, palette: &Palette, points: &[Point], truth: f64) -> Result<(), String> {
    let Some(last) = points.last() else {
        root.draw(&Text::new(
            "Add samples: the token must hop both ways before there is an estimate.",
            (24, 190),
            palette.text(15),
        ))
        .drawn()?;
        return Ok(());
    };
    let first = points[0].samples.max(1.0);
    let right = (last.samples * 1.05).max(first * 2.0);
    let (lo, hi) = points
        .iter()
        .fold((truth, truth), |(lo, hi), p| (lo.min(p.estimate - p.se), hi.max(p.estimate + p.se)));
    let pad = 0.08 * (hi - lo).max(0.5);
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .margin_right(28)
        .x_label_area_size(42)
        .y_label_area_size(56)
        .build_cartesian_2d((first..right).log_scale(), (lo - pad)..(hi + pad))
        .drawn()?;
    themed(&mut chart.configure_mesh(), palette)
        .x_label_formatter(&|x| format::count(*x))
        .x_desc("samples")
        .y_desc("V(B) − V(A)")
        .draw()
        .drawn()?;
    let band: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (p.samples, p.estimate + p.se))
        .chain(points.iter().rev().map(|p| (p.samples, p.estimate - p.se)))
        .collect();
    chart.draw_series(std::iter::once(Polygon::new(band, palette.blue.mix(0.2)))).drawn()?;
    chart
        .draw_series(LineSeries::new(
            points.iter().map(|p| (p.samples, p.estimate)),
            palette.blue.stroke_width(3),
        ))
        .drawn()?
        .label("estimate ± SE")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], palette.blue.stroke_width(3)));
    chart
        .draw_series(DashedLineSeries::new(
            [(first, truth), (right, truth)],
            8,
            6,
            VERMILLION.stroke_width(2),
        ))
        .drawn()?
        .label("truth")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], VERMILLION.stroke_width(2)));
    legend(&mut chart, palette, SeriesLabelPosition::UpperRight)
}
