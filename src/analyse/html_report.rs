//! The self-contained HTML report: one file holding the verdict, the figures (as embedded PNG
//! images), the potentials and transitions tables, the settings and the counts, which opens
//! offline in any browser. It has no script and loads nothing. Every text that comes from the
//! data (state names are LLM answers) is escaped: text, never HTML.

use balance_core::Settings;
use balance_core::datasets::Dataset;
use balance_core::import::write_counts_csv;
use balance_core::report::{Report, THINLY_ENTERED_NOTE};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::summary::Summary;
use super::tables::{PotentialCells, by_component, delta};
use crate::format;

/// Most transitions listed (the most frequent); the counts section holds every one.
const MAX_TRANSITIONS: usize = 500;

/// The page's own style: readable on screen and on paper, light or dark as the reader's system.
const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;\
    padding:0 1rem;line-height:1.45;color:#1d2327;background:#fff}\
    @media (prefers-color-scheme:dark){body{color:#e6e9ec;background:#14181c}}\
    table{border-collapse:collapse;font-size:.9rem}td,th{padding:.2rem .6rem;\
    border-bottom:1px solid #8884;text-align:left}td.num{text-align:right;\
    font-variant-numeric:tabular-nums}img{max-width:100%;height:auto;border:1px solid #8884}\
    figure{margin:1rem 0}pre{overflow:auto;font-size:.8rem}.muted{opacity:.75}";

/// A figure as drawn on the page: its title and its PNG as a data URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The figure's title.
    pub title: String,
    /// `data:image/png;base64,...`.
    pub png: String,
}

/// What the report describes besides the analysis itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The data.
    pub dataset: &'a Dataset,
    /// The settings of the analysis.
    pub settings: &'a Settings,
    /// The preset's name, or `None` for custom settings.
    pub preset: Option<&'a str>,
    /// When the report was made, in words.
    pub made: &'a str,
    /// A link that opens the analysis in Balance Lab, when the data fit one.
    pub link: Option<&'a str>,
}

/// Whether `url` is a PNG data URL and nothing else (base64 only: it cannot end the attribute).
fn is_png(url: &str) -> bool {
    url.strip_prefix("data:image/png;base64,").is_some_and(|b| {
        !b.is_empty() && b.bytes().all(|c| c.is_ascii_alphanumeric() || b"+/=".contains(&c))
    })
}

/// The whole page.
pub fn page(cx: Context<'_>, report: &Report, figures: &[Figure]) -> String {
    let d = cx.dataset;
    let summary = Summary::of(report);
    let mut h = String::with_capacity(64 * 1024);
    let title = format!("Balance Lab report: {}", d.name);
    h.push_str(&format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>",
        text(&title)
    ));
    h.push_str(&format!("<h1>{}</h1>", text(&title)));
    h.push_str(&format!("<p>{}</p>", text(&d.description)));
    h.push_str(&format!(
        "<p class=\"muted\">Made by Balance Lab on {}. {} states, {} transitions, {} attempts \
         recorded.</p>",
        text(cx.made),
        d.counts.len(),
        d.counts.edge_count(),
        format::count(report.states.iter().map(|s| s.attempts).sum()),
    ));
    if let Some(link) = cx.link {
        h.push_str(&format!(
            "<p>Open this analysis in Balance Lab: <a href=\"{}\">{}</a></p>",
            attr(link),
            text(link)
        ));
    }

    h.push_str("<h2>Verdict</h2>");
    h.push_str(&format!("<p><strong>{}</strong></p>", text(&summary.headline)));
    for e in &summary.entropy {
        h.push_str(&format!("<p>{}</p>", text(e)));
    }
    if !summary.components.is_empty() {
        h.push_str(&format!(
            "<table><caption>Each component tested on its own{}</caption><thead><tr>\
             <th>Component</th><th>States / attempts</th><th>G on df</th><th>p</th>\
             </tr></thead><tbody>",
            if summary.components.len() < summary.component_count {
                format!(
                    ": the {} whose tests are strongest, of {}",
                    summary.components.len(),
                    summary.component_count
                )
            } else {
                String::new()
            }
        ));
        for r in &summary.components {
            h.push_str(&format!(
                "<tr><th>{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td>{}</td></tr>",
                text(&r.name),
                r.size,
                r.g,
                text(&r.p)
            ));
        }
        h.push_str("</tbody></table>");
    }
    list(&mut h, &summary.details);
    h.push_str(&format!("<p>{}</p>", text(&summary.identifiable)));
    list(&mut h, &summary.unplaced);
    if !summary.cycles.is_empty() {
        h.push_str("<p>Most significant cycles:</p>");
        list(&mut h, &summary.cycles);
    }
    h.push_str(&format!(
        "<p>Minimum action S = {}; pairwise test N = {}; loop test triangles: {}.</p>",
        format::number(report.action.minimum, 5),
        report.pairwise.n,
        report.loops.n
    ));

    h.push_str("<h2>Figures</h2>");
    for f in figures.iter().filter(|f| is_png(&f.png)) {
        h.push_str(&format!(
            "<figure><img src=\"{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>",
            f.png,
            attr(&f.title),
            text(&f.title)
        ));
    }

    h.push_str(&format!(
        "<h2>Potentials</h2><p class=\"muted\">βV is the least-action potential with its \
         sandwich standard error and 95% interval; F = −log π. Potentials compare only within \
         a component (1 is the largest); every error and interval is of the difference from \
         the component's reference state (the one entered most often, marked). {}</p>",
        text(THINLY_ENTERED_NOTE)
    ));
    h.push_str(
        "<table><thead><tr><th>State</th><th>Attempts</th><th>βV</th><th>± SE or bound</th>\
         <th>95% interval</th><th>F</th><th>Component</th></tr></thead><tbody>",
    );
    for i in by_component(report) {
        let s = &report.states[i];
        let c = PotentialCells::of(s);
        h.push_str(&format!(
            "<tr><th>{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td></tr>",
            text(&s.label),
            format::count(s.attempts),
            c.potential,
            text(&c.detail),
            c.interval,
            c.free_energy,
            c.component
        ));
    }
    h.push_str("</tbody></table>");

    let mut order: Vec<usize> = (0..report.transitions.len()).collect();
    order.sort_by(|&a, &b| report.transitions[b].count.total_cmp(&report.transitions[a].count));
    let shown = order.len().min(MAX_TRANSITIONS);
    h.push_str(&format!(
        "<h2>Transitions</h2><p class=\"muted\">The {shown} most frequent of {} transitions: \
         count N, weight T = min(1, N / N0), and ΔβV where both states are placed.</p>",
        order.len()
    ));
    h.push_str(
        "<table><thead><tr><th>From</th><th>To</th><th>Count</th><th>T</th><th>ΔβV</th></tr>\
         </thead><tbody>",
    );
    for &k in order.iter().take(shown) {
        let t = &report.transitions[k];
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td></tr>",
            text(&report.states[t.source].label),
            text(&report.states[t.target].label),
            format::count(t.count),
            format::number(t.weight, 4),
            delta(report, k).map_or("–".into(), |x| format::number(x, 3))
        ));
    }
    h.push_str("</tbody></table>");

    h.push_str("<h2>Settings</h2>");
    h.push_str(&format!("<p>Preset: {}.</p>", text(cx.preset.unwrap_or("custom settings"))));
    let settings = serde_json::to_string_pretty(cx.settings).unwrap_or_default();
    h.push_str(&format!("<pre>{}</pre>", text(&settings)));
    h.push_str(
        "<h2>Counts</h2><details><summary>Every count, as CSV (source,target,count; an empty \
         target counts rejected attempts), importable into Balance Lab</summary>",
    );
    h.push_str(&format!("<pre>{}</pre></details>", text(&write_counts_csv(&d.counts))));
    h.push_str("</body></html>");
    h
}

/// A bulleted list of `items`, when there are any.
fn list(h: &mut String, items: &[String]) {
    if items.is_empty() {
        return;
    }
    h.push_str("<ul>");
    for item in items {
        h.push_str(&format!("<li>{}</li>", text(item)));
    }
    h.push_str("</ul>");
}

#[cfg(test)]
mod tests {
    use balance_core::datasets::Bundled;
    use balance_core::{Preset, analyze};

    use super::*;

    #[test]
    fn the_page_holds_the_numbers_and_escapes_every_text_from_the_data() {
        let mut d = Bundled::Claude4Word.load();
        d.name = "<script>alert(1)</script>".into();
        let settings = Preset::BalanceLab.settings(&d);
        let report = analyze(&d, &settings).unwrap();
        let figures = [
            Figure {
                title: "Level <b>diagram</b>".into(),
                png: "data:image/png;base64,iVBO+/=".into(),
            },
            Figure {
                title: "Evil".into(),
                png: "data:image/png;base64,x\" onerror=\"alert(1)".into(),
            },
        ];
        let cx = Context {
            dataset: &d,
            settings: &settings,
            preset: Some("Balance Lab"),
            made: "today",
            link: Some("http://127.0.0.1:8080/#v2/abc\"<"),
        };
        let page = page(cx, &report, &figures);
        assert!(!page.contains("<script"), "no script, and the name is escaped");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("<img src=\"data:image/png;base64,iVBO+/=\" alt=\""));
        assert!(page.contains("<figcaption>Level &lt;b&gt;diagram&lt;/b&gt;</figcaption>"));
        assert!(!page.contains("onerror"), "a figure that is not a PNG data URL is left out");
        assert!(!page.contains("#v2/abc\"<"), "the link is escaped");
        assert!(page.contains(&report.verdict.headline));
        // Every state in the potentials table, with the CSV of the counts.
        for s in &report.states {
            assert!(page.contains(&format!("<tr><th>{}</th>", s.label)), "{}", s.label);
        }
        assert!(page.contains("PERSONAL,ATTITUDE,"));
    }
}
