/* Municipalities. */
#include "collection.h"

#include "teamplotter/gemeenten_repo.h"
#include "teamplotter/paging.h"
#include "teamplotter/routes.h"

#define ZOEK_MAX 100

static const char *const PROVINCIES[] = {
    "Drenthe",       "Flevoland",     "Friesland", "Gelderland", "Groningen",    "Limburg",
    "Noord-Brabant", "Noord-Holland", "Overijssel", "Utrecht",   "Zeeland",      "Zuid-Holland",
    NULL,
};

static void list_gemeenten(struct tp_ctx *ctx) {
  struct tp_params params;
  struct tp_paging paging;
  struct tp_gemeenten_filter filter;
  tp_params_parse(&params, ctx->query);
  tp_paging_read(&params, &paging);
  tp_param_enum(&params, "provincie", PROVINCIES, &filter.provincie);
  tp_param_bool(&params, "referentie", &filter.referentie);
  tp_param_long(&params, "grootteklasse", 1, 8, 0, &filter.grootteklasse);
  tp_param_text(&params, "zoek", 1, ZOEK_MAX, &filter.zoek);
  tp_api_list(ctx, &params, &paging, tp_repo_gemeenten_page, &filter);
  tp_params_free(&params);
}

static void get_gemeente(struct tp_ctx *ctx) {
  tp_api_item(ctx, tp_repo_gemeente, "Deze gemeente");
}

const struct tp_route tp_routes_gemeenten[] = {
    {"GET", "/api/v1/gemeenten", list_gemeenten, NULL, TP_ROUTE_CACHED},
    {"GET", "/api/v1/gemeenten/{code}", get_gemeente, NULL, TP_ROUTE_CACHED},
    {0},
};
