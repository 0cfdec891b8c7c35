/* Method version 1.1 (docs/methode.md, steps 8 and 9): how many people
 * each role rests on, and the actions that name the next step. Computed
 * into the analysis's work after steps 1-5; nothing is written here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gap_internal.h"

#include "teamplotter/stats.h"

/* The margin of gap.c's band comparisons, for the same reason. */
#define ACTIE_EPS 1e-9

/* One member holding this share of a role's fte or more makes the role
 * fragile (when references field it). */
#define KWETSBAAR_AANDEEL 0.8

/* At most this many members are named as backups of a fragile role. */
#define SPREIDEN_MAX 3

/* --------------------------------------------------------- step 8: depth */

int gap_depth(struct gap_work *w) {
  w->depth = calloc(w->nrollen ? w->nrollen : 1, sizeof(*w->depth));
  if (!w->depth) return -1;
  for (size_t r = 0; r < w->nrollen; r++) {
    struct depth *d = &w->depth[r];
    size_t held = w->rollen[r].first;
    for (size_t i = 0; i < w->nmembers; i++) {
      double s = w->share[i * w->nrollen + held];
      if (!(s > 0.0)) continue;
      if (d->personen == 0 || s > d->grootste) {
        d->top = i;
        d->grootste = s;
      }
      d->personen++;
    }
    const struct role_result *x = &w->res[r];
    /* Compared as shares, not as a ratio, with the band's margin: three
     * members of 0.8, 0.1 and 0.1 fte put exactly 0.8 on the first. */
    int one_carries = d->personen > 0 && x->has_band && x->mediaan > 0.0 &&
                      d->grootste >= KWETSBAAR_AANDEEL * x->f - ACTIE_EPS;
    int lone_core = w->rollen[r].kernrol && d->personen == 1;
    d->kwetsbaar = one_carries || lone_core;
  }
  return 0;
}

/* ------------------------------------------------------- step 9: actions */

/* The member's level of competency `code`: the highest it names, 0 when
 * none. The first byte rules out most codes before a strcmp. */
static int level_of(const struct gap_work *w, size_t i, const char *code) {
  int best = 0;
  const struct tp_gap_competentie *c = &w->comps[w->members[i].comp0];
  for (size_t k = 0; k < w->members[i].ncomp; k++)
    if (c[k].code && c[k].niveau > best && c[k].code[0] == code[0] && strcmp(c[k].code, code) == 0)
      best = c[k].niveau;
  return best;
}

/* Whether member i has each essential competency of role r at its
 * required level minus `slack`; if so, *exact (when not NULL) is how many
 * levels it falls short of the required levels, summed. Stops at the first
 * competency it lacks: most members lack most roles' competencies. */
static int within(const struct gap_work *w, size_t i, size_t r, int slack, int *exact) {
  int sum = 0;
  for (size_t j = 0; j < w->rollen[r].nreqs; j++) {
    const struct req *q = &w->rollen[r].reqs[j];
    if (!q->essentieel) continue;
    int lack = q->niveau - level_of(w, i, q->code);
    if (lack > slack) return 0;
    if (lack > 0) sum += lack;
  }
  if (exact) *exact = sum;
  return 1;
}

/* Labels compared byte for byte, a shorter one first when one begins the other. */
static int cmp_label(const struct tp_gap_lid *a, const struct tp_gap_lid *b) {
  size_t n = a->label_len < b->label_len ? a->label_len : b->label_len;
  int c = n ? memcmp(a->label ? a->label : "", b->label ? b->label : "", n) : 0;
  if (c != 0) return c;
  return (a->label_len > b->label_len) - (a->label_len < b->label_len);
}

/* A member as a candidate: sorted by key ascending, then label, then
 * member order, then (herverdelen) the catalogue order of `donor`. */
struct candidate {
  double key;
  const struct tp_gap_lid *x; /* the member, for its label */
  size_t lid, donor;
};

static int cmp_candidate(const void *p, const void *q) {
  const struct candidate *a = p, *b = q;
  if (a->key != b->key) return a->key < b->key ? -1 : 1;
  int c = cmp_label(a->x, b->x);
  if (c != 0) return c;
  if (a->lid != b->lid) return a->lid < b->lid ? -1 : 1;
  return (a->donor > b->donor) - (a->donor < b->donor);
}

static void sort_candidates(struct candidate *c, size_t n) {
  qsort(c, n, sizeof(*c), cmp_candidate);
}

static struct candidate candidate_of(const struct gap_work *w, double key, size_t i, size_t donor) {
  return (struct candidate){key, &w->leden[i], i, donor};
}

/* Down to 4 decimals: what is moved never takes more than there is. The
 * tiny addition keeps 0.3 from flooring to 0.2999 through binary noise. */
static double floor4(double v) { return floor(v * 10000.0 + 1e-6) / 10000.0; }

static struct actie *add_actie(struct gap_work *w, enum actie_soort soort, enum actie_text text,
                               size_t r) {
  if (w->nacties == w->acties_cap) {
    size_t cap = w->acties_cap ? 2 * w->acties_cap : 16;
    struct actie *v = realloc(w->acties, cap * sizeof(*v));
    if (!v) return NULL;
    w->acties = v;
    w->acties_cap = cap;
  }
  struct actie *a = &w->acties[w->nacties++];
  memset(a, 0, sizeof(*a));
  a->soort = soort;
  a->text = text;
  a->rol = r;
  a->fte = NAN;
  a->tot_mediaan = NAN;
  a->leden0 = w->nactie_leden;
  return a;
}

/* Member i named by action `a` (the last one added). */
static int add_lid(struct gap_work *w, struct actie *a, size_t i) {
  if (w->nactie_leden == w->actie_leden_cap) {
    size_t cap = w->actie_leden_cap ? 2 * w->actie_leden_cap : 32;
    size_t *v = realloc(w->actie_leden, cap * sizeof(*v));
    if (!v) return -1;
    w->actie_leden = v;
    w->actie_leden_cap = cap;
  }
  w->actie_leden[w->nactie_leden++] = i;
  a->nleden++;
  return 0;
}

/* What the actions of one analysis share: the fte each `ruim` role can
 * still give up before it reaches its p25, and what each member still
 * has in each role, both lowered by every herverdelen. */
struct moves {
  double *surplus;   /* per role */
  double *left;      /* [member * nrollen + role] */
  struct candidate *c;
};

/* Step 9 for role r that is short: herverdelen from `ruim` roles by the
 * members who meet its essential competencies, then werven for the rest. */
static int staff(struct gap_work *w, struct moves *mv, size_t r) {
  const struct role_result *x = &w->res[r];
  if (!x->has_band) {
    return add_actie(w, A_WERVEN, AT_WERVEN_ZONDER_BAND, r) ? 0 : -1;
  }
  /* To p25; a missing role whose p25 is 0 aims at the median. */
  double doel = x->p25 - x->f > ACTIE_EPS ? x->p25 : x->mediaan;
  double need = doel - x->f, moved = 0.0;
  size_t n = 0;
  for (size_t i = 0; i < w->nmembers; i++) {
    size_t first = n;
    for (size_t d = 0; d < w->nrollen; d++) {
      double left = mv->left[i * w->nrollen + w->rollen[d].first];
      if (d == r || !(left > 0.0) || w->res[d].status != ST_RUIM) continue;
      double can = floor4(fmin(left, mv->surplus[d]));
      if (can > 0.0) mv->c[n++] = candidate_of(w, -can, i, d);
    }
    /* The competencies only of a member who could move something. */
    if (n > first && !within(w, i, r, 0, NULL)) n = first;
  }
  sort_candidates(mv->c, n);
  for (size_t k = 0; k < n && need > ACTIE_EPS; k++) {
    size_t i = mv->c[k].lid, d = mv->c[k].donor;
    /* An earlier move of this role may have taken from the same role. */
    double *left = &mv->left[i * w->nrollen + w->rollen[d].first];
    double can = floor4(fmin(*left, mv->surplus[d]));
    double amount = tp_round4(fmin(need, can));
    if (!(amount > 0.0)) continue;
    struct actie *a = add_actie(w, A_HERVERDELEN, AT_HERVERDELEN, r);
    if (!a || add_lid(w, a, i) != 0) return -1;
    mv->surplus[d] -= amount;
    *left -= amount;
    a->van_rol = d;
    a->fte = amount;
    a->van_rest = w->res[d].p25 + mv->surplus[d];
    need -= amount;
    moved += amount;
  }
  if (need > ACTIE_EPS) {
    struct actie *a = add_actie(w, A_WERVEN, moved > 0.0 ? AT_WERVEN_REST : AT_WERVEN, r);
    if (!a) return -1;
    a->fte = tp_round4(need);
    a->tot_mediaan = tp_round4(fmax(x->mediaan - x->f - moved, need));
  }
  return 0;
}

/* Step 9 for an essential competency gap: the members in the role, the
 * one closest to the required level first. */
static int train(struct gap_work *w, struct moves *mv, const struct comp_gap *g) {
  size_t n = 0, held = w->rollen[g->role].first;
  for (size_t i = 0; i < w->nmembers; i++)
    if (w->holds[i * w->nrollen + held])
      mv->c[n++] = candidate_of(w, (double)(g->vereist - level_of(w, i, g->competentie)), i, 0);
  sort_candidates(mv->c, n);
  struct actie *a = add_actie(w, A_OPLEIDEN, g->hoogste > 0 ? AT_OPLEIDEN : AT_OPLEIDEN_NIEMAND,
                              g->role);
  if (!a) return -1;
  a->gap = g;
  a->niveau = n > 0 ? level_of(w, mv->c[0].lid, g->competentie) : 0;
  for (size_t k = 0; k < n; k++)
    if (add_lid(w, a, mv->c[k].lid) != 0) return -1;
  return 0;
}

/* Step 9 for a fragile role: who could back up the member who carries it,
 * at most SPREIDEN_MAX, the fewest levels short first. */
static int spread(struct gap_work *w, struct moves *mv, size_t r) {
  size_t n = 0;
  for (size_t i = 0; i < w->nmembers; i++) {
    if (i == w->depth[r].top) continue;
    int exact;
    if (within(w, i, r, 1, &exact)) mv->c[n++] = candidate_of(w, (double)exact, i, 0);
  }
  sort_candidates(mv->c, n);
  struct actie *a = add_actie(w, A_SPREIDEN, n > 0 ? AT_SPREIDEN : AT_SPREIDEN_NIEMAND, r);
  if (!a) return -1;
  for (size_t k = 0; k < n && k < SPREIDEN_MAX; k++)
    if (add_lid(w, a, mv->c[k].lid) != 0) return -1;
  return 0;
}

int gap_acties(struct gap_work *w) {
  size_t nr = w->nrollen ? w->nrollen : 1, nm = w->nmembers ? w->nmembers : 1;
  size_t *order = malloc(nr * sizeof(*order));
  struct moves mv = {malloc(nr * sizeof(double)), malloc(nm * nr * sizeof(double)),
                     malloc(nm * nr * sizeof(struct candidate))};
  int rc = order && mv.surplus && mv.left && mv.c ? 0 : -1;
  long nshort = rc == 0 ? gap_short_roles(w, order) : -1;
  if (nshort < 0) rc = -1;
  if (rc == 0) {
    for (size_t r = 0; r < w->nrollen; r++)
      mv.surplus[r] = w->res[r].status == ST_RUIM ? w->res[r].f - w->res[r].p25 : 0.0;
    memcpy(mv.left, w->share, w->nmembers * w->nrollen * sizeof(double));
  }
  for (long k = 0; rc == 0 && k < nshort; k++) rc = staff(w, &mv, order[k]);
  for (size_t k = 0; rc == 0 && k < w->ngaps; k++)
    if (w->gaps[k].essentieel) rc = train(w, &mv, &w->gaps[k]);
  for (size_t r = 0; rc == 0 && r < w->nrollen; r++)
    if (w->depth[r].kwetsbaar) rc = spread(w, &mv, r);
  free(order);
  free(mv.surplus);
  free(mv.left);
  free(mv.c);
  return rc;
}
