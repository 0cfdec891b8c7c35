/* PostgreSQL's SQLSTATEs, by class and code, to what they mean here
 * (db/pg_errors.c), and on to the HTTP status (tp_problem_rc). */
#include <check.h>

#include "teamplotter/pg_errors.h"

static const struct {
  const char *sqlstate;
  tp_rc want;
} CASES[] = {
    /* 23: integrity constraint violation */
    {"23505", TP_ERR_CONFLICT},    /* unique_violation */
    {"23503", TP_ERR_CONFLICT},    /* foreign_key_violation */
    {"23P01", TP_ERR_CONFLICT},    /* exclusion_violation */
    {"23001", TP_ERR_CONFLICT},    /* restrict_violation */
    {"23000", TP_ERR_CONFLICT},    /* integrity_constraint_violation */
    {"23514", TP_ERR_INVALID},     /* check_violation: never a 500 */
    {"23502", TP_ERR_INVALID},     /* not_null_violation */
    /* 40: transaction rollback */
    {"40001", TP_ERR_CONCURRENT},  /* serialization_failure */
    {"40P01", TP_ERR_CONCURRENT},  /* deadlock_detected */
    {"40002", TP_ERR_DB},          /* transaction_integrity_constraint_violation */
    {"40003", TP_ERR_DB},          /* statement_completion_unknown */
    /* 08: connection exception */
    {"08000", TP_ERR_UNAVAILABLE},
    {"08006", TP_ERR_UNAVAILABLE}, /* connection_failure */
    {"08P01", TP_ERR_UNAVAILABLE}, /* protocol_violation */
    /* 53: insufficient resources */
    {"53000", TP_ERR_UNAVAILABLE},
    {"53100", TP_ERR_UNAVAILABLE}, /* disk_full */
    {"53200", TP_ERR_UNAVAILABLE}, /* out_of_memory */
    {"53300", TP_ERR_UNAVAILABLE}, /* too_many_connections */
    /* 57: operator intervention */
    {"57P01", TP_ERR_UNAVAILABLE}, /* admin_shutdown */
    {"57P02", TP_ERR_UNAVAILABLE}, /* crash_shutdown */
    {"57P03", TP_ERR_UNAVAILABLE}, /* cannot_connect_now */
    {"57014", TP_ERR_DB},          /* query_canceled */
    /* classes without a meaning of their own, and no code at all */
    {"42P01", TP_ERR_DB},          /* undefined_table */
    {"22P02", TP_ERR_DB},          /* invalid_text_representation */
    {"XX000", TP_ERR_DB},          /* internal_error */
    {"99999", TP_ERR_DB},          /* no such class */
    {"2350", TP_ERR_DB},           /* not a SQLSTATE */
    {"235050", TP_ERR_DB},
    {"", TP_ERR_DB},
    {NULL, TP_ERR_DB},
};

START_TEST(sqlstates_by_class_and_code) {
  const char *sqlstate = CASES[_i].sqlstate;
  ck_assert_msg(tp_pg_error_rc(sqlstate) == CASES[_i].want, "%s: got %s, want %s",
                sqlstate ? sqlstate : "NULL", tp_rc_name(tp_pg_error_rc(sqlstate)),
                tp_rc_name(CASES[_i].want));
}
END_TEST

int main(void) {
  Suite *s = suite_create("pg-errors");
  TCase *tc = tcase_create("table");
  tcase_add_loop_test(tc, sqlstates_by_class_and_code, 0, (int)(sizeof(CASES) / sizeof(CASES[0])));
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
