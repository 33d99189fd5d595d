#!/usr/bin/env bash
# Runs the end-to-end suite in headless Firefox ESR against the release build in dist/ (build it
# with `make test` or `trunk build --release`), installing firefox-esr (Debian) and geckodriver
# (crates.io) first if they are missing. Each test module runs in a test process of its own.
# `make test` runs it after the Chromium run. A first page that never asks for the app's
# WebAssembly (Firefox's old stall, README "Developing") fails its test and is recorded in
# target/e2e-artifacts/firefox/stalls.log; BALANCE_MOZ_LOG=<MOZ_LOG modules> keeps each Firefox's
# own log beside its driver's.
# Usage: scripts/e2e-firefox.sh [module...]  (the modules of tests/e2e/ to run; default all)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

GECKODRIVER_VERSION=0.37.1
if ! command -v firefox-esr >/dev/null; then
  echo "e2e-firefox: installing firefox-esr from Debian"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq firefox-esr >/dev/null; } || exit 1
fi
if [[ "$(geckodriver --version 2>/dev/null | head -1)" != "geckodriver $GECKODRIVER_VERSION"* ]]; then
  # A debug build: it only relays WebDriver commands, and builds in about a minute instead of three.
  echo "e2e-firefox: installing geckodriver $GECKODRIVER_VERSION from crates.io"
  cargo install geckodriver --version "=$GECKODRIVER_VERSION" --locked --debug --force || exit 1
fi

modules=("$@")
if ((${#modules[@]} == 0)); then
  for file in tests/e2e/*.rs; do
    module=$(basename "$file" .rs)
    [[ "$module" == main || "$module" == support ]] || modules+=("$module")
  done
fi
status=0
for module in "${modules[@]}"; do
  [[ -f "tests/e2e/$module.rs" ]] || { echo "e2e-firefox: no test module $module"; exit 1; }
  echo "==> e2e-firefox: $module"
  BALANCE_BROWSER=firefox cargo test -p balance-lab --test e2e --locked -- --ignored \
    --test-threads=1 "$module::" || status=1
done
exit $status
