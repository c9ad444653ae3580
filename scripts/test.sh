#!/usr/bin/env bash
# Every test, on both databases: the suite runs once against SQLite and once against a
# throwaway PostgreSQL cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh test
swift build --build-tests
echo "== Tests against SQLite"
swift test --skip-build
echo "== Tests against PostgreSQL"
scripts/with-postgres.sh swift test --skip-build
echo "== Browser test (Chromium through Selenium)"
python3 -m pytest Tests/E2E -q -p no:cacheprovider
