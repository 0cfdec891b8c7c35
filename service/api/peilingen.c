/* Benchmark rounds (peilingen): the benchmark of all municipalities as of
 * a date, computed once, stored and then read as stored (docs/methode.md,
 * "Peilingen"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collection.h"

#include "teamplotter/app.h"
#include "teamplotter/auth.h"
#include "teamplotter/benchmark_repo.h"
#include "teamplotter/clock.h"
#include "teamplotter/paging.h"
#include "teamplotter/peiling.h"
#include "teamplotter/peilingen_repo.h"
#include "teamplotter/routes.h"
#include "teamplotter/snapshot.h"

static const char SCOPE_BEHEREN[] = "peilingen.beheren";
static const char SCOPE_LEZEN[] = "benchmarks.lezen";

/* As GET /benchmarks: the rows are computed on the memo's thread, and a
 * request waits this long for them before it is told to ask again (503,
 * Retry-After); storing them takes a fraction of a second. */
#define ROWS_WAIT_MS 1000

/* The rows of all as of `peildatum` and the round stored: TP_OK with the
 * round's document in *doc. */
static tp_rc maak(struct tp_ctx *ctx, struct tp_snapshot *snap, const struct tp_peiling_nieuw *p,
                  const char *client_id, json_t **doc) {
  struct tp_bm_rows *rows = NULL;
  json_t *samenvatting = NULL;
  struct tp_db *db = NULL;
  tp_rc rc = tp_repo_benchmark_rows(ctx->app->pool, ctx->app->snapshots, snap, p->peildatum,
                                    ROWS_WAIT_MS, &rows);
  if (rc == TP_OK && (samenvatting = tp_peiling_samenvatting_van(rows)) == NULL) rc = TP_ERR_NOMEM;
  if (rc == TP_OK) rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) {
    const char *catalogus = json_string_value(json_object_get(snap->inputs, "catalogusVersie"));
    rc = tp_repo_peiling_maak(db, p, client_id, catalogus, rows, samenvatting, doc);
  }
  tp_pool_release(ctx->app->pool, db);
  json_decref(samenvatting);
  tp_bm_rows_drop(rows);
  return rc;
}

static void create_peiling(struct tp_ctx *ctx) {
  json_t *principal = NULL, *body = NULL, *doc = NULL;
  if (tp_auth_require(ctx, SCOPE_BEHEREN, &principal) == TP_ANSWERED) return;
  if (tp_no_query(ctx) == TP_ANSWERED || tp_body_json(ctx, &body) == TP_ANSWERED) goto done;
  char today[16];
  tp_today_utc(today);
  struct tp_params report = {.invalid = json_array()};
  struct tp_peiling_nieuw p;
  struct tp_snapshot *snap = NULL;
  if (report.invalid == NULL) {
    tp_problem_rc(ctx, TP_ERR_NOMEM, "");
    goto done;
  }
  tp_peiling_validate(body, today, report.invalid, &p);
  if (json_array_size(report.invalid) > 0) {
    tp_problem_params(ctx, &report);
  } else if (tp_ctx_snapshot(ctx, &snap) == TP_ANSWERED) {
    /* answered */
  } else {
    const char *client_id = json_string_value(json_object_get(principal, "id"));
    tp_rc rc = maak(ctx, snap, &p, client_id, &doc);
    if (rc == TP_ERR_CONFLICT) {
      tp_problem(ctx, 409, NULL, "Er bestaat al een peiling met de naam %s.", p.naam);
    } else if (rc != TP_OK) {
      tp_problem_rc(ctx, rc, "De peiling");
    } else {
      char location[128];
      snprintf(location, sizeof(location), "/api/v1/peilingen/%s", p.naam);
      tp_set_header(ctx, "Location", location);
      tp_respond_json(ctx, 201, doc);
    }
  }
  json_decref(report.invalid);
done:
  json_decref(doc);
  json_decref(body);
  json_decref(principal);
}

static void list_peilingen(struct tp_ctx *ctx) {
  json_t *principal = NULL;
  if (tp_auth_require(ctx, SCOPE_LEZEN, &principal) == TP_ANSWERED) return;
  tp_api_list_plain(ctx, tp_repo_peilingen_page);
  json_decref(principal);
}

static void get_peiling(struct tp_ctx *ctx) {
  json_t *principal = NULL;
  if (tp_auth_require(ctx, SCOPE_LEZEN, &principal) == TP_ANSWERED) return;
  tp_api_item(ctx, tp_repo_peiling, "Deze peiling");
  json_decref(principal);
}

static void list_resultaten(struct tp_ctx *ctx) {
  json_t *principal = NULL;
  if (tp_auth_require(ctx, SCOPE_LEZEN, &principal) == TP_ANSWERED) return;
  int csv = strcmp(ctx->media_type, "text/csv") == 0;
  struct tp_params params;
  struct tp_paging paging;
  tp_params_parse(&params, ctx->query);
  /* CSV is the whole round in one document; JSON is paged. */
  if (!csv) tp_paging_read(&params, &paging);
  char *text = NULL;
  size_t len = 0;
  long count = 0;
  struct tp_db *db = NULL;
  tp_rc rc = TP_OK;
  if (tp_params_finish(&params) > 0) {
    tp_problem_params(ctx, &params);
    goto done;
  }
  rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK && csv) {
    rc = tp_repo_peiling_csv(db, tp_path_var(ctx, 0), &text, &len);
  } else if (rc == TP_OK) {
    rc = tp_repo_peiling_resultaten(db, tp_path_var(ctx, 0), paging.page_size,
                                    tp_paging_offset(&paging), &count, &text, &len);
  }
  tp_pool_release(ctx->app->pool, db);
  if (rc != TP_OK)
    tp_problem_rc(ctx, rc, "Deze peiling");
  else if (csv)
    tp_respond_bytes(ctx, 200, "text/csv; charset=utf-8; header=present", text, len);
  else
    tp_respond_page_text(ctx, &params, &paging, count, text, len);
done:
  free(text);
  tp_params_free(&params);
  json_decref(principal);
}

static void delete_peiling(struct tp_ctx *ctx) {
  json_t *principal = NULL;
  if (tp_auth_require(ctx, SCOPE_BEHEREN, &principal) == TP_ANSWERED) return;
  if (tp_no_query(ctx) == TP_GO_ON) {
    struct tp_db *db = NULL;
    tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
    if (rc == TP_OK) {
      rc = tp_repo_peiling_verwijder(db, tp_path_var(ctx, 0),
                                     json_string_value(json_object_get(principal, "id")));
    }
    tp_pool_release(ctx->app->pool, db);
    if (rc != TP_OK)
      tp_problem_rc(ctx, rc, "Deze peiling");
    else
      tp_respond_empty(ctx, 204);
  }
  json_decref(principal);
}

static const char *const JSON_OR_CSV[] = {"application/json", "text/csv", NULL};

const struct tp_route tp_routes_peilingen[] = {
    {"POST", "/api/v1/peilingen", create_peiling, NULL, TP_ROUTE_TOKEN | TP_ROUTE_JSON_BODY},
    {"GET", "/api/v1/peilingen", list_peilingen, NULL, TP_ROUTE_TOKEN},
    {"GET", "/api/v1/peilingen/{naam}", get_peiling, NULL, TP_ROUTE_TOKEN},
    {"DELETE", "/api/v1/peilingen/{naam}", delete_peiling, NULL, TP_ROUTE_TOKEN},
    {"GET", "/api/v1/peilingen/{naam}/resultaten", list_resultaten, JSON_OR_CSV, TP_ROUTE_TOKEN},
    {0},
};
