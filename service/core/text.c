#include "teamplotter/text.h"

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
