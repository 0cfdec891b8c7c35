#ifndef TEAMPLOTTER_SNAPSHOT_H
#define TEAMPLOTTER_SNAPSHOT_H

#include <stddef.h>

#include <jansson.h>

#include "teamplotter/gap.h"
#include "teamplotter/render.h"
#include "teamplotter/status.h"
#include "teamplotter/team.h"

/* An immutable, versioned copy of what is read on almost every request and
 * changes rarely: the catalogue, the reference profiles and the
 * municipalities; plus a cache of rendered responses of that version.
 * Shared read-only by all threads; replaced as a whole when the database's
 * snapshot version changes (LISTEN/NOTIFY, checked at least every second). */
struct tp_snapshot {
  long version;      /* snapshot.versie in the database */
  json_t *inputs;    /* {"catalogusVersie", "rollen", "referenties"}: gap-analysis inputs */
  struct tp_gap_model *gap; /* `inputs` indexed for the analyses; borrows from it */
  json_t *codes;     /* {"gemeenten", "rollen", "competenties"}: sorted known codes */
  struct tp_known known; /* index into `codes` */
  json_t *gemeenten; /* {"GM0855": {"code", "naam", "inwoners", "grootteklasse"}, ...} */
  struct tp_snapshot_cache *cache;
};

/* The store of the current snapshot; thread-safe. */
struct tp_snapshots;
struct tp_pool;

/* Creates the store and starts its listener thread on a connection of its
 * own to `conninfo`. The first snapshot loads on first use, so the service
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

/* A rendered response as the cache keeps it. */
struct tp_cached_response {
  const char *content_type;
  const char *body;
  size_t len;
  const char *link; /* Link header, or NULL */
  const char *etag; /* filled in by the cache */
};

/* The cached response for `key`; its strings stay valid while the snapshot
 * is held. Returns 0 on a hit. */
int tp_snapshot_cache_get(struct tp_snapshot *snap, const char *key,
                          struct tp_cached_response *out);

/* Stores a copy of a rendered response under `key`, unless the cache is
 * full. */
void tp_snapshot_cache_put(struct tp_snapshot *snap, const char *key,
                           const struct tp_cached_response *in);

/* One computed document kept with the snapshot under `key`, which names
 * what else it depends on (the benchmark rows: the profiles' version); a
 * new reference, or NULL when none is kept under that key. Shared
 * read-only between threads: never modify it. */
json_t *tp_snapshot_memo_get(struct tp_snapshot *snap, const char *key);

/* Computes a memo document: a new reference, or NULL with *rc saying why. */
typedef json_t *(*tp_memo_fn)(void *arg, tp_rc *rc);

/* The document kept under `key`; when it is not kept, and nobody computes
 * one yet, a thread of its own computes it with `compute(arg)` (holding
 * the snapshot meanwhile) and keeps it, replacing whatever was kept (one
 * document per snapshot, so its memory is bounded). The caller waits at
 * most `wait_ms`: a document that costs seconds and hundreds of megabytes
 * is computed once, never on an HTTP worker, and no caller waits long for
 * it. Returns a new reference, shared read-only (never modify it), or NULL
 * with *rc TP_ERR_BUSY when the computation still runs after the wait (it
 * goes on, for whoever asks next), or why it failed. `release(arg)` is
 * called once `arg` is no longer needed, by this call or by the thread. */
json_t *tp_snapshot_memo_compute(struct tp_snapshots *store, struct tp_snapshot *snap,
                                 const char *key, tp_memo_fn compute, void (*release)(void *),
                                 void *arg, long wait_ms, tp_rc *rc);

#endif
