/* The teamplotter: gap analyses of an inline team (anonymous, nothing
 * stored) and of a stored profile, as JSON or as an SVG chart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "team_input.h"
#include "teamprofielen.h"

#include "teamplotter/chart.h"
#include "teamplotter/gap.h"
#include "teamplotter/routes.h"
#include "teamplotter/snapshot.h"
#include "teamplotter/team.h"
#include "teamplotter/text.h"

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

/* The team `source` (a team body or a stored profile) describes, with
 * its municipality from the snapshot; no query. *team a new reference, or
 * TP_ANSWERED. */
static tp_step team_to_analyse(struct tp_ctx *ctx, const json_t *source, const json_t **gemeente,
                               json_t **team) {
  struct tp_snapshot *snap;
  *team = NULL;
  if (tp_ctx_snapshot(ctx, &snap) == TP_ANSWERED) return TP_ANSWERED;
  const char *code = json_string_value(json_object_get(source, "gemeente"));
  *gemeente = code ? json_object_get(snap->gemeenten, code) : NULL;
  if (code != NULL && *gemeente == NULL) {
    tp_problem(ctx, 404, NULL, "Gemeente %.*s bestaat niet.",
               (int)tp_utf8_prefix(code, strlen(code), 16), code);
    return TP_ANSWERED;
  }
  *team = team_of(source, *gemeente);
  if (*team != NULL) return TP_GO_ON;
  tp_problem_rc(ctx, TP_ERR_NOMEM, "");
  return TP_ANSWERED;
}

/* Answers with the analysis of `team` (NULL: out of memory) against the
 * snapshot's reference set, stating the catalogue and reference-set
 * versions it used: written as text straight from the analysis, without a
 * jansson tree. */
static void send_team_analysis(struct tp_ctx *ctx, const struct tp_gap_team *team) {
  const struct tp_snapshot *snap = ctx->snapshot;
  size_t len = 0;
  const struct tp_gap_versies versies = {json_object_get(snap->inputs, "catalogusVersie"),
                                         json_object_get(snap->inputs, "referentieVersie")};
  char *text = team ? tp_gap_team_text(snap->gap, team, &versies, &len) : NULL;
  if (text == NULL) {
    tp_problem_rc(ctx, TP_ERR_NOMEM, "");
    return;
  }
  tp_respond_json_text(ctx, 200, text, len);
  free(text);
}

/* The same for a team document. */
static void send_analysis(struct tp_ctx *ctx, const json_t *team) {
  struct tp_gap_team t;
  int read = tp_gap_team_from_json(team, &t) == 0;
  send_team_analysis(ctx, read ? &t : NULL);
  if (read) tp_gap_team_free(&t);
}

/* The way nearly every body goes: read straight into the analysis's arrays
 * when it is plainly valid (tp_team_read_analysis), without a document.
 * TP_GO_ON leaves the request to the general way, which reads, checks and
 * answers everything else (a query string, no snapshot loaded yet, a body
 * with mistakes or escapes) as before. */
static tp_step send_plain_analysis(struct tp_ctx *ctx) {
  if (ctx->query != NULL && ctx->query[0] != '\0') return TP_GO_ON;
  const struct tp_snapshot *snap = tp_ctx_snapshot_if_loaded(ctx);
  if (snap == NULL) return TP_GO_ON;
  struct tp_team_read read;
  if (!tp_team_read_analysis(ctx->req->binary_body, ctx->req->binary_body_length, &snap->known,
                             &read)) {
    return TP_GO_ON;
  }
  json_t *what_if = NULL;
  if (read.team.gemeente != NULL) {
    const json_t *gemeente = json_object_get(snap->gemeenten, read.team.gemeente);
    if (gemeente == NULL) { /* the general way answers 404 */
      tp_gap_team_free(&read.team);
      return TP_GO_ON;
    }
    read.team.inwoners = json_object_get(gemeente, "inwoners");
  } else {
    what_if = json_integer(read.inwoners);
    read.team.inwoners = what_if;
  }
  int what_if_lost = read.team.gemeente == NULL && what_if == NULL; /* out of memory */
  send_team_analysis(ctx, what_if_lost ? NULL : &read.team);
  json_decref(what_if);
  tp_gap_team_free(&read.team);
  return TP_ANSWERED;
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

/* The chart's title: the municipality and the date of the team, or the
 * inhabitants of a what-if team; `peildatum` may be NULL. */
static void chart_title(char *titel, size_t len, const json_t *team, const json_t *gemeente,
                        const char *peildatum) {
  if (gemeente == NULL) {
    snprintf(titel, len, "Wat-als: %" JSON_INTEGER_FORMAT " inwoners",
             json_integer_value(json_object_get(team, "inwoners")));
    return;
  }
  int n = snprintf(titel, len, "%s (%s)", json_string_value(json_object_get(gemeente, "naam")),
                   json_string_value(json_object_get(gemeente, "code")));
  if (peildatum != NULL && n > 0 && (size_t)n < len) {
    snprintf(titel + n, len - (size_t)n, ", peildatum %s", peildatum);
  }
}

static void send_chart(struct tp_ctx *ctx, const json_t *team, const char *titel) {
  json_t *result = tp_gap_analyse_with(ctx->snapshot->gap, team);
  json_t *names = result ? role_names(ctx->snapshot->inputs) : NULL;
  char *svg = names ? tp_chart_svg(result, names, titel) : NULL;
  json_decref(names);
  json_decref(result);
  if (svg == NULL) {
    tp_problem_rc(ctx, TP_ERR_NOMEM, "");
    return;
  }
  tp_respond_bytes(ctx, 200, "image/svg+xml", svg, strlen(svg));
  free(svg);
}

static int wants_chart(const struct tp_ctx *ctx) {
  return strcmp(ctx->media_type, "image/svg+xml") == 0;
}

/* Answers with the analysis of the team `source` describes (a profile or
 * a team body), as JSON or, with Accept: image/svg+xml, as its chart. */
static void send_analysis_of(struct tp_ctx *ctx, const json_t *source) {
  json_t *team = NULL;
  const json_t *gemeente = NULL;
  if (team_to_analyse(ctx, source, &gemeente, &team) == TP_ANSWERED) return;
  if (wants_chart(ctx)) {
    char titel[256];
    chart_title(titel, sizeof(titel), team, gemeente,
                json_string_value(json_object_get(source, "peildatum")));
    send_chart(ctx, team, titel);
  } else {
    send_analysis(ctx, team);
  }
  json_decref(team);
}

static void get_profile_analysis(struct tp_ctx *ctx) {
  json_t *profile = NULL;
  if (tp_api_readable_teamprofiel(ctx, &profile) == TP_ANSWERED) return;
  send_analysis_of(ctx, profile);
  json_decref(profile);
}

/* As JSON (the plain way first) or as the chart of the same analysis. */
static void post_gap_analysis(struct tp_ctx *ctx) {
  json_t *body = NULL;
  if ((!wants_chart(ctx) && send_plain_analysis(ctx) == TP_ANSWERED) ||
      tp_api_read_team(ctx, TP_TEAM_ANALYSE, &body) == TP_ANSWERED) {
    return;
  }
  send_analysis_of(ctx, body);
  json_decref(body);
}

static const char *const JSON_OR_SVG[] = {"application/json", "image/svg+xml", NULL};

/* Without a token a stored profile's analysis is a reference profile's: public. */
const struct tp_route tp_routes_analyse[] = {
    {"POST", "/api/v1/gap-analyses", post_gap_analysis, JSON_OR_SVG, TP_ROUTE_JSON_BODY},
    {"GET", "/api/v1/teamprofielen/{uuid}/gap-analyse", get_profile_analysis, JSON_OR_SVG,
     TP_ROUTE_PUBLIC},
    {0},
};
