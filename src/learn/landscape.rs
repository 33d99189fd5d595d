//! Lesson 3: a landscape the person shapes. Five states whose energies are set by sliders; the
//! paper's restart sampling collects attempts, and the recovered potentials converge to the
//! true ones with error bars that shrink.

use balance_core::simulate::{FewStates, Simulation};
use balance_core::{Preset, analyze};
use leptos::prelude::*;

use super::link::Link;
use super::maths;
use super::predict::Predict;
use super::{LessonFrame, number, play_button};
use crate::format;

/// The lesson's id in links.
pub const ID: &str = "landscape";

/// The states: name, its slider's id and label, and its starting energy.
const STATES: [(&str, &str, &str, f64); 5] = [
    ("A", "l3-a", "E(A) ", 0.0),
    ("B", "l3-b", "E(B) ", 1.5),
    ("C", "l3-c", "E(C) ", 0.5),
    ("D", "l3-d", "E(D) ", 2.5),
    ("E", "l3-e", "E(E) ", 1.0),
];

/// Where the drawing's potential axis stands, in its pixels.
const AXIS_X: f64 = 44.0;

/// The height in the drawing of potential `v` (40 pixels a unit, -0.5 to 4.5 shown).
fn y_of(v: f64) -> f64 {
    215.0 - (v.clamp(-0.5, 4.5) + 0.5) * 38.0
}

fn simulate(energies: &[f64], seed: f64, samples: f64) -> Simulation {
    FewStates { energies: energies.to_vec(), beta: 1.0 }.restarts(seed as u64, samples as usize)
}

/// For each state: true V, recovered V and its standard error (lowest true state at 0 for
/// both); and the root-mean-square error and mean standard error over the placed states.
#[derive(Debug, Clone, PartialEq)]
struct Fit {
    rows: Vec<(f64, Option<(f64, f64)>)>,
    rms: Option<f64>,
    mean_se: Option<f64>,
}

fn fit(energies: &[f64], seed: f64, samples: f64) -> Fit {
    let sim = simulate(energies, seed, samples);
    let report =
        analyze(&sim.dataset, &Preset::BalanceLab.settings(&sim.dataset).point_estimates()).ok();
    let recovered = |label: &str| {
        let s = report.as_ref()?.states.iter().find(|s| s.label == label)?;
        Some((s.potential?, s.potential_se?))
    };
    // Compare in the truth's gauge: shift the recovered values so their mean over the placed
    // states equals the truth's mean there.
    let pairs: Vec<(f64, Option<(f64, f64)>)> = STATES
        .iter()
        .map(|(l, ..)| (sim.truth.get(*l).copied().unwrap_or(0.0), recovered(l)))
        .collect();
    let placed: Vec<(f64, f64, f64)> =
        pairs.iter().filter_map(|(t, r)| r.map(|(v, se)| (*t, v, se))).collect();
    if placed.len() < 2 {
        return Fit { rows: pairs, rms: None, mean_se: None };
    }
    let n = placed.len() as f64;
    let shift = placed.iter().map(|(t, v, _)| t - v).sum::<f64>() / n;
    let rows = pairs.into_iter().map(|(t, r)| (t, r.map(|(v, se)| (v + shift, se)))).collect();
    let rms = (placed.iter().map(|(t, v, _)| (v + shift - t).powi(2)).sum::<f64>() / n).sqrt();
    let mean_se = placed.iter().map(|(.., se)| se).sum::<f64>() / n;
    Fit { rows, rms: Some(rms), mean_se: Some(mean_se) }
}

/// The lesson.
#[component]
pub fn Landscape(link: Link) -> impl IntoView {
    let energies: Vec<RwSignal<f64>> = STATES
        .iter()
        .map(|(l, .., e)| RwSignal::new(link.number(&l.to_lowercase(), 0.0, 4.0, *e)))
        .collect();
    let seed = RwSignal::new(link.number("seed", 1.0, 1e9, 1.0).round());
    let samples = RwSignal::new(link.number("samples", 10.0, 1e6, 300.0).round());
    let values = {
        let energies = energies.clone();
        move || energies.iter().map(|e| e.get()).collect::<Vec<f64>>()
    };
    let shown = {
        let values = values.clone();
        Memo::new(move |_| fit(&values(), seed.get(), samples.get()))
    };
    let link = {
        let values = values.clone();
        Signal::derive(move || {
            let v = values();
            let mut params: Vec<(String, f64)> =
                STATES.iter().zip(&v).map(|((l, ..), e)| (l.to_lowercase(), *e)).collect();
            params.push(("seed".into(), seed.get()));
            params.push(("samples".into(), samples.get()));
            let refs: Vec<(&str, f64)> = params.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            Link::of(ID, &refs)
        })
    };
    let data = {
        let values = values.clone();
        Callback::new(move |()| {
            let sim = simulate(&values(), seed.get_untracked(), samples.get_untracked());
            (sim.dataset, Some(sim.truth))
        })
    };
    view! {
        <LessonFrame
            id=ID
            title="3. Shape a landscape"
            link=link
            data=data
            text="Five states; the sliders set their energies. The agent samples the paper's way: \
                  each attempt starts from a state drawn among those found so far, proposes another \
                  and moves with the probability below. From the counts Balance Lab \
                  fits the least-action potential. Grey bars are the truth, blue dots the recovered \
                  potentials with their error bars. Add samples and watch the dots settle on the \
                  bars and the error bars shrink; reshape the landscape and watch them follow."
            formula=maths::metropolis()
        >
            <Predict
                id="l3"
                question="Raise E(D) from 2.5 to 4 and keep the samples. Does D's error bar grow \
                          or shrink?"
                choices=&[("It grows", true), ("It shrinks", false), ("It stays the same", false)]
                answer="It grows. Leaving D is downhill and always happens, but reaching D is an \
                        uphill move taken rarely; fewer arrivals mean a noisier ratio, so a wider \
                        error bar, and with few samples D may not be reached often enough to be \
                        placed at all. Try it: drag E(D) and watch its bar."
            />
            <div class="lesson-controls">
                {STATES
                    .iter()
                    .zip(energies.iter().copied())
                    .map(|((_, id, label, _), e)| number(id, label, 0.0, 4.0, 0.1, e))
                    .collect_view()}
            </div>
            <div class="lesson-controls">
                {number("l3-seed", "Seed ", 1.0, 1e6, 1.0, seed)}
                <button type="button" id="l3-more" on:click=move |_| samples.update(|n| *n *= 4.0)>"×4 samples"</button>
                {play_button("l3-play", samples, 50.0)}
                <button type="button" id="l3-reset" on:click=move |_| samples.set(300.0)>"Start again"</button>
            </div>
            <svg class="levels" viewBox="0 0 440 250" role="img" aria-label="True and recovered potentials of the five states">
                // The potential axis, 0 to 4, with its ticks.
                <line x1=AXIS_X y1=y_of(-0.5) x2=AXIS_X y2=y_of(4.5) class="axis" />
                {(0..=4)
                    .map(|v| {
                        let y = y_of(f64::from(v));
                        view! {
                            <line x1=AXIS_X - 4.0 x2=AXIS_X y1=y y2=y class="axis" />
                            <text x=AXIS_X - 7.0 y=y + 4.0 text-anchor="end" class="tick">{v}</text>
                        }
                    })
                    .collect_view()}
                <text x="6" y="14" class="tick">"V (true and recovered)"</text>
                // The legend.
                <line x1="250" x2="270" y1="12" y2="12" class="truth-level" />
                <text x="276" y="16" class="tick">"true energy"</text>
                <circle cx="260" cy="30" r="5" class="recovered" />
                <text x="276" y="34" class="tick">"recovered V ± SE"</text>
                {move || shown.with(|f| {
                    f.rows
                        .iter()
                        .enumerate()
                        .map(|(i, (truth, got))| {
                            let x = 95.0 + i as f64 * 75.0;
                            view! {
                                <line x1=x - 24.0 x2=x + 24.0 y1=y_of(*truth) y2=y_of(*truth) class="truth-level" />
                                {got.map(|(v, se)| view! {
                                    <line x1=x x2=x y1=y_of(v - se) y2=y_of(v + se) class="error-bar" />
                                    <circle cx=x cy=y_of(v) r="5" class="recovered" />
                                })}
                                <text x=x y="246" text-anchor="middle" class="node-label">{STATES[i].0}</text>
                            }
                        })
                        .collect_view()
                })}
            </svg>
            <dl class="stats" id="l3-numbers">
                <div><dt>"Samples"</dt><dd id="l3-samples">{move || samples.get()}</dd></div>
                <div><dt>"Error against the truth (RMS)"</dt><dd id="l3-rms">{move || shown.with(|f| f.rms.map_or("–".into(), |x| format::number(x, 3)))}</dd></div>
                <div><dt>"Mean error bar (SE)"</dt><dd id="l3-se">{move || shown.with(|f| f.mean_se.map_or("–".into(), |x| format::number(x, 3)))}</dd></div>
            </dl>
        </LessonFrame>
    }
}
