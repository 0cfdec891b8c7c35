#!/usr/bin/env bash
# Every SQL statement of the service is a constant; values travel as bound
# parameters. Fails when C code under service/ formats SQL text at run time
# or hands libpq (PQexec*, PQprepare, and the PQsend* calls the pool makes)
# a statement that is not a string literal, unless an exemption in
# tests/static/sql-exemptions.txt names that call; and fails when an
# exemption names nothing (it is stale).
#
#   sql-is-parameterised.sh [ROOT EXEMPTIONS]   check ROOT/service (default:
#                                               this repository)
#   sql-is-parameterised.sh --self-test         the check must reject the bad
#                                               trees in tests/static/fixtures
#                                               and accept the good one
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

self_test() {
  local fixtures="$here/fixtures" failed=0 out name want
  # name of the tree, then a line its check must print (empty: it must pass)
  while IFS='|' read -r name want; do
    if out=$(bash "$here/sql-is-parameterised.sh" "$fixtures/$name" \
               "$fixtures/$name/sql-exemptions.txt" 2>&1); then
      if [ -n "$want" ]; then
        echo "FAIL: self-test: the check accepted $name"; failed=1
      fi
    elif [ -z "$want" ]; then
      echo "FAIL: self-test: the check rejected $name:"; echo "$out"; failed=1
    elif ! grep -qF -- "$want" <<<"$out"; then
      echo "FAIL: self-test: $name was rejected, but without '$want':"; echo "$out"; failed=1
    fi
  done <<'EOF'
sql-good|
sql-bad-built|FAIL: a libpq call gets SQL that is not a literal
sql-bad-stale|FAIL: stale exemption (matches no call): service/db/clean.c:
EOF
  if [ "$failed" -eq 0 ]; then echo "PASS: self-test (1 good tree accepted, 2 bad trees rejected)"; fi
  return "$failed"
}

if [ "${1:-}" = "--self-test" ]; then
  self_test
  exit
fi
if [ $# -eq 2 ]; then
  exemptions="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
  cd "$1"
else
  cd "$here/../.."
  exemptions="$here/sql-exemptions.txt"
fi
failed=0

# 1. No SQL keyword inside a printf-style format or string concatenation call.
if grep -rnE '(printf|msprintf|mstrcatf|o_strcat|strcat|tp_textbuf_printf)\([^;]*"[^"]*\b(SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES)\b' service; then
  echo "FAIL: SQL text is formatted at run time (above)"
  failed=1
else
  echo "PASS: no SQL text is formatted at run time"
fi

# 2. libpq calls that take SQL get a string literal: the statement of
#    PQexec, PQexecParams, PQsendQuery and PQsendQueryParams is their second
#    argument, of PQprepare and PQsendPrepare their third; PQexecPrepared and
#    PQsendQueryPrepared get a statement name, which must be a literal too.
#    A call that passes on SQL it was given (the pool, the migration runner)
#    is an exemption: FILE:REGEX in the exemptions file, REGEX an ERE on the
#    line of the call.
calls=$(grep -rnE '\b(PQexec|PQexecParams|PQsendQuery|PQsendQueryParams|PQprepare|PQsendPrepare|PQexecPrepared|PQsendQueryPrepared)\(' service \
  | grep -vE '\b(PQexec|PQexecParams|PQsendQuery|PQsendQueryParams|PQexecPrepared|PQsendQueryPrepared)\([^,()]+, *"' \
  | grep -vE '\b(PQprepare|PQsendPrepare)\([^,()]+, *[^,()]+, *"' || true)
declare -a exempt_file=() exempt_re=() exempt_used=()
while IFS= read -r line; do
  case "$line" in '' | '#'*) continue ;; esac
  exempt_file+=("${line%%:*}")
  exempt_re+=("${line#*:}")
  exempt_used+=(0)
done <"$exemptions"
bad=""
while IFS= read -r call; do
  [ -n "$call" ] || continue
  file="${call%%:*}"
  text="${call#*:}"
  text="${text#*:}"
  excused=0
  for i in "${!exempt_file[@]}"; do
    if [ "${exempt_file[$i]}" = "$file" ] && grep -qE -- "${exempt_re[$i]}" <<<"$text"; then
      excused=1
      exempt_used[i]=1
    fi
  done
  [ "$excused" -eq 1 ] || bad+="$call"$'\n'
done <<<"$calls"
if [ -n "$bad" ]; then
  printf '%s' "$bad"
  echo "FAIL: a libpq call gets SQL that is not a literal (above)"
  failed=1
else
  echo "PASS: every libpq call gets literal SQL or is an exemption"
fi
stale=0
for i in "${!exempt_file[@]}"; do
  if [ "${exempt_used[$i]}" -eq 0 ]; then
    echo "FAIL: stale exemption (matches no call): ${exempt_file[$i]}:${exempt_re[$i]}"
    stale=1
  fi
done
if [ "$stale" -eq 0 ]; then
  echo "PASS: every exemption matches a call"
else
  failed=1
fi

# 3. What the code hands to tp_db_exec/tp_db_run/tp_db_json/tp_db_page/tp_db_each_row/tp_db_copy_in,
#    tp_pg_exec_within and the pool's own exec/simple is a literal or a
#    constant in capitals (static const char NAME[] = ...). Small wrappers
#    that take a `sql` argument pass it through; their own callers are
#    checked the same way.
bad=$(grep -rnE '\b(tp_db_(exec|run|json|page|each_row|copy_in)|tp_pg_exec_within|exec|simple)\([a-z_>-]+, *[^"A-Z ]' service \
  | grep -vE '\b(tp_db_(exec|run|json|page|each_row|copy_in)|tp_pg_exec_within|exec|simple)\([a-z_>-]+, sql,' || true)
if [ -n "$bad" ]; then
  echo "$bad"
  echo "FAIL: code passes SQL that is neither a literal nor a constant (above)"
  failed=1
else
  echo "PASS: callers pass literal or constant SQL"
fi

if [ "$failed" -eq 0 ]; then echo "4 passed, 0 failed"; else echo "check failed"; fi
exit "$failed"
