#!/usr/bin/env bash
# Two builds of the server, and optionally PostGraphile 5, interleaved on the
# data bench/compare.sh left: in each round every contender serves every
# operation in turn. On a shared virtual machine req/s drifts by a third
# from one minute to the next, so only contenders measured side by side in
# the same rounds are compared (docs/performance.md).
#   A=/path/to/old/misconduct-server bench/ab.sh        # B: this checkout
#   A=/tmp/one B=/tmp/other OPS="detail" bench/ab.sh    # two binaries
#   BASE=953b917 PG5=1 ROUNDS=3 bench/ab.sh            # builds BASE first
# Prints req/s per round and the ratios B / A (and B / PostGraphile).
# Needs: bench/compare.sh run once before (database bench_compare), wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-2}" DURATION="${DURATION:-10}"
read -ra WANTED <<<"${OPS:-detail list party}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/misconduct-target}"
if [ -z "${B:-}" ]; then cargo build --release -q; B="$CARGO_TARGET_DIR/release/misconduct-server"; fi
if [ -z "${A:-}" ]; then
  [ -n "${BASE:-}" ] || { echo "set A=<binary> or BASE=<commit>"; exit 2; }
  tree=/var/tmp/misconduct-ab-base
  rm -rf "$tree" && git worktree add -f -q --detach "$tree" "$BASE"
  (cd "$tree" && CARGO_TARGET_DIR=/var/tmp/misconduct-ab-target cargo build --release -q)
  A=/var/tmp/misconduct-ab-target/release/misconduct-server
fi
work=$(mktemp -d)
DB=bench_compare
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable" MISCONDUCT_DATA_DIR="$work/data" \
  MISCONDUCT_BIND=127.0.0.1:8093 MISCONDUCT_METRICS_BIND=off RUST_LOG=warn \
  MISCONDUCT_RATE_PER_SECOND=100000000 MISCONDUCT_RATE_BURST=100000000
db=(psql -h 127.0.0.1 -U postgres -d $DB -qAt -v ON_ERROR_STOP=1)
server="" pgl=""
trap 'kill $server $pgl 2>/dev/null || true' EXIT
source bench/operations.sh

declare -A RPS
contenders=(A B)
[ "${PG5:-0}" = 1 ] && contenders+=(PG5)
for round in $(seq "$ROUNDS"); do
  for who in "${contenders[@]}"; do
    if [ "$who" = PG5 ]; then
      start_postgraphile
    else
      bin=$A; [ "$who" = B ] && bin=$B
      "$bin" > "$work/server.log" 2>&1 & server=$!
      until curl -s -o /dev/null http://127.0.0.1:8093/healthz 2>/dev/null; do sleep 0.2; done
    fi
    for op in "${WANTED[@]}"; do
      if [ "$who" = PG5 ]; then
        [ -n "${PBODY[$op]:-}" ] || continue
        url=http://127.0.0.1:5098/graphql token="" body=${PBODY[$op]} script=bench/noauth.lua
      else
        url=http://127.0.0.1:8093/graphql token=${TOKEN[$op]} body=${BODY[$op]} script=bench/post.lua
      fi
      answer=$(curl -s "$url" -H 'content-type: application/json' -H "authorization: Bearer $token" -d "$body")
      if grep -q '"errors"' <<<"$answer"; then echo "$who $op failed: ${answer:0:300}"; exit 1; fi
      read -r rps _ _ < <(run_wrk "$url" "$token" "$body" "$script")
      RPS[$who.$op.$round]=$rps
      echo "round $round  $who  $op  $rps req/s"
    done
    if [ "$who" = PG5 ]; then kill "$pgl"; wait "$pgl" 2>/dev/null || true; pgl=""
    else kill "$server"; wait "$server" 2>/dev/null || true; server=""; fi
  done
done

echo
printf '%-10s %6s %10s %10s %8s' operation round A B B/A
[ "${PG5:-0}" = 1 ] && printf ' %10s %8s' PG5 B/PG5
echo
for op in "${WANTED[@]}"; do
  for round in $(seq "$ROUNDS"); do
    a=${RPS[A.$op.$round]} b=${RPS[B.$op.$round]}
    printf '%-10s %6s %10s %10s %8.2f' "$op" "$round" "$a" "$b" "$(echo "$b / $a" | bc -l)"
    if [ "${PG5:-0}" = 1 ] && [ -n "${RPS[PG5.$op.$round]:-}" ]; then
      p=${RPS[PG5.$op.$round]}
      printf ' %10s %8.2f' "$p" "$(echo "$b / $p" | bc -l)"
    fi
    echo
  done
done
