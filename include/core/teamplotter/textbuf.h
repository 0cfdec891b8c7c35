#ifndef TEAMPLOTTER_TEXTBUF_H
#define TEAMPLOTTER_TEXTBUF_H

#include <stddef.h>

/* A growing, always NUL-terminated text buffer with a hard cap, for
 * documents written piece by piece (SVG, CSV, metrics). A failed append
 * (out of memory, or the text would reach `limit` bytes with its NUL) sets
 * `failed`, and every later append does nothing, so a writer appends
 * without checking and looks once at the end. Not thread-safe; one writer. */
struct tp_textbuf {
  char *data;   /* malloc()ed; NULL until the first append */
  size_t len;   /* bytes written, without the NUL */
  size_t cap;   /* bytes allocated */
  size_t limit; /* most bytes it may allocate */
  int failed;
};

/* An empty buffer that may grow to `limit` bytes. */
void tp_textbuf_init(struct tp_textbuf *b, size_t limit);

/* Appends `n` bytes of `s`; appends a NUL-terminated string; appends
 * printf-formatted text. */
void tp_textbuf_append(struct tp_textbuf *b, const char *s, size_t n);
void tp_textbuf_puts(struct tp_textbuf *b, const char *s);
void tp_textbuf_printf(struct tp_textbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends `n` bytes for the caller to fill and returns where they start
 * (the NUL after them is written), or NULL when the append failed. */
char *tp_textbuf_extend(struct tp_textbuf *b, size_t n);

/* Makes room for `n` more bytes at once, for a writer that knows about how
 * much it will write: one allocation instead of one per doubling. Failing
 * marks the buffer failed, as an append would. */
void tp_textbuf_reserve(struct tp_textbuf *b, size_t n);

/* Hands over the text (the caller free()s it; `*len` gets its length when
 * `len` is not NULL), or frees everything and returns NULL when an append
 * failed. An empty buffer gives "". The buffer is empty afterwards. */
char *tp_textbuf_finish(struct tp_textbuf *b, size_t *len);

/* Empties the buffer but keeps its memory, for the next text of a series;
 * a failed buffer may be used again. */
void tp_textbuf_clear(struct tp_textbuf *b);

/* Frees the text without handing it over. */
void tp_textbuf_free(struct tp_textbuf *b);

#endif
