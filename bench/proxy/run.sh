#!/usr/bin/env bash
# Proxy benchmark: POST .../chat/sessions through chat-proxy, through nginx (the notes'
# option B, docs/design.md#history: proxy_buffering off, the token injected by nginx) and direct, against one
# agent server (LOCAL_MODEL_WORD_MS=0, SQLite), all on loopback. Bounded: CONNECTIONS x
# REQUESTS per run, ROUNDS rounds, each run under `timeout`.
#   bench/proxy/run.sh [BIN_DIR]      (default build/native/bin)
# Both servers run on their default capacity settings (workers, stream limits); only
# the per-client caps and budgets are off, since every client here is 127.0.0.1.
# Needs nginx (Debian's nginx-light, installed by script/bootstrap).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(realpath "${1:-build/native/bin}")
connections=${CONNECTIONS:-8}
requests=${REQUESTS:-1000}
rounds=${ROUNDS:-3}
streams=${STREAMS:-5000}

ulimit -n "$(ulimit -Hn)"  # 5,000 streams: a socket each here, two in the proxy
work=$(mktemp -d /tmp/chat-proxy-bench-XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

flags="-O2 -std=c++17 $(pkg-config --cflags --libs cpp-httplib) -pthread"
g++ bench/proxy/load.cpp -o "$work/load" $flags &
g++ bench/proxy/streams.cpp -o "$work/streams" $flags &
wait

source bench/common.sh

agent_admin=bench_agent_admin_token_0123456789abcdef
site_admin=bench_site_admin_token_0123456789abcdef
AGENT_SERVER_ADMIN_TOKEN=$agent_admin LOCAL_MODEL_WORD_MS=0 \
  "$bin/agent-server" --listen 127.0.0.1:0 --db "sqlite:$work/agent.db" > "$work/agent.log" 2>&1 &
pids+=($!)
agent_port=$(port_of "$work/agent.log")
AGENT_SERVER_URL=http://127.0.0.1:$agent_port AGENT_SERVER_ADMIN_TOKEN=$agent_admin \
  ALLORESTO_ADMIN_TOKEN=$site_admin \
  PROXY_MAX_CONNECTIONS_PER_CLIENT=0 CHAT_CLIENT_SESSIONS_PER_HOUR=0 CHAT_CLIENT_MESSAGES_PER_MIN=0 \
  "$bin/chat-proxy" --listen 127.0.0.1:0 --db "sqlite:$work/proxy.db" > "$work/proxy.log" 2>&1 &
pids+=($!)
proxy_port=$(port_of "$work/proxy.log")

created=$(curl -fsS -X POST "http://127.0.0.1:$proxy_port/api/restaurants" \
  -H "Authorization: Bearer $site_admin" -H 'Content-Type: application/json' -d '{"name":"Bench"}')
rid=$(jq -r .id <<<"$created")
agent_id=$(jq -r .agentId <<<"$created")
token=$(curl -fsS "http://127.0.0.1:$agent_port/api/agents/$agent_id" \
  -H "Authorization: Bearer $agent_admin" | jq -r .apiToken)

nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
user root;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  server {
    listen 127.0.0.1:$nginx_port;
    location /api/chat/$rid/chat/ {
      proxy_pass http://127.0.0.1:$agent_port/api/chat/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Cookie "";
      proxy_set_header Authorization "Bearer $token";
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_buffering off;
      proxy_cache off;
      gzip off;
      proxy_read_timeout 1h;
    }
  }
}
NGINX
nginx -c "$work/nginx/nginx.conf" &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' -d '{}' \
    "http://127.0.0.1:$nginx_port/api/chat/$rid/chat/sessions" && break
  sleep 0.05
done

# CPU time (clock ticks of user + system) of a process and its children threads;
# for nginx, of its worker processes.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
relay_ticks() {
  case $1 in
    chat-proxy) ticks "${pids[1]}" ;;
    nginx) local sum=0 w; for w in $(ps -o pid= --ppid "${pids[2]}"); do sum=$((sum + $(ticks "$w"))); done; echo $sum ;;
    *) echo 0 ;;
  esac
}
hz=$(getconf CLK_TCK)
run() {  # name port path [bearer]
  local out relay0 agent0 relay_us agent_us n=$((connections * requests))
  relay0=$(relay_ticks "$1"); agent0=$(ticks "${pids[0]}")
  out=$(LOAD_BEARER=${4:-} timeout 300 "$work/load" 127.0.0.1 "$2" POST "$3" '{}' "$connections" "$requests")
  relay_us=$(( ($(relay_ticks "$1") - relay0) * 1000000 / hz / n ))
  agent_us=$(( ($(ticks "${pids[0]}") - agent0) * 1000000 / hz / n ))
  echo "{\"target\":\"$1\",\"round\":$round,\"connections\":$connections,\"relay_cpu_us\":$relay_us,\"agent_cpu_us\":$agent_us,${out:1}"
}
echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  LOAD_BEARER= "$work/load" 127.0.0.1 "$proxy_port" POST "/api/chat/$rid/chat/sessions" '{}' 2 50 >/dev/null
  run direct "$agent_port" /api/chat/sessions "$token"
  run chat-proxy "$proxy_port" "/api/chat/$rid/chat/sessions"
  run nginx "$nginx_port" "/api/chat/$rid/chat/sessions"
done

# Added latency per delta: the same session read directly and through each relay.
"$work/streams" latency "$agent_port" "$token" "${MESSAGES:-5}" \
  "chat-proxy=$proxy_port:/api/chat/$rid" "nginx=$nginx_port:/api/chat/$rid"

echo "# chat-proxy RSS after the runs: $(ps -o rss= -p "${pids[1]}") KB; nginx: $(ps -o rss= --ppid "${pids[2]}" | awk "{s+=\$1} END {print s}") KB (workers)"

# Open streams held through chat-proxy, then the proxy's memory and threads.
mkfifo "$work/hold.in"
"$work/streams" hold "$proxy_port" "/api/chat/$rid" "$streams" < "$work/hold.in" > "$work/hold.out" &
hold_pid=$!
exec 3> "$work/hold.in"
for _ in $(seq 1 6000); do
  [[ -s "$work/hold.out" ]] && break
  sleep 0.1
done
cat "$work/hold.out"
status_of() { grep -E '^(VmRSS|Threads)' "/proc/$1/status" | tr -s ' \t' ' ' | paste -sd' '; }
echo "# holding ($(date -u +%T), load average $(cut -d' ' -f1-3 /proc/loadavg)):" \
  "chat-proxy $(status_of "${pids[1]}"); agent-server $(status_of "${pids[0]}");" \
  "$(curl -fsS "http://127.0.0.1:$proxy_port/metrics" | grep '^chat_proxy_open_streams');" \
  "$(curl -fsS "http://127.0.0.1:$agent_port/metrics" | grep '^agent_open_streams')"
exec 3>&-
wait "$hold_pid" || true
