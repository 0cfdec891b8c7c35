#ifndef TEAMPLOTTER_RESPONSE_CACHE_H
#define TEAMPLOTTER_RESPONSE_CACHE_H

#include <stddef.h>

struct tp_snapshot;

/* Rendered responses of routes whose 200 answers depend only on the
 * snapshot version and the request target (TP_ROUTE_CACHED), kept per
 * snapshot version (a slot of the snapshot, so they go with it). */

/* A rendered response as the cache keeps it. */
struct tp_cached_response {
  const char *content_type;
  const char *body;
  size_t len;
  const char *link; /* Link header, or NULL */
  const char *etag; /* filled in by the cache */
};

/* The response of `snap`'s version cached under `key`; its strings stay
 * valid while the snapshot is held. Returns 0 on a hit. */
int tp_response_cache_get(struct tp_snapshot *snap, const char *key,
                          struct tp_cached_response *out);

/* Stores a copy of a rendered response under `key`, unless the cache of
 * that version is full. */
void tp_response_cache_put(struct tp_snapshot *snap, const char *key,
                           const struct tp_cached_response *in);

#endif
