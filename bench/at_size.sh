#!/usr/bin/env bash
# At size (issue 16): the demo university multiplied with SQL to N cases spread
# over a year, each with its parties and 1.85 support notes a party, then under
# load with wrk: the year's BI statistics and a reporting student's own view.
# Needs: a local PostgreSQL (trust auth), wrk, pgbench. Loopback only.
#   N=100000 bench/at_size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-100000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/misconduct-target}"
cargo build --release -q
B="$CARGO_TARGET_DIR/release/misconduct-server"
work=$(mktemp -d)
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS bench_stats" -c "CREATE DATABASE bench_stats" postgres
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_stats MISCONDUCT_DATA_DIR="$work/data" \
  MISCONDUCT_BIND=127.0.0.1:8091 MISCONDUCT_METRICS_BIND=off RUST_LOG=warn \
  MISCONDUCT_RATE_PER_SECOND=100000000 MISCONDUCT_RATE_BURST=100000000
"$B" demo >/dev/null
db=(psql -h 127.0.0.1 -U postgres -d bench_stats -qAt -v ON_ERROR_STOP=1)
# Copies of the demo's cases, opened on every day of the past year, each with
# its procedure where the original has one.
cols=$("${db[@]}" -c "SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'cases' AND column_name NOT IN ('id', 'reference', 'opened_at')")
partycols=$("${db[@]}" -c "SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'party' AND column_name NOT IN ('id', 'case_id')")
pcols=$("${db[@]}" -c "SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'procedure' AND column_name <> 'case_id'")
start=$(date +%s.%N)
"${db[@]}" <<SQL
CREATE TEMP TABLE copies AS
  SELECT c.id AS original, gen_random_uuid() AS id, g
  FROM generate_series(1, $N) g
  JOIN LATERAL (SELECT id FROM cases ORDER BY id OFFSET (g % (SELECT count(*) FROM cases)) LIMIT 1) c ON true;
INSERT INTO cases (id, reference, opened_at, $cols)
  SELECT k.id, 'MC-BENCH-' || k.g, now() - (k.g % 365) * interval '1 day', $(sed 's/\([a-z_"]*\)/c.\1/g' <<<"$cols")
  FROM copies k JOIN cases c ON c.id = k.original;
INSERT INTO procedure (case_id, $pcols)
  SELECT k.id, $(sed 's/\([a-z_"]*\)/p.\1/g' <<<"$pcols")
  FROM copies k JOIN procedure p ON p.case_id = k.original;
CREATE TEMP TABLE party_copies AS
  SELECT p.id AS original, gen_random_uuid() AS id, k.id AS case_id, k.g
  FROM copies k JOIN party p ON p.case_id = k.original;
INSERT INTO party (id, case_id, $partycols)
  SELECT pc.id, pc.case_id, $(sed 's/\([a-z_"]*\)/p.\1/g' <<<"$partycols")
  FROM party_copies pc JOIN party p ON p.id = pc.original;
INSERT INTO support_note (id, case_id, party_id, author_id, body, shared_with_party, created_at)
  SELECT gen_random_uuid(), pc.case_id, pc.id, (SELECT id FROM person LIMIT 1), 'Bench note', false,
         now() - (pc.g % 365) * interval '1 day'
  FROM party_copies pc, generate_series(1, 2) AS s(n) WHERE s.n = 1 OR pc.g % 100 < 85;
ANALYZE;
SQL
echo "multiplied to $("${db[@]}" -c 'SELECT count(*) FROM cases') cases, $("${db[@]}" -c 'SELECT count(*) FROM support_note') support notes in $(echo "$(date +%s.%N) - $start" | bc) s"
# Start-up recounts the statistics tally: the cases above came in with SQL.
up=$(date +%s.%N)
"$B" > "$work/server.log" 2>&1 & server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until curl -s -o /dev/null http://127.0.0.1:8091/healthz 2>/dev/null; do sleep 0.2; done
echo "server ready (statistics tally rebuilt) in $(echo "$(date +%s.%N) - $up" | bc) s"
BEA=$("$B" token demo-bea)
from=$(date -d '1 year ago' +%F) to=$(date +%F)
Q="{\"query\":\"query YearStatistics { statistics(from: \\\"$from\\\", to: \\\"$to\\\") { total byCategory { key count } byStage { key count } byOutcome { key count } byMonth { key count } timeToOutcome { cases medianDays p90Days } } }\"}"
curl -s http://127.0.0.1:8091/graphql -H 'content-type: application/json' -H "authorization: Bearer $BEA" -d "$Q" | head -c 300; echo
echo "== one request"; curl -s -o /dev/null -w '%{time_total} s\n' http://127.0.0.1:8091/graphql -H 'content-type: application/json' -H "authorization: Bearer $BEA" -d "$Q"
echo "== BI statistics for the year, 16 connections"
TOKEN=$BEA BODY=$Q wrk -t2 -c16 -d20s --latency -s bench/post.lua http://127.0.0.1:8091/graphql | grep -E "Requests/sec|Latency|99%|50%|Non-2xx"
grep VmHWM "/proc/$server/status"
ALICE=$("$B" token demo-alice)
P='{"query":"query MyCases { myCases(first: 20) { edges { node { reference progress report { statement } me { caseWorkers { displayName } supportNotes { body } } } } } }"}'
echo "== a reporting student's own cases (party view), 16 connections"
TOKEN=$ALICE BODY=$P wrk -t2 -c16 -d20s --latency -s bench/post.lua http://127.0.0.1:8091/graphql | grep -E "Requests/sec|Latency|99%|50%|Non-2xx"
echo "== the naive raw SQL (pgbench, 16 clients): the same counts grouped in the database"
cat > "$work/naive.sql" <<SQL
SELECT stage, count(*) FROM cases WHERE opened_at >= now() - interval '1 year' GROUP BY stage;
SQL
pgbench -h 127.0.0.1 -U postgres -n -c16 -j2 -T20 -f "$work/naive.sql" bench_stats | grep -E "tps|latency average"
