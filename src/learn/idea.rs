//! The first page of Learn: what detailed balance is, in plain words and in formulas, why it
//! matters for an agent driven by a language model, and what each lesson lets you try.

use leptos::prelude::*;

use super::maths::{self, Formula};
use super::predict::Predict;

/// The page's id in links.
pub const ID: &str = "idea";

/// The lessons that follow, with what each one shows.
const MAP: [(&str, &str, &str); 6] = [
    (
        "two-states",
        "1. Two states",
        "counts of hops become a potential difference, and the estimate settles as samples come in",
    ),
    (
        "driven-cycle",
        "2. A driven cycle",
        "an agent that goes round a loop breaks detailed balance, and the tests catch it",
    ),
    (
        "landscape",
        "3. Shape a landscape",
        "you set five energies; the least-action potential recovers them",
    ),
    (
        "protocols",
        "4. Restarts or a trajectory",
        "where the attempts go decides which error bars shrink",
    ),
    (
        "voting",
        "5. Temperature and voting",
        "a colder agent, or a vote, makes the same landscape steeper",
    ),
    (
        "real-data",
        "6. The real thing",
        "the paper's Claude-4 and Gemini data: what they place, and what they cannot",
    ),
];

/// The page.
#[component]
pub fn Idea() -> impl IntoView {
    view! {
        <article class="lesson idea" id="lesson-idea">
            <h3>"Start here: what detailed balance is"</h3>
            <p class="lesson-text">
                "An agent built on a language model works in steps. It holds a state (a word, a \
                 draft, a formula), puts it into a prompt, and turns the model's answer into its \
                 next state. Run it many times from every state and you can count how often each \
                 state leads to each other one. Those counts are all this app needs."
            </p>
            <p class="lesson-text">
                "Picture many copies of the agent spread over its states, each taking steps. \
                 After a while the crowd stops changing: some states are busy, some almost empty. \
                 "<strong>"Detailed balance"</strong>" says more than that the crowd is steady: for "
                <em>"every pair"</em>" of states, as many copies step from f to g as from g back to \
                 f. No traffic goes round in circles. With π(f) the share of the crowd at f:"
            </p>
            <Formula mathml=maths::flows_balance() block=true />
            <p class="lesson-text">
                "When that holds, one number per state explains every step: a "<strong>"potential"</strong>
                " V, like height in a landscape. The agent moves downhill more readily than uphill, \
                 and the ratio of the two directions depends only on the difference in height \
                 (β sets how strongly, like an inverse temperature):"
            </p>
            <Formula mathml=maths::ratio_is_potential() block=true />
            <p class="lesson-text">
                "and the agent spends its time mostly in the valleys: "
                <Formula mathml=maths::time_spent() />
                ". In the lessons, E is the energy we give a simulated agent, and V the potential \
                 Balance Lab measures from its data; when detailed balance holds and β = 1, the \
                 two agree up to a constant."
            </p>
            <Predict
                id="idea"
                question="An agent moves from A to B in 30% of its attempts from A, and from B to A \
                          in 10% of its attempts from B. Which state is lower, and by how much?"
                choices=&[
                    ("A is lower, by about 1.1", false),
                    ("B is lower, by about 1.1", true),
                    ("B is lower, by 0.2", false),
                    ("You cannot tell from two numbers", false),
                ]
                answer="Moves go downhill more readily, so B, which the agent reaches three times \
                        as readily as it leaves, is lower: V(A) − V(B) = ln(0.3 / 0.1) = ln 3 ≈ 1.10 \
                        (with β = 1). The ratio, not the difference of the rates, sets the height."
            />
            <h4>"Why it matters for an agent"</h4>
            <p class="lesson-text">
                "The paper behind this app (arXiv:2512.10047) ran language-model agents on a word \
                 game thousands of times and found their steps close to detailed balance. If an \
                 agent obeys it, its whole behaviour is summed up by the potential: you can read \
                 which states it is drawn to and how strongly, predict where it settles, compare \
                 two models or two temperatures on one scale, and see a prompt change as a change \
                 of landscape. If it does not, the agent circulates: some loop of states is \
                 driven, and no landscape can describe it. Either answer is worth knowing, and \
                 both come with honest error bars here."
            </p>
            <p class="lesson-text">
                "Balance Lab finds the potential by least action: each observed step f→g, with \
                 weight w(f→g) (its share of the attempts from f), costs K(V(f) − V(g)), a \
                 function that is small when the step goes downhill; the potential is the V with \
                 the least total cost."
            </p>
            <Formula mathml=maths::action() block=true />
            <h4>"The lessons"</h4>
            <ol class="lesson-map" id="idea-map">
                {MAP
                    .into_iter()
                    .map(|(id, title, what)| view! {
                        <li>
                            <a href=format!("/learn/{id}")>{title}</a>
                            ": "
                            {what}
                            "."
                        </li>
                    })
                    .collect_view()}
            </ol>
        </article>
    }
}
