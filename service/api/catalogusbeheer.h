#ifndef TEAMPLOTTER_API_CATALOGUSBEHEER_H
#define TEAMPLOTTER_API_CATALOGUSBEHEER_H

/* Catalogue management handlers shared by the catalogue resources
 * (catalogusbeheer.c). Private to service/api. */

#include "teamplotter/catalogus.h"
#include "teamplotter/http.h"

/* PUT and DELETE of one catalogue entry named by path variable 0 (scope
 * catalogus.beheren, If-Match or If-None-Match: *, audit trail, a new
 * catalogue version); see catalogusbeheer.c. */
void tp_api_catalogus_put(struct tp_ctx *ctx, enum tp_catalogus_soort soort);
void tp_api_catalogus_delete(struct tp_ctx *ctx, enum tp_catalogus_soort soort);

#endif
