#include "teamplotter/benchmark.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/stats.h"

/* Below this many municipalities a percentile would all but name the
 * others' figures, and it would say little anyway. */
#define BM_MIN_GROUP 5
#define BM_NEAREST 3
#define BM_REASON "minder dan 5 gemeenten met een profiel in deze grootteklasse"

int tp_grootteklasse(long inwoners) {
  static const long lower[] = {5000, 10000, 20000, 50000, 100000, 150000, 250000};
  if (inwoners < 0) return 0;
  int klasse = 1;
  for (size_t i = 0; i < sizeof(lower) / sizeof(lower[0]); i++)
    if (inwoners >= lower[i]) klasse = (int)i + 2;
  return klasse;
}

/* A sorted set of role codes (borrowed strings). */
struct roleset {
  const char **v;
  size_t n;
};

struct bref {
  const json_t *src;
  const char *gemeente;
  const char *teamprofiel;
  double inwoners, totaal, afstand;
  int has_afstand;
  struct roleset roles;
};

static const char *get_str(const json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

static double get_num(const json_t *obj, const char *key) {
  return json_number_value(json_object_get(obj, key));
}

static json_t *real4(double v) {
  return isfinite(v) ? json_real(tp_round4(v)) : json_null();
}

static json_t *number_copy(const json_t *v) {
  if (json_is_integer(v)) return json_integer(json_integer_value(v));
  if (json_is_real(v)) return real4(json_real_value(v));
  return json_null();
}

static void set(json_t *obj, const char *key, json_t *val, int *oom) {
  if (json_object_set_new(obj, key, val) != 0) *oom = 1;
}

static void push(json_t *arr, json_t *val, int *oom) {
  if (json_array_append_new(arr, val) != 0) *oom = 1;
}

static int cmp_str(const void *x, const void *y) {
  return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int cmp_nullable(const char *a, const char *b) {
  return strcmp(a ? a : "", b ? b : "");
}

static double total_fte(const json_t *leden) {
  double t = 0.0;
  size_t i;
  const json_t *lid;
  json_array_foreach(leden, i, lid) t += get_num(lid, "fte");
  return t;
}

/* The roles a team fields (a share > 0), sorted and unique. -1 when out of
 * memory. */
static int roleset_of(const json_t *leden, struct roleset *out) {
  size_t cap = 0, i, j;
  const json_t *lid, *share;
  out->v = NULL;
  out->n = 0;
  json_array_foreach(leden, i, lid) cap += json_array_size(json_object_get(lid, "rollen"));
  out->v = malloc((cap ? cap : 1) * sizeof(*out->v));
  if (!out->v) return -1;
  json_array_foreach(leden, i, lid) {
    json_array_foreach(json_object_get(lid, "rollen"), j, share) {
      const char *rol = get_str(share, "rol");
      if (rol && get_num(share, "aandeel") > 0.0) out->v[out->n++] = rol;
    }
  }
  qsort(out->v, out->n, sizeof(*out->v), cmp_str);
  size_t k = 0;
  for (i = 0; i < out->n; i++)
    if (k == 0 || strcmp(out->v[k - 1], out->v[i]) != 0) out->v[k++] = out->v[i];
  out->n = k;
  return 0;
}

static int roleset_has(const struct roleset *s, const char *code) {
  return bsearch(&code, s->v, s->n, sizeof(*s->v), cmp_str) != NULL;
}

static size_t intersection(const struct roleset *a, const struct roleset *b) {
  size_t i = 0, j = 0, n = 0;
  while (i < a->n && j < b->n) {
    int c = strcmp(a->v[i], b->v[j]);
    if (c == 0) n++;
    if (c <= 0) i++;
    if (c >= 0) j++;
  }
  return n;
}

/* Jaccard index |A ∩ B| / |A ∪ B|; two empty sets have nothing to compare,
 * so the index is undefined (null) rather than 0 or 1. */
static json_t *jaccard(const struct roleset *a, const struct roleset *b) {
  size_t inter = intersection(a, b);
  size_t uni = a->n + b->n - inter;
  return uni ? real4((double)inter / (double)uni) : json_null();
}

static int cmp_bref(const void *x, const void *y) {
  const struct bref *a = x, *b = y;
  int c = cmp_nullable(a->gemeente, b->gemeente);
  if (c) return c;
  c = cmp_nullable(a->teamprofiel, b->teamprofiel);
  if (c) return c;
  if (a->inwoners != b->inwoners) return a->inwoners < b->inwoners ? -1 : 1;
  return (a->totaal > b->totaal) - (a->totaal < b->totaal);
}

/* Nearest first by the distance as shown (4 decimals), so that 5 000 and
 * 20 000 are equally near to 10 000 and then rank by code. */
static int cmp_near(const void *x, const void *y) {
  const struct bref *a = *(const struct bref *const *)x, *b = *(const struct bref *const *)y;
  double da = tp_round4(a->afstand), db = tp_round4(b->afstand);
  if (da != db) return da < db ? -1 : 1;
  return cmp_bref(a, b);
}

/* The coverage of each reference's own team against all references, the
 * formula of the gap analysis: sum over its roles of the share of
 * references fielding that role, divided by that sum over every role.
 * Both sums carry the factor 1/|R|, so whole counts give it exactly. */
static void reference_coverage(const struct bref *refs, size_t n, double *out, int *defined) {
  size_t den = 0;
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < refs[i].roles.n; k++) {
      const char *code = refs[i].roles.v[k];
      /* Each role counted once: at the first reference that fields it. */
      int seen = 0;
      for (size_t j = 0; j < i && !seen; j++) seen = roleset_has(&refs[j].roles, code);
      if (seen) continue;
      for (size_t j = i; j < n; j++) den += (size_t)roleset_has(&refs[j].roles, code);
    }
  }
  for (size_t i = 0; i < n; i++) {
    size_t num = 0;
    for (size_t k = 0; k < refs[i].roles.n; k++)
      for (size_t j = 0; j < n; j++) num += (size_t)roleset_has(&refs[j].roles, refs[i].roles.v[k]);
    defined[i] = den > 0;
    out[i] = den ? (double)num / (double)den : 0.0;
  }
}

/* 100 * (values strictly below x) / (n - 1); x is one of the n values. */
static double percent_rank(const double *values, size_t n, double x) {
  size_t below = 0;
  for (size_t i = 0; i < n; i++)
    if (values[i] < x) below++;
  return n > 1 ? 100.0 * (double)below / (double)(n - 1) : 0.0;
}

static json_t *position(const json_t *subject, double fte10k, int klasse, const json_t *peers,
                        int *oom) {
  const char *code = get_str(subject, "gemeente");
  const json_t *dek = json_object_get(subject, "dekking");
  size_t cap = json_array_size(peers) + 1, n = 0, nd = 0, i;
  double *fte = malloc(cap * sizeof(double));
  double *cov = malloc(cap * sizeof(double));
  if (!fte || !cov) {
    free(fte);
    free(cov);
    *oom = 1;
    return NULL;
  }
  /* Values compared as shown, rounded to 4 decimals, so equal-looking
   * figures tie. */
  fte[n++] = tp_round4(fte10k);
  if (json_is_number(dek)) cov[nd++] = tp_round4(json_number_value(dek));
  const json_t *p;
  json_array_foreach(peers, i, p) {
    const char *pc = get_str(p, "gemeente");
    double pn = get_num(p, "inwoners");
    if (code && pc && strcmp(code, pc) == 0) continue;
    if (!(pn > 0.0) || tp_grootteklasse((long)pn) != klasse) continue;
    fte[n++] = tp_round4(get_num(p, "totaalFte") / pn * 10000.0);
    const json_t *pd = json_object_get(p, "dekking");
    if (json_is_number(pd)) cov[nd++] = tp_round4(json_number_value(pd));
  }

  json_t *pos = json_object();
  int suppressed = n < BM_MIN_GROUP;
  set(pos, "groepsgrootte", json_integer((json_int_t)n), oom);
  set(pos, "ftePer10000Percentiel",
      suppressed || !isfinite(fte[0]) ? json_null() : real4(percent_rank(fte, n, fte[0])), oom);
  /* Only municipalities with a known coverage take part; fewer than 5 of
   * them gives no percentile either. */
  set(pos, "dekkingPercentiel",
      suppressed || !json_is_number(dek) || nd < BM_MIN_GROUP
          ? json_null()
          : real4(percent_rank(cov, nd, cov[0])),
      oom);
  set(pos, "onderdrukt", json_boolean(suppressed), oom);
  set(pos, "reden", suppressed ? json_string(BM_REASON) : json_null(), oom);
  free(fte);
  free(cov);
  return pos;
}

json_t *tp_benchmark(const json_t *subject, const json_t *referenties, const json_t *peers) {
  int oom = 0;
  size_t nin = json_array_size(referenties), n = 0, i;
  struct bref *refs = calloc(nin ? nin : 1, sizeof(*refs));
  struct bref **near = calloc(nin ? nin : 1, sizeof(*near));
  double *cover = calloc(nin ? nin : 1, sizeof(double));
  int *cover_ok = calloc(nin ? nin : 1, sizeof(int));
  struct roleset own = {NULL, 0};
  json_t *doc = NULL;
  if (!refs || !near || !cover || !cover_ok ||
      roleset_of(json_object_get(subject, "leden"), &own) != 0)
    goto done;

  const json_t *jn = json_object_get(subject, "inwoners");
  double inwoners = json_number_value(jn);
  int has_n = json_is_number(jn) && isfinite(inwoners) && inwoners > 0.0;
  double totaal = total_fte(json_object_get(subject, "leden"));

  const json_t *v;
  json_array_foreach(referenties, i, v) {
    double ni = get_num(v, "inwoners");
    if (!(isfinite(ni) && ni > 0.0)) continue;
    struct bref *r = &refs[n];
    r->src = v;
    r->gemeente = get_str(v, "gemeente");
    r->teamprofiel = get_str(v, "teamprofiel");
    r->inwoners = ni;
    r->totaal = total_fte(json_object_get(v, "leden"));
    r->has_afstand = has_n;
    r->afstand = has_n ? fabs(log(inwoners) - log(ni)) : 0.0;
    n++;
    if (roleset_of(json_object_get(v, "leden"), &r->roles) != 0) goto done;
  }
  qsort(refs, n, sizeof(*refs), cmp_bref);
  reference_coverage(refs, n, cover, cover_ok);

  const char *code = get_str(subject, "gemeente");
  const char *naam = get_str(subject, "naam");
  int klasse = has_n ? tp_grootteklasse((long)inwoners) : 0;
  double fte10k = has_n ? totaal / inwoners * 10000.0 : NAN;
  const json_t *dek = json_object_get(subject, "dekking");

  doc = json_object();
  set(doc, "gemeente", code ? json_string(code) : json_null(), &oom);
  set(doc, "naam", naam ? json_string(naam) : json_null(), &oom);
  set(doc, "inwoners", number_copy(jn), &oom);
  set(doc, "grootteklasse", klasse ? json_integer(klasse) : json_null(), &oom);
  set(doc, "totaalFte", real4(totaal), &oom);
  set(doc, "ftePer10000", real4(fte10k), &oom);
  set(doc, "dekking", json_is_number(dek) ? real4(json_number_value(dek)) : json_null(), &oom);

  /* A municipality is not its own reference: a reference municipality is
   * compared with the other six. */
  json_t *rows = json_array();
  size_t nnear = 0;
  for (i = 0; i < n; i++) {
    const struct bref *r = &refs[i];
    if (code && r->gemeente && strcmp(code, r->gemeente) == 0) continue;
    json_t *row = json_object();
    set(row, "gemeente", r->gemeente ? json_string(r->gemeente) : json_null(), &oom);
    set(row, "inwoners", number_copy(json_object_get(r->src, "inwoners")), &oom);
    set(row, "totaalFte", real4(r->totaal), &oom);
    set(row, "ftePer10000", real4(r->totaal / r->inwoners * 10000.0), &oom);
    set(row, "dekking", cover_ok[i] ? real4(cover[i]) : json_null(), &oom);
    set(row, "rolOverlap", jaccard(&own, &r->roles), &oom);
    set(row, "afstand", r->has_afstand ? real4(r->afstand) : json_null(), &oom);
    push(rows, row, &oom);
    if (r->has_afstand && r->gemeente) near[nnear++] = &refs[i];
  }
  set(doc, "referenties", rows, &oom);

  qsort(near, nnear, sizeof(*near), cmp_near);
  json_t *nearest = json_array();
  for (i = 0; i < nnear && i < BM_NEAREST; i++) push(nearest, json_string(near[i]->gemeente), &oom);
  set(doc, "dichtstbijzijnd", nearest, &oom);
  set(doc, "positie", position(subject, fte10k, klasse, peers, &oom), &oom);

done:
  if (!doc || oom) {
    json_decref(doc);
    doc = NULL;
  }
  for (i = 0; i < n; i++) free(refs[i].roles.v);
  free(own.v);
  free(refs);
  free(near);
  free(cover);
  free(cover_ok);
  return doc;
}
