#ifndef TEAMPLOTTER_METRICS_H
#define TEAMPLOTTER_METRICS_H

#include <stddef.h>

#include "teamplotter/status.h"

struct tp_router;

/* Request counters and latency histograms per route, lock-free (atomics).
 * Route index `tp_router_count()` stands for "no route matched". */
struct tp_metrics;

tp_rc tp_metrics_create(struct tp_metrics **out, const struct tp_router *router);
void tp_metrics_destroy(struct tp_metrics *metrics);

void tp_metrics_observe(struct tp_metrics *metrics, size_t route_index, int status,
                        double seconds);

/* What the exposition shows beside the request counters, read by the
 * caller from the layers that own it. */
struct tp_gauges {
  long connections;     /* open connections on the public port */
  unsigned pool_in_use; /* PostgreSQL connections checked out */
  unsigned pool_size;   /* size of the connection pool */
};

/* The Prometheus text exposition (format 0.0.4). Caller free()s; NULL when
 * out of memory. */
char *tp_metrics_render(const struct tp_metrics *metrics, const struct tp_gauges *gauges,
                        const char *api_version);

#endif
