#!/usr/bin/env bash
# The browser test: the API called with fetch() from pages in Debian's Chromium, driven by
# puppeteer-core (tests/browser/browser.mjs says what it checks).
#
#   TEAMPLOTTER_DATABASE_URL=... bash tests/browser/run.sh [build/teamplotter]
#
# Installs the pinned puppeteer-core (tests/browser/package-lock.json) with `npm ci` into
# tests/browser/node_modules when it is missing or another version. puppeteer-core never
# downloads a browser: it drives /usr/bin/chromium (the Debian package chromium). 24.x is the
# last line that runs on Node.js 20 (25 needs 22.12); it speaks the DevTools protocol of Chrome
# 148 and newer Chromium keeps that protocol, and the test prints the browser's version.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${1:-$root/build/teamplotter}"

pinned="$(node -p "require('$here/package.json').devDependencies['puppeteer-core']")"
installed="$(node -p "try { require('$here/node_modules/puppeteer-core/package.json').version }
  catch { '' }")"
if [[ "$installed" != "$pinned" ]]; then
  echo "browser: installing puppeteer-core $pinned (npm ci --prefix tests/browser)"
  npm ci --prefix "$here" --no-audit --no-fund
fi

exec node "$here/browser.mjs" "$binary"
