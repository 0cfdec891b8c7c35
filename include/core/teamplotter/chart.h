#ifndef TEAMPLOTTER_CHART_H
#define TEAMPLOTTER_CHART_H

#include <jansson.h>

/* The chart of a gap analysis (docs/methode.md, "De grafiek"): a
 * standalone SVG 1.1 document, 800 px wide. One row per role of
 * `analysis.rollen` (in that order): the team's fte as a bar coloured by status, the reference band p25-p75 as a
 * shaded range with a tick at the median, missing core roles
 * (`samenvatting.ontbrekendeKernrollen`) and fragile roles
 * (`samenvatting.kwetsbareRollen`, method 1.1) marked with a sign, in the
 * row's text and in the description; a heading with `titel`
 * (e.g. "Zeewolde (GM0050), peildatum 2019-01-01"; NULL for none), a
 * <title> and <desc>, an axis and a legend. All text is XML-escaped and made
 * valid UTF-8, so any label or title is safe to pass.
 *
 * `analysis`: a document as returned by tp_gap_analyse (borrowed).
 * `rollen_namen`: object mapping role code to display name, or NULL to show
 *   the codes (borrowed).
 * Returns a new NUL-terminated string the caller free()s; NULL when out of
 * memory or when `analysis` is not an object. Pure and thread-safe. */
char *tp_chart_svg(const json_t *analysis, const json_t *rollen_namen, const char *titel);

#endif
