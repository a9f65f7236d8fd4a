#!/usr/bin/env bash
# The whole test suite: types, unit tests in Node, a production build, then the browser
# tests in headless Chromium against that build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-chromium.sh
echo "== typecheck"; npx tsc --noEmit
echo "== unit tests (Node)"; npm run --silent test:unit
echo "== build"; npx vite build --logLevel warn
echo "== browser tests (Chromium)"; npm run --silent test:e2e
