#!/usr/bin/env bash
# Starts the site on the embedded SQLite database, with the sample releases on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh run
swift build --product dateline
exec .build/debug/dateline serve --sample-data "$@"
