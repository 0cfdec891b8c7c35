/* The catalogue's versions: when, by which client and what changed, and
 * per version the changed documents before and after (its audit trail). */
#include "collection.h"

#include "teamplotter/catalogusbeheer_repo.h"
#include "teamplotter/paging.h"
#include "teamplotter/routes.h"

static void list_versies(struct tp_ctx *ctx) {
  tp_api_list_plain(ctx, tp_repo_catalogusversies_page);
}

static void get_versie(struct tp_ctx *ctx) {
  tp_api_item(ctx, tp_repo_catalogusversie, "Deze catalogusversie");
}

static void list_wijzigingen(struct tp_ctx *ctx) {
  const char *versie = tp_path_var(ctx, 0);
  json_t *doc = NULL;
  struct tp_params params;
  struct tp_paging paging;
  tp_params_parse(&params, ctx->query);
  tp_paging_read(&params, &paging);
  tp_rc rc = tp_api_fetch(ctx, tp_repo_catalogusversie, versie, &doc);
  if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "Deze catalogusversie");
  } else {
    tp_api_list(ctx, &params, &paging, tp_repo_catalogus_wijzigingen_page, versie);
  }
  json_decref(doc);
  tp_params_free(&params);
}

/* Versions only come with a catalogue change, which also moves the
 * snapshot version: the answers can be cached per snapshot. */
const struct tp_route tp_routes_catalogusversies[] = {
    {"GET", "/api/v1/catalogusversies", list_versies, NULL, TP_ROUTE_CACHED},
    {"GET", "/api/v1/catalogusversies/{versie}", get_versie, NULL, TP_ROUTE_CACHED},
    {"GET", "/api/v1/catalogusversies/{versie}/wijzigingen", list_wijzigingen, NULL,
     TP_ROUTE_CACHED},
    {0},
};
