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

#endif
