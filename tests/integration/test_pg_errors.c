/* PostgreSQL errors by SQLSTATE class, over real HTTP against the real
 * binary and cluster: a write that loses to a concurrent transaction
 * (serialization failure, deadlock) runs once more; lost twice it answers
 * 503 with Retry-After and stores nothing; a CHECK or NOT NULL refusal is
 * the client's 400, never a 500; an exclusion violation is a 409 and
 * insufficient resources a 503. And the lines the db layer logs for a
 * request carry its id.
 *
 * The errors come from a trigger this binary puts on teamprofielen for its
 * own client only (the toelichting of the body says which error), with a
 * sequence counting the attempts: a rolled-back transaction does not undo
 * nextval. Teardown drops all of it. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct it_server srv;
static char prefix[48];    /* it-pge-<pid>-: this run's client ids */
static char client_id[64];
static char token[1024];
static char attempts[64];  /* the sequence counting the trigger's runs */
static char function[64];  /* the trigger function, also the trigger's name */

static void fail_setup(const char *what) {
  fprintf(stderr, "test_pg_errors: %s\n", what);
  exit(1);
}

static void drop_trigger(void) {
  char sql[512];
  snprintf(sql, sizeof(sql), "DROP TRIGGER IF EXISTS %s ON teamprofielen", function);
  it_sql_exec(it_database_url(), sql);
  snprintf(sql, sizeof(sql), "DROP FUNCTION IF EXISTS %s()", function);
  it_sql_exec(it_database_url(), sql);
  snprintf(sql, sizeof(sql), "DROP SEQUENCE IF EXISTS %s", attempts);
  it_sql_exec(it_database_url(), sql);
}

/* The trigger raises, for this run's client, the error its toelichting
 * names: "once:<sqlstate>" on the first attempt only, "always:<sqlstate>"
 * on every one. */
static void create_trigger(void) {
  char sql[2048];
  snprintf(sql, sizeof(sql), "CREATE SEQUENCE %s", attempts);
  if (it_sql_exec(it_database_url(), sql) != 0) fail_setup("CREATE SEQUENCE failed");
  snprintf(sql, sizeof(sql),
           "CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $f$"
           " DECLARE n bigint;"
           " BEGIN"
           "  IF NEW.client_id <> '%s' OR NEW.toelichting IS NULL"
           "     OR NEW.toelichting NOT LIKE '%%:%%' THEN RETURN NEW; END IF;"
           "  n := nextval('%s');"
           "  IF split_part(NEW.toelichting, ':', 1) = 'always' OR n = 1 THEN"
           "   RAISE EXCEPTION 'test_pg_errors: %%', NEW.toelichting"
           "    USING ERRCODE = split_part(NEW.toelichting, ':', 2);"
           "  END IF;"
           "  RETURN NEW;"
           " END $f$",
           function, client_id, attempts);
  if (it_sql_exec(it_database_url(), sql) != 0) fail_setup("CREATE FUNCTION failed");
  snprintf(sql, sizeof(sql),
           "CREATE TRIGGER %s BEFORE INSERT ON teamprofielen FOR EACH ROW EXECUTE FUNCTION %s()",
           function, function);
  if (it_sql_exec(it_database_url(), sql) != 0) fail_setup("CREATE TRIGGER failed");
}

static void setup(void) {
  snprintf(prefix, sizeof(prefix), "it-pge-%d-", (int)getpid());
  snprintf(client_id, sizeof(client_id), "%sw", prefix);
  snprintf(attempts, sizeof(attempts), "it_pge_%d_pogingen", (int)getpid());
  snprintf(function, sizeof(function), "it_pge_%d_fout", (int)getpid());
  drop_trigger();
  if (it_server_start(&srv, NULL) != 0) fail_setup("the server did not start");
  const char *add[] = {"clients",  "add", client_id, "--scopes", "teamprofielen.schrijven",
                       "--gemeenten", "GM0772", NULL};
  char *out = it_capture(add);
  if (out == NULL) fail_setup("teamplotter clients add failed");
  free(out);
  const char *tok[] = {"token", client_id, NULL};
  char *t = it_capture(tok);
  if (t == NULL) fail_setup("teamplotter token failed");
  t[strcspn(t, "\r\n")] = '\0';
  snprintf(token, sizeof(token), "%s", t);
  free(t);
  create_trigger();
}

static void teardown(void) {
  drop_trigger();
  it_remove_client_rows(prefix);
  if (srv.pid > 0 && it_server_stop_verbose(&srv) != 0) {
    fprintf(stderr, "test_pg_errors: the server did not stop cleanly\n");
    exit(1);
  }
}

/* POSTs a valid team profile whose toelichting is `note`. */
static void post_profile(const char *note, struct it_response *r) {
  char auth[1200], body[1024];
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
  const char *headers[] = {auth, "Content-Type: application/json", NULL};
  snprintf(body, sizeof(body),
           "{\"gemeente\":\"GM0772\",\"peildatum\":\"2026-01-01\",\"toelichting\":\"%s\","
           "\"leden\":[{\"label\":\"Webredactie\",\"fte\":0.8,"
           "\"rollen\":[{\"rol\":\"webredacteur\",\"aandeel\":0.8}],\"competenties\":[]}]}",
           note);
  ck_assert_int_eq(it_request(&srv, "POST", "/api/v1/teamprofielen", headers, body, strlen(body),
                              r),
                   0);
}

/* How often the trigger ran, over this binary's life. */
static long trigger_runs(void) {
  char sql[128];
  snprintf(sql, sizeof(sql), "SELECT last_value * is_called::int FROM %s", attempts);
  char *v = it_sql_value(it_database_url(), sql);
  long n = v ? atol(v) : -1;
  free(v);
  return n;
}

/* Profiles this run's client holds with toelichting `note`. */
static long stored_with(const char *note) {
  char sql[512];
  snprintf(sql, sizeof(sql),
           "SELECT count(*) FROM teamprofielen WHERE client_id = '%s' AND toelichting = '%s'",
           client_id, note);
  char *v = it_sql_value(it_database_url(), sql);
  long n = v ? atol(v) : -1;
  free(v);
  return n;
}

START_TEST(serialization_failure_runs_the_transaction_once_more) {
  struct it_response r;
  long before = trigger_runs();
  post_profile("once:40001", &r);
  ck_assert_msg(r.status == 201, "POST gave %ld: %s", r.status, r.body);
  it_assert_conventions(&r);
  it_response_free(&r);
  ck_assert_int_eq(trigger_runs() - before, 2);
  ck_assert_int_eq(stored_with("once:40001"), 1);
}
END_TEST

START_TEST(deadlock_twice_is_503_and_stores_nothing) {
  struct it_response r;
  long before = trigger_runs();
  post_profile("always:40P01", &r);
  it_assert_problem(&r, 503);
  ck_assert_ptr_nonnull(it_header(&r, "Retry-After"));
  it_response_free(&r);
  /* Once more, and no more than that. */
  ck_assert_int_eq(trigger_runs() - before, 2);
  ck_assert_int_eq(stored_with("always:40P01"), 0);
}
END_TEST

START_TEST(check_and_not_null_violations_are_400) {
  static const char *const notes[] = {"always:23514", "always:23502"};
  for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
    struct it_response r;
    post_profile(notes[i], &r);
    ck_assert_msg(r.status == 400, "%s gave %ld: %s", notes[i], r.status, r.body);
    it_assert_problem(&r, 400);
    json_t *param = json_array_get(json_object_get(r.json, "invalidParams"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(param, "code")), "database-rule");
    it_response_free(&r);
    ck_assert_int_eq(stored_with(notes[i]), 0);
  }
}
END_TEST

START_TEST(exclusion_violation_is_409) {
  struct it_response r;
  post_profile("always:23P01", &r);
  it_assert_problem(&r, 409);
  it_response_free(&r);
}
END_TEST

START_TEST(insufficient_resources_is_503) {
  struct it_response r;
  post_profile("always:53300", &r);
  it_assert_problem(&r, 503);
  ck_assert_ptr_nonnull(it_header(&r, "Retry-After"));
  it_response_free(&r);
}
END_TEST

/* The db layer knows nothing of HTTP, yet what it logs while serving a
 * request names that request. */
START_TEST(db_log_lines_carry_the_request_id) {
  struct it_response r;
  post_profile("always:23505", &r);
  it_assert_problem(&r, 409);
  const char *instance = json_string_value(json_object_get(r.json, "instance"));
  ck_assert_ptr_nonnull(instance);
  ck_assert_int_eq(strncmp(instance, "urn:uuid:", 9), 0);
  char needle[128];
  snprintf(needle, sizeof(needle), "request=%s db: statement refused: ", instance + 9);
  /* The log is written as the request ends: give it a moment. */
  for (int i = 0; i < 50 && !it_log_contains(&srv, needle); i++) it_sleep_ms(20);
  ck_assert_msg(it_log_contains(&srv, needle), "no line \"%s\" in the server log", needle);
  it_response_free(&r);
}
END_TEST

int main(void) {
  Suite *s = suite_create("pg-errors");
  TCase *tc = tcase_create("sqlstate");
  tcase_set_timeout(tc, 60);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, serialization_failure_runs_the_transaction_once_more);
  tcase_add_test(tc, deadlock_twice_is_503_and_stores_nothing);
  tcase_add_test(tc, check_and_not_null_violations_are_400);
  tcase_add_test(tc, exclusion_violation_is_409);
  tcase_add_test(tc, insufficient_resources_is_503);
  tcase_add_test(tc, db_log_lines_carry_the_request_id);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_set_fork_status(sr, CK_NOFORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
