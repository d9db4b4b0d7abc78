# Shared by the benchmarks' run.sh scripts (sourced).

port_of() {  # waits for the "listening" line of a log file, prints its port
  for _ in $(seq 1 200); do
    port=$(grep -o '"port":[0-9]*' "$1" 2>/dev/null | head -1 | cut -d: -f2 || true)
    [[ -n "$port" ]] && { echo "$port"; return; }
    sleep 0.05
  done
  echo "no listening line in $1" >&2
  cat "$1" >&2
  exit 1
}
