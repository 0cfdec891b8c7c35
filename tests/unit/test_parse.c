/* tp_json_parse against what it replaces: jansson's json_loadb with
 * JSON_REJECT_DUPLICATES | JSON_DECODE_ANY. On every text both must accept
 * (with the same tree: types, values, key order) or both refuse: the edge
 * cases one by one, then random documents cut, spliced and with bytes
 * changed. No database. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teamplotter/parse.h"
#include "random_json.h"

static const size_t DUMP_FLAGS = JSON_ENCODE_ANY | JSON_REAL_PRECISION(17) | JSON_COMPACT;

/* Both readers on `len` bytes: the same verdict, and when accepted the
 * same document. 1 when accepted. */
static int agree(const char *text, size_t len) {
  json_error_t jerr;
  struct tp_json_error err;
  memset(&err, 0, sizeof(err));
  json_t *want = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
  json_t *got = tp_json_parse(text, len, &err);
  if (want != NULL && got == NULL && memchr(text, '\0', len) != NULL) {
    /* jansson's one laxity: a NUL byte right after a number or a literal
     * ends it ([98\0,true], 5328\0); tp_json_parse refuses any NUL outside
     * a string, as jansson does everywhere else. Without those bytes the
     * text must read as jansson read it. */
    char *clean = malloc(len);
    ck_assert_ptr_nonnull(clean);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
      int after_token = n > 0 && ((clean[n - 1] >= '0' && clean[n - 1] <= '9') ||
                                  (clean[n - 1] >= 'a' && clean[n - 1] <= 'z'));
      if (text[i] != '\0' || !after_token) clean[n++] = text[i];
    }
    json_t *again = tp_json_parse(clean, n, NULL);
    ck_assert_msg(again != NULL && json_equal(again, want), "a NUL that is not jansson's laxity");
    json_decref(again);
    free(clean);
    json_decref(want);
    want = NULL;
  }
  if ((want == NULL) != (got == NULL)) {
    fprintf(stderr, "disagree on %zu bytes: jansson %s, tp_json_parse %s\n  text: %.*s\n", len,
            want ? "accepts" : jerr.text, got ? "accepts" : err.text, (int)(len > 300 ? 300 : len),
            text);
    for (size_t i = 0; i < len && i < 64; i++) fprintf(stderr, " %02x", (unsigned char)text[i]);
    fprintf(stderr, "\n");
  }
  ck_assert_int_eq(want == NULL, got == NULL);
  int accepted = got != NULL;
  if (accepted) {
    ck_assert(json_equal(want, got));
    char *a = json_dumps(want, DUMP_FLAGS);
    char *b = json_dumps(got, DUMP_FLAGS);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_str_eq(a, b); /* key order and integer/real kinds too */
    free(a);
    free(b);
  } else {
    ck_assert_uint_gt(strlen(err.text), 0);
    ck_assert_uint_le(err.position, len);
  }
  json_decref(want);
  json_decref(got);
  return accepted;
}

static int agree_str(const char *text) {
  return agree(text, strlen(text));
}

#define LIT(s) (s), (sizeof(s) - 1)

START_TEST(edge_cases) {
  static const char *const ACCEPTED[] = {
      "{}", "[]", "1", "-0", "0.5", "-0.0", "1E5", "1e-5", "1.5e+3", "\"\"", "null", "true",
      "false", " [1] ", "\r\n\t[1]\n", "{\"\":1}", "{\"a\":{\"a\":1}}", "[{\"a\":1},{\"a\":2}]",
      "9223372036854775807", "-9223372036854775808", "1e308", "-1e308", "4.9e-324", "1e-400",
      "0.1000000000000000055511151231257827021181583404541015625",
      "123456789012345678901234567890.5", "[\"\\u00e9\\u20ac\\uffff\"]", "[\"\\ud83d\\ude00\"]",
      "{\"\\ud83d\\ude00\":1}", "[\"a\\\\ud800\"]", "[\"\\\\\\\"\\/\\b\\f\\n\\r\\t\"]",
      "[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]", "[\"\x7f\"]", "{\"a\":1,\"b\":2,\"c\":[]}",
      "{\"leden\":[{\"fte\":0.8,\"rollen\":[{\"rol\":\"x\",\"aandeel\":0.48}]}]}", NULL};
  static const char *const REFUSED[] = {
      "", " ", "{", "[", "}", "[1,]", "{\"a\":1,}", "{\"a\"}", "{\"a\":}", "{1:1}", "[01]",
      "[1.]", "[.5]", "[-]", "[+1]", "[1e]", "[0x1]", "[nan]", "[NaN]", "[Infinity]", "[True]",
      "[1]x", "[1][2]", "[1] 2", "\xef\xbb\xbf[1]", "['a']", "[\"a\tb\"]", "[\"a\nb\"]",
      "[\"\\x\"]", "[\"\\u00\"]", "[\"\\u00g0\"]", "[\"a", "{\"a\":1,\"a\":2}",
      "{\"a\":1,\"\\u0061\":2}", "{\"b\":{\"a\":1,\"a\":1}}", "[\"\\u0000\"]",
      "{\"a\\u0000\":1}", "[\"\\ud800\"]", "[\"\\ud800x\"]", "[\"\\udc00\"]",
      "[\"\\ud800\\u0041\"]", "[\"\\udbff\\udbff\"]", "{\"\\ud800\":1}", "[\"\xc0\x80\"]",
      "[\"\xc0\xaf\"]", "[\"\xed\xa0\x80\"]", "[\"\xf4\x90\x80\x80\"]", "[\"\xff\"]",
      "[\"\xc3\"]", "[\"Caf\xe9\"]", "{\"\xc3\":1}", "{\"\xed\xa0\x80\":1}",
      "9223372036854775808", "-9223372036854775809", "99999999999999999999", "1e309",
      "-1e309", "[1e999]", "/* c */ [1]", "[1] // c", "[1,,2]", "{\"a\" 1}", "{\"a\"::1}",
      "[1,\v2]", "{\f}", "[\"\v\"]", "\v[]", "[]\f",
      NULL};
  for (size_t i = 0; ACCEPTED[i] != NULL; i++) ck_assert_msg(agree_str(ACCEPTED[i]), "%s", ACCEPTED[i]);
  for (size_t i = 0; REFUSED[i] != NULL; i++) ck_assert_msg(!agree_str(REFUSED[i]), "%s", REFUSED[i]);
  /* NUL bytes, which a C string cannot hold. */
  ck_assert(!agree(LIT("[\"a\0b\"]")));
  ck_assert(!agree(LIT("[1,\0 2]")));
  ck_assert(!agree(LIT("[1]\0")));
  ck_assert(!agree(LIT("\0")));
  ck_assert(!agree(LIT("5328\0")));
  ck_assert(!agree(LIT("true\0")));
  ck_assert(!agree(LIT("[98\0,true]")));
  ck_assert(!agree(LIT("{\"a\":null\0}")));
  /* Every byte alone in a string, and as a whole text. */
  for (int c = 0; c < 256; c++) {
    char text[8] = {'[', '"', (char)c, '"', ']'};
    agree(text, 5);
    agree(text + 2, 1);
  }
}
END_TEST

/* Nesting: jansson's limit of 2048 levels, for arrays and objects. */
static char *nested(int depth, int objects) {
  char *text = malloc((size_t)depth * 6 + 16);
  ck_assert_ptr_nonnull(text);
  size_t n = 0;
  for (int i = 0; i < depth; i++) {
    if (objects) {
      memcpy(text + n, "{\"a\":", 5);
      n += 5;
    } else {
      text[n++] = '[';
    }
  }
  text[n++] = '1';
  for (int i = 0; i < depth; i++) text[n++] = objects ? '}' : ']';
  text[n] = '\0';
  return text;
}

START_TEST(nesting_limit) {
  for (int objects = 0; objects <= 1; objects++) {
    int depths[] = {1, 100, TP_JSON_MAX_DEPTH - 1, TP_JSON_MAX_DEPTH, TP_JSON_MAX_DEPTH + 1,
                    10000};
    for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
      char *text = nested(depths[i], objects);
      /* the innermost 1 counts as a level */
      ck_assert_int_eq(agree_str(text), depths[i] < TP_JSON_MAX_DEPTH);
      free(text);
    }
  }
}
END_TEST

START_TEST(long_keys_strings_and_numbers) {
  size_t sizes[] = {63, 64, 65, 1000, 100000};
  for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
    size_t n = sizes[i];
    char *text = malloc(2 * n + 64);
    ck_assert_ptr_nonnull(text);
    /* a long key (copied past the inline buffer) with a long value */
    int len = sprintf(text, "{\"");
    memset(text + len, 'k', n);
    len += (int)n;
    len += sprintf(text + len, "\":\"");
    memset(text + len, 'v', n);
    len += (int)n;
    len += sprintf(text + len, "\",\"k\":1}");
    ck_assert(agree(text, (size_t)len));
    /* two long keys that differ in the last byte, then the same twice */
    len = sprintf(text, "{\"");
    memset(text + len, 'k', n);
    len += (int)n;
    len += sprintf(text + len, "x\":1,\"");
    memset(text + len, 'k', n);
    len += (int)n;
    len += sprintf(text + len, "y\":2}");
    ck_assert(agree(text, (size_t)len));
    text[len - 5] = 'x';
    ck_assert(!agree(text, (size_t)len));
    /* long numbers: an integer of n digits, a real of n digits */
    len = sprintf(text, "[1");
    memset(text + len, '0', n);
    len += (int)n;
    text[len++] = ']';
    agree(text, (size_t)len);
    len = sprintf(text, "[0.");
    memset(text + len, '3', n);
    len += (int)n;
    text[len++] = ']';
    ck_assert(agree(text, (size_t)len));
    free(text);
  }
}
END_TEST

/* Short decimals are read without strtod: each must give strtod's double,
 * bit for bit (the sign of zero too), and stay an integer or a real. */
START_TEST(short_decimals_as_strtod) {
  char text[40];
  for (int n = 0; n < 300000; n++) {
    int ndigits = 1 + (int)(rnd() % 17); /* 16 and 17 take the strtod path */
    int point = (int)(rnd() % (unsigned)(ndigits + 1)); /* ndigits: no point */
    size_t len = 0;
    if (rnd() % 2) text[len++] = '-';
    for (int d = 0; d < ndigits; d++) {
      if (d == point && d > 0) text[len++] = '.';
      /* no leading zero before other digits: JSON does not have them */
      int first = d == 0 && point != 1 && ndigits > 1;
      text[len++] = (char)('0' + (first ? 1 + rnd() % 9 : rnd() % 10));
      if (d == 0 && point == 0 && ndigits > 1) text[len++] = '.';
    }
    text[len] = '\0';
    json_t *got = tp_json_parse(text, len, NULL);
    ck_assert_msg(got != NULL, "%s", text);
    if (strchr(text, '.') != NULL) {
      ck_assert_msg(json_is_real(got), "%s", text);
      double want = strtod(text, NULL), have = json_real_value(got);
      ck_assert_msg(memcmp(&want, &have, sizeof(want)) == 0, "%s: %.17g, not %.17g", text,
                    have, want);
    } else {
      ck_assert_msg(json_is_integer(got), "%s", text);
      ck_assert_int_eq(json_integer_value(got), strtoll(text, NULL, 10));
    }
    json_decref(got);
  }
}
END_TEST

/* --------------------------------------------------------- random texts */

/* The text of a random document, sometimes with \u escapes or spaces. */
static char *random_text(void) {
  json_t *doc = random_value(rnd() % 2);
  size_t flags = JSON_ENCODE_ANY | JSON_REAL_PRECISION(1 + (int)(rnd() % 17));
  if (rnd() % 3 == 0) flags |= JSON_ENSURE_ASCII;
  if (rnd() % 3 == 0) flags |= JSON_INDENT(rnd() % 3);
  if (rnd() % 2 == 0) flags |= JSON_COMPACT;
  char *text = json_dumps(doc, flags);
  json_decref(doc);
  ck_assert_ptr_nonnull(text);
  return text;
}


START_TEST(random_texts) {
  int accepted = 0, refused = 0;
  for (int i = 0; i < 60000; i++) {
    char *a = random_text();
    char *b = random_text();
    size_t cap = strlen(a) + 512;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    size_t len = strlen(a);
    memcpy(text, a, len);
    for (size_t m = rnd() % 4; m > 0; m--) len = mutate_text(text, len, cap, b);
    if (agree(text, len)) {
      accepted++;
    } else {
      refused++;
    }
    free(text);
    free(a);
    free(b);
  }
  /* Both outcomes in numbers, or the comparison says little. */
  ck_assert_int_gt(accepted, 10000);
  ck_assert_int_gt(refused, 10000);
}
END_TEST

/* The error: a reason and a position inside the text; NULL for err works. */
START_TEST(errors_say_where) {
  struct tp_json_error err;
  const char *dup = "{\"gemeente\":\"GM0772\",\"gemeente\":\"GM0773\"}";
  ck_assert_ptr_null(tp_json_parse(dup, strlen(dup), &err));
  ck_assert_str_eq(err.text, "een sleutel komt twee keer voor");
  ck_assert_uint_ge(err.position, strlen("{\"gemeente\":\"GM0772\","));
  ck_assert_uint_le(err.position, strlen(dup));

  const char *bad = "{\"leden\":[1,2,}";
  ck_assert_ptr_null(tp_json_parse(bad, strlen(bad), &err));
  ck_assert_uint_ge(err.position, strlen("{\"leden\":[1,2,"));
  ck_assert_ptr_null(strchr(err.text, '\n'));
  ck_assert_uint_gt(strlen(err.text), 0);

  ck_assert_ptr_null(tp_json_parse(bad, strlen(bad), NULL));
  json_t *ok = tp_json_parse("{\"a\":[1,2.5,\"x\"]}", 17, NULL);
  ck_assert_ptr_nonnull(ok);
  ck_assert_int_eq(json_integer_value(json_array_get(json_object_get(ok, "a"), 0)), 1);
  ck_assert(json_is_real(json_array_get(json_object_get(ok, "a"), 1)));
  json_decref(ok);
}
END_TEST

int main(void) {
  Suite *s = suite_create("parse");
  TCase *tc = tcase_create("parse");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, edge_cases);
  tcase_add_test(tc, nesting_limit);
  tcase_add_test(tc, long_keys_strings_and_numbers);
  tcase_add_test(tc, short_decimals_as_strtod);
  tcase_add_test(tc, random_texts);
  tcase_add_test(tc, errors_say_where);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
