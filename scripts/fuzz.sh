#!/usr/bin/env bash
# Runs each parser's fuzz target (libFuzzer via cargo-fuzz, on the nightly
# toolchain) for SECONDS each (default 60), seeded with the project's own
# scenarios, cases and seed tables. Findings land in rules/fuzz/artifacts/.
#   ./dev fuzz [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario_json markdown_table read_and_use share_link exercise names import)

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz: the nightly toolchain is missing (rustup toolchain install nightly)" >&2
  exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  cargo install cargo-fuzz
fi
cd rules
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  echo "==== fuzz: $t for ${secs}s ===="
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" ../scenarios ../exercises tests/cases tests/seeds tests/bad tests/goals tests/inventory/small tests/inventory/csv tests/inventory/bad \
    -- -max_total_time="$secs" -max_len=8192 2>&1 | grep -E '^(#[0-9]+.*(DONE|pulse)|Done|==[0-9]+==|SUMMARY|artifact)' || true
  if compgen -G "fuzz/artifacts/$t/crash-*" >/dev/null; then
    echo "fuzz: $t found a crash: $(ls fuzz/artifacts/$t/crash-*)" >&2
    exit 1
  fi
done
echo "fuzz: no crash"
