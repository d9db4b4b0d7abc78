#!/usr/bin/env bash
# The edge under a burst of connections: agent-server and chat-proxy (built ones, or
# other binaries given as AGENT_BIN / PROXY_BIN, e.g. an older build to compare),
# each hit by bursts of 1,500, 2,150 and 3,000 connections opened at once, each
# sending GET /healthz. Prints answers and 0-byte closes per burst, and the proxy's
# memory before and after a 200 MB chunked body without a token.
# usage: bench/edge/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
agent_bin=${AGENT_BIN:-build/bin/agent-server}
proxy_bin=${PROXY_BIN:-build/bin/chat-proxy}
work=$(mktemp -d /tmp/chat-edge-bench-XXXXXX)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
source bench/common.sh

admin=bench_agent_admin_token_0123456789abcdef
site=bench_site_admin_token_0123456789abcdef
AGENT_SERVER_ADMIN_TOKEN=$admin "$agent_bin" --listen 127.0.0.1:0 --db "sqlite:$work/agent.db" > "$work/agent.log" 2>&1 &
pids+=($!)
agent_port=$(port_of "$work/agent.log")
AGENT_SERVER_URL=http://127.0.0.1:$agent_port AGENT_SERVER_ADMIN_TOKEN=$admin ALLORESTO_ADMIN_TOKEN=$site \
  "$proxy_bin" --listen 127.0.0.1:0 --db "sqlite:$work/proxy.db" > "$work/proxy.log" 2>&1 &
pids+=($!)
proxy_pid=$!
proxy_port=$(port_of "$work/proxy.log")

for target in "agent-server=$agent_port" "chat-proxy=$proxy_port"; do
  for n in 1500 2150 3000; do
    echo "${target%%=*}: $(python3 bench/edge/burst.py "${target#*=}" "$n")"
  done
done

rss() { awk '/VmRSS/ {print $2}' "/proc/$proxy_pid/status"; }
before=$(rss)
python3 - "$proxy_port" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(10)
s.sendall(b"POST /api/restaurants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          b"Transfer-Encoding: chunked\r\n\r\n")
chunk = b"10000\r\n" + b"a" * 0x10000 + b"\r\n"
sent = 0
try:
    while sent < 200 << 20:
        s.sendall(chunk)
        sent += len(chunk)
except OSError:
    pass
try:
    answer = s.recv(200).split(b"\r\n")[0].decode()
except OSError as e:
    answer = f"no answer ({e})"
print(f"200 MB chunked body without a token: {answer}, {sent >> 20} MB taken")
PY
echo "chat-proxy RSS before ${before} KB, after $(rss) KB"
