#!/usr/bin/env bash
# The calibration study (docs/calibration.md), on data simulated with known truth: the coverage
# of the 95% intervals of the potential and of the entropy production and the rejection rate of
# the likelihood-ratio test, on reversible designs; the same at 100 draws; the entropy
# production's coverage, of the whole and per component, and the verdicts on driven designs of
# several strengths and on several components side by side; the tests' rates again over five
# times as many datasets (no intervals drawn); the coverage of the potential by how often each
# state was entered; and the same for Compare (pairs of one landscape at two temperatures:
# coverage of the scale, rejection rate of the test of one landscape).
# Usage: bench/calibration.sh [datasets per design, default 200]  (about 75 minutes at 400)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$ROOT"
n="${1:-200}"
echo "calibration, $(date -u +%Y-%m-%d), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
cargo build --release --quiet -p balance-core --example calibration --example compare_calibration
run() { target/release/examples/calibration "$@"; }
run "$n"
echo
echo "The same with 100 posterior draws and bootstrap replicates"
run "$n" "" --draws 100
echo
echo "Entropy production, and the verdict on driven designs and several components"
run "$n" "" --entropy
echo
echo "The tests alone, over five times as many datasets"
run "$((5 * n))" "" --tests
echo
echo "Coverage by how many transitions entered each state"
run "$n" "" --by-entries
echo
echo "Compare: pairs of one landscape at two temperatures"
target/release/examples/compare_calibration "$n"
