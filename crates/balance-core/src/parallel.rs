//! Replicates in parallel where threads exist: with the `parallel` feature (the command line),
//! on every core by rayon; without it (WebAssembly), one after another. Each replicate draws
//! from its own random stream, so the results are the same either way.

/// `one(k)` for `k` in `0..count`, in order; `finished` hears how many are done (after each
/// replicate, or after each batch in parallel).
#[cfg(feature = "parallel")]
pub fn map_replicates<T: Send>(
    count: usize,
    finished: &mut dyn FnMut(usize),
    one: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    use rayon::prelude::*;
    let batch = 4 * rayon::current_num_threads().max(1);
    let mut out = Vec::with_capacity(count);
    let mut start = 0;
    while start < count {
        let end = (start + batch).min(count);
        out.extend((start..end).into_par_iter().map(&one).collect::<Vec<T>>());
        finished(end);
        start = end;
    }
    out
}

/// `one(k)` for `k` in `0..count`, in order; `finished` hears how many are done after each.
#[cfg(not(feature = "parallel"))]
pub fn map_replicates<T>(
    count: usize,
    finished: &mut dyn FnMut(usize),
    one: impl Fn(usize) -> T,
) -> Vec<T> {
    (0..count)
        .map(|k| {
            let x = one(k);
            finished(k + 1);
            x
        })
        .collect()
}
