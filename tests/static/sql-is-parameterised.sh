#!/usr/bin/env bash
# Every SQL statement of the service is a constant; values travel as bound
# parameters. Fails when C code under service/ formats SQL text at run time
# or hands libpq a statement that is not a string literal or one of the
# known constant names.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
failed=0

# 1. No SQL keyword inside a printf-style format or string concatenation call.
if grep -rnE '(printf|msprintf|mstrcatf|o_strcat|strcat|tp_textbuf_printf)\([^;]*"[^"]*\b(SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES)\b' service; then
  echo "FAIL: SQL text is formatted at run time (above)"
  failed=1
else
  echo "PASS: no SQL text is formatted at run time"
fi

# 2. libpq calls that take SQL text get a literal or a named constant: the
#    repos pass static const char arrays or string literals to tp_db_*; the
#    only non-literal PQexec argument is the migration runner's embedded,
#    build-time file.
bad=$(grep -rnE 'PQexec(Params)?\(|PQprepare\(' service \
  | grep -vE 'PQexec(Params)?\([a-z_>-]+, *"|PQprepare\([^,]+, *name, *sql,' \
  | grep -vE 'service/db/migrate.c:.*PQexec(Params)?\(conn, sql' \
  | grep -vE 'service/db/pool.c:.*PQexecParams\(db->conn, sql, nparams' || true)
if [ -n "$bad" ]; then
  echo "$bad"
  echo "FAIL: a libpq call gets SQL that is not a literal (above)"
  failed=1
else
  echo "PASS: every libpq call gets literal or constant SQL"
fi

# 3. What the repos hand to tp_db_exec/tp_db_json/tp_db_page/tp_db_each_row is a literal or
#    a constant in capitals (static const char NAME[] = ...).
#    Small wrappers that take a `sql` argument pass it through; their own
#    callers are checked the same way.
bad=$(grep -rnE '\b(tp_db_(exec|json|page|each_row)|exec|simple)\(db, *[^"A-Z ]' service/db \
  | grep -vE '\b(tp_db_(exec|json|page|each_row)|exec|simple)\(db, sql,' || true)
if [ -n "$bad" ]; then
  echo "$bad"
  echo "FAIL: a repo passes SQL that is neither a literal nor a constant (above)"
  failed=1
else
  echo "PASS: repos pass literal or constant SQL"
fi

if [ "$failed" -eq 0 ]; then echo "3 passed, 0 failed"; else echo "check failed"; fi
exit "$failed"
