#ifndef TEAMPLOTTER_TEAM_H
#define TEAMPLOTTER_TEAM_H

#include <stddef.h>

#include <jansson.h>

#include "teamplotter/gap.h"

/* Validation of a team body: the body of a team profile
 * and of an anonymous gap analysis. Pure; thread-safe. Its rules are in
 * team_rules.h, shared with the plain reader (tp_team_read_analysis). */

#define TP_TEAM_MAX_LEDEN 500
#define TP_TEAM_LABEL_MAX 200
#define TP_TEAM_FTE_MAX 1.5
#define TP_TEAM_AANDEEL_TOLERANCE 0.001
/* At most this many violations are named in one answer; one more entry
 * ("too-many-errors") says that the body holds more. */
#define TP_TEAM_MAX_PROBLEMS 200
#define TP_TEAM_CODE_MAX 100          /* a role or competency code, in characters */
#define TP_TEAM_GEMEENTE_MAX 6        /* a municipality code: GM and four digits */
#define TP_TEAM_INWONERS_MAX 100000000 /* the what-if number of inhabitants */
#define TP_TEAM_NIVEAU_MAX 4           /* proficiency levels are 1..4 */
#define TP_TEAM_PEILDATUM_MAX 10      /* YYYY-MM-DD */
#define TP_TEAM_TOELICHTING_MAX 4000
#define TP_TEAM_HERKOMST_MAX 20

/* A sorted list of codes (strcmp order), for lookups by bsearch. */
struct tp_codes {
  const char *const *codes;
  size_t count;
};

/* What the body may refer to. */
struct tp_known {
  struct tp_codes gemeenten;
  struct tp_codes rollen;
  struct tp_codes competenties;
};

enum tp_team_kind {
  TP_TEAM_TEAMPROFIEL,  /* gemeente and peildatum required; toelichting allowed */
  TP_TEAM_ANALYSE, /* gemeente or inwoners (a what-if); peildatum optional */
  TP_TEAM_IMPORT,   /* a profile plus herkomst, bronnen and toelichting */
};

/* Checks everything at once and appends one {name, code, reason} per
 * violation to `invalid`, `name` being the JSON path ("leden.3.rollen.0.aandeel").
 * `prefix` is prepended to every name ("profielen.2." for imports; "" otherwise). */
void tp_team_validate(const json_t *body, enum tp_team_kind kind, const struct tp_known *known,
                      const char *prefix, json_t *invalid);

/* The longest name and source of a reference-set version, in characters. */
#define TP_REFERENTIE_VERSIE_MAX 50
#define TP_REFERENTIE_BRON_MAX 200

/* Validates a reference-team file (the shape of the data pack's
 * referentieteams.json): {"versie"?, "bron"?, "toelichting"?, "profielen":
 * [import profiles]}, each a reference municipality (`referentie`), at
 * most once, citing only known source ids (`bronnen`); the optional texts
 * name the reference-set version the import records. Violations go to
 * `invalid` as above, named "profielen.2.leden.0.fte" or "versie". */
void tp_referentie_import_validate(const json_t *doc, const struct tp_known *known,
                                  const struct tp_codes *referentie, const struct tp_codes *bronnen,
                                  json_t *invalid);

/* Points `known` into `doc`, a {"gemeenten","rollen","competenties"}
 * object of sorted code arrays (tp_repo_known_codes), which must outlive
 * it. 0 on success; free with tp_known_free. */
int tp_known_from_json(const json_t *doc, struct tp_known *known);
void tp_known_free(struct tp_known *known);

/* Points `codes` at the strings of a sorted JSON array, which must outlive
 * it. 0 on success; free with tp_codes_free. */
int tp_codes_from_json(const json_t *array, struct tp_codes *codes);
void tp_codes_free(struct tp_codes *codes);

/* An anonymous gap-analysis body read straight into the analysis's
 * arrays (tp_team_read_analysis). */
struct tp_team_read {
  struct tp_gap_team team; /* gemeente and the codes point into `known`; inwoners NULL */
  long long inwoners;      /* the what-if number; 0 when the body names a gemeente */
};

/* Reads `len` bytes of a TP_TEAM_ANALYSE body into `out` without building
 * a document, when the body is plainly valid: printable ASCII without
 * escapes, only the known fields, numbers of at most 15 digits without an
 * exponent, and nothing tp_team_validate would report. Returns 1 when read
 * (free with tp_gap_team_free(&out->team)); 0 when the body must go the
 * general way (tp_json_parse, tp_team_validate), which also accepts what is
 * valid but not plain, and names what is wrong. Never 1 for a body the
 * general way refuses, and then with the same team. */
int tp_team_read_analysis(const char *body, size_t len, const struct tp_known *known,
                          struct tp_team_read *out);

/* Whether `code` is in `codes`; the list's own string for it, or NULL. */
int tp_codes_has(const struct tp_codes *codes, const char *code);
const char *tp_codes_find(const struct tp_codes *codes, const char *code);

/* Whether `s` is a real calendar date written YYYY-MM-DD. */
int tp_is_date(const char *s);

#endif
