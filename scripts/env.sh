# Shared environment for the set-up, serve and test scripts (sourced, not run).
# Puts the tools the set-up installs first on PATH: npm's wasm-opt, then cargo's binaries.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export RUST_BACKTRACE=0
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
