# Abuse benchmark (issue 15), driven by bench/abuse.sh against a server on
# 127.0.0.1:8090 seeded by bench/seed.py: CPU per hostile request, a student's
# latency while attackers send them without pause, and memory before and after.
import json, os, statistics, subprocess, sys, threading, time, urllib.error, urllib.request

BIN, PID, SECONDS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
BASE = "http://127.0.0.1:8090/graphql"
TICK = os.sysconf("SC_CLK_TCK")


def tok(who):
    return subprocess.check_output([BIN, "token", who]).decode().strip()


def cpu():
    fields = open(f"/proc/{PID}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def memory():
    status = dict(
        line.split(":", 1) for line in open(f"/proc/{PID}/status") if ":" in line
    )
    return {k: int(status[k].split()[0]) // 1024 for k in ("VmRSS", "VmHWM")}


def post(body, token=None, timeout=120):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    req = urllib.request.Request(BASE, data=json.dumps(body).encode(), headers=headers)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            text, status = res.read(), res.status
    except urllib.error.HTTPError as err:
        text, status = err.read(), err.code
    except Exception as err:  # a timeout or a dropped connection counts as a failure
        return 0, time.monotonic() - started, str(err)
    return status, time.monotonic() - started, text[:200].decode(errors="replace")


def fan_out(levels=22):
    q = "query { ...F0 }\n"
    for i in range(levels):
        q += f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}\n"
    return {"query": q + f"fragment F{levels} on Query {{ me {{ id }} }}\n"}


def page_bomb(aliases=30):
    page = "cases(first: 100) { edges { node { reference stage progress parties { role name } timeline { kind toStage } } } }"
    return {"query": "{ " + " ".join(f"p{i}: {page}" for i in range(aliases)) + " }"}


STUDENT = {"query": "{ myCases(first: 20) { edges { node { reference progress } } } }"}
olivia, alice = tok("demo-olivia"), tok("demo-alice")


def cost(label, body, token, n):
    before, walls = cpu(), []
    for _ in range(n):
        status, wall, text = post(body, token)
        walls.append(wall)
    print(f"{label}: {(cpu() - before) / n:.3f} s CPU and {statistics.mean(walls):.3f} s wall per request (HTTP {status}: {text[:90]})")


def student_latencies(seconds):
    lat, failed, end = [], 0, time.monotonic() + seconds
    while time.monotonic() < end:
        status, wall, _ = post(STUDENT, alice, timeout=60)
        lat.append(wall)
        failed += status != 200
        time.sleep(0.25)  # a person clicking quickly: four pages a second
    lat.sort()
    return f"{len(lat)} requests, p50 {lat[len(lat) // 2] * 1000:.0f} ms, p95 {lat[int(len(lat) * 0.95)] * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms, {failed} not 200"


print("memory at rest (MB):", memory())
print("student, no attack:", student_latencies(5))
# How many of each to time: many where each is cheap, few where each takes seconds.
REPEAT = int(os.environ.get("REPEAT", "100"))
cost("fragment fan-out, 22 levels, no token", fan_out(), None, REPEAT)
cost("30 aliased pages of 100 cases, staff token", page_bomb(), olivia, max(1, REPEAT // 10))
cost("batch of 10 such queries, staff token", [page_bomb()] * 10, olivia, max(1, REPEAT // 10))

stop, sent = threading.Event(), [0]


def attacker(body, token):
    while not stop.is_set():
        post(body, token, timeout=120)
        sent[0] += 1


attackers = [threading.Thread(target=attacker, args=a) for a in [(fan_out(), None), (fan_out(), None), ([page_bomb()] * 10, olivia), ([page_bomb()] * 10, olivia)]]
cpu_before = cpu()
for t in attackers:
    t.start()
time.sleep(1)
print(f"student, during the attack ({SECONDS} s, 2 fan-out and 2 batch page-bomb senders):", student_latencies(SECONDS))
stop.set()
for t in attackers:
    t.join()
print(f"attack requests answered: {sent[0]}; server CPU during the attack: {cpu() - cpu_before:.1f} s")
print("memory just after (MB):", memory())
time.sleep(10)
print("memory 10 s later (MB):", memory())
