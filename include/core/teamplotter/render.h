#ifndef TEAMPLOTTER_RENDER_H
#define TEAMPLOTTER_RENDER_H

#include <jansson.h>

/* Renders `doc` the way every JSON response is rendered: compact, keys in
 * insertion order, each real in the shortest form that reads back exactly
 * (0.3 stays 0.3, 0.010750000000000001 keeps its last digit). New string,
 * free with free(). NULL on failure. */
char *tp_json_render(const json_t *doc);

/* Pieces of a JSON text appended to `b` exactly as tp_json_render writes
 * them, for documents written from arrays without a jansson tree: a
 * string (NUL-terminated) with its quotes and escapes, a real in its
 * shortest exact form (NaN and infinities as null, as jansson cannot hold
 * them), an integer. A NULL string is written as null. -1 (nothing
 * appended) when the string is not UTF-8. */
struct tp_textbuf;
int tp_json_put_string(struct tp_textbuf *b, const char *s);
void tp_json_put_real(struct tp_textbuf *b, double v);
void tp_json_put_integer(struct tp_textbuf *b, long long v);

/* A finite real as tp_json_render writes it, into `out` (48 bytes hold
 * any); the length, or -1 when it does not fit. */
int tp_json_format_real(double v, char *out, size_t outlen);

/* Any value (a scalar too) exactly as tp_json_render writes it inside a
 * document. -1 (nothing appended) when tp_json_render would fail. */
int tp_json_put_value(struct tp_textbuf *b, const json_t *v);

#define TP_ETAG_LEN 34 /* a quoted 32-hex-digit tag */

/* The strong ETag of `len` bytes: "\"<32 hex>\"", their XXH3-128
 * (tp_xxh128_hex). 0 on success. */
int tp_etag_of_bytes(const void *data, size_t len, char out[TP_ETAG_LEN + 1]);

/* The ETag a GET of `doc` answers with. 0 on success. */
int tp_etag_of_json(const json_t *doc, char out[TP_ETAG_LEN + 1]);

/* What an If-Match or If-None-Match field value is (RFC 9110 13.1.1,
 * 13.1.2): "*" / #entity-tag, where entity-tag = [W/] DQUOTE *etagc DQUOTE
 * and the list may have whitespace around its commas and empty elements. */
enum tp_etag_field {
  TP_ETAG_FIELD_MALFORMED, /* neither: it names no tag at all (NULL too) */
  TP_ETAG_FIELD_ANY,       /* "*" as the whole value */
  TP_ETAG_FIELD_LIST,      /* a list of entity tags, possibly empty */
};
enum tp_etag_field tp_etag_field_kind(const char *field);

/* Whether an If-Match / If-None-Match field value names `etag` (a strong
 * tag as tp_etag_of_bytes writes it): "*" names every tag, a list names
 * the tags in it. With `weak` (If-None-Match) a W/ tag compares equal to
 * its strong twin; without it (If-Match) W/ tags never match. A malformed
 * field names nothing, whatever it contains. */
int tp_etag_list_has(const char *field, const char *etag, int weak);

#endif
