#!/usr/bin/env bash
# Runs every check and test of Balance Lab, installing whatever is missing first:
# formatting, clippy (native and wasm32), native tests, a real language model's run from the
# command line (llama.cpp's server with SmolLM2, which scripts/real-model.sh installs), wasm-bindgen
# tests in headless Chromium, the release build, and the end-to-end tests against that build in
# headless Chromium and then in headless Firefox ESR (scripts/e2e-firefox.sh, which installs
# Firefox and geckodriver); the end-to-end suites run the real model from the browser too.
# Ends with one summary line: "summary: N passed, N failed".
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

bash scripts/setup.sh || { echo "summary: 0 passed, 1 failed"; exit 1; }
bash scripts/real-model.sh || { echo "summary: 0 passed, 1 failed"; exit 1; }

LOGS="$ROOT/target/test-logs"
mkdir -p "$LOGS"
rm -f "$LOGS"/*.log
passed=0
failed=0
report=()

# run NAME KIND COMMAND...: KIND is "check" (counts as one) or "tests" (counts cargo's results).
run() {
  local name="$1" kind="$2"
  shift 2
  local log="$LOGS/$name.log" start=$SECONDS status
  echo "==> $name: $*"
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  local secs=$((SECONDS - start)) p=0 f=0
  if [[ "$kind" == tests ]]; then
    p=$(grep -E '^test result:' "$log" | sed -E 's/.* ([0-9]+) passed.*/\1/' | awk '{s+=$1} END {print s+0}')
    f=$(grep -E '^test result:' "$log" | sed -E 's/.* ([0-9]+) failed.*/\1/' | awk '{s+=$1} END {print s+0}')
    if ((status != 0 && f == 0)); then f=1; fi
  elif ((status == 0)); then p=1; else f=1; fi
  passed=$((passed + p))
  failed=$((failed + f))
  report+=("$(printf '%-12s %-5s %4d passed %3d failed %5ds' "$name" "$([[ $status == 0 ]] && echo ok || echo FAIL)" "$p" "$f" "$secs")")
}

export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT=120
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

run fmt check cargo fmt --all --check
run clippy check cargo clippy --workspace --all-targets --locked -- -D warnings
run clippy-wasm check cargo clippy --target wasm32-unknown-unknown -p balance-lab -p balance-worker -p balance-agent --all-targets --locked -- -D warnings
run native tests cargo test --workspace --locked
run real-model tests cargo test -p balance-cli --test real_model --locked -- --ignored
run wasm tests cargo test --target wasm32-unknown-unknown -p balance-lab --tests --locked
run build check trunk build --release --offline
run e2e tests cargo test -p balance-lab --test e2e --locked -- --ignored --test-threads=1
run e2e-firefox tests bash scripts/e2e-firefox.sh

echo
echo "phase        result  tests             time"
printf '%s\n' "${report[@]}"
echo "summary: $passed passed, $failed failed"
((failed == 0))
