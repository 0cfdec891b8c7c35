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
#include "teamplotter/text.h"
#include "teamplotter/textbuf.h"

#define N_CLASSES 9 /* size classes 1..8; 0 unused */
/* One row of some 160 bytes per municipality with a profile: 355 today,
 * 100 000 fill about 16 MB (the scale mode of bench/), so this bound
 * leaves room for four times that. */
#define CSV_TEXT_LIMIT (64 * 1024 * 1024)

/* Per municipality: the figures of its gap analysis summary, computed
 * once. New array, one entry per profile (the rows below find them by
 * index), or NULL when out of memory. */
static json_t *analyse_profiles(const struct tp_snapshot *snap, const json_t *profiles) {
  json_t *out = json_array();
  size_t i;
  json_t *p;
  json_array_foreach(profiles, i, p) {
    json_t *team = json_pack("{s:O, s:O, s:O}", "gemeente", json_object_get(p, "gemeente"),
                             "inwoners", json_object_get(p, "inwoners"), "leden",
                             json_object_get(p, "leden"));
    json_t *summary = team ? tp_gap_summary(snap->gap, team) : NULL;
    json_t *figures =
        summary ? json_pack("{s:O, s:O, s:O, s:O, s:O}", "gemeente", json_object_get(p, "gemeente"),
                            "inwoners", json_object_get(p, "inwoners"), "totaalFte",
                            json_object_get(summary, "totaalFte"), "dekking",
                            json_object_get(summary, "dekking"), "capaciteit",
                            json_object_get(summary, "capaciteit"))
                : NULL;
    json_decref(summary);
    json_decref(team);
    if (json_array_append_new(out, figures) != 0) {
      json_decref(out);
      return NULL;
    }
  }
  return out;
}

/* The benchmark row of profile `p` (analysed as `figures`) among the
 * peers ranked in `ranks`; NULL when out of memory. */
static json_t *row_for(const json_t *inputs, const json_t *p, const json_t *figures,
                       const struct tp_peer_ranks *ranks) {
  json_t *subject = json_pack("{s:O, s:O, s:O, s:O, s:O}", "gemeente", json_object_get(p, "gemeente"),
                              "naam", json_object_get(p, "naam"), "inwoners",
                              json_object_get(p, "inwoners"), "dekking",
                              json_object_get(figures, "dekking"), "leden",
                              json_object_get(p, "leden"));
  json_t *row =
      subject ? tp_benchmark_ranked(subject, json_object_get(inputs, "referenties"), ranks)
              : NULL;
  json_decref(subject);
  if (row == NULL) return NULL;
  if (json_object_set(row, "teamprofiel", json_object_get(p, "teamprofiel")) != 0 ||
      json_object_set(row, "peildatum", json_object_get(p, "peildatum")) != 0 ||
      json_object_set(row, "capaciteit", json_object_get(figures, "capaciteit")) != 0 ||
      json_object_set_new(row, "methodeVersie", json_integer(TP_METHODE_VERSIE)) != 0 ||
      json_object_set(row, "catalogusVersie", json_object_get(inputs, "catalogusVersie")) != 0) {
    json_decref(row);
    return NULL;
  }
  return row;
}

/* Benchmark rows of `profiles` (all in one size class or all classes),
 * or only of municipality `only`, each given to `add` as it is made. -1
 * when out of memory: a row or peer lost on the way would silently change
 * every figure. */
/* Takes `row` (NULL: out of memory) into `sink`; -1 on failure. */
typedef int (*row_sink)(void *sink, json_t *row);

static int add_document(void *rows, json_t *row) { return json_array_append_new(rows, row); }

static int benchmark_rows(const struct tp_snapshot *snap, const json_t *profiles,
                          const char *only, row_sink add, void *sink) {
  const json_t *inputs = snap->inputs;
  json_t *figures = analyse_profiles(snap, profiles);
  json_t *classes[N_CLASSES];
  int failed = figures == NULL;
  for (size_t k = 0; k < N_CLASSES; k++) {
    classes[k] = json_array();
    failed |= classes[k] == NULL;
  }
  size_t i;
  json_t *p;
  json_array_foreach(profiles, i, p) {
    json_int_t k = json_integer_value(json_object_get(p, "grootteklasse"));
    if (!failed && k > 0 && k < N_CLASSES) {
      failed = json_array_append(classes[k], json_array_get(figures, i)) != 0;
    }
  }
  /* Each class's figures sorted once: a row's percentiles are then binary
   * searches, not a pass over its class (100 000 municipalities). Index 0
   * stands for no class: no peers. */
  struct tp_peer_ranks *ranks[N_CLASSES];
  for (size_t k = 0; k < N_CLASSES; k++) {
    ranks[k] = failed ? NULL : tp_peer_ranks_new(k > 0 ? classes[k] : NULL);
    failed |= ranks[k] == NULL;
  }
  json_array_foreach(profiles, i, p) {
    const char *code = json_string_value(json_object_get(p, "gemeente"));
    if (failed || (only != NULL && (code == NULL || strcmp(code, only) != 0))) continue;
    json_int_t k = json_integer_value(json_object_get(p, "grootteklasse"));
    json_t *row = row_for(inputs, p, json_array_get(figures, i),
                          ranks[k > 0 && k < N_CLASSES ? k : 0]);
    failed = add(sink, row) != 0;
  }
  for (size_t k = 0; k < N_CLASSES; k++) tp_peer_ranks_free(ranks[k]);
  for (size_t k = 0; k < N_CLASSES; k++) json_decref(classes[k]);
  json_decref(figures);
  return failed ? -1 : 0;
}

/* --- CSV (RFC 4180) ------------------------------------------------------- */

/* One field: quoted when it holds a comma, quote or line break. */
static void csv_field(struct tp_textbuf *c, const char *s, int first) {
  if (!first) tp_textbuf_puts(c, ",");
  if (s == NULL) return;
  if (strpbrk(s, ",\"\r\n") == NULL) {
    tp_textbuf_puts(c, s);
    return;
  }
  tp_textbuf_puts(c, "\"");
  for (const char *p = s; *p; p++) {
    tp_textbuf_append(c, p, 1);
    if (*p == '"') tp_textbuf_puts(c, "\""); /* a quote is written twice */
  }
  tp_textbuf_puts(c, "\"");
}

/* A JSON scalar as CSV text: null empty, numbers as rendered in JSON. */
static void csv_value(struct tp_textbuf *c, const json_t *v, int first) {
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

static void csv_row(struct tp_textbuf *c, const json_t *row) {
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
  tp_textbuf_puts(c, "\r\n");
}

/* --- the rows of all, kept --------------------------------------------------- */

/* The rows of all as kept between requests, in row order:
 * {"codes": [gemeente of each row], "rows": [JSON text of each row],
 *  "csv": the CSV of all, or null when it could not be made}. Text rather
 * than the rows' jansson trees, which take about ten times the memory
 * (some 10 KB a row: a gigabyte for 100 000 municipalities); each row is
 * written out as soon as it is made, so the trees never all exist. */
struct kept_sink {
  json_t *codes, *texts;
  struct tp_textbuf csv;
};

static int add_kept(void *sink, json_t *row) {
  struct kept_sink *k = sink;
  char *text = row ? tp_json_render(row) : NULL;
  const json_t *code = json_object_get(row, "gemeente");
  /* Checked UTF-8 already: rendered from valid strings. */
  int rc = text == NULL ||
                   json_array_append_new(k->texts, json_stringn_nocheck(text, strlen(text))) != 0 ||
                   json_array_append_new(k->codes, json_is_string(code)
                                                       ? json_incref((json_t *)code)
                                                       : json_null()) != 0
               ? -1
               : 0;
  if (rc == 0) csv_row(&k->csv, row);
  free(text);
  json_decref(row);
  return rc;
}

/* The kept rows of `profiles`: new reference, or NULL when out of memory. */
static json_t *keep(const struct tp_snapshot *snap, const json_t *profiles) {
  struct kept_sink k = {json_array(), json_array(), {0}};
  json_t *kept = NULL;
  tp_textbuf_init(&k.csv, CSV_TEXT_LIMIT);
  for (size_t i = 0; CSV_COLUMNS[i] != NULL; i++) csv_field(&k.csv, CSV_COLUMNS[i], i == 0);
  tp_textbuf_puts(&k.csv, "\r\n");
  if (k.codes != NULL && k.texts != NULL &&
      benchmark_rows(snap, profiles, NULL, add_kept, &k) == 0) {
    size_t len;
    char *c = tp_textbuf_finish(&k.csv, &len);
    json_t *csv = c ? json_stringn_nocheck(c, len) : json_null();
    free(c);
    if (csv != NULL)
      kept = json_pack("{s:O, s:O, s:o}", "codes", k.codes, "rows", k.texts, "csv", csv);
  }
  tp_textbuf_free(&k.csv);
  json_decref(k.codes);
  json_decref(k.texts);
  return kept;
}

/* Row i of kept rows as a document (the text reads back as the same
 * document: every real was written in its shortest exact form). New
 * reference, or NULL. */
static json_t *kept_row(const json_t *kept, size_t i) {
  const json_t *text = json_array_get(json_object_get(kept, "rows"), i);
  return json_loadb(json_string_value(text), json_string_length(text), 0, NULL);
}

/* The profiles version and the rows kept for it, when there are such;
 * *version is a new reference (NULL after answering about `what`), and so
 * is the return value. */
static json_t *memo(struct tp_ctx *ctx, struct tp_snapshot *snap, const char *what,
                    json_t **version) {
  *version = NULL;
  /* The version first: rows read after it are at least as new, so a write
   * in between gives the next request another version, never stale rows. */
  tp_rc rc = tp_api_fetch(ctx, tp_repo_profiles_version, NULL, version);
  if (rc != TP_OK || !json_is_string(*version)) {
    json_decref(*version);
    *version = NULL;
    tp_problem_rc(ctx, rc != TP_OK ? rc : TP_ERR_DB, what);
    return NULL;
  }
  return tp_snapshot_memo_get(snap, json_string_value(*version));
}

/* The rows of all from the newest profiles and the snapshot's catalogue
 * and reference set, kept (see keep()). Computed once per snapshot and
 * profiles version and kept with the snapshot: every later request costs
 * a version query. New reference, shared read-only, or NULL after
 * answering 503 or 500 about `what`. */
static json_t *load_kept(struct tp_ctx *ctx, const char *what) {
  struct tp_snapshot *snap = tp_ctx_snapshot(ctx);
  if (snap == NULL) return NULL;
  json_t *version = NULL, *profiles = NULL;
  json_t *kept = memo(ctx, snap, what, &version);
  if (kept != NULL || version == NULL) {
    json_decref(version);
    return kept;
  }
  tp_rc rc = tp_api_fetch(ctx, tp_repo_latest_profiles, NULL, &profiles);
  if (rc == TP_OK) {
    kept = keep(snap, profiles);
    if (kept == NULL) rc = TP_ERR_NOMEM;
  }
  if (kept != NULL) tp_snapshot_memo_put(snap, json_string_value(version), kept);
  if (rc != TP_OK) tp_problem_rc(ctx, rc, what);
  json_decref(profiles);
  json_decref(version);
  return kept;
}

/* The benchmark rows of `gemeente`: zero or one, from the kept rows when
 * they are current, else from its size class alone. New array, or NULL
 * after answering 503 or 500 about `what`. */
static json_t *load_rows(struct tp_ctx *ctx, const char *gemeente, const char *what) {
  struct tp_snapshot *snap = tp_ctx_snapshot(ctx);
  if (snap == NULL) return NULL;
  json_t *version = NULL, *profiles = NULL, *rows = NULL;
  json_t *kept = memo(ctx, snap, what, &version);
  tp_rc rc = version == NULL ? TP_ERR_DB : TP_OK;
  if (kept != NULL) {
    rows = json_array();
    size_t i;
    json_t *code;
    json_array_foreach(json_object_get(kept, "codes"), i, code) {
      if (rows != NULL && json_is_string(code) && strcmp(json_string_value(code), gemeente) == 0 &&
          json_array_append_new(rows, kept_row(kept, i)) != 0) {
        json_decref(rows);
        rows = NULL;
      }
    }
    if (rows == NULL) rc = TP_ERR_NOMEM;
  } else if (version != NULL) {
    rc = tp_api_fetch(ctx, tp_repo_latest_profiles, gemeente, &profiles);
    rows = rc == TP_OK ? json_array() : NULL;
    if (rc == TP_OK && (rows == NULL || benchmark_rows(snap, profiles, gemeente, add_document,
                                                       rows) != 0)) {
      json_decref(rows);
      rows = NULL;
      rc = TP_ERR_NOMEM;
    }
  }
  if (rc != TP_OK && version != NULL) tp_problem_rc(ctx, rc, what);
  json_decref(kept);
  json_decref(profiles);
  json_decref(version);
  return rows;
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
  json_t *rows = NULL;
  if (!tp_principal_has_scope(principal, "benchmarks.lezen") &&
      !(tp_principal_has_scope(principal, "teamprofielen.lezen") &&
        tp_principal_may(principal, code))) {
    tp_problem(ctx, 403, NULL,
               "Nodig: scope 'benchmarks.lezen', of 'teamprofielen.lezen' voor deze gemeente.");
  } else if (tp_params_finish(&params) > 0) {
    tp_problem_params(ctx, &params);
  } else {
    rows = load_rows(ctx, code, "De benchmark");
    if (rows == NULL) {
      /* answered */
    } else if (json_array_size(rows) == 0) {
      /* The code echoed is cut to 16 bytes, at a character boundary. */
      tp_problem(ctx, 404, NULL, "Gemeente %.*s bestaat niet of heeft geen teamprofiel.",
                 (int)tp_utf8_prefix(code, strlen(code), 16), code);
    } else {
      tp_respond_json(ctx, 200, json_array_get(rows, 0));
    }
  }
  json_decref(rows);
  tp_params_free(&params);
  json_decref(principal);
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
  json_t *kept = NULL;
  if (tp_params_finish(&params) > 0) {
    tp_problem_params(ctx, &params);
  } else {
    kept = load_kept(ctx, "De benchmarks");
    const json_t *texts = json_object_get(kept, "rows");
    const json_t *text = json_object_get(kept, "csv");
    if (kept == NULL) {
      /* answered */
    } else if (csv && !json_is_string(text)) {
      tp_problem_rc(ctx, TP_ERR_NOMEM, "");
    } else if (csv) {
      tp_respond_bytes(ctx, 200, "text/csv; charset=utf-8; header=present",
                       json_string_value(text), json_string_length(text));
    } else {
      json_t *page = json_array();
      int failed = page == NULL;
      long from = tp_paging_offset(&paging);
      for (long k = from; k < from + paging.page_size && (size_t)k < json_array_size(texts); k++) {
        failed |= json_array_append_new(page, kept_row(kept, (size_t)k)) != 0;
      }
      if (failed) {
        json_decref(page);
        tp_problem_rc(ctx, TP_ERR_NOMEM, "De benchmarks");
      } else {
        tp_respond_page(ctx, &params, &paging, (long)json_array_size(texts), page);
      }
    }
  }
  json_decref(kept);
  tp_params_free(&params);
  json_decref(principal);
}

static const char *const JSON_OR_CSV[] = {"application/json", "text/csv", NULL};

const struct tp_route tp_routes_benchmarks[] = {
    {"GET", "/api/v1/gemeenten/{code}/benchmark", get_gemeente_benchmark, NULL, 0},
    {"GET", "/api/v1/benchmarks", list_benchmarks, JSON_OR_CSV, 0},
    {0},
};
