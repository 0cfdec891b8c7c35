/* Team profiles: a municipality's own online team (token, scopes,
 * municipality binding, If-Match, Idempotency-Key) and the public
 * reference profiles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uuid/uuid.h>

#include "change.h"
#include "collection.h"
#include "team_input.h"
#include "teamprofielen.h"

#include "teamplotter/app.h"
#include "teamplotter/auth.h"
#include "teamplotter/hash.h"
#include "teamplotter/paging.h"
#include "teamplotter/routes.h"
#include "teamplotter/snapshot.h"
#include "teamplotter/team.h"
#include "teamplotter/teamprofielen_repo.h"
#include "teamplotter/text.h"

static const char SCOPE_LEZEN[] = "teamprofielen.lezen";
static const char SCOPE_SCHRIJVEN[] = "teamprofielen.schrijven";
static const char SCOPE_AUDIT[] = "audittrail.lezen";

static void list_teamprofielen(struct tp_ctx *ctx) {
  json_t *principal = NULL;
  if (tp_auth(ctx, &principal) == TP_ANSWERED) return;
  if (principal != NULL && !tp_principal_has_scope(principal, SCOPE_LEZEN)) {
    tp_problem(ctx, 403, NULL, "Deze client mist de scope '%s'.", SCOPE_LEZEN);
    json_decref(principal);
    return;
  }
  struct tp_params params;
  struct tp_paging paging;
  struct tp_teamprofielen_query q = {.referentie = -1};
  tp_params_parse(&params, ctx->query);
  tp_paging_read(&params, &paging);
  tp_param_bool(&params, "referentie", &q.referentie);
  tp_param_text(&params, "gemeente", 6, 6, &q.gemeente);
  tp_param_date(&params, "peildatumVanaf", &q.vanaf);
  tp_param_date(&params, "peildatumTot", &q.tot);
  if (principal == NULL && tp_params_finish(&params) == 0 && q.referentie != 1) {
    tp_problem(ctx, 401, NULL,
               "Zonder token zijn alleen de referentieprofielen te lezen (referentie=true).");
  } else {
    q.alle_gemeenten = json_is_true(json_object_get(principal, "alleGemeenten"));
    q.gemeenten = json_object_get(principal, "gemeenten");
    tp_api_list(ctx, &params, &paging, tp_repo_teamprofielen_page, &q);
  }
  tp_params_free(&params);
  json_decref(principal);
}

/* The profile named by the path into *doc (new reference), or TP_ANSWERED
 * after answering 404/503. Query parameters are refused. */
/* After a write, whatever its outcome: what this replica keeps per
 * municipality's profiles is not served any more (its listener hears of
 * other replicas' writes, and of this one's a moment later). */
static void profiles_written(struct tp_ctx *ctx) {
  tp_snapshots_profiles_changed(ctx->app->snapshots);
}

static tp_step load_profile(struct tp_ctx *ctx, json_t **doc) {
  uuid_t parsed;
  *doc = NULL;
  if (tp_no_query(ctx) == TP_ANSWERED) return TP_ANSWERED;
  /* Anything that is not a UUID cannot name a profile. */
  if (uuid_parse(tp_path_var(ctx, 0), parsed) != 0) {
    tp_problem(ctx, 404, NULL, "Dit teamprofiel bestaat niet.");
    return TP_ANSWERED;
  }
  tp_rc rc = tp_api_fetch(ctx, tp_repo_teamprofiel, tp_path_var(ctx, 0), doc);
  if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "Dit teamprofiel");
    return TP_ANSWERED;
  }
  return TP_GO_ON;
}

static const char *gemeente_of(const json_t *doc) {
  return json_string_value(json_object_get(doc, "gemeente"));
}

/* Answers 403 unless the principal may act for `gemeente`, the
 * municipality a body names: the caller's own words, so they may be
 * echoed. */
static tp_step forbidden_for(struct tp_ctx *ctx, const json_t *principal, const char *gemeente) {
  if (tp_principal_may(principal, gemeente)) return TP_GO_ON;
  tp_problem(ctx, 403, NULL, "Deze client mag niet namens gemeente %s optreden.",
             gemeente ? gemeente : "?");
  return TP_ANSWERED;
}

/* Answers 403 unless the principal may act for the municipality a stored
 * profile (or its audit trail) belongs to. The answer never names it: that
 * would tell anyone with a token whose profile a uuid is. */
static tp_step forbidden_profile(struct tp_ctx *ctx, const json_t *principal,
                                 const char *gemeente) {
  if (tp_principal_may(principal, gemeente)) return TP_GO_ON;
  tp_problem(ctx, 403, NULL, "Deze client heeft geen toegang tot dit teamprofiel.");
  return TP_ANSWERED;
}

tp_step tp_api_readable_teamprofiel(struct tp_ctx *ctx, json_t **doc) {
  json_t *principal = NULL;
  if (load_profile(ctx, doc) == TP_ANSWERED) return TP_ANSWERED;
  tp_step step;
  if (json_is_true(json_object_get(*doc, "referentie"))) {
    /* Public, but a token that is sent must still be valid. */
    step = tp_auth(ctx, &principal);
  } else {
    step = tp_auth_require(ctx, SCOPE_LEZEN, &principal);
    if (step == TP_GO_ON) step = forbidden_profile(ctx, principal, gemeente_of(*doc));
  }
  json_decref(principal);
  if (step == TP_ANSWERED) {
    json_decref(*doc);
    *doc = NULL;
  }
  return step;
}

static void get_teamprofiel(struct tp_ctx *ctx) {
  json_t *doc = NULL;
  if (tp_api_readable_teamprofiel(ctx, &doc) == TP_ANSWERED) return;
  tp_respond_json(ctx, 200, doc);
  json_decref(doc);
}

enum write { WRITE_CREATE, WRITE_REPLACE, WRITE_DELETE };

/* The COMMIT of a write on profile `uuid` was sent and never confirmed: it
 * may be stored or not. 504 naming the profile to check; never "try
 * again", which could store it twice, unless with the same
 * Idempotency-Key (`keyed`). */
static void outcome_unknown(struct tp_ctx *ctx, enum write write, const char *uuid, int keyed) {
  json_t *members = json_pack("{s:s}", "teamprofiel", uuid);
  switch (write) {
  case WRITE_CREATE:
    if (keyed) {
      tp_problem_with(ctx, 504, NULL, members,
                      "Het is onbekend of teamprofiel %s is vastgelegd: de database bevestigde "
                      "het niet op tijd. Opnieuw sturen met dezelfde Idempotency-Key en dezelfde "
                      "body is veilig: u krijgt dan het antwoord op dit verzoek, of 409 zolang "
                      "het nog loopt. Of kijk met GET /api/v1/teamprofielen/%s of het er is.",
                      uuid, uuid);
    } else {
      tp_problem_with(ctx, 504, NULL, members,
                      "Het is onbekend of teamprofiel %s is vastgelegd: de database bevestigde "
                      "het niet op tijd. Kijk met GET /api/v1/teamprofielen/%s of het er is "
                      "voordat u het opnieuw stuurt; anders staat het er misschien twee keer. "
                      "Met een Idempotency-Key is opnieuw sturen altijd veilig.",
                      uuid, uuid);
    }
    break;
  case WRITE_REPLACE:
    tp_problem_with(ctx, 504, NULL, members,
                    "Het is onbekend of de wijziging van teamprofiel %s is opgeslagen: de "
                    "database bevestigde haar niet op tijd. Haal het op met "
                    "GET /api/v1/teamprofielen/%s. Opnieuw sturen met dezelfde If-Match is "
                    "veilig: was de wijziging al opgeslagen, dan volgt 412.",
                    uuid, uuid);
    break;
  case WRITE_DELETE:
    tp_problem_with(ctx, 504, NULL, members,
                    "Het is onbekend of teamprofiel %s is verwijderd: de database bevestigde het "
                    "niet op tijd. GET /api/v1/teamprofielen/%s geeft 404 als het weg is. "
                    "Opnieuw sturen met dezelfde If-Match is veilig: was het al verwijderd, dan "
                    "volgt 404.",
                    uuid, uuid);
    break;
  }
  json_decref(members);
}

/* Answers PUT (with `doc`) or DELETE of profile `uuid`. */
static void answer_change(struct tp_ctx *ctx, enum write write, const char *uuid, tp_rc rc,
                          const json_t *doc) {
  if (rc == TP_ERR_OUTCOME_UNKNOWN) {
    outcome_unknown(ctx, write, uuid, 0);
  } else if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "Dit teamprofiel");
  } else if (write == WRITE_DELETE) {
    tp_respond_empty(ctx, 204);
  } else {
    tp_respond_json(ctx, 200, doc);
  }
}

/* Reads the Idempotency-Key header into `key` (its content) when it is
 * there; *keyed says whether it is. TP_ANSWERED after answering 400. */
static tp_step read_idempotency_key(struct tp_ctx *ctx, char key[TP_IDEMPOTENCY_KEY_MAX + 1],
                                    int *keyed) {
  const char *value = tp_header(ctx, "Idempotency-Key");
  *keyed = 0;
  if (value == NULL) return TP_GO_ON;
  switch (tp_sf_string(value, key, TP_IDEMPOTENCY_KEY_MAX)) {
  case TP_SF_OK:
    *keyed = 1;
    return TP_GO_ON;
  case TP_SF_MALFORMED:
    tp_problem_invalid(ctx, "Idempotency-Key", "invalid-format",
                       "Verwacht één string tussen dubbele aanhalingstekens van printbare "
                       "ASCII-tekens, zoals \"8e03978e-40d5-43e8-bc93-6894a57f9324\".");
    return TP_ANSWERED;
  default:
    tp_problem_invalid(ctx, "Idempotency-Key", "invalid-length",
                       "De sleutel moet 1 tot en met 255 tekens lang zijn.");
    return TP_ANSWERED;
  }
}

/* Answers a create, first or replayed. */
static void answer_create(struct tp_ctx *ctx, tp_rc rc, const struct tp_created *created,
                          int keyed) {
  if (rc == TP_ERR_OUTCOME_UNKNOWN) {
    outcome_unknown(ctx, WRITE_CREATE, created->uuid, keyed);
  } else if (rc == TP_ERR_CONFLICT && created->key_state == TP_KEY_RUNNING) {
    tp_problem(ctx, 409, "idempotency-key-in-use",
               "Een eerder verzoek met deze Idempotency-Key loopt nog. Stuur dit verzoek zo "
               "opnieuw met dezelfde sleutel: dan krijgt u het antwoord op dat eerdere verzoek.");
  } else if (rc == TP_ERR_CONFLICT && created->key_state == TP_KEY_OTHER_BODY) {
    tp_problem(ctx, 409, "idempotency-key-reused",
               "Deze Idempotency-Key hoort bij een eerder verzoek met een andere body (de "
               "laatste 24 uur). Gebruik voor een nieuw verzoek een nieuwe sleutel.");
  } else if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "Dit teamprofiel");
  } else {
    tp_set_header(ctx, "Location", created->location);
    tp_respond_tagged(ctx, created->status, "application/json", created->body,
                      strlen(created->body), created->etag);
  }
}

static void create_teamprofiel(struct tp_ctx *ctx) {
  json_t *principal = NULL, *body = NULL;
  struct tp_change who;
  char key_text[TP_IDEMPOTENCY_KEY_MAX + 1], fingerprint[TP_SHA256_HEX_LEN + 1];
  struct tp_idempotency key = {key_text, fingerprint};
  struct tp_created created = {.status = 201, .body = NULL};
  int keyed = 0;
  if (tp_auth_require(ctx, SCOPE_SCHRIJVEN, &principal) == TP_ANSWERED ||
      tp_api_change_of(ctx, principal, &who) == TP_ANSWERED ||
      read_idempotency_key(ctx, key_text, &keyed) == TP_ANSWERED ||
      tp_api_read_team(ctx, TP_TEAM_TEAMPROFIEL, &body) == TP_ANSWERED ||
      forbidden_for(ctx, principal, gemeente_of(body)) == TP_ANSWERED) {
    goto done;
  }
  /* The body as sent, byte for byte: a retry sends the same bytes. */
  if (keyed && tp_sha256_hex(ctx->req->binary_body, ctx->req->binary_body_length,
                             fingerprint) != 0) {
    tp_problem_rc(ctx, TP_ERR_NOMEM, "");
    goto done;
  }
  /* Chosen here, so that an answer whose COMMIT was lost can name it. */
  uuid_t raw;
  uuid_generate_random(raw);
  uuid_unparse_lower(raw, created.uuid);
  snprintf(created.location, sizeof(created.location), "/api/v1/teamprofielen/%s", created.uuid);
  struct tp_db *db = NULL;
  tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) rc = tp_repo_teamprofiel_create(db, body, &who, keyed ? &key : NULL, &created);
  tp_pool_release(ctx->app->pool, db);
  profiles_written(ctx);
  answer_create(ctx, rc, &created, keyed);
done:
  free(created.body);
  json_decref(body);
  json_decref(principal);
}

/* The checks PUT and DELETE share: token and scope (*principal), If-Match
 * present, the profile exists, is not a reference profile and belongs to
 * the caller. *current receives the current document, or TP_ANSWERED. The
 * caller json_decrefs both either way. */
static tp_step writable_profile(struct tp_ctx *ctx, json_t **principal, struct tp_change *who,
                                json_t **current) {
  *current = NULL;
  if (tp_auth_require(ctx, SCOPE_SCHRIJVEN, principal) == TP_ANSWERED ||
      tp_api_change_of(ctx, *principal, who) == TP_ANSWERED) {
    return TP_ANSWERED;
  }
  const char *if_match = tp_header(ctx, "If-Match");
  if (if_match == NULL || if_match[strspn(if_match, " \t")] == '\0') {
    tp_problem(ctx, 428, NULL, "Stuur If-Match met de ETag van het profiel dat u wijzigt.");
    return TP_ANSWERED;
  }
  if (load_profile(ctx, current) == TP_ANSWERED) return TP_ANSWERED;
  if (json_is_true(json_object_get(*current, "referentie"))) {
    tp_problem(ctx, 403, NULL,
               "Referentieprofielen veranderen alleen met 'teamplotter import referentieteams'.");
    return TP_ANSWERED;
  }
  return forbidden_profile(ctx, *principal, gemeente_of(*current));
}

static void replace_teamprofiel(struct tp_ctx *ctx) {
  json_t *principal = NULL, *body = NULL, *doc = NULL, *current = NULL;
  struct tp_change who;
  if (writable_profile(ctx, &principal, &who, &current) == TP_ANSWERED ||
      tp_api_read_team(ctx, TP_TEAM_TEAMPROFIEL, &body) == TP_ANSWERED ||
      forbidden_for(ctx, principal, gemeente_of(body)) == TP_ANSWERED) {
    goto done;
  }
  struct tp_db *db = NULL;
  tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) {
    rc = tp_repo_teamprofiel_replace(db, tp_path_var(ctx, 0), tp_header(ctx, "If-Match"), body,
                                     &who, &doc);
  }
  tp_pool_release(ctx->app->pool, db);
  profiles_written(ctx);
  answer_change(ctx, WRITE_REPLACE, tp_path_var(ctx, 0), rc, doc);
done:
  json_decref(doc);
  json_decref(body);
  json_decref(current);
  json_decref(principal);
}

static void delete_teamprofiel(struct tp_ctx *ctx) {
  json_t *principal = NULL, *current = NULL;
  struct tp_change who;
  if (writable_profile(ctx, &principal, &who, &current) == TP_GO_ON) {
    struct tp_db *db = NULL;
    tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
    if (rc == TP_OK) {
      rc = tp_repo_teamprofiel_delete(db, tp_path_var(ctx, 0), tp_header(ctx, "If-Match"), &who);
    }
    tp_pool_release(ctx->app->pool, db);
    profiles_written(ctx);
    answer_change(ctx, WRITE_DELETE, tp_path_var(ctx, 0), rc, NULL);
  }
  json_decref(current);
  json_decref(principal);
}

static void list_audittrail(struct tp_ctx *ctx) {
  json_t *principal = NULL;
  if (tp_auth_require(ctx, SCOPE_AUDIT, &principal) == TP_ANSWERED) return;
  uuid_t parsed;
  const char *uuid = tp_path_var(ctx, 0);
  struct tp_params params;
  struct tp_paging paging;
  tp_params_parse(&params, ctx->query);
  tp_paging_read(&params, &paging);
  if (uuid_parse(uuid, parsed) != 0) {
    tp_problem(ctx, 404, NULL, "Dit teamprofiel bestaat niet.");
    goto done;
  }
  /* The trail outlives its profile: its newest entry says which
   * municipality it belongs to now. */
  json_t *gemeente = NULL;
  tp_rc rc = tp_api_fetch(ctx, tp_repo_audittrail_gemeente, uuid, &gemeente);
  if (rc == TP_ERR_NOT_FOUND) {
    tp_problem(ctx, 404, NULL, "Voor dit teamprofiel is geen audittrail.");
  } else if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "Deze audittrail");
  } else if (forbidden_profile(ctx, principal, json_string_value(gemeente)) == TP_GO_ON) {
    tp_api_list(ctx, &params, &paging, tp_repo_audittrail_page, uuid);
  }
  json_decref(gemeente);
done:
  tp_params_free(&params);
  json_decref(principal);
}

/* Without a token the reads answer the reference profiles alone: public. */
const struct tp_route tp_routes_teamprofielen[] = {
    {"GET", "/api/v1/teamprofielen", list_teamprofielen, NULL, TP_ROUTE_PUBLIC},
    {"POST", "/api/v1/teamprofielen", create_teamprofiel, NULL, TP_ROUTE_JSON_BODY},
    {"GET", "/api/v1/teamprofielen/{uuid}", get_teamprofiel, NULL, TP_ROUTE_PUBLIC},
    {"PUT", "/api/v1/teamprofielen/{uuid}", replace_teamprofiel, NULL, TP_ROUTE_JSON_BODY},
    {"DELETE", "/api/v1/teamprofielen/{uuid}", delete_teamprofiel, NULL, 0},
    {"GET", "/api/v1/teamprofielen/{uuid}/audittrail", list_audittrail, NULL, TP_ROUTE_TOKEN},
    {0},
};
