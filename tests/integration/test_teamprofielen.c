/* Team profiles over real HTTP against the real binary and a real cluster:
 * bearer tokens (401), scopes and municipality binding (403), public
 * reference profiles, validation of the whole body at once, If-Match
 * (428/412) and ETags, 20 concurrent writers, a connection killed
 * mid-request, Idempotency-Key (replay, 409, syntax, expiry, purge, one
 * key at once), writes whose COMMIT outlives the deadline (504), round-
 * tripping awkward strings, the audit trail, 413/415, and the list with
 * its filters.
 *
 * Other test binaries may use the same database at the same time: every
 * client this binary makes is named it-tp-<pid>-..., only profiles made by
 * those clients are touched, row counts are taken over those clients only,
 * and teardown removes all of it. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jwt.h>

#include "harness.h"
#include "teamplotter/pool.h"
#include "teamplotter/repo.h"

static struct it_server srv;

static const char *const SERVER_ENV[] = {
    "TEAMPLOTTER_MAX_BODY_BYTES=262144",
    /* Enough for the 20 concurrent writers to be served at once. */
    "TEAMPLOTTER_THREADS=24",
    "TEAMPLOTTER_DB_POOL_SIZE=24",
    NULL,
};
#define MAX_BODY 262144

/* it-tp-<pid>-: the prefix of every client id of this run. */
static char prefix[48];

struct client {
  const char *suffix, *scopes, *gemeenten;
  char id[64];
  char secret[128];
  char *token; /* from `teamplotter token ID` */
};

enum { W, O, R, B, N, L, L153, L164, X, V, S, NCLIENTS };

static struct client clients[NCLIENTS] = {
    /* writes for GM0772 (Eindhoven), may read the audit trail */
    [W] = {"w", "teamprofielen.lezen,teamprofielen.schrijven,audittrail.lezen", "GM0772", "", "", NULL},
    /* the same for another municipality, GM0363 (Amsterdam) */
    [O] = {"o", "teamprofielen.lezen,teamprofielen.schrijven,audittrail.lezen", "GM0363", "", "", NULL},
    /* reads only */
    [R] = {"r", "teamprofielen.lezen", "GM0772", "", "", NULL},
    /* benchmarks only: no team-profile scope at all */
    [B] = {"b", "benchmarks.lezen", "GM0772", "", "", NULL},
    /* reads and writes, but may not read the audit trail */
    [N] = {"n", "teamprofielen.lezen,teamprofielen.schrijven", "GM0772", "", "", NULL},
    /* two municipalities of its own, for the list */
    [L] = {"l", "teamprofielen.lezen,teamprofielen.schrijven,audittrail.lezen", "GM0153,GM0164",
           "", "", NULL},
    /* one of L's municipalities each */
    [L153] = {"l153", "teamprofielen.lezen,audittrail.lezen", "GM0153", "", "", NULL},
    [L164] = {"l164", "teamprofielen.lezen,audittrail.lezen", "GM0164", "", "", NULL},
    /* revoked by a test */
    [X] = {"x", "teamprofielen.lezen,teamprofielen.schrijven", "GM0772", "", "", NULL},
    /* revoked by the test that compares the answers to bad tokens */
    [V] = {"v", "teamprofielen.lezen,teamprofielen.schrijven", "GM0772", "", "", NULL},
    /* its writes can be made to commit slowly (slow_commits_for) */
    [S] = {"s", "teamprofielen.lezen,teamprofielen.schrijven", "GM0772", "", "", NULL},
};

/* --- small helpers ------------------------------------------------------- */

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* SQL with printf arguments; the first value as a new string. */
static char *vsqlf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static char *vsqlf(const char *fmt, va_list ap) {
  char sql[2048];
  vsnprintf(sql, sizeof(sql), fmt, ap);
  char *v = it_sql_value(it_database_url(), sql);
  ck_assert_msg(v != NULL, "SQL failed: %s", sql);
  return v;
}

static char *sqlf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *sqlf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *v = vsqlf(fmt, ap);
  va_end(ap);
  return v;
}

static long sql_long(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long sql_long(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *v = vsqlf(fmt, ap);
  va_end(ap);
  long n = atol(v);
  free(v);
  return n;
}

/* Polls `sql` (a boolean query) until it is true, for at most `seconds`.
 * Returns whether it became true. */
static int sql_becomes_true(double seconds, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int sql_becomes_true(double seconds, const char *fmt, ...) {
  char sql[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof(sql), fmt, ap);
  va_end(ap);
  for (double waited = 0; waited <= seconds; waited += 0.1) {
    char *v = it_sql_value(it_database_url(), sql);
    int yes = v != NULL && strcmp(v, "t") == 0;
    free(v);
    if (yes) return 1;
    sleep_ms(100);
  }
  return 0;
}

/* From now on every COMMIT that stores, changes or deletes a profile last
 * written by client `c` takes `seconds`: a deferred constraint trigger
 * sleeps at commit time. Over the server's 3 s statement deadline, the
 * server gives up waiting while PostgreSQL goes on and commits. Other
 * clients' writes are not slowed. */
static void slow_commits_for(const struct client *c, double seconds) {
  char sql[1024];
  snprintf(sql, sizeof(sql),
           "CREATE OR REPLACE FUNCTION it_slow_commit_%1$d() RETURNS trigger LANGUAGE plpgsql AS"
           " $$BEGIN"
           " IF (CASE WHEN TG_OP = 'DELETE' THEN OLD.client_id ELSE NEW.client_id END) = '%2$s'"
           " THEN PERFORM pg_sleep(%3$g); END IF; RETURN NULL; END$$;"
           "SET client_min_messages = warning;"
           "DROP TRIGGER IF EXISTS it_slow_commit_%1$d ON teamprofielen;"
           "CREATE CONSTRAINT TRIGGER it_slow_commit_%1$d"
           " AFTER INSERT OR UPDATE OR DELETE ON teamprofielen DEFERRABLE INITIALLY DEFERRED"
           " FOR EACH ROW EXECUTE FUNCTION it_slow_commit_%1$d()",
           (int)getpid(), c->id, seconds);
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
}

static void no_slow_commits(void) {
  char sql[256];
  snprintf(sql, sizeof(sql),
           "SET client_min_messages = warning;"
           "DROP TRIGGER IF EXISTS it_slow_commit_%1$d ON teamprofielen;"
           "DROP FUNCTION IF EXISTS it_slow_commit_%1$d()",
           (int)getpid());
  it_sql_exec(it_database_url(), sql);
}

/* Rows that belong to this run's clients, as one comparable text:
 * profiles / members / member roles / member competencies / audit entries. */
static char *own_counts(void) {
  return sqlf("SELECT (SELECT count(*) FROM teamprofielen WHERE client_id LIKE '%1$s%%')"
              " || '/' || (SELECT count(*) FROM teamleden l JOIN teamprofielen p ON p.uuid = l.profiel"
              "            WHERE p.client_id LIKE '%1$s%%')"
              " || '/' || (SELECT count(*) FROM teamlid_rollen l JOIN teamprofielen p"
              "            ON p.uuid = l.profiel WHERE p.client_id LIKE '%1$s%%')"
              " || '/' || (SELECT count(*) FROM teamlid_competenties l JOIN teamprofielen p"
              "            ON p.uuid = l.profiel WHERE p.client_id LIKE '%1$s%%')"
              " || '/' || (SELECT count(*) FROM audittrail WHERE client_id LIKE '%1$s%%')",
              prefix);
}

static void assert_counts(const char *before, const char *what) {
  char *now = own_counts();
  ck_assert_msg(strcmp(before, now) == 0, "%s: rows changed from %s to %s", what, before, now);
  free(now);
}

/* JSON written with ' for " (for bodies without a quote inside a string). */
static char *Jtext(const char *text) {
  char *copy = strdup(text);
  for (char *p = copy; *p; p++) {
    if (*p == '\'') *p = '"';
  }
  return copy;
}

static json_t *J(const char *text) {
  char *copy = Jtext(text);
  json_error_t err;
  json_t *doc = json_loads(copy, 0, &err);
  ck_assert_msg(doc != NULL, "test JSON does not parse: %s in %s", err.text, copy);
  free(copy);
  return doc;
}

static char *dump(const json_t *doc) {
  char *s = json_dumps(doc, JSON_COMPACT);
  ck_assert_ptr_nonnull(s);
  return s;
}

/* One request as `c` (NULL: no token). `extra` is NULL or NULL-terminated
 * headers; Content-Type: application/json is added for a body unless
 * `extra` names a Content-Type. */
static void call(const char *method, const char *path, const struct client *c,
                 const char *const *extra, const char *body, size_t body_len,
                 struct it_response *r) {
  const char *headers[16];
  size_t n = 0;
  char auth[4096];
  if (c != NULL) {
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", c->token);
    headers[n++] = auth;
  }
  int has_ct = 0;
  for (size_t i = 0; extra != NULL && extra[i] != NULL && n < 14; i++) {
    if (strncasecmp(extra[i], "Content-Type:", 13) == 0) has_ct = 1;
    headers[n++] = extra[i];
  }
  if (body != NULL && !has_ct) headers[n++] = "Content-Type: application/json";
  headers[n] = NULL;
  ck_assert_int_eq(it_request(&srv, method, path, headers, body, body_len, r), 0);
}

static void call_s(const char *method, const char *path, const struct client *c,
                   const char *const *extra, const char *body, struct it_response *r) {
  call(method, path, c, extra, body, body ? strlen(body) : 0, r);
}

/* The status of one request, the response freed. */
static long status_of(const char *method, const char *path, const struct client *c,
                      const char *const *extra, const char *body) {
  struct it_response r;
  call_s(method, path, c, extra, body, &r);
  long st = r.status;
  if (st >= 400) it_assert_problem(&r, st);
  it_response_free(&r);
  return st;
}

static int invalid_has(const struct it_response *r, const char *name, const char *code) {
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(r->json, "invalidParams"), i, e) {
    if (strcmp(json_string_value(json_object_get(e, "name")), name) == 0 &&
        strcmp(json_string_value(json_object_get(e, "code")), code) == 0) {
      return 1;
    }
  }
  return 0;
}

/* A stored profile: its path, uuid and current ETag. */
struct profile {
  char uuid[40];
  char path[96];
  char etag[64];
};

/* POSTs `body` as `c`, asserts 201 and fills `p`. */
static void create(const struct client *c, const char *body, struct profile *p) {
  struct it_response r;
  call_s("POST", "/api/v1/teamprofielen", c, NULL, body, &r);
  ck_assert_msg(r.status == 201, "POST gave %ld: %s", r.status, r.body);
  it_assert_conventions(&r);
  snprintf(p->uuid, sizeof(p->uuid), "%s", json_string_value(json_object_get(r.json, "uuid")));
  snprintf(p->path, sizeof(p->path), "/api/v1/teamprofielen/%s", p->uuid);
  ck_assert_ptr_nonnull(it_header(&r, "ETag"));
  snprintf(p->etag, sizeof(p->etag), "%s", it_header(&r, "ETag"));
  it_response_free(&r);
}

/* The current ETag of `p` by GET as `c`. */
static void refresh_etag(const struct client *c, struct profile *p) {
  struct it_response r;
  call_s("GET", p->path, c, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  snprintf(p->etag, sizeof(p->etag), "%s", it_header(&r, "ETag"));
  it_response_free(&r);
}

static void if_match(char *out, size_t len, const char *etag) {
  snprintf(out, len, "If-Match: %s", etag);
}

/* An HS256 (or other) token made here with libjwt. */
static char *mint(const char *client_id, const char *secret, long iat, long exp, jwt_alg_t alg) {
  jwt_t *jwt = NULL;
  ck_assert_int_eq(jwt_new(&jwt), 0);
  if (client_id) ck_assert_int_eq(jwt_add_grant(jwt, "client_id", client_id), 0);
  ck_assert_int_eq(jwt_add_grant_int(jwt, "iat", iat), 0);
  ck_assert_int_eq(jwt_add_grant_int(jwt, "exp", exp), 0);
  ck_assert_int_eq(jwt_set_alg(jwt, alg, (const unsigned char *)secret,
                               secret ? (int)strlen(secret) : 0),
                   0);
  char *t = jwt_encode_str(jwt);
  ck_assert_ptr_nonnull(t);
  jwt_free(jwt);
  return t;
}

/* The status of GET /api/v1/teamprofielen with `token` as bearer
 * (NULL: the raw Authorization header `raw`). */
static long list_status_with(const char *token, const char *raw, struct it_response *keep) {
  char auth[4096];
  if (token) {
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
  } else {
    snprintf(auth, sizeof(auth), "Authorization: %s", raw ? raw : "");
  }
  const char *h[] = {auth, NULL};
  struct it_response r;
  ck_assert_int_eq(it_request(&srv, "GET", "/api/v1/teamprofielen", h, NULL, 0, &r), 0);
  long st = r.status;
  if (st == 401) {
    it_assert_problem(&r, 401);
    ck_assert_ptr_nonnull(it_header(&r, "WWW-Authenticate"));
    ck_assert_str_eq(it_header(&r, "WWW-Authenticate"), "Bearer");
  }
  if (keep) {
    *keep = r;
  } else {
    it_response_free(&r);
  }
  return st;
}

/* Bodies. */
#define ROL(r, a) "{'rol':'" r "','aandeel':" a "}"
#define COMP(c, n) "{'code':'" c "','niveau':" n "}"
#define LID(label, fte, rollen, comps) \
  "{'label':'" label "','fte':" fte ",'rollen':[" rollen "],'competenties':[" comps "]}"
#define TEAM(g, d, leden) "{'gemeente':'" g "','peildatum':'" d "','leden':[" leden "]}"
#define LID_OK                                                                      \
  LID("Webredactie 1", "0.8", ROL("webredacteur", "0.6") "," ROL("webcare-medewerker", "0.2"), \
      COMP("schrijven-voor-het-web", "3"))
#define LID_B LID("Regie", "1.0", ROL("regisseur-online-dienstverlening", "1.0"), "")
#define WITH_LID(lid) TEAM("GM0772", "2026-01-01", lid)

/* A valid body for `gemeente` as a new string. */
static char *valid_body(const char *gemeente, const char *peildatum) {
  json_t *doc = J(TEAM("GM0000", "2000-01-01", LID_OK "," LID_B));
  json_object_set_new(doc, "gemeente", json_string(gemeente));
  json_object_set_new(doc, "peildatum", json_string(peildatum));
  char *s = dump(doc);
  json_decref(doc);
  return s;
}

static void create_valid(const struct client *c, const char *gemeente, const char *peildatum,
                         struct profile *p) {
  char *body = valid_body(gemeente, peildatum);
  create(c, body, p);
  free(body);
}

/* --- fixture -------------------------------------------------------------- */

static void fail_setup(const char *what) {
  fprintf(stderr, "test_teamprofielen: %s\n", what);
  exit(1);
}

static void remove_own_rows(void) {
  no_slow_commits();
  it_remove_client_rows(prefix);
}

static void setup(void) {
  snprintf(prefix, sizeof(prefix), "it-tp-%d-", (int)getpid());
  if (it_server_start(&srv, SERVER_ENV) != 0) fail_setup("the server did not start");
  for (int i = 0; i < NCLIENTS; i++) {
    struct client *c = &clients[i];
    snprintf(c->id, sizeof(c->id), "%s%s", prefix, c->suffix);
    const char *add[] = {"clients", "add", c->id, "--scopes", c->scopes, "--gemeenten",
                         c->gemeenten, NULL};
    char *out = it_capture(add);
    if (out == NULL) fail_setup("teamplotter clients add failed");
    /* The secret is printed once; it is the one stored. */
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT secret FROM clients WHERE id = '%s'", c->id);
    char *secret = it_sql_value(it_database_url(), sql);
    if (secret == NULL) fail_setup("the client is not in the clients table");
    char line[200];
    snprintf(line, sizeof(line), "secret: %s\n", secret);
    if (strstr(out, line) == NULL) fail_setup("clients add did not print the stored secret");
    snprintf(c->secret, sizeof(c->secret), "%s", secret);
    free(secret);
    free(out);
    const char *tok[] = {"token", c->id, NULL};
    c->token = it_capture(tok);
    if (c->token == NULL) fail_setup("teamplotter token failed");
    c->token[strcspn(c->token, "\r\n")] = '\0';
  }
}

static void teardown(void) {
  remove_own_rows();
  /* Every test sent these tokens and the secrets sign them: neither may
   * appear in the server's log. */
  for (int i = 0; i < NCLIENTS; i++) {
    if (srv.pid > 0 && clients[i].token != NULL &&
        (it_log_contains(&srv, clients[i].token) || it_log_contains(&srv, clients[i].secret))) {
      fprintf(stderr, "test_teamprofielen: client %s's token or secret is in the server log\n",
              clients[i].id);
      exit(1);
    }
    free(clients[i].token);
    clients[i].token = NULL;
  }
  if (srv.pid > 0 && it_server_stop(&srv) != 0) {
    fprintf(stderr, "test_teamprofielen: the server did not stop cleanly (see its exit status)\n");
    exit(1);
  }
}

/* --- authentication: 401 -------------------------------------------------- */

START_TEST(no_token_is_401) {
  struct profile p;
  create_valid(&clients[W], "GM0772", "2026-01-01", &p);
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, NULL};
  char *body = valid_body("GM0772", "2026-02-01");
  char trail[160];
  snprintf(trail, sizeof(trail), "%s/audittrail", p.path);
  struct {
    const char *method, *path;
    const char *const *headers;
    const char *body;
  } cases[] = {
      {"GET", "/api/v1/teamprofielen", NULL, NULL},
      {"GET", "/api/v1/teamprofielen?referentie=false", NULL, NULL},
      {"GET", p.path, NULL, NULL},
      {"POST", "/api/v1/teamprofielen", NULL, body},
      {"PUT", p.path, h, body},
      {"DELETE", p.path, h, NULL},
      {"GET", trail, NULL, NULL},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct it_response r;
    call_s(cases[i].method, cases[i].path, NULL, cases[i].headers, cases[i].body, &r);
    ck_assert_msg(r.status == 401, "%s %s gave %ld", cases[i].method, cases[i].path, r.status);
    it_assert_problem(&r, 401);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "code")), "unauthorized");
    ck_assert_str_eq(it_header(&r, "WWW-Authenticate"), "Bearer");
    it_response_free(&r);
  }
  free(body);
  /* Nothing changed. */
  struct profile again = p;
  refresh_etag(&clients[W], &again);
  ck_assert_str_eq(again.etag, p.etag);
}
END_TEST

START_TEST(bad_signature_is_401) {
  const struct client *w = &clients[W];
  long now = (long)time(NULL);
  /* The real client id, signed with a secret that is not the client's. */
  char *forged = mint(w->id, "0000000000000000000000000000000000000000000000000000000000000000",
                      now, now + 600, JWT_ALG_HS256);
  ck_assert_int_eq(list_status_with(forged, NULL, NULL), 401);
  /* Signed with another client's secret. */
  char *other = mint(w->id, clients[O].secret, now, now + 600, JWT_ALG_HS256);
  ck_assert_int_eq(list_status_with(other, NULL, NULL), 401);
  /* A real token with one character of the signature changed. */
  char *tampered = strdup(w->token);
  size_t n = strlen(tampered);
  tampered[n - 3] = tampered[n - 3] == 'A' ? 'B' : 'A';
  ck_assert_int_eq(list_status_with(tampered, NULL, NULL), 401);
  /* Control: the same minting with the right secret is accepted. */
  char *good = mint(w->id, w->secret, now, now + 600, JWT_ALG_HS256);
  ck_assert_int_eq(list_status_with(good, NULL, NULL), 200);
  /* A write with the forged token is refused as well. */
  char auth[4096];
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s", forged);
  const char *h[] = {auth, "Content-Type: application/json", NULL};
  char *body = valid_body("GM0772", "2026-01-01");
  char *before = own_counts();
  struct it_response r;
  ck_assert_int_eq(it_request(&srv, "POST", "/api/v1/teamprofielen", h, body, strlen(body), &r), 0);
  it_assert_problem(&r, 401);
  it_response_free(&r);
  assert_counts(before, "POST with a forged token");
  free(before);
  free(body);
  free(forged);
  free(other);
  free(tampered);
  free(good);
}
END_TEST

START_TEST(expired_token_is_401) {
  const struct client *w = &clients[W];
  long now = (long)time(NULL);
  char *expired = mint(w->id, w->secret, now - 7200, now - 3600, JWT_ALG_HS256);
  struct it_response r;
  ck_assert_int_eq(list_status_with(expired, NULL, &r), 401);
  ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(r.json, "detail")), "verlopen"));
  it_response_free(&r);
  /* Expired a second ago. */
  char *just = mint(w->id, w->secret, now - 600, now - 1, JWT_ALG_HS256);
  ck_assert_int_eq(list_status_with(just, NULL, NULL), 401);
  /* Control: valid for another 10 minutes. */
  char *valid = mint(w->id, w->secret, now - 600, now + 600, JWT_ALG_HS256);
  ck_assert_int_eq(list_status_with(valid, NULL, NULL), 200);
  free(expired);
  free(just);
  free(valid);
}
END_TEST

START_TEST(other_bad_tokens_are_401) {
  const struct client *w = &clients[W];
  long now = (long)time(NULL);
  /* iat an hour ahead; a lifetime over TEAMPLOTTER_JWT_MAX_AGE (3600). */
  char *future = mint(w->id, w->secret, now + 3600, now + 3900, JWT_ALG_HS256);
  char *too_long = mint(w->id, w->secret, now, now + 7200, JWT_ALG_HS256);
  /* Unsigned (alg none) and HS512 with the right secret. */
  char *none = mint(w->id, NULL, now, now + 600, JWT_ALG_NONE);
  char *hs512 = mint(w->id, w->secret, now, now + 600, JWT_ALG_HS512);
  /* A well-signed token of a client that does not exist. */
  char unknown_id[96];
  snprintf(unknown_id, sizeof(unknown_id), "%sbestaat-niet", prefix);
  char *unknown = mint(unknown_id, w->secret, now, now + 600, JWT_ALG_HS256);
  /* No client_id. */
  char *anonymous = mint(NULL, w->secret, now, now + 600, JWT_ALG_HS256);
  const char *tokens[] = {future, too_long, none, hs512, unknown, anonymous, "abc", "a.b.c"};
  for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
    ck_assert_msg(list_status_with(tokens[i], NULL, NULL) == 401, "token %zu was accepted", i);
  }
  char basic[4096];
  snprintf(basic, sizeof(basic), "Basic %s", w->token);
  const char *raw[] = {basic, "Bearer", "Bearer ", "", w->token};
  for (size_t i = 0; i < sizeof(raw) / sizeof(raw[0]); i++) {
    ck_assert_msg(list_status_with(NULL, raw[i], NULL) == 401, "Authorization %zu was accepted",
                  i);
  }
  /* The scheme is case-insensitive. */
  char lower[4096];
  snprintf(lower, sizeof(lower), "bearer %s", w->token);
  ck_assert_int_eq(list_status_with(NULL, lower, NULL), 200);
  free(future);
  free(too_long);
  free(none);
  free(hs512);
  free(unknown);
  free(anonymous);
}
END_TEST

START_TEST(revoked_client_is_401_on_the_next_request) {
  struct client *x = &clients[X];
  struct profile p;
  create_valid(x, "GM0772", "2026-01-01", &p);
  ck_assert_int_eq(status_of("GET", "/api/v1/teamprofielen", x, NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", p.path, x, NULL, NULL), 200);
  const char *revoke[] = {"clients", "revoke", x->id, NULL};
  char *out = it_capture(revoke);
  ck_assert_ptr_nonnull(out);
  free(out);
  /* The same server, the same token, the very next request. */
  ck_assert_int_eq(status_of("GET", "/api/v1/teamprofielen", x, NULL, NULL), 401);
  ck_assert_int_eq(status_of("GET", p.path, x, NULL, NULL), 401);
  char *before = own_counts();
  char *body = valid_body("GM0772", "2026-03-01");
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen", x, NULL, body), 401);
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, NULL};
  ck_assert_int_eq(status_of("PUT", p.path, x, h, body), 401);
  ck_assert_int_eq(status_of("DELETE", p.path, x, h, NULL), 401);
  assert_counts(before, "writes of a revoked client");
  free(before);
  free(body);
  /* A freshly minted token with its secret does not help either... */
  long now = (long)time(NULL);
  char *fresh = mint(x->id, x->secret, now, now + 600, JWT_ALG_HS256);
  ck_assert_int_eq(list_status_with(fresh, NULL, NULL), 401);
  free(fresh);
  /* ...and the command line refuses to mint one. */
  const char *tok[] = {"token", x->id, NULL};
  ck_assert_ptr_null(it_capture(tok));
}
END_TEST

/* Everything a caller sees of one answer but its instance: status, the
 * headers a client could tell apart, and the body without "instance". */
static char *answer_seen(const char *method, const char *path, const char *token,
                         const char *body) {
  char auth[4096];
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
  const char *h[] = {auth, "Content-Type: application/json", NULL};
  struct it_response r;
  ck_assert_int_eq(it_request(&srv, method, path, h, body, body ? strlen(body) : 0, &r), 0);
  it_assert_problem(&r, r.status);
  json_object_del(r.json, "instance");
  char *doc = dump(r.json);
  const char *www = it_header(&r, "WWW-Authenticate");
  size_t len = strlen(doc) + 256;
  char *seen = malloc(len);
  ck_assert_ptr_nonnull(seen);
  snprintf(seen, len, "%ld %s|%s|%s", r.status, it_header(&r, "Content-Type"), www ? www : "-",
           doc);
  free(doc);
  it_response_free(&r);
  return seen;
}

/* An unknown client, a revoked one and a wrong signature get one answer,
 * so that no caller can find out which client ids exist. */
START_TEST(unknown_revoked_and_forged_tokens_answer_alike) {
  const struct client *w = &clients[W];
  struct client *v = &clients[V];
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  const char *revoke[] = {"clients", "revoke", v->id, NULL};
  char *out = it_capture(revoke);
  ck_assert_ptr_nonnull(out);
  free(out);
  long now = (long)time(NULL);
  char unknown_id[96];
  snprintf(unknown_id, sizeof(unknown_id), "%sbestaat-niet", prefix);
  const char *zeros = "0000000000000000000000000000000000000000000000000000000000000000";
  char *tokens[] = {
      mint(unknown_id, zeros, now, now + 600, JWT_ALG_HS256),    /* unknown client */
      mint(unknown_id, w->secret, now, now + 600, JWT_ALG_HS256), /* unknown, a real secret */
      mint(v->id, v->secret, now, now + 600, JWT_ALG_HS256),      /* revoked, its own secret */
      mint(v->id, zeros, now, now + 600, JWT_ALG_HS256),          /* revoked, a wrong secret */
      mint(w->id, zeros, now, now + 600, JWT_ALG_HS256),          /* known, a wrong secret */
      mint(w->id, clients[O].secret, now, now + 600, JWT_ALG_HS256), /* another's secret */
      strdup(w->token),                                           /* signature tampered */
  };
  size_t n = sizeof(tokens) / sizeof(tokens[0]);
  size_t last = strlen(tokens[n - 1]);
  tokens[n - 1][last - 3] = tokens[n - 1][last - 3] == 'A' ? 'B' : 'A';
  char *body = valid_body("GM0772", "2026-02-01");
  const struct {
    const char *method, *path, *body;
  } requests[] = {{"GET", "/api/v1/teamprofielen", NULL},
                  {"GET", p.path, NULL},
                  {"POST", "/api/v1/teamprofielen", body},
                  {"GET", "/api/v1/gemeenten/GM0772/benchmark", NULL}};
  char *before = own_counts();
  for (size_t q = 0; q < sizeof(requests) / sizeof(requests[0]); q++) {
    char *first = answer_seen(requests[q].method, requests[q].path, tokens[0], requests[q].body);
    ck_assert_msg(strncmp(first, "401 ", 4) == 0, "%s %s: %s", requests[q].method,
                  requests[q].path, first);
    ck_assert_ptr_null(strstr(first, prefix));
    for (size_t i = 1; i < n; i++) {
      char *other = answer_seen(requests[q].method, requests[q].path, tokens[i], requests[q].body);
      ck_assert_msg(strcmp(first, other) == 0, "%s %s, token %zu:\n%s\nagainst\n%s",
                    requests[q].method, requests[q].path, i, other, first);
      free(other);
    }
    free(first);
  }
  assert_counts(before, "writes with unknown, revoked and forged tokens");
  free(before);
  free(body);
  for (size_t i = 0; i < n; i++) free(tokens[i]);
}
END_TEST

/* --- authorisation: 403 --------------------------------------------------- */

START_TEST(missing_scope_is_403) {
  struct profile p;
  create_valid(&clients[W], "GM0772", "2026-01-01", &p);
  char *before = own_counts();
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, NULL};
  char *body = valid_body("GM0772", "2026-02-01");
  char trail[160];
  snprintf(trail, sizeof(trail), "%s/audittrail", p.path);
  const struct client *r = &clients[R], *b = &clients[B], *n = &clients[N];
  /* Read-only client: reads, but writes are 403. */
  ck_assert_int_eq(status_of("GET", p.path, r, NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", "/api/v1/teamprofielen", r, NULL, NULL), 200);
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen", r, NULL, body), 403);
  ck_assert_int_eq(status_of("PUT", p.path, r, h, body), 403);
  ck_assert_int_eq(status_of("DELETE", p.path, r, h, NULL), 403);
  ck_assert_int_eq(status_of("GET", trail, r, NULL, NULL), 403);
  /* A client without any team-profile scope. */
  ck_assert_int_eq(status_of("GET", "/api/v1/teamprofielen", b, NULL, NULL), 403);
  ck_assert_int_eq(status_of("GET", p.path, b, NULL, NULL), 403);
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen", b, NULL, body), 403);
  ck_assert_int_eq(status_of("PUT", p.path, b, h, body), 403);
  ck_assert_int_eq(status_of("DELETE", p.path, b, h, NULL), 403);
  /* Reads and writes, but no audittrail.lezen. */
  ck_assert_int_eq(status_of("GET", trail, n, NULL, NULL), 403);
  assert_counts(before, "requests without the scope");
  struct profile again = p;
  refresh_etag(&clients[W], &again);
  ck_assert_str_eq(again.etag, p.etag);
  free(before);
  free(body);
}
END_TEST

START_TEST(other_municipality_can_neither_read_nor_change) {
  const struct client *w = &clients[W], *o = &clients[O];
  struct profile mine, theirs;
  create_valid(w, "GM0772", "2026-01-01", &mine);
  create_valid(o, "GM0363", "2026-01-01", &theirs);
  char *before = own_counts();
  char im[128];
  if_match(im, sizeof(im), mine.etag);
  const char *h[] = {im, NULL};
  char *body_w = valid_body("GM0772", "2026-05-01");
  char *body_o = valid_body("GM0363", "2026-05-01");
  char trail[160];
  snprintf(trail, sizeof(trail), "%s/audittrail", mine.path);
  /* O reads or changes W's profile: 403, whatever the body says. */
  ck_assert_int_eq(status_of("GET", mine.path, o, NULL, NULL), 403);
  ck_assert_int_eq(status_of("PUT", mine.path, o, h, body_w), 403);
  ck_assert_int_eq(status_of("PUT", mine.path, o, h, body_o), 403);
  ck_assert_int_eq(status_of("DELETE", mine.path, o, h, NULL), 403);
  ck_assert_int_eq(status_of("GET", trail, o, NULL, NULL), 403);
  /* O creates a profile for W's municipality. */
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen", o, NULL, body_w), 403);
  /* W moves its own profile to O's municipality. */
  ck_assert_int_eq(status_of("PUT", mine.path, w, h, body_o), 403);
  assert_counts(before, "cross-municipality requests");
  struct profile again = mine;
  refresh_etag(w, &again);
  ck_assert_str_eq(again.etag, mine.etag);
  /* Neither sees the other's profile in its list. */
  struct it_response r;
  call_s("GET", "/api/v1/teamprofielen?pageSize=100&referentie=false", o, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_null(strstr(r.body, mine.uuid));
  ck_assert_ptr_nonnull(strstr(r.body, theirs.uuid));
  it_response_free(&r);
  call_s("GET", "/api/v1/teamprofielen?pageSize=100&gemeente=GM0363", w, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_null(strstr(r.body, theirs.uuid));
  it_response_free(&r);
  free(before);
  free(body_w);
  free(body_o);
}
END_TEST

/* A 403 for another municipality's profile says only that access is not
 * allowed: never whose profile it is. */
START_TEST(forbidden_profile_names_no_municipality) {
  const struct client *w = &clients[W], *o = &clients[O];
  struct profile mine;
  create_valid(w, "GM0772", "2026-01-01", &mine);
  char im[128];
  if_match(im, sizeof(im), mine.etag);
  const char *h[] = {im, NULL};
  char *body_o = valid_body("GM0363", "2026-05-01");
  char trail[160];
  snprintf(trail, sizeof(trail), "%s/audittrail", mine.path);
  const struct {
    const char *method, *path;
    const char *const *headers;
    const char *body;
  } requests[] = {{"GET", mine.path, NULL, NULL},
                  {"PUT", mine.path, h, body_o},
                  {"DELETE", mine.path, h, NULL},
                  {"GET", trail, NULL, NULL},
                  {"GET", "/api/v1/gemeenten/GM0772/benchmark", NULL, NULL}};
  char *first = NULL;
  for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
    struct it_response r;
    call_s(requests[i].method, requests[i].path, o, requests[i].headers, requests[i].body, &r);
    it_assert_problem(&r, 403);
    ck_assert_msg(strstr(r.body, "GM0772") == NULL && strstr(r.body, "Eindhoven") == NULL,
                  "%s %s names the owner: %s", requests[i].method, requests[i].path, r.body);
    /* Reading, changing, deleting and the audit trail: one and the same detail. */
    const char *detail = json_string_value(json_object_get(r.json, "detail"));
    if (i == 0) first = strdup(detail);
    if (i < 4) ck_assert_str_eq(detail, first);
    it_response_free(&r);
  }
  free(first);
  free(body_o);
}
END_TEST

START_TEST(reference_profiles_stay_public) {
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, "/api/v1/teamprofielen?referentie=true&pageSize=100", &r), 0);
  ck_assert_int_eq(r.status, 200);
  it_assert_conventions(&r);
  json_t *results = json_object_get(r.json, "results");
  ck_assert_int_eq(json_integer_value(json_object_get(r.json, "count")), 7);
  ck_assert_uint_eq(json_array_size(results), 7);
  size_t i;
  json_t *p;
  json_array_foreach(results, i, p) ck_assert(json_is_true(json_object_get(p, "referentie")));
  char ref_uuid[40];
  snprintf(ref_uuid, sizeof(ref_uuid), "%s",
           json_string_value(json_object_get(json_array_get(results, 0), "uuid")));
  it_response_free(&r);

  char path[96];
  snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s", ref_uuid);
  /* Without a token, and with the token of a client without any
   * team-profile scope or of another municipality. */
  ck_assert_int_eq(it_get(&srv, path, &r), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert(json_is_true(json_object_get(r.json, "referentie")));
  char etag[64];
  snprintf(etag, sizeof(etag), "%s", it_header(&r, "ETag"));
  it_response_free(&r);
  ck_assert_int_eq(status_of("GET", path, &clients[B], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", path, &clients[O], NULL, NULL), 200);
  /* Public, but a token that is sent must be valid. */
  const char *bad_token[] = {"Authorization: Bearer a.b.c", NULL};
  ck_assert_int_eq(it_request(&srv, "GET", path, bad_token, NULL, 0, &r), 0);
  it_assert_problem(&r, 401);
  it_response_free(&r);
  /* Reference profiles are not written through the API, not even with
   * the right ETag. */
  char im[128];
  if_match(im, sizeof(im), etag);
  const char *h[] = {im, NULL};
  char *body = valid_body("GM0772", "2026-01-01");
  ck_assert_int_eq(status_of("PUT", path, &clients[W], h, body), 403);
  ck_assert_int_eq(status_of("DELETE", path, &clients[W], h, NULL), 403);
  free(body);
  ck_assert_int_eq(it_get(&srv, path, &r), 0);
  ck_assert_str_eq(it_header(&r, "ETag"), etag);
  it_response_free(&r);
}
END_TEST

/* --- validation ------------------------------------------------------------ */

/* Each rule of DESIGN.md "Data": a body that breaks it (one violation,
 * at `name` with `code`) and one that keeps it. */
static const struct {
  const char *bad, *name, *code, *good;
} RULES[] = {
    {TEAM("GM9999", "2026-01-01", LID_OK), "gemeente", "unknown-code",
     TEAM("GM0772", "2026-01-01", LID_OK)},
    {WITH_LID(LID("A", "0.8", ROL("bestaat-niet", "0.8"), "")), "leden.0.rollen.0.rol",
     "unknown-code", WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.8"), ""))},
    {WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.8"), COMP("toveren", "2"))),
     "leden.0.competenties.0.code", "unknown-code",
     WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.8"), COMP("webanalyse", "2")))},
    {WITH_LID(LID("A", "0", ROL("webredacteur", "0.5"), "")), "leden.0.fte", "out-of-range",
     WITH_LID(LID("A", "1.5", ROL("webredacteur", "1.5"), ""))},
    {WITH_LID(LID("A", "1.51", ROL("webredacteur", "1.0"), "")), "leden.0.fte", "out-of-range",
     WITH_LID(LID("A", "0.001", ROL("webredacteur", "0.001"), ""))},
    {WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.8") "," ROL("verbinder", "0"), "")),
     "leden.0.rollen.1.aandeel", "out-of-range",
     WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.7999") "," ROL("verbinder", "0.0001"), ""))},
    {WITH_LID(LID("A", "1.0", ROL("webredacteur", "0.6") "," ROL("verbinder", "0.398"), "")),
     "leden.0.rollen", "shares-mismatch",
     WITH_LID(LID("A", "1.0", ROL("webredacteur", "0.6") "," ROL("verbinder", "0.3991"), ""))},
    {WITH_LID(LID("A", "1.0", ROL("webredacteur", "0.6") "," ROL("verbinder", "0.402"), "")),
     "leden.0.rollen", "shares-mismatch",
     WITH_LID(LID("A", "1.0", ROL("webredacteur", "0.6") "," ROL("verbinder", "0.4009"), ""))},
    {WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.8"), COMP("webanalyse", "0"))),
     "leden.0.competenties.0.niveau", "out-of-range",
     WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.8"), COMP("webanalyse", "1")))},
    {WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.8"), COMP("webanalyse", "5"))),
     "leden.0.competenties.0.niveau", "out-of-range",
     WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.8"), COMP("webanalyse", "4")))},
    {WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.8"), COMP("webanalyse", "2.5"))),
     "leden.0.competenties.0.niveau", "out-of-range",
     WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.8"), COMP("webanalyse", "2")))},
    {WITH_LID(LID("Dubbel", "0.5", ROL("webredacteur", "0.5"), "") ","
              LID("Dubbel", "0.5", ROL("verbinder", "0.5"), "")),
     "leden.1.label", "duplicate",
     WITH_LID(LID("Dubbel", "0.5", ROL("webredacteur", "0.5"), "") ","
              LID("Dubbel 2", "0.5", ROL("verbinder", "0.5"), ""))},
    {TEAM("GM0772", "2026-02-29", LID_OK), "peildatum", "invalid-date",
     TEAM("GM0772", "2028-02-29", LID_OK)},
    {TEAM("GM0772", "2026-04-31", LID_OK), "peildatum", "invalid-date",
     TEAM("GM0772", "2026-04-30", LID_OK)},
    {"{'gemeente':'GM0772','peildatum':'2026-01-01','leden':[],'kleur':'rood'}", "kleur",
     "unknown-field", "{'gemeente':'GM0772','peildatum':'2026-01-01','leden':[]}"},
    {WITH_LID("{'label':'A','fte':0.5,'uren':18,'rollen':[" ROL("webredacteur", "0.5") "]}"),
     "leden.0.uren", "unknown-field",
     WITH_LID("{'label':'A','fte':0.5,'rollen':[" ROL("webredacteur", "0.5") "]}")},
    {WITH_LID("{'label':'A','fte':0.5,'rollen':[{'rol':'webredacteur','aandeel':0.5,'x':1}]}"),
     "leden.0.rollen.0.x", "unknown-field",
     WITH_LID("{'label':'A','fte':0.5,'rollen':[{'rol':'webredacteur','aandeel':0.5}]}")},
    {WITH_LID("{'label':'A','fte':'0.8','rollen':[" ROL("webredacteur", "0.8") "]}"),
     "leden.0.fte", "invalid-type",
     WITH_LID("{'label':'A','fte':0.8,'rollen':[" ROL("webredacteur", "0.8") "]}")},
    {"{'gemeente':772,'peildatum':'2026-01-01','leden':[]}", "gemeente", "invalid-type",
     "{'gemeente':'GM0772','peildatum':'2026-01-01','leden':[]}"},
    {"{'gemeente':'GM0772','peildatum':'2026-01-01','leden':{}}", "leden", "invalid-type",
     "{'gemeente':'GM0772','peildatum':'2026-01-01','leden':[]}"},
    {"{'gemeente':'GM0772','peildatum':'2026-01-01','toelichting':false,'leden':[]}",
     "toelichting", "invalid-type",
     "{'gemeente':'GM0772','peildatum':'2026-01-01','toelichting':'nee','leden':[]}"},
    {"{'gemeente':'GM0772','leden':[]}", "peildatum", "required",
     "{'gemeente':'GM0772','peildatum':'2026-01-01','leden':[]}"},
};

START_TEST(every_rule_fails_and_passes) {
  const struct client *w = &clients[W];
  for (size_t i = 0; i < sizeof(RULES) / sizeof(RULES[0]); i++) {
    char *bad = Jtext(RULES[i].bad);
    char *before = own_counts();
    struct it_response r;
    call_s("POST", "/api/v1/teamprofielen", w, NULL, bad, &r);
    ck_assert_msg(r.status == 400, "rule %zu (%s): bad body gave %ld", i, RULES[i].name, r.status);
    it_assert_problem(&r, 400);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "code")), "invalid-params");
    ck_assert_msg(json_array_size(json_object_get(r.json, "invalidParams")) == 1 &&
                      invalid_has(&r, RULES[i].name, RULES[i].code),
                  "rule %zu: want %s/%s, got %s", i, RULES[i].name, RULES[i].code, r.body);
    it_response_free(&r);
    assert_counts(before, RULES[i].name);
    free(before);
    free(bad);

    char *good = Jtext(RULES[i].good);
    call_s("POST", "/api/v1/teamprofielen", w, NULL, good, &r);
    ck_assert_msg(r.status == 201, "rule %zu (%s): good body gave %ld: %s", i, RULES[i].name,
                  r.status, r.body);
    it_response_free(&r);
    free(good);
  }
}
END_TEST

START_TEST(five_errors_in_one_request) {
  char *before = own_counts();
  char *body = Jtext("{'gemeente':'GM9999','peildatum':'2026-02-29','leden':["
                     "{'label':'A','fte':1.0,'rollen':[{'rol':'webredacteur','aandeel':1.0}]},"
                     "{'label':'A','fte':0.5,'rollen':[{'rol':'verbinder','aandeel':0.5}]},"
                     "{'label':'C','fte':0.5,'rollen':[{'rol':'verbinder','aandeel':0.5}],"
                     " 'competenties':[{'code':'webanalyse','niveau':7}]},"
                     "{'label':'D','fte':0.5,'rollen':[{'rol':'webredacteur','aandeel':0}]}]}");
  struct it_response r;
  call_s("POST", "/api/v1/teamprofielen", &clients[W], NULL, body, &r);
  it_assert_problem(&r, 400);
  json_t *invalid = json_object_get(r.json, "invalidParams");
  ck_assert_msg(json_array_size(invalid) == 5, "got %s", r.body);
  ck_assert(invalid_has(&r, "gemeente", "unknown-code"));
  ck_assert(invalid_has(&r, "peildatum", "invalid-date"));
  ck_assert(invalid_has(&r, "leden.1.label", "duplicate"));
  ck_assert(invalid_has(&r, "leden.2.competenties.0.niveau", "out-of-range"));
  ck_assert(invalid_has(&r, "leden.3.rollen.0.aandeel", "out-of-range"));
  size_t i;
  json_t *e;
  json_array_foreach(invalid, i, e) {
    ck_assert_int_gt(json_string_length(json_object_get(e, "reason")), 0);
  }
  it_response_free(&r);
  /* The same errors in a PUT of an existing profile: 400, and the profile
   * is untouched. */
  struct profile p;
  create_valid(&clients[W], "GM0772", "2026-01-01", &p);
  free(before);
  before = own_counts();
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, NULL};
  call_s("PUT", p.path, &clients[W], h, body, &r);
  it_assert_problem(&r, 400);
  ck_assert_uint_eq(json_array_size(json_object_get(r.json, "invalidParams")), 5);
  it_response_free(&r);
  assert_counts(before, "invalid PUT");
  struct profile again = p;
  refresh_etag(&clients[W], &again);
  ck_assert_str_eq(again.etag, p.etag);
  free(before);
  free(body);
}
END_TEST

START_TEST(invalid_json_and_duplicate_keys) {
  const char *bodies[] = {
      "{\"gemeente\":",
      "{\"gemeente\":\"GM0772\",\"gemeente\":\"GM0772\",\"peildatum\":\"2026-01-01\",\"leden\":[]}",
      "{\"gemeente\":\"GM0772\",\"peildatum\":\"2026-01-01\",\"leden\":[{\"label\":\"A\","
      "\"label\":\"B\",\"fte\":0.5,\"rollen\":[{\"rol\":\"webredacteur\",\"aandeel\":0.5}]}]}",
      "{'gemeente':'GM0772','peildatum':'2026-01-01','leden':[]}",
      "{\"gemeente\":\"GM0772\",\"peildatum\":\"2026-01-01\",\"leden\":[]} x",
      "{\"gemeente\":\"GM0772\",\"peildatum\":\"2026-01-01\",\"leden\":[],}",
      "{\"gemeente\":\"GM0772\",\"peildatum\":\"2026-01-01\",\"leden\":[{\"label\":\"A\","
      "\"fte\":NaN}]}",
      "{\"gemeente\":\"GM\xff\xfe\",\"peildatum\":\"2026-01-01\",\"leden\":[]}",
      "[]",
      "\"GM0772\"",
  };
  char *before = own_counts();
  for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
    struct it_response r;
    call_s("POST", "/api/v1/teamprofielen", &clients[W], NULL, bodies[i], &r);
    ck_assert_msg(r.status == 400, "body %zu gave %ld", i, r.status);
    it_assert_problem(&r, 400);
    ck_assert_msg(invalid_has(&r, "body", "invalid-json"), "body %zu: %s", i, r.body);
    it_response_free(&r);
  }
  /* No body at all. */
  struct it_response r;
  call("POST", "/api/v1/teamprofielen", &clients[W], NULL, "", 0, &r);
  it_assert_problem(&r, 400);
  it_response_free(&r);
  assert_counts(before, "invalid JSON");
  free(before);
  /* The duplicate-free body passes. */
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen", &clients[W], NULL,
                             "{\"gemeente\":\"GM0772\",\"peildatum\":\"2026-01-01\",\"leden\":[]}"),
                   201);
}
END_TEST

/* A body with `n` members of 1 fte each. */
static char *team_of(size_t n) {
  json_t *leden = json_array();
  for (size_t i = 0; i < n; i++) {
    char label[32];
    snprintf(label, sizeof(label), "Lid %zu", i);
    json_array_append_new(leden, json_pack("{s:s, s:f, s:[{s:s, s:f}], s:[{s:s, s:i}]}", "label",
                                           label, "fte", 1.0, "rollen", "rol", "webredacteur",
                                           "aandeel", 1.0, "competenties", "code", "webanalyse",
                                           "niveau", 2));
  }
  json_t *doc = json_pack("{s:s, s:s, s:o}", "gemeente", "GM0772", "peildatum", "2026-01-01",
                          "leden", leden);
  char *s = dump(doc);
  json_decref(doc);
  return s;
}

START_TEST(at_most_500_members) {
  char *before = own_counts();
  char *body = team_of(501);
  struct it_response r;
  call_s("POST", "/api/v1/teamprofielen", &clients[W], NULL, body, &r);
  it_assert_problem(&r, 400);
  ck_assert_uint_eq(json_array_size(json_object_get(r.json, "invalidParams")), 1);
  ck_assert(invalid_has(&r, "leden", "too-many"));
  it_response_free(&r);
  assert_counts(before, "501 members");
  free(before);
  free(body);

  body = team_of(500);
  struct profile p;
  create(&clients[W], body, &p);
  call_s("GET", p.path, &clients[W], NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_uint_eq(json_array_size(json_object_get(r.json, "leden")), 500);
  ck_assert_str_eq(json_string_value(json_object_get(
                       json_array_get(json_object_get(r.json, "leden"), 499), "label")),
                   "Lid 499");
  ck_assert(json_real_value(json_object_get(r.json, "totaalFte")) == 500.0 ||
            json_integer_value(json_object_get(r.json, "totaalFte")) == 500);
  it_response_free(&r);
  ck_assert_int_eq(sql_long("SELECT count(*) FROM teamleden WHERE profiel = '%s'", p.uuid), 500);
  ck_assert_int_eq(sql_long("SELECT count(*) FROM teamlid_rollen WHERE profiel = '%s'", p.uuid),
                   500);
  free(body);
}
END_TEST

START_TEST(unknown_field_with_a_long_name_is_400) {
  /* 63 x 'k' + "é": the name is cut to 64 bytes for invalidParams, in the
   * middle of the é. The field must still be refused. */
  char key[80];
  memset(key, 'k', 63);
  strcpy(key + 63, "\xc3\xa9");
  char body[256];
  snprintf(body, sizeof(body),
           "{\"gemeente\":\"GM0772\",\"peildatum\":\"2026-01-01\",\"%s\":1,\"leden\":[]}", key);
  char *before = own_counts();
  struct it_response r;
  call_s("POST", "/api/v1/teamprofielen", &clients[W], NULL, body, &r);
  ck_assert_msg(r.status == 400, "an unknown field named 63 x 'k' + 'é' gave %ld: %s", r.status,
                r.body);
  it_assert_problem(&r, 400);
  ck_assert_uint_eq(json_array_size(json_object_get(r.json, "invalidParams")), 1);
  it_response_free(&r);
  assert_counts(before, "unknown field");
  free(before);
}
END_TEST

/* --- ETags, If-Match, Location -------------------------------------------- */

START_TEST(post_is_201_with_location_of_the_same_document) {
  char *body = valid_body("GM0772", "2026-01-01");
  struct it_response post, get;
  call_s("POST", "/api/v1/teamprofielen", &clients[W], NULL, body, &post);
  ck_assert_int_eq(post.status, 201);
  it_assert_conventions(&post);
  ck_assert_str_eq(it_header(&post, "Content-Type"), "application/json");
  const char *location = it_header(&post, "Location");
  ck_assert_ptr_nonnull(location);
  char want[96];
  snprintf(want, sizeof(want), "/api/v1/teamprofielen/%s",
           json_string_value(json_object_get(post.json, "uuid")));
  ck_assert_str_eq(location, want);
  call_s("GET", location, &clients[W], NULL, NULL, &get);
  ck_assert_int_eq(get.status, 200);
  ck_assert_uint_eq(get.body_len, post.body_len);
  ck_assert_str_eq(get.body, post.body);
  ck_assert_str_eq(it_header(&get, "ETag"), it_header(&post, "ETag"));
  /* What was sent is what is stored. */
  json_t *sent = J(TEAM("GM0772", "2026-01-01", LID_OK "," LID_B));
  ck_assert(json_equal(json_object_get(get.json, "leden"), json_object_get(sent, "leden")));
  ck_assert_str_eq(json_string_value(json_object_get(get.json, "gemeente")), "GM0772");
  ck_assert_str_eq(json_string_value(json_object_get(get.json, "peildatum")), "2026-01-01");
  ck_assert_str_eq(json_string_value(json_object_get(get.json, "herkomst")), "opgave");
  ck_assert(json_is_false(json_object_get(get.json, "referentie")));
  json_decref(sent);
  /* If-None-Match with that ETag: 304. */
  char inm[128];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", it_header(&post, "ETag"));
  const char *h[] = {inm, NULL};
  struct it_response cond;
  call_s("GET", location, &clients[W], h, NULL, &cond);
  ck_assert_int_eq(cond.status, 304);
  it_response_free(&cond);
  it_response_free(&get);
  it_response_free(&post);
  free(body);
  /* application/json with a charset is JSON too. */
  const char *ct[] = {"Content-Type: application/json; charset=utf-8", NULL};
  char *again = valid_body("GM0772", "2026-01-02");
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen", &clients[W], ct, again), 201);
  free(again);
}
END_TEST

START_TEST(put_and_delete_need_if_match) {
  const struct client *w = &clients[W];
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  char *body = valid_body("GM0772", "2026-06-30");
  char *before = own_counts();
  /* Without If-Match: 428. */
  ck_assert_int_eq(status_of("PUT", p.path, w, NULL, body), 428);
  ck_assert_int_eq(status_of("DELETE", p.path, w, NULL, NULL), 428);
  /* A stale or made-up ETag: 412. */
  const char *stale[] = {"If-Match: \"00000000000000000000000000000000\"", NULL};
  ck_assert_int_eq(status_of("PUT", p.path, w, stale, body), 412);
  ck_assert_int_eq(status_of("DELETE", p.path, w, stale, NULL), 412);
  assert_counts(before, "PUT/DELETE without a valid If-Match");
  free(before);

  /* The right ETag: 200 with the new ETag, which a GET then shows. */
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, NULL};
  struct it_response put, get;
  call_s("PUT", p.path, w, h, body, &put);
  ck_assert_int_eq(put.status, 200);
  it_assert_conventions(&put);
  const char *new_etag = it_header(&put, "ETag");
  ck_assert_ptr_nonnull(new_etag);
  ck_assert_str_ne(new_etag, p.etag);
  call_s("GET", p.path, w, NULL, NULL, &get);
  ck_assert_int_eq(get.status, 200);
  ck_assert_str_eq(it_header(&get, "ETag"), new_etag);
  ck_assert_str_eq(get.body, put.body);
  ck_assert_str_eq(json_string_value(json_object_get(get.json, "peildatum")), "2026-06-30");
  ck_assert_str_eq(json_string_value(json_object_get(get.json, "uuid")), p.uuid);
  char old_etag[64];
  snprintf(old_etag, sizeof(old_etag), "%s", p.etag);
  snprintf(p.etag, sizeof(p.etag), "%s", new_etag);
  it_response_free(&put);
  it_response_free(&get);

  /* The old ETag is stale now. */
  char old[128];
  if_match(old, sizeof(old), old_etag);
  const char *oh[] = {old, NULL};
  ck_assert_int_eq(status_of("PUT", p.path, w, oh, body), 412);
  ck_assert_int_eq(status_of("DELETE", p.path, w, oh, NULL), 412);

  /* DELETE with the current ETag: 204, then gone. */
  if_match(im, sizeof(im), p.etag);
  struct it_response del;
  call_s("DELETE", p.path, w, h, NULL, &del);
  ck_assert_int_eq(del.status, 204);
  ck_assert_uint_eq(del.body_len, 0);
  it_assert_conventions(&del);
  it_response_free(&del);
  ck_assert_int_eq(status_of("GET", p.path, w, NULL, NULL), 404);
  ck_assert_int_eq(status_of("DELETE", p.path, w, h, NULL), 404);
  ck_assert_int_eq(status_of("PUT", p.path, w, h, body), 404);
  ck_assert_int_eq(sql_long("SELECT count(*) FROM teamleden WHERE profiel = '%s'", p.uuid), 0);
  free(body);
}
END_TEST

START_TEST(if_match_is_an_entity_tag_list_compared_strongly) {
  const struct client *w = &clients[W];
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  char *body = valid_body("GM0772", "2026-08-01");
  char h1[256];
  /* A weak tag never matches for If-Match. */
  snprintf(h1, sizeof(h1), "If-Match: W/%s", p.etag);
  const char *weak[] = {h1, NULL};
  ck_assert_int_eq(status_of("PUT", p.path, w, weak, body), 412);
  ck_assert_int_eq(status_of("DELETE", p.path, w, weak, NULL), 412);
  /* A list with the current tag somewhere in it matches. */
  snprintf(h1, sizeof(h1), "If-Match: \"0123\", %s ,\"4567\"", p.etag);
  const char *listed[] = {h1, NULL};
  struct it_response r;
  call_s("PUT", p.path, w, listed, body, &r);
  ck_assert_int_eq(r.status, 200);
  snprintf(p.etag, sizeof(p.etag), "%s", it_header(&r, "ETag"));
  it_response_free(&r);
  /* A list without it does not. */
  const char *others[] = {"If-Match: \"0123\", \"4567\"", NULL};
  ck_assert_int_eq(status_of("PUT", p.path, w, others, body), 412);
  /* "*" matches any current profile... */
  char *body2 = valid_body("GM0772", "2026-09-01");
  const char *star[] = {"If-Match: *", NULL};
  call_s("PUT", p.path, w, star, body2, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(json_string_value(json_object_get(r.json, "peildatum")), "2026-09-01");
  it_response_free(&r);
  ck_assert_int_eq(status_of("DELETE", p.path, w, star, NULL), 204);
  /* ...and no profile that is gone. */
  ck_assert_int_eq(status_of("PUT", p.path, w, star, body2), 404);
  ck_assert_int_eq(status_of("DELETE", p.path, w, star, NULL), 404);
  free(body);
  free(body2);
}
END_TEST

/* "*" counts only as the whole field; a malformed If-Match names no tag,
 * even the current one, so PUT and DELETE are 412 and change nothing. */
START_TEST(malformed_if_match_is_412_and_changes_nothing) {
  const struct client *w = &clients[W];
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  char *body = valid_body("GM0772", "2026-10-01");
  char *before = own_counts();
  char *doc_before = sqlf("SELECT md5(doc::text) FROM api_teamprofielen WHERE uuid = '%s'", p.uuid);
  char with_tag[160], weak_star[160];
  snprintf(with_tag, sizeof(with_tag), "If-Match: %s, *junk", p.etag);
  snprintf(weak_star, sizeof(weak_star), "If-Match: *%s", p.etag);
  const char *fields[] = {"If-Match: *\"stale\"", "If-Match: \"stale\", *junk", with_tag,
                          weak_star, "If-Match: *, *", "If-Match: stale"};
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
    const char *h[] = {fields[i], NULL};
    ck_assert_msg(status_of("PUT", p.path, w, h, body) == 412, "PUT with %s", fields[i]);
    ck_assert_msg(status_of("DELETE", p.path, w, h, NULL) == 412, "DELETE with %s", fields[i]);
  }
  assert_counts(before, "PUT/DELETE with a malformed If-Match");
  /* The answer says why: not that the profile changed. */
  const char *h[] = {fields[0], NULL};
  struct it_response r;
  call_s("PUT", p.path, w, h, body, &r);
  it_assert_problem(&r, 412);
  ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(r.json, "detail")), "If-Match"));
  it_response_free(&r);
  char *doc_after = sqlf("SELECT md5(doc::text) FROM api_teamprofielen WHERE uuid = '%s'", p.uuid);
  ck_assert_str_eq(doc_before, doc_after);
  /* A GET with such a field in If-None-Match: never 304. */
  snprintf(with_tag, sizeof(with_tag), "If-None-Match: %s, *junk", p.etag);
  const char *inm[] = {with_tag, NULL};
  ck_assert_int_eq(status_of("GET", p.path, w, inm, NULL), 200);
  free(doc_before);
  free(doc_after);
  free(before);
  free(body);
}
END_TEST

START_TEST(writes_take_no_query_parameters) {
  const struct client *w = &clients[W];
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  char *before = own_counts();
  char *body = valid_body("GM0772", "2026-02-01");
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen?dryRun=true", w, NULL, body), 400);
  char path[160], im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, NULL};
  snprintf(path, sizeof(path), "%s?force=1", p.path);
  ck_assert_int_eq(status_of("PUT", path, w, h, body), 400);
  ck_assert_int_eq(status_of("DELETE", path, w, h, NULL), 400);
  ck_assert_int_eq(status_of("GET", path, w, NULL, NULL), 400);
  assert_counts(before, "writes with a query");
  free(before);
  free(body);
}
END_TEST

START_TEST(text_limits_count_characters) {
  /* A label of 200 characters of two bytes each is allowed; 201 is not. */
  char label[512];
  for (int i = 0; i < 201; i++) memcpy(label + 2 * i, "\xc3\xa9", 2);
  label[400] = '\0';
  json_t *doc = J(TEAM("GM0772", "2026-01-01", LID_OK));
  json_t *lid = json_array_get(json_object_get(doc, "leden"), 0);
  json_object_set_new(lid, "label", json_string(label));
  char *ok = dump(doc);
  label[400] = '\xc3';
  label[401] = '\xa9';
  label[402] = '\0';
  json_object_set_new(lid, "label", json_string(label));
  char *too_long = dump(doc);
  json_decref(doc);
  struct profile p;
  create(&clients[W], ok, &p);
  struct it_response r;
  call_s("POST", "/api/v1/teamprofielen", &clients[W], NULL, too_long, &r);
  it_assert_problem(&r, 400);
  ck_assert(invalid_has(&r, "leden.0.label", "invalid-length"));
  it_response_free(&r);

  /* X-Audit-Toelichting: 1000 characters (2000 bytes) are allowed. */
  static char header[4200];
  int n = snprintf(header, sizeof(header), "X-Audit-Toelichting: ");
  for (int i = 0; i < 1000; i++) n += snprintf(header + n, sizeof(header) - (size_t)n, "\xc3\xab");
  const char *h[] = {header, NULL};
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen", &clients[W], h, ok), 201);
  snprintf(header + n, sizeof(header) - (size_t)n, "\xc3\xab");
  char *before = own_counts();
  call_s("POST", "/api/v1/teamprofielen", &clients[W], h, ok, &r);
  it_assert_problem(&r, 400);
  ck_assert(invalid_has(&r, "X-Audit-Toelichting", "max-length"));
  it_response_free(&r);
  assert_counts(before, "a note of 1001 characters");
  free(before);
  free(ok);
  free(too_long);
}
END_TEST

START_TEST(audittrail_follows_the_profile_to_its_new_municipality) {
  /* L writes for GM0153 and GM0164 and moves a profile from one to the
   * other: the trail then belongs to GM0164. */
  const struct client *l = &clients[L];
  struct profile p;
  create_valid(l, "GM0153", "2026-01-01", &p);
  char trail[160];
  snprintf(trail, sizeof(trail), "%s/audittrail", p.path);
  ck_assert_int_eq(status_of("GET", trail, &clients[L153], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", trail, &clients[L164], NULL, NULL), 403);
  char *body = valid_body("GM0164", "2026-01-01");
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, NULL};
  ck_assert_int_eq(status_of("PUT", p.path, l, h, body), 200);
  ck_assert_int_eq(status_of("GET", p.path, &clients[L153], NULL, NULL), 403);
  ck_assert_int_eq(status_of("GET", p.path, &clients[L164], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", trail, &clients[L153], NULL, NULL), 403);
  ck_assert_int_eq(status_of("GET", trail, &clients[L164], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", trail, l, NULL, NULL), 200);
  free(body);
}
END_TEST

/* --- 20 writers at once ---------------------------------------------------- */

#define WRITERS 20

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

static void *write_once(void *arg) {
  struct writer *wr = arg;
  const char *h[] = {wr->auth, wr->header, "Content-Type: application/json", NULL};
  pthread_barrier_wait(wr->start);
  wr->rc = it_request(&srv, wr->method, wr->path, h, wr->body, strlen(wr->body), &wr->r);
  return NULL;
}

/* Writer i's body: its own date, note and 60..79 members (big enough
 * that the writes overlap in the server). */
static char *writer_body(int i) {
  json_t *leden = json_array();
  for (int k = 0; k < 60 + i; k++) {
    char label[48];
    snprintf(label, sizeof(label), "Schrijver %02d lid %d", i, k);
    json_array_append_new(
        leden, json_pack("{s:s, s:f, s:[{s:s, s:f}, {s:s, s:f}], s:[{s:s, s:i}]}", "label", label,
                         "fte", 1.0, "rollen", "rol", "webredacteur", "aandeel", 0.5, "rol",
                         "verbinder", "aandeel", 0.5, "competenties", "code", "webanalyse",
                         "niveau", 1 + (i + k) % 4));
  }
  char date[24], note[32];
  snprintf(date, sizeof(date), "2026-03-%02d", i + 1);
  snprintf(note, sizeof(note), "schrijver %02d", i);
  json_t *doc = json_pack("{s:s, s:s, s:s, s:o}", "gemeente", "GM0772", "peildatum", date,
                          "toelichting", note, "leden", leden);
  char *s = dump(doc);
  json_decref(doc);
  return s;
}

START_TEST(twenty_concurrent_puts_one_wins) {
  const struct client *w = &clients[W];
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  /* libcurl's global state is set up before threads use it. */
  ck_assert_int_eq(curl_global_init(CURL_GLOBAL_DEFAULT), 0);
  char auth[4096], im[128];
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s", w->token);
  if_match(im, sizeof(im), p.etag);
  pthread_barrier_t start;
  ck_assert_int_eq(pthread_barrier_init(&start, NULL, WRITERS), 0);
  struct writer writers[WRITERS];
  pthread_t threads[WRITERS];
  for (int i = 0; i < WRITERS; i++) {
    writers[i] = (struct writer){&start, "PUT", p.path, auth, im, writer_body(i), -1, {0}};
  }
  for (int i = 0; i < WRITERS; i++) {
    ck_assert_int_eq(pthread_create(&threads[i], NULL, write_once, &writers[i]), 0);
  }
  for (int i = 0; i < WRITERS; i++) pthread_join(threads[i], NULL);
  pthread_barrier_destroy(&start);

  int winner = -1, ok = 0, stale = 0;
  for (int i = 0; i < WRITERS; i++) {
    ck_assert_msg(writers[i].rc == 0, "writer %d got no response", i);
    if (writers[i].r.status == 200) {
      ok++;
      winner = i;
    } else if (writers[i].r.status == 412) {
      stale++;
      it_assert_problem(&writers[i].r, 412);
    } else {
      ck_abort_msg("writer %d got %ld: %s", i, writers[i].r.status, writers[i].r.body);
    }
  }
  ck_assert_int_eq(ok, 1);
  ck_assert_int_eq(stale, WRITERS - 1);

  /* The stored profile is the winner's, whole. */
  struct it_response get;
  call_s("GET", p.path, w, NULL, NULL, &get);
  ck_assert_int_eq(get.status, 200);
  json_t *sent = json_loads(writers[winner].body, 0, NULL);
  ck_assert_ptr_nonnull(sent);
  char *got_leden = dump(json_object_get(get.json, "leden"));
  char *want_leden = dump(json_object_get(sent, "leden"));
  ck_assert_msg(json_equal(json_object_get(get.json, "leden"), json_object_get(sent, "leden")),
                "stored members %s are not the winner's %s", got_leden, want_leden);
  free(got_leden);
  free(want_leden);
  ck_assert_str_eq(json_string_value(json_object_get(get.json, "peildatum")),
                   json_string_value(json_object_get(sent, "peildatum")));
  ck_assert_str_eq(json_string_value(json_object_get(get.json, "toelichting")),
                   json_string_value(json_object_get(sent, "toelichting")));
  ck_assert_str_eq(get.body, writers[winner].r.body);
  ck_assert_str_eq(it_header(&get, "ETag"), it_header(&writers[winner].r, "ETag"));
  size_t members = json_array_size(json_object_get(sent, "leden"));
  ck_assert_int_eq(sql_long("SELECT count(*) FROM teamleden WHERE profiel = '%s'", p.uuid),
                   (long)members);
  ck_assert_int_eq(sql_long("SELECT count(*) FROM teamlid_rollen WHERE profiel = '%s'", p.uuid),
                   (long)(2 * members));
  ck_assert_int_eq(
      sql_long("SELECT count(*) FROM teamlid_competenties WHERE profiel = '%s'", p.uuid),
      (long)members);
  /* One update in the audit trail: the losers left no trace. */
  ck_assert_int_eq(
      sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s' AND actie = 'update'", p.uuid),
      1);
  json_decref(sent);
  it_response_free(&get);
  for (int i = 0; i < WRITERS; i++) {
    free(writers[i].body);
    it_response_free(&writers[i].r);
  }
  curl_global_cleanup();
}
END_TEST

/* --- a connection killed mid-request ---------------------------------------- */

static int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

static void write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    ck_assert_int_gt(n, 0);
    data += n;
    len -= (size_t)n;
  }
}

/* Sends the headers of `method path` with the full Content-Length of
 * `body` but only `send` bytes of it, then closes the socket (with a
 * reset when `reset`). */
static void send_part(const char *method, const char *path, const char *token,
                      const char *etag, const char *body, size_t send, int reset) {
  int fd = connect_to(srv.port);
  ck_assert_int_ge(fd, 0);
  char head[8192];
  int n = snprintf(head, sizeof(head),
                   "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                   "Content-Type: application/json\r\n%s%s%sContent-Length: %zu\r\n\r\n",
                   method, path, token, etag ? "If-Match: " : "", etag ? etag : "",
                   etag ? "\r\n" : "", strlen(body));
  write_all(fd, head, (size_t)n);
  write_all(fd, body, send);
  sleep_ms(150);
  if (reset) {
    struct linger lg = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  }
  close(fd);
}

START_TEST(killed_connection_leaves_no_partial_profile) {
  const struct client *w = &clients[W];
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  char *before = own_counts();
  char *big = team_of(300);
  size_t len = strlen(big);
  /* A new profile and a replacement, cut in half, cut one byte short, with
   * and without a reset. */
  send_part("POST", "/api/v1/teamprofielen", w->token, NULL, big, len / 2, 0);
  send_part("POST", "/api/v1/teamprofielen", w->token, NULL, big, len - 1, 1);
  send_part("PUT", p.path, w->token, p.etag, big, len / 2, 1);
  send_part("PUT", p.path, w->token, p.etag, big, len - 1, 0);
  /* Only headers. */
  send_part("PUT", p.path, w->token, p.etag, big, 0, 0);
  sleep_ms(500);
  assert_counts(before, "killed connections");
  struct profile again = p;
  refresh_etag(w, &again);
  ck_assert_str_eq(again.etag, p.etag);
  /* The server is fine, and the same request sent whole still works. */
  ck_assert_int_eq(status_of("GET", "/livez", NULL, NULL, NULL), 200);
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, NULL};
  ck_assert_int_eq(status_of("PUT", p.path, w, h, big), 200);
  ck_assert_int_eq(sql_long("SELECT count(*) FROM teamleden WHERE profiel = '%s'", p.uuid), 300);
  free(big);
  free(before);
}
END_TEST

/* --- writes whose COMMIT outlives the deadline ------------------------------ */

/* The uuid the spec's examples use. */
#define SPEC_UUID "3f8e2a71-5c4d-4b9e-8a1f-7d6c5b4a3e29"

/* The detail of an example of reusable response `name` in the served spec
 * (its one `example`, or `examples.<example>` when `example` is not NULL),
 * with the example's uuid replaced by `uuid`: what the service says. */
static char *spec_detail(const char *name, const char *example, const char *uuid) {
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, "/api/v1/openapi.json", &r), 0);
  ck_assert_int_eq(r.status, 200);
  json_t *media = json_object_get(
      json_object_get(json_object_get(json_object_get(json_object_get(r.json, "components"),
                                                      "responses"),
                                      name),
                      "content"),
      "application/problem+json");
  json_t *doc = example == NULL
                    ? json_object_get(media, "example")
                    : json_object_get(json_object_get(json_object_get(media, "examples"), example),
                                      "value");
  const char *detail = json_string_value(json_object_get(doc, "detail"));
  ck_assert_msg(detail != NULL, "the spec has no example detail for %s %s", name,
                example ? example : "");
  char out[1024];
  size_t n = 0;
  for (const char *p = detail; *p && n < sizeof(out) - 40;) {
    if (strncmp(p, SPEC_UUID, strlen(SPEC_UUID)) == 0) {
      n += (size_t)snprintf(out + n, sizeof(out) - n, "%s", uuid);
      p += strlen(SPEC_UUID);
    } else {
      out[n++] = *p++;
    }
  }
  out[n] = '\0';
  it_response_free(&r);
  return strdup(out);
}

/* Asserts the answer to a write whose outcome the server does not know:
 * 504 naming profile `uuid` (NULL: any) without Retry-After, worded as the
 * spec's response `spec_name` (its example `example`, or NULL for its only
 * one) says; the uuid it names goes to `named`. */
static void assert_outcome_unknown(const struct it_response *r, const char *uuid,
                                   const char *spec_name, const char *example, char named[40]) {
  ck_assert_msg(r->status == 504, "a write whose COMMIT outlived the deadline gave %ld: %s",
                r->status, r->body);
  it_assert_problem(r, 504);
  ck_assert_str_eq(json_string_value(json_object_get(r->json, "code")), "outcome-unknown");
  ck_assert_ptr_null(it_header(r, "Retry-After"));
  const char *member = json_string_value(json_object_get(r->json, "teamprofiel"));
  ck_assert_ptr_nonnull(member);
  if (uuid != NULL) ck_assert_str_eq(member, uuid);
  snprintf(named, 40, "%s", member);
  char *want = spec_detail(spec_name, example, member);
  ck_assert_str_eq(json_string_value(json_object_get(r->json, "detail")), want);
  free(want);
  char get[96];
  snprintf(get, sizeof(get), "GET /api/v1/teamprofielen/%s", member);
  const char *detail = json_string_value(json_object_get(r->json, "detail"));
  ck_assert_msg(strstr(detail, get) != NULL, "the detail does not say '%s': %s", get, detail);
  ck_assert_msg(strstr(detail, "probeer het zo opnieuw") == NULL, "the detail says retry: %s",
                detail);
}

START_TEST(unknown_commit_outcome_is_504_naming_the_profile) {
  const struct client *s = &clients[S];
  slow_commits_for(s, 4);
  char *body = valid_body("GM0772", "2026-04-01");
  struct it_response r;
  char uuid[40], path[96];
  call_s("POST", "/api/v1/teamprofielen", s, NULL, body, &r);
  assert_outcome_unknown(&r, NULL, "VastleggenUitkomstOnbekend", "zonderSleutel", uuid);
  it_response_free(&r);
  snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s", uuid);
  /* PostgreSQL went on and stored it, under the uuid the answer named. */
  ck_assert(sql_becomes_true(10, "SELECT count(*) = 1 FROM teamprofielen WHERE uuid = '%s'"
                                 " AND client_id = '%s'", uuid, s->id));
  sleep_ms(1100); /* the server's breaker: one second */
  struct profile p;
  snprintf(p.uuid, sizeof(p.uuid), "%s", uuid);
  snprintf(p.path, sizeof(p.path), "%s", path);
  refresh_etag(s, &p);

  /* PUT: the same; a retry with the same If-Match then gets 412. */
  char *body2 = valid_body("GM0772", "2026-05-01");
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, NULL};
  call_s("PUT", path, s, h, body2, &r);
  assert_outcome_unknown(&r, uuid, "VervangenUitkomstOnbekend", NULL, uuid);
  it_response_free(&r);
  ck_assert(sql_becomes_true(10, "SELECT peildatum = '2026-05-01' FROM teamprofielen"
                                 " WHERE uuid = '%s'", uuid));
  sleep_ms(1100);
  ck_assert_int_eq(status_of("PUT", path, s, h, body2), 412);

  /* DELETE: the same; a retry then gets 404. */
  refresh_etag(s, &p);
  if_match(im, sizeof(im), p.etag);
  call_s("DELETE", path, s, h, NULL, &r);
  assert_outcome_unknown(&r, uuid, "VerwijderenUitkomstOnbekend", NULL, uuid);
  it_response_free(&r);
  ck_assert(sql_becomes_true(10, "SELECT count(*) = 0 FROM teamprofielen WHERE uuid = '%s'",
                             uuid));
  sleep_ms(1100);
  ck_assert_int_eq(status_of("DELETE", path, s, h, NULL), 404);
  no_slow_commits();
  free(body);
  free(body2);
}
END_TEST

/* --- Idempotency-Key -------------------------------------------------------- */

/* "Idempotency-Key: <value>" for a key of this run named `name`, quoted. */
static void key_header(char *out, size_t len, const char *name) {
  snprintf(out, len, "Idempotency-Key: \"it-%d-%s\"", (int)getpid(), name);
}

static const char *problem_code(const struct it_response *r) {
  return json_string_value(json_object_get(r->json, "code"));
}

/* Asserts that `again` is the same answer as `first`: status, body bytes,
 * ETag, Location and Content-Type. */
static void assert_same_answer(const struct it_response *first, const struct it_response *again) {
  ck_assert_int_eq(again->status, first->status);
  ck_assert_uint_eq(again->body_len, first->body_len);
  ck_assert_str_eq(again->body, first->body);
  static const char *const same[] = {"ETag", "Location", "Content-Type"};
  for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
    ck_assert_ptr_nonnull(it_header(again, same[i]));
    ck_assert_str_eq(it_header(again, same[i]), it_header(first, same[i]));
  }
}

START_TEST(idempotency_key_replays_the_first_answer) {
  const struct client *w = &clients[W];
  char key[128];
  key_header(key, sizeof(key), "replay");
  const char *h[] = {key, NULL};
  char *body = valid_body("GM0772", "2026-02-02");
  struct it_response first, again;
  call_s("POST", "/api/v1/teamprofielen", w, h, body, &first);
  ck_assert_msg(first.status == 201, "POST with a key gave %ld: %s", first.status, first.body);
  const char *uuid = json_string_value(json_object_get(first.json, "uuid"));
  char *before = own_counts();

  /* The same key and body: the first answer again, and nothing stored. */
  call_s("POST", "/api/v1/teamprofielen", w, h, body, &again);
  assert_same_answer(&first, &again);
  it_assert_conventions(&again);
  it_response_free(&again);
  assert_counts(before, "a repeated POST with the same Idempotency-Key");

  /* Also after the profile changed: the answer is the one first given. */
  struct profile p;
  snprintf(p.uuid, sizeof(p.uuid), "%s", uuid);
  snprintf(p.path, sizeof(p.path), "/api/v1/teamprofielen/%s", uuid);
  refresh_etag(w, &p);
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *put[] = {im, NULL};
  char *body2 = valid_body("GM0772", "2026-02-03");
  ck_assert_int_eq(status_of("PUT", p.path, w, put, body2), 200);
  free(before);
  before = own_counts();
  call_s("POST", "/api/v1/teamprofielen", w, h, body, &again);
  assert_same_answer(&first, &again);
  it_response_free(&again);

  /* The same key with another body, or the same body written otherwise:
   * 409, nothing stored. */
  char *spaced = malloc(strlen(body) + 2);
  snprintf(spaced, strlen(body) + 2, "%s ", body);
  const char *others[] = {body2, spaced};
  for (size_t i = 0; i < 2; i++) {
    call_s("POST", "/api/v1/teamprofielen", w, h, others[i], &again);
    it_assert_problem(&again, 409);
    ck_assert_str_eq(problem_code(&again), "idempotency-key-reused");
    it_response_free(&again);
  }
  assert_counts(before, "a key reused with another body");

  /* Keys are per client: another client's same key is its own. */
  const struct client *n = &clients[N];
  call_s("POST", "/api/v1/teamprofielen", n, h, body, &again);
  ck_assert_int_eq(again.status, 201);
  ck_assert_str_ne(json_string_value(json_object_get(again.json, "uuid")), uuid);
  it_response_free(&again);
  /* One create in the audit trail of the first profile. */
  ck_assert_int_eq(
      sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s' AND actie = 'create'", uuid),
      1);
  it_response_free(&first);
  free(before);
  free(spaced);
  free(body);
  free(body2);
}
END_TEST

START_TEST(idempotency_key_must_be_a_quoted_string) {
  const struct client *w = &clients[W];
  char *body = valid_body("GM0772", "2026-02-04");
  /* 255 characters are allowed, 256 are not. */
  static char long_key[300], longer_key[300];
  snprintf(long_key, sizeof(long_key), "Idempotency-Key: \"%0255d\"", 0);
  snprintf(longer_key, sizeof(longer_key), "Idempotency-Key: \"%0256d\"", 0);
  static const struct {
    const char *header, *code;
  } bad[] = {
      {"Idempotency-Key: 8e03978e-40d5-43e8-bc93-6894a57f9324", "invalid-format"},
      {"Idempotency-Key: \"abc", "invalid-format"},
      {"Idempotency-Key: \"a\"b", "invalid-format"},
      {"Idempotency-Key: \"a\";x=1", "invalid-format"},
      {"Idempotency-Key: \"a\", \"b\"", "invalid-format"},
      {"Idempotency-Key: \"a\\x\"", "invalid-format"},
      {"Idempotency-Key: \"caf\xc3\xa9\"", "invalid-format"},
      {"Idempotency-Key: \"a\tb\"", "invalid-format"},
      {"Idempotency-Key: \"\"", "invalid-length"},
      {NULL, "invalid-length"}, /* longer_key */
  };
  char *before = own_counts();
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    const char *h[] = {bad[i].header ? bad[i].header : longer_key, NULL};
    struct it_response r;
    call_s("POST", "/api/v1/teamprofielen", w, h, body, &r);
    ck_assert_msg(r.status == 400, "%s gave %ld: %s", h[0], r.status, r.body);
    it_assert_problem(&r, 400);
    ck_assert_msg(invalid_has(&r, "Idempotency-Key", bad[i].code), "%s: %s", h[0], r.body);
    it_response_free(&r);
  }
  assert_counts(before, "malformed Idempotency-Key headers");
  free(before);
  /* Spaces around the string and escapes in it are fine; the key is the
   * string's content. */
  const char *h[] = {long_key, NULL};
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen", w, h, body), 201);
  char escaped[128];
  snprintf(escaped, sizeof(escaped), "Idempotency-Key:  \"it-%d-a\\\"b\\\\c\" ", (int)getpid());
  const char *h2[] = {escaped, NULL};
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen", w, h2, body), 201);
  ck_assert_int_eq(sql_long("SELECT count(*) FROM idempotentiesleutels WHERE client_id = '%s'"
                            " AND sleutel = 'it-%d-a\"b\\c'",
                            w->id, (int)getpid()),
                   1);
  free(body);
}
END_TEST

/* The number of profiles of client `c`. */
static long profiles_of(const struct client *c) {
  return sql_long("SELECT count(*) FROM teamprofielen WHERE client_id = '%s'", c->id);
}

START_TEST(expired_keys_are_new_and_purged) {
  const struct client *w = &clients[W];
  char key[128], sql[1024];
  key_header(key, sizeof(key), "expired");
  const char *h[] = {key, NULL};
  char *body = valid_body("GM0772", "2026-02-05");
  struct it_response first, again;
  call_s("POST", "/api/v1/teamprofielen", w, h, body, &first);
  ck_assert_int_eq(first.status, 201);
  /* A day later the key is forgotten: the same request is a new one. */
  snprintf(sql, sizeof(sql),
           "UPDATE idempotentiesleutels SET aangemaakt = now() - interval '25 hours',"
           " verloopt = now() - interval '1 hour'"
           " WHERE client_id = '%s' AND sleutel = 'it-%d-expired'",
           w->id, (int)getpid());
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
  long profiles = profiles_of(w);
  call_s("POST", "/api/v1/teamprofielen", w, h, body, &again);
  ck_assert_int_eq(again.status, 201);
  ck_assert_str_ne(again.body, first.body);
  ck_assert_int_eq(profiles_of(w), profiles + 1);
  it_response_free(&again);
  it_response_free(&first);
  free(body);

  /* The purge: expired records only, at most `limit` per call. Five of
   * these seven have expired. */
  snprintf(sql, sizeof(sql),
           "INSERT INTO idempotentiesleutels (client_id, sleutel, vingerafdruk, aangemaakt,"
           " verloopt, status, teamprofiel, etag, location, antwoord)"
           " SELECT '%s', 'it-%d-purge-' || i, repeat('0', 64), now() - interval '2 days',"
           " now() - interval '1 day' + i * interval '1 second'"
           " + CASE WHEN i > 5 THEN interval '3 days' ELSE interval '0' END,"
           " 201, gen_random_uuid(), '\"x\"', '/api/v1/teamprofielen/x', '{}'"
           " FROM generate_series(1, 7) AS i",
           w->id, (int)getpid());
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
  struct tp_pool *pool = NULL;
  struct tp_db *db = NULL;
  ck_assert_int_eq(tp_pool_create(&pool, it_database_url(), 1, 1000), TP_OK);
  ck_assert_int_eq(tp_pool_acquire(pool, &db), TP_OK);
  long purged = -1;
  ck_assert_int_eq(tp_repo_idempotency_purge(db, 0, &purged), TP_ERR_PARAM);
  int calls = 0;
  do {
    ck_assert_int_eq(tp_repo_idempotency_purge(db, 3, &purged), TP_OK);
    ck_assert_int_le(purged, 3);
    calls++;
  } while (purged == 3 && calls < 100);
  tp_pool_release(pool, db);
  tp_pool_destroy(pool);
  ck_assert_int_ge(calls, 2);
  ck_assert_int_eq(sql_long("SELECT count(*) FROM idempotentiesleutels WHERE client_id = '%s'"
                            " AND sleutel LIKE 'it-%d-purge-%%'",
                            w->id, (int)getpid()),
                   2);
  /* The live record of the request above stays. */
  ck_assert_int_eq(sql_long("SELECT count(*) FROM idempotentiesleutels WHERE client_id = '%s'"
                            " AND sleutel = 'it-%d-expired'",
                            w->id, (int)getpid()),
                   1);
}
END_TEST

/* The server deletes expired keys itself, at start and then hourly. */
START_TEST(server_purges_expired_keys) {
  const struct client *w = &clients[W];
  char sql[1024];
  snprintf(sql, sizeof(sql),
           "INSERT INTO idempotentiesleutels (client_id, sleutel, vingerafdruk, aangemaakt,"
           " verloopt, status, teamprofiel, etag, location, antwoord)"
           " SELECT '%s', 'it-%d-server-' || i, repeat('0', 64), now() - interval '2 days',"
           " now() + CASE WHEN i = 4 THEN interval '1 hour' ELSE interval '-1 hour' END,"
           " 201, gen_random_uuid(), '\"x\"', '/api/v1/teamprofielen/x', '{}'"
           " FROM generate_series(1, 4) AS i",
           w->id, (int)getpid());
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
  struct it_server own;
  ck_assert_int_eq(it_server_start(&own, SERVER_ENV), 0);
  long left = -1;
  for (int i = 0; i < 100 && left != 1; i++) {
    left = sql_long("SELECT count(*) FROM idempotentiesleutels WHERE client_id = '%s'"
                    " AND sleutel LIKE 'it-%d-server-%%'",
                    w->id, (int)getpid());
    if (left != 1) usleep(100 * 1000);
  }
  ck_assert_int_eq(it_server_stop_verbose(&own), 0);
  ck_assert_int_eq(left, 1); /* the live one */
}
END_TEST

/* --- the same key at once, and after an unknown outcome ---------------------- */

#define KEYED_POSTERS 6
#define KEYED_ROUNDS 5

/* One round: KEYED_POSTERS POSTs with key `name` at once, while commits
 * take 1.5 s. Asserts that exactly one profile is stored, that every
 * answer is that profile's 201 or a 409 idempotency-key-in-use, and that
 * the key gives the same answer afterwards. Returns how many got 409. */
static int keyed_round(const struct client *s, const char *name, const char *auth, char *body) {
  char key[128];
  key_header(key, sizeof(key), name);
  long profiles = profiles_of(s);
  pthread_barrier_t start;
  ck_assert_int_eq(pthread_barrier_init(&start, NULL, KEYED_POSTERS), 0);
  struct writer posters[KEYED_POSTERS];
  pthread_t threads[KEYED_POSTERS];
  for (int i = 0; i < KEYED_POSTERS; i++) {
    posters[i] = (struct writer){&start, "POST", "/api/v1/teamprofielen", auth, key, body, -1, {0}};
    ck_assert_int_eq(pthread_create(&threads[i], NULL, write_once, &posters[i]), 0);
  }
  for (int i = 0; i < KEYED_POSTERS; i++) pthread_join(threads[i], NULL);
  pthread_barrier_destroy(&start);
  int created = 0, running = 0;
  const struct it_response *first = NULL;
  for (int i = 0; i < KEYED_POSTERS; i++) {
    struct it_response *r = &posters[i].r;
    ck_assert_msg(posters[i].rc == 0, "poster %d got no response", i);
    if (r->status == 201) {
      if (first != NULL) assert_same_answer(first, r);
      first = r;
      created++;
    } else {
      ck_assert_msg(r->status == 409, "poster %d got %ld: %s", i, r->status, r->body);
      it_assert_problem(r, 409);
      ck_assert_str_eq(problem_code(r), "idempotency-key-in-use");
      running++;
    }
  }
  /* Exactly one profile; the others were told the first is still running
   * (or, arriving after it, got its answer). */
  ck_assert_int_eq(profiles_of(s), profiles + 1);
  ck_assert_int_ge(created, 1);
  /* Once it is done, the key gives its answer. */
  const char *h[] = {key, NULL};
  struct it_response again;
  call_s("POST", "/api/v1/teamprofielen", s, h, body, &again);
  assert_same_answer(first, &again);
  it_response_free(&again);
  ck_assert_int_eq(profiles_of(s), profiles + 1);
  for (int i = 0; i < KEYED_POSTERS; i++) it_response_free(&posters[i].r);
  return running;
}

START_TEST(one_key_at_once_stores_one_profile) {
  const struct client *s = &clients[S];
  /* Commits that take 1.5 s (within the deadline): the first request is
   * still running when the others arrive. */
  slow_commits_for(s, 1.5);
  ck_assert_int_eq(curl_global_init(CURL_GLOBAL_DEFAULT), 0);
  char auth[4096];
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s", s->token);
  char *body = valid_body("GM0772", "2026-02-06");
  /* libmicrohttpd may accept several connections at once on one worker,
   * which then serves them one after the other: such a round has no 409.
   * Some round of a few must show one, unless under valgrind, where the
   * server may reach the others only after the first every time. */
  int running = 0;
  for (int round = 0; round < KEYED_ROUNDS && running == 0; round++) {
    char name[32];
    snprintf(name, sizeof(name), "at-once-%d", round);
    running = keyed_round(s, name, auth, body);
  }
  no_slow_commits();
  if (!it_valgrind()) ck_assert_msg(running >= 1, "no 409 in %d rounds", KEYED_ROUNDS);
  free(body);
  curl_global_cleanup();
}
END_TEST

START_TEST(unknown_outcome_then_the_same_key_is_safe) {
  const struct client *s = &clients[S];
  slow_commits_for(s, 4);
  char key[128];
  key_header(key, sizeof(key), "unknown");
  const char *h[] = {key, NULL};
  char *body = valid_body("GM0772", "2026-02-07");
  long profiles = profiles_of(s);
  struct it_response r;
  char uuid[40];
  call_s("POST", "/api/v1/teamprofielen", s, h, body, &r);
  assert_outcome_unknown(&r, NULL, "VastleggenUitkomstOnbekend", "metSleutel", uuid);
  it_response_free(&r);
  /* PostgreSQL went on and stored it. */
  ck_assert(sql_becomes_true(10, "SELECT count(*) = 1 FROM teamprofielen WHERE uuid = '%s'",
                             uuid));
  sleep_ms(1100); /* the server's breaker */
  no_slow_commits();
  /* The retry the 504 allows: the stored answer, no second profile. */
  struct it_response again, get;
  call_s("POST", "/api/v1/teamprofielen", s, h, body, &again);
  ck_assert_msg(again.status == 201, "the retry gave %ld: %s", again.status, again.body);
  ck_assert_str_eq(json_string_value(json_object_get(again.json, "uuid")), uuid);
  char path[96];
  snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s", uuid);
  ck_assert_str_eq(it_header(&again, "Location"), path);
  call_s("GET", path, s, NULL, NULL, &get);
  ck_assert_int_eq(get.status, 200);
  ck_assert_str_eq(get.body, again.body);
  ck_assert_str_eq(it_header(&get, "ETag"), it_header(&again, "ETag"));
  ck_assert_int_eq(profiles_of(s), profiles + 1);
  it_response_free(&again);
  it_response_free(&get);
  free(body);
}
END_TEST

/* --- strings ------------------------------------------------------------------ */

START_TEST(awkward_strings_round_trip) {
  const char *labels[] = {
      "'; DROP TABLE teamprofielen; --",
      "Robert'); DROP TABLE clients;--",
      "\xf0\x9f\x9a\x80 Webteam \xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", /* 🚀 👩‍💻 */
      "Zo\xc3\xab \"aanhalingstekens\" \\ backslash / slash",
      "tab\there, newline\nthere",
      "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xe2\x80\x94 <script>alert(1)</script> &amp;",
      "$1 %s %n {} [] $$ quote'dollar$$",
  };
  const char *note = "'; DROP TABLE -- \xf0\x9f\x8e\x89 \xce\xa9 \xe2\x89\xa0 caf\xc3\xa9 "
                     "\"x\" \\ \\u0041 \xf0\x9f\x87\xb3\xf0\x9f\x87\xb1";
  size_t n = sizeof(labels) / sizeof(labels[0]);
  json_t *leden = json_array();
  for (size_t i = 0; i < n; i++) {
    json_array_append_new(leden, json_pack("{s:s, s:f, s:[{s:s, s:f}], s:[]}", "label", labels[i],
                                           "fte", 0.5, "rollen", "rol", "webredacteur", "aandeel",
                                           0.5, "competenties"));
  }
  json_t *doc = json_pack("{s:s, s:s, s:s, s:o}", "gemeente", "GM0772", "peildatum", "2026-01-01",
                          "toelichting", note, "leden", leden);
  char *body = dump(doc);
  struct profile p;
  create(&clients[W], body, &p);
  struct it_response r;
  call_s("GET", p.path, &clients[W], NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(json_string_value(json_object_get(r.json, "toelichting")), note);
  json_t *got = json_object_get(r.json, "leden");
  ck_assert_uint_eq(json_array_size(got), n);
  for (size_t i = 0; i < n; i++) {
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(got, i), "label")),
                     labels[i]);
  }
  ck_assert(json_equal(got, json_object_get(doc, "leden")));
  it_response_free(&r);

  /* And through a PUT, reversed, with a hostile audit note. */
  json_t *reversed = json_array();
  for (size_t i = n; i-- > 0;) {
    json_array_append(reversed, json_array_get(json_object_get(doc, "leden"), i));
  }
  json_object_set_new(doc, "leden", reversed);
  json_object_set_new(doc, "toelichting", json_string(labels[2]));
  char *body2 = dump(doc);
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, "X-Audit-Toelichting: '; DROP TABLE audittrail; -- \"x\"", NULL};
  call_s("PUT", p.path, &clients[W], h, body2, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(json_string_value(json_object_get(r.json, "toelichting")), labels[2]);
  ck_assert(json_equal(json_object_get(r.json, "leden"), json_object_get(doc, "leden")));
  it_response_free(&r);
  /* The tables are all still there and the note is stored as sent. */
  char *stored = sqlf("SELECT toelichting FROM audittrail WHERE profiel = '%s' AND actie = 'update'",
                      p.uuid);
  ck_assert_str_eq(stored, "'; DROP TABLE audittrail; -- \"x\"");
  free(stored);
  ck_assert_int_ge(sql_long("SELECT count(*) FROM clients WHERE id LIKE '%s%%'", prefix), 1);
  ck_assert_int_ge(sql_long("SELECT count(*) FROM teamprofielen WHERE gemeente = '%s'", "GM0772"),
                   1);
  free(body);
  free(body2);
  json_decref(doc);
}
END_TEST

/* --- the audit trail ------------------------------------------------------------ */

static const json_t *entry(const json_t *page, size_t i) {
  return json_array_get(json_object_get(page, "results"), i);
}

static const char *field(const json_t *e, const char *key) {
  return json_string_value(json_object_get(e, key));
}

START_TEST(audit_trail_of_create_update_delete) {
  const struct client *w = &clients[W];
  char *body = valid_body("GM0772", "2026-01-01");
  const char *h1[] = {"X-Audit-Toelichting: eerste opgave", NULL};
  struct it_response r;
  call_s("POST", "/api/v1/teamprofielen", w, h1, body, &r);
  ck_assert_int_eq(r.status, 201);
  json_t *created = json_incref(r.json);
  char uuid[40], path[96], trail[128], etag[64];
  snprintf(uuid, sizeof(uuid), "%s", field(created, "uuid"));
  snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s", uuid);
  snprintf(trail, sizeof(trail), "%s/audittrail", path);
  snprintf(etag, sizeof(etag), "%s", it_header(&r, "ETag"));
  it_response_free(&r);

  char *body2 = valid_body("GM0772", "2026-07-01");
  char im[128];
  if_match(im, sizeof(im), etag);
  const char *h2[] = {im, "X-Audit-Toelichting: correctie na herindeling", NULL};
  call_s("PUT", path, w, h2, body2, &r);
  ck_assert_int_eq(r.status, 200);
  json_t *updated = json_incref(r.json);
  if_match(im, sizeof(im), it_header(&r, "ETag"));
  it_response_free(&r);
  /* A refused write leaves no entry. */
  const char *stale[] = {"If-Match: \"00000000000000000000000000000000\"",
                         "X-Audit-Toelichting: mag niet", NULL};
  ck_assert_int_eq(status_of("PUT", path, w, stale, body2), 412);

  const char *h3[] = {im, "X-Audit-Toelichting: team opgeheven", NULL};
  ck_assert_int_eq(status_of("DELETE", path, w, h3, NULL), 204);
  ck_assert_int_eq(status_of("GET", path, w, NULL, NULL), 404);

  /* Readable after the delete. */
  call_s("GET", trail, w, NULL, NULL, &r);
  ck_assert_msg(r.status == 200, "audittrail gave %ld: %s", r.status, r.body);
  it_assert_conventions(&r);
  ck_assert_int_eq(json_integer_value(json_object_get(r.json, "count")), 3);
  static const struct {
    const char *actie, *toelichting;
    int resultaat;
  } want[] = {{"create", "eerste opgave", 201},
              {"update", "correctie na herindeling", 200},
              {"destroy", "team opgeheven", 204}};
  for (size_t i = 0; i < 3; i++) {
    const json_t *e = entry(r.json, i);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(field(e, "actie"), want[i].actie);
    ck_assert_int_eq(json_integer_value(json_object_get(e, "resultaat")), want[i].resultaat);
    ck_assert_str_eq(field(e, "clientId"), w->id);
    ck_assert_str_eq(field(e, "toelichting"), want[i].toelichting);
    ck_assert_str_eq(field(e, "teamprofiel"), uuid);
    ck_assert_str_eq(field(e, "gemeente"), "GM0772");
    ck_assert_ptr_nonnull(field(e, "uuid"));
    ck_assert_ptr_nonnull(field(e, "aanmaakdatum"));
    if (i > 0) ck_assert_str_ge(field(e, "aanmaakdatum"), field(entry(r.json, i - 1), "aanmaakdatum"));
  }
  /* oud/nieuw: nothing -> created -> updated -> nothing. */
  ck_assert(json_is_null(json_object_get(entry(r.json, 0), "oud")));
  ck_assert(json_equal(json_object_get(entry(r.json, 0), "nieuw"), created));
  ck_assert(json_equal(json_object_get(entry(r.json, 1), "oud"), created));
  ck_assert(json_equal(json_object_get(entry(r.json, 1), "nieuw"), updated));
  ck_assert(json_equal(json_object_get(entry(r.json, 2), "oud"), updated));
  ck_assert(json_is_null(json_object_get(entry(r.json, 2), "nieuw")));
  it_response_free(&r);

  /* A note without a header is null. */
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  char trail2[128];
  snprintf(trail2, sizeof(trail2), "%s/audittrail", p.path);
  call_s("GET", trail2, w, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert(json_is_null(json_object_get(entry(r.json, 0), "toelichting")));
  it_response_free(&r);
  json_decref(created);
  json_decref(updated);
  free(body);
  free(body2);
}
END_TEST

START_TEST(audittrail_needs_its_scope_and_municipality) {
  struct profile p;
  create_valid(&clients[W], "GM0772", "2026-01-01", &p);
  char trail[160];
  snprintf(trail, sizeof(trail), "%s/audittrail", p.path);
  ck_assert_int_eq(status_of("GET", trail, &clients[W], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", trail, NULL, NULL, NULL), 401);
  ck_assert_int_eq(status_of("GET", trail, &clients[N], NULL, NULL), 403); /* no scope */
  ck_assert_int_eq(status_of("GET", trail, &clients[R], NULL, NULL), 403); /* no scope */
  ck_assert_int_eq(status_of("GET", trail, &clients[O], NULL, NULL), 403); /* other gemeente */
  /* A profile that never existed has no trail. */
  ck_assert_int_eq(status_of("GET", "/api/v1/teamprofielen/6f1c2a34-0000-4000-8000-000000000000/audittrail",
                             &clients[W], NULL, NULL),
                   404);
}
END_TEST

START_TEST(audit_note_too_long_is_400) {
  char note[1100];
  static char header[1200];
  memset(note, 'n', 1001);
  note[1001] = '\0';
  snprintf(header, sizeof(header), "X-Audit-Toelichting: %s", note);
  const char *h[] = {header, NULL};
  char *body = valid_body("GM0772", "2026-01-01");
  char *before = own_counts();
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen", &clients[W], h, body), 400);
  assert_counts(before, "a note of 1001 bytes");
  note[1000] = '\0';
  snprintf(header, sizeof(header), "X-Audit-Toelichting: %s", note);
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen", &clients[W], h, body), 201);
  free(before);
  free(body);
}
END_TEST

START_TEST(audit_note_that_is_not_utf8_is_400) {
  /* Header bytes that are not UTF-8 are the client's mistake: 400, not a
   * 500 from PostgreSQL refusing the text. */
  const char *h[] = {"X-Audit-Toelichting: caf\xe9 \xff", NULL};
  char *body = valid_body("GM0772", "2026-01-01");
  char *before = own_counts();
  struct it_response r;
  call_s("POST", "/api/v1/teamprofielen", &clients[W], h, body, &r);
  ck_assert_msg(r.status == 400, "a Latin-1 X-Audit-Toelichting gave %ld: %s", r.status, r.body);
  it_response_free(&r);
  assert_counts(before, "a note that is not UTF-8");
  free(before);
  free(body);
}
END_TEST

/* --- 415 and 413 ------------------------------------------------------------------ */

START_TEST(wrong_content_type_is_415) {
  const struct client *w = &clients[W];
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  char *before = own_counts();
  char *body = valid_body("GM0772", "2026-02-01");
  const char *plain[] = {"Content-Type: text/plain", NULL};
  struct it_response r;
  call_s("POST", "/api/v1/teamprofielen", w, plain, body, &r);
  it_assert_problem(&r, 415);
  ck_assert_str_eq(json_string_value(json_object_get(r.json, "code")), "unsupported-media-type");
  it_response_free(&r);
  const char *form[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen", w, form, body), 415);
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *put_plain[] = {"Content-Type: text/plain", im, NULL};
  ck_assert_int_eq(status_of("PUT", p.path, w, put_plain, body), 415);
  assert_counts(before, "415");
  free(before);
  free(body);
}
END_TEST

START_TEST(body_over_the_limit_is_413) {
  const struct client *w = &clients[W];
  char *before = own_counts();
  /* A valid body padded with spaces to one byte over the limit. */
  char *body = valid_body("GM0772", "2026-01-01");
  size_t n = strlen(body);
  char *big = malloc(MAX_BODY + 2);
  memcpy(big, body, n);
  memset(big + n, ' ', MAX_BODY + 1 - n);
  big[MAX_BODY + 1] = '\0';
  struct it_response r;
  call("POST", "/api/v1/teamprofielen", w, NULL, big, MAX_BODY + 1, &r);
  it_assert_problem(&r, 413);
  it_response_free(&r);
  /* Far over the limit. */
  size_t huge = 4 * MAX_BODY;
  char *hbody = malloc(huge);
  memset(hbody, ' ', huge);
  hbody[0] = '{';
  call("POST", "/api/v1/teamprofielen", w, NULL, hbody, huge, &r);
  it_assert_problem(&r, 413);
  it_response_free(&r);
  free(hbody);
  assert_counts(before, "413");
  free(before);
  /* Exactly at the limit it is read and stored. */
  call("POST", "/api/v1/teamprofielen", w, NULL, big, MAX_BODY, &r);
  ck_assert_msg(r.status == 201, "a body of exactly the limit gave %ld", r.status);
  it_response_free(&r);
  free(big);
  free(body);
}
END_TEST

/* --- the list ------------------------------------------------------------------------ */

/* GET `query` as `c` (200 expected); the page. */
static json_t *list(const struct client *c, const char *query) {
  char path[512];
  snprintf(path, sizeof(path), "/api/v1/teamprofielen?pageSize=100%s%s", query[0] ? "&" : "",
           query);
  struct it_response r;
  call_s("GET", path, c, NULL, NULL, &r);
  ck_assert_msg(r.status == 200, "%s gave %ld: %s", path, r.status, r.body);
  json_t *page = json_incref(r.json);
  it_response_free(&r);
  /* Everything fits on one page here. */
  ck_assert_int_eq(json_integer_value(json_object_get(page, "count")),
                   (json_int_t)json_array_size(json_object_get(page, "results")));
  return page;
}

static int lists(const json_t *page, const char *uuid) {
  size_t i;
  json_t *p;
  json_array_foreach(json_object_get(page, "results"), i, p) {
    if (strcmp(field(p, "uuid"), uuid) == 0) return 1;
  }
  return 0;
}

START_TEST(list_shows_own_and_reference_profiles_and_filters) {
  const struct client *l = &clients[L];
  struct profile a1, a2, b1, other;
  create_valid(l, "GM0153", "2031-01-15", &a1);
  create_valid(l, "GM0153", "2031-06-15", &a2);
  create_valid(l, "GM0164", "2031-03-15", &b1);
  create_valid(&clients[W], "GM0772", "2031-03-15", &other);

  /* Own and reference profiles only. */
  json_t *page = list(l, "");
  size_t i;
  json_t *p;
  json_array_foreach(json_object_get(page, "results"), i, p) {
    const char *g = field(p, "gemeente");
    ck_assert_msg(json_is_true(json_object_get(p, "referentie")) || strcmp(g, "GM0153") == 0 ||
                      strcmp(g, "GM0164") == 0,
                  "the list shows %s of %s", field(p, "uuid"), g);
  }
  ck_assert(lists(page, a1.uuid) && lists(page, a2.uuid) && lists(page, b1.uuid));
  ck_assert(!lists(page, other.uuid));
  char *want = sqlf("SELECT count(*) FROM teamprofielen WHERE referentie OR gemeente IN "
                    "('GM0153', 'GM0164')");
  ck_assert_int_eq(json_integer_value(json_object_get(page, "count")), atol(want));
  free(want);
  json_decref(page);

  /* gemeente */
  page = list(l, "gemeente=GM0153");
  json_array_foreach(json_object_get(page, "results"), i, p) {
    ck_assert_str_eq(field(p, "gemeente"), "GM0153");
  }
  ck_assert(lists(page, a1.uuid) && lists(page, a2.uuid) && !lists(page, b1.uuid));
  json_decref(page);
  /* Another municipality's filter shows none of its own profiles. */
  page = list(l, "gemeente=GM0772");
  ck_assert(!lists(page, other.uuid));
  json_array_foreach(json_object_get(page, "results"), i, p) {
    ck_assert(json_is_true(json_object_get(p, "referentie")));
  }
  json_decref(page);

  /* peildatumVanaf / peildatumTot, inclusive. */
  page = list(l, "peildatumVanaf=2031-03-15");
  json_array_foreach(json_object_get(page, "results"), i, p) {
    ck_assert_str_ge(field(p, "peildatum"), "2031-03-15");
  }
  ck_assert(!lists(page, a1.uuid) && lists(page, a2.uuid) && lists(page, b1.uuid));
  json_decref(page);
  page = list(l, "peildatumTot=2031-03-15");
  json_array_foreach(json_object_get(page, "results"), i, p) {
    ck_assert_str_le(field(p, "peildatum"), "2031-03-15");
  }
  ck_assert(lists(page, a1.uuid) && !lists(page, a2.uuid) && lists(page, b1.uuid));
  json_decref(page);
  page = list(l, "peildatumVanaf=2031-02-01&peildatumTot=2031-04-01");
  ck_assert(!lists(page, a1.uuid) && !lists(page, a2.uuid) && lists(page, b1.uuid));
  json_decref(page);
  page = list(l, "gemeente=GM0153&peildatumVanaf=2031-02-01");
  ck_assert(!lists(page, a1.uuid) && lists(page, a2.uuid) && !lists(page, b1.uuid));
  json_decref(page);
  page = list(l, "referentie=false");
  json_array_foreach(json_object_get(page, "results"), i, p) {
    ck_assert(json_is_false(json_object_get(p, "referentie")));
  }
  ck_assert(lists(page, a1.uuid) && lists(page, a2.uuid) && lists(page, b1.uuid));
  json_decref(page);
  page = list(l, "referentie=true");
  ck_assert_int_eq(json_integer_value(json_object_get(page, "count")), 7);
  json_decref(page);

  /* Filters that name nothing, or are no date: 400 naming the parameter. */
  static const struct {
    const char *query, *name;
  } bad[] = {{"gemeente=GM9999", "gemeente"},
             {"gemeente=GM01", "gemeente"},
             {"peildatumVanaf=2026-02-29", "peildatumVanaf"},
             {"peildatumTot=2031-13-01", "peildatumTot"},
             {"peildatumTot=morgen", "peildatumTot"},
             {"onbekend=1", "onbekend"}};
  for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
    char path[256];
    snprintf(path, sizeof(path), "/api/v1/teamprofielen?%s", bad[k].query);
    struct it_response r;
    call_s("GET", path, l, NULL, NULL, &r);
    it_assert_problem(&r, 400);
    size_t j;
    json_t *e;
    int found = 0;
    json_array_foreach(json_object_get(r.json, "invalidParams"), j, e) {
      found |= strcmp(field(e, "name"), bad[k].name) == 0;
    }
    ck_assert_msg(found, "%s: %s not named in %s", bad[k].query, bad[k].name, r.body);
    it_response_free(&r);
  }
  /* Without a token: only with referentie=true. */
  ck_assert_int_eq(status_of("GET", "/api/v1/teamprofielen?gemeente=GM0153", NULL, NULL, NULL),
                   401);
  page = list(NULL, "referentie=true&gemeente=GM0153");
  ck_assert_int_eq(json_integer_value(json_object_get(page, "count")), 0);
  json_decref(page);
}
END_TEST

int main(void) {
  it_database_url();
  Suite *s = suite_create("teamprofielen");
  TCase *tc = tcase_create("teamprofielen");
  tcase_set_timeout(tc, 60);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, no_token_is_401);
  tcase_add_test(tc, bad_signature_is_401);
  tcase_add_test(tc, expired_token_is_401);
  tcase_add_test(tc, other_bad_tokens_are_401);
  tcase_add_test(tc, unknown_revoked_and_forged_tokens_answer_alike);
  tcase_add_test(tc, missing_scope_is_403);
  tcase_add_test(tc, other_municipality_can_neither_read_nor_change);
  tcase_add_test(tc, forbidden_profile_names_no_municipality);
  tcase_add_test(tc, reference_profiles_stay_public);
  tcase_add_test(tc, every_rule_fails_and_passes);
  tcase_add_test(tc, five_errors_in_one_request);
  tcase_add_test(tc, invalid_json_and_duplicate_keys);
  tcase_add_test(tc, at_most_500_members);
  tcase_add_test(tc, unknown_field_with_a_long_name_is_400);
  tcase_add_test(tc, post_is_201_with_location_of_the_same_document);
  tcase_add_test(tc, put_and_delete_need_if_match);
  tcase_add_test(tc, if_match_is_an_entity_tag_list_compared_strongly);
  tcase_add_test(tc, malformed_if_match_is_412_and_changes_nothing);
  tcase_add_test(tc, writes_take_no_query_parameters);
  tcase_add_test(tc, text_limits_count_characters);
  tcase_add_test(tc, audittrail_follows_the_profile_to_its_new_municipality);
  tcase_add_test(tc, twenty_concurrent_puts_one_wins);
  tcase_add_test(tc, killed_connection_leaves_no_partial_profile);
  tcase_add_test(tc, idempotency_key_replays_the_first_answer);
  tcase_add_test(tc, idempotency_key_must_be_a_quoted_string);
  tcase_add_test(tc, expired_keys_are_new_and_purged);
  tcase_add_test(tc, server_purges_expired_keys);
  tcase_add_test(tc, awkward_strings_round_trip);
  tcase_add_test(tc, audit_trail_of_create_update_delete);
  tcase_add_test(tc, audittrail_needs_its_scope_and_municipality);
  tcase_add_test(tc, audit_note_too_long_is_400);
  tcase_add_test(tc, audit_note_that_is_not_utf8_is_400);
  tcase_add_test(tc, wrong_content_type_is_415);
  tcase_add_test(tc, body_over_the_limit_is_413);
  tcase_add_test(tc, list_shows_own_and_reference_profiles_and_filters);
  /* Last: revokes client X. */
  tcase_add_test(tc, revoked_client_is_401_on_the_next_request);
  suite_add_tcase(s, tc);
  /* Writes whose COMMIT outlives the deadline, on a server of their own:
   * each trips its one-second breaker, which must not meet other tests. */
  TCase *slow = tcase_create("onbekende uitkomst");
  tcase_set_timeout(slow, 60);
  tcase_add_unchecked_fixture(slow, setup, teardown);
  tcase_add_test(slow, unknown_commit_outcome_is_504_naming_the_profile);
  tcase_add_test(slow, one_key_at_once_stores_one_profile);
  tcase_add_test(slow, unknown_outcome_then_the_same_key_is_safe);
  suite_add_tcase(s, slow);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
