#include "teamplotter/benchmark.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

#include "teamplotter/render.h"
#include "teamplotter/stats.h"
#include "teamplotter/textbuf.h"

/* Below this many other municipalities in the size class nothing of the
 * class is published: quartiles of fewer values all but name the others'
 * figures, and a rank among them would say little anyway. Only others that
 * are not reference municipalities count: the reference profiles are
 * public, so five others of which three are references hide just two
 * figures. */
#define BM_MIN_OTHERS 5
#define BM_NEAREST 3
#define BM_REASON                                                      \
  "minder dan 5 andere gemeenten met een profiel in deze grootteklasse " \
  "(referentiegemeenten tellen niet mee)"
/* The grids the quartiles of the others are published on, in units of
 * 0.0001 (docs/methode.md, "De benchmark"). With five others PERCENTILE.INC
 * gives three of their values themselves, and else blends of two
 * neighbours; at 4 decimals, times the public number of inhabitants, such
 * a value names a team's total fte. A cell of 0.1 fte per 10 000 is 0.1 to
 * 0.2 fte of a municipality of 10 000 to 20 000 inhabitants and more above;
 * a coverage is a count out of 106 with the seven references of 2019, so a
 * cell of 0.05 holds some five of them where 0.01 would hold one. */
#define BM_GRID_FTE 1000    /* 0.1 fte per 10 000 inhabitants */
#define BM_GRID_DEKKING 500 /* 0.05 coverage */
/* A subject's own entries among the peers, kept on the stack: there is
 * one at most in the rows of the service. */
#define BM_OWN_STACK 4

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
  const char *const *v;
  size_t n;
};

struct bref {
  struct tp_doc_ref doc; /* municipality, profile, size, total fte */
  double log_inwoners;
  const char **rollen; /* roles_of its members */
  size_t nrollen;
  int has_dekking; /* against the other references */
  double dekking;
  char *prefix; /* its row up to the value of rolOverlap: the same for every subject */
};

struct tp_bm_refs {
  struct bref *v; /* sorted by cmp_bref */
  size_t n;
  /* The municipality of every reference profile, also of one skipped for
   * want of inhabitants, sorted, each once: their figures are public. */
  const char **gemeenten;
  size_t ngemeenten;
  /* Every role some reference fields, by code, and per reference the set
   * of its roles as bits of that list, when there are at most 64: a
   * subject's overlap with each reference is then one AND, not a merge of
   * code lists per reference. */
  const char **codes;
  size_t ncodes;
  uint64_t *masks; /* per reference; NULL when more than 64 roles */
};

static size_t sort_unique(const char **v, size_t n) {
  qsort(v, n, sizeof(*v), tp_doc_cmp_str);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (k == 0 || strcmp(v[k - 1], v[i]) != 0) v[k++] = v[i];
  return k;
}

/* The roles members `leden` field (a share > 0), sorted by code, each once:
 * a malloc()ed array of strings borrowed from `leden`, its length in *n.
 * NULL when out of memory. */
static const char **roles_of(const json_t *leden, size_t *n) {
  size_t cap = 0, i, j;
  const json_t *lid, *share;
  json_array_foreach(leden, i, lid) cap += json_array_size(json_object_get(lid, "rollen"));
  const char **v = malloc((cap ? cap : 1) * sizeof(*v));
  if (!v) return NULL;
  size_t k = 0;
  json_array_foreach(leden, i, lid) {
    json_array_foreach(json_object_get(lid, "rollen"), j, share) {
      const char *rol = tp_doc_str(share, "rol");
      if (rol && tp_doc_num(share, "aandeel") > 0.0) v[k++] = rol;
    }
  }
  *n = sort_unique(v, k);
  return v;
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
 * so the index is undefined (NAN: null) rather than 0 or 1. */
static double jaccard(size_t inter, size_t na, size_t nb) {
  size_t uni = na + nb - inter;
  return uni ? (double)inter / (double)uni : NAN;
}

static int cmp_bref(const void *x, const void *y) {
  return tp_doc_ref_cmp(&((const struct bref *)x)->doc, &((const struct bref *)y)->doc);
}

/* A reference nearest to the subject: its distance as shown (4 decimals). */
struct near {
  const struct bref *ref;
  double afstand;
};

/* Nearest first by the distance as shown, so that 5 000 and 20 000 are
 * equally near to 10 000 and then rank by code. */
static int cmp_near(const void *x, const void *y) {
  const struct near *a = x, *b = y;
  if (a->afstand != b->afstand) return a->afstand < b->afstand ? -1 : 1;
  return cmp_bref(a->ref, b->ref);
}

/* The coverage of each reference's own team against the other references,
 * as the gap analysis computes it for a team (tp_coverage), over every
 * role some reference fields. -1 when out of memory. */
static int reference_coverage(struct bref *refs, size_t n) {
  size_t cap = 0;
  for (size_t i = 0; i < n; i++) cap += refs[i].nrollen;
  const char **all = malloc((cap ? cap : 1) * sizeof(*all));
  size_t *fielding = malloc((cap ? cap : 1) * sizeof(*fielding));
  if (!all || !fielding) {
    free(all);
    free(fielding);
    return -1;
  }
  size_t nall = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < refs[i].nrollen; k++) all[nall++] = refs[i].rollen[k];
  nall = sort_unique(all, nall);
  for (size_t k = 0; k < nall; k++) {
    fielding[k] = 0;
    for (size_t j = 0; j < n; j++) {
      struct roleset rs = {refs[j].rollen, refs[j].nrollen};
      fielding[k] += (size_t)roleset_has(&rs, all[k]);
    }
  }
  for (size_t i = 0; i < n; i++) {
    /* Against the other references, as the gap analysis measures a
     * reference municipality (leave-one-out). */
    struct roleset own = {refs[i].rollen, refs[i].nrollen};
    struct tp_coverage c = {0, 0};
    for (size_t k = 0; k < nall; k++) {
      int has = roleset_has(&own, all[k]);
      tp_coverage_add(&c, fielding[k] - (size_t)has, has);
    }
    refs[i].has_dekking = tp_coverage_value(&c, &refs[i].dekking) == 0;
  }
  free(all);
  free(fielding);
  return 0;
}

/* --- writing ---------------------------------------------------------------- */

static void put(struct tp_textbuf *b, const char *s) { tp_textbuf_puts(b, s); }

/* A real as the document shows it: 4 decimals, null when not finite. */
static void put_real4(struct tp_textbuf *b, double v) { tp_json_put_real(b, tp_round4(v)); }

/* {p25, mediaan, p75}, or null when there are none (NAN). */
static void put_quartiles(struct tp_textbuf *b, const double q[3]) {
  if (!isfinite(q[0])) {
    put(b, "null");
    return;
  }
  put(b, "{\"p25\":");
  tp_json_put_real(b, q[0]);
  put(b, ",\"mediaan\":");
  tp_json_put_real(b, q[1]);
  put(b, ",\"p75\":");
  tp_json_put_real(b, q[2]);
  put(b, "}");
}

/* A number as the input gave it: an integer stays an integer, a real is
 * shown with 4 decimals, anything else is null (tp_doc_number_copy). */
static void put_number(struct tp_textbuf *b, const json_t *v) {
  if (json_is_integer(v))
    tp_json_put_integer(b, (long long)json_integer_value(v));
  else if (json_is_real(v))
    put_real4(b, json_real_value(v));
  else
    put(b, "null");
}

void tp_bm_refs_free(struct tp_bm_refs *r) {
  if (!r) return;
  free(r->gemeenten);
  free(r->codes);
  free(r->masks);
  for (size_t i = 0; i < r->n; i++) {
    free(r->v[i].rollen);
    free(r->v[i].prefix);
  }
  free(r->v);
  free(r);
}

/* The part of reference i's row that is the same for every subject. */
static char *ref_prefix(const struct bref *r) {
  struct tp_textbuf b;
  tp_textbuf_init(&b, 4096);
  put(&b, "{\"gemeente\":");
  int bad = tp_json_put_string(&b, r->doc.gemeente);
  put(&b, ",\"inwoners\":");
  put_number(&b, json_object_get(r->doc.src, "inwoners"));
  put(&b, ",\"totaalFte\":");
  put_real4(&b, r->doc.totaal);
  put(&b, ",\"ftePer10000\":");
  put_real4(&b, r->doc.totaal / r->doc.inwoners * 10000.0);
  put(&b, ",\"dekking\":");
  put_real4(&b, r->has_dekking ? r->dekking : NAN);
  put(&b, ",\"rolOverlap\":");
  char *text = tp_textbuf_finish(&b, NULL);
  if (bad) {
    free(text);
    return NULL;
  }
  return text;
}

/* The bit of `code` in the references' role list, or -1. */
static long role_bit(const struct tp_bm_refs *r, const char *code) {
  const char **hit = bsearch(&code, r->codes, r->ncodes, sizeof(*r->codes), tp_doc_cmp_str);
  return hit ? (long)(hit - r->codes) : -1;
}

static int role_masks(struct tp_bm_refs *r) {
  size_t cap = 0;
  for (size_t i = 0; i < r->n; i++) cap += r->v[i].nrollen;
  if (!(r->codes = malloc((cap ? cap : 1) * sizeof(*r->codes)))) return -1;
  for (size_t i = 0; i < r->n; i++)
    for (size_t k = 0; k < r->v[i].nrollen; k++) r->codes[r->ncodes++] = r->v[i].rollen[k];
  r->ncodes = sort_unique(r->codes, r->ncodes);
  if (r->ncodes > 64) return 0; /* overlaps by merging code lists */
  if (!(r->masks = calloc(r->n ? r->n : 1, sizeof(*r->masks)))) return -1;
  for (size_t i = 0; i < r->n; i++)
    for (size_t k = 0; k < r->v[i].nrollen; k++)
      r->masks[i] |= UINT64_C(1) << role_bit(r, r->v[i].rollen[k]);
  return 0;
}

struct tp_bm_refs *tp_bm_refs_new(const json_t *referenties) {
  struct tp_bm_refs *r = calloc(1, sizeof(*r));
  size_t nin = json_array_size(referenties), i;
  if (!r || !(r->v = calloc(nin ? nin : 1, sizeof(*r->v))) ||
      !(r->gemeenten = malloc((nin ? nin : 1) * sizeof(*r->gemeenten))))
    goto fail;
  const json_t *v;
  json_array_foreach(referenties, i, v) {
    const char *gemeente = tp_doc_str(v, "gemeente");
    if (gemeente) r->gemeenten[r->ngemeenten++] = gemeente;
    struct bref *x = &r->v[r->n];
    if (tp_doc_ref_read(v, &x->doc) != 0) continue;
    x->log_inwoners = log(x->doc.inwoners);
    r->n++;
    if (!(x->rollen = roles_of(json_object_get(v, "leden"), &x->nrollen))) goto fail;
  }
  r->ngemeenten = sort_unique(r->gemeenten, r->ngemeenten);
  qsort(r->v, r->n, sizeof(*r->v), cmp_bref);
  if (reference_coverage(r->v, r->n) != 0) goto fail;
  for (i = 0; i < r->n; i++)
    if (!(r->v[i].prefix = ref_prefix(&r->v[i]))) goto fail;
  if (role_masks(r) != 0) goto fail;
  return r;
fail:
  tp_bm_refs_free(r);
  return NULL;
}

/* --- ranks ------------------------------------------------------------------ */

/* Whether `gemeente` has a reference profile among `r`. */
static int is_reference(const struct tp_bm_refs *r, const char *gemeente) {
  return gemeente && bsearch(&gemeente, r->gemeenten, r->ngemeenten, sizeof(*r->gemeenten),
                             tp_doc_cmp_str) != NULL;
}

/* The peers of one size class, ranked once for all of its members. */
struct rank_entry {
  const char *code;
  double fte; /* ftePer10000 as shown */
  double cov; /* dekking as shown, when has_cov */
  int has_cov;
  int referentie; /* a reference municipality: not counted towards k */
};

struct class_ranks {
  double *fte; /* sorted */
  size_t n;
  double *cov; /* sorted, the peers with a known coverage */
  size_t nd;
  size_t n_counted, nd_counted; /* of n and nd, those that are not references */
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

struct tp_peer_ranks *tp_peer_ranks_of(const struct tp_bm_peer *peers, size_t np,
                                       const struct tp_bm_refs *refs) {
  struct tp_peer_ranks *r = calloc(1, sizeof(*r));
  size_t count[BM_CLASSES] = {0};
  if (!r) return NULL;
  /* A peer counts in the class of its own size, as the subject's. */
  for (size_t i = 0; i < np; i++)
    if (peers[i].inwoners > 0.0) count[tp_grootteklasse((long)peers[i].inwoners)]++;
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
  for (size_t i = 0; i < np; i++) {
    const struct tp_bm_peer *p = &peers[i];
    if (!(p->inwoners > 0.0)) continue;
    struct class_ranks *c = &r->k[tp_grootteklasse((long)p->inwoners)];
    /* Values compared as shown, rounded to 4 decimals, so equal-looking
     * figures tie. */
    struct rank_entry e = {p->gemeente, tp_round4(p->totaal / p->inwoners * 10000.0), 0.0, 0,
                           is_reference(refs, p->gemeente)};
    if (p->has_dekking) {
      e.cov = tp_round4(p->dekking);
      e.has_cov = 1;
      c->cov[c->nd++] = e.cov;
      c->nd_counted += !e.referentie;
    }
    c->fte[c->n++] = e.fte;
    c->n_counted += !e.referentie;
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

struct tp_peer_ranks *tp_peer_ranks_new(const json_t *peers, const json_t *referenties) {
  size_t n = json_array_size(peers), i;
  struct tp_bm_peer *v = calloc(n ? n : 1, sizeof(*v));
  struct tp_bm_refs *refs = tp_bm_refs_new(referenties);
  if (!v || !refs) {
    free(v);
    tp_bm_refs_free(refs);
    return NULL;
  }
  const json_t *p;
  json_array_foreach(peers, i, p) {
    const json_t *pd = json_object_get(p, "dekking");
    v[i] = (struct tp_bm_peer){tp_doc_str(p, "gemeente"), tp_doc_num(p, "inwoners"),
                               tp_doc_num(p, "totaalFte"), json_is_number(pd),
                               json_number_value(pd)};
  }
  struct tp_peer_ranks *r = tp_peer_ranks_of(v, n, refs);
  free(v);
  tp_bm_refs_free(refs);
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

const char *tp_benchmark_band(double x, const double q[3]) {
  double v = tp_round4(x), p25 = tp_round4(q[0]), med = tp_round4(q[1]), p75 = tp_round4(q[2]);
  if (!isfinite(v) || !isfinite(p25) || !isfinite(med) || !isfinite(p75)) return NULL;
  if (v < p25) return "onder-p25";
  if (v <= med) return "p25-mediaan";
  if (v <= p75) return "mediaan-p75";
  return "boven-p75";
}

/* The places in `sorted` (n values) of the m values `own`, each one of
 * them (sorted here), into skip: ascending and distinct, equal values at
 * consecutive places. */
static void own_places(const double *sorted, size_t n, double *own, size_t m, size_t *skip) {
  qsort(own, m, sizeof(*own), cmp_double);
  for (size_t i = 0; i < m; i++)
    skip[i] = i > 0 && own[i] == own[i - 1] ? skip[i - 1] + 1 : count_below(sorted, n, own[i]);
}

/* `v` as shown (4 decimals) rounded half away from zero to a whole number
 * of `step`s of 0.0001. In whole units of 0.0001, so that a half step is
 * exactly half whatever binary fraction the decimals make. Values too
 * large to carry decimals come back unchanged. */
static double to_grid(double v, long long step) {
  if (!isfinite(v) || fabs(v) >= 1e11) return v;
  long long units = llround(tp_round4(v) * 10000.0);
  long long k = (llabs(units) + step / 2) / step;
  return (double)(units < 0 ? -k : k) * (double)step / 10000.0;
}

/* p25, median and p75 of the n sorted values without those at `skip`, as
 * published: as shown, then on the grid `step`; NAN when `shown` is 0. */
static void quartiles(const double *sorted, size_t n, const size_t *skip, size_t m, int shown,
                      long long step, double q[3]) {
  static const double p[3] = {0.25, 0.5, 0.75};
  for (int k = 0; k < 3; k++)
    q[k] = shown ? to_grid(tp_percentile_inc_without(sorted, n, skip, m, p[k]), step) : NAN;
}

void tp_benchmark_kwartielen(const double *sorted, size_t n, int dekking, double q[3]) {
  quartiles(sorted, n, NULL, 0, n > 0, dekking ? BM_GRID_DEKKING : BM_GRID_FTE, q);
}

/* The subject's position among the peers of its class into *fig. -1 when
 * out of memory. */
static int position(const struct tp_bm_subject *s, double fte10k, int klasse,
                    const struct tp_peer_ranks *ranks, struct tp_bm_figures *fig) {
  const struct class_ranks *c = &ranks->k[klasse >= 0 && klasse < BM_CLASSES ? klasse : 0];
  double x = tp_round4(fte10k), y = s->has_dekking ? tp_round4(s->dekking) : 0.0;
  /* The subject counts once, with its own figures: its entries among the
   * peers, if any, come out, and the others are what remains. */
  const struct rank_entry *own = NULL;
  size_t nown = 0;
  if (s->gemeente && c->ncode > 0) {
    struct rank_entry key = {.code = s->gemeente};
    const struct rank_entry *e = bsearch(&key, c->by_code, c->ncode, sizeof(key), cmp_entry);
    const struct rank_entry *end = c->by_code + c->ncode;
    while (e && e > c->by_code && strcmp(e[-1].code, s->gemeente) == 0) e--;
    for (own = e; e && e < end && strcmp(e->code, s->gemeente) == 0; e++) nown++;
  }
  /* Their values (fte, then coverage) and places in the sorted values. */
  double vstack[2 * BM_OWN_STACK], *fv = vstack;
  size_t istack[2 * BM_OWN_STACK], *fi = istack;
  if (nown > BM_OWN_STACK) {
    fv = malloc(2 * nown * sizeof(*fv));
    fi = malloc(2 * nown * sizeof(*fi));
    if (!fv || !fi) {
      free(fv);
      free(fi);
      return -1;
    }
  }
  double *cv = fv + nown;
  size_t *ci = fi + nown, nown_cov = 0, own_counted = 0, own_counted_cov = 0;
  size_t below = count_below(c->fte, c->n, x), below_cov = count_below(c->cov, c->nd, y);
  for (size_t i = 0; i < nown; i++) {
    fv[i] = own[i].fte;
    below -= own[i].fte < x;
    own_counted += !own[i].referentie;
    if (own[i].has_cov) {
      cv[nown_cov++] = own[i].cov;
      below_cov -= own[i].cov < y;
      own_counted_cov += !own[i].referentie;
    }
  }
  own_places(c->fte, c->n, fv, nown, fi);
  own_places(c->cov, c->nd, cv, nown_cov, ci);
  size_t others = c->n - nown, others_cov = c->nd - nown_cov;
  fig->groepsgrootte = others + 1;
  /* k counts the others that are not reference municipalities (see
   * BM_MIN_OTHERS); all others make the figures. */
  fig->onderdrukt = c->n_counted - own_counted < BM_MIN_OTHERS;
  /* Only municipalities with a known coverage take part in its figures;
   * fewer than 5 such others give none either. */
  int cov_shown = !fig->onderdrukt && c->nd_counted - own_counted_cov >= BM_MIN_OTHERS;
  fig->fte_percentiel =
      fig->onderdrukt || !isfinite(x) ? NAN : tp_round4(percent_rank(below, others + 1));
  fig->dekking_percentiel = !cov_shown || !s->has_dekking
                                ? NAN
                                : tp_round4(percent_rank(below_cov, others_cov + 1));
  /* Over the others alone: what the subject is held against does not
   * move with its own value, so its band tells it nothing more. */
  quartiles(c->fte, c->n, fi, nown, !fig->onderdrukt, BM_GRID_FTE, fig->fte_q);
  quartiles(c->cov, c->nd, ci, nown_cov, cov_shown, BM_GRID_DEKKING, fig->dekking_q);
  fig->fte_band = tp_benchmark_band(fte10k, fig->fte_q);
  fig->dekking_band = s->has_dekking ? tp_benchmark_band(s->dekking, fig->dekking_q) : NULL;
  if (fv != vstack) {
    free(fv);
    free(fi);
  }
  return 0;
}

/* --- one benchmark ------------------------------------------------------------ */

int tp_bm_write(struct tp_textbuf *b, const struct tp_bm_subject *s, const struct tp_bm_refs *refs,
                const struct tp_peer_ranks *ranks, struct tp_bm_figures *fig) {
  struct tp_bm_figures own;
  if (fig == NULL) fig = &own;
  memset(fig, 0, sizeof(*fig));
  const json_t *jn = s->inwoners;
  double inwoners = json_number_value(jn);
  int has_n = json_is_number(jn) && isfinite(inwoners) && inwoners > 0.0;
  double log_n = has_n ? log(inwoners) : 0.0;
  int klasse = has_n ? tp_grootteklasse((long)inwoners) : 0;
  double fte10k = has_n ? s->totaal / inwoners * 10000.0 : NAN;
  fig->grootteklasse = klasse;
  fig->totaal = tp_round4(s->totaal);
  fig->fte10k = isfinite(fte10k) ? tp_round4(fte10k) : NAN;
  fig->dekking = s->has_dekking && isfinite(s->dekking) ? tp_round4(s->dekking) : NAN;

  int bad = 0;
  put(b, "{\"gemeente\":");
  bad |= tp_json_put_string(b, s->gemeente);
  put(b, ",\"naam\":");
  bad |= tp_json_put_string(b, s->naam);
  put(b, ",\"inwoners\":");
  put_number(b, jn);
  put(b, ",\"grootteklasse\":");
  if (klasse)
    tp_json_put_integer(b, klasse);
  else
    put(b, "null");
  put(b, ",\"totaalFte\":");
  tp_json_put_real(b, fig->totaal);
  put(b, ",\"ftePer10000\":");
  tp_json_put_real(b, fig->fte10k);
  put(b, ",\"dekking\":");
  tp_json_put_real(b, fig->dekking);

  /* A municipality is not its own reference: a reference municipality is
   * compared with the other six. The three nearest are kept in order as
   * the rows go by (at most a handful of references). */
  struct roleset mine = {s->rollen, s->nrollen};
  uint64_t my_mask = 0;
  for (size_t k = 0; refs->masks && k < s->nrollen; k++) {
    long bit = role_bit(refs, s->rollen[k]);
    if (bit >= 0) my_mask |= UINT64_C(1) << bit;
  }
  struct near nearest[BM_NEAREST + 1];
  size_t nnear = 0;
  put(b, ",\"referenties\":[");
  int first = 1;
  for (size_t i = 0; i < refs->n; i++) {
    const struct bref *r = &refs->v[i];
    if (s->gemeente && r->doc.gemeente && strcmp(s->gemeente, r->doc.gemeente) == 0) continue;
    if (!first) put(b, ",");
    first = 0;
    put(b, r->prefix);
    struct roleset theirs = {(const char *const *)r->rollen, r->nrollen};
    size_t inter = refs->masks ? (size_t)__builtin_popcountll(my_mask & refs->masks[i])
                               : intersection(&mine, &theirs);
    put_real4(b, jaccard(inter, mine.n, theirs.n));
    put(b, ",\"afstand\":");
    double afstand = has_n ? tp_round4(fabs(log_n - r->log_inwoners)) : NAN;
    tp_json_put_real(b, afstand);
    put(b, "}");
    if (has_n && r->doc.gemeente) {
      /* Insertion into the sorted few. */
      struct near x = {r, afstand};
      size_t k = nnear < BM_NEAREST ? nnear++ : BM_NEAREST;
      while (k > 0 && cmp_near(&x, &nearest[k - 1]) < 0) {
        nearest[k] = nearest[k - 1];
        k--;
      }
      nearest[k] = x;
    }
  }
  put(b, "],\"dichtstbijzijnd\":[");
  for (size_t i = 0; i < nnear; i++) {
    if (i > 0) put(b, ",");
    bad |= tp_json_put_string(b, nearest[i].ref->doc.gemeente);
    fig->nearest[i] = nearest[i].ref->doc.gemeente;
  }
  fig->nnearest = nnear;

  bad |= position(s, fte10k, klasse, ranks, fig);
  put(b, "],\"positie\":{\"weergave\":\"exact\",\"groepsgrootte\":");
  tp_json_put_integer(b, (long long)fig->groepsgrootte);
  put(b, ",\"ftePer10000Percentiel\":");
  tp_json_put_real(b, fig->fte_percentiel);
  put(b, ",\"dekkingPercentiel\":");
  tp_json_put_real(b, fig->dekking_percentiel);
  put(b, fig->onderdrukt ? ",\"onderdrukt\":true,\"reden\":\"" BM_REASON "\""
                         : ",\"onderdrukt\":false,\"reden\":null");
  put(b, ",\"ftePer10000Kwartielen\":");
  put_quartiles(b, fig->fte_q);
  put(b, ",\"ftePer10000Band\":");
  bad |= tp_json_put_string(b, fig->fte_band);
  put(b, ",\"dekkingKwartielen\":");
  put_quartiles(b, fig->dekking_q);
  put(b, ",\"dekkingBand\":");
  bad |= tp_json_put_string(b, fig->dekking_band);
  put(b, "}");
  return bad ? -1 : 0;
}

int tp_benchmark_banded(json_t *doc) {
  static const char *const exact[] = {"groepsgrootte", "ftePer10000Percentiel",
                                      "dekkingPercentiel"};
  json_t *pos = json_object_get(doc, "positie");
  if (!json_is_object(pos)) return -1;
  for (size_t k = 0; k < sizeof(exact) / sizeof(exact[0]); k++)
    if (json_object_set_new(pos, exact[k], json_null()) != 0) return -1;
  return json_object_set_new(pos, "weergave", json_string("band"));
}

/* The subject of tp_benchmark as a struct; roles malloc()ed (*roles). */
static int subject_of(const json_t *subject, struct tp_bm_subject *s, const char ***roles) {
  const json_t *leden = json_object_get(subject, "leden");
  const json_t *dek = json_object_get(subject, "dekking");
  *roles = roles_of(leden, &s->nrollen);
  s->gemeente = tp_doc_str(subject, "gemeente");
  s->naam = tp_doc_str(subject, "naam");
  s->inwoners = json_object_get(subject, "inwoners");
  s->totaal = tp_doc_total_fte(leden);
  s->has_dekking = json_is_number(dek);
  s->dekking = json_number_value(dek);
  s->rollen = (const char *const *)*roles;
  return *roles ? 0 : -1;
}

json_t *tp_benchmark_ranked(const json_t *subject, const json_t *referenties,
                            const struct tp_peer_ranks *ranks) {
  struct tp_bm_subject s;
  const char **roles = NULL;
  struct tp_bm_refs *refs = tp_bm_refs_new(referenties);
  json_t *doc = NULL;
  if (refs != NULL && subject_of(subject, &s, &roles) == 0) {
    struct tp_textbuf b;
    tp_textbuf_init(&b, 1u << 26);
    int bad = tp_bm_write(&b, &s, refs, ranks, NULL);
    tp_textbuf_puts(&b, "}");
    size_t len;
    char *text = tp_textbuf_finish(&b, &len);
    /* One way to write a benchmark: the document is read from its text. */
    if (text != NULL && !bad) doc = json_loadb(text, len, 0, NULL);
    free(text);
  }
  free(roles);
  tp_bm_refs_free(refs);
  return doc;
}

json_t *tp_benchmark(const json_t *subject, const json_t *referenties, const json_t *peers) {
  struct tp_peer_ranks *ranks = tp_peer_ranks_new(peers, referenties);
  json_t *doc = ranks ? tp_benchmark_ranked(subject, referenties, ranks) : NULL;
  tp_peer_ranks_free(ranks);
  return doc;
}
