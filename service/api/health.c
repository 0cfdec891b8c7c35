/* Operational endpoints, outside the versioned API and its spec, served on
 * the admin listener (TEAMPLOTTER_ADMIN_PORT). */
#include <stdlib.h>
#include <string.h>

#include "teamplotter/app.h"
#include "teamplotter/metrics.h"
#include "teamplotter/pool.h"
#include "teamplotter/routes.h"
#include "teamplotter/snapshot.h"

static void livez(struct tp_ctx *ctx) {
  static const char body[] = "{\"status\":\"pass\"}";
  tp_respond_bytes(ctx, 200, "application/json", body, sizeof(body) - 1);
}

static void readyz(struct tp_ctx *ctx) {
  static const char body[] = "{\"status\":\"pass\"}";
  /* A load balancer stops sending new requests before the listener closes. */
  if (atomic_load(&ctx->app->draining)) {
    tp_problem(ctx, 503, NULL, "De service stopt.");
    return;
  }
  /* A busy pool is no reason to drain the replica: then the listener's
   * confirmation below says whether PostgreSQL answers. */
  tp_rc rc = tp_pool_ping(ctx->app->pool);
  if (rc != TP_OK && rc != TP_ERR_BUSY) {
    tp_problem(ctx, 503, NULL, "PostgreSQL is niet bereikbaar.");
    return;
  }
  /* The database answers, but this replica may not have seen its latest
   * catalogue (a listener that hangs): not ready until it has. */
  if (!tp_snapshots_fresh(ctx->app->snapshots)) {
    tp_problem(ctx, 503, NULL, "De catalogus in het geheugen is niet bevestigd als de actuele.");
    return;
  }
  tp_respond_bytes(ctx, 200, "application/json", body, sizeof(body) - 1);
}

static void metrics(struct tp_ctx *ctx) {
  struct tp_gauges gauges = {.connections = atomic_load(&ctx->app->connections)};
  tp_pool_stats(ctx->app->pool, &gauges.pool_in_use, &gauges.pool_size);
  char *text = tp_metrics_render(ctx->app->metrics, &gauges, ctx->app->api_version);
  if (text == NULL) {
    tp_problem(ctx, 500, NULL, "De metrieken konden niet worden opgebouwd.");
    return;
  }
  tp_respond_bytes(ctx, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
  free(text);
}

static const char *const TEXT_PLAIN[] = {"text/plain", NULL};

const struct tp_route tp_routes_health[] = {
    /* /livez and /readyz stay on the public port too, for the probes and
     * load balancers configured before the admin listener existed. */
    {"GET", "/livez", livez, NULL, TP_ROUTE_ADMIN},
    {"GET", "/readyz", readyz, NULL, TP_ROUTE_ADMIN},
    {"GET", "/metrics", metrics, TEXT_PLAIN, TP_ROUTE_ADMIN_ONLY},
    {0},
};
