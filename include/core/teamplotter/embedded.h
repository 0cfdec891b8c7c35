#ifndef TEAMPLOTTER_EMBEDDED_H
#define TEAMPLOTTER_EMBEDDED_H

#include <stddef.h>

/* A file compiled into the binary by cmake/embed.cmake. `data` is
 * NUL-terminated; `len` excludes the terminator. */
struct tp_embedded_file {
  const char *name;
  const char *data;
  size_t len;
};

/* The SQL migrations from sql/migrations, sorted by name, ending with a
 * zeroed entry. */
extern const struct tp_embedded_file tp_embedded_migrations[];
extern const size_t tp_embedded_migrations_count;

/* openapi/openapi.yaml as written, and the same document as JSON. */
extern const struct tp_embedded_file tp_embedded_openapi_yaml;
extern const struct tp_embedded_file tp_embedded_openapi_json;

#endif
