#include "teamplotter/snapshot.h"

#include <poll.h>
#include <stdio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>
#include <orcania.h>

#include "db/pg.h"
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
  char *computing;      /* the key a caller of tp_snapshot_memo_claim computes */
  pthread_cond_t done;  /* signalled when that computation ends */
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
  pthread_cond_init(&cache->done, NULL);
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

/* The version the database holds, on the listener's own connection. */
static long db_version(PGconn *conn) {
  PGresult *res = PQexec(conn, "SELECT versie FROM snapshot");
  long v = -1;
  if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
    v = strtol(PQgetvalue(res, 0, 0), NULL, 10);
  }
  PQclear(res);
  return v;
}

static void nap_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* Keeps the snapshot current: a notification or, failing that, a version
 * check every POLL_MS triggers a reload. Reconnects when the connection
 * drops. */
static void *listen_loop(void *arg) {
  struct tp_snapshots *store = arg;
  PGconn *conn = NULL;
  while (!atomic_load(&store->stop)) {
    if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
      PQfinish(conn);
      conn = tp_db_connect(store->conninfo);
      PGresult *res = PQstatus(conn) == CONNECTION_OK ? PQexec(conn, "LISTEN teamplotter_snapshot")
                                                      : NULL;
      int ok = res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK;
      PQclear(res);
      if (!ok) {
        PQfinish(conn);
        conn = NULL;
        nap_ms(POLL_MS);
        continue;
      }
    }
    struct pollfd p = {PQsocket(conn), POLLIN, 0};
    int ready = poll(&p, 1, POLL_MS);
    int notified = 0;
    if (ready > 0) {
      PQconsumeInput(conn);
      PGnotify *n;
      while ((n = PQnotifies(conn)) != NULL) {
        PQfreemem(n);
        notified = 1;
      }
    }
    long v = db_version(conn);
    long have = current_version(store);
    if (have < 0) {
      reload(store, -1); /* the first snapshot, before any request asks for it */
    } else if (v >= 0 && (notified || v != have)) {
      reload(store, v);
    }
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
  atomic_init(&store->stop, 0);
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
  free_box(store->current);
  pthread_mutex_destroy(&store->mu);
  pthread_mutex_destroy(&store->load_mu);
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

json_t *tp_snapshot_memo_claim(struct tp_snapshot *snap, const char *key, int *compute) {
  struct tp_snapshot_cache *c = snap->cache;
  json_t *v = NULL;
  *compute = 0;
  pthread_mutex_lock(&c->mu);
  for (;;) {
    if (c->memo_key != NULL && strcmp(c->memo_key, key) == 0) {
      v = json_incref(c->memo);
      break;
    }
    if (c->computing == NULL) {
      /* Without memory for the mark the caller computes unmarked. */
      c->computing = o_strdup(key);
      *compute = 1;
      break;
    }
    /* Someone computes (this key or another): wait for it, then look
     * again. */
    pthread_cond_wait(&c->done, &c->mu);
  }
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

void tp_snapshot_memo_abandon(struct tp_snapshot *snap, const char *key) {
  struct tp_snapshot_cache *c = snap->cache;
  pthread_mutex_lock(&c->mu);
  end_computing(c, key);
  pthread_mutex_unlock(&c->mu);
}

void tp_snapshot_memo_put(struct tp_snapshot *snap, const char *key, json_t *value) {
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
