#!/usr/bin/env bash
# Takes the README's screenshots of the seed release page and the Arabic sample release with headless Chromium, at a phone
# width (390 px) and a desktop width (1280 px), and of the newsroom (scripts/newsroom-screenshots.py), from a site running
# on a throwaway database.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh docs
swift build --product dateline
work=$(mktemp -d /tmp/dateline-shots.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATELINE_DATABASE_URL="$work/site.sqlite" DATELINE_BASE_URL="http://127.0.0.1:$port" \
  .build/debug/dateline serve --sample-data --port "$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.2; done
page="http://127.0.0.1:$port/releases/prisoner-pardons-in-iran-welcome-but-hundreds-more-who-should-be-free-remain"
shoot() { # width height file url
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$1,$2" --screenshot="$3" "$4" >/dev/null 2>&1
}
shoot 390 2400 docs/screenshots/release-390.png "$page"
shoot 1280 2000 docs/screenshots/release-1280.png "$page"
shoot 1280 1000 docs/screenshots/home-1280.png "http://127.0.0.1:$port/"
# The Arabic sample release: only the release is right-to-left, the chrome keeps the site's direction.
arabic=$(curl -fs "http://127.0.0.1:$port/languages/ar" | grep -o '<h2><a href="[^"]*"' | head -1 | sed 's/<h2><a href="//;s/"$//')
shoot 390 2400 docs/screenshots/release-ar-390.png "http://127.0.0.1:$port$arabic"
shoot 1280 2000 docs/screenshots/release-ar-1280.png "http://127.0.0.1:$port$arabic"
# The newsroom, as an editor: the release list, the release form, an embargoed release's review page.
DATELINE_DATABASE_URL="$work/site.sqlite" .build/debug/dateline user create --email editor@wire.example --name "Ed Editor" \
  --role editor --password-stdin <<<"correct horse battery staple" >/dev/null
python3 scripts/newsroom-screenshots.py "http://127.0.0.1:$port" "correct horse battery staple"
echo "Screenshots written to docs/screenshots/"
