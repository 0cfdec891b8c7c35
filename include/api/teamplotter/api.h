#ifndef TEAMPLOTTER_API_H
#define TEAMPLOTTER_API_H

#include "teamplotter/catalogus.h"
#include "teamplotter/http.h"
#include "teamplotter/repo.h"

/* The route table of each resource file in service/api, each ending with a
 * zeroed entry, and the list of all of them. */
extern const struct tp_route tp_routes_health[];
extern const struct tp_route tp_routes_root[];
extern const struct tp_route *const tp_all_routes[];


/* Shared handler steps for read resources (service/api/collection.c). */

/* Answers a collection request: 400 when `params` holds problems (after
 * checking for unknown keys), else fetches the page with `fetch` and sends
 * it with paging links. Frees nothing; the caller frees `params`. */
void tp_api_list(struct tp_ctx *ctx, struct tp_params *params, const struct tp_paging *paging,
                 tp_page_fn fetch, const void *filter);

/* tp_api_list for a collection without filters: paging only. */
void tp_api_list_plain(struct tp_ctx *ctx, tp_page_fn fetch);

/* Answers a single-item request keyed by path variable 0: no query
 * parameters allowed, 404 naming `what` when absent. */
void tp_api_item(struct tp_ctx *ctx, tp_item_fn fetch, const char *what);

/* Runs `fetch` (a single-item query, or any repo read of that shape) with
 * `key` on a connection acquired from the pool and released again; *doc is
 * a new reference on TP_OK. TP_ERR_UNAVAILABLE when no connection can be
 * had. Answers nothing. */
tp_rc tp_api_fetch(struct tp_ctx *ctx, tp_item_fn fetch, const char *key, json_t **doc);

/* Reads and validates a team body of `kind` (profile or analysis) against
 * the codes in the database into *body (new reference), or TP_ANSWERED
 * after answering 400 with every violation, or 503. */
tp_step tp_api_read_team(struct tp_ctx *ctx, int kind, json_t **body);

/* The team profile named by path variable 0 into *doc (new reference) when
 * the caller may read it (reference profiles are public); TP_ANSWERED
 * after answering 401/403/404/503. */
tp_step tp_api_readable_profile(struct tp_ctx *ctx, json_t **doc);

/* Fills `who` from the principal's client id and X-Audit-Toelichting, or
 * TP_ANSWERED after answering 400 for a note that is too long or not
 * UTF-8. */
tp_step tp_api_change_of(struct tp_ctx *ctx, const json_t *principal, struct tp_change *who);

/* PUT and DELETE of one catalogue entry named by path variable 0 (scope
 * catalogus.beheren, If-Match or If-None-Match: *, audit trail, a new
 * catalogue version); see catalogusbeheer.c. */
void tp_api_catalogus_put(struct tp_ctx *ctx, enum tp_catalogus_soort soort);
void tp_api_catalogus_delete(struct tp_ctx *ctx, enum tp_catalogus_soort soort);

extern const struct tp_route tp_routes_rolfamilies[];
extern const struct tp_route tp_routes_rollen[];
extern const struct tp_route tp_routes_competenties[];
extern const struct tp_route tp_routes_succesfactoren[];
extern const struct tp_route tp_routes_gemeenten[];
extern const struct tp_route tp_routes_succesverhalen[];
extern const struct tp_route tp_routes_bronnen[];
extern const struct tp_route tp_routes_teamprofielen[];
extern const struct tp_route tp_routes_analyse[];
extern const struct tp_route tp_routes_benchmarks[];
extern const struct tp_route tp_routes_catalogusversies[];

#endif
