#ifndef TEAMPLOTTER_API_TEAMPROFIELEN_H
#define TEAMPLOTTER_API_TEAMPROFIELEN_H

/* What other handlers use of the team profiles (teamprofielen.c). Private to service/api. */

#include "teamplotter/http.h"

/* The team profile named by path variable 0 into *doc (new reference) when
 * the caller may read it (reference profiles are public); TP_ANSWERED
 * after answering 401/403/404/503. */
tp_step tp_api_readable_teamprofiel(struct tp_ctx *ctx, json_t **doc);

#endif
