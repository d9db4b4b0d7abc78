#!/usr/bin/env python3
"""Builds both images of docker/Dockerfile and runs the chat between the two containers.

No Docker engine runs here: script/images builds the images with buildah on Debian base
images made by mmdebstrap. Then the two containers run with buildah (chroot isolation:
podman's runtime cannot set rlimits in this sandbox), each as its image's user, with its
image's entrypoint, working directory and environment, and the compose file's settings
(docker-compose.dev.yml, as `docker-compose config` resolves them). Both share a network
namespace of their own, as a pod does, so they listen on the compose file's ports with
nothing else on the machine in the way, and each HEALTHCHECK runs as written.

Driven, through the proxy's container the way a site and its visitors use it: both
/healthz, both HEALTHCHECK commands inside their containers, a restaurant provisioned
(which creates its agent on the agent server's container), the page /r/:id, the widget
relayed from the agent server, and a chat whose reply streams from the agent server's
built-in model. Then both are stopped with SIGTERM and must exit cleanly.

The databases are the images' own defaults (SQLite under /app/data): the compose file's
PostgreSQL is a third service, not built from this repository.

usage: images_check.py <repo>
"""
import json
import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import yaml

repo = os.path.abspath(sys.argv[1])
images_dir = os.path.abspath(os.environ.get("CHAT_IMAGES_DIR", os.path.join(repo, "build", "images")))
buildah = ["buildah", "--root", os.path.join(images_dir, "storage"),
           "--runroot", os.path.join(images_dir, "run"), "--storage-driver", "overlay"]
# A busy 2-core machine may take long to start a container; nothing waits a fixed time.
DEADLINE = float(os.environ.get("CHAT_IMAGES_DEADLINE", "180"))

# CHAT_SKIP_IMAGES=1 skips it in a quick local loop (ctest reports it as skipped:
# SKIP_RETURN_CODE 77); CI runs it.
if os.environ.get("CHAT_SKIP_IMAGES") == "1":
    print("SKIP: CHAT_SKIP_IMAGES=1", flush=True)
    sys.exit(77)


def fail(message):
    print(f"FAIL: {message}", flush=True)
    sys.exit(1)


def run(cmd, **kwargs):
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)


# --- 1. Build (outside the network namespace: it needs Debian's registry) -------------
if os.environ.get("CHAT_IMAGES_IN_NETNS") != "1":
    t0 = time.monotonic()
    if subprocess.run([os.path.join(repo, "script", "images")], cwd=repo).returncode != 0:
        fail("script/images could not build the images")
    print(f"images: built in {time.monotonic() - t0:.0f} s", flush=True)
    # The rest runs in a network namespace of its own, with its loopback up; it dies with
    # this process.
    env = dict(os.environ, CHAT_IMAGES_IN_NETNS="1")
    inner = f"ip link set lo up && exec {shlex.quote(sys.executable)} {shlex.quote(__file__)} {shlex.quote(repo)}"
    sys.exit(subprocess.run(["unshare", "--net", "--", "sh", "-c", inner], env=env).returncode)

# --- 2. What the images are -------------------------------------------------------------
result = run(["docker-compose", "-f", os.path.join(repo, "docker-compose.dev.yml"), "config"])
if result.returncode != 0:
    fail(f"docker-compose config failed: {result.stderr.strip()}")
services = yaml.safe_load(result.stdout)["services"]
service_of = {"agent-server": "sip-agent-server-api", "chat-proxy": "alloresto"}


def image_config(target):
    result = run(buildah + ["inspect", "--type", "image", f"localhost/chat/{target}"])
    if result.returncode != 0:
        fail(f"no image chat/{target}: {result.stderr.strip()}")
    return json.loads(result.stdout)["Docker"]["config"]


configs = {t: image_config(t) for t in service_of}
for target, config in configs.items():
    if config.get("User") in (None, "", "root", "0"):
        fail(f"chat/{target} runs as root")
    if not config.get("Entrypoint"):
        fail(f"chat/{target} has no ENTRYPOINT")
    if not (config.get("Healthcheck") or {}).get("Test"):
        fail(f"chat/{target} has no HEALTHCHECK")

# --- 3. Containers --------------------------------------------------------------------
containers = {}  # target -> working container's name
servers = {}  # target -> Popen of `buildah run`, the server inside
logs = {}


def in_container(target, argv, env=None, timeout=60):
    """Runs argv in the target's container, as the image's user, with its environment."""
    cmd = buildah + ["run", "--isolation", "chroot"]
    for key, value in (env or {}).items():
        cmd += ["--env", f"{key}={value}"]
    return run(cmd + [containers[target], "--"] + argv, timeout=timeout)


def cleanup():
    for target, server in servers.items():
        if server.poll() is None:
            server.kill()
            server.wait()
    for name in containers.values():
        run(buildah + ["rm", name])


def log_of(target):
    logs[target].flush()
    with open(logs[target].name) as f:
        return f.read()[-4000:]


def settings(target):
    """The compose service's environment, moved into this namespace: the agent server is
    reached at 127.0.0.1 (a pod's neighbour) rather than by its compose name, and the
    databases are the images' SQLite defaults."""
    env = dict(services[service_of[target]].get("environment") or {})
    env = {k: ("" if v is None else str(v)) for k, v in env.items()}
    env.pop("DATABASE_URL", None)
    if "AGENT_SERVER_URL" in env:
        env["AGENT_SERVER_URL"] = env["AGENT_SERVER_URL"].replace(
            "sip-agent-server-api", "127.0.0.1")
    return env


def listen_port(target):
    env = dict(e.split("=", 1) for e in configs[target].get("Env") or [])
    env.update(settings(target))
    listen = env.get("AGENT_SERVER_LISTEN" if target == "agent-server" else "PROXY_LISTEN")
    return int(listen.rsplit(":", 1)[1])


def get(url, headers=None, timeout=30):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def send(method, url, body, headers=None, timeout=30):
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def start(target):
    result = run(buildah + ["from", "--pull=never", "--name", f"chat-check-{target}-{os.getpid()}",
                            f"localhost/chat/{target}"])
    if result.returncode != 0:
        fail(f"buildah from chat/{target}: {result.stderr.strip()}")
    containers[target] = result.stdout.strip()
    config = configs[target]
    cmd = buildah + ["run", "--isolation", "chroot"]
    for key, value in settings(target).items():
        cmd += ["--env", f"{key}={value}"]
    # The image's entrypoint (and its CMD, if any), as Docker would start it.
    argv = config["Entrypoint"] + (config.get("Cmd") or [])
    logs[target] = open(os.path.join(images_dir, f"{target}.run.log"), "w")
    servers[target] = subprocess.Popen(cmd + [containers[target], "--"] + argv,
                                       stdout=logs[target], stderr=subprocess.STDOUT)
    port = listen_port(target)
    deadline = time.monotonic() + DEADLINE
    while True:
        if servers[target].poll() is not None:
            fail(f"chat/{target} exited with {servers[target].returncode}:\n{log_of(target)}")
        try:
            status, _, body = get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            if status == 200:
                print(f"{target}: /healthz {body.decode().strip()}", flush=True)
                return port
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            fail(f"chat/{target} did not answer /healthz within {DEADLINE:.0f} s:\n{log_of(target)}")
        time.sleep(0.2)


def server_pid(target):
    """The server's process: the descendant of its `buildah run` running the entrypoint."""
    parent, name = {}, {}
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except (OSError, ValueError):
            continue
        if entry.isdigit():
            pid = int(entry)
            name[pid] = stat[stat.index("(") + 1:stat.rindex(")")]
            parent[pid] = int(stat[stat.rindex(")") + 2:].split()[1])
    entry = os.path.basename(configs[target]["Entrypoint"][0])[:15]
    for pid, comm in name.items():
        ancestor = parent.get(pid)
        while ancestor and ancestor != servers[target].pid:
            ancestor = parent.get(ancestor)
        if ancestor and comm == entry:
            return pid
    fail(f"chat/{target}: no process {entry} under its buildah run")


def healthcheck(target):
    """The image's HEALTHCHECK command, run inside its container as Docker runs it."""
    test = configs[target]["Healthcheck"]["Test"]
    argv = ["/bin/sh", "-c", test[1]] if test[0] == "CMD-SHELL" else test[1:]
    result = in_container(target, argv)
    if result.returncode != 0:
        fail(f"chat/{target}: HEALTHCHECK {argv} failed ({result.returncode}): "
             f"{result.stdout}{result.stderr}")
    print(f"{target}: HEALTHCHECK passes ({' '.join(test[1:])})", flush=True)


def contents(target, binary):
    """The runtime image holds the binary, the widget and their libraries: no toolchain."""
    script = ("set -e; for c in cc gcc g++ c++ clang cmake make ninja node nodejs npm emcc; do "
              "if command -v $c >/dev/null; then echo \"has $c\"; exit 1; fi; done; "
              f"if ldd /usr/local/bin/{binary} | grep 'not found'; then exit 1; fi")
    result = in_container(target, ["/bin/sh", "-c", script])
    if result.returncode != 0:
        fail(f"chat/{target}: {result.stdout}{result.stderr}")


try:
    agent_port = start("agent-server")
    contents("agent-server", "agent-server")
    healthcheck("agent-server")
    proxy_port = start("chat-proxy")
    contents("chat-proxy", "chat-proxy")
    healthcheck("chat-proxy")
    proxy = f"http://127.0.0.1:{proxy_port}"

    # The servers run as the images' user: the databases they made are its files.
    for target, db in (("agent-server", "agent-server.db"), ("chat-proxy", "alloresto.db")):
        result = in_container(target, ["stat", "-c", "%U %u", f"/app/data/{db}"])
        print(f"{target}: /app/data/{db} belongs to {result.stdout.strip()}", flush=True)
        if result.returncode != 0 or result.stdout.split()[0] != configs[target]["User"]:
            fail(f"chat/{target}: /app/data/{db} is not the image user's: {result.stdout}{result.stderr}")

    # Provisioning through the proxy creates the agent on the agent server.
    with open(os.path.join(repo, "script", "demo-restaurant.json")) as f:
        restaurant = json.load(f)
    admin = settings("chat-proxy")["ALLORESTO_ADMIN_TOKEN"]
    status, body = send("POST", f"{proxy}/api/restaurants", restaurant,
                        {"Authorization": f"Bearer {admin}"})
    if status != 201 or not body.get("hasToken"):
        fail(f"provisioning through the proxy: {status} {body}")
    rid = body["id"]
    print(f"chat-proxy: restaurant {rid} provisioned, agent {body['agentId']}", flush=True)

    status, headers, page = get(f"{proxy}/r/{rid}")
    if status != 200 or b'src="/widget/chat.js"' not in page or f"/api/chat/{rid}".encode() not in page:
        fail(f"the page /r/{rid}: {status} {page[:300]!r}")
    print(f"chat-proxy: /r/{rid} serves the page ({len(page)} bytes)", flush=True)

    status, headers, relayed = get(f"{proxy}/widget/chat.js")
    _, _, direct = get(f"http://127.0.0.1:{agent_port}/widget/chat.js")
    if status != 200 or not relayed or relayed != direct:
        fail(f"/widget/chat.js through the proxy: {status}, {len(relayed)} bytes, "
             f"{'the same as' if relayed == direct else 'not'} the agent server's")
    print(f"chat-proxy: /widget/chat.js relayed ({len(relayed)} bytes)", flush=True)

    # A chat: a session, the event stream opened, a question, the reply streamed in deltas.
    api = f"{proxy}/api/chat/{rid}/chat/sessions"
    status, session = send("POST", api, {})
    if status != 201:
        fail(f"a chat session through the proxy: {status} {session}")
    sid, visitor = session["sessionId"], session["visitorId"]
    stream = urllib.request.urlopen(
        urllib.request.Request(f"{api}/{sid}/events?visitor={visitor}",
                               headers={"Accept": "text/event-stream"}), timeout=DEADLINE)
    status, message = send("POST", f"{api}/{sid}/messages",
                           {"text": "Quels sont vos horaires ?"}, {"X-Chat-Visitor": visitor})
    if status != 202:
        fail(f"a message through the proxy: {status} {message}")
    deltas, event, reply = 0, None, ""
    for raw in stream:
        line = raw.decode().rstrip("\r\n")
        if not line:
            event = None  # a blank line ends an event
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:") and event == "delta":
            deltas += 1
            reply += json.loads(line[5:])["text"]
        elif line.startswith("data:") and event == "done":
            break
        elif line.startswith("data:") and event == "error":
            fail(f"the reply's stream says error: {line}")
    stream.close()
    if deltas < 2 or not reply:
        fail(f"the reply did not stream: {deltas} deltas, reply {reply!r}")
    print(f"chat: reply streamed in {deltas} deltas through the proxy: {reply[:80]!r}...", flush=True)

    # SIGTERM to the server itself, as `docker stop` sends it to a container's first
    # process (`buildah run` would not pass it on: it kills its command): both drain and
    # exit 0.
    for target in ("chat-proxy", "agent-server"):
        os.kill(server_pid(target), signal.SIGTERM)
        try:
            code = servers[target].wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            fail(f"chat/{target} did not stop on SIGTERM:\n{log_of(target)}")
        if code != 0:
            fail(f"chat/{target} exited with {code} on SIGTERM:\n{log_of(target)}")
    print("images: both containers stopped cleanly", flush=True)
finally:
    cleanup()
