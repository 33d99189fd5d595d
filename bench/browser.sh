#!/usr/bin/env bash
# Browser benchmarks: builds the release app, then measures it in headless Chromium
# (tests/browser_bench) and reports the wasm sizes. Prints Markdown for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh >/dev/null
trunk build --release --offline >/dev/null
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(chromium --version 2>/dev/null); $(date -u +%Y-%m-%d)"
echo
cargo test -q -p balance-lab --test browser_bench -- --ignored --nocapture --test-threads=1 2>/dev/null | grep '^|'
echo
for f in dist/*_bg.wasm; do
  printf '| %s | %s bytes | %s bytes gzip -9 |\n' "$(basename "$f" | sed 's/-[0-9a-f]*_bg/_bg/')" \
    "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
