#ifndef TEAMPLOTTER_APP_H
#define TEAMPLOTTER_APP_H

#include <stdatomic.h>

#include "teamplotter/config.h"

struct tp_pool;
struct tp_router;
struct tp_metrics;
struct tp_snapshots;

/* What every handler may read. Set up once before the server starts; the
 * pool and metrics bring their own locking. */
struct tp_app {
  const struct tp_config *cfg;
  struct tp_pool *pool;
  struct tp_router *router;
  struct tp_metrics *metrics;
  struct tp_snapshots *snapshots; /* catalogue, references, response cache */
  const char *api_version; /* info.version of the embedded spec */
  atomic_long connections;  /* open connections on the public port */
  atomic_long in_flight;   /* requests started and not yet completed */
  atomic_long handling;    /* requests whose handler is running */
  atomic_int draining;     /* SIGTERM received: answers close their connection */
};

#endif
