#ifndef TEAMPLOTTER_FIXTURE_PEILINGEN_H
#define TEAMPLOTTER_FIXTURE_PEILINGEN_H

/* The fixture of the benchmark-round tests (fixture_peilingen.c): one
 * server for the whole test case, the clients of this run, and the
 * requests, profiles and rounds they make. Teardown removes all of them. */

#include <jansson.h>

#include "harness.h"

extern struct it_server srv;

/* P makes and reads rounds (peilingen.beheren, benchmarks.lezen); B only
 * reads them (benchmarks.lezen); O may make them but not read them
 * (peilingen.beheren); W writes profiles of class 3 (GM0003, GM0072,
 * GM0175, GM0180, GM0221). */
enum { P, B, O, W, NCLIENTS };
extern struct it_client clients[NCLIENTS];

/* Today in UTC, YYYY-MM-DD. */
extern char today[16];

/* it-<pid>-<suffix> into `out`: a round name of this run. */
void round_name(const char *suffix, char out[48]);

void setup(void);
void teardown(void);

/* One request as `c` (NULL: no token); see it_call. */
void call(const char *method, const char *path, const struct it_client *c,
          const char *const *extra, const char *body, struct it_response *r);

/* The status of one request (a problem's shape checked), response freed. */
long status_of(const char *method, const char *path, const struct it_client *c,
               const char *const *extra, const char *body);

/* POST /api/v1/peilingen as `c` with {naam, peildatum, toelichting?}. */
void post_round(const struct it_client *c, const char *naam, const char *peildatum,
                const char *toelichting, struct it_response *r);

/* Makes round `naam` as of `peildatum` as P, asserting 201; its document
 * (new reference). */
json_t *make_round(const char *naam, const char *peildatum);

/* GET as `c`, asserting 200; the body as a new string. With `csv`,
 * Accept: text/csv. */
char *get_text(const char *path, const struct it_client *c, int csv);

/* The `results` of every page of `path` (a paged collection; `path` has
 * no query or ends in one) joined as JSON text: "[row,row,...]" exactly as
 * the pages wrote them, a new string. */
char *all_results(const char *path, const struct it_client *c);

/* A profile of `gemeente` as of `peildatum` with one member of `fte` fte
 * as webredacteur, written by W; its path into `path`. */
void make_profile(const char *gemeente, const char *peildatum, double fte, char path[96]);

#endif
