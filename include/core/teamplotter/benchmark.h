#ifndef TEAMPLOTTER_BENCHMARK_H
#define TEAMPLOTTER_BENCHMARK_H

#include <jansson.h>

/* The benchmark (docs/methode.md, "De benchmark"): a municipality with a team profile beside the
 * reference municipalities and among its peers of the same CBS size class.
 * Pure computation, thread-safe, deterministic; docs/methode.md explains it
 * and its choices. */

/* The CBS size class of a municipality: 1 below 5 000 inhabitants,
 * 2 5 000-9 999, 3 10 000-19 999, 4 20 000-49 999, 5 50 000-99 999,
 * 6 100 000-149 999, 7 150 000-249 999, 8 from 250 000. Each lower bound
 * belongs to its class. 0 for a negative count. */
int tp_grootteklasse(long inwoners);

/* `subject`: {"gemeente", "naam"?, "inwoners", "dekking": number or null
 *   (from its gap analysis), "leden": [...]} (member shape of a team profile).
 * `referenties`: the reference profiles as for tp_gap_analyse.
 * `peers`: [{"gemeente", "inwoners", "totaalFte", "dekking": number or null}]
 *   for the municipalities with a profile in the subject's size class; the
 *   subject itself may be among them. Entries of another size class are
 *   ignored and the subject always counts once, with its own figures: its
 *   entries among the peers (by code) are left out, and the others are the
 *   peers that remain.
 *
 * Return value: New reference,
 *   {gemeente, naam (null when absent), inwoners, grootteklasse, totaalFte,
 *    ftePer10000, dekking,
 *    referenties: [{gemeente, inwoners, totaalFte, ftePer10000, dekking,
 *                   rolOverlap, afstand}] sorted by code, the subject left out,
 *    dichtstbijzijnd: [up to 3 codes, nearest by afstand, ties by code],
 *    positie: {groepsgrootte, ftePer10000Percentiel, dekkingPercentiel,
 *              onderdrukt, reden, ftePer10000Kwartielen, ftePer10000Band,
 *              dekkingKwartielen, dekkingBand, weergave: "exact"}}.
 *   A reference's `dekking` is the coverage formula of the gap analysis
 *   applied to its own team against the whole reference set (itself
 *   included); `rolOverlap` is the Jaccard index of the sets of roles with
 *   fte > 0, null when both sets are empty; `afstand` is |ln N - ln N_i|.
 *   groepsgrootte counts the subject and the others. A percentile is
 *   100 * (group members with a strictly lower value) / (group size - 1),
 *   Excel's PERCENTRANK.INC for a value in the group. The quartiles
 *   {p25, mediaan, p75} are PERCENTILE.INC over the others alone, so that
 *   they do not move with the subject's own value, rounded to 4 decimals
 *   and then half away from zero to a grid (ftePer10000 to a multiple of
 *   0.1, dekking of 0.05), so that none shows another's value more finely;
 *   a band is tp_benchmark_band of the subject's value against exactly
 *   those published quartiles. Everything of the class is null, with
 *   onderdrukt true, when fewer than 5 others are not reference
 *   municipalities (a peer whose code is that of one of `referenties`:
 *   its figures are public); the coverage's percentile, quartiles and
 *   band also when fewer than 5 such others have a known coverage (or the
 *   subject has none: its percentile and band). A reference
 *   municipality's figures still take part in the quartiles and ranks.
 *   Other reals rounded to 4 decimals. NULL only when out of memory. The
 *   arguments are borrowed. */
json_t *tp_benchmark(const json_t *subject, const json_t *referenties, const json_t *peers);

/* The band of value `x` against quartiles q = {p25, median, p75}, each
 * compared as shown (rounded to 4 decimals): "onder-p25" below p25,
 * "p25-mediaan" from p25 up to and including the median, "mediaan-p75"
 * above the median up to and including p75, "boven-p75" above p75. NULL
 * when a value is not finite. */
const char *tp_benchmark_band(double x, const double q[3]);

/* p25, median and p75 of the `n` values `sorted` (ascending) as a
 * benchmark publishes quartiles: PERCENTILE.INC, shown to 4 decimals, then
 * on the grid of fte per 10 000 (0.1), or of the coverage (0.05) when
 * `dekking`. NAN each when n is 0. */
void tp_benchmark_kwartielen(const double *sorted, size_t n, int dekking, double q[3]);

/* Turns benchmark document `doc` (of tp_benchmark or a row of the
 * benchmarks) into the view of a client that may see its own figures but
 * not the others': in `positie` the group size and both percentiles
 * become null and `weergave` "band"; the quartiles of the others and the
 * bands stay. 0, or -1 when `doc` has no positie or memory ran out. */
int tp_benchmark_banded(json_t *doc);

/* `peers` (as for tp_benchmark) sorted by their figures once, for the
 * benchmarks of many subjects: a subject's percentiles are then two binary
 * searches instead of a pass over its whole size class. `referenties`
 * (as for tp_benchmark) tells which peers are reference municipalities.
 * Borrows the strings of `peers`, which must outlive it. NULL when out of
 * memory. */
struct tp_peer_ranks;
struct tp_peer_ranks *tp_peer_ranks_new(const json_t *peers, const json_t *referenties);
void tp_peer_ranks_free(struct tp_peer_ranks *r);

/* One peer as tp_peer_ranks_of reads it: a member of `peers` above. */
struct tp_bm_peer {
  const char *gemeente; /* NULL when absent */
  double inwoners;      /* peers without a positive number are left out */
  double totaal;        /* totaalFte */
  int has_dekking;
  double dekking;
};

/* The reference side of the benchmark, the same for every subject: the
 * references sorted, their role sets, coverage and figures, and which
 * municipalities they are. Borrows from `referenties`, which must outlive
 * it. NULL when out of memory. */
struct tp_bm_refs;
struct tp_bm_refs *tp_bm_refs_new(const json_t *referenties);
void tp_bm_refs_free(struct tp_bm_refs *r);

/* tp_peer_ranks_new of peers already read into an array (borrowed
 * strings), the reference municipalities those of `refs`. */
struct tp_peer_ranks *tp_peer_ranks_of(const struct tp_bm_peer *peers, size_t n,
                                       const struct tp_bm_refs *refs);

/* tp_benchmark(subject, referenties, peers) with the ranks of `peers` (of
 * the same `referenties`): the same document. */
json_t *tp_benchmark_ranked(const json_t *subject, const json_t *referenties,
                            const struct tp_peer_ranks *ranks);

/* --- many subjects against one reference set, written as text ----------- */

/* What a benchmark reads of its subject (`subject` of tp_benchmark). */
struct tp_bm_subject {
  const char *gemeente;    /* NULL when absent */
  const char *naam;        /* NULL when absent */
  const json_t *inwoners;  /* as given; NULL when absent */
  double totaal;           /* the sum of its members' fte, in member order */
  int has_dekking;         /* dekking is a number */
  double dekking;
  const char *const *rollen; /* the roles it fields (a share > 0), by code, each once */
  size_t nrollen;
};

/* The figures of one benchmark as its document shows them (NAN where it
 * has null), for other renderings of the same row (CSV). */
struct tp_bm_figures {
  int grootteklasse; /* 0: null */
  double totaal, fte10k, dekking;
  const char *nearest[3]; /* borrowed from the references */
  size_t nnearest;
  size_t groepsgrootte; /* the subject and the others */
  double fte_percentiel, dekking_percentiel;
  double fte_q[3], dekking_q[3];       /* quartiles of the others; NAN: null */
  const char *fte_band, *dekking_band; /* NULL: null */
  int onderdrukt;
};

/* Appends the benchmark document of `s` to `b` as JSON text, byte for byte
 * as tp_json_render writes tp_benchmark_ranked's document, but without the
 * closing '}', so that the caller can add members. Fills *fig when it is
 * not NULL. -1 when a string is not UTF-8 or memory ran out (b is then
 * incomplete); out of memory may also show in b->failed. */
struct tp_textbuf;
int tp_bm_write(struct tp_textbuf *b, const struct tp_bm_subject *s, const struct tp_bm_refs *refs,
                const struct tp_peer_ranks *ranks, struct tp_bm_figures *fig);

#endif
