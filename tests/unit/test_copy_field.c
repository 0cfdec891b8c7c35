/* A field of COPY's text format (tp_copy_field): what the format gives a
 * meaning (backslash, newline, carriage return, tab) is escaped, the rest
 * kept byte for byte, and NULL is \N. A round's rows are stored this way,
 * so a byte lost here is a round that is no longer what it was. */
#include <check.h>
#include <string.h>

#include "db/pg.h"

static void assert_field(const char *in, size_t n, const char *want) {
  struct tp_textbuf b;
  tp_textbuf_init(&b, 1024);
  tp_copy_field(&b, in, n);
  ck_assert(!b.failed);
  ck_assert_str_eq(b.data != NULL ? b.data : "", want);
  tp_textbuf_free(&b);
}

START_TEST(escapes_what_copy_reads_specially) {
  assert_field("plain text, \"quotes\" and 'apostrophes'", 39,
               "plain text, \"quotes\" and 'apostrophes'");
  assert_field("a\r\n", 3, "a\\r\\n");
  assert_field("tab\there", 8, "tab\\there");
  assert_field("back\\slash\\", 11, "back\\\\slash\\\\");
  assert_field("\\N", 2, "\\\\N");
  assert_field("", 0, "");
  assert_field(NULL, 0, "\\N");
  /* UTF-8 untouched, and only `n` bytes taken. */
  assert_field("Súdwest-Fryslân and more", 17, "Súdwest-Fryslân");
}
END_TEST

int main(void) {
  Suite *s = suite_create("copy_field");
  TCase *tc = tcase_create("copy_field");
  tcase_add_test(tc, escapes_what_copy_reads_specially);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
