/* Benchmarks: a municipality's newest profile beside the seven and among
 * the municipalities of its size class; and all of them at once (JSON or
 * CSV) for VNG's bulk benchmarking. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/api.h"
#include "teamplotter/app.h"
#include "teamplotter/auth.h"
#include "teamplotter/benchmark.h"
#include "teamplotter/gap.h"
#include "teamplotter/snapshot.h"

#define N_CLASSES 9 /* size classes 1..8; 0 unused */

/* Per municipality: its gap analysis figures, computed once. */
static json_t *analyse_profiles(const json_t *inputs, const json_t *profiles) {
  json_t *out = json_array();
  size_t i;
  json_t *p;
  json_array_foreach(profiles, i, p) {
    json_t *team = json_pack("{s:O, s:O, s:O}", "gemeente", json_object_get(p, "gemeente"),
                             "inwoners", json_object_get(p, "inwoners"), "leden",
                             json_object_get(p, "leden"));
    json_t *analysis = tp_gap_analyse(json_object_get(inputs, "rollen"), team,
                                      json_object_get(inputs, "referenties"));
    json_t *summary = json_object_get(analysis, "samenvatting");
    json_array_append_new(
        out, json_pack("{s:O, s:O, s:O, s:O, s:O}", "gemeente", json_object_get(p, "gemeente"),
                       "inwoners", json_object_get(p, "inwoners"), "totaalFte",
                       json_object_get(summary, "totaalFte"), "dekking",
                       json_object_get(summary, "dekking"), "capaciteit",
                       json_object_get(summary, "capaciteit")));
    json_decref(analysis);
    json_decref(team);
  }
  return out;
}

/* The benchmark row of profile `p` (analysed as `figures`) among `peers`. */
static json_t *row_for(const json_t *inputs, const json_t *p, const json_t *figures,
                       const json_t *peers) {
  json_t *subject = json_pack("{s:O, s:O, s:O, s:O, s:O}", "gemeente", json_object_get(p, "gemeente"),
                              "naam", json_object_get(p, "naam"), "inwoners",
                              json_object_get(p, "inwoners"), "dekking",
                              json_object_get(figures, "dekking"), "leden",
                              json_object_get(p, "leden"));
  json_t *row = tp_benchmark(subject, json_object_get(inputs, "referenties"), peers);
  json_decref(subject);
  if (row == NULL) return NULL;
  json_object_set(row, "teamprofiel", json_object_get(p, "teamprofiel"));
  json_object_set(row, "peildatum", json_object_get(p, "peildatum"));
  json_object_set(row, "capaciteit", json_object_get(figures, "capaciteit"));
  json_object_set_new(row, "methodeVersie", json_integer(TP_METHODE_VERSIE));
  json_object_set(row, "catalogusVersie", json_object_get(inputs, "catalogusVersie"));
  return row;
}

/* Benchmark rows of `profiles` (all in one size class or all classes),
 * or only of municipality `only`. New array. */
static json_t *benchmark_rows(const json_t *inputs, const json_t *profiles, const char *only) {
  json_t *figures = analyse_profiles(inputs, profiles);
  json_t *classes[N_CLASSES];
  for (size_t k = 0; k < N_CLASSES; k++) classes[k] = json_array();
  size_t i;
  json_t *p;
  json_array_foreach(profiles, i, p) {
    json_int_t k = json_integer_value(json_object_get(p, "grootteklasse"));
    if (k > 0 && k < N_CLASSES) {
      json_array_append(classes[k], json_array_get(figures, i));
    }
  }
  json_t *rows = json_array();
  json_array_foreach(profiles, i, p) {
    const char *code = json_string_value(json_object_get(p, "gemeente"));
    if (only != NULL && strcmp(code, only) != 0) continue;
    json_int_t k = json_integer_value(json_object_get(p, "grootteklasse"));
    json_t *row = row_for(inputs, p, json_array_get(figures, i),
                          k > 0 && k < N_CLASSES ? classes[k] : NULL);
    if (row != NULL) json_array_append_new(rows, row);
  }
  for (size_t k = 0; k < N_CLASSES; k++) json_decref(classes[k]);
  json_decref(figures);
  return rows;
}

/* Reads the newest profiles (of `gemeente`'s size class, or all) in one
 * query; the catalogue and reference set come from the snapshot. */
static tp_rc load(struct tp_ctx *ctx, const char *gemeente, const json_t **inputs,
                  json_t **profiles) {
  struct tp_snapshot *snap = tp_ctx_snapshot(ctx);
  if (snap == NULL) return TP_ERR_UNAVAILABLE;
  *inputs = snap->inputs;
  struct tp_db *db = NULL;
  tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) rc = tp_repo_latest_profiles(db, gemeente, profiles);
  tp_pool_release(ctx->app->pool, db);
  return rc;
}

static void get_gemeente_benchmark(struct tp_ctx *ctx) {
  const char *code = tp_path_var(ctx, 0);
  json_t *principal = NULL;
  enum tp_auth_result auth = tp_auth(ctx, &principal);
  if (auth == TP_AUTH_ANSWERED) return;
  if (auth == TP_AUTH_ANONYMOUS) {
    tp_problem(ctx, 401, NULL, "Deze resource vraagt een token ('Authorization: Bearer <JWT>').");
    return;
  }
  struct tp_params params;
  tp_params_parse(&params, ctx->query);
  const json_t *inputs = NULL;
  json_t *profiles = NULL, *rows = NULL;
  if (!tp_principal_has_scope(principal, "benchmarks.lezen") &&
      !(tp_principal_has_scope(principal, "teamprofielen.lezen") &&
        tp_principal_may(principal, code))) {
    tp_problem(ctx, 403, NULL,
               "Nodig: scope 'benchmarks.lezen', of 'teamprofielen.lezen' voor deze gemeente.");
  } else if (tp_params_finish(&params) > 0) {
    tp_problem_params(ctx, &params);
  } else {
    tp_rc rc = load(ctx, code, &inputs, &profiles);
    if (rc == TP_OK) rows = benchmark_rows(inputs, profiles, code);
    if (rc != TP_OK) {
      if (ctx->status == 0) tp_problem_rc(ctx, rc, "De benchmark");
    } else if (json_array_size(rows) == 0) {
      tp_problem(ctx, 404, NULL, "Gemeente %.16s bestaat niet of heeft geen teamprofiel.", code);
    } else {
      tp_respond_json(ctx, 200, json_array_get(rows, 0));
    }
  }
  json_decref(rows);
  json_decref(profiles);
  tp_params_free(&params);
  json_decref(principal);
}

/* --- CSV (RFC 4180) ------------------------------------------------------- */

struct csv {
  char *data;
  size_t len, cap;
  int failed;
};

static void csv_raw(struct csv *c, const char *s, size_t n) {
  if (c->failed) return;
  if (c->len + n + 1 > c->cap) {
    size_t cap = (c->cap ? c->cap : 4096);
    while (cap < c->len + n + 1) cap *= 2;
    char *grown = realloc(c->data, cap);
    if (grown == NULL) {
      c->failed = 1;
      return;
    }
    c->data = grown;
    c->cap = cap;
  }
  memcpy(c->data + c->len, s, n);
  c->len += n;
  c->data[c->len] = '\0';
}

/* One field: quoted when it holds a comma, quote or line break. */
static void csv_field(struct csv *c, const char *s, int first) {
  if (!first) csv_raw(c, ",", 1);
  if (s == NULL) return;
  if (strpbrk(s, ",\"\r\n") == NULL) {
    csv_raw(c, s, strlen(s));
    return;
  }
  csv_raw(c, "\"", 1);
  for (const char *p = s; *p; p++) {
    csv_raw(c, p, 1);
    if (*p == '"') csv_raw(c, "\"", 1); /* a quote is written twice */
  }
  csv_raw(c, "\"", 1);
}

/* A JSON scalar as CSV text: null empty, numbers as rendered in JSON. */
static void csv_value(struct csv *c, const json_t *v, int first) {
  char num[64];
  if (json_is_string(v)) {
    csv_field(c, json_string_value(v), first);
  } else if (json_is_integer(v)) {
    snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    csv_field(c, num, first);
  } else if (json_is_real(v)) {
    snprintf(num, sizeof(num), "%.15g", json_real_value(v));
    csv_field(c, num, first);
  } else if (json_is_boolean(v)) {
    csv_field(c, json_is_true(v) ? "true" : "false", first);
  } else {
    csv_field(c, NULL, first);
  }
}

static const char *const CSV_COLUMNS[] = {
    "gemeente", "naam", "inwoners", "grootteklasse", "peildatum", "teamprofiel", "totaalFte",
    "ftePer10000", "dekking", "capaciteit", "dichtstbijzijnd", "groepsgrootte",
    "ftePer10000Percentiel", "dekkingPercentiel", "onderdrukt", NULL,
};

static void csv_row(struct csv *c, const json_t *row) {
  const json_t *positie = json_object_get(row, "positie");
  for (size_t i = 0; CSV_COLUMNS[i] != NULL; i++) {
    const char *col = CSV_COLUMNS[i];
    if (strcmp(col, "dichtstbijzijnd") == 0) {
      char codes[64] = "";
      size_t k, used = 0;
      json_t *code;
      json_array_foreach(json_object_get(row, col), k, code) {
        used += (size_t)snprintf(codes + used, sizeof(codes) - used, "%s%s", k ? " " : "",
                                 json_string_value(code));
        if (used >= sizeof(codes)) break;
      }
      csv_field(c, codes, 0);
    } else {
      const json_t *v = json_object_get(row, col);
      if (v == NULL) v = json_object_get(positie, col);
      csv_value(c, v, i == 0);
    }
  }
  csv_raw(c, "\r\n", 2);
}

static void send_csv(struct tp_ctx *ctx, const json_t *rows) {
  struct csv c = {0};
  for (size_t i = 0; CSV_COLUMNS[i] != NULL; i++) csv_field(&c, CSV_COLUMNS[i], i == 0);
  csv_raw(&c, "\r\n", 2);
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row) csv_row(&c, row);
  if (c.failed) {
    tp_problem_rc(ctx, TP_ERR_NOMEM, "");
  } else {
    tp_respond_bytes(ctx, 200, "text/csv; charset=utf-8; header=present", c.data, c.len);
  }
  free(c.data);
}

static void list_benchmarks(struct tp_ctx *ctx) {
  json_t *principal = tp_auth_require(ctx, "benchmarks.lezen");
  if (principal == NULL) return;
  int csv = strcmp(ctx->media_type, "text/csv") == 0;
  struct tp_params params;
  struct tp_paging paging;
  tp_params_parse(&params, ctx->query);
  /* CSV is the whole set in one document; JSON is paged like every collection. */
  if (!csv) tp_paging_read(&params, &paging);
  const json_t *inputs = NULL;
  json_t *profiles = NULL, *rows = NULL;
  if (tp_params_finish(&params) > 0) {
    tp_problem_params(ctx, &params);
  } else {
    tp_rc rc = load(ctx, NULL, &inputs, &profiles);
    if (rc == TP_OK) rows = benchmark_rows(inputs, profiles, NULL);
    if (rc != TP_OK) {
      if (ctx->status == 0) tp_problem_rc(ctx, rc, "De benchmarks");
    } else if (csv) {
      send_csv(ctx, rows);
    } else {
      json_t *page = json_array();
      long from = tp_paging_offset(&paging);
      for (long k = from; k < from + paging.page_size && (size_t)k < json_array_size(rows); k++) {
        json_array_append(page, json_array_get(rows, (size_t)k));
      }
      tp_respond_page(ctx, &params, &paging, (long)json_array_size(rows), page);
    }
  }
  json_decref(rows);
  json_decref(profiles);
  tp_params_free(&params);
  json_decref(principal);
}

static const char *const JSON_OR_CSV[] = {"application/json", "text/csv", NULL};

const struct tp_route tp_routes_benchmarks[] = {
    {"GET", "/api/v1/gemeenten/{code}/benchmark", get_gemeente_benchmark, NULL, 0},
    {"GET", "/api/v1/benchmarks", list_benchmarks, JSON_OR_CSV, 0},
    {0},
};
