#include "db/pg.h"
#include "teamplotter/repo.h"

/* Newest first within a municipality; the uuid makes the order total. */
static const char TEAMPROFIELEN_PAGE[] = TP_PAGE_SQL(
    "SELECT gemeente, peildatum, uuid, doc FROM api_teamprofielen"
    " WHERE ($1::boolean IS NULL OR referentie = $1)",
    "gemeente, peildatum DESC, uuid", "$2", "$3", TP_NONE_UNKNOWN);

tp_rc tp_repo_teamprofielen_page(struct tp_db *db, const void *filter, long limit, long offset,
                                 json_t **page) {
  const struct tp_teamprofielen_filter *f = filter;
  const char *params[3] = {tp_db_bool(f->referentie)};
  return tp_db_page(db, TEAMPROFIELEN_PAGE, 1, params, limit, offset, page);
}

tp_rc tp_repo_teamprofiel(struct tp_db *db, const char *uuid, json_t **doc) {
  const char *params[] = {uuid};
  return tp_db_json(db, "SELECT doc::text FROM api_teamprofielen WHERE uuid = $1::uuid", 1, params,
                    doc);
}
