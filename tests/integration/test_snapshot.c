/* Documents computed apart from requests (tp_snapshot_memo_compute), on a
 * snapshot loaded from the real database: nobody waits longer than the
 * wait asked for, a failure says why, and each argument is released once. */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "teamplotter/pool.h"
#include "teamplotter/snapshot.h"

static struct tp_pool *pool;
static struct tp_snapshots *store;
static struct tp_snapshot *snap;
static atomic_int released;

/* What one fake computation does: take `ms`, then give {"n": n} or, with
 * `fail`, nothing and TP_ERR_UNAVAILABLE. */
struct job {
  long ms;
  int n;
  int fail;
};

static json_t *compute(void *arg, tp_rc *rc) {
  const struct job *j = arg;
  it_sleep_ms(j->ms);
  if (j->fail) {
    *rc = TP_ERR_UNAVAILABLE;
    return NULL;
  }
  return json_pack("{s:i}", "n", j->n);
}

static void release(void *arg) {
  free(arg);
  atomic_fetch_add(&released, 1);
}

struct call {
  const char *key;
  struct job job;
  long wait_ms;
  long start_after_ms;
  json_t *doc;
  tp_rc rc;
  double took;
};

static void *run_call(void *arg) {
  struct call *c = arg;
  it_sleep_ms(c->start_after_ms);
  struct job *j = malloc(sizeof(*j));
  *j = c->job;
  double t0 = it_now_s();
  c->doc = tp_snapshot_memo_compute(store, snap, c->key, compute, release, j, c->wait_ms, &c->rc);
  c->took = it_now_s() - t0;
  return NULL;
}

static void call(struct call *c) { run_call(c); }

static void setup(void) {
  ck_assert_int_eq(tp_pool_create(&pool, it_database_url(), 2, 1000), TP_OK);
  ck_assert_int_eq(tp_snapshots_create(&store, it_database_url(), pool), TP_OK);
  ck_assert_int_eq(tp_snapshot_acquire(store, &snap), TP_OK);
  atomic_store(&released, 0);
}

static void teardown(void) {
  tp_snapshot_release(store, snap);
  tp_snapshots_destroy(store); /* waits for the jobs still running */
  tp_pool_destroy(pool);
}

/* Whether `n` arguments are released within a second: the computing
 * thread releases its argument after it has handed the document over, so
 * a caller may return a moment before. Exactly `n`: never one too many. */
static int released_becomes(int n) {
  for (int i = 0; i < 100 && atomic_load(&released) < n; i++) it_sleep_ms(10);
  return atomic_load(&released) == n;
}

START_TEST(slow_computation_answers_busy_within_the_wait) {
  struct call first = {"slow", {1500, 1, 0}, 300, 0, NULL, TP_OK, 0};
  call(&first);
  ck_assert_ptr_null(first.doc);
  ck_assert_int_eq(first.rc, TP_ERR_BUSY);
  ck_assert_msg(first.took < 0.45, "waited %.3f s for a 0.3 s wait", first.took);
  /* Past the first wait of the computation: later callers hardly wait. */
  struct call later = {"slow", {1, 2, 0}, 300, 0, NULL, TP_OK, 0};
  call(&later);
  ck_assert_int_eq(later.rc, TP_ERR_BUSY);
  ck_assert_msg(later.took < 0.15, "waited %.3f s", later.took);
  it_sleep_ms(1400);
  struct call done = {"slow", {1, 3, 0}, 300, 0, NULL, TP_OK, 0};
  call(&done);
  ck_assert_ptr_nonnull(done.doc);
  ck_assert_int_eq(json_integer_value(json_object_get(done.doc, "n")), 1);
  ck_assert_msg(done.took < 0.05, "took %.3f s for a kept document", done.took);
  json_decref(done.doc);
  ck_assert_msg(released_becomes(3), "released %d arguments, not 3", atomic_load(&released));
}
END_TEST

START_TEST(failed_computation_says_why) {
  struct call c = {"fails", {100, 1, 1}, 1000, 0, NULL, TP_OK, 0};
  call(&c);
  ck_assert_ptr_null(c.doc);
  ck_assert_int_eq(c.rc, TP_ERR_UNAVAILABLE);
  ck_assert_msg(c.took < 0.5, "took %.3f s", c.took);
  /* The next caller computes again, and gets the document. */
  struct call again = {"fails", {10, 2, 0}, 1000, 0, NULL, TP_OK, 0};
  call(&again);
  ck_assert_ptr_nonnull(again.doc);
  ck_assert_int_eq(again.rc, TP_OK);
  json_decref(again.doc);
  ck_assert_msg(released_becomes(2), "released %d arguments, not 2", atomic_load(&released));
}
END_TEST

/* A caller that finds another key being computed waits for that one, then
 * starts its own, all within its own wait, not a fresh wait after the
 * other ended. */
START_TEST(waiting_behind_another_key_keeps_the_callers_wait) {
  struct call a = {"k1", {600, 1, 0}, 1000, 0, NULL, TP_OK, 0};
  struct call b = {"k2", {600, 2, 0}, 700, 100, NULL, TP_OK, 0};
  pthread_t ta, tb;
  ck_assert_int_eq(pthread_create(&ta, NULL, run_call, &a), 0);
  ck_assert_int_eq(pthread_create(&tb, NULL, run_call, &b), 0);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  ck_assert_ptr_nonnull(a.doc);
  json_decref(a.doc);
  ck_assert_msg(b.took < 0.85, "waited %.3f s for a 0.7 s wait", b.took);
  ck_assert_ptr_null(b.doc);
  ck_assert_int_eq(b.rc, TP_ERR_BUSY);
  it_sleep_ms(800); /* k2 is kept once its job ends */
  struct call c = {"k2", {1, 3, 0}, 300, 0, NULL, TP_OK, 0};
  call(&c);
  ck_assert_ptr_nonnull(c.doc);
  ck_assert_int_eq(json_integer_value(json_object_get(c.doc, "n")), 2);
  json_decref(c.doc);
}
END_TEST

int main(void) {
  it_database_url();
  /* The snapshot is read from a migrated database. */
  if (it_run_binary("migrate", it_database_url()) != 0) return 1;
  Suite *s = suite_create("snapshot");
  TCase *tc = tcase_create("memo");
  tcase_set_timeout(tc, 60);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, slow_computation_answers_busy_within_the_wait);
  tcase_add_test(tc, failed_computation_says_why);
  tcase_add_test(tc, waiting_behind_another_key_keeps_the_callers_wait);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
