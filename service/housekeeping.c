#include "teamplotter/housekeeping.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "teamplotter/audit.h"

/* Between two runs. A backlog larger than one run deletes (a retention
 * period just shortened) goes in steps of an hour, each short. */
#define INTERVAL_S 3600

struct tp_housekeeping {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t wake;
  int stop;
  struct tp_pool *pool;
  unsigned audit_days;
};

static void run_once(struct tp_housekeeping *hk) {
  /* Failures are logged by each step and tried again next time. */
  tp_audit_housekeeping(hk->pool, hk->audit_days);
}

static void *loop(void *arg) {
  struct tp_housekeeping *hk = arg;
  pthread_mutex_lock(&hk->mu);
  while (!hk->stop) {
    pthread_mutex_unlock(&hk->mu);
    run_once(hk);
    pthread_mutex_lock(&hk->mu);
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += INTERVAL_S;
    while (!hk->stop && pthread_cond_timedwait(&hk->wake, &hk->mu, &until) != ETIMEDOUT) {
    }
  }
  pthread_mutex_unlock(&hk->mu);
  return NULL;
}

tp_rc tp_housekeeping_start(struct tp_housekeeping **out, struct tp_pool *pool,
                            const struct tp_config *cfg) {
  struct tp_housekeeping *hk = calloc(1, sizeof(*hk));
  if (hk == NULL) return TP_ERR_NOMEM;
  hk->pool = pool;
  hk->audit_days = cfg->audit_retention_days;
  pthread_mutex_init(&hk->mu, NULL);
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&hk->wake, &attr);
  pthread_condattr_destroy(&attr);
  if (pthread_create(&hk->thread, NULL, loop, hk) != 0) {
    pthread_cond_destroy(&hk->wake);
    pthread_mutex_destroy(&hk->mu);
    free(hk);
    return TP_ERR_NOMEM;
  }
  *out = hk;
  return TP_OK;
}

void tp_housekeeping_stop(struct tp_housekeeping *hk) {
  if (hk == NULL) return;
  pthread_mutex_lock(&hk->mu);
  hk->stop = 1;
  pthread_cond_signal(&hk->wake);
  pthread_mutex_unlock(&hk->mu);
  pthread_join(hk->thread, NULL);
  pthread_cond_destroy(&hk->wake);
  pthread_mutex_destroy(&hk->mu);
  free(hk);
}
