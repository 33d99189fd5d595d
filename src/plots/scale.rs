//! Compare: one dataset's potentials against another's over their shared states, with error
//! bars both ways and the line the joint model draws through them.

use std::sync::Arc;

use balance_core::compare::Comparison;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Area, Drawn, ORANGE, Palette, figure, nothing_to_test, themed};
use crate::format;

/// A shared state's point: label, x and y potentials, and their standard errors.
struct Point {
    label: String,
    x: f64,
    y: f64,
    sx: f64,
    sy: f64,
}

/// The potentials of dataset `b` against those of dataset `a` over the states both place, and
/// the line `V_b = (beta_b / beta_a) (V_a - c_a) + c_b` of the joint model.
#[component]
pub fn ScalePlot(comparison: Arc<Comparison>, a: usize, b: usize) -> impl IntoView {
    let points: Vec<Point> = comparison
        .states
        .iter()
        .filter(|s| s.shared)
        .filter_map(|s| {
            let (ea, eb) = (s.estimates.get(a)?.as_ref()?, s.estimates.get(b)?.as_ref()?);
            if ea.component != Some(0) || eb.component != Some(0) {
                return None;
            }
            Some(Point {
                label: s.label.clone(),
                x: ea.potential?,
                y: eb.potential?,
                sx: ea.se.unwrap_or(0.0),
                sy: eb.se.unwrap_or(0.0),
            })
        })
        .collect();
    let (da, db) = (&comparison.datasets[a], &comparison.datasets[b]);
    if points.len() < 2 {
        return nothing_to_test(
            "compare-scatter",
            "Potentials against each other",
            "Nothing to draw: these two datasets place fewer than two states in common.",
        );
    }
    // The joint model's line, unless the test rejects it (its scales then describe nothing).
    let kept = comparison.one_landscape() != Some(false);
    let line = match (&da.scale, &db.scale, da.offset, db.offset) {
        (Some(sa), Some(sb), Some(ca), Some(cb)) if kept && sa.value != 0.0 => {
            Some((sb.value / sa.value, ca, cb))
        }
        _ => None,
    };
    let summary = match line {
        Some((slope, _, _)) => format!(
            "{} shared states; the joint model's line has slope β ratio {}.",
            points.len(),
            format::number(slope, 3)
        ),
        None if !kept => format!(
            "{} shared states; no line: the test rejects one landscape for them.",
            points.len()
        ),
        None => format!("{} shared states.", points.len()),
    };
    let (x_desc, y_desc) = (format!("V in {}", da.name), format!("V in {}", db.name));
    figure(
        "compare-scatter",
        "Potentials against each other",
        "Scatter of the shared states' potentials in two datasets, with the joint model's line",
        summary,
        (),
        move |area, palette| draw(area, palette, &points, line, &x_desc, &y_desc),
    )
    .into_any()
}

fn draw(
    root: &Area,
    palette: &Palette,
    points: &[Point],
    line: Option<(f64, f64, f64)>,
    x_desc: &str,
    y_desc: &str,
) -> Result<(), String> {
    let span = |lo: f64, hi: f64| {
        let pad = 0.08 * (hi - lo).max(0.5);
        (lo - pad)..(hi + pad)
    };
    let x0 = points.iter().map(|p| p.x - p.sx).fold(f64::INFINITY, f64::min);
    let x1 = points.iter().map(|p| p.x + p.sx).fold(f64::NEG_INFINITY, f64::max);
    let y0 = points.iter().map(|p| p.y - p.sy).fold(f64::INFINITY, f64::min);
    let y1 = points.iter().map(|p| p.y + p.sy).fold(f64::NEG_INFINITY, f64::max);
    let (xs, ys) = (span(x0, x1), span(y0, y1));
    let mut chart = ChartBuilder::on(root)
        .margin(14)
        .x_label_area_size(42)
        .y_label_area_size(56)
        .build_cartesian_2d(xs.clone(), ys)
        .drawn()?;
    themed(&mut chart.configure_mesh(), palette).x_desc(x_desc).y_desc(y_desc).draw().drawn()?;
    if let Some((slope, ca, cb)) = line {
        let at = |x: f64| slope * (x - ca) + cb;
        chart
            .draw_series(LineSeries::new(
                [(xs.start, at(xs.start)), (xs.end, at(xs.end))],
                ORANGE.stroke_width(3),
            ))
            .drawn()?;
    }
    let bar = palette.blue.stroke_width(1);
    chart
        .draw_series(
            points.iter().map(|p| ErrorBar::new_vertical(p.x, p.y - p.sy, p.y, p.y + p.sy, bar, 6)),
        )
        .drawn()?;
    chart
        .draw_series(
            points
                .iter()
                .map(|p| ErrorBar::new_horizontal(p.y, p.x - p.sx, p.x, p.x + p.sx, bar, 6)),
        )
        .drawn()?;
    chart
        .draw_series(points.iter().map(|p| Circle::new((p.x, p.y), 4, palette.blue.filled())))
        .drawn()?;
    // Names beside the points, when few enough to read.
    if points.len() <= 12 {
        let style = palette.text(12).pos(Pos::new(HPos::Left, VPos::Bottom));
        chart
            .draw_series(points.iter().map(|p| {
                Text::new(p.label.chars().take(14).collect::<String>(), (p.x, p.y), style.clone())
            }))
            .drawn()?;
    }
    Ok(())
}
