/* Benchmark rounds: the body of a new round and a round's summary per
 * size class. */
#include "teamplotter/peiling.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "teamplotter/benchmark.h"
#include "teamplotter/benchmark_rows.h"
#include "teamplotter/csv.h"
#include "teamplotter/stats.h"
#include "teamplotter/textbuf.h"
#include "teamplotter/team.h"

#define NAAM_MAX 40
#define KLASSEN 8
/* As the benchmark's k (docs/methode.md, "Onderdrukking (k = 5)"). */
#define MIN_GEMEENTEN 5
#define REDEN_KLASSE \
  "minder dan 5 gemeenten met een profiel in deze grootteklasse (referentiegemeenten tellen niet mee)"
#define REDEN_DEKKING                                                                  \
  "minder dan 5 gemeenten met een bekende dekking in deze grootteklasse (referentiegemeenten " \
  "tellen niet mee)"

int tp_peiling_naam_ok(const char *naam) {
  size_t n = strlen(naam);
  return n >= 1 && n <= NAAM_MAX &&
         strspn(naam, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

void tp_peiling_validate(const json_t *body, const char *today, json_t *invalid,
                         struct tp_peiling_nieuw *out) {
  static const char *const fields[] = {"naam", "peildatum", "toelichting", NULL};
  const json_t *v[3] = {NULL, NULL, NULL};
  struct tp_check c = {invalid, ""};
  memset(out, 0, sizeof(*out));
  if (!json_is_object(body)) {
    tp_check_bad(&c, "", "invalid-type", "Verwacht een JSON-object.");
    return;
  }
  tp_check_fields(&c, body, "", fields, v);
  out->naam = tp_check_text(&c, v[0], "naam", NAAM_MAX, 1);
  if (out->naam != NULL && !tp_peiling_naam_ok(out->naam)) {
    tp_check_bad(&c, "naam", "invalid-format",
                 TP_PEILING_NAAM_UITLEG);
    out->naam = NULL;
  }
  out->peildatum = tp_check_text(&c, v[1], "peildatum", 10, 1);
  if (out->peildatum != NULL && !tp_is_date(out->peildatum)) {
    tp_check_bad(&c, "peildatum", "invalid-date", "Verwacht een bestaande datum als JJJJ-MM-DD.");
    out->peildatum = NULL;
  } else if (out->peildatum != NULL && today[0] != '\0' && strcmp(out->peildatum, today) > 0) {
    tp_check_bad(&c, "peildatum", "max-value", "De peildatum mag niet na vandaag (UTC) liggen.");
    out->peildatum = NULL;
  }
  out->toelichting = tp_check_text(&c, v[2], "toelichting", TP_PEILING_TOELICHTING_MAX, 0);
}

/* --- the summary ----------------------------------------------------------------- */

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* What the summary reads of one row. */
struct cijfers {
  long klasse;
  double fte, dek; /* NAN: null */
  int publiek;     /* a reference municipality: its figures are public */
};

/* Whether `gemeente` is one of the reference municipalities of `row`. */
static int is_reference(const json_t *row, const char *gemeente) {
  size_t i;
  const json_t *r;
  json_array_foreach(json_object_get(row, "referenties"), i, r) {
    const char *code = json_string_value(json_object_get(r, "gemeente"));
    if (code != NULL && strcmp(code, gemeente) == 0) return 1;
  }
  return 0;
}

static struct cijfers cijfers_van(const json_t *row) {
  const char *gemeente = json_string_value(json_object_get(row, "gemeente"));
  const json_t *f = json_object_get(row, "ftePer10000");
  const json_t *d = json_object_get(row, "dekking");
  return (struct cijfers){
      .klasse = (long)json_integer_value(json_object_get(row, "grootteklasse")),
      .fte = json_is_number(f) ? json_number_value(f) : NAN,
      .dek = json_is_number(d) ? json_number_value(d) : NAN,
      .publiek = gemeente != NULL && is_reference(row, gemeente),
  };
}

/* {p25, mediaan, p75} of `n` values (sorted here), or null when not `shown`. */
static json_t *kwartielen(double *values, size_t n, int dekking, int shown) {
  double q[3] = {NAN, NAN, NAN};
  if (!shown) return json_null();
  qsort(values, n, sizeof(*values), cmp_double);
  tp_benchmark_kwartielen(values, n, dekking, q);
  return json_pack("{s:f, s:f, s:f}", "p25", q[0], "mediaan", q[1], "p75", q[2]);
}

/* The summary of size class `klasse` among the `n` rows `c`, `fte` and
 * `dek` scratch room for all rows. */
static json_t *klasse_samenvatting(const struct cijfers *c, size_t n_rows, int klasse, double *fte,
                                   double *dek) {
  size_t n = 0, nfte = 0, ndek = 0, vrij = 0, vrij_dek = 0;
  for (size_t i = 0; i < n_rows; i++) {
    if (c[i].klasse != klasse) continue;
    n++;
    if (!isnan(c[i].fte)) fte[nfte++] = c[i].fte;
    if (!isnan(c[i].dek)) dek[ndek++] = c[i].dek;
    vrij += !c[i].publiek;
    vrij_dek += !c[i].publiek && !isnan(c[i].dek);
  }
  int onderdrukt = vrij < MIN_GEMEENTEN;
  int dekking_onderdrukt = onderdrukt || vrij_dek < MIN_GEMEENTEN;
  return json_pack("{s:i, s:I, s:b, s:s?, s:o, s:b, s:s?, s:o}", "grootteklasse", klasse,
                   "aantalGemeenten", (json_int_t)n, "onderdrukt", onderdrukt, "reden",
                   onderdrukt ? REDEN_KLASSE : NULL, "ftePer10000Kwartielen",
                   kwartielen(fte, nfte, 0, !onderdrukt && nfte > 0), "dekkingOnderdrukt",
                   dekking_onderdrukt, "dekkingReden",
                   !dekking_onderdrukt ? NULL
                   : onderdrukt        ? REDEN_KLASSE
                                       : REDEN_DEKKING,
                   "dekkingKwartielen", kwartielen(dek, ndek, 1, !dekking_onderdrukt));
}

/* The summary of the `n` rows `c`. */
static json_t *samenvatting(const struct cijfers *c, size_t n) {
  double *fte = malloc((n ? n : 1) * sizeof(*fte));
  double *dek = malloc((n ? n : 1) * sizeof(*dek));
  json_t *klassen = json_array();
  int failed = fte == NULL || dek == NULL || klassen == NULL;
  for (int k = 1; !failed && k <= KLASSEN; k++) {
    failed = json_array_append_new(klassen, klasse_samenvatting(c, n, k, fte, dek)) != 0;
  }
  free(fte);
  free(dek);
  if (failed) {
    json_decref(klassen);
    return NULL;
  }
  return json_pack("{s:o}", "grootteklassen", klassen);
}

json_t *tp_peiling_samenvatting(const json_t *rijen) {
  size_t n = json_array_size(rijen);
  struct cijfers *c = malloc((n ? n : 1) * sizeof(*c));
  if (c == NULL) return NULL;
  for (size_t i = 0; i < n; i++) c[i] = cijfers_van(json_array_get(rijen, i));
  json_t *out = samenvatting(c, n);
  free(c);
  return out;
}

/* Each row is read on its own: a round of 100 000 rows as one JSON tree
 * would take over a gigabyte. */
json_t *tp_peiling_samenvatting_van(const struct tp_bm_rows *rows) {
  size_t n = tp_bm_rows_count(rows);
  struct cijfers *c = malloc((n ? n : 1) * sizeof(*c));
  int failed = c == NULL;
  for (size_t i = 0; !failed && i < n; i++) {
    size_t len;
    const char *text = tp_bm_rows_text(rows, i, &len);
    json_t *row = json_loadb(text, len, 0, NULL);
    failed = row == NULL;
    if (!failed) c[i] = cijfers_van(row);
    json_decref(row);
  }
  json_t *out = failed ? NULL : samenvatting(c, n);
  free(c);
  return out;
}

/* --- comparing two rounds ------------------------------------------------------- */

/* The CSV of a comparison: some 200 bytes per municipality. */
#define VERGELIJKING_CSV_LIMIT (64 * 1024 * 1024)

/* `naar` - `van` to 4 decimals, or null when either is not a number. */
static json_t *verschil(const json_t *van, const json_t *naar) {
  if (!json_is_number(van) || !json_is_number(naar)) return json_null();
  return json_real(tp_round4(json_number_value(naar) - json_number_value(van)));
}

/* A member of `row` (NULL: the municipality is not in that round) as a
 * new reference; null when absent. */
static json_t *field(const json_t *row, const char *name) {
  const json_t *v = row != NULL ? json_object_get(row, name) : NULL;
  return v != NULL ? json_deep_copy(v) : json_null();
}

/* The comparison of one municipality's rows (either may be NULL). */
static json_t *vergelijk_een(const char *van_naam, const json_t *van, const char *naar_naam,
                             const json_t *naar) {
  const json_t *any = naar != NULL ? naar : van;
  const char *aanwezig = van != NULL && naar != NULL ? "beide" : van != NULL ? "alleen-van"
                                                                              : "alleen-naar";
  const json_t *kv = van ? json_object_get(van, "grootteklasse") : NULL;
  const json_t *kn = naar ? json_object_get(naar, "grootteklasse") : NULL;
  int gewijzigd = van != NULL && naar != NULL && !json_equal((json_t *)kv, (json_t *)kn);
  return json_pack(
      "{s:s, s:s, s:O, s:O, s:s, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
      "peilingVan", van_naam, "peilingNaar", naar_naam, "gemeente",
      json_object_get(any, "gemeente"), "naam", json_object_get(any, "naam"), "aanwezig", aanwezig,
      "grootteklasseVan", field(van, "grootteklasse"), "grootteklasseNaar",
      field(naar, "grootteklasse"), "grootteklasseGewijzigd", gewijzigd, "ftePer10000Van",
      field(van, "ftePer10000"), "ftePer10000Naar", field(naar, "ftePer10000"),
      "ftePer10000Verschil",
      verschil(van ? json_object_get(van, "ftePer10000") : NULL,
               naar ? json_object_get(naar, "ftePer10000") : NULL),
      "dekkingVan", field(van, "dekking"), "dekkingNaar", field(naar, "dekking"),
      "dekkingVerschil",
      verschil(van ? json_object_get(van, "dekking") : NULL,
               naar ? json_object_get(naar, "dekking") : NULL),
      "ontbrekendeKernrollenVan", field(van, "ontbrekendeKernrollen"),
      "ontbrekendeKernrollenNaar", field(naar, "ontbrekendeKernrollen"));
}

static const char *code_of(const json_t *rijen, size_t i) {
  const char *code = json_string_value(json_object_get(json_array_get(rijen, i), "gemeente"));
  return code != NULL ? code : "";
}

json_t *tp_peiling_vergelijk(const char *van_naam, const json_t *van, const char *naar_naam,
                             const json_t *naar) {
  json_t *out = json_array();
  size_t i = 0, j = 0, nv = json_array_size(van), nn = json_array_size(naar);
  int failed = out == NULL;
  /* Both sorted by code: one merge. */
  while (!failed && (i < nv || j < nn)) {
    int c = i == nv ? 1 : j == nn ? -1 : strcmp(code_of(van, i), code_of(naar, j));
    const json_t *a = c <= 0 ? json_array_get(van, i++) : NULL;
    const json_t *b = c >= 0 ? json_array_get(naar, j++) : NULL;
    failed = json_array_append_new(out, vergelijk_een(van_naam, a, naar_naam, b)) != 0;
  }
  if (failed) {
    json_decref(out);
    return NULL;
  }
  return out;
}

static const char *const VERGELIJKING_COLUMNS[] = {
    "peilingVan", "peilingNaar", "gemeente", "naam", "aanwezig", "grootteklasseVan", "grootteklasseNaar",
    "grootteklasseGewijzigd", "ftePer10000Van", "ftePer10000Naar", "ftePer10000Verschil",
    "dekkingVan", "dekkingNaar", "dekkingVerschil", "ontbrekendeKernrollenVan",
    "ontbrekendeKernrollenNaar", NULL,
};

/* A field of the CSV from the document's member `v`. */
static void csv_value(struct tp_textbuf *c, const json_t *v, int first) {
  if (json_is_string(v)) {
    tp_csv_field(c, json_string_value(v), first);
  } else if (json_is_integer(v)) {
    tp_csv_integer(c, (long long)json_integer_value(v));
  } else if (json_is_number(v)) {
    tp_csv_real(c, json_number_value(v));
  } else if (json_is_boolean(v)) {
    tp_csv_field(c, json_is_true(v) ? "true" : "false", first);
  } else if (json_is_array(v)) {
    struct tp_textbuf codes;
    tp_textbuf_init(&codes, VERGELIJKING_CSV_LIMIT);
    size_t i;
    const json_t *code;
    json_array_foreach(v, i, code) {
      if (i > 0) tp_textbuf_puts(&codes, " ");
      tp_textbuf_puts(&codes, json_string_value(code) ? json_string_value(code) : "");
    }
    tp_csv_field(c, codes.data != NULL ? codes.data : "", first);
    c->failed |= codes.failed;
    tp_textbuf_free(&codes);
  } else {
    tp_csv_field(c, NULL, first);
  }
}

char *tp_peiling_vergelijking_csv(const json_t *vergelijking, size_t *len) {
  struct tp_textbuf c;
  tp_textbuf_init(&c, VERGELIJKING_CSV_LIMIT);
  for (size_t k = 0; VERGELIJKING_COLUMNS[k] != NULL; k++) {
    tp_csv_field(&c, VERGELIJKING_COLUMNS[k], k == 0);
  }
  tp_textbuf_puts(&c, "\r\n");
  size_t i;
  const json_t *row;
  json_array_foreach(vergelijking, i, row) {
    for (size_t k = 0; VERGELIJKING_COLUMNS[k] != NULL; k++) {
      csv_value(&c, json_object_get(row, VERGELIJKING_COLUMNS[k]), k == 0);
    }
    tp_textbuf_puts(&c, "\r\n");
  }
  return tp_textbuf_finish(&c, len);
}
