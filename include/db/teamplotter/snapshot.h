#ifndef TEAMPLOTTER_SNAPSHOT_H
#define TEAMPLOTTER_SNAPSHOT_H

#include <stddef.h>

#include <jansson.h>

#include "teamplotter/gap.h"
#include "teamplotter/memo.h"
#include "teamplotter/render.h"
#include "teamplotter/slot.h"
#include "teamplotter/status.h"
#include "teamplotter/team.h"

/* An immutable, versioned copy of what is read on almost every request and
 * changes rarely: the catalogue, the reference profiles and the
 * municipalities; plus what other layers keep per version (one memo
 * value, the slots). Shared read-only by all threads; replaced as a whole when the database's
 * snapshot version changes (LISTEN/NOTIFY, checked at least every second). */
struct tp_snapshot {
  long version;      /* snapshot.versie in the database */
  json_t *inputs;    /* {"catalogusVersie", "referentieVersie", "rollen", "referenties"}: gap-analysis inputs */
  struct tp_gap_model *gap; /* `inputs` indexed for the analyses; borrows from it */
  json_t *codes;     /* {"gemeenten", "rollen", "competenties"}: sorted known codes */
  struct tp_known known; /* index into `codes` */
  json_t *gemeenten; /* {"GM0855": {"code", "naam", "inwoners", "grootteklasse"}, ...} */
};

/* The store of the current snapshot; thread-safe. */
struct tp_snapshots;
struct tp_pool;

/* Creates the store and starts its listener (snapshot_listener.h) on a
 * connection of its own to `conninfo`. The first snapshot loads on first use, so the service
 * can start while PostgreSQL is down. */
tp_rc tp_snapshots_create(struct tp_snapshots **out, const char *conninfo,
                          struct tp_pool *pool);

/* Stops the listener, waits for running memo jobs (call tp_pool_abort
 * first to cut their database waits short) and frees the store; no
 * snapshot may be held. */
void tp_snapshots_destroy(struct tp_snapshots *store);

/* The current snapshot, loading it when there is none yet. The caller
 * gives it back with tp_snapshot_release. TP_ERR_UNAVAILABLE when none can
 * be loaded. */
tp_rc tp_snapshot_acquire(struct tp_snapshots *store, struct tp_snapshot **out);

/* The current snapshot when one is loaded; TP_ERR_UNAVAILABLE, without
 * trying the database, when none is. */
tp_rc tp_snapshot_acquire_loaded(struct tp_snapshots *store, struct tp_snapshot **out);
void tp_snapshot_release(struct tp_snapshots *store, struct tp_snapshot *snap);

/* Whether a snapshot is loaded and the listener confirmed, within the last
 * few seconds, that the database still holds its version: when it cannot
 * (PostgreSQL or the listener's backend hangs), the replica may be serving
 * an old catalogue and should not count as ready. */
int tp_snapshots_fresh(struct tp_snapshots *store);

/* Reloads when the database holds another version than the current one;
 * used by the listener and by tests. */
tp_rc tp_snapshots_refresh(struct tp_snapshots *store);

/* The version of the current snapshot; -1 when none is loaded. */
long tp_snapshots_version(struct tp_snapshots *store);

/* Loads and installs a snapshot unless one of version `seen` (or, with
 * seen < 0, any) is already current. */
tp_rc tp_snapshots_reload(struct tp_snapshots *store, long seen);

/* Records that the database was just seen to hold `version`: when it is
 * the current one, the store counts as fresh for a few seconds. */
void tp_snapshots_confirm(struct tp_snapshots *store, long version);

/* Team profiles change far more often than the snapshot. What is kept per
 * municipality's profiles (a development) is kept under the profiles
 * epoch: a number that grows with every change the listener hears of
 * (channel teamplotter_teamprofielen), every write of this replica, and
 * every new listening connection (it may have missed some). -1 when the
 * listener has not confirmed its connection within the last
 * PROFILES_FRESH_MS: then nothing may be served from what was kept. */
long tp_snapshots_profiles_epoch(struct tp_snapshots *store);
void tp_snapshots_profiles_changed(struct tp_snapshots *store);

/* The snapshot's value of slot `type` (slot.h: what another layer keeps
 * per snapshot version, such as the HTTP response cache), made now when it
 * has none; NULL when out of memory or room. A snapshot has room for a
 * few types. */
void *tp_snapshot_slot(struct tp_snapshot *snap, const struct tp_slot_type *type);

/* One computed value kept with the snapshot (memo.h) under `key`, which
 * names what else it depends on (the benchmark rows: the profiles'
 * version); a new reference, or NULL when none is kept under that key.
 * Shared read-only between threads: never modify it. */
void *tp_snapshot_memo_peek(struct tp_snapshot *snap, const char *key);

/* tp_memo_compute on the snapshot's memo: the value kept under `key`,
 * else computed once on a thread of its own (holding the snapshot
 * meanwhile) and kept, replacing whatever was kept (one value per
 * snapshot, so its memory is bounded). tp_snapshots_destroy waits until
 * every `arg` is released. */
void *tp_snapshot_memo_value(struct tp_snapshots *store, struct tp_snapshot *snap,
                             const char *key, const struct tp_memo_ops *ops,
                             tp_memo_compute_fn compute, void (*release)(void *), void *arg,
                             long wait_ms, tp_rc *rc);

/* Computes a memo document: a new reference, or NULL with *rc saying why. */
typedef json_t *(*tp_memo_fn)(void *arg, tp_rc *rc);

/* tp_snapshot_memo_value for a JSON document. */
json_t *tp_snapshot_memo_compute(struct tp_snapshots *store, struct tp_snapshot *snap,
                                 const char *key, tp_memo_fn compute, void (*release)(void *),
                                 void *arg, long wait_ms, tp_rc *rc);

#endif
