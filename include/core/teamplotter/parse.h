#ifndef TEAMPLOTTER_PARSE_H
#define TEAMPLOTTER_PARSE_H

#include <stddef.h>

#include <jansson.h>

/* A value nested deeper than this (counting itself) is refused: jansson's
 * own limit. */
#define TP_JSON_MAX_DEPTH 2048

/* Why a text is not accepted: a short reason and the byte offset near it. */
struct tp_json_error {
  size_t position;
  char text[160];
};

/* Reads `len` bytes as one JSON value (of any type) the way every request
 * body is read: what jansson's json_loadb accepts with
 * JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, to the same tree: duplicate
 * keys, invalid UTF-8, \u0000, integers beyond long long, reals beyond
 * double and nesting beyond TP_JSON_MAX_DEPTH are refused. yajl reads the
 * text (in less than half the time of json_loadb); the tree is jansson's.
 * New reference, or NULL with `err` filled (when not NULL). */
json_t *tp_json_parse(const char *data, size_t len, struct tp_json_error *err);

/* A JSON number (valid JSON text, `len` bytes) of at most 15 digits
 * without an exponent ("0.85", "-12", "3"), the numbers of nearly every
 * body, read without strtod: its digits fit a double exactly, and so does
 * 10^k for k <= 15, so one division rounds the quotient correctly and
 * gives strtod's double. Returns 1 with *integer set (no decimal point),
 * 2 with *real set, or 0 for any other number. */
int tp_json_short_number(const char *text, size_t len, long long *integer, double *real);

/* Whether the `n` bytes are all JSON whitespace (space, tab, LF, CR):
 * what may follow a document. yajl lets an unfinished token after one
 * pass ({}"abc), so both readers check the rest with this. */
int tp_json_only_whitespace(const char *p, size_t n);

#endif
