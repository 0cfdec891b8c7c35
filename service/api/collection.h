#ifndef TEAMPLOTTER_API_COLLECTION_H
#define TEAMPLOTTER_API_COLLECTION_H

/* Shared handler steps for read resources (collection.c). Private to service/api. */

#include "teamplotter/http.h"
#include "teamplotter/paging.h"
#include "teamplotter/repo.h"

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

#endif
