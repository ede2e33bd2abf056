#!/usr/bin/env bash
# Installs the build tools Here Today needs, skipping any already present:
# the wasm32 target, cargo-leptos, wasm-bindgen-cli at the version in Cargo.lock,
# and (with --release) wasm-opt from npm's binaryen package.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
# Debian's binaryen (wasm-opt 108) produces WASM that fails at hydration; npm's 132 works.
BINARYEN_VERSION=132

need_release=false
[[ "${1:-}" == "--release" ]] && need_release=true

log() { printf '==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes on 2 cores, once)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
fi

wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q "$wasm_bindgen_version"; then
  log "installing wasm-bindgen-cli $wasm_bindgen_version to match Cargo.lock"
  # --locked fails to resolve on this registry; the version pin is what matters.
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version"
fi

if $need_release; then
  if [[ ! -x tools/node_modules/.bin/wasm-opt ]]; then
    log "installing wasm-opt from npm binaryen@$BINARYEN_VERSION into tools/"
    mkdir -p tools
    (cd tools && npm install --no-save --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null)
  fi
fi
