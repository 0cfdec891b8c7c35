#!/usr/bin/env bash
# bench/gen-data.sh: synthetic benchmark data (herkomst 'demo'), never part
# of the seed. Writes to TEAMPLOTTER_DATABASE_URL, which must be a throwaway
# database (bench/run.sh makes one): set BENCH_THROWAWAY=1 to confirm.
#
#   bench/gen-data.sh demo              a demo profile for each of the 355 municipalities
#   bench/gen-data.sh scale [N]         N (default 100000) synthetic municipalities
#                                       GM100000.. with a demo profile each; relaxes the
#                                       CBS code check to ^GM[0-9]{4,6}$
#   bench/gen-data.sh history GM [N]    N (default 50) more demo profiles for municipality GM,
#                                       one a month back from 2025-01-01 (its development)
#   bench/gen-data.sh team-body [M] [GM]   print a gap-analysis body with M members
#                                       (default 20, about 6 KB) for municipality GM
#   bench/gen-data.sh clean             remove every demo profile and synthetic municipality
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${TEAMPLOTTER_DATABASE_URL:?set TEAMPLOTTER_DATABASE_URL to the throwaway database}"

psql_run() { psql -X -q -v ON_ERROR_STOP=1 "$TEAMPLOTTER_DATABASE_URL" "$@"; }

guard() {
  [ "${BENCH_THROWAWAY:-0}" = 1 ] ||
    { echo "gen-data.sh writes synthetic data: set BENCH_THROWAWAY=1 for a throwaway database" >&2; exit 2; }
}

case "${1:-}" in
  demo)
    guard
    psql_run -f "$HERE/sql/demo-profiles.sql"
    ;;
  scale)
    guard
    n=${2:-100000}
    if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ] || [ "$n" -gt 899999 ]; then
      echo "N: 1-899999" >&2
      exit 2
    fi
    psql_run -v n="$n" -f "$HERE/sql/scale-gemeenten.sql"
    psql_run -f "$HERE/sql/demo-profiles.sql"
    ;;
  history)
    guard
    gemeente=${2:-}
    n=${3:-50}
    [[ "$gemeente" =~ ^GM[0-9]{4,6}$ ]] || { echo "GM: a municipality code" >&2; exit 2; }
    if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ] || [ "$n" -gt 1000 ]; then
      echo "N: 1-1000" >&2
      exit 2
    fi
    psql_run -v gemeente="$gemeente" -v n="$n" -f "$HERE/sql/history-profiles.sql"
    ;;
  team-body)
    members=${2:-20}
    gemeente=${3:-GM0772}
    if ! [[ "$members" =~ ^[0-9]+$ ]] || [ "$members" -lt 1 ] || [ "$members" -gt 500 ]; then
      echo "M: 1-500" >&2
      exit 2
    fi
    [[ "$gemeente" =~ ^GM[0-9]{4,6}$ ]] || { echo "GM: a municipality code" >&2; exit 2; }
    # psql's JSON has spaces and long numerics; a client sends it compact.
    psql_run -At -v members="$members" -v gemeente="$gemeente" -f "$HERE/sql/team-body.sql" |
      python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin), separators=(",", ":"), ensure_ascii=False), end="")'
    ;;
  clean)
    guard
    psql_run -c "DELETE FROM teamprofielen WHERE herkomst = 'demo'" \
             -c "DELETE FROM gemeenten WHERE herkomst = 'demo'"
    ;;
  *)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
