/* Benchmark rounds: the body of a new round and a round's summary per
 * size class. */
#include "teamplotter/peiling.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "teamplotter/benchmark.h"
#include "teamplotter/benchmark_rows.h"
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
                 "Verwacht 1 tot en met 40 tekens uit A-Z, a-z, 0-9, '.', '_' en '-'.");
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

/* {p25, mediaan, p75} of `n` values (sorted here), or all null when not `shown`. */
static json_t *kwartielen(double *values, size_t n, int dekking, int shown) {
  double q[3] = {NAN, NAN, NAN};
  if (shown) {
    qsort(values, n, sizeof(*values), cmp_double);
    tp_benchmark_kwartielen(values, n, dekking, q);
  }
  json_t *out = json_object();
  const char *names[3] = {"p25", "mediaan", "p75"};
  for (int k = 0; k < 3; k++) {
    json_object_set_new(out, names[k], isfinite(q[k]) ? json_real(q[k]) : json_null());
  }
  return out;
}

/* The summary of size class `klasse` among `rijen`, `fte` and `dek` scratch
 * room for all rows. */
static json_t *klasse_samenvatting(const json_t *rijen, int klasse, double *fte, double *dek) {
  size_t n = 0, nfte = 0, ndek = 0, vrij = 0, vrij_dek = 0, i;
  const json_t *row;
  json_array_foreach(rijen, i, row) {
    if (json_integer_value(json_object_get(row, "grootteklasse")) != klasse) continue;
    n++;
    const char *gemeente = json_string_value(json_object_get(row, "gemeente"));
    int public_figures = gemeente != NULL && is_reference(row, gemeente);
    const json_t *f = json_object_get(row, "ftePer10000");
    const json_t *d = json_object_get(row, "dekking");
    if (json_is_number(f)) fte[nfte++] = json_number_value(f);
    if (json_is_number(d)) dek[ndek++] = json_number_value(d);
    vrij += !public_figures;
    vrij_dek += !public_figures && json_is_number(d);
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

json_t *tp_peiling_samenvatting(const json_t *rijen) {
  size_t n = json_array_size(rijen);
  double *fte = malloc((n ? n : 1) * sizeof(*fte));
  double *dek = malloc((n ? n : 1) * sizeof(*dek));
  json_t *klassen = json_array();
  int failed = fte == NULL || dek == NULL || klassen == NULL;
  for (int k = 1; !failed && k <= KLASSEN; k++) {
    failed = json_array_append_new(klassen, klasse_samenvatting(rijen, k, fte, dek)) != 0;
  }
  free(fte);
  free(dek);
  if (failed) {
    json_decref(klassen);
    return NULL;
  }
  return json_pack("{s:o}", "grootteklassen", klassen);
}

json_t *tp_peiling_samenvatting_van(const struct tp_bm_rows *rows) {
  json_t *rijen = json_array();
  int failed = rijen == NULL;
  for (size_t i = 0; !failed && i < tp_bm_rows_count(rows); i++) {
    size_t len;
    const char *text = tp_bm_rows_text(rows, i, &len);
    failed = json_array_append_new(rijen, json_loadb(text, len, 0, NULL)) != 0;
  }
  json_t *out = failed ? NULL : tp_peiling_samenvatting(rijen);
  json_decref(rijen);
  return out;
}
