#ifndef TEAMPLOTTER_APP_H
#define TEAMPLOTTER_APP_H

#include <stdatomic.h>

#include <jansson.h>

#include "teamplotter/config.h"
#include "teamplotter/slot.h"
#include "teamplotter/status.h"

struct tp_pool;
struct tp_router;
struct tp_metrics;
struct tp_snapshot;
struct tp_snapshots;

/* What http/ needs of the database layer, which it may not call
 * (docs/architecture.md): the wiring (service/server.c) points these at
 * the functions of db/, tests at stand-ins. http/ passes the pool and the
 * store through without looking into them. */
struct tp_ports {
  /* The current snapshot, loading it when there is none yet (snapshot.h). */
  tp_rc (*snapshot_acquire)(struct tp_snapshots *store, struct tp_snapshot **out);
  /* The current snapshot only when one is loaded. */
  tp_rc (*snapshot_acquire_loaded)(struct tp_snapshots *store, struct tp_snapshot **out);
  void (*snapshot_release)(struct tp_snapshots *store, struct tp_snapshot *snap);
  /* What a snapshot keeps for a slot type (the response cache). */
  void *(*snapshot_slot)(struct tp_snapshot *snap, const struct tp_slot_type *type);
  /* The client document of `client_id` with its secret
   * (tp_repo_client), on a connection of the pool; TP_ERR_NOT_FOUND when
   * there is none. */
  tp_rc (*client)(struct tp_pool *pool, const char *client_id, json_t **client);
};

/* What every handler may read. Set up once before the server starts; the
 * pool and metrics bring their own locking. */
struct tp_app {
  const struct tp_config *cfg;
  struct tp_pool *pool;
  struct tp_router *router;
  struct tp_metrics *metrics;
  struct tp_snapshots *snapshots; /* catalogue, references, response cache */
  const struct tp_ports *ports;
  const char *api_version; /* info.version of the embedded spec */
  atomic_long connections;  /* open connections on the public port */
  atomic_long in_flight;   /* requests started and not yet completed */
  atomic_long handling;    /* requests whose handler is running */
  atomic_int draining;     /* SIGTERM received: answers close their connection */
};

#endif
