#!/usr/bin/env bash
# Every test stage, in order; stops at the first failure with a banner naming
# the stage, and ends with one line "N passed, N failed" over all stages.
# Run it through ./dev test, which installs what is missing first.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export CARGO_TERM_COLOR=never

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

banner() { printf '\n==== %s ====\n' "$*"; }

finish() {
  echo
  if [ "$failed" -gt 0 ]; then
    printf '#### FAILED at stage: %s ####\n' "$1"
  else
    echo "#### all stages passed ####"
  fi
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

# Adds up cargo's "test result:" lines from the log.
count_cargo() {
  local p f
  read -r p f < <(awk '/^test result:/ {
      for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed;/) p += $i; if ($(i+1) ~ /^failed;/) f += $i }
    } END { print p+0, f+0 }' "$log")
  passed=$((passed + p))
  failed=$((failed + f))
}

# run NAME KIND COMMAND...; KIND is check (no test count), cargo or node.
run() {
  local name=$1 kind=$2
  shift 2
  banner "$name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  case "$kind" in
    cargo) count_cargo ;;
    node)
      local p f
      p=$(grep -E '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
      f=$(grep -E '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
      passed=$((passed + p))
      failed=$((failed + f))
      ;;
  esac
  if [ "$rc" -ne 0 ]; then
    # A stage that fails without a failed test (a build, a lint) counts once.
    local before=$failed
    [ "$kind" = check ] && failed=$((failed + 1))
    [ "$failed" -eq "$before" ] && [ "$kind" != check ] && failed=$((failed + 1))
    finish "$name"
  fi
}

run "format (cargo fmt --check)" check cargo fmt --all --check
run "clippy: native crates" check cargo clippy -p dpm-rules -p dpm-check --all-targets -- -D warnings
run "clippy: app and viewer for wasm32" check cargo clippy -p dpm-sketch -p dpm-viewer --target wasm32-unknown-unknown --all-targets -- -D warnings
run "architecture (scripts/tidy.mjs: import layers, function lengths)" node node scripts/tidy.mjs
run "native tests" cargo cargo test --workspace --exclude dpm-sketch --exclude dpm-viewer
run "browser component tests (wasm-bindgen-test, headless Chromium)" cargo \
  cargo test -p dpm-sketch --target wasm32-unknown-unknown
run "release build (trunk build --release)" check trunk build --release
run "bundle size report" node node scripts/bundle-report.mjs
run "end-to-end tests (Playwright, release build on 127.0.0.1)" node \
  node --test --test-concurrency=1 --test-reporter=tap e2e/
finish "none"
