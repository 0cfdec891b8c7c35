/* What the SVG charts share: escaping, numbers, axis steps. */
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "teamplotter/stats.h"
#include "teamplotter/text.h"
#include "teamplotter/textbuf.h"

void tp_svg_esc_n(struct tp_textbuf *b, const char *text, size_t len) {
  const char *s = text, *end = text + len;
  while (s < end) {
    unsigned char c = (unsigned char)*s;
    const char *entity = c == '&'    ? "&amp;"
                         : c == '<'  ? "&lt;"
                         : c == '>'  ? "&gt;"
                         : c == '"'  ? "&quot;"
                         : c == '\'' ? "&apos;"
                                     : NULL;
    if (entity != NULL) {
      tp_textbuf_puts(b, entity);
      s++;
      continue;
    }
    if (c < 0x20) {
      if (c == '\t' || c == '\n' || c == '\r') tp_textbuf_puts(b, " ");
      s++;
      continue;
    }
    size_t n = tp_utf8_seq(s, (size_t)(end - s));
    const unsigned char *u = (const unsigned char *)s;
    if (n == 3 && u[0] == 0xef && u[1] == 0xbf && (u[2] == 0xbe || u[2] == 0xbf)) n = 0;
    if (n == 0) {
      tp_textbuf_puts(b, "\xef\xbf\xbd");
      s++;
      continue;
    }
    tp_textbuf_append(b, s, n);
    s += n;
  }
}

void tp_svg_esc(struct tp_textbuf *b, const char *text) {
  if (text != NULL) tp_svg_esc_n(b, text, strlen(text));
}

size_t tp_svg_chars(const char *text) {
  size_t chars = 0;
  for (size_t i = 0; text[i]; i++) chars += ((unsigned char)text[i] & 0xc0) != 0x80;
  return chars;
}

void tp_svg_label(struct tp_textbuf *b, const char *text, size_t max) {
  size_t chars = 0, cut = 0;
  for (size_t i = 0; text[i]; i++) {
    if (((unsigned char)text[i] & 0xc0) == 0x80) continue;
    if (chars == max - 1) cut = i;
    chars++;
  }
  if (chars <= max) {
    tp_svg_esc(b, text);
    return;
  }
  tp_svg_esc_n(b, text, cut);
  tp_textbuf_puts(b, "…");
}

const char *tp_svg_px(char *out, double v) {
  if (tp_format_fixed(out, 32, v, 1, '.') < 0) snprintf(out, 32, "0.0");
  return out;
}

const char *tp_svg_nl(char *out, double v) {
  if (tp_format_fixed(out, 32, v, 2, ',') < 0) snprintf(out, 32, "?");
  return out;
}

double tp_svg_tick_step(double max, int max_ticks) {
  static const double mant[] = {1.0, 2.0, 2.5, 5.0};
  double mag = pow(10.0, floor(log10(max / max_ticks)));
  for (;;) {
    for (size_t i = 0; i < sizeof(mant) / sizeof(mant[0]); i++)
      if (max / (mant[i] * mag) <= max_ticks) return mant[i] * mag;
    mag *= 10.0;
  }
}

const char *tp_svg_tick_label(char *out, double v, double step) {
  int dec = step >= 1.0 ? 0 : (fabs(step * 10.0 - round(step * 10.0)) < 1e-9 ? 1 : 2);
  if (tp_format_fixed(out, 32, v, dec, ',') < 0) snprintf(out, 32, "?");
  return out;
}

double tp_svg_axis(double max, int max_ticks, double *step) {
  if (!(max > 0.0)) max = 1.0;
  *step = tp_svg_tick_step(max, max_ticks);
  return ceil(max / *step - 1e-9) * *step;
}

void tp_svg_start(struct tp_textbuf *b, int width, int height) {
  tp_textbuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
  tp_textbuf_printf(
      b,
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" "
      "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n",
      width, height, width, height);
}
