#ifndef TEAMPLOTTER_CORE_CHECK_H
#define TEAMPLOTTER_CORE_CHECK_H

/* Private to service/core: the steps every body validator shares. Each
 * violation becomes one {name, code, reason} in an invalidParams list,
 * `name` being the JSON path of the field. */

#include <stddef.h>

#include <jansson.h>

/* Collects violations under a common path prefix ("profielen.2."). */
struct tp_check {
  json_t *invalid;
  const char *prefix;
};

/* Records one violation at `path`. After TP_TEAM_MAX_PROBLEMS of them one
 * more ("too-many-errors") says that there are more, and the rest are
 * dropped: a hostile body can hold a hundred thousand mistakes. */
void tp_check_bad(struct tp_check *c, const char *path, const char *code, const char *reason);

/* Reads object `obj` in one pass: the value of each key in `allowed`
 * (NULL-terminated) goes to values[i] (NULL when absent; `values` may be
 * NULL), and every other key is reported as unknown, in document order.
 * One walk instead of a hash lookup per field. */
void tp_check_fields(struct tp_check *c, const json_t *obj, const char *path,
                     const char *const *allowed, const json_t **values);

/* `v` (NULL: absent) as a string of 1..max characters without NUL, or a
 * violation at `path` ("required" only when `required`). Returns the
 * string or NULL. */
const char *tp_check_text(struct tp_check *c, const json_t *v, const char *path, size_t max,
                          int required);

/* A number in (0, max], or a violation. Returns 1 with *out set. */
int tp_check_positive(struct tp_check *c, const json_t *v, const char *path, double max,
                      double *out);

/* A JSON path built in place as a validator descends: a field's name or
 * an element's index is appended, and taken off again by going back to
 * the length it had, so no path is copied per field (a 20-member team has
 * some 400 fields). Cut at the buffer's end, as tp_check_bad's names are. */
struct tp_path {
  char s[224];
  size_t len;
};

/* Appends ".name" (just "name" at the top) or ".index"; both return the
 * length before, for tp_path_back. */
size_t tp_path_add(struct tp_path *p, const char *name);
size_t tp_path_add_index(struct tp_path *p, size_t index);
void tp_path_back(struct tp_path *p, size_t len);

/* A proficiency level (an integer 1..4) at `path`, or a violation.
 * Returns the level, or 0. */
int tp_check_niveau(struct tp_check *c, const json_t *v, const char *path);

/* Which elements of an array repeat the string `key` of an earlier one
 * (key NULL: the element itself is the string). Found by sorting, because
 * a body under the size limit can list some 30 000 entries, and comparing
 * each with every one before it takes seconds. */
struct tp_repeats {
  const json_t *arr;
  const char *key;
  unsigned char *flag; /* flag[i]: element i repeats; NULL when out of memory */
  unsigned char few[8]; /* the flags of a short array (a member's roles): no allocation */
};

void tp_repeats_find(struct tp_repeats *r, const json_t *arr, const char *key);

/* Whether element `i`, whose value is `value` (NULL: not checked),
 * repeats an earlier one. */
int tp_repeats_at(const struct tp_repeats *r, size_t i, const char *value);

void tp_repeats_free(struct tp_repeats *r);

#endif
