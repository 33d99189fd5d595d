"""Compare Balance Lab's solvers with SciPy and deeptime on the paper-scale benchmark problems.

Run from the repository root:  bench/.venv/bin/python bench/compare.py
(the venv: python3 -m venv bench/.venv && bench/.venv/bin/pip install numpy scipy deeptime)

It builds the problems with `cargo run --release -p balance-core --example export_bench`, which
also prints our timings, then solves the same problems with SciPy's L-BFGS-B (the paper's method)
and deeptime's reversible MLE, checks that the answers agree, and prints one JSON line, with
the ratio of those two Python steps together to our whole report (`analyze`) measured in the same run.
"""

import json
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy.optimize
import scipy.sparse
from deeptime.markov.tools.estimation import transition_matrix


def median_seconds(runs, fn):
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def softplus(z):
    return np.logaddexp(0.0, z)


def main():
    out = tempfile.mkdtemp(prefix="balance-bench-")
    ours = json.loads(
        subprocess.run(
            ["cargo", "run", "-q", "--release", "-p", "balance-core", "--example", "export_bench", "--", out],
            check=True, capture_output=True, text=True,
        ).stdout
    )

    e = np.loadtxt(f"{out}/action_edges.csv", delimiter=",", skiprows=1)
    f, g, w = e[:, 0].astype(int), e[:, 1].astype(int), e[:, 2]
    v_ours = np.loadtxt(f"{out}/action_v_newton.csv", skiprows=1)
    m = len(v_ours)

    def action(v):
        d = v[f] - v[g]
        # K(d) = log(1 + exp(-d)), K'(d) = -1 / (1 + exp(d)).
        s = np.sum(w * softplus(-d))
        k1 = -w * np.exp(-np.logaddexp(0.0, d))
        grad = np.bincount(f, weights=k1, minlength=m) - np.bincount(g, weights=k1, minlength=m)
        return s, grad

    def fit():
        return scipy.optimize.minimize(
            action, np.zeros(m), jac=True, method="L-BFGS-B",
            options={"maxiter": 20000, "maxfun": 40000, "ftol": 0.0, "gtol": 1e-12, "maxls": 50},
        )

    t_scipy, res = median_seconds(3, fit)
    v_scipy = res.x - res.x[np.argmin(v_ours)]
    max_diff_v = float(np.max(np.abs(v_scipy - v_ours)))
    grad_ours = float(np.max(np.abs(action(v_ours)[1])))
    grad_scipy = float(np.max(np.abs(action(res.x)[1])))

    c = np.loadtxt(f"{out}/counts.csv", delimiter=",", skiprows=1)
    n = ours["matrix_states"]
    C = scipy.sparse.csr_matrix((c[:, 2], (c[:, 0].astype(int), c[:, 1].astype(int))), shape=(n, n))
    pi_ours = np.loadtxt(f"{out}/pi_rev.csv", skiprows=1)

    def mle():
        return transition_matrix(C, reversible=True, maxerr=1e-13, maxiter=10**7, return_statdist=True)

    t_deeptime, (_, pi_dt) = median_seconds(3, mle)
    max_rel_pi = float(np.max(np.abs(pi_dt - pi_ours) / pi_ours))

    print(json.dumps({
        **ours,
        "scipy_lbfgsb_ms": round(t_scipy * 1e3, 2),
        "scipy_iterations": int(res.nit),
        "scipy_message": str(res.message),
        "scipy_vs_newton_max_abs_diff_V": max_diff_v,
        "max_abs_gradient_newton": grad_ours,
        "max_abs_gradient_scipy": grad_scipy,
        "deeptime_rev_mle_ms": round(t_deeptime * 1e3, 2),
        "deeptime_vs_ours_max_rel_diff_pi": max_rel_pi,
        "speedup_fit_vs_scipy": round(t_scipy * 1e3 / ours["component_newton_ms"], 1),
        "speedup_rev_mle_vs_deeptime": round(t_deeptime * 1e3 / ours["reversible_mle_ms"], 1),
        # The Python stack's two heavy steps alone (the largest component's fit and the
        # reversible MLE, nothing else of the report) against our whole report.
        "python_stack_ms": round((t_scipy + t_deeptime) * 1e3, 2),
        "speedup_report_vs_python_stack": round((t_scipy + t_deeptime) * 1e3 / ours["analyze_ms"], 1),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
