#include <stdio.h>

#include "teamplotter/gemeenten_repo.h"

#include "pg.h"

static const char GEMEENTEN_PAGE[] = TP_PAGE_SQL(
    "SELECT code, doc FROM api_gemeenten"
    " WHERE ($1::text IS NULL OR provincie = $1)"
    " AND ($2::boolean IS NULL OR referentie = $2)"
    " AND ($3::smallint IS NULL OR grootteklasse = $3)"
    " AND ($4::text IS NULL OR strpos(zoektekst, lower(unaccent($4::text))) > 0)",
    "code", "$5", "$6", TP_NONE_UNKNOWN);

tp_rc tp_repo_gemeenten_page(struct tp_db *db, const void *filter, long limit, long offset,
                             json_t **page) {
  const struct tp_gemeenten_filter *f = filter;
  char klasse[8];
  snprintf(klasse, sizeof(klasse), "%ld", f->grootteklasse);
  const char *params[6] = {f->provincie, tp_db_bool(f->referentie),
                           f->grootteklasse > 0 ? klasse : NULL, f->zoek};
  return tp_db_page(db, GEMEENTEN_PAGE, 4, params, limit, offset, page);
}

tp_rc tp_repo_gemeente(struct tp_db *db, const char *code, json_t **doc) {
  const char *params[] = {code};
  return tp_db_json(db, "SELECT doc::text FROM api_gemeenten WHERE code = $1", 1, params, doc);
}
