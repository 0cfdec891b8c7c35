/* The steps every read resource shares: parameters, pooled connection,
 * fetch, paging, 400/404/503. */
#include "collection.h"

#include "teamplotter/app.h"
#include "teamplotter/http.h"
#include "teamplotter/paging.h"

void tp_api_list(struct tp_ctx *ctx, struct tp_params *params, const struct tp_paging *paging,
                 tp_page_fn fetch, const void *filter) {
  /* The page is fetched even when some parameters are invalid, so that a
   * filter value naming nothing is reported in the same 400. */
  size_t invalid = tp_params_finish(params);
  struct tp_db *db = NULL;
  json_t *page = NULL;
  tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) {
    rc = fetch(db, filter, paging->page_size, tp_paging_offset(paging), &page);
  }
  tp_pool_release(ctx->app->pool, db);
  size_t i;
  json_t *name;
  json_array_foreach(json_object_get(page, "onbekend"), i, name) {
    tp_params_invalid(params, json_string_value(name), "unknown-value",
                      "Er bestaat niets met deze waarde.");
    invalid++;
  }
  if (invalid > 0) {
    tp_problem_params(ctx, params);
  } else if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "De collectie");
  } else {
    json_int_t count = json_integer_value(json_object_get(page, "count"));
    tp_respond_page(ctx, params, paging, (long)count, json_incref(json_object_get(page, "results")));
  }
  json_decref(page);
}

tp_rc tp_api_fetch(struct tp_ctx *ctx, tp_item_fn fetch, const char *key, json_t **doc) {
  struct tp_db *db = NULL;
  tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) rc = fetch(db, key, doc);
  tp_pool_release(ctx->app->pool, db);
  return rc;
}

void tp_api_item(struct tp_ctx *ctx, tp_item_fn fetch, const char *what) {
  if (tp_no_query(ctx) == TP_ANSWERED) return;
  json_t *doc = NULL;
  tp_rc rc = tp_api_fetch(ctx, fetch, tp_path_var(ctx, 0), &doc);
  if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, what);
    return;
  }
  tp_respond_json(ctx, 200, doc);
  json_decref(doc);
}

void tp_api_list_plain(struct tp_ctx *ctx, tp_page_fn fetch) {
  struct tp_params params;
  struct tp_paging paging;
  tp_params_parse(&params, ctx->query);
  tp_paging_read(&params, &paging);
  tp_api_list(ctx, &params, &paging, fetch, NULL);
  tp_params_free(&params);
}
