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
echo "== PostgreSQL backup restored into a fresh cluster (docs/operations.md)"
scripts/check-postgres-restore.sh
# The crash test kills a real worker mid fan-out; it runs alone, not among the other tests,
# and on the release build, as the worker runs when deployed: at most once leaves a moment
# between a message's record and its "." in which a kill loses it, and the debug build's
# slower code makes that moment several times longer (see DeliveryFailureTests).
echo "== Crash test (a worker killed mid fan-out, release build), SQLite then PostgreSQL"
swift build -c release --product dateline
export DATELINE_TEST_BINARY=.build/release/dateline
DATELINE_CRASH_TEST=1 swift test --skip-build --filter killedWorker
DATELINE_CRASH_TEST=1 scripts/with-postgres.sh swift test --skip-build --filter killedWorker
unset DATELINE_TEST_BINARY
echo "== Browser tests (Chromium through Selenium; axe-core for accessibility)"
"$(scripts/e2e-python.sh)" -m pytest Tests/E2E -q -p no:cacheprovider
