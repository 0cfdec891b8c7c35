#include "teamplotter/spec.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "teamplotter/embedded.h"

const char *tp_spec_version(void) {
  static char version[64];
  if (version[0] != '\0') return version;
  json_error_t err;
  json_t *doc = json_loadb(tp_embedded_openapi_json.data, tp_embedded_openapi_json.len, 0, &err);
  const char *v = json_string_value(json_object_get(json_object_get(doc, "info"), "version"));
  if (v != NULL && strlen(v) < sizeof(version)) snprintf(version, sizeof(version), "%s", v);
  json_decref(doc);
  return version[0] != '\0' ? version : NULL;
}
