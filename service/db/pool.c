#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <orcania.h>

#include "pg.h"

#include "teamplotter/clock.h"
#include "teamplotter/log.h"
#include "teamplotter/pg_errors.h"

/* Statements prepared per connection, by the address of their (constant)
 * SQL text; beyond this many a statement simply runs unprepared. */
#define MAX_PREPARED 96

struct tp_db {
  PGconn *conn;
  int busy;
  struct tp_pool *pool;
  long deadline_ms; /* for each statement of this checkout */
  int writing;      /* the open transaction may write (BEGIN, not BEGIN ... READ ONLY) */
  const char *prepared[MAX_PREPARED];
  int n_prepared;
};

struct tp_pool {
  pthread_mutex_t mu;
  pthread_cond_t freed;
  /* Shutting down: every wait for PostgreSQL ends at once, as if late. */
  atomic_int aborted;
  /* Until this moment (monotonic ms) PostgreSQL counts as unreachable and
   * requests get 503 at once instead of each waiting for a timeout. */
  atomic_llong down_until_ms;
  char *conninfo;
  unsigned size;
  unsigned wait_ms;
  unsigned in_use;
  struct tp_db *slots;
};

/* How long one statement may take before its connection is given up: a
 * hanging PostgreSQL must not hold every worker thread. */
#define STATEMENT_DEADLINE_MS 3000
/* After a timeout or a failed connect, how long to answer 503 at once. */
#define BREAKER_MS 1000

/* Seconds libpq may spend opening a connection; a connection string may
 * override it. */
#define CONNECT_TIMEOUT "3"
/* A wait for PostgreSQL looks at the abort flag at least this often. */
#define ABORT_CHECK_MS 100

/* Non-blocking mode: libpq then never waits by itself to send, so a
 * statement larger than the socket buffers, sent to a backend that reads
 * nothing, is bound by the deadline too (next_result waits for the socket
 * with it) and so is the Terminate of a PQfinish. */
static void nonblocking(PGconn *conn) {
  if (conn != NULL && PQstatus(conn) == CONNECTION_OK) PQsetnonblocking(conn, 1);
}

PGconn *tp_db_connect(const char *conninfo, const char *application_name) {
  /* Defaults first, so that a value in the user's string wins. JIT
   * compilation costs more than these short queries ever run. TCP
   * keepalives and a user timeout let the kernel notice a peer that went
   * away without closing (a network partition), which no statement
   * deadline covers while a connection sits idle in the pool. */
  const char *keys[] = {"connect_timeout", "application_name", "options", "keepalives",
                        "keepalives_idle", "keepalives_interval", "keepalives_count",
                        "tcp_user_timeout", "dbname", NULL};
  const char *vals[] = {CONNECT_TIMEOUT, application_name, "-c jit=off", "1", "10", "5", "3",
                        "10000", conninfo, NULL};
  PGconn *conn = PQconnectdbParams(keys, vals, 1);
  nonblocking(conn);
  return conn;
}

/* PQreset, keeping the connection non-blocking. */
static void reset(PGconn *conn) {
  PQreset(conn);
  nonblocking(conn);
}

static void trip_breaker(struct tp_pool *pool) {
  atomic_store(&pool->down_until_ms, tp_now_ms() + BREAKER_MS);
}

tp_rc tp_pool_create(struct tp_pool **out, const char *conninfo, unsigned size,
                     unsigned wait_ms) {
  struct tp_pool *pool = o_malloc(sizeof(*pool));
  if (pool == NULL) return TP_ERR_NOMEM;
  memset(pool, 0, sizeof(*pool));
  pool->conninfo = o_strdup(conninfo);
  pool->slots = calloc(size, sizeof(*pool->slots));
  if (pool->conninfo == NULL || pool->slots == NULL) {
    o_free(pool->conninfo);
    free(pool->slots);
    o_free(pool);
    return TP_ERR_NOMEM;
  }
  pool->size = size;
  pool->wait_ms = wait_ms;
  atomic_init(&pool->down_until_ms, 0);
  atomic_init(&pool->aborted, 0);
  for (unsigned i = 0; i < size; i++) pool->slots[i].pool = pool;
  pthread_mutex_init(&pool->mu, NULL);
  tp_cond_init_monotonic(&pool->freed);
  *out = pool;
  return TP_OK;
}

void tp_pool_destroy(struct tp_pool *pool) {
  if (pool == NULL) return;
  for (unsigned i = 0; i < pool->size; i++) {
    if (pool->slots[i].conn != NULL) PQfinish(pool->slots[i].conn);
  }
  pthread_cond_destroy(&pool->freed);
  pthread_mutex_destroy(&pool->mu);
  free(pool->slots);
  o_free(pool->conninfo);
  o_free(pool);
}

/* Takes a free slot, waiting up to the pool's limit. */
static struct tp_db *take_slot(struct tp_pool *pool, unsigned wait_ms) {
  struct timespec deadline = tp_timespec_of_ms(tp_now_ms() + wait_ms);
  struct tp_db *slot = NULL;
  pthread_mutex_lock(&pool->mu);
  while (pool->in_use == pool->size && wait_ms > 0 && !atomic_load(&pool->aborted)) {
    if (pthread_cond_timedwait(&pool->freed, &pool->mu, &deadline) == ETIMEDOUT) break;
  }
  if (pool->in_use < pool->size && !atomic_load(&pool->aborted)) {
    /* Prefer a slot that already holds a connection. */
    for (unsigned i = 0; i < pool->size; i++) {
      if (!pool->slots[i].busy && (slot == NULL || (slot->conn == NULL && pool->slots[i].conn))) {
        slot = &pool->slots[i];
      }
    }
    slot->busy = 1;
    pool->in_use++;
  }
  pthread_mutex_unlock(&pool->mu);
  return slot;
}

static void give_back(struct tp_pool *pool, struct tp_db *slot) {
  pthread_mutex_lock(&pool->mu);
  slot->busy = 0;
  pool->in_use--;
  pthread_cond_signal(&pool->freed);
  pthread_mutex_unlock(&pool->mu);
}

static tp_rc simple(struct tp_db *db, const char *sql);

/* Makes the slot's connection usable: open, reset when broken, and out of
 * any transaction a previous user left behind. */
static tp_rc make_ready(struct tp_pool *pool, struct tp_db *db) {
  db->deadline_ms = STATEMENT_DEADLINE_MS;
  if (db->conn == NULL) {
    db->conn = tp_db_connect(pool->conninfo, "teamplotter");
    db->n_prepared = 0;
  } else if (PQstatus(db->conn) != CONNECTION_OK) {
    reset(db->conn);
    db->n_prepared = 0;
  }
  if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
    trip_breaker(pool);
    tp_log_warning("pool: could not connect to PostgreSQL: %s",
                   db->conn ? PQerrorMessage(db->conn) : "out of memory");
    if (db->conn != NULL) PQfinish(db->conn);
    db->conn = NULL;
    return TP_ERR_UNAVAILABLE;
  }
  PGTransactionStatusType ts = PQtransactionStatus(db->conn);
  if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR) {
    if (simple(db, "ROLLBACK") != TP_OK) return TP_ERR_UNAVAILABLE;
  } else if (ts == PQTRANS_ACTIVE || ts == PQTRANS_UNKNOWN) {
    /* A command still running or an unknown state: start over. */
    PQfinish(db->conn);
    db->conn = NULL;
    return make_ready(pool, db);
  }
  return TP_OK;
}

/* tp_pool_acquire waiting at most `wait_ms`; TP_ERR_BUSY when no
 * connection came free in time. */
static tp_rc acquire_within(struct tp_pool *pool, unsigned wait_ms, struct tp_db **out) {
  if (atomic_load(&pool->aborted) || tp_now_ms() < atomic_load(&pool->down_until_ms)) {
    return TP_ERR_UNAVAILABLE;
  }
  struct tp_db *slot = take_slot(pool, wait_ms);
  if (slot == NULL) return TP_ERR_BUSY;
  tp_rc rc = make_ready(pool, slot);
  if (rc != TP_OK) {
    give_back(pool, slot);
    return rc;
  }
  slot->deadline_ms = STATEMENT_DEADLINE_MS;
  slot->writing = 0;
  *out = slot;
  return TP_OK;
}

tp_rc tp_pool_acquire(struct tp_pool *pool, struct tp_db **out) {
  tp_rc rc = acquire_within(pool, pool->wait_ms, out);
  if (rc != TP_ERR_BUSY) return rc;
  tp_log_warning("pool: no free connection within %u ms", pool->wait_ms);
  return TP_ERR_UNAVAILABLE;
}

void tp_db_set_deadline(struct tp_db *db, long ms) { db->deadline_ms = ms; }

void tp_pool_release(struct tp_pool *pool, struct tp_db *db) {
  if (db == NULL) return;
  if (db->conn != NULL && !PQisBusy(db->conn)) {
    PGresult *res;
    while ((res = PQgetResult(db->conn)) != NULL) PQclear(res);
  }
  tp_db_rollback(db);
  give_back(pool, db);
}

void tp_pool_abort(struct tp_pool *pool) {
  if (pool == NULL) return;
  pthread_mutex_lock(&pool->mu);
  atomic_store(&pool->aborted, 1);
  pthread_cond_broadcast(&pool->freed); /* who waits for a connection stops waiting */
  pthread_mutex_unlock(&pool->mu);
}

tp_rc tp_pool_ping(struct tp_pool *pool) {
  struct tp_db *db = NULL;
  tp_rc rc = acquire_within(pool, 0, &db);
  if (rc != TP_OK) return rc;
  PGresult *res = tp_db_exec(db, "SELECT 1", 0, NULL, &rc);
  PQclear(res);
  tp_pool_release(pool, db);
  return rc;
}

void tp_pool_stats(struct tp_pool *pool, unsigned *in_use, unsigned *size) {
  pthread_mutex_lock(&pool->mu);
  *in_use = pool->in_use;
  *size = pool->size;
  pthread_mutex_unlock(&pool->mu);
}

PGconn *tp_db_conn(struct tp_db *db) { return db->conn; }

/* What a failed statement's error means (db/pg_errors.c), logged: at
 * INFO what the data caused, WARNING a transaction lost to another,
 * ERROR the rest. */
static tp_rc classify(PGresult *res) {
  tp_rc rc = tp_pg_error_rc(PQresultErrorField(res, PG_DIAG_SQLSTATE));
  const char *message = PQresultErrorMessage(res);
  if (rc == TP_ERR_CONFLICT || rc == TP_ERR_INVALID) {
    tp_log_info("db: statement refused: %s", message);
  } else if (rc == TP_ERR_CONCURRENT) {
    tp_log_warning("db: lost to a concurrent transaction: %s", message);
  } else {
    tp_log_error("db: statement failed: %s", message);
  }
  return rc;
}

/* Waits until the socket is ready for `events`; 0 when the deadline passes
 * first or *cancel (when given) turns non-zero. */
static int wait_socket(PGconn *conn, short events, long long deadline, atomic_int *cancel) {
  for (;;) {
    long long left = deadline - tp_now_ms();
    if (left <= 0 || (cancel != NULL && atomic_load(cancel))) return 0;
    if (left > ABORT_CHECK_MS) left = ABORT_CHECK_MS;
    struct pollfd p = {PQsocket(conn), events, 0};
    int n = poll(&p, 1, (int)left);
    if (n > 0) return 1;
    if (n < 0 && errno != EINTR) return 0;
  }
}

/* The next result of the command in progress, NULL when there is no more
 * (or the connection failed), or NULL with *late set when the deadline
 * passed (or *cancel turned non-zero) first. */
static PGresult *next_result(PGconn *conn, long long deadline, atomic_int *cancel, int *late) {
  for (;;) {
    int flushed;
    while ((flushed = PQflush(conn)) == 1) {
      if (!wait_socket(conn, POLLOUT, deadline, cancel)) goto late;
    }
    if (flushed < 0) return NULL;
    if (!PQisBusy(conn)) return PQgetResult(conn);
    if (!wait_socket(conn, POLLIN, deadline, cancel)) goto late;
    if (!PQconsumeInput(conn)) return NULL;
  }
late:
  *late = 1;
  return NULL;
}

/* The (last) result of the command just sent, or NULL with *late set when
 * the deadline passed first. */
static PGresult *await_result(PGconn *conn, long long deadline, atomic_int *cancel, int *late) {
  PGresult *result = NULL, *next;
  while ((next = next_result(conn, deadline, cancel, late)) != NULL) {
    PQclear(result);
    result = next;
  }
  if (*late) {
    PQclear(result);
    return NULL;
  }
  return result;
}

/* Runs `sql` as a prepared statement of this connection, preparing it on
 * first use; parse and plan happen once per connection, not per request.
 * With `prepare` 0 it runs as it is: transaction control, where a PREPARE
 * that gets no answer must not stand for a COMMIT that got none. */
static PGresult *run_statement(struct tp_db *db, const char *sql, int nparams,
                               const char *const *params, int prepare, int *late) {
  char name[16];
  long long deadline = tp_now_ms() + db->deadline_ms;
  int i = 0;
  while (i < db->n_prepared && db->prepared[i] != sql) i++;
  if (i == db->n_prepared) {
    if (i == MAX_PREPARED || !prepare) {
      if (!PQsendQueryParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0)) return NULL;
      return await_result(db->conn, deadline, &db->pool->aborted, late);
    }
    snprintf(name, sizeof(name), "tp%d", i);
    if (!PQsendPrepare(db->conn, name, sql, nparams, NULL)) return NULL;
    PGresult *prep = await_result(db->conn, deadline, &db->pool->aborted, late);
    if (prep == NULL || PQresultStatus(prep) != PGRES_COMMAND_OK) return prep;
    PQclear(prep);
    db->prepared[db->n_prepared++] = sql;
  }
  snprintf(name, sizeof(name), "tp%d", i);
  if (!PQsendQueryPrepared(db->conn, name, nparams, params, NULL, NULL, 0)) return NULL;
  return await_result(db->conn, deadline, &db->pool->aborted, late);
}

/* PostgreSQL hangs: drop this connection (a cancel request could hang as
 * well) and answer 503 for a moment without trying. */
static void give_up(struct tp_db *db) {
  tp_log_warning("db: no answer within %ld ms; connection closed", db->deadline_ms);
  PQfinish(db->conn);
  db->conn = NULL;
  db->n_prepared = 0;
  trip_breaker(db->pool);
}

/* tp_db_exec, with `lost` as the result when the statement was sent and
 * its answer never came (deadline passed, connection gone). */
static PGresult *exec_or(struct tp_db *db, const char *sql, int nparams,
                        const char *const *params, int prepare, tp_rc lost, tp_rc *rc) {
  for (int attempt = 0; attempt < 2; attempt++) {
    /* Given up after a timeout earlier, or shutting down: nothing is sent,
     * so nothing is done. */
    if (db->conn == NULL || atomic_load(&db->pool->aborted)) break;
    int in_tx = PQtransactionStatus(db->conn) != PQTRANS_IDLE;
    int late = 0;
    PGresult *res = run_statement(db, sql, nparams, params, prepare, &late);
    if (late) {
      give_up(db);
      *rc = lost;
      return NULL;
    }
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
      *rc = TP_OK;
      return res;
    }
    if (PQstatus(db->conn) != CONNECTION_OK) {
      PQclear(res);
      tp_log_warning("db: connection lost: %s", PQerrorMessage(db->conn));
      reset(db->conn);
      db->n_prepared = 0;
      if (!in_tx && attempt == 0 && PQstatus(db->conn) == CONNECTION_OK) continue;
      *rc = lost;
      return NULL;
    }
    if (res == NULL) tp_log_error("db: statement failed: no result");
    *rc = res ? classify(res) : TP_ERR_NOMEM;
    PQclear(res);
    /* A statement outside a transaction was one of its own, rolled back
     * whole: it runs once more. */
    if (*rc == TP_ERR_CONCURRENT && !in_tx && attempt == 0) continue;
    return NULL;
  }
  *rc = TP_ERR_UNAVAILABLE;
  return NULL;
}

PGresult *tp_db_exec(struct tp_db *db, const char *sql, int nparams,
                     const char *const *params, tp_rc *rc) {
  return exec_or(db, sql, nparams, params, 1, TP_ERR_UNAVAILABLE, rc);
}

static tp_rc simple(struct tp_db *db, const char *sql) {
  tp_rc rc;
  PQclear(exec_or(db, sql, 0, NULL, 0, TP_ERR_UNAVAILABLE, &rc));
  return rc;
}

tp_rc tp_db_begin(struct tp_db *db) {
  db->writing = 1;
  return simple(db, "BEGIN");
}
tp_rc tp_db_begin_read(struct tp_db *db) {
  db->writing = 0;
  return simple(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}
tp_rc tp_db_commit(struct tp_db *db) {
  /* Once COMMIT is on its way, only its answer says whether the writes
   * were stored; without one nobody here knows. A read-only transaction
   * stored nothing either way. */
  tp_rc rc;
  PQclear(exec_or(db, "COMMIT", 0, NULL, 0,
                  db->writing ? TP_ERR_OUTCOME_UNKNOWN : TP_ERR_UNAVAILABLE, &rc));
  return rc;
}
tp_rc tp_db_transaction(struct tp_db *db, tp_db_work work, void *arg) {
  tp_rc rc = tp_db_begin(db);
  for (int attempt = 0; rc == TP_OK; attempt++) {
    rc = work(db, arg);
    if (rc == TP_OK) rc = tp_db_commit(db);
    if (rc == TP_OK) break;
    tp_db_rollback(db);
    /* Lost to a concurrent transaction, so nothing was stored: once more. */
    if (rc != TP_ERR_CONCURRENT || attempt > 0) break;
    tp_log_info("db: running the transaction once more");
    rc = tp_db_begin(db);
  }
  return rc;
}

void tp_db_rollback(struct tp_db *db) {
  if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) return;
  PGTransactionStatusType ts = PQtransactionStatus(db->conn);
  if (ts == PQTRANS_ACTIVE || ts == PQTRANS_UNKNOWN) {
    /* A command still running: closing the connection ends it. */
    PQfinish(db->conn);
    db->conn = NULL;
    db->n_prepared = 0;
  } else if (ts != PQTRANS_IDLE) {
    simple(db, "ROLLBACK"); /* a late one closes the connection, which rolls back too */
  }
}

PGresult *tp_pg_exec_within(PGconn *conn, const char *sql, long ms, atomic_int *cancel,
                            int *late) {
  *late = 0;
  if (!PQsendQuery(conn, sql)) return NULL;
  return await_result(conn, tp_now_ms() + ms, cancel, late);
}

tp_rc tp_db_run(struct tp_db *db, const char *sql, int nparams, const char *const *params) {
  tp_rc rc;
  PQclear(tp_db_exec(db, sql, nparams, params, &rc));
  return rc;
}

tp_rc tp_db_json(struct tp_db *db, const char *sql, int nparams, const char *const *params,
                 json_t **out) {
  tp_rc rc;
  PGresult *res = tp_db_exec(db, sql, nparams, params, &rc);
  if (res == NULL) return rc;
  if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0)) {
    PQclear(res);
    return TP_ERR_NOT_FOUND;
  }
  json_error_t err;
  *out = json_loadb(PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0), JSON_DECODE_ANY, &err);
  PQclear(res);
  if (*out == NULL) {
    tp_log_error("db: could not parse JSON from PostgreSQL: %s", err.text);
    return TP_ERR_DB;
  }
  return TP_OK;
}

/* The outcome of a statement run outside exec_or, whose results were all
 * read: a connection that missed its deadline is given up, one that was
 * lost is reset (both TP_ERR_UNAVAILABLE); otherwise `rc`. */
static tp_rc settled(struct tp_db *db, int late, tp_rc rc) {
  if (late) {
    give_up(db);
    return TP_ERR_UNAVAILABLE;
  }
  if (PQstatus(db->conn) != CONNECTION_OK) {
    tp_log_warning("db: connection lost: %s", PQerrorMessage(db->conn));
    reset(db->conn);
    db->n_prepared = 0;
    return TP_ERR_UNAVAILABLE;
  }
  return rc;
}

tp_rc tp_db_each_row(struct tp_db *db, const char *sql, int nparams, const char *const *params,
                     tp_row_fn row, void *arg) {
  if (db->conn == NULL) return TP_ERR_UNAVAILABLE;
  long long deadline = tp_now_ms() + db->deadline_ms;
  /* Unprepared: a bulk read is rare, and single-row mode is set per query. */
  if (!PQsendQueryParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0)) {
    tp_log_error("db: statement not sent: %s", PQerrorMessage(db->conn));
    return PQstatus(db->conn) == CONNECTION_OK ? TP_ERR_DB : TP_ERR_UNAVAILABLE;
  }
  PQsetSingleRowMode(db->conn);
  tp_rc rc = TP_OK;
  int late = 0;
  PGresult *res;
  /* Every result is read to the end, also after a failed row: the
   * connection goes back to the pool ready for the next statement. */
  while ((res = next_result(db->conn, deadline, &db->pool->aborted, &late)) != NULL) {
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_SINGLE_TUPLE && rc == TP_OK) {
      const char *values[TP_ROW_MAX_COLUMNS];
      int n = PQnfields(res);
      if (n > TP_ROW_MAX_COLUMNS) n = TP_ROW_MAX_COLUMNS;
      for (int i = 0; i < n; i++) values[i] = PQgetisnull(res, 0, i) ? NULL : PQgetvalue(res, 0, i);
      if (row(arg, n, values) != 0) rc = TP_ERR_NOMEM;
    } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      tp_rc failed = classify(res);
      if (rc == TP_OK) rc = failed;
    }
    PQclear(res);
  }
  return settled(db, late, rc);
}

void tp_copy_field(struct tp_textbuf *out, const char *s, size_t n) {
  if (s == NULL) {
    tp_textbuf_puts(out, "\\N");
    return;
  }
  size_t plain = 0;
  for (size_t i = 0; i < n; i++) {
    const char *escaped = s[i] == '\\' ? "\\\\" : s[i] == '\n' ? "\\n" : s[i] == '\r' ? "\\r"
                          : s[i] == '\t' ? "\\t" : NULL;
    if (escaped == NULL) continue;
    tp_textbuf_append(out, s + plain, i - plain);
    tp_textbuf_puts(out, escaped);
    plain = i + 1;
  }
  tp_textbuf_append(out, s + plain, n - plain);
}

/* Sends `n` bytes of COPY data, waiting while libpq's buffer is full. */
static int copy_send(PGconn *conn, const char *data, size_t n, long long deadline,
                     atomic_int *cancel) {
  int sent;
  while ((sent = PQputCopyData(conn, data, (int)n)) == 0) {
    if (!wait_socket(conn, POLLOUT, deadline, cancel) || PQflush(conn) < 0) return -1;
  }
  return sent > 0 ? 0 : -1;
}

/* Ends the COPY (aborted with `error` when not NULL). */
static int copy_end(PGconn *conn, const char *error, long long deadline, atomic_int *cancel) {
  int ended;
  while ((ended = PQputCopyEnd(conn, error)) == 0) {
    if (!wait_socket(conn, POLLOUT, deadline, cancel)) return -1;
  }
  return ended > 0 ? 0 : -1;
}

tp_rc tp_db_copy_in(struct tp_db *db, const char *sql, tp_copy_fn next, void *arg) {
  if (db->conn == NULL || atomic_load(&db->pool->aborted)) return TP_ERR_UNAVAILABLE;
  long long deadline = tp_now_ms() + db->deadline_ms;
  int late = 0;
  PGresult *res = PQsendQueryParams(db->conn, sql, 0, NULL, NULL, NULL, NULL, 0)
                      ? next_result(db->conn, deadline, &db->pool->aborted, &late)
                      : NULL;
  tp_rc rc = TP_OK;
  if (res == NULL || PQresultStatus(res) != PGRES_COPY_IN) {
    rc = res != NULL ? classify(res) : TP_ERR_UNAVAILABLE;
    PQclear(res);
    /* What remains of the command's results, so the connection is ready. */
    if (!late) PQclear(await_result(db->conn, deadline, &db->pool->aborted, &late));
  } else {
    PQclear(res);
    struct tp_textbuf lines;
    tp_textbuf_init(&lines, 64u * 1024u * 1024u);
    int more = 1, failed = 0;
    while (more == 1 && !failed) {
      tp_textbuf_clear(&lines);
      more = next(arg, &lines);
      failed = more < 0 || lines.failed ||
               (lines.len > 0 && copy_send(db->conn, lines.data, lines.len, deadline,
                                           &db->pool->aborted) != 0);
    }
    tp_textbuf_free(&lines);
    if (copy_end(db->conn, failed ? "the data could not be written" : NULL, deadline,
                 &db->pool->aborted) != 0) {
      failed = 1;
    }
    res = await_result(db->conn, deadline, &db->pool->aborted, &late);
    if (!late && res != NULL && PQresultStatus(res) != PGRES_COMMAND_OK) rc = classify(res);
    else if (!late && res == NULL) rc = TP_ERR_UNAVAILABLE;
    if (failed && rc == TP_OK) rc = TP_ERR_NOMEM;
    PQclear(res);
  }
  return settled(db, late, rc);
}

tp_rc tp_db_page(struct tp_db *db, const char *sql, int nfilters, const char **params,
                 long limit, long offset, json_t **out) {
  char lim[24], off[24];
  snprintf(lim, sizeof(lim), "%ld", limit);
  snprintf(off, sizeof(off), "%ld", offset);
  params[nfilters] = lim;
  params[nfilters + 1] = off;
  return tp_db_json(db, sql, nfilters + 2, params, out);
}
