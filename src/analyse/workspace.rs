//! The Analyse area's state and its operations, apart from the components that draw them: the
//! dataset and where it came from, its settings, the share link, and what to tell the reader.

use std::collections::BTreeMap;
use std::sync::Arc;

use balance_core::datasets::{Bundled, Dataset};
use balance_core::import::{Format, load, write_counts_csv, write_paper_json};
use balance_core::share::{self, Link, Source};
use balance_core::simulate::Preset as Generator;
use balance_core::{Preset, Report, Settings};
use leptos::prelude::*;

use super::html_report::{self, Context, Figure};
use super::panel::preset_name;
use crate::app::WithTruth;
use crate::browser;

/// Seed of the simulated datasets offered in the picker.
const SIMULATION_SEED: u64 = 1;

/// The simulators offered in the picker, with their labels.
const SIMULATIONS: [(Generator, &str); 4] = [
    (Generator::Metropolis, "Simulated: Metropolis landscape (true potential known)"),
    (Generator::DrivenCycle, "Simulated: driven cycle (detailed balance broken)"),
    (Generator::WordTask, "Simulated: word task (no key needed)"),
    (Generator::PaperScale, "Simulated: paper scale (about 7,800 states, 50,000 transitions)"),
];

/// The datasets offered in the picker: its value and label.
pub fn offered() -> Vec<(String, String)> {
    let bundled = Bundled::ALL.into_iter().map(|b| (b.id().to_owned(), b.load().name));
    let simulated = SIMULATIONS.map(|(g, label)| (format!("sim-{}", g.id()), label.to_owned()));
    bundled.chain(simulated).collect()
}

/// The source behind a picker value.
fn source_of(value: &str) -> Option<Source> {
    if let Some(b) = Bundled::from_id(value) {
        return Some(Source::Bundled(b));
    }
    let id = value.strip_prefix("sim-")?;
    let generator = SIMULATIONS.into_iter().map(|s| s.0).find(|g| g.id() == id)?;
    Some(Source::Simulated { generator, seed: SIMULATION_SEED })
}

/// Where the shown dataset came from, as the picker says it.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A bundled dataset or a simulator's run, made again from its name (and seed).
    Named(Source),
    /// A file the reader imported.
    Imported,
    /// The counts carried by a share link.
    Shared,
    /// Data handed over by another area: an experiment or a lesson, named.
    HandedOver(String),
}

impl Origin {
    /// The picker's value for this origin.
    pub fn value(&self) -> String {
        match self {
            Origin::Named(Source::Bundled(b)) => b.id().to_owned(),
            Origin::Named(Source::Simulated { generator, seed })
                if *seed == SIMULATION_SEED && SIMULATIONS.iter().any(|s| s.0 == *generator) =>
            {
                format!("sim-{}", generator.id())
            }
            Origin::Named(_) => "named".into(),
            Origin::Imported => "imported".into(),
            Origin::Shared => "shared".into(),
            Origin::HandedOver(_) => "handed-over".into(),
        }
    }

    /// Whether the picker offers these data among its own entries.
    pub fn is_offered(&self) -> bool {
        matches!(self, Origin::Named(_)) && self.value() != "named"
    }

    /// What a share link carries for this origin.
    fn source(&self) -> Source {
        match self {
            Origin::Named(source) => *source,
            _ => Source::Counts,
        }
    }
}

/// The Analyse area's state, provided by context: every field is a signal the components read,
/// and every change goes through the methods below.
#[derive(Clone, Copy)]
pub struct Workspace {
    /// The dataset shown.
    pub dataset: RwSignal<Dataset>,
    /// Where it came from.
    pub origin: RwSignal<Origin>,
    /// The true potential, when a simulator made the data.
    pub truth: RwSignal<Option<BTreeMap<String, f64>>>,
    /// The preset the settings follow, or `None` for the settings in `custom`.
    pub preset: RwSignal<Option<Preset>>,
    /// Settings edited by hand.
    pub custom: RwSignal<Settings>,
    /// The settings in force.
    pub settings: Memo<Settings>,
    /// A message about the last operation that failed (the data shown are kept).
    pub notice: RwSignal<Option<String>>,
    /// The share link made last, while it still describes what is shown.
    pub link: RwSignal<Option<String>>,
    /// The analysis of what is shown, once made (or why it cannot be); `None` while it runs.
    pub report: RwSignal<Option<Result<Arc<Report>, String>>>,
    /// Reading a file the person picked or dropped, then importing it; pending while it reads.
    importing: Action<(Workspace, web_sys::File), ()>,
    /// Whether a file is being read.
    pub reading: Memo<bool>,
}

impl Workspace {
    /// The paper's Claude-4 data with the Balance Lab preset.
    pub fn new() -> Workspace {
        let dataset = RwSignal::new(Bundled::Claude4Word.load());
        let preset = RwSignal::new(Some(Preset::BalanceLab));
        let custom = RwSignal::new(Settings::default());
        let settings = Memo::new(move |_| match preset.get() {
            Some(p) => dataset.with(|d| p.settings(d)),
            None => custom.get(),
        });
        let importing = Action::new_unsync_local(|(ws, file): &(Workspace, web_sys::File)| {
            let (ws, file) = (*ws, file.clone());
            async move {
                match browser::read_file(file).await {
                    Ok((name, text)) => ws.import(&name, &text),
                    Err(e) => ws.notice.set(Some(format!("{e}. The current dataset is kept."))),
                }
            }
        });
        Workspace {
            dataset,
            origin: RwSignal::new(Origin::Named(Source::Bundled(Bundled::Claude4Word))),
            truth: RwSignal::new(None),
            preset,
            custom,
            settings,
            notice: RwSignal::new(None),
            link: RwSignal::new(None),
            report: RwSignal::new(None),
            importing,
            reading: importing.pending(),
        }
    }

    /// Reads `file` (picked or dropped) in the background and imports it.
    pub fn import_file(&self, file: Option<web_sys::File>) {
        if let Some(file) = file {
            self.importing.dispatch_local((*self, file));
        }
    }

    /// Shows `dataset` from `origin`; the settings' preset stays.
    fn show(&self, dataset: Dataset, truth: Option<BTreeMap<String, f64>>, origin: Origin) {
        self.truth.set(truth.filter(|t| !t.is_empty()));
        self.dataset.set(dataset);
        self.origin.set(origin);
        self.notice.set(None);
        self.link.set(None);
    }

    /// Shows the dataset of a picker value (bundled or simulated).
    pub fn choose(&self, value: &str) {
        let Some(source) = source_of(value) else { return };
        let loaded = browser::timed("load-dataset", || match source {
            Source::Bundled(b) => Some((b.load(), None)),
            Source::Simulated { generator, seed } => {
                let run = generator.run(seed, None);
                Some((run.dataset, Some(run.truth)))
            }
            Source::Counts => None,
        });
        let Some((dataset, truth)) = loaded else { return };
        self.show(dataset, truth, Origin::Named(source));
        browser::clear_fragment();
    }

    /// Shows data handed over by another area, named by where they came from.
    pub fn hand_over(&self, (dataset, truth): WithTruth, from: String) {
        self.show(dataset, truth, Origin::HandedOver(from));
        browser::clear_fragment();
    }

    /// Reads an imported file: shows its data, or says why it cannot and keeps the current ones.
    pub fn import(&self, name: &str, text: &str) {
        let format = Format::detect(name, text);
        match load(name, text, format) {
            Ok(d) => self.show(d, None, Origin::Imported),
            Err(e) => self.notice.set(Some(format!(
                "Could not import {name} (read as {}): {e}. The current dataset is kept.",
                format.id()
            ))),
        }
    }

    /// Opens the share link of the URL's `fragment`: its data, settings and preset, or, for a
    /// broken link, the reason (the default dataset stays).
    pub fn open_link(&self, fragment: &str) {
        match share::decode(fragment) {
            Ok(opened) => {
                let origin = match opened.link.source {
                    Source::Counts => Origin::Shared,
                    source => Origin::Named(source),
                };
                self.show(opened.dataset, Some(opened.truth), origin);
                self.custom.set(opened.link.settings);
                self.preset.set(opened.link.preset);
            }
            Err(e) => self.notice.set(Some(format!(
                "This share link cannot be opened: {e}. Showing the default dataset instead."
            ))),
        }
    }

    /// What is shown, with where it comes from: the first dataset of a comparison.
    pub fn current(&self) -> (Source, Dataset) {
        (self.origin.with_untracked(Origin::source), self.dataset.get_untracked())
    }

    /// The share link's fragment for what is shown.
    fn share_fragment(&self) -> Result<String, share::ShareError> {
        let link = Link {
            source: self.origin.with_untracked(Origin::source),
            settings: self.settings.get_untracked(),
            preset: self.preset.get_untracked(),
        };
        self.dataset.with_untracked(|d| share::encode(&link, d))
    }

    /// Makes the share link of what is shown and puts it in the address bar, or says why not.
    pub fn share(&self) {
        crate::share_link::publish(self.share_fragment(), self.link, self.notice);
    }

    /// Downloads the report (JSON), the counts (CSV) or the paper's JSON format of what is
    /// shown.
    pub fn export(&self, kind: Export) {
        let d = self.dataset.get_untracked();
        let stem: String =
            d.name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        let report = || match self.report.get_untracked() {
            Some(Ok(r)) => Ok(r),
            Some(Err(e)) => Err(format!("there is no analysis to export: {e}")),
            None => Err("the analysis is still running: export it when it is done".to_owned()),
        };
        let result = match kind {
            Export::Report => report()
                .map(|r| serde_json::to_string_pretty(&*r).expect("reports always serialise"))
                .and_then(|json| {
                    browser::download(&format!("{stem}-report.json"), "application/json", &json)
                }),
            Export::Html => report().and_then(|r| {
                let settings = self.settings.get_untracked();
                let link =
                    self.share_fragment().ok().map(|f| format!("{}/#{f}", browser::origin()));
                let cx = Context {
                    dataset: &d,
                    settings: &settings,
                    preset: self.preset.get_untracked().map(preset_name),
                    made: &browser::today(),
                    link: link.as_deref(),
                };
                let figures: Vec<Figure> = browser::figures()
                    .into_iter()
                    .map(|(title, png)| Figure { title, png })
                    .collect();
                let page = html_report::page(cx, &r, &figures);
                browser::download(&format!("{stem}-report.html"), "text/html", &page)
            }),
            Export::Counts => {
                browser::download(&format!("{stem}.csv"), "text/csv", &write_counts_csv(&d.counts))
            }
            Export::Paper => browser::download(
                &format!("{stem}-paper.json"),
                "application/json",
                &write_paper_json(&d.counts, &d.scores),
            ),
        };
        if let Err(e) = result {
            self.notice.set(Some(format!("Export failed: {e}.")));
        }
    }
}

/// What can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// The analysis report as JSON.
    Report,
    /// The analysis as one self-contained HTML page, figures included.
    Html,
    /// The counts as an importable CSV.
    Counts,
    /// The counts in the paper's JSON format.
    Paper,
}
