#!/usr/bin/env bash
# Builds the libFuzzer targets (ASan + UBSan) into build-fuzz/ and runs each
# for SECONDS (default 60) from the seed corpus in tests/fuzz/corpus.
#   tests/fuzz/run.sh [SECONDS]
# SECONDS=0 only replays the seed corpus (a quick regression check).
# Environment: FUZZ_TARGETS="team query token catalogus" (a subset), FUZZ_ARGS (extra
# libFuzzer flags, e.g. "-jobs=4 -workers=4"). Needs clang and
# libclang-rt-14-dev (Debian). Prints one line per target and ends with
# "N passed, N failed"; exits non-zero when any target crashed, leaked,
# timed out or broke an invariant. See docs/fuzzing.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FUZZ="$ROOT/tests/fuzz"
OUT="$ROOT/build-fuzz"
secs=${1:-60}
read -r -a targets <<<"${FUZZ_TARGETS:-team query token catalogus}"
read -r -a extra <<<"${FUZZ_ARGS:-}"

if ! [[ "$secs" =~ ^[0-9]+$ ]]; then
  echo "usage: tests/fuzz/run.sh [SECONDS]" >&2
  exit 2
fi

max_len() {
  case "$1" in
    team) echo 16384 ;;  # the largest seed (one full reference profile) is ~12 KB
    query) echo 4096 ;;  # query values are capped at 1024 bytes
    token) echo 8192 ;;  # tp_token_client refuses tokens over 4096 bytes
    catalogus) echo 16384 ;;  # a small catalogue file; roles are ~1.5 KB each
    *) echo 4096 ;;
  esac
}

if ! command -v clang >/dev/null 2>&1; then
  echo "clang not found: apt-get install clang libclang-rt-14-dev" >&2
  exit 2
fi

echo "building fuzz targets in $OUT" >&2
mkdir -p "$OUT"
if ! { cmake -S "$ROOT" -B "$OUT" -DCMAKE_C_COMPILER=clang -DTEAMPLOTTER_FUZZ=ON \
         -DTEAMPLOTTER_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
       cmake --build "$OUT" --target fuzzers -j "$(nproc)" >"$OUT/build.log" 2>&1; }; then
  [ -f "$OUT/build.log" ] && tail -n 30 "$OUT/build.log" >&2
  echo "build failed"
  echo "0 passed, ${#targets[@]} failed"
  exit 1
fi

# Every sanitizer report is fatal; leaks count (libFuzzer checks them).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1"

passed=0
failed=0
for t in "${targets[@]}"; do
  bin="$OUT/fuzz_$t"
  seeds="$FUZZ/corpus/$t"
  work="$OUT/corpus/$t"       # new inputs go here, never into the repository
  artifacts="$OUT/artifacts/$t"
  log="$OUT/logs/$t.log"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  args=(-max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$artifacts/")
  [ -f "$FUZZ/dict/$t.dict" ] && args+=(-dict="$FUZZ/dict/$t.dict")
  if [ "$secs" -eq 0 ]; then
    args+=(-runs=0 "$seeds")
  else
    args+=(-max_total_time="$secs" "$work" "$seeds")
  fi
  rc=0
  start=$SECONDS
  "$bin" "${args[@]}" ${extra[@]+"${extra[@]}"} >"$log" 2>&1 || rc=$?

  took=$((SECONDS - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  # Fork mode (FUZZ_ARGS=-fork=N) prints no final stats: read the last status line.
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")
  [ -n "$rate" ] || { [ -n "$execs" ] && [ "$took" -gt 0 ] && rate=$((execs / took)); } || true
  stats="${took}s, ${execs:-?} execs (${rate:-?}/s), cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}, rss ${rss:-?} MB"
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    echo "PASS fuzz_$t: $stats"
  else
    failed=$((failed + 1))
    what=$(grep -m 1 -E 'invariant failed|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY:' "$log" || true)
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    echo "FAIL fuzz_$t (exit $rc): $stats; ${what:-see log}; input: ${artifact:-none}; log: $log"
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
