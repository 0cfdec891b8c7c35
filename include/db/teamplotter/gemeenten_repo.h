#ifndef TEAMPLOTTER_GEMEENTEN_REPO_H
#define TEAMPLOTTER_GEMEENTEN_REPO_H

/* The municipalities (gemeenten_repo.c). */

#include <jansson.h>

#include "teamplotter/repo.h"

/* Optional filters: NULL strings and -1 booleans mean "not given". */
struct tp_gemeenten_filter {
  const char *provincie;
  int referentie;
  long grootteklasse; /* 0: not given */
  const char *zoek;
};

tp_rc tp_repo_gemeenten_page(struct tp_db *db, const void *filter, long limit, long offset,
                             json_t **page);
tp_rc tp_repo_gemeente(struct tp_db *db, const char *code, json_t **doc);

#endif
