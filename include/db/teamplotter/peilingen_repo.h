#ifndef TEAMPLOTTER_PEILINGEN_REPO_H
#define TEAMPLOTTER_PEILINGEN_REPO_H

#include <stddef.h>

#include <jansson.h>

#include "teamplotter/benchmark_rows.h"
#include "teamplotter/peiling.h"
#include "teamplotter/repo.h"
#include "teamplotter/textbuf.h"

/* Benchmark rounds (peilingen): a round and its rows stored once, read as
 * stored, never recomputed. */

struct tp_pool;
struct tp_snapshot;
struct tp_snapshots;

/* Makes round `p` for `client_id`: the rows of all as of its peildatum
 * (tp_repo_benchmark_rows with `snap`, waiting at most `wait_ms` for them:
 * TP_ERR_BUSY after that) and their summary, stored with the round's
 * metadata, every row's JSON text and CSV line as they are, in one
 * transaction; the round's document into *doc (new reference).
 * TP_ERR_CONFLICT when a round of that name exists (nothing stored). */
tp_rc tp_repo_peiling_maak(struct tp_pool *pool, struct tp_snapshots *store,
                           struct tp_snapshot *snap, const struct tp_peiling_nieuw *p,
                           const char *client_id, long wait_ms, json_t **doc);

/* A page of rounds, newest first: a tp_page_fn (no filter). */
tp_rc tp_repo_peilingen_page(struct tp_db *db, const void *filter, long limit, long offset,
                             json_t **page);

/* A round's document by name: a tp_item_fn (TP_ERR_NOT_FOUND when absent). */
tp_rc tp_repo_peiling(struct tp_db *db, const char *naam, json_t **doc);

/* The analysis inputs round `naam` was computed with, as the snapshot held
 * them ({catalogusVersie, referentieVersie, rollen, referenties}):
 * TP_ERR_NOT_FOUND when there is no such round. */
tp_rc tp_repo_peiling_model(struct tp_db *db, const char *naam, json_t **model);

/* Rows offset..offset+limit-1 of round `naam` as stored, as a JSON array
 * text (*text, malloc()ed, `*len` bytes) and the number of rows in *count.
 * TP_ERR_NOT_FOUND when there is no such round. */
tp_rc tp_repo_peiling_resultaten(struct tp_db *db, const char *naam, long limit, long offset,
                                 long *count, char **text, size_t *len);

/* The CSV of a round is read in parts, so that a round of any size is
 * sent without being held whole: first its head, then its rows' lines a
 * part at a time, by position. */
struct tp_peiling_csv {
  char naam[48];
  /* When it was made: with the name, what tells this round from one made
   * later under the same name (and what its ETag is made of). */
  char aangemaakt[48];
  long aantal; /* its rows */
  char *kop;   /* the header line with its CRLF (malloc()ed) */
};

/* The head of round `naam` into *out (free out->kop). TP_ERR_NOT_FOUND
 * when there is no such round. */
tp_rc tp_repo_peiling_csv_kop(struct tp_db *db, const char *naam, struct tp_peiling_csv *out);

/* Appends to `out` the lines of at most `limit` rows of round `p` after
 * row `after` (1 is the first), in order; *n gets how many and *last the
 * position of the last. None when the round is gone or is another by now
 * (removed, made again). */
tp_rc tp_repo_peiling_csv_rijen(struct tp_db *db, const struct tp_peiling_csv *p, long after,
                                long limit, struct tp_textbuf *out, long *n, long *last);

/* What a comparison of round `naam` with round `met` reads, into *out
 * (new reference): {"naar": rows of `naam`, "van": rows of `met`, or null
 * when there is no such round, "met": its name}, each row {gemeente, naam,
 * grootteklasse, ftePer10000, dekking, ontbrekendeKernrollen} as stored,
 * sorted by gemeente (bytewise). `met` NULL: the round with the latest
 * peildatum before that of `naam` (of equal ones, the last made before
 * it); "met" null when there is none. TP_ERR_NOT_FOUND when there is no
 * round `naam`. */
tp_rc tp_repo_peiling_vergelijking(struct tp_db *db, const char *naam, const char *met,
                                   json_t **out);

/* Removes round `naam` and its rows, and records who did (client_id) with
 * the round's document, in one transaction. TP_ERR_NOT_FOUND when absent. */
tp_rc tp_repo_peiling_verwijder(struct tp_db *db, const char *naam, const char *client_id);

#endif
