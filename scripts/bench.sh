#!/usr/bin/env bash
# Prints the project's speed and size figures; asserts nothing about time.
#   rule crate: criterion (check, pre-check, failover on 100/1,000/10,000 servers)
#   bundle: raw and gzip bytes of the release build
#   frame times: the Playwright probes in e2e/probes/, if present
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

echo "==== rule crate (cargo bench -p dpm-rules) ===="
cargo bench -q -p dpm-rules 2>&1 | grep -E '^rules/|time:' || true

echo
echo "==== bundle (trunk build --release) ===="
trunk build --release >/dev/null 2>&1
node scripts/bundle-report.mjs | sed -n '1,6p'

if compgen -G "e2e/probes/*.mjs" >/dev/null; then
  for probe in e2e/probes/*.mjs; do
    echo
    echo "==== $(basename "$probe" .mjs) ===="
    node "$probe"
  done
fi
