/* A municipality's development: every profile of its online team over
 * time, summarised by its gap analysis, as JSON, CSV or an SVG chart. The
 * document is computed in core/ontwikkeling*.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/app.h"
#include "teamplotter/auth.h"
#include "teamplotter/ontwikkeling.h"
#include "teamplotter/ontwikkeling_repo.h"
#include "teamplotter/peiling.h"
#include "teamplotter/peilingen_repo.h"
#include "teamplotter/query.h"
#include "teamplotter/routes.h"
#include "teamplotter/snapshot.h"
#include "teamplotter/text.h"

static int is_referentiegemeente(const struct tp_snapshot *snap, const char *code) {
  size_t i;
  const json_t *r;
  json_array_foreach(json_object_get(snap->inputs, "referenties"), i, r) {
    const char *g = json_string_value(json_object_get(r, "gemeente"));
    if (g != NULL && strcmp(g, code) == 0) return 1;
  }
  return 0;
}

/* Whether `principal` (may be NULL) may see every profile of `code`: as
 * for the municipality's benchmark. */
static int may_read_all(const json_t *principal, const char *code) {
  return principal != NULL &&
         (tp_principal_has_scope(principal, "benchmarks.lezen") ||
          (tp_principal_has_scope(principal, "teamprofielen.lezen") &&
           tp_principal_may(principal, code)));
}

/* Sends the development as the media type asked for: JSON as written,
 * CSV and SVG from its document. */
static void send_ontwikkeling(struct tp_ctx *ctx, char *json, size_t json_len) {
  if (strcmp(ctx->media_type, "application/json") == 0) {
    tp_respond_json_text(ctx, 200, json, json_len);
    return;
  }
  int csv = strcmp(ctx->media_type, "text/csv") == 0;
  size_t len = 0;
  json_t *doc = json_loadb(json, json_len, 0, NULL);
  char *text = doc == NULL ? NULL : csv ? tp_ontwikkeling_csv(doc, &len) : tp_ontwikkeling_svg(doc);
  if (text == NULL) {
    tp_problem_rc(ctx, TP_ERR_NOMEM, "");
  } else if (csv) {
    tp_respond_bytes(ctx, 200, "text/csv; charset=utf-8; header=present", text, len);
  } else {
    tp_respond_bytes(ctx, 200, "image/svg+xml", text, strlen(text));
  }
  free(text);
  json_decref(doc);
}

/* The analysis inputs to use: the snapshot's, or those round `peiling`
 * stored (into *stored, a new reference). TP_ANSWERED when that round does
 * not exist (400 naming the parameter) or cannot be read. */
static tp_step inputs_of(struct tp_ctx *ctx, struct tp_params *params, const char *peiling,
                         json_t **stored) {
  *stored = NULL;
  if (peiling == NULL) return TP_GO_ON;
  struct tp_db *db = NULL;
  tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) rc = tp_repo_peiling_model(db, peiling, stored);
  tp_pool_release(ctx->app->pool, db);
  if (rc == TP_OK) return TP_GO_ON;
  if (rc == TP_ERR_NOT_FOUND) {
    tp_params_invalid(params, "peiling", "unknown-value", "Er bestaat geen peiling met deze naam.");
    tp_problem_params(ctx, params);
  } else {
    tp_problem_rc(ctx, rc, "De peiling");
  }
  return TP_ANSWERED;
}

/* The development of `gemeente` from the profiles in `q`, analysed with
 * `inputs` (and its model `m`), as JSON text into *json (`*len` bytes), or
 * TP_ANSWERED. */
static tp_step load(struct tp_ctx *ctx, const struct tp_gap_model *m, const json_t *inputs,
                    const char *peiling, const json_t *gemeente,
                    struct tp_ontwikkeling_query *q, char **json, size_t *len) {
  struct tp_ontwikkeling_profielen profielen;
  struct tp_db *db = NULL;
  /* One more than shown, to know whether older ones were left out. */
  q->limit = TP_ONTWIKKELING_MAX + 1;
  tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) {
    rc = tp_repo_ontwikkeling_profielen(db, q, &profielen);
  } else {
    memset(&profielen, 0, sizeof(profielen));
  }
  tp_pool_release(ctx->app->pool, db);
  if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "De ontwikkeling");
    return TP_ANSWERED;
  }
  int afgekapt = profielen.n > TP_ONTWIKKELING_MAX;
  size_t skip = afgekapt ? 1 : 0; /* the oldest */
  json_t *versies = json_pack("{sOsOss?}", "catalogusVersie",
                              json_object_get(inputs, "catalogusVersie"), "referentieVersie",
                              json_object_get(inputs, "referentieVersie"), "peiling", peiling);
  *json = versies ? tp_ontwikkeling_json(m, gemeente, profielen.punten + skip,
                                          profielen.n - skip, afgekapt, versies, len)
                  : NULL;
  json_decref(versies);
  tp_repo_ontwikkeling_free(&profielen);
  if (*json != NULL) return TP_GO_ON;
  tp_problem_rc(ctx, TP_ERR_NOMEM, "");
  return TP_ANSWERED;
}

/* The development with the inputs of round `peiling` (NULL: the
 * snapshot's), sent. */
static void answer(struct tp_ctx *ctx, struct tp_params *params, struct tp_snapshot *snap,
                   const char *peiling, const json_t *gemeente, struct tp_ontwikkeling_query *q) {
  json_t *stored = NULL;
  char *json = NULL;
  size_t len = 0;
  /* Kept per snapshot under the profiles epoch (snapshot.h), for what the
   * reader may see, in the media type asked for; not with a round (one
   * can be removed and made again under its name). */
  char key[1024];
  long epoch = peiling == NULL ? tp_snapshots_profiles_epoch(ctx->app->snapshots) : -1;
  int keep = epoch >= 0 && snprintf(key, sizeof(key), "ontwikkeling %ld %d %s %s", epoch,
                                    !q->alleen_referentie, ctx->media_type,
                                    ctx->req->http_url) < (int)sizeof(key);
  if (keep && tp_respond_kept(ctx, snap, key) == TP_ANSWERED) return;
  if (inputs_of(ctx, params, peiling, &stored) == TP_ANSWERED) return;
  /* A round's model is built for this answer alone. */
  struct tp_gap_model *own =
      stored ? tp_gap_model_new(json_object_get(stored, "rollen"),
                                json_object_get(stored, "referenties"))
             : NULL;
  if (stored != NULL && own == NULL) {
    tp_problem_rc(ctx, TP_ERR_NOMEM, "");
  } else if (load(ctx, own ? own : snap->gap, stored ? stored : snap->inputs, peiling, gemeente,
                  q, &json, &len) == TP_GO_ON) {
    send_ontwikkeling(ctx, json, len);
    if (keep) tp_keep_response(ctx, snap, key);
  }
  free(json);
  tp_gap_model_free(own);
  json_decref(stored);
}

static void get_ontwikkeling(struct tp_ctx *ctx) {
  const char *code = tp_path_var(ctx, 0);
  json_t *principal = NULL;
  struct tp_snapshot *snap;
  if (tp_auth(ctx, &principal) == TP_ANSWERED) return;
  struct tp_params params;
  tp_params_parse(&params, ctx->query);
  const json_t *gemeente = NULL;
  int all = may_read_all(principal, code);
  if (tp_ctx_snapshot(ctx, &snap) == TP_ANSWERED) {
    /* answered */
  } else if ((gemeente = json_object_get(snap->gemeenten, code)) == NULL) {
    /* The code echoed is cut to 16 bytes, at a character boundary. */
    tp_problem(ctx, 404, NULL, "Gemeente %.*s bestaat niet.",
               (int)tp_utf8_prefix(code, strlen(code), 16), code);
  } else if (!all && !is_referentiegemeente(snap, code) && principal == NULL) {
    tp_problem(ctx, 401, NULL,
               "Zonder token is alleen de ontwikkeling van de referentiegemeenten te lezen.");
  } else if (!all && !is_referentiegemeente(snap, code)) {
    tp_problem(ctx, 403, NULL,
               "Nodig: scope 'benchmarks.lezen', of 'teamprofielen.lezen' voor deze gemeente.");
  } else {
    /* Without the rights above, a reference municipality shows only its
     * public profiles. */
    struct tp_ontwikkeling_query q = {.gemeente = code, .alleen_referentie = !all};
    tp_param_past_date(&params, "vanaf", &q.vanaf);
    tp_param_past_date(&params, "tot", &q.tot);
    if (q.vanaf != NULL && q.tot != NULL && strcmp(q.vanaf, q.tot) > 0) {
      tp_params_invalid(&params, "vanaf", "invalid-range", "'vanaf' ligt na 'tot'.");
      tp_params_invalid(&params, "tot", "invalid-range", "'tot' ligt voor 'vanaf'.");
    }
    const char *peiling = NULL;
    if (tp_param_text(&params, "peiling", 1, 40, &peiling) == 0 && peiling != NULL &&
        !tp_peiling_naam_ok(peiling)) {
      tp_params_invalid(&params, "peiling", "invalid-format", TP_PEILING_NAAM_UITLEG);
      peiling = NULL;
    }
    if (tp_params_finish(&params) > 0)
      tp_problem_params(ctx, &params);
    else
      answer(ctx, &params, snap, peiling, gemeente, &q);
  }
  tp_params_free(&params);
  json_decref(principal);
}

static const char *const JSON_CSV_OR_SVG[] = {"application/json", "text/csv", "image/svg+xml",
                                              NULL};

/* A reference municipality's development is public. */
const struct tp_route tp_routes_ontwikkeling[] = {
    {"GET", "/api/v1/gemeenten/{code}/ontwikkeling", get_ontwikkeling, JSON_CSV_OR_SVG,
     TP_ROUTE_PUBLIC},
    {0},
};
