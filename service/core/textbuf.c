#include "teamplotter/textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXTBUF_FIRST 4096

void tp_textbuf_init(struct tp_textbuf *b, size_t limit) {
  memset(b, 0, sizeof(*b));
  b->limit = limit;
}

/* Makes room for `more` bytes and the NUL; 0 when there is room. */
static int reserve(struct tp_textbuf *b, size_t more) {
  if (b->failed) return -1;
  /* Compared by subtraction, so that no sum can overflow. */
  if (b->limit <= b->len || more >= b->limit - b->len) {
    b->failed = 1;
    return -1;
  }
  size_t need = b->len + more + 1;
  if (need <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : TEXTBUF_FIRST;
  if (cap > b->limit) cap = b->limit;
  while (cap < need) cap = cap > b->limit / 2 ? b->limit : cap * 2;
  /* Through a temporary, so the text is still freed when this fails. */
  char *grown = realloc(b->data, cap);
  if (grown == NULL) {
    b->failed = 1;
    return -1;
  }
  b->data = grown;
  b->cap = cap;
  return 0;
}

void tp_textbuf_append(struct tp_textbuf *b, const char *s, size_t n) {
  if (reserve(b, n) != 0) return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void tp_textbuf_reserve(struct tp_textbuf *b, size_t n) { (void)reserve(b, n); }

void tp_textbuf_puts(struct tp_textbuf *b, const char *s) { tp_textbuf_append(b, s, strlen(s)); }

char *tp_textbuf_extend(struct tp_textbuf *b, size_t n) {
  if (reserve(b, n) != 0) return NULL;
  char *at = b->data + b->len;
  b->len += n;
  b->data[b->len] = '\0';
  return at;
}

void tp_textbuf_printf(struct tp_textbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->failed = 1;
    return;
  }
  if (reserve(b, (size_t)n) != 0) return;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

char *tp_textbuf_finish(struct tp_textbuf *b, size_t *len) {
  if (!b->failed && b->data == NULL) tp_textbuf_append(b, "", 0);
  char *text = b->failed ? NULL : b->data;
  if (text == NULL) free(b->data);
  if (len != NULL) *len = text ? b->len : 0;
  tp_textbuf_init(b, b->limit);
  return text;
}

void tp_textbuf_free(struct tp_textbuf *b) {
  free(b->data);
  tp_textbuf_init(b, b->limit);
}

void tp_textbuf_clear(struct tp_textbuf *b) {
  b->len = 0;
  b->failed = 0;
  if (b->data != NULL) b->data[0] = '\0';
}
