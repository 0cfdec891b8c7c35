#ifndef TEAMPLOTTER_TEST_RANDOM_JSON_H
#define TEAMPLOTTER_TEST_RANDOM_JSON_H

/* Random JSON documents for the unit tests that hold a reader or writer
 * against jansson: reals of every kind (4 decimals as an analysis writes
 * them, subnormal, huge, any bit pattern), strings with escapes, multi-byte
 * characters and embedded NULs, nested arrays and objects. The same
 * sequence every run. */

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void) { /* xorshift64*: the same sequence every run */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ULL;
}

static double random_real(void) {
  switch (rnd() % 8) {
    case 0: { /* any finite bit pattern */
      double d;
      do {
        uint64_t bits = rnd();
        memcpy(&d, &bits, sizeof(d));
      } while (!isfinite(d));
      return d;
    }
    case 1: /* 4 decimals, as an analysis writes them */
      return round((double)(int64_t)(rnd() % 200000000) - 1e8) / 10000.0;
    case 2: return (double)(int64_t)(rnd() % 2000001) - 1e6; /* integral */
    case 3: return (double)(rnd() % 1000000) / 1000.0;        /* 3 decimals */
    case 4: return ldexp((double)(rnd() % 1000), -(int)(rnd() % 1100)); /* tiny, subnormal */
    case 5: return ldexp((double)(rnd() % 1000), (int)(rnd() % 1000));  /* huge */
    case 6: return (double)(rnd() % 100) / 10.0 * ((rnd() & 1) ? 1 : -1);
    default: return 1.0 / (double)(1 + rnd() % 1000);
  }
}

static json_t *random_string(void) {
  static const char *const parts[] = {"a",  "Zeewolde", "\"",   "\\",      "/",    "\n",
                                      "\t", "\r",       "\b",   "\f",      "\x01", "\x1f",
                                      "\x7f", "é",      "€",    "\xf0\x9f\x98\x80", " ", "'",
                                      "De Fryske Marren, Haarlemmermeer", "Zeewolde~}"};
  char buf[320] = "";
  size_t n = rnd() % 8, len = 0;
  for (size_t i = 0; i < n; i++) {
    const char *p = parts[rnd() % (sizeof(parts) / sizeof(*parts))];
    size_t l = strlen(p);
    memcpy(buf + len, p, l);
    len += l;
  }
  if (rnd() % 10 == 0) buf[len++] = '\0'; /* an embedded NUL */
  return json_stringn(buf, len);
}

__attribute__((unused)) static json_t *random_value(int depth) {
  unsigned kind = (unsigned)(rnd() % (depth > 4 ? 6 : 8));
  switch (kind) {
    case 0: return json_real(random_real());
    case 1: return json_integer((json_int_t)rnd());
    case 2: return random_string();
    case 3: return json_true();
    case 4: return json_false();
    case 5: return json_null();
    case 6: {
      json_t *a = json_array();
      for (size_t i = rnd() % 5; i > 0; i--) json_array_append_new(a, random_value(depth + 1));
      return a;
    }
    default: {
      json_t *o = json_object();
      for (size_t i = rnd() % 5; i > 0; i--) {
        json_t *k = random_string();
        json_object_setn_new(o, json_string_value(k), json_string_length(k),
                             random_value(depth + 1));
        json_decref(k);
      }
      return o;
    }
  }
}

/* Changes `text` (of capacity `cap`) the way broken clients and bit rot do:
 * a byte replaced, inserted or dropped, the end cut off, or a part of
 * another text spliced in. New length. */
__attribute__((unused)) static size_t mutate_text(char *text, size_t len, size_t cap, const char *other) {
  static const char INTERESTING[] =
      "\\\"u dD8Cfe.-+0129,:{}[]\x00\xc3\xa9\xed\xa0\xff\x7f\n\t\r\v\f\x1f";
  size_t at = len ? rnd() % len : 0;
  char c = INTERESTING[rnd() % (sizeof(INTERESTING) - 1)];
  switch (rnd() % 6) {
  case 0:
    if (len) text[at] = c;
    return len;
  case 1:
    if (len + 1 >= cap) return len;
    memmove(text + at + 1, text + at, len - at);
    text[at] = c;
    return len + 1;
  case 2:
    if (!len) return len;
    memmove(text + at, text + at + 1, len - at - 1);
    return len - 1;
  case 3: return at;
  case 4: {
    static const char *const ESCAPES[] = {"\\u0000", "\\ud800", "\\udc00", "\\ud83d\\ude00",
                                          "\\u00e9", "\\\\", "\\ud800\\u0041", "1e999",
                                          "\"a\":1,\"a\":2", "9223372036854775808"};
    const char *e = ESCAPES[rnd() % (sizeof(ESCAPES) / sizeof(ESCAPES[0]))];
    size_t l = strlen(e);
    if (len + l >= cap) return len;
    memmove(text + at + l, text + at, len - at);
    memcpy(text + at, e, l);
    return len + l;
  }
  default: {
    size_t olen = strlen(other);
    size_t from = olen ? rnd() % olen : 0;
    size_t l = olen - from < 40 ? olen - from : 40;
    if (len + l >= cap) return len;
    memmove(text + at + l, text + at, len - at);
    memcpy(text + at, other + from, l);
    return len + l;
  }
  }
}

#endif
