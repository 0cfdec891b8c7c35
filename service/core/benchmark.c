#include "teamplotter/benchmark.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/doc.h"
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
  struct tp_doc_ref doc; /* municipality, profile, size, total fte */
  double afstand;
  int has_afstand;
  struct roleset roles;
};

static void roleset_sort_unique(struct roleset *s) {
  qsort(s->v, s->n, sizeof(*s->v), tp_doc_cmp_str);
  size_t k = 0;
  for (size_t i = 0; i < s->n; i++)
    if (k == 0 || strcmp(s->v[k - 1], s->v[i]) != 0) s->v[k++] = s->v[i];
  s->n = k;
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
      const char *rol = tp_doc_str(share, "rol");
      if (rol && tp_doc_num(share, "aandeel") > 0.0) out->v[out->n++] = rol;
    }
  }
  roleset_sort_unique(out);
  return 0;
}

static int roleset_has(const struct roleset *s, const char *code) {
  return bsearch(&code, s->v, s->n, sizeof(*s->v), tp_doc_cmp_str) != NULL;
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
  return uni ? tp_doc_real4((double)inter / (double)uni) : json_null();
}

static int cmp_bref(const void *x, const void *y) {
  return tp_doc_ref_cmp(&((const struct bref *)x)->doc, &((const struct bref *)y)->doc);
}

/* Nearest first by the distance as shown (4 decimals), so that 5 000 and
 * 20 000 are equally near to 10 000 and then rank by code. */
static int cmp_near(const void *x, const void *y) {
  const struct bref *a = *(const struct bref *const *)x, *b = *(const struct bref *const *)y;
  double da = tp_round4(a->afstand), db = tp_round4(b->afstand);
  if (da != db) return da < db ? -1 : 1;
  return cmp_bref(a, b);
}

/* The coverage of each reference's own team against all references, as
 * the gap analysis computes it for a team (tp_coverage), over every role
 * some reference fields. -1 when out of memory. */
static int reference_coverage(const struct bref *refs, size_t n, double *out, int *defined) {
  size_t cap = 0;
  for (size_t i = 0; i < n; i++) cap += refs[i].roles.n;
  struct roleset all = {malloc((cap ? cap : 1) * sizeof(*all.v)), 0};
  size_t *fielding = malloc((cap ? cap : 1) * sizeof(*fielding));
  if (!all.v || !fielding) {
    free(all.v);
    free(fielding);
    return -1;
  }
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < refs[i].roles.n; k++) all.v[all.n++] = refs[i].roles.v[k];
  roleset_sort_unique(&all);
  for (size_t k = 0; k < all.n; k++) {
    fielding[k] = 0;
    for (size_t j = 0; j < n; j++) fielding[k] += (size_t)roleset_has(&refs[j].roles, all.v[k]);
  }
  for (size_t i = 0; i < n; i++) {
    /* Against the other references, as the gap analysis measures a
     * reference municipality (leave-one-out). */
    struct tp_coverage c = {0, 0};
    for (size_t k = 0; k < all.n; k++) {
      int has = roleset_has(&refs[i].roles, all.v[k]);
      tp_coverage_add(&c, fielding[k] - (size_t)has, has);
    }
    defined[i] = tp_coverage_value(&c, &out[i]) == 0;
  }
  free(all.v);
  free(fielding);
  return 0;
}

/* The peers of one size class, ranked once for all of its members. */
struct rank_entry {
  const char *code;
  double fte; /* ftePer10000 as shown */
  double cov; /* dekking as shown, when has_cov */
  int has_cov;
};

struct class_ranks {
  double *fte; /* sorted */
  size_t n;
  double *cov; /* sorted, the peers with a known coverage */
  size_t nd;
  struct rank_entry *by_code; /* sorted by code: to take the subject out */
  size_t ncode;
};

#define BM_CLASSES 9 /* tp_grootteklasse: 0..8 */

struct tp_peer_ranks {
  struct class_ranks k[BM_CLASSES];
};

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

static int cmp_entry(const void *x, const void *y) {
  return strcmp(((const struct rank_entry *)x)->code, ((const struct rank_entry *)y)->code);
}

void tp_peer_ranks_free(struct tp_peer_ranks *r) {
  if (!r) return;
  for (int k = 0; k < BM_CLASSES; k++) {
    free(r->k[k].fte);
    free(r->k[k].cov);
    free(r->k[k].by_code);
  }
  free(r);
}

struct tp_peer_ranks *tp_peer_ranks_new(const json_t *peers) {
  struct tp_peer_ranks *r = calloc(1, sizeof(*r));
  size_t count[BM_CLASSES] = {0}, i;
  const json_t *p;
  if (!r) return NULL;
  /* A peer counts in the class of its own size, as the subject's. */
  json_array_foreach(peers, i, p) {
    double pn = tp_doc_num(p, "inwoners");
    if (pn > 0.0) count[tp_grootteklasse((long)pn)]++;
  }
  for (int k = 0; k < BM_CLASSES; k++) {
    struct class_ranks *c = &r->k[k];
    c->fte = malloc((count[k] ? count[k] : 1) * sizeof(double));
    c->cov = malloc((count[k] ? count[k] : 1) * sizeof(double));
    c->by_code = malloc((count[k] ? count[k] : 1) * sizeof(*c->by_code));
    if (!c->fte || !c->cov || !c->by_code) {
      tp_peer_ranks_free(r);
      return NULL;
    }
  }
  json_array_foreach(peers, i, p) {
    double pn = tp_doc_num(p, "inwoners");
    if (!(pn > 0.0)) continue;
    struct class_ranks *c = &r->k[tp_grootteklasse((long)pn)];
    /* Values compared as shown, rounded to 4 decimals, so equal-looking
     * figures tie. */
    struct rank_entry e = {tp_doc_str(p, "gemeente"),
                           tp_round4(tp_doc_num(p, "totaalFte") / pn * 10000.0), 0.0, 0};
    const json_t *pd = json_object_get(p, "dekking");
    if (json_is_number(pd)) {
      e.cov = tp_round4(json_number_value(pd));
      e.has_cov = 1;
      c->cov[c->nd++] = e.cov;
    }
    c->fte[c->n++] = e.fte;
    if (e.code) c->by_code[c->ncode++] = e;
  }
  for (int k = 0; k < BM_CLASSES; k++) {
    struct class_ranks *c = &r->k[k];
    qsort(c->fte, c->n, sizeof(double), cmp_double);
    qsort(c->cov, c->nd, sizeof(double), cmp_double);
    qsort(c->by_code, c->ncode, sizeof(*c->by_code), cmp_entry);
  }
  return r;
}

/* How many of the n sorted values are strictly below x. */
static size_t count_below(const double *sorted, size_t n, double x) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (sorted[mid] < x)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* 100 * (values strictly below x) / (n - 1); x is one of the n values. */
static double percent_rank(size_t below, size_t n) {
  return n > 1 ? 100.0 * (double)below / (double)(n - 1) : 0.0;
}

static json_t *position(const json_t *subject, double fte10k, int klasse,
                        const struct tp_peer_ranks *ranks, int *oom) {
  const char *code = tp_doc_str(subject, "gemeente");
  const json_t *dek = json_object_get(subject, "dekking");
  const struct class_ranks *c = &ranks->k[klasse >= 0 && klasse < BM_CLASSES ? klasse : 0];
  double x = tp_round4(fte10k), y = json_is_number(dek) ? tp_round4(json_number_value(dek)) : 0.0;
  /* The subject counts once, with its own figures: its entry among the
   * peers, if any, comes out. */
  size_t n = c->n + 1, nd = c->nd + (json_is_number(dek) ? 1 : 0);
  size_t below = count_below(c->fte, c->n, x), below_cov = count_below(c->cov, c->nd, y);
  if (code && c->ncode > 0) {
    struct rank_entry key = {code, 0.0, 0.0, 0};
    const struct rank_entry *e = bsearch(&key, c->by_code, c->ncode, sizeof(key), cmp_entry);
    const struct rank_entry *end = c->by_code + c->ncode;
    while (e && e > c->by_code && strcmp(e[-1].code, code) == 0) e--;
    for (; e && e < end && strcmp(e->code, code) == 0; e++) {
      n--;
      below -= e->fte < x;
      if (e->has_cov) {
        nd--;
        below_cov -= e->cov < y;
      }
    }
  }

  json_t *pos = json_object();
  int suppressed = n < BM_MIN_GROUP;
  tp_doc_set(pos, "groepsgrootte", json_integer((json_int_t)n), oom);
  tp_doc_set(pos, "ftePer10000Percentiel",
             suppressed || !isfinite(x) ? json_null() : tp_doc_real4(percent_rank(below, n)), oom);
  /* Only municipalities with a known coverage take part; fewer than 5 of
   * them gives no percentile either. */
  tp_doc_set(pos, "dekkingPercentiel",
             suppressed || !json_is_number(dek) || nd < BM_MIN_GROUP
                 ? json_null()
                 : tp_doc_real4(percent_rank(below_cov, nd)),
             oom);
  tp_doc_set(pos, "onderdrukt", json_boolean(suppressed), oom);
  tp_doc_set(pos, "reden", suppressed ? json_string(BM_REASON) : json_null(), oom);
  return pos;
}

json_t *tp_benchmark_ranked(const json_t *subject, const json_t *referenties,
                           const struct tp_peer_ranks *ranks) {
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
  double totaal = tp_doc_total_fte(json_object_get(subject, "leden"));

  const json_t *v;
  json_array_foreach(referenties, i, v) {
    struct bref *r = &refs[n];
    if (tp_doc_ref_read(v, &r->doc) != 0) continue;
    r->has_afstand = has_n;
    r->afstand = has_n ? fabs(log(inwoners) - log(r->doc.inwoners)) : 0.0;
    n++;
    if (roleset_of(json_object_get(v, "leden"), &r->roles) != 0) goto done;
  }
  qsort(refs, n, sizeof(*refs), cmp_bref);
  if (reference_coverage(refs, n, cover, cover_ok) != 0) goto done;

  const char *code = tp_doc_str(subject, "gemeente");
  const char *naam = tp_doc_str(subject, "naam");
  int klasse = has_n ? tp_grootteklasse((long)inwoners) : 0;
  double fte10k = has_n ? totaal / inwoners * 10000.0 : NAN;
  const json_t *dek = json_object_get(subject, "dekking");

  doc = json_object();
  tp_doc_set(doc, "gemeente", tp_doc_str_or_null(code), &oom);
  tp_doc_set(doc, "naam", tp_doc_str_or_null(naam), &oom);
  tp_doc_set(doc, "inwoners", tp_doc_number_copy(jn), &oom);
  tp_doc_set(doc, "grootteklasse", klasse ? json_integer(klasse) : json_null(), &oom);
  tp_doc_set(doc, "totaalFte", tp_doc_real4(totaal), &oom);
  tp_doc_set(doc, "ftePer10000", tp_doc_real4(fte10k), &oom);
  tp_doc_set(doc, "dekking",
             json_is_number(dek) ? tp_doc_real4(json_number_value(dek)) : json_null(), &oom);

  /* A municipality is not its own reference: a reference municipality is
   * compared with the other six. */
  json_t *rows = json_array();
  size_t nnear = 0;
  for (i = 0; i < n; i++) {
    const struct bref *r = &refs[i];
    const struct tp_doc_ref *d = &r->doc;
    if (code && d->gemeente && strcmp(code, d->gemeente) == 0) continue;
    json_t *row = json_object();
    tp_doc_set(row, "gemeente", tp_doc_str_or_null(d->gemeente), &oom);
    tp_doc_set(row, "inwoners", tp_doc_number_copy(json_object_get(d->src, "inwoners")), &oom);
    tp_doc_set(row, "totaalFte", tp_doc_real4(d->totaal), &oom);
    tp_doc_set(row, "ftePer10000", tp_doc_real4(d->totaal / d->inwoners * 10000.0), &oom);
    tp_doc_set(row, "dekking", cover_ok[i] ? tp_doc_real4(cover[i]) : json_null(), &oom);
    tp_doc_set(row, "rolOverlap", jaccard(&own, &r->roles), &oom);
    tp_doc_set(row, "afstand", r->has_afstand ? tp_doc_real4(r->afstand) : json_null(), &oom);
    tp_doc_push(rows, row, &oom);
    if (r->has_afstand && d->gemeente) near[nnear++] = &refs[i];
  }
  tp_doc_set(doc, "referenties", rows, &oom);

  qsort(near, nnear, sizeof(*near), cmp_near);
  json_t *nearest = json_array();
  for (i = 0; i < nnear && i < BM_NEAREST; i++)
    tp_doc_push(nearest, json_string(near[i]->doc.gemeente), &oom);
  tp_doc_set(doc, "dichtstbijzijnd", nearest, &oom);
  tp_doc_set(doc, "positie", position(subject, fte10k, klasse, ranks, &oom), &oom);

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

json_t *tp_benchmark(const json_t *subject, const json_t *referenties, const json_t *peers) {
  struct tp_peer_ranks *ranks = tp_peer_ranks_new(peers);
  json_t *doc = ranks ? tp_benchmark_ranked(subject, referenties, ranks) : NULL;
  tp_peer_ranks_free(ranks);
  return doc;
}
