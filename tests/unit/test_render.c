/* tp_json_render against what it replaces: jansson's json_dumps at 17
 * digits with every real then rewritten to its shortest exact form. The two
 * must agree byte for byte on any document, since stored and anonymous
 * answers, ETags and the stored profile texts depend on it. No database. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teamplotter/hash.h"
#include "teamplotter/render.h"
#include "teamplotter/textbuf.h"
#include "random_json.h"

/* ----------------------------------------------- the former implementation */

static int old_shortest(double v, char *out, size_t outlen) {
  int n = 0;
  for (int digits = 15; digits <= 17; digits++) {
    n = snprintf(out, outlen, "%.*g", digits, v);
    if (strtod(out, NULL) == v) break;
  }
  return n;
}

static char *old_shorten_reals(const char *in) {
  size_t len = strlen(in);
  char *out = malloc(len + 1);
  ck_assert_ptr_nonnull(out);
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
      int n = real && k - i < sizeof(num) ? old_shortest(strtod(in + i, NULL), num, sizeof(num)) : -1;
      if (n > 0 && (size_t)n <= k - i && strpbrk(num, "eE.") != NULL) {
        memcpy(out + j, num, (size_t)n);
        j += (size_t)n;
      } else {
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

static char *old_render(const json_t *doc) {
  char *full = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
  if (full == NULL) return NULL;
  char *out = old_shorten_reals(full);
  free(full);
  return out;
}

static void same(const json_t *doc) {
  char *want = old_render(doc), *got = tp_json_render(doc);
  if (want == NULL) {
    ck_assert_msg(got == NULL, "old failed, new gave %s", got);
  } else {
    ck_assert_msg(got != NULL, "new failed, old gave %s", want);
    ck_assert_str_eq(got, want);
  }
  free(want);
  free(got);
}

/* ------------------------------------------------------------------- tests */

START_TEST(random_documents) {
  for (int i = 0; i < 20000; i++) {
    json_t *doc = json_array();
    json_array_append_new(doc, random_value(0));
    same(doc);
    json_decref(doc);
    json_t *obj = random_value(0);
    same(obj);
    json_decref(obj);
  }
}
END_TEST

/* Documents far larger than the renderer's chunk, and a string longer
 * than it, with escapes on either side of a chunk's end. */
START_TEST(large_documents) {
  for (int round = 0; round < 20; round++) {
    json_t *doc = json_array();
    for (int i = 0; i < 2000; i++) json_array_append_new(doc, random_value(0));
    char *big = malloc(20001);
    ck_assert_ptr_nonnull(big);
    /* Plain, quote, backslash, newline, a control character and NUL. */
    static const char pool[] = {'a', 'b', '"', '\\', '\n', '\x01', 'c', '\0'};
    for (size_t i = 0; i < 20000; i++) big[i] = pool[rnd() % sizeof(pool)];
    big[20000] = '\0';
    json_array_append_new(doc, json_stringn(big, 20000));
    free(big);
    same(doc);
    json_decref(doc);
  }
}
END_TEST

START_TEST(every_kind_of_real) {
  const double cases[] = {0.0,     -0.0,    0.3,       0.1 + 0.2, 2.0,      -2.0,
                          1e-4,    -1e-4,   1e-5,      0.00012,   1e11,     1e15,
                          1e16,    1e17,    1e21,      1e22,      123456789012.3456,
                          4.5e11,  -4.5e11, 0.010750000000000001, 1.0 / 3.0, 5e-324,
                          -1.2345678901234567e-308, 1.7976931348623157e308, 99999999999.9999,
                          0.5,     1.5,     2.25,      0.0001,    0.9999,   -0.0001};
  json_t *doc = json_array();
  for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
    json_t *one = json_pack("[f]", cases[i]);
    same(one);
    json_decref(one);
    json_array_append_new(doc, json_real(cases[i]));
  }
  same(doc);
  json_decref(doc);
  for (int i = 0; i < 200000; i++) {
    json_t *one = json_pack("{sf}", "x", random_real());
    same(one);
    json_decref(one);
  }
}
END_TEST

START_TEST(what_jansson_refuses) {
  /* A scalar at the top, invalid UTF-8: no text, as before. */
  json_t *s = json_string("x");
  ck_assert_ptr_null(tp_json_render(s));
  json_decref(s);
  json_t *bad = json_pack("[o]", json_string_nocheck("a\xff"));
  same(bad);
  ck_assert_ptr_null(tp_json_render(bad));
  json_decref(bad);
  json_t *ints = json_pack("[IIIII]", (json_int_t)INT64_MIN, (json_int_t)INT64_MAX,
                           (json_int_t)0, (json_int_t)-1, (json_int_t)1000000);
  same(ints);
  json_decref(ints);
  json_t *empty = json_pack("{s[]s{}}", "a", "b");
  same(empty);
  json_decref(empty);
}
END_TEST

/* A scalar written as a piece reads as tp_json_render writes it inside an
 * array: "[" + piece + "]" is the rendered one-element array. */
static void same_piece(const json_t *v) {
  json_t *arr = json_pack("[O]", v);
  char *want = tp_json_render(arr);
  struct tp_textbuf b;
  tp_textbuf_init(&b, 1 << 20);
  tp_textbuf_puts(&b, "[");
  int rc = 0;
  if (json_is_string(v))
    rc = tp_json_put_string(&b, json_string_value(v));
  else if (json_is_real(v))
    tp_json_put_real(&b, json_real_value(v));
  else if (json_is_integer(v))
    tp_json_put_integer(&b, (long long)json_integer_value(v));
  else
    rc = tp_json_put_value(&b, v);
  tp_textbuf_puts(&b, "]");
  char *got = tp_textbuf_finish(&b, NULL);
  ck_assert_ptr_nonnull(got);
  if (want == NULL) {
    ck_assert_int_eq(rc, -1); /* not UTF-8: refused by both */
    ck_assert_str_eq(got, "[]");
  } else {
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(got, want);
  }
  free(got);
  /* The same through the writer of any value. */
  tp_textbuf_init(&b, 1 << 20);
  tp_textbuf_puts(&b, "[");
  rc = tp_json_put_value(&b, v);
  tp_textbuf_puts(&b, "]");
  got = tp_textbuf_finish(&b, NULL);
  ck_assert_ptr_nonnull(got);
  ck_assert_int_eq(rc, want == NULL ? -1 : 0);
  ck_assert_str_eq(got, want == NULL ? "[]" : want);
  free(got);
  free(want);
  json_decref(arr);
}

START_TEST(pieces_as_rendered) {
  for (int i = 0; i < 100000; i++) {
    json_t *r = json_real(random_real());
    same_piece(r);
    json_decref(r);
    json_t *n = json_integer((json_int_t)rnd());
    same_piece(n);
    json_decref(n);
    json_t *s = random_string();
    /* A piece is a C string: the text up to an embedded NUL. */
    json_t *c = json_string_nocheck(json_string_value(s));
    same_piece(c);
    json_decref(c);
    json_decref(s);
  }
  json_t *bad = json_string_nocheck("ab\xff");
  same_piece(bad);
  json_decref(bad);
  /* Longer than the writer's chunk, invalid at its end: nothing is left. */
  char *long_bad = malloc(10002);
  ck_assert_ptr_nonnull(long_bad);
  memset(long_bad, 'a', 10000);
  memcpy(long_bad + 10000, "\xff", 2);
  bad = json_string_nocheck(long_bad);
  same_piece(bad);
  json_decref(bad);
  free(long_bad);
  /* Every byte value at every place of a plain text, which is looked at
   * in words of 8 bytes: escaped, kept or refused exactly as jansson. */
  for (int c = 1; c < 256; c++) {
    for (size_t at = 0; at < 19; at++) {
      char text[20];
      memset(text, 'a', sizeof(text) - 1);
      text[sizeof(text) - 1] = '\0';
      text[at] = (char)c;
      json_t *one = json_string_nocheck(text);
      json_t *doc = json_pack("[O]", one);
      same(doc); /* against jansson */
      same_piece(one);
      json_decref(doc);
      json_decref(one);
    }
  }
  /* Any value: null, booleans, a nested document. */
  json_t *docs = json_pack("[n, b, b, {s:[i, f, s], s:{}}]", 1, 0, "x", 1, 2.5, "y\n", "z");
  for (size_t k = 0; k < json_array_size(docs); k++) same_piece(json_array_get(docs, k));
  json_decref(docs);
  /* NaN and infinities, which jansson cannot hold, are written as null;
   * so is a NULL string. */
  struct tp_textbuf b;
  tp_textbuf_init(&b, 64);
  tp_json_put_real(&b, NAN);
  tp_textbuf_puts(&b, ",");
  tp_json_put_real(&b, -INFINITY);
  tp_textbuf_puts(&b, ",");
  ck_assert_int_eq(tp_json_put_string(&b, NULL), 0); /* no string: null */
  char *got = tp_textbuf_finish(&b, NULL);
  ck_assert_str_eq(got, "null,null,null");
  free(got);
}
END_TEST

/* Room appended for the caller: counted, NUL-terminated, and refused
 * past the limit like any append. */
START_TEST(textbuf_extend) {
  struct tp_textbuf b;
  tp_textbuf_init(&b, 16);
  tp_textbuf_puts(&b, "ab");
  char *at = tp_textbuf_extend(&b, 3);
  ck_assert_ptr_nonnull(at);
  memcpy(at, "cde", 3);
  ck_assert_uint_eq(b.len, 5);
  ck_assert_str_eq(b.data, "abcde");
  ck_assert_ptr_null(tp_textbuf_extend(&b, 11)); /* 16 bytes with the NUL */
  ck_assert_int_eq(b.failed, 1);
  ck_assert_ptr_null(tp_textbuf_finish(&b, NULL));
}
END_TEST

/* Room made ahead: one allocation that later appends fill without moving
 * the text; beyond the limit it fails like an append. */
START_TEST(textbuf_reserve) {
  struct tp_textbuf b;
  tp_textbuf_init(&b, 1024);
  tp_textbuf_reserve(&b, 500);
  ck_assert_uint_ge(b.cap, 501);
  ck_assert_uint_eq(b.len, 0);
  const char *data = b.data;
  for (int i = 0; i < 50; i++) tp_textbuf_puts(&b, "0123456789");
  ck_assert_ptr_eq(b.data, data);
  ck_assert_uint_eq(strlen(b.data), 500);
  tp_textbuf_reserve(&b, 524); /* 500 + 524 bytes and the NUL: over 1024 */
  ck_assert_int_eq(b.failed, 1);
  ck_assert_ptr_null(tp_textbuf_finish(&b, NULL));
}
END_TEST

/* ETags are XXH3-128 in canonical hex, quoted: the published vector of the
 * empty input, and the same tag for the same bytes wherever they lie. */
START_TEST(etag_is_xxh3_128) {
  char tag[TP_ETAG_LEN + 1];
  ck_assert_int_eq(tp_etag_of_bytes("", 0, tag), 0);
  ck_assert_str_eq(tag, "\"99aa06d3014798d86001c324468d497f\"");
  ck_assert_int_eq(tp_etag_of_bytes("Teamplotter", 11, tag), 0);
  ck_assert_str_eq(tag, "\"78a9269239784b188be317002db8a52d\"");
  char hex[TP_XXH128_HEX_LEN + 1];
  tp_xxh128_hex("Teamplotter", 11, hex);
  ck_assert_str_eq(hex, "78a9269239784b188be317002db8a52d");
  json_t *doc = json_pack("{s:s, s:f}", "a", "b", "c", 0.5);
  char *text = tp_json_render(doc);
  char from_json[TP_ETAG_LEN + 1];
  ck_assert_int_eq(tp_etag_of_json(doc, from_json), 0);
  ck_assert_int_eq(tp_etag_of_bytes(text, strlen(text), tag), 0);
  ck_assert_str_eq(from_json, tag);
  free(text);
  json_decref(doc);
  /* Migrations keep their SHA-256 checksums. */
  char sum[TP_SHA256_HEX_LEN + 1];
  ck_assert_int_eq(tp_sha256_hex("abc", 3, sum), 0);
  ck_assert_str_eq(sum, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

int main(void) {
  Suite *s = suite_create("render");
  TCase *tc = tcase_create("render");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, random_documents);
  tcase_add_test(tc, large_documents);
  tcase_add_test(tc, every_kind_of_real);
  tcase_add_test(tc, what_jansson_refuses);
  tcase_add_test(tc, pieces_as_rendered);
  tcase_add_test(tc, etag_is_xxh3_128);
  tcase_add_test(tc, textbuf_extend);
  tcase_add_test(tc, textbuf_reserve);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
