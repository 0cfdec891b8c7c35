/* Success factors and the success stories of the seven, and the sources
 * every fact cites. */
#include "catalogusbeheer.h"
#include "collection.h"

#include "teamplotter/routes.h"
#include "teamplotter/succes_repo.h"

static void list_succesfactoren(struct tp_ctx *ctx) {
  tp_api_list_plain(ctx, tp_repo_succesfactoren_page);
}

static void get_succesfactor(struct tp_ctx *ctx) {
  tp_api_item(ctx, tp_repo_succesfactor, "Deze succesfactor");
}

static void put_succesfactor(struct tp_ctx *ctx) {
  tp_api_catalogus_put(ctx, TP_CAT_SUCCESFACTOR);
}

static void delete_succesfactor(struct tp_ctx *ctx) {
  tp_api_catalogus_delete(ctx, TP_CAT_SUCCESFACTOR);
}

static void list_succesverhalen(struct tp_ctx *ctx) {
  tp_api_list_plain(ctx, tp_repo_succesverhalen_page);
}

static void get_succesverhaal(struct tp_ctx *ctx) {
  tp_api_item(ctx, tp_repo_succesverhaal, "Een succesverhaal van deze gemeente");
}

static void list_bronnen(struct tp_ctx *ctx) { tp_api_list_plain(ctx, tp_repo_bronnen_page); }

const struct tp_route tp_routes_succesfactoren[] = {
    {"GET", "/api/v1/succesfactoren", list_succesfactoren, NULL, TP_ROUTE_CACHED},
    {"GET", "/api/v1/succesfactoren/{code}", get_succesfactor, NULL, TP_ROUTE_CACHED},
    {"PUT", "/api/v1/succesfactoren/{code}", put_succesfactor, NULL, TP_ROUTE_JSON_BODY},
    {"DELETE", "/api/v1/succesfactoren/{code}", delete_succesfactor, NULL, 0},
    {0},
};

const struct tp_route tp_routes_succesverhalen[] = {
    {"GET", "/api/v1/succesverhalen", list_succesverhalen, NULL, TP_ROUTE_CACHED},
    {"GET", "/api/v1/succesverhalen/{gemeentecode}", get_succesverhaal, NULL, TP_ROUTE_CACHED},
    {0},
};

const struct tp_route tp_routes_bronnen[] = {
    {"GET", "/api/v1/bronnen", list_bronnen, NULL, TP_ROUTE_CACHED},
    {0},
};
