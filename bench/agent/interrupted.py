# Usage: DATABASE_URL=postgres://... python3 bench/agent/interrupted.py [runs]
# Measures how long after kill -9 of the instance writing a reply the other
# instance's stream hears reply_interrupted (PostgreSQL, two agent servers).
import json, os, signal, subprocess, sys, threading, time, urllib.request
T = "admin-token-admin-token-admin-token-123"
env = dict(os.environ, AGENT_SERVER_ADMIN_TOKEN=T, LOCAL_MODEL_WORD_MS="300")
db = os.environ["DATABASE_URL"]  # a PostgreSQL database both instances share
bin = os.environ.get("AGENT_SERVER_BIN", os.path.join(os.path.dirname(__file__), "../../build/native/bin/agent-server"))
def start(port):
    p = subprocess.Popen([bin, "--listen", f"127.0.0.1:{port}", "--db", db], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    for _ in range(100):
        try: urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz"); return p
        except Exception: time.sleep(0.05)
    raise SystemExit("no start")
def call(port, method, path, body=None, headers={}):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, data=json.dumps(body).encode() if body is not None else None, headers={"Content-Type": "application/json", **headers})
    return json.load(urllib.request.urlopen(req))
results = []
for run in range(int(sys.argv[1]) if len(sys.argv) > 1 else 5):
    a, b = start(4721), start(4722)
    agent = call(4721, "POST", "/api/agents", {"name": "X", "prompt": "Restaurant X. Ouvert du mardi au samedi de 12h à 14h30 et de 19h à 22h30. Téléphone 01 23 45 67 89.", "chatEnabled": True}, {"Authorization": "Bearer " + T})
    auth = {"Authorization": "Bearer " + agent["apiToken"]}
    s = call(4721, "POST", "/api/chat/sessions", {}, auth)
    vh = {**auth, "X-Chat-Visitor": s["visitorId"]}
    stream = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:4722/api/chat/sessions/{s['sessionId']}/events?visitor={s['visitorId']}", headers=auth))
    got = {}
    def read():
        for line in stream:
            line = line.decode()
            if line.startswith("event: delta") and "delta" not in got: got["delta"] = time.monotonic()
            if "reply_interrupted" in line: got["error"] = time.monotonic(); return
    t = threading.Thread(target=read, daemon=True); t.start()
    call(4721, "POST", f"/api/chat/sessions/{s['sessionId']}/messages", {"text": "Quels sont vos horaires ?"}, vh)
    while "delta" not in got: time.sleep(0.01)
    t0 = time.monotonic(); a.send_signal(signal.SIGKILL); a.wait()
    t.join(20)
    results.append(got.get("error", float("nan")) - t0)
    b.terminate(); b.wait()
print("kill -9 -> error event on the other instance, seconds:", ", ".join(f"{r:.2f}" for r in results))
