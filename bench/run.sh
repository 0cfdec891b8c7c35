#!/usr/bin/env bash
# bench/run.sh: the load and scale benchmark of Teamplotter (not run in CI).
#
# Builds the service (Release) into build-bench/, starts a PostgreSQL cluster
# of its own and the service on loopback, fills the database with synthetic
# data (bench/gen-data.sh) and measures with wrk. wrk and the service share
# the machine's cores; what other processes use meanwhile is reported too.
# Prints one table (and writes it, with the raw numbers, to bench/out/DATE/).
#
# Settings (environment):
#   BENCH_SOAK_SECONDS   length of the mixed soak load           (600)
#   BENCH_DURATION       seconds per wrk measurement             (10)
#   BENCH_WARMUP         seconds of warm-up before each one      (3)
#   BENCH_CONNECTIONS    wrk connections                         (64)
#   BENCH_WRK_THREADS    wrk threads                             (2)
#   BENCH_SCALE          synthetic municipalities of the scale mode; 0 skips it (100000)
#   BENCH_SCALE_TIMEOUT  seconds one scale request may take      (1800)
#   BENCH_SERVER_THREADS TEAMPLOTTER_THREADS of the service      (service default: one per CPU)
#   BENCH_PG_PORT, BENCH_PORT   ports (default: free ones)
#   BENCH_REF=<commit>   measure that commit (git archive) instead of the working tree
#   BENCH_WAIT_QUIET=S   first wait up to S seconds for a load average below 1 (0)
#   BENCH_NO_BUILD=1     use the existing build-bench/teamplotter
#   BENCH_KEEP_CLUSTER=1 keep the cluster directory afterwards
#   BENCH_OUT            where results go (bench/out/<date>)
set -euo pipefail

OUT=${BENCH_OUT:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/out/$(date +%Y%m%dT%H%M%S)}
mkdir -p "$OUT"
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SOAK=${BENCH_SOAK_SECONDS:-600}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-3}
CONNS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
SCALE=${BENCH_SCALE:-100000}
SCALE_TIMEOUT=${BENCH_SCALE_TIMEOUT:-1800}
if [ -n "${BENCH_SERVER_THREADS:-}" ]; then export TEAMPLOTTER_THREADS=$BENCH_SERVER_THREADS; fi

need wrk curl psql python3 cmake awk
RAW=$OUT/raw.txt
: >"$RAW"
raw() { printf '%s\n' "$*" >>"$RAW"; }

bench_setup
PROFILES=$(sql -At -c "SELECT count(DISTINCT gemeente) FROM teamprofielen")
# Two municipalities with a history (their older profiles leave the
# benchmark's rows as they are): Amsterdam 50 profiles, Rotterdam 10.
"$BENCH_DIR/gen-data.sh" history GM0363 49
"$BENCH_DIR/gen-data.sh" history GM0599 9
"$BIN" clients add bench-peiling --scopes peilingen.beheren,benchmarks.lezen --gemeenten '*' >/dev/null
PEILING_TOKEN=$("$BIN" token bench-peiling)

raw "date $(date -Is)"
raw "host $(uname -srm); $(nproc) cores; $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
raw "memory $(awk '/^MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)"
raw "source $SOURCE_STATE"
raw "$(wrk --version 2>&1 | head -n 1)"
raw "postgres $("$PG_BIN/postgres" --version | awk '{print $3}')"
raw "profiles $PROFILES municipalities with a profile; POST body $(wc -c <"$BODY") bytes"

wait_quiet
log "starting the service"
start_service
sleep 1
RSS_START=$(rss_kb "$SERVICE_PID")
# The snapshot loads on first use: one catalogue read, then a pause.
curl -sf -o /dev/null "$BASE/api/v1/rollen"
sleep 2
RSS_IDLE=$(rss_kb "$SERVICE_PID")
raw "rss_start_kb $RSS_START"
raw "rss_idle_kb $RSS_IDLE (snapshot loaded, before any load)"

ETAG=$(curl -sf -D - -o /dev/null "$BASE/api/v1/rollen/webredacteur" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
[ -n "$ETAG" ] || die "no ETag on /api/v1/rollen/webredacteur"

# Every scenario answers what it should before it is measured.
check_status() { # WANT CURL-ARGS...
  local want=$1 got
  shift
  got=$(curl -s -o /dev/null -w '%{http_code}' "$@")
  [ "$got" = "$want" ] || die "expected $want, got $got: curl $*"
}
check_status 200 "$BASE/livez"
check_status 200 "$BASE/api/v1/rollen"
check_status 304 -H "If-None-Match: $ETAG" "$BASE/api/v1/rollen/webredacteur"
check_status 200 -H 'Content-Type: application/json' --data-binary "@$BODY" "$BASE/api/v1/gap-analyses"
check_status 200 -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/benchmarks"

# --- throughput and latency --------------------------------------------------

declare -A RPS P50 P99 OTHERS STATUSES
ORDER=()

# wrk_measure KEY METHOD ROUTE-TEMPLATE PATH [BENCH_METHOD BENCH_BODY BENCH_HEADERS]
wrk_measure() {
  local key=$1 method=$2 route=$3 path=$4
  local bm=${5:-GET} bb=${6:-} bh=${7:-}
  local w=(wrk -t"$WRK_THREADS" -c"$CONNS" --latency --timeout 30s -s "$BENCH_DIR/wrk/request.lua")
  log "wrk $key: warm-up ${WARMUP}s, then ${DURATION}s"
  BENCH_METHOD=$bm BENCH_BODY=$bb BENCH_HEADERS=$bh "${w[@]}" -d"${WARMUP}s" "$BASE$path" >/dev/null
  settle
  local counts_before busy0 srv0 pg0 si0 busy1 srv1 pg1 si1 out
  counts_before=$(route_counts "$method" "$route")
  busy0=$(cpu_busy_total); srv0=$(cpu_of_pid "$SERVICE_PID"); pg0=$(cpu_of_cluster); si0=$(cpu_softirq)
  local tf
  tf=$(mktemp)
  # bash's `time` gives wrk's own CPU time (user + sys).
  { TIMEFORMAT='%U %S'; time BENCH_METHOD=$bm BENCH_BODY=$bb BENCH_HEADERS=$bh \
      "${w[@]}" -d"${DURATION}s" "$BASE$path" >"$OUT/wrk-$key.txt"; } 2>"$tf"
  busy1=$(cpu_busy_total); srv1=$(cpu_of_pid "$SERVICE_PID"); pg1=$(cpu_of_cluster); si1=$(cpu_softirq)
  local wrk_cpu hz
  hz=$(getconf CLK_TCK)
  wrk_cpu=$(awk -v hz="$hz" '{printf "%d", ($1 + $2) * hz}' "$tf")
  rm -f "$tf"
  out=$(grep '^BENCH ' "$OUT/wrk-$key.txt") || die "wrk $key printed no result; see $OUT/wrk-$key.txt"
  RPS[$key]=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$out")
  P50[$key]=$(sed -E 's/.* p50_us=([0-9]+).*/\1/' <<<"$out")
  P99[$key]=$(sed -E 's/.* p99_us=([0-9]+).*/\1/' <<<"$out")
  STATUSES[$key]=$(count_delta "$counts_before" "$(route_counts "$method" "$route")")
  # Share of the machine's CPU (all cores) used by other processes.
  OTHERS[$key]=$(awk -v b=$((busy1 - busy0)) -v s=$((srv1 - srv0)) -v p=$((pg1 - pg0)) \
    -v w="$wrk_cpu" -v d="$DURATION" -v hz="$hz" -v n="$(nproc)" \
    'BEGIN { o = b - s - p - w; if (o < 0) o = 0; printf "%.0f", 100 * o / (d * hz * n) }')
  ORDER+=("$key")
  settle
  raw "wrk $key $out"
  raw "wrk $key statuses ${STATUSES[$key]} cpu_jiffies busy=$((busy1 - busy0)) service=$((srv1 - srv0)) postgres=$((pg1 - pg0)) wrk=$wrk_cpu softirq=$((si1 - si0)) others=${OTHERS[$key]}% load=$(cut -d' ' -f1-3 /proc/loadavg)"
}

wrk_measure livez GET /livez /livez
wrk_measure rollen GET /api/v1/rollen /api/v1/rollen
wrk_measure rol304 GET "/api/v1/rollen/{code}" /api/v1/rollen/webredacteur GET "" "If-None-Match: $ETAG"
wrk_measure gap POST /api/v1/gap-analyses /api/v1/gap-analyses POST "$BODY" "Content-Type: application/json"
wrk_measure benchmarks GET /api/v1/benchmarks /api/v1/benchmarks GET "" "Authorization: Bearer $TOKEN"
wrk_measure ontwikkeling GET "/api/v1/gemeenten/{code}/ontwikkeling" /api/v1/gemeenten/GM0599/ontwikkeling GET "" "Authorization: Bearer $TOKEN"

# --- server time of the bulk benchmark (355) ---------------------------------

# time_requests N OUTFILE CURL-ARGS...: N sequential requests; per request
# "http_code seconds" lines.
time_requests() {
  local n=$1 file=$2 _
  shift 2
  : >"$file"
  for _ in $(seq 1 "$n"); do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$@" >>"$file"
  done
}
median_ms() { awk '{print $2 * 1000}' "$1" | sort -n | awk '{v[NR] = $1} END {printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

log "server time of GET /api/v1/benchmarks ($PROFILES municipalities)"
read -r s0 c0 < <(route_duration GET /api/v1/benchmarks)
time_requests 21 "$OUT/benchmarks-355.txt" -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/benchmarks"
read -r s1 c1 < <(route_duration GET /api/v1/benchmarks)
BM355_MS=$(median_ms "$OUT/benchmarks-355.txt")
BM355_SERVER_MS=$(awk -v a="$s0" -v b="$s1" -v x="$c0" -v y="$c1" 'BEGIN {printf "%.1f", 1000 * (b - a) / (y - x)}')
time_requests 5 "$OUT/benchmarks-355-csv.txt" -H "Authorization: Bearer $TOKEN" -H 'Accept: text/csv' "$BASE/api/v1/benchmarks"
BM355_CSV_MS=$(median_ms "$OUT/benchmarks-355-csv.txt")
raw "benchmarks_355 json median ${BM355_MS} ms (curl, 21 requests), server mean ${BM355_SERVER_MS} ms (/metrics); csv median ${BM355_CSV_MS} ms; codes $(awk '{print $1}' "$OUT/benchmarks-355.txt" "$OUT/benchmarks-355-csv.txt" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')"

# --- development and rounds (355) ----------------------------------------------

# Each request computes it: a development once answered is kept, so every
# one names another `vanaf` (before all 50 peildata: the same profiles).
log "server time of GET /api/v1/gemeenten/GM0363/ontwikkeling (50 profiles, computed)"
check_status 200 -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/gemeenten/GM0363/ontwikkeling"
read -r s0 c0 < <(route_duration GET "/api/v1/gemeenten/{code}/ontwikkeling")
: >"$OUT/ontwikkeling-50.txt"
for day in $(seq -w 1 21); do
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $TOKEN" \
    "$BASE/api/v1/gemeenten/GM0363/ontwikkeling?vanaf=2000-01-$day" >>"$OUT/ontwikkeling-50.txt"
done
read -r s1 c1 < <(route_duration GET "/api/v1/gemeenten/{code}/ontwikkeling")
DEV50_MS=$(median_ms "$OUT/ontwikkeling-50.txt")
DEV50_SERVER_MS=$(awk -v a="$s0" -v b="$s1" -v x="$c0" -v y="$c1" 'BEGIN {printf "%.2f", 1000 * (b - a) / (y - x)}')
time_requests 21 "$OUT/ontwikkeling-50-kept.txt" -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/gemeenten/GM0363/ontwikkeling"
DEV50_KEPT_MS=$(median_ms "$OUT/ontwikkeling-50-kept.txt")
raw "ontwikkeling_50 json computed: median ${DEV50_MS} ms (curl, 21 requests, each another vanaf), server mean ${DEV50_SERVER_MS} ms (/metrics); kept: median ${DEV50_KEPT_MS} ms; $(curl -s -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/gemeenten/GM0363/ontwikkeling") bytes; codes $(awk '{print $1}' "$OUT/ontwikkeling-50.txt" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')"

# post_round NAME OUTFILE: POST /api/v1/peilingen until it is not 503 (the
# rows are being computed); "http_code seconds-from-the-first-request".
post_round() {
  local t0 r code
  t0=$(date +%s.%N)
  while :; do
    r=$(curl -s -o "$2" --max-time "$SCALE_TIMEOUT" -w '%{http_code}' -H "Authorization: Bearer $PEILING_TOKEN" \
      -H 'Content-Type: application/json' --data "{\"naam\":\"$1\",\"peildatum\":\"$(date -u +%F)\"}" \
      "$BASE/api/v1/peilingen" || true)
    code=${r:-000}
    [ "$code" = 503 ] || break
    awk -v a="$t0" -v b="$(date +%s.%N)" -v m="$SCALE_TIMEOUT" 'BEGIN {exit !(b - a < m)}' || break
    sleep 0.1
  done
  echo "$code $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.3f", b - a}')"
}

log "making 5 rounds of $PROFILES municipalities"
: >"$OUT/peiling-355.txt"
for i in 1 2 3 4 5; do post_round "bench-355-$i" "$OUT/peiling-355.json" >>"$OUT/peiling-355.txt"; done
ROUND355_MS=$(median_ms "$OUT/peiling-355.txt")
ROUND355_CODES=$(awk '{print $1}' "$OUT/peiling-355.txt" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')
raw "peiling_355 median ${ROUND355_MS} ms (5 rounds, from the first request); codes $ROUND355_CODES"

# --- soak: RSS before and after a long mixed load ---------------------------

log "soak: ${SOAK}s of mixed load (warm-up 10s first)"
mixed=(wrk -t"$WRK_THREADS" -c"$CONNS" --latency --timeout 30s -s "$BENCH_DIR/wrk/mixed.lua")
BENCH_BODY=$BODY BENCH_TOKEN=$TOKEN BENCH_ETAG=$ETAG "${mixed[@]}" -d10s "$BASE" >"$OUT/wrk-mixed-warmup.txt"
settle
RSS_BEFORE=$(rss_kb "$SERVICE_PID")
all_counts() { curl -s "$ADMIN_BASE/metrics" | awk '/^teamplotter_http_requests_total/ {match($0, /code="[^"]*"/); print substr($0, RSTART + 6, RLENGTH - 7), $2}' | awk '{c[$1] += $2} END {for (k in c) print k, c[k]}' | sort; }
SOAK_COUNTS_BEFORE=$(all_counts)
echo "seconds rss_kb" >"$OUT/rss-soak.txt"
# The flag first: the sampler stops as soon as it is gone.
touch "$OUT/.soaking"
(
  t=0
  while kill -0 "$SERVICE_PID" 2>/dev/null && [ -e "$OUT/.soaking" ]; do
    echo "$t $(rss_kb "$SERVICE_PID")" >>"$OUT/rss-soak.txt"
    sleep 5
    t=$((t + 5))
  done
) &
SAMPLER=$!
BENCH_BODY=$BODY BENCH_TOKEN=$TOKEN BENCH_ETAG=$ETAG "${mixed[@]}" -d"${SOAK}s" "$BASE" >"$OUT/wrk-mixed.txt"
rm -f "$OUT/.soaking"
wait "$SAMPLER" 2>/dev/null || true
settle
RSS_AFTER=$(rss_kb "$SERVICE_PID")
sleep 5
RSS_AFTER_IDLE=$(rss_kb "$SERVICE_PID")
SOAK_OUT=$(grep '^BENCH ' "$OUT/wrk-mixed.txt" || echo "BENCH (no result)")
PEAK_355=$(hwm_kb "$SERVICE_PID")
GROWTH=$(awk -v a="$RSS_BEFORE" -v b="$RSS_AFTER" 'BEGIN {printf "%.1f", 100 * (b - a) / a}')
raw "soak ${SOAK}s $SOAK_OUT"
raw "soak rss before ${RSS_BEFORE} kB, after ${RSS_AFTER} kB (${GROWTH}%), 5 s later ${RSS_AFTER_IDLE} kB; peak (VmHWM) ${PEAK_355} kB"
raw "soak statuses $(count_delta "$SOAK_COUNTS_BEFORE" "$(all_counts)")"

# The response cache keys on the request target as sent: distinct spellings
# of one page are cached apart, up to its bounds (4096 entries, 64 MB).
log "response cache: 15s of distinct spellings of GET /api/v1/rollen"
RSS_CACHE0=$(rss_kb "$SERVICE_PID")
wrk -t1 -c4 -d15s -s "$BENCH_DIR/wrk/cache-fill.lua" "$BASE" >"$OUT/wrk-cache-fill.txt"
settle
RSS_CACHE1=$(rss_kb "$SERVICE_PID")
raw "cache fill: $(grep -E 'requests in' "$OUT/wrk-cache-fill.txt" | sed 's/^ *//'); rss ${RSS_CACHE0} -> ${RSS_CACHE1} kB"
PEAK_355=$(hwm_kb "$SERVICE_PID")
stop_service

# --- scale: 100 000 municipalities ------------------------------------------

BM_SCALE_MS="" BM_SCALE_CODE="" PEAK_SCALE="" RSS_SCALE_IDLE="" SNAP_SCALE_MS=""
BM_SCALE_AGAIN_MS="" BM_SCALE_AGAIN_CODE="" RSS_SCALE_KEPT="" RSS_SCALE_LATER=""
if [ "$SCALE" -gt 0 ]; then
  log "scale: generating $SCALE synthetic municipalities with a demo profile each"
  t0=$(date +%s.%N)
  "$BENCH_DIR/gen-data.sh" scale "$SCALE"
  raw "scale data generated in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", b - a}') s: $(sql -At -c "SELECT count(*) FROM gemeenten") municipalities, $(sql -At -c "SELECT count(*) FROM teamprofielen") profiles, $(sql -At -c "SELECT count(*) FROM teamleden") members"
  start_service
  SNAP_SCALE_MS=$(curl -s -o /dev/null -w '%{time_total}' "$BASE/api/v1/rollen" | awk '{printf "%.0f", $1 * 1000}')
  sleep 2
  RSS_SCALE_IDLE=$(rss_kb "$SERVICE_PID")
  log "scale: GET /api/v1/benchmarks with $SCALE municipalities (at most ${SCALE_TIMEOUT}s)"
  touch "$OUT/.scaling"
  (
    while kill -0 "$SERVICE_PID" 2>/dev/null && [ -e "$OUT/.scaling" ]; do
      echo "$(date +%s) $(rss_kb "$SERVICE_PID")"
      sleep 2
    done
  ) >"$OUT/rss-scale.txt" &
  SAMPLER=$!
  # The rows are computed apart from the request, which waits at most 1 s
  # for them and is otherwise answered 503 (Retry-After): ask until they
  # are there, and count the time from the first request to that answer.
  t_first=$(date +%s.%N)
  BM_SCALE_FIRST=""
  while :; do
    r=$(curl -s -o "$OUT/benchmarks-scale.json" --max-time "$SCALE_TIMEOUT" -w '%{http_code} %{time_total}' \
      -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/benchmarks" || true)
    BM_SCALE_CODE=${r%% *}
    [ -n "$BM_SCALE_FIRST" ] || BM_SCALE_FIRST="HTTP $BM_SCALE_CODE after $(awk -v t="${r##* }" 'BEGIN {printf "%.0f", t * 1000}') ms"
    [ "$BM_SCALE_CODE" = 503 ] || break
    awk -v a="$t_first" -v b="$(date +%s.%N)" -v m="$SCALE_TIMEOUT" 'BEGIN {exit !(b - a < m)}' || break
    sleep 0.1
  done
  t_rows=$(date +%s.%N)
  rm -f "$OUT/.scaling"
  wait "$SAMPLER" 2>/dev/null || true
  BM_SCALE_MS=$(awk -v a="$t_first" -v b="$t_rows" 'BEGIN {printf "%.0f", (b - a) * 1000}')
  if [ "$BM_SCALE_CODE" = 000 ]; then BM_SCALE_MS=">$((SCALE_TIMEOUT * 1000))"; fi
  PEAK_SCALE=$(hwm_kb "$SERVICE_PID")
  raw "scale benchmarks: HTTP $BM_SCALE_CODE in $BM_SCALE_MS ms from the first request (that one: $BM_SCALE_FIRST); snapshot load ${SNAP_SCALE_MS} ms; idle rss ${RSS_SCALE_IDLE} kB; peak (VmHWM) ${PEAK_SCALE} kB"
  # The rows of all are kept per snapshot and profiles version: the next
  # request costs the version query and one page.
  r=$(curl -s -o /dev/null --max-time "$SCALE_TIMEOUT" -w '%{http_code} %{time_total}' \
    -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/benchmarks" || true)
  BM_SCALE_AGAIN_CODE=${r%% *}
  BM_SCALE_AGAIN_MS=$(awk -v t="${r##* }" 'BEGIN {printf "%.0f", t * 1000}')
  RSS_SCALE_KEPT=$(rss_kb "$SERVICE_PID")
  sleep 10
  RSS_SCALE_LATER=$(rss_kb "$SERVICE_PID")
  raw "scale benchmarks again (rows kept): HTTP $BM_SCALE_AGAIN_CODE in $BM_SCALE_AGAIN_MS ms; rss ${RSS_SCALE_KEPT} kB, 10 s later ${RSS_SCALE_LATER} kB"
  stop_service

  # A round of all, on a fresh service: its time and its own peak.
  start_service
  curl -s -o /dev/null "$BASE/api/v1/rollen"
  sleep 2
  log "scale: making a round of $((SCALE + 355)) municipalities"
  read -r ROUND_SCALE_CODE ROUND_SCALE_S < <(post_round bench-scale "$OUT/peiling-scale.json")
  PEAK_ROUND_SCALE=$(hwm_kb "$SERVICE_PID")
  raw "scale round: HTTP $ROUND_SCALE_CODE in $ROUND_SCALE_S s from the first request; peak (VmHWM) ${PEAK_ROUND_SCALE} kB; $(head -c 400 "$OUT/peiling-scale.json")"
  stop_service

  # Its CSV, streamed, on a fresh service: the first byte and the RSS
  # sampled every 20 ms while it is read, against the RSS before.
  start_service
  curl -s -o /dev/null "$BASE/api/v1/rollen"
  sleep 2
  RSS_CSV0=$(rss_kb "$SERVICE_PID")
  touch "$OUT/.streaming"
  (
    while kill -0 "$SERVICE_PID" 2>/dev/null && [ -e "$OUT/.streaming" ]; do
      rss_kb "$SERVICE_PID"
      sleep 0.02
    done
  ) >"$OUT/rss-csv.txt" &
  SAMPLER=$!
  r=$(curl -s -o "$OUT/peiling-scale.csv" --max-time "$SCALE_TIMEOUT" -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}' \
    -H "Authorization: Bearer $TOKEN" -H 'Accept: text/csv' "$BASE/api/v1/peilingen/bench-scale/resultaten" || true)
  rm -f "$OUT/.streaming"
  wait "$SAMPLER" 2>/dev/null || true
  read -r CSV_SCALE_CODE ttfb total CSV_SCALE_BYTES <<<"$r"
  CSV_SCALE_TTFB_MS=$(awk -v t="$ttfb" 'BEGIN {printf "%.0f", t * 1000}')
  CSV_SCALE_TOTAL_MS=$(awk -v t="$total" 'BEGIN {printf "%.0f", t * 1000}')
  CSV_SCALE_GROWTH=$(sort -n "$OUT/rss-csv.txt" | tail -n 1 | awk -v a="$RSS_CSV0" '{print $1 - a}')
  raw "scale round csv: HTTP $CSV_SCALE_CODE, first byte ${CSV_SCALE_TTFB_MS} ms, all ${CSV_SCALE_TOTAL_MS} ms, ${CSV_SCALE_BYTES} bytes, $(($(wc -l <"$OUT/peiling-scale.csv") - 1)) rows; rss before ${RSS_CSV0} kB, most while streaming +${CSV_SCALE_GROWTH} kB ($(wc -l <"$OUT/rss-csv.txt") samples)"
  stop_service
fi

# --- the table -------------------------------------------------------------

ms() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1000}'; }
ratio() { awk -v a="$1" -v b="${RPS[livez]}" 'BEGIN {printf "%.2f", a / b}'; }
yesno() { if awk "BEGIN {exit !($1)}"; then echo yes; else echo NO; fi; }

TABLE=$OUT/results.md
{
  echo "Teamplotter bench, $(date '+%Y-%m-%d %H:%M %Z'), $(nproc) cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), wrk -t$WRK_THREADS -c$CONNS -d${DURATION}s on loopback, wrk and service on the same cores; $SOURCE_STATE."
  echo
  echo "| measurement | req/s | × /livez | p50 ms | p99 ms | value | target | met | other CPU |"
  echo "|---|---:|---:|---:|---:|---:|---|---|---:|"
  row() { # KEY LABEL TARGET-TEXT MIN-RATIO
    local k=$1 r p99
    r=$(ratio "${RPS[$k]}")
    p99=$(ms "${P99[$k]}")
    local met="—"
    if [ -n "$4" ]; then met=$(yesno "$r >= $4 && $p99 < 10"); fi
    printf '| %s | %.0f | %s | %s | %s | | %s | %s | %s %% |\n' "$2" "${RPS[$k]}" "$r" \
      "$(ms "${P50[$k]}")" "$p99" "$3" "$met" "${OTHERS[$k]}"
  }
  row livez "GET /livez (ceiling)" "" ""
  row rollen "GET /api/v1/rollen" "≥ 0.5 ×, p99 < 10 ms" 0.5
  row rol304 "GET /api/v1/rollen/{code}, If-None-Match (304)" "≥ 0.7 ×, p99 < 10 ms" 0.7
  row gap "POST /api/v1/gap-analyses (20 members, $(wc -c <"$BODY") B)" "≥ 0.3 ×, p99 < 10 ms" 0.3
  row benchmarks "GET /api/v1/benchmarks ($PROFILES profiles, page 1)" "" ""
  row ontwikkeling "GET /api/v1/gemeenten/{code}/ontwikkeling (10 profiles)" "≥ 0.2 ×" ""
  printf '| ↳ ≥ 0.2 × /livez | | | | | %s × | ≥ 0.2 × | %s | |\n' "$(ratio "${RPS[ontwikkeling]}")" \
    "$(yesno "$(ratio "${RPS[ontwikkeling]}") >= 0.2")"
  printf '| time GET /api/v1/gemeenten/{code}/ontwikkeling, 50 profiles, computed (median of 21; server mean %s ms; kept: %s ms) | | | | | %s ms | < 5 ms | %s | |\n' \
    "$DEV50_SERVER_MS" "$DEV50_KEPT_MS" "$DEV50_MS" "$(yesno "$DEV50_MS < 5")"
  printf '| POST /api/v1/peilingen, %s municipalities (median of 5; %s) | | | | | %s ms | < 1 s | %s | |\n' \
    "$PROFILES" "$ROUND355_CODES" "$ROUND355_MS" "$(yesno "$ROUND355_MS < 1000")"
  printf '| server time GET /api/v1/benchmarks, %s municipalities (median of 21) | | | | | %s ms | < 50 ms | %s | |\n' \
    "$PROFILES" "$BM355_MS" "$(yesno "$BM355_MS < 50")"
  if [ "$SCALE" -gt 0 ]; then
    if [ "$BM_SCALE_CODE" = 200 ]; then scale_met=$(yesno "$BM_SCALE_MS < 2000"); else scale_met="NO (HTTP $BM_SCALE_CODE)"; fi
    printf '| server time GET /api/v1/benchmarks, %s municipalities | | | | | %s ms | < 2 s | %s | |\n' \
      "$((SCALE + 355))" "$BM_SCALE_MS" "$scale_met"
    if [ "$BM_SCALE_AGAIN_CODE" = 200 ]; then again_met=$(yesno "$BM_SCALE_AGAIN_MS < 2000"); else again_met="NO (HTTP $BM_SCALE_AGAIN_CODE)"; fi
    printf '| the same again, rows kept (RSS after: %s MB, 10 s later %s MB) | | | | | %s ms | < 2 s | %s | |\n' \
      "$(mb "$RSS_SCALE_KEPT")" "$(mb "$RSS_SCALE_LATER")" "$BM_SCALE_AGAIN_MS" "$again_met"
    printf '| peak RSS, %s municipalities (VmHWM) | | | | | %s MB | < 500 MB | %s | |\n' \
      "$((SCALE + 355))" "$(mb "$PEAK_SCALE")" "$(yesno "$PEAK_SCALE < 512000")"
    if [ "$ROUND_SCALE_CODE" = 201 ]; then round_met=$(yesno "$ROUND_SCALE_S < 10"); else round_met="NO (HTTP $ROUND_SCALE_CODE)"; fi
    printf '| POST /api/v1/peilingen, %s municipalities (fresh service) | | | | | %s s | < 10 s | %s | |\n' \
      "$((SCALE + 355))" "$ROUND_SCALE_S" "$round_met"
    printf '| ↳ its peak RSS (VmHWM) | | | | | %s MB | < 500 MB | %s | |\n' \
      "$(mb "$PEAK_ROUND_SCALE")" "$(yesno "$PEAK_ROUND_SCALE < 512000")"
    if [ "$CSV_SCALE_CODE" = 200 ]; then csv_met=$(yesno "$CSV_SCALE_TTFB_MS < 200"); else csv_met="NO (HTTP $CSV_SCALE_CODE)"; fi
    printf '| its CSV streamed (%s MB in %s ms): first byte | | | | | %s ms | < 200 ms | %s | |\n' \
      "$(awk -v b="$CSV_SCALE_BYTES" 'BEGIN {printf "%.1f", b / 1048576}')" "$CSV_SCALE_TOTAL_MS" "$CSV_SCALE_TTFB_MS" "$csv_met"
    printf '| ↳ RSS growth while streaming | | | | | %s MB | < 50 MB | %s | |\n' \
      "$(mb "$CSV_SCALE_GROWTH")" "$(yesno "$CSV_SCALE_GROWTH < 51200")"
  fi
  printf '| peak RSS, 355 municipalities, all load above (VmHWM) | | | | | %s MB | | | |\n' "$(mb "$PEAK_355")"
  printf '| idle RSS (snapshot loaded, no load yet) | | | | | %s MB | < 50 MB | %s | |\n' \
    "$(mb "$RSS_IDLE")" "$(yesno "$RSS_IDLE < 51200")"
  printf '| RSS before / after filling the response cache (3 840 spellings of GET /api/v1/rollen) | | | | | %s → %s MB | | | |\n' \
    "$(mb "$RSS_CACHE0")" "$(mb "$RSS_CACHE1")"
  printf '| RSS before / after %s s mixed load | | | | | %s → %s MB (%s %%) | growth < 5 %% | %s | |\n' \
    "$SOAK" "$(mb "$RSS_BEFORE")" "$(mb "$RSS_AFTER")" "$GROWTH" "$(yesno "$GROWTH < 5")"
  echo
  echo "Mixed load: $(sed -E 's/^BENCH //' <<<"$SOAK_OUT")."
  echo "Other CPU: share of both cores used by processes other than the service, its PostgreSQL and wrk (or stolen by the hypervisor) during the measured ${DURATION} s; another engineer's build, tests or fuzzer make that row noisy."
  echo "Raw numbers: $RAW."
} >"$TABLE"
cat "$TABLE"
