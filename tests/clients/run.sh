#!/usr/bin/env bash
# Real clients of the API against the running service (README.md, "Real clients"):
#
#   bash tests/clients/run.sh typed|prism|dredd [TEAMPLOTTER_BINARY]   (default build/teamplotter)
#
# Needs TEAMPLOTTER_DATABASE_URL (a PostgreSQL cluster on which each step makes a database of its
# own; `scripts/dev.sh clients` starts a throwaway one). Installs the npm packages pinned in
# tests/clients/package-lock.json into tests/clients/node_modules with `npm ci` when they are
# missing or not the pinned versions.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
which=${1:-}
binary=${2:-$root/build/teamplotter}
case "$which" in
  typed | prism | dredd) ;;
  *) echo "usage: bash tests/clients/run.sh typed|prism|dredd [TEAMPLOTTER_BINARY]" >&2; exit 2 ;;
esac
if [ -z "${TEAMPLOTTER_DATABASE_URL:-}" ]; then
  echo "tests/clients: TEAMPLOTTER_DATABASE_URL is not set (scripts/dev.sh clients sets one up)" >&2
  exit 2
fi

# Whether every devDependency is installed at its pinned version.
installed() {
  node -e '
    const fs = require("fs"), path = require("path");
    const dir = process.argv[1];
    const pins = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).devDependencies;
    const ok = Object.entries(pins).every(([name, version]) => {
      const file = path.join(dir, "node_modules", name, "package.json");
      return fs.existsSync(file) && JSON.parse(fs.readFileSync(file, "utf8")).version === version;
    });
    process.exit(ok ? 0 : 1);' "$here"
}
if ! installed; then
  echo "tests/clients: installing the pinned npm packages (npm ci --prefix tests/clients)"
  npm ci --prefix "$here" --no-audit --no-fund
fi
exec node "$here/run.mjs" "$which" "$binary"
