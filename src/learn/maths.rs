//! The lessons' formulas, written in MathML so the browser typesets them as mathematics (no
//! script, no web font, nothing to download). The notation is the lessons' own: `E` is the
//! energy a simulation is given, `V` the potential measured from its data, `T(f→g)` the share of
//! attempts from `f` that reach `g`, `π` where the agent spends its time, `β` the inverse
//! temperature.

use leptos::prelude::*;

/// An identifier (italic, as maths has it).
fn i(name: &str) -> String {
    format!("<mi>{name}</mi>")
}

/// An operator or a bracket.
fn o(op: &str) -> String {
    format!("<mo>{op}</mo>")
}

/// A number.
fn n(x: &str) -> String {
    format!("<mn>{x}</mn>")
}

/// `a` over `b`.
fn frac(a: &str, b: &str) -> String {
    format!("<mfrac><mrow>{a}</mrow><mrow>{b}</mrow></mfrac>")
}

/// `base` raised to `power`.
fn sup(base: &str, power: &str) -> String {
    format!("<msup><mrow>{base}</mrow><mrow>{power}</mrow></msup>")
}

/// `f(x)`: a function of one argument.
fn call(f: &str, x: &str) -> String {
    format!("{}{}{x}{}", i(f), o("("), o(")"))
}

/// `f→g`: a step.
fn step(f: &str, g: &str) -> String {
    format!("{}{}{}", i(f), o("→"), i(g))
}

/// `T(f→g)`.
fn t(f: &str, g: &str) -> String {
    call("T", &step(f, g))
}

/// `V(f) − V(g)` or `E(f) − E(g)`.
fn gap(v: &str, f: &str, g: &str) -> String {
    format!("{}{}{}", call(v, &i(f)), o("−"), call(v, &i(g)))
}

/// Flow balance: `π(f) T(f→g) = π(g) T(g→f)`.
pub fn flows_balance() -> String {
    format!("{}{}{}{}{}", call("π", &i("f")), t("f", "g"), o("="), call("π", &i("g")), t("g", "f"))
}

/// The potential: `T(f→g) / T(g→f) = e^{β(V(f) − V(g))}`.
pub fn ratio_is_potential() -> String {
    let power = format!("{}{}{}{}", i("β"), o("("), gap("V", "f", "g"), o(")"));
    format!("{}{}{}", frac(&t("f", "g"), &t("g", "f")), o("="), sup(&i("e"), &power))
}

/// Time spent: `π(f) ∝ e^{−βV(f)}`.
pub fn time_spent() -> String {
    let power = format!("{}{}{}", o("−"), i("β"), call("V", &i("f")));
    format!("{}{}{}", call("π", &i("f")), o("∝"), sup(&i("e"), &power))
}

/// The two states' ratio: `T(A→B) / T(B→A) = e^{V(A) − V(B)}`.
pub fn two_state_ratio() -> String {
    format!("{}{}{}", frac(&t("A", "B"), &t("B", "A")), o("="), sup(&i("e"), &gap("V", "A", "B")))
}

/// The simulated agent's rule: a move `f→g` is kept with probability `min(1, e^{E(f) − E(g)})`.
pub fn metropolis() -> String {
    let one = format!("{}{}", n("1"), o(","));
    let min = format!("{}{}{one}{}{}", i("min"), o("("), sup(&i("e"), &gap("E", "f", "g")), o(")"));
    format!("{}{}{min}", call("P", &step("f", "g")), o("="))
}

/// The cycle affinity of a loop of three states f → g → h → f.
pub fn affinity() -> String {
    let forward = format!("{}{}{}", t("f", "g"), t("g", "h"), t("h", "f"));
    let back = format!("{}{}{}", t("f", "h"), t("h", "g"), t("g", "f"));
    format!("{}{}{}{}", i("𝒜"), o("="), i("ln"), frac(&forward, &back))
}

/// The action the potential minimises: `S[V] = (1/n) Σ w(f→g) K(V(f) − V(g))`.
pub fn action() -> String {
    let w = call("w", &step("f", "g"));
    let sum = format!("<munder>{}<mrow>{}</mrow></munder>", o("∑"), step("f", "g"));
    let left = format!("{}{}{}{}{}", i("S"), o("["), i("V"), o("]"), o("="));
    format!("{left}{}{sum}{w}{}", frac(&n("1"), &i("n")), call("K", &gap("V", "f", "g")))
}

/// The error of a difference of potentials, set by the moves counted each way:
/// `SE(V(f) − V(g)) ≈ √(1/N(f→g) + 1/N(g→f))`.
pub fn pair_error() -> String {
    let count = |f: &str, g: &str| frac(&n("1"), &call("N", &step(f, g)));
    let root = format!("<msqrt>{}{}{}</msqrt>", count("f", "g"), o("+"), count("g", "f"));
    format!("{}{}{root}", call("SE", &gap("V", "f", "g")), o("≈"))
}

/// Voting steepens the landscape: `V_vote ≈ n β E`.
pub fn voted_potential() -> String {
    format!("<msub>{}{}</msub>{}{}{}{}", i("V"), i("vote"), o("≈"), i("n"), i("β"), i("E"))
}

/// A formula on a line of its own (`block`) or in the text, from MathML made by this module.
#[component]
pub fn Formula(
    /// The MathML inside the `<math>` element.
    mathml: String,
    /// Shown as a display formula on its own line.
    #[prop(optional)]
    block: bool,
) -> impl IntoView {
    let display = if block { "block" } else { "inline" };
    let html = format!("<math display=\"{display}\">{mathml}</math>");
    view! { <span class=if block { "formula block" } else { "formula" } inner_html=html></span> }
}
