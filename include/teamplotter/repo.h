#ifndef TEAMPLOTTER_REPO_H
#define TEAMPLOTTER_REPO_H

/* Read access to the catalogue, municipalities, success content and team
 * profiles. Each resource has a page query and a single-item query, both
 * answering with the JSON document the API returns (built by the api_*
 * views of sql/migrations). All SQL takes parameters. */

#include <jansson.h>

#include "teamplotter/pool.h"

/* A page query: fills *page (new reference) with
 * {count, results: [...], onbekend: [names of filters whose value does not
 * exist]}. `filter` is the resource's filter struct below. */
typedef tp_rc (*tp_page_fn)(struct tp_db *db, const void *filter, long limit, long offset,
                            json_t **page);

/* A single-item query by key: TP_ERR_NOT_FOUND when absent. */
typedef tp_rc (*tp_item_fn)(struct tp_db *db, const char *key, json_t **doc);

/* Optional filters: NULL strings and -1 booleans mean "not given". */
struct tp_rollen_filter {
  const char *familie;
  int kernrol;
  const char *zoek;
};

struct tp_zoek_filter {
  const char *zoek;
};

struct tp_gemeenten_filter {
  const char *provincie;
  int referentie;
  long grootteklasse; /* 0: not given */
  const char *zoek;
};

struct tp_teamprofielen_filter {
  int referentie;
};

tp_rc tp_repo_rolfamilies_page(struct tp_db *db, const void *filter, long limit, long offset,
                               json_t **page);
tp_rc tp_repo_rollen_page(struct tp_db *db, const void *filter, long limit, long offset,
                          json_t **page);
tp_rc tp_repo_rol(struct tp_db *db, const char *code, json_t **doc);
tp_rc tp_repo_competenties_page(struct tp_db *db, const void *filter, long limit, long offset,
                                json_t **page);
tp_rc tp_repo_competentie(struct tp_db *db, const char *code, json_t **doc);
tp_rc tp_repo_succesfactoren_page(struct tp_db *db, const void *filter, long limit, long offset,
                                  json_t **page);
tp_rc tp_repo_succesfactor(struct tp_db *db, const char *code, json_t **doc);
tp_rc tp_repo_gemeenten_page(struct tp_db *db, const void *filter, long limit, long offset,
                             json_t **page);
tp_rc tp_repo_gemeente(struct tp_db *db, const char *code, json_t **doc);
tp_rc tp_repo_succesverhalen_page(struct tp_db *db, const void *filter, long limit, long offset,
                                  json_t **page);
tp_rc tp_repo_succesverhaal(struct tp_db *db, const char *gemeente, json_t **doc);
tp_rc tp_repo_bronnen_page(struct tp_db *db, const void *filter, long limit, long offset,
                           json_t **page);
tp_rc tp_repo_teamprofielen_page(struct tp_db *db, const void *filter, long limit, long offset,
                                 json_t **page);
tp_rc tp_repo_teamprofiel(struct tp_db *db, const char *uuid, json_t **doc);

#endif
