#ifndef TEAMPLOTTER_DB_PG_H
#define TEAMPLOTTER_DB_PG_H

/* Private to service/db: the libpq side of a pooled connection. Repos use
 * these; handlers never see a PGresult. */

#include <stdatomic.h>

#include <libpq-fe.h>

#include "teamplotter/pool.h"
#include "teamplotter/repo.h"
#include "teamplotter/textbuf.h"

PGconn *tp_db_conn(struct tp_db *db);

/* Lets the statements of this checkout take up to `ms` each (default 3 s)
 * before the connection is given up: for the few that read a whole data
 * set at once. */
void tp_db_set_deadline(struct tp_db *db, long ms);

/* Opens a connection the way the pool does: a connect timeout, TCP
 * keepalives, `application_name` and JIT off, each overridable by
 * `conninfo`. */
PGconn *tp_db_connect(const char *conninfo, const char *application_name);

/* Runs `sql` (no parameters) on a connection of one's own (not pooled) and
 * waits at most `ms` for its last result, or less when *cancel (when given)
 * turns non-zero. NULL with *late set when the time ran out: the
 * connection is then in an unknown state, close it. */
PGresult *tp_pg_exec_within(PGconn *conn, const char *sql, long ms, atomic_int *cancel,
                            int *late);

/* Runs one parameterised statement. Returns the result on success (the
 * caller PQclears it) or NULL with *rc set: TP_ERR_UNAVAILABLE when the
 * connection is gone, else what the error's SQLSTATE means
 * (tp_pg_error_rc); the server's message goes to the log only. Outside a
 * transaction a statement that failed on a broken connection is retried
 * once on a fresh one, and one that lost to a concurrent transaction is
 * run once more. */
PGresult *tp_db_exec(struct tp_db *db, const char *sql, int nparams,
                     const char *const *params, tp_rc *rc);

/* tp_db_exec for a statement whose rows nobody reads. */
tp_rc tp_db_run(struct tp_db *db, const char *sql, int nparams, const char *const *params);

/* BEGIN, COMMIT and ROLLBACK. */
tp_rc tp_db_begin(struct tp_db *db);
/* BEGIN a read-only transaction that sees one snapshot throughout. */
tp_rc tp_db_begin_read(struct tp_db *db);
/* COMMIT: TP_OK when PostgreSQL confirmed it; TP_ERR_OUTCOME_UNKNOWN when
 * the COMMIT of a tp_db_begin transaction was sent but its answer never
 * came (the deadline passed or the connection died): the writes may or may
 * not be stored. Any other error means they were not. */
tp_rc tp_db_commit(struct tp_db *db);
void tp_db_rollback(struct tp_db *db);

/* One attempt at the work of a transaction, between its BEGIN and COMMIT.
 * It starts from scratch each time (resetting what it gives back). */
typedef tp_rc (*tp_db_work)(struct tp_db *db, void *arg);

/* Runs `work` in a transaction (BEGIN, COMMIT; ROLLBACK when anything
 * fails). A transaction that lost to a concurrent one (TP_ERR_CONCURRENT:
 * a serialization failure or deadlock, nothing stored) runs once more; a
 * second loss is returned. COMMIT as tp_db_commit. */
tp_rc tp_db_transaction(struct tp_db *db, tp_db_work work, void *arg);


#include <jansson.h>

/* Runs a statement that returns one row whose first column is JSON text,
 * and parses it into *out (new reference). TP_ERR_NOT_FOUND when there is
 * no row or the value is NULL. */
tp_rc tp_db_json(struct tp_db *db, const char *sql, int nparams, const char *const *params,
                 json_t **out);

/* Runs a statement and gives its rows to `row` one by one as they arrive
 * (libpq's single-row mode), so a result of any size never sits in memory
 * whole. `values` holds the row's columns as text (NULL for SQL NULL),
 * at most TP_ROW_MAX_COLUMNS of them, valid during the call. A `row` that
 * returns non-zero (out of memory) gets no more rows, and the call returns
 * TP_ERR_NOMEM once the result is read to its end. */
tp_rc tp_db_each_row(struct tp_db *db, const char *sql, int nparams, const char *const *params,
                     tp_row_fn row, void *arg);

/* Writes the next lines of a COPY ... FROM STDIN into `out` (text format,
 * each line ending in a newline; tp_copy_field escapes a field): 1 when
 * more follow, 0 after the last, -1 when it cannot go on (the COPY is then
 * aborted). `out` is sent and emptied after each call. */
typedef int (*tp_copy_fn)(void *arg, struct tp_textbuf *out);

/* Runs `sql`, a COPY ... FROM STDIN without parameters, with the lines
 * `next` writes, sent as they are written: a large data set is never held
 * whole, neither here nor in libpq. Errors as tp_db_exec (no retry: it
 * belongs in a transaction). */
tp_rc tp_db_copy_in(struct tp_db *db, const char *sql, tp_copy_fn next, void *arg);

/* Appends `n` bytes of `s` as one field of COPY's text format (NULL: SQL
 * NULL), escaping what the format gives a meaning. */
void tp_copy_field(struct tp_textbuf *out, const char *s, size_t n);

/* Runs a page query: `params` holds the filter parameters, after which
 * LIMIT and OFFSET are bound as the next two ($n+1, $n+2). */
tp_rc tp_db_page(struct tp_db *db, const char *sql, int nfilters, const char **params,
                 long limit, long offset, json_t **out);

/* The shape of every page query, assembled at compile time: `cte` selects
 * (doc, ordering columns) of the filtered rows (not materialised, so the
 * count builds no documents and the page only its own), `order` orders them, and
 * `unknown` is a JSON array naming filters whose value does not exist.
 * LIMIT and OFFSET are parameters `lim` and `off`. */
#define TP_PAGE_SQL(cte, order, lim, off, unknown)                                     \
  "WITH f AS NOT MATERIALIZED (" cte ") "                                                                \
  "SELECT json_build_object("                                                           \
  "'count', (SELECT count(*) FROM f), "                                                 \
  "'results', coalesce((SELECT json_agg(p.doc ORDER BY " order ") FROM "                \
  "(SELECT * FROM f ORDER BY " order " LIMIT " lim " OFFSET " off ") p), '[]'::json), " \
  "'onbekend', " unknown ")::text"

/* No filter whose value can be unknown. */
#define TP_NONE_UNKNOWN "'[]'::json"

/* A boolean filter as a text parameter: NULL when not given (-1). */
static inline const char *tp_db_bool(int v) { return v < 0 ? NULL : v ? "true" : "false"; }

#endif
