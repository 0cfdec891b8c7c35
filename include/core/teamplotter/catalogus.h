#ifndef TEAMPLOTTER_CATALOGUS_H
#define TEAMPLOTTER_CATALOGUS_H

/* Validation of catalogue content: one role, competency, role family,
 * success factor or success story (the body of a PUT, or an element of an
 * import file), and the import files themselves (the shapes of the data
 * pack's catalogus.json, succesfactoren.json and succesverhalen.json).
 * Every violation is appended to `invalid` as {name, code, reason}, `name`
 * being the JSON path ("rollen.3.competenties.0.niveau"); at most
 * TP_TEAM_MAX_PROBLEMS are named. Pure; thread-safe. */

#include <jansson.h>

#include "teamplotter/team.h"

enum tp_catalogus_soort {
  TP_CAT_ROL,
  TP_CAT_COMPETENTIE,
  TP_CAT_ROLFAMILIE,
  TP_CAT_SUCCESFACTOR,
  TP_CAT_SUCCESVERHAAL,
};

/* The import files. */
enum tp_catalogus_bestand {
  TP_BESTAND_CATALOGUS,      /* catalogus.json: scale, families, competencies, roles */
  TP_BESTAND_SUCCESFACTOREN, /* succesfactoren.json */
  TP_BESTAND_SUCCESVERHALEN, /* succesverhalen.json */
};

/* The kind's name in the audit trail and in SQL ("rol", ...). */
const char *tp_catalogus_soort_naam(enum tp_catalogus_soort soort);

/* What catalogue content may refer to; each list sorted (tp_codes). */
struct tp_catalogus_refs {
  struct tp_codes rolfamilies;
  struct tp_codes competenties;
  struct tp_codes bronnen;    /* source ids */
  struct tp_codes bron_urls;  /* source urls, which result figures cite */
  struct tp_codes gemeenten;
};

/* Validates one entry of `soort`. `code` is the code named by the URL
 * (NULL for a file element): the body's own `code` (`gemeente` for a
 * story) may then be left out, and must match when given. Fields the API
 * derives (a role's competency names, the roles of a family or
 * competency, a story's municipality name) are accepted and ignored. */
void tp_catalogus_validate(enum tp_catalogus_soort soort, const json_t *doc, const char *code,
                           const struct tp_catalogus_refs *refs, const char *prefix,
                           json_t *invalid);

/* Validates a catalogue file: {versie, toelichting?, schaalBron?, schaal
 * (the four levels), families, competenties, rollen}. Roles may refer to
 * the families and competencies of the file only; `refs` supplies the
 * sources. */
void tp_catalogus_file_validate(const json_t *doc, const struct tp_catalogus_refs *refs,
                                json_t *invalid);

/* Validates {toelichting?, succesfactoren: [...]} and
 * {toelichting?, succesverhalen: [...]}. */
void tp_succesfactoren_file_validate(const json_t *doc, const struct tp_catalogus_refs *refs,
                                     json_t *invalid);
void tp_succesverhalen_file_validate(const json_t *doc, const struct tp_catalogus_refs *refs,
                                     json_t *invalid);

/* Points `refs` into `doc`, a {"rolfamilies","competenties","bronnen",
 * "bronUrls","gemeenten"} object of sorted code arrays, which must
 * outlive it. 0 on success; free with tp_catalogus_refs_free. */
int tp_catalogus_refs_from_json(const json_t *doc, struct tp_catalogus_refs *refs);
void tp_catalogus_refs_free(struct tp_catalogus_refs *refs);

#endif
