//! The landscape graph (paper Fig. 5): states at their potential, transitions between them,
//! with pan, zoom, hover and selection.

use std::collections::BTreeMap;
use std::sync::Arc;

use balance_core::datasets::RawAnswer;
use balance_core::graph::breadth_first_order;
use balance_core::report::Report;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use wasm_bindgen::JsCast;

use super::labels::{Placer, Rect};
use super::{Area, Drawn, ORANGE, Palette, VERMILLION, paint, save_png, theme_palette, themed};
use crate::browser;
use crate::format;
use crate::number_field::NumberField;

/// Canvas size in canvas pixels.
const WIDTH: u32 = 900;
const HEIGHT: u32 = 520;
/// Hover and click reach, in canvas pixels.
const REACH: f64 = 10.0;
/// Nodes shown at first (the most attempted).
const DEFAULT_TOP_K: usize = 300;
/// Most states named on the canvas (the lowest in view), where their names fit.
const MAX_NAMES: usize = 60;

/// What the horizontal axis shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum XAxis {
    /// Breadth-first order from the lowest state: neighbours side by side.
    Layout,
    /// log10 of the attempts started from the state.
    Attempts,
    /// The task score the dataset gives each state.
    Score,
}

impl XAxis {
    fn id(self) -> &'static str {
        match self {
            XAxis::Layout => "layout",
            XAxis::Attempts => "attempts",
            XAxis::Score => "score",
        }
    }

    fn title(self) -> &'static str {
        match self {
            XAxis::Layout => "graph layout (breadth-first from the lowest state)",
            XAxis::Attempts => "log10 attempts from the state",
            XAxis::Score => "task score",
        }
    }
}

/// A state that can be drawn: it has a potential in the largest component.
#[derive(Debug, Clone)]
struct Node {
    state: usize,
    label: String,
    attempts: f64,
    v: f64,
    se: Option<f64>,
    /// Its 95% interval: the posterior's, else the bootstrap's, else ±1.96 standard errors
    /// (each widened to the exact interval of its entries).
    band: Option<[f64; 2]>,
    layout: f64,
    score: Option<f64>,
}

/// The visible data window.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Window {
    x: (f64, f64),
    y: (f64, f64),
}

impl Window {
    /// The window zoomed by `factor` (below 1 zooms in) about the data point `at`.
    fn zoom(self, factor: f64, at: (f64, f64)) -> Window {
        let f = factor.clamp(1e-3, 1e3);
        Window {
            x: (at.0 + (self.x.0 - at.0) * f, at.0 + (self.x.1 - at.0) * f),
            y: (at.1 + (self.y.0 - at.1) * f, at.1 + (self.y.1 - at.1) * f),
        }
    }

    /// The window moved by a fraction of its size.
    fn pan(self, fx: f64, fy: f64) -> Window {
        let (dx, dy) = ((self.x.1 - self.x.0) * fx, (self.y.1 - self.y.0) * fy);
        Window { x: (self.x.0 + dx, self.x.1 + dx), y: (self.y.0 + dy, self.y.1 + dy) }
    }
}

/// Where the last drawing put the plot and the nodes, for hit tests and zooming.
#[derive(Debug, Clone, Default)]
struct Frame {
    px: (f64, f64),
    py: (f64, f64),
    window: Option<Window>,
    nodes: Vec<(usize, f64, f64)>,
}

impl Frame {
    /// The data point under a canvas pixel.
    fn data_at(&self, p: (f64, f64)) -> Option<(f64, f64)> {
        let w = self.window?;
        let fx = (p.0 - self.px.0) / (self.px.1 - self.px.0);
        let fy = (p.1 - self.py.0) / (self.py.1 - self.py.0);
        Some((w.x.0 + fx * (w.x.1 - w.x.0), w.y.1 - fy * (w.y.1 - w.y.0)))
    }

    /// The drawn node nearest a canvas pixel, within reach.
    fn node_at(&self, p: (f64, f64)) -> Option<usize> {
        self.nodes
            .iter()
            .map(|&(i, x, y)| (i, (x - p.0).hypot(y - p.1)))
            .filter(|&(_, d)| d <= REACH)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }
}

/// The landscape graph with its controls, tooltip and the selected state's transitions.
#[component]
pub fn LandscapePlot(
    report: Arc<Report>,
    scores: BTreeMap<String, f64>,
    answers: BTreeMap<String, Vec<RawAnswer>>,
) -> impl IntoView {
    let answers = StoredValue::new(answers);
    let nodes = StoredValue::new(nodes_of(&report, &scores));
    let report = StoredValue::new(report);
    let has_scores = nodes.with_value(|n| n.iter().any(|n| n.score.is_some()));
    let total = nodes.with_value(Vec::len);
    let axis = RwSignal::new(if has_scores { XAxis::Score } else { XAxis::Layout });
    let min_t = RwSignal::new(0.0f64);
    let top_k = RwSignal::new(DEFAULT_TOP_K.min(total));
    let window = RwSignal::new(None::<Window>);
    let hover = RwSignal::new(None::<(usize, f64, f64)>);
    let selected = RwSignal::new(None::<usize>);
    let drag = StoredValue::new(None::<((f64, f64), Window)>);
    let frame = StoredValue::new(Frame::default());
    let canvas = NodeRef::<Canvas>::new();
    let error = RwSignal::new(None::<String>);

    // The nodes shown: the `top_k` most attempted, with an x for the chosen axis.
    let shown = Memo::new(move |_| {
        let axis = axis.get();
        let k = top_k.get();
        nodes.with_value(|all| {
            let mut order: Vec<usize> = (0..all.len())
                .filter(|&i| axis != XAxis::Score || all[i].score.is_some())
                .collect();
            order.sort_by(|&a, &b| all[b].attempts.total_cmp(&all[a].attempts));
            order.truncate(k);
            order
                .into_iter()
                .map(|i| {
                    let n = &all[i];
                    let x = match axis {
                        XAxis::Layout => n.layout,
                        XAxis::Attempts => n.attempts.max(1.0).log10(),
                        XAxis::Score => n.score.unwrap_or(0.0),
                    };
                    (i, x, n.v)
                })
                .collect::<Vec<_>>()
        })
    });
    // The window that fits every shown node.
    let fitted = move || {
        let pts = shown.get();
        let (mut x0, mut x1, mut y0, mut y1) = (0.0f64, 1.0f64, 0.0f64, 1.0f64);
        if let Some(&(_, x, y)) = pts.first() {
            (x0, x1, y0, y1) = (x, x, y, y);
        }
        for &(_, x, y) in &pts {
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
        }
        let (px, py) = (0.06 * (x1 - x0).max(1.0), 0.08 * (y1 - y0).max(1.0));
        Window { x: (x0 - px, x1 + px), y: (y0 - py, y1 + py) }
    };

    // The transitions drawn: between shown nodes, with T at least the minimum.
    let edges = Memo::new(move |_| {
        let threshold = min_t.get();
        shown.with(|pts| {
            nodes.with_value(|all| {
                let mut index = vec![usize::MAX; report.with_value(|r| r.states.len())];
                for (k, &(i, _, _)) in pts.iter().enumerate() {
                    index[all[i].state] = k;
                }
                report.with_value(|r| {
                    r.transitions
                        .iter()
                        .filter(|t| t.source != t.target && t.weight > 0.0 && t.weight >= threshold)
                        .filter_map(|t| {
                            let (a, b) = (index[t.source], index[t.target]);
                            (a != usize::MAX && b != usize::MAX).then_some((a, b, t.weight))
                        })
                        .collect::<Vec<_>>()
                })
            })
        })
    });

    let palette = theme_palette();
    Effect::new(move |_| {
        let palette = palette();
        let Some(element) = canvas.get() else { return };
        let w = window.get().unwrap_or_else(fitted);
        let (hovered, chosen) = (hover.get().map(|h| h.0), selected.get());
        let result = browser::timed("landscape-draw", || {
            let ctx = context(&element)?;
            paint(element, &palette, |area| {
                shown.with(|pts| {
                    edges.with(|edges| {
                        nodes.with_value(|all| {
                            let scene =
                                Scene { ctx: &ctx, palette, all, pts, edges, hovered, chosen };
                            let drawn = draw(area, &scene, w, axis.get_untracked())?;
                            frame.set_value(drawn);
                            Ok(())
                        })
                    })
                })
            })
        });
        error.set(result.err().map(|e| format!("The landscape could not be drawn: {e}")));
    });

    // Mouse position in canvas pixels (the canvas may be scaled by CSS).
    let at = move |ev: &web_sys::MouseEvent| -> Option<(f64, f64)> {
        let c = canvas.get_untracked()?;
        let sx = c.width() as f64 / c.client_width().max(1) as f64;
        let sy = c.height() as f64 / c.client_height().max(1) as f64;
        Some((ev.offset_x() as f64 * sx, ev.offset_y() as f64 * sy))
    };
    let current = move || window.get_untracked().unwrap_or_else(fitted);
    let on_move = move |ev: web_sys::MouseEvent| {
        let Some(p) = at(&ev) else { return };
        if let Some((start, w0)) = drag.get_value() {
            frame.with_value(|f| {
                if let (Some(a), Some(b)) = (f.data_at(start), f.data_at(p)) {
                    let (dx, dy) = (a.0 - b.0, a.1 - b.1);
                    window.set(Some(Window {
                        x: (w0.x.0 + dx, w0.x.1 + dx),
                        y: (w0.y.0 + dy, w0.y.1 + dy),
                    }));
                }
            });
            return;
        }
        let found = frame.with_value(|f| f.node_at(p));
        let next = found.map(|i| (i, ev.offset_x() as f64, ev.offset_y() as f64));
        if hover.get_untracked().map(|h| h.0) != next.map(|h| h.0) {
            hover.set(next);
        }
    };
    let on_down = move |ev: web_sys::MouseEvent| {
        if let Some(p) = at(&ev) {
            drag.set_value(Some((p, current())));
        }
    };
    let on_up = move |ev: web_sys::MouseEvent| {
        let Some((start, _)) = drag.get_value() else { return };
        drag.set_value(None);
        // A click (no real drag) selects the node under the pointer, or clears the selection.
        if let Some(p) = at(&ev)
            && (p.0 - start.0).hypot(p.1 - start.1) < 4.0
        {
            selected.set(frame.with_value(|f| f.node_at(p)));
        }
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let Some(p) = at(&ev) else { return };
        if let Some(d) = frame.with_value(|f| f.data_at(p)) {
            let factor = 1.15f64.powf(ev.delta_y() / 100.0);
            window.set(Some(current().zoom(factor, d)));
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let w = current();
        let centre = ((w.x.0 + w.x.1) / 2.0, (w.y.0 + w.y.1) / 2.0);
        let next = match ev.key().as_str() {
            "+" | "=" => Some(w.zoom(1.0 / 1.25, centre)),
            "-" | "_" => Some(w.zoom(1.25, centre)),
            "ArrowLeft" => Some(w.pan(-0.1, 0.0)),
            "ArrowRight" => Some(w.pan(0.1, 0.0)),
            "ArrowUp" => Some(w.pan(0.0, 0.1)),
            "ArrowDown" => Some(w.pan(0.0, -0.1)),
            "0" => {
                window.set(None);
                None
            }
            _ => return,
        };
        ev.prevent_default();
        if next.is_some() {
            window.set(next);
        }
    };
    let save = move |_| {
        if let Some(element) = canvas.get_untracked()
            && let Err(e) = save_png(&element, "landscape.png")
        {
            error.set(Some(format!("Export failed: {e}.")));
        }
    };

    let summary = move || {
        let pts = shown.get();
        format!(
            "{} of {} states with a potential in the largest component are drawn (the most \
             attempted). Drag to pan, scroll or +/− to zoom, 0 to reset; hover for details, click \
             to select.",
            pts.len(),
            total
        )
    };
    let tooltip = move || {
        hover.get().map(|(i, x, y)| {
            let text = nodes.with_value(|all| node_text(&all[i]));
            view! {
                <div class="tooltip" id="landscape-tooltip" style=format!("left:{}px;top:{}px", x + 12.0, y + 12.0)>
                    {text}
                </div>
            }
        })
    };
    let set_min_t = move |text: String| {
        if let Ok(t) = text.trim().parse::<f64>()
            && t.is_finite()
        {
            min_t.set(t.clamp(0.0, 1.0));
        }
    };
    let set_top_k = move |text: String| {
        if let Ok(k) = text.trim().parse::<usize>() {
            top_k.set(k.clamp(1, total.max(1)));
        }
    };
    let details = move || {
        selected.get().map(|i| {
            let (node, inbound, outbound) = nodes.with_value(|all| {
                report.with_value(|r| {
                    (
                        all[i].clone(),
                        neighbours(r, all[i].state, false),
                        neighbours(r, all[i].state, true),
                    )
                })
            });
            let raw = answers.with_value(|a| a.get(&node.label).cloned().unwrap_or_default());
            view! { <StateDetails node=node inbound=inbound outbound=outbound answers=raw /> }
        })
    };

    view! {
        <div class="card figure wide" id="landscape-card">
            <div class="figure-head">
                <h3>"Landscape"</h3>
                <button type="button" class="small" id="landscape-png" on:click=save>
                    "Save PNG"
                </button>
            </div>
            <p class="muted summary" id="landscape-summary">{summary}</p>
            <p class="legend" id="landscape-legend">
                <span class="swatch down" aria-hidden="true"></span>
                "downhill (to lower βV), solid "
                <span class="swatch up" aria-hidden="true"></span>
                "uphill, dashed; line width: T; dot size: attempts; "
                <span class="swatch band" aria-hidden="true"></span>
                "95% interval of βV. Click a state to pick out its transitions."
            </p>
            <div class="settings-row">
                <label>
                    "Horizontal axis "
                    <select
                        id="landscape-axis"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            let chosen = [XAxis::Layout, XAxis::Attempts, XAxis::Score]
                                .into_iter()
                                .find(|a| a.id() == v);
                            if let Some(a) = chosen {
                                axis.set(a);
                                window.set(None);
                            }
                        }
                    >
                        <option value="layout" selected=move || axis.get() == XAxis::Layout>
                            "graph layout"
                        </option>
                        <option value="attempts" selected=move || axis.get() == XAxis::Attempts>
                            "attempts (log)"
                        </option>
                        {has_scores
                            .then(|| {
                                view! {
                                    <option value="score" selected=move || axis.get() == XAxis::Score>
                                        "task score"
                                    </option>
                                }
                            })}
                    </select>
                </label>
                <NumberField
                    id="landscape-min-t"
                    label="Minimum T "
                    value=Signal::derive(move || min_t.get().to_string())
                    apply=set_min_t
                    step=0.01
                    min=0.0
                    max=1.0
                />
                <NumberField
                    id="landscape-top-k"
                    label="States shown "
                    value=Signal::derive(move || top_k.get().to_string())
                    apply=set_top_k
                    step=1.0
                    min=1.0
                    max=total as f64
                />
                <button type="button" class="small" id="landscape-reset" on:click=move |_| window.set(None)>
                    "Reset view"
                </button>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="canvas-wrap">
                <canvas
                    id="landscape-plot"
                    node_ref=canvas
                    width=WIDTH
                    height=HEIGHT
                    tabindex="0"
                    role="img"
                    aria-label="Landscape: states at their potential, transitions between them"
                    on:mousemove=on_move
                    on:mousedown=on_down
                    on:mouseup=on_up
                    on:mouseleave=move |_| {
                        drag.set_value(None);
                        hover.set(None);
                    }
                    on:wheel=on_wheel
                    on:keydown=on_key
                ></canvas>
                {tooltip}
            </div>
            <label class="picker">
                "Select a state "
                <select
                    id="landscape-select"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        selected.set(v.parse::<usize>().ok());
                    }
                >
                    <option value="" selected=move || selected.get().is_none()>"none"</option>
                    {move || {
                        shown
                            .get()
                            .into_iter()
                            .map(|(i, _, _)| {
                                let label = nodes.with_value(|all| all[i].label.clone());
                                view! {
                                    <option value=i.to_string() selected=move || selected.get() == Some(i)>
                                        {label}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            {details}
        </div>
    }
}

/// The 2D context of a canvas.
fn context(
    canvas: &web_sys::HtmlCanvasElement,
) -> Result<web_sys::CanvasRenderingContext2d, String> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| "no 2D context".to_owned())
}

/// The drawable states of a report, with the breadth-first layout from the lowest state.
fn nodes_of(report: &Report, scores: &BTreeMap<String, f64>) -> Vec<Node> {
    let states = &report.states;
    let lowest = (0..states.len()).filter(|&i| states[i].component == Some(0)).min_by(|&a, &b| {
        states[a]
            .potential
            .unwrap_or(f64::INFINITY)
            .total_cmp(&states[b].potential.unwrap_or(f64::INFINITY))
    });
    let layout = breadth_first_order(
        states.len(),
        report.transitions.iter().map(|t| (t.source, t.target, t.count)),
        &lowest.into_iter().collect::<Vec<_>>(),
    );
    (0..states.len())
        .filter(|&i| states[i].component == Some(0))
        .filter_map(|i| {
            let s = &states[i];
            Some(Node {
                state: i,
                label: s.label.clone(),
                attempts: s.attempts,
                v: s.potential?,
                se: s.potential_se,
                band: s.potential_credible.or(s.potential_interval).or(s.potential_se_interval),
                layout: layout[i] as f64,
                score: scores.get(&s.label).copied(),
            })
        })
        .collect()
}

/// The hover text of a node.
fn node_text(n: &Node) -> String {
    format!(
        "{}: {} attempts, βV = {}{}{}",
        n.label,
        format::count(n.attempts),
        format::number(n.v, 3),
        n.se.map_or(String::new(), |e| format!(" ± {}", format::number(e, 3))),
        n.band.map_or(String::new(), |[lo, hi]| format!(
            " (95%: {} to {})",
            format::number(lo, 3),
            format::number(hi, 3)
        ))
    )
}

/// The transitions into (`outgoing = false`) or out of a state: (other state, count, T),
/// most frequent first.
fn neighbours(report: &Report, state: usize, outgoing: bool) -> Vec<(String, f64, f64)> {
    let mut list: Vec<(String, f64, f64)> = report
        .transitions
        .iter()
        .filter(|t| t.source != t.target)
        .filter(|t| if outgoing { t.source == state } else { t.target == state })
        .map(|t| {
            let other = if outgoing { t.target } else { t.source };
            (report.states[other].label.clone(), t.count, t.weight)
        })
        .collect();
    list.sort_by(|a, b| b.1.total_cmp(&a.1));
    list
}

/// Most transitions listed each way for the selected state.
const MAX_NEIGHBOURS: usize = 25;

/// The selected state: its numbers and its most frequent transitions each way.
#[component]
fn StateDetails(
    node: Node,
    inbound: Vec<(String, f64, f64)>,
    outbound: Vec<(String, f64, f64)>,
    answers: Vec<RawAnswer>,
) -> impl IntoView {
    let more_answers = answers.len().saturating_sub(MAX_NEIGHBOURS);
    // Raw answers are untrusted text: they only ever become text nodes.
    let answers = (!answers.is_empty()).then(|| {
        view! {
            <div>
                <h4>"Answers to prompts about this state"</h4>
                <table class="compact" id="state-answers">
                    <thead>
                        <tr>
                            <th scope="col">"Answer"</th>
                            <th scope="col">"Became"</th>
                            <th scope="col" class="num">"Times"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {answers
                            .into_iter()
                            .take(MAX_NEIGHBOURS)
                            .map(|a| {
                                view! {
                                    <tr>
                                        <td class="raw">{a.raw}</td>
                                        <td>{a.became}</td>
                                        <td class="num">{a.count}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                {(more_answers > 0)
                    .then(|| view! { <p class="muted">{format!("and {more_answers} more")}</p> })}
            </div>
        }
    });
    let list = |title: &'static str, id: &'static str, rows: Vec<(String, f64, f64)>| {
        let more = rows.len().saturating_sub(MAX_NEIGHBOURS);
        view! {
            <div>
                <h4>{title}</h4>
                <table class="compact" id=id>
                    <thead>
                        <tr>
                            <th scope="col">"State"</th>
                            <th scope="col" class="num">"Count"</th>
                            <th scope="col" class="num">"T"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .take(MAX_NEIGHBOURS)
                            .map(|(label, c, t)| {
                                view! {
                                    <tr>
                                        <td>{label}</td>
                                        <td class="num">{format::count(c)}</td>
                                        <td class="num">{format::number(t, 4)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                {(more > 0).then(|| view! { <p class="muted">{format!("and {more} more")}</p> })}
            </div>
        }
    };
    view! {
        <div class="state-details" id="state-details">
            <p id="state-details-title">
                <strong>{node.label.clone()}</strong>
                {format!(" — {}", node_text(&node).split_once(": ").map_or("", |x| x.1))}
            </p>
            <div class="two-columns">
                {list("Out of this state", "state-out", outbound)}
                {list("Into this state", "state-in", inbound)}
            </div>
            {answers}
        </div>
    }
}

/// What one drawing shows.
struct Scene<'a> {
    /// The canvas's 2D context, for the batched edges and nodes.
    ctx: &'a web_sys::CanvasRenderingContext2d,
    palette: Palette,
    all: &'a [Node],
    /// Shown nodes: (index into `all`, x, y).
    pts: &'a [(usize, f64, f64)],
    /// Edges between shown nodes: (index into `pts`, index into `pts`, T).
    edges: &'a [(usize, usize, f64)],
    hovered: Option<usize>,
    chosen: Option<usize>,
}

/// Draws the landscape in window `w`; returns where things landed.
fn draw(root: &Area, scene: &Scene, w: Window, axis: XAxis) -> Result<Frame, String> {
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(w.x.0..w.x.1, w.y.0..w.y.1)
        .drawn()?;
    themed(&mut chart.configure_mesh(), &scene.palette)
        .x_desc(axis.title())
        .y_desc("βV")
        .x_labels(if axis == XAxis::Layout { 0 } else { 10 })
        .draw()
        .drawn()?;
    let (px, py) = chart.plotting_area().get_pixel_range();
    let inside = |(x, y): (f64, f64)| x >= w.x.0 && x <= w.x.1 && y >= w.y.0 && y <= w.y.1;
    let pixel = |p: (f64, f64)| {
        let (x, y) = chart.backend_coord(&p);
        (f64::from(x), f64::from(y))
    };
    // Edges and nodes are many: they go straight to the canvas in a few batched paths (one
    // stroke per colour, style and width; one fill for every node), clipped to the plot.
    let ctx = scene.ctx;
    ctx.save();
    ctx.begin_path();
    let (x0, y0) = (f64::from(px.start), f64::from(py.start));
    ctx.rect(x0, y0, f64::from(px.end) - x0, f64::from(py.end) - y0);
    ctx.clip();
    // Batches by direction (0 down, 1 up) and width (1 to 4 px); with a state chosen, its own
    // transitions stand out (the last eight batches) and the others fade.
    let chosen = scene.chosen.and_then(|c| scene.pts.iter().position(|p| p.0 == c));
    let mut batches: Vec<Vec<[(f64, f64); 2]>> = vec![Vec::new(); 16];
    for &(a, b, weight) in scene.edges {
        let (pa, pb) = ((scene.pts[a].1, scene.pts[a].2), (scene.pts[b].1, scene.pts[b].2));
        if !inside(pa) && !inside(pb) {
            continue;
        }
        let (p, q) = (pixel(pa), pixel(pb));
        // The two directions of a pair run 2 px apart.
        let (dx, dy) = (q.0 - p.0, q.1 - p.1);
        let len = dx.hypot(dy).max(1e-9);
        let (ox, oy) = (-2.0 * dy / len, 2.0 * dx / len);
        let up = usize::from(pb.1 >= pa.1);
        let width = (0.5 + 3.0 * weight.sqrt()).round().clamp(1.0, 4.0) as usize;
        let own = usize::from(chosen.is_some_and(|c| c == a || c == b));
        batches[8 * own + 4 * up + width - 1].push([(p.0 + ox, p.1 + oy), (q.0 + ox, q.1 + oy)]);
    }
    let dash = js_sys::Array::of2(&6.0.into(), &4.0.into());
    for (k, lines) in batches.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
        let (own, up, width) = (k >= 8, k % 8 >= 4, (k % 4 + 1) as f64);
        let colour = if up { VERMILLION } else { scene.palette.blue };
        let alpha = match (chosen.is_some(), own) {
            (false, _) => 0.45,
            (true, true) => 0.95,
            (true, false) => 0.12,
        };
        ctx.set_stroke_style_str(&rgba(colour, alpha));
        ctx.set_line_width(if own { width + 1.0 } else { width });
        let pattern = if up { dash.clone() } else { js_sys::Array::new() };
        ctx.set_line_dash(&pattern).map_err(|_| "no dashed lines")?;
        ctx.begin_path();
        for [p, q] in lines {
            ctx.move_to(p.0, p.1);
            ctx.line_to(q.0, q.1);
        }
        ctx.stroke();
    }
    ctx.set_line_dash(&js_sys::Array::new()).map_err(|_| "no dashed lines")?;
    let mut frame = Frame {
        px: (x0, f64::from(px.end)),
        py: (y0, f64::from(py.end)),
        window: Some(w),
        nodes: Vec::with_capacity(scene.pts.len()),
    };
    // Each state's 95% interval as a band along the potential axis, under its node.
    ctx.begin_path();
    for &(i, x, y) in scene.pts {
        if let (true, Some([lo, hi])) = (inside((x, y)), scene.all[i].band) {
            let (a, b) = (pixel((x, lo)), pixel((x, hi)));
            ctx.move_to(a.0, a.1);
            ctx.line_to(b.0, b.1);
        }
    }
    ctx.set_stroke_style_str(&rgba(ORANGE, 0.5));
    ctx.set_line_width(5.0);
    ctx.stroke();
    let mut rings = Vec::new();
    ctx.begin_path();
    for &(i, x, y) in scene.pts {
        if !inside((x, y)) {
            continue;
        }
        let r = (2.0 + scene.all[i].attempts.max(1.0).log10() * 1.5).min(8.0).round();
        let p = pixel((x, y));
        ctx.move_to(p.0 + r, p.1);
        ctx.arc(p.0, p.1, r, 0.0, std::f64::consts::TAU).map_err(|_| "no arcs")?;
        frame.nodes.push((i, p.0, p.1));
        if scene.chosen == Some(i) || scene.hovered == Some(i) {
            rings.push((p, r + 4.0));
        }
    }
    ctx.set_fill_style_str(&rgba(scene.palette.ink, 0.85));
    ctx.fill();
    ctx.set_stroke_style_str(&rgba(ORANGE, 1.0));
    ctx.set_line_width(3.0);
    for (p, r) in rings {
        ctx.begin_path();
        ctx.arc(p.0, p.1, r, 0.0, std::f64::consts::TAU).map_err(|_| "no arcs")?;
        ctx.stroke();
    }
    names(scene, &frame)?;
    ctx.restore();
    Ok(frame)
}

/// Names the states in view beside their nodes, lowest potential first, where a name fits
/// without covering a node or another name (all of them when few are in view).
fn names(scene: &Scene, frame: &Frame) -> Result<(), String> {
    let ctx = scene.ctx;
    let bounds = Rect { x0: frame.px.0, y0: frame.py.0, x1: frame.px.1, y1: frame.py.1 };
    let nodes: Vec<Rect> = frame
        .nodes
        .iter()
        .map(|&(_, x, y)| Rect { x0: x - 3.0, y0: y - 3.0, x1: x + 3.0, y1: y + 3.0 })
        .collect();
    let mut placer = Placer::new(bounds, nodes, 3.0);
    let mut order: Vec<&(usize, f64, f64)> = frame.nodes.iter().collect();
    order.sort_by(|a, b| scene.all[a.0].v.total_cmp(&scene.all[b.0].v));
    ctx.set_font("12px sans-serif");
    ctx.set_text_baseline("top");
    ctx.set_text_align("left");
    ctx.set_fill_style_str(&rgba(scene.palette.ink, 1.0));
    for &&(i, x, y) in order.iter().take(MAX_NAMES) {
        let label = &scene.all[i].label;
        let width = ctx.measure_text(label).map_err(|_| "no text metrics")?.width() + 2.0;
        let size = (width, 15.0);
        let spots = [
            Rect::right_of(x + 8.0, y, size),
            Rect::right_of(x - 8.0 - width, y, size),
            Rect::standing(x, y - 8.0, size),
            Rect::hanging(x, y + 8.0, size),
        ];
        if let Some(at) = placer.place(spots) {
            ctx.fill_text(label, at.x0 + 1.0, at.y0 + 1.5).map_err(|_| "no text")?;
        }
    }
    Ok(())
}

/// A CSS colour.
fn rgba(c: RGBColor, alpha: f64) -> String {
    format!("rgba({}, {}, {}, {alpha})", c.0, c.1, c.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooming_keeps_the_point_under_the_pointer_and_panning_moves_by_a_fraction() {
        let w = Window { x: (0.0, 10.0), y: (-2.0, 2.0) };
        let z = w.zoom(0.5, (2.0, 1.0));
        assert_eq!(z, Window { x: (1.0, 6.0), y: (-0.5, 1.5) });
        // The zoom point keeps its relative position: 2 of 10 before, 1 of 5 after.
        assert!(((2.0 - z.x.0) / (z.x.1 - z.x.0) - 0.2).abs() < 1e-12);
        assert_eq!(w.pan(0.1, -0.25), Window { x: (1.0, 11.0), y: (-3.0, 1.0) });
    }

    #[test]
    fn the_frame_maps_pixels_to_data_and_finds_the_nearest_node_within_reach() {
        let frame = Frame {
            px: (100.0, 500.0),
            py: (20.0, 220.0),
            window: Some(Window { x: (0.0, 4.0), y: (0.0, 2.0) }),
            nodes: vec![(7, 150.0, 50.0), (9, 158.0, 50.0)],
        };
        // Pixel rows grow downwards, data y upwards.
        assert_eq!(frame.data_at((300.0, 120.0)), Some((2.0, 1.0)));
        assert_eq!(frame.data_at((100.0, 20.0)), Some((0.0, 2.0)));
        assert_eq!(frame.node_at((151.0, 51.0)), Some(7));
        assert_eq!(frame.node_at((157.0, 52.0)), Some(9));
        assert_eq!(frame.node_at((150.0, 70.0)), None, "20 px away is out of reach");
        assert_eq!(Frame::default().data_at((1.0, 1.0)), None);
    }
}
