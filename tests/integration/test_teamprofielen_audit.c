/* Team profiles: the audit trail of create, update and delete, its scope
 * and municipality, and the note that goes with a write. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_teamprofielen.h"

/* --- the audit trail ------------------------------------------------------------ */

static const json_t *entry(const json_t *page, size_t i) {
  return json_array_get(json_object_get(page, "results"), i);
}

START_TEST(audit_trail_of_create_update_delete) {
  const struct it_client *w = &clients[W];
  char *body = valid_body("GM0772", "2026-01-01");
  const char *h1[] = {"X-Audit-Toelichting: eerste opgave", NULL};
  struct it_response r;
  call_s("POST", "/api/v1/teamprofielen", w, h1, body, &r);
  ck_assert_int_eq(r.status, 201);
  json_t *created = json_incref(r.json);
  char uuid[40], path[96], trail[128], etag[64];
  snprintf(uuid, sizeof(uuid), "%s", it_str(created, "uuid"));
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
    ck_assert_str_eq(it_str(e, "actie"), want[i].actie);
    ck_assert_int_eq(json_integer_value(json_object_get(e, "resultaat")), want[i].resultaat);
    ck_assert_str_eq(it_str(e, "clientId"), w->id);
    ck_assert_str_eq(it_str(e, "toelichting"), want[i].toelichting);
    ck_assert_str_eq(it_str(e, "teamprofiel"), uuid);
    ck_assert_str_eq(it_str(e, "gemeente"), "GM0772");
    ck_assert_ptr_nonnull(it_str(e, "uuid"));
    ck_assert_ptr_nonnull(it_str(e, "aanmaakdatum"));
    if (i > 0)
      ck_assert_str_ge(it_str(e, "aanmaakdatum"), it_str(entry(r.json, i - 1), "aanmaakdatum"));
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

int main(void) {
  Suite *s = suite_create("teamprofielen-audit");
  TCase *tc = it_case("teamprofielen-audit", 60, setup, teardown);
  tcase_add_test(tc, audit_trail_of_create_update_delete);
  tcase_add_test(tc, audittrail_needs_its_scope_and_municipality);
  tcase_add_test(tc, audit_note_too_long_is_400);
  tcase_add_test(tc, audit_note_that_is_not_utf8_is_400);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
