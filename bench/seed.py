# Seeds N reported cases through the API (bench/run.sh): disclose, allocate a case worker, options conversation, formal report.
import json, sys, urllib.request, subprocess, os
BASE = os.environ.get("BENCH_URL", "http://127.0.0.1:8090/graphql")
def tok(who):
    return subprocess.check_output([BIN, "token", who], env=ENV).decode().strip()
def gql(token, q, v):
    req = urllib.request.Request(BASE, data=json.dumps({"query": q, "variables": v}).encode(), headers={"content-type": "application/json", "authorization": "Bearer " + token})
    body = json.load(urllib.request.urlopen(req))
    if "errors" in body: raise SystemExit(json.dumps(body))
    return body["data"]
BIN = sys.argv[1]; N = int(sys.argv[2]); ENV = dict(os.environ)
alice, cara, olivia = tok("demo-alice"), tok("demo-cara"), tok("demo-olivia")
cara_id = gql(cara, "{ me { id } }", {})["me"]["id"]
for i in range(N):
    d = gql(alice, "mutation($d: String!) { recordDisclosure(input: { categories: [HARASSMENT], description: $d, respondents: [{ sisNumber: \"S1000002\" }] }) { caseId myCase { me { id } } } }", {"d": f"Bench case {i}"})["recordDisclosure"]
    c, p = d["caseId"], d["myCase"]["me"]["id"]
    gql(cara, "mutation($c: UUID!, $p: UUID!, $w: UUID!) { assignCaseWorker(caseId: $c, partyId: $p, caseWorkerId: $w) { version } }", {"c": c, "p": p, "w": cara_id})
    gql(cara, "mutation($c: UUID!, $p: UUID!) { recordOptionsConversation(input: { caseId: $c, partyId: $p, optionsOffered: [REPORT_TO_UNIVERSITY], optionsChosen: [REPORT_TO_UNIVERSITY], summary: \"s\" }) { version } }", {"c": c, "p": p})
    gql(alice, "mutation($c: UUID!) { submitFormalReport(input: { caseId: $c, expectedVersion: 1, statement: \"Statement\", respondentMayBeInformed: true }) { version } }", {"c": c})
print("seeded", N)
