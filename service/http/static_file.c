/* The files of the page for people, embedded in the binary (web.h), as
 * HTTP answers: media type, ETag, gzip when the client takes it, and the
 * page's own Content-Security-Policy. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "teamplotter/router.h"
#include "teamplotter/static_file.h"

const char TP_CSP_PAGE[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

/* The q-value of one Accept-Encoding element from its parameters, such as
 * ";q=0.5"; 1 without one. */
static double element_q(const char *params, size_t len) {
  const char *q = NULL;
  for (size_t i = 0; i + 1 < len; i++) {
    if ((params[i] == 'q' || params[i] == 'Q') && params[i + 1] == '=') {
      q = params + i + 2;
      break;
    }
  }
  return q ? strtod(q, NULL) : 1.0;
}

int tp_accepts_gzip(const char *accept_encoding) {
  if (accept_encoding == NULL) return 0;
  /* gzip named outright decides; "*" only when it is not named. */
  int named = -1, any = -1;
  const char *p = accept_encoding;
  while (*p != '\0') {
    while (*p == ' ' || *p == '\t' || *p == ',') p++;
    const char *name = p;
    while (*p != '\0' && *p != ',' && *p != ';' && *p != ' ' && *p != '\t') p++;
    size_t name_len = (size_t)(p - name);
    const char *params = p;
    while (*p != '\0' && *p != ',') p++;
    int allowed = element_q(params, (size_t)(p - params)) > 0.0;
    if ((name_len == 4 && strncasecmp(name, "gzip", 4) == 0) ||
        (name_len == 6 && strncasecmp(name, "x-gzip", 6) == 0)) {
      named = named == 1 ? 1 : allowed;
    } else if (name_len == 1 && name[0] == '*') {
      any = allowed;
    }
  }
  return named >= 0 ? named : any == 1;
}

void tp_respond_web_file(struct tp_ctx *ctx, const struct tp_web_file *file, const char *csp) {
  /* The media type without its parameters, for Accept. */
  char type[64];
  size_t type_len = strcspn(file->media_type, ";");
  if (type_len >= sizeof(type)) type_len = sizeof(type) - 1;
  memcpy(type, file->media_type, type_len);
  type[type_len] = '\0';
  const char *const produces[] = {type, NULL};
  if (tp_negotiate(tp_header(ctx, "Accept"), produces) == NULL) {
    tp_problem(ctx, 406, NULL, "Deze resource is beschikbaar als %s.", type);
    return;
  }
  if (csp != NULL) tp_set_header(ctx, "Content-Security-Policy", csp);
  if (tp_accepts_gzip(tp_header(ctx, "Accept-Encoding"))) {
    tp_set_header(ctx, "Content-Encoding", "gzip");
    tp_respond_tagged(ctx, 200, file->media_type, (const char *)file->gzip, file->gzip_len,
                      file->etag_gzip);
  } else {
    tp_respond_tagged(ctx, 200, file->media_type, (const char *)file->data, file->len, file->etag);
  }
}
