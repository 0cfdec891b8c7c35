#include <stdio.h>
#include <string.h>

#include "teamplotter/http.h"

/* Far beyond any real collection, small enough that offsets never
 * overflow. */
#define MAX_PAGE 1000000L
#define URL_MAX 2048

void tp_paging_read(struct tp_params *params, struct tp_paging *paging) {
  tp_param_long(params, "page", 1, MAX_PAGE, 1, &paging->page);
  tp_param_long(params, "pageSize", 1, TP_PAGE_SIZE_MAX, TP_PAGE_SIZE_DEFAULT,
                &paging->page_size);
}

long tp_paging_offset(const struct tp_paging *paging) {
  return (paging->page - 1) * paging->page_size;
}

/* The path of this request with its other query parameters, then page and
 * pageSize; NULL-safe on overflow (the link is then left out). */
static int page_url(const struct tp_ctx *ctx, const struct tp_params *params, long page,
                    long page_size, char *out, size_t outlen) {
  size_t used = (size_t)snprintf(out, outlen, "%s?", ctx->path);
  if (used >= outlen) return -1;
  for (size_t i = 0; i < params->count; i++) {
    const char *key = params->items[i].key;
    if (strcmp(key, "page") == 0 || strcmp(key, "pageSize") == 0) continue;
    char k[256], v[1024 * 3 + 1];
    if (tp_query_encode(key, k, sizeof(k)) < 0 ||
        tp_query_encode(params->items[i].value, v, sizeof(v)) < 0) {
      return -1;
    }
    used += (size_t)snprintf(out + used, outlen - used, "%s=%s&", k, v);
    if (used >= outlen) return -1;
  }
  used += (size_t)snprintf(out + used, outlen - used, "page=%ld&pageSize=%ld", page, page_size);
  return used < outlen ? 0 : -1;
}

static void add_link(char *header, size_t len, size_t *used, const char *url, const char *rel) {
  if (*used >= len) return;
  *used += (size_t)snprintf(header + *used, len - *used, "%s<%s>; rel=\"%s\"",
                            *used ? ", " : "", url, rel);
}

void tp_respond_page(struct tp_ctx *ctx, const struct tp_params *params,
                     const struct tp_paging *paging, long count, json_t *results) {
  long last = count == 0 ? 1 : (count + paging->page_size - 1) / paging->page_size;
  long page = paging->page, size = paging->page_size;
  char url[URL_MAX], links[4 * URL_MAX + 64];
  size_t used = 0;
  json_t *next = json_null(), *previous = json_null();

  if (page < last && page_url(ctx, params, page + 1, size, url, sizeof(url)) == 0) {
    next = json_string(url);
    add_link(links, sizeof(links), &used, url, "next");
  }
  if (page > 1 && page_url(ctx, params, page - 1 < last ? page - 1 : last, size, url,
                           sizeof(url)) == 0) {
    previous = json_string(url);
    add_link(links, sizeof(links), &used, url, "prev");
  }
  if (page_url(ctx, params, 1, size, url, sizeof(url)) == 0) {
    add_link(links, sizeof(links), &used, url, "first");
  }
  if (page_url(ctx, params, last, size, url, sizeof(url)) == 0) {
    add_link(links, sizeof(links), &used, url, "last");
  }

  json_t *body = json_pack("{s:I, s:o, s:o, s:o}", "count", (json_int_t)count, "next", next,
                           "previous", previous, "results", results);
  if (body == NULL) {
    tp_problem(ctx, 500, NULL, "Het antwoord kon niet worden opgebouwd.");
    return;
  }
  if (used > 0 && used < sizeof(links)) tp_set_header(ctx, "Link", links);
  tp_respond_json(ctx, 200, body);
  json_decref(body);
}
