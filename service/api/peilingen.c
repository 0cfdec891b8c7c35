/* Benchmark rounds (peilingen): the benchmark of all municipalities as of
 * a date, computed once, stored and then read as stored (docs/methode.md,
 * "Peilingen"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collection.h"

#include "teamplotter/app.h"
#include "teamplotter/auth.h"
#include "teamplotter/clock.h"
#include "teamplotter/paging.h"
#include "teamplotter/peiling.h"
#include "teamplotter/peilingen_repo.h"
#include "teamplotter/routes.h"

static const char SCOPE_BEHEREN[] = "peilingen.beheren";
static const char SCOPE_LEZEN[] = "benchmarks.lezen";

/* As GET /benchmarks: the rows are computed on the memo's thread, and a
 * request waits this long for them before it is told to ask again (503,
 * Retry-After); storing them takes a fraction of a second. */
#define ROWS_WAIT_MS 1000

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
    tp_rc rc = tp_repo_peiling_maak(ctx->app->pool, ctx->app->snapshots, snap, &p, client_id,
                                    ROWS_WAIT_MS, &doc);
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

/* The query parameters into `params` (freed by the caller), with the
 * paging of a JSON answer: CSV is the whole set in one document. Whether
 * the answer is CSV. */
static int read_paging(struct tp_ctx *ctx, struct tp_params *params, struct tp_paging *paging) {
  int csv = strcmp(ctx->media_type, "text/csv") == 0;
  tp_params_parse(params, ctx->query);
  if (!csv) tp_paging_read(params, paging);
  return csv;
}

static void list_resultaten(struct tp_ctx *ctx) {
  json_t *principal = NULL;
  if (tp_auth_require(ctx, SCOPE_LEZEN, &principal) == TP_ANSWERED) return;
  struct tp_params params;
  struct tp_paging paging;
  int csv = read_paging(ctx, &params, &paging);
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

/* The comparison of round `naam` with round `met` (NULL: the one before
 * it) into *vergelijking, or TP_ANSWERED (404 for `naam`, 400 naming
 * `met`). */
static tp_step compare(struct tp_ctx *ctx, struct tp_params *params, const char *naam,
                       const char *met, json_t **vergelijking) {
  json_t *rijen = NULL;
  *vergelijking = NULL;
  tp_rc rc = TP_OK;
  struct tp_db *db = NULL;
  rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) rc = tp_repo_peiling_vergelijking(db, naam, met, &rijen);
  tp_pool_release(ctx->app->pool, db);
  const json_t *van = json_object_get(rijen, "van");
  const char *van_naam = json_string_value(json_object_get(rijen, "met"));
  if (rc == TP_OK && (van_naam == NULL || json_is_null(van))) {
    if (met == NULL)
      tp_params_invalid(params, "met", "required",
                        "Er is geen eerdere peiling; noem de peiling om mee te vergelijken.");
    else
      tp_params_invalid(params, "met", "unknown-value", "Er bestaat geen peiling met deze naam.");
    tp_problem_params(ctx, params);
  } else if (rc == TP_OK && (*vergelijking = tp_peiling_vergelijk(
                                 van_naam, van, naam, json_object_get(rijen, "naar"))) == NULL) {
    tp_problem_rc(ctx, TP_ERR_NOMEM, "De vergelijking");
  } else if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "Deze peiling");
  }
  json_decref(rijen);
  return *vergelijking != NULL ? TP_GO_ON : TP_ANSWERED;
}

static void get_vergelijking(struct tp_ctx *ctx) {
  json_t *principal = NULL, *vergelijking = NULL;
  if (tp_auth_require(ctx, SCOPE_LEZEN, &principal) == TP_ANSWERED) return;
  struct tp_params params;
  struct tp_paging paging;
  int csv = read_paging(ctx, &params, &paging);
  const char *met = NULL;
  if (tp_param_text(&params, "met", 1, 40, &met) == 0 && met != NULL &&
      !tp_peiling_naam_ok(met)) {
    tp_params_invalid(&params, "met", "invalid-format",
                      TP_PEILING_NAAM_UITLEG);
  }
  if (tp_params_finish(&params) > 0) {
    tp_problem_params(ctx, &params);
  } else if (compare(ctx, &params, tp_path_var(ctx, 0), met, &vergelijking) == TP_ANSWERED) {
    /* answered */
  } else if (csv) {
    size_t len;
    char *text = tp_peiling_vergelijking_csv(vergelijking, &len);
    if (text == NULL)
      tp_problem_rc(ctx, TP_ERR_NOMEM, "De vergelijking");
    else
      tp_respond_bytes(ctx, 200, "text/csv; charset=utf-8; header=present", text, len);
    free(text);
  } else {
    long from = tp_paging_offset(&paging), count = (long)json_array_size(vergelijking);
    json_t *results = json_array();
    for (long i = from; results != NULL && i < count && i < from + paging.page_size; i++) {
      json_array_append(results, json_array_get(vergelijking, (size_t)i));
    }
    if (results == NULL)
      tp_problem_rc(ctx, TP_ERR_NOMEM, "De vergelijking");
    else
      tp_respond_page(ctx, &params, &paging, count, results);
  }
  json_decref(vergelijking);
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
    {"GET", "/api/v1/peilingen/{naam}/vergelijking", get_vergelijking, JSON_OR_CSV,
     TP_ROUTE_TOKEN},
    {0},
};
