/* The model of the gap analysis: the catalogue roles and the reference set
 * read once into arrays (a snapshot builds one per version). */
#include <stdlib.h>
#include <string.h>

#include "gap_internal.h"

static int cmp_key(const void *x, const void *y) {
  const struct role_key *a = x, *b = y;
  int c = strcmp(a->code, b->code);
  if (c) return c;
  return (a->idx > b->idx) - (a->idx < b->idx);
}

static int cmp_ref(const void *x, const void *y) {
  return tp_doc_ref_cmp(&((const struct ref *)x)->doc, &((const struct ref *)y)->doc);
}

void tp_gap_model_free(struct tp_gap_model *m) {
  if (!m) return;
  for (size_t i = 0; i < m->nrefs; i++) free(m->refs[i].unknown.v);
  free(m->rollen);
  free(m->by_code);
  free(m->reqs);
  free(m->refs);
  free(m->ref_fte);
  free(m->fielding);
  free(m->fielding_end);
  free(m->codes_json);
  free(m);
}

/* The catalogue roles with a code, their required competencies and the
 * lookup by code. */
static int model_roles(struct tp_gap_model *m, const json_t *rollen) {
  size_t i, j, ncat = json_array_size(rollen), nreq = 0;
  const json_t *v, *req;
  json_array_foreach(rollen, i, v) nreq += json_array_size(json_object_get(v, "competenties"));
  m->rollen = calloc(ncat ? ncat : 1, sizeof(*m->rollen));
  m->by_code = calloc(ncat ? ncat : 1, sizeof(*m->by_code));
  m->reqs = calloc(nreq ? nreq : 1, sizeof(*m->reqs));
  if (!m->rollen || !m->by_code || !m->reqs) return -1;
  json_array_foreach(rollen, i, v) {
    const char *code = tp_doc_str(v, "code");
    if (!code) continue;
    struct cat_role *r = &m->rollen[m->nrollen];
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
    m->by_code[m->nrollen].code = code;
    m->by_code[m->nrollen].idx = m->nrollen;
    m->nrollen++;
  }
  qsort(m->by_code, m->nrollen, sizeof(*m->by_code), cmp_key);
  for (size_t r = 0; r < m->nrollen; r++)
    m->rollen[r].first = (size_t)gap_find_role(m, m->rollen[r].code);
  return 0;
}

/* Every reference with a size, its fte per role, sorted. */
static int model_refs(struct tp_gap_model *m, const json_t *referenties) {
  size_t i, nin = json_array_size(referenties), ncat = m->nrollen ? m->nrollen : 1;
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
      rc = gap_sum_member(m, &team, &team.leden[k], r->fte, NULL, NULL, &r->unknown);
    }
    tp_gap_team_free(&team);
    if (rc != 0) return -1;
  }
  qsort(m->refs, m->nrefs, sizeof(*m->refs), cmp_ref);
  return 0;
}

struct tp_gap_model *tp_gap_model_new(const json_t *rollen, const json_t *referenties) {
  struct tp_gap_model *m = calloc(1, sizeof(*m));
  if (!m) return NULL;
  if (model_roles(m, rollen) != 0 || model_refs(m, referenties) != 0) {
    tp_gap_model_free(m);
    return NULL;
  }
  /* The fielding lists an advice repeats, written once per model. */
  gap_write_fielding(m);
  gap_write_codes(m);
  return m;
}
