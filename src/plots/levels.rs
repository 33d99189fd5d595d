//! The level diagram (paper Figs. 2 and 6).

use balance_core::potential::BoundKind;
use std::sync::Arc;

use balance_core::report::Report;
use leptos::prelude::*;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::labels::{Placer, Rect};
use super::{Area, Drawn, Palette, VERMILLION, arrowhead, figure, themed};
use crate::format;

/// Most states drawn as levels (the most attempted ones).
const MAX_LEVELS: usize = 10;
/// Longest state label drawn in full (longer ones are shortened with an ellipsis).
const MAX_LABEL: usize = 14;
/// Most arrows drawn (the largest T), and how many of them carry a label.
const MAX_ARROWS: usize = 60;
const MAX_LABELS: usize = 16;
/// How far out a state label may be stacked (in label heights) to find a free place.
const STACK: usize = 5;
/// Least room between two labels, in canvas pixels.
const LABEL_GAP: f64 = 4.0;

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
pub fn LevelDiagram(report: Arc<Report>) -> impl IntoView {
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
    let beyond = if levels.iter().any(|l| l.side != 0) {
        " Beyond the broken axis: states whose potential is unbounded, with the bound the data \
         give (V ≥ or ≤)."
    } else {
        ""
    };
    let summary = format!(
        "{} of {} placeable states (the most attempted), {} arrows; width and label give T. \
         Blue solid arrows go down, vermillion dashed ones go up.{beyond}",
        levels.len(),
        candidates,
        arrows.len()
    );
    let placed = RwSignal::new(Placed::default());
    let note = move || {
        let hidden = placed.with(|p| p.hidden);
        (hidden > 0).then(|| {
            view! {
                <p class="muted" id="level-diagram-hidden">
                    {format!(
                        "{hidden} label(s) left out where they would cover another; Analyse's \
                         transitions table lists every T."
                    )}
                </p>
            }
        })
    };
    // Where the labels landed, in canvas pixels: what a reader cannot measure by eye, checked
    // by the end-to-end tests.
    let boxes = move || {
        placed.with(|p| {
            let boxes: Vec<String> = p
                .boxes
                .iter()
                .map(|r| format!("[{:.1},{:.1},{:.1},{:.1}]", r.x0, r.y0, r.x1, r.y1))
                .collect();
            format!("[{}]", boxes.join(","))
        })
    };
    let extra = view! {
        {note}
        <div hidden id="level-diagram-labels" data-boxes=boxes></div>
    };
    figure(
        "level-diagram",
        "Level diagram",
        "Level diagram: states at their potential with transition arrows",
        summary,
        extra,
        move |area, palette| {
            let drawn = draw(area, palette, &levels, &arrows)?;
            placed.set(drawn);
            Ok(())
        },
    )
}

/// Where the diagram's labels went, and how many found no free place.
#[derive(Debug, Clone, Default, PartialEq)]
struct Placed {
    boxes: Vec<Rect>,
    hidden: usize,
}

/// Text of `size` px anchored at its top-left corner.
fn label_style(colour: &RGBColor, size: u32) -> TextStyle<'static> {
    TextStyle {
        color: colour.to_backend_color(),
        pos: Pos::new(HPos::Left, VPos::Top),
        ..("sans-serif", size).into_font().into()
    }
}

/// A label cut to [`MAX_LABEL`] characters.
fn short(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL {
        label.to_owned()
    } else {
        label.chars().take(MAX_LABEL - 1).chain(['…']).collect()
    }
}

fn draw(
    root: &Area,
    palette: &Palette,
    levels: &[Level],
    arrows: &[(usize, usize, f64)],
) -> Result<Placed, String> {
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
    // The axis spans the levels drawn (0 when none is placed).
    let low = placed.clone().fold(f64::INFINITY, f64::min);
    let high = placed.fold(f64::NEG_INFINITY, f64::max);
    let (low, high) = if low <= high { (low, high) } else { (0.0, 0.0) };
    let span = (high - low).max(1.0);
    // Unbounded states sit beyond a break in the axis, above or below.
    let above = levels.iter().any(|l| l.side > 0);
    let below = levels.iter().any(|l| l.side < 0);
    let (cut_high, cut_low) = (high + 0.12 * span, low - 0.12 * span);
    // Beyond a break, room for two rows of labels on each side of the levels.
    let y_of = |l: &Level| match l.side {
        0 => l.value,
        s if s > 0 => high + 0.3 * span,
        _ => low - 0.3 * span,
    };
    let top = if above { high + 0.5 * span } else { high + 0.16 * span };
    let bottom = if below { low - 0.5 * span } else { low - 0.12 * span };
    let columns = levels.len().max(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .margin(14)
        .y_label_area_size(52)
        .build_cartesian_2d(0.0..columns, bottom..top)
        .drawn()?;
    themed(&mut chart.configure_mesh(), palette)
        .disable_x_mesh()
        .disable_x_axis()
        .y_desc("βV")
        .y_label_formatter(&|y| {
            if *y > cut_high || *y < cut_low { String::new() } else { format!("{y:.1}") }
        })
        .draw()
        .drawn()?;
    let (px, py) = chart.plotting_area().get_pixel_range();
    let bounds =
        Rect { x0: px.start.into(), y0: py.start.into(), x1: px.end.into(), y1: py.end.into() };
    let ends = |i: usize| {
        let y = y_of(&levels[i]);
        let left = chart.backend_coord(&(column[i] as f64 + 0.12, y));
        let right = chart.backend_coord(&(column[i] as f64 + 0.88, y));
        (left, right)
    };
    // No label may cover a level.
    let bars: Vec<Rect> = (0..levels.len())
        .map(|i| {
            let (l, r) = ends(i);
            let y = f64::from(l.1);
            Rect { x0: l.0.into(), y0: y - 1.5, x1: r.0.into(), y1: y + 1.5 }
        })
        .collect();
    let mut placer = Placer::new(bounds, bars, LABEL_GAP);
    let mut wanted = 0;
    let mut texts: Vec<(String, Rect, RGBColor, u32)> = Vec::new();
    let size_of = |text: &str, px: u32| -> Result<(f64, f64), String> {
        let (w, h) = root.estimate_text_size(text, &label_style(&palette.ink, px)).drawn()?;
        Ok((f64::from(w) + 2.0, f64::from(h.max(px)) + 2.0))
    };

    for (present, cut) in [(above, cut_high), (below, cut_low)] {
        if present {
            // The break: a zigzag across the axis, and a dotted line across the plot.
            let (x0, y0) = chart.backend_coord(&(0.0, cut));
            let (x1, _) = chart.backend_coord(&(columns, cut));
            let zig: Vec<(i32, i32)> =
                (0..5).map(|k| (x0 - 8 + 4 * k, y0 + if k % 2 == 0 { -4 } else { 4 })).collect();
            root.draw(&PathElement::new(zig, palette.ink.stroke_width(2))).drawn()?;
            let dotted = palette.ink.mix(0.5).stroke_width(1);
            root.draw(&DashedPathElement::new(vec![(x0, y0), (x1, y0)], 3, 4, dotted)).drawn()?;
        }
    }

    // Arrows first, levels on top. Opposite directions are drawn side by side.
    let centre = |i: usize| column[i] as f64 + 0.5;
    let mut arrow_labels = Vec::new();
    for (k, &(a, b, t)) in arrows.iter().enumerate() {
        let side = if column[a] < column[b] { 0.12 } else { -0.12 };
        let from = chart.backend_coord(&(centre(a) + side, y_of(&levels[a])));
        let to = chart.backend_coord(&(centre(b) + side, y_of(&levels[b])));
        let down = y_of(&levels[b]) < y_of(&levels[a]);
        let colour = if down { palette.blue } else { VERMILLION };
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
            arrow_labels.push((from, to, format::number(t, 3), colour));
        }
    }
    for i in 0..levels.len() {
        let (left, right) = ends(i);
        root.draw(&PathElement::new(vec![left, right], palette.ink.stroke_width(3))).drawn()?;
    }

    // State names in column order, each above or below its level (alternating, so that
    // neighbours start apart), stacked further out where the near places are taken; then the
    // bounds of unbounded states, which give way to names.
    let mut requests: Vec<(usize, String, RGBColor, u32)> =
        order.iter().map(|&i| (i, short(&levels[i].label), palette.ink, 13)).collect();
    requests.extend(
        order
            .iter()
            .filter(|&&i| levels[i].side != 0)
            .map(|&i| (i, levels[i].bound_text.clone(), VERMILLION, 12)),
    );
    for (i, text, colour, px) in requests {
        let (left, right) = ends(i);
        let (x, y) = (f64::from(left.0 + right.0) / 2.0, f64::from(left.1));
        let first_up = column[i].is_multiple_of(2);
        let size = size_of(&text, px)?;
        // Nearest first: beside the level, then half a label to either side, then a row out.
        let spots = (0..STACK).flat_map(|k| {
            let step = k as f64 * (size.1 + LABEL_GAP);
            [0.0, -0.5, 0.5].into_iter().flat_map(move |shift| {
                let cx = x + shift * size.0;
                let up = Rect::standing(cx, y - 3.0 - step, size);
                let down = Rect::hanging(cx, y + 3.0 + step, size);
                if first_up { [up, down] } else { [down, up] }
            })
        });
        wanted += 1;
        if let Some(at) = placer.place(spots) {
            // A label pushed away from its level gets a thin line back to it.
            let (cx, cy) = ((at.x0 + at.x1) / 2.0, (at.y0 + at.y1) / 2.0);
            if (cy - y).abs() > size.1 + 6.0 || (cx - x).abs() > 1.0 {
                let edge = if cy < y { at.y1 } else { at.y0 };
                let leader = vec![(cx.round() as i32, edge.round() as i32), (x as i32, y as i32)];
                root.draw(&PathElement::new(leader, palette.ink.mix(0.35).stroke_width(1)))
                    .drawn()?;
            }
            texts.push((text, at, colour, px));
        }
    }
    // Arrow labels beside their arrow, near its head, where arrows leaving one state have
    // spread apart, or wherever else along it is free.
    for (from, to, text, colour) in arrow_labels {
        let size = size_of(&text, 12)?;
        let point = |f: f64| {
            let x = f64::from(from.0) + f * f64::from(to.0 - from.0);
            (x, f64::from(from.1) + f * f64::from(to.1 - from.1))
        };
        let spots = [0.72, 0.62, 0.82, 0.52, 0.42, 0.32].into_iter().flat_map(|f| {
            let (x, y) = point(f);
            [Rect::right_of(x + 4.0, y, size), Rect::right_of(x - 4.0 - size.0, y, size)]
        });
        wanted += 1;
        if let Some(at) = placer.place(spots) {
            texts.push((text, at, colour, 12));
        }
    }
    for (text, at, colour, px) in &texts {
        // On a patch of paper, so lines under a label do not cross its text.
        let patch = [
            (at.x0.round() as i32, at.y0.round() as i32),
            (at.x1.round() as i32, at.y1.round() as i32),
        ];
        root.draw(&Rectangle::new(patch, palette.paper.mix(0.85).filled())).drawn()?;
        let corner = ((at.x0 + 1.0).round() as i32, (at.y0 + 1.0).round() as i32);
        root.draw(&Text::new(text.clone(), corner, label_style(colour, *px))).drawn()?;
    }
    Ok(Placed { boxes: placer.labels().to_vec(), hidden: wanted - texts.len() })
}
