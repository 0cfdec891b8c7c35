#include "teamplotter/render.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/hash.h"
#include "teamplotter/text.h"
#include "teamplotter/textbuf.h"

/* Most bytes one rendered document may take: far above any answer (the
 * CSV of 100 000 municipalities is 16 MB, and it is not rendered here), it
 * only stops a runaway document. */
#define RENDER_LIMIT (512u * 1024u * 1024u)
/* As deep as jansson parses: nothing we build nests deeper, and a document
 * with a cycle fails instead of recursing without end. */
#define RENDER_MAX_DEPTH 2048

/* The shortest text that reads back as exactly `v` (at most 17 digits). */
static int shortest(double v, char *out, size_t outlen) {
  int n = 0;
  for (int digits = 15; digits <= 17; digits++) {
    n = snprintf(out, outlen, "%.*g", digits, v);
    if (strtod(out, NULL) == v) break;
  }
  return n;
}

/* What jansson writes for a real at 17 digits: always a '.' or an 'e', the
 * exponent without '+' and leading zeros. -1 when it does not fit. */
static int real17(double v, char *buf, size_t size) {
  int n = snprintf(buf, size, "%.17g", v);
  if (n < 0 || (size_t)n + 3 > size) return -1;
  size_t len = (size_t)n;
  if (strchr(buf, '.') == NULL && strchr(buf, 'e') == NULL) {
    memcpy(buf + len, ".0", 3);
    len += 2;
  }
  char *start = strchr(buf, 'e');
  if (start != NULL) {
    start++;
    char *end = start + 1;
    if (*start == '-') start++;
    while (*end == '0') end++;
    if (end != start) {
      memmove(start, end, len - (size_t)(end - buf) + 1);
      len -= (size_t)(end - start);
    }
  }
  return (int)len;
}

/* The decimal digits of `u`, with a '-' first when `neg`; returns the
 * length. `out` holds at least 21 bytes. Cheaper than snprintf, which
 * otherwise dominates writing an analysis's ~150 numbers. */
static int put_digits(unsigned long long u, int neg, char *out) {
  char rev[20];
  int n = 0, len = 0;
  do {
    rev[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u > 0);
  if (neg) out[len++] = '-';
  while (n > 0) out[len++] = rev[--n];
  return len;
}

/* A real in its shortest exact form, as jansson's 17 digits would read
 * after the shortest form replaced them, but without the detour: the
 * shortest form unless it would read as an integer ("2", kept "2.0") or is
 * longer. Returns the length, or -1 when it does not fit. */
static int format_real(double v, char *out, size_t outlen) {
  /* The common case, a real of at most 4 decimals (every figure of an
   * analysis): k / 10^4 is exact when dividing k by 10^4 gives back v,
   * since both are correctly rounded; with fewer than 16 digits it is also
   * what %.15g prints, so the shortest form. */
  double k = nearbyint(v * 10000.0);
  if (outlen >= 32 && fabs(v) < 1e11 && k / 10000.0 == v && !(v == 0.0 && signbit(v))) {
    unsigned long long u = (unsigned long long)fabs(k);
    unsigned frac = (unsigned)(u % 10000);
    int n = put_digits(u / 10000, k < 0, out);
    out[n++] = '.';
    if (frac == 0) {
      out[n++] = '0';
    } else {
      for (unsigned d = 1000; frac > 0; d /= 10) { /* trailing zeros left out */
        out[n++] = (char)('0' + frac / d);
        frac %= d;
      }
    }
    out[n] = '\0';
    return n;
  }
  char full[40], num[40];
  int len = real17(v, full, sizeof(full));
  if (len < 0) return -1;
  int n = shortest(v, num, sizeof(num));
  const char *pick = n > 0 && n <= len && strpbrk(num, "eE.") != NULL ? num : full;
  return snprintf(out, outlen, "%s", pick);
}

/* Small pieces gather in a chunk on the stack before they go to the text
 * buffer: a document is written in thousands of pieces of a few bytes. */
struct out {
  struct tp_textbuf *b;
  size_t n;
  char chunk[4096];
};

static void flush(struct out *o) {
  tp_textbuf_append(o->b, o->chunk, o->n);
  o->n = 0;
}

static inline void put(struct out *o, const char *s, size_t n) {
  if (n > sizeof(o->chunk) - o->n) {
    flush(o);
    if (n > sizeof(o->chunk)) {
      tp_textbuf_append(o->b, s, n);
      return;
    }
  }
  memcpy(o->chunk + o->n, s, n);
  o->n += n;
}

static inline void put_char(struct out *o, char c) {
  if (o->n == sizeof(o->chunk)) flush(o);
  o->chunk[o->n++] = c;
}

/* Whether all 8 bytes of `w` are printable ASCII but '"' and '\\': no byte
 * below 0x20, none equal to either, none from 0x80 on (the usual bit
 * tests, exact as a yes or no for the whole word). */
static inline int plain8(uint64_t w) {
  const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
  uint64_t below = (w - ones * 0x20) & ~w;
  uint64_t zero = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash);
  return ((below | zero | w) & high) == 0;
}

/* How many bytes from `i` on go into a JSON string as they are: printable
 * ASCII but '"' and '\\', and whole UTF-8 characters. Most text is plain
 * ASCII, looked at 8 bytes at a time. */
static size_t plain_run(const char *s, size_t i, size_t len) {
  while (i < len) {
    uint64_t w;
    while (i + 8 <= len && (memcpy(&w, s + i, 8), plain8(w))) i += 8;
    while (i < len && (unsigned char)(s[i] - 0x20) < 0x60 && s[i] != '"' && s[i] != '\\') i++;
    if (i == len || (unsigned char)s[i] < 0x80) break;
    size_t n = tp_utf8_seq(s + i, len - i);
    if (n == 0) break;
    i += n;
  }
  return i;
}

/* A string as jansson writes it: '"', '\\' and control characters escaped,
 * everything else as is; -1 (jansson fails too) when it is not UTF-8. */
static int put_string(struct out *o, const char *s, size_t len) {
  put_char(o, '"');
  size_t from = 0, i = 0;
  while (i < len) {
    i = plain_run(s, i, len);
    if (i == len) break;
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80) return -1; /* plain_run stops there only when it is not UTF-8 */
    put(o, s + from, i - from);
    char esc[8];
    switch (c) {
      case '"': put(o, "\\\"", 2); break;
      case '\\': put(o, "\\\\", 2); break;
      case '\b': put(o, "\\b", 2); break;
      case '\f': put(o, "\\f", 2); break;
      case '\n': put(o, "\\n", 2); break;
      case '\r': put(o, "\\r", 2); break;
      case '\t': put(o, "\\t", 2); break;
      default:
        snprintf(esc, sizeof(esc), "\\u%04X", c);
        put(o, esc, 6);
    }
    from = ++i;
  }
  put(o, s + from, len - from);
  put_char(o, '"');
  return 0;
}

static int put_value(struct out *o, const json_t *v, int depth) {
  char num[48];
  int n;
  if (depth > RENDER_MAX_DEPTH) return -1;
  switch (json_typeof(v)) {
    case JSON_OBJECT: {
      const char *key;
      json_t *x;
      int first = 1;
      put_char(o, '{');
      /* Insertion order: jansson keeps it, JSON_PRESERVE_ORDER. */
      json_object_foreach((json_t *)v, key, x) {
        if (!first) put_char(o, ',');
        first = 0;
        void *it = json_object_key_to_iter(key);
        if (put_string(o, key, json_object_iter_key_len(it)) != 0 ||
            (put_char(o, ':'), put_value(o, x, depth + 1)) != 0) {
          return -1;
        }
      }
      put_char(o, '}');
      return 0;
    }
    case JSON_ARRAY: {
      size_t i;
      json_t *x;
      put_char(o, '[');
      json_array_foreach(v, i, x) {
        if (i > 0) put_char(o, ',');
        if (put_value(o, x, depth + 1) != 0) return -1;
      }
      put_char(o, ']');
      return 0;
    }
    case JSON_STRING:
      return put_string(o, json_string_value(v), json_string_length(v));
    case JSON_INTEGER: {
      json_int_t i = json_integer_value(v);
      /* The magnitude as unsigned, so that the most negative value fits. */
      n = put_digits(i < 0 ? 0ULL - (unsigned long long)i : (unsigned long long)i, i < 0, num);
      break;
    }
    case JSON_REAL:
      n = format_real(json_real_value(v), num, sizeof(num));
      break;
    case JSON_TRUE:
      put(o, "true", 4);
      return 0;
    case JSON_FALSE:
      put(o, "false", 5);
      return 0;
    default:
      put(o, "null", 4);
      return 0;
  }
  if (n < 0 || (size_t)n >= sizeof(num)) return -1;
  put(o, num, (size_t)n);
  return 0;
}

/* The text json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER |
 * JSON_REAL_PRECISION(17)) gives with every real then rewritten to its
 * shortest exact form (jansson writes a fixed number of digits, which
 * either loses a digit or adds noise: 0.3 at 17 digits is
 * 0.29999999999999999), written in one pass with each real formatted
 * once. */
char *tp_json_render(const json_t *doc) {
  if (!json_is_object(doc) && !json_is_array(doc)) return NULL; /* as json_dumps */
  struct tp_textbuf b;
  struct out o;
  tp_textbuf_init(&b, RENDER_LIMIT);
  o.b = &b;
  o.n = 0;
  if (put_value(&o, doc, 0) != 0) {
    tp_textbuf_free(&b);
    return NULL;
  }
  flush(&o);
  return tp_textbuf_finish(&b, NULL);
}

/* The chunk holds the whole piece or is flushed on the way: a piece that
 * fails half-way must leave nothing behind. */
static int piece_failed(struct tp_textbuf *b, size_t before) {
  if (b->data != NULL && b->len > before) {
    b->len = before;
    b->data[before] = '\0';
  }
  return -1;
}

int tp_json_put_string(struct tp_textbuf *b, const char *s) {
  if (s == NULL) {
    tp_textbuf_append(b, "null", 4);
    return 0;
  }
  size_t len = strlen(s);
  if (plain_run(s, 0, len) == len) {
    /* Nothing to escape (most strings): copied once, straight in. */
    char *at = tp_textbuf_extend(b, len + 2);
    if (at != NULL) {
      at[0] = '"';
      memcpy(at + 1, s, len);
      at[len + 1] = '"';
    }
    return 0;
  }
  struct out o;
  o.b = b;
  o.n = 0;
  size_t before = b->len;
  if (put_string(&o, s, len) != 0) return piece_failed(b, before);
  flush(&o);
  return 0;
}

int tp_json_put_value(struct tp_textbuf *b, const json_t *v) {
  struct out o;
  o.b = b;
  o.n = 0;
  size_t before = b->len;
  if (put_value(&o, v, 0) != 0) return piece_failed(b, before);
  flush(&o);
  return 0;
}

int tp_json_format_real(double v, char *out, size_t outlen) { return format_real(v, out, outlen); }

void tp_json_put_real(struct tp_textbuf *b, double v) {
  char num[48];
  int n = isfinite(v) ? format_real(v, num, sizeof(num)) : -1;
  if (n < 0 || (size_t)n >= sizeof(num))
    tp_textbuf_append(b, "null", 4);
  else
    tp_textbuf_append(b, num, (size_t)n);
}

void tp_json_put_integer(struct tp_textbuf *b, long long v) {
  char num[24];
  int n = put_digits(v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0, num);
  tp_textbuf_append(b, num, (size_t)n);
}

_Static_assert(TP_ETAG_LEN == TP_XXH128_HEX_LEN + 2, "an ETag is a quoted XXH3-128 in hex");

/* ETags are cache validators of content the service itself wrote, not a
 * security boundary: a fast non-cryptographic 128-bit hash is enough
 * (SHA-256 took a seventh of a gap analysis). */
int tp_etag_of_bytes(const void *data, size_t len, char out[TP_ETAG_LEN + 1]) {
  out[0] = '"';
  tp_xxh128_hex(data, len, out + 1);
  out[TP_ETAG_LEN - 1] = '"';
  out[TP_ETAG_LEN] = '\0';
  return 0;
}

int tp_etag_of_json(const json_t *doc, char out[TP_ETAG_LEN + 1]) {
  char *text = tp_json_render(doc);
  if (text == NULL) return -1;
  int rc = tp_etag_of_bytes(text, strlen(text), out);
  free(text);
  return rc;
}

static int is_ows(char c) { return c == ' ' || c == '\t'; }

/* etagc = %x21 / %x23-7E / obs-text */
static int is_etagc(unsigned char c) { return c == 0x21 || (c >= 0x23 && c != 0x7f); }

/* Reads the field once. Returns its kind; for a list, *named says whether
 * one of its tags equals `etag` (may be NULL: nothing to compare). */
static enum tp_etag_field read_field(const char *field, const char *etag, int weak,
                                     int *named) {
  *named = 0;
  if (field == NULL) return TP_ETAG_FIELD_MALFORMED;
  const char *p = field;
  while (is_ows(*p)) p++;
  if (*p == '*') {
    const char *q = p + 1;
    while (is_ows(*q)) q++;
    if (*q != '\0') return TP_ETAG_FIELD_MALFORMED;
    *named = 1;
    return TP_ETAG_FIELD_ANY;
  }
  size_t elen = etag ? strlen(etag) : 0;
  int found = 0;
  for (;;) {
    /* Empty elements: commas and whitespace before a tag. */
    while (*p == ',' || is_ows(*p)) p++;
    if (*p == '\0') break;
    int is_weak = p[0] == 'W' && p[1] == '/';
    if (is_weak) p += 2;
    if (*p != '"') return TP_ETAG_FIELD_MALFORMED;
    const char *start = p++;
    while (is_etagc((unsigned char)*p)) p++;
    if (*p != '"') return TP_ETAG_FIELD_MALFORMED;
    p++;
    if ((weak || !is_weak) && (size_t)(p - start) == elen && memcmp(start, etag, elen) == 0) {
      found = 1;
    }
    while (is_ows(*p)) p++;
    if (*p != ',' && *p != '\0') return TP_ETAG_FIELD_MALFORMED;
  }
  /* Only a whole valid field names anything. */
  *named = found;
  return TP_ETAG_FIELD_LIST;
}

enum tp_etag_field tp_etag_field_kind(const char *field) {
  int named;
  return read_field(field, NULL, 0, &named);
}

int tp_etag_list_has(const char *field, const char *etag, int weak) {
  int named;
  (void)read_field(field, etag, weak, &named);
  return named;
}
