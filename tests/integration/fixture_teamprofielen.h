#ifndef TEAMPLOTTER_FIXTURE_TEAMPROFIELEN_H
#define TEAMPLOTTER_FIXTURE_TEAMPROFIELEN_H

/* The fixture of the team-profile tests (fixture_teamprofielen.c): one
 * server for a test case, the clients of this run, and the requests and
 * profiles they make. */

#include <pthread.h>
#include <stddef.h>

#include "harness.h"

/* The server's TEAMPLOTTER_MAX_BODY_BYTES (in SERVER_ENV). */
#define MAX_BODY 262144

extern struct it_server srv;
extern const char *const SERVER_ENV[];

/* it-tp-<pid>-: the prefix of every client id of this run. */
extern char prefix[48];

enum { W, O, R, B, N, L, L153, L164, X, V, S, NCLIENTS };
extern struct it_client clients[NCLIENTS];

/* A stored profile: its path, uuid and current ETag. */
struct profile {
  char uuid[40];
  char path[96];
  char etag[64];
};

/* The unchecked fixture of a test case (it_case). */
void setup(void);
void teardown(void);

/* From now on every COMMIT that stores, changes or deletes a profile last
 * written by client `c` takes `seconds` (a deferred constraint trigger);
 * no_slow_commits ends that. */
void slow_commits_for(const struct it_client *c, double seconds);
void no_slow_commits(void);

/* Rows that belong to this run's clients, as one comparable text:
 * profiles / members / member roles / member competencies / audit entries. */
char *own_counts(void);

/* Asserts own_counts() is still `before`. */
void assert_counts(const char *before, const char *what);

/* One request as `c` (NULL: no token); see it_call. call_s: `body` is a
 * string. */
void call(const char *method, const char *path, const struct it_client *c, const char *const *extra,
          const char *body, size_t body_len, struct it_response *r);
void call_s(const char *method, const char *path, const struct it_client *c,
            const char *const *extra, const char *body, struct it_response *r);

/* The status of one request, the response freed. */
long status_of(const char *method, const char *path, const struct it_client *c,
               const char *const *extra, const char *body);

/* POSTs `body` as `c`, asserts 201 and fills `p`. */
void create(const struct it_client *c, const char *body, struct profile *p);

/* The current ETag of `p` by GET as `c`. */
void refresh_etag(const struct it_client *c, struct profile *p);

/* "If-Match: ETAG" into `out`. */
void if_match(char *out, size_t len, const char *etag);

/* A valid body for `gemeente` as a new string; create_valid POSTs it. */
char *valid_body(const char *gemeente, const char *peildatum);
void create_valid(const struct it_client *c, const char *gemeente, const char *peildatum,
                  struct profile *p);

/* A body with `n` members of 1 fte each, as a new string. */
char *team_of(size_t n);

/* One of several writes sent at once: `method` `path` with the token in
 * `auth` and one more header (If-Match, Idempotency-Key). */
struct writer {
  pthread_barrier_t *start;
  const char *method;
  const char *path;
  const char *auth;
  const char *header;
  char *body;
  int rc;
  struct it_response r;
};

/* A thread: waits at `start`, then sends the write (rc and r). */
void *write_once(void *arg);

/* Bodies, written with ' for ". */
#define ROL(r, a) "{'rol':'" r "','aandeel':" a "}"
#define COMP(c, n) "{'code':'" c "','niveau':" n "}"
#define LID(label, fte, rollen, comps) \
  "{'label':'" label "','fte':" fte ",'rollen':[" rollen "],'competenties':[" comps "]}"
#define TEAM(g, d, leden) "{'gemeente':'" g "','peildatum':'" d "','leden':[" leden "]}"
#define LID_OK                                                                                 \
  LID("Webredactie 1", "0.8", ROL("webredacteur", "0.6") "," ROL("webcare-medewerker", "0.2"), \
      COMP("schrijven-voor-het-web", "3"))
#define LID_B LID("Regie", "1.0", ROL("regisseur-online-dienstverlening", "1.0"), "")
#define WITH_LID(lid) TEAM("GM0772", "2026-01-01", lid)

#endif
