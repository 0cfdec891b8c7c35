#include "doc.h"

#include <math.h>
#include <string.h>

#include "teamplotter/stats.h"

const char *tp_doc_str(const json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

double tp_doc_num(const json_t *obj, const char *key) {
  return json_number_value(json_object_get(obj, key));
}

json_t *tp_doc_real4(double v) {
  return isfinite(v) ? json_real(tp_round4(v)) : json_null();
}

json_t *tp_doc_str_or_null(const char *s) {
  return s ? json_string(s) : json_null();
}

json_t *tp_doc_number_copy(const json_t *v) {
  if (json_is_integer(v)) return json_integer(json_integer_value(v));
  if (json_is_real(v)) return tp_doc_real4(json_real_value(v));
  return json_null();
}

void tp_doc_set(json_t *obj, const char *key, json_t *val, int *oom) {
  if (json_object_set_new(obj, key, val) != 0) *oom = 1;
}

void tp_doc_push(json_t *arr, json_t *val, int *oom) {
  if (json_array_append_new(arr, val) != 0) *oom = 1;
}

int tp_doc_cmp_str(const void *x, const void *y) {
  return strcmp(*(const char *const *)x, *(const char *const *)y);
}

double tp_doc_total_fte(const json_t *leden) {
  double t = 0.0;
  size_t i;
  const json_t *lid;
  json_array_foreach(leden, i, lid) t += tp_doc_num(lid, "fte");
  return t;
}

int tp_doc_ref_read(const json_t *v, struct tp_doc_ref *out) {
  double n = tp_doc_num(v, "inwoners");
  if (!(isfinite(n) && n > 0.0)) return -1;
  out->src = v;
  out->gemeente = tp_doc_str(v, "gemeente");
  out->teamprofiel = tp_doc_str(v, "teamprofiel");
  out->inwoners = n;
  out->totaal = tp_doc_total_fte(json_object_get(v, "leden"));
  return 0;
}

static int cmp_nullable(const char *a, const char *b) {
  return strcmp(a ? a : "", b ? b : "");
}

int tp_doc_ref_cmp(const struct tp_doc_ref *a, const struct tp_doc_ref *b) {
  int c = cmp_nullable(a->gemeente, b->gemeente);
  if (c) return c;
  c = cmp_nullable(a->teamprofiel, b->teamprofiel);
  if (c) return c;
  if (a->inwoners != b->inwoners) return a->inwoners < b->inwoners ? -1 : 1;
  return (a->totaal > b->totaal) - (a->totaal < b->totaal);
}
