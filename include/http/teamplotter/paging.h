#ifndef TEAMPLOTTER_PAGING_H
#define TEAMPLOTTER_PAGING_H

/* Collections: `page` and `pageSize`, and the {count, next, previous,
 * results} answer with its RFC 8288 Link header (paging.c). */

#include <stddef.h>

#include <jansson.h>

#include "teamplotter/http.h"
#include "teamplotter/query.h"

#define TP_PAGE_SIZE_DEFAULT 20
#define TP_PAGE_SIZE_MAX 100

struct tp_paging {
  long page;      /* from 1 */
  long page_size; /* 1..TP_PAGE_SIZE_MAX */
};

/* Reads `page` and `pageSize`, recording problems in `params`. */
void tp_paging_read(struct tp_params *params, struct tp_paging *paging);

/* Offset of the first row of the page. */
long tp_paging_offset(const struct tp_paging *paging);

/* Sends {count, next, previous, results} with an RFC 8288 Link header.
 * Takes `results` (a JSON array, stolen). `params` gives the other query
 * parameters to keep in the links. */
void tp_respond_page(struct tp_ctx *ctx, const struct tp_params *params,
                     const struct tp_paging *paging, long count, json_t *results);

/* tp_respond_page with the results already rendered (a JSON array text of
 * `len` bytes, written as tp_json_render writes them): the same answer,
 * without reading the rows back. */
void tp_respond_page_text(struct tp_ctx *ctx, const struct tp_params *params,
                          const struct tp_paging *paging, long count, const char *results,
                          size_t len);

#endif
