/* If-Match and If-None-Match field values (RFC 9110 13.1.1, 13.1.2):
 * "*" only as the whole value, otherwise a comma-separated list of entity
 * tags with optional whitespace and empty elements; strong comparison for
 * If-Match, weak for If-None-Match; a malformed field matches nothing. No
 * database. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "teamplotter/render.h"

#define TAG "\"abc\""

static const char *kind_name(enum tp_etag_field k) {
  switch (k) {
  case TP_ETAG_FIELD_MALFORMED: return "malformed";
  case TP_ETAG_FIELD_ANY: return "any";
  case TP_ETAG_FIELD_LIST: return "list";
  }
  return "?";
}

static const struct {
  const char *field;
  enum tp_etag_field kind;
  int strong, weak; /* whether it names TAG for If-Match, for If-None-Match */
} CASES[] = {
    /* "*" alone, whitespace around it as a field value may have. */
    {"*", TP_ETAG_FIELD_ANY, 1, 1},
    {" *\t", TP_ETAG_FIELD_ANY, 1, 1},
    /* One tag; strong and weak forms. */
    {TAG, TP_ETAG_FIELD_LIST, 1, 1},
    {"W/" TAG, TP_ETAG_FIELD_LIST, 0, 1},
    {"\"abcd\"", TP_ETAG_FIELD_LIST, 0, 0},
    {"\"ab\"", TP_ETAG_FIELD_LIST, 0, 0},
    {"\"ABC\"", TP_ETAG_FIELD_LIST, 0, 0},
    {"\"\"", TP_ETAG_FIELD_LIST, 0, 0},
    /* Lists: commas, optional whitespace, empty elements. */
    {"\"x\", " TAG, TP_ETAG_FIELD_LIST, 1, 1},
    {"\"x\"," TAG ",\"y\"", TP_ETAG_FIELD_LIST, 1, 1},
    {"\"x\" ,\t" TAG " , \"y\"", TP_ETAG_FIELD_LIST, 1, 1},
    {" , ," TAG ",,", TP_ETAG_FIELD_LIST, 1, 1},
    {"W/" TAG ", " TAG, TP_ETAG_FIELD_LIST, 1, 1},
    {"\"x\", W/" TAG, TP_ETAG_FIELD_LIST, 0, 1},
    {"\"x\", \"y\"", TP_ETAG_FIELD_LIST, 0, 0},
    {"", TP_ETAG_FIELD_LIST, 0, 0},
    {",", TP_ETAG_FIELD_LIST, 0, 0},
    {" , \t, ", TP_ETAG_FIELD_LIST, 0, 0},
    /* Every etagc: ! # through ~, and obs-text. */
    {"\"!#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\"", TP_ETAG_FIELD_LIST, 0, 0},
    {"\"\x80\xff\"", TP_ETAG_FIELD_LIST, 0, 0},
    {"\"a,b\", " TAG, TP_ETAG_FIELD_LIST, 1, 1},
    /* "*" anywhere but alone: malformed, matches nothing. */
    {"*\"stale\"", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"\"stale\", *junk", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {TAG ", *junk", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"*, " TAG, TP_ETAG_FIELD_MALFORMED, 0, 0},
    {TAG ", *", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"*, *", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"**", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"W/*", TP_ETAG_FIELD_MALFORMED, 0, 0},
    /* Not an entity tag. */
    {"abc", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"abc, " TAG, TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"\"abc", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"\"", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"W/", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"w/" TAG, TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"W/ " TAG, TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"W" TAG, TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"\"ab c\"", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"\"ab\"c\"", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {TAG "x", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {TAG " " TAG, TP_ETAG_FIELD_MALFORMED, 0, 0},
    {TAG ";q=1", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"\"a\x7f\", " TAG, TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"\"a\x01\", " TAG, TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"\"a\tb\", " TAG, TP_ETAG_FIELD_MALFORMED, 0, 0},
    {TAG ",\x0b", TP_ETAG_FIELD_MALFORMED, 0, 0},
    {"'abc'", TP_ETAG_FIELD_MALFORMED, 0, 0},
};

START_TEST(every_case) {
  for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
    const char *f = CASES[i].field;
    enum tp_etag_field got = tp_etag_field_kind(f);
    ck_assert_msg(got == CASES[i].kind, "[%s]: %s, expected %s", f, kind_name(got),
                  kind_name(CASES[i].kind));
    ck_assert_msg(tp_etag_list_has(f, TAG, 0) == CASES[i].strong, "[%s] If-Match: %d", f,
                  tp_etag_list_has(f, TAG, 0));
    ck_assert_msg(tp_etag_list_has(f, TAG, 1) == CASES[i].weak, "[%s] If-None-Match: %d", f,
                  tp_etag_list_has(f, TAG, 1));
  }
}
END_TEST

/* The two fields that once counted as "*" and overwrote a profile. */
START_TEST(star_with_something_after_it_is_not_star) {
  const char *tag = "\"0123456789abcdef0123456789abcdef\"";
  ck_assert_int_eq(tp_etag_list_has("*\"stale\"", tag, 0), 0);
  ck_assert_int_eq(tp_etag_list_has("\"stale\", *junk", tag, 0), 0);
  ck_assert_int_eq(tp_etag_list_has("*\"stale\"", tag, 1), 0);
  ck_assert_int_eq(tp_etag_list_has("\"stale\", *junk", tag, 1), 0);
  ck_assert_int_eq(tp_etag_field_kind("*\"stale\""), TP_ETAG_FIELD_MALFORMED);
  ck_assert_int_eq(tp_etag_field_kind("\"stale\", *junk"), TP_ETAG_FIELD_MALFORMED);
}
END_TEST

/* A real tag among many, and a field too long to be anything but a list. */
START_TEST(long_lists) {
  const char *tag = "\"0123456789abcdef0123456789abcdef\"";
  char field[8192] = "";
  size_t n = 0;
  for (int i = 0; i < 200; i++) n += (size_t)snprintf(field + n, sizeof(field) - n, "\"t%d\", ", i);
  snprintf(field + n, sizeof(field) - n, "%s", tag);
  ck_assert_int_eq(tp_etag_field_kind(field), TP_ETAG_FIELD_LIST);
  ck_assert_int_eq(tp_etag_list_has(field, tag, 0), 1);
  /* One bad element anywhere spoils the whole field. */
  field[1] = ' ';
  ck_assert_int_eq(tp_etag_field_kind(field), TP_ETAG_FIELD_MALFORMED);
  ck_assert_int_eq(tp_etag_list_has(field, tag, 0), 0);
  ck_assert_int_eq(tp_etag_list_has(field, tag, 1), 0);
}
END_TEST

START_TEST(null_names_nothing) {
  ck_assert_int_eq(tp_etag_field_kind(NULL), TP_ETAG_FIELD_MALFORMED);
  ck_assert_int_eq(tp_etag_list_has(NULL, TAG, 0), 0);
  ck_assert_int_eq(tp_etag_list_has(NULL, TAG, 1), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("etag");
  TCase *tc = tcase_create("etag");
  tcase_add_test(tc, every_case);
  tcase_add_test(tc, star_with_something_after_it_is_not_star);
  tcase_add_test(tc, long_lists);
  tcase_add_test(tc, null_names_nothing);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
