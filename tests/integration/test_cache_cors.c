/* What a browser may keep and what its scripts may read: Cache-Control,
 * Vary and the CORS headers of each kind of response. Public, anonymous
 * reads are revalidated with their ETag (no-cache); whatever answers a
 * token, writes, errors and probes are never stored (private, no-store). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct it_server srv;

#define ORIGIN "https://dashboard.example.nl"
#define PUBLIC "no-cache"
#define PRIVATE "private, no-store"
#define VARY "Origin, Authorization"
#define EXPOSE "API-Version, ETag, Link, Location, Retry-After, WWW-Authenticate"
#define ALLOW_HEADERS \
  "Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, X-Audit-Toelichting"

static const char *const SERVER_ENV[] = {"TEAMPLOTTER_CORS_ORIGINS=" ORIGIN, NULL};

/* it-cc-<pid>: this run's client, which reads and writes for GM0772. */
static struct it_client client = {
    "", "teamprofielen.lezen,teamprofielen.schrijven", "GM0772", "", "", NULL};
static char auth[1024];

static void setup(void) {
  char prefix[48];
  snprintf(prefix, sizeof(prefix), "it-cc-%d", (int)getpid());
  if (it_server_start(&srv, SERVER_ENV) != 0) it_fail_setup("the server did not start");
  const char *failed = it_clients_add(prefix, &client, 1);
  if (failed != NULL) it_fail_setup(failed);
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s", client.token);
  it_clients_free(&client, 1);
}

static void teardown(void) {
  it_remove_client_rows(client.id);
  if (srv.pid > 0 && it_server_stop(&srv) != 0) it_fail_setup("the server did not stop cleanly");
}

/* One request from the allowed origin, with the token when `token`, plus
 * `extra` (NULL or one "Name: value"). */
static void call(const char *method, const char *path, int token, const char *extra,
                 const char *body, struct it_response *r) {
  const char *h[5] = {"Origin: " ORIGIN};
  size_t n = 1;
  if (token) h[n++] = auth;
  if (extra) h[n++] = extra;
  if (body) h[n++] = "Content-Type: application/json";
  ck_assert_int_eq(it_request(&srv, method, path, h, body, body ? strlen(body) : 0, r), 0);
}

/* Asserts status, Cache-Control, Vary and that a script on the origin may
 * read the response and its documented headers. */
static void assert_kind(const struct it_response *r, long status, const char *cache_control,
                        const char *vary) {
  ck_assert_msg(r->status == status, "status %ld, expected %ld: %s", r->status, status, r->body);
  it_assert_conventions(r);
  ck_assert_ptr_nonnull(it_header(r, "Cache-Control"));
  ck_assert_str_eq(it_header(r, "Cache-Control"), cache_control);
  ck_assert_ptr_nonnull(it_header(r, "Vary"));
  ck_assert_str_eq(it_header(r, "Vary"), vary);
  ck_assert_ptr_nonnull(it_header(r, "Access-Control-Allow-Origin"));
  ck_assert_str_eq(it_header(r, "Access-Control-Allow-Origin"), ORIGIN);
  ck_assert_ptr_nonnull(it_header(r, "Access-Control-Expose-Headers"));
  ck_assert_str_eq(it_header(r, "Access-Control-Expose-Headers"), EXPOSE);
}

/* One request as call() sends it, answered `status` and never kept. */
static void assert_never_kept(const char *method, const char *path, int token, const char *extra,
                              const char *body, long status) {
  struct it_response r;
  call(method, path, token, extra, body, &r);
  assert_kind(&r, status, PRIVATE, VARY);
  it_response_free(&r);
}

/* GET `path` anonymously, then again with its ETag: both `cache_control`. */
static void assert_read_and_304(const char *path, int token, const char *cache_control,
                                const char *vary) {
  struct it_response r;
  call("GET", path, token, NULL, NULL, &r);
  assert_kind(&r, 200, cache_control, vary);
  char inm[160];
  ck_assert_ptr_nonnull(it_header(&r, "ETag"));
  snprintf(inm, sizeof(inm), "If-None-Match: %s", it_header(&r, "ETag"));
  it_response_free(&r);
  call("GET", path, token, inm, NULL, &r);
  assert_kind(&r, 304, cache_control, vary);
  it_response_free(&r);
  call("HEAD", path, token, NULL, NULL, &r);
  assert_kind(&r, 200, cache_control, vary);
  it_response_free(&r);
}

/* The uuid of one reference profile, as a new string. */
static char *reference_uuid(void) {
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, "/api/v1/teamprofielen?referentie=true&pageSize=1", &r), 0);
  ck_assert_int_eq(r.status, 200);
  json_t *first = json_array_get(json_object_get(r.json, "results"), 0);
  const char *uuid = json_string_value(json_object_get(first, "uuid"));
  ck_assert_ptr_nonnull(uuid);
  char *copy = strdup(uuid);
  it_response_free(&r);
  return copy;
}

/* The reference profiles, one of them and its analysis (JSON or SVG), read
 * as assert_read_and_304 does. */
static void assert_reference_reads(int token, const char *cache_control) {
  assert_read_and_304("/api/v1/teamprofielen?referentie=true", token, cache_control, VARY);
  char *uuid = reference_uuid();
  char path[128];
  snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s", uuid);
  assert_read_and_304(path, token, cache_control, VARY);
  snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s/gap-analyse", uuid);
  assert_read_and_304(path, token, cache_control, VARY ", Accept");
  free(uuid);
}

START_TEST(public_anonymous_reads_are_revalidated) {
  static const char *const paths[] = {
      "/api/v1",
      "/api/v1/rollen",
      "/api/v1/rollen/webredacteur",
      "/api/v1/gemeenten?zoek=fryske",
      "/api/v1/succesverhalen",
      "/api/v1/bronnen",
      "/api/v1/catalogusversies",
  };
  for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
    assert_read_and_304(paths[i], 0, PUBLIC, VARY);
  }
  assert_reference_reads(0, PUBLIC);
}
END_TEST

/* The spec is readable from anywhere, and revalidated like the rest. */
START_TEST(the_spec_is_revalidated_from_any_origin) {
  struct it_response r;
  const char *h[] = {"Origin: https://elders.example.com", NULL};
  ck_assert_int_eq(it_request(&srv, "GET", "/api/v1/openapi.json", h, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(it_header(&r, "Cache-Control"), PUBLIC);
  ck_assert_str_eq(it_header(&r, "Access-Control-Allow-Origin"), "*");
  ck_assert_str_eq(it_header(&r, "Access-Control-Expose-Headers"), EXPOSE);
  it_response_free(&r);
}
END_TEST

START_TEST(answers_to_a_token_are_never_stored) {
  /* Public resources too: the service does not judge per route whether a
   * token changed the answer. */
  assert_read_and_304("/api/v1/rollen", 1, PRIVATE, VARY);
  assert_read_and_304("/api/v1/teamprofielen", 1, PRIVATE, VARY);
  assert_reference_reads(1, PRIVATE);
}
END_TEST

START_TEST(writes_are_never_stored) {
  struct it_response r;
  /* JSON or the chart: the answer depends on Accept too. */
  call("POST", "/api/v1/gap-analyses", 0, NULL, "{\"gemeente\": \"GM0050\", \"leden\": []}", &r);
  assert_kind(&r, 200, PRIVATE, VARY ", Accept");
  it_response_free(&r);

  const char *team = "{\"gemeente\": \"GM0772\", \"peildatum\": \"2026-01-01\", \"leden\": "
                     "[{\"label\": \"Regie\", \"fte\": 1.0, \"rollen\": [{\"rol\": "
                     "\"regisseur-online-dienstverlening\", \"aandeel\": 1.0}], "
                     "\"competenties\": []}]}";
  call("POST", "/api/v1/teamprofielen", 1, NULL, team, &r);
  assert_kind(&r, 201, PRIVATE, VARY);
  ck_assert_ptr_nonnull(it_header(&r, "Location"));
  char location[128], if_match[160];
  snprintf(location, sizeof(location), "%s", it_header(&r, "Location"));
  snprintf(if_match, sizeof(if_match), "If-Match: %s", it_header(&r, "ETag"));
  it_response_free(&r);

  assert_never_kept("PUT", location, 1, if_match, team, 200);
  assert_never_kept("DELETE", location, 1, "If-Match: \"stale\"", NULL, 412);
}
END_TEST

START_TEST(errors_are_never_stored) {
  static const struct {
    const char *method, *path, *extra;
    long status;
  } errors[] = {
      {"GET", "/api/v1/rollen/bestaat-niet", NULL, 404},
      {"GET", "/api/v1/nergens", NULL, 404},
      {"GET", "/api/v1/rollen?pageSize=0", NULL, 400},
      {"GET", "/api/v1/rollen", "Accept: application/xml", 406},
      {"POST", "/api/v1/rollen", NULL, 405},
      {"GET", "/api/v1/teamprofielen?referentie=true", "Authorization: Bearer nep", 401},
  };
  for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
    assert_never_kept(errors[i].method, errors[i].path, 0, errors[i].extra, NULL,
                      errors[i].status);
  }
  /* A 401 a script can read, challenge included. */
  struct it_response r;
  call("GET", "/api/v1/teamprofielen", 0, NULL, NULL, &r);
  assert_kind(&r, 401, PRIVATE, VARY);
  ck_assert_str_eq(it_header(&r, "WWW-Authenticate"), "Bearer");
  it_response_free(&r);
}
END_TEST

START_TEST(probes_are_never_stored) {
  assert_never_kept("GET", "/livez", 0, NULL, NULL, 200);
  struct it_response r;
  struct it_server admin = it_admin(&srv);
  ck_assert_int_eq(it_get(&admin, "/metrics", &r), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(it_header(&r, "Cache-Control"), PRIVATE);
  it_response_free(&r);
}
END_TEST

/* A preflight allows every request header the API reads and is itself
 * never stored (browsers keep it for Access-Control-Max-Age instead). */
START_TEST(preflight_allows_every_request_header) {
  struct it_response r;
  const char *h[] = {"Origin: " ORIGIN, "Access-Control-Request-Method: PUT",
                     "Access-Control-Request-Headers: authorization, content-type, if-match",
                     NULL};
  ck_assert_int_eq(it_request(&srv, "OPTIONS", "/api/v1/teamprofielen/x", h, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 204);
  it_assert_conventions(&r);
  ck_assert_str_eq(it_header(&r, "Cache-Control"), PRIVATE);
  ck_assert_str_eq(it_header(&r, "Vary"), VARY);
  ck_assert_str_eq(it_header(&r, "Access-Control-Allow-Origin"), ORIGIN);
  ck_assert_str_eq(it_header(&r, "Access-Control-Allow-Headers"), ALLOW_HEADERS);
  ck_assert_str_eq(it_header(&r, "Access-Control-Allow-Methods"),
                   "GET, HEAD, PUT, DELETE, OPTIONS");
  ck_assert_str_eq(it_header(&r, "Access-Control-Max-Age"), "600");
  it_response_free(&r);
}
END_TEST

int main(void) {
  it_database_url();
  Suite *s = suite_create("cache_cors");
  TCase *tc = tcase_create("headers");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, public_anonymous_reads_are_revalidated);
  tcase_add_test(tc, the_spec_is_revalidated_from_any_origin);
  tcase_add_test(tc, answers_to_a_token_are_never_stored);
  tcase_add_test(tc, writes_are_never_stored);
  tcase_add_test(tc, errors_are_never_stored);
  tcase_add_test(tc, probes_are_never_stored);
  tcase_add_test(tc, preflight_allows_every_request_header);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
