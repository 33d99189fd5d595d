//! The settings of a new experiment: provider, key, task, protocol, prices and budget. Every
//! field edits one [`Spec`]; a value that cannot be used says why and changes nothing.

use balance_agent::schedule::{Price, Protocol};
use balance_agent::spec::PaperModel;
use balance_agent::task::{Case, Invalid, PRESETS, Preset, Validator};
use balance_agent::{ProviderKind, Reasoning, Spec};
use leptos::prelude::*;

use super::keys;
use super::models::ModelListing;
use super::prices;
use crate::browser::Keep;

/// Reads a field's text into the spec.
type Setter = fn(&mut Spec, &str) -> Result<(), String>;

fn number<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, String> {
    text.trim().parse().map_err(|_| format!("{what}: {:?} is not a number", text.trim()))
}

fn finite(text: &str, what: &str) -> Result<f64, String> {
    let x: f64 = number(text, what)?;
    if x.is_finite() && x >= 0.0 { Ok(x) } else { Err(format!("{what} must be 0 or more")) }
}

fn list(text: &str) -> Vec<String> {
    text.split([',', '\n']).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
}

/// A labelled text field bound to the spec.
/// The name an experiment gets from its task and model.
fn automatic_name(s: &Spec) -> String {
    let task = match Preset::of(&s.task) {
        Some(p) if p.id == "word-sum-100" => "Word task".to_owned(),
        Some(Preset { paper_id: Some(id), .. }) => format!("{id} task"),
        _ => "Own task".to_owned(),
    };
    let who = match s.provider.kind {
        ProviderKind::Simulated => "simulated agent",
        _ if s.provider.model.is_empty() => s.provider.kind.label(),
        _ => s.provider.model.as_str(),
    };
    format!("{task}, {who}")
}

/// Renames `after` for its provider and model while the name is still one the app gave
/// (`before`'s automatic name, or a preset's): a name the person typed stays.
fn follow_name(before: &Spec, after: &mut Spec) {
    let given = before.name == automatic_name(before) || before.name.starts_with("Paper: ");
    if given {
        after.name = automatic_name(after);
    }
}

fn field(
    spec: RwSignal<Spec>,
    error: RwSignal<Option<String>>,
    id: &'static str,
    label: &'static str,
    get: fn(&Spec) -> String,
    set: Setter,
) -> impl IntoView {
    view! {
        <label>
            {label}
            <input
                id=id
                prop:value=move || spec.with(get)
                on:change=move |ev| {
                    let text = event_target_value(&ev);
                    let mut next = spec.get_untracked();
                    match set(&mut next, &text) {
                        Ok(()) => {
                            error.set(None);
                            spec.set(next);
                        }
                        Err(e) => error.set(Some(e)),
                    }
                }
            />
        </label>
    }
}

/// A labelled choice bound to the spec: `options` are (value, label) pairs.
fn choice(
    spec: RwSignal<Spec>,
    id: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    get: fn(&Spec) -> &'static str,
    set: fn(&mut Spec, &str),
) -> impl IntoView {
    view! {
        <label>
            {label}
            <select
                id=id
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    spec.update(|s| set(s, &value));
                }
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        view! {
                            <option value=value selected=move || spec.with(get) == value>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

fn validator_id(s: &Spec) -> &'static str {
    match s.task.validator {
        Validator::Any => "any",
        Validator::LetterSum { .. } => "letter-sum",
        Validator::LetterSumDivisible { .. } => "letter-sum-divisible",
        Validator::Word { .. } => "word",
        Validator::Number { .. } => "number",
        Validator::Regex(_) => "regex",
        Validator::OneOf(_) => "one-of",
    }
}

/// The one parameter of the validators that have one text parameter (K, pattern, list, D).
fn validator_param(s: &Spec) -> String {
    match &s.task.validator {
        Validator::LetterSum { target } => target.to_string(),
        Validator::LetterSumDivisible { divisor } => divisor.to_string(),
        Validator::Regex(x) => x.clone(),
        Validator::OneOf(l) => l.join(", "),
        Validator::Any | Validator::Word { .. } | Validator::Number { .. } => String::new(),
    }
}

/// An optional whole number typed in a field: empty is none.
fn optional(text: &str, what: &str) -> Result<Option<u32>, String> {
    if text.trim().is_empty() { Ok(None) } else { number(text, what).map(Some) }
}

/// Shows an optional number in a field.
fn shown(n: Option<u32>) -> String {
    n.map_or_else(String::new, |n| n.to_string())
}

fn protocol_id(s: &Spec) -> &'static str {
    match s.plan.protocol {
        Protocol::Uniform => "uniform",
        Protocol::Fixed(_) => "fixed",
        Protocol::Walk => "walk",
        Protocol::Planned => "planned",
    }
}

/// The experiments to start from: the built-in simulated agent and the paper's three models.
#[component]
pub fn Presets(spec: RwSignal<Spec>, error: RwSignal<Option<String>>) -> impl IntoView {
    let apply = move |next: Spec| {
        error.set(None);
        let mut next = next;
        next.plan.price = prices::price_of(&next.provider.model).unwrap_or(next.plan.price);
        spec.set(next);
    };
    view! {
        <div class="presets" role="group" aria-label="Start from">
            <span>"Start from: "</span>
            <button type="button" id="preset-simulated" on:click=move |_| apply(Spec::simulated_word_task())>
                "The simulated agent"
            </button>
            {PaperModel::ALL
                .into_iter()
                .map(|m| {
                    let label = Spec::paper(m).name.trim_end_matches(", word task").to_owned();
                    view! {
                        <button type="button" id=format!("preset-{}", m.id().replace('.', "-")) on:click=move |_| apply(Spec::paper(m))>
                            {label}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The provider's settings and the key.
#[component]
pub fn ProviderForm(
    spec: RwSignal<Spec>,
    error: RwSignal<Option<String>>,
    key_text: RwSignal<String>,
    keep: RwSignal<Keep>,
) -> impl IntoView {
    let kind = move || spec.with(|s| s.provider.kind);
    let kinds: Vec<(&'static str, &'static str)> =
        ProviderKind::ALL.into_iter().map(|k| (k.id(), k.label())).collect();
    let set_kind = |s: &mut Spec, v: &str| {
        if let Some(k) = ProviderKind::from_id(v) {
            let before = s.clone();
            s.provider.kind = k;
            s.provider.base_url = String::new();
            if k == ProviderKind::Simulated {
                s.provider.model = "simulated-word-task".into();
            } else if s.provider.model == "simulated-word-task" {
                s.provider.model = String::new();
            }
            s.plan.price = prices::price_of(&s.provider.model).unwrap_or_default();
            follow_name(&before, s);
        }
    };
    let reasoning: Vec<(&'static str, &'static str)> =
        Reasoning::ALL.into_iter().map(|r| (r.id(), r.label())).collect();
    let listing = ModelListing::new();
    let remote = move || kind().is_remote();
    view! {
        <fieldset class="form-group">
            <legend>"Provider"</legend>
            {choice(spec, "provider-kind", "Provider ", kinds, |s| s.provider.kind.id(), set_kind)}
            <Show when=remote>
                {field(spec, error, "base-url", "Base URL ", |s| s.provider.base_url.clone(), |s, t| {
                    s.provider.base_url = t.trim().trim_end_matches('/').to_owned();
                    Ok(())
                })}
                <span class="muted">{move || format!("(empty: {})", kind().default_base_url())}</span>
                <label>
                    "Model "
                    <input
                        id="model"
                        list="model-list"
                        prop:value=move || spec.with(|s| s.provider.model.clone())
                        on:change=move |ev| {
                            let t = event_target_value(&ev);
                            spec.update(|s| {
                                let before = s.clone();
                                s.provider.model = t.trim().to_owned();
                                s.plan.price = prices::price_of(&t).unwrap_or_default();
                                follow_name(&before, s);
                            });
                        }
                    />
                </label>
                <datalist id="model-list">
                    <For each=move || listing.suggestions(kind()) key=|m| m.id.clone() let:m>
                        <option value=m.id.clone()>{m.name.clone().unwrap_or_default()}</option>
                    </For>
                </datalist>
                <button type="button" id="load-models" class="small" on:click=move |_| listing.load(spec.get_untracked())>"Load models"</button>
                <Show when=move || spec.with(|s| s.provider.is_openrouter())>
                    <label>
                        <input
                            type="checkbox"
                            id="pin-route"
                            prop:checked=move || spec.with(|s| s.provider.pin_route)
                            on:change=move |ev| spec.update(|s| s.provider.pin_route = event_target_checked(&ev))
                        />
                        " keep one provider for the whole run (OpenRouter: no fallbacks, every parameter honoured)"
                    </label>
                </Show>
                {move || listing.message().map(|t| view! { <p class="muted" id="model-listing">{t}</p> })}
            </Show>
            {field(spec, error, "temperature", "Temperature ", |s| s.provider.temperature.to_string(), |s, t| {
                s.provider.temperature = finite(t, "the temperature")?;
                Ok(())
            })}
            {field(spec, error, "max-tokens", "Max tokens ", |s| s.provider.max_tokens.to_string(), |s, t| {
                s.provider.max_tokens = number(t, "max tokens")?;
                Ok(())
            })}
            {choice(spec, "reasoning", "Reasoning ", reasoning, |s| s.provider.reasoning.id(), |s, v| {
                if let Some(r) = Reasoning::from_id(v) {
                    s.provider.reasoning = r;
                }
            })}
            {field(spec, error, "answers-per-call", "Answers per call ", |s| s.provider.answers_per_call.to_string(), |s, t| {
                s.provider.answers_per_call = number(t, "answers per call")?;
                Ok(())
            })}
            <label>
                <input
                    type="checkbox"
                    id="logprobs"
                    prop:checked=move || spec.with(|s| s.provider.logprobs)
                    on:change=move |ev| spec.update(|s| s.provider.logprobs = event_target_checked(&ev))
                />
                " ask for the answers' log-probabilities"
            </label>
            <p class="muted" id="model-profile">
                {move || spec.with(|s| {
                    let mut text = s.provider.describe();
                    if let Err(e) = s.check() {
                        text.push_str(&format!(" Cannot run yet: {e}."));
                    }
                    text
                })}
            </p>
            {field(spec, error, "timeout", "Timeout (s) ", |s| s.provider.timeout_s.to_string(), |s, t| {
                s.provider.timeout_s = finite(t, "the timeout")?;
                Ok(())
            })}
            <Show when=move || !remote()>
                {field(spec, error, "latency", "Simulated latency (ms) ", |s| s.provider.latency_ms.to_string(), |s, t| {
                    s.provider.latency_ms = finite(t, "the latency")?;
                    Ok(())
                })}
            </Show>
            {field(spec, error, "system-prompt", "System prompt ", |s| s.provider.system_prompt.clone().unwrap_or_default(), |s, t| {
                s.provider.system_prompt = (!t.trim().is_empty()).then(|| t.to_owned());
                Ok(())
            })}
        </fieldset>
        <Show when=remote>
            <KeyForm spec=spec key_text=key_text keep=keep />
        </Show>
    }
}

/// The key: where it is kept, forgetting it, and where it goes.
#[component]
fn KeyForm(
    spec: RwSignal<Spec>,
    key_text: RwSignal<String>,
    keep: RwSignal<Keep>,
) -> impl IntoView {
    let kind = move || spec.with(|s| s.provider.kind);
    let notice = RwSignal::new(None::<String>);
    // The key field shows the kept key of the chosen provider (as dots).
    Effect::new(move |_| {
        key_text.set(keys::key(kind()).map(|_| "••••••••".to_owned()).unwrap_or_default());
    });
    view! {
        <fieldset class="form-group">
            <legend>"API key"</legend>
            <label>
                "Key "
                <input
                    id="api-key"
                    type="password"
                    autocomplete="off"
                    prop:value=move || key_text.get()
                    // Kept as it is typed, so that a click that does not take the focus from
                    // the field (as in some browsers) still starts with it.
                    on:input=move |ev| {
                        if let Err(e) = keys::set_key(kind(), &event_target_value(&ev)) {
                            notice.set(Some(format!("The key was not kept: {e}.")));
                        }
                    }
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        match keys::set_key(kind(), &text) {
                            Ok(()) => {
                                key_text.set(if text.trim().is_empty() { String::new() } else { "••••••••".into() });
                                notice.set(None);
                            }
                            Err(e) => notice.set(Some(format!("The key was not kept: {e}."))),
                        }
                    }
                />
            </label>
            <label>
                "Keep it "
                <select
                    id="key-storage"
                    on:change=move |ev| {
                        let k = if event_target_value(&ev) == "device" { Keep::Device } else { Keep::Tab };
                        match keys::choose_keep(k) {
                            Ok(()) => {
                                keep.set(k);
                                notice.set(None);
                            }
                            Err(e) => notice.set(Some(format!("Not moved: {e}."))),
                        }
                    }
                >
                    <option value="tab" selected=move || keep.get() == Keep::Tab>"in this tab only"</option>
                    <option value="device" selected=move || keep.get() == Keep::Device>"remembered on this device"</option>
                </select>
            </label>
            <button
                type="button"
                id="forget-key"
                on:click=move |_| {
                    keys::forget(kind());
                    key_text.set(String::new());
                    notice.set(Some("The key is forgotten.".into()));
                }
            >
                "Forget key"
            </button>
            <p class="muted" id="key-where">{move || spec.with(|s| keys::where_it_goes(&s.provider, keep.get()))}</p>
            {move || notice.get().map(|n| view! { <p class="muted" id="key-notice">{n}</p> })}
        </fieldset>
    }
}

/// The task: prompt, parser, validator, invalid answers.
#[component]
pub fn TaskForm(spec: RwSignal<Spec>, error: RwSignal<Option<String>>) -> impl IntoView {
    let presets: Vec<(&'static str, &'static str)> =
        PRESETS.iter().map(|p| (p.id, p.name)).collect();
    let preset_id = |s: &Spec| Preset::of(&s.task).map_or("custom", |p| p.id);
    let set_preset = |s: &mut Spec, v: &str| {
        let Some(preset) = Preset::find(v) else { return };
        let before = s.clone();
        s.task = preset.task();
        if !preset.seed.is_empty() {
            s.plan.seeds = vec![preset.seed.to_owned()];
            if let Protocol::Fixed(_) = s.plan.protocol {
                s.plan.protocol = Protocol::Fixed(s.plan.seeds.clone());
            }
        }
        follow_name(&before, s);
    };
    let checks = move || {
        spec.with(|s| match Preset::of(&s.task) {
            Some(p) => format!("Checks: {}.", p.checks),
            None => "Own task: the settings below say what is checked.".to_owned(),
        })
    };
    let cases = vec![("keep", "as answered"), ("upper", "UPPER case"), ("lower", "lower case")];
    let validators = vec![
        ("any", "any answer"),
        ("letter-sum", "letters sum to K"),
        ("letter-sum-divisible", "letter sum divisible by D"),
        ("word", "a word of N letters"),
        ("number", "a number of N digits"),
        ("regex", "matches a pattern"),
        ("one-of", "one of a list"),
    ];
    let set_validator = |s: &mut Spec, v: &str| {
        s.task.validator = match v {
            "letter-sum" => Validator::LetterSum { target: 100 },
            "letter-sum-divisible" => Validator::LetterSumDivisible { divisor: 10 },
            "word" => Validator::Word { letters: 5, starts_with: None },
            "number" => Validator::Number { digits: 3, digit_sum: None, divisible_by: None },
            "regex" => Validator::Regex("[A-Z]+".into()),
            "one-of" => Validator::OneOf(Vec::new()),
            _ => Validator::Any,
        };
    };
    let one_param = move || {
        spec.with(|s| {
            matches!(
                s.task.validator,
                Validator::LetterSum { .. }
                    | Validator::LetterSumDivisible { .. }
                    | Validator::Regex(_)
                    | Validator::OneOf(_)
            )
        })
    };
    let is_word = move || spec.with(|s| matches!(s.task.validator, Validator::Word { .. }));
    let is_number = move || spec.with(|s| matches!(s.task.validator, Validator::Number { .. }));
    view! {
        <fieldset class="form-group wide">
            <legend>"Task"</legend>
            {choice(spec, "task-preset", "Preset ", presets, preset_id, set_preset)}
            <p class="muted wide" id="task-checks">{checks}</p>
            <label class="wide">
                "Prompt ({state} is replaced by the state) "
                <textarea
                    id="template"
                    rows="4"
                    prop:value=move || spec.with(|s| s.task.template.clone())
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        spec.update(|s| s.task.template = text);
                    }
                ></textarea>
            </label>
            {choice(spec, "case", "Answer case ", cases, |s| match s.task.case {
                Case::Keep => "keep",
                Case::Upper => "upper",
                Case::Lower => "lower",
            }, |s, v| {
                s.task.case = match v { "upper" => Case::Upper, "lower" => Case::Lower, _ => Case::Keep };
            })}
            <label>
                <input
                    type="checkbox"
                    id="trim"
                    prop:checked=move || spec.with(|s| s.task.trim)
                    on:change=move |ev| spec.update(|s| s.task.trim = event_target_checked(&ev))
                />
                " trim spaces and a final full stop"
            </label>
            {field(spec, error, "extract", "Extract with pattern (optional) ", |s| s.task.extract.clone().unwrap_or_default(), |s, t| {
                s.task.extract = (!t.trim().is_empty()).then(|| t.trim().to_owned());
                Ok(())
            })}
            {choice(spec, "validator", "Valid when ", validators, validator_id, set_validator)}
            <Show when=one_param>
                {field(spec, error, "validator-param", "K / D / pattern / list ", validator_param, |s, t| {
                    s.task.validator = match &s.task.validator {
                        Validator::LetterSum { .. } => Validator::LetterSum { target: number(t, "K")? },
                        Validator::LetterSumDivisible { .. } => {
                            Validator::LetterSumDivisible { divisor: number(t, "D")? }
                        }
                        Validator::Regex(_) => Validator::Regex(t.trim().to_owned()),
                        Validator::OneOf(_) => Validator::OneOf(list(t)),
                        other => other.clone(),
                    };
                    Ok(())
                })}
            </Show>
            <Show when=is_word>
                {field(spec, error, "validator-letters", "Letters ", |s| match &s.task.validator {
                    Validator::Word { letters, .. } => letters.to_string(),
                    _ => String::new(),
                }, |s, t| {
                    if let Validator::Word { letters, .. } = &mut s.task.validator {
                        *letters = number(t, "Letters")?;
                    }
                    Ok(())
                })}
                {field(spec, error, "validator-starts", "Begins with (optional) ", |s| match &s.task.validator {
                    Validator::Word { starts_with, .. } => starts_with.clone().unwrap_or_default(),
                    _ => String::new(),
                }, |s, t| {
                    if let Validator::Word { starts_with, .. } = &mut s.task.validator {
                        *starts_with = (!t.trim().is_empty()).then(|| t.trim().to_owned());
                    }
                    Ok(())
                })}
            </Show>
            <Show when=is_number>
                {field(spec, error, "validator-digits", "Digits ", |s| match &s.task.validator {
                    Validator::Number { digits, .. } => digits.to_string(),
                    _ => String::new(),
                }, |s, t| {
                    if let Validator::Number { digits, .. } = &mut s.task.validator {
                        *digits = number(t, "Digits")?;
                    }
                    Ok(())
                })}
                {field(spec, error, "validator-digit-sum", "Digit sum (optional) ", |s| match &s.task.validator {
                    Validator::Number { digit_sum, .. } => shown(*digit_sum),
                    _ => String::new(),
                }, |s, t| {
                    if let Validator::Number { digit_sum, .. } = &mut s.task.validator {
                        *digit_sum = optional(t, "Digit sum")?;
                    }
                    Ok(())
                })}
                {field(spec, error, "validator-divisible", "Divisible by (optional) ", |s| match &s.task.validator {
                    Validator::Number { divisible_by, .. } => shown(*divisible_by),
                    _ => String::new(),
                }, |s, t| {
                    if let Validator::Number { divisible_by, .. } = &mut s.task.validator {
                        *divisible_by = optional(t, "Divisible by")?;
                    }
                    Ok(())
                })}
            </Show>
            {field(spec, error, "sink", "Invalid answers go to (empty: rejected) ", |s| match &s.task.invalid {
                Invalid::Sink(n) => n.clone(),
                Invalid::Reject => String::new(),
            }, |s, t| {
                s.task.invalid = if t.trim().is_empty() { Invalid::Reject } else { Invalid::Sink(t.trim().to_owned()) };
                Ok(())
            })}
            <label>
                <input
                    type="checkbox"
                    id="reject-repeats"
                    prop:checked=move || spec.with(|s| s.task.reject_repeats)
                    on:change=move |ev| spec.update(|s| s.task.reject_repeats = event_target_checked(&ev))
                />
                " reject answers that repeat the prompt's state"
            </label>
            <label>
                <input
                    type="checkbox"
                    id="strip-markup"
                    prop:checked=move || spec.with(|s| s.task.markup)
                    on:change=move |ev| spec.update(|s| s.task.markup = event_target_checked(&ev))
                />
                " take off markup and punctuation around one word (**Attitude**., \"ATTITUDE\")"
            </label>
        </fieldset>
    }
}

/// Seeds, protocol, size, concurrency, prices and budget.
#[component]
pub fn PlanForm(spec: RwSignal<Spec>, error: RwSignal<Option<String>>) -> impl IntoView {
    let protocols = vec![
        ("uniform", "the paper's: source uniform among discovered states"),
        ("fixed", "sources from a fixed list"),
        ("walk", "a walk: the next source is the last answer"),
        ("planned", "planned: where the next attempt shrinks the errors most"),
    ];
    let set_protocol = |s: &mut Spec, v: &str| {
        s.plan.protocol = match v {
            "fixed" => Protocol::Fixed(s.plan.seeds.clone()),
            "walk" => Protocol::Walk,
            "planned" => Protocol::Planned,
            _ => Protocol::Uniform,
        };
    };
    let price = move || spec.with(|s| s.plan.price);
    view! {
        <fieldset class="form-group">
            <legend>"Sampling"</legend>
            {field(spec, error, "name", "Name ", |s| s.name.clone(), |s, t| {
                s.name = t.trim().to_owned();
                Ok(())
            })}
            {field(spec, error, "seeds", "Seed state(s) ", |s| s.plan.seeds.join(", "), |s, t| {
                s.plan.seeds = list(t);
                Ok(())
            })}
            {choice(spec, "protocol", "Protocol ", protocols, protocol_id, set_protocol)}
            <Show when=move || spec.with(|s| s.plan.protocol == Protocol::Planned)>
                <p class="muted" id="planned-hint">
                    "Places the states found first, then spends each attempt where it shrinks the \
                     largest standard errors. It pays where some states rarely move: on a \
                     simulated deep well every error reached 0.1 with 2.8x fewer attempts than \
                     uniform restarts. Where every state moves about alike, no choice of sources \
                     does much better than uniform."
                </p>
            </Show>
            <Show when=move || spec.with(|s| matches!(s.plan.protocol, Protocol::Fixed(_)))>
                {field(spec, error, "sources", "Sources ", |s| match &s.plan.protocol {
                    Protocol::Fixed(l) => l.join(", "),
                    _ => String::new(),
                }, |s, t| {
                    s.plan.protocol = Protocol::Fixed(list(t));
                    Ok(())
                })}
            </Show>
            {field(spec, error, "attempts", "Attempts ", |s| s.plan.attempts.to_string(), |s, t| {
                s.plan.attempts = number(t, "attempts")?;
                Ok(())
            })}
            {field(spec, error, "concurrency", "Calls at once ", |s| s.plan.concurrency.to_string(), |s, t| {
                s.plan.concurrency = number(t, "calls at once")?;
                Ok(())
            })}
            {field(spec, error, "run-seed", "Random seed ", |s| s.plan.seed.to_string(), |s, t| {
                s.plan.seed = number(t, "the random seed")?;
                Ok(())
            })}
            {field(spec, error, "max-tries", "Tries per call ", |s| s.retry.max_attempts.to_string(), |s, t| {
                s.retry.max_attempts = number(t, "tries per call")?;
                Ok(())
            })}
        </fieldset>
        <fieldset class="form-group">
            <legend>"Cost"</legend>
            {field(spec, error, "price-in", "$ per million prompt tokens ", |s| s.plan.price.input_per_million.to_string(), |s, t| {
                s.plan.price.input_per_million = finite(t, "the prompt price")?;
                prices::set_price(&s.provider.model, s.plan.price)
            })}
            {field(spec, error, "price-out", "$ per million answer tokens ", |s| s.plan.price.output_per_million.to_string(), |s, t| {
                s.plan.price.output_per_million = finite(t, "the answer price")?;
                prices::set_price(&s.provider.model, s.plan.price)
            })}
            {field(spec, error, "budget", "Budget in $ (empty: none) ", |s| s.plan.budget.map(|b| b.to_string()).unwrap_or_default(), |s, t| {
                s.plan.budget = if t.trim().is_empty() { None } else { Some(finite(t, "the budget")?) };
                Ok(())
            })}
            <p id="cost-estimate">
                {move || {
                    let (ceiling, model, n, kind) = spec.with(|s| (s.cost_ceiling(), s.provider.model.clone(), s.plan.attempts, s.provider.kind));
                    let Price { input_per_million: i, output_per_million: o } = price();
                    let free = i == 0.0 && o == 0.0;
                    if free && kind == ProviderKind::Simulated {
                        return "The simulated agent costs nothing.".to_owned();
                    }
                    if free && prices::price_of(&model).is_none() {
                        return format!(
                            "No price is known for {}: enter its prices per million tokens \
                             (from the provider's price list) to see the most this run can \
                             cost. A model run on your own machine costs nothing: leave 0.",
                            if model.is_empty() { "this model" } else { model.as_str() }
                        );
                    }
                    format!(
                        "At most ${ceiling:.4} for {n} attempts of {model} (at ${i}/${o} per million \
                         prompt/answer tokens, every answer at its max tokens). Prices are yours \
                         to check: they are remembered per model on this device."
                    )
                }}
            </p>
        </fieldset>
    }
}
