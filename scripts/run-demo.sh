#!/usr/bin/env bash
# Builds Here Today in release mode and serves the demo nursery on http://127.0.0.1:3000.
# The first run installs the build tools and creates ./here-today.db with the demo setting;
# later runs reuse both. Extra arguments go to the server, e.g. --bind 0.0.0.0:3000.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh --release
export PATH="$PWD/tools/node_modules/.bin:$PATH"

echo "==> building (release)"
cargo leptos build --release

echo "==> serving the demo nursery (http://127.0.0.1:3000 unless --bind says otherwise; Ctrl-C stops it)"
LEPTOS_SITE_ROOT=target/site exec ./target/release/here-today --demo "$@"
