#ifndef TEAMPLOTTER_TEST_JSON_TEXT_H
#define TEAMPLOTTER_TEST_JSON_TEXT_H

/* J(): a fixture written as JSON with ' for " (no fixture has a quote
 * inside a string), read with duplicate keys refused. New reference; the
 * test fails when the text does not parse. */

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static json_t *J(const char *text) {
  char *copy = strdup(text);
  ck_assert_ptr_nonnull(copy);
  for (char *p = copy; *p; p++)
    if (*p == '\'') *p = '"';
  json_error_t err;
  json_t *v = json_loads(copy, JSON_REJECT_DUPLICATES, &err);
  if (!v) ck_abort_msg("fixture does not parse: %s at %d: %s", err.text, err.position, copy);
  free(copy);
  return v;
}

#endif
