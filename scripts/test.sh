#!/usr/bin/env bash
# The whole test suite: types, unit tests in Node, a production build, then the browser
# tests in headless Chromium against that build. Prints each phase's time (seconds), so a
# slow phase on a small machine is seen, not guessed.
set -euo pipefail
cd "$(dirname "$0")/.."
phase() {
  local name=$1
  shift
  local t0=$SECONDS
  echo "== $name"
  "$@"
  echo "== $name: $((SECONDS - t0)) s"
}
bash scripts/ensure-chromium.sh
phase typecheck npx tsc --noEmit
phase "unit tests (Node)" npm run --silent test:unit
phase build npx vite build --logLevel warn
phase "browser tests (Chromium)" npm run --silent test:e2e
