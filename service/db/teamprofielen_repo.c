/* Team profiles: reads, transactional writes with their audit entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orcania.h>

#include "teamplotter/teamprofielen_repo.h"

#include "pg.h"

#include "teamplotter/render.h"
#include "teamplotter/repo.h"

/* Newest first within a municipality; the uuid makes the order total.
 * A caller sees reference profiles and those of its own municipalities. */
static const char TEAMPROFIELEN_PAGE[] = TP_PAGE_SQL(
    "SELECT gemeente, peildatum, uuid, doc FROM api_teamprofielen"
    " WHERE ($1::boolean IS NULL OR referentie = $1)"
    " AND ($2::text IS NULL OR gemeente = $2)"
    " AND ($3::date IS NULL OR peildatum >= $3::date)"
    " AND ($4::date IS NULL OR peildatum <= $4::date)"
    " AND (referentie OR $5::boolean"
    "      OR gemeente IN (SELECT json_array_elements_text($6::json)))",
    "gemeente, peildatum DESC, uuid", "$7", "$8",
    "CASE WHEN $2::text IS NULL OR EXISTS (SELECT 1 FROM gemeenten WHERE code = $2)"
    " THEN '[]'::json ELSE json_build_array('gemeente') END");

tp_rc tp_repo_teamprofielen_page(struct tp_db *db, const void *filter, long limit, long offset,
                                 json_t **page) {
  const struct tp_teamprofielen_query *q = filter;
  char *codes = q->gemeenten ? tp_json_render(q->gemeenten) : NULL;
  /* "[]" stands only for a caller without municipalities, never for a
   * list that could not be rendered. */
  if (q->gemeenten != NULL && codes == NULL) return TP_ERR_NOMEM;
  const char *params[8] = {tp_db_bool(q->referentie), q->gemeente, q->vanaf, q->tot,
                           q->alle_gemeenten ? "true" : "false", codes ? codes : "[]"};
  tp_rc rc = tp_db_page(db, TEAMPROFIELEN_PAGE, 6, params, limit, offset, page);
  free(codes);
  return rc;
}

tp_rc tp_repo_teamprofiel(struct tp_db *db, const char *uuid, json_t **doc) {
  const char *params[] = {uuid};
  return tp_db_json(db, "SELECT doc::text FROM api_teamprofielen WHERE uuid = $1::uuid", 1, params,
                    doc);
}

tp_rc tp_repo_known_codes(struct tp_db *db, json_t **out) {
  return tp_db_json(
      db,
      "SELECT json_build_object("
      "'gemeenten', (SELECT json_agg(code ORDER BY code COLLATE \"C\") FROM gemeenten),"
      "'rollen', (SELECT json_agg(code ORDER BY code COLLATE \"C\") FROM rollen"
      " WHERE NOT vervallen),"
      "'competenties', (SELECT json_agg(code ORDER BY code COLLATE \"C\") FROM competenties"
      " WHERE NOT vervallen)"
      ")::text",
      0, NULL, out);
}

/* --- writes --------------------------------------------------------------- */

/* Inserts the members, their roles and competencies of `leden` (JSON text)
 * for profile `uuid`, set-based. */
static tp_rc insert_members(struct tp_db *db, const char *uuid, const char *leden) {
  const char *params[] = {uuid, leden};
  tp_rc rc = tp_db_run(db,
                  "INSERT INTO teamleden (profiel, volgnummer, label, fte)"
                  " SELECT $1::uuid, m.ord - 1, m.v->>'label', (m.v->>'fte')::numeric"
                  " FROM json_array_elements($2::json) WITH ORDINALITY AS m(v, ord)",
                  2, params);
  if (rc == TP_OK) {
    rc = tp_db_run(db,
              "INSERT INTO teamlid_rollen (profiel, volgnummer, rol, aandeel, volgorde)"
              " SELECT $1::uuid, m.ord - 1, r.v->>'rol', (r.v->>'aandeel')::numeric, r.ord - 1"
              " FROM json_array_elements($2::json) WITH ORDINALITY AS m(v, ord),"
              " json_array_elements(m.v->'rollen') WITH ORDINALITY AS r(v, ord)",
              2, params);
  }
  if (rc == TP_OK) {
    rc = tp_db_run(db,
              "INSERT INTO teamlid_competenties (profiel, volgnummer, competentie, niveau, volgorde)"
              " SELECT $1::uuid, m.ord - 1, c.v->>'code', (c.v->>'niveau')::smallint, c.ord - 1"
              " FROM json_array_elements($2::json) WITH ORDINALITY AS m(v, ord),"
              " json_array_elements(coalesce(m.v->'competenties', '[]'::json))"
              " WITH ORDINALITY AS c(v, ord)",
              2, params);
  }
  return rc;
}

static tp_rc audit(struct tp_db *db, const char *uuid, const char *gemeente, const char *actie,
                   const char *resultaat, const struct tp_change *who, const json_t *oud,
                   const json_t *nieuw) {
  char *old_text = oud ? tp_json_render(oud) : NULL;
  char *new_text = nieuw ? tp_json_render(nieuw) : NULL;
  const char *params[] = {uuid, gemeente, who->client_id, actie, resultaat, who->toelichting,
                          old_text, new_text};
  tp_rc rc = tp_db_run(db,
                  "INSERT INTO audittrail"
                  " (profiel, gemeente, client_id, actie, resultaat, toelichting, oud, nieuw)"
                  " VALUES ($1::uuid, $2, $3, $4, $5::smallint, $6, $7::json, $8::json)",
                  8, params);
  free(old_text);
  free(new_text);
  return rc;
}

static const char *str(const json_t *body, const char *key) {
  return json_string_value(json_object_get(body, key));
}

/* --- Idempotency-Key ------------------------------------------------------ */

static void copy(char *dst, size_t size, const char *src) {
  snprintf(dst, size, "%s", src ? src : "");
}

/* Claims `key` of client `client` for this transaction. TP_OK with
 * TP_KEY_NEW when no live record holds it (an expired one is replaced): the
 * caller writes, and keep_answer records the answer before COMMIT. TP_OK
 * with TP_KEY_REPLAYED and `out` filled with the stored answer, or
 * TP_ERR_CONFLICT with TP_KEY_RUNNING or TP_KEY_OTHER_BODY, when there is
 * nothing to write. */
static tp_rc claim_key(struct tp_db *db, const char *client, const struct tp_idempotency *key,
                       struct tp_created *out) {
  const char *params[] = {client, key->key, key->fingerprint};
  json_t *found = NULL;
  /* Never wait for a request with the same key: whoever holds this lock
   * until its COMMIT or ROLLBACK is that request. */
  tp_rc rc = tp_db_json(db,
                        "SELECT to_json(pg_try_advisory_xact_lock(hashtextextended("
                        "'idempotentiesleutel ' || $1 || ' ' || $2, 0)))::text",
                        2, params, &found);
  int locked = json_is_true(found);
  json_decref(found);
  found = NULL;
  if (rc == TP_OK && !locked) {
    out->key_state = TP_KEY_RUNNING;
    return TP_ERR_CONFLICT;
  }
  if (rc == TP_OK) {
    rc = tp_db_json(db,
                    "INSERT INTO idempotentiesleutels (client_id, sleutel, vingerafdruk)"
                    " VALUES ($1, $2, $3) ON CONFLICT (client_id, sleutel) DO UPDATE SET"
                    " vingerafdruk = EXCLUDED.vingerafdruk, aangemaakt = DEFAULT,"
                    " verloopt = DEFAULT, status = NULL, teamprofiel = NULL, etag = NULL,"
                    " location = NULL, antwoord = NULL"
                    " WHERE idempotentiesleutels.verloopt <= now() RETURNING 'true'",
                    3, params, &found);
    json_decref(found);
    if (rc == TP_OK) return TP_OK; /* TP_KEY_NEW */
  }
  if (rc != TP_ERR_NOT_FOUND) return rc;
  /* A live record: committed, since its writer no longer holds the lock. */
  rc = tp_db_json(db,
                  "SELECT json_build_object('andereBody', vingerafdruk <> $3, 'status', status,"
                  " 'teamprofiel', teamprofiel, 'etag', etag, 'location', location,"
                  " 'antwoord', antwoord)::text"
                  " FROM idempotentiesleutels WHERE client_id = $1 AND sleutel = $2",
                  3, params, &found);
  const char *body = json_string_value(json_object_get(found, "antwoord"));
  if (rc == TP_ERR_NOT_FOUND || (rc == TP_OK && body == NULL)) {
    /* Gone or unanswered since the claim: as good as still running. */
    out->key_state = TP_KEY_RUNNING;
    rc = TP_ERR_CONFLICT;
  } else if (rc == TP_OK && json_is_true(json_object_get(found, "andereBody"))) {
    out->key_state = TP_KEY_OTHER_BODY;
    rc = TP_ERR_CONFLICT;
  } else if (rc == TP_OK) {
    out->key_state = TP_KEY_REPLAYED;
    out->status = (int)json_integer_value(json_object_get(found, "status"));
    copy(out->uuid, sizeof(out->uuid), str(found, "teamprofiel"));
    copy(out->etag, sizeof(out->etag), str(found, "etag"));
    copy(out->location, sizeof(out->location), str(found, "location"));
    out->body = strdup(body);
    if (out->body == NULL) rc = TP_ERR_NOMEM;
  }
  json_decref(found);
  return rc;
}

/* Renders the stored profile `doc` as the answer's body and ETag and, with
 * a key, records the answer under it. */
static tp_rc keep_answer(struct tp_db *db, const char *client, const struct tp_idempotency *key,
                         const json_t *doc, struct tp_created *out) {
  out->body = tp_json_render(doc);
  if (out->body == NULL || tp_etag_of_bytes(out->body, strlen(out->body), out->etag) != 0) {
    return TP_ERR_NOMEM;
  }
  if (key == NULL) return TP_OK;
  char status[8];
  snprintf(status, sizeof(status), "%d", out->status);
  const char *params[] = {client, key->key, status, out->uuid, out->etag, out->location,
                          out->body};
  return tp_db_run(db,
              "UPDATE idempotentiesleutels SET status = $3::smallint, teamprofiel = $4::uuid,"
              " etag = $5, location = $6, antwoord = $7 WHERE client_id = $1 AND sleutel = $2",
              7, params);
}

tp_rc tp_repo_idempotency_purge(struct tp_db *db, long limit, long *purged) {
  *purged = 0;
  if (limit < 1 || limit > TP_IDEMPOTENCY_PURGE_MAX) return TP_ERR_PARAM;
  char lim[24];
  snprintf(lim, sizeof(lim), "%ld", limit);
  const char *params[] = {lim};
  json_t *n = NULL;
  /* SKIP LOCKED: a record a request is renewing right now stays for it.
   * MATERIALIZED: picked once; a subquery the plan rescans per row would
   * pick (and delete) more than the limit. */
  tp_rc rc = tp_db_json(db,
                        "WITH oud AS MATERIALIZED (SELECT client_id, sleutel"
                        " FROM idempotentiesleutels WHERE verloopt <= now() ORDER BY verloopt"
                        " LIMIT $1::integer FOR UPDATE SKIP LOCKED),"
                        " weg AS (DELETE FROM idempotentiesleutels k USING oud"
                        " WHERE k.client_id = oud.client_id AND k.sleutel = oud.sleutel RETURNING 1)"
                        " SELECT to_json(count(*))::text FROM weg",
                        1, params, &n);
  if (rc == TP_OK) *purged = (long)json_integer_value(n);
  json_decref(n);
  return rc;
}

/* --- writes of profiles ------------------------------------------------------ */

struct create {
  const json_t *body;
  const struct tp_change *who;
  const struct tp_idempotency *key;
  char *leden; /* JSON text */
  struct tp_created *out;
};

static tp_rc create_in(struct tp_db *db, void *arg) {
  const struct create *c = arg;
  struct tp_created *out = c->out;
  json_t *doc = NULL;
  free(out->body);
  out->body = NULL;
  out->key_state = TP_KEY_NEW;
  tp_rc rc = c->key != NULL ? claim_key(db, c->who->client_id, c->key, out) : TP_OK;
  /* Nothing to write: a replay, a conflict or an error. */
  if (rc != TP_OK || out->key_state != TP_KEY_NEW) return rc;
  const char *params[] = {out->uuid, str(c->body, "gemeente"), str(c->body, "peildatum"),
                          str(c->body, "toelichting"), c->who->client_id};
  rc = tp_db_run(db,
            "INSERT INTO teamprofielen (uuid, gemeente, peildatum, herkomst, toelichting, client_id)"
            " VALUES ($1::uuid, $2, $3::date, 'opgave', $4, $5)",
            5, params);
  if (rc == TP_OK) rc = insert_members(db, out->uuid, c->leden);
  if (rc == TP_OK) rc = tp_repo_teamprofiel(db, out->uuid, &doc);
  if (rc == TP_OK) {
    rc = audit(db, out->uuid, str(c->body, "gemeente"), "create", "201", c->who, NULL, doc);
  }
  if (rc == TP_OK) rc = keep_answer(db, c->who->client_id, c->key, doc, out);
  json_decref(doc);
  return rc;
}

tp_rc tp_repo_teamprofiel_create(struct tp_db *db, const json_t *body, const struct tp_change *who,
                                 const struct tp_idempotency *key, struct tp_created *out) {
  struct create c = {body, who, key, tp_json_render(json_object_get(body, "leden")), out};
  out->body = NULL;
  out->key_state = TP_KEY_NEW;
  tp_rc rc = c.leden ? tp_db_transaction(db, create_in, &c) : TP_ERR_NOMEM;
  if (rc != TP_OK) {
    free(out->body);
    out->body = NULL;
  }
  free(c.leden);
  return rc;
}

/* Locks profile `uuid` (not a reference profile) and checks its ETag;
 * *current receives its document. */
static tp_rc lock_current(struct tp_db *db, const char *uuid, const char *if_match,
                          json_t **current) {
  const char *params[] = {uuid};
  json_t *found = NULL;
  tp_rc rc = tp_db_json(db,
                        "SELECT json_build_object('uuid', uuid)::text FROM teamprofielen"
                        " WHERE uuid = $1::uuid AND NOT referentie FOR UPDATE",
                        1, params, &found);
  json_decref(found);
  if (rc == TP_OK) rc = tp_repo_teamprofiel(db, uuid, current);
  if (rc == TP_OK) {
    char etag[TP_ETAG_LEN + 1];
    if (tp_etag_of_json(*current, etag) != 0) {
      rc = TP_ERR_NOMEM;
    } else if (!tp_etag_list_has(if_match, etag, 0)) {
      rc = TP_ERR_PRECONDITION;
    }
  }
  return rc;
}

struct change {
  const char *uuid, *if_match;
  const json_t *body; /* NULL: a delete */
  const struct tp_change *who;
  char *leden;       /* JSON text of the body's members */
  json_t **doc;      /* the stored profile after a replace */
};

static tp_rc replace_in(struct tp_db *db, void *arg) {
  const struct change *c = arg;
  json_t *current = NULL;
  json_decref(*c->doc);
  *c->doc = NULL;
  tp_rc rc = lock_current(db, c->uuid, c->if_match, &current);
  const char *params[] = {c->uuid, str(c->body, "gemeente"), str(c->body, "peildatum"),
                          str(c->body, "toelichting"), c->who->client_id};
  if (rc == TP_OK) {
    rc = tp_db_run(db,
              "UPDATE teamprofielen SET gemeente = $2, peildatum = $3::date, toelichting = $4,"
              " client_id = $5, versie = versie + 1, gewijzigd = now() WHERE uuid = $1::uuid",
              5, params);
  }
  if (rc == TP_OK) rc = tp_db_run(db, "DELETE FROM teamleden WHERE profiel = $1::uuid", 1, params);
  if (rc == TP_OK) rc = insert_members(db, c->uuid, c->leden);
  if (rc == TP_OK) rc = tp_repo_teamprofiel(db, c->uuid, c->doc);
  if (rc == TP_OK) {
    rc = audit(db, c->uuid, str(c->body, "gemeente"), "update", "200", c->who, current, *c->doc);
  }
  json_decref(current);
  return rc;
}

tp_rc tp_repo_teamprofiel_replace(struct tp_db *db, const char *uuid, const char *if_match,
                                  const json_t *body, const struct tp_change *who, json_t **doc) {
  struct change c = {uuid, if_match, body, who, tp_json_render(json_object_get(body, "leden")),
                     doc};
  *doc = NULL;
  tp_rc rc = c.leden ? tp_db_transaction(db, replace_in, &c) : TP_ERR_NOMEM;
  if (rc != TP_OK) {
    json_decref(*doc);
    *doc = NULL;
  }
  free(c.leden);
  return rc;
}

static tp_rc delete_in(struct tp_db *db, void *arg) {
  const struct change *c = arg;
  json_t *current = NULL;
  tp_rc rc = lock_current(db, c->uuid, c->if_match, &current);
  const char *params[] = {c->uuid};
  if (rc == TP_OK) rc = tp_db_run(db, "DELETE FROM teamprofielen WHERE uuid = $1::uuid", 1, params);
  if (rc == TP_OK) {
    rc = audit(db, c->uuid, str(current, "gemeente"), "destroy", "204", c->who, current, NULL);
  }
  json_decref(current);
  return rc;
}

tp_rc tp_repo_teamprofiel_delete(struct tp_db *db, const char *uuid, const char *if_match,
                                 const struct tp_change *who) {
  struct change c = {uuid, if_match, NULL, who, NULL, NULL};
  return tp_db_transaction(db, delete_in, &c);
}

static const char AUDITTRAIL_PAGE[] = TP_PAGE_SQL(
    "SELECT volgnummer, json_build_object("
    " 'uuid', uuid, 'teamprofiel', profiel, 'gemeente', gemeente, 'clientId', client_id,"
    " 'actie', actie, 'resultaat', resultaat, 'toelichting', toelichting,"
    " 'aanmaakdatum', to_char(aanmaakdatum AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
    " 'oud', oud, 'nieuw', nieuw) AS doc"
    " FROM audittrail WHERE profiel = $1::uuid",
    "volgnummer", "$2", "$3", TP_NONE_UNKNOWN);

tp_rc tp_repo_audittrail_gemeente(struct tp_db *db, const char *uuid, json_t **out) {
  const char *params[] = {uuid};
  return tp_db_json(db,
                    "SELECT to_json(gemeente)::text FROM audittrail WHERE profiel = $1::uuid"
                    " ORDER BY volgnummer DESC LIMIT 1",
                    1, params, out);
}

tp_rc tp_repo_audittrail_page(struct tp_db *db, const void *uuid, long limit, long offset,
                              json_t **page) {
  const char *params[3] = {uuid};
  return tp_db_page(db, AUDITTRAIL_PAGE, 1, params, limit, offset, page);
}

/* Oldest first, so that an interrupted purge leaves the newest rows; the
 * index on aanmaakdatum finds them. The batch is chosen once
 * (MATERIALIZED): as `uuid IN (... LIMIT n)` the planner may run the
 * subquery again for every row, and then deletes more than n. */
static const char AUDITTRAIL_PURGE[] =
    "WITH oud AS MATERIALIZED (SELECT uuid FROM audittrail"
    " WHERE aanmaakdatum < now() - make_interval(days => $1::int)"
    " ORDER BY aanmaakdatum LIMIT $2::int FOR UPDATE SKIP LOCKED),"
    " weg AS (DELETE FROM audittrail a USING oud WHERE a.uuid = oud.uuid RETURNING 1)"
    " SELECT json_build_object('n', count(*))::text FROM weg";

tp_rc tp_repo_audittrail_purge(struct tp_db *db, unsigned days, unsigned long max_rows,
                               unsigned long *purged) {
  *purged = 0;
  if (days == 0) return TP_OK;
  char days_text[16];
  snprintf(days_text, sizeof(days_text), "%u", days);
  for (;;) {
    unsigned long batch = TP_AUDIT_PURGE_BATCH;
    if (max_rows > 0 && max_rows - *purged < batch) batch = max_rows - *purged;
    if (batch == 0) return TP_OK;
    char batch_text[24];
    snprintf(batch_text, sizeof(batch_text), "%lu", batch);
    const char *params[] = {days_text, batch_text};
    json_t *row = NULL;
    tp_rc rc = tp_db_json(db, AUDITTRAIL_PURGE, 2, params, &row);
    json_int_t n = json_integer_value(json_object_get(row, "n"));
    json_decref(row);
    if (rc != TP_OK) return rc;
    *purged += (unsigned long)n;
    if ((unsigned long)n < batch) return TP_OK;
  }
}

struct erase {
  const char *uuid, *client_id;
  json_t **out;
};

static tp_rc erase_in(struct tp_db *db, void *arg) {
  const struct erase *e = arg;
  const char *params[] = {e->uuid};
  json_t *newest = NULL;
  json_decref(*e->out);
  *e->out = NULL;
  /* Two erasures of one profile take turns. */
  tp_rc rc = tp_db_json(db,
                        "SELECT json_build_object('gemeente', gemeente)::text FROM audittrail"
                        " WHERE profiel = $1::uuid ORDER BY volgnummer DESC LIMIT 1 FOR UPDATE",
                        1, params, &newest);
  if (rc == TP_OK) {
    rc = tp_db_json(db,
                    "WITH gewist AS (UPDATE audittrail SET oud = NULL, nieuw = NULL,"
                    " toelichting = NULL WHERE profiel = $1::uuid"
                    " AND (oud IS NOT NULL OR nieuw IS NOT NULL OR toelichting IS NOT NULL)"
                    " RETURNING 1)"
                    " SELECT json_build_object('gewist', (SELECT count(*) FROM gewist),"
                    " 'profielBestaat', EXISTS (SELECT 1 FROM teamprofielen"
                    " WHERE uuid = $1::uuid))::text",
                    1, params, e->out);
  }
  if (rc == TP_OK) {
    /* The answers kept for idempotency keys hold the profile as created,
     * labels and note included: they go too. A retry with such a key is a
     * new request (keys last 24 hours; an erasure comes later). */
    json_t *keys = NULL;
    rc = tp_db_json(db,
                    "WITH weg AS (DELETE FROM idempotentiesleutels WHERE teamprofiel = $1::uuid"
                    " RETURNING 1) SELECT count(*)::text FROM weg",
                    1, params, &keys);
    if (rc == TP_OK) {
      json_object_set_new(*e->out, "sleutels", json_integer(json_integer_value(keys)));
    }
    json_decref(keys);
  }
  if (rc == TP_OK && (json_integer_value(json_object_get(*e->out, "gewist")) > 0 ||
                      json_integer_value(json_object_get(*e->out, "sleutels")) > 0)) {
    const struct tp_change who = {e->client_id, NULL};
    rc = audit(db, e->uuid, str(newest, "gemeente"), "erase", "200", &who, NULL, NULL);
  }
  json_decref(newest);
  return rc;
}

tp_rc tp_repo_audittrail_erase(struct tp_db *db, const char *uuid, const char *client_id,
                               json_t **out) {
  struct erase e = {uuid, client_id, out};
  *out = NULL;
  tp_rc rc = tp_db_transaction(db, erase_in, &e);
  if (rc != TP_OK) {
    json_decref(*out);
    *out = NULL;
  }
  return rc;
}

tp_rc tp_repo_referentie_codes(struct tp_db *db, json_t **out) {
  return tp_db_json(
      db,
      "SELECT json_build_object("
      "'referentiegemeenten', (SELECT coalesce(json_agg(code ORDER BY code COLLATE \"C\"),"
      " '[]'::json) FROM gemeenten WHERE referentie),"
      "'bronnen', (SELECT json_agg(id ORDER BY id COLLATE \"C\") FROM bronnen))::text",
      0, NULL, out);
}

/* Inserts one reference profile under a given uuid. */
static tp_rc insert_reference(struct tp_db *db, const char *uuid, const json_t *profiel) {
  char *leden = tp_json_render(json_object_get(profiel, "leden"));
  const json_t *cited = json_object_get(profiel, "bronnen");
  char *bronnen = cited ? tp_json_render(cited) : strdup("[]");
  if (leden == NULL || bronnen == NULL) {
    free(leden);
    free(bronnen);
    return TP_ERR_NOMEM;
  }
  const char *params[] = {uuid, str(profiel, "gemeente"), str(profiel, "peildatum"),
                          str(profiel, "herkomst"), str(profiel, "toelichting")};
  tp_rc rc = tp_db_run(db,
                  "INSERT INTO teamprofielen"
                  " (uuid, gemeente, peildatum, herkomst, toelichting, referentie, client_id)"
                  " VALUES ($1::uuid, $2, $3::date, $4, $5, true, 'import')",
                  5, params);
  if (rc == TP_OK) {
    const char *bron_params[] = {uuid, bronnen};
    rc = tp_db_run(db,
              "INSERT INTO teamprofiel_bronnen (profiel, bron, volgorde)"
              " SELECT $1::uuid, b.id, b.ord - 1"
              " FROM json_array_elements_text($2::json) WITH ORDINALITY AS b(id, ord)",
              2, bron_params);
  }
  if (rc == TP_OK) rc = insert_members(db, uuid, leden);
  free(leden);
  free(bronnen);
  return rc;
}

struct references {
  const json_t *profielen;
  const char *const *uuids;
  const struct tp_referentie_bron *bron;
  json_t **versie;
};

/* Replaces the profiles between the state before and the version that
 * records the difference (migration 0010). */
static tp_rc references_in(struct tp_db *db, void *arg) {
  const struct references *r = arg;
  json_t *state = NULL;
  char *before = NULL;
  json_decref(*r->versie);
  *r->versie = NULL;
  tp_rc rc = tp_db_json(db, "SELECT referenties_begin()::text", 0, NULL, &state);
  if (rc == TP_OK && (before = tp_json_render(state)) == NULL) rc = TP_ERR_NOMEM;
  json_decref(state);
  if (rc == TP_OK) rc = tp_db_run(db, "DELETE FROM teamprofielen WHERE referentie", 0, NULL);
  size_t i;
  json_t *profiel;
  json_array_foreach(r->profielen, i, profiel) {
    if (rc == TP_OK) rc = insert_reference(db, r->uuids[i], profiel);
  }
  if (rc == TP_OK) {
    const char *params[] = {before, r->bron->versie, r->bron->bron, r->bron->toelichting};
    rc = tp_db_json(db, "SELECT referenties_vastleggen($1::json, $2, $3, $4)::text", 4, params,
                    r->versie);
    if (rc == TP_ERR_NOT_FOUND) rc = TP_OK; /* nothing changed */
  }
  free(before);
  return rc;
}

tp_rc tp_repo_referenties_replace(struct tp_db *db, const json_t *profielen, const char *const *uuids,
                                  const struct tp_referentie_bron *bron, json_t **versie) {
  struct references r = {profielen, uuids, bron, versie};
  *versie = NULL;
  tp_rc rc = tp_db_transaction(db, references_in, &r);
  if (rc != TP_OK) {
    json_decref(*versie);
    *versie = NULL;
  }
  return rc;
}
