#ifndef TEAMPLOTTER_ROUTER_H
#define TEAMPLOTTER_ROUTER_H

#include <stddef.h>

#include <ulfius.h>

#include "teamplotter/http.h"
#include "teamplotter/status.h"

/* The route table of the whole service and the single Ulfius callback that
 * serves every request. Routing is done here rather than by Ulfius, which
 * runs every matching endpoint, ignores trailing slashes and merges path
 * variables with the query: one place decides 404, 405, 406, 413 and 415,
 * and every response passes the same finishing step (CORS, metrics, log). */
struct tp_router;

/* Builds the router from route tables, each ending with a zeroed entry;
 * `tables` ends with NULL. Refuses (TP_ERR_PARAM, logged) a table with a
 * route flagged TP_ROUTE_CACHED that is not a GET, offers more than one
 * media type or is flagged TP_ROUTE_TOKEN: the cache would answer it
 * without looking at Accept or Authorization. */
tp_rc tp_router_create(struct tp_router **out, const struct tp_route *const *tables);
void tp_router_destroy(struct tp_router *router);

size_t tp_router_count(const struct tp_router *router);
const struct tp_route *tp_router_route(const struct tp_router *router, size_t i);

/* The Ulfius callback of the public listener; `user_data` is the struct
 * tp_app. Routes flagged TP_ROUTE_ADMIN_ONLY are unknown here. */
int tp_dispatch(const struct _u_request *req, struct _u_response *resp, void *user_data);

/* The callback of the admin listener: only routes flagged TP_ROUTE_ADMIN
 * or TP_ROUTE_ADMIN_ONLY exist there, and its requests never hold up a
 * shutdown. */
int tp_dispatch_admin(const struct _u_request *req, struct _u_response *resp, void *user_data);

/* Why a request's framing cannot be trusted. A proxy in front may have
 * read its length otherwise than libmicrohttpd did, so the bytes after it
 * may be the rest of this request read as a new one (request smuggling). */
struct tp_framing_fault {
  char header[64];    /* the header's name as received: cut, valid UTF-8 */
  const char *code;   /* for invalidParams */
  const char *reason; /* for invalidParams, in Dutch */
};

/* Checks the request headers (as Ulfius gathered them: one key per
 * spelling, repeated fields joined by commas) and the protocol ("HTTP/1.1")
 * for: a header name with whitespace, a colon or a control character, or
 * one that starts with Content-Length or Transfer-Encoding and goes on (a
 * folded line, glued to the name by libmicrohttpd); Content-Length together
 * with Transfer-Encoding; Content-Length more than once or not a number;
 * Transfer-Encoding other than one "chunked", or in HTTP/1.0. Returns 1 and
 * fills *out for the first it finds, else 0. Pure; exposed for tests. */
int tp_framing_fault(const struct _u_map *headers, const char *protocol,
                     struct tp_framing_fault *out);

/* Matches a raw (percent-encoded) path against a pattern. On a match
 * returns 1 and, when `vars` is not NULL, stores the decoded variables
 * (caller o_frees them). Segments that do not decode to clean UTF-8 never
 * match. Pure; exposed for tests. */
int tp_route_match(const char *pattern, const char *path, char **vars);

/* Picks the first of `produces` (NULL-terminated) that the Accept header
 * allows, honouring q-values and the most specific matching range; NULL
 * when none is acceptable. A missing Accept accepts anything. */
const char *tp_negotiate(const char *accept, const char *const *produces);

/* Whether a Content-Type header names `type` (parameters ignored). */
int tp_media_type_is(const char *header, const char *type);

#endif
