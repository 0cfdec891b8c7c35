#include "teamplotter/auth.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "teamplotter/app.h"
#include "teamplotter/repo.h"
#include "teamplotter/token.h"

/* The token after "Bearer " (scheme case-insensitive), or NULL. */
static const char *bearer(const char *header) {
  if (header == NULL || strncasecmp(header, "Bearer ", 7) != 0) return NULL;
  header += 7;
  while (*header == ' ') header++;
  return *header ? header : NULL;
}

enum tp_auth_result tp_auth(struct tp_ctx *ctx, json_t **principal) {
  const char *header = tp_header(ctx, "Authorization");
  if (header == NULL) return TP_AUTH_ANONYMOUS;
  const char *token = bearer(header);
  char client_id[TP_CLIENT_ID_MAX + 1];
  if (token == NULL || tp_token_client(token, client_id) != TP_TOKEN_OK) {
    tp_problem(ctx, 401, NULL, "Stuur een geldig token als 'Authorization: Bearer <JWT>'.");
    return TP_AUTH_ANSWERED;
  }
  struct tp_db *db = NULL;
  json_t *client = NULL;
  tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) rc = tp_repo_client(db, client_id, &client);
  tp_pool_release(ctx->app->pool, db);
  if (rc != TP_OK && rc != TP_ERR_NOT_FOUND) {
    /* 503 when PostgreSQL is away; any other failure is ours (500, logged),
     * not the caller's token. */
    tp_problem_rc(ctx, rc, "");
    return TP_AUTH_ANSWERED;
  }
  /* Unknown and revoked clients get the same answer as a bad signature:
   * nothing tells a caller which client ids exist. */
  if (rc != TP_OK || json_is_true(json_object_get(client, "ingetrokken"))) {
    json_decref(client);
    tp_problem(ctx, 401, NULL, "Het token is ongeldig of ingetrokken.");
    return TP_AUTH_ANSWERED;
  }
  enum tp_token_result check =
      tp_token_verify(token, client_id, json_string_value(json_object_get(client, "secret")),
                      time(NULL), (long)ctx->app->cfg->jwt_max_age);
  json_object_del(client, "secret");
  if (check != TP_TOKEN_OK) {
    json_decref(client);
    tp_problem(ctx, 401, NULL, "%s", tp_token_reason(check));
    return TP_AUTH_ANSWERED;
  }
  *principal = client;
  return TP_AUTH_OK;
}

int tp_principal_has_scope(const json_t *principal, const char *scope) {
  size_t i;
  json_t *s;
  json_array_foreach(json_object_get(principal, "scopes"), i, s) {
    /* text[] columns may hold NULL elements: skip them, never crash. */
    const char *have = json_string_value(s);
    if (have != NULL && strcmp(have, scope) == 0) return 1;
  }
  return 0;
}

int tp_principal_may(const json_t *principal, const char *gemeente) {
  if (json_is_true(json_object_get(principal, "alleGemeenten"))) return 1;
  size_t i;
  json_t *g;
  json_array_foreach(json_object_get(principal, "gemeenten"), i, g) {
    const char *have = json_string_value(g);
    if (gemeente != NULL && have != NULL && strcmp(have, gemeente) == 0) return 1;
  }
  return 0;
}

json_t *tp_auth_require(struct tp_ctx *ctx, const char *scope) {
  json_t *principal = NULL;
  switch (tp_auth(ctx, &principal)) {
  case TP_AUTH_ANSWERED:
    return NULL;
  case TP_AUTH_ANONYMOUS:
    tp_problem(ctx, 401, NULL, "Deze resource vraagt een token ('Authorization: Bearer <JWT>').");
    return NULL;
  case TP_AUTH_OK:
    break;
  }
  if (!tp_principal_has_scope(principal, scope)) {
    tp_problem(ctx, 403, NULL, "Client '%s' mist de scope '%s'.",
               json_string_value(json_object_get(principal, "id")), scope);
    json_decref(principal);
    return NULL;
  }
  return principal;
}
