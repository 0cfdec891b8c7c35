/* The development of a municipality's team (docs/methode.md, "De
 * ontwikkeling"): each profile's gap analysis summarised, and what changed
 * since the one before; and its CSV. */
#include "teamplotter/ontwikkeling.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

#include "teamplotter/csv.h"
#include "teamplotter/gap.h"
#include "teamplotter/stats.h"
#include "teamplotter/textbuf.h"

/* Far above 500 profiles of some 40 roles (about 3 MB). */
#define CSV_LIMIT (64u * 1024u * 1024u)

/* A difference of two figures as shown: NAN when either is null. */
static double verschil_of(double nu, double vorig) {
  return isfinite(nu) && isfinite(vorig) ? tp_round4(nu - vorig) : NAN;
}

static json_t *summary(const struct tp_gap_overzicht *o, int *oom) {
  json_t *s = json_object(), *missing = json_array(), *fragile = json_array();
  tp_doc_set(s, "totaalFte", tp_doc_real4(o->totaal_fte), oom);
  tp_doc_set(s, "verwachtFte", tp_doc_real4(o->verwacht_fte), oom);
  tp_doc_set(s, "capaciteit", tp_doc_real4(o->capaciteit), oom);
  tp_doc_set(s, "dekking", tp_doc_real4(o->dekking), oom);
  for (size_t r = 0; r < o->nrollen; r++)
    if (o->rollen[r].kernrol && o->rollen[r].ontbreekt)
      tp_doc_push(missing, json_string(o->rollen[r].rol), oom);
  tp_doc_set(s, "ontbrekendeKernrollen", missing, oom);
  for (size_t r = 0; r < o->nrollen; r++)
    if (o->rollen[r].kwetsbaar) tp_doc_push(fragile, json_string(o->rollen[r].rol), oom);
  tp_doc_set(s, "kwetsbareRollen", fragile, oom);
  return s;
}

static json_t *band(const struct tp_gap_overzicht *o, int *oom) {
  if (!isfinite(o->totaal_band[0])) return json_null();
  json_t *b = json_object();
  tp_doc_set(b, "p25", tp_doc_real4(o->totaal_band[0]), oom);
  tp_doc_set(b, "mediaan", tp_doc_real4(o->totaal_band[1]), oom);
  tp_doc_set(b, "p75", tp_doc_real4(o->totaal_band[2]), oom);
  return b;
}

static json_t *role_rows(const struct tp_gap_overzicht *o, int *oom) {
  json_t *rows = json_array();
  for (size_t r = 0; r < o->nrollen; r++) {
    json_t *x = json_object();
    tp_doc_set(x, "rol", json_string(o->rollen[r].rol), oom);
    tp_doc_set(x, "fte", tp_doc_real4(o->rollen[r].fte), oom);
    tp_doc_set(x, "status", json_string(o->rollen[r].status), oom);
    tp_doc_push(rows, x, oom);
  }
  return rows;
}

/* What changed from profile `vorig` (its analysis `v`) to analysis `o`:
 * both of the same model, so their roles line up. */
static json_t *difference(const struct tp_ontwikkeling_punt *vorig,
                          const struct tp_gap_overzicht *v, const struct tp_gap_overzicht *o,
                          int *oom) {
  json_t *d = json_object(), *rollen = json_array(), *nieuw = json_array(),
         *weg = json_array(), *status = json_array();
  tp_doc_set(d, "vorigTeamprofiel", json_string(vorig->teamprofiel), oom);
  tp_doc_set(d, "vorigePeildatum", json_string(vorig->peildatum), oom);
  tp_doc_set(d, "totaalFte", tp_doc_real4(verschil_of(o->totaal_fte, v->totaal_fte)), oom);
  tp_doc_set(d, "dekking", tp_doc_real4(verschil_of(o->dekking, v->dekking)), oom);
  for (size_t r = 0; r < o->nrollen && r < v->nrollen; r++) {
    const struct tp_gap_overzicht_rol *nu = &o->rollen[r], *toen = &v->rollen[r];
    if (nu->fte != toen->fte) {
      json_t *x = json_object();
      tp_doc_set(x, "rol", json_string(nu->rol), oom);
      tp_doc_set(x, "fte", tp_doc_real4(verschil_of(nu->fte, toen->fte)), oom);
      tp_doc_push(rollen, x, oom);
    }
    if (nu->fte > 0.0 && !(toen->fte > 0.0)) tp_doc_push(nieuw, json_string(nu->rol), oom);
    if (!(nu->fte > 0.0) && toen->fte > 0.0) tp_doc_push(weg, json_string(nu->rol), oom);
    if (strcmp(nu->status, toen->status) != 0) {
      json_t *x = json_object();
      tp_doc_set(x, "rol", json_string(nu->rol), oom);
      tp_doc_set(x, "van", json_string(toen->status), oom);
      tp_doc_set(x, "naar", json_string(nu->status), oom);
      tp_doc_push(status, x, oom);
    }
  }
  tp_doc_set(d, "rollen", rollen, oom);
  tp_doc_set(d, "nieuweRollen", nieuw, oom);
  tp_doc_set(d, "verdwenenRollen", weg, oom);
  tp_doc_set(d, "statusWijzigingen", status, oom);
  return d;
}

/* The analysis of profile `p` of municipality `code` with `inwoners`
 * (a reference municipality is left out of its own references). */
static int analyse(const struct tp_gap_model *m, const struct tp_ontwikkeling_punt *p,
                   const char *code, const json_t *inwoners, struct tp_gap_overzicht *out) {
  struct tp_gap_team team = p->team;
  team.gemeente = code;
  team.inwoners = inwoners; /* the municipality's now, as its own analysis has it */
  return tp_gap_overzicht(m, &team, out);
}

static json_t *profile_entry(const struct tp_ontwikkeling_punt *p,
                             const struct tp_gap_overzicht *o,
                             const struct tp_ontwikkeling_punt *vorig,
                             const struct tp_gap_overzicht *v, int *oom) {
  json_t *e = json_object();
  tp_doc_set(e, "teamprofiel", json_string(p->teamprofiel), oom);
  tp_doc_set(e, "peildatum", json_string(p->peildatum), oom);
  tp_doc_set(e, "referentie", json_boolean(p->referentie), oom);
  tp_doc_set(e, "herkomst", tp_doc_str_or_null(p->herkomst), oom);
  tp_doc_set(e, "samenvatting", summary(o, oom), oom);
  tp_doc_set(e, "verwachtTotaal", band(o, oom), oom);
  tp_doc_set(e, "rollen", role_rows(o, oom), oom);
  tp_doc_set(e, "verschil", vorig ? difference(vorig, v, o, oom) : json_null(), oom);
  return e;
}

json_t *tp_ontwikkeling(const struct tp_gap_model *m, const json_t *gemeente,
                        const struct tp_ontwikkeling_punt *punten, size_t npunten, int afgekapt,
                        const json_t *versies) {
  int oom = 0;
  const json_t *inwoners = json_object_get(gemeente, "inwoners");
  json_t *doc = json_object(), *list = json_array(), *kern = json_array();
  tp_doc_set(doc, "gemeente", tp_doc_str_or_null(tp_doc_str(gemeente, "code")), &oom);
  tp_doc_set(doc, "naam", tp_doc_str_or_null(tp_doc_str(gemeente, "naam")), &oom);
  tp_doc_set(doc, "inwoners", tp_doc_number_copy(inwoners), &oom);
  /* The previous profile's analysis is kept for the next difference. */
  struct tp_gap_overzicht a[2];
  memset(a, 0, sizeof(a));
  const struct tp_ontwikkeling_punt *vorig = NULL;
  for (size_t i = 0; i < npunten; i++) {
    const struct tp_ontwikkeling_punt *p = &punten[i];
    struct tp_gap_overzicht *nu = &a[i % 2], *toen = &a[(i + 1) % 2];
    tp_gap_overzicht_free(nu);
    if (oom || analyse(m, p, tp_doc_str(gemeente, "code"), inwoners, nu) != 0) {
      oom = 1;
      break;
    }
    tp_doc_push(list, profile_entry(p, nu, vorig, toen, &oom), &oom);
    vorig = p;
  }
  tp_gap_overzicht_free(&a[0]);
  tp_gap_overzicht_free(&a[1]);
  /* The core roles, from the analysis of an empty team: also when there
   * is no profile. */
  struct tp_gap_team none;
  memset(&none, 0, sizeof(none));
  if (tp_gap_overzicht(m, &none, &a[0]) != 0) oom = 1;
  for (size_t r = 0; !oom && r < a[0].nrollen; r++)
    if (a[0].rollen[r].kernrol) tp_doc_push(kern, json_string(a[0].rollen[r].rol), &oom);
  tp_gap_overzicht_free(&a[0]);
  tp_doc_set(doc, "kernrollen", kern, &oom);
  tp_doc_set(doc, "afgekapt", json_boolean(afgekapt), &oom);
  tp_doc_set(doc, "profielen", list, &oom);
  tp_doc_set(doc, "methodeVersie", json_string(TP_GAP_METHODE_VERSIE), &oom);
  const char *key;
  json_t *value;
  json_object_foreach((json_t *)versies, key, value) {
    tp_doc_set(doc, key, json_incref(value), &oom);
  }
  if (oom || !doc) {
    json_decref(doc);
    return NULL;
  }
  return doc;
}

/* ------------------------------------------------------------- the CSV */

static const char CSV_HEADER[] =
    "peildatum,teamprofiel,rol,kernrol,fte,status,verschilFte,vorigeStatus\r\n";

static int in_list(const json_t *arr, const char *s) {
  size_t i;
  const json_t *v;
  json_array_foreach(arr, i, v) {
    if (s && json_is_string(v) && strcmp(json_string_value(v), s) == 0) return 1;
  }
  return 0;
}

char *tp_ontwikkeling_csv(const json_t *doc, size_t *len) {
  struct tp_textbuf c;
  tp_textbuf_init(&c, CSV_LIMIT);
  tp_textbuf_puts(&c, CSV_HEADER);
  const json_t *kern = json_object_get(doc, "kernrollen");
  const json_t *vorig = NULL, *p;
  size_t i, r;
  json_array_foreach(json_object_get(doc, "profielen"), i, p) {
    const json_t *rollen = json_object_get(p, "rollen"), *x;
    const json_t *toen = json_object_get(vorig, "rollen");
    json_array_foreach(rollen, r, x) {
      const char *rol = tp_doc_str(x, "rol");
      /* Both analyses list the same catalogue in the same order. */
      const json_t *y = json_array_get(toen, r);
      tp_csv_field(&c, tp_doc_str(p, "peildatum"), 1);
      tp_csv_field(&c, tp_doc_str(p, "teamprofiel"), 0);
      tp_csv_field(&c, rol, 0);
      tp_csv_field(&c, in_list(kern, rol) ? "true" : "false", 0);
      tp_csv_real(&c, json_number_value(json_object_get(x, "fte")));
      tp_csv_field(&c, tp_doc_str(x, "status"), 0);
      tp_csv_real(&c, y ? verschil_of(json_number_value(json_object_get(x, "fte")),
                                      json_number_value(json_object_get(y, "fte")))
                        : NAN);
      tp_csv_field(&c, y ? tp_doc_str(y, "status") : NULL, 0);
      tp_textbuf_puts(&c, "\r\n");
    }
    vorig = p;
  }
  if (c.failed) {
    tp_textbuf_free(&c);
    return NULL;
  }
  return tp_textbuf_finish(&c, len);
}
