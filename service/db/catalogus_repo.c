/* The role catalogue: role families, roles and competencies. */
#include "teamplotter/catalogus_repo.h"

#include "pg.h"

static const char ROLFAMILIES_PAGE[] = TP_PAGE_SQL(
    "SELECT volgorde, doc FROM api_rolfamilies", "volgorde", "$1", "$2", TP_NONE_UNKNOWN);

tp_rc tp_repo_rolfamilies_page(struct tp_db *db, const void *filter, long limit, long offset,
                               json_t **page) {
  (void)filter;
  const char *params[2];
  return tp_db_page(db, ROLFAMILIES_PAGE, 0, params, limit, offset, page);
}

tp_rc tp_repo_rolfamilie(struct tp_db *db, const char *code, json_t **doc) {
  const char *params[] = {code};
  return tp_db_json(db, "SELECT doc::text FROM api_rolfamilies WHERE code = $1", 1, params, doc);
}

static const char ROLLEN_PAGE[] = TP_PAGE_SQL(
    "SELECT volgorde, doc FROM api_rollen"
    " WHERE ($1::text IS NULL OR familie = $1)"
    " AND ($2::boolean IS NULL OR kernrol = $2)"
    " AND ($3::text IS NULL OR strpos(zoektekst, lower(unaccent($3::text))) > 0)",
    "volgorde", "$4", "$5",
    "CASE WHEN $1::text IS NULL OR EXISTS (SELECT 1 FROM rolfamilies WHERE code = $1)"
    " THEN '[]'::json ELSE json_build_array('familie') END");

tp_rc tp_repo_rollen_page(struct tp_db *db, const void *filter, long limit, long offset,
                          json_t **page) {
  const struct tp_rollen_filter *f = filter;
  const char *params[5] = {f->familie, tp_db_bool(f->kernrol), f->zoek};
  return tp_db_page(db, ROLLEN_PAGE, 3, params, limit, offset, page);
}

tp_rc tp_repo_rol(struct tp_db *db, const char *code, json_t **doc) {
  const char *params[] = {code};
  return tp_db_json(db, "SELECT doc::text FROM api_rollen WHERE code = $1", 1, params, doc);
}

static const char COMPETENTIES_PAGE[] = TP_PAGE_SQL(
    "SELECT volgorde, doc FROM api_competenties"
    " WHERE ($1::text IS NULL OR strpos(zoektekst, lower(unaccent($1::text))) > 0)",
    "volgorde", "$2", "$3", TP_NONE_UNKNOWN);

tp_rc tp_repo_competenties_page(struct tp_db *db, const void *filter, long limit, long offset,
                                json_t **page) {
  const struct tp_zoek_filter *f = filter;
  const char *params[3] = {f->zoek};
  return tp_db_page(db, COMPETENTIES_PAGE, 1, params, limit, offset, page);
}

tp_rc tp_repo_competentie(struct tp_db *db, const char *code, json_t **doc) {
  const char *params[] = {code};
  return tp_db_json(db, "SELECT doc::text FROM api_competenties WHERE code = $1", 1, params, doc);
}
