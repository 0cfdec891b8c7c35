#ifndef TEAMPLOTTER_TEAM_RULES_H
#define TEAMPLOTTER_TEAM_RULES_H

/* The rules of a team body, each once. Two readers decide with them: the
 * general way (tp_team_validate, on a jansson document, which names every
 * violation) and the plain reader of analysis bodies (tp_team_read_analysis,
 * which reads valid bodies without a document and leaves the rest to the
 * general way). So a body's verdict never depends on which reader took it.
 * Pure predicates on plain values, inline for the plain reader's sake. */

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "teamplotter/team.h"

/* A text of `chars` characters: 1 to `max` (TP_TEAM_LABEL_MAX,
 * TP_TEAM_CODE_MAX, TP_TEAM_GEMEENTE_MAX, TP_TEAM_PEILDATUM_MAX, ...). */
static inline int tp_rule_text_fits(size_t chars, size_t max) {
  return chars >= 1 && chars <= max;
}

/* A number greater than 0 and at most `max`. */
static inline int tp_rule_positive(double d, double max) {
  return isfinite(d) && d > 0 && d <= max;
}

/* A member's fte, and the share of each of its roles. */
static inline int tp_team_fte_ok(double d) {
  return tp_rule_positive(d, TP_TEAM_FTE_MAX);
}

/* A proficiency level: 1..TP_TEAM_NIVEAU_MAX. */
static inline int tp_team_niveau_ok(long long n) {
  return n >= 1 && n <= TP_TEAM_NIVEAU_MAX;
}

/* The what-if number of inhabitants of an analysis. */
static inline int tp_team_inwoners_ok(long long n) {
  return n >= 1 && n <= TP_TEAM_INWONERS_MAX;
}

/* How many members a team may have. */
static inline int tp_team_size_ok(size_t n) {
  return n <= TP_TEAM_MAX_LEDEN;
}

/* A member has at least one role... */
static inline int tp_team_has_rollen(size_t nrollen) {
  return nrollen >= 1;
}

/* ...and its shares, added in order, make its fte. */
static inline int tp_team_aandelen_match(double sum, double fte) {
  return !(fabs(sum - fte) > TP_TEAM_AANDEEL_TOLERANCE);
}

/* Whether a body must name its gemeente: always, but for an analysis of a
 * what-if number of inhabitants. */
static inline int tp_team_needs_gemeente(enum tp_team_kind kind, int has_inwoners) {
  return kind != TP_TEAM_ANALYSE || !has_inwoners;
}

/* Whether a body must give its peildatum: all but an analysis. */
static inline int tp_team_needs_peildatum(enum tp_team_kind kind) {
  return kind != TP_TEAM_ANALYSE;
}

/* An analysis names a gemeente or a number of inhabitants, not both. */
static inline int tp_team_conflicts(int has_gemeente, int has_inwoners) {
  return has_gemeente && has_inwoners;
}

/* The fields of each object of a body (NULL-terminated, in the order of
 * their enum), and which of them are required (bit i: field i). */
enum { TP_BODY_GEMEENTE, TP_BODY_INWONERS, TP_BODY_PEILDATUM, TP_BODY_LEDEN };
extern const char *const tp_team_analysis_fields[]; /* leden; gemeente: tp_team_needs_gemeente */
#define TP_TEAM_ANALYSIS_REQUIRED (1u << TP_BODY_LEDEN)

enum { TP_LID_LABEL, TP_LID_FTE, TP_LID_ROLLEN, TP_LID_COMPETENTIES };
extern const char *const tp_team_lid_fields[];
#define TP_TEAM_LID_REQUIRED (1u << TP_LID_LABEL | 1u << TP_LID_FTE | 1u << TP_LID_ROLLEN)

enum { TP_ROL_ROL, TP_ROL_AANDEEL };
extern const char *const tp_team_rol_fields[];
#define TP_TEAM_ROL_REQUIRED (1u << TP_ROL_ROL | 1u << TP_ROL_AANDEEL)

enum { TP_COMPETENTIE_CODE, TP_COMPETENTIE_NIVEAU };
extern const char *const tp_team_competentie_fields[];
#define TP_TEAM_COMPETENTIE_REQUIRED (1u << TP_COMPETENTIE_CODE | 1u << TP_COMPETENTIE_NIVEAU)

/* Whether field `i` is in the `required` bits. */
static inline int tp_team_required(unsigned required, int i) {
  return (required >> i) & 1u;
}

/* The index of the `len`-byte key (not NUL-terminated) in `fields`, or -1. */
static inline int tp_team_field(const char *const *fields, const char *key, size_t len) {
  for (int i = 0; len > 0 && fields[i] != NULL; i++) {
    if (fields[i][0] == key[0] && strncmp(fields[i], key, len) == 0 && fields[i][len] == '\0') {
      return i;
    }
  }
  return -1;
}

#endif
