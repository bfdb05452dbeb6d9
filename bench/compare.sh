#!/usr/bin/env bash
# Side by side (issue 16): our release server, PostGraphile 5 and the minimal
# raw SQL (pgbench) on the same PostgreSQL data, for the five operations of
# docs/performance.md. Seeds SEED cases through the API, multiplies them with
# SQL to N, then for each operation prints req/s, p50 and p99 (wrk, 16
# connections, DURATION seconds), database statements per request for ours
# (from the PostgreSQL statement log) and each server's peak RSS.
#   N=100000 bench/compare.sh          (N=10000 for the smaller size)
# Needs: a local PostgreSQL (trust auth), wrk, pgbench, python3, node and npm
# (PostGraphile 5 is installed from npm into a scratch folder). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-100000}" SEED="${SEED:-2000}" DURATION="${DURATION:-20}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/misconduct-target}"
cargo build --release -q
B="$CARGO_TARGET_DIR/release/misconduct-server"
work=$(mktemp -d)
DB=bench_compare
# REUSE=1 measures the data a previous run left (no seeding, no copies).
[ "${REUSE:-0}" = 1 ] || psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" postgres
# No TLS on the loopback (PostGraphile's client does not use it there either):
# it would only cost both ends CPU. Across a network, keep sslmode=verify-full.
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable" MISCONDUCT_DATA_DIR="$work/data" \
  MISCONDUCT_BIND=127.0.0.1:8093 MISCONDUCT_METRICS_BIND=off RUST_LOG=warn \
  MISCONDUCT_RATE_PER_SECOND=100000000 MISCONDUCT_RATE_BURST=100000000
URL=http://127.0.0.1:8093/graphql
db=(psql -h 127.0.0.1 -U postgres -d $DB -qAt -v ON_ERROR_STOP=1)
server=""
pgl=""
trap 'kill $server $pgl 2>/dev/null || true' EXIT
start_server() {
  "$B" > "$work/server.log" 2>&1 & server=$!
  until curl -s -o /dev/null http://127.0.0.1:8093/healthz 2>/dev/null; do sleep 0.2; done
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

if [ "${REUSE:-0}" != 1 ]; then
# 1. The demo university, then SEED reported cases through the API.
"$B" demo >/dev/null
start_server
BENCH_URL=$URL python3 bench/seed.py "$B" "$SEED" >/dev/null
stop_server

# 2. Copies with SQL up to N cases, each opened on a day of the past year,
# with its procedure, parties, support notes and timeline.
cols() { "${db[@]}" -c "SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = '$1' AND column_name NOT IN ($2)"; }
prefixed() { sed "s/\([a-z_\"]*\)/$1.\1/g" <<<"$2"; }
ccols=$(cols cases "'id','reference','opened_at'")
pcols=$(cols procedure "'case_id'")
partycols=$(cols party "'id','case_id'")
notecols=$(cols support_note "'id','case_id','party_id'")
tlcols=$(cols timeline_event "'id','case_id','party_id','at'")
have=$("${db[@]}" -c "SELECT count(*) FROM cases")
"${db[@]}" <<SQL
CREATE TEMP TABLE copies AS
  SELECT c.id AS original, gen_random_uuid() AS id, g
  FROM generate_series(1, $N - $have) g
  JOIN LATERAL (SELECT id FROM cases ORDER BY id OFFSET (g % $have) LIMIT 1) c ON true;
INSERT INTO cases (id, reference, opened_at, $ccols)
  SELECT k.id, 'MC-BENCH-' || k.g, now() - (k.g % 365) * interval '1 day', $(prefixed c "$ccols")
  FROM copies k JOIN cases c ON c.id = k.original;
INSERT INTO procedure (case_id, $pcols)
  SELECT k.id, $(prefixed p "$pcols") FROM copies k JOIN procedure p ON p.case_id = k.original;
CREATE TEMP TABLE party_copies AS
  SELECT p.id AS original, gen_random_uuid() AS id, k.id AS case_id
  FROM copies k JOIN party p ON p.case_id = k.original;
INSERT INTO party (id, case_id, $partycols)
  SELECT pc.id, pc.case_id, $(prefixed p "$partycols") FROM party_copies pc JOIN party p ON p.id = pc.original;
INSERT INTO support_note (id, case_id, party_id, $notecols)
  SELECT gen_random_uuid(), pc.case_id, pc.id, $(prefixed n "$notecols")
  FROM party_copies pc JOIN support_note n ON n.party_id = pc.original;
INSERT INTO timeline_event (id, case_id, party_id, at, $tlcols)
  SELECT gen_random_uuid(), k.id, pc.id, c.opened_at, $(prefixed t "$tlcols")
  FROM copies k JOIN cases c ON c.id = k.id JOIN timeline_event t ON t.case_id = k.original
  LEFT JOIN party_copies pc ON pc.original = t.party_id AND pc.case_id = k.id;
ANALYZE;
SQL
fi
echo "data: $("${db[@]}" -c 'SELECT count(*) FROM cases') cases, $("${db[@]}" -c 'SELECT count(*) FROM party') parties, $("${db[@]}" -c 'SELECT count(*) FROM support_note') support notes, $("${db[@]}" -c 'SELECT count(*) FROM timeline_event') timeline events"

# 3. The five operations (bench/operations.sh).
source bench/operations.sh

# Statements per request: the PostgreSQL statement log while one client sends
# 20 of each, one after another (the audit writer's batches included).
pglog=$(pg_lsclusters -h | awk '{print $7}' | head -1)
psql -h 127.0.0.1 -U postgres -qc "ALTER DATABASE $DB SET log_statement = 'all'" postgres
start_server
declare -A STATEMENTS
for op in "${OPS[@]}"; do
  curl -s "$URL" -H 'content-type: application/json' -H "authorization: Bearer ${TOKEN[$op]}" -d "${BODY[$op]}" | grep -q '"errors"' \
    && { echo "$op failed:"; curl -s "$URL" -H 'content-type: application/json' -H "authorization: Bearer ${TOKEN[$op]}" -d "${BODY[$op]}"; exit 1; }
  sleep 0.3
  before=$(grep -c "@$DB LOG:  \(statement\|execute\)" "$pglog" || true)
  for _ in $(seq 20); do
    curl -s -o /dev/null "$URL" -H 'content-type: application/json' -H "authorization: Bearer ${TOKEN[$op]}" -d "${BODY[$op]}"
  done
  sleep 0.3
  after=$(grep -c "@$DB LOG:  \(statement\|execute\)" "$pglog" || true)
  STATEMENTS[$op]=$(echo "scale=1; ($after - $before) / 20" | bc)
done
stop_server
psql -h 127.0.0.1 -U postgres -qc "ALTER DATABASE $DB RESET log_statement" postgres

echo
echo "== ours ($("$B" --version 2>/dev/null || echo release), $N cases)"
start_server
printf '%-11s %10s %9s %9s %12s\n' operation req/s p50 p99 statements
for op in "${OPS[@]}"; do
  # What autovacuum would do (it may be off on a test cluster): the pending
  # audit rows the writes leave dead would otherwise be rescanned by every
  # batch that takes what is pending.
  "${db[@]}" -c "VACUUM audit_pending"
  read -r rps p50 p99 < <(run_wrk "$URL" "${TOKEN[$op]}" "${BODY[$op]}" bench/post.lua)
  printf '%-11s %10s %9s %9s %12s\n' "$op" "$rps" "$p50" "$p99" "${STATEMENTS[$op]}"
done
echo "peak RSS: $(grep VmHWM "/proc/$server/status" | awk '{print $2, $3}')"
stop_server
"$B" verify-audit | tail -1

# PostGraphile 5 on the same database: no authentication, no visibility, no
# audit. Its generated API has no aggregates, so BI counts would fetch every
# case (the raw SQL below is the bar for them); writes are left out too.
# PostGraphile 5 needs Node.js 22, taken from the npm registry beside it.
echo
echo "== PostGraphile 5 (same data; no auth, no visibility, no audit)"
start_postgraphile
printf '%-11s %10s %9s %9s\n' operation req/s p50 p99
for op in detail list party; do
  if curl -s http://127.0.0.1:5098/graphql -H 'content-type: application/json' -d "${PBODY[$op]}" | grep -q '"errors"'; then
    echo "$op: $(curl -s http://127.0.0.1:5098/graphql -H 'content-type: application/json' -d "${PBODY[$op]}" | head -c 300)"
    continue
  fi
  read -r rps p50 p99 < <(run_wrk http://127.0.0.1:5098/graphql "" "${PBODY[$op]}" bench/noauth.lua)
  printf '%-11s %10s %9s %9s\n' "$op" "$rps" "$p50" "$p99"
done
echo "peak RSS: $(grep VmHWM "/proc/$pgl/status" | awk '{print $2, $3}')"
kill "$pgl"; pgl=""

# The minimal raw SQL for the same reads: the physical limit on this machine.
echo
echo "== raw SQL (pgbench, 16 clients)"
cat > "$work/detail.sql" <<SQL
SELECT * FROM cases WHERE id = '$CASE';
SELECT p.*, s.display_name FROM party p LEFT JOIN person s ON s.id = p.person_id WHERE p.case_id = '$CASE';
SELECT kind, status FROM measure WHERE case_id = '$CASE';
SELECT status FROM appeal WHERE case_id = '$CASE';
SELECT at, kind, to_stage FROM timeline_event WHERE case_id = '$CASE' ORDER BY at;
SQL
cat > "$work/list.sql" <<SQL
WITH page AS (SELECT id, reference, stage FROM cases ORDER BY opened_at DESC, id DESC LIMIT 50)
SELECT page.*, (SELECT json_agg(json_build_object('role', p.role, 'name', s.display_name)) FROM party p LEFT JOIN person s ON s.id = p.person_id WHERE p.case_id = page.id),
       (SELECT count(*) FROM measure m WHERE m.case_id = page.id) FROM page;
SQL
cat > "$work/statistics.sql" <<SQL
SELECT stage, count(*) FROM cases WHERE opened_at >= now() - interval '1 year' GROUP BY stage;
SQL
cat > "$work/party.sql" <<SQL
SELECT c.reference, c.stage, n.body FROM party p JOIN person s ON s.id = p.person_id AND s.subject = 'demo-alice'
  JOIN cases c ON c.id = p.case_id LEFT JOIN support_note n ON n.party_id = p.id AND n.shared_with_party ORDER BY c.opened_at DESC LIMIT 20;
SQL
for op in detail list statistics party; do
  printf '%-11s %10s tps\n' "$op" "$(pgbench -h 127.0.0.1 -U postgres -n -c16 -j2 -T"$DURATION" -f "$work/$op.sql" $DB 2>/dev/null | awk '/^tps/ {print $3}')"
done
