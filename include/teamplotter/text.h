#ifndef TEAMPLOTTER_TEXT_H
#define TEAMPLOTTER_TEXT_H

#include <stddef.h>

/* The number of characters (code points) in `len` bytes of valid UTF-8:
 * limits on user text count characters, as the spec's maxLength does. */
size_t tp_utf8_chars(const char *s, size_t len);

/* The length in bytes of the longest prefix of `s` (`len` bytes of valid
 * UTF-8) that fits in `max` bytes without cutting a character. */
size_t tp_utf8_prefix(const char *s, size_t len, size_t max);

/* Whether `len` bytes are strict UTF-8: no overlong forms, no surrogates,
 * nothing above U+10FFFF. */
int tp_utf8_valid(const char *s, size_t len);

#endif
