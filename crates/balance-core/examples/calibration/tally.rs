//! Coverage counts of intervals and rejection counts of tests.

use balance_core::report::Report;

/// Coverage counts of one interval method: (covered, intervals, missed with the truth above).
#[derive(Default, Clone, Copy)]
pub struct Tally(usize, usize, usize);

impl Tally {
    /// Counts `interval` (if there is one) against `truth`.
    pub fn add(&mut self, interval: Option<[f64; 2]>, truth: f64) {
        if let Some([lo, hi]) = interval {
            self.1 += 1;
            self.0 += usize::from(lo <= truth && truth <= hi);
            self.2 += usize::from(truth > hi);
        }
    }

    /// "95.1% (2000)": the share covered and how many intervals.
    pub fn show(self) -> String {
        if self.1 == 0 {
            return "-".into();
        }
        let p = self.0 as f64 / self.1 as f64;
        format!("{:.1}% ({})", 100.0 * p, self.1)
    }

    /// As [`Tally::show`], with how many of the misses had the truth above the interval.
    pub fn show_misses(self) -> String {
        if self.1 == 0 {
            return "-".into();
        }
        format!("{}, {} of {} missed high", self.show(), self.2, self.1 - self.0)
    }
}

/// Upper ends of the classes of states by how often the data saw them entered.
pub const ENTRY_CLASSES: [f64; 5] = [2.0, 5.0, 30.0, 100.0, f64::INFINITY];

/// Coverage of the three interval methods (sandwich, posterior, bootstrap), over all placed
/// states and by how many transitions entered each state (its class in [`ENTRY_CLASSES`]).
#[derive(Default)]
pub struct Coverage {
    pub all: [Tally; 3],
    pub by_entries: [[Tally; 3]; ENTRY_CLASSES.len()],
}

impl Coverage {
    /// Adds the coverage of each placed state but the references, relative to the reference of
    /// its component (what its intervals are of), in every component of `r`.
    pub fn add(&mut self, r: &Report, truth: &dyn Fn(&str) -> Option<f64>) {
        for reference in r.states.iter().filter(|s| s.reference) {
            let Some(t0) = truth(&reference.label) else { continue };
            let v0 = reference.potential.unwrap_or(0.0);
            let members =
                r.states.iter().filter(|s| s.component == reference.component && !s.reference);
            for s in members {
                let Some(ts) = truth(&s.label) else { continue };
                // The truth in the reported gauge, where the reference sits at its estimate.
                let x = ts - t0 + v0;
                let class = ENTRY_CLASSES.iter().position(|&hi| s.entries <= hi).unwrap_or(0);
                for t in [&mut self.all, &mut self.by_entries[class]] {
                    t[0].add(s.potential_se_interval, x);
                    t[1].add(s.potential_credible, x);
                    t[2].add(s.potential_interval, x);
                }
            }
        }
    }
}

/// How often the likelihood-ratio test rejects at 5%, by the chi-square law and calibrated, over
/// the datasets with something to test (df > 0).
#[derive(Default)]
pub struct Rejections {
    pub chi2: usize,
    pub calibrated: usize,
    pub tested: usize,
}

impl Rejections {
    /// Counts the whole dataset's test of `r`.
    pub fn add(&mut self, r: &Report) {
        if r.lrt.df > 0 {
            self.tested += 1;
            self.chi2 += usize::from(r.lrt.p_value.is_some_and(|p| p < 0.05));
            self.calibrated += usize::from(r.lrt.p_value_null.is_some_and(|p| p < 0.05));
        }
    }

    /// `k` as a share of the datasets tested.
    pub fn rate(&self, k: usize) -> String {
        if self.tested == 0 {
            "-".into()
        } else {
            format!("{:.1}%", 100.0 * k as f64 / self.tested as f64)
        }
    }
}
