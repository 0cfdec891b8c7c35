/* The versions of the reference set and what each changed (the views of
 * migration 0010). */
#include "teamplotter/referentieversies_repo.h"

#include "pg.h"

static const char VERSIES_PAGE[] = TP_PAGE_SQL(
    "SELECT id, doc FROM api_referentieversies", "id DESC", "$1", "$2", TP_NONE_UNKNOWN);

tp_rc tp_repo_referentieversies_page(struct tp_db *db, const void *filter, long limit, long offset,
                                     json_t **page) {
  (void)filter;
  const char *params[2];
  return tp_db_page(db, VERSIES_PAGE, 0, params, limit, offset, page);
}

tp_rc tp_repo_referentieversie(struct tp_db *db, const char *versie, json_t **doc) {
  const char *params[] = {versie};
  return tp_db_json(db, "SELECT doc::text FROM api_referentieversie WHERE versie = $1", 1, params,
                    doc);
}
