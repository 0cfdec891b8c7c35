#ifndef TEAMPLOTTER_TEST_BENCHMARK_HELPERS_H
#define TEAMPLOTTER_TEST_BENCHMARK_HELPERS_H

/* What the benchmark tests share: members read with a check, and doubles
 * in ascending order for qsort. */

#include <check.h>

#include <jansson.h>

#define TOL 1e-9

static inline double num(const json_t *obj, const char *key) {
  const json_t *v = json_object_get(obj, key);
  ck_assert_msg(json_is_number(v), "%s is not a number", key);
  return json_number_value(v);
}

static inline const char *str(const json_t *obj, const char *key) {
  const char *s = json_string_value(json_object_get(obj, key));
  ck_assert_msg(s != NULL, "%s is not a string", key);
  return s;
}

static inline int cmp_double_asc(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

#endif
