#ifndef TEAMPLOTTER_SUCCES_REPO_H
#define TEAMPLOTTER_SUCCES_REPO_H

/* Success factors, the success stories of the seven and the sources
 * (succes_repo.c). */

#include <jansson.h>

#include "teamplotter/repo.h"

tp_rc tp_repo_succesfactoren_page(struct tp_db *db, const void *filter, long limit, long offset,
                                  json_t **page);
tp_rc tp_repo_succesfactor(struct tp_db *db, const char *code, json_t **doc);
tp_rc tp_repo_succesverhalen_page(struct tp_db *db, const void *filter, long limit, long offset,
                                  json_t **page);
tp_rc tp_repo_succesverhaal(struct tp_db *db, const char *gemeente, json_t **doc);
tp_rc tp_repo_bronnen_page(struct tp_db *db, const void *filter, long limit, long offset,
                           json_t **page);

#endif
