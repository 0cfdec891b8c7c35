#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orcania.h>

#include "teamplotter/app.h"
#include "teamplotter/http.h"
#include "teamplotter/log.h"
#include "teamplotter/parse.h"
#include "teamplotter/render.h"
#include "teamplotter/text.h"

const char *tp_path_var(const struct tp_ctx *ctx, size_t i) {
  return i < TP_MAX_PATH_VARS ? ctx->vars[i] : NULL;
}

const char *tp_header(const struct tp_ctx *ctx, const char *name) {
  return u_map_get_case(ctx->req->map_header, name);
}

void tp_set_header(struct tp_ctx *ctx, const char *name, const char *value) {
  u_map_put(ctx->resp->map_header, name, value);
}

/* Whether the request has been answered already: a second answer is a
 * bug, logged here and ignored by the caller, so the first one stands. */
static int answered_before(struct tp_ctx *ctx, int status) {
  if (!ctx->answered) return 0;
  tp_log_error("bug: answered %d, then again %d; the second answer is ignored", ctx->status,
               status);
  return 1;
}

/* Every response goes out through here, once: `data` NULL sends no body. */
static tp_step send_response(struct tp_ctx *ctx, int status, const char *content_type,
                             const char *data, size_t len) {
  if (answered_before(ctx, status)) return TP_GO_ON;
  ctx->answered = 1;
  ctx->resp->status = (unsigned)status;
  ctx->status = status;
  if (data != NULL) {
    ulfius_set_binary_body_response(ctx->resp, (unsigned)status, data, len);
  } else {
    ulfius_set_empty_body_response(ctx->resp, (unsigned)status);
  }
  if (content_type != NULL) tp_set_header(ctx, "Content-Type", content_type);
  return TP_ANSWERED;
}

void tp_respond_tagged(struct tp_ctx *ctx, int status, const char *content_type, const char *data,
                       size_t len, const char *etag) {
  if (answered_before(ctx, status)) return;
  int is_get = strcmp(ctx->req->http_verb, "GET") == 0 || strcmp(ctx->req->http_verb, "HEAD") == 0;
  if (etag != NULL) {
    tp_set_header(ctx, "ETag", etag);
    const char *inm = is_get ? tp_header(ctx, "If-None-Match") : NULL;
    if (inm != NULL && tp_etag_list_has(inm, etag, 1)) {
      tp_respond_empty(ctx, 304);
      return;
    }
  }
  send_response(ctx, status, content_type, data, len);
}

/* A streamed body as Ulfius calls it. */
struct stream {
  tp_stream_fill fill;
  void (*release)(void *arg);
  void *arg;
};

static ssize_t stream_part(void *p, uint64_t offset, char *buf, size_t max) {
  (void)offset;
  struct stream *s = p;
  long n = s->fill(s->arg, buf, max);
  return n > 0 ? (ssize_t)n : n == 0 ? U_STREAM_END : U_STREAM_ERROR;
}

static void stream_done(void *p) {
  struct stream *s = p;
  s->release(s->arg);
  free(s);
}

/* Parts of some 64 KB: a few rows of CSV per part would mean a system
 * call per row. */
#define STREAM_PART_BYTES (64 * 1024)

void tp_respond_stream(struct tp_ctx *ctx, const char *content_type, const char *etag,
                       tp_stream_fill fill, void (*release)(void *arg), void *arg) {
  const char *inm = tp_header(ctx, "If-None-Match");
  struct stream *s = NULL;
  if (answered_before(ctx, 200)) {
    release(arg);
    return;
  }
  if (inm != NULL && tp_etag_list_has(inm, etag, 1)) {
    release(arg);
    tp_set_header(ctx, "ETag", etag);
    tp_respond_empty(ctx, 304);
    return;
  }
  if ((s = malloc(sizeof(*s))) == NULL) {
    release(arg);
    tp_problem(ctx, 500, NULL, "Onvoldoende geheugen.");
    return;
  }
  *s = (struct stream){fill, release, arg};
  if (ulfius_set_stream_response(ctx->resp, 200, stream_part, stream_done, U_STREAM_SIZE_UNKNOWN,
                                 STREAM_PART_BYTES, s) != U_OK) {
    stream_done(s);
    tp_problem(ctx, 500, NULL, "Het antwoord kon niet worden gestart.");
    return;
  }
  ctx->answered = 1;
  ctx->status = 200;
  tp_set_header(ctx, "ETag", etag);
  tp_set_header(ctx, "Content-Type", content_type);
}

void tp_respond_bytes(struct tp_ctx *ctx, int status, const char *content_type, const char *data,
                      size_t len) {
  char etag[TP_ETAG_LEN + 1];
  int tagged = (status == 200 || status == 201) && tp_etag_of_bytes(data, len, etag) == 0;
  tp_respond_tagged(ctx, status, content_type, data, len, tagged ? etag : NULL);
}

tp_step tp_ctx_snapshot(struct tp_ctx *ctx, struct tp_snapshot **out) {
  if (ctx->snapshot == NULL) {
    tp_rc rc = ctx->app->ports->snapshot_acquire(ctx->app->snapshots, &ctx->snapshot);
    if (rc != TP_OK) {
      ctx->snapshot = NULL;
      *out = NULL;
      tp_problem_rc(ctx, rc, "De catalogus");
      return TP_ANSWERED;
    }
  }
  *out = ctx->snapshot;
  return TP_GO_ON;
}

struct tp_snapshot *tp_ctx_snapshot_if_loaded(struct tp_ctx *ctx) {
  if (ctx->snapshot == NULL &&
      ctx->app->ports->snapshot_acquire_loaded(ctx->app->snapshots, &ctx->snapshot) != TP_OK) {
    ctx->snapshot = NULL;
  }
  return ctx->snapshot;
}

void tp_respond_json_text(struct tp_ctx *ctx, int status, const char *text, size_t len) {
  tp_respond_bytes(ctx, status, "application/json", text, len);
}

void tp_respond_json(struct tp_ctx *ctx, int status, const json_t *body) {
  char *text = tp_json_render(body);
  if (text == NULL) {
    tp_problem(ctx, 500, NULL, "Het antwoord kon niet worden opgebouwd.");
    return;
  }
  tp_respond_json_text(ctx, status, text, strlen(text));
  o_free(text);
}

void tp_respond_empty(struct tp_ctx *ctx, int status) {
  send_response(ctx, status, NULL, NULL, 0);
}

/* --- problems ------------------------------------------------------------ */

static const struct {
  int status;
  const char *code;
  const char *title;
} PROBLEMS[] = {
    {400, "invalid-params", "Ongeldige invoer"},
    {401, "unauthorized", "Niet geauthenticeerd"},
    {403, "forbidden", "Geen toegang"},
    {404, "not-found", "Niet gevonden"},
    {405, "method-not-allowed", "Methode niet toegestaan"},
    {406, "not-acceptable", "Gevraagd mediatype niet beschikbaar"},
    {409, "conflict", "Conflict"},
    {412, "precondition-failed", "Voorwaarde niet vervuld"},
    {413, "payload-too-large", "Verzoek te groot"},
    {415, "unsupported-media-type", "Mediatype niet ondersteund"},
    {428, "precondition-required", "Voorwaarde vereist"},
    {500, "internal-error", "Interne fout"},
    {503, "service-unavailable", "Dienst tijdelijk niet beschikbaar"},
    {504, "outcome-unknown", "Uitkomst onbekend"},
};

static size_t problem_index(int status) {
  size_t n = sizeof(PROBLEMS) / sizeof(PROBLEMS[0]);
  for (size_t i = 0; i < n; i++) {
    if (PROBLEMS[i].status == status) return i;
  }
  return problem_index(500);
}

json_t *tp_problem_build(int status, const char *code, const char *title, const char *detail,
                         const char *instance, json_t *invalid) {
  size_t i = problem_index(status);
  char type[128];
  if (code == NULL) code = PROBLEMS[i].code;
  if (title == NULL) title = PROBLEMS[i].title;
  snprintf(type, sizeof(type), "urn:teamplotter:probleem:%s", code);
  json_t *doc = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s}", "type", type, "code", code, "title",
                          title, "status", status, "detail", detail ? detail : title, "instance",
                          instance ? instance : "urn:uuid:00000000-0000-0000-0000-000000000000");
  if (doc != NULL && invalid != NULL) json_object_set(doc, "invalidParams", invalid);
  return doc;
}

static void send_problem(struct tp_ctx *ctx, int status, const char *code, const char *detail,
                         json_t *invalid, json_t *members) {
  char instance[TP_REQUEST_ID_LEN + 16];
  snprintf(instance, sizeof(instance), "urn:uuid:%s", ctx->id);
  json_t *doc = tp_problem_build(status, code, NULL, detail, instance, invalid);
  if (doc != NULL && members != NULL) json_object_update(doc, members);
  char *text = doc ? tp_json_render(doc) : NULL;
  if (send_response(ctx, status, "application/problem+json", text,
                    text != NULL ? strlen(text) : 0) == TP_ANSWERED) {
    if (status == 503) tp_set_header(ctx, "Retry-After", "5");
    if (status == 401) tp_set_header(ctx, "WWW-Authenticate", "Bearer");
  }
  o_free(text);
  json_decref(doc);
}

static void vproblem(struct tp_ctx *ctx, int status, const char *code, json_t *members,
                     const char *detail_fmt, va_list ap) __attribute__((format(printf, 5, 0)));
static void vproblem(struct tp_ctx *ctx, int status, const char *code, json_t *members,
                     const char *detail_fmt, va_list ap) {
  char detail[512];
  vsnprintf(detail, sizeof(detail), detail_fmt, ap);
  /* A detail echoing request bytes (a method, a path variable), or cut at
   * the buffer's end, may not be UTF-8; jansson would then refuse the whole
   * problem document and the response would go out without a body. */
  tp_utf8_scrub(detail);
  send_problem(ctx, status, code, detail, NULL, members);
}

void tp_problem(struct tp_ctx *ctx, int status, const char *code, const char *detail_fmt, ...) {
  va_list ap;
  va_start(ap, detail_fmt);
  vproblem(ctx, status, code, NULL, detail_fmt, ap);
  va_end(ap);
}

void tp_problem_with(struct tp_ctx *ctx, int status, const char *code, json_t *members,
                     const char *detail_fmt, ...) {
  va_list ap;
  va_start(ap, detail_fmt);
  vproblem(ctx, status, code, members, detail_fmt, ap);
  va_end(ap);
}

void tp_problem_params(struct tp_ctx *ctx, const struct tp_params *params) {
  size_t n = json_array_size(params->invalid);
  char detail[128];
  snprintf(detail, sizeof(detail), "%zu parameter%s ongeldig; zie invalidParams.", n,
           n == 1 ? " is" : "s zijn");
  send_problem(ctx, 400, NULL, detail, params->invalid, NULL);
}

void tp_problem_invalid(struct tp_ctx *ctx, const char *name, const char *code,
                        const char *reason) {
  struct tp_params report = {.invalid = json_array()};
  tp_params_invalid(&report, name, code, reason);
  tp_problem_params(ctx, &report);
  json_decref(report.invalid);
}

void tp_problem_rc(struct tp_ctx *ctx, tp_rc rc, const char *what) {
  switch (rc) {
  case TP_ERR_NOT_FOUND:
    tp_problem(ctx, 404, NULL, "%s bestaat niet.", what);
    break;
  case TP_ERR_PRECONDITION:
    /* A malformed If-Match names no tag: say so rather than "changed". */
    if (tp_etag_field_kind(tp_header(ctx, "If-Match")) == TP_ETAG_FIELD_MALFORMED) {
      tp_problem(ctx, 412, NULL,
                 "If-Match is geen geldige lijst van ETags (RFC 9110) en past dus nergens op; "
                 "'*' mag alleen als hele waarde.");
    } else {
      tp_problem(ctx, 412, NULL, "%s is intussen gewijzigd; haal het opnieuw op (ETag).", what);
    }
    break;
  case TP_ERR_CONFLICT:
    tp_problem(ctx, 409, NULL, "%s botst met de huidige gegevens.", what);
    break;
  case TP_ERR_BUSY:
    if (ctx->answered) break; /* the Retry-After below is not the first answer's */
    tp_problem(ctx, 503, NULL, "%s: de berekening loopt nog; vraag het over enkele seconden "
               "opnieuw.", what);
    tp_set_header(ctx, "Retry-After", "2");
    break;
  case TP_ERR_UNAVAILABLE:
    tp_problem(ctx, 503, NULL, "De database is tijdelijk niet bereikbaar; probeer het zo opnieuw.");
    break;
  case TP_ERR_CONCURRENT:
    tp_problem(ctx, 503, NULL, "%s: gelijktijdige wijzigingen in de database zaten elkaar in de "
               "weg; er is niets veranderd. Probeer het zo opnieuw.", what);
    break;
  case TP_ERR_INVALID: {
    /* Validation lets through what the database then refuses: the
     * client's data all the same, never our 500. */
    char reason[256];
    snprintf(reason, sizeof(reason), "%s voldoet niet aan een regel van de database.", what);
    tp_problem_invalid(ctx, "body", "database-rule", reason);
    break;
  }
  case TP_ERR_OUTCOME_UNKNOWN:
    /* Never "try again": the change may be stored already. */
    tp_problem(ctx, 504, NULL,
               "Het is onbekend of de wijziging is opgeslagen: de database bevestigde haar niet "
               "op tijd. Haal de actuele stand op (GET) voordat u iets opnieuw stuurt; opnieuw "
               "sturen met dezelfde If-Match of If-None-Match is veilig.");
    break;
  default:
    /* The cause is in the log under this request's id, never in the body. */
    tp_log_error("500: %s", tp_rc_name(rc));
    tp_problem(ctx, 500, NULL, "Er ging iets mis aan onze kant; meld het kenmerk in 'instance'.");
    break;
  }
}

tp_step tp_body_json(struct tp_ctx *ctx, json_t **out) {
  struct tp_json_error err;
  *out = NULL;
  if (ctx->req->binary_body_length == 0) {
    tp_problem_invalid(ctx, "body", "required", "De body ontbreekt; stuur een JSON-object.");
    return TP_ANSWERED;
  }
  json_t *doc = tp_json_parse(ctx->req->binary_body, ctx->req->binary_body_length, &err);
  if (doc == NULL || !json_is_object(doc)) {
    char reason[256];
    if (doc == NULL) {
      snprintf(reason, sizeof(reason), "Geen geldige JSON (positie %zu): %s.", err.position,
               err.text);
    } else {
      snprintf(reason, sizeof(reason), "Verwacht een JSON-object.");
    }
    json_decref(doc);
    tp_problem_invalid(ctx, "body", "invalid-json", reason);
    return TP_ANSWERED;
  }
  *out = doc;
  return TP_GO_ON;
}

tp_step tp_no_query(struct tp_ctx *ctx) {
  struct tp_params params;
  tp_params_parse(&params, ctx->query);
  int bad = tp_params_finish(&params) > 0;
  if (bad) tp_problem_params(ctx, &params);
  tp_params_free(&params);
  return bad ? TP_ANSWERED : TP_GO_ON;
}
