/* The inputs of gap analyses and benchmarks, each in one set-based read
 * (the benchmarks' newest profiles: benchmark_repo.c). */
#include "teamplotter/analyse_repo.h"

#include "pg.h"

#include "teamplotter/teamprofielen_repo.h"

tp_rc tp_repo_analysis_inputs(struct tp_db *db, json_t **out) {
  return tp_db_json(
      db,
      "SELECT json_build_object("
      " 'catalogusVersie', (SELECT versie FROM catalogus_versies ORDER BY id DESC LIMIT 1),"
      " 'referentieVersie', (SELECT versie FROM referentie_versies ORDER BY id DESC LIMIT 1),"
      " 'rollen', (SELECT json_agg(doc ORDER BY volgorde) FROM api_rollen),"
      " 'referenties', coalesce((SELECT json_agg(json_build_object("
      "     'gemeente', p.gemeente, 'teamprofiel', p.uuid, 'herkomst', p.herkomst,"
      "     'inwoners', g.inwoners, 'leden', d.doc->'leden') ORDER BY p.gemeente)"
      "   FROM teamprofielen p"
      "   JOIN gemeenten g ON g.code = p.gemeente"
      "   JOIN api_teamprofielen d ON d.uuid = p.uuid"
      "  WHERE p.referentie), '[]'::json))::text",
      0, NULL, out);
}

tp_rc tp_repo_snapshot(struct tp_db *db, json_t **out) {
  json_t *head = NULL, *inputs = NULL, *codes = NULL;
  /* One snapshot of the database for all parts. */
  tp_rc rc = tp_db_begin_read(db);
  if (rc != TP_OK) return rc;
  rc = tp_db_json(db,
                  "SELECT json_build_object('versie', (SELECT versie FROM snapshot),"
                  " 'gemeenten', (SELECT json_object_agg(code, json_build_object("
                  "   'code', code, 'naam', naam, 'inwoners', inwoners,"
                  "   'grootteklasse', grootteklasse) ORDER BY code) FROM gemeenten))::text",
                  0, NULL, &head);
  if (rc == TP_OK) rc = tp_repo_analysis_inputs(db, &inputs);
  if (rc == TP_OK) rc = tp_repo_known_codes(db, &codes);
  if (rc == TP_OK) rc = tp_db_commit(db);
  if (rc == TP_OK) {
    json_object_set(head, "inputs", inputs);
    json_object_set(head, "codes", codes);
    *out = head;
    head = NULL;
  } else {
    tp_db_rollback(db);
  }
  json_decref(head);
  json_decref(inputs);
  json_decref(codes);
  return rc;
}

tp_rc tp_repo_snapshot_version(struct tp_db *db, json_t **out) {
  return tp_db_json(db, "SELECT to_json(versie)::text FROM snapshot", 0, NULL, out);
}
