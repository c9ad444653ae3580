#!/usr/bin/env bash
# Installs what Dateline needs on a Debian machine, only when it is missing.
#   scripts/ensure-deps.sh run    — building and running the site
#   scripts/ensure-deps.sh test   — also PostgreSQL, xmllint and the Python test peers
#   scripts/ensure-deps.sh docs   — also Chromium, for screenshots
#   scripts/ensure-deps.sh bench  — also Postfix's smtp-sink and smtp-source, for bench/
set -euo pipefail
purpose=${1:-run}

need_apt=()
pkg-config --exists libcmark-gfm 2>/dev/null || need_apt+=(libcmark-gfm-dev libcmark-gfm-extensions-dev)
[ -f /usr/include/cmark-gfm-core-extensions.h ] || need_apt+=(libcmark-gfm-extensions-dev)
pkg-config --exists sqlite3 2>/dev/null || need_apt+=(libsqlite3-dev)
pkg-config --exists libxml-2.0 2>/dev/null || need_apt+=(libxml2-dev)
pkg-config --exists libqrencode 2>/dev/null || need_apt+=(libqrencode-dev)
pkg-config --exists vips 2>/dev/null || need_apt+=(libvips-dev)
# The dateline binary links gperftools' tcmalloc in place of glibc's malloc (Package.swift).
# (grep reads all of ldconfig's list: with -q it would stop early, and pipefail would then see
# ldconfig killed by SIGPIPE and report the library missing.)
/sbin/ldconfig -p 2>/dev/null | grep 'libtcmalloc_minimal\.so\.4 ' >/dev/null || need_apt+=(libtcmalloc-minimal4)
command -v python3 >/dev/null || need_apt+=(python3 python3-pip)
if [ "$purpose" = test ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
  command -v xmllint >/dev/null || need_apt+=(libxml2-utils)
  command -v openssl >/dev/null || need_apt+=(openssl)
  command -v chromium >/dev/null || need_apt+=(chromium)
  command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
  command -v zbarimg >/dev/null || need_apt+=(zbar-tools)
fi
if [ "$purpose" = bench ]; then
  command -v smtp-sink >/dev/null || need_apt+=(postfix)
  command -v taskset >/dev/null || need_apt+=(util-linux)
  [ -x /usr/bin/time ] || need_apt+=(time)
fi
if [ "$purpose" = docs ]; then
  command -v chromium >/dev/null || need_apt+=(chromium)
  command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
fi

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need_apt[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ "$purpose" = docs ]; then
  python3 -c 'import selenium' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check selenium
fi
if [ "$purpose" = test ]; then
  python3 -c 'import feedparser, feedparser_rs, jsonschema, selenium, pytest, aiosmtpd, PIL, pillow_heif' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check feedparser feedparser-rs jsonschema selenium pytest aiosmtpd pillow pillow-heif
  # The browser tests run on Python 3.12 or later (scripts/e2e-python.sh), for axe-selenium-python.
  e2e_python=$("$(dirname "$0")/e2e-python.sh")
  "$e2e_python" -c 'import selenium, pytest, axe_selenium_python, PIL' 2>/dev/null || "$e2e_python" -m pip install --quiet --disable-pip-version-check selenium pytest axe-selenium-python==3.0.0 pillow
fi
