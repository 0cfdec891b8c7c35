#ifndef TEAMPLOTTER_ANALYSE_REPO_H
#define TEAMPLOTTER_ANALYSE_REPO_H

/* What the gap analyses and the snapshot read (analyse_repo.c). */

#include <jansson.h>

#include "teamplotter/repo.h"

/* Everything a gap analysis needs besides the team:
 * {"catalogusVersie", "referentieVersie" (the reference set's version),
 *  "rollen": [role documents in catalogue order],
 *  "referenties": [{gemeente, teamprofiel, herkomst, inwoners, leden}]}. */
tp_rc tp_repo_analysis_inputs(struct tp_db *db, json_t **out);

/* Everything the in-memory snapshot holds, read in one consistent
 * (repeatable-read) transaction: {"versie", "inputs" (as
 * tp_repo_analysis_inputs), "codes" (as tp_repo_known_codes),
 * "gemeenten": {code: {code, naam, inwoners, grootteklasse}}}. */
tp_rc tp_repo_snapshot(struct tp_db *db, json_t **out);

/* The snapshot version in the database, as a JSON integer. */
tp_rc tp_repo_snapshot_version(struct tp_db *db, json_t **out);

#endif
