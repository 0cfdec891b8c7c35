/* The teamplotter: gap analyses of an inline team (anonymous, nothing
 * stored) and of a stored profile, as JSON or as an SVG chart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/api.h"
#include "teamplotter/app.h"
#include "teamplotter/chart.h"
#include "teamplotter/gap.h"
#include "teamplotter/team.h"

/* The analysis of `team` against the reference set in `inputs`, stating
 * the catalogue version it used. New reference or NULL. */
static json_t *analyse(const json_t *inputs, const json_t *team) {
  json_t *result = tp_gap_analyse(json_object_get(inputs, "rollen"), team,
                                  json_object_get(inputs, "referenties"));
  if (result != NULL) {
    json_object_set(result, "catalogusVersie", json_object_get(inputs, "catalogusVersie"));
  }
  return result;
}

/* The team of an analysis: municipality, its inhabitants (or a what-if
 * number), date and members. New reference. */
static json_t *team_of(const json_t *source, const json_t *gemeente_doc) {
  json_t *team = json_object();
  const json_t *gemeente = json_object_get(source, "gemeente");
  if (gemeente != NULL) json_object_set(team, "gemeente", (json_t *)gemeente);
  json_object_set(team, "inwoners",
                  gemeente_doc ? json_object_get(gemeente_doc, "inwoners")
                               : json_object_get(source, "inwoners"));
  const json_t *peildatum = json_object_get(source, "peildatum");
  if (peildatum != NULL) json_object_set(team, "peildatum", (json_t *)peildatum);
  json_object_set(team, "leden", json_object_get(source, "leden"));
  return team;
}

/* Reads the inputs and, when `source` names a municipality, its document. */
static tp_rc load_inputs(struct tp_ctx *ctx, const json_t *source, json_t **inputs,
                         json_t **gemeente_doc) {
  struct tp_db *db = NULL;
  const char *code = json_string_value(json_object_get(source, "gemeente"));
  tp_rc rc = tp_pool_acquire(ctx->app->pool, &db);
  if (rc == TP_OK) rc = tp_repo_analysis_inputs(db, inputs);
  if (rc == TP_OK && code != NULL) rc = tp_repo_gemeente(db, code, gemeente_doc);
  tp_pool_release(ctx->app->pool, db);
  return rc;
}

static void post_gap_analysis(struct tp_ctx *ctx) {
  json_t *body = tp_api_read_team(ctx, TP_TEAM_ANALYSIS);
  if (body == NULL) return;
  json_t *inputs = NULL, *gemeente = NULL, *team = NULL, *result = NULL;
  tp_rc rc = load_inputs(ctx, body, &inputs, &gemeente);
  if (rc == TP_OK) {
    team = team_of(body, gemeente);
    result = analyse(inputs, team);
  }
  if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "De gemeente");
  } else if (result == NULL) {
    tp_problem_rc(ctx, TP_ERR_NOMEM, "");
  } else {
    tp_respond_json(ctx, 200, result);
  }
  json_decref(result);
  json_decref(team);
  json_decref(gemeente);
  json_decref(inputs);
  json_decref(body);
}

/* code -> name of every catalogue role, for the chart's labels. */
static json_t *role_names(const json_t *inputs) {
  json_t *names = json_object();
  size_t i;
  json_t *rol;
  json_array_foreach(json_object_get(inputs, "rollen"), i, rol) {
    json_object_set(names, json_string_value(json_object_get(rol, "code")),
                    json_object_get(rol, "naam"));
  }
  return names;
}

static void send_chart(struct tp_ctx *ctx, const json_t *result, const json_t *inputs,
                       const json_t *gemeente, const json_t *profile) {
  char titel[256];
  snprintf(titel, sizeof(titel), "%s (%s), peildatum %s",
           json_string_value(json_object_get(gemeente, "naam")),
           json_string_value(json_object_get(gemeente, "code")),
           json_string_value(json_object_get(profile, "peildatum")));
  json_t *names = role_names(inputs);
  char *svg = tp_chart_svg(result, names, titel);
  json_decref(names);
  if (svg == NULL) {
    tp_problem_rc(ctx, TP_ERR_NOMEM, "");
    return;
  }
  tp_respond_bytes(ctx, 200, "image/svg+xml", svg, strlen(svg));
  free(svg);
}

static void get_profile_analysis(struct tp_ctx *ctx) {
  json_t *profile = tp_api_readable_profile(ctx);
  if (profile == NULL) return;
  json_t *inputs = NULL, *gemeente = NULL, *team = NULL, *result = NULL;
  tp_rc rc = load_inputs(ctx, profile, &inputs, &gemeente);
  if (rc == TP_OK) {
    team = team_of(profile, gemeente);
    result = analyse(inputs, team);
  }
  if (rc != TP_OK) {
    tp_problem_rc(ctx, rc, "De gemeente van dit profiel");
  } else if (result == NULL) {
    tp_problem_rc(ctx, TP_ERR_NOMEM, "");
  } else if (strcmp(ctx->media_type, "image/svg+xml") == 0) {
    send_chart(ctx, result, inputs, gemeente, profile);
  } else {
    tp_respond_json(ctx, 200, result);
  }
  json_decref(result);
  json_decref(team);
  json_decref(gemeente);
  json_decref(inputs);
  json_decref(profile);
}

static const char *const JSON_OR_SVG[] = {"application/json", "image/svg+xml", NULL};

const struct tp_route tp_routes_analyse[] = {
    {"POST", "/api/v1/gap-analyses", post_gap_analysis, NULL, TP_ROUTE_JSON_BODY},
    {"GET", "/api/v1/teamprofielen/{uuid}/gap-analyse", get_profile_analysis, JSON_OR_SVG, 0},
    {0},
};
