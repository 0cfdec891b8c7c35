/* The snapshot store: the current snapshot with its reference count,
 * reloaded as a whole when the database holds a newer version (see
 * snapshot_listener.c), plus what is kept per version beside it: one memo
 * (core/memo.c) and the slots of other layers. */
#include "teamplotter/snapshot.h"

#include "teamplotter/analyse_repo.h"
#include "teamplotter/clock.h"
#include "teamplotter/log.h"
#include "teamplotter/memo.h"
#include "teamplotter/pool.h"
#include "teamplotter/snapshot_listener.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <orcania.h>


/* A snapshot the listener has not confirmed as the database's current one
 * for this long no longer counts as fresh (tp_snapshots_fresh). */
#define FRESH_MS 4000
/* The listener confirms its connection every POLL_MS (500 ms): kept
 * developments are served only while it did within this long. */
#define PROFILES_FRESH_MS 1500
/* Slots of other layers per snapshot (tp_snapshot_slot). */
#define SLOTS 4

/* A snapshot with its reference count and what is kept with it; the store
 * holds one reference on the current snapshot. */
struct box {
  struct tp_snapshot snap;
  long refs;
  struct tp_memo *memo;
  pthread_mutex_t slots_mu;
  struct {
    const struct tp_slot_type *type;
    void *value;
  } slots[SLOTS];
};

struct tp_snapshots {
  pthread_mutex_t mu; /* guards current and every refs */
  pthread_mutex_t load_mu; /* one load at a time */
  struct box *current;
  struct tp_pool *pool;
  struct tp_snapshot_listener *listener;
  /* When the listener last saw the database hold the current version
   * (monotonic ms; 0: never). */
  atomic_llong confirmed_ms;
  atomic_long profiles_epoch; /* see tp_snapshots_profiles_epoch */
  /* Memo calls whose argument is not released yet
   * (tp_snapshot_memo_compute); destroy waits for them. */
  pthread_mutex_t jobs_mu;
  pthread_cond_t jobs_done;
  int jobs;
};

static void free_box(struct box *b) {
  if (b == NULL) return;
  for (size_t i = 0; i < SLOTS && b->slots[i].type != NULL; i++) {
    b->slots[i].type->destroy(b->slots[i].value);
  }
  pthread_mutex_destroy(&b->slots_mu);
  tp_memo_free(b->memo);
  tp_known_free(&b->snap.known);
  tp_gap_model_free(b->snap.gap);
  json_decref(b->snap.inputs);
  json_decref(b->snap.codes);
  json_decref(b->snap.gemeenten);
  o_free(b);
}

/* Reads a new snapshot from the database. */
static tp_rc load(struct tp_snapshots *store, struct box **out) {
  struct tp_db *db = NULL;
  json_t *doc = NULL;
  tp_rc rc = tp_pool_acquire(store->pool, &db);
  if (rc == TP_OK) rc = tp_repo_snapshot(db, &doc);
  tp_pool_release(store->pool, db);
  if (rc != TP_OK) return rc;
  struct box *b = o_malloc(sizeof(*b));
  struct tp_memo *memo = tp_memo_new();
  if (b == NULL || memo == NULL) {
    o_free(b);
    tp_memo_free(memo);
    json_decref(doc);
    return TP_ERR_NOMEM;
  }
  memset(b, 0, sizeof(*b));
  pthread_mutex_init(&b->slots_mu, NULL);
  b->refs = 1;
  b->memo = memo;
  b->snap.version = (long)json_integer_value(json_object_get(doc, "versie"));
  b->snap.inputs = json_incref(json_object_get(doc, "inputs"));
  b->snap.codes = json_incref(json_object_get(doc, "codes"));
  b->snap.gemeenten = json_incref(json_object_get(doc, "gemeenten"));
  json_decref(doc);
  if (!json_is_object(b->snap.gemeenten) || tp_known_from_json(b->snap.codes, &b->snap.known) != 0) {
    free_box(b);
    return TP_ERR_DB;
  }
  /* Once per version, so that no analysis looks into the documents. */
  b->snap.gap = tp_gap_model_new(json_object_get(b->snap.inputs, "rollen"),
                                 json_object_get(b->snap.inputs, "referenties"));
  if (b->snap.gap == NULL) {
    free_box(b);
    return TP_ERR_NOMEM;
  }
  *out = b;
  return TP_OK;
}

/* Makes `b` current and drops the store's reference on the old one. */
static void install(struct tp_snapshots *store, struct box *b) {
  struct box *old;
  pthread_mutex_lock(&store->mu);
  old = store->current;
  store->current = b;
  if (old != NULL && --old->refs > 0) old = NULL;
  pthread_mutex_unlock(&store->mu);
  free_box(old);
  tp_log_info("snapshot: version %ld loaded", b->snap.version);
}

long tp_snapshots_version(struct tp_snapshots *store) {
  pthread_mutex_lock(&store->mu);
  long v = store->current ? store->current->snap.version : -1;
  pthread_mutex_unlock(&store->mu);
  return v;
}

tp_rc tp_snapshots_reload(struct tp_snapshots *store, long seen) {
  pthread_mutex_lock(&store->load_mu);
  tp_rc rc = TP_OK;
  long have = tp_snapshots_version(store);
  if (have < 0 || (seen >= 0 && have != seen)) {
    struct box *b = NULL;
    rc = load(store, &b);
    if (rc == TP_OK) install(store, b);
  }
  pthread_mutex_unlock(&store->load_mu);
  return rc;
}

void tp_snapshots_confirm(struct tp_snapshots *store, long version) {
  if (tp_snapshots_version(store) == version) atomic_store(&store->confirmed_ms, tp_now_ms());
}

tp_rc tp_snapshots_create(struct tp_snapshots **out, const char *conninfo, struct tp_pool *pool) {
  struct tp_snapshots *store = o_malloc(sizeof(*store));
  if (store == NULL) return TP_ERR_NOMEM;
  memset(store, 0, sizeof(*store));
  store->pool = pool;
  pthread_mutex_init(&store->mu, NULL);
  pthread_mutex_init(&store->load_mu, NULL);
  pthread_mutex_init(&store->jobs_mu, NULL);
  pthread_cond_init(&store->jobs_done, NULL);
  atomic_init(&store->confirmed_ms, 0);
  atomic_init(&store->profiles_epoch, 0);
  if (tp_snapshot_listener_start(&store->listener, store, conninfo) != TP_OK) {
    tp_snapshots_destroy(store);
    return TP_ERR_NOMEM;
  }
  *out = store;
  return TP_OK;
}

void tp_snapshots_destroy(struct tp_snapshots *store) {
  if (store == NULL) return;
  tp_snapshot_listener_stop(store->listener);
  /* Jobs end on their own: their statements have deadlines, cut short by
   * tp_pool_abort at shutdown. */
  pthread_mutex_lock(&store->jobs_mu);
  while (store->jobs > 0) pthread_cond_wait(&store->jobs_done, &store->jobs_mu);
  pthread_mutex_unlock(&store->jobs_mu);
  free_box(store->current);
  pthread_mutex_destroy(&store->mu);
  pthread_mutex_destroy(&store->load_mu);
  pthread_mutex_destroy(&store->jobs_mu);
  pthread_cond_destroy(&store->jobs_done);
  o_free(store);
}

tp_rc tp_snapshot_acquire_loaded(struct tp_snapshots *store, struct tp_snapshot **out) {
  pthread_mutex_lock(&store->mu);
  struct box *b = store->current;
  if (b != NULL) b->refs++;
  pthread_mutex_unlock(&store->mu);
  if (b == NULL) return TP_ERR_UNAVAILABLE;
  *out = &b->snap;
  return TP_OK;
}

tp_rc tp_snapshot_acquire(struct tp_snapshots *store, struct tp_snapshot **out) {
  if (tp_snapshots_version(store) < 0) {
    tp_rc rc = tp_snapshots_reload(store, -1);
    if (rc != TP_OK) return rc;
  }
  return tp_snapshot_acquire_loaded(store, out);
}

void tp_snapshot_release(struct tp_snapshots *store, struct tp_snapshot *snap) {
  if (snap == NULL) return;
  struct box *b = (struct box *)snap; /* snap is the first member */
  pthread_mutex_lock(&store->mu);
  int last = --b->refs == 0;
  pthread_mutex_unlock(&store->mu);
  if (last) free_box(b);
}

long tp_snapshots_profiles_epoch(struct tp_snapshots *store) {
  long epoch = atomic_load(&store->profiles_epoch);
  long long confirmed = atomic_load(&store->confirmed_ms);
  return confirmed > 0 && tp_now_ms() - confirmed <= PROFILES_FRESH_MS ? epoch : -1;
}

void tp_snapshots_profiles_changed(struct tp_snapshots *store) {
  atomic_fetch_add(&store->profiles_epoch, 1);
}

int tp_snapshots_fresh(struct tp_snapshots *store) {
  long long confirmed = atomic_load(&store->confirmed_ms);
  return confirmed > 0 && tp_now_ms() - confirmed <= FRESH_MS && tp_snapshots_version(store) >= 0;
}

tp_rc tp_snapshots_refresh(struct tp_snapshots *store) {
  struct tp_db *db = NULL;
  json_t *v = NULL;
  tp_rc rc = tp_pool_acquire(store->pool, &db);
  if (rc == TP_OK) rc = tp_repo_snapshot_version(db, &v);
  tp_pool_release(store->pool, db);
  if (rc == TP_OK) rc = tp_snapshots_reload(store, (long)json_integer_value(v));
  json_decref(v);
  return rc;
}

/* --- slots of other layers ----------------------------------------------- */

void *tp_snapshot_slot(struct tp_snapshot *snap, const struct tp_slot_type *type) {
  struct box *b = (struct box *)snap;
  void *value = NULL;
  pthread_mutex_lock(&b->slots_mu);
  size_t i = 0;
  while (i < SLOTS && b->slots[i].type != NULL && b->slots[i].type != type) i++;
  if (i < SLOTS && b->slots[i].type == type) {
    value = b->slots[i].value;
  } else if (i < SLOTS && (value = type->create()) != NULL) {
    b->slots[i].type = type;
    b->slots[i].value = value;
  }
  pthread_mutex_unlock(&b->slots_mu);
  return value;
}

/* --- one computed value per snapshot --------------------------------------- */

void *tp_snapshot_memo_peek(struct tp_snapshot *snap, const char *key) {
  return tp_memo_get(((struct box *)snap)->memo, key);
}

/* A memo call's argument: the caller's, with the snapshot held (so that
 * its memo outlives the job) and counted (so that the store outlives it). */
struct memo_arg {
  struct tp_snapshots *store;
  struct tp_snapshot *snap;
  tp_memo_compute_fn compute;
  tp_memo_fn compute_json; /* instead of `compute` (tp_snapshot_memo_compute) */
  void (*release)(void *arg);
  void *arg;
};

static void *memo_arg_compute(void *p, tp_rc *rc) {
  struct memo_arg *a = p;
  return a->compute ? a->compute(a->arg, rc) : a->compute_json(a->arg, rc);
}

static void memo_arg_release(void *p) {
  struct memo_arg *a = p;
  struct tp_snapshots *store = a->store;
  a->release(a->arg);
  tp_snapshot_release(store, a->snap);
  o_free(a);
  pthread_mutex_lock(&store->jobs_mu);
  store->jobs--;
  pthread_cond_broadcast(&store->jobs_done);
  pthread_mutex_unlock(&store->jobs_mu);
}

/* tp_snapshot_memo_value with `a` (owned) as the argument. */
static void *memo_compute(struct tp_snapshots *store, struct tp_snapshot *snap, const char *key,
                          const struct tp_memo_ops *ops, struct memo_arg *a, long wait_ms,
                          tp_rc *rc) {
  pthread_mutex_lock(&store->mu);
  ((struct box *)snap)->refs++; /* the argument's own reference */
  pthread_mutex_unlock(&store->mu);
  pthread_mutex_lock(&store->jobs_mu);
  store->jobs++;
  pthread_mutex_unlock(&store->jobs_mu);
  return tp_memo_compute(((struct box *)snap)->memo, key, ops, memo_arg_compute,
                         memo_arg_release, a, wait_ms, rc);
}

/* A memo argument for `arg`, or NULL after releasing it (out of memory). */
static struct memo_arg *memo_arg_new(struct tp_snapshots *store, struct tp_snapshot *snap,
                                     void (*release)(void *), void *arg) {
  struct memo_arg *a = o_malloc(sizeof(*a));
  if (a == NULL) {
    release(arg);
    return NULL;
  }
  *a = (struct memo_arg){store, snap, NULL, NULL, release, arg};
  return a;
}

void *tp_snapshot_memo_value(struct tp_snapshots *store, struct tp_snapshot *snap,
                             const char *key, const struct tp_memo_ops *ops,
                             tp_memo_compute_fn compute, void (*release)(void *), void *arg,
                             long wait_ms, tp_rc *rc) {
  struct memo_arg *a = memo_arg_new(store, snap, release, arg);
  *rc = TP_ERR_NOMEM;
  if (a == NULL) return NULL;
  a->compute = compute;
  return memo_compute(store, snap, key, ops, a, wait_ms, rc);
}

/* JSON documents as memo values. */
static void *json_hold(void *v) { return json_incref(v); }
static void json_drop(void *v) { json_decref(v); }
static const struct tp_memo_ops JSON_OPS = {json_hold, json_drop};

json_t *tp_snapshot_memo_compute(struct tp_snapshots *store, struct tp_snapshot *snap,
                                 const char *key, tp_memo_fn compute, void (*release)(void *),
                                 void *arg, long wait_ms, tp_rc *rc) {
  struct memo_arg *a = memo_arg_new(store, snap, release, arg);
  *rc = TP_ERR_NOMEM;
  if (a == NULL) return NULL;
  a->compute_json = compute;
  return memo_compute(store, snap, key, &JSON_OPS, a, wait_ms, rc);
}
