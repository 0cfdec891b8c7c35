#!/usr/bin/env bash
# bench/callgrind.sh: instructions per request, and where they go, under
# valgrind --tool=callgrind for a fixed number of requests. Unlike timings,
# instruction counts do not depend on what else runs on the machine, so two
# builds can be compared on a busy machine. Starts its own cluster and
# service like bench/run.sh (Release build, plus -g for names).
#
#   bench/callgrind.sh [gap|benchmarks|rollen|rol304|livez] [REQUESTS]   (gap, 200)
#
# Writes to bench/out/callgrind-SCENARIO-DATE/: callgrind.out (open it with
# kcachegrind or callgrind_annotate) and annotate.txt (inclusive shares).
set -euo pipefail

SCENARIO=${1:-gap}
REQUESTS=${2:-200}
OUT=${BENCH_OUT:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/out/callgrind-$SCENARIO-$(date +%Y%m%dT%H%M%S)}
mkdir -p "$OUT"
BENCH_BUILD_DIR=${BENCH_BUILD_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build-bench-prof}
BENCH_CFLAGS=${BENCH_CFLAGS:--g}
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need curl psql valgrind callgrind_control callgrind_annotate python3
bench_setup

# The service under callgrind; collection starts when zeroed below.
SERVICE_PORT=${BENCH_PORT:-$(free_port)}
BASE="http://127.0.0.1:$SERVICE_PORT"
TEAMPLOTTER_PORT=$SERVICE_PORT TEAMPLOTTER_LOG_LEVEL=warning \
  valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" \
  "$BIN" serve >>"$OUT/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "$BASE/livez" && break
  sleep 0.1
done
curl -sf -o /dev/null "$BASE/api/v1/rollen" || die "the service does not answer; see $OUT/service.log"
ETAG=$(curl -sf -D - -o /dev/null "$BASE/api/v1/rollen/webredacteur" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')

# One curl for all requests: one keep-alive connection, as a dashboard's.
args=(-s)
case "$SCENARIO" in
  gap) path=/api/v1/gap-analyses; args+=(-H "Content-Type: application/json" --data-binary "@$BODY") ;;
  benchmarks) path=/api/v1/benchmarks; args+=(-H "Authorization: Bearer $TOKEN") ;;
  rollen) path=/api/v1/rollen ;;
  rol304) path=/api/v1/rollen/webredacteur; args+=(-H "If-None-Match: $ETAG") ;;
  livez) path=/livez ;;
  *) die "unknown scenario $SCENARIO" ;;
esac
run_requests() { # N
  local urls=() _
  for _ in $(seq 1 "$1"); do urls+=("$BASE$path" -o /dev/null); done
  curl "${args[@]}" -w '%{http_code}\n' "${urls[@]}"
}

log "warm-up: 20 requests"
run_requests 20 >/dev/null
callgrind_control -z "$SERVICE_PID" >/dev/null
log "$REQUESTS requests of $SCENARIO under callgrind"
run_requests "$REQUESTS" | sort | uniq -c >"$OUT/statuses.txt"
callgrind_control -d "$SERVICE_PID" >/dev/null
sleep 1
stop_service

dump=$(find "$OUT" -name "callgrind.out.*" -printf "%T@ %p\n" | sort -rn | head -n 1 | cut -d" " -f2-)
[ -n "$dump" ] || die "no callgrind dump in $OUT"
callgrind_annotate --inclusive=yes --threshold=99 "$dump" >"$OUT/annotate.txt" 2>/dev/null || true
total=$(awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}' "$OUT/annotate.txt")
served=$REQUESTS
echo "statuses: $(tr -s ' ' <"$OUT/statuses.txt" | tr '\n' ' ')"
echo "$served requests, $total instructions: $(awk -v t="$total" -v n="$served" 'BEGIN {printf "%.0f", t / n}') per request"
echo "== inclusive, top functions"
grep -E '^ *[0-9,]+ \(' "$OUT/annotate.txt" | head -n 45
echo "callgrind output: $dump"
