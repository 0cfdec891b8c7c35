/* Team profiles: a municipality's own online team (token, scopes,
 * municipality binding, If-Match) and the public reference profiles. */
#include <stdio.h>
#include <string.h>

#include <uuid/uuid.h>

#include "teamplotter/api.h"
#include "teamplotter/app.h"
#include "teamplotter/auth.h"
#include "teamplotter/team.h"

static const char SCOPE_LEZEN[] = "teamprofielen.lezen";
static const char SCOPE_SCHRIJVEN[] = "teamprofielen.schrijven";
static const char SCOPE_AUDIT[] = "audittrail.lezen";

/* Reads a date filter, recording a problem when it is not a real date. */
static const char *date_param(struct tp_params *params, const char *name) {
  const char *v = NULL;
  tp_param_text(params, name, 10, 10, &v);
  if (v != NULL && !tp_is_date(v)) {
    tp_params_invalid(params, name, "invalid-date", "Verwacht een bestaande datum als JJJJ-MM-DD.");
    return NULL;
  }
  return v;
}

static void list_teamprofielen(struct tp_ctx *ctx) {
  json_t *principal = NULL;
  enum tp_auth_result auth = tp_auth(ctx, &principal);
  if (auth == TP_AUTH_ANSWERED) return;
  if (auth == TP_AUTH_OK && !tp_principal_has_scope(principal, SCOPE_LEZEN)) {
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
  q.vanaf = date_param(&params, "peildatumVanaf");
  q.tot = date_param(&params, "peildatumTot");
  if (auth == TP_AUTH_ANONYMOUS && tp_params_finish(&params) == 0 && q.referentie != 1) {
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

/* The profile named by the path, or NULL after answering 404/503. Query
 * parameters are refused. */
static json_t *load_profile(struct tp_ctx *ctx) {
  uuid_t parsed;
  if (tp_no_query(ctx) != 0) return NULL;
  /* Anything that is not a UUID cannot name a profile. */
  if (uuid_parse(tp_path_var(ctx, 0), parsed) != 0) {
    tp_problem(ctx, 404, NULL, "Dit teamprofiel bestaat niet.");
    return NULL;
  }
  json_t *doc = NULL;
  tp_rc rc = tp_api_fetch(ctx, tp_repo_teamprofiel, tp_path_var(ctx, 0), &doc);
  if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "Dit teamprofiel");
    return NULL;
  }
  return doc;
}

static const char *gemeente_of(const json_t *doc) {
  return json_string_value(json_object_get(doc, "gemeente"));
}

/* Answers 403 unless the principal may act for `gemeente`, the
 * municipality a body names: the caller's own words, so they may be
 * echoed. */
static int forbidden_for(struct tp_ctx *ctx, const json_t *principal, const char *gemeente) {
  if (tp_principal_may(principal, gemeente)) return 0;
  tp_problem(ctx, 403, NULL, "Deze client mag niet namens gemeente %s optreden.",
             gemeente ? gemeente : "?");
  return 1;
}

/* Answers 403 unless the principal may act for the municipality a stored
 * profile (or its audit trail) belongs to. The answer never names it: that
 * would tell anyone with a token whose profile a uuid is. */
static int forbidden_profile(struct tp_ctx *ctx, const json_t *principal, const char *gemeente) {
  if (tp_principal_may(principal, gemeente)) return 0;
  tp_problem(ctx, 403, NULL, "Deze client heeft geen toegang tot dit teamprofiel.");
  return 1;
}

json_t *tp_api_readable_profile(struct tp_ctx *ctx) {
  json_t *doc = load_profile(ctx);
  json_t *principal = NULL;
  if (doc == NULL) return NULL;
  if (json_is_true(json_object_get(doc, "referentie"))) {
    /* Public, but a token that is sent must still be valid. */
    if (tp_auth(ctx, &principal) == TP_AUTH_ANSWERED) {
      json_decref(doc);
      return NULL;
    }
    json_decref(principal);
    return doc;
  }
  principal = tp_auth_require(ctx, SCOPE_LEZEN);
  if (principal == NULL || forbidden_profile(ctx, principal, gemeente_of(doc))) {
    json_decref(doc);
    doc = NULL;
  }
  json_decref(principal);
  return doc;
}

static void get_teamprofiel(struct tp_ctx *ctx) {
  json_t *doc = tp_api_readable_profile(ctx);
  if (doc != NULL) tp_respond_json(ctx, 200, doc);
  json_decref(doc);
}

static void answer_write(struct tp_ctx *ctx, tp_rc rc, int status, const json_t *doc) {
  if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "Dit teamprofiel");
  } else if (doc == NULL) {
    tp_respond_empty(ctx, status);
  } else {
    if (status == 201) {
      char location[96];
      snprintf(location, sizeof(location), "/api/v1/teamprofielen/%s",
               json_string_value(json_object_get(doc, "uuid")));
      tp_set_header(ctx, "Location", location);
    }
    tp_respond_json(ctx, status, doc);
  }
}

static void create_teamprofiel(struct tp_ctx *ctx) {
  json_t *principal = tp_auth_require(ctx, SCOPE_SCHRIJVEN);
  json_t *body = NULL, *doc = NULL;
  struct tp_change who;
  if (principal == NULL || tp_api_change_of(ctx, principal, &who)) goto done;
  body = tp_api_read_team(ctx, TP_TEAM_PROFILE);
  if (body == NULL || forbidden_for(ctx, principal, gemeente_of(body))) goto done;
  struct tp_db *db = NULL;
  tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) rc = tp_repo_teamprofiel_create(db, body, &who, &doc);
  tp_pool_release(ctx->app->pool, db);
  answer_write(ctx, rc, 201, doc);
done:
  json_decref(doc);
  json_decref(body);
  json_decref(principal);
}

/* The checks PUT and DELETE share: token and scope, If-Match present, the
 * profile exists, is not a reference profile and belongs to the caller.
 * Returns the current document or NULL after answering. */
static json_t *writable_profile(struct tp_ctx *ctx, json_t **principal, struct tp_change *who) {
  *principal = tp_auth_require(ctx, SCOPE_SCHRIJVEN);
  if (*principal == NULL || tp_api_change_of(ctx, *principal, who)) return NULL;
  const char *if_match = tp_header(ctx, "If-Match");
  if (if_match == NULL || if_match[strspn(if_match, " \t")] == '\0') {
    tp_problem(ctx, 428, NULL, "Stuur If-Match met de ETag van het profiel dat u wijzigt.");
    return NULL;
  }
  json_t *current = load_profile(ctx);
  if (current == NULL) return NULL;
  if (json_is_true(json_object_get(current, "referentie"))) {
    tp_problem(ctx, 403, NULL,
               "Referentieprofielen veranderen alleen met 'teamplotter import referentieteams'.");
  } else if (!forbidden_profile(ctx, *principal, gemeente_of(current))) {
    return current;
  }
  json_decref(current);
  return NULL;
}

static void replace_teamprofiel(struct tp_ctx *ctx) {
  json_t *principal = NULL, *body = NULL, *doc = NULL;
  struct tp_change who;
  json_t *current = writable_profile(ctx, &principal, &who);
  if (current == NULL) goto done;
  body = tp_api_read_team(ctx, TP_TEAM_PROFILE);
  if (body == NULL || forbidden_for(ctx, principal, gemeente_of(body))) goto done;
  struct tp_db *db = NULL;
  tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) {
    rc = tp_repo_teamprofiel_replace(db, tp_path_var(ctx, 0), tp_header(ctx, "If-Match"), body,
                                     &who, &doc);
  }
  tp_pool_release(ctx->app->pool, db);
  answer_write(ctx, rc, 200, doc);
done:
  json_decref(doc);
  json_decref(body);
  json_decref(current);
  json_decref(principal);
}

static void delete_teamprofiel(struct tp_ctx *ctx) {
  json_t *principal = NULL;
  struct tp_change who;
  json_t *current = writable_profile(ctx, &principal, &who);
  if (current != NULL) {
    struct tp_db *db = NULL;
    tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
    if (rc == TP_OK) {
      rc = tp_repo_teamprofiel_delete(db, tp_path_var(ctx, 0), tp_header(ctx, "If-Match"), &who);
    }
    tp_pool_release(ctx->app->pool, db);
    answer_write(ctx, rc, 204, NULL);
  }
  json_decref(current);
  json_decref(principal);
}

static void list_audittrail(struct tp_ctx *ctx) {
  json_t *principal = tp_auth_require(ctx, SCOPE_AUDIT);
  if (principal == NULL) return;
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
  } else if (!forbidden_profile(ctx, principal, json_string_value(gemeente))) {
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
    {"GET", "/api/v1/teamprofielen/{uuid}/audittrail", list_audittrail, NULL, 0},
    {0},
};
