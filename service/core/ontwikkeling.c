/* The development of a municipality's team (docs/methode.md, "De
 * ontwikkeling"): each profile's gap analysis summarised, and what changed
 * since the one before; and its CSV. */
#include "teamplotter/ontwikkeling.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

#include "teamplotter/csv.h"
#include "teamplotter/render.h"
#include "teamplotter/gap.h"
#include "teamplotter/stats.h"
#include "teamplotter/textbuf.h"

/* Far above 500 profiles of some 40 roles (about 3 MB). */
#define CSV_LIMIT (64u * 1024u * 1024u)

/* A difference of two figures as shown: NAN when either is null. */
static double verschil_of(double nu, double vorig) {
  return isfinite(nu) && isfinite(vorig) ? tp_round4(nu - vorig) : NAN;
}

/* The document is written as text, the way every JSON answer is rendered
 * (render.h), without a jansson tree: some 60 000 small objects at 500
 * profiles would cost more than the analyses. */

/* A real to 4 decimals, or null when it has none. */
static void put_real4(struct tp_textbuf *b, double v) {
  if (isfinite(v)) {
    tp_json_put_real(b, tp_round4(v));
  } else {
    tp_textbuf_puts(b, "null");
  }
}

/* "key": then the value's writer follows; `first` of its object or not. */
static void put_key(struct tp_textbuf *b, const char *key, int first) {
  tp_textbuf_puts(b, first ? "{\"" : ",\"");
  tp_textbuf_puts(b, key);
  tp_textbuf_puts(b, "\":");
}

/* The role codes of `o` for which `pick` holds, as an array. */
static void put_roles(struct tp_textbuf *b, const struct tp_gap_overzicht *o,
                      int (*pick)(const struct tp_gap_overzicht_rol *)) {
  int first = 1;
  tp_textbuf_puts(b, "[");
  for (size_t r = 0; r < o->nrollen; r++) {
    if (!pick(&o->rollen[r])) continue;
    if (!first) tp_textbuf_puts(b, ",");
    tp_json_put_string(b, o->rollen[r].rol);
    first = 0;
  }
  tp_textbuf_puts(b, "]");
}

static int missing_core(const struct tp_gap_overzicht_rol *r) { return r->kernrol && r->ontbreekt; }
static int fragile(const struct tp_gap_overzicht_rol *r) { return r->kwetsbaar; }
static int core(const struct tp_gap_overzicht_rol *r) { return r->kernrol; }

static void put_summary(struct tp_textbuf *b, const struct tp_gap_overzicht *o) {
  put_key(b, "totaalFte", 1);
  put_real4(b, o->totaal_fte);
  put_key(b, "verwachtFte", 0);
  put_real4(b, o->verwacht_fte);
  put_key(b, "capaciteit", 0);
  put_real4(b, o->capaciteit);
  put_key(b, "dekking", 0);
  put_real4(b, o->dekking);
  put_key(b, "ontbrekendeKernrollen", 0);
  put_roles(b, o, missing_core);
  put_key(b, "kwetsbareRollen", 0);
  put_roles(b, o, fragile);
  tp_textbuf_puts(b, "}");
}

static void put_band(struct tp_textbuf *b, const struct tp_gap_overzicht *o) {
  if (!isfinite(o->totaal_band[0])) {
    tp_textbuf_puts(b, "null");
    return;
  }
  put_key(b, "p25", 1);
  put_real4(b, o->totaal_band[0]);
  put_key(b, "mediaan", 0);
  put_real4(b, o->totaal_band[1]);
  put_key(b, "p75", 0);
  put_real4(b, o->totaal_band[2]);
  tp_textbuf_puts(b, "}");
}

static void put_role_rows(struct tp_textbuf *b, const struct tp_gap_overzicht *o) {
  tp_textbuf_puts(b, "[");
  for (size_t r = 0; r < o->nrollen; r++) {
    if (r > 0) tp_textbuf_puts(b, ",");
    put_key(b, "rol", 1);
    tp_json_put_string(b, o->rollen[r].rol);
    put_key(b, "fte", 0);
    put_real4(b, o->rollen[r].fte);
    put_key(b, "status", 0);
    tp_json_put_string(b, o->rollen[r].status);
    tp_textbuf_puts(b, "}");
  }
  tp_textbuf_puts(b, "]");
}

/* What changed from profile `vorig` (its analysis `v`) to analysis `o`:
 * both of the same model, so their roles line up. */
static void put_difference(struct tp_textbuf *b, const struct tp_ontwikkeling_punt *vorig,
                           const struct tp_gap_overzicht *v, const struct tp_gap_overzicht *o) {
  size_t n = o->nrollen < v->nrollen ? o->nrollen : v->nrollen;
  put_key(b, "vorigTeamprofiel", 1);
  tp_json_put_string(b, vorig->teamprofiel);
  put_key(b, "vorigePeildatum", 0);
  tp_json_put_string(b, vorig->peildatum);
  put_key(b, "totaalFte", 0);
  put_real4(b, verschil_of(o->totaal_fte, v->totaal_fte));
  put_key(b, "dekking", 0);
  put_real4(b, verschil_of(o->dekking, v->dekking));
  put_key(b, "rollen", 0);
  tp_textbuf_puts(b, "[");
  for (size_t r = 0, first = 1; r < n; r++) {
    if (o->rollen[r].fte == v->rollen[r].fte) continue;
    if (!first) tp_textbuf_puts(b, ",");
    put_key(b, "rol", 1);
    tp_json_put_string(b, o->rollen[r].rol);
    put_key(b, "fte", 0);
    put_real4(b, verschil_of(o->rollen[r].fte, v->rollen[r].fte));
    tp_textbuf_puts(b, "}");
    first = 0;
  }
  tp_textbuf_puts(b, "]");
  for (int appeared = 1; appeared >= 0; appeared--) {
    put_key(b, appeared ? "nieuweRollen" : "verdwenenRollen", 0);
    tp_textbuf_puts(b, "[");
    for (size_t r = 0, first = 1; r < n; r++) {
      int now = o->rollen[r].fte > 0.0, then = v->rollen[r].fte > 0.0;
      if (appeared ? !(now && !then) : !(!now && then)) continue;
      if (!first) tp_textbuf_puts(b, ",");
      tp_json_put_string(b, o->rollen[r].rol);
      first = 0;
    }
    tp_textbuf_puts(b, "]");
  }
  put_key(b, "statusWijzigingen", 0);
  tp_textbuf_puts(b, "[");
  for (size_t r = 0, first = 1; r < n; r++) {
    if (strcmp(o->rollen[r].status, v->rollen[r].status) == 0) continue;
    if (!first) tp_textbuf_puts(b, ",");
    put_key(b, "rol", 1);
    tp_json_put_string(b, o->rollen[r].rol);
    put_key(b, "van", 0);
    tp_json_put_string(b, v->rollen[r].status);
    put_key(b, "naar", 0);
    tp_json_put_string(b, o->rollen[r].status);
    tp_textbuf_puts(b, "}");
    first = 0;
  }
  tp_textbuf_puts(b, "]}");
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

static void put_entry(struct tp_textbuf *b, const struct tp_ontwikkeling_punt *p,
                      const struct tp_gap_overzicht *o, const struct tp_ontwikkeling_punt *vorig,
                      const struct tp_gap_overzicht *v) {
  put_key(b, "teamprofiel", 1);
  tp_json_put_string(b, p->teamprofiel);
  put_key(b, "peildatum", 0);
  tp_json_put_string(b, p->peildatum);
  put_key(b, "referentie", 0);
  tp_textbuf_puts(b, p->referentie ? "true" : "false");
  put_key(b, "herkomst", 0);
  tp_json_put_string(b, p->herkomst);
  put_key(b, "samenvatting", 0);
  put_summary(b, o);
  put_key(b, "verwachtTotaal", 0);
  put_band(b, o);
  put_key(b, "rollen", 0);
  put_role_rows(b, o);
  put_key(b, "verschil", 0);
  if (vorig != NULL) {
    put_difference(b, vorig, v, o);
  } else {
    tp_textbuf_puts(b, "null");
  }
  tp_textbuf_puts(b, "}");
}

/* Far above 500 profiles of some 40 roles (about 3 MB). */
#define JSON_LIMIT (64u * 1024u * 1024u)

char *tp_ontwikkeling_json(const struct tp_gap_model *m, const json_t *gemeente,
                           const struct tp_ontwikkeling_punt *punten, size_t npunten,
                           int afgekapt, const json_t *versies, size_t *len) {
  struct tp_textbuf b;
  tp_textbuf_init(&b, JSON_LIMIT);
  /* Some 3 KB a profile at 20 roles. */
  tp_textbuf_reserve(&b, 1024 + npunten * 3500);
  const char *code = tp_doc_str(gemeente, "code");
  const json_t *inwoners = json_object_get(gemeente, "inwoners");
  int failed = 0;
  put_key(&b, "gemeente", 1);
  failed |= tp_json_put_string(&b, code) != 0;
  put_key(&b, "naam", 0);
  failed |= tp_json_put_string(&b, tp_doc_str(gemeente, "naam")) != 0;
  put_key(&b, "inwoners", 0);
  if (json_is_integer(inwoners)) {
    tp_json_put_integer(&b, json_integer_value(inwoners));
  } else {
    put_real4(&b, json_is_real(inwoners) ? json_real_value(inwoners) : NAN);
  }
  /* The core roles, from the analysis of an empty team: also when there
   * is no profile. */
  struct tp_gap_overzicht a[2];
  memset(a, 0, sizeof(a));
  struct tp_gap_team none;
  memset(&none, 0, sizeof(none));
  failed |= tp_gap_overzicht(m, &none, &a[0]) != 0;
  put_key(&b, "kernrollen", 0);
  put_roles(&b, &a[0], core);
  tp_gap_overzicht_free(&a[0]);
  put_key(&b, "afgekapt", 0);
  tp_textbuf_puts(&b, afgekapt ? "true" : "false");
  put_key(&b, "profielen", 0);
  tp_textbuf_puts(&b, "[");
  /* The previous profile's analysis is kept for the next difference. */
  const struct tp_ontwikkeling_punt *vorig = NULL;
  for (size_t i = 0; !failed && i < npunten; i++) {
    struct tp_gap_overzicht *nu = &a[i % 2], *toen = &a[(i + 1) % 2];
    tp_gap_overzicht_free(nu);
    failed |= analyse(m, &punten[i], code, inwoners, nu) != 0;
    if (i > 0) tp_textbuf_puts(&b, ",");
    if (!failed) put_entry(&b, &punten[i], nu, vorig, toen);
    vorig = &punten[i];
  }
  tp_gap_overzicht_free(&a[0]);
  tp_gap_overzicht_free(&a[1]);
  tp_textbuf_puts(&b, "]");
  put_key(&b, "methodeVersie", 0);
  tp_json_put_string(&b, TP_GAP_METHODE_VERSIE);
  const char *key;
  json_t *value;
  json_object_foreach((json_t *)versies, key, value) {
    tp_textbuf_puts(&b, ",");
    failed |= tp_json_put_string(&b, key) != 0;
    tp_textbuf_puts(&b, ":");
    failed |= tp_json_put_value(&b, value) != 0;
  }
  tp_textbuf_puts(&b, "}");
  if (failed || b.failed) {
    tp_textbuf_free(&b);
    return NULL;
  }
  return tp_textbuf_finish(&b, len);
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
