#!/usr/bin/env bash
# Latency of every public route kind on a large archive, with the page cache off, and the
# server's peak memory under load with the cache on.
#
#   bench/route-latency.sh BINARY DATABASE [SECONDS]
#   e.g. bench/route-latency.sh .build/release/dateline /tmp/1m.sqlite 15
#        bench/route-latency.sh .build/release/dateline postgres://postgres@127.0.0.1:5432/bench 15
#
# DATABASE is a SQLite file or a PostgreSQL URL already filled by `BINARY bench-data`; the run
# adds one subscriber (for the preference page) and nothing else. Starts `BINARY serve --no-jobs`
# on it (loopback, port $PORT or 18410) with DATELINE_PAGE_CACHE_MB=0, finds about 200
# addresses of each route kind by reading the site itself (random weeks of the sitemap, the
# organizations and topics those releases link to), then for each kind runs wrk with one
# connection for SECONDS (default 15), each request an address of that kind picked at random,
# and prints p50, p95 and p99 in milliseconds. Then restarts the server with the page cache
# at its default size, loads it with every address at 64 connections for 2 × SECONDS, and prints
# the peak resident memory (VmHWM). Needs wrk and curl. Run from the repository's folder.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BINARY DATABASE [SECONDS]" >&2; exit 2; }
binary=$(realpath "$1"); database=$2; seconds=${3:-15}
port=${PORT:-18410}; base="http://127.0.0.1:$port"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export DATELINE_DATABASE_URL="$database" DATELINE_MAIL_DIR="$work/mail" DATELINE_BASE_URL="$base"

start() {
  "$binary" serve --no-jobs --hostname 127.0.0.1 --port "$port" >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 1200); do curl -sf -o /dev/null "$base/robots.txt" && return 0; sleep 0.5; done
  echo "serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1
}
stop() { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; server=""; }

DATELINE_PAGE_CACHE_MB=0 start
# shellcheck disable=SC2016
paths() { sed -n 's#.*<loc>'"$base"'\([^<]*\)</loc>.*#\1#p'; }
curl -sf "$base/sitemap.xml" | paths | grep '^/sitemaps/releases/' | shuf -n 200 --random-source=<(yes) >"$work/weeks"
: >"$work/slugs"
while read -r week; do
  curl -sf "$base$week" | paths | shuf -n 1 --random-source=<(yes) >>"$work/slugs"
done <"$work/weeks"
sed -i 's#^/releases/##' "$work/slugs"
: >"$work/orgs"; : >"$work/topics"; : >"$work/languages"
while read -r slug; do
  page=$(curl -sf "$base/releases/$slug")
  grep -o '<html lang="[^"]*"' <<<"$page" | sed 's/.*lang="//;s/"//' >>"$work/languages" || true
  org=$(grep -o 'href="/organizations/[^"?]*"' <<<"$page" | head -1 | sed 's/href="//;s/"//')
  topic=$(grep -o 'href="/topics/[^"?]*"' <<<"$page" | head -1 | sed 's/href="//;s/"//')
  [ -n "$org" ] && echo "$org $slug" >>"$work/orgs"
  [ -n "$topic" ] && echo "$topic $slug" >>"$work/topics"
done <"$work/slugs"
echo "bench@example.org" | "$binary" subscriber import - >/dev/null
link=$("$binary" subscriber link bench@example.org)

k="$work/kinds"; mkdir -p "$k"
echo / >"$k/home-first"
sed 's#^#/?before=#' "$work/slugs" >"$k/home-deep"
sed 's#^#/releases/#' "$work/slugs" >"$k/release"
sed 's#^\(.*\)$#/releases/\1/ninjs.json#' "$work/slugs" >"$k/release-ninjs"
sed 's#^\(.*\)$#/releases/\1/newsml.xml#' "$work/slugs" >"$k/release-newsml"
cut -d' ' -f1 "$work/orgs" >"$k/organization-first"
sed 's#^\([^ ]*\) \(.*\)$#\1?before=\2#' "$work/orgs" >"$k/organization-deep"
cut -d' ' -f1 "$work/topics" | sort -u >"$k/topic-first"
sed 's#^\([^ ]*\) \(.*\)$#\1?before=\2#' "$work/topics" >"$k/topic-deep"
printf '/feed.atom\n/feed.rss\n/feed.json\n' >"$k/feed-site"
cut -d' ' -f1 "$work/orgs" | sed 's#$#/feed.atom#' >"$k/feed-organization"
cut -d' ' -f1 "$work/topics" | sort -u | sed 's#$#/feed.rss#' >"$k/feed-topic"
sort -u "$work/languages" | sed 's#^\(.*\)$#/languages/\1/feed.json#' >"$k/feed-language"
echo /api/ninjs >"$k/ninjs-list-first"
sed 's#^#/api/ninjs?before=#' "$work/slugs" >"$k/ninjs-list-deep"
echo /sitemap.xml >"$k/sitemap-index"
echo /sitemaps/pages.xml >"$k/sitemap-pages"
cat "$work/weeks" >"$k/sitemap-week"
echo /sitemaps/news.xml >"$k/sitemap-news"
echo "${link#"$base"}" >"$k/preference-page"

echo "| route kind | addresses | requests | p50 ms | p95 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|---|"
for kind in home-first home-deep release release-ninjs release-newsml organization-first organization-deep \
            topic-first topic-deep feed-site feed-organization feed-topic feed-language ninjs-list-first \
            ninjs-list-deep sitemap-index sitemap-pages sitemap-week sitemap-news preference-page; do
  # One warm-up pass over the kind's addresses (first reads of the database's pages).
  head -50 "$k/$kind" | while read -r path; do curl -s -o /dev/null "$base$path"; done
  read -r p50 p95 p99 requests status socket < <(wrk -t1 -c1 -d"${seconds}s" -s "$here/pick.lua" "$base" -- "$k/$kind" | tail -1)
  echo "| $kind | $(wc -l <"$k/$kind") | $requests | $p50 | $p95 | $p99 | $((status + socket)) |"
done
stop

start
cat "$k"/* >"$work/all"
# SAVE_ADDRESSES=FILE keeps the addresses, for other runs on the same database.
[ -n "${SAVE_ADDRESSES:-}" ] && cp "$work/all" "$SAVE_ADDRESSES"
wrk -t2 -c64 -d"$((seconds * 2))s" -s "$here/pick.lua" "$base" -- "$work/all" >"$work/load.txt"
read -r _ _ _ requests status socket < <(tail -1 "$work/load.txt")
echo
echo "Under load (cache on, every address, 64 connections, $((seconds * 2)) s): $requests requests, $((status + socket)) errors; peak server memory $(awk '/VmHWM/{printf "%.0f MB", $2/1024}' "/proc/$server/status")."
