#!/usr/bin/env bash
# Latency of the public listing routes on a large archive, one request at a time.
#
#   bench/listing-latency.sh BINARY [RELEASES]
#   e.g. bench/listing-latency.sh .build/release/dateline 1000000
#
# Builds nothing. Fills a fresh SQLite database in a temporary folder with RELEASES releases
# (default 200000) by `BINARY bench-data`, starts `BINARY serve --no-jobs` on it (loopback,
# port $PORT or 18400), requests each route kind REQUESTS times (default 20) one after another
# with curl, and prints the median and the slowest time of each, in milliseconds. The first
# request of each route is a warm-up and not counted. Run it from the repository's folder (the
# server reads Resources/ and Public/ from there). This is a first look, not the load test of
# the speed issue (wrk at 64 connections, p95/p99, both databases).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 BINARY [RELEASES]" >&2; exit 2; }
binary=$1
n=${2:-200000}
requests=${REQUESTS:-20}
port=${PORT:-18400}
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export DATELINE_DATABASE_URL="$work/bench.sqlite" DATELINE_MAIL_DIR="$work/mail"
"$binary" bench-data --releases "$n" >&2
"$binary" serve --no-jobs --port "$port" >"$work/serve.log" 2>&1 &
server=$!
ready=""
for _ in $(seq 1 600); do curl -sf -o /dev/null "http://127.0.0.1:$port/robots.txt" && { ready=1; break; }; sleep 0.2; done
[ -n "$ready" ] || { echo "serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
# (|| true: head closing the pipe early is not a failure.)
curl -s "http://127.0.0.1:$port/sitemaps/pages.xml" >"$work/pages.xml"
organization=$(grep -o '/organizations/[^<]*' "$work/pages.xml" | head -1 || true)
topic=$(grep -o '/topics/[^<]*' "$work/pages.xml" | head -1 || true)
release=$(curl -s "http://127.0.0.1:$port/" | grep -o 'href="/releases/[^"]*"' | head -1 | sed 's/href="//; s/"$//' || true)
deep=$(( n / 20 / 2 ))  # a page about halfway back at 10 a page
routes=(
  "/" "/?page=$deep" "$release" "$release/ninjs.json" "$release/newsml.xml"
  "$organization" "$organization?page=20" "$organization/feed.atom"
  "$topic" "$topic?page=200" "$topic/feed.rss"
  "/feed.atom" "/feed.json" "/languages/en/feed.atom" "/api/ninjs?page=$(( n / 100 / 2 ))"
  "/sitemap.xml" "/sitemaps/pages.xml" "/sitemaps/releases/1" "/sitemaps/news.xml"
)
printf '%-60s %8s %8s %6s\n' route "median" "slowest" status
for route in "${routes[@]}"; do
  curl -s -o /dev/null "http://127.0.0.1:$port$route"
  times=()
  for _ in $(seq 1 "$requests"); do
    out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "http://127.0.0.1:$port$route")
    status=${out% *}
    times+=("${out#* }")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v r="$route" -v s="$status" '{ t[NR] = $1 * 1000 } END { printf "%-60s %8.1f %8.1f %6s\n", substr(r, 1, 60), t[int((NR + 1) / 2)], t[NR], s }'
done
