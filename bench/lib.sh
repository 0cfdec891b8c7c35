# bench/lib.sh: shared by bench/run.sh and bench/profile.sh (sourced, not run).
# A throwaway PostgreSQL cluster, the service in a Release build, and the
# measurements: RSS from /proc, CPU time from /proc, statuses from /metrics.
# shellcheck shell=bash

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
BUILD_DIR=${BENCH_BUILD_DIR:-$ROOT/build-bench}
BIN=$BUILD_DIR/teamplotter

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

need() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "$c is needed (Debian: apt-get install wrk curl postgresql python3)"
  done
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Release build in its own directory, without the test binaries. By default
# of the working tree (what `git status` shows, others' edits included);
# with BENCH_REF=<commit> of that commit alone, exported with git archive
# into bench/out/src-<sha> and built in build-bench-<sha>. Sets SOURCE_STATE.
SOURCE_STATE=""
build_release() {
  local src=$ROOT
  if [ -n "${BENCH_REF:-}" ]; then
    local sha
    sha=$(git -C "$ROOT" rev-parse --short=10 "$BENCH_REF^{commit}") || die "unknown commit $BENCH_REF"
    src=$BENCH_DIR/out/src-$sha
    if [ ! -d "$src" ]; then
      mkdir -p "$src"
      git -C "$ROOT" archive "$sha" | tar -x -C "$src"
    fi
    BUILD_DIR=${BENCH_BUILD_DIR:-$ROOT/build-bench-$sha}
    BIN=$BUILD_DIR/teamplotter
    SOURCE_STATE="commit $sha ($BENCH_REF)"
  else
    local dirty=""
    git -C "$ROOT" diff --quiet HEAD -- service include sql CMakeLists.txt 2>/dev/null ||
      dirty=" + uncommitted changes to service/, include/, sql/ or CMakeLists.txt (diff sha1 $(git -C "$ROOT" diff HEAD -- service include sql CMakeLists.txt | sha1sum | cut -c1-10))"
    SOURCE_STATE="working tree at $(git -C "$ROOT" rev-parse --short=10 HEAD 2>/dev/null || echo '?')$dirty"
  fi
  if [ "${BENCH_NO_BUILD:-0}" = 1 ] && [ -x "$BIN" ]; then return 0; fi
  log "building (Release) in $BUILD_DIR from $SOURCE_STATE"
  cmake -S "$src" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DTEAMPLOTTER_TESTS=OFF \
    -DCMAKE_C_FLAGS="${BENCH_CFLAGS:-}" >/dev/null
  cmake --build "$BUILD_DIR" -j "$(nproc)" >/dev/null
}

# --- PostgreSQL ----------------------------------------------------------

PG_DIR=""
PG_BIN=""
PG_RUNAS=()

# Starts a cluster of our own in a temporary directory on BENCH_PG_PORT (or
# a free port) and exports TEAMPLOTTER_DATABASE_URL. Durability is off: the
# data is generated and thrown away.
start_cluster() {
  local port=${BENCH_PG_PORT:-$(free_port)}
  PG_BIN=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort -V | tail -n 1)
  [ -x "$PG_BIN/initdb" ] || die "initdb not found under /usr/lib/postgresql"
  PG_DIR=$(mktemp -d /tmp/teamplotter-bench-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$PG_DIR"
    PG_RUNAS=(runuser -u postgres --)
  fi
  log "starting PostgreSQL on 127.0.0.1:$port ($PG_DIR)"
  "${PG_RUNAS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >/dev/null
  cat >>"$PG_DIR/data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
max_connections = 100
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = 8GB
CONF
  "${PG_RUNAS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w start >/dev/null
  "${PG_RUNAS[@]}" "$PG_BIN/createdb" -h "$PG_DIR" -p "$port" -U postgres teamplotter
  export TEAMPLOTTER_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/teamplotter"
}

stop_cluster() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ]; then
    "${PG_RUNAS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    if [ "${BENCH_KEEP_CLUSTER:-0}" != 1 ]; then rm -rf "$PG_DIR"; fi
  fi
  PG_DIR=""
}

# The postmaster's pid (its backends are its children).
pg_pid() { head -n 1 "$PG_DIR/data/postmaster.pid"; }

sql() { psql -X -q -v ON_ERROR_STOP=1 "$TEAMPLOTTER_DATABASE_URL" "$@"; }

# --- the common setup ----------------------------------------------------

# What every benchmark script starts with: a Release build, its own cluster
# with the migrations, demo profiles for the 355 municipalities, a client
# with a token (TOKEN) and a 20-member gap-analysis body (BODY); the service
# and cluster stop when the script ends.
bench_setup() {
  # Tokens that outlast a 10-minute soak; gen-data.sh may write (own cluster).
  export TEAMPLOTTER_JWT_MAX_AGE=$((7 * 24 * 3600)) BENCH_THROWAWAY=1
  trap 'stop_service; stop_cluster' EXIT
  trap 'exit 130' INT TERM
  build_release
  start_cluster
  "$BIN" migrate >>"$OUT/service.log" 2>&1
  log "generating demo profiles for the 355 municipalities"
  "$BENCH_DIR/gen-data.sh" demo
  "$BIN" clients add bench --scopes benchmarks.lezen --gemeenten '*' >/dev/null
  # shellcheck disable=SC2034 # TOKEN and BODY are for the scripts that source this file
  TOKEN=$("$BIN" token bench)
  BODY=$OUT/team-20.json
  "$BENCH_DIR/gen-data.sh" team-body 20 GM0772 >"$BODY"
}

# --- the service ---------------------------------------------------------

SERVICE_PID=""
SERVICE_PORT=""
BASE=""
ADMIN_BASE="" # the admin listener: /metrics

# Starts `teamplotter serve` on BENCH_PORT (or a free port), its admin
# listener on another free port, with warning-level logs and waits for /livez.
start_service() {
  SERVICE_PORT=${BENCH_PORT:-$(free_port)}
  local admin_port
  admin_port=$(free_port)
  while [ "$admin_port" = "$SERVICE_PORT" ]; do admin_port=$(free_port); done
  BASE="http://127.0.0.1:$SERVICE_PORT"
  ADMIN_BASE="http://127.0.0.1:$admin_port"
  TEAMPLOTTER_PORT=$SERVICE_PORT TEAMPLOTTER_ADMIN_PORT=$admin_port \
    TEAMPLOTTER_LOG_LEVEL=${BENCH_LOG_LEVEL:-warning} \
    "$BIN" serve >>"$OUT/service.log" 2>&1 &
  SERVICE_PID=$!
  local _
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "$BASE/livez" && return 0
    kill -0 "$SERVICE_PID" 2>/dev/null || die "the service exited; see $OUT/service.log"
    sleep 0.1
  done
  die "the service did not answer /livez within 10 s"
}

# SIGTERM, and SIGKILL when it has not exited 40 s later (the drain waits at
# most 25 s, but a request still computing holds the shutdown).
stop_service() {
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID"
    local _
    for _ in $(seq 1 400); do
      kill -0 "$SERVICE_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$SERVICE_PID" 2>/dev/null; then
      log "the service did not stop within 40 s of SIGTERM: SIGKILL"
      kill -KILL "$SERVICE_PID"
    fi
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  SERVICE_PID=""
}

# VmRSS / VmHWM of a process, in kB.
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

# --- CPU accounting --------------------------------------------------------
# The machine is shared: what other processes use during a run is reported
# beside it, so that a noisy number can be recognised as such.

# Busy jiffies of the whole machine (all cores) charged to processes or
# stolen by the hypervisor: user + nice + system + steal. Interrupt time is
# left out: loopback TCP runs largely in softirq, which belongs to no
# process (cpu_softirq reports it on its own).
cpu_busy_total() { awk '/^cpu / {print $2 + $3 + $4 + $9}' /proc/stat; }
cpu_softirq() { awk '/^cpu / {print $7 + $8}' /proc/stat; }

# utime + stime jiffies of a process (all its threads).
cpu_of_pid() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# Jiffies of our cluster: the postmaster and its children (the backends of
# the pool live for the whole run).
cpu_of_cluster() {
  local pm total=0 p
  pm=$(pg_pid)
  for p in "$pm" $(pgrep -P "$pm"); do
    total=$((total + $(cpu_of_pid "$p")))
  done
  echo "$total"
}

# --- /metrics --------------------------------------------------------------

# "code count" lines of teamplotter_http_requests_total for one route.
route_counts() { # METHOD ROUTE
  curl -s "$ADMIN_BASE/metrics" |
    awk -v want="{method=\"$1\",route=\"$2\"," '
      index($0, "teamplotter_http_requests_total" want) == 1 {
        match($0, /code="[^"]*"/); code = substr($0, RSTART + 6, RLENGTH - 7); print code, $2 }'
}

# Difference of two route_counts outputs: "200:1234 304:5".
count_delta() { # BEFORE AFTER
  awk 'NR == FNR { before[$1] = $2; next } { d = $2 - before[$1]; if (d > 0) printf "%s%s:%d", sep, $1, d; sep = " " }' \
    <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

# Waits until the service has finished the requests a load left queued
# (wrk stops sending, but up to one request per connection is still being
# served): the request count, /metrics itself left out, stands still for
# a second. At most 120 s.
settle() {
  local last=-1 now _
  for _ in $(seq 1 240); do
    now=$(curl -s "$ADMIN_BASE/metrics" | awk '/^teamplotter_http_requests_total/ && !/route="\/metrics"/ {n += $2} END {print n + 0}')
    if [ "$now" = "$last" ]; then return 0; fi
    last=$now
    sleep 0.5
  done
  log "settle: the service was still busy after 120 s"
}

# Waits (at most BENCH_WAIT_QUIET seconds, default 0) until the 1-minute
# load average is below 1: other work on a shared machine skews every
# number. Logs the load either way.
wait_quiet() {
  local limit=${BENCH_WAIT_QUIET:-0} waited=0
  while [ "$waited" -lt "$limit" ] && awk '{exit !($1 >= 1.0)}' /proc/loadavg; do
    sleep 10
    waited=$((waited + 10))
  done
  log "load average $(cut -d' ' -f1-3 /proc/loadavg) (waited ${waited}s for a quiet machine)"
}

# Server-side sum (s) and count of the duration histogram of one route.
route_duration() { # METHOD ROUTE
  curl -s "$ADMIN_BASE/metrics" |
    awk -v want="{method=\"$1\",route=\"$2\"}" '
      index($0, "teamplotter_http_request_duration_seconds_sum" want) == 1 { s = $2 }
      index($0, "teamplotter_http_request_duration_seconds_count" want) == 1 { c = $2 }
      END { print (s == "" ? 0 : s), (c == "" ? 0 : c) }'
}
