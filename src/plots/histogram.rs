//! The width of the landscape and the size of the action (paper Supplement D, Table IV).

use balance_core::detailed_balance::Histogram;
use leptos::prelude::*;
use plotters::prelude::*;

use super::{Area, Drawn, ORANGE, Palette, figure, themed};
use crate::format;

/// The histogram of `V` with its Gaussian fit, and the minimum action the fitted width predicts
/// beside the measured one.
#[component]
pub fn HistogramPlot(histogram: Option<Histogram>, measured_action: f64) -> impl IntoView {
    let Some(h) = histogram else {
        return view! {
            <div class="card figure" id="histogram-plot-card">
                <h3>"Potential histogram"</h3>
                <p class="muted" id="histogram-plot-summary">
                    "Fewer than three identifiable states with spread: no histogram to fit."
                </p>
            </div>
        }
        .into_any();
    };
    let summary = format!(
        "{} states, Gaussian fit mean {}, σ = {}",
        h.n,
        format::number(h.mean, 3),
        format::number(h.sigma, 3)
    );
    let table = view! {
        <table class="compact" id="action-table">
            <tbody>
                <tr>
                    <th scope="row">"Predicted S, large width: K(0) / (√π σ)"</th>
                    <td class="num">{format::number(h.predicted_action, 4)}</td>
                </tr>
                <tr>
                    <th scope="row">"Predicted S, exact: K(0) exp(σ²) erfc(σ)"</th>
                    <td class="num">{format::number(h.predicted_action_exact, 4)}</td>
                </tr>
                <tr>
                    <th scope="row">"Measured minimum action S"</th>
                    <td class="num" id="action-measured">{format::number(measured_action, 4)}</td>
                </tr>
            </tbody>
        </table>
    };
    figure(
        "histogram-plot",
        "Potential histogram",
        "Histogram of the potentials with a Gaussian fit",
        summary,
        table,
        move |area, palette| draw(area, palette, &h),
    )
    .into_any()
}

fn draw(root: &Area, palette: &Palette, h: &Histogram) -> Result<(), String> {
    let end = h.start + h.width * h.bins.len() as f64;
    let peak = h.bins.iter().copied().max().unwrap_or(1) as f64;
    let density = |x: f64| {
        let z = (x - h.mean) / h.sigma;
        h.n as f64 * h.width * (-0.5 * z * z).exp()
            / (h.sigma * (2.0 * std::f64::consts::PI).sqrt())
    };
    let top = peak.max(density(h.mean)) * 1.1;
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(56)
        .build_cartesian_2d(h.start..end, 0.0..top)
        .drawn()?;
    themed(&mut chart.configure_mesh(), palette).x_desc("βV").y_desc("states").draw().drawn()?;
    chart
        .draw_series(h.bins.iter().enumerate().map(|(k, &c)| {
            let x0 = h.start + k as f64 * h.width;
            Rectangle::new([(x0, 0.0), (x0 + h.width, c as f64)], palette.blue.mix(0.6).filled())
        }))
        .drawn()?;
    let steps = 200;
    chart
        .draw_series(LineSeries::new(
            (0..=steps).map(|i| {
                let x = h.start + (end - h.start) * i as f64 / steps as f64;
                (x, density(x))
            }),
            ORANGE.stroke_width(3),
        ))
        .drawn()?;
    Ok(())
}
