//! Lesson 4: restart sampling (the paper's protocol) against a trajectory. Both recover the same
//! potential of an agent in detailed balance; they spend their attempts differently.

use balance_core::simulate::{FewStates, Simulation};
use balance_core::{Preset, analyze};
use leptos::prelude::*;

use super::link::Link;
use super::{LessonFrame, number};
use crate::format;

/// The lesson's id in links.
pub const ID: &str = "protocols";

/// The landscape: five states, E at 0, 0.8, 1.6, 2.4 and 3.2.
const STATES: usize = 5;

fn model(spread: f64) -> FewStates {
    FewStates { energies: (0..STATES).map(|i| spread * i as f64 / 4.0).collect(), beta: 1.0 }
}

/// Attempts from each state and each recovered potential's standard error (`None`: not placed).
type Column = Vec<(f64, Option<f64>)>;

fn column(sim: &Simulation) -> Column {
    let d = &sim.dataset;
    let report = analyze(d, &Preset::BalanceLab.settings(d).point_estimates()).ok();
    (0..STATES)
        .map(|i| {
            let label = FewStates::label(i);
            let attempts = d.counts.states().get(&label).map_or(0.0, |s| d.counts.attempts(s));
            let se = report.as_ref().and_then(|r| {
                r.states.iter().find(|s| s.label == label).and_then(|s| s.potential_se)
            });
            (attempts, se)
        })
        .collect()
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
    let cell = |(attempts, se): (f64, Option<f64>)| {
        format!(
            "{} · ± {}",
            format::count(attempts),
            se.map_or("–".into(), |e| format::number(e, 2))
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
                  it spends its time where the potential is low, so the high states are rarely \
                  tried and their potentials stay uncertain. Restart sampling, the paper's \
                  protocol, starts each attempt from a state drawn among those found so far, so \
                  every state gets its share. Both measure the same kernel and the same potential; \
                  they differ in where the attempts go. Stretch the landscape and compare the \
                  attempts and error bars of the highest state."
        >
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
                        let most = restarts.iter().chain(&walk).map(|c| c.0).fold(0.0, f64::max);
                        (0..STATES)
                            .map(|i| view! {
                                <tr data-state=FewStates::label(i)>
                                    <th scope="row">{FewStates::label(i)}</th>
                                    <td class="num">{format::number(spread.get() * i as f64 / 4.0, 2)}</td>
                                    <td class="num restarts">{cell(restarts[i])}</td>
                                    <td class="num walk">{cell(walk[i])}</td>
                                    <td class="bars">
                                        {bar(restarts[i].0, most, "bar restarts-bar")}
                                        {bar(walk[i].0, most, "bar walk-bar")}
                                    </td>
                                </tr>
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
            </div>
        </LessonFrame>
    }
}
