/* The single-flight memo: one value, its key, and the one job that may be
 * computing another. */
#include "teamplotter/memo.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/clock.h"

/* Callers that come when a computation's first wait is over wait at most
 * this long for it: each waiter holds an HTTP worker. */
#define SHORT_WAIT_MS 50

struct tp_memo {
  pthread_mutex_t mu;
  char *key; /* of the value kept, or NULL */
  void *value;
  const struct tp_memo_ops *ops; /* of the value kept */
  char *computing;              /* the key whose value a job is computing */
  long long computing_until_ms; /* when the wait of its first caller ends */
  long generation;              /* of the latest job started */
  tp_rc failed;                 /* why job `failed_generation` gave no value */
  long failed_generation;
  pthread_cond_t done; /* signalled when a computation ends */
};

struct tp_memo *tp_memo_new(void) {
  struct tp_memo *m = calloc(1, sizeof(*m));
  if (m == NULL) return NULL;
  pthread_mutex_init(&m->mu, NULL);
  tp_cond_init_monotonic(&m->done);
  return m;
}

void tp_memo_free(struct tp_memo *m) {
  if (m == NULL) return;
  pthread_mutex_destroy(&m->mu);
  pthread_cond_destroy(&m->done);
  if (m->value != NULL) m->ops->drop(m->value);
  free(m->key);
  free(m->computing);
  free(m);
}

/* The value when it is kept under `key`, held for the caller. Called with
 * m->mu held. */
static void *held_value(struct tp_memo *m, const char *key) {
  if (m->key == NULL || strcmp(m->key, key) != 0) return NULL;
  return m->ops->hold(m->value);
}

void *tp_memo_get(struct tp_memo *m, const char *key) {
  pthread_mutex_lock(&m->mu);
  void *v = held_value(m, key);
  pthread_mutex_unlock(&m->mu);
  return v;
}

/* Ends the computation of `key`, if it is the one marked, and wakes the
 * callers waiting for it. Called with m->mu held. */
static void end_computing(struct tp_memo *m, const char *key) {
  if (m->computing != NULL && strcmp(m->computing, key) == 0) {
    free(m->computing);
    m->computing = NULL;
  }
  pthread_cond_broadcast(&m->done);
}

/* One computation, on a thread of its own. */
struct job {
  struct tp_memo *memo;
  char *key;
  long generation;
  const struct tp_memo_ops *ops;
  tp_memo_compute_fn compute;
  void (*release)(void *arg);
  void *arg;
};

static void *run_job(void *p) {
  struct job *job = p;
  struct tp_memo *m = job->memo;
  tp_rc rc = TP_OK;
  void *value = job->compute(job->arg, &rc);
  const char *key = job->key; /* valid until freed below, kept or not */
  void *old = NULL;
  const struct tp_memo_ops *old_ops = NULL;
  char *old_key = NULL;
  pthread_mutex_lock(&m->mu);
  if (value != NULL) {
    old = m->value;
    old_ops = m->ops;
    old_key = m->key;
    m->key = job->key;
    m->value = value;
    m->ops = job->ops;
    job->key = NULL; /* kept */
  } else {
    m->failed = rc != TP_OK ? rc : TP_ERR_NOMEM;
    m->failed_generation = job->generation;
  }
  end_computing(m, key);
  pthread_mutex_unlock(&m->mu);
  if (old != NULL) old_ops->drop(old); /* readers hold references of their own */
  free(old_key);
  free(job->key);
  /* The last use of the memo: its owner may free it now. */
  job->release(job->arg);
  free(job);
  return NULL;
}

/* Starts the job that computes `key`; 0, or -1 when it could not start. */
static int start_job(struct tp_memo *m, const char *key, long generation,
                     const struct tp_memo_ops *ops, tp_memo_compute_fn compute,
                     void (*release)(void *), void *arg) {
  struct job *job = malloc(sizeof(*job));
  char *k = strdup(key);
  if (job == NULL || k == NULL) {
    free(job);
    free(k);
    return -1;
  }
  *job = (struct job){m, k, generation, ops, compute, release, arg};
  pthread_attr_t attr;
  pthread_t thread;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int rc = pthread_create(&thread, &attr, run_job, job);
  pthread_attr_destroy(&attr);
  if (rc == 0) return 0;
  free(k);
  free(job);
  return -1;
}

void *tp_memo_compute(struct tp_memo *m, const char *key, const struct tp_memo_ops *ops,
                      tp_memo_compute_fn compute, void (*release)(void *), void *arg,
                      long wait_ms, tp_rc *rc) {
  long mine = 0; /* the generation of the job this caller started, if any */
  void *v = NULL;
  *rc = TP_OK;
  long long t0 = tp_now_ms(), last = t0 + wait_ms;
  pthread_mutex_lock(&m->mu);
  for (;;) {
    if ((v = held_value(m, key)) != NULL) break;
    if (m->computing == NULL && mine != 0) {
      /* Ours ended without leaving this key's value: it failed, or a newer
       * key's value replaced it at once. */
      *rc = m->failed_generation == mine ? m->failed : TP_ERR_BUSY;
      break;
    }
    if (m->computing == NULL) {
      /* One computation at a time: a value costs seconds and hundreds of
       * megabytes, and the database pool has few connections. */
      m->computing = strdup(key);
      if (m->computing == NULL) {
        *rc = TP_ERR_NOMEM;
        break;
      }
      mine = ++m->generation;
      m->computing_until_ms = tp_now_ms() + wait_ms;
      pthread_mutex_unlock(&m->mu);
      int failed = start_job(m, key, mine, ops, compute, release, arg);
      pthread_mutex_lock(&m->mu);
      if (failed) {
        end_computing(m, key);
        mine = 0;
        *rc = TP_ERR_NOMEM;
        break;
      }
      continue;
    }
    /* Every caller of one computation gives up when the wait of the one
     * that started it ends, later callers almost at once, and nobody after
     * its own wait: so a slow computation holds HTTP workers only during
     * its first `wait_ms`, and the common case (computed in milliseconds)
     * answers all. */
    long long until = last;
    if (mine == 0) {
      long long joined = m->computing_until_ms > t0 + SHORT_WAIT_MS ? m->computing_until_ms
                                                                    : t0 + SHORT_WAIT_MS;
      if (joined < until) until = joined;
    }
    struct timespec deadline = tp_timespec_of_ms(until);
    if (tp_now_ms() >= until ||
        pthread_cond_timedwait(&m->done, &m->mu, &deadline) == ETIMEDOUT) {
      if ((v = held_value(m, key)) == NULL) *rc = TP_ERR_BUSY; /* the job goes on */
      break;
    }
  }
  pthread_mutex_unlock(&m->mu);
  if (mine == 0) release(arg);
  return v;
}
