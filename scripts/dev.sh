#!/usr/bin/env bash
# Teamplotter developer entry point.
#   scripts/dev.sh run    build, start a throwaway PostgreSQL, migrate, serve
#   scripts/dev.sh test   build, start a throwaway PostgreSQL, run every test
#   scripts/dev.sh image  build the Dockerfile with buildah and run the image (tests/image)
#   scripts/dev.sh clients [typed|prism|dredd ...]
#                         build, start a throwaway PostgreSQL, run the real clients (all three,
#                         or the ones named) against the service
# With TEAMPLOTTER_DATABASE_URL set, `run` uses that database instead.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RUNTIME_PACKAGES=(build-essential cmake pkg-config python3 python3-yaml
  libulfius-dev libmicrohttpd-dev libjansson-dev liborcania-dev libyder-dev libpq-dev
  libgnutls28-dev uuid-dev libjwt-dev libmimalloc-dev libxxhash-dev libyajl-dev postgresql)
TEST_PACKAGES=(check libcurl4-gnutls-dev prometheus docker-compose libxml2-utils jq curl
  shellcheck chromium valgrind nginx clang libclang-rt-14-dev postgresql-client)
# The container image test: buildah builds the Dockerfile FROM a base made by debootstrap.
IMAGE_PACKAGES=(buildah debootstrap python3 curl jq postgresql)
# Node.js may come from elsewhere than Debian: install Debian's only when absent.
TEST_COMMANDS=(node:nodejs npm:npm)

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages that are missing; apt-get runs only then.
install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  apt_install "${missing[@]}"
}

# Installs the package of each "command:package" whose command is missing.
install_commands() {
  local missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  apt_install "${missing[@]}"
}

apt_install() {
  local missing=("$@")
  log "installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build() { # build DIR [cmake options...]
  local dir=$1; shift
  log "building in $dir"
  cmake -S "$ROOT" -B "$ROOT/$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$ROOT/$dir" -j "$(nproc)"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

PG_DIR=""
stop_cluster() {
  if [ -n "$PG_DIR" ] && [ -x "$PG_DIR/pgctl" ]; then
    "$PG_DIR/pgctl" stop -m fast >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

# Starts a PostgreSQL cluster of our own in a temporary directory and
# exports TEAMPLOTTER_DATABASE_URL and TEAMPLOTTER_TEST_PGCTL (a wrapper
# around pg_ctl for this cluster, used by tests that stop PostgreSQL).
start_cluster() {
  local bindir port runas=()
  bindir=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort -V | tail -n 1)
  [ -x "$bindir/initdb" ] || { echo "initdb not found under /usr/lib/postgresql" >&2; exit 1; }
  PG_DIR=$(mktemp -d /tmp/teamplotter-pg.XXXXXX)
  trap stop_cluster EXIT
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root.
    chown postgres: "$PG_DIR"
    runas=(runuser -u postgres --)
  fi
  port=$(free_port)
  log "starting PostgreSQL on 127.0.0.1:$port ($PG_DIR)"
  "${runas[@]}" "$bindir/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  cat >>"$PG_DIR/data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
max_connections = 200
fsync = off
CONF
  cat >"$PG_DIR/pgctl" <<WRAP
#!/bin/sh
exec ${runas[*]} "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w "\$@"
WRAP
  chmod +x "$PG_DIR/pgctl"
  "$PG_DIR/pgctl" start >/dev/null
  "${runas[@]}" "$bindir/createdb" -h "$PG_DIR" -p "$port" -U postgres teamplotter
  export TEAMPLOTTER_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/teamplotter"
  export TEAMPLOTTER_TEST_PGCTL="$PG_DIR/pgctl"
}

cmd_run() {
  install_packages "${RUNTIME_PACKAGES[@]}"
  build build
  [ -n "${TEAMPLOTTER_DATABASE_URL:-}" ] || start_cluster
  ./build/teamplotter migrate
  log "serving on http://127.0.0.1:${TEAMPLOTTER_PORT:-8080}/api/v1 (Ctrl-C stops)"
  # Not exec: the EXIT trap must remove the cluster after Ctrl-C.
  ./build/teamplotter serve || true
}

PASSED=0
FAILED=0
FAILURES=()
step() { # step NAME COMMAND...
  local name=$1; shift
  log "$name"
  if "$@"; then
    PASSED=$((PASSED + 1))
  else
    FAILED=$((FAILED + 1))
    FAILURES+=("$name")
  fi
}

ctest_in() { (cd "$ROOT/$1" && ctest --output-on-failure --timeout 600); }

cmd_image() {
  install_packages "${IMAGE_PACKAGES[@]}"
  unset TEAMPLOTTER_DATABASE_URL
  start_cluster
  bash tests/image/run.sh
}

summary() {
  if [ "$FAILED" -gt 0 ]; then
    printf 'failed: %s\n' "${FAILURES[@]}" >&2
  fi
  echo "summary: $PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}

# The real clients against the service (tests/clients): each a step of its own.
client_steps() { # client_steps typed|prism|dredd...
  local which
  for which in "$@"; do
    case "$which" in
      typed) step "typed client: openapi-typescript + openapi-fetch, tsc --strict, against the service" \
        bash tests/clients/run.sh typed build/teamplotter ;;
      prism) step "Prism proxy --errors in front of the service: a realistic flow, no violations" \
        bash tests/clients/run.sh prism build/teamplotter ;;
      dredd) step "Dredd against the service (hooks: tests/clients/dredd/hooks.cjs)" \
        bash tests/clients/run.sh dredd build/teamplotter ;;
      *) echo "unknown client step: $which (typed, prism or dredd)" >&2; exit 2 ;;
    esac
  done
}

cmd_test() {
  install_packages "${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${IMAGE_PACKAGES[@]}"
  install_commands "${TEST_COMMANDS[@]}"
  # Tests never use a database of the caller's: always a throwaway one.
  unset TEAMPLOTTER_DATABASE_URL
  start_cluster
  build build
  step "unit and integration tests" ctest_in build
  step "seed matches the data pack" python3 scripts/gen-seed.py --check
  step "browser (puppeteer-core + Debian chromium)" bash tests/browser/run.sh build/teamplotter
  step "the page in Chromium: a team built, files, report, references, axe-core, keyboard only, CSP" \
    bash tests/browser/run.sh build/teamplotter pagina
  step "Lighthouse scores of the page (performance, accessibility, best practices)" \
    bash tests/browser/run.sh build/teamplotter lighthouse
  step "OpenAPI lint (Spectral)" bash scripts/lint-spec.sh
  client_steps typed prism dredd
  step "docker-compose.yml is valid" docker-compose -f docker-compose.yml config -q
  step "container image (buildah)" bash tests/image/run.sh
  step "shell scripts (shellcheck)" shellcheck scripts/*.sh .ci/run tests/faults/*.sh tests/fuzz/*.sh \
    tests/integration/*.sh tests/image/*.sh tests/browser/*.sh tests/clients/*.sh tests/static/*.sh
  step "integration tests with the server under valgrind" \
    env TEAMPLOTTER_TEST_VALGRIND=1 CK_TIMEOUT_MULTIPLIER=10 \
    bash -c "cd '$ROOT/build' && ctest -L integration --output-on-failure --timeout 3600"
  step "fault injection: PostgreSQL down, hanging and crashed, replicas, SIGTERM, slow clients" \
    bash tests/faults/run.sh build/teamplotter
  step "fuzzing: team bodies, query parameters, tokens, catalogue (60 s each, ASan+UBSan)" \
    bash tests/fuzz/run.sh 60
  build build-asan -DTEAMPLOTTER_SANITIZE=ON
  step "unit and integration tests under ASan+UBSan" \
    env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    bash -c "cd '$ROOT/build-asan' && ctest --output-on-failure --timeout 900"
  summary
}

cmd_clients() {
  install_packages "${RUNTIME_PACKAGES[@]}" postgresql-client
  install_commands "${TEST_COMMANDS[@]}"
  unset TEAMPLOTTER_DATABASE_URL
  start_cluster
  build build
  if [ $# -eq 0 ]; then set -- typed prism dredd; fi
  client_steps "$@"
  summary
}

case "${1:-}" in
  run) cmd_run ;;
  test) cmd_test ;;
  image) cmd_image ;;
  clients) shift; cmd_clients "$@" ;;
  *) echo "usage: scripts/dev.sh run|test|image|clients [typed|prism|dredd ...]" >&2; exit 2 ;;
esac
