#!/usr/bin/env bash
# Throughput benchmark on PostgreSQL: seeds N reported cases through the API,
# then measures two representative requests with wrk, and PostGraphile (from
# npm) on the same database and the same list for comparison.
# Needs: a local PostgreSQL (trust auth), wrk, python3, node/npm. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-1000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/misconduct-target}"
cargo build --release -q
B="$CARGO_TARGET_DIR/release/misconduct-server"
work=$(mktemp -d)
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench" postgres
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench MISCONDUCT_DATA_DIR="$work/data" MISCONDUCT_BIND=127.0.0.1:8090 RUST_LOG=warn
# One token drives all the load here, far past what a person sends: the
# per-viewer rate limit is raised so that throughput, not it, is measured.
export MISCONDUCT_RATE_PER_SECOND=100000000 MISCONDUCT_RATE_BURST=100000000
"$B" demo >/dev/null
"$B" > "$work/server.log" 2>&1 & server=$!
trap 'kill $server ${pg:-} 2>/dev/null || true' EXIT
sleep 1.5
start=$(date +%s.%N)
python3 bench/seed.py "$B" "$N"
echo "seeded in $(echo "$(date +%s.%N) - $start" | bc) s ($((N * 4)) mutations, one client)"
OLIVIA=$("$B" token demo-olivia) ALICE=$("$B" token demo-alice)
Q1='{"query":"{ cases(first: 20) { edges { node { reference stage progress parties { role name } timeline { kind toStage } } } } }"}'
Q2='{"query":"{ myCases(first: 20) { edges { node { reference progress report { statement } me { caseWorkers { displayName } supportNotes { body } } } } } }"}'
TOKEN=$OLIVIA BODY=$Q1 wrk -t2 -c32 -d5s -s bench/post.lua http://127.0.0.1:8090/graphql >/dev/null
echo "== Q1 staff list (conduct officer)";  TOKEN=$OLIVIA BODY=$Q1 wrk -t2 -c32 -d20s -s bench/post.lua http://127.0.0.1:8090/graphql
echo "== Q2 party view, audited reads";     TOKEN=$ALICE  BODY=$Q2 wrk -t2 -c32 -d20s -s bench/post.lua http://127.0.0.1:8090/graphql
grep VmHWM "/proc/$server/status"
(cd "$work" && npm install --no-audit --no-fund postgraphile@4 >/dev/null)
"$work/node_modules/.bin/postgraphile" -c "$DATABASE_URL" --host 127.0.0.1 --port 5099 --disable-query-log --simple-collections only >/dev/null 2>&1 & pg=$!
sleep 6
PGQ='{"query":"{ allCasesList(first: 20, orderBy: OPENED_AT_DESC) { reference stage partiesByCaseIdList { role personByPersonId { displayName } } timelineEventsByCaseIdList { kind toStage } } }"}'
BODY=$PGQ wrk -t2 -c32 -d5s -s bench/noauth.lua http://127.0.0.1:5099/graphql >/dev/null
echo "== PostGraphile, same list (no auth, no visibility, no audit)"; BODY=$PGQ wrk -t2 -c32 -d20s -s bench/noauth.lua http://127.0.0.1:5099/graphql
grep VmHWM "/proc/$pg/status"
"$B" verify-audit
