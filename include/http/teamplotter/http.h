#ifndef TEAMPLOTTER_HTTP_H
#define TEAMPLOTTER_HTTP_H

#include <stddef.h>

#include <jansson.h>
#include <ulfius.h>

#include "teamplotter/query.h"
#include "teamplotter/render.h"
#include "teamplotter/status.h"

struct tp_app;
struct tp_ctx;

/* A request handler. It answers exactly once, through the tp_respond_* and
 * tp_problem* helpers below, and never returns Ulfius codes. A handler
 * that returns without answering gets 500 from the dispatcher (a bug,
 * logged); a second answer is a bug too: logged and ignored, the first
 * stands. */
typedef void (*tp_handler)(struct tp_ctx *ctx);

/* What every step that may answer the request returns (one convention for
 * all of service/http and service/api); its results come back through
 * out-parameters:
 *
 *   json_t *body;
 *   if (tp_body_json(ctx, &body) == TP_ANSWERED) return;
 *
 * TP_ANSWERED: the step has sent the response (an error, mostly) and the
 * caller sends nothing more. TP_GO_ON: nothing was sent; go on. */
typedef enum { TP_GO_ON = 0, TP_ANSWERED = 1 } tp_step;

enum tp_route_flags {
  TP_ROUTE_JSON_BODY = 1 << 0, /* takes an application/json body */
  TP_ROUTE_CORS_ANY = 1 << 1,  /* readable from any origin (the spec) */
  TP_ROUTE_CACHED = 1 << 2,    /* its 200 responses depend only on the snapshot
                                  version, path and query: served from memory */
  TP_ROUTE_ADMIN = 1 << 3,     /* also served on the admin listener */
  TP_ROUTE_ADMIN_ONLY = 1 << 4, /* served on the admin listener alone */
  TP_ROUTE_PUBLIC = 1 << 5,     /* its GET answers without a token are the same for
                                   everyone (as for TP_ROUTE_CACHED): browsers may keep
                                   them and revalidate with the ETag */
  TP_ROUTE_TOKEN = 1 << 6,      /* its GET answers only with a token (401 without), so
                                   never from the response cache */
  TP_ROUTE_PAGE = 1 << 7,       /* a file of the page for people (static_file.h): its
                                   answer also depends on Accept-Encoding */
};

/* One entry of a resource's route table. `pattern` is a path such as
 * "/api/v1/rollen/{code}"; each "{name}" matches one non-empty segment.
 * `produces` lists the media types the handler can answer with, ending in
 * NULL; NULL means application/json only. */
struct tp_route {
  const char *method;
  const char *pattern;
  tp_handler handler;
  const char *const *produces;
  unsigned flags;
};

#define TP_MAX_PATH_VARS 4
#define TP_REQUEST_ID_LEN 36

/* Everything one request needs, owned by the dispatcher for the request's
 * lifetime. */
struct tp_ctx {
  const struct _u_request *req;
  struct _u_response *resp;
  const struct tp_app *app;
  const struct tp_route *route;  /* NULL until matched */
  size_t route_index;
  char id[TP_REQUEST_ID_LEN + 1]; /* per-request UUID, also in the log */
  char *path;                     /* the path as sent (percent-encoded), owned */
  char *vars[TP_MAX_PATH_VARS];   /* path variables in pattern order, owned */
  const char *query;              /* raw query string or NULL, borrowed */
  const char *media_type;         /* negotiated response type */
  struct tp_snapshot *snapshot;   /* held for the request when acquired, or NULL */
  int admin;                      /* arrived on the admin listener */
  int status;                     /* the status sent, for log and metrics */
  int answered;                   /* a response was sent; any later one is ignored */
};

/* The value of path variable `i` of the matched pattern. */
const char *tp_path_var(const struct tp_ctx *ctx, size_t i);

/* A request header, case-insensitive; NULL when absent. */
const char *tp_header(const struct tp_ctx *ctx, const char *name);

/* Sets (replaces) a response header. */
void tp_set_header(struct tp_ctx *ctx, const char *name, const char *value);

/* Sends `len` bytes of `content_type`. A 200 or 201 gets a strong ETag over
 * the bytes; a GET answers 304 without a body when If-None-Match
 * matches. */
void tp_respond_bytes(struct tp_ctx *ctx, int status, const char *content_type, const char *data,
                      size_t len);

/* The next part of a streamed body into `buf` (at most `max` bytes): the
 * number of bytes written, 0 at the end, -1 when it cannot go on (the
 * connection is then closed, so the client sees the body incomplete).
 * Called on an HTTP worker after the handler has returned, once per part. */
typedef long (*tp_stream_fill)(void *arg, char *buf, size_t max);

/* Sends a 200 whose body `fill` writes part by part as the client takes
 * it, so that a large body never sits in memory whole; `etag` (required:
 * the body's bytes are not known in advance) answers If-None-Match with
 * 304, without calling `fill`. `release(arg)` runs once, when the body is
 * done or given up, or at once when it is never sent. */
void tp_respond_stream(struct tp_ctx *ctx, const char *content_type, const char *etag,
                       tp_stream_fill fill, void (*release)(void *arg), void *arg);

/* The snapshot's response cache (response_cache.h) for answers a handler
 * keeps itself, under a key it makes of everything the body depends on
 * besides the snapshot: tp_respond_kept answers a GET from it (200, or 304
 * for a matching If-None-Match) and returns TP_ANSWERED on a hit;
 * tp_keep_response keeps the 200 the handler just sent. */
tp_step tp_respond_kept(struct tp_ctx *ctx, struct tp_snapshot *snap, const char *key);
void tp_keep_response(struct tp_ctx *ctx, struct tp_snapshot *snap, const char *key);

/* As tp_respond_bytes with the ETag already known. */
void tp_respond_tagged(struct tp_ctx *ctx, int status, const char *content_type, const char *data,
                       size_t len, const char *etag);

/* The snapshot for this request into *out (held until the request ends),
 * or TP_ANSWERED after answering 503. */
tp_step tp_ctx_snapshot(struct tp_ctx *ctx, struct tp_snapshot **out);

/* The snapshot when one is loaded, or NULL, without answering and without
 * trying the database: for a shortcut whose handler has a general way
 * that answers for itself. */
struct tp_snapshot *tp_ctx_snapshot_if_loaded(struct tp_ctx *ctx);

/* Renders `body` (borrowed) as compact JSON and sends it as above. */
void tp_respond_json(struct tp_ctx *ctx, int status, const json_t *body);

/* Sends `len` bytes of JSON already rendered as tp_json_render does, as
 * tp_respond_json would send that document. */
void tp_respond_json_text(struct tp_ctx *ctx, int status, const char *text, size_t len);

/* Parses the request body as one JSON object (duplicate keys refused) into
 * *out (a new reference), or TP_ANSWERED after sending 400. */
tp_step tp_body_json(struct tp_ctx *ctx, json_t **out);

/* For resources without query parameters: TP_GO_ON when the request has
 * none, else TP_ANSWERED after answering 400 naming each. */
tp_step tp_no_query(struct tp_ctx *ctx);

/* Sends a status without a body. */
void tp_respond_empty(struct tp_ctx *ctx, int status);

/* --- problem+json (RFC 9457) --------------------------------------------- */

/* The problem document: {type, code, title, status, detail, instance} plus
 * invalidParams when `invalid` is given (borrowed). New reference. */
json_t *tp_problem_build(int status, const char *code, const char *title, const char *detail,
                         const char *instance, json_t *invalid);

/* Sends a problem; `code` and `title` default from `status` when NULL.
 * 503 responses get Retry-After. */
void tp_problem(struct tp_ctx *ctx, int status, const char *code, const char *detail_fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* tp_problem with extension members (borrowed), such as the uuid of the
 * resource a client should check. */
void tp_problem_with(struct tp_ctx *ctx, int status, const char *code, json_t *members,
                     const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));

/* Sends 400 naming one invalid parameter. */
void tp_problem_invalid(struct tp_ctx *ctx, const char *name, const char *code,
                        const char *reason);

/* Sends 400 with the invalidParams collected in `params`. */
void tp_problem_params(struct tp_ctx *ctx, const struct tp_params *params);

/* Answers for a failed lower layer; the one place that turns a tp_rc into
 * a status: 404 for TP_ERR_NOT_FOUND, 412 for TP_ERR_PRECONDITION, 409 for
 * TP_ERR_CONFLICT, 400 for TP_ERR_INVALID (each with `what` in the
 * detail), 503 with Retry-After for TP_ERR_UNAVAILABLE, TP_ERR_BUSY and
 * TP_ERR_CONCURRENT, 504 for TP_ERR_OUTCOME_UNKNOWN (a write that may or
 * may not be stored: never "try again"), 500 otherwise. */
void tp_problem_rc(struct tp_ctx *ctx, tp_rc rc, const char *what);

#endif
