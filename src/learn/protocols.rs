//! Lesson 4: restart sampling (the paper's protocol) against a trajectory. Both recover the same
//! potential of an agent in detailed balance; they spend their attempts differently.

use balance_core::simulate::{FewStates, Simulation};
use balance_core::{Preset, analyze};
use leptos::prelude::*;
use plotters::prelude::*;

use super::link::Link;
use super::maths;
use super::predict::Predict;
use super::{LessonFrame, number};
use crate::format;
use crate::plots::{Area, Drawn, ORANGE, Palette, figure, legend, themed};

/// The lesson's id in links.
pub const ID: &str = "protocols";

/// The landscape: five states, E at 0, 0.8, 1.6, 2.4 and 3.2.
const STATES: usize = 5;

fn model(spread: f64) -> FewStates {
    FewStates { energies: (0..STATES).map(|i| spread * i as f64 / 4.0).collect(), beta: 1.0 }
}

/// What one protocol gave for one state.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Cell {
    /// Attempts from the state.
    attempts: f64,
    /// The recovered potential (`None`: not placed).
    potential: Option<Placed>,
}

/// A recovered potential relative to A.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Placed {
    v: f64,
    se: f64,
    /// Its 95% interval: ±1.96 SE, widened to the exact interval of the state's entries.
    interval: [f64; 2],
}

/// Each state's cell under one protocol.
type Column = Vec<Cell>;

fn column(sim: &Simulation) -> Column {
    let d = &sim.dataset;
    let report = analyze(d, &Preset::BalanceLab.settings(d).point_estimates()).ok();
    let fitted = |label: &str| {
        let s = report.as_ref()?.states.iter().find(|s| s.label == label)?;
        Some((s.potential?, s.potential_se?, s.potential_se_interval?))
    };
    let origin = fitted(&FewStates::label(0)).map(|(v, ..)| v);
    (0..STATES)
        .map(|i| {
            let label = FewStates::label(i);
            let attempts = d.counts.states().get(&label).map_or(0.0, |s| d.counts.attempts(s));
            let potential = origin.zip(fitted(&label)).map(|(v0, (v, se, [lo, hi]))| Placed {
                v: v - v0,
                se,
                interval: [lo - v0, hi - v0],
            });
            Cell { attempts, potential }
        })
        .collect()
}

/// The figure: each state's recovered potential with its error bar under both protocols,
/// beside the true energy.
fn draw(
    root: &Area,
    palette: &Palette,
    spread: f64,
    both: &(Column, Column),
) -> Result<(), String> {
    let energy = |i: usize| spread * i as f64 / 4.0;
    let bars = both.0.iter().chain(&both.1).filter_map(|c| Some(c.potential?.interval));
    let (lo, hi) = bars.fold((0.0f64, spread), |(lo, hi), [a, b]| (lo.min(a), hi.max(b)));
    let (lo, hi) = (lo.max(-2.0 * spread - 2.0), hi.min(3.0 * spread + 2.0));
    let pad = 0.06 * (hi - lo).max(1.0);
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(56)
        .build_cartesian_2d(-0.5..(STATES as f64 - 0.5), (lo - pad)..(hi + pad))
        .drawn()?;
    themed(&mut chart.configure_mesh(), palette)
        .x_labels(STATES)
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                FewStates::label(i as usize)
            } else {
                String::new()
            }
        })
        .x_desc("state")
        .y_desc("V − V(A), 95% error bars")
        .draw()
        .drawn()?;
    chart
        .draw_series((0..STATES).map(|i| {
            let x = i as f64;
            PathElement::new(
                [(x - 0.35, energy(i)), (x + 0.35, energy(i))],
                palette.ink.stroke_width(3),
            )
        }))
        .drawn()?
        .label("true energy")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], palette.ink.stroke_width(3)));
    for (column, shift, colour, name) in
        [(&both.0, -0.12, palette.blue, "restarts"), (&both.1, 0.12, ORANGE, "trajectory")]
    {
        let placed: Vec<(f64, f64, [f64; 2])> = column
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.potential.map(|p| (i as f64 + shift, p.v, p.interval)))
            .collect();
        chart
            .draw_series(placed.iter().map(|&(x, v, [a, b])| {
                ErrorBar::new_vertical(
                    x,
                    a.max(lo - pad),
                    v,
                    b.min(hi + pad),
                    colour.stroke_width(2),
                    8,
                )
            }))
            .drawn()?
            .label(name)
            .legend(move |(x, y)| Circle::new((x + 9, y), 4, colour.filled()));
        chart
            .draw_series(placed.iter().map(|&(x, v, _)| Circle::new((x, v), 4, colour.filled())))
            .drawn()?;
    }
    legend(&mut chart, palette, SeriesLabelPosition::UpperLeft)
}

/// The lesson.
#[component]
pub fn Protocols(link: Link) -> impl IntoView {
    let spread = RwSignal::new(link.number("spread", 0.5, 6.0, 3.2));
    let samples = RwSignal::new(link.number("samples", 100.0, 100_000.0, 4000.0).round());
    let seed = RwSignal::new(link.number("seed", 1.0, 1e9, 1.0).round());
    let both = Memo::new(move |_| {
        let m = model(spread.get());
        let (s, n) = (seed.get() as u64, samples.get() as usize);
        (column(&m.restarts(s, n)), column(&m.walk(s, n).0))
    });
    let link = Signal::derive(move || {
        Link::of(ID, &[("spread", spread.get()), ("samples", samples.get()), ("seed", seed.get())])
    });
    let data = Callback::new(move |()| {
        let sim = model(spread.get_untracked())
            .restarts(seed.get_untracked() as u64, samples.get_untracked() as usize);
        (sim.dataset, Some(sim.truth))
    });
    let cell = |c: Cell| {
        format!(
            "{} · ± {}",
            format::count(c.attempts),
            c.potential.map_or("–".into(), |p| format::number(p.se, 2))
        )
    };
    // Bars of attempts, both protocols on one scale.
    let bar = move |attempts: f64, most: f64, class: &'static str| {
        let width = 120.0 * attempts / most.max(1.0);
        view! { <span class=class style=format!("width: {width:.0}px")></span> }
    };
    view! {
        <LessonFrame
            id=ID
            title="4. Restarts or a trajectory"
            link=link
            data=data
            text="The same five-state landscape, sampled two ways. A trajectory follows the token: \
                  it spends its time where the potential is low and tries the high states \
                  rarely. Restart sampling, the paper's protocol, starts each attempt from a state \
                  drawn among those found so far, so every state gets its share of attempts. Both \
                  measure the same kernel and the same potential. How well they measure it is \
                  another matter: the difference between two states rests on the moves counted \
                  each way, N(f→g) and N(g→f), and its error is set by the rarer of the two."
            formula=maths::pair_error()
        >
            <Predict
                id="l4"
                question="With the landscape 3.2 high and 4,000 attempts, restarts try the top \
                          state E about 800 times and the trajectory about 110. How do their \
                          error bars on V(E) compare?"
                choices=&[
                    ("The trajectory's is about √7 ≈ 2.6 times wider", false),
                    ("About the same", true),
                    ("The trajectory's is narrower", false),
                ]
                answer="About the same (on seed 1, ± 0.12 against ± 0.13). V(E) rests on the \
                        climbs into E, the rarer direction, and both protocols see about a \
                        hundred of them; the extra attempts restarts make from E add downhill \
                        moves that were never in short supply. Now raise the landscape to 5 or 6: \
                        the trajectory hardly ever reaches E, and its error bar falls far behind."
            />
            <div class="lesson-controls">
                {number("l4-spread", "Height of the landscape ", 0.5, 6.0, 0.1, spread)}
                {number("l4-samples", "Attempts ", 100.0, 100_000.0, 100.0, samples)}
                {number("l4-seed", "Seed ", 1.0, 1e6, 1.0, seed)}
            </div>
            <div class="table-scroll">
            <table class="data compact" id="l4-table">
                <thead>
                    <tr><th>"State"</th><th>"Energy"</th><th>"Restarts: attempts · SE"</th><th>"Trajectory: attempts · SE"</th><th>"Attempts"</th></tr>
                </thead>
                <tbody>
                    {move || {
                        let (restarts, walk) = both.get();
                        let most = restarts.iter().chain(&walk).map(|c| c.attempts).fold(0.0, f64::max);
                        (0..STATES)
                            .map(|i| view! {
                                <tr data-state=FewStates::label(i)>
                                    <th scope="row">{FewStates::label(i)}</th>
                                    <td class="num">{format::number(spread.get() * i as f64 / 4.0, 2)}</td>
                                    <td class="num restarts">{cell(restarts[i])}</td>
                                    <td class="num walk">{cell(walk[i])}</td>
                                    <td class="bars">
                                        {bar(restarts[i].attempts, most, "bar restarts-bar")}
                                        {bar(walk[i].attempts, most, "bar walk-bar")}
                                    </td>
                                </tr>
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
            </div>
            {figure(
                "l4-figure",
                "The same potential, measured two ways",
                "Recovered potentials with 95% error bars under restarts and a trajectory, beside the true energies",
                "Blue: restart sampling; orange: a trajectory; dark bars: the true energies.".to_owned(),
                (),
                move |area, palette| both.with(|b| draw(area, palette, spread.get(), b)),
            )}
        </LessonFrame>
    }
}
