#ifndef TEAMPLOTTER_QUERY_H
#define TEAMPLOTTER_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* Query strings are parsed here, strictly, rather than through Ulfius's
 * map_url: there a path variable and a query key of the same name are
 * merged, duplicate keys are joined with commas, and values that are not
 * UTF-8 silently disappear. */

#define TP_QUERY_MAX_PARAMS 64

struct tp_query_param {
  char *key;
  char *value;
};

/* The typed reader of one request's query parameters. Every problem found
 * is appended to `invalid` as {name, code, reason}, so that one 400 can
 * name all of them. */
struct tp_params {
  struct tp_query_param items[TP_QUERY_MAX_PARAMS];
  size_t count;
  uint64_t used;   /* bit i: items[i] was asked for by the handler */
  json_t *invalid; /* array of invalidParams entries */
  int finished;    /* unknown keys have been recorded */
};

/* Parses `raw` (the part after '?', may be NULL). Never fails outright:
 * malformed parts become entries in params->invalid. Free with
 * tp_params_free. */
void tp_params_parse(struct tp_params *params, const char *raw);
void tp_params_free(struct tp_params *params);

/* Appends an invalidParams entry. */
void tp_params_invalid(struct tp_params *params, const char *name, const char *code,
                       const char *reason);

/* The raw value of `name`, marking it as known; NULL when absent. */
const char *tp_param_get(struct tp_params *params, const char *name);

/* Readers: each marks the key as known and stores the default (NULL or -1
 * for enum/text/bool) when the key is absent or its value is invalid;
 * an invalid value is also recorded as a problem. They return 0 when the
 * value was absent or valid. */
int tp_param_long(struct tp_params *params, const char *name, long min, long max, long def,
                  long *out);
/* *out: 1 for "true", 0 for "false", -1 when absent. */
int tp_param_bool(struct tp_params *params, const char *name, int *out);
/* `allowed` ends with NULL; *out points into `allowed`. */
int tp_param_enum(struct tp_params *params, const char *name, const char *const *allowed,
                  const char **out);
int tp_param_text(struct tp_params *params, const char *name, size_t min_len, size_t max_len,
                  const char **out);
/* A real calendar date written YYYY-MM-DD. */
int tp_param_date(struct tp_params *params, const char *name, const char **out);
/* tp_param_date, and not after today (UTC): an as-of date, since one in
 * the future would only be today's under another name. */
int tp_param_past_date(struct tp_params *params, const char *name, const char **out);

/* Records every key no reader asked for as unknown (once, however often it
 * is called); returns the number of problems found in all. Call after the
 * last reader. */
size_t tp_params_finish(struct tp_params *params);

/* Decodes the %XX escapes in `n` bytes at `s`, and '+' as a space when
 * `plus_is_space` (query strings, not paths), into a new NUL-terminated
 * string the caller o_frees, with its length in *len: the result may hold
 * NUL bytes or invalid UTF-8, which each caller judges for itself. NULL
 * when an escape is broken (or out of memory). */
char *tp_percent_decode(const char *s, size_t n, int plus_is_space, size_t *len);

/* Percent-encodes `in` for use as a query value into `out`; returns the
 * length written or -1 when it does not fit. */
int tp_query_encode(const char *in, char *out, size_t outlen);

#endif
