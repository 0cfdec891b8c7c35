/* The team body shared by team profiles and gap analyses: JSON parsing
 * and validation against the codes the database knows. */
#include "teamplotter/api.h"
#include "teamplotter/app.h"
#include "teamplotter/team.h"

json_t *tp_api_read_team(struct tp_ctx *ctx, int kind) {
  json_t *body = NULL, *codes = NULL;
  if (tp_no_query(ctx) != 0 || tp_body_json(ctx, &body) != 0) return NULL;
  struct tp_db *db = NULL;
  tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) rc = tp_repo_known_codes(db, &codes);
  tp_pool_release(ctx->app->pool, db);
  struct tp_known known;
  if (rc == TP_OK && tp_known_from_json(codes, &known) != 0) rc = TP_ERR_NOMEM;
  if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "De catalogus");
    json_decref(codes);
    json_decref(body);
    return NULL;
  }
  struct tp_params report = {.invalid = json_array()};
  tp_team_validate(body, (enum tp_team_kind)kind, &known, "", report.invalid);
  tp_known_free(&known);
  json_decref(codes);
  if (json_array_size(report.invalid) > 0) {
    tp_problem_params(ctx, &report);
    json_decref(body);
    body = NULL;
  }
  json_decref(report.invalid);
  return body;
}
