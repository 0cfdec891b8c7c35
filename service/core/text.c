#include "teamplotter/text.h"

#include <string.h>

size_t tp_utf8_chars(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    /* Count every byte that does not continue a multi-byte sequence. */
    if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
  }
  return n;
}

size_t tp_utf8_prefix(const char *s, size_t len, size_t max) {
  if (len <= max) return len;
  size_t n = max;
  /* Step back over continuation bytes to the start of the cut character. */
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  return n;
}

size_t tp_utf8_seq(const char *text, size_t avail) {
  const unsigned char *s = (const unsigned char *)text;
  if (avail == 0) return 0;
  unsigned char c = s[0];
  size_t len;
  unsigned cp;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
  else return 0;
  if (len > avail) return 0;
  for (size_t k = 1; k < len; k++) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[k] & 0x3F);
  }
  /* No overlong forms, no surrogates, nothing above U+10FFFF. */
  if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
      (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
    return 0;
  }
  return len;
}

int tp_utf8_valid(const char *text, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t len = tp_utf8_seq(text + i, n - i);
    if (len == 0) return 0;
    i += len;
  }
  return 1;
}

size_t tp_utf8_scrub(char *text) {
  size_t replaced = 0, n = strlen(text), i = 0;
  while (i < n) {
    size_t len = tp_utf8_seq(text + i, n - i);
    if (len == 0) {
      text[i] = '?';
      replaced++;
      len = 1;
    }
    i += len;
  }
  return replaced;
}

enum tp_sf_result tp_sf_string(const char *value, char *out, size_t max) {
  const char *p = value + strspn(value, " \t");
  size_t n = 0;
  if (*p++ != '"') return TP_SF_MALFORMED;
  for (;; p++) {
    char c = *p;
    if (c == '"') break;
    if (c == '\\') {
      c = *++p;
      if (c != '"' && c != '\\') return TP_SF_MALFORMED;
    } else if (c < 0x20 || c > 0x7e) {
      /* Also the NUL of a string never closed, and every non-ASCII byte. */
      return TP_SF_MALFORMED;
    }
    if (n == max) return TP_SF_TOO_LONG;
    out[n++] = c;
  }
  p++;
  if (p[strspn(p, " \t")] != '\0') return TP_SF_MALFORMED;
  out[n] = '\0';
  return n == 0 ? TP_SF_EMPTY : TP_SF_OK;
}
