#!/usr/bin/env bash
# Installs what the project needs and is missing; skips what is there.
# Offline-safe: only the package registries (crates.io, npm, Debian) are used,
# never a tool's own download of a prebuilt binary (see Trunk.toml).
#   --browser   also Debian's chromium and chromium-driver (tests need them)
set -euo pipefail
cd "$(dirname "$0")/.."
browser=0
[ "${1:-}" = --browser ] && browser=1

TRUNK_VERSION=0.21.14
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
did=0
say() { printf 'setup: %s\n' "$*"; did=1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@";
  elif command -v sudo >/dev/null; then sudo "$@";
  else echo "setup: need root to run: $*" >&2; exit 1; fi
}

command -v cargo >/dev/null || { echo "setup: cargo is missing; install Rust with rustup first" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: npm is missing; install Node.js 20 or newer first" >&2; exit 1; }

# The wasm target, rustfmt and clippy.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for comp in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$comp"; then
    say "adding the $comp component"
    rustup component add "$comp"
  fi
done

# wasm-bindgen's CLI must be exactly the version in Cargo.lock.
wbg=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg" ] \
   || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $wbg (takes about 6 minutes)"
  # Not --locked: its lockfile names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "$wbg" --force
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (takes about 8 minutes)"
  cargo install --locked trunk --version "$TRUNK_VERSION" --force
fi

# Project-local npm packages: wasm-opt (binaryen), playwright-core, axe-core.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
   || [ ! -x node_modules/.bin/wasm-opt ]; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Trunk runs cargo offline (Trunk.toml), so the crates must be here first.
if ! cargo metadata --offline --format-version 1 >/dev/null 2>&1 \
   || ! cargo fetch --offline >/dev/null 2>&1; then
  say "fetching crates"
  cargo fetch
fi

if [ "$browser" = 1 ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi

[ "$did" = 1 ] || echo "setup: everything is installed"
