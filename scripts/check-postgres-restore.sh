#!/usr/bin/env bash
# The PostgreSQL restore of docs/operations.md, end to end: a site on one throwaway cluster is
# dumped with pg_dump, restored with pg_restore into a second, fresh cluster (no roles,
# databases or settings carried over but what the dump holds), and `dateline serve` on the
# restored copy answers the home page and a release page. Run by scripts/test.sh; needs the
# debug build (or DATELINE_TEST_BINARY) and PostgreSQL's server and client tools.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${DATELINE_TEST_BINARY:-.build/debug/dateline}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "check-postgres-restore: no PostgreSQL server found" >&2; exit 1; }
work=$(mktemp -d /tmp/dateline-restore.XXXXXX)
as_owner=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$work"; as_owner=(runuser -u postgres --); fi
clusters=()
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  for data in "${clusters[@]}"; do "${as_owner[@]}" "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start_cluster() {  # NAME -> prints the port
  local data="$work/$1" port
  port=$(free_port)
  "${as_owner[@]}" "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-sync >"$work/$1-initdb.log" 2>&1
  "${as_owner[@]}" "$bin/pg_ctl" -D "$data" -l "$work/$1.log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres dateline
  echo "$port"
}
first=$(start_cluster first); clusters+=("$work/first")
source_url="postgres://postgres@127.0.0.1:$first/dateline"
# A site with the sample releases (their organizations, contacts, topics and history).
DATELINE_DATABASE_URL=$source_url "$binary" import --publish --topic Water Samples/*.txt >"$work/import.log" 2>&1
# The commands of docs/operations.md.
"$bin/pg_dump" --format=custom --file="$work/dateline.dump" "$source_url"
second=$(start_cluster second); clusters+=("$work/second")
restored_url="postgres://postgres@127.0.0.1:$second/dateline"
"$bin/pg_restore" --no-owner --exit-on-error --single-transaction --dbname="$restored_url" "$work/dateline.dump"
for table in releases release_events release_topics release_contacts organizations media_contacts topics; do
  a=$(psql -XtAq "$source_url" -c "SELECT COUNT(*) FROM $table")
  b=$(psql -XtAq "$restored_url" -c "SELECT COUNT(*) FROM $table")
  [ "$a" = "$b" ] && [ "$a" -gt 0 ] || { echo "check-postgres-restore: $table has $a rows in the dump's source and $b restored" >&2; exit 1; }
done
port=$(free_port)
DATELINE_DATABASE_URL=$restored_url DATELINE_MAIL_DIR="$work/mail" "$binary" serve --no-jobs --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do curl -sf -o /dev/null "http://127.0.0.1:$port/robots.txt" && break; sleep 0.2; done
home=$(curl -s -w '\n%{http_code}' "http://127.0.0.1:$port/")
[ "${home##*$'\n'}" = 200 ] || { echo "check-postgres-restore: the restored site's home page answered ${home##*$'\n'}" >&2; cat "$work/serve.log" >&2; exit 1; }
release=$(printf '%s' "$home" | grep -o 'href="/releases/[^"]*"' | head -1 | sed 's/href="//; s/"$//' || true)
[ -n "$release" ] || { echo "check-postgres-restore: the restored home page lists no release" >&2; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$release")
[ "$status" = 200 ] || { echo "check-postgres-restore: $release answered $status" >&2; exit 1; }
echo "check-postgres-restore: pg_dump of a site restored into a fresh cluster; every table's rows there; home page and $release answer 200"
