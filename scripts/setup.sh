#!/usr/bin/env bash
# Set up geomap on a fresh machine: a virtual environment in .venv with the
# package and its pinned dependencies (from PyPI), plus, with --test, what the
# test suite needs (test extras; Debian's chromium for the browser tests).
# Idempotent: re-running only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
for arg in "$@"; do
  case "$arg" in
    --test) want_tests=1 ;;
    *) echo "usage: scripts/setup.sh [--test]" >&2; exit 2 ;;
  esac
done

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
if [ "$want_tests" = 1 ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
fi

# The map's JavaScript/CSS/fonts (folium's exact CDN files) come from pinned npm
# packages, checked against their sha512, so maps render with no network.
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian nodejs/npm (needed once, to fetch the map assets)" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "setup: npm is missing; install Debian's nodejs and npm (sudo apt-get install nodejs npm), then re-run" >&2
    exit 1
  fi
fi
.venv/bin/python scripts/fetch_assets.py >/dev/null

if [ "$want_tests" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian chromium for the browser tests" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: /usr/bin/chromium is missing; install Debian's chromium (sudo apt-get install chromium) or the browser tests will skip" >&2
  fi
fi
echo "setup: done (.venv ready)" >&2
