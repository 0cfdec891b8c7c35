/* The inputs of gap analyses and benchmarks, each in one set-based read. */
#include "pg.h"
#include "teamplotter/repo.h"

tp_rc tp_repo_analysis_inputs(struct tp_db *db, json_t **out) {
  return tp_db_json(
      db,
      "SELECT json_build_object("
      " 'catalogusVersie', (SELECT versie FROM catalogus_versies ORDER BY id DESC LIMIT 1),"
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

/* The newest profile of every municipality that has one: by peildatum,
 * then by when it was stored. Its totals come from teamprofiel_bezetting,
 * kept by triggers, rather than from the member tables: one short row per
 * profile instead of grouping every member and share. A profile written
 * while triggers were off has no row there: its totals are computed the
 * same way on the spot, never left out. */
tp_rc tp_repo_each_latest_profile(struct tp_db *db, const char *gemeente, tp_row_fn row,
                                  void *arg) {
  const char *params[] = {gemeente};
  /* Every municipality's profile at once: VNG's bulk run may be large (it
   * runs on a thread of its own, never on an HTTP worker). One size class
   * is small, and keeps the ordinary deadline. */
  if (gemeente == NULL) tp_db_set_deadline(db, 60000);
  return tp_db_each_row(
      db,
      "SELECT DISTINCT ON (p.gemeente) p.gemeente, g.naam, g.inwoners, g.grootteklasse,"
      "       p.uuid, to_char(p.peildatum, 'YYYY-MM-DD'),"
      "       coalesce(b.totalen,"
      "                (SELECT t.totalen FROM bezetting_totalen(ARRAY[p.uuid]) AS t))"
      "  FROM teamprofielen p"
      "  JOIN gemeenten g ON g.code = p.gemeente"
      "  LEFT JOIN teamprofiel_bezetting b ON b.profiel = p.uuid"
      " WHERE $1::text IS NULL OR g.grootteklasse ="
      "       (SELECT grootteklasse FROM gemeenten WHERE code = $1)"
      " ORDER BY p.gemeente, p.peildatum DESC, p.aangemaakt DESC",
      1, params, row, arg);
}

tp_rc tp_repo_profiles_version(struct tp_db *db, const char *unused, json_t **out) {
  (void)unused;
  /* Every write of a profile row gives it a new xmin, through the API or
   * not: a PUT updates the row (versie), a POST adds one, a DELETE removes
   * one. The members live in other tables, which the API only writes
   * together with the row. The snapshot versions everything else the
   * benchmark reads (municipalities, catalogue, references). */
  return tp_db_json(db,
                    "SELECT to_json(count(*) || ':' ||"
                    " coalesce(sum(hashtextextended(uuid::text || ':' || xmin::text, 0)), 0))::text"
                    " FROM teamprofielen",
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
