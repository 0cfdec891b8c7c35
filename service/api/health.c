/* Operational endpoints, outside the versioned API and its spec. */
#include <stdlib.h>
#include <string.h>

#include "teamplotter/api.h"
#include "teamplotter/app.h"
#include "teamplotter/metrics.h"

static void livez(struct tp_ctx *ctx) {
  static const char body[] = "{\"status\":\"pass\"}";
  tp_respond_bytes(ctx, 200, "application/json", body, sizeof(body) - 1);
}

static void readyz(struct tp_ctx *ctx) {
  static const char body[] = "{\"status\":\"pass\"}";
  tp_rc rc = tp_pool_ping(ctx->app->pool);
  if (rc != TP_OK) {
    tp_problem(ctx, 503, NULL, "PostgreSQL is niet bereikbaar.");
    return;
  }
  tp_respond_bytes(ctx, 200, "application/json", body, sizeof(body) - 1);
}

static void metrics(struct tp_ctx *ctx) {
  char *text = tp_metrics_render(ctx->app->metrics, ctx->app->pool, ctx->app->api_version);
  if (text == NULL) {
    tp_problem(ctx, 500, NULL, "De metrieken konden niet worden opgebouwd.");
    return;
  }
  tp_respond_bytes(ctx, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
  free(text);
}

static const char *const TEXT_PLAIN[] = {"text/plain", NULL};

const struct tp_route tp_routes_health[] = {
    {"GET", "/livez", livez, NULL, 0},
    {"GET", "/readyz", readyz, NULL, 0},
    {"GET", "/metrics", metrics, TEXT_PLAIN, 0},
    {0},
};
