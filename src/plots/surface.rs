//! The energy surface: the states laid out in the plane, the potential between them as colour
//! with contour lines, the transitions on top (balance-core's `surface` computes all of it).

use std::sync::Arc;

use balance_core::report::Report;
use balance_core::surface::{GRID, Surface, surface};
use leptos::prelude::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::labels::{Placer, Rect};
use super::{Area, Drawn, Palette, arrowhead, figure, nothing_to_test};
use crate::format;

/// Most states laid out (the most attempted).
const MOST: usize = 150;
/// Most states named (the lowest).
const NAMED: usize = 14;
/// Most transitions drawn (the heaviest pairs).
const EDGES: usize = 250;

/// The viridis colour map (perceptually even, legible in grey, colour-blind safe) in nine stops,
/// dark for low potential.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

/// The colour of `t` in `0..=1` on the map.
fn colour(t: f64) -> RGBColor {
    let x = t.clamp(0.0, 1.0) * (VIRIDIS.len() - 1) as f64;
    let k = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - k as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + f * (f64::from(b) - f64::from(a))).round() as u8;
    let (a, b) = (VIRIDIS[k], VIRIDIS[k + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The figure, or why there is none.
#[component]
pub fn SurfacePlot(report: Arc<Report>) -> impl IntoView {
    let Some(s) = surface(&report, MOST) else {
        return nothing_to_test(
            "surface-plot",
            "Energy surface",
            "Nothing to draw: fewer than three states have a potential in the largest component.",
        );
    };
    let total = report.states.iter().filter(|r| r.component == Some(0)).count();
    let step = (s.range[1] - s.range[0]) / 9.0;
    let summary = format!(
        "{} of the {total} states of the largest component (the most attempted), placed so that \
         states a few transitions apart sit close. Colour: the potential between them (dark is \
         low, from {} to {}); white lines: contours every {}; grey lines: transitions, with an \
         arrow on the more frequent direction. The {NAMED} lowest states are named.",
        s.states.len(),
        format::number(s.range[0], 2),
        format::number(s.range[1], 2),
        format::number(step, 2),
    );
    let labels: Vec<String> = s.states.iter().map(|&k| report.states[k].label.clone()).collect();
    let pairs = heaviest_pairs(&s);
    figure(
        "surface-plot",
        "Energy surface",
        "The states laid out in the plane with the potential as a coloured surface and contours",
        summary,
        (),
        move |area, palette| draw(area, palette, &s, &pairs, &labels),
    )
    .into_any()
}

/// Each pair of states joined by a transition once, from the state it leaves more often (by
/// weight) to the other, heaviest first, at most [`EDGES`].
fn heaviest_pairs(s: &Surface) -> Vec<(usize, usize, f64)> {
    let weight: std::collections::HashMap<(usize, usize), f64> =
        s.edges.iter().map(|&(a, b, w)| ((a, b), w)).collect();
    let mut pairs: Vec<(usize, usize, f64)> = s
        .edges
        .iter()
        .copied()
        .filter(|&(a, b, w)| {
            let back = weight.get(&(b, a)).copied().unwrap_or(0.0);
            w > back || (w == back && a < b)
        })
        .collect();
    pairs.sort_by(|x, y| y.2.total_cmp(&x.2));
    pairs.truncate(EDGES);
    pairs
}

fn draw(
    root: &Area,
    palette: &Palette,
    s: &Surface,
    pairs: &[(usize, usize, f64)],
    labels: &[String],
) -> Result<(), String> {
    let (plot, bar) = root.split_horizontally(570);
    let (w, h) = plot.dim_in_pixel();
    // Keep the layout's proportions: the unit square in the middle of a wider range.
    let side = (f64::from(w) - 24.0) / (f64::from(h) - 24.0);
    let pad = (side - 1.0).max(0.0) / 2.0;
    let mut chart =
        ChartBuilder::on(&plot).margin(12).build_cartesian_2d(-pad..1.0 + pad, 0.0..1.0).drawn()?;
    let span = (s.range[1] - s.range[0]).max(1e-9);
    let tone = |v: f64| colour((v - s.range[0]) / span);
    let (nx, ny) = GRID;
    let (dx, dy) = (0.5 / (nx - 1) as f64, 0.5 / (ny - 1) as f64);
    chart
        .draw_series(s.values.iter().enumerate().filter_map(|(k, v)| {
            let (x, y) = ((k % nx) as f64 * 2.0 * dx, (k / nx) as f64 * 2.0 * dy);
            v.map(|v| Rectangle::new([(x - dx, y - dy), (x + dx, y + dy)], tone(v).filled()))
        }))
        .drawn()?;
    let line = WHITE.mix(0.6).stroke_width(1);
    for c in &s.contours {
        chart
            .draw_series(
                c.segments
                    .iter()
                    .map(|[a, b]| PathElement::new([(a[0], a[1]), (b[0], b[1])], line)),
            )
            .drawn()?;
    }
    let heaviest = pairs.first().map_or(1.0, |p| p.2).max(1e-12);
    let px = |k: usize| chart.backend_coord(&(s.positions[k][0], s.positions[k][1]));
    let grey = RGBColor(200, 200, 200);
    for &(a, b, wt) in pairs {
        let (from, to) = (px(a), px(b));
        let width = (0.6 + 2.4 * (wt / heaviest).sqrt()).round() as u32;
        let style = grey.mix(0.7).stroke_width(width.max(1));
        plot.draw(&PathElement::new([from, to], style)).drawn()?;
        // The head sits short of the target's marker.
        let (ddx, ddy) = (f64::from(to.0 - from.0), f64::from(to.1 - from.1));
        let len = ddx.hypot(ddy);
        if len > 16.0 {
            let tip = (
                (f64::from(to.0) - 6.0 * ddx / len).round() as i32,
                (f64::from(to.1) - 6.0 * ddy / len).round() as i32,
            );
            plot.draw(&Polygon::new(arrowhead(from, tip, 7.0), grey.mix(0.9).filled())).drawn()?;
        }
    }
    let ink = palette.ink;
    for (k, &v) in s.potentials.iter().enumerate() {
        let at = px(k);
        plot.draw(&Circle::new(at, 5, tone(v).filled())).drawn()?;
        plot.draw(&Circle::new(at, 5, ink.stroke_width(1))).drawn()?;
    }
    // Names of the lowest states, where they fit, on a patch of paper.
    let mut order: Vec<usize> = (0..s.states.len()).collect();
    order.sort_by(|&a, &b| s.potentials[a].total_cmp(&s.potentials[b]));
    let bounds = Rect { x0: 2.0, y0: 2.0, x1: f64::from(w) - 2.0, y1: f64::from(h) - 2.0 };
    let markers: Vec<Rect> = (0..s.states.len())
        .map(|k| {
            let (x, y) = px(k);
            Rect {
                x0: f64::from(x) - 5.0,
                y0: f64::from(y) - 5.0,
                x1: f64::from(x) + 5.0,
                y1: f64::from(y) + 5.0,
            }
        })
        .collect();
    let mut placer = Placer::new(bounds, markers, 2.0);
    let font = palette.text(12);
    for &k in order.iter().take(NAMED) {
        let (x, y) = px(k);
        let size = (7.0 * labels[k].chars().count() as f64 + 6.0, 16.0);
        let (x, y) = (f64::from(x), f64::from(y));
        let candidates = [
            Rect::right_of(x + 8.0, y, size),
            Rect::right_of(x - 8.0 - size.0, y, size),
            Rect::standing(x, y - 8.0, size),
            Rect::hanging(x, y + 8.0, size),
        ];
        if let Some(r) = placer.place(candidates) {
            plot.draw(&Rectangle::new(
                [(r.x0 as i32, r.y0 as i32), (r.x1 as i32, r.y1 as i32)],
                palette.paper.mix(0.85).filled(),
            ))
            .drawn()?;
            let centre = (((r.x0 + r.x1) / 2.0) as i32, ((r.y0 + r.y1) / 2.0) as i32);
            let style = font.clone().pos(Pos::new(HPos::Center, VPos::Center));
            plot.draw(&Text::new(labels[k].clone(), centre, style)).drawn()?;
        }
    }
    colour_bar(&bar, palette, s.range)
}

/// The colour map's key: a vertical bar from the lowest potential (bottom) to the highest.
fn colour_bar(area: &Area, palette: &Palette, [lo, hi]: [f64; 2]) -> Result<(), String> {
    let (_, h) = area.dim_in_pixel();
    let (top, bottom) = (30i32, i32::try_from(h).unwrap_or(420) - 30);
    let steps = 60;
    for k in 0..steps {
        let t = k as f64 / (steps - 1) as f64;
        let y0 = bottom - ((bottom - top) as f64 * (k + 1) as f64 / steps as f64).round() as i32;
        let y1 = bottom - ((bottom - top) as f64 * k as f64 / steps as f64).round() as i32;
        area.draw(&Rectangle::new([(8, y0), (24, y1)], colour(t).filled())).drawn()?;
    }
    area.draw(&Rectangle::new([(8, top), (24, bottom)], palette.ink.stroke_width(1))).drawn()?;
    let font = palette.text(12).pos(Pos::new(HPos::Left, VPos::Center));
    for (v, y) in [(hi, top), ((lo + hi) / 2.0, (top + bottom) / 2), (lo, bottom)] {
        area.draw(&Text::new(format::number(v, 1), (28, y), font.clone())).drawn()?;
    }
    area.draw(&Text::new("βV", (8, top - 16), palette.text(13))).drawn()
}
