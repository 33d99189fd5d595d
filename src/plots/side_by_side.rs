//! Compare: every dataset's levels side by side on one axis. With the joint model kept, each
//! dataset's potentials are brought to the first dataset's scale, `(V_k - c_k) / beta_k`, so
//! that one landscape shows as levels at one height; lines join a shared state's levels.

use std::sync::Arc;

use balance_core::compare::Comparison;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::labels::{Placer, Rect};
use super::{Area, Drawn, Palette, figure, themed};

/// Most levels drawn per dataset (the lowest shared states).
const MAX_LEVELS: usize = 12;
/// Width of a label's character at the labels' size, in pixels (an estimate for placing).
const CHAR_WIDTH: f64 = 7.0;

/// A dataset's column: its levels as (state, height).
type Column = Vec<(String, f64)>;

/// The levels of every dataset side by side.
#[component]
pub fn SideBySide(comparison: Arc<Comparison>) -> impl IntoView {
    let k = comparison.datasets.len();
    // Rescaled only by a joint model the test keeps.
    let rescaled = comparison.one_landscape() != Some(false)
        && comparison.datasets.iter().all(|d| d.scale.is_some() && d.offset.is_some());
    // The same states in every column: the lowest shared ones (the states come sorted by joint
    // potential); without shared states, each dataset's own lowest.
    let shared: Vec<&str> = comparison
        .states
        .iter()
        .filter(|s| s.shared)
        .take(MAX_LEVELS)
        .map(|s| s.label.as_str())
        .collect();
    let columns: Vec<Column> = (0..k)
        .map(|i| {
            let d = &comparison.datasets[i];
            let to_joint = |v: f64| match (&d.scale, d.offset) {
                (Some(s), Some(c)) if rescaled && s.value != 0.0 => (v - c) / s.value,
                _ => v,
            };
            let mut column: Column = comparison
                .states
                .iter()
                .filter(|s| shared.is_empty() || shared.contains(&s.label.as_str()))
                .filter_map(|s| {
                    let e = s.estimates.get(i)?.as_ref()?;
                    let v = e.potential.filter(|_| e.component == Some(0))?;
                    Some((s.label.clone(), to_joint(v)))
                })
                .collect();
            column.sort_by(|a, b| a.1.total_cmp(&b.1));
            column.truncate(MAX_LEVELS);
            column
        })
        .collect();
    let names: Vec<String> = comparison.datasets.iter().map(|d| d.name.clone()).collect();
    let summary = if rescaled {
        "Each dataset's potentials brought to the first one's scale, (V − c) / β: one landscape \
         shows as levels at one height."
            .to_owned()
    } else {
        "Each dataset's own potentials (no joint model the test keeps to rescale them by)."
            .to_owned()
    };
    figure(
        "compare-levels",
        "Levels side by side",
        "Level diagrams of the compared datasets side by side on one axis",
        summary,
        (),
        move |area, palette| draw(area, palette, &columns, &names, rescaled),
    )
}

fn draw(
    root: &Area,
    palette: &Palette,
    columns: &[Column],
    names: &[String],
    rescaled: bool,
) -> Result<(), String> {
    let values = columns.iter().flatten().map(|l| l.1);
    let lo = values.clone().fold(f64::INFINITY, f64::min).min(0.0);
    let hi = values.fold(f64::NEG_INFINITY, f64::max).max(lo + 1.0);
    let pad = 0.06 * (hi - lo);
    // Room above the highest level for the columns' names.
    let top = hi + 3.0 * pad;
    let k = columns.len() as f64;
    let mut chart = ChartBuilder::on(root)
        .margin(14)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..k, (lo - pad)..top)
        .drawn()?;
    let y_desc = if rescaled { "V (first dataset's scale)" } else { "V" };
    themed(&mut chart.configure_mesh(), palette)
        .disable_x_mesh()
        .disable_x_axis()
        .y_desc(y_desc)
        .draw()
        .drawn()?;
    let title = palette.text(12).pos(Pos::new(HPos::Left, VPos::Top));
    // Names that do not fit their column keep their start and their end (where runs of one
    // model usually differ: "… temperature 0.5").
    let slot = (chart.backend_coord(&(1.0, top)).0 - chart.backend_coord(&(0.0, top)).0) as f64;
    let fits = ((0.9 * slot / CHAR_WIDTH) as usize).max(9);
    for (i, name) in names.iter().enumerate() {
        let chars: Vec<char> = name.chars().collect();
        let short: String = if chars.len() <= fits {
            name.clone()
        } else {
            let head = (fits - 1) / 3;
            let tail = fits - 1 - head;
            let mut s: String = chars[..head].iter().collect();
            s.push('…');
            s.extend(&chars[chars.len() - tail..]);
            s
        };
        let at = chart.backend_coord(&(i as f64 + 0.05, top));
        root.draw(&Text::new(short, (at.0, at.1 + 2), title.clone())).drawn()?;
    }
    // Lines joining a state's levels in neighbouring columns.
    for i in 1..columns.len() {
        for (label, v) in &columns[i] {
            if let Some((_, u)) = columns[i - 1].iter().find(|(l, _)| l == label) {
                chart
                    .draw_series(LineSeries::new(
                        [(i as f64 - 0.55, *u), (i as f64 + 0.15, *v)],
                        palette.blue.mix(0.5).stroke_width(1),
                    ))
                    .drawn()?;
            }
        }
    }
    let level = palette.ink.stroke_width(3);
    let mut obstacles = Vec::new();
    let mut labels = Vec::new();
    for (i, column) in columns.iter().enumerate() {
        for (label, v) in column {
            let (x0, x1) = (i as f64 + 0.15, i as f64 + 0.45);
            chart.draw_series(LineSeries::new([(x0, *v), (x1, *v)], level)).drawn()?;
            let (px0, py) = chart.backend_coord(&(x0, *v));
            let (px1, _) = chart.backend_coord(&(x1, *v));
            obstacles.push(Rect::right_of(px0 as f64, py as f64, ((px1 - px0) as f64, 4.0)));
            labels.push((label.clone(), px1 as f64 + 4.0, py as f64));
        }
    }
    // Labels to the right of their level, where they fit.
    let (w, h) = root.dim_in_pixel();
    let bounds = Rect { x0: 0.0, y0: 0.0, x1: w as f64, y1: h as f64 };
    let mut placer = Placer::new(bounds, obstacles, 2.0);
    let style = palette.text(12).pos(Pos::new(HPos::Left, VPos::Center));
    for (label, x, y) in labels {
        let text: String = label.chars().take(12).collect();
        let size = (CHAR_WIDTH * text.chars().count() as f64, 14.0);
        let candidates = [0.0, -8.0, 8.0].map(|dy| Rect::right_of(x, y + dy, size));
        if let Some(r) = placer.place(candidates) {
            let at = (r.x0 as i32, ((r.y0 + r.y1) / 2.0) as i32);
            root.draw(&Text::new(text, at, style.clone())).drawn()?;
        }
    }
    Ok(())
}
