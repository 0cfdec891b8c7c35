/* The gap analysis itself, method version 1.1 (docs/methode.md): one team
 * against a model (gap_model.c), computed into a struct gap_work. Nothing
 * is written here; gap_writer.c writes the answer from the work. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gap_internal.h"

#include "teamplotter/stats.h"

/* A team's fte is compared with a band edge with this margin, so that a
 * team fielding exactly the p25 of the references is "passend" even when
 * the scaled value came out an ulp above it. Far below the 4 decimals of
 * the output, far above the error of a handful of multiplications. */
#define GAP_EPS 1e-9

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

/* A member's shares per role: for the team analysed and, once per model,
 * for each reference. */
int gap_sum_member(const struct tp_gap_model *m, const struct tp_gap_team *t,
                   const struct tp_gap_lid *x, double *fte, unsigned char *held, double *own,
                   struct codes *unknown) {
  for (size_t j = x->aandeel0; j < x->aandeel0 + x->naandelen; j++) {
    double aandeel = t->aandelen[j].aandeel;
    const char *rol = t->aandelen[j].rol;
    if (!(aandeel > 0.0) || !rol) continue;
    long r = gap_find_role(m, rol);
    if (r >= 0) {
      fte[r] += aandeel;
      if (held) {
        held[r] = 1;
        own[r] += aandeel;
      }
    } else if (codes_add(unknown, rol) != 0) {
      return -1;
    }
  }
  return 0;
}

/* The best level of competency `code` among the members holding role r;
 * 0 when nobody in that role has it. */
static int best_level(const struct gap_work *w, size_t r, const char *code) {
  int best = 0;
  size_t held = w->rollen[r].first;
  for (size_t i = 0; i < w->nmembers; i++) {
    if (!w->holds[i * w->nrollen + held]) continue;
    const struct tp_gap_competentie *c = &w->comps[w->members[i].comp0];
    for (size_t k = 0; k < w->members[i].ncomp; k++)
      if (c[k].code && c[k].niveau > best && c[k].code[0] == code[0] && strcmp(c[k].code, code) == 0)
        best = c[k].niveau;
  }
  return best;
}

void gap_work_free(struct gap_work *w) {
  free(w->refs);
  free(w->team_fte);
  free(w->members);
  free(w->holds);
  free(w->share);
  free(w->depth);
  free(w->acties);
  free(w->actie_leden);
  free(w->res);
  free(w->unknown.v);
  free(w->gaps);
}

/* The references team `own` (NULL: none) is measured against, and with
 * `unknown` their role codes outside the catalogue. */
static int select_refs(struct gap_work *w, const struct tp_gap_model *m, const char *own,
                       int unknown) {
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

/* The arrays every analysis needs, per role and per reference of `m`. */
static int work_start(struct gap_work *w, const struct tp_gap_model *m) {
  size_t ncat = m->nrollen ? m->nrollen : 1;
  w->model = m;
  w->rollen = m->rollen;
  w->nrollen = m->nrollen;
  w->refs = calloc(m->nrefs ? m->nrefs : 1, sizeof(*w->refs));
  w->team_fte = calloc(ncat, sizeof(double));
  w->res = calloc(ncat, sizeof(*w->res));
  return w->refs && w->team_fte && w->res ? 0 : -1;
}

/* The team read into the work arrays, and the references it is measured
 * against. */
static int load(struct gap_work *w, const struct tp_gap_model *m, const struct tp_gap_team *t) {
  size_t ncat = m->nrollen ? m->nrollen : 1, nlid = t->nleden;
  if (work_start(w, m) != 0) return -1;
  w->members = calloc(nlid ? nlid : 1, sizeof(*w->members));
  w->holds = calloc((nlid ? nlid : 1) * ncat, 1);
  w->share = calloc((nlid ? nlid : 1) * ncat, sizeof(double));
  if (!w->members || !w->holds || !w->share) return -1;
  w->leden = t->leden;

  w->inwoners = json_number_value(t->inwoners);
  w->has_inwoners = json_is_number(t->inwoners) && isfinite(w->inwoners) && w->inwoners > 0.0;
  w->comps = t->competenties;
  double totaal = 0.0;
  for (size_t i = 0; i < nlid; i++) {
    const struct tp_gap_lid *x = &t->leden[i];
    totaal += x->fte; /* in member order, as tp_doc_total_fte */
    if (gap_sum_member(m, t, x, w->team_fte, &w->holds[i * ncat], &w->share[i * ncat],
                       &w->unknown) != 0) {
      return -1;
    }
    w->members[w->nmembers].comp0 = x->competentie0;
    w->members[w->nmembers++].ncomp = x->ncompetenties;
  }
  w->totaal = totaal;

  return select_refs(w, m, t->gemeente, 1);
}

/* A team given by its totals only: fte per role, each role once. */
static int load_totals(struct gap_work *w, const struct tp_gap_model *m,
                       const struct tp_gap_totals *t) {
  if (work_start(w, m) != 0) return -1;
  w->inwoners = t->inwoners;
  w->has_inwoners = isfinite(t->inwoners) && t->inwoners > 0.0;
  w->totaal = t->totaal;
  for (size_t i = 0; i < t->nrollen; i++) {
    long r = gap_find_role(m, t->rollen[i]);
    /* As sum_member: 0 + the sum is the sum, unknown roles count nowhere. */
    if (r >= 0 && t->fte[i] > 0.0) w->team_fte[r] += t->fte[i];
  }
  return select_refs(w, m, t->gemeente, 0);
}

/* Step 1: the scale law. References without members (T_i = 0) have no
 * logarithm and stay out of the fit; they still count in the bands. */
static int fit(struct gap_work *w) {
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
static int bands(struct gap_work *w, int scaled) {
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
  for (size_t r = 0; r < w->nrollen; r++) {
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
static int competency_gaps(struct gap_work *w) {
  size_t cap = 0;
  for (size_t r = 0; r < w->nrollen; r++) cap += w->rollen[r].nreqs;
  w->gaps = calloc(cap ? cap : 1, sizeof(*w->gaps));
  if (!w->gaps) return -1;
  for (int pass = 1; pass >= 0; pass--) {
    for (size_t r = 0; r < w->nrollen; r++) {
      if (!(w->res[r].f > 0.0)) continue;
      for (size_t j = 0; j < w->rollen[r].nreqs; j++) {
        const struct req *q = &w->rollen[r].reqs[j];
        if (q->essentieel != pass) continue;
        int best = best_level(w, r, q->code);
        if (best >= q->niveau) continue;
        struct comp_gap *g = &w->gaps[w->ngaps++];
        g->role = r;
        g->req = q;
        g->competentie = q->code;
        g->vereist = q->niveau;
        g->hoogste = best;
        g->essentieel = q->essentieel;
      }
    }
  }
  return 0;
}

/* Steps 1-4 and 8 for `team`, then steps 5 and 9 for the complete
 * analysis. */
int gap_work_run(struct gap_work *w, const struct tp_gap_model *m, const struct tp_gap_team *team,
                 enum gap_steps steps) {
  memset(w, 0, sizeof(*w));
  if (load(w, m, team) != 0 || fit(w) != 0 || bands(w, 1) != 0 || gap_depth(w) != 0) return -1;
  if (steps != GAP_COMPLETE) return 0;
  if (competency_gaps(w) != 0 || gap_acties(w) != 0) return -1;
  if (w->unknown.n > 0) qsort(w->unknown.v, w->unknown.n, sizeof(*w->unknown.v), tp_doc_cmp_str);
  return 0;
}

/* A role in the order of the advice list. */
struct ranked {
  size_t idx;
  double key;
};

/* Larger key first, then catalogue order: the key is rounded to the 4
 * decimals a reader sees, so two roles that look equal rank by catalogue
 * order and not by a difference in the 16th digit. */
static int cmp_ranked(const void *x, const void *y) {
  const struct ranked *a = x, *b = y;
  if (a->key != b->key) return a->key > b->key ? -1 : 1;
  return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Step 7's groups 1-3: missing core roles in catalogue order, the other
 * missing roles by aanwezigheid x mediaan, understaffed roles by p25 - f. */
long gap_short_roles(const struct gap_work *w, size_t *order) {
  struct ranked *rank = malloc((w->nrollen ? w->nrollen : 1) * sizeof(*rank));
  if (!rank) return -1;
  size_t n = 0;
  for (size_t r = 0; r < w->nrollen; r++)
    if (w->rollen[r].kernrol && w->res[r].status == ST_ONTBREEKT) order[n++] = r;
  for (int group = 2; group <= 3; group++) {
    size_t k = 0;
    for (size_t r = 0; r < w->nrollen; r++) {
      const struct role_result *x = &w->res[r];
      if (group == 2 && !w->rollen[r].kernrol && x->status == ST_ONTBREEKT)
        rank[k++] = (struct ranked){r, tp_round4(gap_aanwezigheid(w, r) * x->mediaan)};
      else if (group == 3 && x->status == ST_ONDERBEZET)
        rank[k++] = (struct ranked){r, tp_round4(x->p25 - x->f)};
    }
    qsort(rank, k, sizeof(*rank), cmp_ranked);
    for (size_t j = 0; j < k; j++) order[n++] = rank[j].idx;
  }
  free(rank);
  return (long)n;
}

/* Step 6's figures; dekking weighs each role by its aanwezigheid (tp_coverage). */
void gap_figures(const struct gap_work *w, double *verwacht, double *capaciteit, double *dekking) {
  int can_expect = w->fit != FIT_GEEN && w->has_inwoners;
  *verwacht = can_expect ? exp(w->a) * pow(w->inwoners, w->b) : NAN;
  *capaciteit = can_expect && *verwacht > 0.0 ? w->totaal / *verwacht : NAN;
  struct tp_coverage coverage = {0, 0};
  for (size_t r = 0; r < w->nrollen; r++)
    tp_coverage_add(&coverage, w->res[r].present, w->res[r].f > 0.0);
  if (tp_coverage_value(&coverage, dekking) != 0) *dekking = NAN;
}

/* ------------------------------------------ a team document read as arrays */

int tp_gap_team_from_json(const json_t *team, struct tp_gap_team *out) {
  memset(out, 0, sizeof(*out));
  out->gemeente = tp_doc_str(team, "gemeente");
  out->inwoners = json_object_get(team, "inwoners");
  const json_t *leden = json_object_get(team, "leden");
  size_t i, j, naandelen = 0, ncompetenties = 0;
  const json_t *lid, *x;
  json_array_foreach(leden, i, lid) {
    naandelen += json_array_size(json_object_get(lid, "rollen"));
    ncompetenties += json_array_size(json_object_get(lid, "competenties"));
  }
  size_t n = json_array_size(leden);
  out->leden = calloc(n ? n : 1, sizeof(*out->leden));
  out->aandelen = calloc(naandelen ? naandelen : 1, sizeof(*out->aandelen));
  out->competenties = calloc(ncompetenties ? ncompetenties : 1, sizeof(*out->competenties));
  if (!out->leden || !out->aandelen || !out->competenties) {
    tp_gap_team_free(out);
    return -1;
  }
  json_array_foreach(leden, i, lid) {
    struct tp_gap_lid *m = &out->leden[out->nleden++];
    m->fte = tp_doc_num(lid, "fte");
    m->label = tp_doc_str(lid, "label");
    m->label_len = m->label ? strlen(m->label) : 0;
    m->aandeel0 = out->naandelen;
    json_array_foreach(json_object_get(lid, "rollen"), j, x) {
      out->aandelen[out->naandelen++] = (struct tp_gap_aandeel){tp_doc_str(x, "rol"),
                                                           tp_doc_num(x, "aandeel")};
    }
    m->naandelen = out->naandelen - m->aandeel0;
    m->competentie0 = out->ncompetenties;
    json_array_foreach(json_object_get(lid, "competenties"), j, x) {
      out->competenties[out->ncompetenties++] = (struct tp_gap_competentie){tp_doc_str(x, "code"),
                                                          (int)tp_doc_num(x, "niveau")};
    }
    m->ncompetenties = out->ncompetenties - m->competentie0;
  }
  return 0;
}

void tp_gap_team_free(struct tp_gap_team *team) {
  free(team->leden);
  free(team->aandelen);
  free(team->competenties);
  memset(team, 0, sizeof(*team));
}

/* ------------------------------------------------ a team given by its totals */

int tp_gap_figures(const struct tp_gap_model *m, const struct tp_gap_totals *team,
                   struct tp_gap_figures *out) {
  struct gap_work w;
  memset(&w, 0, sizeof(w));
  int rc = load_totals(&w, m, team) == 0 && fit(&w) == 0 && bands(&w, 0) == 0 ? 0 : -1;
  if (rc == 0) {
    double verwacht;
    gap_figures(&w, &verwacht, &out->capaciteit, &out->dekking);
    out->totaal_fte = tp_round4(w.totaal);
    out->capaciteit = isfinite(out->capaciteit) ? tp_round4(out->capaciteit) : NAN;
    out->dekking = isfinite(out->dekking) ? tp_round4(out->dekking) : NAN;
    size_t used = 0;
    out->ontbrekende_kernrollen[0] = '\0';
    for (size_t r = 0; rc == 0 && r < w.nrollen; r++) {
      if (!w.rollen[r].kernrol || w.res[r].status != ST_ONTBREEKT) continue;
      size_t n = strlen(w.rollen[r].code);
      if (used + n + 2 > sizeof(out->ontbrekende_kernrollen)) rc = -1;
      if (rc != 0) break;
      memcpy(out->ontbrekende_kernrollen + used, w.rollen[r].code, n);
      used += n;
      out->ontbrekende_kernrollen[used++] = ' ';
      out->ontbrekende_kernrollen[used] = '\0';
    }
  }
  gap_work_free(&w);
  return rc;
}

/* ------------------------------------------- what a development shows */

/* p25, median and p75 of the references' total fte, each scaled to the
 * team's inhabitants as step 2 scales a role's; NAN when there is no
 * scale (no fit, no inhabitants). -1 when out of memory. */
static int total_band(const struct gap_work *w, double band[3]) {
  band[0] = band[1] = band[2] = NAN;
  if (w->fit == FIT_GEEN || !w->has_inwoners || w->nrefs == 0) return 0;
  double *s = malloc(w->nrefs * sizeof(double));
  if (!s) return -1;
  for (size_t i = 0; i < w->nrefs; i++)
    s[i] = w->refs[i]->doc.totaal * pow(w->inwoners / w->refs[i]->doc.inwoners, w->b);
  qsort(s, w->nrefs, sizeof(double), cmp_double);
  const double p[3] = {0.25, 0.5, 0.75};
  for (int k = 0; k < 3; k++) {
    double v = tp_percentile_inc(s, w->nrefs, p[k]);
    band[k] = isfinite(v) ? tp_round4(v) : NAN;
  }
  free(s);
  return 0;
}

static double shown(double v) { return isfinite(v) ? tp_round4(v) : NAN; }

int tp_gap_overzicht(const struct tp_gap_model *m, const struct tp_gap_team *team,
                     struct tp_gap_overzicht *out) {
  memset(out, 0, sizeof(*out));
  struct gap_work w;
  int rc = gap_work_run(&w, m, team, GAP_ROLES);
  if (rc == 0) {
    out->rollen = calloc(w.nrollen ? w.nrollen : 1, sizeof(*out->rollen));
    rc = out->rollen ? total_band(&w, out->totaal_band) : -1;
  }
  if (rc == 0) {
    double verwacht, capaciteit, dekking;
    gap_figures(&w, &verwacht, &capaciteit, &dekking);
    out->totaal_fte = shown(w.totaal);
    out->verwacht_fte = shown(verwacht);
    out->capaciteit = shown(capaciteit);
    out->dekking = shown(dekking);
    out->nrollen = w.nrollen;
    for (size_t r = 0; r < w.nrollen; r++) {
      struct tp_gap_overzicht_rol *x = &out->rollen[r];
      x->rol = w.rollen[r].code;
      x->kernrol = w.rollen[r].kernrol;
      x->fte = tp_round4(w.res[r].f);
      x->status = GAP_STATUS_NAMES[w.res[r].status];
      x->ontbreekt = w.res[r].status == ST_ONTBREEKT;
      x->kwetsbaar = w.depth[r].kwetsbaar;
    }
  }
  gap_work_free(&w);
  if (rc != 0) tp_gap_overzicht_free(out);
  return rc;
}

void tp_gap_overzicht_free(struct tp_gap_overzicht *o) {
  free(o->rollen);
  memset(o, 0, sizeof(*o));
}
