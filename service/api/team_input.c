/* The team body shared by team profiles and gap analyses: JSON parsing
 * and validation against the codes the database knows. */
#include "teamplotter/api.h"
#include "teamplotter/snapshot.h"
#include "teamplotter/team.h"

json_t *tp_api_read_team(struct tp_ctx *ctx, int kind) {
  json_t *body = NULL;
  if (tp_no_query(ctx) != 0 || tp_body_json(ctx, &body) != 0) return NULL;
  /* The codes come from the snapshot: validating a team needs no query. */
  struct tp_snapshot *snap = tp_ctx_snapshot(ctx);
  if (snap == NULL) {
    json_decref(body);
    return NULL;
  }
  struct tp_params report = {.invalid = json_array()};
  if (report.invalid == NULL) {
    /* Without the list every violation would be dropped and the body pass. */
    tp_problem_rc(ctx, TP_ERR_NOMEM, "");
    json_decref(body);
    return NULL;
  }
  tp_team_validate(body, (enum tp_team_kind)kind, &snap->known, "", report.invalid);
  if (json_array_size(report.invalid) > 0) {
    tp_problem_params(ctx, &report);
    json_decref(body);
    body = NULL;
  }
  json_decref(report.invalid);
  return body;
}
