/* Team profiles. This version serves the public reference profiles of the
 * seven; a municipality's own profiles need a token (not yet issued). */
#include <uuid/uuid.h>

#include "teamplotter/api.h"

static void list_teamprofielen(struct tp_ctx *ctx) {
  struct tp_params params;
  struct tp_paging paging;
  struct tp_teamprofielen_filter filter;
  tp_params_parse(&params, ctx->query);
  tp_paging_read(&params, &paging);
  tp_param_bool(&params, "referentie", &filter.referentie);
  if (json_array_size(params.invalid) == 0 && filter.referentie != 1) {
    tp_problem(ctx, 401, NULL,
               "Zonder token zijn alleen de referentieprofielen te lezen (referentie=true).");
  } else {
    tp_api_list(ctx, &params, &paging, tp_repo_teamprofielen_page, &filter);
  }
  tp_params_free(&params);
}

static void get_teamprofiel(struct tp_ctx *ctx) {
  uuid_t parsed;
  struct tp_params params;
  tp_params_parse(&params, ctx->query);
  size_t bad = tp_params_finish(&params);
  if (bad > 0) {
    tp_problem_params(ctx, &params);
    tp_params_free(&params);
    return;
  }
  tp_params_free(&params);
  /* Anything that is not a UUID cannot name a profile. */
  if (uuid_parse(tp_path_var(ctx, 0), parsed) != 0) {
    tp_problem(ctx, 404, NULL, "Dit teamprofiel bestaat niet.");
    return;
  }
  json_t *doc = NULL;
  tp_rc rc = tp_api_fetch(ctx, tp_repo_teamprofiel, tp_path_var(ctx, 0), &doc);
  if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "Dit teamprofiel");
  } else if (!json_is_true(json_object_get(doc, "referentie"))) {
    tp_problem(ctx, 401, NULL, "Dit teamprofiel is alleen met een token te lezen.");
  } else {
    tp_respond_json(ctx, 200, doc);
  }
  json_decref(doc);
}

const struct tp_route tp_routes_teamprofielen[] = {
    {"GET", "/api/v1/teamprofielen", list_teamprofielen, NULL, 0},
    {"GET", "/api/v1/teamprofielen/{uuid}", get_teamprofiel, NULL, 0},
    {0},
};
