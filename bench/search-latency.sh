#!/usr/bin/env bash
# Search at the size of a real archive: latency of a mixed query load sent open-loop at a fixed
# rate, and the size of the full-text index on disk.
#
#   bench/search-latency.sh BINARY DATABASE [RATE] [SECONDS]
#   e.g. bench/search-latency.sh .build/release/dateline /tmp/1m.sqlite 20 60
#        bench/search-latency.sh .build/release/dateline postgres://postgres@127.0.0.1:5432/bench 20 60
#
# DATABASE is a SQLite file or a PostgreSQL URL filled by `BINARY bench-data` (which indexes as it
# writes; an older database is indexed by `BINARY migrate`, whose time is the time to index it).
# Starts `BINARY serve --no-jobs` on it (loopback, port $PORT or 18420), writes the query mix
# (bench/search-queries.py: words of three frequencies, two words, phrases, exclusions, OR, a
# third of them with a language, year or organization filter, half sorted by relevance; the
# words drawn from Samples/ and the corpus texts bench-data used), sends it to /search at RATE
# requests a second (default 20) for SECONDS (default 60) with bench/open-loop.py, and prints
# p50, p95, p99 and the maximum in milliseconds, overall and by kind of query. Then prints the
# index's size: the FTS5 tables' pages (SQLite, dbstat) or the tsvector column and its GIN index
# (PostgreSQL). Needs curl, python3 and, for PostgreSQL, psql. Run from the repository's folder.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BINARY DATABASE [RATE] [SECONDS]" >&2; exit 2; }
binary=$(realpath "$1"); database=$2; rate=${3:-20}; seconds=${4:-60}
port=${PORT:-18420}; base="http://127.0.0.1:$port"
here=$(cd "$(dirname "$0")" && pwd)
corpus=${CORPUS:-$here/../../shared/corpus/press-releases/handed}
work=$(mktemp -d); server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export DATELINE_DATABASE_URL="$database" DATELINE_MAIL_DIR="$work/mail" DATELINE_BASE_URL="$base" DATELINE_PAGE_CACHE_MB=0

"$binary" serve --no-jobs --hostname 127.0.0.1 --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 1200); do curl -sf -o /dev/null "$base/robots.txt" && break; sleep 0.5; done
curl -sf -o /dev/null "$base/robots.txt" || { echo "serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

# Organizations for the facet filter: those of the newest releases.
organizations=$(curl -sf "$base/" "$base/?page=2" "$base/?page=3" | grep -o 'href="/organizations/[^/"]*"' | sed 's#href="/organizations/##;s#"##' | sort -u | head -20 | paste -sd, -)
folders=(); [ -d "$corpus" ] && folders=("$corpus")
python3 "$here/search-queries.py" --organizations "$organizations" "${folders[@]}" >"$work/queries.tsv"
echo "$(wc -l <"$work/queries.tsv") distinct queries; $rate requests a second for $seconds s, open loop"
# One pass over the mix first, one query after another, so that every run starts from the same
# warm caches (and no backlog).
python3 -c 'import sys, urllib.request
for line in open(sys.argv[2]):
    urllib.request.urlopen(sys.argv[1] + "/search?" + line.rstrip("\n").split("\t", 1)[1], timeout=120).read()' "$base" "$work/queries.tsv"
python3 "$here/open-loop.py" --base "$base" --rate "$rate" --seconds "$seconds" "$work/queries.tsv"
echo "server peak memory (VmHWM): $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status)"

case "$database" in
  postgres://*|postgresql://*)
    psql "$database" -Atc "SELECT 'index size: tsvector column ' || pg_size_pretty(SUM(pg_column_size(search_vector))::bigint) || ', GIN index ' || pg_size_pretty(pg_relation_size('releases_search')) || ' (' || COUNT(search_vector) || ' releases indexed)' FROM releases" ;;
  *)
    file=${database#sqlite://}
    sqlite3 -readonly "$file" "SELECT 'index size: FTS5 tables ' || printf('%.1f MB', SUM(pgsize) / 1048576.0) FROM dbstat WHERE name LIKE 'release_search%'; SELECT '(' || COUNT(*) || ' releases indexed)' FROM release_search_ids;" ;;
esac
