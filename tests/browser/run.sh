#!/usr/bin/env bash
# The browser tests, in Debian's Chromium driven by puppeteer-core:
#   browser     the API called with fetch() from pages of two origins (browser.mjs);
#   pagina      the page for people as a person uses it, axe-core, keyboard only (pagina.mjs);
#   lighthouse  Lighthouse's scores of the page (lighthouse.mjs).
#
#   TEAMPLOTTER_DATABASE_URL=... bash tests/browser/run.sh [build/teamplotter] [browser|pagina|lighthouse]
#
# Installs the pinned packages (tests/browser/package-lock.json: puppeteer-core, axe-core,
# lighthouse; for the page test also web/package-lock.json: redoc) with `npm ci` into their
# node_modules when one is missing or another version. puppeteer-core never downloads a browser: it drives /usr/bin/chromium (the Debian
# package chromium). 24.x is the last line that runs on Node.js 20 (25 needs 22.12); it speaks
# the DevTools protocol of Chrome 148 and newer Chromium keeps that protocol, and the test prints
# the browser's version. Lighthouse 12 is the last line that runs on Node.js 20 (13 needs 22.19).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${1:-$root/build/teamplotter}"
which="${2:-browser}"

# Every package pinned in `dir`/package.json installed at its version, or `npm ci` there. web/
# pins Redoc, whose bundle /docs serves (the page test compares them); its install scripts are
# not run.
install_pinned() { # install_pinned DIR [npm ci options]
  local dir=$1 stale
  shift
  stale="$(node -e "
    const pkg = require('$dir/package.json');
    for (const [name, want] of Object.entries(pkg.devDependencies)) {
      let have = '';
      try { have = require('$dir/node_modules/' + name + '/package.json').version; } catch {}
      if (have !== want) console.log(name + ' ' + want);
    }")"
  if [[ -n "$stale" ]]; then
    echo "browser: installing $(echo "$stale" | tr '\n' ' ')(npm ci --prefix ${dir#"$root"/})"
    npm ci --prefix "$dir" --no-audit --no-fund "$@"
  fi
}
install_pinned "$here"
if [[ "$which" == pagina ]]; then install_pinned "$root/web" --ignore-scripts; fi

case "$which" in
  browser|pagina|lighthouse) exec node "$here/$which.mjs" "$binary" ;;
  *) echo "run.sh: unknown test $which (browser, pagina or lighthouse)" >&2; exit 2 ;;
esac
