/* The response cache: one hash table per snapshot version, kept in a slot
 * of the snapshot (slot.h), so that a new version starts empty and the old
 * one's responses go when the last request holding it ends. */
#include "teamplotter/response_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <orcania.h>

#include "teamplotter/render.h"

/* Bounds of one version's cache: beyond them responses are simply not
 * cached. */
#define BUCKETS 1024
#define MAX_ENTRIES 4096
#define MAX_BYTES (64u * 1024u * 1024u)

struct entry {
  struct entry *next;
  char *key;
  char *body;
  size_t len;
  char *link; /* the Link header of a collection page, or NULL */
  char etag[TP_ETAG_LEN + 1];
  char content_type[64];
};

struct tp_response_cache {
  pthread_mutex_t mu;
  struct entry *buckets[BUCKETS];
  size_t entries, bytes;
};

static void free_entry(struct entry *e) {
  o_free(e->key);
  o_free(e->body);
  o_free(e->link);
  o_free(e);
}

static void *cache_new(void) {
  struct tp_response_cache *c = o_malloc(sizeof(*c));
  if (c == NULL) return NULL;
  memset(c, 0, sizeof(*c));
  pthread_mutex_init(&c->mu, NULL);
  return c;
}

static void cache_free(void *p) {
  struct tp_response_cache *c = p;
  for (size_t i = 0; i < BUCKETS; i++) {
    struct entry *e = c->buckets[i];
    while (e != NULL) {
      struct entry *next = e->next;
      free_entry(e);
      e = next;
    }
  }
  pthread_mutex_destroy(&c->mu);
  o_free(c);
}

const struct tp_slot_type tp_response_cache_slot = {cache_new, cache_free};

static size_t bucket_of(const char *key) {
  /* FNV-1a */
  size_t h = 1469598103934665603ULL & (size_t)-1;
  for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
    h ^= *p;
    h *= (size_t)1099511628211ULL;
  }
  return h % BUCKETS;
}

int tp_response_cache_get(struct tp_response_cache *c, const char *key,
                          struct tp_cached_response *out) {
  int hit = -1;
  if (c == NULL) return -1;
  pthread_mutex_lock(&c->mu);
  for (struct entry *e = c->buckets[bucket_of(key)]; e != NULL; e = e->next) {
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

void tp_response_cache_put(struct tp_response_cache *c, const char *key,
                           const struct tp_cached_response *in) {
  if (c == NULL || in->content_type == NULL ||
      strlen(in->content_type) >= sizeof(((struct entry *)0)->content_type)) {
    return;
  }
  struct entry *e = o_malloc(sizeof(*e));
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
  int fits = c->entries < MAX_ENTRIES && c->bytes + in->len <= MAX_BYTES;
  for (struct entry *x = c->buckets[b]; fits && x != NULL; x = x->next) {
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
