#!/usr/bin/env bash
# Applies every migration of the agent server (sql/agent_server/postgres, mounted
# read-only at $AGENT_SERVER_MIGRATIONS) to its database, in the order of their names,
# as the image's entrypoint applies the *.sql of /docker-entrypoint-initdb.d: a new
# migration file needs no edit of docker-compose.dev.yml. Run by that entrypoint at the
# database's first start, after 000_create-alloresto.sql; the first failing statement
# stops the start.
set -euo pipefail
export LC_COLLATE=C  # the glob sorts 010_ after 009_ whatever the locale

dir=${AGENT_SERVER_MIGRATIONS:-/agent-server-migrations}
shopt -s nullglob
files=("$dir"/*.sql)
((${#files[@]})) || { echo "$0: no *.sql in $dir" >&2; exit 1; }
for f in "${files[@]}"; do
  echo "$0: running $f"
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --no-password --no-psqlrc \
    --dbname "${POSTGRES_DB:-postgres}" -f "$f"
done
