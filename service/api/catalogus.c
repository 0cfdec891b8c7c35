/* The role catalogue: role families, roles and competencies; reads for
 * everyone, writes for VNG (catalogusbeheer.c). */
#include "catalogusbeheer.h"
#include "collection.h"

#include "teamplotter/catalogus_repo.h"
#include "teamplotter/paging.h"
#include "teamplotter/routes.h"

#define CODE_MAX 100
#define ZOEK_MAX 100

static void list_rolfamilies(struct tp_ctx *ctx) {
  tp_api_list_plain(ctx, tp_repo_rolfamilies_page);
}

static void get_rolfamilie(struct tp_ctx *ctx) {
  tp_api_item(ctx, tp_repo_rolfamilie, "Deze rolfamilie");
}

static void put_rolfamilie(struct tp_ctx *ctx) { tp_api_catalogus_put(ctx, TP_CAT_ROLFAMILIE); }

static void delete_rolfamilie(struct tp_ctx *ctx) {
  tp_api_catalogus_delete(ctx, TP_CAT_ROLFAMILIE);
}

static void list_rollen(struct tp_ctx *ctx) {
  struct tp_params params;
  struct tp_paging paging;
  struct tp_rollen_filter filter;
  tp_params_parse(&params, ctx->query);
  tp_paging_read(&params, &paging);
  tp_param_text(&params, "familie", 1, CODE_MAX, &filter.familie);
  tp_param_bool(&params, "kernrol", &filter.kernrol);
  tp_param_text(&params, "zoek", 1, ZOEK_MAX, &filter.zoek);
  tp_api_list(ctx, &params, &paging, tp_repo_rollen_page, &filter);
  tp_params_free(&params);
}

static void get_rol(struct tp_ctx *ctx) { tp_api_item(ctx, tp_repo_rol, "Deze rol"); }

static void put_rol(struct tp_ctx *ctx) { tp_api_catalogus_put(ctx, TP_CAT_ROL); }

static void delete_rol(struct tp_ctx *ctx) { tp_api_catalogus_delete(ctx, TP_CAT_ROL); }

static void list_competenties(struct tp_ctx *ctx) {
  struct tp_params params;
  struct tp_paging paging;
  struct tp_zoek_filter filter;
  tp_params_parse(&params, ctx->query);
  tp_paging_read(&params, &paging);
  tp_param_text(&params, "zoek", 1, ZOEK_MAX, &filter.zoek);
  tp_api_list(ctx, &params, &paging, tp_repo_competenties_page, &filter);
  tp_params_free(&params);
}

static void get_competentie(struct tp_ctx *ctx) {
  tp_api_item(ctx, tp_repo_competentie, "Deze competentie");
}

static void put_competentie(struct tp_ctx *ctx) { tp_api_catalogus_put(ctx, TP_CAT_COMPETENTIE); }

static void delete_competentie(struct tp_ctx *ctx) {
  tp_api_catalogus_delete(ctx, TP_CAT_COMPETENTIE);
}

const struct tp_route tp_routes_rolfamilies[] = {
    {"GET", "/api/v1/rolfamilies", list_rolfamilies, NULL, TP_ROUTE_CACHED},
    {"GET", "/api/v1/rolfamilies/{code}", get_rolfamilie, NULL, TP_ROUTE_CACHED},
    {"PUT", "/api/v1/rolfamilies/{code}", put_rolfamilie, NULL, TP_ROUTE_JSON_BODY},
    {"DELETE", "/api/v1/rolfamilies/{code}", delete_rolfamilie, NULL, 0},
    {0},
};

const struct tp_route tp_routes_rollen[] = {
    {"GET", "/api/v1/rollen", list_rollen, NULL, TP_ROUTE_CACHED},
    {"GET", "/api/v1/rollen/{code}", get_rol, NULL, TP_ROUTE_CACHED},
    {"PUT", "/api/v1/rollen/{code}", put_rol, NULL, TP_ROUTE_JSON_BODY},
    {"DELETE", "/api/v1/rollen/{code}", delete_rol, NULL, 0},
    {0},
};

const struct tp_route tp_routes_competenties[] = {
    {"GET", "/api/v1/competenties", list_competenties, NULL, TP_ROUTE_CACHED},
    {"GET", "/api/v1/competenties/{code}", get_competentie, NULL, TP_ROUTE_CACHED},
    {"PUT", "/api/v1/competenties/{code}", put_competentie, NULL, TP_ROUTE_JSON_BODY},
    {"DELETE", "/api/v1/competenties/{code}", delete_competentie, NULL, 0},
    {0},
};
