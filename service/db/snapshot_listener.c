/* The snapshot listener: LISTEN/NOTIFY and a version check on a connection
 * of its own, every statement with a deadline. */
#include "teamplotter/snapshot_listener.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>
#include <orcania.h>

#include "pg.h"

#include "teamplotter/log.h"
#include "teamplotter/snapshot.h"

/* How often the listener checks the version when no notification came. */
#define POLL_MS 500
/* How long each of the listener's statements may take before its
 * connection is replaced: a backend that hangs must not leave the replica
 * on an old version. */
#define LISTENER_DEADLINE_MS 2000

struct tp_snapshot_listener {
  struct tp_snapshots *store;
  char *conninfo;
  pthread_t thread;
  atomic_int stop;
};

/* The version the database holds, on the listener's own connection; -1
 * when it cannot say, with *late set when it did not answer in time. */
static long db_version(struct tp_snapshot_listener *l, PGconn *conn, int *late) {
  PGresult *res = tp_pg_exec_within(conn, "SELECT versie FROM snapshot", LISTENER_DEADLINE_MS,
                                    &l->stop, late);
  long v = -1;
  if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
    v = strtol(PQgetvalue(res, 0, 0), NULL, 10);
  }
  PQclear(res);
  return v;
}

/* Sleeps `ms`, or less when the listener is stopping. */
static void nap_ms(struct tp_snapshot_listener *l, long ms) {
  struct timespec t = {0, 50 * 1000000L};
  for (long slept = 0; slept < ms && !atomic_load(&l->stop); slept += 50) nanosleep(&t, NULL);
}

/* A new listening connection, or NULL. */
static PGconn *listen_connect(struct tp_snapshot_listener *l) {
  PGconn *conn = tp_db_connect(l->conninfo, "teamplotter-listener");
  int late = 0;
  PGresult *res = PQstatus(conn) == CONNECTION_OK
                      ? tp_pg_exec_within(conn,
                                          "LISTEN teamplotter_snapshot;"
                                          " LISTEN teamplotter_teamprofielen",
                                          LISTENER_DEADLINE_MS, &l->stop, &late)
                      : NULL;
  int ok = res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK;
  PQclear(res);
  /* What changed while nobody listened is not known: all of it. */
  if (ok) tp_snapshots_profiles_changed(l->store);
  if (ok) return conn;
  PQfinish(conn);
  return NULL;
}

/* Keeps the snapshot current: a notification or, failing that, a version
 * check every POLL_MS triggers a reload. Every statement has a deadline,
 * and a connection that misses one is replaced, so that neither a hung
 * backend nor a shutdown finds the listener stuck. Each check that finds
 * the current version confirms the snapshot as fresh. */
static void *listen_loop(void *arg) {
  struct tp_snapshot_listener *l = arg;
  PGconn *conn = NULL;
  while (!atomic_load(&l->stop)) {
    int wait_ms = POLL_MS;
    if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
      PQfinish(conn);
      conn = listen_connect(l);
      if (conn == NULL) {
        nap_ms(l, POLL_MS);
        continue;
      }
      wait_ms = 0; /* a new connection checks at once */
    }
    struct pollfd p = {PQsocket(conn), POLLIN, 0};
    int ready = poll(&p, 1, wait_ms);
    int notified = 0;
    if (ready > 0) {
      PQconsumeInput(conn);
      PGnotify *n;
      while ((n = PQnotifies(conn)) != NULL) {
        if (strcmp(n->relname, "teamplotter_teamprofielen") == 0) {
          tp_snapshots_profiles_changed(l->store);
        } else {
          notified = 1;
        }
        PQfreemem(n);
      }
    }
    int late = 0;
    long v = db_version(l, conn, &late);
    if (late) {
      if (!atomic_load(&l->stop)) {
        tp_log_warning("snapshot: the listener's connection gave no answer within %d ms; "
                       "replacing it", LISTENER_DEADLINE_MS);
      }
      PQfinish(conn);
      conn = NULL;
      continue;
    }
    long have = tp_snapshots_version(l->store);
    if (have < 0) {
      tp_snapshots_reload(l->store, -1); /* the first snapshot, before any request asks */
    } else if (v >= 0 && (notified || v != have)) {
      tp_snapshots_reload(l->store, v);
    }
    if (v >= 0) tp_snapshots_confirm(l->store, v);
  }
  PQfinish(conn);
  return NULL;
}

tp_rc tp_snapshot_listener_start(struct tp_snapshot_listener **out, struct tp_snapshots *store,
                                 const char *conninfo) {
  struct tp_snapshot_listener *l = o_malloc(sizeof(*l));
  if (l == NULL) return TP_ERR_NOMEM;
  l->store = store;
  l->conninfo = o_strdup(conninfo);
  atomic_init(&l->stop, 0);
  if (l->conninfo == NULL || pthread_create(&l->thread, NULL, listen_loop, l) != 0) {
    o_free(l->conninfo);
    o_free(l);
    return TP_ERR_NOMEM;
  }
  *out = l;
  return TP_OK;
}

void tp_snapshot_listener_stop(struct tp_snapshot_listener *l) {
  if (l == NULL) return;
  atomic_store(&l->stop, 1);
  pthread_join(l->thread, NULL);
  o_free(l->conninfo);
  o_free(l);
}
