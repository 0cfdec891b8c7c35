#ifndef TEAMPLOTTER_CATALOGUSBEHEER_REPO_H
#define TEAMPLOTTER_CATALOGUSBEHEER_REPO_H

/* Catalogue management (catalogusbeheer_repo.c). */

#include <jansson.h>

#include "teamplotter/catalogus.h"
#include "teamplotter/repo.h"

/* Each write takes the catalogue writers' lock, runs in one transaction
 * and, when it changed anything, records a new catalogue version with one
 * audit row per changed document; *versie receives that version's
 * document, or NULL when nothing changed. */

/* {"rolfamilies","competenties","bronnen","bronUrls","gemeenten"}: what
 * catalogue content may refer to, each sorted in byte order. */
tp_rc tp_repo_catalogus_refs(struct tp_db *db, json_t **out);

/* Stores validated document `doc` as entry `code` of `soort`. With
 * `if_match` the entry must exist (TP_ERR_NOT_FOUND) and have that ETag
 * (TP_ERR_PRECONDITION); with NULL it must not exist
 * (TP_ERR_PRECONDITION). *stored receives the stored document. */
tp_rc tp_repo_catalogus_put(struct tp_db *db, enum tp_catalogus_soort soort, const char *code,
                            const char *if_match, const json_t *doc, const struct tp_change *who,
                            json_t **stored, json_t **versie);

/* Takes entry `code` out of the catalogue under the same If-Match rules.
 * TP_ERR_CONFLICT while it is in use, with *gebruik =
 * {"teamprofielen": n, "rollen": [codes]} saying by what. */
tp_rc tp_repo_catalogus_delete(struct tp_db *db, enum tp_catalogus_soort soort, const char *code,
                               const char *if_match, const struct tp_change *who, json_t **gebruik,
                               json_t **versie);

/* Replaces the content of a validated import file. Entries the file
 * leaves out are deleted, or marked vervallen while something still
 * refers to them. TP_ERR_PARAM with violations added to `invalid` when
 * the file conflicts with the database (a version name already used). */
tp_rc tp_repo_catalogus_import(struct tp_db *db, enum tp_catalogus_bestand bestand,
                               const json_t *file, const struct tp_change *who, json_t *invalid,
                               json_t **versie);

/* The catalogue versions, newest first; one version by name; the changes
 * of a version (`versie` is its name) in the order they were recorded. */
tp_rc tp_repo_catalogusversies_page(struct tp_db *db, const void *filter, long limit, long offset,
                                    json_t **page);
tp_rc tp_repo_catalogusversie(struct tp_db *db, const char *versie, json_t **doc);
tp_rc tp_repo_catalogus_wijzigingen_page(struct tp_db *db, const void *versie, long limit,
                                         long offset, json_t **page);

#endif
