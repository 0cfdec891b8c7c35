/* Shared helpers of the libFuzzer targets in tests/fuzz. Header-only: each
 * target is one translation unit. */
#ifndef TEAMPLOTTER_FUZZ_COMMON_H
#define TEAMPLOTTER_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teamplotter/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a crash: libFuzzer saves the input. */
#define FUZZ_CHECK(cond, ...)                                                     \
  do {                                                                            \
    if (!(cond)) {                                                                \
      fprintf(stderr, "%s:%d: invariant failed: %s\n  ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                               \
      fputc('\n', stderr);                                                        \
      abort();                                                                    \
    }                                                                             \
  } while (0)

/* The bytes as a NUL-terminated string (cut at the first NUL, as a C
 * caller would see them). free() it. */
static inline char *fuzz_cstring(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (s == NULL) abort();
  if (size > 0) memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

/* A UTF-8 string without NUL; non-empty unless `empty_ok`. */
static inline int fuzz_is_text(const json_t *v, int empty_ok) {
  return json_is_string(v) && (empty_ok || json_string_length(v) > 0) &&
         tp_utf8_valid(json_string_value(v), json_string_length(v)) &&
         strlen(json_string_value(v)) == json_string_length(v);
}

/* Every invalidParams entry is an object of exactly {name, code, reason},
 * each a UTF-8 string, code and reason non-empty; every name starts with
 * `prefix`. (A name may be empty: an unknown top-level key "" of a body is
 * reported under its own name, "".)
 * Returns the number of entries. */
static inline size_t fuzz_check_invalid(const json_t *invalid, const char *prefix) {
  FUZZ_CHECK(json_is_array(invalid), "invalidParams is not an array");
  size_t i;
  const json_t *e;
  json_array_foreach(invalid, i, e) {
    FUZZ_CHECK(json_is_object(e), "entry %zu is not an object", i);
    FUZZ_CHECK(json_object_size(e) == 3, "entry %zu has %zu members", i, json_object_size(e));
    const json_t *name = json_object_get(e, "name");
    FUZZ_CHECK(fuzz_is_text(name, 1), "entry %zu: name is not a string", i);
    FUZZ_CHECK(fuzz_is_text(json_object_get(e, "code"), 0), "entry %zu: bad code", i);
    FUZZ_CHECK(fuzz_is_text(json_object_get(e, "reason"), 0), "entry %zu: bad reason", i);
    /* "too-many-errors" may name the whole body, whoever found the 201st */
    int whole = strcmp(json_string_value(name), "body") == 0 &&
                strcmp(json_string_value(json_object_get(e, "code")), "too-many-errors") == 0;
    if (prefix != NULL && !whole) {
      FUZZ_CHECK(strncmp(json_string_value(name), prefix, strlen(prefix)) == 0,
                 "entry %zu: name '%s' lacks prefix '%s'", i, json_string_value(name), prefix);
    }
  }
  return json_array_size(invalid);
}

/* Whether `invalid` holds an entry equal to `entry`. */
static inline int fuzz_has_entry(const json_t *invalid, const json_t *entry) {
  size_t i;
  const json_t *e;
  json_array_foreach(invalid, i, e) {
    if (json_equal(e, entry)) return 1;
  }
  return 0;
}

#endif
