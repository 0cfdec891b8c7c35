#ifndef TEAMPLOTTER_AUTH_H
#define TEAMPLOTTER_AUTH_H

#include <jansson.h>

#include "teamplotter/http.h"

/* Bearer-token authentication and authorisation (DESIGN.md
 * "Authentication"). A principal is the client document of
 * tp_repo_client without its secret: {"id","scopes","gemeenten",
 * "alleGemeenten"}. */

enum tp_auth_result {
  TP_AUTH_OK,        /* *principal is set; caller json_decrefs it */
  TP_AUTH_ANONYMOUS, /* no Authorization header */
  TP_AUTH_ANSWERED,  /* a 401 (or 503) has been sent */
};

/* Authenticates the request's bearer token against the clients table. */
enum tp_auth_result tp_auth(struct tp_ctx *ctx, json_t **principal);

/* Authenticates and requires `scope`: returns the principal, or NULL after
 * sending 401 (no or bad token) or 403 (scope missing). */
json_t *tp_auth_require(struct tp_ctx *ctx, const char *scope);

int tp_principal_has_scope(const json_t *principal, const char *scope);

/* Whether the principal may act for municipality `gemeente`. */
int tp_principal_may(const json_t *principal, const char *gemeente);

#endif
