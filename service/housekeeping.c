#include "teamplotter/housekeeping.h"

#include "teamplotter/audit.h"
#include "teamplotter/clock.h"
#include "teamplotter/log.h"
#include "teamplotter/teamprofielen_repo.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>


/* Between two runs. A backlog larger than one run deletes (a retention
 * period just shortened) goes in steps of an hour, each short. */
#define INTERVAL_S 3600
/* Expired idempotency keys one run deletes at most, in statements of
 * TP_IDEMPOTENCY_PURGE_MAX. */
#define KEYS_PER_RUN (10 * TP_IDEMPOTENCY_PURGE_MAX)

struct tp_housekeeping {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t wake;
  int stop;
  struct tp_pool *pool;
  unsigned audit_days;
};

/* Deletes idempotency keys past their 24 hours, oldest first. */
static void purge_keys(struct tp_pool *pool) {
  struct tp_db *db = NULL;
  long total = 0, purged = TP_IDEMPOTENCY_PURGE_MAX;
  tp_rc rc = tp_pool_acquire(pool, &db);
  while (rc == TP_OK && purged == TP_IDEMPOTENCY_PURGE_MAX && total < KEYS_PER_RUN) {
    rc = tp_repo_idempotency_purge(db, TP_IDEMPOTENCY_PURGE_MAX, &purged);
    if (rc == TP_OK) total += purged;
  }
  tp_pool_release(pool, db);
  if (total > 0) tp_log_info("idempotency: %ld expired keys purged", total);
  if (rc != TP_OK) tp_log_warning("idempotency: purging expired keys failed: %s", tp_rc_name(rc));
}

static void run_once(struct tp_housekeeping *hk) {
  /* Failures are logged by each step and tried again next time. */
  tp_audit_housekeeping(hk->pool, hk->audit_days);
  purge_keys(hk->pool);
}

static void *loop(void *arg) {
  struct tp_housekeeping *hk = arg;
  pthread_mutex_lock(&hk->mu);
  while (!hk->stop) {
    pthread_mutex_unlock(&hk->mu);
    run_once(hk);
    pthread_mutex_lock(&hk->mu);
    struct timespec until = tp_timespec_of_ms(tp_now_ms() + INTERVAL_S * 1000LL);
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
  tp_cond_init_monotonic(&hk->wake);
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
