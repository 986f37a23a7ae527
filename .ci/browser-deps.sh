#!/usr/bin/env bash
# What tests/test_browser.py needs beyond the Python dev dependencies: Debian's chromium.
# Playwright drives that binary (never `playwright install`: no browser download is reachable here).
# Idempotent: does nothing when chromium and the playwright package are already there.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk
fi
PY="${PYTHON:-.venv/bin/python}"
if ! "$PY" -c "import playwright" 2>/dev/null; then
    "$PY" -m pip install --quiet playwright
fi
