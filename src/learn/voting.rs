//! Lesson 5: temperature and majority voting. A colder agent (larger β) and an agent that votes
//! over several answers both steepen the landscape: V scales (V -> nV for a vote of n of m) and
//! the minimum action shrinks.

use balance_core::report::{Preset, analyze};
use balance_core::simulate::{FewStates, Simulation};
use leptos::prelude::*;

use super::link::Link;
use super::{LessonFrame, number};
use crate::format;

/// The lesson's id in links.
pub const ID: &str = "voting";

/// Ten states with energies 0, 0.25, ..., 2.25: every single move is rare, as the scaling needs.
fn model(beta: f64) -> FewStates {
    FewStates { energies: (0..10).map(|i| 0.25 * i as f64).collect(), beta }
}

fn simulate(beta: f64, votes: f64, seed: f64, attempts: f64) -> Simulation {
    model(beta).restarts_voting(seed as u64, attempts as usize, votes as usize)
}

/// The slope of the recovered V against the energy E (through the origin) and the minimum action.
fn measure(sim: &Simulation, beta: f64) -> Option<(f64, f64)> {
    let d = &sim.dataset;
    let r = analyze(d, &Preset::BalanceLab.settings(d)).ok()?;
    let (mut xy, mut xx) = (0.0, 0.0);
    for s in &r.states {
        if let (Some(v), Some(t)) = (s.potential, sim.truth.get(&s.label)) {
            let e = t / beta;
            xy += v * e;
            xx += e * e;
        }
    }
    (xx > 0.0).then(|| (xy / xx, r.action.minimum))
}

/// The lesson.
#[component]
pub fn Voting(link: Link) -> impl IntoView {
    let beta = RwSignal::new(link.number("beta", 0.2, 3.0, 1.0));
    let votes = RwSignal::new(link.number("votes", 1.0, 7.0, 1.0).round());
    let seed = RwSignal::new(link.number("seed", 1.0, 1e9, 1.0).round());
    let attempts = 100_000.0;
    let shown = Memo::new(move |_| {
        let b = beta.get();
        measure(&simulate(b, votes.get(), seed.get(), attempts), b)
    });
    let link = Signal::derive(move || {
        Link::of(ID, &[("beta", beta.get()), ("votes", votes.get()), ("seed", seed.get())])
    });
    let data = Callback::new(move |()| {
        let sim =
            simulate(beta.get_untracked(), votes.get_untracked(), seed.get_untracked(), attempts);
        (sim.dataset, None)
    });
    let n = move || (votes.get() as usize) / 2 + 1;
    view! {
        <LessonFrame
            id=ID
            title="5. Temperature and voting"
            link=link
            data=data
            text="Ten states on a gentle slope of energies. β is the inverse temperature: a \
                  colder agent refuses uphill moves more often, and the potential it shows is βE. \
                  Majority voting asks for several answers and keeps one only when most agree: \
                  rare moves become rarer still, and for a vote of n out of m the potential \
                  becomes about n times steeper. The least-action fit then explains the data with \
                  less action. Change β or the number of votes and watch the slope of V against E \
                  and the minimum action."
        >
            <div class="lesson-controls">
                {number("l5-beta", "β (inverse temperature) ", 0.2, 3.0, 0.1, beta)}
                {number("l5-votes", "Answers per vote (m) ", 1.0, 7.0, 2.0, votes)}
                {number("l5-seed", "Seed ", 1.0, 1e6, 1.0, seed)}
            </div>
            <dl class="stats" id="l5-numbers">
                <div><dt>"Vote needs"</dt><dd id="l5-n">{move || format!("{} of {}", n(), votes.get())}</dd></div>
                <div>
                    <dt>"Slope of V against E (expected about βn = " {move || format::number(beta.get() * n() as f64, 2)} ")"</dt>
                    <dd id="l5-slope">{move || shown.get().map_or("–".into(), |(s, _)| format::number(s, 2))}</dd>
                </div>
                <div><dt>"Minimum action S"</dt><dd id="l5-action">{move || shown.get().map_or("–".into(), |(_, a)| format::number(a, 4))}</dd></div>
            </dl>
        </LessonFrame>
    }
}
