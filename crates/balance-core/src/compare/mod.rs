//! Compare: do several datasets (models, temperatures, prompts) move on one landscape?
//!
//! Each dataset is fitted on its own by least action ([`crate::potential`]); the joint model
//! `V_k(s) = beta_k V(s) + c_k` is then fitted to the separate potentials on the states that at
//! least two datasets identify, weighting each dataset's differences by the inverse of their
//! sandwich covariance (minimum distance, [`joint`]). The distance at the minimum is the test
//! statistic of one landscape against separate ones: chi-square with the difference in
//! parameter counts as degrees of freedom, and calibrated by a bootstrap that resamples every
//! dataset's attempts and recentres each replicate on the joint fit. docs/method.md writes the
//! method up.
//!
//! [`CompareSettings`] holds what can be chosen, [`compare`] does the fitting, and the
//! [`Comparison`] it returns is the fitted model.

mod joint;
mod report;

use std::collections::BTreeMap;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::analysis::{AnalyzeError, check_finite};
use crate::datasets::Dataset;
use crate::format::{number, p_phrase};
use crate::normalization::Weights;
use crate::parallel::map_replicates;
use crate::potential::{PotentialFit, component_covariance, fit_potential, fit_potential_from};
use crate::random::Random;
use crate::replicates::{MIN_DRAWS, Resampling, percentile_interval, redraw};
use crate::settings::{Preset, Settings};
use joint::{Block, JointFit};
use petgraph::unionfind::UnionFind;
pub use report::{
    CommonLandscapeTest, ComparedDataset, ComparedState, Comparison, Estimate, Scale,
};

/// Most datasets in one comparison.
pub const MAX_DATASETS: usize = 8;

/// What can be chosen about a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompareSettings {
    /// The preset each dataset is fitted with (its normalisation follows the dataset, as in a
    /// single analysis; the kernel and `beta` are the same for all, so potentials compare).
    pub preset: Preset,
    /// Bootstrap replicates for the p-value and the intervals of `beta` (0: none).
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
}

impl Default for CompareSettings {
    fn default() -> Self {
        CompareSettings { preset: Preset::BalanceLab, bootstrap: 200, seed: 1 }
    }
}

impl CompareSettings {
    /// Why no comparison can use these settings, if none can: a bootstrap too small for the
    /// 2.5% and 97.5% quantiles of its intervals (which also lets its p-value reach below 5%).
    pub fn validate(&self) -> Result<(), String> {
        if (1..MIN_DRAWS).contains(&self.bootstrap) {
            return Err(format!(
                "{} bootstrap replicates are too few for a 95% interval of the scales, whose \
                 ends are their 2.5% and 97.5% quantiles: ask for at least {MIN_DRAWS} (200 is \
                 the default), or 0 for none",
                self.bootstrap
            ));
        }
        Ok(())
    }
}

/// One dataset fitted on its own.
struct Separate<'a> {
    dataset: &'a Dataset,
    settings: Settings,
    /// The weights the fit used (its covariance needs them again).
    weights: Weights,
    fit: PotentialFit,
}

/// Compares `datasets` (two to [`MAX_DATASETS`]).
pub fn compare(
    datasets: &[Dataset],
    settings: &CompareSettings,
) -> Result<Comparison, AnalyzeError> {
    compare_with_progress(datasets, settings, &mut |_, _| {})
}

/// As [`compare`], calling `progress(done, total)` after each bootstrap replicate.
pub fn compare_with_progress(
    datasets: &[Dataset],
    settings: &CompareSettings,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Comparison, AnalyzeError> {
    settings.validate().map_err(AnalyzeError)?;
    if datasets.len() < 2 {
        return Err(AnalyzeError("a comparison needs at least two datasets".into()));
    }
    if settings.bootstrap > 0
        && let Some(d) = datasets.iter().find(|d| d.counts.first_fractional().is_some())
    {
        return Err(AnalyzeError(format!(
            "{}: the bootstrap resamples whole attempts, but some counts are not whole numbers; \
             give the counts as attempts, or ask for no bootstrap",
            d.name
        )));
    }
    if datasets.len() > MAX_DATASETS {
        return Err(AnalyzeError(format!(
            "a comparison takes at most {MAX_DATASETS} datasets ({} given)",
            datasets.len()
        )));
    }
    let separate = datasets
        .iter()
        .map(|d| fit_separately(d, settings.preset))
        .collect::<Result<Vec<_>, _>>()?;
    let labels = all_labels(datasets);
    let mut notes = Vec::new();
    let design = match shared_design(&separate) {
        Ok(design) => Some(design),
        Err(reason) => {
            notes.push(reason);
            None
        }
    };
    let joint = design.as_ref().and_then(|d| {
        let fitted = joint::fit(&d.blocks, d.shared.len(), datasets.len());
        if fitted.is_none() {
            notes.push(
                "The joint model could not be fitted: the shared states do not fix it.".into(),
            );
        }
        fitted
    });
    let total = settings.bootstrap;
    let boot = match (&design, &joint) {
        (Some(d), Some(j)) if total > 0 => {
            Some(bootstrap(&separate, d, j, settings, &mut |done| progress(done, total)))
        }
        _ => None,
    };
    Ok(assemble(&separate, &labels, design.as_ref(), joint.as_ref(), boot, settings, notes))
}

fn fit_separately(dataset: &Dataset, preset: Preset) -> Result<Separate<'_>, AnalyzeError> {
    let settings = preset.settings(dataset).point_estimates();
    let fail = |why: String| AnalyzeError(format!("{}: {why}", dataset.name));
    if dataset.counts.is_empty() {
        return Err(fail("the dataset has no states".into()));
    }
    check_finite(dataset).map_err(|e| fail(e.0))?;
    let weights = settings.weights(&dataset.counts, dataset.total_attempts);
    let fit = fit_potential(
        &weights,
        settings.kernel,
        settings.beta,
        settings.solver,
        settings.gauge,
        settings.max_dense_states,
    )
    .map_err(|e| fail(e.0))?;
    if fit.value.iter().flatten().any(|v| !v.is_finite()) {
        return Err(fail("the potential could not be fitted".into()));
    }
    Ok(Separate { dataset, settings, weights, fit })
}

/// Every label of every dataset, in order of first appearance.
fn all_labels(datasets: &[Dataset]) -> Vec<String> {
    let mut seen = BTreeMap::new();
    let mut out = Vec::new();
    for d in datasets {
        for label in d.counts.states().labels() {
            if seen.insert(label.clone(), ()).is_none() {
                out.push(label.clone());
            }
        }
    }
    out
}

/// The shared states and each dataset's block of estimates on them.
struct Design {
    /// Labels of the shared states; the first is the first dataset's reference.
    shared: Vec<String>,
    blocks: Vec<Block>,
    /// Per block, the dataset's state ids in the block's order.
    ids: Vec<Vec<usize>>,
}

/// The states of a dataset's largest component, by label.
fn largest_component(sep: &Separate) -> Vec<(String, usize)> {
    sep.fit.components.first().map_or_else(Vec::new, |c| {
        c.states.iter().map(|&s| (sep.dataset.counts.states().label(s).to_owned(), s)).collect()
    })
}

fn shared_design(separate: &[Separate]) -> Result<Design, String> {
    let comps: Vec<Vec<(String, usize)>> = separate.iter().map(largest_component).collect();
    let mut seen_in: BTreeMap<&str, usize> = BTreeMap::new();
    for comp in &comps {
        for (label, _) in comp {
            *seen_in.entry(label.as_str()).or_default() += 1;
        }
    }
    let is_shared = |l: &str| seen_in.get(l).is_some_and(|&n| n >= 2);
    // Each dataset's shared states, lowest potential first (its reference).
    let mut per_dataset: Vec<Vec<(String, usize)>> = Vec::new();
    for (sep, comp) in separate.iter().zip(&comps) {
        let mut mine: Vec<(String, usize)> =
            comp.iter().filter(|(l, _)| is_shared(l)).cloned().collect();
        mine.sort_by(|a, b| {
            let v = |s: usize| sep.fit.value[s].unwrap_or(f64::INFINITY);
            v(a.1).total_cmp(&v(b.1)).then_with(|| a.0.cmp(&b.0))
        });
        if mine.len() < 2 {
            let names: Vec<&str> = mine.iter().map(|(l, _)| l.as_str()).collect();
            return Err(if names.is_empty() {
                format!(
                    "Nothing to compare: {} shares no identifiable state with the other datasets.",
                    sep.dataset.name
                )
            } else {
                format!(
                    "Nothing to compare: {} shares only one identifiable state ({}) with the \
                     other datasets; a common landscape needs two to fix a scale and three to \
                     test it.",
                    sep.dataset.name,
                    names.join(", ")
                )
            });
        }
        per_dataset.push(mine);
    }
    let mut shared: Vec<String> = vec![per_dataset[0][0].0.clone()];
    for mine in &per_dataset {
        for (l, _) in mine {
            if !shared.contains(l) {
                shared.push(l.clone());
            }
        }
    }
    let index: BTreeMap<&str, usize> =
        shared.iter().enumerate().map(|(i, l)| (l.as_str(), i)).collect();
    // The blocks must hang together through shared states, or V has several free constants.
    let mut uf = UnionFind::<usize>::new(shared.len());
    for mine in &per_dataset {
        for (l, _) in &mine[1..] {
            uf.union(index[mine[0].0.as_str()], index[l.as_str()]);
        }
    }
    if (1..shared.len()).any(|i| uf.find(i) != uf.find(0)) {
        return Err("Nothing to compare: the datasets fall into groups that share no \
                    identifiable state."
            .into());
    }
    let mut blocks = Vec::new();
    let mut ids_of = Vec::new();
    for (k, (sep, mine)) in separate.iter().zip(&per_dataset).enumerate() {
        let Some(cov) =
            component_covariance(&sep.weights, &sep.fit, 0, sep.settings.kernel, sep.settings.beta)
        else {
            return Err(format!(
                "Nothing to compare: the standard errors of {} cannot be computed.",
                sep.dataset.name
            ));
        };
        let comp = &sep.fit.components[0].states;
        let ids: Vec<usize> = mine.iter().map(|(_, s)| *s).collect();
        let local: Vec<usize> =
            ids.iter().map(|&s| comp.iter().position(|&x| x == s).unwrap_or(0)).collect();
        let (y, c) = pinned(&sep.fit, &cov, &local, &ids);
        let states: Vec<usize> = mine.iter().map(|(l, _)| index[l.as_str()]).collect();
        let Some(block) = Block::new(k, states, y, c) else {
            return Err(format!(
                "Nothing to compare: the covariance of {}'s shared states is singular.",
                sep.dataset.name
            ));
        };
        blocks.push(block);
        ids_of.push(ids);
    }
    Ok(Design { shared, blocks, ids: ids_of })
}

/// Bootstrap replicates: every dataset's attempts resampled, its potential and covariance
/// refitted. Each replicate's differences are recentred on the joint fit (`y* - y + mu`) so
/// that they obey the joint model, and its distance, weighted by the replicate's own
/// covariance, is one draw of the statistic under it. A replicate that loses a rarely visited
/// state is fitted without it, so its degrees of freedom vary: what is compared is each
/// replicate's chi-square p-value (as for the likelihood-ratio test). The uncentred
/// differences give a replicate of each `beta` and its standard error, for bootstrap-t
/// intervals.
struct Boot {
    /// Per replicate, the chi-square p-value of the recentred distance.
    p_values: Vec<f64>,
    /// Per dataset, `(beta* - beta) / se*` over the replicates.
    pivots: Vec<Vec<f64>>,
}

/// One dataset's differences and their covariance in one replicate, over the block's states
/// that the replicate keeps together in one component (`kept`: their places in the block),
/// pinned at the first of them. `None` when fewer than two stay together.
struct Redrawn {
    kept: Vec<usize>,
    y: DVector<f64>,
    covariance: DMatrix<f64>,
}

fn redrawn_block(sep: &Separate, ids: &[usize], seed: u64, stream: u64) -> Option<Redrawn> {
    let mut rng = Random::stream(seed, stream);
    let counts = redraw(
        &sep.dataset.counts,
        &sep.settings,
        sep.dataset.total_attempts,
        Resampling::Bootstrap,
        &mut rng,
    );
    let weights = sep.settings.weights(&counts, sep.dataset.total_attempts);
    let fit = fit_potential_from(
        &weights,
        sep.settings.kernel,
        sep.settings.beta,
        sep.settings.solver,
        sep.settings.gauge,
        0,
        &sep.fit.value,
    )
    .ok()?;
    // The component holding most of the block's states (the deepest state can turn into a
    // sink in a replicate, when its few moves out are not drawn again).
    let mut tally = vec![0usize; fit.components.len()];
    ids.iter().filter_map(|&s| fit.component[s]).for_each(|c| tally[c] += 1);
    let comp = (0..tally.len()).max_by_key(|&c| (tally[c], std::cmp::Reverse(c)))?;
    let kept: Vec<usize> =
        (0..ids.len()).filter(|&i| fit.component[ids[i]] == Some(comp)).collect();
    if kept.len() < 2 {
        return None;
    }
    let cov = component_covariance(&weights, &fit, comp, sep.settings.kernel, sep.settings.beta)?;
    let members = &fit.components[comp].states;
    let kept_ids: Vec<usize> = kept.iter().map(|&i| ids[i]).collect();
    let local: Option<Vec<usize>> =
        kept_ids.iter().map(|&s| members.iter().position(|&x| x == s)).collect();
    let (y, covariance) = pinned(&fit, &cov, &local?, &kept_ids);
    Some(Redrawn { kept, y, covariance })
}

/// The differences from `ids[0]` of `ids[1..]` and their covariance, from a fit and the
/// covariance of its component (`local`: each id's place in the component).
fn pinned(
    fit: &PotentialFit,
    cov: &DMatrix<f64>,
    local: &[usize],
    ids: &[usize],
) -> (DVector<f64>, DMatrix<f64>) {
    let r = local[0];
    let rest = &local[1..];
    let m = rest.len();
    let c = DMatrix::from_fn(m, m, |i, j| {
        let (a, b) = (rest[i], rest[j]);
        cov[(a, b)] - cov[(a, r)] - cov[(r, b)] + cov[(r, r)]
    });
    let v = |s: usize| fit.value[s].unwrap_or(0.0);
    let y = DVector::from_iterator(m, ids[1..].iter().map(|&s| v(s) - v(ids[0])));
    (y, c)
}

fn bootstrap(
    separate: &[Separate],
    design: &Design,
    fit: &JointFit,
    settings: &CompareSettings,
    finished: &mut dyn FnMut(usize),
) -> Boot {
    let n = design.shared.len();
    let k = separate.len();
    let mu = joint::fitted(&design.blocks, fit);
    let one = |rep: usize| -> Option<(f64, Vec<Option<f64>>)> {
        let mut drawn = Vec::with_capacity(design.blocks.len());
        let mut centred = Vec::with_capacity(design.blocks.len());
        for ((block, ids), mu) in design.blocks.iter().zip(&design.ids).zip(&mu) {
            let sep = &separate[block.dataset];
            let stream = (rep * k + block.dataset) as u64;
            let r = redrawn_block(sep, ids, settings.seed, stream)?;
            // The recentring term y - mu on the kept differences, from the replicate's reference
            // (the block's state i has difference 0 at i = 0, else row i - 1).
            let at = |x: &DVector<f64>, i: usize| if i == 0 { 0.0 } else { x[i - 1] };
            let r0 = r.kept[0];
            let shift = DVector::from_iterator(
                r.kept.len() - 1,
                r.kept[1..]
                    .iter()
                    .map(|&i| (at(&block.y, i) - at(&block.y, r0)) - (at(mu, i) - at(mu, r0))),
            );
            let states: Vec<usize> = r.kept.iter().map(|&i| block.states[i]).collect();
            let c = r.covariance;
            centred.push(Block::new(block.dataset, states.clone(), &r.y - shift, c.clone())?);
            drawn.push(Block::new(block.dataset, states, r.y, c)?);
        }
        // Shared states no block kept drop out (the gauge then sits on the first kept one).
        let mut used = vec![false; n];
        drawn.iter().flat_map(|b| &b.states).for_each(|&s| used[s] = true);
        let mut compact = vec![usize::MAX; n];
        let mut m = 0;
        for s in 0..n {
            if used[s] {
                compact[s] = m;
                m += 1;
            }
        }
        for b in drawn.iter_mut().chain(centred.iter_mut()) {
            b.states.iter_mut().for_each(|s| *s = compact[*s]);
        }
        let null = joint::fit(&centred, m, k)?;
        let df = joint::degrees_of_freedom(&centred, m, k);
        let p = if df > 0 { ChiSquared::new(df as f64).ok()?.sf(null.distance) } else { 1.0 };
        let own = joint::fit(&drawn, m, k)?;
        let se = joint::uncertainty(&drawn, &own, m).map(|u| u.beta_se);
        let pivots = (0..k)
            .map(|i| {
                let se = se.as_ref()?[i];
                (i > 0 && se > 0.0).then(|| (own.beta[i] - fit.beta[i]) / se)
            })
            .collect();
        Some((p, pivots))
    };
    let results = map_replicates(settings.bootstrap, finished, one);
    let mut boot = Boot { p_values: Vec::new(), pivots: vec![Vec::new(); k] };
    for (p, pivots) in results.into_iter().flatten() {
        boot.p_values.push(p);
        for (i, t) in pivots.into_iter().enumerate() {
            boot.pivots[i].extend(t);
        }
    }
    boot
}

fn assemble(
    separate: &[Separate],
    labels: &[String],
    design: Option<&Design>,
    fit: Option<&JointFit>,
    boot: Option<Boot>,
    settings: &CompareSettings,
    mut notes: Vec<String>,
) -> Comparison {
    let k = separate.len();
    let joint = design.zip(fit);
    let uncertainty = joint.and_then(|(d, f)| joint::uncertainty(&d.blocks, f, d.shared.len()));
    if joint.is_some() && uncertainty.is_none() {
        notes.push(
            "The scales are not identified (a dataset's shared states sit at one level): no \
             standard errors."
                .into(),
        );
    }
    let shared_index = |label: &str| design.and_then(|d| d.shared.iter().position(|l| l == label));

    // Offsets c_k: the mean over the block of V_k(s) - beta_k V(s), in the dataset's gauge.
    let mut offsets: Vec<Option<f64>> = vec![None; k];
    if let Some((d, f)) = joint {
        for (block, ids) in d.blocks.iter().zip(&d.ids) {
            let sep = &separate[block.dataset];
            let sum: f64 = block
                .states
                .iter()
                .zip(ids)
                .map(|(&i, &s)| sep.fit.value[s].unwrap_or(0.0) - f.beta[block.dataset] * f.v[i])
                .sum();
            offsets[block.dataset] = Some(sum / block.states.len() as f64);
        }
    }

    let mut states: Vec<ComparedState> = labels
        .iter()
        .map(|label| {
            let shared = shared_index(label);
            let estimates = separate
                .iter()
                .enumerate()
                .map(|(ki, sep)| {
                    let s = sep.dataset.counts.states().get(label)?;
                    let (difference, z) = design
                        .zip(uncertainty.as_ref())
                        .and_then(|(d, u)| {
                            let b = d.blocks.iter().position(|b| b.dataset == ki)?;
                            let pos = d.blocks[b].states.iter().position(|&i| Some(i) == shared)?;
                            let (r, sd) = u.residuals[b][pos];
                            Some((Some(r), (sd > 1e-12).then(|| r / sd)))
                        })
                        .unwrap_or((None, None));
                    Some(Estimate {
                        attempts: sep.dataset.counts.attempts(s),
                        potential: sep.fit.value[s],
                        se: sep.fit.se[s],
                        component: sep.fit.component[s],
                        difference,
                        z,
                    })
                })
                .collect::<Vec<_>>();
            let disagreement = estimates
                .iter()
                .flatten()
                .filter_map(|e| e.z)
                .map(f64::abs)
                .fold(None, |m: Option<f64>, z| Some(m.map_or(z, |m| m.max(z))));
            ComparedState {
                label: label.clone(),
                estimates,
                shared: shared.is_some(),
                joint: shared.zip(fit).map(|(i, f)| f.v[i]),
                joint_se: shared.zip(uncertainty.as_ref()).map(|(i, u)| u.v_se[i]),
                disagreement,
            }
        })
        .collect();
    states.sort_by(|a, b| {
        let key = |s: &ComparedState| s.joint.unwrap_or(f64::INFINITY);
        b.shared.cmp(&a.shared).then(key(a).total_cmp(&key(b)))
    });

    let datasets: Vec<ComparedDataset> = separate
        .iter()
        .enumerate()
        .map(|(ki, sep)| {
            let reference = design.map(|d| {
                let b = d.blocks.iter().find(|b| b.dataset == ki);
                b.map_or_else(String::new, |b| d.shared[b.states[0]].clone())
            });
            let scale = fit.map(|f| Scale {
                value: f.beta[ki],
                se: uncertainty.as_ref().map(|u| u.beta_se[ki]),
                interval: boot.as_ref().zip(uncertainty.as_ref()).and_then(|(b, u)| {
                    let [lo, hi] = percentile_interval(b.pivots[ki].clone())?;
                    let se = u.beta_se[ki];
                    Some([f.beta[ki] - hi * se, f.beta[ki] - lo * se])
                }),
            });
            ComparedDataset {
                name: sep.dataset.name.clone(),
                states: sep.dataset.counts.len(),
                identifiable: sep.fit.components.first().map_or(0, |c| c.states.len()),
                reference,
                scale,
                offset: offsets[ki],
                action: sep.fit.action,
            }
        })
        .collect();

    let test = joint.map(|(d, f)| {
        let df = joint::degrees_of_freedom(&d.blocks, d.shared.len(), k).max(0) as usize;
        let p_value = (df > 0)
            .then(|| ChiSquared::new(df as f64).map_or(f64::NAN, |c| c.sf(f.distance)))
            .filter(|p| p.is_finite());
        let (p_value_bootstrap, replicates) = match (&boot, p_value) {
            (Some(b), Some(p)) if !b.p_values.is_empty() => {
                let reach = b.p_values.iter().filter(|&&q| q <= p).count();
                (Some((1 + reach) as f64 / (1 + b.p_values.len()) as f64), b.p_values.len())
            }
            (Some(b), _) => (None, b.p_values.len()),
            (None, _) => (None, 0),
        };
        if let Some(b) = &boot
            && b.p_values.len() < settings.bootstrap
        {
            notes.push(format!(
                "{} of {} bootstrap replicates could not be fitted and were left out.",
                settings.bootstrap - b.p_values.len(),
                settings.bootstrap
            ));
        }
        CommonLandscapeTest {
            statistic: f.distance,
            df,
            p_value,
            p_value_bootstrap,
            replicates,
            converged: f.converged,
        }
    });
    let verdict = verdict(&datasets, &states, test.as_ref(), &notes);
    Comparison { settings: *settings, datasets, states, test, verdict, notes }
}

/// The answer in plain words.
fn verdict(
    datasets: &[ComparedDataset],
    states: &[ComparedState],
    test: Option<&CommonLandscapeTest>,
    notes: &[String],
) -> String {
    let Some(test) = test else {
        return notes.first().cloned().unwrap_or_else(|| "Nothing to compare.".into());
    };
    let scales: Vec<String> = datasets
        .iter()
        .skip(1)
        .filter_map(|d| {
            let s = d.scale.as_ref()?;
            let se = s.se.map_or_else(String::new, |se| format!(" ± {}", number(se)));
            Some(format!("β = {}{se} for {}", number(s.value), d.name))
        })
        .collect();
    let scales = scales.join(", ");
    let Some(p) = test.p_value_bootstrap.or(test.p_value) else {
        return format!(
            "The datasets share too few states to test one landscape: the scale fits them \
             exactly ({scales}, relative to {}).",
            datasets[0].name
        );
    };
    let which = if test.p_value_bootstrap.is_some() { "bootstrap" } else { "χ²" };
    if p >= 0.05 {
        format!(
            "One landscape up to scale: {scales} (relative to {}); the separate landscapes fit \
             no better ({}, {which}, Q = {}, df = {}).",
            datasets[0].name,
            p_phrase(p),
            number(test.statistic),
            test.df
        )
    } else {
        let mut worst: Vec<&ComparedState> =
            states.iter().filter(|s| s.disagreement.is_some()).collect();
        worst.sort_by(|a, b| {
            b.disagreement.unwrap_or(0.0).total_cmp(&a.disagreement.unwrap_or(0.0))
        });
        let names: Vec<&str> = worst.iter().take(2).map(|s| s.label.as_str()).collect();
        format!(
            "The landscapes differ ({}, {which}, Q = {}, df = {}), most at {}.",
            p_phrase(p),
            number(test.statistic),
            test.df,
            names.join(" and ")
        )
    }
}
