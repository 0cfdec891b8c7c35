/* Success factors and success stories. */
#include "teamplotter/succes_repo.h"

#include "pg.h"

static const char SUCCESFACTOREN_PAGE[] = TP_PAGE_SQL(
    "SELECT volgorde, doc FROM api_succesfactoren", "volgorde", "$1", "$2", TP_NONE_UNKNOWN);

tp_rc tp_repo_succesfactoren_page(struct tp_db *db, const void *filter, long limit, long offset,
                                  json_t **page) {
  (void)filter;
  const char *params[2];
  return tp_db_page(db, SUCCESFACTOREN_PAGE, 0, params, limit, offset, page);
}

tp_rc tp_repo_succesfactor(struct tp_db *db, const char *code, json_t **doc) {
  const char *params[] = {code};
  return tp_db_json(db, "SELECT doc::text FROM api_succesfactoren WHERE code = $1", 1, params,
                    doc);
}

static const char SUCCESVERHALEN_PAGE[] = TP_PAGE_SQL(
    "SELECT gemeente, doc FROM api_succesverhalen", "gemeente", "$1", "$2", TP_NONE_UNKNOWN);

tp_rc tp_repo_succesverhalen_page(struct tp_db *db, const void *filter, long limit, long offset,
                                  json_t **page) {
  (void)filter;
  const char *params[2];
  return tp_db_page(db, SUCCESVERHALEN_PAGE, 0, params, limit, offset, page);
}

tp_rc tp_repo_succesverhaal(struct tp_db *db, const char *gemeente, json_t **doc) {
  const char *params[] = {gemeente};
  return tp_db_json(db, "SELECT doc::text FROM api_succesverhalen WHERE gemeente = $1", 1, params,
                    doc);
}

static const char BRONNEN_PAGE[] = TP_PAGE_SQL(
    "SELECT id, doc FROM api_bronnen", "id", "$1", "$2", TP_NONE_UNKNOWN);

tp_rc tp_repo_bronnen_page(struct tp_db *db, const void *filter, long limit, long offset,
                           json_t **page) {
  (void)filter;
  const char *params[2];
  return tp_db_page(db, BRONNEN_PAGE, 0, params, limit, offset, page);
}
