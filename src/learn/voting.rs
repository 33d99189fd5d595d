//! Lesson 5: temperature and majority voting. A colder agent (larger β) and an agent that votes
//! over several answers both steepen the landscape: V scales (V -> nV for a vote of n of m) and
//! the minimum action shrinks.

use balance_core::share::Source;
use balance_core::simulate::{FewStates, Simulation};
use balance_core::{Preset, analyze};
use leptos::prelude::*;

use super::link::Link;
use super::maths;
use super::predict::Predict;
use super::{LessonFrame, number};
use crate::app::Handoff;
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

/// What the lesson shows: each placed state's energy and recovered V, the slope of V against E
/// (through the origin) and the minimum action.
type Measured = (Vec<(f64, f64)>, f64, f64);

fn measure(sim: &Simulation, beta: f64) -> Option<Measured> {
    let d = &sim.dataset;
    let r = analyze(d, &Preset::BalanceLab.settings(d).point_estimates()).ok()?;
    let points: Vec<(f64, f64)> = r
        .states
        .iter()
        .filter_map(|s| Some((sim.truth.get(&s.label)? / beta, s.potential?)))
        .collect();
    let xy: f64 = points.iter().map(|(e, v)| e * v).sum();
    let xx: f64 = points.iter().map(|(e, _)| e * e).sum();
    (xx > 0.0).then(|| (points, xy / xx, r.action.minimum))
}

/// Across the drawing: energy `e` (0 to 2.4) in its pixels.
fn x_of(e: f64) -> f64 {
    50.0 + e * 155.0
}

/// Up the drawing: potential `v` (0 to 15) in its pixels.
fn v_of(v: f64) -> f64 {
    245.0 - v.clamp(0.0, 15.0) * 14.0
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
    let handoff: Handoff = expect_context();
    // This run and the same landscape at beta 1 without voting, side by side in Compare.
    let compare = move |()| {
        let (b, m, s) = (beta.get_untracked(), votes.get_untracked(), seed.get_untracked());
        let mut base = simulate(1.0, 1.0, s, attempts).dataset;
        base.name = "Lesson 5: β = 1, one answer".into();
        let mut this = simulate(b, m, s + 1.0, attempts).dataset;
        this.name = format!("Lesson 5: β = {b}, vote of {m}");
        handoff.compare(vec![(Source::Counts, base), (Source::Counts, this)]);
    };
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
            formula=maths::voted_potential()
        >
            <Predict
                id="l5"
                question="Keep β = 1 and ask for 3 answers per vote (2 must agree). How steep does \
                          V become against E?"
                choices=&[
                    ("As steep as before", false),
                    ("About twice as steep", true),
                    ("About three times as steep", false),
                ]
                answer="About twice: a rare move must now happen in 2 of 3 answers, so its \
                        probability is roughly squared, and a squared ratio is a doubled \
                        potential difference (n = 2). Set the answers to 3 and read the slope."
            />
            <div class="lesson-controls">
                {number("l5-beta", "β (inverse temperature) ", 0.2, 3.0, 0.1, beta)}
                {number("l5-votes", "Answers per vote (m) ", 1.0, 7.0, 2.0, votes)}
                {number("l5-seed", "Seed ", 1.0, 1e6, 1.0, seed)}
            </div>
            <svg class="levels" viewBox="0 0 440 280" role="img" aria-label="Recovered V against the energy E, with the fitted and the expected slope">
                <line x1=x_of(0.0) y1=v_of(0.0) x2=x_of(2.4) y2=v_of(0.0) class="axis" />
                <line x1=x_of(0.0) y1=v_of(0.0) x2=x_of(0.0) y2=v_of(15.0) class="axis" />
                {[0.0, 0.5, 1.0, 1.5, 2.0]
                    .into_iter()
                    .map(|e| view! {
                        <line x1=x_of(e) x2=x_of(e) y1=v_of(0.0) y2=v_of(0.0) + 4.0 class="axis" />
                        <text x=x_of(e) y=v_of(0.0) + 17.0 text-anchor="middle" class="tick">{format::number(e, 1)}</text>
                    })
                    .collect_view()}
                {[0.0, 5.0, 10.0, 15.0]
                    .into_iter()
                    .map(|v| view! {
                        <line x1=x_of(0.0) - 4.0 x2=x_of(0.0) y1=v_of(v) y2=v_of(v) class="axis" />
                        <text x=x_of(0.0) - 7.0 y=v_of(v) + 4.0 text-anchor="end" class="tick">{v}</text>
                    })
                    .collect_view()}
                <text x=x_of(2.4) y=v_of(0.0) + 32.0 text-anchor="end" class="tick">"energy E"</text>
                <text x="6" y="14" class="tick">"recovered V"</text>
                // The legend.
                <circle cx="140" cy="14" r="5" class="recovered" />
                <text x="150" y="18" class="tick">"states"</text>
                <line x1="200" x2="222" y1="14" y2="14" class="fit-line" />
                <text x="228" y="18" class="tick">"fitted slope"</text>
                <line x1="310" x2="332" y1="14" y2="14" class="expected-line" />
                <text x="338" y="18" class="tick">"expected βn"</text>
                {move || {
                    let expected = beta.get() * n() as f64;
                    view! { <line x1=x_of(0.0) y1=v_of(0.0) x2=x_of(2.25) y2=v_of(expected * 2.25) class="expected-line" /> }
                }}
                {move || shown.get().map(|(points, slope, _)| view! {
                    <line x1=x_of(0.0) y1=v_of(0.0) x2=x_of(2.25) y2=v_of(slope * 2.25) class="fit-line" />
                    {points.into_iter().map(|(e, v)| view! { <circle cx=x_of(e) cy=v_of(v) r="5" class="recovered" /> }).collect_view()}
                })}
            </svg>
            <dl class="stats" id="l5-numbers">
                <div><dt>"Vote needs"</dt><dd id="l5-n">{move || format!("{} of {}", n(), votes.get())}</dd></div>
                <div>
                    <dt>"Slope of V against E (expected about βn = " {move || format::number(beta.get() * n() as f64, 2)} ")"</dt>
                    <dd id="l5-slope">{move || shown.get().map_or("–".into(), |(_, s, _)| format::number(s, 2))}</dd>
                </div>
                <div><dt>"Minimum action S"</dt><dd id="l5-action">{move || shown.get().map_or("–".into(), |(.., a)| format::number(a, 4))}</dd></div>
            </dl>
            <p>
                <button type="button" id="l5-compare" on:click=move |_| compare(())>
                    "Compare with β = 1 and no vote"
                </button>
                " opens both runs in Compare, which fits one landscape to them and measures the \
                 scale between them: about βn."
            </p>
        </LessonFrame>
    }
}
