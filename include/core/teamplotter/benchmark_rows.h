#ifndef TEAMPLOTTER_BENCHMARK_ROWS_H
#define TEAMPLOTTER_BENCHMARK_ROWS_H

#include <stddef.h>

#include <jansson.h>

#include "teamplotter/gap.h"

/* The benchmark rows of many municipalities at once (GET /api/v1/benchmarks
 * and a municipality's own row): each newest profile's figures, ranked
 * among all, written as JSON text and as CSV. Pure computation. */

/* One municipality's newest profile as the rows read it. */
struct tp_bm_teamprofiel {
  char *text; /* one block: the four strings below */
  const char *gemeente, *naam, *teamprofiel, *peildatum; /* NULL when absent */
  long long inwoners;
  double totaal;       /* the sum of its members' fte, in member order */
  const char **rollen;  /* the roles it fields, interned in the set (codes) */
  double *fte;         /* per role, until analysed; then NULL */
  size_t nrollen;
  double dekking;      /* of its gap analysis; NAN: null */
  double capaciteit;   /* of its gap analysis; NAN: null */
  char *kernrollen;    /* the core roles its analysis misses, each followed by a
                          space (tp_gap_figures); NULL: none */
};

/* The profiles, in the order read. */
struct tp_bm_teamprofielen {
  struct tp_bm_teamprofiel *v;
  size_t n, cap;
  /* Every role code met, once, sorted: the profiles point into it. */
  char **codes;
  size_t ncodes, codes_cap;
};

void tp_bm_teamprofielen_free(struct tp_bm_teamprofielen *ps);

/* A new profile at the end with its four strings copied (each may be
 * NULL), the rest zero; NULL when out of memory. */
struct tp_bm_teamprofiel *tp_bm_teamprofielen_add(struct tp_bm_teamprofielen *ps, const char *gemeente,
                                         const char *naam, const char *teamprofiel,
                                         const char *peildatum);

/* The set's copy of role code `code`; NULL when out of memory. */
const char *tp_bm_teamprofielen_intern(struct tp_bm_teamprofielen *ps, const char *code);

/* Each profile's gap figures (dekking, capaciteit) against `gap`; then its
 * roles sorted by code, as a benchmark compares them. 0, or -1 when out of
 * memory. */
int tp_bm_teamprofielen_analyse(struct tp_bm_teamprofielen *ps, const struct tp_gap_model *gap);

/* --- the rows of all, kept --------------------------------------------------- */

/* The rows of all profiles as JSON texts, their index by municipality and
 * the CSV of all. Text rather than jansson trees, which take about ten
 * times the memory. Read-only once built, shared by reference count. */
struct tp_bm_rows;

/* The rows of analysed profiles `ps` against `inputs` (the snapshot's
 * {"catalogusVersie", "referenties", ...}); NULL when out of memory or a
 * string is not UTF-8. One reference. */
struct tp_bm_rows *tp_bm_rows_build(const struct tp_bm_teamprofielen *ps, const json_t *inputs);
struct tp_bm_rows *tp_bm_rows_hold(struct tp_bm_rows *r);
void tp_bm_rows_drop(struct tp_bm_rows *r);

size_t tp_bm_rows_count(const struct tp_bm_rows *r);

/* Row i as JSON text (`*len` bytes, not NUL-terminated). */
const char *tp_bm_rows_text(const struct tp_bm_rows *r, size_t i, size_t *len);

/* The municipality of row i (NULL: the row names none). */
const char *tp_bm_rows_gemeente(const struct tp_bm_rows *r, size_t i);

/* The row of `gemeente`, or -1 when it has none. */
long tp_bm_rows_find(const struct tp_bm_rows *r, const char *gemeente);

/* Rows from..from+count-1 (those that exist) as a JSON array text
 * (malloc()ed, `*len` bytes); NULL when out of memory. */
char *tp_bm_rows_page(const struct tp_bm_rows *r, long from, long count, size_t *len);

/* The CSV of all rows with its header line. */
const char *tp_bm_rows_csv(const struct tp_bm_rows *r, size_t *len);

/* That CSV's header line, and row i's line, each with its CRLF (`*len`
 * bytes, not NUL-terminated): together the CSV of all. */
const char *tp_bm_rows_csv_header(const struct tp_bm_rows *r, size_t *len);
const char *tp_bm_rows_csv_line(const struct tp_bm_rows *r, size_t i, size_t *len);

/* The core roles row i's analysis misses, each followed by a space, in
 * catalogue order; "" when none. */
const char *tp_bm_rows_kernrollen(const struct tp_bm_rows *r, size_t i);

/* The columns of that CSV, ending in NULL. */
extern const char *const TP_BM_CSV_COLUMNS[];

/* Whether peer `gemeente` is left out of another municipality's row. */
typedef int (*tp_bm_excluded_fn)(void *arg, const char *gemeente);

/* The row of `gemeente` among `ps` (analysed) alone, the peers for which
 * `excluded` (when not NULL) says so left out, as a document: a new
 * reference in *row, NULL when it has no profile. 0, or -1 when out of
 * memory or a string is not UTF-8. */
int tp_bm_row_of(const struct tp_bm_teamprofielen *ps, const json_t *inputs, const char *gemeente,
                 tp_bm_excluded_fn excluded, void *arg, json_t **row);

#endif
