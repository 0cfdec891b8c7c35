/* Log lines name the request being served: "request=<id> " first while a
 * request is set for the thread, nothing before the message otherwise. */
#include <check.h>
#include <pthread.h>
#include <string.h>

#include "teamplotter/log.h"

static const char ID[] = "4144d8a6-187d-46da-9a84-e7c4eb63b052";

START_TEST(without_a_request_the_message_alone) {
  char line[256];
  tp_log_set_request(NULL);
  size_t n = tp_log_line(line, sizeof(line), "db: statement failed: %s", "boom");
  ck_assert_str_eq(line, "db: statement failed: boom");
  ck_assert_uint_eq(n, strlen(line));
}
END_TEST

START_TEST(within_a_request_its_id_first) {
  char line[256];
  tp_log_set_request(ID);
  size_t n = tp_log_line(line, sizeof(line), "pool: no free connection within %u ms", 250u);
  ck_assert_str_eq(line, "request=4144d8a6-187d-46da-9a84-e7c4eb63b052 pool: no free connection "
                         "within 250 ms");
  ck_assert_uint_eq(n, strlen(line));
  /* Cleared at the request's end. */
  tp_log_set_request(NULL);
  tp_log_line(line, sizeof(line), "%s", "snapshot: version 3 loaded");
  ck_assert_str_eq(line, "snapshot: version 3 loaded");
}
END_TEST

START_TEST(a_long_line_is_cut_and_measured) {
  char line[16];
  tp_log_set_request(ID);
  size_t n = tp_log_line(line, sizeof(line), "%s", "abc");
  ck_assert_uint_eq(n, strlen("request=") + strlen(ID) + strlen(" abc"));
  ck_assert_str_eq(line, "request=4144d8a");
  tp_log_set_request(NULL);
}
END_TEST

static void *other_thread(void *arg) {
  char *line = arg;
  tp_log_line(line, 256, "%s", "elders");
  return NULL;
}

START_TEST(the_request_is_the_threads_own) {
  char line[256];
  pthread_t t;
  tp_log_set_request(ID);
  ck_assert_int_eq(pthread_create(&t, NULL, other_thread, line), 0);
  pthread_join(t, NULL);
  ck_assert_str_eq(line, "elders");
  tp_log_set_request(NULL);
}
END_TEST

int main(void) {
  Suite *s = suite_create("log");
  TCase *tc = tcase_create("lines");
  tcase_add_test(tc, without_a_request_the_message_alone);
  tcase_add_test(tc, within_a_request_its_id_first);
  tcase_add_test(tc, a_long_line_is_cut_and_measured);
  tcase_add_test(tc, the_request_is_the_threads_own);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
