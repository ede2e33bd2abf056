#!/usr/bin/env bash
# Times the manager's morning view, dashboard and a child's page on the demo nursery: starts
# the given binary on a free loopback port with a fresh demo database, signs in as the demo
# manager, and prints the median and slowest of 20 requests to each server function.
#   scripts/bench-followup.sh target/release/here-today
set -euo pipefail
binary="${1:-target/release/here-today}"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:${port}"
RUST_LOG=warn "$binary" --database "$work/bench.db" --demo --pretend-now 2026-12-04T09:30:00Z \
  --bind "127.0.0.1:${port}" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  curl -fs "$base/health" >/dev/null 2>&1 && break
  sleep 0.5
done
jar="$work/cookies"
curl -fs -c "$jar" -o /dev/null -d "email=manager@example.org&password=demo-password" "$base/api/sign-in"
child="$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
  "SELECT id FROM children WHERE first_name = ? AND last_name = ?", ("Oscar", "Bennett")).fetchone()[0])' "$work/bench.db")"

measure() {
  local name="$1" data="$2"
  local times=()
  for _ in $(seq 1 20); do
    times+=("$(curl -fs -b "$jar" -o /dev/null -w '%{time_total}' -d "$data" "$base/api/$name")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" '
    { t[NR] = $1 * 1000 }
    END { printf "%-14s median %6.1f ms   slowest %6.1f ms\n", name, t[int((NR + 1) / 2)], t[NR] }'
}
measure morning ""
measure dashboard ""
measure child-report "child=${child}"
