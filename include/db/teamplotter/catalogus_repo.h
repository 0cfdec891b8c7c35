#ifndef TEAMPLOTTER_CATALOGUS_REPO_H
#define TEAMPLOTTER_CATALOGUS_REPO_H

/* The role catalogue read: role families, roles, competencies
 * (catalogus_repo.c). */

#include <jansson.h>

#include "teamplotter/repo.h"

/* Optional filters: NULL strings and -1 booleans mean "not given". */
struct tp_rollen_filter {
  const char *familie;
  int kernrol;
  const char *zoek;
};

struct tp_zoek_filter {
  const char *zoek;
};

tp_rc tp_repo_rolfamilies_page(struct tp_db *db, const void *filter, long limit, long offset,
                               json_t **page);
tp_rc tp_repo_rollen_page(struct tp_db *db, const void *filter, long limit, long offset,
                          json_t **page);
tp_rc tp_repo_rol(struct tp_db *db, const char *code, json_t **doc);
tp_rc tp_repo_rolfamilie(struct tp_db *db, const char *code, json_t **doc);
tp_rc tp_repo_competenties_page(struct tp_db *db, const void *filter, long limit, long offset,
                                json_t **page);
tp_rc tp_repo_competentie(struct tp_db *db, const char *code, json_t **doc);

#endif
