#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/paging.h"

#include "teamplotter/http.h"
#include "teamplotter/render.h"
#include "teamplotter/textbuf.h"

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

/* The links of a page: next and previous (empty when there is none) and
 * the Link header (empty when it did not fit). */
struct page_links {
  char next[URL_MAX], previous[URL_MAX];
  char header[4 * URL_MAX + 64];
};

static void page_links(const struct tp_ctx *ctx, const struct tp_params *params,
                       const struct tp_paging *paging, long count, struct page_links *l) {
  long last = count == 0 ? 1 : (count + paging->page_size - 1) / paging->page_size;
  long page = paging->page, size = paging->page_size;
  char url[URL_MAX];
  size_t used = 0;
  l->next[0] = l->previous[0] = l->header[0] = '\0';
  if (page < last && page_url(ctx, params, page + 1, size, l->next, sizeof(l->next)) == 0) {
    add_link(l->header, sizeof(l->header), &used, l->next, "next");
  } else {
    l->next[0] = '\0';
  }
  if (page > 1 && page_url(ctx, params, page - 1 < last ? page - 1 : last, size, l->previous,
                           sizeof(l->previous)) == 0) {
    add_link(l->header, sizeof(l->header), &used, l->previous, "prev");
  } else {
    l->previous[0] = '\0';
  }
  if (page_url(ctx, params, 1, size, url, sizeof(url)) == 0) {
    add_link(l->header, sizeof(l->header), &used, url, "first");
  }
  if (page_url(ctx, params, last, size, url, sizeof(url)) == 0) {
    add_link(l->header, sizeof(l->header), &used, url, "last");
  }
  if (used == 0 || used >= sizeof(l->header)) l->header[0] = '\0';
}

void tp_respond_page(struct tp_ctx *ctx, const struct tp_params *params,
                     const struct tp_paging *paging, long count, json_t *results) {
  struct page_links l;
  page_links(ctx, params, paging, count, &l);
  json_t *body = json_pack("{s:I, s:o, s:o, s:o}", "count", (json_int_t)count, "next",
                           l.next[0] ? json_string(l.next) : json_null(), "previous",
                           l.previous[0] ? json_string(l.previous) : json_null(), "results",
                           results);
  if (body == NULL) {
    tp_problem(ctx, 500, NULL, "Het antwoord kon niet worden opgebouwd.");
    return;
  }
  if (l.header[0]) tp_set_header(ctx, "Link", l.header);
  tp_respond_json(ctx, 200, body);
  json_decref(body);
}

void tp_respond_page_text(struct tp_ctx *ctx, const struct tp_params *params,
                          const struct tp_paging *paging, long count, const char *results,
                          size_t len) {
  struct page_links l;
  page_links(ctx, params, paging, count, &l);
  struct tp_textbuf b;
  tp_textbuf_init(&b, len + 3 * URL_MAX + 128);
  tp_textbuf_puts(&b, "{\"count\":");
  tp_json_put_integer(&b, count);
  tp_textbuf_puts(&b, ",\"next\":");
  int bad = tp_json_put_string(&b, l.next[0] ? l.next : NULL);
  tp_textbuf_puts(&b, ",\"previous\":");
  bad |= tp_json_put_string(&b, l.previous[0] ? l.previous : NULL);
  tp_textbuf_puts(&b, ",\"results\":");
  tp_textbuf_append(&b, results, len);
  tp_textbuf_puts(&b, "}");
  size_t n;
  char *text = tp_textbuf_finish(&b, &n);
  if (text == NULL || bad) {
    tp_problem(ctx, 500, NULL, "Het antwoord kon niet worden opgebouwd.");
  } else {
    if (l.header[0]) tp_set_header(ctx, "Link", l.header);
    tp_respond_bytes(ctx, 200, "application/json", text, n);
  }
  free(text);
}
