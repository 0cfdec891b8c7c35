/* The page for people (GET /, docs/pagina.md) and the API reference
 * (GET /docs): files of web/ embedded in the binary, served with their
 * own Content-Security-Policy. Outside the spec, like the probes. */
#include <stdio.h>

#include "teamplotter/routes.h"
#include "teamplotter/static_file.h"
#include "teamplotter/web.h"

/* The reference's renderer (Redoc) sets styles from script and renders the
 * spec in a worker: it needs inline styles and blob: workers, which the
 * page itself does without. */
static const char CSP_DOCS[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/* Answers with web/<folder>/<name>, or 404 when there is no such file. */
static void serve(struct tp_ctx *ctx, const char *folder, const char *name, const char *csp) {
  if (tp_no_query(ctx) == TP_ANSWERED) return;
  char path[160];
  int n = snprintf(path, sizeof(path), "%s%s", folder, name);
  const struct tp_web_file *file =
      n > 0 && (size_t)n < sizeof(path) ? tp_web_file(path) : NULL;
  if (file == NULL) {
    tp_problem(ctx, 404, NULL, "Er is geen resource op dit pad.");
    return;
  }
  tp_respond_web_file(ctx, file, csp);
}

static void page(struct tp_ctx *ctx) { serve(ctx, "", "index.html", TP_CSP_PAGE); }

static void page_file(struct tp_ctx *ctx) {
  serve(ctx, "pagina/", tp_path_var(ctx, 0), TP_CSP_PAGE);
}

static void docs(struct tp_ctx *ctx) { serve(ctx, "docs/", "index.html", CSP_DOCS); }

static void docs_file(struct tp_ctx *ctx) { serve(ctx, "docs/", tp_path_var(ctx, 0), CSP_DOCS); }

static const char *const HTML[] = {"text/html", NULL};
/* Every media type under web/ (scripts/embed-web.py); the handler checks
 * Accept against the file's own. */
static const char *const FILES[] = {"text/javascript", "text/css", "image/svg+xml", "image/png",
                                    "image/x-icon", "text/plain", "text/html", NULL};

const struct tp_route tp_routes_pagina[] = {
    {"GET", "/", page, HTML, TP_ROUTE_PUBLIC | TP_ROUTE_PAGE},
    {"GET", "/pagina/{bestand}", page_file, FILES, TP_ROUTE_PUBLIC | TP_ROUTE_PAGE},
    {"GET", "/docs", docs, HTML, TP_ROUTE_PUBLIC | TP_ROUTE_PAGE},
    {"GET", "/docs/{bestand}", docs_file, FILES, TP_ROUTE_PUBLIC | TP_ROUTE_PAGE},
    {0},
};
