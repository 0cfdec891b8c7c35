/* The chart of a municipality's development (docs/methode.md, "De
 * ontwikkeling"): per profile, in the document's order, a bar of the
 * team's total fte beside the band the references give at the
 * municipality's size, and under it the date and the core roles fielded. */
#include "teamplotter/ontwikkeling.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "svg.h"

#include "teamplotter/textbuf.h"

/* Geometry in px: the plot from PLOT_X0 to PLOT_X1, PLOT_Y1 (0 fte) up to
 * PLOT_Y0; a column per profile. Dates are written under at most
 * MAX_LABELS columns, so that they never overlap at 800 px. */
#define WIDTH 800
#define HEIGHT 500
#define PLOT_X0 70.0
#define PLOT_X1 780.0
#define PLOT_Y0 120.0
#define PLOT_Y1 400.0
#define MAX_TICKS 6
#define MAX_LABELS 9
/* 500 columns of some 700 bytes. */
#define TEXT_LIMIT (4 * 1024 * 1024)

#define BAR "#2166ac"
#define BAND "#d9dee4"
#define MEDIAN "#1a1a1a"
#define MISSING "#b2182b"

static double num(const json_t *obj, const char *key, int *present) {
  const json_t *v = json_object_get(obj, key);
  if (present) *present = json_is_number(v);
  return json_is_number(v) ? json_number_value(v) : 0.0;
}

/* The core roles profile `p` fields (fte > 0). */
static size_t core_fielded(const json_t *p, const json_t *kernrollen) {
  size_t n = 0, i, k;
  const json_t *x, *c;
  json_array_foreach(json_object_get(p, "rollen"), i, x) {
    const char *rol = tp_doc_str(x, "rol");
    if (!rol || !(num(x, "fte", NULL) > 0.0)) continue;
    json_array_foreach(kernrollen, k, c) {
      if (json_is_string(c) && strcmp(json_string_value(c), rol) == 0) {
        n++;
        break;
      }
    }
  }
  return n;
}

static void legend(struct tp_textbuf *b) {
  tp_textbuf_puts(
      b, "<g class=\"legenda\" font-size=\"11\">\n"
         "<rect x=\"12\" y=\"62\" width=\"14\" height=\"10\" fill=\"" BAR "\"/>"
         "<text x=\"30\" y=\"71\">fte van het team</text>\n"
         "<rect x=\"140\" y=\"62\" width=\"30\" height=\"10\" fill=\"" BAND "\"/>"
         "<text x=\"176\" y=\"71\">verwacht p25–p75 (referenties op uw schaal)</text>\n"
         "<line x1=\"440\" y1=\"67\" x2=\"460\" y2=\"67\" stroke=\"" MEDIAN "\" stroke-width=\"2\"/>"
         "<text x=\"466\" y=\"71\">mediaan</text>\n"
         "<text x=\"530\" y=\"71\" fill=\"" MISSING "\" font-weight=\"bold\">3/7</text>"
         "<text x=\"556\" y=\"71\">kernrollen bezet (rood: kernrol ontbreekt)</text>\n"
         "</g>\n");
}

static void axis(struct tp_textbuf *b, double axis_max, double step, double scale) {
  char a[32], c[32], d[32], label[32];
  tp_textbuf_puts(b, "<g class=\"as\" font-size=\"11\" fill=\"#333333\">\n");
  int ticks = (int)lround(axis_max / step);
  for (int k = 0; k <= ticks; k++) {
    double v = step * k, y = PLOT_Y1 - v * scale;
    tp_textbuf_printf(b,
                      "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#cccccc\" "
                      "stroke-dasharray=\"2,3\"/>\n",
                      tp_svg_px(a, PLOT_X0), tp_svg_px(c, y), tp_svg_px(d, PLOT_X1),
                      tp_svg_px(label, y));
    tp_textbuf_printf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\">%s</text>\n",
                      tp_svg_px(a, PLOT_X0 - 6), tp_svg_px(c, y + 4),
                      tp_svg_tick_label(label, v, step));
  }
  tp_textbuf_printf(b, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#333333\"/>\n",
                    tp_svg_px(a, PLOT_X0), tp_svg_px(c, PLOT_Y1), tp_svg_px(d, PLOT_X1),
                    tp_svg_px(label, PLOT_Y1));
  tp_textbuf_printf(b, "<text x=\"12\" y=\"%s\">fte</text>\n", tp_svg_px(a, PLOT_Y0 - 8));
  tp_textbuf_printf(b, "<text x=\"12\" y=\"%s\">peildatum</text>\n", tp_svg_px(a, PLOT_Y1 + 20));
  tp_textbuf_printf(b, "<text x=\"12\" y=\"%s\">kernrollen</text>\n", tp_svg_px(a, PLOT_Y1 + 40));
  tp_textbuf_puts(b, "</g>\n");
}

/* Column `i` of `n`, `width` px wide, for profile `p`. */
static void column(struct tp_textbuf *b, const json_t *p, size_t i, size_t n, double width,
                   double scale, const json_t *kernrollen) {
  char a[32], c[32], d[32], e[32];
  const json_t *sum = json_object_get(p, "samenvatting");
  const json_t *band = json_object_get(p, "verwachtTotaal");
  const char *datum = tp_doc_str(p, "peildatum");
  double tot = num(sum, "totaalFte", NULL);
  int h25, h50, h75;
  double p25 = num(band, "p25", &h25), med = num(band, "mediaan", &h50),
         p75 = num(band, "p75", &h75);
  int has_band = json_is_object(band) && h25 && h50 && h75;
  size_t nkern = json_array_size(kernrollen), fielded = core_fielded(p, kernrollen);
  size_t missing = json_array_size(json_object_get(sum, "ontbrekendeKernrollen"));
  double x0 = PLOT_X0 + (double)i * width, mid = x0 + width / 2.0;

  tp_textbuf_puts(b, "<g class=\"peildatum\">\n<title>");
  tp_svg_esc(b, datum);
  tp_textbuf_printf(b, ": %s fte", tp_svg_nl(a, tot));
  if (has_band)
    tp_textbuf_printf(b, "; verwacht %s–%s (mediaan %s)", tp_svg_nl(c, p25), tp_svg_nl(d, p75),
                      tp_svg_nl(e, med));
  tp_textbuf_printf(b, "; %zu van %zu kernrollen bezet", fielded, nkern);
  if (missing > 0) {
    tp_textbuf_puts(b, "; ontbrekend:");
    size_t k;
    const json_t *m;
    json_array_foreach(json_object_get(sum, "ontbrekendeKernrollen"), k, m) {
      tp_textbuf_puts(b, k ? ", " : " ");
      tp_svg_esc(b, json_string_value(m));
    }
  }
  tp_textbuf_puts(b, "</title>\n");
  if (has_band) {
    double bw = width * 0.8, top = PLOT_Y1 - p75 * scale, h = (p75 - p25) * scale;
    if (h < 2.0) { /* a band of zero height is still a band */
      top -= (2.0 - h) / 2.0;
      h = 2.0;
    }
    tp_textbuf_printf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"" BAND "\"/>\n",
                      tp_svg_px(a, mid - bw / 2.0), tp_svg_px(c, top), tp_svg_px(d, bw),
                      tp_svg_px(e, h));
  }
  double bar = width * 0.4 < 1.0 ? 1.0 : width * 0.4;
  if (tot > 0.0)
    tp_textbuf_printf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"" BAR "\"/>\n",
                      tp_svg_px(a, mid - bar / 2.0), tp_svg_px(c, PLOT_Y1 - tot * scale),
                      tp_svg_px(d, bar), tp_svg_px(e, tot * scale));
  if (has_band) {
    double y = PLOT_Y1 - med * scale;
    tp_textbuf_printf(b,
                      "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"" MEDIAN
                      "\" stroke-width=\"2\"/>\n",
                      tp_svg_px(a, mid - width * 0.4), tp_svg_px(c, y),
                      tp_svg_px(d, mid + width * 0.4), tp_svg_px(e, y));
  }
  /* Labels under every k-th column, and under the last when it is not
   * too close to the one before it: the tooltip always has them. */
  size_t every = (n + MAX_LABELS - 1) / MAX_LABELS;
  if (i % every == 0 || (i + 1 == n && i % every >= (3 * every + 3) / 4)) {
    tp_textbuf_printf(b, "<text x=\"%s\" y=\"%s\" font-size=\"11\" text-anchor=\"middle\">",
                      tp_svg_px(a, mid), tp_svg_px(c, PLOT_Y1 + 20));
    tp_svg_esc(b, datum);
    tp_textbuf_printf(b,
                      "</text>\n<text x=\"%s\" y=\"%s\" font-size=\"11\" text-anchor=\"middle\"%s>"
                      "%zu/%zu</text>\n",
                      tp_svg_px(a, mid), tp_svg_px(c, PLOT_Y1 + 40),
                      missing > 0 ? " fill=\"" MISSING "\" font-weight=\"bold\"" : "", fielded,
                      nkern);
  }
  tp_textbuf_puts(b, "</g>\n");
}

char *tp_ontwikkeling_svg(const json_t *doc) {
  if (!json_is_object(doc)) return NULL;
  const json_t *profielen = json_object_get(doc, "profielen");
  const json_t *kernrollen = json_object_get(doc, "kernrollen");
  size_t n = json_array_size(profielen), i;
  const json_t *p;
  char f1[32], f2[32];

  double max = 0.0;
  json_array_foreach(profielen, i, p) {
    double vals[2] = {num(json_object_get(p, "samenvatting"), "totaalFte", NULL),
                      num(json_object_get(p, "verwachtTotaal"), "p75", NULL)};
    for (int k = 0; k < 2; k++)
      if (isfinite(vals[k]) && vals[k] > max) max = vals[k];
  }
  double step;
  double axis_max = tp_svg_axis(max, MAX_TICKS, &step);
  double scale = (PLOT_Y1 - PLOT_Y0) / axis_max;
  double width = (PLOT_X1 - PLOT_X0) / (double)(n ? n : 1);

  struct tp_textbuf b;
  tp_textbuf_init(&b, TEXT_LIMIT);
  const char *naam = tp_doc_str(doc, "naam"), *code = tp_doc_str(doc, "gemeente");
  tp_svg_start(&b, WIDTH, HEIGHT);
  /* The heading, in the <title> and on the chart. */
  struct tp_textbuf kop;
  tp_textbuf_init(&kop, 4096);
  tp_textbuf_puts(&kop, "Ontwikkeling online team: ");
  tp_svg_esc(&kop, naam ? naam : "?");
  tp_textbuf_puts(&kop, " (");
  tp_svg_esc(&kop, code ? code : "?");
  tp_textbuf_puts(&kop, ")");
  const char *heading = kop.failed || kop.data == NULL ? "" : kop.data;
  tp_textbuf_printf(&b, "<title id=\"titel\">%s</title>\n", heading);
  tp_textbuf_puts(&b,
                  "<desc id=\"beschrijving\">Per peildatum de fte van het team (balk) naast de "
                  "bandbreedte p25–p75 die de referentiegemeenten bij dit inwonertal laten zien "
                  "(grijs vlak) met hun mediaan (streep), en hoeveel kernrollen bezet zijn.");
  if (n > 0) {
    const json_t *first = json_object_get(json_array_get(profielen, 0), "samenvatting");
    const json_t *last = json_object_get(json_array_get(profielen, n - 1), "samenvatting");
    tp_textbuf_printf(&b, " %zu teamprofielen, van %s fte naar %s fte.", n,
                      tp_svg_nl(f1, num(first, "totaalFte", NULL)),
                      tp_svg_nl(f2, num(last, "totaalFte", NULL)));
  } else {
    tp_textbuf_puts(&b, " Geen teamprofielen.");
  }
  tp_textbuf_printf(&b,
                    "</desc>\n<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
                    WIDTH, HEIGHT);
  tp_textbuf_printf(&b, "<text x=\"12\" y=\"26\" font-size=\"16\" font-weight=\"bold\">%s</text>\n",
                    heading);
  tp_textbuf_free(&kop);
  tp_textbuf_puts(&b, "<text x=\"12\" y=\"46\" fill=\"#333333\">");
  if (n > 0) {
    tp_textbuf_printf(&b, "%zu teamprofielen, ", n);
    tp_svg_esc(&b, tp_doc_str(json_array_get(profielen, 0), "peildatum"));
    tp_textbuf_puts(&b, " tot en met ");
    tp_svg_esc(&b, tp_doc_str(json_array_get(profielen, n - 1), "peildatum"));
  } else {
    tp_textbuf_puts(&b, "Geen teamprofielen in deze periode");
  }
  if (json_is_true(json_object_get(doc, "afgekapt"))) tp_textbuf_puts(&b, " (alleen de nieuwste)");
  tp_textbuf_puts(&b, "</text>\n");
  legend(&b);
  axis(&b, axis_max, step, scale);
  json_array_foreach(profielen, i, p) column(&b, p, i, n, width, scale, kernrollen);
  tp_textbuf_puts(&b, "</svg>\n");
  return tp_textbuf_finish(&b, NULL);
}
