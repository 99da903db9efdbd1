#!/usr/bin/env bash
# Installs what the service and its tests need from a fresh clone, then builds:
# npm packages, the pinned Deno (kept in tools/deno, outside the root package), dist/ and the
# dashboard bundle. Safe to run again; it only installs what is missing or outdated.
set -euo pipefail
cd "$(dirname "$0")/.."

stale() { # stale INSTALLED_MARKER LOCKFILE: true when the install is missing or older than the lock
  [ ! -f "$1" ] || [ "$2" -nt "$1" ]
}

if stale node_modules/.package-lock.json package-lock.json; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund
fi
if stale tools/deno/node_modules/.package-lock.json tools/deno/package-lock.json; then
  echo "setup: installing Deno into tools/deno"
  npm ci --prefix tools/deno --no-audit --no-fund
fi
npm run --silent build
