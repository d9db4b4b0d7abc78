#!/usr/bin/env bash
# Agent-server benchmark (issue 4): messages per second end to end, time to the
# first delta, and memory with 2,000 idle streams, on SQLite (WAL, synchronous =
# NORMAL: no fsync per commit) and on a throwaway PostgreSQL cluster, both with
# PostgreSQL's defaults (`postgres`: an fsync per commit) and with
# synchronous_commit = off (`postgres-async`: SQLite's durability class, a crash
# may lose the last few hundred ms of commits but never corrupts).
# The `local` model with no delay (LOCAL_MODEL_WORD_MS=0), rate limits off, all on
# loopback; one client thread (bench/agent/load.cpp) drives every socket.
#   bench/agent/run.sh [BIN_DIR]      (default build/native/bin)
# Environment: BACKENDS ("sqlite postgres postgres-async"), LANES ("1 4 16 64"), SECONDS_PER_RUN (10),
# PER_SESSION (10 messages, then a new session), STREAMS (2000).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(realpath "${1:-build/native/bin}")
backends=${BACKENDS:-sqlite postgres postgres-async}
lanes_list=${LANES:-1 4 16 64}
seconds=${SECONDS_PER_RUN:-10}
per_session=${PER_SESSION:-10}
streams=${STREAMS:-2000}

work=$(mktemp -d /tmp/agent-bench-XXXXXX)
pids=()
pg_bin=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n "$pg_bin" ]]; then as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

as_pg() {  # initdb and pg_ctl refuse to run as root
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

g++ -O2 -std=c++17 bench/agent/load.cpp -o "$work/load"

source bench/common.sh

start_postgres() {  # $1: synchronous_commit; runs in $(...), so pg_bin is set by the caller
  if [[ ! -d "$work/pg" ]]; then
    mkdir -p "$work/pg"
    [[ $(id -u) == 0 ]] && chown postgres: "$work" "$work/pg"
    as_pg "$pg_bin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
  else
    as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null
  fi
  pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
    -o "-c listen_addresses='' -k $work/pg -p $pg_port -c max_connections=200 -c synchronous_commit=$1" \
    start >/dev/null
  as_pg "$pg_bin/psql" -h "$work/pg" -p "$pg_port" -U postgres -qc "DROP DATABASE IF EXISTS bench" >/dev/null
  as_pg "$pg_bin/psql" -h "$work/pg" -p "$pg_port" -U postgres -qc "CREATE DATABASE bench" >/dev/null
  echo "postgres:///bench?host=$work/pg&port=$pg_port&user=postgres"
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
threads_of() { awk '/^Threads/ {print $2}' "/proc/$1/status"; }

admin=bench_agent_admin_token_0123456789abcdef
for backend in $backends; do
  case $backend in
    sqlite) db="sqlite:$work/agent.db" ;;
    postgres|postgres-async) pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1) ;;&
    postgres) db=$(start_postgres on) ;;
    postgres-async) db=$(start_postgres off) ;;
    *) echo "unknown backend $backend" >&2; exit 2 ;;
  esac
  log="$work/agent-$backend.log"
  AGENT_SERVER_ADMIN_TOKEN=$admin LOCAL_MODEL_WORD_MS=0 CHAT_SESSION_MESSAGES_PER_MIN=0 \
    CHAT_AGENT_MESSAGES_PER_MIN=0 \
    "$bin/agent-server" --listen 127.0.0.1:0 --db "$db" > "$log" 2>&1 &
  pid=$!
  pids+=($pid)
  port=$(port_of "$log")
  prompt='Restaurant Chez Marie. Horaires : du mardi au samedi, 12h-14h30 et 19h-22h30. Adresse : 12 rue des Lilas, Paris.'
  token=$(curl -fsS -X POST "http://127.0.0.1:$port/api/agents" -H "Authorization: Bearer $admin" \
    -H 'Content-Type: application/json' -d "{\"name\":\"Bench\",\"prompt\":\"$prompt\"}" | jq -r .publicToken)

  echo "== $backend ($(nproc) cores, $(uname -r))"
  for lanes in $lanes_list; do
    "$work/load" messages "$port" "$token" "$lanes" "$seconds" "$per_session"
  done

  before=$(rss_kb "$pid")
  mkfifo "$work/hold-$backend"
  "$work/load" idle "$port" "$token" "$streams" < "$work/hold-$backend" > "$work/idle-$backend.out" &
  idle_pid=$!
  exec 9> "$work/hold-$backend"
  for _ in $(seq 1 600); do
    grep -q "streams open" "$work/idle-$backend.out" 2>/dev/null && break
    sleep 0.1
  done
  cat "$work/idle-$backend.out"
  during=$(rss_kb "$pid")
  echo "agent-server RSS: $((before / 1024)) MB before, $((during / 1024)) MB with $streams idle streams" \
       "($(( (during - before) / streams )) KB per stream), $(threads_of "$pid") threads"
  exec 9>&-
  wait "$idle_pid"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
