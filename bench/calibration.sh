#!/usr/bin/env bash
# The calibration study (docs/calibration.md), on data simulated with known truth: the coverage
# of the 95% intervals of the potential and the rejection rate of the likelihood-ratio test; the
# tests' rates again over five times as many datasets (no intervals drawn); the word agent's
# coverage by how often each state was entered; and the same for Compare (pairs of one landscape
# at two temperatures: coverage of the scale, rejection rate of the test of one landscape).
# Usage: bench/calibration.sh [datasets per design, default 200]  (about 30 minutes at 200)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$ROOT"
echo "calibration, $(date -u +%Y-%m-%d), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
cargo run --release --quiet -p balance-core --example calibration -- "${1:-200}"
echo
echo "The tests alone, over five times as many datasets"
cargo run --release --quiet -p balance-core --example calibration -- "$((5 * ${1:-200}))" "" --tests
echo
echo "The word agent's coverage by how many transitions entered each state"
cargo run --release --quiet -p balance-core --example calibration -- "${1:-200}" "word agent" --by-entries
echo
echo "Compare: pairs of one landscape at two temperatures"
cargo run --release --quiet -p balance-core --example compare_calibration -- "${1:-200}"
