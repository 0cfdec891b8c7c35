#ifndef TEAMPLOTTER_ONTWIKKELING_H
#define TEAMPLOTTER_ONTWIKKELING_H

#include <stddef.h>

#include <jansson.h>

#include "teamplotter/gap.h"

/* The development of one municipality's online team over time
 * (docs/methode.md, "De ontwikkeling"): every profile summarised by its
 * gap analysis, and what changed since the profile before it. Pure and
 * thread-safe; implemented in service/core/ontwikkeling.c (the document
 * and its CSV) and ontwikkeling_chart.c (the SVG chart). */

/* The most profiles one development shows: the newest, when there are more
 * (the document then says `afgekapt`). */
#define TP_ONTWIKKELING_MAX 500

/* One profile of a development and its team as the analysis reads it
 * (its `gemeente` and `inwoners` are not read: the municipality's are). */
struct tp_ontwikkeling_punt {
  const char *teamprofiel, *peildatum; /* uuid, YYYY-MM-DD */
  const char *herkomst;                /* NULL when absent */
  int referentie;
  struct tp_gap_team team;
};

/* `gemeente`: {"code", "naam", "inwoners"} (the snapshot's). `punten`:
 * the municipality's `npunten` team profiles, oldest first (peildatum,
 * then when stored). Each is analysed with model `m` and the
 * municipality's inhabitants, as its own gap analysis is. `versies`: an
 * object whose members ("catalogusVersie", "referentieVersie") follow
 * "methodeVersie", in their order. All borrowed.
 *
 * The document, as JSON text exactly as tp_json_render writes it (what
 * the JSON answer sends; CSV and SVG are made from it read back), written
 * without a jansson tree:
 *   {gemeente, naam, inwoners, kernrollen [codes, catalogue order],
 *    afgekapt, profielen [{teamprofiel, peildatum, referentie, herkomst,
 *      samenvatting {totaalFte, verwachtFte, capaciteit, dekking,
 *                    ontbrekendeKernrollen, kwetsbareRollen},
 *      verwachtTotaal {p25, mediaan, p75} or null,
 *      rollen [{rol, fte, status}] (every catalogue role),
 *      verschil null (the first) or {vorigTeamprofiel, vorigePeildatum,
 *        totaalFte, dekking (null when either is), rollen [{rol, fte}]
 *        (the roles whose fte changed), nieuweRollen, verdwenenRollen,
 *        statusWijzigingen [{rol, van, naar}]}}],
 *    methodeVersie ("1.1"), ...versies}.
 *   Differences are of the figures as shown (4 decimals), rounded to 4
 *   decimals. New string (free()), its length in *len; NULL when out of
 *   memory or a string is not UTF-8. */
char *tp_ontwikkeling_json(const struct tp_gap_model *m, const json_t *gemeente,
                           const struct tp_ontwikkeling_punt *punten, size_t npunten,
                           int afgekapt, const json_t *versies, size_t *len);

/* The document of tp_ontwikkeling_json, read back, as CSV (RFC 4180, a header row): one row
 * per profile and catalogue role,
 *   peildatum,teamprofiel,rol,kernrol,fte,status,verschilFte,vorigeStatus
 * (the last two empty for the first profile). New string (free()), its
 * length in *len; NULL when out of memory. */
char *tp_ontwikkeling_csv(const json_t *doc, size_t *len);

/* That document as a standalone SVG 1.1 chart, 800 px
 * wide: per profile a bar of its total fte beside the expected band
 * (p25-p75, median), under it the date and the core roles it fields. All
 * text XML-escaped. New string (free()); NULL when out of memory or when
 * `doc` is not an object. */
char *tp_ontwikkeling_svg(const json_t *doc);

#endif
