#!/usr/bin/env bash
# Abuse benchmark (issue 15): seeds N reported cases, restarts the server with
# its default limits, then measures CPU per hostile request (fragment fan-out,
# aliased page bombs), a student's latency while attackers send them without
# pause, and memory before and after. PostgreSQL on loopback only.
# Usage: bench/abuse.sh [server-binary]   (default: this tree, release build)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-300}" SECONDS_UNDER_ATTACK="${SECONDS_UNDER_ATTACK:-20}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/misconduct-target}"
B="${1:-}"
if [ -z "$B" ]; then cargo build --release -q; B="$CARGO_TARGET_DIR/release/misconduct-server"; fi
work=$(mktemp -d)
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS bench_abuse" -c "CREATE DATABASE bench_abuse" postgres
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_abuse MISCONDUCT_DATA_DIR="$work/data" MISCONDUCT_BIND=127.0.0.1:8090 RUST_LOG=error
"$B" demo >/dev/null
# Seeding sends thousands of mutations with one token: the rate limit is raised for it only.
MISCONDUCT_RATE_PER_SECOND=100000000 MISCONDUCT_RATE_BURST=100000000 "$B" > "$work/seed.log" 2>&1 & server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1.5
python3 bench/seed.py "$B" "$N" >/dev/null
kill $server; wait $server 2>/dev/null || true
"$B" > "$work/server.log" 2>&1 & server=$!
sleep 1.5
python3 bench/abuse.py "$B" "$server" "$SECONDS_UNDER_ATTACK"
