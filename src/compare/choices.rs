//! What can be added to a comparison: the bundled datasets, the simulators (and the simulated
//! word task at several temperatures: one landscape, rescaled), and the experiments saved in
//! this browser.

use balance_core::datasets::{Bundled, Dataset};
use balance_core::share::Source;
use balance_core::simulate::{Preset as Generator, WordTask};

use crate::experiment::{Store, compared_dataset};

/// Seed of the simulated datasets offered.
const SEED: u64 = 1;
/// Attempts of each offered run of the word task at a temperature.
const SWEEP_ATTEMPTS: usize = 20_000;
/// The temperatures offered for the simulated word task.
pub const TEMPERATURES: [f64; 3] = [0.5, 1.0, 2.0];

/// The simulators offered (the paper-scale one is too large to compare with dense errors).
const SIMULATIONS: [(Generator, &str); 3] = [
    (Generator::Metropolis, "Simulated: Metropolis landscape"),
    (Generator::DrivenCycle, "Simulated: driven cycle"),
    (Generator::WordTask, "Simulated: word task"),
];

/// The entries that need no storage: value and label.
pub fn offered() -> Vec<(String, String)> {
    let bundled = Bundled::ALL.into_iter().map(|b| (b.id().to_owned(), b.load().name));
    let simulated = SIMULATIONS.map(|(g, label)| (format!("sim-{}", g.id()), label.to_owned()));
    let sweep = TEMPERATURES.map(|t| {
        (format!("word-t{t}"), format!("Simulated word task at temperature {t} (no key)"))
    });
    bundled.chain(simulated).chain(sweep).collect()
}

/// The simulated word task at `temperature`: its data and name. Each temperature has its own
/// seed, so that the runs are independent, as runs of a real model would be.
pub fn word_task_at(temperature: f64) -> Dataset {
    let seed = SEED + TEMPERATURES.iter().position(|&t| t == temperature).unwrap_or(0) as u64;
    let mut d = WordTask { temperature, ..WordTask::default() }.run(seed, SWEEP_ATTEMPTS).dataset;
    d.name = format!("Simulated word task at temperature {temperature}");
    d
}

/// The dataset of an entry that needs no storage, with where it comes from.
pub fn made(value: &str) -> Option<(Source, Dataset)> {
    if let Some(b) = Bundled::from_id(value) {
        return Some((Source::Bundled(b), b.load()));
    }
    if let Some(t) = value.strip_prefix("word-t") {
        let t: f64 = t.parse().ok()?;
        return TEMPERATURES.contains(&t).then(|| (Source::Counts, word_task_at(t)));
    }
    let id = value.strip_prefix("sim-")?;
    let generator = SIMULATIONS.into_iter().map(|s| s.0).find(|g| g.id() == id)?;
    Some((Source::Simulated { generator, seed: SEED }, generator.run(SEED, None).dataset))
}

/// The experiments saved in this browser: value and label.
pub async fn experiments() -> Vec<(String, String)> {
    let Ok(store) = Store::open().await else { return Vec::new() };
    let Ok((records, _)) = store.records().await else { return Vec::new() };
    records
        .into_iter()
        .filter(|(_, recorded)| *recorded > 0)
        .map(|(r, recorded)| {
            (format!("exp-{}", r.id), format!("Experiment: {} ({recorded} attempts)", r.spec.name))
        })
        .collect()
}

/// The data of the saved experiment of an `exp-` value.
pub async fn experiment(value: &str) -> Result<Dataset, String> {
    let id = value.strip_prefix("exp-").ok_or("not an experiment")?;
    let store = Store::open().await?;
    let (records, _) = store.records().await?;
    let record = records
        .into_iter()
        .map(|r| r.0)
        .find(|r| r.id == id)
        .ok_or("the experiment is no longer saved in this browser")?;
    Ok(compared_dataset(&record, store.attempts(id).await?))
}
