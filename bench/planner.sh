#!/usr/bin/env bash
# The planner's benchmark (docs/benchmarks.md, "The planner"): the planned protocol against the
# paper's uniform restarts, with the experiment scheduler itself, on two few-state landscapes
# (attempts until every placed state has SE <= 0.1) and on the simulated word agent (standard
# errors at fixed budgets), with the best static allocation's bound for each, computed from the
# agents' exact answer probabilities. About 5 minutes at 10 seeds.
# Usage: bench/planner.sh [seeds, default 10]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$ROOT"
echo "planner, $(date -u +%Y-%m-%d), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
cargo run --release --quiet -p balance-agent --example planner -- "${1:-10}"
