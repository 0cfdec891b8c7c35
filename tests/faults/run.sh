#!/usr/bin/env bash
# Fault-injection tests for teamplotter: PostgreSQL stopped, crashed and hung
# under load, two replicas behind nginx with one killed, request smuggling
# straight and through nginx, SIGTERM under load, and idle and slow clients. Loopback only; every scenario is bounded in time.
#
#   tests/faults/run.sh BINARY
#
# Needs TEAMPLOTTER_DATABASE_URL (a throwaway database: the tests stop and
# crash its cluster and change a catalogue row for a moment) and
# TEAMPLOTTER_TEST_PGCTL (the cluster's pg_ctl wrapper, see scripts/dev.sh),
# plus python3, psql and nginx. Prints one PASS/FAIL line per check and ends
# with "N passed, N failed"; exits non-zero when a check failed.
# FAULTS_ONLY="pg_outage sigterm" runs a subset; FAULTS_KEEP=1 keeps the logs.
set -euo pipefail

# nginx is in /usr/sbin, which is not on the PATH of ordinary users.
PATH="$PATH:/usr/sbin:/sbin"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCENARIOS=(pg_outage pg_crash pg_freeze replicas smuggling sigterm slow_clients conn_flood
  shutdown_frozen listener_hang bulk_stall round_crash)
# Seconds after which a scenario is stopped and counted as failed.
SCENARIO_TIMEOUT=120

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
  echo "usage: $0 PATH/TO/teamplotter" >&2
  exit 2
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
: "${TEAMPLOTTER_DATABASE_URL:?TEAMPLOTTER_DATABASE_URL must name the throwaway database}"
: "${TEAMPLOTTER_TEST_PGCTL:?TEAMPLOTTER_TEST_PGCTL must name the pg_ctl wrapper of that cluster}"
for cmd in python3 psql nginx timeout; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "$0: $cmd is needed" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/teamplotter-faults.XXXXXX)
export FAULTS_WORKDIR="$WORK" FAULTS_RUN_ID="$$" PYTHONDONTWRITEBYTECODE=1

# Removes the rows of this run and refreshes the planner statistics, so that
# each scenario starts from the same state and its timings measure the
# service rather than stale statistics left by the previous scenario (see
# README.md in this folder).
reset_db() {
  psql "$TEAMPLOTTER_DATABASE_URL" -XAtq -v ON_ERROR_STOP=1 >/dev/null <<SQL
SET client_min_messages = warning;
DELETE FROM teamprofielen WHERE client_id LIKE 'faults-$$-%';
DELETE FROM audittrail WHERE client_id LIKE 'faults-$$-%';
DELETE FROM clients WHERE id LIKE 'faults-$$-%';
DELETE FROM peilingen WHERE naam LIKE 'faults-$$-%';
DROP TRIGGER IF EXISTS faults_peiling_pauze ON peiling_rijen;
DROP FUNCTION IF EXISTS faults_peiling_pauze();
UPDATE rollen SET naam = left(naam, -length(' (faults)')) WHERE code = 'verbinder' AND naam LIKE '% (faults)';
VACUUM (ANALYZE) teamprofielen, teamleden, teamlid_rollen, teamlid_competenties, audittrail, clients;
SQL
}

# Stops what the scenarios started and left behind (only processes whose pid
# they recorded, and only while that pid still runs the same program), brings
# PostgreSQL back if it is down and removes this run's rows.
cleanup() {
  local pid prog pm stat line ppid
  if [ -f "$WORK/pids" ]; then
    while read -r pid prog; do
      if [ -r "/proc/$pid/cmdline" ] && tr '\0' '\n' <"/proc/$pid/cmdline" | head -n 1 | grep -qxF -- "$prog"; then
        kill -9 "$pid" 2>/dev/null || true
      fi
    done <"$WORK/pids"
  fi
  # pg_freeze stops the cluster's processes with SIGSTOP: let them go on.
  pm=$("$TEAMPLOTTER_TEST_PGCTL" status 2>/dev/null | sed -n 's/.*(PID: \([0-9]*\)).*/\1/p')
  if [ -n "$pm" ]; then
    kill -CONT "$pm" 2>/dev/null || true
    for stat in /proc/[0-9]*/stat; do
      line=$(cat "$stat" 2>/dev/null) || continue
      read -r _ ppid _ <<<"${line##*) }"
      if [ "$ppid" = "$pm" ]; then
        pid=${stat#/proc/}
        kill -CONT "${pid%/stat}" 2>/dev/null || true
      fi
    done
  fi
  "$TEAMPLOTTER_TEST_PGCTL" status >/dev/null 2>&1 || "$TEAMPLOTTER_TEST_PGCTL" start >/dev/null 2>&1 || true
  reset_db 2>/dev/null || true
  if [ "${FAULTS_KEEP:-0}" = 1 ]; then
    echo "logs kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
# On INT/TERM: stop the running scenario (it cleans up after itself), then
# exit, which runs cleanup. The scenario runs in the background so that the
# signal is handled at once rather than after the scenario.
child=""
passed=0
failed=0
interrupted() {
  if [ -n "$child" ]; then
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  echo "FAIL: interrupted by a signal"
  echo "$passed passed, $((failed + 1)) failed"
  exit "$1"
}
trap cleanup EXIT
trap 'interrupted 130' INT
trap 'interrupted 143' TERM

"$BIN" migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }

started=$(date +%s)
read -r -a selected <<<"${FAULTS_ONLY:-${SCENARIOS[*]}}"
for s in "${selected[@]}"; do
  echo "== $s" >&2
  t0=$(date +%s)
  reset_db
  timeout --foreground -k 5 "$SCENARIO_TIMEOUT" python3 "$HERE/$s.py" "$BIN" \
    >"$WORK/$s.out" 2>"$WORK/$s.err" &
  child=$!
  set +e
  wait "$child"
  rc=$?
  set -e
  child=""
  cat "$WORK/$s.out"
  p=$(grep -c '^PASS: ' "$WORK/$s.out" || true)
  f=$(grep -c '^FAIL: ' "$WORK/$s.out" || true)
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL: $s: the scenario ended with status $rc before reporting a failed check"
    f=1
  fi
  if [ "$f" -ne 0 ]; then
    echo "-- last lines of the $s progress log:" >&2
    tail -n 30 "$WORK/$s.err" >&2
    for log in "$WORK/$s"-*.log; do
      [ -f "$log" ] || continue
      echo "-- last lines of $(basename "$log") other than request lines:" >&2
      grep -v ' INFO: request ' "$log" | grep -v '^$' | tail -n 8 >&2 || true
    done
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  now=$(date +%s)
  echo "   ($s: $((now - t0)) s)" >&2
done
now=$(date +%s)
echo "   (all: $((now - started)) s)" >&2
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
