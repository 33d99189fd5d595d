"""An independent audit of Balance Lab's intervals and verdicts.

Simulates datasets with a known truth with code that shares nothing with the project (numpy
only): random sparse graphs, Metropolis and heat-bath kernels with symmetric or non-symmetric
proposals, equal or Zipf-distributed attempts per source, driven cycles of several strengths,
several components side by side. Each dataset is written as counts CSV and analysed by the
release `balance` command line (`analyze --input csv --json`), a black box here. From the JSON
reports it measures:

- how often the 95% intervals of the potential (sandwich, posterior, bootstrap) cover the true
  difference from each component's reported reference state;
- how often the 95% intervals of the entropy production (posterior, bootstrap) cover the true
  entropy production of each component and of the whole (the components weighted by their
  attempts, as the report says it weighs them), computed here from the true kernel restricted
  to the component's states, over the pairs the data saw both ways;
- how often the verdict rejects detailed balance, and whether it names the driven component.

Usage: bench/.venv/bin/python bench/audit.py [datasets per design, default 100] [design filter]
(after `cargo build --release -p balance-cli`). Prints a markdown table.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BALANCE = os.path.join(ROOT, "target", "release", "balance")


def graph_pairs(n, chords, rng):
    """A ring on n states plus `chords` random chords, as sorted pairs."""
    pairs = {(min(i, (i + 1) % n), max(i, (i + 1) % n)) for i in range(n)}
    while len(pairs) < n + chords:
        a, b = rng.integers(n, size=2)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


def kernel(n, pairs, energy, rng, kind="metropolis", drive=0.0, symmetric=True, rate=0.7):
    """A transition matrix along `pairs`: Metropolis or heat bath acceptance of proposals
    (uniform over neighbours, or random weights when not symmetric, with the Hastings
    correction), with an antisymmetric drive of standard deviation `drive` on each pair."""
    neighbours = [[] for _ in range(n)]
    for a, b in pairs:
        neighbours[a].append(b)
        neighbours[b].append(a)
    q = np.zeros((n, n))
    for i in range(n):
        w = np.ones(len(neighbours[i])) if symmetric else 0.2 + rng.random(len(neighbours[i]))
        q[i, neighbours[i]] = rate * w / w.sum()
    force = np.zeros((n, n))
    for a, b in pairs:
        f = drive * rng.standard_normal()
        force[a, b], force[b, a] = f, -f
    p = np.zeros((n, n))
    for i in range(n):
        for j in neighbours[i]:
            # log of the target ratio pi_j q_ji / (pi_i q_ij), plus the drive
            x = -(energy[j] - energy[i]) + np.log(q[j, i] / q[i, j]) + force[i, j]
            accept = min(1.0, np.exp(x)) if kind == "metropolis" else 1.0 / (1.0 + np.exp(-x))
            p[i, j] = q[i, j] * accept
        p[i, i] = 1.0 - p[i].sum()
    return p


def ring(n, rate, drive):
    p = np.zeros((n, n))
    f = rate / (1 + np.exp(-drive))
    for i in range(n):
        p[i, (i + 1) % n] += f
        p[i, (i - 1) % n] += rate - f
        p[i, i] = 1 - rate
    return p


def blocks(chains):
    n = sum(len(c) for c in chains)
    p = np.zeros((n, n))
    at = 0
    for c in chains:
        k = len(c)
        p[at:at + k, at:at + k] = c
        at += k
    return p


def zipf(n, most, least):
    s = np.log(most / least) / np.log(n)
    return np.round(most / np.arange(1, n + 1) ** s).astype(int)


def sample(p, attempts, rng):
    """Counts C[i, j] of attempts from i that gave j (j = i: the attempt stayed)."""
    return np.array([rng.multinomial(a, row / row.sum()) for a, row in zip(attempts, p)])


def write_csv(c, path):
    with open(path, "w") as f:
        for i in range(len(c)):
            for j in range(len(c)):
                if c[i, j] > 0:
                    # a stay is a rejection, an empty target
                    f.write(f"S{i},{'' if i == j else f'S{j}'},{c[i, j]}\n")


def stationary(p):
    w, v = np.linalg.eig(p.T)
    x = np.real(v[:, np.argmin(np.abs(w - 1))])
    return x / x.sum()


def true_entropy(p, states, counts):
    """Entropy production of p restricted to `states` (rows renormalised over them), over the
    pairs of them that `counts` saw both ways."""
    sub = p[np.ix_(states, states)]
    sub = sub / sub.sum(axis=1, keepdims=True)
    pi = stationary(sub)
    total = 0.0
    for x in range(len(states)):
        for y in range(x + 1, len(states)):
            a, b = states[x], states[y]
            if counts[a, b] > 0 and counts[b, a] > 0:
                f, g = pi[x] * sub[x, y], pi[y] * sub[y, x]
                total += (f - g) * np.log(f / g)
    return total


class Tally:
    def __init__(self):
        self.hit = self.n = 0

    def add(self, interval, truth):
        if interval is not None:
            self.n += 1
            self.hit += interval[0] <= truth <= interval[1]

    def __str__(self):
        return "-" if self.n == 0 else f"{100 * self.hit / self.n:.1f}% ({self.n})"


def analyse(counts, seed, workdir):
    path = os.path.join(workdir, "data.csv")
    write_csv(counts, path)
    out = subprocess.run(
        [BALANCE, "analyze", path, "--input", "csv", "--json", "--posterior", "200",
         "--bootstrap", "200", "--null", "200", "--seed", str(seed)],
        check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def run(name, datasets, make):
    v = [Tally(), Tally(), Tally()]
    whole = [Tally(), Tally()]
    each = [Tally(), Tally()]
    rejected = named = tested = lrt_rejected = 0
    with tempfile.TemporaryDirectory() as workdir:
        for seed in range(datasets):
            rng = np.random.default_rng(10_000 + seed)
            p, attempts, energy, driven = make(rng)
            counts = sample(p, attempts, rng)
            r = analyse(counts, seed + 1, workdir)
            index = [int(s["label"][1:]) for s in r["states"]]
            if energy is not None:
                for ref in (s for s in r["states"] if s["reference"]):
                    t0 = energy[int(ref["label"][1:])]
                    for s in r["states"]:
                        if s["component"] == ref["component"] and not s["reference"]:
                            truth = energy[int(s["label"][1:])] - t0 + ref["potential"]
                            if np.isnan(truth):
                                continue
                            for k, key in enumerate(
                                    ["potential_se_interval", "potential_credible", "potential_interval"]):
                                v[k].add(s[key], truth)
            truths = []
            for c in r["components"]:
                if c["entropy"]["value"] is None:
                    truths.append(None)
                    continue
                t = true_entropy(p, [index[s] for s in c["states"]], counts)
                truths.append(t)
                each[0].add(c["entropy"]["credible"], t)
                each[1].add(c["entropy"]["interval"], t)
            if r["entropy_production"]["value"] is not None:
                with_value = [(c, t) for c, t in zip(r["components"], truths) if t is not None]
                total = sum(c["attempts"] for c, _ in with_value)
                t = sum(c["attempts"] * t for c, t in with_value) / total
                whole[0].add(r["entropy_production"]["credible"], t)
                whole[1].add(r["entropy_production"]["interval"], t)
            if r["lrt"]["df"] > 0:
                tested += 1
                lrt_rejected += (r["lrt"]["p_value_null"] or 1.0) < 0.05
            if r["verdict"]["decision"] in ("rejected", "irreversible"):
                rejected += 1
                k = next((i for i, c in enumerate(r["components"])
                          if any(index[s] == driven for s in c["states"])), None)
                if k is not None:
                    n = len(r["components"])
                    named += n == 1 or f"component {k + 1} of {n} " in r["verdict"]["headline"]
    size = f"{100 * lrt_rejected / tested:.1f}%" if tested else "-"
    names = f"{named} of {rejected}" if driven_design(name) and "components" in name else "-"
    print(f"| {name} | {datasets} | {v[0]} | {v[1]} | {v[2]} | {whole[0]} | {whole[1]} | "
          f"{each[0]} | {each[1]} | {size} | {names} |", flush=True)


def driven_design(name):
    return "drive" in name and not re.search(r"drive 0(\D|$)", name)


def designs():
    def graph(n, chords, kind, symmetric, attempts, drive=0.0):
        def make(rng):
            energy = rng.standard_normal(n)
            p = kernel(n, graph_pairs(n, chords, rng), energy, rng, kind, drive, symmetric)
            # Every pair is driven: no one component to name.
            return p, attempts, (energy if drive == 0 else None), None
        return make

    def components(count, size, drive, attempts_each):
        def make(rng):
            chains, energy = [], []
            for _ in range(count):
                e = rng.standard_normal(size)
                chains.append(kernel(size, graph_pairs(size, size // 2, rng), e, rng, "heat bath"))
                energy.extend(e)
            chains.append(ring(3, 0.3, drive))
            # The ring's potential is flat when it is not driven, and there is none when it is.
            energy.extend([0.0 if drive == 0 else np.nan] * 3)
            n = count * size + 3
            return blocks(chains), np.full(n, attempts_each), np.array(energy), n - 1
        return make

    yield "Metropolis, 8 states, 300 each", graph(8, 4, "metropolis", True, np.full(8, 300))
    yield "heat bath, non-symmetric proposals, 30 states, 500 each", graph(
        30, 20, "heat bath", False, np.full(30, 500))
    yield "Metropolis, 60 states, Zipf 12,738 to 27", graph(
        60, 60, "metropolis", True, zipf(60, 12_738, 27))
    yield "heat bath, 60 states, Zipf 12,738 to 27", graph(
        60, 60, "heat bath", True, zipf(60, 12_738, 27))
    for drive in (0.3, 1.0, 3.0):
        yield f"heat bath, 20 states, drive {drive}, 400 each", graph(
            20, 15, "heat bath", True, np.full(20, 400), drive)
    for drive in (0.0, 1.0, 3.0):
        yield f"5 reversible components of 6 and a ring of 3, drive {drive}", components(5, 6, drive, 400)


def main():
    datasets = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    only = sys.argv[2] if len(sys.argv) > 2 else ""
    print("| design | datasets | V sandwich | V posterior | V bootstrap | entropy production, "
          "posterior | entropy production, bootstrap | each component, posterior | each "
          "component, bootstrap | calibrated LRT rejects | names the driven component |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, make in designs():
        if only in name:
            run(name, datasets, make)


if __name__ == "__main__":
    main()
