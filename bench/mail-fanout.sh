#!/usr/bin/env bash
# Mail fan-out: one release to N subscribers (default 100,000) over SMTP into Postfix's
# smtp-sink on loopback, compared in the same run with Postfix's smtp-source sending N
# messages of the same size to the same sink.
#
#   bench/mail-fanout.sh BINARY
#   e.g. bench/mail-fanout.sh .build/release/dateline
#        SUBSCRIBERS=20000 CONNECTIONS=4 bench/mail-fanout.sh .build/release/dateline
#
# CONNECTIONS (default 16, Dateline's own default) is used by both senders.
#
# Builds nothing; needs smtp-sink and smtp-source (scripts/ensure-deps.sh bench installs
# Debian's postfix, whose daemon stays stopped) and GNU time. Steps:
#  1. An empty SQLite database gets N confirmed instant-alert subscribers (`dateline subscriber
#     import`) and one published sample release (`dateline import --publish`), whose fan-out job
#     is then queued.
#  2. `dateline worker --until-idle --connections C` runs the fan-out (N outbox rows), writes
#     each message (its own tokens and links) and sends them over C reused SMTP connections;
#     timed, with its peak resident memory (GNU time's "Maximum resident set size").
#  3. smtp-source sends N messages over C reused sessions (-s C -d), each with a body as long
#     as the average alert, to the same smtp-sink.
# Reports both rates in messages per second and their ratio. The outbox is checked afterwards:
# every row must be `sent`.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 BINARY" >&2; exit 2; }
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
n=${SUBSCRIBERS:-100000}
connections=${CONNECTIONS:-4}
for tool in smtp-sink smtp-source python3; do
    command -v $tool >/dev/null || { echo "$tool missing: scripts/ensure-deps.sh bench" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: scripts/ensure-deps.sh bench" >&2; exit 2; }

work=$(mktemp -d)
sink_pid=""
cleanup() { [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATELINE_DATABASE_URL="$work/bench.sqlite"
export DATELINE_BASE_URL="https://wire.example.org"
export DATELINE_MAIL_FROM="Dateline <newsroom@wire.example.org>"
cd "$root"

# 1. Subscribers and a release.
python3 -c "import sys; sys.stdout.write(''.join('reader%d@example.org\n' % i for i in range(1, $n + 1)))" > "$work/subscribers.txt"
"$binary" subscriber import --cadence instant "$work/subscribers.txt"
"$binary" import --publish --organization "Amnesty International USA" Samples/seed-release.txt > /dev/null

# The size of one alert, from the same release delivered to one subscriber in a mail folder.
DATELINE_DATABASE_URL="$work/size.sqlite" DATELINE_MAIL_DIR="$work/size-mail" sh -c "
  echo reader@example.org | '$binary' subscriber import --cadence instant - > /dev/null &&
  '$binary' import --publish --organization 'Amnesty International USA' Samples/seed-release.txt > /dev/null &&
  '$binary' worker --until-idle > /dev/null 2>&1"
size=$(stat -c %s "$work"/size-mail/*.eml | head -1)

# 2. The fan-out into smtp-sink.
smtp-sink -u nobody 127.0.0.1:"$port" 1024 &
sink_pid=$!
sleep 0.5
export DATELINE_SMTP_URL="smtp://127.0.0.1:$port"
start=$(date +%s.%N)
/usr/bin/time -v -o "$work/worker.time" "$binary" worker --until-idle --connections "$connections" > "$work/worker.log" 2>&1
end=$(date +%s.%N)
dateline_seconds=$(echo "$end - $start" | bc -l)
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/worker.time")
states=$(python3 -c "
import sqlite3; c = sqlite3.connect('$work/bench.sqlite')
print(', '.join('%s %d' % row for row in c.execute('SELECT state, COUNT(*) FROM outbox GROUP BY state')))")

# 3. smtp-source, same count, size and concurrency, same sink.
start=$(date +%s.%N)
smtp-source -s "$connections" -d -m "$n" -l "$size" -f bench@example.org -t reader@example.org 127.0.0.1:"$port"
end=$(date +%s.%N)
source_seconds=$(echo "$end - $start" | bc -l)

dateline_rate=$(echo "$n / $dateline_seconds" | bc -l)
source_rate=$(echo "$n / $source_seconds" | bc -l)
printf 'messages %d, %d bytes each (the alert), %d connections\n' "$n" "$size" "$connections"
printf 'dateline worker: %.1f s, %.0f messages/s, peak RSS %d KB; outbox: %s\n' "$dateline_seconds" "$dateline_rate" "$rss" "$states"
printf 'smtp-source:     %.1f s, %.0f messages/s\n' "$source_seconds" "$source_rate"
printf 'ratio dateline / smtp-source: %.2f\n' "$(echo "$dateline_rate / $source_rate" | bc -l)"
[ "$states" = "sent $n" ] || { echo "not every outbox row was sent: $states" >&2; tail -5 "$work/worker.log" >&2; exit 1; }
