#!/usr/bin/env bash
# Prints the project's speed and size figures; asserts nothing about time.
#   rule crate: criterion (check, pre-check, failover, risk, layout ...)
#   bundle: raw and gzip bytes of the release build, per artifact and file
#   first draw: time to the first drawn server, editor and viewer side by
#     side (e2e/probes/first-draw.mjs, 1,000 servers)
#   frame times: e2e/probes/frame-time.mjs at 1,000, 5,000 and 10,000 servers
#   edits: e2e/probes/edits.mjs, every edit timed from input to the second
#     frame after it, fitted and at 100 %, and memory after 300 edits
#   --peer DIR SELECTOR: the same drag probe on a built peer page (DIR, its
#     servers matched by SELECTOR, opened at ?n=N) in the same run, side by
#     side with ours, with the ratios; and, when the peer is a React Flow
#     page (the peers folder's), the edits probe's actions it has. The
#     project never reads a peer itself: its path is this argument.
# Environment: SIZES (default 1000,5000,10000), SECONDS_EACH (default 3);
# the edits probe's own: ACTIONS, CAMERAS, REPS, EDITS (see its head).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

peer_dir="" peer_selector=""
while [ $# -gt 0 ]; do
  case "$1" in
    --peer)
      [ $# -ge 3 ] || { echo "usage: ./dev bench [--peer DIR SELECTOR]" >&2; exit 2; }
      peer_dir=$2 peer_selector=$3
      shift 3
      ;;
    *) echo "usage: ./dev bench [--peer DIR SELECTOR]" >&2; exit 2 ;;
  esac
done
if [ -n "$peer_dir" ] && [ ! -f "$peer_dir/index.html" ]; then
  echo "bench: $peer_dir has no index.html (build the peer page first)" >&2
  exit 2
fi
sizes=${SIZES:-1000,5000,10000}
seconds=${SECONDS_EACH:-3}

echo "==== rule crate (cargo bench -p dpm-rules) ===="
cargo bench -q -p dpm-rules 2>&1 | grep -E '^(rules|per-server)/|time:|thrpt:' || true

echo
echo "==== bundle (trunk build --release) ===="
trunk build --release >/dev/null 2>&1
node scripts/bundle-report.mjs | grep -v -E '^(TAP version|ok |not ok |1\.\.|# )' || true

echo
echo "==== first drawn server: editor and viewer, 1000 servers ===="
node e2e/probes/first-draw.mjs 1000 3

for n in ${sizes//,/ }; do
  echo
  echo "==== frame-time, $n servers ===="
  node e2e/probes/frame-time.mjs "$n" "$seconds"
done

if [ -n "$peer_dir" ]; then
  echo
  echo "==== side by side with $peer_dir ($peer_selector) ===="
  node e2e/probes/side-by-side.mjs "$peer_dir" "$peer_selector" "$sizes" "$seconds"
fi

echo
echo "==== edits, $sizes servers${peer_dir:+, beside $peer_dir} ===="
if [ -n "$peer_dir" ] && [ "$peer_selector" = ".react-flow__node" ]; then
  node e2e/probes/edits.mjs --sizes "$sizes" --peer "$peer_dir"
else
  node e2e/probes/edits.mjs --sizes "$sizes"
fi
