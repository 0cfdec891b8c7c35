/* Benchmarks: a municipality's newest profile beside the seven and among
 * the municipalities of its size class; and all of them at once (JSON or
 * CSV) for VNG's bulk benchmarking. The rows are read, computed and kept in
 * db/benchmark_repo.c and core/benchmark_rows.c. */
#include <stdlib.h>
#include <string.h>

#include "teamplotter/app.h"
#include "teamplotter/auth.h"
#include "teamplotter/benchmark.h"
#include "teamplotter/benchmark_repo.h"
#include "teamplotter/paging.h"
#include "teamplotter/routes.h"
#include "teamplotter/text.h"

/* How long a request waits for the rows of all being computed before it
 * is told to ask again (503, Retry-After): the computation never holds an
 * HTTP worker, and a waiting request holds one only this long (others
 * that come meanwhile hardly wait at all, see tp_memo_compute). */
#define ROWS_WAIT_MS 1000

/* The optional as-of date `peildatum`: NULL when absent or invalid
 * (recorded as a problem). */
static const char *read_peildatum(struct tp_params *params) {
  const char *datum = NULL;
  tp_param_past_date(params, "peildatum", &datum);
  return datum;
}

/* tp_bm_excluded_fn: whether the peer `gemeente` is one the principal
 * `arg` may act for, and so left out of its figures. */
static int principal_may(void *arg, const char *gemeente) {
  return tp_principal_may(arg, gemeente);
}

/* Whether `principal` may act for another municipality than `gemeente`. */
static int acts_for_others(const json_t *principal, const char *gemeente) {
  if (json_is_true(json_object_get(principal, "alleGemeenten"))) return 1;
  size_t i;
  const json_t *g;
  json_array_foreach(json_object_get(principal, "gemeenten"), i, g) {
    if (json_is_string(g) && strcmp(json_string_value(g), gemeente) != 0) return 1;
  }
  return 0;
}

/* The benchmark row of `gemeente` into *row (NULL when it has no profile),
 * as of `peildatum` when not NULL. With `principal`, as that client may see it: without the other
 * municipalities it may act for, which it could move to watch the class's
 * figures move (docs/methode.md); the kept rows leave out only `gemeente`
 * itself, so such a client's row comes from its class. TP_ANSWERED after
 * answering what went wrong, about `what`. */
static tp_step load_row(struct tp_ctx *ctx, const char *gemeente, const char *peildatum,
                        json_t *principal, const char *what, json_t **row) {
  *row = NULL;
  struct tp_snapshot *snap;
  if (tp_ctx_snapshot(ctx, &snap) == TP_ANSWERED) return TP_ANSWERED;
  int others = principal != NULL && acts_for_others(principal, gemeente);
  tp_rc rc = tp_repo_benchmark_row(ctx->app->pool, snap, gemeente, peildatum,
                                   others ? principal_may : NULL, principal, row);
  if (rc == TP_OK) return TP_GO_ON;
  tp_problem_rc(ctx, rc, what);
  return TP_ANSWERED;
}

static void get_gemeente_benchmark(struct tp_ctx *ctx) {
  const char *code = tp_path_var(ctx, 0);
  json_t *principal = NULL;
  if (tp_auth(ctx, &principal) == TP_ANSWERED) return;
  if (principal == NULL) {
    tp_problem(ctx, 401, NULL, "Deze resource vraagt een token ('Authorization: Bearer <JWT>').");
    return;
  }
  struct tp_params params;
  tp_params_parse(&params, ctx->query);
  const char *peildatum = read_peildatum(&params);
  json_t *row = NULL;
  /* VNG's scope sees the exact position; a municipality's own client
   * only its bands against the others' quartiles (docs/methode.md). */
  int exact = tp_principal_has_scope(principal, "benchmarks.lezen");
  if (!exact && !(tp_principal_has_scope(principal, "teamprofielen.lezen") &&
                  tp_principal_may(principal, code))) {
    tp_problem(ctx, 403, NULL,
               "Nodig: scope 'benchmarks.lezen', of 'teamprofielen.lezen' voor deze gemeente.");
  } else if (tp_params_finish(&params) > 0) {
    tp_problem_params(ctx, &params);
  } else {
    if (load_row(ctx, code, peildatum, exact ? NULL : principal, "De benchmark", &row) ==
        TP_ANSWERED) {
      /* answered */
    } else if (row == NULL) {
      /* The code echoed is cut to 16 bytes, at a character boundary. */
      int shown = (int)tp_utf8_prefix(code, strlen(code), 16);
      if (peildatum == NULL)
        tp_problem(ctx, 404, NULL, "Gemeente %.*s bestaat niet of heeft geen teamprofiel.", shown,
                   code);
      else
        tp_problem(ctx, 404, NULL,
                   "Gemeente %.*s bestaat niet of heeft geen teamprofiel op of voor %s.", shown,
                   code, peildatum);
    } else if (!exact && tp_benchmark_banded(row) != 0) {
      tp_problem_rc(ctx, TP_ERR_NOMEM, "De benchmark");
    } else {
      tp_respond_json(ctx, 200, row);
    }
  }
  json_decref(row);
  tp_params_free(&params);
  json_decref(principal);
}

static void list_benchmarks(struct tp_ctx *ctx) {
  json_t *principal = NULL;
  if (tp_auth_require(ctx, "benchmarks.lezen", &principal) == TP_ANSWERED) return;
  int csv = strcmp(ctx->media_type, "text/csv") == 0;
  struct tp_params params;
  struct tp_paging paging;
  tp_params_parse(&params, ctx->query);
  /* CSV is the whole set in one document; JSON is paged like every collection. */
  if (!csv) tp_paging_read(&params, &paging);
  const char *peildatum = read_peildatum(&params);
  struct tp_bm_rows *rows = NULL;
  struct tp_snapshot *snap = NULL;
  tp_rc rc = TP_OK;
  if (tp_params_finish(&params) > 0) {
    tp_problem_params(ctx, &params);
  } else if (tp_ctx_snapshot(ctx, &snap) == TP_ANSWERED) {
    /* answered */
  } else if ((rc = tp_repo_benchmark_rows(ctx->app->pool, ctx->app->snapshots, snap, peildatum,
                                          ROWS_WAIT_MS, &rows)) != TP_OK) {
    tp_problem_rc(ctx, rc, "De benchmarks");
  } else if (csv) {
    size_t len;
    const char *text = tp_bm_rows_csv(rows, &len);
    tp_respond_bytes(ctx, 200, "text/csv; charset=utf-8; header=present", text, len);
  } else {
    /* The page's rows as they are kept: already JSON text. */
    size_t len;
    char *results = tp_bm_rows_page(rows, tp_paging_offset(&paging), paging.page_size, &len);
    if (results == NULL)
      tp_problem_rc(ctx, TP_ERR_NOMEM, "De benchmarks");
    else
      tp_respond_page_text(ctx, &params, &paging, (long)tp_bm_rows_count(rows), results, len);
    free(results);
  }
  tp_bm_rows_drop(rows);
  tp_params_free(&params);
  json_decref(principal);
}

static const char *const JSON_OR_CSV[] = {"application/json", "text/csv", NULL};

const struct tp_route tp_routes_benchmarks[] = {
    {"GET", "/api/v1/gemeenten/{code}/benchmark", get_gemeente_benchmark, NULL, TP_ROUTE_TOKEN},
    {"GET", "/api/v1/benchmarks", list_benchmarks, JSON_OR_CSV, TP_ROUTE_TOKEN},
    {0},
};
