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

/* The length in bytes (1-4) of the strict UTF-8 character at the start of
 * `s`, which has `avail` bytes; 0 when those bytes do not start one. */
size_t tp_utf8_seq(const char *s, size_t avail);

/* Replaces, in place, every byte of the NUL-terminated `s` that does not
 * start a strict UTF-8 character by '?', so that text cut at a byte count
 * or taken from a request can go into a JSON document; returns how many.
 * The length does not change. */
size_t tp_utf8_scrub(char *s);

/* What tp_sf_string found. */
enum tp_sf_result { TP_SF_OK, TP_SF_MALFORMED, TP_SF_EMPTY, TP_SF_TOO_LONG };

/* Reads `value` (a header value) as one Structured Field String (RFC 8941,
 * section 3.3.3): a double-quoted string of printable ASCII in which \"
 * and \\ stand for " and \, with only spaces and tabs around it (no
 * parameters, no list). Its unescaped content goes to `out`, which holds
 * `max` characters and a NUL. */
enum tp_sf_result tp_sf_string(const char *value, char *out, size_t max);

#endif
