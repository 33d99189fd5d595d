#!/usr/bin/env bash
# Installs whatever is missing to build, serve and test Balance Lab. Idempotent: a tool already
# at the right version costs one version check. Downloads only from the package registries
# (crates.io, npm, Debian).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
# wasm-bindgen-cli must match the wasm-bindgen that Cargo.lock resolved.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)"

step() { echo "setup: $*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
  step "installing trunk $TRUNK_VERSION from crates.io (about 8 minutes)"
  cargo install trunk --version "=$TRUNK_VERSION" --locked
fi

if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION from crates.io (about 2 minutes)"
  # Not --locked: its lockfile names a crate version the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force
fi

if [[ "$(wasm-opt --version 2>/dev/null)" != *"version ${BINARYEN_VERSION%%.*}"* ]]; then
  step "installing wasm-opt (npm binaryen@$BINARYEN_VERSION)"
  npm ci --no-audit --no-fund --loglevel=error
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
if ((${#missing[@]})); then
  step "installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Offline Trunk builds run `cargo build --offline`: make sure every crate is in the cache.
cargo fetch --locked --quiet
