/* The connection pool against a real PostgreSQL: bounded, waits then gives
 * up, resets broken connections, rolls back what a user left open. */
#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/pg.h"
#include "harness.h"
#include "teamplotter/pool.h"

START_TEST(exhausted_pool_gives_up_after_the_wait) {
  struct tp_pool *pool = NULL;
  struct tp_db *a = NULL, *b = NULL;
  ck_assert_int_eq(tp_pool_create(&pool, it_database_url(), 1, 200), TP_OK);
  ck_assert_int_eq(tp_pool_acquire(pool, &a), TP_OK);
  unsigned in_use, size;
  tp_pool_stats(pool, &in_use, &size);
  ck_assert_uint_eq(in_use, 1);
  ck_assert_uint_eq(size, 1);
  double t0 = it_now_s();
  ck_assert_int_eq(tp_pool_acquire(pool, &b), TP_ERR_UNAVAILABLE);
  double waited = it_now_s() - t0;
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

/* --- commits whose answer never comes -------------------------------------- */

/* A table of this run whose inserts make COMMIT sleep `sleep_s` seconds (a
 * deferred constraint trigger runs at commit time), and whose column x is
 * unique at commit time. */
static char slow_table[64];

static void make_slow_table(double sleep_s) {
  snprintf(slow_table, sizeof(slow_table), "it_pool_slow_%d", (int)getpid());
  char sql[1024];
  snprintf(sql, sizeof(sql),
           "SET client_min_messages = warning; DROP TABLE IF EXISTS %1$s;"
           "CREATE TABLE %1$s (x int, CONSTRAINT %1$s_x UNIQUE (x) DEFERRABLE INITIALLY DEFERRED);"
           "CREATE FUNCTION %1$s_sleep() RETURNS trigger LANGUAGE plpgsql AS"
           " $$BEGIN PERFORM pg_sleep(%2$g); RETURN NULL; END$$;"
           "CREATE CONSTRAINT TRIGGER %1$s_at_commit AFTER INSERT ON %1$s"
           " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION %1$s_sleep()",
           slow_table, sleep_s);
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
}

static void drop_slow_table(void) {
  char sql[256];
  snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS %1$s; DROP FUNCTION IF EXISTS %1$s_sleep()",
           slow_table);
  it_sql_exec(it_database_url(), sql);
}

static long slow_rows(void) {
  char sql[128];
  snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", slow_table);
  char *v = it_sql_value(it_database_url(), sql);
  ck_assert_ptr_nonnull(v);
  long n = atol(v);
  free(v);
  return n;
}

/* Inserts one row into the slow table inside a transaction of `db`. The
 * table name is this run's own, so the statement is built here (tests may). */
static void insert_slow_row(struct tp_db *db, int x) {
  char sql[128];
  tp_rc rc;
  snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES (%d)", slow_table, x);
  PGresult *res = tp_db_exec(db, sql, 0, NULL, &rc);
  ck_assert_int_eq(rc, TP_OK);
  PQclear(res);
}

/* A pool of one connection with a transaction open on a fresh slow table
 * (see make_slow_table); `deadline_ms` 0 keeps the pool's. */
static struct tp_db *begin_on_slow_table(struct tp_pool **pool, double sleep_s, long deadline_ms) {
  struct tp_db *db = NULL;
  make_slow_table(sleep_s);
  ck_assert_int_eq(tp_pool_create(pool, it_database_url(), 1, 1000), TP_OK);
  ck_assert_int_eq(tp_pool_acquire(*pool, &db), TP_OK);
  if (deadline_ms > 0) tp_db_set_deadline(db, deadline_ms);
  ck_assert_int_eq(tp_db_begin(db), TP_OK);
  return db;
}

/* Gives the connection back, waits `wait_s` seconds for PostgreSQL to
 * finish what it was doing, and asserts that the slow table then holds
 * `rows` rows. */
static void end_on_slow_table(struct tp_pool *pool, struct tp_db *db, unsigned wait_s,
                              long rows) {
  tp_pool_release(pool, db);
  tp_pool_destroy(pool);
  sleep(wait_s);
  ck_assert_int_eq(slow_rows(), rows);
  drop_slow_table();
}

START_TEST(commit_past_the_deadline_has_an_unknown_outcome) {
  struct tp_pool *pool = NULL;
  struct tp_db *db = begin_on_slow_table(&pool, 1.0, 300);
  insert_slow_row(db, 1);
  double t0 = it_now_s();
  /* The COMMIT was sent; its answer does not come within the deadline. */
  ck_assert_int_eq(tp_db_commit(db), TP_ERR_OUTCOME_UNKNOWN);
  ck_assert_msg(it_now_s() - t0 < 0.9, "the deadline was not kept");
  /* And indeed PostgreSQL went on and committed it. */
  end_on_slow_table(pool, db, 2, 1);
}
END_TEST

START_TEST(statement_past_the_deadline_inside_a_transaction_is_not_done) {
  struct tp_pool *pool = NULL;
  struct tp_db *db = begin_on_slow_table(&pool, 0, 300);
  tp_rc rc;
  insert_slow_row(db, 1);
  /* No COMMIT was sent: the transaction can only end in a rollback. */
  ck_assert_ptr_null(tp_db_exec(db, "SELECT pg_sleep(1)", 0, NULL, &rc));
  ck_assert_int_eq(rc, TP_ERR_UNAVAILABLE);
  ck_assert_int_eq(tp_db_commit(db), TP_ERR_UNAVAILABLE);
  end_on_slow_table(pool, db, 1, 0);
}
END_TEST

struct terminator {
  int pid;
  int rc;
};

/* Terminates backend `pid` 300 ms from now, while its COMMIT runs. */
static void *terminate_soon(void *arg) {
  struct terminator *t = arg;
  struct timespec wait = {0, 300 * 1000000L};
  nanosleep(&wait, NULL);
  char sql[96];
  snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%d)", t->pid);
  t->rc = it_sql_exec(it_database_url(), sql);
  return NULL;
}

START_TEST(connection_lost_during_commit_has_an_unknown_outcome) {
  struct tp_pool *pool = NULL;
  struct tp_db *db = begin_on_slow_table(&pool, 2.0, 0);
  insert_slow_row(db, 1);
  struct terminator t = {PQbackendPID(tp_db_conn(db)), -1};
  pthread_t thread;
  ck_assert_int_eq(pthread_create(&thread, NULL, terminate_soon, &t), 0);
  /* The connection dies under the COMMIT: the client cannot tell whether
   * it was done (here it was not, but it might have been). */
  ck_assert_int_eq(tp_db_commit(db), TP_ERR_OUTCOME_UNKNOWN);
  pthread_join(thread, NULL);
  ck_assert_int_eq(t.rc, 0);
  end_on_slow_table(pool, db, 0, 0);
}
END_TEST

/* After tp_pool_abort (shutdown) nothing more is sent: a COMMIT that comes
 * later is definitely not done, never "maybe stored". */
START_TEST(commit_after_the_abort_is_not_sent) {
  struct tp_pool *pool = NULL;
  struct tp_db *db = begin_on_slow_table(&pool, 0, 0);
  insert_slow_row(db, 3);
  tp_pool_abort(pool);
  ck_assert_int_eq(tp_db_commit(db), TP_ERR_UNAVAILABLE);
  end_on_slow_table(pool, db, 0, 0);
}
END_TEST

START_TEST(commit_refused_by_postgresql_is_not_done) {
  struct tp_pool *pool = NULL;
  struct tp_db *db = begin_on_slow_table(&pool, 0, 0);
  insert_slow_row(db, 7);
  insert_slow_row(db, 7);
  /* The deferred unique constraint refuses the COMMIT: an answer, and a
   * definite one. */
  ck_assert_int_eq(tp_db_commit(db), TP_ERR_CONFLICT);
  end_on_slow_table(pool, db, 0, 0);
}
END_TEST

struct thaw {
  int pid;
  double after_s;
};

/* Lets a stopped backend go on after a while, whatever the test does: a
 * pool that blocks would otherwise leave it stopped for good. */
static void *thaw_later(void *arg) {
  const struct thaw *t = arg;
  struct timespec wait = {(time_t)t->after_s, 0};
  nanosleep(&wait, NULL);
  kill(t->pid, SIGCONT);
  return NULL;
}

/* A statement larger than the socket buffers, sent to a backend that
 * reads nothing (stopped, as behind a stalled disk or network): sending
 * it keeps the deadline too, not only waiting for its answer. */
START_TEST(big_statement_to_a_frozen_backend_keeps_the_deadline) {
  struct tp_pool *pool = NULL;
  struct tp_db *db = NULL;
  ck_assert_int_eq(tp_pool_create(&pool, it_database_url(), 1, 1000), TP_OK);
  ck_assert_int_eq(tp_pool_acquire(pool, &db), TP_OK);
  size_t n = 64u * 1024 * 1024;
  char *big = malloc(n + 1);
  ck_assert_ptr_nonnull(big);
  memset(big, 'x', n);
  big[n] = '\0';
  /* Prepared first, so that the stopped backend is sent the big Bind. */
  const char *small[] = {"x"};
  tp_rc prepared = TP_ERR_DB;
  PQclear(tp_db_exec(db, "SELECT length($1)", 1, small, &prepared));
  ck_assert_int_eq(prepared, TP_OK);
  struct thaw t = {PQbackendPID(tp_db_conn(db)), 12.0};
  if (kill(t.pid, SIGSTOP) != 0) {
    fprintf(stderr, "big_statement_to_a_frozen_backend: cannot stop backend %d; not tested\n",
            t.pid);
  } else {
    pthread_t thread;
    ck_assert_int_eq(pthread_create(&thread, NULL, thaw_later, &t), 0);
    const char *params[] = {big};
    tp_rc rc = TP_OK;
    double t0 = it_now_s();
    PGresult *res = tp_db_exec(db, "SELECT length($1)", 1, params, &rc);
    double took = it_now_s() - t0;
    kill(t.pid, SIGCONT);
    pthread_join(thread, NULL);
    ck_assert_msg(res == NULL && rc == TP_ERR_UNAVAILABLE, "rc %d", (int)rc);
    ck_assert_msg(took < 6.0, "gave up after %.1f s (deadline 3 s)", took);
  }
  free(big);
  tp_pool_release(pool, db);
  tp_pool_destroy(pool);
}
END_TEST

struct waiter {
  struct tp_pool *pool;
  tp_rc rc;
  double took;
};

static void *acquire_and_time(void *arg) {
  struct waiter *w = arg;
  struct tp_db *db = NULL;
  double t0 = it_now_s();
  w->rc = tp_pool_acquire(w->pool, &db);
  w->took = it_now_s() - t0;
  tp_pool_release(w->pool, db);
  return NULL;
}

/* tp_pool_abort ends a wait for a free connection at once, as it ends a
 * wait for an answer: a shutdown waits for neither. */
START_TEST(abort_ends_the_wait_for_a_connection) {
  struct tp_pool *pool = NULL;
  struct tp_db *held = NULL;
  ck_assert_int_eq(tp_pool_create(&pool, it_database_url(), 1, 10000), TP_OK);
  ck_assert_int_eq(tp_pool_acquire(pool, &held), TP_OK);
  struct waiter w = {pool, TP_OK, 0};
  pthread_t thread;
  ck_assert_int_eq(pthread_create(&thread, NULL, acquire_and_time, &w), 0);
  struct timespec wait = {0, 300 * 1000000L};
  nanosleep(&wait, NULL);
  tp_pool_abort(pool);
  pthread_join(thread, NULL);
  ck_assert_int_eq(w.rc, TP_ERR_UNAVAILABLE);
  ck_assert_msg(w.took < 1.5, "waited %.1f s after the abort", w.took);
  tp_pool_release(pool, held);
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
  tcase_add_test(tc, commit_past_the_deadline_has_an_unknown_outcome);
  tcase_add_test(tc, statement_past_the_deadline_inside_a_transaction_is_not_done);
  tcase_add_test(tc, connection_lost_during_commit_has_an_unknown_outcome);
  tcase_add_test(tc, commit_refused_by_postgresql_is_not_done);
  tcase_add_test(tc, commit_after_the_abort_is_not_sent);
  tcase_add_test(tc, big_statement_to_a_frozen_backend_keeps_the_deadline);
  tcase_add_test(tc, abort_ends_the_wait_for_a_connection);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
