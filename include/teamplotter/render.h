#ifndef TEAMPLOTTER_RENDER_H
#define TEAMPLOTTER_RENDER_H

#include <jansson.h>

/* Renders `doc` the way every JSON response is rendered: compact, keys in
 * insertion order, each real in the shortest form that reads back exactly
 * (0.3 stays 0.3, 0.010750000000000001 keeps its last digit). New string,
 * free with free(). NULL on failure. */
char *tp_json_render(const json_t *doc);

#define TP_ETAG_LEN 34 /* a quoted 32-hex-digit tag */

/* The strong ETag of `len` bytes: "\"<32 hex>\"". 0 on success. */
int tp_etag_of_bytes(const void *data, size_t len, char out[TP_ETAG_LEN + 1]);

/* The ETag a GET of `doc` answers with. 0 on success. */
int tp_etag_of_json(const json_t *doc, char out[TP_ETAG_LEN + 1]);

/* Whether an If-Match / If-None-Match header value (a list of entity
 * tags, or "*") names `etag`. With `weak` (If-None-Match) a W/ tag compares
 * equal to its strong twin; without it (If-Match) W/ tags never match. */
int tp_etag_list_has(const char *header, const char *etag, int weak);

#endif
