#!/usr/bin/env bash
# Instructions the server executes per request (valgrind's callgrind), for
# the read operations of bench/compare.sh on the data it left. Unlike req/s
# on a shared virtual machine, which moved by a third between runs of the
# same binary, the count is the same run after run: use it to compare two
# builds of the server (BIN=path) and to see where the work goes (KEEP=1
# keeps the callgrind file; read it with callgrind_annotate).
#   bench/instructions.sh                    # detail, list and party, 30 requests each
#   BIN=/tmp/other-build OPS="list" N=50 bench/instructions.sh
# Needs: valgrind, and bench/compare.sh run once before (database bench_compare).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/misconduct-target}"
if [ -z "${BIN:-}" ]; then cargo build --release -q; BIN="$CARGO_TARGET_DIR/release/misconduct-server"; fi
N="${N:-30}" WANTED="${OPS:-detail list party}" DB=bench_compare
work=$(mktemp -d)
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable" MISCONDUCT_DATA_DIR="$work/data" \
  MISCONDUCT_BIND=127.0.0.1:8094 MISCONDUCT_METRICS_BIND=off RUST_LOG=warn \
  MISCONDUCT_RATE_PER_SECOND=100000000 MISCONDUCT_RATE_BURST=100000000
URL=http://127.0.0.1:8094/graphql
db=(psql -h 127.0.0.1 -U postgres -d $DB -qAt -v ON_ERROR_STOP=1)
B=$BIN
source bench/operations.sh
printf '%-9s %14s\n' operation instructions
for op in $WANTED; do
  out="$work/callgrind.$op"
  valgrind --tool=callgrind --callgrind-out-file="$out" "$BIN" > "$work/server.log" 2>&1 & server=$!
  until curl -s -o /dev/null http://127.0.0.1:8094/healthz; do sleep 0.5; done
  req() { curl -s -o /dev/null "$URL" -H 'content-type: application/json' -H "authorization: Bearer ${TOKEN[$op]}" -d "${BODY[$op]}"; }
  # Warm: connections open, statements prepared, the document kept.
  for _ in 1 2 3 4 5; do req; done
  sleep 2
  callgrind_control --zero "$server" > /dev/null 2>&1
  for _ in $(seq "$N"); do req; done
  callgrind_control --dump "$server" > /dev/null 2>&1
  kill "$server"; wait "$server" 2>/dev/null || true
  total=$(grep -h "^summary:" "$out".1 | awk '{print $2}')
  printf '%-9s %14s\n' "$op" "$((total / N))"
  [ "${KEEP:-0}" = 1 ] && cp "$out".1 "/tmp/callgrind.$op.out" && echo "  kept /tmp/callgrind.$op.out"
done
rm -rf "$work"
