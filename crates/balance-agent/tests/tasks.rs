//! Prompts, parsing and validation, the paper's word task first.

use balance_agent::simulated::Simulator;
use balance_agent::task::{Case, Invalid, Outcome, PRESETS, Preset, Task, Validator, letter_sum};

#[test]
fn letter_sums_match_the_papers_worked_examples() {
    for (word, sum) in
        [("KNOWLEDGE", 96), ("HARDWORK", 98), ("LUCK", 47), ("LOVE", 54), ("MONEY", 72)]
    {
        assert_eq!(letter_sum(word), Some(sum), "{word}");
    }
    // The paper's states are worth 100.
    for word in ["ATTITUDE", "TURKEY", "PERSONAL", "PROBLEMS", "BUZZY", "DISCIPLINE", "EXCELLENT"] {
        assert_eq!(letter_sum(word), Some(100), "{word}");
    }
    assert_eq!(letter_sum("attitude"), Some(100));
    assert_eq!(letter_sum("TWO WORDS"), None);
}

#[test]
fn the_word_task_prompts_parses_and_judges_as_the_paper() {
    let task = Task::word_sum_100();
    task.check().unwrap();
    let prompt = task.prompt("BUZZY");
    assert!(prompt.contains("An example word is BUZZY, whose letters add up to 100%."), "{prompt}");
    assert!(prompt.contains("KNOWLEDGE adds up to 96%"));
    assert!(prompt.ends_with("Only provide the word without any additional explanation."));
    assert_eq!(task.judge("BUZZY", "  attitude.\n"), Outcome::State("ATTITUDE".into()));
    assert_eq!(
        task.judge("BUZZY", "LOVE"),
        Outcome::Sink {
            state: "INVALID00".into(),
            reason: "letters do not add up to 100 (they add up to 54)".into()
        }
    );
    assert!(
        matches!(task.judge("BUZZY", "buzzy"), Outcome::Rejected { reason } if reason.contains("repeats"))
    );
    assert!(
        matches!(task.judge("BUZZY", "Sure! TURKEY"), Outcome::Rejected { reason } if reason == "not one word")
    );
    assert!(
        matches!(task.judge("BUZZY", "TURK3Y"), Outcome::Rejected { reason } if reason.contains("letters only"))
    );
    assert!(matches!(task.judge("BUZZY", "   "), Outcome::Rejected { .. }));
}

#[test]
fn extraction_regex_validation_lists_and_rejections() {
    let task = Task {
        template: "State {state}. Answer as <answer>X</answer>.".into(),
        trim: true,
        markup: false,
        case: Case::Lower,
        extract: Some("<answer>(.*?)</answer>".into()),
        validator: Validator::Regex("[a-z]+".into()),
        invalid: Invalid::Reject,
        reject_repeats: false,
    };
    task.check().unwrap();
    assert_eq!(task.prompt("s1"), "State s1. Answer as <answer>X</answer>.");
    assert_eq!(
        task.judge("s1", "I think <answer> North </answer>!"),
        Outcome::State("north".into())
    );
    assert!(
        matches!(task.judge("s1", "<answer>n0rth</answer>"), Outcome::Rejected { reason } if reason.contains("pattern"))
    );
    assert!(
        matches!(task.judge("s1", "no tags"), Outcome::Rejected { reason } if reason.contains("found nothing"))
    );
    // An answer that contains HTML stays plain text: it is only ever a state name.
    let list = Task {
        validator: Validator::OneOf(vec!["a".into(), "b".into()]),
        invalid: Invalid::Sink("OTHER".into()),
        extract: None,
        case: Case::Keep,
        ..task.clone()
    };
    assert_eq!(list.judge("a", "b"), Outcome::State("b".into()));
    assert!(matches!(list.judge("a", "<b>c</b>"), Outcome::Sink { state, .. } if state == "OTHER"));
    // Bad tasks say why.
    assert!(
        Task { template: "no placeholder".into(), ..Task::blank() }
            .check()
            .unwrap_err()
            .contains("{state}")
    );
    assert!(
        Task { extract: Some("(".into()), ..Task::blank() }
            .check()
            .unwrap_err()
            .contains("extraction")
    );
    assert!(Task { invalid: Invalid::Sink(" ".into()), ..Task::blank() }.check().is_err());
    assert_eq!(Task::blank().judge("x", " anything "), Outcome::State("anything".into()));
}

/// `answer` to `task` became the state `state`.
fn state(task: &Task, source: &str, answer: &str, state: &str) {
    assert_eq!(task.judge(source, answer), Outcome::State(state.into()), "{answer:?}");
}

/// `answer` to `task` went to the sink, for this reason.
fn sink(task: &Task, source: &str, answer: &str, reason: &str) {
    let sunk = Outcome::Sink { state: "INVALID00".into(), reason: reason.into() };
    assert_eq!(task.judge(source, answer), sunk, "{answer:?}");
}

/// `answer` to `task` was rejected, for this reason.
fn rejected(task: &Task, source: &str, answer: &str, reason: &str) {
    assert_eq!(task.judge(source, answer), Outcome::Rejected { reason: reason.into() });
}

#[test]
fn the_authors_six_tasks_are_presets_found_by_either_id() {
    for id in [
        "sum100",
        "five_letter_s",
        "digit_sum_15",
        "sum_div10",
        "seven_letter_words",
        "four_digit_div7",
    ] {
        let preset = Preset::find(id).unwrap_or_else(|| panic!("{id}"));
        assert_eq!(Preset::find(preset.id).map(|p| p.paper_id), Some(Some(id)));
        let task = preset.task();
        task.check().unwrap();
        assert_eq!(Preset::of(&task).map(|p| p.id), Some(preset.id));
        // The seed is a state of the task, and the prompt names it.
        let other = if preset.seed.chars().all(|c| c.is_ascii_digit()) { "0" } else { "X" };
        assert_eq!(task.judge(other, preset.seed), Outcome::State(preset.seed.into()), "{id}");
        assert!(task.prompt(preset.seed).contains(preset.seed));
        assert!(task.prompt(preset.seed).ends_with("without any additional explanation."));
        assert!(!preset.checks.is_empty());
    }
    // The paper's prompt stays the default of its task.
    assert_eq!(Preset::find("sum100").unwrap().task(), Task::word_sum_100());
    assert_eq!(PRESETS.len(), 7, "the six tasks and the blank one");
    assert!(Preset::find("no-such-task").is_none());
}

#[test]
fn each_validator_says_exactly_what_failed() {
    let five_s = Preset::find("five-letter-s").unwrap().task();
    state(&five_s, "STONE", "**snake**.", "SNAKE");
    sink(&five_s, "STONE", "STARTS", "6 letters, not 5");
    sink(&five_s, "STONE", "TABLE", "does not begin with S");
    rejected(&five_s, "STONE", "STONE", "repeats the prompt's state");
    rejected(&five_s, "STONE", "S-CAR", "not a word of letters only");
    rejected(&five_s, "STONE", "SHORT WORD", "not one word");

    let seven = Preset::find("seven-letter-words").unwrap().task();
    state(&seven, "EXAMPLE", "Balance", "BALANCE");
    sink(&seven, "EXAMPLE", "BALANCES", "8 letters, not 7");

    let div10 = Preset::find("sum-div-10").unwrap().task();
    state(&div10, "BUZZY", "ATTITUDE", "ATTITUDE");
    state(&div10, "BUZZY", "apple", "APPLE"); // 1 + 16 + 16 + 12 + 5 = 50
    sink(&div10, "BUZZY", "LUCK", "letters add up to 47, which is not a multiple of 10");

    let fifteen = Preset::find("digit-sum-15").unwrap().task();
    state(&fifteen, "159", " 483. ", "483");
    sink(&fifteen, "159", "482", "digits add up to 14, not 15");
    sink(&fifteen, "159", "1599", "4 digits, not 3");
    sink(&fifteen, "159", "069", "begins with 0");
    rejected(&fifteen, "159", "four hundred", "not one number");
    rejected(&fifteen, "159", "1,59", "not a number of digits only");
    rejected(&fifteen, "159", "159", "repeats the prompt's state");

    let sevens = Preset::find("four-digit-div-7").unwrap().task();
    state(&sevens, "1001", "1008", "1008");
    sink(&sevens, "1001", "1009", "not divisible by 7");
    sink(&sevens, "1001", "994", "3 digits, not 4");
}

#[test]
fn validators_that_cannot_be_met_are_refused_before_a_run() {
    let with = |validator: Validator| Task { validator, ..Task::blank() }.check();
    assert!(with(Validator::LetterSumDivisible { divisor: 0 }).is_err());
    assert!(with(Validator::Word { letters: 0, starts_with: None }).is_err());
    assert!(with(Validator::Word { letters: 5, starts_with: Some(" ".into()) }).is_err());
    assert!(with(Validator::Number { digits: 0, digit_sum: None, divisible_by: None }).is_err());
    assert!(with(Validator::Number { digits: 20, digit_sum: None, divisible_by: None }).is_err());
    assert!(with(Validator::Number { digits: 3, digit_sum: None, divisible_by: Some(0) }).is_err());
    // Written and read back as run files and share links hold them.
    for p in PRESETS {
        let json = serde_json::to_string(&p.task()).unwrap();
        assert_eq!(serde_json::from_str::<Task>(&json).unwrap(), p.task(), "{json}");
    }
}

#[test]
fn the_simulated_agent_answers_the_number_tasks_and_the_letter_sums_and_says_what_it_cannot() {
    for id in ["sum100", "sum_div10", "digit_sum_15", "four_digit_div7"] {
        assert!(Simulator::for_task(&Preset::find(id).unwrap().task()).is_ok(), "{id}");
    }
    for id in ["five_letter_s", "seven_letter_words", "blank"] {
        let refused = Simulator::for_task(&Preset::find(id).unwrap().task()).unwrap_err();
        assert!(refused.contains("needs a real model"), "{id}: {refused}");
    }
    let none = Task {
        validator: Validator::Number { digits: 2, digit_sum: Some(30), divisible_by: None },
        ..Task::blank()
    };
    assert_eq!(Simulator::for_task(&none).unwrap_err(), "no number meets the task's conditions");
}
