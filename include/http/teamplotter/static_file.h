#ifndef TEAMPLOTTER_STATIC_FILE_H
#define TEAMPLOTTER_STATIC_FILE_H

#include "teamplotter/http.h"
#include "teamplotter/web.h"

/* The Content-Security-Policy of the page for people: its own files only,
 * no inline script or style and no eval (docs/pagina.md). */
extern const char TP_CSP_PAGE[];

/* Answers a GET or HEAD with an embedded file of the page (web.h): 406
 * when Accept refuses its media type; gzipped (Content-Encoding: gzip,
 * the gzipped bytes' own ETag) when Accept-Encoding allows gzip; 304 when
 * If-None-Match names the ETag of what would be sent. `csp` (NULL: the
 * service's default) replaces the Content-Security-Policy; the route is
 * flagged TP_ROUTE_PAGE so the dispatcher adds Accept-Encoding to Vary. */
void tp_respond_web_file(struct tp_ctx *ctx, const struct tp_web_file *file, const char *csp);

/* Whether an Accept-Encoding value allows gzip (RFC 9110 §12.5.3): "gzip"
 * (or "x-gzip") with a q-value above 0, or, when gzip is not named, "*"
 * with one. Pure; exposed for tests. */
int tp_accepts_gzip(const char *accept_encoding);

#endif
