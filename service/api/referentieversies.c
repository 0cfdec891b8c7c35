/* The reference set's versions: when and from which file the seven
 * reference profiles changed, and per version each changed profile before
 * and after. */
#include "collection.h"

#include "teamplotter/referentieversies_repo.h"
#include "teamplotter/routes.h"

static void list_versies(struct tp_ctx *ctx) {
  tp_api_list_plain(ctx, tp_repo_referentieversies_page);
}

static void get_versie(struct tp_ctx *ctx) {
  tp_api_item(ctx, tp_repo_referentieversie, "Deze referentieversie");
}

/* A version only comes with an import that changes the reference
 * profiles, which also moves the snapshot version: the answers can be
 * cached per snapshot. */
const struct tp_route tp_routes_referentieversies[] = {
    {"GET", "/api/v1/referentieversies", list_versies, NULL, TP_ROUTE_CACHED},
    {"GET", "/api/v1/referentieversies/{versie}", get_versie, NULL, TP_ROUTE_CACHED},
    {0},
};
