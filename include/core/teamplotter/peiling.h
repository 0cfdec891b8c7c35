#ifndef TEAMPLOTTER_PEILING_H
#define TEAMPLOTTER_PEILING_H

#include <jansson.h>

/* Benchmark rounds (peilingen): what a new round's body must be, and the
 * summary of a round per size class. Pure computation. */

/* The longest toelichting of a round, in characters. */
#define TP_PEILING_TOELICHTING_MAX 1000

/* Whether `naam` is a round's name: 1 to 40 of [A-Za-z0-9._-]. */
int tp_peiling_naam_ok(const char *naam);
/* What a problem says of a name that is not. */
#define TP_PEILING_NAAM_UITLEG "Verwacht 1 tot en met 40 tekens uit A-Z, a-z, 0-9, '.', '_' en '-'."

/* The fields of a new round's body, borrowed from it. */
struct tp_peiling_nieuw {
  const char *naam, *peildatum, *toelichting; /* toelichting may be NULL */
};

/* Validates the body of POST /api/v1/peilingen, {naam, peildatum,
 * toelichting?}, against `today` (YYYY-MM-DD, UTC; "" for no bound):
 * every violation appended to `invalid` as {name, code, reason}, the
 * fields into *out when there are none. */
void tp_peiling_validate(const json_t *body, const char *today, json_t *invalid,
                         struct tp_peiling_nieuw *out);

/* The summary of a round from its rows (benchmark row documents, as
 * GET /api/v1/benchmarks gives them): {"grootteklassen": [one per size
 * class 1..8: {grootteklasse, aantalGemeenten, onderdrukt, reden,
 * ftePer10000Kwartielen: {p25, mediaan, p75}, dekkingOnderdrukt,
 * dekkingReden, dekkingKwartielen: {p25, mediaan, p75}}]}. The quartiles
 * are over every municipality of the class with that figure, published as
 * the benchmark publishes them (tp_benchmark_kwartielen); with fewer than
 * 5 that are not reference municipalities (those in a row's
 * `referenties`) both are null, and the coverage's with fewer than 5 such
 * that have a known coverage, each with its reason (docs/methode.md,
 * "Peilingen"). New reference; NULL when out of memory. */
json_t *tp_peiling_samenvatting(const json_t *rijen);

/* tp_peiling_samenvatting of the rows of all (benchmark_rows.h). */
struct tp_bm_rows;
json_t *tp_peiling_samenvatting_van(const struct tp_bm_rows *rows);

/* The comparison of two rounds, municipality by municipality. `van` and
 * `naar` are the rows of the earlier (the one compared with, named
 * `van_naam`) and of this round (`naar_naam`), each [{gemeente, naam,
 * grootteklasse, ftePer10000, dekking, ontbrekendeKernrollen: [codes]}]
 * sorted by gemeente. Returns, sorted by gemeente, one document per
 * municipality in either: {peilingVan, peilingNaar, gemeente, naam,
 * aanwezig: "beide" | "alleen-van" | "alleen-naar", grootteklasseVan,
 * grootteklasseNaar, grootteklasseGewijzigd, ftePer10000Van,
 * ftePer10000Naar, ftePer10000Verschil, dekkingVan, dekkingNaar,
 * dekkingVerschil, ontbrekendeKernrollenVan, ontbrekendeKernrollenNaar};
 * a figure of a round the municipality is not in is null, and so is a
 * difference of which a side is null (else naar - van, to 4 decimals).
 * New reference; NULL when out of memory. */
json_t *tp_peiling_vergelijk(const char *van_naam, const json_t *van, const char *naar_naam,
                             const json_t *naar);

/* Those documents as CSV with a header line (the columns above, the core
 * roles separated by spaces): malloc()ed text of `*len` bytes, NULL when
 * out of memory. */
char *tp_peiling_vergelijking_csv(const json_t *vergelijking, size_t *len);

#endif
