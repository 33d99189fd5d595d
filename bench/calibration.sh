#!/usr/bin/env bash
# The calibration study (docs/calibration.md): coverage of the 95% intervals of the potential and
# the rejection rate of the likelihood-ratio test on data simulated with known truth.
# Usage: bench/calibration.sh [datasets per design, default 200]  (about 15 minutes at 200)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$ROOT"
echo "calibration, $(date -u +%Y-%m-%d), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
cargo run --release --quiet -p balance-core --example calibration -- "${1:-200}"
