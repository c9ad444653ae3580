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
# The crash test kills a real worker mid fan-out; it runs alone, not among the other tests.
echo "== Crash test (a worker killed mid fan-out), SQLite then PostgreSQL"
DATELINE_CRASH_TEST=1 swift test --skip-build --filter killedWorker
DATELINE_CRASH_TEST=1 scripts/with-postgres.sh swift test --skip-build --filter killedWorker
echo "== Browser test (Chromium through Selenium)"
python3 -m pytest Tests/E2E -q -p no:cacheprovider
