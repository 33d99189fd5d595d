//! Fingerprints of the seeded random source and simulators, shared by the native tests of
//! balance-core and the wasm tests of the app, so both platforms are held to the same record.

/// The first draws of `Random::new(7)` and each simulator (seed 5, 3000 attempts), summarised
/// the way `tests/fixtures/fingerprints.txt` records them. The wasm tests of the app compare the
/// same fingerprints in the browser: the simulators give the same data on every platform.
pub fn fingerprints() -> Vec<String> {
    use balance_core::random::Random;
    use balance_core::simulate::Preset;
    let mut r = Random::new(7);
    let draws: Vec<String> = (0..3).map(|_| format!("{:?}", r.uniform())).collect();
    let mut out = vec![format!("random {} {:?}", draws.join(" "), Random::new(7).normal())];
    for p in Preset::ALL {
        let s = p.run(5, Some(3000));
        let c = &s.dataset.counts;
        let rejected: f64 = (0..c.len()).map(|f| c.rejected(f)).sum();
        let top = s.truth.values().copied().fold(0.0, f64::max);
        out.push(format!(
            "{} {} {} {} {} {top:?}",
            p.id(),
            c.len(),
            c.edge_count(),
            c.total_transitions(),
            rejected
        ));
    }
    out
}

/// The recorded fingerprints.
pub fn expected() -> Vec<String> {
    include_str!("../fixtures/fingerprints.txt").lines().map(str::to_owned).collect()
}
