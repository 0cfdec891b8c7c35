#ifndef TEAMPLOTTER_AUTH_H
#define TEAMPLOTTER_AUTH_H

#include <jansson.h>

#include "teamplotter/http.h"

/* Bearer-token authentication and authorisation (README.md,
 * "Authentication"). A principal is the client document of
 * tp_repo_client without its secret: {"id","scopes","gemeenten",
 * "alleGemeenten"}. */

/* Authenticates the request's bearer token against the clients table:
 * *principal is the client (caller json_decrefs it), or NULL when the
 * request has no Authorization header; TP_ANSWERED after sending 401 (or
 * 503). */
tp_step tp_auth(struct tp_ctx *ctx, json_t **principal);

/* Authenticates and requires `scope`: *principal is the client (caller
 * json_decrefs it), or TP_ANSWERED after sending 401 (no or bad token) or
 * 403 (scope missing). */
tp_step tp_auth_require(struct tp_ctx *ctx, const char *scope, json_t **principal);

int tp_principal_has_scope(const json_t *principal, const char *scope);

/* Whether the principal may act for municipality `gemeente`. */
int tp_principal_may(const json_t *principal, const char *gemeente);

#endif
