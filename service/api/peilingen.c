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
#include "teamplotter/log.h"
#include "teamplotter/paging.h"
#include "teamplotter/peiling.h"
#include "teamplotter/peilingen_repo.h"
#include "teamplotter/render.h"
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

/* Rows per read of a streamed CSV: some 40 KB of lines, about the parts
 * the connection takes at once; a round of 355 is read in two. */
#define CSV_ROWS_PER_PART 250

/* A round's CSV on its way out: the lines read but not yet sent, and where
 * the next read starts. */
struct csv_stream {
  struct tp_pool *pool;
  struct tp_peiling_csv round;
  struct tp_textbuf lines;
  size_t sent; /* bytes of `lines` already sent */
  long rows;   /* rows read so far */
  long last;   /* the position of the last of them */
};

/* Reads the next part of the rows into s->lines: -1 when there are none
 * although the round promised more (it was removed meanwhile, or the
 * database failed), logged; the client then sees the body cut short. */
static int read_part(struct csv_stream *s) {
  struct tp_db *db = NULL;
  long n = 0;
  tp_textbuf_clear(&s->lines);
  s->sent = 0;
  tp_rc rc = tp_pool_acquire(s->pool, &db);
  if (rc == TP_OK) {
    rc = tp_repo_peiling_csv_rijen(db, &s->round, s->last, CSV_ROWS_PER_PART, &s->lines, &n,
                                   &s->last);
  }
  tp_pool_release(s->pool, db);
  if (rc != TP_OK || n == 0) {
    tp_log_error("peiling %s: CSV cut short after %ld of %ld rows (%s)", s->round.naam, s->rows,
                 s->round.aantal, rc != TP_OK ? tp_rc_name(rc) : "the round is gone");
    return -1;
  }
  s->rows += n;
  return 0;
}

/* A tp_stream_fill: the header line first, then the rows' lines. */
static long csv_fill(void *arg, char *buf, size_t max) {
  struct csv_stream *s = arg;
  if (s->sent == s->lines.len) {
    if (s->rows >= s->round.aantal) return 0;
    if (read_part(s) != 0) return -1;
  }
  size_t n = s->lines.len - s->sent < max ? s->lines.len - s->sent : max;
  memcpy(buf, s->lines.data + s->sent, n);
  s->sent += n;
  return (long)n;
}

static void csv_release(void *arg) {
  struct csv_stream *s = arg;
  tp_textbuf_free(&s->lines);
  free(s->round.kop);
  free(s);
}

/* The whole round as CSV, streamed: its head is read here (404 when there
 * is no such round), its rows as the client takes them. */
static void send_csv(struct tp_ctx *ctx, const char *naam) {
  struct csv_stream *s = calloc(1, sizeof(*s));
  struct tp_db *db = NULL;
  tp_rc rc = s ? tp_pool_acquire(ctx->app->pool, &db) : TP_ERR_NOMEM;
  if (rc == TP_OK) rc = tp_repo_peiling_csv_kop(db, naam, &s->round);
  tp_pool_release(ctx->app->pool, db);
  char tag_input[128], etag[TP_ETAG_LEN + 1];
  if (rc == TP_OK) {
    /* A round never changes: its name and the moment it was made tell the
     * bytes apart. */
    snprintf(tag_input, sizeof(tag_input), "peiling-csv\n%s\n%s", s->round.naam,
             s->round.aangemaakt);
    if (tp_etag_of_bytes(tag_input, strlen(tag_input), etag) != 0) rc = TP_ERR_NOMEM;
  }
  if (rc != TP_OK) {
    if (s != NULL) csv_release(s);
    tp_problem_rc(ctx, rc, "Deze peiling");
    return;
  }
  s->pool = ctx->app->pool;
  tp_textbuf_init(&s->lines, 64u * 1024u * 1024u);
  tp_textbuf_puts(&s->lines, s->round.kop);
  tp_respond_stream(ctx, "text/csv; charset=utf-8; header=present", etag, csv_fill, csv_release,
                    s);
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
  } else if (csv) {
    send_csv(ctx, tp_path_var(ctx, 0));
  } else {
    rc = tp_pool_acquire(ctx->app->pool, &db);
    if (rc == TP_OK) {
      rc = tp_repo_peiling_resultaten(db, tp_path_var(ctx, 0), paging.page_size,
                                      tp_paging_offset(&paging), &count, &text, &len);
    }
    tp_pool_release(ctx->app->pool, db);
    if (rc != TP_OK)
      tp_problem_rc(ctx, rc, "Deze peiling");
    else
      tp_respond_page_text(ctx, &params, &paging, count, text, len);
  }
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
