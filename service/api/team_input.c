/* The team body shared by team profiles and gap analyses: JSON parsing
 * and validation against the codes the database knows. */
#include "team_input.h"

#include "teamplotter/http.h"
#include "teamplotter/snapshot.h"
#include "teamplotter/team.h"

tp_step tp_api_read_team(struct tp_ctx *ctx, int kind, json_t **body) {
  struct tp_snapshot *snap;
  *body = NULL;
  if (tp_no_query(ctx) == TP_ANSWERED || tp_body_json(ctx, body) == TP_ANSWERED) {
    return TP_ANSWERED;
  }
  /* The codes come from the snapshot: validating a team needs no query. */
  struct tp_params report = {.invalid = NULL};
  if (tp_ctx_snapshot(ctx, &snap) == TP_ANSWERED) goto refused;
  report.invalid = json_array();
  if (report.invalid == NULL) {
    /* Without the list every violation would be dropped and the body pass. */
    tp_problem_rc(ctx, TP_ERR_NOMEM, "");
    goto refused;
  }
  tp_team_validate(*body, (enum tp_team_kind)kind, &snap->known, "", report.invalid);
  if (json_array_size(report.invalid) > 0) {
    tp_problem_params(ctx, &report);
    goto refused;
  }
  json_decref(report.invalid);
  return TP_GO_ON;
refused:
  json_decref(report.invalid);
  json_decref(*body);
  *body = NULL;
  return TP_ANSWERED;
}
