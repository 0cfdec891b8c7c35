#include "teamplotter/chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

#include "teamplotter/stats.h"
#include "teamplotter/text.h"
#include "teamplotter/textbuf.h"

/* Geometry in px. The label column fits about 44 characters at 11 px (the
 * longest catalogue names, such as "Functioneel beheerder website en
 * e-diensten", have 43); longer names are shortened with an ellipsis and
 * stay whole in the row's tooltip. The value text after a bar needs about
 * 90 px. */
#define CH_WIDTH 800
#define CH_LABEL_X 12
#define CH_LABEL_MAX 44
#define CH_PLOT_X0 300.0
#define CH_PLOT_X1 700.0
#define CH_ROWS_Y0 120
#define CH_ROW_H 26
/* About the mean advance of a character of the 11 px labels (DejaVu Sans). */
#define CH_CHAR_W 6.4
#define CH_MAX_TICKS 8
/* Far above any catalogue: a chart of a few dozen roles has some 30 kB. */
#define CH_TEXT_LIMIT (4 * 1024 * 1024)

struct status_style {
  const char *name;
  const char *colour;
  const char *legend;
};

/* Colours that stay apart for the common colour-vision deficiencies; the
 * status is also written out in each row, so colour is never the only cue. */
static const struct status_style STYLES[] = {
    {"ontbreekt", "#b2182b", "ontbreekt"}, {"onderbezet", "#e08214", "onderbezet"},
    {"passend", "#1b7837", "passend"},     {"ruim", "#2166ac", "ruim"},
    {"optioneel", "#8c8c8c", "optioneel"}, {"onbekend", "#525252", "onbekend (geen referenties)"},
};

static const struct status_style *style_of(const char *status) {
  for (size_t i = 0; i < sizeof(STYLES) / sizeof(STYLES[0]); i++)
    if (status && strcmp(STYLES[i].name, status) == 0) return &STYLES[i];
  return &STYLES[sizeof(STYLES) / sizeof(STYLES[0]) - 1];
}

static double num(const json_t *obj, const char *key, int *present) {
  const json_t *v = json_object_get(obj, key);
  if (present) *present = json_is_number(v);
  return json_is_number(v) ? json_number_value(v) : 0.0;
}

static int in_list(const json_t *arr, const char *code) {
  size_t i;
  const json_t *v;
  json_array_foreach(arr, i, v) {
    const char *s = json_string_value(v);
    if (s && code && strcmp(s, code) == 0) return 1;
  }
  return 0;
}

/* The sign of a fragile role (method 1.1, step 8): a small triangle whose
 * lower left corner is at (x, y); the row's text says it in words too. */
#define FRAGILE_COLOUR "#6a3d9a"
#define FRAGILE_TEXT "kwetsbaar: rust op één persoon"

static void fragile_sign(struct tp_textbuf *b, double x, double y) {
  char a[32], c[32];
  tp_textbuf_printf(b,
                    "<path class=\"teken-kwetsbaar\" d=\"M %s %s l 6 -11 l 6 11 z\" fill=\""
                    FRAGILE_COLOUR "\"/>",
                    tp_svg_px(a, x), tp_svg_px(c, y));
}

static void legend(struct tp_textbuf *b) {
  char a[32], c[32];
  double x = CH_LABEL_X;
  tp_textbuf_puts(b, "<g class=\"legenda\" font-size=\"11\">\n");
  for (size_t i = 0; i < sizeof(STYLES) / sizeof(STYLES[0]); i++) {
    tp_textbuf_printf(b, "<rect x=\"%s\" y=\"62\" width=\"14\" height=\"8\" fill=\"%s\"/>",
                      tp_svg_px(a, x), STYLES[i].colour);
    tp_textbuf_printf(b, "<text x=\"%s\" y=\"70\">", tp_svg_px(c, x + 18));
    tp_svg_esc(b, STYLES[i].legend);
    tp_textbuf_puts(b, "</text>\n");
    x += 30 + 6.2 * (double)strlen(STYLES[i].legend);
  }
  tp_textbuf_puts(
      b,
      "<rect x=\"12\" y=\"80\" width=\"30\" height=\"14\" fill=\"#d9dee4\"/>"
      "<text x=\"48\" y=\"91\">verwacht p25–p75 (referenties op uw schaal)</text>\n"
      "<line x1=\"310\" y1=\"79\" x2=\"310\" y2=\"95\" stroke=\"#1a1a1a\" stroke-width=\"2\"/>"
      "<text x=\"318\" y=\"91\">mediaan</text>\n"
      "<path d=\"M 400 81 l 6 6 l -6 6 l -6 -6 z\" fill=\"#b2182b\"/>"
      "<text x=\"412\" y=\"91\">kernrol ontbreekt</text>\n");
  fragile_sign(b, 520, 93);
  tp_textbuf_puts(b, "<text x=\"538\" y=\"91\">" FRAGILE_TEXT "</text>\n</g>\n");
}

static void row(struct tp_textbuf *b, const json_t *r, size_t i, double scale, const json_t *names,
                const json_t *missing_core, const json_t *fragile) {
  char a[32], c[32], d[32], e[32], f1[32], f2[32], f3[32];
  const char *code = json_string_value(json_object_get(r, "rol"));
  const char *name = json_string_value(json_object_get(names, code ? code : ""));
  if (!name) name = code ? code : "?";
  const char *status = json_string_value(json_object_get(r, "status"));
  const struct status_style *st = style_of(status);
  int kern = in_list(missing_core, code);
  int kwetsbaar = in_list(fragile, code);
  double fte = num(r, "fte", NULL);
  const json_t *band = json_object_get(r, "verwacht");
  int has25, has50, has75;
  double p25 = num(band, "p25", &has25), med = num(band, "mediaan", &has50),
         p75 = num(band, "p75", &has75);
  int has_band = json_is_object(band) && has25 && has50 && has75;
  double y = CH_ROWS_Y0 + (double)i * CH_ROW_H;

  tp_textbuf_puts(b, "<g class=\"rij");
  if (kern) tp_textbuf_puts(b, " kernrol-ontbreekt");
  if (kwetsbaar) tp_textbuf_puts(b, " kwetsbaar");
  tp_textbuf_puts(b, "\">\n<title>");
  tp_svg_esc(b, name);
  tp_textbuf_printf(b, ": %s fte", tp_svg_nl(f1, fte));
  if (has_band)
    tp_textbuf_printf(b, "; verwacht %s–%s (mediaan %s)", tp_svg_nl(f2, p25), tp_svg_nl(f3, p75), tp_svg_nl(a, med));
  tp_textbuf_puts(b, "; ");
  tp_svg_esc(b, st->name);
  if (kwetsbaar) tp_textbuf_puts(b, "; " FRAGILE_TEXT);
  tp_textbuf_puts(b, "</title>\n");

  if (i % 2 == 0)
    tp_textbuf_printf(b, "<rect x=\"0\" y=\"%s\" width=\"%d\" height=\"%d\" fill=\"#f6f7f9\"/>\n",
                      tp_svg_px(a, y), CH_WIDTH, CH_ROW_H);
  tp_textbuf_printf(b, "<text x=\"%d\" y=\"%s\" font-size=\"11\"%s>", CH_LABEL_X, tp_svg_px(a, y + 17),
                    kern ? " font-weight=\"bold\" fill=\"#b2182b\"" : "");
  tp_svg_label(b, name, CH_LABEL_MAX);
  tp_textbuf_puts(b, "</text>\n");
  if (kern)
    tp_textbuf_printf(b, "<path d=\"M %s %s l 6 6 l -6 6 l -6 -6 z\" fill=\"#b2182b\"/>\n",
                      tp_svg_px(a, CH_PLOT_X0 - 12), tp_svg_px(c, y + 7));
  if (kwetsbaar) {
    fragile_sign(b, CH_PLOT_X0 - 34, y + 19);
    tp_textbuf_puts(b, "\n");
  }

  if (has_band) {
    double x25 = CH_PLOT_X0 + p25 * scale, w = (p75 - p25) * scale;
    /* A band of zero width is still a band: keep it visible. */
    if (w < 2.0) {
      x25 -= (2.0 - w) / 2.0;
      w = 2.0;
    }
    tp_textbuf_printf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%d\" fill=\"#d9dee4\"/>\n",
                      tp_svg_px(a, x25), tp_svg_px(c, y + 4), tp_svg_px(d, w), CH_ROW_H - 8);
    double xm = CH_PLOT_X0 + med * scale;
    tp_textbuf_printf(b,
                      "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#1a1a1a\" "
                      "stroke-width=\"2\"/>\n",
                      tp_svg_px(a, xm), tp_svg_px(c, y + 2), tp_svg_px(d, xm), tp_svg_px(e, y + CH_ROW_H - 2));
  }
  if (fte > 0.0)
    tp_textbuf_printf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"8\" fill=\"%s\"/>\n",
                      tp_svg_px(a, CH_PLOT_X0), tp_svg_px(c, y + 9), tp_svg_px(d, fte * scale), st->colour);
  double end = fte > (has_band ? p75 : 0.0) ? fte : (has_band ? p75 : 0.0);
  /* After the bar and band; a text that would run past the chart's edge
   * ends at the edge instead, over a white outline so that it stays
   * readable where it crosses them. */
  char value[96];
  snprintf(value, sizeof(value), "%s fte · %s%s", tp_svg_nl(f1, fte), st->name,
           kwetsbaar ? " · kwetsbaar" : "");
  double x = CH_PLOT_X0 + end * scale + 6;
  int at_edge = x + CH_CHAR_W * (double)tp_svg_chars(value) > CH_WIDTH - 4;
  tp_textbuf_printf(b, "<text x=\"%s\" y=\"%s\" font-size=\"11\" fill=\"%s\"%s>",
                    tp_svg_px(a, at_edge ? CH_WIDTH - 4 : x), tp_svg_px(c, y + 17), st->colour,
                    at_edge ? " text-anchor=\"end\" stroke=\"#ffffff\" stroke-width=\"3\""
                              " paint-order=\"stroke\""
                            : "");
  tp_svg_esc(b, value);
  tp_textbuf_puts(b, "</text>\n</g>\n");
}

static void axis(struct tp_textbuf *b, double y, double axis_max, double step, double scale) {
  char a[32], c[32], d[32], f[32];
  tp_textbuf_puts(b, "<g class=\"as\" font-size=\"11\" fill=\"#333333\">\n");
  tp_textbuf_printf(b, "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"#333333\"/>\n",
                    tp_svg_px(a, CH_PLOT_X0), tp_svg_px(c, y), tp_svg_px(d, CH_PLOT_X1), tp_svg_px(f, y));
  int ticks = (int)lround(axis_max / step);
  for (int k = 0; k <= ticks; k++) {
    double v = step * k, x = CH_PLOT_X0 + v * scale;
    tp_textbuf_printf(b,
                      "<line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%s\" stroke=\"#cccccc\" "
                      "stroke-dasharray=\"2,3\"/>\n",
                      tp_svg_px(a, x), CH_ROWS_Y0, tp_svg_px(c, x), tp_svg_px(d, y));
    char label[32];
    tp_textbuf_printf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%s</text>\n",
                      tp_svg_px(a, x), tp_svg_px(c, y + 15), tp_svg_tick_label(label, v, step));
  }
  tp_textbuf_printf(b, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">fte</text>\n",
                    tp_svg_px(a, (CH_PLOT_X0 + CH_PLOT_X1) / 2), tp_svg_px(c, y + 32));
  tp_textbuf_puts(b, "</g>\n");
}

/* `what` and the names of the roles in `codes`, for the description;
 * nothing when there are none. */
static void names_of(struct tp_textbuf *b, const char *what, const json_t *codes,
                     const json_t *rollen_namen) {
  if (json_array_size(codes) == 0) return;
  tp_textbuf_puts(b, what);
  size_t i;
  const json_t *m;
  json_array_foreach(codes, i, m) {
    const char *code = json_string_value(m);
    const char *name = json_string_value(json_object_get(rollen_namen, code ? code : ""));
    tp_textbuf_puts(b, i ? ", " : " ");
    tp_svg_esc(b, name ? name : code);
  }
  tp_textbuf_puts(b, ".");
}

char *tp_chart_svg(const json_t *analysis, const json_t *rollen_namen, const char *titel) {
  if (!json_is_object(analysis)) return NULL;
  struct tp_textbuf b;
  tp_textbuf_init(&b, CH_TEXT_LIMIT);
  char f1[32], f2[32], f3[32];
  const json_t *rollen = json_object_get(analysis, "rollen");
  const json_t *sum = json_object_get(analysis, "samenvatting");
  const json_t *missing = json_object_get(sum, "ontbrekendeKernrollen");
  const json_t *fragile = json_object_get(sum, "kwetsbareRollen");
  size_t nrows = json_array_size(rollen), i;
  const json_t *r;

  double max = 0.0;
  json_array_foreach(rollen, i, r) {
    const json_t *band = json_object_get(r, "verwacht");
    double vals[2] = {num(r, "fte", NULL), num(band, "p75", NULL)};
    for (int k = 0; k < 2; k++)
      if (isfinite(vals[k]) && vals[k] > max) max = vals[k];
  }
  double step;
  double axis_max = tp_svg_axis(max, CH_MAX_TICKS, &step);
  double scale = (CH_PLOT_X1 - CH_PLOT_X0) / axis_max;
  int height = CH_ROWS_Y0 + (int)nrows * CH_ROW_H + 50;

  tp_svg_start(&b, CH_WIDTH, height);
  tp_textbuf_puts(&b, "<title id=\"titel\">Gap-analyse online team");
  if (titel) {
    tp_textbuf_puts(&b, ": ");
    tp_svg_esc(&b, titel);
  }
  tp_textbuf_puts(
      &b,
      "</title>\n<desc id=\"beschrijving\">Per rol de fte van het team (gekleurde balk, "
      "kleur naar status) naast de bandbreedte p25–p75 die de referentiegemeenten bij dit "
      "inwonertal laten zien (grijs vlak) met hun mediaan (streep).");
  int has_tot, has_exp;
  double tot = num(sum, "totaalFte", &has_tot), exp_fte = num(sum, "verwachtFte", &has_exp);
  if (has_tot) tp_textbuf_printf(&b, " Totaal %s fte", tp_svg_nl(f1, tot));
  if (has_tot && has_exp) tp_textbuf_printf(&b, ", verwacht %s fte", tp_svg_nl(f2, exp_fte));
  if (has_tot) tp_textbuf_puts(&b, ".");
  names_of(&b, " Ontbrekende kernrollen:", missing, rollen_namen);
  names_of(&b, " Kwetsbare rollen:", fragile, rollen_namen);
  tp_textbuf_puts(
      &b, "</desc>\n<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");

  tp_textbuf_puts(&b, "<text x=\"12\" y=\"26\" font-size=\"16\" font-weight=\"bold\">");
  tp_svg_esc(&b, titel ? titel : "Gap-analyse online team");
  tp_textbuf_puts(&b, "</text>\n<text x=\"12\" y=\"46\" fill=\"#333333\">");
  if (has_tot) tp_textbuf_printf(&b, "Team %s fte", tp_svg_nl(f1, tot));
  if (has_tot && has_exp) {
    int has_cap;
    double cap = num(sum, "capaciteit", &has_cap);
    tp_textbuf_printf(&b, " · verwacht %s fte", tp_svg_nl(f2, exp_fte));
    if (has_cap) tp_textbuf_printf(&b, " · capaciteit %s", tp_svg_nl(f3, cap));
  }
  int has_dek;
  double dek = num(sum, "dekking", &has_dek);
  if (has_dek) tp_textbuf_printf(&b, " · dekking %s", tp_svg_nl(f1, dek));
  const json_t *fit = json_object_get(analysis, "fit");
  const char *methode = json_string_value(json_object_get(fit, "methode"));
  if (methode) {
    tp_textbuf_puts(&b, " · schaalwet ");
    tp_svg_esc(&b, methode);
  }
  tp_textbuf_puts(&b, "</text>\n");
  legend(&b);

  json_array_foreach(rollen, i, r) row(&b, r, i, scale, rollen_namen, missing, fragile);
  axis(&b, CH_ROWS_Y0 + (double)nrows * CH_ROW_H + 4, axis_max, step, scale);
  tp_textbuf_puts(&b, "</svg>\n");

  return tp_textbuf_finish(&b, NULL);
}
