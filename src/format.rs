//! Formatting of numbers for display.

/// A count as people write it: integers without decimals, fractional counts with two.
pub fn count(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn integers_have_no_decimals() {
        assert_eq!(super::count(4122.0), "4122");
        assert_eq!(super::count(0.0), "0");
        assert_eq!(super::count(333.333), "333.33");
    }
}
