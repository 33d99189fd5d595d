//! The disconnectivity graph: the landscape's wells and the barriers between them, as a tree.

use std::sync::Arc;

use balance_core::disconnectivity::{Tree, of_report};
use balance_core::report::Report;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::labels::{Placer, Rect};
use super::{Area, Drawn, Palette, figure, nothing_to_test, themed};

/// Most leaves named (beyond this the tree is drawn without names).
const MAX_NAMED: usize = 40;

/// Each local minimum of the largest component as a line rising from its potential to the
/// barrier where its basin meets another, up to the root where all meet.
#[component]
pub fn DisconnectivityPlot(report: Arc<Report>) -> impl IntoView {
    let Some(tree) = of_report(&report) else {
        return nothing_to_test(
            "disconnectivity-plot",
            "Disconnectivity graph",
            "Nothing to draw: no two placed states are joined by a transition, so no barrier \
             between them is known.",
        );
    };
    let placed = report.states.iter().filter(|s| s.component == Some(0)).count();
    let summary = format!(
        "{} local minima of the {placed} states of the largest component. Two basins meet at \
         the lowest barrier between them, V(i) − ln T(i→j)/β (the same both ways under \
         detailed balance; the mean of the two where both are seen). Deeper basins stand to \
         the left.",
        tree.leaves
    );
    let labels: Vec<String> = report.states.iter().map(|s| s.label.clone()).collect();
    figure(
        "disconnectivity-plot",
        "Disconnectivity graph",
        "Disconnectivity graph: the local minima and the barriers that separate them",
        summary,
        (),
        move |area, palette| draw(area, palette, &tree, &labels),
    )
    .into_any()
}

fn draw(root: &Area, palette: &Palette, tree: &Tree, labels: &[String]) -> Result<(), String> {
    let low = tree.nodes.iter().map(|n| n.height).fold(f64::INFINITY, f64::min);
    let top = tree.root().height;
    let pad = 0.08 * (top - low).max(0.5);
    let named = tree.leaves <= MAX_NAMED;
    let width = tree.leaves.max(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .margin(14)
        .x_label_area_size(if named { 70 } else { 10 })
        .y_label_area_size(56)
        .build_cartesian_2d(-0.5..width - 0.5, low - pad..top + pad)
        .drawn()?;
    themed(&mut chart.configure_mesh(), palette)
        .disable_x_mesh()
        .disable_x_axis()
        .y_desc("βV and barrier height")
        .draw()
        .drawn()?;
    let line = palette.ink.stroke_width(2);
    for node in &tree.nodes {
        for &c in &node.children {
            let child = &tree.nodes[c];
            let path = vec![(child.x, child.height), (child.x, node.height), (node.x, node.height)];
            chart.draw_series(std::iter::once(PathElement::new(path, line))).drawn()?;
        }
    }
    let root_node = tree.root();
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(root_node.x, root_node.height), (root_node.x, top + pad * 0.6)],
            line,
        )))
        .drawn()?;
    let leaves: Vec<_> = tree.nodes.iter().filter(|n| n.children.is_empty()).collect();
    chart
        .draw_series(leaves.iter().map(|n| Circle::new((n.x, n.height), 4, palette.blue.filled())))
        .drawn()?;
    if named {
        // Names under the axis, each under its leaf, set down a row where a neighbour's is.
        let (_, py) = chart.plotting_area().get_pixel_range();
        let (w, h) = root.dim_in_pixel();
        let bounds = Rect { x0: 0.0, y0: f64::from(py.end) + 2.0, x1: w.into(), y1: h.into() };
        let mut placer = Placer::new(bounds, Vec::new(), 4.0);
        let style = palette.text(11).pos(Pos::new(HPos::Left, VPos::Top));
        for n in &leaves {
            let Some(state) = n.state else { continue };
            let text = &labels[state];
            let (tw, th) = root.estimate_text_size(text, &style).drawn()?;
            let size = (f64::from(tw) + 2.0, f64::from(th) + 2.0);
            let (x, _) = chart.backend_coord(&(n.x, low));
            let spots = (0..4).map(|k| {
                Rect::hanging(f64::from(x), bounds.y0 + 2.0 + k as f64 * (size.1 + 2.0), size)
            });
            if let Some(at) = placer.place(spots) {
                let corner = ((at.x0 + 1.0).round() as i32, (at.y0 + 1.0).round() as i32);
                root.draw(&Text::new(text.clone(), corner, style.clone())).drawn()?;
            }
        }
    }
    Ok(())
}
