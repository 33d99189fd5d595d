//! Lesson 2: a driven three-state cycle. A drive makes the agent step forward more often than
//! back; the loop test, the cycle affinity and the likelihood-ratio test respond.

use balance_core::report::Report;
use balance_core::simulate::{DrivenCycle, Simulation};
use balance_core::{Preset, analyze};
use leptos::prelude::*;

use super::link::Link;
use super::maths;
use super::predict::Predict;
use super::{LessonFrame, number};
use crate::format;

/// The lesson's id in links.
pub const ID: &str = "driven-cycle";

/// Steps happen with this probability per attempt (split forward and back by the drive).
const RATE: f64 = 0.6;

fn simulate(drive: f64, seed: f64, attempts: f64) -> Simulation {
    DrivenCycle::with_drive(3, RATE, drive, attempts as usize).run(seed as u64, attempts as usize)
}

fn report(drive: f64, seed: f64, attempts: f64) -> Option<(Report, [[f64; 3]; 3])> {
    let sim = simulate(drive, seed, attempts);
    let d = &sim.dataset;
    let r = analyze(d, &Preset::BalanceLab.settings(d).point_estimates()).ok()?;
    let c = &d.counts;
    let mut flows = [[0.0; 3]; 3];
    for (f, row) in flows.iter_mut().enumerate() {
        for (g, x) in row.iter_mut().enumerate() {
            if let (Some(a), Some(b)) =
                (c.states().get(&format!("C{f}")), c.states().get(&format!("C{g}")))
            {
                *x = c.count(a, b);
            }
        }
    }
    Some((r, flows))
}

/// Corners of the triangle the three states sit on.
const CORNERS: [(f64, f64); 3] = [(150.0, 30.0), (260.0, 200.0), (40.0, 200.0)];

/// An arrow from state `f` to `g`, offset to its side so the two directions do not overlap.
fn arrow(f: usize, g: usize, count: f64, most: f64) -> impl IntoView {
    let ((x1, y1), (x2, y2)) = (CORNERS[f], CORNERS[g]);
    let (dx, dy) = (x2 - x1, y2 - y1);
    let len = (dx * dx + dy * dy).sqrt();
    let (nx, ny) = (-dy / len * 7.0, dx / len * 7.0);
    let (sx, sy, ex, ey) =
        (x1 + dx * 0.15 + nx, y1 + dy * 0.15 + ny, x2 - dx * 0.15 + nx, y2 - dy * 0.15 + ny);
    let width = 1.0 + 9.0 * count / most.max(1.0);
    let forward = g == (f + 1) % 3;
    view! {
        <line
            x1=sx y1=sy x2=ex y2=ey
            class=if forward { "flow forward" } else { "flow backward" }
            style=format!("stroke-width: {width:.1}px")
            marker-end="url(#flow-head)"
        />
    }
}

/// The lesson.
#[component]
pub fn DrivenCycleLesson(link: Link) -> impl IntoView {
    let drive = RwSignal::new(link.number("drive", 0.0, 3.0, 1.0));
    let seed = RwSignal::new(link.number("seed", 1.0, 1e9, 1.0).round());
    let attempts = RwSignal::new(link.number("attempts", 300.0, 100_000.0, 3000.0).round());
    let result = Memo::new(move |_| {
        report(drive.get(), seed.get(), attempts.get()).map(|(r, flows)| {
            let cycle = r.cycles.first().map(|c| (c.affinity.abs(), c.se));
            (
                r.loops.chi2,
                r.loops.n,
                cycle,
                r.lrt.statistic,
                r.lrt.p_value,
                r.entropy_production.value,
                flows,
            )
        })
    });
    let link = Signal::derive(move || {
        Link::of(ID, &[("drive", drive.get()), ("seed", seed.get()), ("attempts", attempts.get())])
    });
    let data = Callback::new(move |()| {
        let sim = simulate(drive.get_untracked(), seed.get_untracked(), attempts.get_untracked());
        let truth = (!sim.truth.is_empty()).then_some(sim.truth);
        (sim.dataset, truth)
    });
    view! {
        <LessonFrame
            id=ID
            title="2. A driven cycle"
            link=link
            data=data
            text="Three states on a ring. With the drive on, the agent steps forward (blue) more \
                  often than back (vermillion): a current goes round, and no potential can explain \
                  it. Under detailed balance the product of the ratios T(f→g)/T(g→f) around the \
                  loop is 1. Its logarithm is the cycle affinity; the loop test asks whether it is \
                  0 within the noise; the likelihood-ratio test G compares the best reversible \
                  kernel with the free one. Turn up the drive and watch all three grow."
            formula=maths::affinity()
        >
            <Predict
                id="l2"
                question="At drive 1, each step forward is e ≈ 2.7 times as likely as the step \
                          back. What is the cycle affinity around the ring of three?"
                choices=&[("0", false), ("1", false), ("e ≈ 2.7", false), ("3", true)]
                answer="Each of the three steps adds ln(forward / back) = 1 to the logarithm of \
                        the product: 3. Under detailed balance it would be 0, whatever the rates. \
                        The measured affinity below comes out near 3 (3.29 ± 0.16 on seed 1; \
                        over 200 seeds it averages 3.02)."
            />
            <div class="lesson-controls">
                {number("l2-drive", "Drive ln(forward/back) ", 0.0, 3.0, 0.1, drive)}
                {number("l2-attempts", "Attempts ", 300.0, 100_000.0, 100.0, attempts)}
                {number("l2-seed", "Seed ", 1.0, 1e6, 1.0, seed)}
            </div>
            <svg class="cycle" viewBox="0 0 300 230" role="img" aria-label="The three states and the flows between them">
                <defs>
                    <marker id="flow-head" viewBox="0 0 10 10" refX="8" refY="5" markerUnits="userSpaceOnUse" markerWidth="12" markerHeight="12" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="flow-head" />
                    </marker>
                </defs>
                {move || result.get().map(|(.., flows)| {
                    let most = flows.iter().flatten().copied().fold(0.0, f64::max);
                    (0..3)
                        .flat_map(|f| [(f, (f + 1) % 3), (f, (f + 2) % 3)])
                        .map(|(f, g)| arrow(f, g, flows[f][g], most))
                        .collect_view()
                })}
                {CORNERS
                    .iter()
                    .enumerate()
                    .map(|(i, (x, y))| view! {
                        <circle cx=*x cy=*y r="18" class="node" />
                        <text x=*x y=y + 5.0 text-anchor="middle" class="node-label">{format!("C{i}")}</text>
                    })
                    .collect_view()}
            </svg>
            <dl class="stats" id="l2-numbers">
                {move || match result.get() {
                    None => view! { <div><dt>"Analysis"</dt><dd>"not possible with these data"</dd></div> }.into_any(),
                    Some((chi2, loops, cycle, g, p, sigma, _)) => view! {
                        <div><dt>"Loop test χ² (" {loops} " loop)"</dt><dd id="l2-loop">{format::number(chi2, 2)}</dd></div>
                        <div>
                            <dt>"Cycle affinity (true " {move || format::number(3.0 * drive.get(), 2)} ")"</dt>
                            <dd id="l2-affinity">{cycle.map_or("–".into(), |(a, se)| format!("{} ± {}", format::number(a, 2), format::number(se, 2)))}</dd>
                        </div>
                        <div><dt>"Likelihood ratio G"</dt><dd id="l2-g">{format::number(g, 2)}</dd></div>
                        <div><dt>"Its p-value"</dt><dd id="l2-p">{p.map_or("–".into(), format::p_clause)}</dd></div>
                        <div><dt>"Entropy production"</dt><dd id="l2-entropy">{sigma.map_or_else(|| "unbounded: a step never reversed".to_owned(), |s| format::number(s, 4))}</dd></div>
                    }.into_any(),
                }}
            </dl>
        </LessonFrame>
    }
}
