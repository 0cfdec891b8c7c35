#include "teamplotter/auth.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "teamplotter/app.h"
#include "teamplotter/token.h"

/* What an unknown client's token is verified against. No client has it
 * (whatever it verifies, the answer is 401); it is as long as the secrets
 * `teamplotter clients add` makes, so the HMAC costs the same. */
static const char STAND_IN_SECRET[] =
    "stand-in for the secret of a client that does not exist: 64 byte";
_Static_assert(sizeof(STAND_IN_SECRET) - 1 == 64, "as long as a client's secret");

/* The token after "Bearer " (scheme case-insensitive), or NULL. */
static const char *bearer(const char *header) {
  if (header == NULL || strncasecmp(header, "Bearer ", 7) != 0) return NULL;
  header += 7;
  while (*header == ' ') header++;
  return *header ? header : NULL;
}

tp_step tp_auth(struct tp_ctx *ctx, json_t **principal) {
  const char *header = tp_header(ctx, "Authorization");
  *principal = NULL;
  if (header == NULL) return TP_GO_ON;
  const char *token = bearer(header);
  char client_id[TP_CLIENT_ID_MAX + 1];
  if (token == NULL || tp_token_client(token, client_id) != TP_TOKEN_OK) {
    tp_problem(ctx, 401, NULL, "Stuur een geldig token als 'Authorization: Bearer <JWT>'.");
    return TP_ANSWERED;
  }
  json_t *client = NULL;
  tp_rc rc = ctx->app->ports->client(ctx->app->pool, client_id, &client);
  if (rc != TP_OK && rc != TP_ERR_NOT_FOUND) {
    /* 503 when PostgreSQL is away; any other failure is ours (500, logged),
     * not the caller's token. */
    tp_problem_rc(ctx, rc, "");
    return TP_ANSWERED;
  }
  /* An unknown client, a revoked one and a signature that does not verify
   * get one answer, after the same work: an unknown client's token is
   * checked against a stand-in secret, so that neither the answer nor its
   * time tells a caller which client ids exist. The signature itself is
   * compared by libjwt, in constant time. */
  const char *secret = json_string_value(json_object_get(client, "secret"));
  /* A client without a secret is no client: the stand-in never admits. */
  int usable = rc == TP_OK && secret != NULL &&
               !json_is_true(json_object_get(client, "ingetrokken"));
  enum tp_token_result check =
      tp_token_verify(token, client_id, secret != NULL ? secret : STAND_IN_SECRET, time(NULL),
                      (long)ctx->app->cfg->jwt_max_age);
  json_object_del(client, "secret");
  if (!usable || check == TP_TOKEN_BAD_SIGNATURE || check == TP_TOKEN_MALFORMED) {
    json_decref(client);
    tp_problem(ctx, 401, NULL,
               "Het token is ongeldig: de client is onbekend of ingetrokken, of de handtekening "
               "klopt niet.");
    return TP_ANSWERED;
  }
  /* Only a token signed with the secret of an active client gets here:
   * telling why it is refused tells its holder nothing new. */
  if (check != TP_TOKEN_OK) {
    json_decref(client);
    tp_problem(ctx, 401, NULL, "%s", tp_token_reason(check));
    return TP_ANSWERED;
  }
  *principal = client;
  return TP_GO_ON;
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

tp_step tp_auth_require(struct tp_ctx *ctx, const char *scope, json_t **principal) {
  if (tp_auth(ctx, principal) == TP_ANSWERED) return TP_ANSWERED;
  if (*principal == NULL) {
    tp_problem(ctx, 401, NULL, "Deze resource vraagt een token ('Authorization: Bearer <JWT>').");
    return TP_ANSWERED;
  }
  if (!tp_principal_has_scope(*principal, scope)) {
    tp_problem(ctx, 403, NULL, "Client '%s' mist de scope '%s'.",
               json_string_value(json_object_get(*principal, "id")), scope);
    json_decref(*principal);
    *principal = NULL;
    return TP_ANSWERED;
  }
  return TP_GO_ON;
}
