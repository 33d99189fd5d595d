//! Prompts, parsing and validation, the paper's word task first.

use balance_agent::task::{Case, Invalid, Outcome, Task, Validator, letter_sum};

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
