/* The single-flight memo (memo.h) with a value of its own type: each
 * reader holds a reference, a replaced value goes when its last reader
 * drops it, and the memo drops what it keeps when freed. */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "teamplotter/memo.h"

/* A counted value and the number alive. */
struct value {
  atomic_int refs;
  int n;
};
static atomic_int alive;
static atomic_int released;

static void *hold(void *v) {
  atomic_fetch_add(&((struct value *)v)->refs, 1);
  return v;
}

static void drop(void *v) {
  struct value *x = v;
  if (atomic_fetch_sub(&x->refs, 1) == 1) {
    free(x);
    atomic_fetch_sub(&alive, 1);
  }
}

static const struct tp_memo_ops OPS = {hold, drop};

static void *compute(void *arg, tp_rc *rc) {
  (void)rc;
  struct value *v = malloc(sizeof(*v));
  atomic_init(&v->refs, 1);
  v->n = *(int *)arg;
  atomic_fetch_add(&alive, 1);
  return v;
}

static void *compute_nothing(void *arg, tp_rc *rc) {
  (void)arg;
  *rc = TP_ERR_UNAVAILABLE;
  return NULL;
}

static void release(void *arg) {
  (void)arg;
  atomic_fetch_add(&released, 1);
}

/* Waits until `n` arguments are released: a job releases its own after it
 * has woken its callers and dropped the value it replaced. */
static void wait_released(int n) {
  for (int i = 0; i < 400 && atomic_load(&released) < n; i++) {
    nanosleep(&(struct timespec){0, 5000000}, NULL);
  }
  ck_assert_int_eq(atomic_load(&released), n);
}

/* tp_memo_compute of `n` under `key`, waiting up to 2 s. */
static struct value *value_of(struct tp_memo *m, const char *key, int *n, tp_rc *rc) {
  return tp_memo_compute(m, key, &OPS, compute, release, n, 2000, rc);
}

START_TEST(readers_hold_and_the_memo_drops) {
  atomic_store(&alive, 0);
  atomic_store(&released, 0);
  struct tp_memo *m = tp_memo_new();
  ck_assert_ptr_nonnull(m);
  int one = 1, two = 2;
  tp_rc rc;
  struct value *a = value_of(m, "k1", &one, &rc);
  ck_assert_ptr_nonnull(a);
  ck_assert_int_eq(rc, TP_OK);
  ck_assert_int_eq(a->n, 1);
  /* Kept: the same value again, without computing. */
  struct value *again = value_of(m, "k1", &two, &rc);
  ck_assert_ptr_eq(again, a);
  ck_assert_ptr_eq(tp_memo_get(m, "k1"), a);
  ck_assert_int_eq(atomic_load(&a->refs), 4); /* the memo and three readers */
  drop(again);
  drop(a);
  ck_assert_ptr_null(tp_memo_get(m, "k2"));
  /* Another key replaces it; the reader still holding it keeps it. */
  struct value *b = value_of(m, "k2", &two, &rc);
  ck_assert_ptr_nonnull(b);
  ck_assert_int_eq(b->n, 2);
  wait_released(3);
  ck_assert_ptr_null(tp_memo_get(m, "k1"));
  ck_assert_int_eq(atomic_load(&alive), 2);
  ck_assert_int_eq(a->n, 1);
  drop(a);
  ck_assert_int_eq(atomic_load(&alive), 1);
  drop(b);
  ck_assert_int_eq(atomic_load(&alive), 1); /* the memo's own */
  tp_memo_free(m);
  ck_assert_int_eq(atomic_load(&alive), 0);
  /* Each argument released once, by the job or by the caller. */
  ck_assert_int_eq(atomic_load(&released), 3);
}
END_TEST

START_TEST(a_failure_says_why_and_keeps_nothing) {
  atomic_store(&released, 0);
  struct tp_memo *m = tp_memo_new();
  tp_rc rc;
  ck_assert_ptr_null(tp_memo_compute(m, "k", &OPS, compute_nothing, release, NULL, 2000, &rc));
  ck_assert_int_eq(rc, TP_ERR_UNAVAILABLE);
  ck_assert_ptr_null(tp_memo_get(m, "k"));
  wait_released(1);
  tp_memo_free(m);
}
END_TEST

int main(void) {
  Suite *s = suite_create("memo");
  TCase *tc = tcase_create("memo");
  tcase_add_test(tc, readers_hold_and_the_memo_drops);
  tcase_add_test(tc, a_failure_says_why_and_keeps_nothing);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
