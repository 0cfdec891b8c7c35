#ifndef TEAMPLOTTER_RESPONSE_CACHE_H
#define TEAMPLOTTER_RESPONSE_CACHE_H

#include <stddef.h>

#include "teamplotter/slot.h"

/* Rendered responses of routes whose 200 answers depend only on the
 * snapshot version and the request target (TP_ROUTE_CACHED), one cache per
 * snapshot version: kept in the snapshot's slot of this type, so that they
 * go with it. */
struct tp_response_cache;
extern const struct tp_slot_type tp_response_cache_slot;

/* A rendered response as the cache keeps it. */
struct tp_cached_response {
  const char *content_type;
  const char *body;
  size_t len;
  const char *link; /* Link header, or NULL */
  const char *etag; /* filled in by the cache */
};

/* The response cached under `key`; its strings stay valid while the
 * snapshot that holds the cache is held. Returns 0 on a hit. */
int tp_response_cache_get(struct tp_response_cache *cache, const char *key,
                          struct tp_cached_response *out);

/* Stores a copy of a rendered response under `key`, unless the cache is
 * full. */
void tp_response_cache_put(struct tp_response_cache *cache, const char *key,
                           const struct tp_cached_response *in);

#endif
