/* API clients and their secrets. */
#include <stdlib.h>

#include "teamplotter/clients_repo.h"

#include "pg.h"

#include "teamplotter/render.h"

tp_rc tp_repo_client(struct tp_db *db, const char *id, json_t **out) {
  const char *params[] = {id};
  return tp_db_json(db,
                    "SELECT json_build_object('id', id, 'secret', secret, 'scopes', scopes,"
                    " 'gemeenten', gemeenten, 'alleGemeenten', alle_gemeenten,"
                    " 'ingetrokken', ingetrokken)::text FROM clients WHERE id = $1",
                    1, params, out);
}

tp_rc tp_repo_client_pooled(struct tp_pool *pool, const char *id, json_t **out) {
  struct tp_db *db = NULL;
  tp_rc rc = tp_pool_acquire(pool, &db);
  if (rc == TP_OK) rc = tp_repo_client(db, id, out);
  tp_pool_release(pool, db);
  return rc;
}

tp_rc tp_repo_client_add(struct tp_db *db, const char *id, const char *secret,
                         const json_t *scopes, const json_t *gemeenten, int alle_gemeenten) {
  char *scope_text = tp_json_render(scopes);
  char *gemeente_text = tp_json_render(gemeenten);
  json_t *check = NULL;
  tp_rc rc = scope_text && gemeente_text ? TP_OK : TP_ERR_NOMEM;
  const char *params[] = {id, secret, scope_text, gemeente_text, alle_gemeenten ? "true" : "false"};
  /* Every municipality must exist; arrays cannot carry foreign keys. */
  if (rc == TP_OK) {
    const char *codes[] = {gemeente_text};
    rc = tp_db_json(db,
                    "SELECT json_build_object('onbekend', count(*))::text"
                    " FROM json_array_elements_text($1::json) AS g(code)"
                    " WHERE NOT EXISTS (SELECT 1 FROM gemeenten WHERE gemeenten.code = g.code)",
                    1, codes, &check);
  }
  if (rc == TP_OK && json_integer_value(json_object_get(check, "onbekend")) > 0) rc = TP_ERR_PARAM;
  if (rc == TP_OK) {
    PGresult *res = tp_db_exec(
        db,
        "INSERT INTO clients (id, secret, scopes, gemeenten, alle_gemeenten)"
        " VALUES ($1, $2, ARRAY(SELECT json_array_elements_text($3::json)),"
        " ARRAY(SELECT json_array_elements_text($4::json)), $5::boolean)",
        5, params, &rc);
    PQclear(res);
  }
  json_decref(check);
  free(scope_text);
  free(gemeente_text);
  return rc;
}

tp_rc tp_repo_clients_list(struct tp_db *db, json_t **out) {
  return tp_db_json(db,
                    "SELECT coalesce(json_agg(json_build_object('id', id, 'scopes', scopes,"
                    " 'gemeenten', gemeenten, 'alleGemeenten', alle_gemeenten,"
                    " 'ingetrokken', ingetrokken, 'aangemaakt', aangemaakt) ORDER BY id),"
                    " '[]'::json)::text FROM clients",
                    0, NULL, out);
}

tp_rc tp_repo_client_revoke(struct tp_db *db, const char *id) {
  const char *params[] = {id};
  json_t *row = NULL;
  tp_rc rc = tp_db_json(db,
                        "UPDATE clients SET ingetrokken = true WHERE id = $1"
                        " RETURNING json_build_object('id', id)::text",
                        1, params, &row);
  json_decref(row);
  return rc;
}
