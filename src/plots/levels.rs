//! The level diagram (paper Figs. 2 and 6).

use balance_core::potential::BoundKind;
use balance_core::report::Report;
use leptos::prelude::*;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Area, BLUE, Drawn, GRID, INK, VERMILLION, arrowhead, figure};
use crate::format;

/// Most states drawn as levels (the most attempted ones).
const MAX_LEVELS: usize = 10;
/// Longest state label drawn in full (longer ones are shortened with an ellipsis).
const MAX_LABEL: usize = 14;
/// Most arrows drawn (the largest T), and how many of them carry a label.
const MAX_ARROWS: usize = 60;
const MAX_LABELS: usize = 16;

/// A state drawn as a level.
struct Level {
    label: String,
    /// Its potential, or the bound of an unbounded state.
    value: f64,
    /// Where it is drawn: 0 at its potential, 1 above the upper break (V runs to +infinity),
    /// -1 below the lower break (V runs to -infinity).
    side: i8,
    bound_text: String,
}

/// States as horizontal levels at their potential, arrows between them with width and label
/// from `T`, unbounded states above a broken axis, marked with their bound.
#[component]
pub fn LevelDiagram(report: Report) -> impl IntoView {
    // The most attempted states of the largest component, and the unbounded ones with a bound.
    let mut chosen: Vec<usize> = (0..report.states.len())
        .filter(|&i| {
            let s = &report.states[i];
            (s.potential.is_some() && s.component == Some(0))
                || (s.potential.is_none() && s.potential_bound.is_some())
        })
        .collect();
    let candidates = chosen.len();
    chosen.sort_by(|&a, &b| report.states[b].attempts.total_cmp(&report.states[a].attempts));
    chosen.truncate(MAX_LEVELS);
    let levels: Vec<Level> = chosen
        .iter()
        .map(|&i| {
            let s = &report.states[i];
            match (s.potential, s.potential_bound) {
                (Some(v), _) => {
                    Level { label: s.label.clone(), value: v, side: 0, bound_text: String::new() }
                }
                (None, b) => {
                    let b = b.expect("chosen states have a potential or a bound");
                    let lower = b.kind == BoundKind::Lower;
                    let sign = if lower { "≥" } else { "≤" };
                    Level {
                        label: s.label.clone(),
                        value: b.value,
                        side: if lower { 1 } else { -1 },
                        bound_text: format!("V {sign} {}", format::number(b.value, 2)),
                    }
                }
            }
        })
        .collect();
    let mut arrows: Vec<(usize, usize, f64)> = report
        .transitions
        .iter()
        .filter(|t| t.source != t.target && t.weight > 0.0)
        .filter_map(|t| {
            let a = chosen.iter().position(|&c| c == t.source)?;
            let b = chosen.iter().position(|&c| c == t.target)?;
            Some((a, b, t.weight))
        })
        .collect();
    arrows.sort_by(|x, y| y.2.total_cmp(&x.2));
    arrows.truncate(MAX_ARROWS);
    let summary = format!(
        "{} of {} placeable states (the most attempted), {} arrows; width and label give T. \
         Blue solid arrows go down, vermillion dashed ones go up.",
        levels.len(),
        candidates,
        arrows.len()
    );
    figure(
        "level-diagram",
        "Level diagram",
        "Level diagram: states at their potential with transition arrows",
        summary,
        (),
        move |area| draw(area, &levels, &arrows),
    )
}

/// Centred text of `size` px, standing on its point (`up`) or hanging from it.
fn label_style(colour: &'static RGBColor, size: u32, up: bool) -> TextStyle<'static> {
    let v = if up { VPos::Bottom } else { VPos::Top };
    TextStyle::from(("sans-serif", size).into_font()).color(colour).pos(Pos::new(HPos::Center, v))
}

/// A label cut to [`MAX_LABEL`] characters.
fn short(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL {
        label.to_owned()
    } else {
        label.chars().take(MAX_LABEL - 1).chain(['…']).collect()
    }
}

fn draw(root: &Area, levels: &[Level], arrows: &[(usize, usize, f64)]) -> Result<(), String> {
    // Columns ordered from low to high: below the break, by V, above the break.
    let mut order: Vec<usize> = (0..levels.len()).collect();
    order.sort_by(|&a, &b| {
        levels[a].side.cmp(&levels[b].side).then(levels[a].value.total_cmp(&levels[b].value))
    });
    let mut column = vec![0usize; levels.len()];
    for (c, &i) in order.iter().enumerate() {
        column[i] = c;
    }
    let placed = levels.iter().filter(|l| l.side == 0).map(|l| l.value);
    let low = placed.clone().fold(0.0f64, f64::min);
    let high = placed.fold(0.0f64, f64::max);
    let span = (high - low).max(1.0);
    // Unbounded states sit beyond a break in the axis, above or below.
    let above = levels.iter().any(|l| l.side > 0);
    let below = levels.iter().any(|l| l.side < 0);
    let (cut_high, cut_low) = (high + 0.12 * span, low - 0.12 * span);
    let y_of = |l: &Level| match l.side {
        0 => l.value,
        s if s > 0 => high + 0.25 * span,
        _ => low - 0.25 * span,
    };
    let top = if above { high + 0.35 * span } else { high + 0.1 * span };
    let bottom = if below { low - 0.35 * span } else { low - 0.08 * span };
    let columns = levels.len().max(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .margin(14)
        .y_label_area_size(52)
        .build_cartesian_2d(0.0..columns, bottom..top)
        .drawn()?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .disable_x_axis()
        .y_desc("βV")
        .y_label_formatter(&|y| {
            if *y > cut_high || *y < cut_low { String::new() } else { format!("{y:.1}") }
        })
        .light_line_style(GRID)
        .draw()
        .drawn()?;

    // Arrows first, levels on top. Opposite directions are drawn side by side.
    let centre = |i: usize| column[i] as f64 + 0.5;
    for (k, &(a, b, t)) in arrows.iter().enumerate() {
        let side = if column[a] < column[b] { 0.12 } else { -0.12 };
        let from = chart.backend_coord(&(centre(a) + side, y_of(&levels[a])));
        let to = chart.backend_coord(&(centre(b) + side, y_of(&levels[b])));
        let down = y_of(&levels[b]) < y_of(&levels[a]);
        let colour = if down { BLUE } else { VERMILLION };
        let width = (1.0 + 4.0 * t.sqrt()).round() as u32;
        let style = colour.mix(0.8).stroke_width(width);
        if down {
            root.draw(&PathElement::new(vec![from, to], style)).drawn()?;
        } else {
            root.draw(&DashedPathElement::new(vec![from, to], 8, 5, style)).drawn()?;
        }
        root.draw(&Polygon::new(arrowhead(from, to, 10.0 + width as f64), colour.filled()))
            .drawn()?;
        if k < MAX_LABELS {
            let at = (from.0 + (to.0 - from.0) * 2 / 5 + 4, from.1 + (to.1 - from.1) * 2 / 5);
            let text = TextStyle::from(("sans-serif", 12).into_font()).color(&colour);
            root.draw(&Text::new(format::number(t, 3), at, text)).drawn()?;
        }
    }
    // Labels alternate above and below their level so that neighbours do not collide; the
    // bound of an unbounded state goes on the other side.
    for (i, l) in levels.iter().enumerate() {
        let y = y_of(l);
        let left = chart.backend_coord(&(column[i] as f64 + 0.12, y));
        let right = chart.backend_coord(&(column[i] as f64 + 0.88, y));
        root.draw(&PathElement::new(vec![left, right], INK.stroke_width(3))).drawn()?;
        let up = column[i].is_multiple_of(2);
        let (x, offset) = ((left.0 + right.0) / 2, if up { -4 } else { 5 });
        root.draw(&Text::new(short(&l.label), (x, left.1 + offset), label_style(&INK, 13, up)))
            .drawn()?;
        if l.side != 0 {
            let at = (x, left.1 - offset);
            root.draw(&Text::new(l.bound_text.clone(), at, label_style(&VERMILLION, 12, !up)))
                .drawn()?;
        }
    }
    for (present, cut) in [(above, cut_high), (below, cut_low)] {
        if present {
            // The break: a zigzag across the axis, and a dotted line across the plot.
            let (x0, y0) = chart.backend_coord(&(0.0, cut));
            let (x1, _) = chart.backend_coord(&(columns, cut));
            let zig: Vec<(i32, i32)> =
                (0..5).map(|k| (x0 - 8 + 4 * k, y0 + if k % 2 == 0 { -4 } else { 4 })).collect();
            root.draw(&PathElement::new(zig, INK.stroke_width(2))).drawn()?;
            let dotted = INK.mix(0.5).stroke_width(1);
            root.draw(&DashedPathElement::new(vec![(x0, y0), (x1, y0)], 3, 4, dotted)).drawn()?;
            let note = TextStyle::from(("sans-serif", 12).into_font()).color(&INK);
            let text = "beyond the break: unbounded, only a bound is known";
            root.draw(&Text::new(text, (x0 + 6, y0 + 4), note)).drawn()?;
        }
    }
    Ok(())
}
