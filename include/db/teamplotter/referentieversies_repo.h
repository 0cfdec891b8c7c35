#ifndef TEAMPLOTTER_REFERENTIEVERSIES_REPO_H
#define TEAMPLOTTER_REFERENTIEVERSIES_REPO_H

/* The versions of the reference set (referentieversies_repo.c); an import
 * records them (tp_repo_referenties_replace, teamprofielen_repo.h). */

#include <jansson.h>

#include "teamplotter/repo.h"

/* The versions, newest first, without their changes (tp_page_fn; no
 * filter). */
tp_rc tp_repo_referentieversies_page(struct tp_db *db, const void *filter, long limit, long offset,
                                     json_t **page);

/* One version by name with its changes per reference municipality
 * (tp_item_fn): TP_ERR_NOT_FOUND when there is none. */
tp_rc tp_repo_referentieversie(struct tp_db *db, const char *versie, json_t **doc);

#endif
