#ifndef TEAMPLOTTER_CORE_DOC_H
#define TEAMPLOTTER_CORE_DOC_H

/* Private to service/core: reading team documents and building result
 * documents, the steps the gap analysis and the benchmark share. Pure
 * functions; thread-safe. Strings returned are borrowed from the input
 * document and live as long as it does. */

#include <jansson.h>

/* Member `key` of `obj` as a string (NULL) or a number (0.0) when it is
 * absent or of another type. */
const char *tp_doc_str(const json_t *obj, const char *key);
double tp_doc_num(const json_t *obj, const char *key);

/* New references: `v` rounded to 4 decimals, or null when it is not
 * finite; a string, or null for NULL; a number as the caller gave it (an
 * integer stays an integer, a real is rounded to 4 decimals), null for
 * anything else. NULL only when out of memory. */
json_t *tp_doc_real4(double v);
json_t *tp_doc_str_or_null(const char *s);
json_t *tp_doc_number_copy(const json_t *v);

/* Adds `val` to an object or array, taking the reference also when that
 * fails (jansson frees it, as it does for a NULL container), and sets
 * *oom on failure: a document is built in one go and checked once. */
void tp_doc_set(json_t *obj, const char *key, json_t *val, int *oom);
void tp_doc_push(json_t *arr, json_t *val, int *oom);

/* qsort/bsearch comparator for an array of const char *. */
int tp_doc_cmp_str(const void *x, const void *y);

/* The sum of the members' fte, in member order. */
double tp_doc_total_fte(const json_t *leden);

/* What the gap analysis and the benchmark both read of a reference
 * profile {"gemeente", "teamprofiel", "inwoners", "leden", ...}. */
struct tp_doc_ref {
  const json_t *src;
  const char *gemeente;    /* NULL when absent */
  const char *teamprofiel; /* NULL when absent */
  double inwoners;         /* positive and finite */
  double totaal;           /* tp_doc_total_fte of its members */
};

/* Reads reference `v` into *out. Returns -1 when it has no positive
 * `inwoners`: it cannot be scaled and is skipped (the database never sends
 * one). */
int tp_doc_ref_read(const json_t *v, struct tp_doc_ref *out);

/* References in a fixed order, whatever order they came in: by
 * municipality code, then profile, then size, then total fte. Full ties
 * are indistinguishable in the output, so their order cannot show. */
int tp_doc_ref_cmp(const struct tp_doc_ref *a, const struct tp_doc_ref *b);

#endif
