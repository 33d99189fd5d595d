//! Times the paper-scale analysis with 200 posterior draws, 200 bootstrap replicates or 200
//! replicates under detailed balance (figures for docs/benchmarks.md).
use balance_core::simulate::Preset;
use balance_core::{Settings, analyze};
use std::time::Instant;
fn main() {
    let d = Preset::PaperScale.run(1, None).dataset;
    let base = Settings::default();
    for (name, s) in [
        ("point estimates", base.clone()),
        ("200 posterior draws", Settings { posterior: 200, ..base.clone() }),
        ("200 bootstrap replicates", Settings { bootstrap: 200, ..base.clone() }),
        (
            "200 replicates under detailed balance",
            Settings { null_replicates: 200, ..base.clone() },
        ),
    ] {
        let t = Instant::now();
        analyze(&d, &s).expect("an analysis");
        println!("{name:<40} {:>8.2} s", t.elapsed().as_secs_f64());
    }
}
