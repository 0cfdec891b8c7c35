#ifndef TEAMPLOTTER_CORE_SVG_H
#define TEAMPLOTTER_CORE_SVG_H

/* Private to service/core: what the SVG charts (chart.c, ontwikkeling_chart.c)
 * share. Pure functions; thread-safe. */

#include <stddef.h>

struct tp_textbuf;

/* Text as XML character data or attribute value: the five specials
 * escaped, control characters XML forbids dropped, invalid UTF-8 (and
 * U+FFFE, U+FFFF, which XML does not allow) replaced by U+FFFD, so no
 * input can break the document. tp_svg_esc: a NUL-terminated string (NULL
 * writes nothing). */
void tp_svg_esc_n(struct tp_textbuf *b, const char *text, size_t len);
void tp_svg_esc(struct tp_textbuf *b, const char *text);

/* The characters (code points) of UTF-8 `text`. */
size_t tp_svg_chars(const char *text);

/* `text` escaped, cut to `max` characters (code points) with an ellipsis. */
void tp_svg_label(struct tp_textbuf *b, const char *text, size_t max);

/* Into `out` (32 bytes), which is returned: a coordinate with one decimal,
 * always a point whatever the locale; an fte for people, two decimals with
 * a decimal comma. */
const char *tp_svg_px(char *out, double v);
const char *tp_svg_nl(char *out, double v);

/* A round step (1, 2, 2.5 or 5 times a power of ten) so that an axis from
 * 0 to `max` (> 0) has at most `max_ticks` intervals. */
double tp_svg_tick_step(double max, int max_ticks);

/* The top of an axis from 0 for values up to `max`: `max` rounded up to a
 * multiple of its step (tp_svg_tick_step), which goes to *step; an axis of
 * 1 when `max` is not positive. */
double tp_svg_axis(double max, int max_ticks, double *step);

/* The XML declaration and the opening <svg> element of a standalone SVG
 * 1.1 document of `width` x `height` px, with the charts' fonts. */
void tp_svg_start(struct tp_textbuf *b, int width, int height);

/* The label of tick value `v` on an axis of `step`: as many decimals as
 * the step needs, with a decimal comma; into `out` (32 bytes). */
const char *tp_svg_tick_label(char *out, double v, double step);

#endif
