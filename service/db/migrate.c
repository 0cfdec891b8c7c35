#include "teamplotter/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "teamplotter/embedded.h"
#include "teamplotter/hash.h"
#include "teamplotter/log.h"

/* Any fixed number: the advisory lock that serialises migration runs. */
#define MIGRATION_LOCK_KEY "7283914"

static int ok(PGresult *res) {
  ExecStatusType st = PQresultStatus(res);
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* Runs a statement, logs a failure, and says whether it worked. */
static int run(PGconn *conn, const char *what, const char *sql, int n, const char *const *params) {
  PGresult *res = n ? PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0) : PQexec(conn, sql);
  int good = res != NULL && ok(res);
  if (!good) tp_log_error("migrate: %s failed: %s", what, PQerrorMessage(conn));
  PQclear(res);
  return good;
}

/* The number before the first underscore of "0001_schema.sql". */
static long version_of(const char *name) {
  char *end = NULL;
  long v = strtol(name, &end, 10);
  if (end == name || *end != '_' || v <= 0) return -1;
  return v;
}

/* 1 when applied with the same checksum, 0 when not applied, -1 on error
 * or when the file changed after it was applied. */
static int applied_state(PGconn *conn, const char *version, const char *name, const char *sum) {
  const char *params[] = {version};
  PGresult *res = PQexecParams(conn, "SELECT checksum FROM schema_migrations WHERE version = $1",
                               1, NULL, params, NULL, NULL, 0);
  int state = -1;
  if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
    tp_log_error("migrate: could not read schema_migrations: %s", PQerrorMessage(conn));
  } else if (PQntuples(res) == 0) {
    state = 0;
  } else if (strcmp(PQgetvalue(res, 0, 0), sum) == 0) {
    state = 1;
  } else {
    tp_log_error("migrate: %s was changed after it was applied; add a new migration instead",
                 name);
  }
  PQclear(res);
  return state;
}

static tp_rc apply_all(PGconn *conn, int *applied) {
  if (!run(conn, "creating schema_migrations",
           "CREATE TABLE IF NOT EXISTS schema_migrations ("
           " version integer PRIMARY KEY,"
           " name text NOT NULL,"
           " checksum text NOT NULL,"
           " applied_at timestamptz NOT NULL DEFAULT now())",
           0, NULL)) {
    return TP_ERR_DB;
  }
  for (size_t i = 0; i < tp_embedded_migrations_count; i++) {
    const struct tp_embedded_file *m = &tp_embedded_migrations[i];
    long v = version_of(m->name);
    if (v < 0) {
      tp_log_error("migrate: %s does not start with a number and an underscore", m->name);
      return TP_ERR_PARAM;
    }
    char version[24], sum[TP_SHA256_HEX_LEN + 1];
    snprintf(version, sizeof(version), "%ld", v);
    if (tp_sha256_hex(m->data, m->len, sum) != 0) return TP_ERR_NOMEM;
    int state = applied_state(conn, version, m->name, sum);
    if (state < 0) return TP_ERR_DB;
    if (state == 1) continue;

    const char *params[] = {version, m->name, sum};
    if (!run(conn, "BEGIN", "BEGIN", 0, NULL)) return TP_ERR_DB;
    if (!run(conn, m->name, m->data, 0, NULL) ||
        !run(conn, "recording the migration",
             "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", 3,
             params) ||
        !run(conn, "COMMIT", "COMMIT", 0, NULL)) {
      PQclear(PQexec(conn, "ROLLBACK"));
      return TP_ERR_DB;
    }
    tp_log_info("migrate: applied %s", m->name);
    (*applied)++;
  }
  return TP_OK;
}

tp_rc tp_migrate(const char *conninfo, int *applied) {
  *applied = 0;
  PGconn *conn = PQconnectdb(conninfo);
  if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
    tp_log_error("migrate: could not connect to PostgreSQL: %s",
                 conn ? PQerrorMessage(conn) : "out of memory");
    PQfinish(conn);
    return TP_ERR_UNAVAILABLE;
  }
  /* Keep the notices of CREATE ... IF NOT EXISTS out of the output. */
  PQclear(PQexec(conn, "SET client_min_messages = warning"));
  tp_rc rc = TP_ERR_DB;
  if (run(conn, "taking the migration lock", "SELECT pg_advisory_lock(" MIGRATION_LOCK_KEY ")", 0,
          NULL)) {
    rc = apply_all(conn, applied);
    run(conn, "releasing the migration lock",
        "SELECT pg_advisory_unlock(" MIGRATION_LOCK_KEY ")", 0, NULL);
  }
  PQfinish(conn);
  return rc;
}
