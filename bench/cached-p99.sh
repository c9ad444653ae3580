#!/usr/bin/env bash
# p99 latency of the cached release page at half of its peak rate.
#
#   bench/cached-p99.sh BINARY [SECONDS]
#
# Starts `BINARY serve --sample-data` on a fresh SQLite file (page cache on, its default
# size), measures the seed release page's peak rate with wrk -t1 -c64 for SECONDS (default 10),
# then loads it at about half that rate — 64 connections, each pausing between a response and
# its next request for 64 ÷ (peak ÷ 2) seconds less the response time — and prints the rate reached and its p50 and
# p99. wrk has no constant-rate mode and wrk2 is not packaged here: a pause after each response
# means a slow response also delays the next request, so the tail is if anything understated
# (coordinated omission); at half the peak the server is rarely busy when a request arrives.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 BINARY [SECONDS]" >&2; exit 2; }
binary=$(realpath "$1"); seconds=${2:-10}
port=${PORT:-18420}; base="http://127.0.0.1:$port"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export DATELINE_DATABASE_URL="$work/site.sqlite" DATELINE_MAIL_DIR="$work/mail" DATELINE_BASE_URL="$base"
"$binary" serve --sample-data --hostname 127.0.0.1 --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do curl -sf -o /dev/null "$base/" && break; sleep 0.2; done
slug=$(curl -sf "$base/" | grep -o 'href="/releases/prisoner[^"]*"' | head -1 | sed 's/href="//;s/"//')
[ -n "$slug" ] || { echo "no seed release on the home page" >&2; exit 1; }
url="$base$slug"
wrk -t1 -c64 -d2s "$url" >/dev/null  # warm: the page enters the cache
peak=$(wrk -t1 -c64 -d"${seconds}s" "$url" | awk '/Requests\/sec/{print $2}')
cycle=$(python3 -c "print(64 / ($peak / 2) * 1000)")
# A connection's cycle is its pause plus the response time: a short first run measures the
# latter, and the pause is what remains of the cycle.
read -r p50 _ _ _ < <(wrk -t1 -c64 -d2s -s "$here/paced.lua" "$url" -- "$cycle" | tail -1)
pause=$(python3 -c "print(max(0, round($cycle - $p50)))")
read -r p50 p99 requests errors < <(wrk -t1 -c64 -d"${seconds}s" -s "$here/paced.lua" "$url" -- "$pause" | tail -1)
rate=$(python3 -c "print(round($requests / $seconds))")
echo "peak $peak req/s; paced at $pause ms per connection: $rate req/s ($(python3 -c "print(round(100 * $rate / $peak))") % of peak), p50 $p50 ms, p99 $p99 ms, $errors errors"
