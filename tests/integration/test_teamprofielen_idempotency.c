/* Team profiles: Idempotency-Key (replay, 409, syntax, expiry, purge, one
 * key at once), and writes whose COMMIT outlives the deadline (504) on a
 * test case and server of their own. */
#include <check.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fixture_teamprofielen.h"
#include "teamplotter/pool.h"
#include "teamplotter/teamprofielen_repo.h"

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
    it_sleep_ms(100);
  }
  return 0;
}

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
  const struct it_client *s = &clients[S];
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
  it_sleep_ms(1100); /* the server's breaker: one second */
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
  it_sleep_ms(1100);
  ck_assert_int_eq(status_of("PUT", path, s, h, body2), 412);

  /* DELETE: the same; a retry then gets 404. */
  refresh_etag(s, &p);
  if_match(im, sizeof(im), p.etag);
  call_s("DELETE", path, s, h, NULL, &r);
  assert_outcome_unknown(&r, uuid, "VerwijderenUitkomstOnbekend", NULL, uuid);
  it_response_free(&r);
  ck_assert(sql_becomes_true(10, "SELECT count(*) = 0 FROM teamprofielen WHERE uuid = '%s'",
                             uuid));
  it_sleep_ms(1100);
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
  const struct it_client *w = &clients[W];
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
  const struct it_client *n = &clients[N];
  call_s("POST", "/api/v1/teamprofielen", n, h, body, &again);
  ck_assert_int_eq(again.status, 201);
  ck_assert_str_ne(json_string_value(json_object_get(again.json, "uuid")), uuid);
  it_response_free(&again);
  /* One create in the audit trail of the first profile. */
  ck_assert_int_eq(
      it_sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s' AND actie = 'create'",
                  uuid),
      1);
  it_response_free(&first);
  free(before);
  free(spaced);
  free(body);
  free(body2);
}
END_TEST

START_TEST(idempotency_key_must_be_a_quoted_string) {
  const struct it_client *w = &clients[W];
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
    ck_assert_msg(it_invalid_has(&r, "Idempotency-Key", bad[i].code), "%s: %s", h[0], r.body);
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
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM idempotentiesleutels WHERE client_id = '%s'"
                               " AND sleutel = 'it-%d-a\"b\\c'",
                               w->id, (int)getpid()),
                   1);
  free(body);
}
END_TEST

/* The number of profiles of client `c`. */
static long profiles_of(const struct it_client *c) {
  return it_sql_long("SELECT count(*) FROM teamprofielen WHERE client_id = '%s'", c->id);
}

START_TEST(expired_keys_are_new_and_purged) {
  const struct it_client *w = &clients[W];
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
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM idempotentiesleutels WHERE client_id = '%s'"
                               " AND sleutel LIKE 'it-%d-purge-%%'",
                               w->id, (int)getpid()),
                   2);
  /* The live record of the request above stays. */
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM idempotentiesleutels WHERE client_id = '%s'"
                               " AND sleutel = 'it-%d-expired'",
                               w->id, (int)getpid()),
                   1);
}
END_TEST

/* The server deletes expired keys itself, at start and then hourly. */
START_TEST(server_purges_expired_keys) {
  const struct it_client *w = &clients[W];
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
    left = it_sql_long(
        "SELECT count(*) FROM idempotentiesleutels WHERE client_id = '%s'"
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
static int keyed_round(const struct it_client *s, const char *name, const char *auth, char *body) {
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
  const struct it_client *s = &clients[S];
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
  const struct it_client *s = &clients[S];
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
  it_sleep_ms(1100); /* the server's breaker */
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

int main(void) {
  Suite *s = suite_create("teamprofielen-idempotency");
  TCase *tc = it_case("teamprofielen-idempotency", 60, setup, teardown);
  tcase_add_test(tc, idempotency_key_replays_the_first_answer);
  tcase_add_test(tc, idempotency_key_must_be_a_quoted_string);
  tcase_add_test(tc, expired_keys_are_new_and_purged);
  tcase_add_test(tc, server_purges_expired_keys);
  suite_add_tcase(s, tc);
  /* Writes whose COMMIT outlives the deadline, on a server of their own:
   * each trips its one-second breaker, which must not meet other tests. */
  TCase *slow = it_case("onbekende uitkomst", 60, setup, teardown);
  tcase_add_test(slow, unknown_commit_outcome_is_504_naming_the_profile);
  tcase_add_test(slow, one_key_at_once_stores_one_profile);
  tcase_add_test(slow, unknown_outcome_then_the_same_key_is_safe);
  suite_add_tcase(s, slow);
  return it_run_suite(s);
}
