#!/usr/bin/python3
"""Checks docker-compose.dev.yml against the repo and the real binaries.

No Docker engine runs here, so this proves what can be proved without one: Debian's
docker-compose accepts the file; every path it mounts or builds from exists; every
Dockerfile target it names exists and installs a binary we build; every environment
variable it sets is one the binary documents in --help; every published port is the
one the service listens on; and each binary, started with the service's settings
(on SQLite and port 0), answers its health check path.

Usage: compose_check.py <repo> <bin-dir>
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

repo, bin_dir = sys.argv[1], sys.argv[2]
compose_file = os.path.join(repo, "docker-compose.dev.yml")
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


# 1. docker-compose itself accepts the file; what it prints is the file with every
# ${VAR:-default} resolved and every path made absolute, which is what is checked.
result = subprocess.run(["docker-compose", "-f", compose_file, "config"],
                        capture_output=True, text=True)
if result.returncode != 0:
    print(f"FAIL: docker-compose config failed: {result.stderr.strip()}")
    sys.exit(1)
services = yaml.safe_load(result.stdout)["services"]

with open(os.path.join(repo, "docker", "Dockerfile")) as f:
    dockerfile = f.read()


def stage_entrypoint(stage):
    """The binary that a Dockerfile stage runs."""
    block = re.search(rf"^FROM\s+\S+\s+AS\s+{re.escape(stage)}\s*$(.*?)(?=^FROM|\Z)",
                      dockerfile, re.M | re.S | re.I)
    if not block:
        return None
    entry = re.search(r'^ENTRYPOINT\s+\["([^"]+)"', block.group(1), re.M)
    return entry.group(1) if entry else None


def listen_port(env):
    for key in ("AGENT_SERVER_LISTEN", "PROXY_LISTEN"):
        if key in env:
            return int(env[key].rsplit(":", 1)[1])
    return None


def wait_listening(process):
    deadline = time.time() + 15
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        match = re.search(r'"msg":"listening".*"port":(\d+)', line)
        if match:
            return int(match.group(1))
    return None


# 2. The database starts with every migration of the agent server, in order: the folder
# docker/postgres-init is the image's docker-entrypoint-initdb.d, and its script applies
# every *.sql of the folder mounted where it reads them. The script runs here with a
# psql that only records what it is asked to apply.
postgres_sql = os.path.join(repo, "sql", "agent_server", "postgres")
init_dir = os.path.join(repo, "docker", "postgres-init")
init_script = os.path.join(init_dir, "001_agent-server-migrations.sh")
postgres = services.get("postgres", {})
volumes = dict(v.split(":")[:2] for v in postgres.get("volumes", []) if ":" in v)
postgres_env = {k: str(v) for k, v in (postgres.get("environment") or {}).items()}
check(volumes.get(init_dir) == "/docker-entrypoint-initdb.d",
      "postgres: docker/postgres-init is not mounted as /docker-entrypoint-initdb.d")
with open(init_script) as f:
    default_dir = re.search(r"AGENT_SERVER_MIGRATIONS:-([^}]+)\}", f.read())
check(default_dir is not None and volumes.get(postgres_sql) == default_dir.group(1),
      f"postgres: sql/agent_server/postgres is not mounted where {os.path.basename(init_script)} reads it")
check(os.access(init_script, os.X_OK),
      f"postgres: {os.path.basename(init_script)} is not executable (the entrypoint would source it)")
with tempfile.TemporaryDirectory() as tmp:
    log = os.path.join(tmp, "psql.log")
    with open(os.path.join(tmp, "psql"), "w") as f:
        f.write(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\n')
    os.chmod(os.path.join(tmp, "psql"), 0o755)
    run = subprocess.run(["bash", init_script], capture_output=True, text=True,
                         env={"PATH": f"{tmp}:{os.environ.get('PATH', '/usr/bin:/bin')}",
                              "AGENT_SERVER_MIGRATIONS": postgres_sql,
                              **postgres_env})
    check(run.returncode == 0, f"postgres: {os.path.basename(init_script)} failed: {run.stderr.strip()}")
    calls = open(log).read().splitlines() if os.path.exists(log) else []
applied = [re.search(r"-f (\S+)$", c).group(1) for c in calls if re.search(r"-f (\S+)$", c)]
expected = [os.path.join(postgres_sql, sql) for sql in sorted(os.listdir(postgres_sql)) if sql.endswith(".sql")]
check(applied == expected,
      f"postgres: the init script applies {[os.path.basename(a) for a in applied]}, "
      f"not every migration in order {[os.path.basename(e) for e in expected]}")
check(all("ON_ERROR_STOP=1" in c and f"--dbname {postgres_env.get('POSTGRES_DB')}" in c for c in calls),
      "postgres: the init script does not stop at the first error, or not in the agent server's database")

for name, service in services.items():
    for dep in service.get("depends_on", {}) or {}:
        check(dep in services, f"{name}: depends_on an unknown service {dep}")
    for volume in service.get("volumes", []) or []:
        source = volume.split(":", 1)[0]
        if source.startswith("/"):
            check(source.startswith(os.path.abspath(repo) + "/") and os.path.exists(source),
                  f"{name}: mounts {source}, which is not in the repo (or the build)")
    build = service.get("build")
    if not build:
        continue
    check(os.path.isfile(os.path.join(build["context"], build["dockerfile"])),
          f"{name}: no Dockerfile {build['dockerfile']}")
    target = build.get("target")
    binary = stage_entrypoint(target)
    if not check(binary is not None, f"{name}: Dockerfile has no stage {target} with an ENTRYPOINT"):
        continue
    path = os.path.join(bin_dir, binary)
    if not check(os.access(path, os.X_OK), f"{name}: {binary} is not built in {bin_dir}"):
        continue

    help_text = subprocess.run([path, "--help"], capture_output=True, text=True).stdout
    env = {k: str(v) for k, v in (service.get("environment") or {}).items()}
    for key in env:
        check(key in help_text, f"{name}: sets {key}, which `{binary} --help` does not document")

    port = listen_port(env)
    for mapping in service.get("ports", []) or []:
        container_port = int(mapping["target"] if isinstance(mapping, dict)
                             else str(mapping).rsplit(":", 1)[-1])
        check(container_port == port, f"{name}: publishes {container_port} but listens on {port}")
    health = " ".join(service.get("healthcheck", {}).get("test", []))
    health_url = re.search(r"http://127\.0\.0\.1:(\d+)(/\S*)", health)
    if not check(health_url is not None, f"{name}: no HTTP health check"):
        continue
    check(int(health_url.group(1)) == port, f"{name}: health check on another port than {port}")

    # Start the binary with the service's settings, on SQLite and port 0.
    with tempfile.TemporaryDirectory() as tmp:
        run_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        run_env.update(env)
        run_env["DATABASE_URL"] = f"sqlite:{tmp}/db.sqlite"
        for key in list(run_env):
            if key.endswith("_URL") and key != "DATABASE_URL":
                run_env[key] = "http://127.0.0.1:9"  # another service: not needed for health
            if key.endswith("_LISTEN"):
                run_env[key] = "127.0.0.1:0"
        if "WIDGET_DIR" in run_env:
            run_env["WIDGET_DIR"] = tmp
        run_env = {k: v for k, v in run_env.items() if v != ""}
        process = subprocess.Popen([path], env=run_env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        try:
            actual = wait_listening(process)
            if check(actual is not None, f"{name}: {binary} did not start with the service's settings"):
                url = f"http://127.0.0.1:{actual}{health_url.group(2)}"
                with urllib.request.urlopen(url, timeout=5) as response:
                    check(response.status == 200, f"{name}: {url} answered {response.status}")
        finally:
            process.terminate()
            process.wait(timeout=10)

if failures:
    print("\n".join(f"FAIL: {f}" for f in failures))
    sys.exit(1)
print(f"docker-compose.dev.yml: {len(services)} services checked against the repo and the binaries")
