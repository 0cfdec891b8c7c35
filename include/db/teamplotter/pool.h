#ifndef TEAMPLOTTER_POOL_H
#define TEAMPLOTTER_POOL_H

#include "teamplotter/status.h"

/* A bounded pool of PostgreSQL connections. Each connection is used by one
 * thread at a time; the pool is what bounds database load, since HTTP worker
 * threads are not tied to connections. Thread-safe. */
struct tp_pool;

/* One checked-out connection. Opaque outside service/db. */
struct tp_db;

/* Creates a pool of `size` connections to `conninfo`. Connections open
 * lazily, so the pool can start while PostgreSQL is down. An acquire waits at
 * most `wait_ms` for a free connection. */
tp_rc tp_pool_create(struct tp_pool **out, const char *conninfo, unsigned size,
                     unsigned wait_ms);

/* Closes every connection; no connection may be checked out. NULL-safe. */
void tp_pool_destroy(struct tp_pool *pool);

/* Checks out a connection that is open, idle and outside any transaction.
 * TP_ERR_UNAVAILABLE when none is free within the wait or PostgreSQL cannot
 * be reached. Give it back with tp_pool_release. */
tp_rc tp_pool_acquire(struct tp_pool *pool, struct tp_db **out);

/* Returns a connection; rolls back a transaction left open. NULL-safe. */
void tp_pool_release(struct tp_pool *pool, struct tp_db *db);

/* For shutdown: every wait for PostgreSQL, running or to come, ends at
 * once as if its deadline had passed (TP_ERR_UNAVAILABLE), so that no
 * thread stays blocked on a database that does not answer. */
void tp_pool_abort(struct tp_pool *pool);

/* Runs a trivial query on a pooled connection: TP_OK when PostgreSQL
 * answers. Never waits for a connection: TP_ERR_BUSY when none is free
 * (the pool is busy, which says nothing about PostgreSQL). */
tp_rc tp_pool_ping(struct tp_pool *pool);

/* Current number of checked-out connections and the pool size. */
void tp_pool_stats(struct tp_pool *pool, unsigned *in_use, unsigned *size);

#endif
