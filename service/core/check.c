/* The steps every body validator shares (check.h). */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/team.h"
#include "teamplotter/team_rules.h"
#include "teamplotter/text.h"

void tp_check_bad(struct tp_check *c, const char *path, const char *code, const char *reason) {
  char name[256];
  size_t n = json_array_size(c->invalid);
  /* A hostile body can hold a hundred thousand mistakes; the answer names
   * the first TP_TEAM_MAX_PROBLEMS and says that there are more. */
  if (n > TP_TEAM_MAX_PROBLEMS) return;
  if (n == TP_TEAM_MAX_PROBLEMS) {
    code = "too-many-errors";
    path = "body";
    reason = "Meer fouten dan hier genoemd; herstel deze eerst.";
  }
  snprintf(name, sizeof(name), "%s%s", c->prefix, path);
  json_array_append_new(c->invalid,
                        json_pack("{s:s, s:s, s:s}", "name", name, "code", code, "reason", reason));
}

/* The string element `i` is compared by: member `key`, or the element. */
static const char *keyed_value(const json_t *arr, size_t i, const char *key) {
  const json_t *e = json_array_get(arr, i);
  return json_string_value(key ? json_object_get(e, key) : e);
}

struct keyed {
  const char *value;
  size_t index;
};

static int cmp_keyed(const void *x, const void *y) {
  const struct keyed *a = x, *b = y;
  int c = strcmp(a->value, b->value);
  return c ? c : (a->index > b->index) - (a->index < b->index);
}

void tp_repeats_find(struct tp_repeats *r, const json_t *arr, const char *key) {
  size_t n = json_array_size(arr), m = 0;
  r->arr = arr;
  r->key = key;
  if (n <= sizeof(r->few)) {
    /* A handful compared pairwise costs less than sorting a copy. */
    const char *v[sizeof(r->few)];
    memset(r->few, 0, sizeof(r->few));
    r->flag = r->few;
    for (size_t i = 0; i < n; i++) {
      v[i] = keyed_value(arr, i, key);
      for (size_t j = 0; v[i] != NULL && j < i && !r->flag[i]; j++)
        r->flag[i] = v[j] != NULL && strcmp(v[j], v[i]) == 0;
    }
    return;
  }
  struct keyed *sorted = malloc(n * sizeof(*sorted));
  r->flag = calloc(n ? n : 1, 1);
  if (sorted == NULL || r->flag == NULL) {
    free(r->flag);
    r->flag = NULL;
  } else {
    for (size_t i = 0; i < n; i++) {
      const char *v = keyed_value(arr, i, key);
      if (v != NULL) sorted[m++] = (struct keyed){v, i};
    }
    qsort(sorted, m, sizeof(*sorted), cmp_keyed);
    for (size_t i = 1; i < m; i++) {
      if (strcmp(sorted[i - 1].value, sorted[i].value) == 0) r->flag[sorted[i].index] = 1;
    }
  }
  free(sorted);
}

int tp_repeats_at(const struct tp_repeats *r, size_t i, const char *value) {
  if (value == NULL) return 0;
  if (r->flag != NULL) return r->flag[i];
  /* Out of memory: the slow way, still correct. */
  for (size_t j = 0; j < i; j++) {
    const char *other = keyed_value(r->arr, j, r->key);
    if (other != NULL && strcmp(other, value) == 0) return 1;
  }
  return 0;
}

void tp_repeats_free(struct tp_repeats *r) {
  if (r->flag != r->few) free(r->flag);
  r->flag = NULL;
}

void tp_check_fields(struct tp_check *c, const json_t *obj, const char *path,
                     const char *const *allowed, const json_t **values) {
  for (size_t i = 0; values != NULL && allowed[i] != NULL; i++) values[i] = NULL;
  const char *key;
  json_t *value;
  json_object_foreach((json_t *)obj, key, value) {
    size_t i = 0;
    while (allowed[i] != NULL && strcmp(allowed[i], key) != 0) i++;
    if (allowed[i] != NULL) {
      if (values != NULL) values[i] = value;
      continue;
    }
    char p[256];
    int keep = (int)tp_utf8_prefix(key, strlen(key), 64);
    snprintf(p, sizeof(p), "%s%s%.*s", path, path[0] ? "." : "", keep, key);
    tp_check_bad(c, p, "unknown-field", "Dit veld bestaat niet.");
  }
}

const char *tp_check_text(struct tp_check *c, const json_t *v, const char *path, size_t max,
                          int required) {
  if (v == NULL) {
    if (required) tp_check_bad(c, path, "required", "Dit veld is verplicht.");
    return NULL;
  }
  if (!json_is_string(v)) {
    tp_check_bad(c, path, "invalid-type", "Verwacht een tekst.");
    return NULL;
  }
  size_t n = json_string_length(v);
  /* A NUL (only a document built in code holds one: \u0000 is refused) is
   * no character of a text. */
  if (!tp_rule_text_fits(tp_utf8_chars(json_string_value(v), n), max) ||
      memchr(json_string_value(v), '\0', n) != NULL) {
    char reason[96];
    snprintf(reason, sizeof(reason), "Verwacht een tekst van 1 tot en met %zu tekens.", max);
    tp_check_bad(c, path, "invalid-length", reason);
    return NULL;
  }
  return json_string_value(v);
}

int tp_check_positive(struct tp_check *c, const json_t *v, const char *path, double max,
                    double *out) {
  if (v == NULL) {
    tp_check_bad(c, path, "required", "Dit veld is verplicht.");
    return 0;
  }
  if (!json_is_number(v)) {
    tp_check_bad(c, path, "invalid-type", "Verwacht een getal.");
    return 0;
  }
  double d = json_number_value(v);
  if (!tp_rule_positive(d, max)) {
    char reason[96];
    snprintf(reason, sizeof(reason), "Verwacht een getal groter dan 0 en hoogstens %g.", max);
    tp_check_bad(c, path, "out-of-range", reason);
    return 0;
  }
  *out = d;
  return 1;
}


int tp_check_niveau(struct tp_check *c, const json_t *v, const char *path) {
  if (v == NULL) {
    tp_check_bad(c, path, "required", "Dit veld is verplicht.");
  } else if (!json_is_integer(v) || !tp_team_niveau_ok(json_integer_value(v))) {
    tp_check_bad(c, path, "out-of-range", "Verwacht een geheel getal van 1 tot en met 4.");
  } else {
    return (int)json_integer_value(v);
  }
  return 0;
}

/* Writes `n` bytes of `text` at the end of the path, as many as fit. */
static void path_put(struct tp_path *p, const char *text, size_t n) {
  size_t room = sizeof(p->s) - 1 - p->len;
  if (n > room) n = room;
  memcpy(p->s + p->len, text, n);
  p->len += n;
  p->s[p->len] = '\0';
}

size_t tp_path_add(struct tp_path *p, const char *name) {
  size_t before = p->len;
  if (p->len > 0) path_put(p, ".", 1);
  path_put(p, name, strlen(name));
  return before;
}

size_t tp_path_add_index(struct tp_path *p, size_t index) {
  char digits[24];
  size_t k = sizeof(digits);
  do {
    digits[--k] = (char)('0' + index % 10);
    index /= 10;
  } while (index > 0);
  size_t before = p->len;
  if (p->len > 0) path_put(p, ".", 1);
  path_put(p, digits + k, sizeof(digits) - k);
  return before;
}

void tp_path_back(struct tp_path *p, size_t len) {
  p->len = len;
  p->s[len] = '\0';
}
