/* The API root and the OpenAPI document. */
#include <stdio.h>
#include <string.h>

#include "teamplotter/app.h"
#include "teamplotter/embedded.h"
#include "teamplotter/routes.h"
#include "teamplotter/snapshot.h"

/* Collections listed in the root, in this order. */
static const char *const COLLECTIONS[] = {
    "rolfamilies", "rollen", "competenties", "succesfactoren", "gemeenten",
    "succesverhalen", "bronnen", "teamprofielen", "catalogusversies", "referentieversies",
    NULL,
};

static void root(struct tp_ctx *ctx) {
  if (tp_no_query(ctx) == TP_ANSWERED) return;
  struct tp_snapshot *snap;
  if (tp_ctx_snapshot(ctx, &snap) == TP_ANSWERED) return;
  const char *versie = json_string_value(json_object_get(snap->inputs, "catalogusVersie"));
  json_t *links = json_object();
  char href[128];
  for (size_t i = 0; COLLECTIONS[i] != NULL; i++) {
    snprintf(href, sizeof(href), "/api/v1/%s", COLLECTIONS[i]);
    json_object_set_new(links, COLLECTIONS[i], json_pack("{s:s}", "href", href));
  }
  json_object_set_new(links, "openapi", json_pack("{s:s}", "href", "/api/v1/openapi.json"));
  /* For people: the reference rendered from the spec, and the page. */
  json_object_set_new(links, "docs", json_pack("{s:s}", "href", "/docs"));
  json_object_set_new(links, "pagina", json_pack("{s:s}", "href", "/"));
  json_t *body = json_pack("{s:s, s:s, s:s, s:o}", "naam", "Teamplotter API", "apiVersie",
                           ctx->app->api_version, "catalogusVersie", versie ? versie : "", "links", links);
  tp_respond_json(ctx, 200, body);
  json_decref(body);
}

static void openapi_json(struct tp_ctx *ctx) {
  if (tp_no_query(ctx) == TP_ANSWERED) return;
  tp_respond_bytes(ctx, 200, "application/json", tp_embedded_openapi_json.data,
                   tp_embedded_openapi_json.len);
}

static void openapi_yaml(struct tp_ctx *ctx) {
  if (tp_no_query(ctx) == TP_ANSWERED) return;
  tp_respond_bytes(ctx, 200, "application/yaml", tp_embedded_openapi_yaml.data,
                   tp_embedded_openapi_yaml.len);
}

static const char *const YAML[] = {"application/yaml", "text/yaml", NULL};

const struct tp_route tp_routes_root[] = {
    {"GET", "/api/v1", root, NULL, TP_ROUTE_CACHED},
    /* The spec's server URL plus its path "/": where a generated client asks. */
    {"GET", "/api/v1/", root, NULL, TP_ROUTE_CACHED},
    {"GET", "/api/v1/openapi.json", openapi_json, NULL, TP_ROUTE_CORS_ANY | TP_ROUTE_CACHED},
    /* Two media types: not cached (the cache does not look at Accept). */
    {"GET", "/api/v1/openapi.yaml", openapi_yaml, YAML, TP_ROUTE_CORS_ANY | TP_ROUTE_PUBLIC},
    {0},
};
