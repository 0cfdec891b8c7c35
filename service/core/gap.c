#include "teamplotter/gap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "teamplotter/render.h"
#include "teamplotter/stats.h"
#include "teamplotter/textbuf.h"

/* A team's fte is compared with a band edge with this margin, so that a
 * team fielding exactly the p25 of the references is "passend" even when
 * the scaled value came out an ulp above it. Far below the 4 decimals of
 * the output, far above the error of a handful of multiplications. */
#define GAP_EPS 1e-9

enum status { ST_ONTBREEKT, ST_OPTIONEEL, ST_ONDERBEZET, ST_PASSEND, ST_RUIM, ST_ONBEKEND };
static const char *const STATUS_NAMES[] = {"ontbreekt", "optioneel", "onderbezet",
                                           "passend",   "ruim",      "onbekend"};

enum fit_kind { FIT_GEEN, FIT_LINEAIR, FIT_MACHTSWET };
static const char *const FIT_NAMES[] = {"geen", "lineair", "machtswet"};

/* Borrowed strings: they live as long as the input documents. */
struct codes {
  const char **v;
  size_t n, cap;
};

/* A competency a catalogue role requires. */
struct req {
  const char *code;
  int niveau;
  int essentieel;
};

struct cat_role {
  const char *code;
  int kernrol;
  size_t first;     /* the first role with this code: where its shares count */
  struct req *reqs; /* a slice of the model's block, in catalogue order */
  size_t nreqs;
};

/* A role code and its catalogue position, sorted by code for lookups. */
struct role_key {
  const char *code;
  size_t idx;
};

struct ref {
  struct tp_doc_ref doc;  /* municipality, profile, size, total fte */
  const char *herkomst;   /* NULL when absent */
  const json_t *inwoners; /* as the profile gives it, for the output */
  double *fte;            /* f_ir per catalogue role, a slice of the model's block */
  struct codes unknown;   /* its role codes outside the catalogue */
};

/* The catalogue and the reference set read once into arrays, so that an
 * analysis does no lookups in their documents. Read-only once built. */
struct tp_gap_model {
  struct cat_role *roles;
  size_t nroles;
  struct role_key *by_code;
  struct req *reqs;
  size_t nreqs;
  struct ref *refs; /* sorted by cmp_ref */
  size_t nrefs;
  double *ref_fte;
  /* Per role, the JSON list of the references that field it, as an advice
   * shows it when no reference is left out: role r's is the text from
   * fielding_end[r - 1] (0 for the first) to fielding_end[r]. NULL when
   * it could not be written; then each analysis writes its own. */
  char *fielding;
  size_t *fielding_end;
};

/* One member of the analysed team: the roles it holds and its competencies. */
struct member {
  size_t comp0, ncomp; /* a slice of work.comps */
};


struct role_result {
  double f;       /* the team's fte on the role */
  size_t present; /* references with f_ir > 0 */
  int has_band;
  double p25, mediaan, p75;
  enum status status;
};

struct comp_gap {
  size_t role;
  const char *competentie;
  int vereist, hoogste, essentieel;
};

struct ranked {
  size_t idx;
  double key;
};

/* Everything one analysis computes before it is rendered; freed at once. */
struct work {
  const struct tp_gap_model *model;
  const struct cat_role *roles; /* the model's */
  size_t nroles;
  const struct ref **refs; /* the model's, without the team's own */
  size_t nrefs;
  double *team_fte;
  struct member *members;
  size_t nmembers;
  unsigned char *holds; /* [member * nroles + role]: a share > 0 in the role */
  const struct tp_gap_level *comps; /* the team's */
  struct role_result *res;
  struct codes unknown;
  struct comp_gap *gaps;
  size_t ngaps;
  double inwoners;
  int has_inwoners;
  double totaal;
  enum fit_kind fit;
  double a, b, r2;
  int has_r2;
};

static int cmp_key(const void *x, const void *y) {
  const struct role_key *a = x, *b = y;
  int c = strcmp(a->code, b->code);
  if (c) return c;
  return (a->idx > b->idx) - (a->idx < b->idx);
}

/* The catalogue position of role `code` (the first, should a code occur
 * twice), or -1. */
static long find_role(const struct tp_gap_model *m, const char *code) {
  if (!code) return -1;
  size_t lo = 0, hi = m->nroles;
  while (lo < hi) { /* the first key >= code */
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(m->by_code[mid].code, code) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < m->nroles && strcmp(m->by_code[lo].code, code) == 0) return (long)m->by_code[lo].idx;
  return -1;
}

static int codes_add(struct codes *c, const char *s) {
  if (c->n == c->cap) {
    size_t cap = c->cap ? 2 * c->cap : 8;
    const char **v = realloc(c->v, cap * sizeof(*v));
    if (!v) return -1;
    c->v = v;
    c->cap = cap;
  }
  c->v[c->n++] = s;
  return 0;
}

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

static int cmp_ref(const void *x, const void *y) {
  return tp_doc_ref_cmp(&((const struct ref *)x)->doc, &((const struct ref *)y)->doc);
}

/* Larger key first, then catalogue order: the key is rounded to the 4
 * decimals a reader sees, so two roles that look equal rank by catalogue
 * order and not by a difference in the 16th digit. */
static int cmp_ranked(const void *x, const void *y) {
  const struct ranked *a = x, *b = y;
  if (a->key != b->key) return a->key > b->key ? -1 : 1;
  return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Adds each share of member `x` to fte[role] and marks the roles in
 * `held` (when not NULL); shares of roles outside the catalogue go to
 * `unknown`. -1 when out of memory. */
static int sum_member(const struct tp_gap_model *m, const struct tp_gap_team *t,
                      const struct tp_gap_member *x, double *fte, unsigned char *held,
                      struct codes *unknown) {
  for (size_t j = x->share0; j < x->share0 + x->nshares; j++) {
    double aandeel = t->shares[j].aandeel;
    const char *rol = t->shares[j].rol;
    if (!(aandeel > 0.0) || !rol) continue;
    long r = find_role(m, rol);
    if (r >= 0) {
      fte[r] += aandeel;
      if (held) held[r] = 1;
    } else if (codes_add(unknown, rol) != 0) {
      return -1;
    }
  }
  return 0;
}

/* The best level of competency `code` among the members holding role r;
 * 0 when nobody in that role has it. */
static int best_level(const struct work *w, size_t r, const char *code) {
  int best = 0;
  size_t held = w->roles[r].first;
  for (size_t i = 0; i < w->nmembers; i++) {
    if (!w->holds[i * w->nroles + held]) continue;
    const struct tp_gap_level *c = &w->comps[w->members[i].comp0];
    for (size_t k = 0; k < w->members[i].ncomp; k++)
      if (c[k].code && c[k].niveau > best && strcmp(c[k].code, code) == 0) best = c[k].niveau;
  }
  return best;
}

void tp_gap_model_free(struct tp_gap_model *m) {
  if (!m) return;
  for (size_t i = 0; i < m->nrefs; i++) free(m->refs[i].unknown.v);
  free(m->roles);
  free(m->by_code);
  free(m->reqs);
  free(m->refs);
  free(m->ref_fte);
  free(m->fielding);
  free(m->fielding_end);
  free(m);
}

/* The catalogue roles with a code, their required competencies and the
 * lookup by code. */
static int model_roles(struct tp_gap_model *m, const json_t *rollen) {
  size_t i, j, ncat = json_array_size(rollen), nreq = 0;
  const json_t *v, *req;
  json_array_foreach(rollen, i, v) nreq += json_array_size(json_object_get(v, "competenties"));
  m->roles = calloc(ncat ? ncat : 1, sizeof(*m->roles));
  m->by_code = calloc(ncat ? ncat : 1, sizeof(*m->by_code));
  m->reqs = calloc(nreq ? nreq : 1, sizeof(*m->reqs));
  if (!m->roles || !m->by_code || !m->reqs) return -1;
  json_array_foreach(rollen, i, v) {
    const char *code = tp_doc_str(v, "code");
    if (!code) continue;
    struct cat_role *r = &m->roles[m->nroles];
    r->code = code;
    r->kernrol = json_is_true(json_object_get(v, "kernrol"));
    r->reqs = &m->reqs[m->nreqs];
    json_array_foreach(json_object_get(v, "competenties"), j, req) {
      const char *c = tp_doc_str(req, "code");
      if (!c) continue;
      struct req *q = &r->reqs[r->nreqs++];
      q->code = c;
      q->niveau = (int)tp_doc_num(req, "niveau");
      q->essentieel = json_is_true(json_object_get(req, "essentieel"));
    }
    m->nreqs += r->nreqs;
    m->by_code[m->nroles].code = code;
    m->by_code[m->nroles].idx = m->nroles;
    m->nroles++;
  }
  qsort(m->by_code, m->nroles, sizeof(*m->by_code), cmp_key);
  for (size_t r = 0; r < m->nroles; r++) m->roles[r].first = (size_t)find_role(m, m->roles[r].code);
  return 0;
}

/* Every reference with a size, its fte per role, sorted. */
static int model_refs(struct tp_gap_model *m, const json_t *referenties) {
  size_t i, nin = json_array_size(referenties), ncat = m->nroles ? m->nroles : 1;
  const json_t *v;
  m->refs = calloc(nin ? nin : 1, sizeof(*m->refs));
  m->ref_fte = calloc((nin ? nin : 1) * ncat, sizeof(double));
  if (!m->refs || !m->ref_fte) return -1;
  json_array_foreach(referenties, i, v) {
    struct ref *r = &m->refs[m->nrefs];
    /* Without a size a reference cannot be scaled: skipped, not reported. */
    if (tp_doc_ref_read(v, &r->doc) != 0) continue;
    m->nrefs++;
    r->herkomst = tp_doc_str(v, "herkomst");
    r->inwoners = json_object_get(v, "inwoners");
    r->fte = &m->ref_fte[i * ncat];
    struct tp_gap_team team;
    if (tp_gap_team_from_json(v, &team) != 0) return -1;
    int rc = 0;
    for (size_t k = 0; k < team.nleden && rc == 0; k++) {
      rc = sum_member(m, &team, &team.leden[k], r->fte, NULL, &r->unknown);
    }
    tp_gap_team_free(&team);
    if (rc != 0) return -1;
  }
  qsort(m->refs, m->nrefs, sizeof(*m->refs), cmp_ref);
  return 0;
}

static void model_fielding(struct tp_gap_model *m);

struct tp_gap_model *tp_gap_model_new(const json_t *rollen, const json_t *referenties) {
  struct tp_gap_model *m = calloc(1, sizeof(*m));
  if (!m) return NULL;
  if (model_roles(m, rollen) != 0 || model_refs(m, referenties) != 0) {
    tp_gap_model_free(m);
    return NULL;
  }
  model_fielding(m);
  return m;
}

static void work_free(struct work *w) {
  free(w->refs);
  free(w->team_fte);
  free(w->members);
  free(w->holds);
  free(w->res);
  free(w->unknown.v);
  free(w->gaps);
}

/* The references team `own` (NULL: none) is measured against, and with
 * `unknown` their role codes outside the catalogue. */
static int select_refs(struct work *w, const struct tp_gap_model *m, const char *own, int unknown) {
  for (size_t i = 0; i < m->nrefs; i++) {
    const struct ref *r = &m->refs[i];
    /* A reference municipality is measured against the others, never
     * against its own profile (leave-one-out). */
    if (own != NULL && r->doc.gemeente != NULL && strcmp(own, r->doc.gemeente) == 0) continue;
    for (size_t j = 0; unknown && j < r->unknown.n; j++)
      if (codes_add(&w->unknown, r->unknown.v[j]) != 0) return -1;
    w->refs[w->nrefs++] = r;
  }
  return 0;
}

/* The team read into the work arrays, and the references it is measured
 * against. */
static int load(struct work *w, const struct tp_gap_model *m, const struct tp_gap_team *t) {
  size_t ncat = m->nroles ? m->nroles : 1, nlid = t->nleden;
  w->model = m;
  w->roles = m->roles;
  w->nroles = m->nroles;
  w->refs = calloc(m->nrefs ? m->nrefs : 1, sizeof(*w->refs));
  w->team_fte = calloc(ncat, sizeof(double));
  w->res = calloc(ncat, sizeof(*w->res));
  w->members = calloc(nlid ? nlid : 1, sizeof(*w->members));
  w->holds = calloc((nlid ? nlid : 1) * ncat, 1);
  if (!w->refs || !w->team_fte || !w->res || !w->members || !w->holds) return -1;

  w->inwoners = json_number_value(t->inwoners);
  w->has_inwoners = json_is_number(t->inwoners) && isfinite(w->inwoners) && w->inwoners > 0.0;
  w->comps = t->levels;
  double totaal = 0.0;
  for (size_t i = 0; i < nlid; i++) {
    const struct tp_gap_member *x = &t->leden[i];
    totaal += x->fte; /* in member order, as tp_doc_total_fte */
    if (sum_member(m, t, x, w->team_fte, &w->holds[i * ncat], &w->unknown) != 0) return -1;
    w->members[w->nmembers].comp0 = x->level0;
    w->members[w->nmembers++].ncomp = x->nlevels;
  }
  w->totaal = totaal;

  return select_refs(w, m, t->gemeente, 1);
}

/* A team given by its totals only: fte per role, each role once. */
static int load_totals(struct work *w, const struct tp_gap_model *m, const struct tp_gap_totals *t) {
  size_t ncat = m->nroles ? m->nroles : 1;
  w->model = m;
  w->roles = m->roles;
  w->nroles = m->nroles;
  w->refs = calloc(m->nrefs ? m->nrefs : 1, sizeof(*w->refs));
  w->team_fte = calloc(ncat, sizeof(double));
  w->res = calloc(ncat, sizeof(*w->res));
  if (!w->refs || !w->team_fte || !w->res) return -1;
  w->inwoners = t->inwoners;
  w->has_inwoners = isfinite(t->inwoners) && t->inwoners > 0.0;
  w->totaal = t->totaal;
  for (size_t i = 0; i < t->nroles; i++) {
    long r = find_role(m, t->roles[i]);
    /* As sum_member: 0 + the sum is the sum, unknown roles count nowhere. */
    if (r >= 0 && t->fte[i] > 0.0) w->team_fte[r] += t->fte[i];
  }
  return select_refs(w, m, t->gemeente, 0);
}

/* Step 1: the scale law. References without members (T_i = 0) have no
 * logarithm and stay out of the fit; they still count in the bands. */
static int fit(struct work *w) {
  double *ns = malloc((w->nrefs ? w->nrefs : 1) * sizeof(double));
  double *ts = malloc((w->nrefs ? w->nrefs : 1) * sizeof(double));
  if (!ns || !ts) {
    free(ns);
    free(ts);
    return -1;
  }
  size_t k = 0;
  int all_equal = 1;
  for (size_t i = 0; i < w->nrefs; i++) {
    if (!(w->refs[i]->doc.totaal > 0.0)) continue;
    ns[k] = w->refs[i]->doc.inwoners;
    ts[k] = w->refs[i]->doc.totaal;
    if (ns[k] != ns[0]) all_equal = 0;
    k++;
  }
  w->fit = FIT_GEEN;
  if (k >= 3 && !all_equal) {
    struct tp_fit f;
    tp_fit_loglog(ns, ts, k, &f);
    if (f.ok) {
      w->fit = FIT_MACHTSWET;
      w->a = f.a;
      w->b = f.b;
      w->r2 = f.r2;
      w->has_r2 = f.has_r2;
    }
  }
  if (w->fit == FIT_GEEN && k > 0) {
    /* Proportional scaling: a is the mean log of fte per inhabitant, so
     * exp(a) * N is N times the geometric mean of T_i / N_i. */
    double sum = 0.0;
    for (size_t i = 0; i < k; i++) sum += log(ts[i]) - log(ns[i]);
    w->fit = FIT_LINEAIR;
    w->a = sum / (double)k;
    w->b = 1.0;
  }
  free(ns);
  free(ts);
  return 0;
}

/* Steps 2-4: scaled references, bands, presence and status per role.
 * Without `scaled` only presence, and the status of the roles the team
 * does not field: all a summary needs. */
static int bands(struct work *w, int scaled) {
  size_t nr = w->nrefs ? w->nrefs : 1;
  double *s = malloc(nr * sizeof(double));
  double *scale = malloc(nr * sizeof(double));
  if (!s || !scale) {
    free(s);
    free(scale);
    return -1;
  }
  int can_scale = scaled && w->fit != FIT_GEEN && w->has_inwoners;
  /* The scale factor depends on the reference only, not on the role. */
  for (size_t i = 0; can_scale && i < w->nrefs; i++)
    scale[i] = pow(w->inwoners / w->refs[i]->doc.inwoners, w->b);
  for (size_t r = 0; r < w->nroles; r++) {
    struct role_result *x = &w->res[r];
    x->f = w->team_fte[r];
    for (size_t i = 0; i < w->nrefs; i++) {
      double fir = w->refs[i]->fte[r];
      if (fir > 0.0) x->present++;
      if (can_scale) s[i] = fir * scale[i];
    }
    if (can_scale) {
      qsort(s, w->nrefs, sizeof(double), cmp_double);
      x->p25 = tp_percentile_inc(s, w->nrefs, 0.25);
      x->mediaan = tp_percentile_inc(s, w->nrefs, 0.5);
      x->p75 = tp_percentile_inc(s, w->nrefs, 0.75);
      x->has_band = isfinite(x->p25) && isfinite(x->mediaan) && isfinite(x->p75);
    }
    if (!(x->f > 0.0))
      /* aanwezigheid >= 0.5, in whole counts so no rounding can tip it */
      x->status = (w->nrefs > 0 && 2 * x->present >= w->nrefs) ? ST_ONTBREEKT : ST_OPTIONEEL;
    else if (!x->has_band)
      x->status = ST_ONBEKEND;
    else if (x->f < x->p25 - GAP_EPS)
      x->status = ST_ONDERBEZET;
    else if (x->f > x->p75 + GAP_EPS)
      x->status = ST_RUIM;
    else
      x->status = ST_PASSEND;
  }
  free(s);
  free(scale);
  return 0;
}

/* Step 5: essential gaps first, then catalogue role order, then the order
 * in which the catalogue lists the role's competencies. */
static int competency_gaps(struct work *w) {
  size_t cap = 0;
  for (size_t r = 0; r < w->nroles; r++) cap += w->roles[r].nreqs;
  w->gaps = calloc(cap ? cap : 1, sizeof(*w->gaps));
  if (!w->gaps) return -1;
  for (int pass = 1; pass >= 0; pass--) {
    for (size_t r = 0; r < w->nroles; r++) {
      if (!(w->res[r].f > 0.0)) continue;
      for (size_t j = 0; j < w->roles[r].nreqs; j++) {
        const struct req *q = &w->roles[r].reqs[j];
        if (q->essentieel != pass) continue;
        int best = best_level(w, r, q->code);
        if (best >= q->niveau) continue;
        struct comp_gap *g = &w->gaps[w->ngaps++];
        g->role = r;
        g->competentie = q->code;
        g->vereist = q->niveau;
        g->hoogste = best;
        g->essentieel = q->essentieel;
      }
    }
  }
  return 0;
}

static double aanwezigheid(const struct work *w, size_t r) {
  return w->nrefs ? (double)w->res[r].present / (double)w->nrefs : 0.0;
}

/* The analysis is written straight from the arrays as JSON text: this is
 * the one place that gives the document its shape; the jansson forms are
 * read back from it. Pieces go out as tp_json_render writes them. */
#define PUT(o, lit) tp_textbuf_append(&(o)->b, "" lit, sizeof(lit) - 1) /* literals only */

/* Most bytes of one analysis: some 20 KB with the seed's catalogue; the
 * bound only stops a runaway document. */
#define TEXT_LIMIT (64u * 1024u * 1024u)

/* Room made at once for an analysis's text, so that the usual one needs
 * a single allocation rather than a copy per doubling. */
#define TEXT_FIRST (32u * 1024u)

struct writer {
  struct tp_textbuf b;
  int bad; /* a string that is not UTF-8: no document, as jansson */
};

static void put_str(struct writer *o, const char *s) {
  if (tp_json_put_string(&o->b, s) != 0) o->bad = 1;
}

static void put_str_or_null(struct writer *o, const char *s) {
  if (s)
    put_str(o, s);
  else
    PUT(o, "null");
}

/* A real rounded to 4 decimals, null when not finite (tp_doc_real4). */
static void put_real4(struct writer *o, double v) {
  if (isfinite(v))
    tp_json_put_real(&o->b, tp_round4(v));
  else
    PUT(o, "null");
}

/* A number as the caller gave it (tp_doc_number_copy): an integer stays
 * one, a real is rounded to 4 decimals, anything else is null. */
static void put_number_copy(struct writer *o, const json_t *v) {
  if (json_is_integer(v))
    tp_json_put_integer(&o->b, json_integer_value(v));
  else if (json_is_real(v))
    put_real4(o, json_real_value(v));
  else
    PUT(o, "null");
}

static void put_int(struct writer *o, long long v) { tp_json_put_integer(&o->b, v); }

/* The municipalities of `refs` (sorted by code) that field role r, each once. */
static void write_fielding(struct writer *o, const struct ref *const *refs, size_t nrefs,
                           size_t r) {
  const char *last = NULL;
  PUT(o, "[");
  for (size_t i = 0; i < nrefs; i++) {
    const char *g = refs[i]->doc.gemeente;
    if (!g || !(refs[i]->fte[r] > 0.0)) continue;
    if (last && strcmp(last, g) == 0) continue;
    if (last) PUT(o, ",");
    put_str(o, g);
    last = g;
  }
  PUT(o, "]");
}

/* Writes every role's list once per model: an advice repeats them, and
 * most teams leave no reference out (only a reference municipality's
 * own team does). */
static void model_fielding(struct tp_gap_model *m) {
  const struct ref **all = calloc(m->nrefs ? m->nrefs : 1, sizeof(*all));
  size_t *end = calloc(m->nroles ? m->nroles : 1, sizeof(*end));
  struct writer o = {.bad = 0};
  tp_textbuf_init(&o.b, TEXT_LIMIT);
  for (size_t i = 0; all != NULL && i < m->nrefs; i++) all[i] = &m->refs[i];
  for (size_t r = 0; all != NULL && end != NULL && r < m->nroles; r++) {
    write_fielding(&o, all, m->nrefs, r);
    end[r] = o.b.len;
  }
  int written = all != NULL && end != NULL && !o.bad;
  free(all);
  char *text = written ? tp_textbuf_finish(&o.b, NULL) : NULL;
  if (text == NULL) {
    tp_textbuf_free(&o.b);
    free(end);
    return; /* every analysis writes its own lists, as before */
  }
  m->fielding = text;
  m->fielding_end = end;
}

/* The reference municipalities that field role r, sorted by code, each once. */
static void put_fielding(struct writer *o, const struct work *w, size_t r) {
  const struct tp_gap_model *m = w->model;
  if (m->fielding != NULL && w->nrefs == m->nrefs) { /* none left out: the model's list */
    size_t from = r > 0 ? m->fielding_end[r - 1] : 0;
    tp_textbuf_append(&o->b, m->fielding + from, m->fielding_end[r] - from);
    return;
  }
  write_fielding(o, w->refs, w->nrefs, r);
}

/* Two decimals with a decimal comma: the advice is read by people. */
static void put_nl2(struct writer *o, double v) {
  char buf[32];
  int n = tp_format_fixed(buf, sizeof(buf), v, 2, ',');
  if (n < 0)
    PUT(o, "?");
  else
    tp_textbuf_append(&o->b, buf, (size_t)n);
}

/* One advice up to its explanation, which the caller writes into the open
 * string: fixed Dutch text and numbers, nothing that needs escaping.
 * `*first` tells whether a comma goes before it. */
static void open_advice(struct writer *o, int *first, const struct work *w, const char *soort,
                        size_t r, const char *comp) {
  if (!*first) PUT(o, ",");
  *first = 0;
  PUT(o, "{\"soort\":");
  put_str(o, soort);
  PUT(o, ",\"rol\":");
  put_str(o, w->roles[r].code);
  if (comp) {
    PUT(o, ",\"competentie\":");
    put_str(o, comp);
  }
  PUT(o, ",\"referentiegemeenten\":");
  put_fielding(o, w, r);
  PUT(o, ",\"toelichting\":\"");
}

static void close_advice(struct writer *o) { PUT(o, "\"}"); }

static void missing_advice(struct writer *o, int *first, const struct work *w, size_t r,
                           int kern) {
  const struct role_result *x = &w->res[r];
  open_advice(o, first, w, kern ? "kernrol-ontbreekt" : "rol-ontbreekt", r, NULL);
  if (kern)
    PUT(o, "Geen fte op deze kernrol; ");
  else
    PUT(o, "Geen fte op deze rol; ");
  put_int(o, (long long)x->present);
  PUT(o, " van de ");
  put_int(o, (long long)w->nrefs);
  PUT(o, " referentiegemeenten hebben haar, met een mediaan van ");
  put_nl2(o, x->mediaan);
  PUT(o, " fte bij uw inwonertal.");
  close_advice(o);
}

static void understaffed_advice(struct writer *o, int *first, const struct work *w, size_t r) {
  const struct role_result *x = &w->res[r];
  open_advice(o, first, w, "onderbezet", r, NULL);
  put_nl2(o, x->f);
  PUT(o, " fte op deze rol, minder dan de ");
  put_nl2(o, x->p25);
  PUT(o, " tot ");
  put_nl2(o, x->p75);
  PUT(o, " fte (p25 tot p75) die bij uw inwonertal past; tot p25 ontbreekt ");
  put_nl2(o, x->p25 - x->f);
  PUT(o, " fte.");
  close_advice(o);
}

static void competency_advice(struct writer *o, int *first, const struct work *w,
                              const struct comp_gap *g) {
  open_advice(o, first, w, "competentie-tekort", g->role, g->competentie);
  PUT(o, "Essentiële competentie, vereist op niveau ");
  put_int(o, g->vereist);
  if (g->hoogste > 0) {
    PUT(o, "; het hoogste niveau onder de leden met deze rol is ");
    put_int(o, g->hoogste);
    PUT(o, ".");
  } else {
    PUT(o, "; geen van de leden met deze rol heeft haar.");
  }
  close_advice(o);
}

/* Step 7, in the order of DESIGN.md. -1 when out of memory. */
static int put_advice_list(struct writer *o, const struct work *w) {
  struct ranked *rank = malloc((w->nroles ? w->nroles : 1) * sizeof(*rank));
  if (!rank) return -1;
  int first = 1;
  PUT(o, "[");
  for (size_t r = 0; r < w->nroles; r++)
    if (w->roles[r].kernrol && w->res[r].status == ST_ONTBREEKT)
      missing_advice(o, &first, w, r, 1);

  size_t n = 0;
  for (size_t r = 0; r < w->nroles; r++)
    if (!w->roles[r].kernrol && w->res[r].status == ST_ONTBREEKT) {
      rank[n].idx = r;
      rank[n++].key = tp_round4(aanwezigheid(w, r) * w->res[r].mediaan);
    }
  qsort(rank, n, sizeof(*rank), cmp_ranked);
  for (size_t k = 0; k < n; k++) missing_advice(o, &first, w, rank[k].idx, 0);

  n = 0;
  for (size_t r = 0; r < w->nroles; r++)
    if (w->res[r].status == ST_ONDERBEZET) {
      rank[n].idx = r;
      rank[n++].key = tp_round4(w->res[r].p25 - w->res[r].f);
    }
  qsort(rank, n, sizeof(*rank), cmp_ranked);
  for (size_t k = 0; k < n; k++) understaffed_advice(o, &first, w, rank[k].idx);

  for (size_t k = 0; k < w->ngaps; k++)
    if (w->gaps[k].essentieel) competency_advice(o, &first, w, &w->gaps[k]);
  PUT(o, "]");
  free(rank);
  return 0;
}

/* The figures of the summary, unrounded; NAN where it shows null. */
static void figures(const struct work *w, double *verwacht, double *capaciteit, double *dekking) {
  int can_expect = w->fit != FIT_GEEN && w->has_inwoners;
  *verwacht = can_expect ? exp(w->a) * pow(w->inwoners, w->b) : NAN;
  *capaciteit = can_expect && *verwacht > 0.0 ? w->totaal / *verwacht : NAN;
  struct tp_coverage coverage = {0, 0};
  for (size_t r = 0; r < w->nroles; r++)
    tp_coverage_add(&coverage, w->res[r].present, w->res[r].f > 0.0);
  if (tp_coverage_value(&coverage, dekking) != 0) *dekking = NAN;
}

/* The summary; dekking weighs each role by its aanwezigheid (tp_coverage). */
static void put_summary(struct writer *o, const struct work *w) {
  double verwacht, capaciteit, dekking;
  figures(w, &verwacht, &capaciteit, &dekking);
  PUT(o, "{\"totaalFte\":");
  put_real4(o, w->totaal);
  PUT(o, ",\"verwachtFte\":");
  put_real4(o, verwacht);
  PUT(o, ",\"capaciteit\":");
  put_real4(o, capaciteit);
  PUT(o, ",\"dekking\":");
  put_real4(o, dekking);
  PUT(o, ",\"ontbrekendeKernrollen\":[");
  int first = 1;
  for (size_t r = 0; r < w->nroles; r++)
    if (w->roles[r].kernrol && w->res[r].status == ST_ONTBREEKT) {
      if (!first) PUT(o, ",");
      first = 0;
      put_str(o, w->roles[r].code);
    }
  PUT(o, "]}");
}

static void put_fit(struct writer *o, const struct work *w) {
  PUT(o, "{\"methode\":");
  put_str(o, FIT_NAMES[w->fit]);
  PUT(o, ",\"a\":");
  put_real4(o, w->fit == FIT_GEEN ? NAN : w->a);
  PUT(o, ",\"b\":");
  put_real4(o, w->fit == FIT_GEEN ? NAN : w->b);
  PUT(o, ",\"r2\":");
  put_real4(o, w->fit == FIT_MACHTSWET && w->has_r2 ? w->r2 : NAN);
  PUT(o, "}");
}

static void put_references(struct writer *o, const struct work *w) {
  PUT(o, "[");
  for (size_t i = 0; i < w->nrefs; i++) {
    const struct tp_doc_ref *r = &w->refs[i]->doc;
    if (i > 0) PUT(o, ",");
    PUT(o, "{\"gemeente\":");
    put_str_or_null(o, r->gemeente);
    PUT(o, ",\"teamprofiel\":");
    put_str_or_null(o, r->teamprofiel);
    PUT(o, ",\"herkomst\":");
    put_str_or_null(o, w->refs[i]->herkomst);
    PUT(o, ",\"inwoners\":");
    put_number_copy(o, w->refs[i]->inwoners);
    PUT(o, ",\"totaalFte\":");
    put_real4(o, r->totaal);
    PUT(o, "}");
  }
  PUT(o, "]");
}

static void put_role_rows(struct writer *o, const struct work *w) {
  PUT(o, "[");
  for (size_t r = 0; r < w->nroles; r++) {
    const struct role_result *x = &w->res[r];
    if (r > 0) PUT(o, ",");
    PUT(o, "{\"rol\":");
    put_str(o, w->roles[r].code);
    PUT(o, ",\"fte\":");
    put_real4(o, x->f);
    PUT(o, ",\"aanwezigheid\":");
    put_real4(o, aanwezigheid(w, r));
    PUT(o, ",\"status\":");
    put_str(o, STATUS_NAMES[x->status]);
    if (x->has_band) {
      PUT(o, ",\"verwacht\":{\"p25\":");
      put_real4(o, x->p25);
      PUT(o, ",\"mediaan\":");
      put_real4(o, x->mediaan);
      PUT(o, ",\"p75\":");
      put_real4(o, x->p75);
      PUT(o, "}}");
    } else {
      PUT(o, ",\"verwacht\":null}");
    }
  }
  PUT(o, "]");
}

static void put_gaps(struct writer *o, const struct work *w) {
  PUT(o, "[");
  for (size_t k = 0; k < w->ngaps; k++) {
    const struct comp_gap *g = &w->gaps[k];
    if (k > 0) PUT(o, ",");
    PUT(o, "{\"rol\":");
    put_str(o, w->roles[g->role].code);
    PUT(o, ",\"competentie\":");
    put_str(o, g->competentie);
    PUT(o, ",\"vereist\":");
    put_int(o, g->vereist);
    PUT(o, ",\"hoogste\":");
    put_int(o, g->hoogste);
    if (g->essentieel)
      PUT(o, ",\"essentieel\":true}");
    else
      PUT(o, ",\"essentieel\":false}");
  }
  PUT(o, "]");
}

/* The role codes outside the catalogue, sorted, each once. */
static void put_unknown(struct writer *o, const struct work *w) {
  PUT(o, "[");
  for (size_t k = 0; k < w->unknown.n; k++) {
    if (k > 0 && strcmp(w->unknown.v[k], w->unknown.v[k - 1]) == 0) continue;
    if (k > 0) PUT(o, ",");
    put_str(o, w->unknown.v[k]);
  }
  PUT(o, "]");
}

/* The whole document, and `catalogus_versie` last when not NULL. -1 when
 * out of memory or a string is not UTF-8. */
static int put_analysis(struct writer *o, const struct work *w, const struct tp_gap_team *team,
                        const json_t *catalogus_versie) {
  PUT(o, "{\"methodeVersie\":");
  put_int(o, TP_METHODE_VERSIE);
  PUT(o, ",\"gemeente\":");
  put_str_or_null(o, team->gemeente);
  PUT(o, ",\"inwoners\":");
  put_number_copy(o, team->inwoners);
  PUT(o, ",\"fit\":");
  put_fit(o, w);
  PUT(o, ",\"referenties\":");
  put_references(o, w);
  PUT(o, ",\"samenvatting\":");
  put_summary(o, w);
  PUT(o, ",\"rollen\":");
  put_role_rows(o, w);
  PUT(o, ",\"competentieTekorten\":");
  put_gaps(o, w);
  PUT(o, ",\"advies\":");
  if (put_advice_list(o, w) != 0) return -1;
  PUT(o, ",\"onbekendeRollen\":");
  put_unknown(o, w);
  if (catalogus_versie != NULL) {
    PUT(o, ",\"catalogusVersie\":");
    if (tp_json_put_value(&o->b, catalogus_versie) != 0) return -1;
  }
  PUT(o, "}");
  return o->bad ? -1 : 0;
}

/* The text of `o` (NULL when writing it failed), freed either way. */
static char *writer_finish(struct writer *o, int rc, size_t *len) {
  if (rc != 0 || o->bad) {
    tp_textbuf_free(&o->b);
    return NULL;
  }
  return tp_textbuf_finish(&o->b, len);
}

/* A document written here as the jansson tree it reads as. */
static json_t *read_back(char *text, size_t len) {
  json_t *doc = text ? json_loadb(text, len, 0, NULL) : NULL;
  free(text);
  return doc;
}

/* Steps 1-4 for `team`, the bands only when `scaled`: what the analysis
 * and its summary need. */
static int analyse(struct work *w, const struct tp_gap_model *m, const struct tp_gap_team *team,
                   int scaled) {
  memset(w, 0, sizeof(*w));
  return load(w, m, team) == 0 && fit(w) == 0 && bands(w, scaled) == 0 ? 0 : -1;
}

int tp_gap_team_from_json(const json_t *team, struct tp_gap_team *out) {
  memset(out, 0, sizeof(*out));
  out->gemeente = tp_doc_str(team, "gemeente");
  out->inwoners = json_object_get(team, "inwoners");
  const json_t *leden = json_object_get(team, "leden");
  size_t i, j, nshares = 0, nlevels = 0;
  const json_t *lid, *x;
  json_array_foreach(leden, i, lid) {
    nshares += json_array_size(json_object_get(lid, "rollen"));
    nlevels += json_array_size(json_object_get(lid, "competenties"));
  }
  size_t n = json_array_size(leden);
  out->leden = calloc(n ? n : 1, sizeof(*out->leden));
  out->shares = calloc(nshares ? nshares : 1, sizeof(*out->shares));
  out->levels = calloc(nlevels ? nlevels : 1, sizeof(*out->levels));
  if (!out->leden || !out->shares || !out->levels) {
    tp_gap_team_free(out);
    return -1;
  }
  json_array_foreach(leden, i, lid) {
    struct tp_gap_member *m = &out->leden[out->nleden++];
    m->fte = tp_doc_num(lid, "fte");
    m->share0 = out->nshares;
    json_array_foreach(json_object_get(lid, "rollen"), j, x) {
      out->shares[out->nshares++] = (struct tp_gap_share){tp_doc_str(x, "rol"),
                                                           tp_doc_num(x, "aandeel")};
    }
    m->nshares = out->nshares - m->share0;
    m->level0 = out->nlevels;
    json_array_foreach(json_object_get(lid, "competenties"), j, x) {
      out->levels[out->nlevels++] = (struct tp_gap_level){tp_doc_str(x, "code"),
                                                          (int)tp_doc_num(x, "niveau")};
    }
    m->nlevels = out->nlevels - m->level0;
  }
  return 0;
}

void tp_gap_team_free(struct tp_gap_team *team) {
  free(team->leden);
  free(team->shares);
  free(team->levels);
  memset(team, 0, sizeof(*team));
}

char *tp_gap_team_text(const struct tp_gap_model *m, const struct tp_gap_team *team,
                       const json_t *catalogus_versie, size_t *len) {
  struct work w;
  struct writer o = {.bad = 0};
  tp_textbuf_init(&o.b, TEXT_LIMIT);
  tp_textbuf_reserve(&o.b, TEXT_FIRST);
  int rc = -1;
  if (analyse(&w, m, team, 1) == 0 && competency_gaps(&w) == 0) {
    if (w.unknown.n > 0) qsort(w.unknown.v, w.unknown.n, sizeof(*w.unknown.v), tp_doc_cmp_str);
    rc = put_analysis(&o, &w, team, catalogus_versie);
  }
  work_free(&w);
  return writer_finish(&o, rc, len);
}

char *tp_gap_analyse_text(const struct tp_gap_model *m, const json_t *team,
                          const json_t *catalogus_versie, size_t *len) {
  struct tp_gap_team t;
  if (tp_gap_team_from_json(team, &t) != 0) return NULL;
  char *text = tp_gap_team_text(m, &t, catalogus_versie, len);
  tp_gap_team_free(&t);
  return text;
}

json_t *tp_gap_analyse_with(const struct tp_gap_model *m, const json_t *team) {
  size_t len = 0;
  char *text = tp_gap_analyse_text(m, team, NULL, &len);
  return read_back(text, len);
}

json_t *tp_gap_summary(const struct tp_gap_model *m, const json_t *team) {
  struct tp_gap_team t;
  if (tp_gap_team_from_json(team, &t) != 0) return NULL;
  struct work w;
  struct writer o = {.bad = 0};
  tp_textbuf_init(&o.b, TEXT_LIMIT);
  int rc = analyse(&w, m, &t, 0);
  if (rc == 0) put_summary(&o, &w);
  work_free(&w);
  tp_gap_team_free(&t);
  size_t len = 0;
  char *text = writer_finish(&o, rc, &len);
  return read_back(text, len);
}

int tp_gap_figures(const struct tp_gap_model *m, const struct tp_gap_totals *team,
                   struct tp_gap_figures *out) {
  struct work w;
  memset(&w, 0, sizeof(w));
  int rc = load_totals(&w, m, team) == 0 && fit(&w) == 0 && bands(&w, 0) == 0 ? 0 : -1;
  if (rc == 0) {
    double verwacht;
    figures(&w, &verwacht, &out->capaciteit, &out->dekking);
    out->totaal_fte = tp_round4(w.totaal);
    out->capaciteit = isfinite(out->capaciteit) ? tp_round4(out->capaciteit) : NAN;
    out->dekking = isfinite(out->dekking) ? tp_round4(out->dekking) : NAN;
  }
  work_free(&w);
  return rc;
}

json_t *tp_gap_analyse(const json_t *rollen, const json_t *team, const json_t *referenties) {
  struct tp_gap_model *m = tp_gap_model_new(rollen, referenties);
  json_t *doc = m ? tp_gap_analyse_with(m, team) : NULL;
  tp_gap_model_free(m);
  return doc;
}
