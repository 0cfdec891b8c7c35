#include "teamplotter/metrics.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orcania.h>

#include "teamplotter/router.h"
#include "teamplotter/textbuf.h"

static const int STATUSES[] = {200, 201, 204, 304, 400, 401, 403, 404, 405, 406,
                               409, 412, 413, 415, 428, 500, 503};
#define N_STATUSES (sizeof(STATUSES) / sizeof(STATUSES[0]))
#define STATUS_OTHER N_STATUSES /* any status not listed, labelled "other" */

static const double BUCKETS[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                 0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
#define N_BUCKETS (sizeof(BUCKETS) / sizeof(BUCKETS[0]))

struct route_stats {
  atomic_ulong by_status[N_STATUSES + 1];
  atomic_ulong buckets[N_BUCKETS]; /* not cumulative; summed when rendered */
  atomic_ulong count;
  atomic_ullong sum_ns;
};

struct tp_metrics {
  const struct tp_router *router;
  size_t n_routes; /* routes + 1 for "unmatched" */
  struct route_stats *stats;
};

tp_rc tp_metrics_create(struct tp_metrics **out, const struct tp_router *router) {
  struct tp_metrics *m = o_malloc(sizeof(*m));
  if (m == NULL) return TP_ERR_NOMEM;
  m->router = router;
  m->n_routes = tp_router_count(router) + 1;
  m->stats = calloc(m->n_routes, sizeof(*m->stats));
  if (m->stats == NULL) {
    o_free(m);
    return TP_ERR_NOMEM;
  }
  *out = m;
  return TP_OK;
}

void tp_metrics_destroy(struct tp_metrics *metrics) {
  if (metrics == NULL) return;
  free(metrics->stats);
  o_free(metrics);
}

void tp_metrics_observe(struct tp_metrics *metrics, size_t route_index, int status,
                        double seconds) {
  if (route_index >= metrics->n_routes) route_index = metrics->n_routes - 1;
  struct route_stats *s = &metrics->stats[route_index];
  size_t si = STATUS_OTHER;
  for (size_t i = 0; i < N_STATUSES; i++) {
    if (STATUSES[i] == status) si = i;
  }
  atomic_fetch_add_explicit(&s->by_status[si], 1, memory_order_relaxed);
  for (size_t b = 0; b < N_BUCKETS; b++) {
    if (seconds <= BUCKETS[b]) {
      atomic_fetch_add_explicit(&s->buckets[b], 1, memory_order_relaxed);
      break;
    }
  }
  atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&s->sum_ns, (unsigned long long)(seconds * 1e9),
                            memory_order_relaxed);
}

/* The exposition grows with the routes, never without bound. */
#define METRICS_TEXT_LIMIT (4 * 1024 * 1024)

static void labels(const struct tp_metrics *m, size_t r, char *out, size_t outlen) {
  const struct tp_route *route = tp_router_route(m->router, r);
  if (route == NULL) {
    snprintf(out, outlen, "method=\"ANY\",route=\"unmatched\"");
  } else {
    snprintf(out, outlen, "method=\"%s\",route=\"%s\"", route->method, route->pattern);
  }
}

char *tp_metrics_render(const struct tp_metrics *metrics, const struct tp_gauges *gauges,
                        const char *api_version) {
  struct tp_textbuf b;
  tp_textbuf_init(&b, METRICS_TEXT_LIMIT);
  char lbl[256];

  tp_textbuf_puts(&b,
                  "# HELP teamplotter_http_requests_total HTTP requests by route template "
                  "and status.\n"
                  "# TYPE teamplotter_http_requests_total counter\n");
  for (size_t r = 0; r < metrics->n_routes; r++) {
    labels(metrics, r, lbl, sizeof(lbl));
    for (size_t s = 0; s <= N_STATUSES; s++) {
      unsigned long v = atomic_load(&metrics->stats[r].by_status[s]);
      if (v == 0) continue;
      if (s == STATUS_OTHER) {
        tp_textbuf_printf(&b, "teamplotter_http_requests_total{%s,code=\"other\"} %lu\n", lbl, v);
      } else {
        tp_textbuf_printf(&b, "teamplotter_http_requests_total{%s,code=\"%d\"} %lu\n", lbl,
                          STATUSES[s], v);
      }
    }
  }

  tp_textbuf_puts(&b,
                  "# HELP teamplotter_http_request_duration_seconds Time from routing to "
                  "response, by route template.\n"
                  "# TYPE teamplotter_http_request_duration_seconds histogram\n");
  for (size_t r = 0; r < metrics->n_routes; r++) {
    const struct route_stats *s = &metrics->stats[r];
    unsigned long count = atomic_load(&s->count);
    if (count == 0) continue;
    labels(metrics, r, lbl, sizeof(lbl));
    unsigned long cumulative = 0;
    for (size_t i = 0; i < N_BUCKETS; i++) {
      cumulative += atomic_load(&s->buckets[i]);
      tp_textbuf_printf(&b, "teamplotter_http_request_duration_seconds_bucket{%s,le=\"%g\"} %lu\n",
                        lbl, BUCKETS[i], cumulative);
    }
    tp_textbuf_printf(&b, "teamplotter_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %lu\n",
                      lbl, count);
    tp_textbuf_printf(&b, "teamplotter_http_request_duration_seconds_sum{%s} %.9f\n", lbl,
                      (double)atomic_load(&s->sum_ns) / 1e9);
    tp_textbuf_printf(&b, "teamplotter_http_request_duration_seconds_count{%s} %lu\n", lbl, count);
  }

  tp_textbuf_printf(&b,
                    "# HELP teamplotter_db_pool_connections_in_use PostgreSQL connections "
                    "checked out.\n"
                    "# TYPE teamplotter_db_pool_connections_in_use gauge\n"
                    "teamplotter_db_pool_connections_in_use %u\n"
                    "# HELP teamplotter_db_pool_connections_max Size of the PostgreSQL "
                    "connection pool.\n"
                    "# TYPE teamplotter_db_pool_connections_max gauge\n"
                    "teamplotter_db_pool_connections_max %u\n",
                    gauges->pool_in_use, gauges->pool_size);
  tp_textbuf_printf(&b,
                    "# HELP teamplotter_http_connections Open connections on the public port.\n"
                    "# TYPE teamplotter_http_connections gauge\n"
                    "teamplotter_http_connections %ld\n",
                    gauges->connections);
  tp_textbuf_printf(&b,
                    "# HELP teamplotter_build_info API version of this build.\n"
                    "# TYPE teamplotter_build_info gauge\n"
                    "teamplotter_build_info{version=\"%s\"} 1\n",
                    api_version ? api_version : "unknown");
  return tp_textbuf_finish(&b, NULL);
}
