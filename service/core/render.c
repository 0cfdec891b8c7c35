#include "teamplotter/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/hash.h"

char *tp_json_render(const json_t *doc) {
  return json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
}

int tp_etag_of_bytes(const void *data, size_t len, char out[TP_ETAG_LEN + 1]) {
  char sum[TP_SHA256_HEX_LEN + 1];
  if (tp_sha256_hex(data, len, sum) != 0) return -1;
  snprintf(out, TP_ETAG_LEN + 1, "\"%.32s\"", sum);
  return 0;
}

int tp_etag_of_json(const json_t *doc, char out[TP_ETAG_LEN + 1]) {
  char *text = tp_json_render(doc);
  if (text == NULL) return -1;
  int rc = tp_etag_of_bytes(text, strlen(text), out);
  free(text);
  return rc;
}

int tp_etag_list_has(const char *header, const char *etag, int weak) {
  const char *p = header;
  size_t elen = strlen(etag);
  while (*p) {
    while (*p == ' ' || *p == ',' || *p == '\t') p++;
    if (*p == '\0') break;
    if (*p == '*') return 1;
    int is_weak = p[0] == 'W' && p[1] == '/';
    if (is_weak) p += 2;
    const char *start = p;
    while (*p && *p != ',') p++;
    const char *end = p;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t')) end--;
    if ((weak || !is_weak) && (size_t)(end - start) == elen && memcmp(start, etag, elen) == 0) {
      return 1;
    }
  }
  return 0;
}
