#ifndef TEAMPLOTTER_GAP_H
#define TEAMPLOTTER_GAP_H

#include <jansson.h>

/* The gap analysis, method version 1.1; docs/methode.md explains it for
 * municipal readers and lists the choices it makes. Pure computation: no
 * I/O, no globals, thread-safe, and the same input always gives a
 * byte-identical document (keys in a fixed insertion order, render with
 * JSON_PRESERVE_ORDER). Implemented in service/core/gap*.c: the model
 * (gap_model.c), the method (gap.c) and the answer's text (gap_writer.c). */

/* The method version an analysis states (methodeVersie): "1.1" adds
 * people per role (bezetting, kwetsbareRollen) and actions (acties) and
 * leaves every field of version 1 as it was. */
#define TP_GAP_METHODE_VERSIE "1.1"

/* The version of what the benchmark rows and the rounds hold: the v1
 * figures of the summary only, which version 1.1 left unchanged. */
#define TP_METHODE_VERSIE 1

/* `rollen`: the catalogue roles in catalogue order, each as the API renders
 *   a role: {"code", "naam", "kernrol": bool,
 *            "competenties": [{"code", "naam", "niveau": 1-4, "essentieel": bool}], ...}.
 * `team`: {"gemeente": "GM0772" or absent, "inwoners": N > 0, "peildatum"?,
 *          "leden": [{"label", "fte", "rollen": [{"rol", "aandeel"}],
 *                     "competenties": [{"code", "niveau"}]}]},
 *   already validated by the caller (known codes, ranges, shares sum to fte).
 * `referenties`: the reference profiles, in any order (they are sorted here):
 *   [{"gemeente", "teamprofiel": uuid, "herkomst", "inwoners": N, "leden": [...]}];
 *   may be empty. A reference without a positive `inwoners` is skipped.
 *
 * Return value: New reference, the analysis
 *   {methodeVersie: "1.1", gemeente (null when absent), inwoners,
 *    fit {methode: "machtswet"|"lineair"|"geen", a, b, r2},
 *    referenties [{gemeente, teamprofiel, herkomst, inwoners, totaalFte}],
 *    samenvatting {totaalFte, verwachtFte, capaciteit, dekking, ontbrekendeKernrollen [],
 *                  kwetsbareRollen []},
 *    rollen [{rol, fte, aanwezigheid, status, verwacht {p25, mediaan, p75} or null,
 *             bezetting {personen, grootsteAandeel, kwetsbaar}}],
 *    competentieTekorten [{rol, competentie, vereist, hoogste, essentieel}],
 *    advies [{soort, rol, (competentie), referentiegemeenten [], toelichting}],
 *    acties [{soort, rol, (vanRol), (fte), (leden []), (competentie), (doelniveau),
 *             referentiegemeenten [], toelichting}],
 *    onbekendeRollen []}
 *   with `status` one of "ontbreekt", "optioneel", "onderbezet", "passend",
 *   "ruim", and "onbekend" for a fielded role when no reference can be used.
 *   Every real is rounded to 4 decimals. NULL only when out of memory. The
 *   arguments are borrowed and not modified. */
json_t *tp_gap_analyse(const json_t *rollen, const json_t *team, const json_t *referenties);

/* The catalogue roles and the reference set of tp_gap_analyse, read once
 * into arrays for many analyses (a snapshot builds one per version).
 * Borrows strings and numbers from `rollen` and `referenties`, which must
 * outlive it. Read-only once built: threads may share it. NULL when out of
 * memory. */
struct tp_gap_model;
struct tp_gap_model *tp_gap_model_new(const json_t *rollen, const json_t *referenties);
void tp_gap_model_free(struct tp_gap_model *m);

/* A team as the analysis reads it: plain arrays instead of a document,
 * so that a body can be read straight into it (tp_team_read_analysis).
 * Strings and `inwoners` are borrowed. A share counts only when its `rol`
 * is not NULL and its `aandeel` > 0; a level's `code` may be NULL. */
struct tp_gap_aandeel {
  const char *rol;
  double aandeel;
};
struct tp_gap_competentie {
  const char *code;
  int niveau;
};
struct tp_gap_lid {
  double fte;
  size_t aandeel0, naandelen; /* a slice of the team's shares */
  size_t competentie0, ncompetenties; /* a slice of the team's levels */
  /* The label, `label_len` bytes (NULL: none). When a byte of it needs
   * escaping in JSON, the label is NUL-terminated at label_len. */
  const char *label;
  size_t label_len;
};
struct tp_gap_team {
  const char *gemeente;    /* NULL when absent */
  const json_t *inwoners;  /* a number, or NULL; shown as given */
  struct tp_gap_lid *leden;
  size_t nleden;
  struct tp_gap_aandeel *aandelen;
  size_t naandelen;
  struct tp_gap_competentie *competenties;
  size_t ncompetenties;
};

/* `team` (the document form of tp_gap_analyse) read into `out`, borrowing
 * its strings and numbers; absent or mistyped fields read as 0 or NULL.
 * 0, or -1 when out of memory. Free with tp_gap_team_free. */
int tp_gap_team_from_json(const json_t *team, struct tp_gap_team *out);
void tp_gap_team_free(struct tp_gap_team *team);

/* The versions an answer states after the analysis, each borrowed and
 * left out when NULL: "catalogusVersie", then "referentieVersie" (the
 * reference set's). */
struct tp_gap_versies {
  const json_t *catalogus;
  const json_t *referentie;
};

/* tp_gap_analyse_text for a team in that form. */
char *tp_gap_team_text(const struct tp_gap_model *m, const struct tp_gap_team *team,
                       const struct tp_gap_versies *versies, size_t *len);

/* The analysis of `team` with model `m` as the JSON text every answer
 * is rendered as (tp_json_render), written straight from the computed
 * arrays; with `versies` (NULL: none) appended as the last members. New
 * string (free with free()), its length in *len when `len` is not NULL;
 * NULL when out of memory. This text is the document: the jansson forms
 * below are read back from it. */
char *tp_gap_analyse_text(const struct tp_gap_model *m, const json_t *team,
                          const struct tp_gap_versies *versies, size_t *len);

/* tp_gap_analyse(rollen, team, referenties) with the model of `rollen` and
 * `referenties`: the same document, byte for byte. */
json_t *tp_gap_analyse_with(const struct tp_gap_model *m, const json_t *team);

/* Only the `samenvatting` of that analysis (new reference, NULL when out of
 * memory), without competency gaps, advice or role rows. */
json_t *tp_gap_summary(const struct tp_gap_model *m, const json_t *team);

/* What the development of a municipality (ontwikkeling.h) shows of one
 * analysis of `team`: the figures of its `samenvatting` and each role's
 * fte, status and fragility, exactly as tp_gap_analyse gives them (4 decimals; NAN
 * where the analysis has null), and the expected band of the team's total:
 * p25, median and p75 of the references' total fte, each scaled to the
 * team's inhabitants as a role's fte is (NAN when the analysis has no
 * bands). */
struct tp_gap_overzicht_rol {
  const char *rol;    /* borrowed from the model */
  int kernrol;
  double fte;
  const char *status; /* a static string: "ontbreekt", "passend", ... */
  int ontbreekt;      /* a core role with this is in ontbrekendeKernrollen */
  int kwetsbaar;      /* in kwetsbareRollen (method 1.1) */
};
struct tp_gap_overzicht {
  double totaal_fte, verwacht_fte, capaciteit, dekking;
  double totaal_band[3];
  struct tp_gap_overzicht_rol *rollen; /* the catalogue's roles, in its order */
  size_t nrollen;
};

/* Fills *out (free with tp_gap_overzicht_free, also after a failure):
 * 0, or -1 when out of memory. Thread-safe; `m` and `team` are borrowed. */
int tp_gap_overzicht(const struct tp_gap_model *m, const struct tp_gap_team *team,
                     struct tp_gap_overzicht *out);
void tp_gap_overzicht_free(struct tp_gap_overzicht *o);

/* A team given by its totals: what a benchmark keeps of a profile. */
struct tp_gap_totals {
  const char *gemeente; /* NULL when absent */
  double inwoners;
  double totaal;            /* the members' fte summed in member order */
  const char *const *rollen; /* each role once */
  const double *fte;        /* per role: its shares summed in member, then share order */
  size_t nrollen;
};

/* The figures of tp_gap_summary for such a team, as that summary shows
 * them (4 decimals; NAN where it has null): the same numbers, computed
 * without the members, and the codes its `ontbrekendeKernrollen` names,
 * each followed by a space, in catalogue order. -1 when out of memory or
 * those codes do not fit. */
#define TP_GAP_KERNROLLEN_TEXT 512
struct tp_gap_figures {
  double totaal_fte, capaciteit, dekking;
  char ontbrekende_kernrollen[TP_GAP_KERNROLLEN_TEXT];
};
int tp_gap_figures(const struct tp_gap_model *m, const struct tp_gap_totals *team,
                   struct tp_gap_figures *out);

#endif
