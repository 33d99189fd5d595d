//! Formatting of numbers for display. Nothing non-finite is ever shown as a number.

/// A count as people write it: integers without decimals, fractional counts with two.
pub fn count(value: f64) -> String {
    if !value.is_finite() {
        "–".to_owned()
    } else if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

/// A number with `digits` decimals ("–" if it is not finite).
pub fn number(value: f64, digits: usize) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let text = format!("{value:.digits$}");
    // A small negative number rounds to "-0.00": shown as the zero it is.
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_owned(),
        _ => text,
    }
}

/// "V ≥ x" or "V ≤ x": the one-sided bound of a state the data cannot place.
pub fn bound(b: &balance_core::potential::Bound) -> String {
    let sign = if b.kind == balance_core::potential::BoundKind::Lower { "≥" } else { "≤" };
    format!("V {sign} {}", number(b.value, 2))
}

/// `text` with its first letter in upper case: a message of the core's starting a sentence.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// "p = ..." for a p-value, or "p < 1e-300" when it underflows (the core's wording).
pub use balance_core::format::p_phrase as p_clause;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_numbers_that_round_to_zero_lose_their_sign() {
        assert_eq!(number(-0.0, 2), "0.00");
        assert_eq!(number(-0.004, 2), "0.00");
        assert_eq!(number(-0.006, 2), "-0.01");
        assert_eq!(number(-3.0, 0), "-3");
    }

    #[test]
    fn a_message_starts_a_sentence() {
        assert_eq!(capitalised("10 bootstrap replicates"), "10 bootstrap replicates");
        assert_eq!(capitalised("élan"), "Élan");
        assert_eq!(capitalised(""), "");
    }

    #[test]
    fn integers_have_no_decimals() {
        assert_eq!(count(4122.0), "4122");
        assert_eq!(count(0.0), "0");
        assert_eq!(count(333.333), "333.33");
    }

    #[test]
    fn non_finite_values_are_never_shown_as_numbers() {
        assert_eq!(count(f64::NAN), "–");
        assert_eq!(number(f64::INFINITY, 2), "–");
        assert_eq!(number(4.07369, 2), "4.07");
        assert_eq!(p_clause(0.0), "p < 1e-300");
        assert_eq!(p_clause(0.2894), "p = 0.2894");
    }
}
