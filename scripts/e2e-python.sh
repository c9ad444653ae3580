#!/usr/bin/env bash
# Prints the Python interpreter the browser tests run with: the first Python 3.12 or later found
# (axe-selenium-python 3.0, which bundles axe-core 4.10, needs 3.12): python3 itself, a
# python3.1x on the PATH, or one that pyenv provides. Exits 1, saying so, when there is none.
set -euo pipefail
candidates=(python3 python3.13 python3.12)
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for path in "$root"/versions/3.1[2-9]*/bin/python3; do [ -x "$path" ] && candidates+=("$path"); done
for candidate in "${candidates[@]}"; do
  command -v "$candidate" >/dev/null 2>&1 || continue
  if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    command -v "$candidate"
    exit 0
  fi
done
echo "e2e-python: no Python 3.12 or later found (the accessibility test's axe-selenium-python needs it); install python3.12 or use pyenv" >&2
exit 1
