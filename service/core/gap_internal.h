#ifndef TEAMPLOTTER_CORE_GAP_INTERNAL_H
#define TEAMPLOTTER_CORE_GAP_INTERNAL_H

/* Private to the gap module: included only by service/core/gap*.c, never
 * elsewhere (the public interface is teamplotter/gap.h). The module is
 *   gap_model.c   the catalogue and reference set read once per snapshot;
 *   gap.c         the method (docs/methode.md): one analysis computed into
 *                 a struct gap_work, nothing written;
 *   gap_acties.c  version 1.1: people per role and the actions that name
 *                 the next step, computed into the same work;
 *   gap_writer.c  the answer written as JSON text from that work, and the
 *                 advice and action texts. */

#include <stddef.h>
#include <string.h>

#include "doc.h"

#include "teamplotter/gap.h"

enum status { ST_ONTBREEKT, ST_OPTIONEEL, ST_ONDERBEZET, ST_PASSEND, ST_RUIM, ST_ONBEKEND };

/* A status as the answer names it, indexed by enum status (gap_writer.c). */
extern const char *const GAP_STATUS_NAMES[];

enum fit_kind { FIT_GEEN, FIT_LINEAIR, FIT_MACHTSWET };

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
  const char *json; /* the code as a JSON string (quotes, escapes), or NULL */
  size_t json_len;
};

struct cat_role {
  const char *code;
  const char *json; /* the code as a JSON string (quotes, escapes), or NULL */
  size_t json_len;
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
  struct cat_role *rollen;
  size_t nrollen;
  struct role_key *by_code;
  struct req *reqs;
  size_t nreqs;
  struct ref *refs; /* sorted by tp_doc_ref_cmp */
  size_t nrefs;
  double *ref_fte;
  /* Per role, the JSON list of the references that field it, as an advice
   * shows it when no reference is left out: role r's is the text from
   * fielding_end[r - 1] (0 for the first) to fielding_end[r]. NULL when
   * it could not be written; then each analysis writes its own. */
  char *fielding;
  size_t *fielding_end;
  /* The text the roles' and competencies' `json` point into; NULL when it
   * could not be written (then every code is escaped as it is written). */
  char *codes_json;
};

/* One member of the analysed team: the roles it holds and its competencies. */
struct member {
  size_t comp0, ncomp; /* a slice of gap_work.comps */
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
  const struct req *req; /* the catalogue's requirement */
  const char *competentie;
  int vereist, hoogste, essentieel;
};

/* How many people a role rests on (docs/methode.md, step 8). */
struct depth {
  size_t personen; /* members with a share > 0 in the role */
  size_t top;      /* the member with the largest share (the first of equals) */
  double grootste; /* that share in fte */
  int kwetsbaar;
};

enum actie_soort { A_HERVERDELEN, A_OPLEIDEN, A_SPREIDEN, A_WERVEN };

/* Which explanation an action gets (gap_writer.c, ACTIE_TEXTS). */
enum actie_text {
  AT_HERVERDELEN,
  AT_OPLEIDEN,        /* the first member has the competency, below the level */
  AT_OPLEIDEN_NIEMAND, /* nobody in the role has it */
  AT_SPREIDEN,
  AT_SPREIDEN_NIEMAND, /* nobody could back up */
  AT_WERVEN,          /* nobody could move fte */
  AT_WERVEN_REST,     /* what is left after moving fte */
  AT_WERVEN_ZONDER_BAND,
  ACTIE_TEXTS_N
};

/* One step of step 9. Members are a slice of gap_work.actie_leden. */
struct actie {
  enum actie_soort soort;
  enum actie_text text;
  size_t rol;
  size_t van_rol;        /* herverdelen: the role the fte comes from */
  double fte;            /* NAN: none (rounded to 4 decimals) */
  double tot_mediaan;    /* werven: fte to reach the median */
  double van_rest;       /* herverdelen: what the other role keeps */
  size_t leden0, nleden;
  const struct comp_gap *gap; /* opleiden */
  int niveau;            /* opleiden: the first member's level */
};

/* Everything one analysis computes before it is written; freed at once. */
struct gap_work {
  const struct tp_gap_model *model;
  const struct cat_role *rollen; /* the model's */
  size_t nrollen;
  const struct ref **refs; /* the model's, without the team's own */
  size_t nrefs;
  double *team_fte;
  struct member *members;
  size_t nmembers;
  unsigned char *holds; /* [member * nrollen + role]: a share > 0 in the role */
  double *share;        /* [member * nrollen + role]: the member's fte in the role */
  const struct tp_gap_lid *leden; /* the team's, for labels */
  const struct tp_gap_competentie *comps; /* the team's */
  struct role_result *res;
  struct codes unknown; /* sorted when the analysis is complete */
  struct comp_gap *gaps;
  size_t ngaps;
  struct depth *depth; /* per role, with GAP_ROLES and GAP_COMPLETE */
  struct actie *acties; /* with GAP_COMPLETE */
  size_t nacties, acties_cap;
  size_t *actie_leden;
  size_t nactie_leden, actie_leden_cap;
  double inwoners;
  int has_inwoners;
  double totaal;
  enum fit_kind fit;
  double a, b, r2;
  int has_r2;
};

/* The catalogue position of role `code` (the first, should a code occur
 * twice), or -1. Inline: the analysis looks up every share of its team. */
static inline long gap_find_role(const struct tp_gap_model *m, const char *code) {
  if (!code) return -1;
  size_t lo = 0, hi = m->nrollen;
  while (lo < hi) { /* the first key >= code */
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(m->by_code[mid].code, code) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < m->nrollen && strcmp(m->by_code[lo].code, code) == 0) return (long)m->by_code[lo].idx;
  return -1;
}

/* gap.c: the method. */

/* Adds each share of member `x` to fte[role] and, when `held` is not
 * NULL, marks the roles in `held` and adds the shares to own[role] too;
 * shares of roles outside the catalogue go to `unknown`. -1 when out of
 * memory. */
int gap_sum_member(const struct tp_gap_model *m, const struct tp_gap_team *t,
                   const struct tp_gap_lid *x, double *fte, unsigned char *held, double *own,
                   struct codes *unknown);

/* What gap_work_run computes. */
enum gap_steps {
  GAP_ROLES,    /* steps 1-4 and 8: the summary, every role's status and depth */
  GAP_COMPLETE, /* steps 1-5, 8 and 9, and the unknown codes sorted: the whole analysis */
};

/* The analysis of `team` with model `m` into `w`; free `w` with
 * gap_work_free whatever this returns. -1 when out of memory. */
int gap_work_run(struct gap_work *w, const struct tp_gap_model *m, const struct tp_gap_team *team,
                 enum gap_steps steps);
void gap_work_free(struct gap_work *w);

/* The figures of the summary, unrounded; NAN where it shows null. */
void gap_figures(const struct gap_work *w, double *verwacht, double *capaciteit, double *dekking);

/* The roles of advice groups 1-3 (missing core roles, other missing roles,
 * understaffed roles) in the order of the advice, into `order` (room for
 * nrollen); their number, or -1 when out of memory. */
long gap_short_roles(const struct gap_work *w, size_t *order);

static inline double gap_aanwezigheid(const struct gap_work *w, size_t r) {
  return w->nrefs ? (double)w->res[r].present / (double)w->nrefs : 0.0;
}

/* gap_acties.c: step 8 (depth per role) and step 9 (actions). -1 when out
 * of memory. */
int gap_depth(struct gap_work *w);
int gap_acties(struct gap_work *w);

/* gap_writer.c: the text. */

/* Fills m->fielding and m->fielding_end; leaves them NULL when out of memory. */
void gap_write_fielding(struct tp_gap_model *m);

/* Fills m->codes_json and each role's and requirement's `json`; leaves
 * them NULL when out of memory or a code is not UTF-8. */
void gap_write_codes(struct tp_gap_model *m);

#endif
