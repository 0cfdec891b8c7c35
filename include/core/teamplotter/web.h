#ifndef TEAMPLOTTER_WEB_H
#define TEAMPLOTTER_WEB_H

#include <stddef.h>

/* A file of the page for people (web/), compiled into the binary by
 * scripts/embed-web.py: as written and gzipped, each with its own strong
 * ETag (quoted). Static data: nothing to free. */
struct tp_web_file {
  const char *name;       /* path below web/, e.g. "index.html" */
  const char *media_type; /* Content-Type, with charset for text */
  const unsigned char *data;
  size_t len;
  const unsigned char *gzip;
  size_t gzip_len;
  const char *etag;
  const char *etag_gzip;
};

/* The file at `name` below web/, or NULL. */
const struct tp_web_file *tp_web_file(const char *name);

#endif
