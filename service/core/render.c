#include "teamplotter/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/hash.h"

/* The shortest text that reads back as exactly `v` (at most 17 digits). */
static int shortest(double v, char *out, size_t outlen) {
  int n = 0;
  for (int digits = 15; digits <= 17; digits++) {
    n = snprintf(out, outlen, "%.*g", digits, v);
    if (strtod(out, NULL) == v) break;
  }
  return n;
}

/* Rewrites every real in JSON text `in` to its shortest exact form:
 * jansson writes a fixed number of digits, which either loses a digit
 * (15: 0.010750000000000001 becomes 0.01075) or adds noise (17: 0.3
 * becomes 0.29999999999999999). Strings are copied untouched. */
static char *shorten_reals(const char *in) {
  size_t len = strlen(in);
  char *out = malloc(len + 1); /* a shortest form is never longer */
  if (out == NULL) return NULL;
  size_t j = 0;
  int in_string = 0;
  for (size_t i = 0; i < len;) {
    char c = in[i];
    if (in_string) {
      out[j++] = c;
      if (c == '\\' && i + 1 < len) {
        out[j++] = in[i + 1];
        i += 2;
        continue;
      }
      if (c == '"') in_string = 0;
      i++;
    } else if (c == '"') {
      in_string = 1;
      out[j++] = c;
      i++;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t k = i;
      int real = 0;
      while (k < len && strchr("+-0123456789.eE", in[k]) != NULL) {
        real |= in[k] == '.' || in[k] == 'e' || in[k] == 'E';
        k++;
      }
      char num[40];
      int n = real && k - i < sizeof(num) ? shortest(strtod(in + i, NULL), num, sizeof(num)) : -1;
      if (n > 0 && (size_t)n <= k - i && strpbrk(num, "eE.") != NULL) {
        memcpy(out + j, num, (size_t)n);
        j += (size_t)n;
      } else {
        /* Keep the original when the short form would read as an integer. */
        memcpy(out + j, in + i, k - i);
        j += k - i;
      }
      i = k;
    } else {
      out[j++] = c;
      i++;
    }
  }
  out[j] = '\0';
  return out;
}

char *tp_json_render(const json_t *doc) {
  char *full = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
  if (full == NULL) return NULL;
  char *out = shorten_reals(full);
  free(full);
  return out;
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
