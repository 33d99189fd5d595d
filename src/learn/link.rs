//! A lesson's link: the route `/learn/<lesson>?name=value&...`, holding the lesson, its
//! parameters and its seed, so a link opens the same state. Links of earlier versions put the
//! same text in the fragment (`/#learn/...`); they are still read.

use std::collections::BTreeMap;

/// The prefix of lesson routes (after `/`) and of old lesson fragments.
pub const PREFIX: &str = "learn/";

/// A lesson and its parameters, as a link holds them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Link {
    /// The lesson's id.
    pub lesson: String,
    /// Parameter names and values.
    pub params: BTreeMap<String, String>,
}

impl Link {
    /// Reads a fragment (without `#`); `None` when it is not a lesson link.
    pub fn parse(fragment: &str) -> Option<Link> {
        let rest = fragment.strip_prefix(PREFIX)?;
        let (lesson, query) = rest.split_once('?').unwrap_or((rest, ""));
        let params = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        Some(Link { lesson: lesson.to_owned(), params })
    }

    /// The lesson's route: `/learn/<lesson>?name=value&...`.
    pub fn path(&self) -> String {
        let query: Vec<String> = self.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if query.is_empty() {
            format!("/{PREFIX}{}", self.lesson)
        } else {
            format!("/{PREFIX}{}?{}", self.lesson, query.join("&"))
        }
    }

    /// Parameter `name` as a number within `[min, max]`, else `default`.
    pub fn number(&self, name: &str, min: f64, max: f64, default: f64) -> f64 {
        self.params
            .get(name)
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|x| x.is_finite() && (min..=max).contains(x))
            .unwrap_or(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_reads_back_what_it_wrote_and_refuses_what_is_out_of_range() {
        let mut link = Link { lesson: "two-states".into(), params: BTreeMap::new() };
        link.params.insert("delta".into(), "1.5".into());
        link.params.insert("seed".into(), "7".into());
        assert_eq!(link.path(), "/learn/two-states?delta=1.5&seed=7");
        let back = Link::parse(&link.path()[1..]).unwrap();
        assert_eq!(back, link);
        assert_eq!(Link::of("driven", &[]).path(), "/learn/driven");
        assert_eq!(back.number("delta", -3.0, 3.0, 0.0), 1.5);
        assert_eq!(back.number("seed", 1.0, 5.0, 1.0), 1.0);
        assert_eq!(back.number("missing", 0.0, 1.0, 0.25), 0.25);
        assert_eq!(Link::parse("v1/abc"), None);
        let bad = Link::parse("learn/x?delta=NaN&junk").unwrap();
        assert_eq!(bad.number("delta", -3.0, 3.0, 0.0), 0.0);
    }
}
