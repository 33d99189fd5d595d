//! Lesson 1: two states. A token hops between A and B; the counts of hops become a ratio, and
//! the ratio a potential difference.

use balance_core::datasets::Dataset;
use balance_core::model::Counts;
use balance_core::simulate::{FewStates, Simulation};
use balance_core::{Preset, analyze};
use leptos::prelude::*;

use super::convergence::{Point, convergence_figure};
use super::link::Link;
use super::maths;
use super::predict::Predict;
use super::{LessonFrame, number, play_button};
use crate::format;

/// The lesson's id in links.
pub const ID: &str = "two-states";

/// The numbers shown after some samples.
#[derive(Debug, Clone, PartialEq)]
struct Figures {
    /// A→B and B→A hops.
    hops: [f64; 2],
    /// Attempts from A and from B.
    tries: [f64; 2],
    /// Where the token is (0: A, 1: B).
    at: usize,
    /// The estimated V(B) − V(A) ± its standard error, or why there is none yet.
    estimate: String,
    /// The estimate after each of a few dozen numbers of samples, spaced evenly on a log scale.
    track: Vec<Point>,
}

/// How many points the convergence figure gets.
const TRACK_POINTS: usize = 48;

/// V(B) − V(A) and its standard error from these counts, as Analyse would give them.
fn estimate(dataset: &Dataset) -> Option<(f64, f64)> {
    let r = analyze(dataset, &Preset::BalanceLab.settings(dataset).point_estimates()).ok()?;
    let v = |l: &str| {
        let s = r.states.iter().find(|s| s.label == l)?;
        Some((s.potential?, s.potential_se?))
    };
    let ((va, sa), (vb, sb)) = (v("A")?, v("B")?);
    Some((vb - va, sa.max(sb)))
}

/// Where the convergence figure starts: fewer samples say next to nothing.
const TRACK_FROM: usize = 10;

/// The estimate along the walk `path` (the state after each step, from A): after `k` samples
/// for `k` from 10 to all, spaced evenly on a log scale, wherever the token has hopped both ways.
fn track(path: &[usize]) -> Vec<Point> {
    let total = path.len();
    if total <= TRACK_FROM {
        return Vec::new();
    }
    let span = (total as f64 / TRACK_FROM as f64).ln();
    let mut marks: Vec<usize> = (0..TRACK_POINTS)
        .map(|k| {
            let x = (k as f64 / (TRACK_POINTS - 1) as f64) * span;
            ((TRACK_FROM as f64 * x.exp()).round() as usize).clamp(TRACK_FROM, total)
        })
        .collect();
    marks.dedup();
    // Attempts from A and B, and hops A→B and B→A, after each step.
    let (mut tries, mut hops, mut at) = ([0.0f64; 2], [0.0f64; 2], 0usize);
    let mut points = Vec::new();
    let mut next = marks.iter().peekable();
    for (step, &to) in path.iter().enumerate() {
        tries[at] += 1.0;
        if to != at {
            hops[at] += 1.0;
        }
        at = to;
        if next.peek().is_some_and(|&&m| m == step + 1) {
            next.next();
            let mut c = Counts::new();
            for (from, other) in [("A", "B"), ("B", "A")] {
                let k = usize::from(from == "B");
                c.add_state(from);
                if hops[k] > 0.0 {
                    c.add_transition(from, other, hops[k]);
                }
                if tries[k] > hops[k] {
                    c.add_rejection(from, tries[k] - hops[k]);
                }
            }
            if let Some((v, se)) = estimate(&Dataset::of_counts("walk", "", c)) {
                points.push(Point { samples: (step + 1) as f64, estimate: v, se });
            }
        }
    }
    points
}

fn simulate(delta: f64, seed: f64, samples: f64) -> (Simulation, Vec<usize>) {
    FewStates { energies: vec![0.0, delta], beta: 1.0 }.walk(seed as u64, samples as usize)
}

fn figures(delta: f64, seed: f64, samples: f64) -> Figures {
    let (sim, path) = simulate(delta, seed, samples);
    let c = &sim.dataset.counts;
    let (a, b) = (c.states().get("A"), c.states().get("B"));
    let (hops, tries) = match (a, b) {
        (Some(a), Some(b)) => ([c.count(a, b), c.count(b, a)], [c.attempts(a), c.attempts(b)]),
        _ => ([0.0; 2], [0.0; 2]),
    };
    let estimate = estimate(&sim.dataset)
        .map(|(v, se)| format!("{} ± {}", format::number(v, 2), format::number(se, 2)))
        .unwrap_or_else(|| "not yet: the token must hop both ways".to_owned());
    Figures { hops, tries, at: path.last().copied().unwrap_or(0), estimate, track: track(&path) }
}

/// The lesson.
#[component]
pub fn TwoStates(link: Link) -> impl IntoView {
    let delta = RwSignal::new(link.number("delta", -3.0, 3.0, 1.0));
    let seed = RwSignal::new(link.number("seed", 1.0, 1e9, 1.0).round());
    let samples = RwSignal::new(link.number("samples", 0.0, 1e6, 200.0).round());
    let shown = Memo::new(move |_| figures(delta.get(), seed.get(), samples.get()));
    let link = Signal::derive(move || {
        Link::of(ID, &[("delta", delta.get()), ("seed", seed.get()), ("samples", samples.get())])
    });
    let data = Callback::new(move |()| {
        let (sim, _) =
            simulate(delta.get_untracked(), seed.get_untracked(), samples.get_untracked());
        (sim.dataset, Some(sim.truth))
    });
    let lift = |e: f64| format!("--lift: {:.0}px", e * 24.0);
    view! {
        <LessonFrame
            id=ID
            title="1. Two states"
            link=link
            data=data
            text="A token hops between A and B. From A it tries B and moves there with a \
                  probability set by the energies, the higher the climb the less likely; going \
                  down it always moves. Count the hops: T(A→B) is the share of attempts from A \
                  that reached B. Detailed balance turns the ratio of the two shares into a \
                  potential difference. Set the energy gap, add samples, and watch the estimate \
                  close in on the truth while its error bar shrinks."
            formula=maths::two_state_ratio()
        >
            <Predict
                id="l1"
                question="B sits 1 above A. Of every 100 attempts from A, about 37 reach B \
                          (e⁻¹ ≈ 0.37). Of every 100 attempts from B, how many reach A?"
                choices=&[("About 37", false), ("About 63", false), ("About 100", true), ("About 14", false)]
                answer="Going down, the token always moves: all 100. The ratio 37 / 100 = e⁻¹ \
                        is exactly the potential difference of 1. Press Play and watch the two \
                        shares settle there."
            />
            <div class="lesson-controls">
                {number("l1-delta", "Energy of B above A ", -3.0, 3.0, 0.1, delta)}
                {number("l1-seed", "Seed ", 1.0, 1e6, 1.0, seed)}
                <button type="button" id="l1-more" on:click=move |_| samples.update(|n| *n += 1000.0)>
                    "+1,000 samples"
                </button>
                {play_button("l1-play", samples, 20.0)}
                <button type="button" id="l1-reset" on:click=move |_| samples.set(0.0)>
                    "Start again"
                </button>
            </div>
            <div class="two-states" aria-hidden="true">
                <div class="well" style=move || lift(-delta.get().min(0.0))>"A"</div>
                <div class="well" style=move || lift(delta.get().max(0.0))>"B"</div>
                <div class=move || if shown.with(|s| s.at) == 1 { "token at-b" } else { "token at-a" }></div>
            </div>
            <dl class="stats" id="l1-numbers">
                <div><dt>"Samples"</dt><dd id="l1-samples">{move || samples.get()}</dd></div>
                <div>
                    <dt>"A→B of tries from A"</dt>
                    <dd id="l1-ab">{move || shown.with(|s| format!("{} of {}", s.hops[0], s.tries[0]))}</dd>
                </div>
                <div>
                    <dt>"B→A of tries from B"</dt>
                    <dd id="l1-ba">{move || shown.with(|s| format!("{} of {}", s.hops[1], s.tries[1]))}</dd>
                </div>
                <div>
                    <dt>"Estimated V(B) − V(A)"</dt>
                    <dd id="l1-estimate">{move || shown.with(|s| s.estimate.clone())}</dd>
                </div>
                <div>
                    <dt>"True V(B) − V(A)"</dt>
                    <dd id="l1-truth">{move || format::number(delta.get(), 2)}</dd>
                </div>
            </dl>
            {convergence_figure(Signal::derive(move || (shown.with(|s| s.track.clone()), delta.get())))}
        </LessonFrame>
    }
}
