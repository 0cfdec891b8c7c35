#include "teamplotter/snapshot.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>
#include <orcania.h>

#include "pg.h"
#include "teamplotter/clock.h"
#include "teamplotter/log.h"
#include "teamplotter/pool.h"
#include "teamplotter/repo.h"

/* Bounds of one version's response cache: beyond them responses are
 * simply not cached. */
#define CACHE_BUCKETS 1024
#define CACHE_MAX_ENTRIES 4096
#define CACHE_MAX_BYTES (64u * 1024u * 1024u)
/* How often the listener checks the version when no notification came. */
#define POLL_MS 500
/* How long each of the listener's statements may take before its
 * connection is replaced: a backend that hangs must not leave the replica
 * on an old version. */
#define LISTENER_DEADLINE_MS 2000
/* Callers that come when a memo computation's first wait is over wait at
 * most this long for it: each waiter holds an HTTP worker. */
#define MEMO_SHORT_WAIT_MS 50
/* A snapshot the listener has not confirmed as the database's current one
 * for this long no longer counts as fresh (tp_snapshots_fresh). */
#define FRESH_MS 4000

struct cache_entry {
  struct cache_entry *next;
  char *key;
  char *body;
  size_t len;
  char *link; /* the Link header of a collection page, or NULL */
  char etag[TP_ETAG_LEN + 1];
  char content_type[64];
};

struct tp_snapshot_cache {
  pthread_mutex_t mu;
  struct cache_entry *buckets[CACHE_BUCKETS];
  size_t entries, bytes;
  char *memo_key; /* tp_snapshot_memo_*: one document and its key */
  json_t *memo;
  char *computing;      /* the key whose document a job is computing */
  long long computing_until_ms; /* when the wait of its first caller ends */
  long generation;      /* of the latest job started */
  tp_rc failed;         /* why job `failed_generation` gave no document */
  long failed_generation;
  pthread_cond_t done;  /* signalled when a computation ends */
};

/* A snapshot with its reference count; the store holds one reference on
 * the current snapshot. */
struct box {
  struct tp_snapshot snap;
  long refs;
};

struct tp_snapshots {
  pthread_mutex_t mu; /* guards current and every refs */
  pthread_mutex_t load_mu; /* one load at a time */
  struct box *current;
  struct tp_pool *pool;
  char *conninfo;
  pthread_t listener;
  int listening;
  atomic_int stop;
  /* When the listener last saw the database hold the current version
   * (monotonic ms; 0: never). */
  atomic_llong confirmed_ms;
  /* Memo jobs running (tp_snapshot_memo_compute); destroy waits for them. */
  pthread_mutex_t jobs_mu;
  pthread_cond_t jobs_done;
  int jobs;
};

static void free_entry(struct cache_entry *e) {
  o_free(e->key);
  o_free(e->body);
  o_free(e->link);
  o_free(e);
}

static void free_box(struct box *b) {
  if (b == NULL) return;
  struct tp_snapshot_cache *c = b->snap.cache;
  for (size_t i = 0; c != NULL && i < CACHE_BUCKETS; i++) {
    struct cache_entry *e = c->buckets[i];
    while (e != NULL) {
      struct cache_entry *next = e->next;
      free_entry(e);
      e = next;
    }
  }
  if (c != NULL) {
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->done);
    o_free(c->computing);
    o_free(c->memo_key);
    json_decref(c->memo);
  }
  o_free(c);
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
  struct tp_snapshot_cache *cache = o_malloc(sizeof(*cache));
  if (b == NULL || cache == NULL) {
    o_free(b);
    o_free(cache);
    json_decref(doc);
    return TP_ERR_NOMEM;
  }
  memset(b, 0, sizeof(*b));
  memset(cache, 0, sizeof(*cache));
  pthread_mutex_init(&cache->mu, NULL);
  tp_cond_init_monotonic(&cache->done);
  b->refs = 1;
  b->snap.cache = cache;
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

static long current_version(struct tp_snapshots *store) {
  pthread_mutex_lock(&store->mu);
  long v = store->current ? store->current->snap.version : -1;
  pthread_mutex_unlock(&store->mu);
  return v;
}

/* Loads and installs a snapshot unless one of version `seen` (or, with
 * seen < 0, any) is already current. */
static tp_rc reload(struct tp_snapshots *store, long seen) {
  pthread_mutex_lock(&store->load_mu);
  tp_rc rc = TP_OK;
  long have = current_version(store);
  if (have < 0 || (seen >= 0 && have != seen)) {
    struct box *b = NULL;
    rc = load(store, &b);
    if (rc == TP_OK) install(store, b);
  }
  pthread_mutex_unlock(&store->load_mu);
  return rc;
}

/* The version the database holds, on the listener's own connection; -1
 * when it cannot say, with *late set when it did not answer in time. */
static long db_version(struct tp_snapshots *store, PGconn *conn, int *late) {
  PGresult *res = tp_pg_exec_within(conn, "SELECT versie FROM snapshot", LISTENER_DEADLINE_MS,
                                    &store->stop, late);
  long v = -1;
  if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
    v = strtol(PQgetvalue(res, 0, 0), NULL, 10);
  }
  PQclear(res);
  return v;
}

/* Sleeps `ms`, or less when the store is stopping. */
static void nap_ms(struct tp_snapshots *store, long ms) {
  struct timespec t = {0, 50 * 1000000L};
  for (long slept = 0; slept < ms && !atomic_load(&store->stop); slept += 50) nanosleep(&t, NULL);
}

/* A new listening connection, or NULL. */
static PGconn *listen_connect(struct tp_snapshots *store) {
  PGconn *conn = tp_db_connect(store->conninfo, "teamplotter-listener");
  int late = 0;
  PGresult *res = PQstatus(conn) == CONNECTION_OK
                      ? tp_pg_exec_within(conn, "LISTEN teamplotter_snapshot",
                                          LISTENER_DEADLINE_MS, &store->stop, &late)
                      : NULL;
  int ok = res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK;
  PQclear(res);
  if (ok) return conn;
  PQfinish(conn);
  return NULL;
}

/* Keeps the snapshot current: a notification or, failing that, a version
 * check every POLL_MS triggers a reload. Every statement has a deadline,
 * and a connection that misses one is replaced, so that neither a hung
 * backend nor a shutdown finds the listener stuck. Each check that finds
 * the current version confirms the snapshot as fresh. */
static void *listen_loop(void *arg) {
  struct tp_snapshots *store = arg;
  PGconn *conn = NULL;
  while (!atomic_load(&store->stop)) {
    int wait_ms = POLL_MS;
    if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
      PQfinish(conn);
      conn = listen_connect(store);
      if (conn == NULL) {
        nap_ms(store, POLL_MS);
        continue;
      }
      wait_ms = 0; /* a new connection checks at once */
    }
    struct pollfd p = {PQsocket(conn), POLLIN, 0};
    int ready = poll(&p, 1, wait_ms);
    int notified = 0;
    if (ready > 0) {
      PQconsumeInput(conn);
      PGnotify *n;
      while ((n = PQnotifies(conn)) != NULL) {
        PQfreemem(n);
        notified = 1;
      }
    }
    int late = 0;
    long v = db_version(store, conn, &late);
    if (late) {
      if (!atomic_load(&store->stop)) {
        tp_log_warning("snapshot: the listener's connection gave no answer within %d ms; "
                       "replacing it", LISTENER_DEADLINE_MS);
      }
      PQfinish(conn);
      conn = NULL;
      continue;
    }
    long have = current_version(store);
    if (have < 0) {
      reload(store, -1); /* the first snapshot, before any request asks for it */
    } else if (v >= 0 && (notified || v != have)) {
      reload(store, v);
    }
    if (v >= 0 && current_version(store) == v) atomic_store(&store->confirmed_ms, tp_now_ms());
  }
  PQfinish(conn);
  return NULL;
}

tp_rc tp_snapshots_create(struct tp_snapshots **out, const char *conninfo, struct tp_pool *pool) {
  struct tp_snapshots *store = o_malloc(sizeof(*store));
  if (store == NULL) return TP_ERR_NOMEM;
  memset(store, 0, sizeof(*store));
  store->conninfo = o_strdup(conninfo);
  store->pool = pool;
  pthread_mutex_init(&store->mu, NULL);
  pthread_mutex_init(&store->load_mu, NULL);
  pthread_mutex_init(&store->jobs_mu, NULL);
  pthread_cond_init(&store->jobs_done, NULL);
  atomic_init(&store->stop, 0);
  atomic_init(&store->confirmed_ms, 0);
  if (store->conninfo == NULL ||
      pthread_create(&store->listener, NULL, listen_loop, store) != 0) {
    tp_snapshots_destroy(store);
    return TP_ERR_NOMEM;
  }
  store->listening = 1;
  *out = store;
  return TP_OK;
}

void tp_snapshots_destroy(struct tp_snapshots *store) {
  if (store == NULL) return;
  atomic_store(&store->stop, 1);
  if (store->listening) pthread_join(store->listener, NULL);
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
  o_free(store->conninfo);
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
  if (current_version(store) < 0) {
    tp_rc rc = reload(store, -1);
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

int tp_snapshots_fresh(struct tp_snapshots *store) {
  long long confirmed = atomic_load(&store->confirmed_ms);
  return confirmed > 0 && tp_now_ms() - confirmed <= FRESH_MS && current_version(store) >= 0;
}

tp_rc tp_snapshots_refresh(struct tp_snapshots *store) {
  struct tp_db *db = NULL;
  json_t *v = NULL;
  tp_rc rc = tp_pool_acquire(store->pool, &db);
  if (rc == TP_OK) rc = tp_repo_snapshot_version(db, &v);
  tp_pool_release(store->pool, db);
  if (rc == TP_OK) rc = reload(store, (long)json_integer_value(v));
  json_decref(v);
  return rc;
}

/* --- response cache -------------------------------------------------------- */

static size_t bucket_of(const char *key) {
  /* FNV-1a */
  size_t h = 1469598103934665603ULL & (size_t)-1;
  for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
    h ^= *p;
    h *= (size_t)1099511628211ULL;
  }
  return h % CACHE_BUCKETS;
}

int tp_snapshot_cache_get(struct tp_snapshot *snap, const char *key,
                          struct tp_cached_response *out) {
  struct tp_snapshot_cache *c = snap->cache;
  int hit = -1;
  pthread_mutex_lock(&c->mu);
  for (struct cache_entry *e = c->buckets[bucket_of(key)]; e != NULL; e = e->next) {
    if (strcmp(e->key, key) == 0) {
      /* Entries never change or go while the snapshot is held. */
      out->body = e->body;
      out->len = e->len;
      out->etag = e->etag;
      out->content_type = e->content_type;
      out->link = e->link;
      hit = 0;
      break;
    }
  }
  pthread_mutex_unlock(&c->mu);
  return hit;
}

void tp_snapshot_cache_put(struct tp_snapshot *snap, const char *key,
                           const struct tp_cached_response *in) {
  struct tp_snapshot_cache *c = snap->cache;
  if (in->content_type == NULL ||
      strlen(in->content_type) >= sizeof(((struct cache_entry *)0)->content_type)) {
    return;
  }
  struct cache_entry *e = o_malloc(sizeof(*e));
  if (e == NULL) return;
  memset(e, 0, sizeof(*e));
  snprintf(e->content_type, sizeof(e->content_type), "%s", in->content_type);
  e->key = o_strdup(key);
  e->body = o_malloc(in->len + 1);
  e->len = in->len;
  e->link = in->link ? o_strdup(in->link) : NULL;
  if (e->key == NULL || e->body == NULL || (in->link != NULL && e->link == NULL) ||
      tp_etag_of_bytes(in->body, in->len, e->etag) != 0) {
    free_entry(e);
    return;
  }
  memcpy(e->body, in->body, in->len);
  e->body[in->len] = '\0';
  size_t b = bucket_of(key);
  pthread_mutex_lock(&c->mu);
  int fits = c->entries < CACHE_MAX_ENTRIES && c->bytes + in->len <= CACHE_MAX_BYTES;
  for (struct cache_entry *x = c->buckets[b]; fits && x != NULL; x = x->next) {
    if (strcmp(x->key, key) == 0) fits = 0; /* another thread was first */
  }
  if (fits) {
    e->next = c->buckets[b];
    c->buckets[b] = e;
    c->entries++;
    c->bytes += in->len;
  }
  pthread_mutex_unlock(&c->mu);
  if (!fits) free_entry(e);
}

/* --- one computed document --------------------------------------------------- */

json_t *tp_snapshot_memo_get(struct tp_snapshot *snap, const char *key) {
  struct tp_snapshot_cache *c = snap->cache;
  json_t *v = NULL;
  pthread_mutex_lock(&c->mu);
  if (c->memo_key != NULL && strcmp(c->memo_key, key) == 0) v = json_incref(c->memo);
  pthread_mutex_unlock(&c->mu);
  return v;
}

/* Ends the computation of `key`, if it is the one marked, and wakes the
 * callers waiting for it. Called with c->mu held. */
static void end_computing(struct tp_snapshot_cache *c, const char *key) {
  if (c->computing != NULL && strcmp(c->computing, key) == 0) {
    o_free(c->computing);
    c->computing = NULL;
  }
  pthread_cond_broadcast(&c->done);
}

static void memo_put(struct tp_snapshot *snap, const char *key, json_t *value) {
  struct tp_snapshot_cache *c = snap->cache;
  char *k = o_strdup(key);
  json_incref(value);
  pthread_mutex_lock(&c->mu);
  char *old_key = c->memo_key;
  json_t *old = c->memo;
  if (k != NULL) {
    c->memo_key = k;
    c->memo = value;
  } else {
    old_key = NULL;
    old = value; /* not kept */
  }
  end_computing(c, key);
  pthread_mutex_unlock(&c->mu);
  o_free(old_key);
  json_decref(old); /* readers hold references of their own */
}

/* One computation of a memo document, on a thread of its own. */
struct memo_job {
  struct tp_snapshots *store;
  struct tp_snapshot *snap; /* held by the job */
  char *key;
  long generation;
  tp_memo_fn compute;
  void (*release)(void *arg);
  void *arg;
};

static void *run_job(void *p) {
  struct memo_job *job = p;
  tp_rc rc = TP_OK;
  json_t *doc = job->compute(job->arg, &rc);
  struct tp_snapshot_cache *c = job->snap->cache;
  if (doc != NULL) {
    memo_put(job->snap, job->key, doc);
  } else {
    pthread_mutex_lock(&c->mu);
    c->failed = rc != TP_OK ? rc : TP_ERR_NOMEM;
    c->failed_generation = job->generation;
    end_computing(c, job->key);
    pthread_mutex_unlock(&c->mu);
  }
  json_decref(doc);
  job->release(job->arg);
  struct tp_snapshots *store = job->store;
  tp_snapshot_release(store, job->snap);
  o_free(job->key);
  o_free(job);
  pthread_mutex_lock(&store->jobs_mu);
  store->jobs--;
  pthread_cond_broadcast(&store->jobs_done);
  pthread_mutex_unlock(&store->jobs_mu);
  return NULL;
}

/* Starts the job that computes `key`; 0, or -1 when it could not start. */
static int start_job(struct tp_snapshots *store, struct tp_snapshot *snap, const char *key,
                     long generation, tp_memo_fn compute, void (*release)(void *), void *arg) {
  struct memo_job *job = o_malloc(sizeof(*job));
  char *k = o_strdup(key);
  if (job == NULL || k == NULL) {
    o_free(job);
    o_free(k);
    return -1;
  }
  *job = (struct memo_job){store, snap, k, generation, compute, release, arg};
  pthread_mutex_lock(&store->mu);
  ((struct box *)snap)->refs++; /* the job's own reference */
  pthread_mutex_unlock(&store->mu);
  pthread_mutex_lock(&store->jobs_mu);
  store->jobs++;
  pthread_mutex_unlock(&store->jobs_mu);
  pthread_attr_t attr;
  pthread_t thread;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int rc = pthread_create(&thread, &attr, run_job, job);
  pthread_attr_destroy(&attr);
  if (rc == 0) return 0;
  pthread_mutex_lock(&store->jobs_mu);
  store->jobs--;
  pthread_mutex_unlock(&store->jobs_mu);
  tp_snapshot_release(store, snap);
  o_free(k);
  o_free(job);
  return -1;
}

json_t *tp_snapshot_memo_compute(struct tp_snapshots *store, struct tp_snapshot *snap,
                                 const char *key, tp_memo_fn compute, void (*release)(void *),
                                 void *arg, long wait_ms, tp_rc *rc) {
  struct tp_snapshot_cache *c = snap->cache;
  long mine = 0; /* the generation of the job this caller started, if any */
  json_t *v = NULL;
  *rc = TP_OK;
  long long t0 = tp_now_ms(), last = t0 + wait_ms;
  pthread_mutex_lock(&c->mu);
  for (;;) {
    if (c->memo_key != NULL && strcmp(c->memo_key, key) == 0) {
      v = json_incref(c->memo);
      break;
    }
    if (c->computing == NULL && mine != 0) {
      /* Ours ended without leaving this key's document: it failed, or a
       * newer key's document replaced it at once. */
      *rc = c->failed_generation == mine ? c->failed : TP_ERR_BUSY;
      break;
    }
    if (c->computing == NULL) {
      /* One computation at a time per snapshot: a document costs seconds
       * and hundreds of megabytes, and the pool has few connections. */
      c->computing = o_strdup(key);
      if (c->computing == NULL) {
        *rc = TP_ERR_NOMEM;
        break;
      }
      mine = ++c->generation;
      c->computing_until_ms = tp_now_ms() + wait_ms;
      pthread_mutex_unlock(&c->mu);
      int failed = start_job(store, snap, key, mine, compute, release, arg);
      pthread_mutex_lock(&c->mu);
      if (failed) {
        end_computing(c, key);
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
      long long joined = c->computing_until_ms > t0 + MEMO_SHORT_WAIT_MS
                             ? c->computing_until_ms
                             : t0 + MEMO_SHORT_WAIT_MS;
      if (joined < until) until = joined;
    }
    struct timespec deadline = tp_timespec_of_ms(until);
    if (tp_now_ms() >= until ||
        pthread_cond_timedwait(&c->done, &c->mu, &deadline) == ETIMEDOUT) {
      if (c->memo_key != NULL && strcmp(c->memo_key, key) == 0) {
        v = json_incref(c->memo);
      } else {
        *rc = TP_ERR_BUSY; /* the job goes on, for the next request */
      }
      break;
    }
  }
  pthread_mutex_unlock(&c->mu);
  if (mine == 0) release(arg);
  return v;
}
