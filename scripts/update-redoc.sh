#!/usr/bin/env bash
# Copies the Redoc bundle of the version pinned in web/package.json (and package-lock.json) into
# web/docs/, where the build embeds it for GET /docs. Run it after changing that version; the
# page test (tests/browser/pagina.mjs) fails while the copy and the pinned bundle differ.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
npm ci --prefix "$root/web" --no-audit --no-fund --ignore-scripts
bundles="$root/web/node_modules/redoc/bundles"
cp "$bundles/redoc.standalone.js" "$root/web/docs/redoc.standalone.js"
cp "$bundles/redoc.standalone.js.LICENSE.txt" "$root/web/docs/redoc.standalone.js.LICENSE.txt"
cp "$root/web/node_modules/redoc/LICENSE" "$root/web/docs/LICENSE-redoc.txt"
echo "update-redoc: web/docs/ has redoc $(node -p "require('$root/web/node_modules/redoc/package.json').version")"
