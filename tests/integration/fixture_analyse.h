#ifndef TEAMPLOTTER_FIXTURE_ANALYSE_H
#define TEAMPLOTTER_FIXTURE_ANALYSE_H

/* The fixture of the gap-analysis and benchmark tests (fixture_analyse.c):
 * one server for the whole test case, the clients of this run, and the
 * requests and team profiles they make. */

#include "harness.h"

extern struct it_server srv;
extern const char *const SERVER_ENV[];

/* it-an-<pid>-: the prefix of every client id of this run. */
extern char prefix[48];
/* This directory (the chart script; docs/ two levels up), with a '/'. */
extern char here[1024];
/* A scratch directory for SVG and PNG files, removed at teardown. */
extern char scratch[256];

enum { W, R, E, B, N, A, M, P, S, NCLIENTS };
extern struct it_client clients[NCLIENTS];

/* A stored profile: its uuid and path. */
struct profile {
  char uuid[40];
  char path[96];
};

/* The unchecked fixture of a test case (it_case). */
void setup(void);
void teardown(void);

/* Half away from zero, to 4 decimals, as the service rounds. */
double round4(double x);

/* One request as `c` (NULL: no token); see it_call. */
void call(const char *method, const char *path, const struct it_client *c, const char *const *extra,
          const char *body, struct it_response *r);

/* The status of one request (a problem's shape checked), response freed. */
long status_of(const char *method, const char *path, const struct it_client *c,
               const char *const *extra, const char *body);

/* GET as `c`, asserting 200 with a JSON body. */
void get_ok(const char *path, const struct it_client *c, const char *const *extra,
            struct it_response *r);

/* POST /api/v1/gap-analyses (anonymous) with `body`. */
void post_analysis(const json_t *body, const char *const *extra, struct it_response *r);

/* POST /api/v1/gap-analyses, asserting 200 with JSON. */
void analyse_ok(const json_t *body, struct it_response *r);

/* POSTs the team profile `body` as `c` (create: as W) and fills `p`. */
void create_as(const struct it_client *c, const json_t *body, struct profile *p);
void create(const json_t *body, struct profile *p);

/* A member with one role taking all of its fte. */
json_t *member1(const char *label, double fte, const char *rol);

/* A team profile body. Steals `leden`. */
json_t *team(const char *gemeente, const char *peildatum, json_t *leden);

/* A realistic small team with an essential competency gap. */
json_t *small_team(const char *gemeente, const char *peildatum, const char *label);

/* The public document of the reference profile of `gemeente`. */
json_t *reference_profile(const char *gemeente);

/* The inhabitants of `gemeente` by the API. */
long inwoners_of(const char *gemeente);

/* The catalogue roles: [{code, naam, kernrol}] in catalogue order. */
json_t *catalogue_roles(void);

/* GET {profile}/gap-analyse as `c` and POST the same team anonymously: the
 * two bodies are byte-identical, and so are their ETags. */
void assert_stored_equals_anonymous(const char *profile_path, const struct it_client *c,
                                    const json_t *body);

/* GETs the chart of `profile_path` as `c` into `file`; asserts the media
 * type and that xmllint accepts it. The response is the caller's. */
void get_chart(const char *profile_path, const struct it_client *c, const char *file,
               struct it_response *r);

/* All rows of GET /api/v1/benchmarks (JSON), walking the pages; with
 * `query` ("&name=value...") appended to the first page's. */
json_t *walk_benchmark_pages(long page_size);
json_t *walk_benchmark_pages_of(long page_size, const char *query);

/* The CSV of GET /api/v1/benchmarks as a new string; with `query`
 * ("?name=value...") appended to the path. */
char *benchmark_csv(void);
char *benchmark_csv_of(const char *query);

/* JSON rows (and the CSV, when `csv_out`) taken while nobody changed a
 * profile. */
json_t *stable_snapshot(long page_size, char **csv_out);

/* The row of `gemeente` in `rows`, or NULL. */
const json_t *row_of(const json_t *rows, const char *gemeente);

#endif
