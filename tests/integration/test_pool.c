/* The connection pool against a real PostgreSQL: bounded, waits then gives
 * up, resets broken connections, rolls back what a user left open. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/pg.h"
#include "harness.h"
#include "teamplotter/pool.h"

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

START_TEST(exhausted_pool_gives_up_after_the_wait) {
  struct tp_pool *pool = NULL;
  struct tp_db *a = NULL, *b = NULL;
  ck_assert_int_eq(tp_pool_create(&pool, it_database_url(), 1, 200), TP_OK);
  ck_assert_int_eq(tp_pool_acquire(pool, &a), TP_OK);
  unsigned in_use, size;
  tp_pool_stats(pool, &in_use, &size);
  ck_assert_uint_eq(in_use, 1);
  ck_assert_uint_eq(size, 1);
  double t0 = now_s();
  ck_assert_int_eq(tp_pool_acquire(pool, &b), TP_ERR_UNAVAILABLE);
  double waited = now_s() - t0;
  ck_assert_msg(waited >= 0.15 && waited < 5.0, "waited %.3f s", waited);
  tp_pool_release(pool, a);
  ck_assert_int_eq(tp_pool_acquire(pool, &b), TP_OK);
  tp_pool_release(pool, b);
  tp_pool_destroy(pool);
}
END_TEST

START_TEST(open_transaction_is_rolled_back_before_reuse) {
  struct tp_pool *pool = NULL;
  struct tp_db *db = NULL;
  tp_rc rc;
  ck_assert_int_eq(tp_pool_create(&pool, it_database_url(), 1, 1000), TP_OK);
  ck_assert_int_eq(tp_pool_acquire(pool, &db), TP_OK);
  ck_assert_int_eq(tp_db_begin(db), TP_OK);
  /* A failed statement leaves the transaction aborted. */
  ck_assert_ptr_null(tp_db_exec(db, "SELECT 1/0", 0, NULL, &rc));
  ck_assert_int_eq(rc, TP_ERR_DB);
  tp_pool_release(pool, db);
  ck_assert_int_eq(tp_pool_acquire(pool, &db), TP_OK);
  ck_assert_int_eq(PQtransactionStatus(tp_db_conn(db)), PQTRANS_IDLE);
  PGresult *res = tp_db_exec(db, "SELECT 1", 0, NULL, &rc);
  ck_assert_ptr_nonnull(res);
  PQclear(res);
  tp_pool_release(pool, db);
  tp_pool_destroy(pool);
}
END_TEST

START_TEST(broken_connection_is_replaced) {
  struct tp_pool *pool = NULL;
  struct tp_db *db = NULL;
  tp_rc rc;
  ck_assert_int_eq(tp_pool_create(&pool, it_database_url(), 1, 1000), TP_OK);
  ck_assert_int_eq(tp_pool_acquire(pool, &db), TP_OK);
  int pid = PQbackendPID(tp_db_conn(db));
  tp_pool_release(pool, db);
  char sql[96];
  snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%d)", pid);
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
  ck_assert_int_eq(tp_pool_acquire(pool, &db), TP_OK);
  /* The first statement notices the dead connection and retries once. */
  PGresult *res = tp_db_exec(db, "SELECT pg_backend_pid()", 0, NULL, &rc);
  ck_assert_int_eq(rc, TP_OK);
  ck_assert_int_ne(atoi(PQgetvalue(res, 0, 0)), pid);
  PQclear(res);
  tp_pool_release(pool, db);
  tp_pool_destroy(pool);
}
END_TEST

START_TEST(unreachable_database_is_unavailable) {
  struct tp_pool *pool = NULL;
  struct tp_db *db = NULL;
  ck_assert_int_eq(tp_pool_create(&pool, "postgresql://postgres@127.0.0.1:1/none?connect_timeout=2",
                                  2, 100), TP_OK);
  ck_assert_int_eq(tp_pool_acquire(pool, &db), TP_ERR_UNAVAILABLE);
  ck_assert_int_eq(tp_pool_ping(pool), TP_ERR_UNAVAILABLE);
  unsigned in_use, size;
  tp_pool_stats(pool, &in_use, &size);
  ck_assert_uint_eq(in_use, 0);
  tp_pool_destroy(pool);
}
END_TEST

int main(void) {
  it_database_url();
  Suite *s = suite_create("pool");
  TCase *tc = tcase_create("pool");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, exhausted_pool_gives_up_after_the_wait);
  tcase_add_test(tc, open_transaction_is_rolled_back_before_reuse);
  tcase_add_test(tc, broken_connection_is_replaced);
  tcase_add_test(tc, unreachable_database_is_unavailable);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
