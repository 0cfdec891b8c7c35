/* The CSV writer (RFC 4180). */
#include "teamplotter/csv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "teamplotter/render.h"
#include "teamplotter/stats.h"
#include "teamplotter/textbuf.h"

void tp_csv_field(struct tp_textbuf *c, const char *s, int first) {
  if (!first) tp_textbuf_puts(c, ",");
  if (s == NULL) return;
  if (strpbrk(s, ",\"\r\n") == NULL) {
    tp_textbuf_puts(c, s);
    return;
  }
  tp_textbuf_puts(c, "\"");
  for (const char *p = s; *p; p++) {
    tp_textbuf_append(c, p, 1);
    if (*p == '"') tp_textbuf_puts(c, "\""); /* a quote is written twice */
  }
  tp_textbuf_puts(c, "\"");
}

/* A figure of at most 4 decimals below 10^11 has fewer than 16 digits, so
 * its shortest exact form (the JSON text without the ".0" of a whole
 * number) is what "%.15g" prints: written without printf, which otherwise
 * takes a fifth of the CSV of 100 000 municipalities. */
void tp_csv_real(struct tp_textbuf *c, double v) {
  char num[64];
  tp_textbuf_puts(c, ",");
  if (isnan(v)) return;
  int n = -1;
  if (fabs(v) < 1e11 && tp_round4(v) == v) {
    n = tp_json_format_real(v, num, sizeof(num));
    if (n >= 2 && memcmp(num + n - 2, ".0", 2) == 0) n -= 2;
  }
  if (n < 0) n = snprintf(num, sizeof(num), "%.15g", v);
  if (n > 0 && (size_t)n < sizeof(num)) tp_textbuf_append(c, num, (size_t)n);
}

void tp_csv_integer(struct tp_textbuf *c, long long v) {
  tp_textbuf_puts(c, ",");
  tp_json_put_integer(c, v);
}
