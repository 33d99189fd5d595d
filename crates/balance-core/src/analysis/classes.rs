//! The Markov-chain estimates on every strongly connected class of the data: each class's
//! reversible and non-reversible estimates, likelihood-ratio test, entropy production, cycle
//! affinities and cycles of one-way transitions, and what they give for the whole dataset.
//!
//! A class is tested alone (transient states, never re-entered, have no stationary weight), and
//! the whole is tested on all of them together: `G` and the degrees of freedom add up over
//! classes, since their likelihoods are products over sources.

use super::AnalyzeError;
use crate::datasets::Dataset;
use crate::markov::{
    CountMatrix, DenseChain, LikelihoodRatio, ReversibleFit, SMALL_SHARE, chi_square_p,
    cycle_affinities, entropy_production, likelihood_ratio, mean_first_passage, nonrev_stationary,
    one_way_cycles, one_way_transitions, reversible_mle,
};
use crate::model::StateId;
use crate::normalization::Weights;
use crate::replicates::Class;
use crate::report::{CycleReport, OneWayCycleReport};
use crate::settings::Settings;

/// Most cycle affinities reported.
const CYCLES_SHOWN: usize = 20;
/// Most cycles of one-way transitions reported.
const ONE_WAY_CYCLES_SHOWN: usize = 10;

/// One strongly connected class and its estimates.
pub(super) struct ClassFit {
    /// Its count matrix.
    pub cm: CountMatrix,
    /// Its reversible estimate.
    pub rev: ReversibleFit,
    /// Its likelihood-ratio test.
    pub lrt: LikelihoodRatio,
    /// Its entropy production over its pairs seen both ways (`None` when there are none).
    pub entropy: Option<f64>,
    /// Those pairs.
    pub pairs: usize,
    /// Its transitions seen one way only.
    pub one_way: usize,
    /// The attempts its rows hold.
    pub attempts: f64,
    /// Its state of lowest free energy.
    pub minimum: StateId,
}

/// The Markov-chain estimates of a dataset.
pub(super) struct Markov {
    /// Every class of two or more states, largest first.
    pub classes: Vec<ClassFit>,
    /// Stationary probability (within its class) and free energy (relative to its class's
    /// minimum) per dataset state.
    pub stationary: Vec<Option<f64>>,
    pub free_energy: Vec<Option<f64>>,
    /// Mean first-passage times to the largest class's most probable state, and the largest
    /// class's implied timescales (small classes only).
    pub mfpt: Vec<Option<f64>>,
    pub timescales: Option<Vec<f64>>,
    /// The most significant cycle affinities of every class.
    pub cycles: Vec<CycleReport>,
    /// The most telling cycles of one-way transitions of every class, and how many were found.
    pub one_way_cycles: Vec<OneWayCycleReport>,
    pub one_way_cycles_found: usize,
}

/// The likelihood-ratio test of the whole dataset: every class's summed.
pub(super) struct Whole {
    pub statistic: f64,
    pub df: usize,
    pub p_chi2: Option<f64>,
    pub ll_nonrev: f64,
    pub ll_rev: f64,
    pub small_expected: f64,
    pub sparse: bool,
    pub states: usize,
}

fn class_fit(cm: CountMatrix) -> ClassFit {
    let rev = reversible_mle(&cm);
    let lrt = likelihood_ratio(&cm, &rev);
    let (pi, _) = nonrev_stationary(&cm, Some(&rev.pi));
    let (value, pairs) = entropy_production(&cm, &pi);
    let best = (0..cm.len()).max_by(|&a, &b| rev.pi[a].total_cmp(&rev.pi[b])).unwrap_or(0);
    ClassFit {
        entropy: (pairs > 0).then_some(value),
        pairs,
        one_way: one_way_transitions(&cm),
        attempts: cm.total(),
        minimum: cm.states[best],
        lrt,
        rev,
        cm,
    }
}

impl Markov {
    /// The estimates of `dataset` with its `weights`.
    pub fn new(
        dataset: &Dataset,
        settings: &Settings,
        weights: &Weights,
    ) -> Result<Markov, AnalyzeError> {
        let n = dataset.counts.len();
        let classes: Vec<ClassFit> =
            CountMatrix::classes(&dataset.counts, settings.normalization, weights)
                .into_iter()
                .map(class_fit)
                .collect();
        if classes.iter().any(|c| !(c.lrt.ll_nonrev.is_finite() && c.lrt.ll_rev.is_finite())) {
            return Err(AnalyzeError(
                "the counts are too large to analyse: their log-likelihood is not a finite number"
                    .into(),
            ));
        }
        let mut stationary = vec![None; n];
        let mut free_energy = vec![None; n];
        let mut cycles = Vec::new();
        let mut one_way = Vec::new();
        for class in &classes {
            let (cm, rev) = (&class.cm, &class.rev);
            let f_min =
                rev.pi.iter().filter(|p| **p > 0.0).map(|p| -p.ln()).fold(f64::INFINITY, f64::min);
            for (i, &s) in cm.states.iter().enumerate() {
                if rev.pi[i] > 0.0 {
                    stationary[s] = Some(rev.pi[i]);
                    free_energy[s] = Some(-rev.pi[i].ln() - f_min);
                }
            }
            cycles.extend(cycle_affinities(cm).into_iter().map(|c| CycleReport {
                states: c.states.iter().map(|&i| cm.states[i]).collect(),
                affinity: c.affinity,
                se: c.se,
            }));
            one_way.extend(one_way_cycles(cm, rev).into_iter().map(|c| OneWayCycleReport {
                states: c.states.iter().map(|&i| cm.states[i]).collect(),
                expected_reverse: c.expected_reverse,
                p_value: c.p_value,
            }));
        }
        cycles.sort_by(|x, y| (y.affinity / y.se).total_cmp(&(x.affinity / x.se)));
        cycles.truncate(CYCLES_SHOWN);
        one_way.sort_by(|a, b| b.expected_reverse.total_cmp(&a.expected_reverse));
        let one_way_cycles_found = one_way.len();
        one_way.truncate(ONE_WAY_CYCLES_SHOWN);
        let mut mfpt = vec![None; n];
        let mut timescales = None;
        if let Some(first) = classes.first()
            && first.cm.len() <= settings.max_dense_states
        {
            let (cm, rev) = (&first.cm, &first.rev);
            let chain = DenseChain::new(&rev.dense());
            timescales = Some(chain.implied_timescales(&rev.pi));
            let target =
                (0..cm.len()).max_by(|&a, &b| rev.pi[a].total_cmp(&rev.pi[b])).unwrap_or(0);
            if let Some(m) = mean_first_passage(&chain, target) {
                for (i, &s) in cm.states.iter().enumerate() {
                    mfpt[s] = Some(m[i]);
                }
            }
        }
        Ok(Markov {
            classes,
            stationary,
            free_energy,
            mfpt,
            timescales,
            cycles,
            one_way_cycles: one_way,
            one_way_cycles_found,
        })
    }

    /// The whole dataset's likelihood-ratio test: `G`, the degrees of freedom and the
    /// log-likelihoods summed over classes, the share of small expected counts over all their
    /// entries.
    pub fn whole(&self) -> Whole {
        let sum = |f: fn(&ClassFit) -> f64| self.classes.iter().map(f).sum::<f64>();
        let statistic = sum(|c| c.lrt.statistic);
        let df = self.classes.iter().map(|c| c.lrt.df).sum();
        let entries: usize = self.classes.iter().map(|c| c.lrt.entries).sum();
        let small = sum(|c| c.lrt.small_expected * c.lrt.entries as f64);
        let small_expected = if entries == 0 { 0.0 } else { small / entries as f64 };
        Whole {
            statistic,
            df,
            p_chi2: chi_square_p(statistic, df),
            ll_nonrev: sum(|c| c.lrt.ll_nonrev),
            ll_rev: sum(|c| c.lrt.ll_rev),
            small_expected,
            sparse: small_expected > SMALL_SHARE,
            states: self.classes.iter().map(|c| c.cm.len()).sum(),
        }
    }

    /// Each class's weight in the whole's entropy production: its share of the attempts of the
    /// classes that have one (pairs seen both ways), 0 for the others.
    pub fn entropy_weights(&self) -> Vec<f64> {
        let total: f64 =
            self.classes.iter().filter(|c| c.entropy.is_some()).map(|c| c.attempts).sum();
        self.classes
            .iter()
            .map(|c| if c.entropy.is_some() && total > 0.0 { c.attempts / total } else { 0.0 })
            .collect()
    }

    /// The whole's entropy production: the classes' weighted by [`Markov::entropy_weights`]
    /// (the entropy production of the chain that is in each class for that share of its
    /// time), over their pairs seen both ways; `None` when no class has such a pair.
    pub fn entropy(&self) -> Option<f64> {
        let weights = self.entropy_weights();
        self.classes.iter().any(|c| c.entropy.is_some()).then(|| {
            self.classes.iter().zip(&weights).filter_map(|(c, w)| c.entropy.map(|e| w * e)).sum()
        })
    }

    /// The classes as the replicates recompute them.
    pub fn replicate_classes(&self) -> Vec<Class> {
        self.classes
            .iter()
            .zip(self.entropy_weights())
            .map(|(c, weight)| Class { states: c.cm.states.clone(), minimum: c.minimum, weight })
            .collect()
    }
}
