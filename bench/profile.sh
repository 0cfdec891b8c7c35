#!/usr/bin/env bash
# bench/profile.sh: where the service's CPU time goes under one load, with
# `perf record` (DWARF call graphs: the Release build has no frame pointers).
# Starts its own cluster and service like bench/run.sh.
#
#   bench/profile.sh [gap|benchmarks|rollen|rol304|livez] [SECONDS]   (gap, 15)
#
# The build is build-bench-prof/: Release (-O3) plus -g, so that perf can
# name the functions the compiler inlined; the code is the same as Release.
#
# Writes to bench/out/profile-SCENARIO-DATE/: perf.data, self.txt (flat
# profile by function), children.txt (inclusive time of the service's own
# functions) and dso.txt (time per library). Needs `perf` (Debian
# linux-perf) and kernel.perf_event_paranoid <= 2 (or root).
set -euo pipefail

SCENARIO=${1:-gap}
SECONDS_=${2:-15}
OUT=${BENCH_OUT:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/out/profile-$SCENARIO-$(date +%Y%m%dT%H%M%S)}
mkdir -p "$OUT"
BENCH_BUILD_DIR=${BENCH_BUILD_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build-bench-prof}
BENCH_CFLAGS=${BENCH_CFLAGS:--g}
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need wrk curl psql perf python3
bench_setup
start_service
curl -sf -o /dev/null "$BASE/api/v1/rollen"
ETAG=$(curl -sf -D - -o /dev/null "$BASE/api/v1/rollen/webredacteur" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')

case "$SCENARIO" in
  gap) path=/api/v1/gap-analyses; export BENCH_METHOD=POST BENCH_BODY=$BODY BENCH_HEADERS="Content-Type: application/json" ;;
  benchmarks) path=/api/v1/benchmarks; export BENCH_HEADERS="Authorization: Bearer $TOKEN" ;;
  rollen) path=/api/v1/rollen ;;
  rol304) path=/api/v1/rollen/webredacteur; export BENCH_HEADERS="If-None-Match: $ETAG" ;;
  livez) path=/livez ;;
  *) die "unknown scenario $SCENARIO" ;;
esac
w=(wrk -t2 -c64 --latency -s "$BENCH_DIR/wrk/request.lua" "$BASE$path")

log "warm-up, then ${SECONDS_}s of $SCENARIO without perf (CPU per request)"
"${w[@]}" -d3s >/dev/null
settle
c0=$(cpu_of_pid "$SERVICE_PID")
"${w[@]}" -d"${SECONDS_}s" >"$OUT/wrk-plain.txt"
c1=$(cpu_of_pid "$SERVICE_PID")
settle
plain=$(grep '^BENCH ' "$OUT/wrk-plain.txt")
reqs=$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$plain")
CPU_US=$(awk -v j=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v n="$reqs" 'BEGIN {printf "%.0f", j / hz * 1e6 / n}')
log "then ${SECONDS_}s under perf"
perf record -F 999 --call-graph dwarf,16384 -p "$SERVICE_PID" -o "$OUT/perf.data" 2>"$OUT/perf-record.log" &
PERF=$!
sleep 1
"${w[@]}" -d"${SECONDS_}s" >"$OUT/wrk.txt"
kill -INT "$PERF"
wait "$PERF" || true
stop_service

log "reports"
perf report -i "$OUT/perf.data" --no-children --stdio -g none --sort symbol --percent-limit 0.3 \
  >"$OUT/self.txt" 2>/dev/null
perf report -i "$OUT/perf.data" --children --stdio -g none --sort symbol --percent-limit 0.3 \
  >"$OUT/children.txt" 2>/dev/null
perf report -i "$OUT/perf.data" --no-children --stdio -g none --sort dso \
  >"$OUT/dso.txt" 2>/dev/null
echo "without perf: $plain"
echo "service CPU per request: $CPU_US µs (utime + stime of the service / requests, without perf)"
echo "under perf: $(grep '^BENCH ' "$OUT/wrk.txt" || true)"
echo "== time per library"
grep '%' "$OUT/dso.txt" | head -n 12
echo "== inclusive, service functions"
grep '%' "$OUT/children.txt" | grep -E '\b(tp_|json_|ulfius|MHD_|gnutls|uuid|sum_|load|fit|bands|render|advice|analyse|competency|team_of|post_|run_cached|precheck|find_route|decode_segment|mhd_)' | head -n 40
echo "== self, top 25"
grep '%' "$OUT/self.txt" | head -n 25
echo "perf data and reports: $OUT"
