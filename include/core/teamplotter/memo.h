#ifndef TEAMPLOTTER_MEMO_H
#define TEAMPLOTTER_MEMO_H

#include "teamplotter/status.h"

/* One value kept under a key and computed at most once at a time, on a
 * thread of its own, so that a computation that costs seconds and hundreds
 * of megabytes never runs on an HTTP worker and no caller waits long for
 * it (single flight). Thread-safe. */
struct tp_memo;

/* How the memo shares a value: `hold` gives a new reference to a caller,
 * `drop` gives one back (the last frees it). */
struct tp_memo_ops {
  void *(*hold)(void *value);
  void (*drop)(void *value);
};

/* Computes a value: a new reference, or NULL with *rc saying why. */
typedef void *(*tp_memo_compute_fn)(void *arg, tp_rc *rc);

/* NULL when out of memory. */
struct tp_memo *tp_memo_new(void);

/* Frees the memo and drops its value. No computation may still run: its
 * owner keeps the memo while any `arg` given to tp_memo_compute is not
 * released yet (release(arg) is a job's last use of the memo). */
void tp_memo_free(struct tp_memo *m);

/* The value kept under `key` (a new reference), or NULL. */
void *tp_memo_get(struct tp_memo *m, const char *key);

/* The value kept under `key`; when it is not kept, and nobody computes one
 * yet, a thread of its own computes it with `compute(arg)` and keeps it
 * with `ops`, replacing whatever was kept (one value, so its memory is
 * bounded). The caller waits at most `wait_ms`; everyone who comes while
 * that first wait lasts gives up when it ends, later callers almost at
 * once. Returns a new reference, shared read-only, or NULL with *rc
 * TP_ERR_BUSY when the computation still runs after the wait (it goes on,
 * for whoever asks next), or why it failed. `release(arg)` is called once
 * `arg` is no longer needed, by this call or by the thread. */
void *tp_memo_compute(struct tp_memo *m, const char *key, const struct tp_memo_ops *ops,
                      tp_memo_compute_fn compute, void (*release)(void *), void *arg,
                      long wait_ms, tp_rc *rc);

#endif
