#ifndef TEAMPLOTTER_API_TEAM_INPUT_H
#define TEAMPLOTTER_API_TEAM_INPUT_H

/* Reading a team body in a handler (team_input.c). Private to service/api. */

#include "teamplotter/http.h"

/* Reads and validates a team body of `kind` (profile or analysis) against
 * the codes in the database into *body (new reference), or TP_ANSWERED
 * after answering 400 with every violation, or 503. */
tp_step tp_api_read_team(struct tp_ctx *ctx, int kind, json_t **body);

#endif
