//! Numbers as the report's sentences write them (the verdict, the notes); nothing non-finite is
//! ever written as a number.

/// A number in a sentence: no decimals from 1,000, two from 1, three significant digits below.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return "–".to_owned();
    }
    let a = x.abs();
    if a >= 1000.0 {
        format!("{x:.0}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else if a == 0.0 {
        "0".to_owned()
    } else {
        let digits = (2.0 - a.log10().floor()).clamp(0.0, 17.0) as usize;
        format!("{x:.digits$}")
    }
}

/// A p-value: four decimals, or scientific notation below 0.001.
pub fn p_value(p: f64) -> String {
    if !p.is_finite() {
        "–".to_owned()
    } else if p < 1e-3 {
        format!("{p:.2e}")
    } else {
        format!("{p:.4}")
    }
}

/// "p = ..." for a p-value, or "p < 1e-300" when it underflows.
pub fn p_phrase(p: f64) -> String {
    if p.is_finite() && p < 1e-300 {
        "p < 1e-300".to_owned()
    } else {
        format!("p = {}", p_value(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well_at_every_size() {
        assert_eq!(number(578.234), "578.23");
        assert_eq!(number(12345.6), "12346");
        assert_eq!(number(0.41589), "0.416");
        assert_eq!(number(0.0012345), "0.00123");
        assert_eq!(number(f64::NAN), "–");
        assert_eq!(p_value(2.04e-4), "2.04e-4");
        assert_eq!(p_value(0.2894), "0.2894");
        assert_eq!(p_phrase(0.0), "p < 1e-300");
    }
}
