#ifndef TEAMPLOTTER_HOUSEKEEPING_H
#define TEAMPLOTTER_HOUSEKEEPING_H

#include "teamplotter/config.h"
#include "teamplotter/pool.h"
#include "teamplotter/status.h"

/* A thread of the server that applies the retention periods: at start and
 * then every hour it deletes what has outlived its period (the audit
 * trail: TEAMPLOTTER_AUDIT_RETENTION_DAYS; idempotency keys: 24 hours).
 * Each run takes one pooled connection at a time, like a request. */
struct tp_housekeeping;

tp_rc tp_housekeeping_start(struct tp_housekeeping **out, struct tp_pool *pool,
                            const struct tp_config *cfg);

/* Wakes the thread and waits for it; a run in progress ends within its
 * statement deadlines (at once after tp_pool_abort). NULL-safe. */
void tp_housekeeping_stop(struct tp_housekeeping *hk);

#endif
