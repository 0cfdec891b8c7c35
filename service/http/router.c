#include "teamplotter/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <orcania.h>
#include <uuid/uuid.h>

#include "teamplotter/app.h"
#include "teamplotter/log.h"
#include "teamplotter/metrics.h"
#include "teamplotter/response_cache.h"
#include "teamplotter/text.h"

struct tp_router {
  const struct tp_route **routes;
  size_t count;
};

static const char *const JSON_ONLY[] = {"application/json", NULL};

/* Why route `r` may not be served from the response cache, or NULL when
 * it may (or is not flagged so). The cache keys a response by the request
 * target alone: a GET whose answer depends on nothing else, so neither on
 * Accept (one media type) nor on a token. */
static const char *uncacheable(const struct tp_route *r) {
  if ((r->flags & TP_ROUTE_CACHED) == 0) return NULL;
  if (strcmp(r->method, "GET") != 0) return "it is not a GET";
  if (r->produces != NULL && (r->produces[0] == NULL || r->produces[1] != NULL)) {
    return "it does not have exactly one media type";
  }
  if (r->flags & TP_ROUTE_TOKEN) return "it needs a token";
  return NULL;
}

tp_rc tp_router_create(struct tp_router **out, const struct tp_route *const *tables) {
  size_t n = 0;
  for (size_t t = 0; tables[t] != NULL; t++) {
    for (const struct tp_route *r = tables[t]; r->method != NULL; r++) {
      const char *why = uncacheable(r);
      if (why != NULL) {
        tp_log_error("router: %s %s is flagged cached, but %s", r->method, r->pattern, why);
        return TP_ERR_PARAM;
      }
      n++;
    }
  }
  struct tp_router *router = o_malloc(sizeof(*router));
  if (router == NULL) return TP_ERR_NOMEM;
  router->routes = calloc(n ? n : 1, sizeof(*router->routes));
  if (router->routes == NULL) {
    o_free(router);
    return TP_ERR_NOMEM;
  }
  router->count = 0;
  for (size_t t = 0; tables[t] != NULL; t++) {
    for (const struct tp_route *r = tables[t]; r->method != NULL; r++) {
      router->routes[router->count++] = r;
    }
  }
  *out = router;
  return TP_OK;
}

void tp_router_destroy(struct tp_router *router) {
  if (router == NULL) return;
  free(router->routes);
  o_free(router);
}

size_t tp_router_count(const struct tp_router *router) { return router->count; }

const struct tp_route *tp_router_route(const struct tp_router *router, size_t i) {
  return i < router->count ? router->routes[i] : NULL;
}

/* --- matching ------------------------------------------------------------ */

/* Decodes one path segment; NULL when it holds a broken escape, NUL, a
 * slash, a control character or bytes that are not UTF-8. */
static char *decode_segment(const char *s, size_t n) {
  size_t len;
  char *out = tp_percent_decode(s, n, 0, &len);
  if (out == NULL) return NULL;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)out[i];
    if (c < 0x20 || c == 0x7f || c == '/') {
      o_free(out);
      return NULL;
    }
  }
  if (!tp_utf8_valid(out, len)) {
    o_free(out);
    return NULL;
  }
  return out;
}

int tp_route_match(const char *pattern, const char *path, char **vars) {
  const char *p = pattern, *s = path;
  size_t nvars = 0;
  char *found[TP_MAX_PATH_VARS] = {0};
  while (*p == '/' && *s == '/') {
    p++;
    s++;
    const char *pend = strchr(p, '/');
    const char *send = strchr(s, '/');
    size_t plen = pend ? (size_t)(pend - p) : strlen(p);
    size_t slen = send ? (size_t)(send - s) : strlen(s);
    /* An empty segment only where the pattern ends in one: the root "/api/v1/". */
    if (slen == 0 && plen != 0) goto no;
    int literal = !(plen > 2 && p[0] == '{' && p[plen - 1] == '}');
    if (literal && memchr(s, '%', slen) == NULL) {
      /* Without escapes a segment decodes to itself (or is refused, and
       * then it cannot equal a pattern's plain ASCII either): compared as
       * it is, without a copy per route tried. */
      if (slen != plen || memcmp(s, p, plen) != 0) goto no;
      p += plen;
      s += slen;
      continue;
    }
    char *seg = decode_segment(s, slen);
    if (seg == NULL) goto no;
    if (!literal) {
      if (nvars == TP_MAX_PATH_VARS) {
        o_free(seg);
        goto no;
      }
      found[nvars++] = seg;
    } else {
      int same = strlen(seg) == plen && memcmp(seg, p, plen) == 0;
      o_free(seg);
      if (!same) goto no;
    }
    p += plen;
    s += slen;
  }
  if (*p != '\0' || *s != '\0') goto no;
  for (size_t i = 0; i < nvars; i++) {
    if (vars != NULL) {
      vars[i] = found[i];
    } else {
      o_free(found[i]);
    }
  }
  return 1;
no:
  for (size_t i = 0; i < nvars; i++) o_free(found[i]);
  return 0;
}

/* --- content negotiation -------------------------------------------------- */

/* The q-value of the most specific range in `accept` that matches `type`;
 * 0 when none does. */
static double accept_q(const char *accept, const char *type) {
  const char *slash = strchr(type, '/');
  size_t major_len = slash ? (size_t)(slash - type) : strlen(type);
  int best_spec = 0;
  double best_q = 0.0;
  const char *p = accept;
  while (*p) {
    while (*p == ' ' || *p == ',' || *p == '\t') p++;
    if (!*p) break;
    const char *end = strchr(p, ',');
    if (end == NULL) end = p + strlen(p);
    const char *semi = memchr(p, ';', (size_t)(end - p));
    const char *rend = semi ? semi : end;
    while (rend > p && (rend[-1] == ' ' || rend[-1] == '\t')) rend--;
    size_t rlen = (size_t)(rend - p);
    double q = 1.0;
    for (const char *a = semi; a != NULL && a < end; a = memchr(a + 1, ';', (size_t)(end - a - 1))) {
      const char *v = a + 1;
      while (*v == ' ') v++;
      if ((v[0] == 'q' || v[0] == 'Q') && v[1] == '=') q = strtod(v + 2, NULL);
    }
    int spec = 0;
    if (rlen == 3 && memcmp(p, "*/*", 3) == 0) {
      spec = 1;
    } else if (rlen == major_len + 2 && strncasecmp(p, type, major_len) == 0 &&
               p[major_len] == '/' && p[major_len + 1] == '*') {
      spec = 2;
    } else if (rlen == strlen(type) && strncasecmp(p, type, rlen) == 0) {
      spec = 3;
    }
    if (spec > best_spec) {
      best_spec = spec;
      best_q = q;
    }
    p = end;
  }
  return best_q;
}

const char *tp_negotiate(const char *accept, const char *const *produces) {
  if (accept == NULL || accept[0] == '\0') return produces[0];
  const char *best = NULL;
  double best_q = 0.0;
  for (size_t i = 0; produces[i] != NULL; i++) {
    double q = accept_q(accept, produces[i]);
    if (q > best_q) {
      best_q = q;
      best = produces[i];
    }
  }
  return best;
}

int tp_media_type_is(const char *header, const char *type) {
  if (header == NULL) return 0;
  while (*header == ' ') header++;
  size_t n = strlen(type);
  if (strncasecmp(header, type, n) != 0) return 0;
  char c = header[n];
  return c == '\0' || c == ';' || c == ' ';
}

/* --- framing -------------------------------------------------------------- */

static const char FRAMING_CODE[] = "ambiguous-framing";

/* Whether `name` is one header name as sent. libmicrohttpd keeps the
 * whitespace before a colon in the name, and glues a folded continuation
 * line (one starting with a space or tab) to the name of the line before. */
static int name_is_clean(const char *name) {
  for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
    if (*p <= ' ' || *p == ':' || *p == 0x7f) return 0;
  }
  /* A fold glued to a framing header leaves no space: Content-Length5. */
  static const char *const framing[] = {"Content-Length", "Transfer-Encoding"};
  for (size_t i = 0; i < sizeof(framing) / sizeof(framing[0]); i++) {
    size_t n = strlen(framing[i]);
    if (strncasecmp(name, framing[i], n) == 0 && name[n] != '\0') return 0;
  }
  return 1;
}

static int all_digits(const char *s) {
  if (*s == '\0') return 0;
  for (; *s != '\0'; s++) {
    if (*s < '0' || *s > '9') return 0;
  }
  return 1;
}

static int framing_fault(struct tp_framing_fault *out, const char *header, const char *code,
                         const char *reason) {
  snprintf(out->header, sizeof(out->header), "%s", header);
  tp_utf8_scrub(out->header);
  out->code = code;
  out->reason = reason;
  return 1;
}

int tp_framing_fault(const struct _u_map *headers, const char *protocol,
                     struct tp_framing_fault *out) {
  const char *length = NULL, *coding = NULL;
  int lengths = 0, codings = 0;
  for (int i = 0; i < headers->nb_values; i++) {
    const char *name = headers->keys[i];
    const char *value = headers->values[i] != NULL ? headers->values[i] : "";
    if (!name_is_clean(name)) {
      return framing_fault(out, name, "invalid-header-name",
                           "Een headernaam mag geen spatie, tab, dubbele punt of stuurteken "
                           "bevatten, ook niet voor de dubbele punt, en een header loopt niet "
                           "door op een regel die met een spatie begint (RFC 9112 §5).");
    }
    if (strcasecmp(name, "Content-Length") == 0) {
      length = value;
      lengths += 1 + (strchr(length, ',') != NULL);
    } else if (strcasecmp(name, "Transfer-Encoding") == 0) {
      coding = value;
      codings++;
    }
  }
  if (length != NULL && coding != NULL) {
    return framing_fault(out, "Transfer-Encoding", FRAMING_CODE,
                         "Content-Length en Transfer-Encoding samen maken de lengte van het "
                         "verzoek dubbelzinnig (RFC 9112 §6.3); stuur er één.");
  }
  if (lengths > 1) {
    return framing_fault(out, "Content-Length", FRAMING_CODE,
                         "Content-Length komt meer dan eens voor; stuur hem één keer.");
  }
  if (length != NULL && !all_digits(length)) {
    return framing_fault(out, "Content-Length", FRAMING_CODE,
                         "Content-Length moet een geheel getal zijn.");
  }
  if (coding != NULL && (codings > 1 || strcasecmp(coding, "chunked") != 0)) {
    return framing_fault(out, "Transfer-Encoding", FRAMING_CODE,
                         "Transfer-Encoding moet precies één keer chunked zijn.");
  }
  if (coding != NULL && protocol != NULL && strcmp(protocol, "HTTP/1.0") == 0) {
    return framing_fault(out, "Transfer-Encoding", FRAMING_CODE,
                         "HTTP/1.0 kent geen Transfer-Encoding (RFC 9112 §6.1); stuur "
                         "Content-Length of gebruik HTTP/1.1.");
  }
  return 0;
}

/* --- dispatch ------------------------------------------------------------- */

/* The request headers a client sends and the response headers the spec
 * documents: beyond the CORS-safelisted ones (Accept; Content-Type and
 * Cache-Control of an answer) a browser lets a script send or read only
 * these. */
static const char ALLOW_HEADERS[] =
    "Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, X-Audit-Toelichting";
static const char EXPOSE_HEADERS[] =
    "API-Version, ETag, Link, Location, Retry-After, WWW-Authenticate";

static int method_is(const char *method, const char *want) { return strcmp(method, want) == 0; }

/* Whether route `r` exists on the listener the request came in on. */
static int served_here(const struct tp_ctx *ctx, const struct tp_route *r) {
  if (ctx->admin) return (r->flags & (TP_ROUTE_ADMIN | TP_ROUTE_ADMIN_ONLY)) != 0;
  return (r->flags & TP_ROUTE_ADMIN_ONLY) == 0;
}

/* Methods the path allows on this listener, as an Allow header value. */
static void allowed_methods(const struct tp_ctx *ctx, char *out, size_t outlen) {
  const struct tp_router *router = ctx->app->router;
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; i < router->count; i++) {
    const struct tp_route *r = router->routes[i];
    if (!served_here(ctx, r) || !tp_route_match(r->pattern, ctx->path, NULL)) continue;
    used += (size_t)snprintf(out + used, outlen - used, "%s%s", used ? ", " : "", r->method);
    if (used < outlen && method_is(r->method, "GET")) {
      used += (size_t)snprintf(out + used, outlen - used, ", HEAD");
    }
    if (used >= outlen) return;
  }
  if (used > 0 && used < outlen) snprintf(out + used, outlen - used, ", OPTIONS");
}

static int origin_allowed(const struct tp_config *cfg, const char *origin) {
  if (cfg->cors_any) return 1;
  for (size_t i = 0; i < cfg->cors_origin_count; i++) {
    if (strcmp(cfg->cors_origins[i], origin) == 0) return 1;
  }
  return 0;
}

static void add_cors(struct tp_ctx *ctx, int preflight, const char *allow) {
  const char *origin = tp_header(ctx, "Origin");
  if (ctx->route != NULL && (ctx->route->flags & TP_ROUTE_CORS_ANY)) {
    /* Readable from anywhere, whether or not the request says where from. */
    tp_set_header(ctx, "Access-Control-Allow-Origin", "*");
  } else if (origin == NULL) {
    return;
  } else if (origin_allowed(ctx->app->cfg, origin)) {
    tp_set_header(ctx, "Access-Control-Allow-Origin", origin);
  } else {
    return;
  }
  if (preflight) {
    tp_set_header(ctx, "Access-Control-Allow-Methods", allow);
    tp_set_header(ctx, "Access-Control-Allow-Headers", ALLOW_HEADERS);
    tp_set_header(ctx, "Access-Control-Max-Age", "600");
  } else {
    tp_set_header(ctx, "Access-Control-Expose-Headers", EXPOSE_HEADERS);
  }
}

/* Cache-Control and Vary of every response, decided here alone. A GET or
 * HEAD of a public resource without a token, answered 200 or 304, may be
 * kept and must be revalidated with its ETag each time (no-cache); what
 * answers a token (whatever the resource), writes, errors, preflights and
 * probes are never kept. The answer depends on Origin (CORS), on
 * Authorization and, where a route offers more than one media type, on
 * Accept. */
static void add_caching(struct tp_ctx *ctx) {
  const struct tp_route *r = ctx->route;
  const char *method = ctx->req->http_verb;
  int read = method_is(method, "GET") || method_is(method, "HEAD");
  int public_route = r != NULL && (r->flags & (TP_ROUTE_PUBLIC | TP_ROUTE_CACHED)) != 0;
  int shared = read && public_route && tp_header(ctx, "Authorization") == NULL &&
               (ctx->status == 200 || ctx->status == 304);
  tp_set_header(ctx, "Cache-Control", shared ? "no-cache" : "private, no-store");
  int negotiated = r != NULL && r->produces != NULL && r->produces[1] != NULL;
  if (r != NULL && (r->flags & TP_ROUTE_PAGE)) {
    tp_set_header(ctx, "Vary", "Origin, Authorization, Accept, Accept-Encoding");
  } else {
    tp_set_header(ctx, "Vary",
                  negotiated ? "Origin, Authorization, Accept" : "Origin, Authorization");
  }
}

/* Finds the route for the request; leaves ctx->route NULL when the path is
 * unknown, and sets *path_known when some route has this path. -1 when the
 * path variables could not be kept (out of memory): a handler must never
 * run without them. */
static int find_route(struct tp_ctx *ctx, const char *method, int *path_known) {
  const struct tp_router *router = ctx->app->router;
  const char *want = method_is(method, "HEAD") ? "GET" : method;
  *path_known = 0;
  for (size_t i = 0; i < router->count; i++) {
    const struct tp_route *r = router->routes[i];
    if (!served_here(ctx, r) || !tp_route_match(r->pattern, ctx->path, NULL)) continue;
    *path_known = 1;
    if (method_is(r->method, want)) {
      if (!tp_route_match(r->pattern, ctx->path, ctx->vars)) return -1;
      ctx->route = r;
      ctx->route_index = i;
      return 0;
    }
  }
  return 0;
}

/* Everything before the handler: TP_ANSWERED when the request was
 * answered here. */
static tp_step precheck(struct tp_ctx *ctx) {
  const struct _u_request *req = ctx->req;
  const char *method = req->http_verb;
  char allow[256];
  int path_known = 0;
  struct tp_framing_fault fault;

  if (tp_framing_fault(req->map_header, req->http_protocol, &fault)) {
    /* A proxy may have read this request's length otherwise: what follows
     * on the connection may be the rest of it, so none of that is read. */
    tp_set_header(ctx, "Connection", "close");
    tp_problem_invalid(ctx, fault.header, fault.code, fault.reason);
    return TP_ANSWERED;
  }
  /* Ulfius keeps at most limit + 1 bytes: more than the limit means the
   * body was cut, so it is refused whole. */
  if (req->binary_body_length > ctx->app->cfg->max_body_bytes) {
    tp_problem(ctx, 413, NULL, "De body is groter dan %zu bytes.", ctx->app->cfg->max_body_bytes);
    return TP_ANSWERED;
  }
  if (find_route(ctx, method, &path_known) != 0) {
    tp_problem_rc(ctx, TP_ERR_NOMEM, "");
    return TP_ANSWERED;
  }
  if (!path_known) {
    tp_problem(ctx, 404, NULL, "Er is geen resource op dit pad.");
    return TP_ANSWERED;
  }
  allowed_methods(ctx, allow, sizeof(allow));
  if (method_is(method, "OPTIONS")) {
    tp_set_header(ctx, "Allow", allow);
    add_cors(ctx, tp_header(ctx, "Access-Control-Request-Method") != NULL, allow);
    tp_respond_empty(ctx, 204);
    return TP_ANSWERED;
  }
  if (ctx->route == NULL) {
    tp_set_header(ctx, "Allow", allow);
    tp_problem(ctx, 405, NULL, "Methode %.16s is hier niet toegestaan; wel: %s.", method, allow);
    return TP_ANSWERED;
  }
  const char *const *produces = ctx->route->produces ? ctx->route->produces : JSON_ONLY;
  ctx->media_type = tp_negotiate(tp_header(ctx, "Accept"), produces);
  if (ctx->media_type == NULL) {
    tp_problem(ctx, 406, NULL, "Deze resource is beschikbaar als %s.", produces[0]);
    return TP_ANSWERED;
  }
  if (ctx->route->flags & TP_ROUTE_JSON_BODY) {
    if (!tp_media_type_is(tp_header(ctx, "Content-Type"), "application/json")) {
      tp_problem(ctx, 415, NULL, "Stuur de body als application/json.");
      return TP_ANSWERED;
    }
  }
  return TP_GO_ON;
}

tp_step tp_respond_kept(struct tp_ctx *ctx, struct tp_snapshot *snap, const char *key) {
  struct tp_response_cache *cache = ctx->app->ports->snapshot_slot(snap, &tp_response_cache_slot);
  struct tp_cached_response hit;
  if (cache == NULL || tp_response_cache_get(cache, key, &hit) != 0) return TP_GO_ON;
  if (hit.link != NULL) tp_set_header(ctx, "Link", hit.link);
  tp_respond_tagged(ctx, 200, hit.content_type, hit.body, hit.len, hit.etag);
  return TP_ANSWERED;
}

void tp_keep_response(struct tp_ctx *ctx, struct tp_snapshot *snap, const char *key) {
  struct tp_response_cache *cache = ctx->app->ports->snapshot_slot(snap, &tp_response_cache_slot);
  if (cache == NULL || ctx->status != 200 || ctx->resp->binary_body == NULL) return;
  struct tp_cached_response fresh = {
      .content_type = u_map_get(ctx->resp->map_header, "Content-Type"),
      .body = ctx->resp->binary_body,
      .len = ctx->resp->binary_body_length,
      .link = u_map_get(ctx->resp->map_header, "Link"),
  };
  tp_response_cache_put(cache, key, &fresh);
}

/* Serves a cacheable route from the response cache of its snapshot, or runs
 * the handler and keeps a 200 for the next caller. The request target as
 * sent is the key: the body depends on nothing else. */
static void run_cached(struct tp_ctx *ctx, const char *target) {
  struct tp_snapshot *snap;
  if (tp_ctx_snapshot(ctx, &snap) == TP_ANSWERED) return;
  if (tp_respond_kept(ctx, snap, target) == TP_ANSWERED) return;
  ctx->route->handler(ctx);
  tp_keep_response(ctx, snap, target);
}

static double seconds_since(const struct timespec *start) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static int dispatch(const struct _u_request *req, struct _u_response *resp, struct tp_app *app,
                    int admin) {
  /* A shutdown waits for public handlers only: probes may come at any
   * time, and they are answered until the process ends. */
  if (!admin) atomic_fetch_add(&app->handling, 1);
  struct tp_ctx ctx;
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  memset(&ctx, 0, sizeof(ctx));
  ctx.admin = admin;
  ctx.req = req;
  ctx.resp = resp;
  ctx.app = app;
  ctx.route_index = app->router->count;
  uuid_t uuid;
  uuid_generate_random(uuid);
  uuid_unparse_lower(uuid, ctx.id);
  tp_log_set_request(ctx.id); /* every line logged from here on names the request */

  /* http_url is the request target as sent: split off the query here. */
  const char *url = req->http_url ? req->http_url : "/";
  const char *qmark = strchr(url, '?');
  ctx.path = qmark ? o_strndup(url, (size_t)(qmark - url)) : o_strdup(url);
  ctx.query = qmark ? qmark + 1 : NULL;

  if (ctx.path == NULL) {
    tp_problem(&ctx, 500, NULL, "Onvoldoende geheugen.");
  } else if (precheck(&ctx) == TP_GO_ON) {
    add_cors(&ctx, 0, NULL);
    if (ctx.route->flags & TP_ROUTE_CACHED) {
      run_cached(&ctx, url);
    } else {
      ctx.route->handler(&ctx);
    }
    if (!ctx.answered) {
      tp_log_error("bug: the handler of %s %s returned without answering", ctx.route->method,
                   ctx.route->pattern);
      tp_problem(&ctx, 500, NULL, "Er ging iets mis aan onze kant; meld het kenmerk in 'instance'.");
    }
  } else if (ctx.status != 204) {
    add_cors(&ctx, 0, NULL);
  }
  add_caching(&ctx);
  if (ctx.snapshot != NULL) app->ports->snapshot_release(app->snapshots, ctx.snapshot);

  double secs = seconds_since(&start);
  tp_metrics_observe(app->metrics, ctx.route_index, ctx.status, secs);
  /* The request line names the request itself. */
  tp_log_set_request(NULL);
  tp_log_info("request %s %.16s %.200s %d %.3fms", ctx.id, req->http_verb,
              ctx.path ? ctx.path : "-", ctx.status, secs * 1000.0);
  o_free(ctx.path);
  for (size_t i = 0; i < TP_MAX_PATH_VARS; i++) o_free(ctx.vars[i]);
  if (admin) return U_CALLBACK_COMPLETE;
  if (atomic_load(&app->draining)) tp_set_header(&ctx, "Connection", "close");
  atomic_fetch_sub(&app->handling, 1);
  return U_CALLBACK_COMPLETE;
}

int tp_dispatch(const struct _u_request *req, struct _u_response *resp, void *user_data) {
  return dispatch(req, resp, user_data, 0);
}

int tp_dispatch_admin(const struct _u_request *req, struct _u_response *resp, void *user_data) {
  return dispatch(req, resp, user_data, 1);
}
