#ifndef TEAMPLOTTER_API_CHANGE_H
#define TEAMPLOTTER_API_CHANGE_H

/* Who makes a change, from the request (change.c). Private to service/api. */

#include "teamplotter/http.h"
#include "teamplotter/repo.h"

/* Fills `who` from the principal's client id and X-Audit-Toelichting, or
 * TP_ANSWERED after answering 400 for a note that is too long or not
 * UTF-8. */
tp_step tp_api_change_of(struct tp_ctx *ctx, const json_t *principal, struct tp_change *who);

#endif
