/* The answer of a gap analysis written as JSON text straight from its work
 * (gap.c): this is the one place that gives the document its shape; the
 * jansson forms are read back from it. Pieces go out as tp_json_render
 * writes them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gap_internal.h"

#include "teamplotter/render.h"
#include "teamplotter/stats.h"
#include "teamplotter/textbuf.h"

/* Indexed by enum status and enum fit_kind. */
const char *const GAP_STATUS_NAMES[] = {"ontbreekt", "optioneel", "onderbezet",
                                        "passend",   "ruim",      "onbekend"};

static const char *const FIT_NAMES[] = {"geen", "lineair", "machtswet"};

/* A fixed name as a JSON string, ready to copy. */
struct quoted {
  const char *text;
  size_t len;
};
#define QUOTED(name) {"\"" name "\"", sizeof(name) + 1}

/* GAP_STATUS_NAMES as JSON strings. */
static const struct quoted STATUS_JSON[] = {QUOTED("ontbreekt"), QUOTED("optioneel"),
                                            QUOTED("onderbezet"), QUOTED("passend"),
                                            QUOTED("ruim"), QUOTED("onbekend")};

/* ------------------------------------------------------------ the writer */

#define PUT(o, lit) put_raw((o), "" lit, sizeof(lit) - 1) /* literals only */

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

/* tp_textbuf_append, with the common case inline: an answer writes a few
 * thousand short pieces into room reserved up front (TEXT_FIRST), and a
 * call per piece was a tenth of the writing. */
static inline void put_raw(struct writer *o, const char *s, size_t n) {
  struct tp_textbuf *b = &o->b;
  if (b->data != NULL && !b->failed && b->cap - b->len > n) {
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return;
  }
  tp_textbuf_append(b, s, n);
}

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

/* An integer; a single digit (levels, most counts) without a call. */
static void put_int(struct writer *o, long long v) {
  if (v >= 0 && v <= 9) {
    char digit = (char)('0' + v);
    put_raw(o, &digit, 1);
    return;
  }
  tp_json_put_integer(&o->b, v);
}

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
void gap_write_fielding(struct tp_gap_model *m) {
  const struct ref **all = calloc(m->nrefs ? m->nrefs : 1, sizeof(*all));
  size_t *end = calloc(m->nrollen ? m->nrollen : 1, sizeof(*end));
  struct writer o = {.bad = 0};
  tp_textbuf_init(&o.b, TEXT_LIMIT);
  for (size_t i = 0; all != NULL && i < m->nrefs; i++) all[i] = &m->refs[i];
  for (size_t r = 0; all != NULL && end != NULL && r < m->nrollen; r++) {
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

/* Every role and competency code as a JSON string, once per model: an
 * answer writes them some hundred times. */
void gap_write_codes(struct tp_gap_model *m) {
  struct writer o = {.bad = 0};
  tp_textbuf_init(&o.b, TEXT_LIMIT);
  size_t n = m->nrollen + m->nreqs;
  size_t *end = calloc(n ? n : 1, sizeof(*end));
  for (size_t r = 0; end != NULL && r < m->nrollen; r++) {
    put_str(&o, m->rollen[r].code);
    end[r] = o.b.len;
  }
  for (size_t q = 0; end != NULL && q < m->nreqs; q++) {
    put_str(&o, m->reqs[q].code);
    end[m->nrollen + q] = o.b.len;
  }
  char *text = end != NULL && !o.bad ? tp_textbuf_finish(&o.b, NULL) : NULL;
  if (text == NULL) {
    tp_textbuf_free(&o.b);
    free(end);
    return; /* every answer escapes the codes itself, as before */
  }
  for (size_t k = 0; k < n; k++) {
    size_t from = k > 0 ? end[k - 1] : 0;
    const char **json = k < m->nrollen ? &m->rollen[k].json : &m->reqs[k - m->nrollen].json;
    size_t *len = k < m->nrollen ? &m->rollen[k].json_len : &m->reqs[k - m->nrollen].json_len;
    *json = text + from;
    *len = end[k] - from;
  }
  free(end);
  m->codes_json = text;
}

/* A role's code, or a requirement's competency code, as a JSON string. */
static void put_role_code(struct writer *o, const struct gap_work *w, size_t r) {
  const struct cat_role *c = &w->rollen[r];
  if (c->json)
    put_raw(o, c->json, c->json_len);
  else
    put_str(o, c->code);
}

static void put_req_code(struct writer *o, const struct req *q) {
  if (q->json)
    put_raw(o, q->json, q->json_len);
  else
    put_str(o, q->code);
}

/* The reference municipalities that field role r, sorted by code, each once. */
static void put_fielding(struct writer *o, const struct gap_work *w, size_t r) {
  const struct tp_gap_model *m = w->model;
  if (m->fielding != NULL && w->nrefs == m->nrefs) { /* none left out: the model's list */
    size_t from = r > 0 ? m->fielding_end[r - 1] : 0;
    put_raw(o, m->fielding + from, m->fielding_end[r] - from);
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
    put_raw(o, buf, (size_t)n);
}

/* ------------------------------------------------------------ the advice */

/* What an advice's explanation shows between its fixed pieces. */
enum advice_value {
  V_EINDE,       /* none: the explanation ends */
  V_AANWEZIG,    /* references that field the role */
  V_REFERENTIES, /* references the team is measured against */
  V_MEDIAAN,     /* the band's median */
  V_FTE,         /* the team's fte on the role */
  V_P25,
  V_P75,
  V_TEKORT, /* p25 - fte */
  V_VEREIST,
  V_HOOGSTE,
};

/* The formatting rule of every explanation: counts and levels as integers,
 * fte with two decimals and a decimal comma, since people read them. The
 * numbers are those of role r, or of competency gap `g`. */
static void put_advice_value(struct writer *o, enum advice_value v, const struct gap_work *w,
                             size_t r, const struct comp_gap *g) {
  const struct role_result *x = &w->res[r];
  switch (v) {
    case V_AANWEZIG: put_int(o, (long long)x->present); break;
    case V_REFERENTIES: put_int(o, (long long)w->nrefs); break;
    case V_MEDIAAN: put_nl2(o, x->mediaan); break;
    case V_FTE: put_nl2(o, x->f); break;
    case V_P25: put_nl2(o, x->p25); break;
    case V_P75: put_nl2(o, x->p75); break;
    case V_TEKORT: put_nl2(o, x->p25 - x->f); break;
    case V_VEREIST: put_int(o, g->vereist); break;
    case V_HOOGSTE: put_int(o, g->hoogste); break;
    case V_EINDE: break;
  }
}

enum advice_kind {
  KERNROL_ONTBREEKT,
  ROL_ONTBREEKT,
  ONDERBEZET,
  COMPETENTIE_TEKORT,  /* someone in the role has it, below the level */
  COMPETENTIE_AFWEZIG, /* nobody in the role has it */
  ADVICE_KINDS
};

/* A fixed piece of text (a literal) and the value written after it. */
struct advice_piece {
  const char *text;
  size_t len;
  enum advice_value value;
};
#define P(lit, value) {"" lit, sizeof(lit) - 1, value}
#define ADVICE_PIECES 5

/* Every advice the analysis gives: its `soort`, and its explanation as
 * pieces of fixed Dutch text each followed by a value, so that
 * KERNROL_ONTBREEKT reads "Geen fte op deze kernrol; 2 van de 3
 * referentiegemeenten hebben haar, met een mediaan van 0,42 fte bij uw
 * inwonertal." Nothing here needs escaping in JSON. */
static const struct advice_text {
  struct quoted soort; /* as a JSON string */
  struct advice_piece pieces[ADVICE_PIECES];
} ADVICE_TEXTS[ADVICE_KINDS] = {
    [KERNROL_ONTBREEKT] = {QUOTED("kernrol-ontbreekt"), {
        P("Geen fte op deze kernrol; ", V_AANWEZIG),
        P(" van de ", V_REFERENTIES),
        P(" referentiegemeenten hebben haar, met een mediaan van ", V_MEDIAAN),
        P(" fte bij uw inwonertal.", V_EINDE)}},
    [ROL_ONTBREEKT] = {QUOTED("rol-ontbreekt"), {
        P("Geen fte op deze rol; ", V_AANWEZIG),
        P(" van de ", V_REFERENTIES),
        P(" referentiegemeenten hebben haar, met een mediaan van ", V_MEDIAAN),
        P(" fte bij uw inwonertal.", V_EINDE)}},
    [ONDERBEZET] = {QUOTED("onderbezet"), {
        P("", V_FTE),
        P(" fte op deze rol, minder dan de ", V_P25),
        P(" tot ", V_P75),
        P(" fte (p25 tot p75) die bij uw inwonertal past; tot p25 ontbreekt ", V_TEKORT),
        P(" fte.", V_EINDE)}},
    [COMPETENTIE_TEKORT] = {QUOTED("competentie-tekort"), {
        P("Essentiële competentie, vereist op niveau ", V_VEREIST),
        P("; het hoogste niveau onder de leden met deze rol is ", V_HOOGSTE),
        P(".", V_EINDE)}},
    [COMPETENTIE_AFWEZIG] = {QUOTED("competentie-tekort"), {
        P("Essentiële competentie, vereist op niveau ", V_VEREIST),
        P("; geen van de leden met deze rol heeft haar.", V_EINDE)}},
};

/* One advice of `kind` on role r, or on competency gap `g` (NULL for a
 * role's advice). `*first` tells whether a comma goes before it. */
static void put_advice(struct writer *o, int *first, const struct gap_work *w,
                       enum advice_kind kind, size_t r, const struct comp_gap *g) {
  const struct advice_text *t = &ADVICE_TEXTS[kind];
  if (!*first) PUT(o, ",");
  *first = 0;
  PUT(o, "{\"soort\":");
  put_raw(o, t->soort.text, t->soort.len);
  PUT(o, ",\"rol\":");
  put_role_code(o, w, r);
  if (g) {
    PUT(o, ",\"competentie\":");
    put_req_code(o, g->req);
  }
  PUT(o, ",\"referentiegemeenten\":");
  put_fielding(o, w, r);
  PUT(o, ",\"toelichting\":\"");
  for (size_t k = 0; k < ADVICE_PIECES; k++) {
    const struct advice_piece *p = &t->pieces[k];
    put_raw(o, p->text, p->len);
    if (p->value == V_EINDE) break;
    put_advice_value(o, p->value, w, r, g);
  }
  PUT(o, "\"}");
}

static void missing_advice(struct writer *o, int *first, const struct gap_work *w, size_t r) {
  put_advice(o, first, w, w->rollen[r].kernrol ? KERNROL_ONTBREEKT : ROL_ONTBREEKT, r, NULL);
}

static void competency_advice(struct writer *o, int *first, const struct gap_work *w,
                              const struct comp_gap *g) {
  put_advice(o, first, w, g->hoogste > 0 ? COMPETENTIE_TEKORT : COMPETENTIE_AFWEZIG, g->role, g);
}

/* Step 7: missing core roles, missing other roles, understaffed roles,
 * essential competency gaps (docs/methode.md). -1 when out of memory. */
static int put_advice_list(struct writer *o, const struct gap_work *w) {
  size_t *order = malloc((w->nrollen ? w->nrollen : 1) * sizeof(*order));
  long n = order ? gap_short_roles(w, order) : -1;
  if (n < 0) {
    free(order);
    return -1;
  }
  int first = 1;
  PUT(o, "[");
  for (long k = 0; k < n; k++) {
    size_t r = order[k];
    if (w->res[r].status == ST_ONDERBEZET)
      put_advice(o, &first, w, ONDERBEZET, r, NULL);
    else
      missing_advice(o, &first, w, r);
  }
  for (size_t k = 0; k < w->ngaps; k++)
    if (w->gaps[k].essentieel) competency_advice(o, &first, w, &w->gaps[k]);
  PUT(o, "]");
  free(order);
  return 0;
}

/* ----------------------------------------------------------- the actions */

/* What an action's explanation shows between its fixed pieces. */
enum actie_value {
  AV_EINDE,
  AV_FTE,         /* the action's fte */
  AV_VAN_REST,    /* what the other role keeps */
  AV_VAN_P25,     /* that role's p25 */
  AV_DOELNIVEAU,  /* the required level */
  AV_NIVEAU,      /* the first member's level */
  AV_PROCENT,     /* the largest member's part of the role, in whole percents */
  AV_TOT_MEDIAAN, /* fte to reach the median */
};

struct actie_piece {
  const char *text;
  size_t len;
  enum actie_value value;
};
#define A(lit, value) {"" lit, sizeof(lit) - 1, value}
#define ACTIE_PIECES 4

/* Indexed by enum actie_soort. */
static const struct quoted ACTIE_SOORTEN[] = {QUOTED("herverdelen"), QUOTED("opleiden"),
                                              QUOTED("spreiden"), QUOTED("werven")};

/* Every action's explanation as pieces of fixed Dutch text each followed
 * by a value; the members, roles and competencies it is about are fields
 * of the action, not part of the text. Nothing here needs escaping. */
static const struct actie_piece ACTIE_TEXTS[ACTIE_TEXTS_N][ACTIE_PIECES] = {
    [AT_HERVERDELEN] = {
        A("Dit lid heeft de essentiële competenties van deze rol en kan ", AV_FTE),
        A(" fte uit de andere rol verschuiven; die houdt dan ", AV_VAN_REST),
        A(" fte, niet minder dan haar p25 van ", AV_VAN_P25),
        A(" fte.", AV_EINDE)},
    [AT_OPLEIDEN] = {
        A("Vereist is niveau ", AV_DOELNIVEAU),
        A("; het eerstgenoemde lid heeft niveau ", AV_NIVEAU),
        A(" en zit er het dichtst bij.", AV_EINDE)},
    [AT_OPLEIDEN_NIEMAND] = {
        A("Vereist is niveau ", AV_DOELNIVEAU),
        A("; geen van de leden met deze rol heeft haar, begin bij het eerstgenoemde.", AV_EINDE)},
    [AT_SPREIDEN] = {
        A("Eén lid draagt ", AV_PROCENT),
        A(" % van deze rol; de genoemde leden hebben haar essentiële competenties op ten hoogste "
          "één niveau onder het vereiste en kunnen leren haar waar te nemen.", AV_EINDE)},
    [AT_SPREIDEN_NIEMAND] = {
        A("Eén lid draagt ", AV_PROCENT),
        A(" % van deze rol; niemand anders heeft haar essentiële competenties op ten hoogste "
          "één niveau onder het vereiste: leid iemand op of werf.", AV_EINDE)},
    [AT_WERVEN] = {
        A("Niemand in het team kan fte naar deze rol verschuiven; werf ", AV_FTE),
        A(" fte (", AV_TOT_MEDIAAN),
        A(" fte tot de mediaan).", AV_EINDE)},
    [AT_WERVEN_REST] = {
        A("Na het verschuiven ontbreekt nog ", AV_FTE),
        A(" fte (", AV_TOT_MEDIAAN),
        A(" fte tot de mediaan); werf die.", AV_EINDE)},
    [AT_WERVEN_ZONDER_BAND] = {
        A("Zonder verwachte bandbreedte is geen omvang te noemen; beleg de rol bij iemand of "
          "werf.", AV_EINDE)},
};

static void put_actie_value(struct writer *o, enum actie_value v, const struct gap_work *w,
                            const struct actie *a) {
  switch (v) {
    case AV_FTE: put_nl2(o, a->fte); break;
    case AV_VAN_REST: put_nl2(o, a->van_rest); break;
    case AV_VAN_P25: put_nl2(o, w->res[a->van_rol].p25); break;
    case AV_DOELNIVEAU: put_int(o, a->gap->vereist); break;
    case AV_NIVEAU: put_int(o, a->niveau); break;
    case AV_PROCENT: {
      const struct depth *d = &w->depth[a->rol];
      double f = w->res[a->rol].f;
      put_int(o, f > 0.0 ? (long long)lround(100.0 * d->grootste / f) : 0);
      break;
    }
    case AV_TOT_MEDIAAN: put_nl2(o, a->tot_mediaan); break;
    case AV_EINDE: break;
  }
}

/* Whether label bytes may go out as they are: printable ASCII, no quote
 * or backslash. */
static int plain_label(const char *s, size_t len) {
  unsigned bad = 0; /* no early exit: labels are short and almost always plain */
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    bad |= (unsigned)(c < 0x20) | (unsigned)(c > 0x7e) | (unsigned)(c == '"') |
           (unsigned)(c == '\\');
  }
  return !bad;
}

static void put_label(struct writer *o, const struct tp_gap_lid *x) {
  if (x->label == NULL) {
    PUT(o, "null");
  } else if (plain_label(x->label, x->label_len)) {
    PUT(o, "\"");
    put_raw(o, x->label, x->label_len);
    PUT(o, "\"");
  } else {
    put_str(o, x->label); /* NUL-terminated (gap.h) */
  }
}

static void put_actie(struct writer *o, const struct gap_work *w, const struct actie *a) {
  PUT(o, "{\"soort\":");
  put_raw(o, ACTIE_SOORTEN[a->soort].text, ACTIE_SOORTEN[a->soort].len);
  PUT(o, ",\"rol\":");
  put_role_code(o, w, a->rol);
  if (a->soort == A_HERVERDELEN) {
    PUT(o, ",\"vanRol\":");
    put_role_code(o, w, a->van_rol);
  }
  if (isfinite(a->fte)) {
    PUT(o, ",\"fte\":");
    put_real4(o, a->fte);
  }
  if (a->soort != A_WERVEN) {
    PUT(o, ",\"leden\":[");
    for (size_t k = 0; k < a->nleden; k++) {
      if (k > 0) PUT(o, ",");
      put_label(o, &w->leden[w->actie_leden[a->leden0 + k]]);
    }
    PUT(o, "]");
  }
  if (a->gap) {
    PUT(o, ",\"competentie\":");
    put_req_code(o, a->gap->req);
    PUT(o, ",\"doelniveau\":");
    put_int(o, a->gap->vereist);
  }
  PUT(o, ",\"referentiegemeenten\":");
  put_fielding(o, w, a->rol);
  PUT(o, ",\"toelichting\":\"");
  for (size_t k = 0; k < ACTIE_PIECES; k++) {
    const struct actie_piece *p = &ACTIE_TEXTS[a->text][k];
    put_raw(o, p->text, p->len);
    if (p->value == AV_EINDE) break;
    put_actie_value(o, p->value, w, a);
  }
  PUT(o, "\"}");
}

/* Step 9: the actions in their order (gap_acties.c). */
static void put_acties(struct writer *o, const struct gap_work *w) {
  PUT(o, "[");
  for (size_t k = 0; k < w->nacties; k++) {
    if (k > 0) PUT(o, ",");
    put_actie(o, w, &w->acties[k]);
  }
  PUT(o, "]");
}

/* ------------------------------------------------------ the whole answer */

static void put_summary(struct writer *o, const struct gap_work *w) {
  double verwacht, capaciteit, dekking;
  gap_figures(w, &verwacht, &capaciteit, &dekking);
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
  for (size_t r = 0; r < w->nrollen; r++)
    if (w->rollen[r].kernrol && w->res[r].status == ST_ONTBREEKT) {
      if (!first) PUT(o, ",");
      first = 0;
      put_role_code(o, w, r);
    }
  PUT(o, "],\"kwetsbareRollen\":[");
  first = 1;
  for (size_t r = 0; r < w->nrollen; r++)
    if (w->depth[r].kwetsbaar) {
      if (!first) PUT(o, ",");
      first = 0;
      put_role_code(o, w, r);
    }
  PUT(o, "]}");
}

static void put_fit(struct writer *o, const struct gap_work *w) {
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

static void put_references(struct writer *o, const struct gap_work *w) {
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

static void put_role_rows(struct writer *o, const struct gap_work *w) {
  PUT(o, "[");
  for (size_t r = 0; r < w->nrollen; r++) {
    const struct role_result *x = &w->res[r];
    if (r > 0) PUT(o, ",");
    PUT(o, "{\"rol\":");
    put_role_code(o, w, r);
    PUT(o, ",\"fte\":");
    put_real4(o, x->f);
    PUT(o, ",\"aanwezigheid\":");
    put_real4(o, gap_aanwezigheid(w, r));
    PUT(o, ",\"status\":");
    put_raw(o, STATUS_JSON[x->status].text, STATUS_JSON[x->status].len);
    if (x->has_band) {
      PUT(o, ",\"verwacht\":{\"p25\":");
      put_real4(o, x->p25);
      PUT(o, ",\"mediaan\":");
      put_real4(o, x->mediaan);
      PUT(o, ",\"p75\":");
      put_real4(o, x->p75);
      PUT(o, "}");
    } else {
      PUT(o, ",\"verwacht\":null");
    }
    const struct depth *d = &w->depth[r];
    PUT(o, ",\"bezetting\":{\"personen\":");
    put_int(o, (long long)d->personen);
    PUT(o, ",\"grootsteAandeel\":");
    put_real4(o, x->f > 0.0 ? d->grootste / x->f : 0.0);
    if (d->kwetsbaar)
      PUT(o, ",\"kwetsbaar\":true}}");
    else
      PUT(o, ",\"kwetsbaar\":false}}");
  }
  PUT(o, "]");
}

static void put_gaps(struct writer *o, const struct gap_work *w) {
  PUT(o, "[");
  for (size_t k = 0; k < w->ngaps; k++) {
    const struct comp_gap *g = &w->gaps[k];
    if (k > 0) PUT(o, ",");
    PUT(o, "{\"rol\":");
    put_role_code(o, w, g->role);
    PUT(o, ",\"competentie\":");
    put_req_code(o, g->req);
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
static void put_unknown(struct writer *o, const struct gap_work *w) {
  PUT(o, "[");
  for (size_t k = 0; k < w->unknown.n; k++) {
    if (k > 0 && strcmp(w->unknown.v[k], w->unknown.v[k - 1]) == 0) continue;
    if (k > 0) PUT(o, ",");
    put_str(o, w->unknown.v[k]);
  }
  PUT(o, "]");
}

/* The whole document, and the versions last when not NULL. -1 when
 * out of memory or a string is not UTF-8. */
static int put_analysis(struct writer *o, const struct gap_work *w, const struct tp_gap_team *team,
                        const struct tp_gap_versies *versies) {
  PUT(o, "{\"methodeVersie\":\"" TP_GAP_METHODE_VERSIE "\"");
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
  PUT(o, ",\"acties\":");
  put_acties(o, w);
  PUT(o, ",\"onbekendeRollen\":");
  put_unknown(o, w);
  if (versies != NULL && versies->catalogus != NULL) {
    PUT(o, ",\"catalogusVersie\":");
    if (tp_json_put_value(&o->b, versies->catalogus) != 0) return -1;
  }
  if (versies != NULL && versies->referentie != NULL) {
    PUT(o, ",\"referentieVersie\":");
    if (tp_json_put_value(&o->b, versies->referentie) != 0) return -1;
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

char *tp_gap_team_text(const struct tp_gap_model *m, const struct tp_gap_team *team,
                       const struct tp_gap_versies *versies, size_t *len) {
  struct gap_work w;
  struct writer o = {.bad = 0};
  tp_textbuf_init(&o.b, TEXT_LIMIT);
  tp_textbuf_reserve(&o.b, TEXT_FIRST);
  int rc = -1;
  if (gap_work_run(&w, m, team, GAP_COMPLETE) == 0)
    rc = put_analysis(&o, &w, team, versies);
  gap_work_free(&w);
  return writer_finish(&o, rc, len);
}

char *tp_gap_analyse_text(const struct tp_gap_model *m, const json_t *team,
                          const struct tp_gap_versies *versies, size_t *len) {
  struct tp_gap_team t;
  if (tp_gap_team_from_json(team, &t) != 0) return NULL;
  char *text = tp_gap_team_text(m, &t, versies, len);
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
  struct gap_work w;
  struct writer o = {.bad = 0};
  tp_textbuf_init(&o.b, TEXT_LIMIT);
  int rc = gap_work_run(&w, m, &t, GAP_ROLES);
  if (rc == 0) put_summary(&o, &w);
  gap_work_free(&w);
  tp_gap_team_free(&t);
  size_t len = 0;
  char *text = writer_finish(&o, rc, &len);
  return read_back(text, len);
}

json_t *tp_gap_analyse(const json_t *rollen, const json_t *team, const json_t *referenties) {
  struct tp_gap_model *m = tp_gap_model_new(rollen, referenties);
  json_t *doc = m ? tp_gap_analyse_with(m, team) : NULL;
  tp_gap_model_free(m);
  return doc;
}
