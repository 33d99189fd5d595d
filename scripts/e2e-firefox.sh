#!/usr/bin/env bash
# Runs the end-to-end suite in headless Firefox ESR against the release build in dist/ (build it
# with `make test` or `trunk build --release`), installing firefox-esr (Debian) and geckodriver
# (crates.io) first if they are missing. Not part of `make test` yet: the README's "Developing"
# section says why.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

GECKODRIVER_VERSION=0.37.1
if ! command -v firefox-esr >/dev/null; then
  echo "e2e-firefox: installing firefox-esr from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq firefox-esr >/dev/null
fi
if [[ "$(geckodriver --version 2>/dev/null | head -1)" != "geckodriver $GECKODRIVER_VERSION"* ]]; then
  echo "e2e-firefox: installing geckodriver $GECKODRIVER_VERSION from crates.io (about 3 minutes)"
  cargo install geckodriver --version "=$GECKODRIVER_VERSION" --locked --force
fi
BALANCE_BROWSER=firefox cargo test -p balance-lab --test e2e --locked -- --ignored --test-threads=1
