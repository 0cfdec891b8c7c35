/* JSON text to a jansson tree: yajl (Debian libyajl) reads the text and
 * its callbacks build the tree, the one every validator and handler works
 * on. jansson's own reader spends most of a request body's time in its
 * byte-at-a-time lexer; what it accepts and what it refuses is kept here,
 * and tests/unit/test_parse.c holds the two readers against each other. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "teamplotter/parse.h"

_Static_assert(sizeof(json_int_t) == sizeof(long long), "json_int_t is long long");

struct builder {
  yajl_handle handle;
  json_t *root;
  size_t end;      /* offset just past the document, once it is complete */
  int finishing;   /* in yajl_complete_parse: a last number ends the text */
  int depth;
  const char *why;    /* set when a callback refuses the text */
  char *key;          /* the key whose value comes next (key_small or malloc'd) */
  size_t key_len, key_cap;
  int key_ascii;      /* the key is ASCII without NUL: valid UTF-8 as it stands */
  char key_small[64];
  json_t *open[TP_JSON_MAX_DEPTH]; /* containers being filled, innermost last */
};

/* Whether all `len` bytes are ASCII other than NUL. Such a text is valid
 * UTF-8, so jansson's checked constructors (a UTF-8 decoder run over every
 * string and key) can be skipped for it; nearly every body is ASCII. */
static int plain_ascii(const unsigned char *p, size_t len) {
  unsigned char any = 0;
  for (size_t i = 0; i < len; i++) any |= (unsigned char)(p[i] - 1u) >= 0x7fu;
  return !any;
}

static int refuse(struct builder *b, const char *why) {
  b->why = why;
  return 0; /* stops yajl */
}

/* Notes where the document ends (inside a callback yajl counts the bytes
 * up to the end of the current token). yajl lets an unfinished token after
 * the document pass ({}"abc, say): the caller checks what follows. */
static void mark_end(struct builder *b) {
  b->end = b->finishing ? SIZE_MAX : yajl_get_bytes_consumed(b->handle);
}

/* Puts `v` (a new reference, NULL when it could not be made) where it
 * belongs: the root, the next array element or the value of the key. */
static int add(struct builder *b, json_t *v, const char *why_null) {
  if (v == NULL) return refuse(b, why_null);
  if (b->depth >= TP_JSON_MAX_DEPTH) { /* as jansson: any value, scalars too */
    json_decref(v);
    return refuse(b, "te diep genest");
  }
  if (b->depth == 0) {
    b->root = v;
    mark_end(b);
    return 1;
  }
  json_t *parent = b->open[b->depth - 1];
  if (json_is_array(parent)) {
    return json_array_append_new(parent, v) == 0 ? 1 : refuse(b, "geen geheugen");
  }
  size_t before = json_object_size(parent);
  /* The checked setter refuses a key that is not UTF-8 (yajl's own check
   * lets overlong forms and encoded surrogates through). */
  int rc = b->key_ascii ? json_object_setn_new_nocheck(parent, b->key, b->key_len, v)
                        : json_object_setn_new(parent, b->key, b->key_len, v);
  if (rc != 0) {
    return refuse(b, "een sleutel is geen geldige UTF-8");
  }
  /* A repeated key replaced the value: which of the two counts is not obvious. */
  if (json_object_size(parent) == before) return refuse(b, "een sleutel komt twee keer voor");
  return 1;
}

static int on_null(void *ctx) {
  return add(ctx, json_null(), "geen geheugen");
}

static int on_boolean(void *ctx, int value) {
  return add(ctx, json_boolean(value), "geen geheugen");
}

int tp_json_short_number(const char *text, size_t len, long long *integer, double *real) {
  static const double POW10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  size_t i = len > 0 && text[0] == '-';
  long long digits = 0;
  int ndigits = 0, nfraction = -1; /* -1: no decimal point */
  for (; i < len; i++) {
    if (text[i] == '.') {
      nfraction = 0;
    } else if (text[i] >= '0' && text[i] <= '9' && ndigits < 15) {
      digits = digits * 10 + (text[i] - '0');
      ndigits++;
      if (nfraction >= 0) nfraction++;
    } else {
      return 0; /* an exponent, or too many digits */
    }
  }
  if (ndigits == 0) return 0;
  int negative = text[0] == '-';
  if (negative) digits = -digits;
  if (nfraction < 0) {
    *integer = digits;
    return 1;
  }
  /* -0.0 keeps its sign, as strtod's */
  *real = negative && digits == 0 ? -0.0 : (double)digits / POW10[nfraction];
  return 2;
}

/* A short number (tp_json_short_number) as a jansson value; 0 for others. */
static int short_decimal(const char *text, size_t len, json_t **out) {
  long long integer;
  double real;
  switch (tp_json_short_number(text, len, &integer, &real)) {
    case 1:
      *out = json_integer(integer);
      return 1;
    case 2:
      *out = json_real(real);
      return 1;
    default:
      return 0;
  }
}

/* As jansson: a number with a fraction or exponent is a real, others are
 * integers; either must fit (an underflowing real becomes 0 or subnormal). */
static int on_number(void *ctx, const char *text, size_t len) {
  struct builder *b = ctx;
  json_t *v = NULL;
  if (short_decimal(text, len, &v)) return add(b, v, "geen geheugen");
  char small[64];
  char *copy = len < sizeof(small) ? small : malloc(len + 1);
  if (copy == NULL) return refuse(b, "geen geheugen");
  memcpy(copy, text, len);
  copy[len] = '\0';
  const char *why = "geen geheugen";
  errno = 0;
  if (strpbrk(copy, ".eE") != NULL) {
    double d = strtod(copy, NULL);
    if (errno == ERANGE && isinf(d)) {
      why = "een getal is te groot";
    } else {
      v = json_real(d);
    }
  } else {
    long long i = strtoll(copy, NULL, 10);
    if (errno == ERANGE) {
      why = "een getal is te groot";
    } else {
      v = json_integer(i);
    }
  }
  if (copy != small) free(copy);
  return add(b, v, why);
}

static int on_string(void *ctx, const unsigned char *text, size_t len) {
  struct builder *b = ctx;
  if (plain_ascii(text, len)) {
    return add(b, json_stringn_nocheck((const char *)text, len), "geen geheugen");
  }
  if (memchr(text, '\0', len) != NULL) return refuse(b, "\\u0000 is niet toegestaan");
  /* json_stringn checks UTF-8 strictly; NULL is almost always that. */
  return add(b, json_stringn((const char *)text, len), "een tekst is geen geldige UTF-8");
}

static int on_key(void *ctx, const unsigned char *text, size_t len) {
  struct builder *b = ctx;
  if (memchr(text, '\0', len) != NULL) return refuse(b, "\\u0000 is niet toegestaan");
  /* yajl may reuse its buffer for the value: keep a copy. */
  if (len > b->key_cap) {
    char *bigger = malloc(len);
    if (bigger == NULL) return refuse(b, "geen geheugen");
    if (b->key != b->key_small) free(b->key);
    b->key = bigger;
    b->key_cap = len;
  }
  memcpy(b->key, text, len);
  b->key_len = len;
  b->key_ascii = plain_ascii(text, len);
  return 1;
}

static int open_container(struct builder *b, json_t *container) {
  if (!add(b, container, "geen geheugen")) return 0;
  b->open[b->depth++] = container; /* borrowed: its parent (or root) holds it */
  return 1;
}

static int on_start_map(void *ctx) {
  return open_container(ctx, json_object());
}

static int on_start_array(void *ctx) {
  return open_container(ctx, json_array());
}

static int on_end(void *ctx) {
  struct builder *b = ctx;
  if (--b->depth == 0) mark_end(b);
  return 1;
}

static const yajl_callbacks CALLBACKS = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_number = on_number, /* integers and reals as text: converted as jansson does */
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_key,
    .yajl_end_map = on_end,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end,
};

static void fail(struct tp_json_error *err, size_t len, size_t position, const char *text,
                 size_t text_len) {
  if (err == NULL) return;
  /* yajl's messages end in ".\n"; the caller adds its own punctuation. */
  while (text_len > 0 && (text[text_len - 1] == '\n' || text[text_len - 1] == '.' ||
                          text[text_len - 1] == ' ')) {
    text_len--;
  }
  err->position = position < len ? position : len;
  snprintf(err->text, sizeof(err->text), "%.*s", (int)text_len, text);
}

/* yajl turns a broken surrogate escape into '?', or into bytes that are
 * not UTF-8, where jansson refuses it. A text with any surrogate escape
 * (a character beyond U+FFFF written as \uD83D\uDE00, say: rare in a
 * body) is read by jansson itself. Every backslash in valid JSON starts
 * an escape, so a scan from the start finds them all. */
static int has_surrogate_escape(const char *p, size_t len) {
  const char *end = p + len;
  while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
    if (end - p < 4) break;
    if (p[1] == 'u' && (p[2] == 'd' || p[2] == 'D') &&
        ((p[3] >= '8' && p[3] <= '9') || (p[3] >= 'a' && p[3] <= 'f') ||
         (p[3] >= 'A' && p[3] <= 'F'))) {
      return 1;
    }
    p += 2; /* past the escaped character, which may be a backslash */
  }
  return 0;
}

int tp_json_only_whitespace(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') return 0;
  }
  return 1;
}

static json_t *parse_with_jansson(const char *data, size_t len, struct tp_json_error *err) {
  json_error_t e;
  json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
  if (doc == NULL) fail(err, len, (size_t)e.position, e.text, strlen(e.text));
  return doc;
}

/* The first \v or \f byte, or NULL. yajl takes both for whitespace; JSON
 * does not, and inside a string they must be escaped: either way the text
 * is not JSON. */
static const char *first_vt_or_ff(const char *data, size_t len) {
  const char *vt = memchr(data, '\v', len);
  const char *ff = memchr(data, '\f', vt ? (size_t)(vt - data) : len);
  return ff ? ff : vt;
}

json_t *tp_json_parse(const char *data, size_t len, struct tp_json_error *err) {
  const char *bad = first_vt_or_ff(data, len);
  if (bad != NULL) {
    fail(err, len, (size_t)(bad - data), "ongeldig teken buiten een tekst",
         strlen("ongeldig teken buiten een tekst"));
    return NULL;
  }
  if (has_surrogate_escape(data, len)) return parse_with_jansson(data, len, err);

  struct builder *b = malloc(sizeof(*b));
  yajl_handle h = b ? yajl_alloc(&CALLBACKS, NULL, b) : NULL;
  if (h == NULL) {
    free(b);
    fail(err, len, 0, "geen geheugen", strlen("geen geheugen"));
    return NULL;
  }
  b->handle = h;
  b->root = NULL;
  b->end = 0;
  b->finishing = 0;
  b->depth = 0;
  b->why = NULL;
  b->key = b->key_small;
  b->key_len = 0;
  b->key_cap = sizeof(b->key_small);
  b->key_ascii = 0;
  /* Strings are checked by jansson (strictly) when they become values. */
  yajl_config(h, yajl_dont_validate_strings, 1);

  const unsigned char *text = (const unsigned char *)data;
  yajl_status status = yajl_parse(h, text, len);
  if (status == yajl_status_ok) {
    b->finishing = 1;
    status = yajl_complete_parse(h);
  }
  size_t position = yajl_get_bytes_consumed(h);
  if (status == yajl_status_ok && b->end < len &&
      !tp_json_only_whitespace(data + b->end, len - b->end)) {
    status = yajl_status_error;
    position = b->end;
    b->why = "na het document volgt nog tekst";
  }
  json_t *doc = b->root;
  if (status != yajl_status_ok || doc == NULL) {
    if (b->why != NULL) {
      fail(err, len, position, b->why, strlen(b->why));
    } else {
      unsigned char *message = yajl_get_error(h, 0, text, len);
      const char *why = message ? (const char *)message : "geen geldige JSON";
      fail(err, len, position, why, strlen(why));
      if (message != NULL) yajl_free_error(h, message);
    }
    json_decref(doc);
    doc = NULL;
  }
  yajl_free(h);
  if (b->key != b->key_small) free(b->key);
  free(b);
  return doc;
}
