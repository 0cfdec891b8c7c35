/* Team profiles: bearer tokens (401: missing, forged, expired, revoked,
 * all answered alike), scopes and municipality binding (403), and the public
 * reference profiles (tests/integration/fixture_teamprofielen.c sets up the
 * server and clients). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jwt.h>

#include "fixture_teamprofielen.h"

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
  const struct it_client *w = &clients[W];
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
  const struct it_client *w = &clients[W];
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
  const struct it_client *w = &clients[W];
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
  struct it_client *x = &clients[X];
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
  char *doc = it_dump(r.json);
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
  const struct it_client *w = &clients[W];
  struct it_client *v = &clients[V];
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
  const struct it_client *r = &clients[R], *b = &clients[B], *n = &clients[N];
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
  const struct it_client *w = &clients[W], *o = &clients[O];
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
  const struct it_client *w = &clients[W], *o = &clients[O];
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

int main(void) {
  Suite *s = suite_create("teamprofielen-auth");
  TCase *tc = it_case("teamprofielen-auth", 60, setup, teardown);
  tcase_add_test(tc, no_token_is_401);
  tcase_add_test(tc, bad_signature_is_401);
  tcase_add_test(tc, expired_token_is_401);
  tcase_add_test(tc, other_bad_tokens_are_401);
  tcase_add_test(tc, unknown_revoked_and_forged_tokens_answer_alike);
  tcase_add_test(tc, missing_scope_is_403);
  tcase_add_test(tc, other_municipality_can_neither_read_nor_change);
  tcase_add_test(tc, forbidden_profile_names_no_municipality);
  tcase_add_test(tc, reference_profiles_stay_public);
  /* Last: revokes client X. */
  tcase_add_test(tc, revoked_client_is_401_on_the_next_request);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
