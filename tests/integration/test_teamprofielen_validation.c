/* Team profiles: validation of the whole body at once (every rule, five
 * errors in one request, invalid JSON and duplicate keys, at most 500
 * members, unknown fields), and 415 and 413. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_teamprofielen.h"

/* --- validation ------------------------------------------------------------ */

/* Each rule of a team body (docs/methode.md, "Regels voor een geldig
 * team"): a body that breaks it (one violation, at `name` with `code`) and
 * one that keeps it. */
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
  const struct it_client *w = &clients[W];
  for (size_t i = 0; i < sizeof(RULES) / sizeof(RULES[0]); i++) {
    char *bad = it_json_text(RULES[i].bad);
    char *before = own_counts();
    struct it_response r;
    call_s("POST", "/api/v1/teamprofielen", w, NULL, bad, &r);
    ck_assert_msg(r.status == 400, "rule %zu (%s): bad body gave %ld", i, RULES[i].name, r.status);
    it_assert_problem(&r, 400);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "code")), "invalid-params");
    ck_assert_msg(json_array_size(json_object_get(r.json, "invalidParams")) == 1 &&
                      it_invalid_has(&r, RULES[i].name, RULES[i].code),
                  "rule %zu: want %s/%s, got %s", i, RULES[i].name, RULES[i].code, r.body);
    it_response_free(&r);
    assert_counts(before, RULES[i].name);
    free(before);
    free(bad);

    char *good = it_json_text(RULES[i].good);
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
  char *body = it_json_text(
      "{'gemeente':'GM9999','peildatum':'2026-02-29','leden':["
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
  ck_assert(it_invalid_has(&r, "gemeente", "unknown-code"));
  ck_assert(it_invalid_has(&r, "peildatum", "invalid-date"));
  ck_assert(it_invalid_has(&r, "leden.1.label", "duplicate"));
  ck_assert(it_invalid_has(&r, "leden.2.competenties.0.niveau", "out-of-range"));
  ck_assert(it_invalid_has(&r, "leden.3.rollen.0.aandeel", "out-of-range"));
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
    ck_assert_msg(it_invalid_has(&r, "body", "invalid-json"), "body %zu: %s", i, r.body);
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

START_TEST(at_most_500_members) {
  char *before = own_counts();
  char *body = team_of(501);
  struct it_response r;
  call_s("POST", "/api/v1/teamprofielen", &clients[W], NULL, body, &r);
  it_assert_problem(&r, 400);
  ck_assert_uint_eq(json_array_size(json_object_get(r.json, "invalidParams")), 1);
  ck_assert(it_invalid_has(&r, "leden", "too-many"));
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
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM teamleden WHERE profiel = '%s'", p.uuid), 500);
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM teamlid_rollen WHERE profiel = '%s'", p.uuid),
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

/* --- 415 and 413 ------------------------------------------------------------------ */

START_TEST(wrong_content_type_is_415) {
  const struct it_client *w = &clients[W];
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
  const struct it_client *w = &clients[W];
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

int main(void) {
  Suite *s = suite_create("teamprofielen-validation");
  TCase *tc = it_case("teamprofielen-validation", 60, setup, teardown);
  tcase_add_test(tc, every_rule_fails_and_passes);
  tcase_add_test(tc, five_errors_in_one_request);
  tcase_add_test(tc, invalid_json_and_duplicate_keys);
  tcase_add_test(tc, at_most_500_members);
  tcase_add_test(tc, unknown_field_with_a_long_name_is_400);
  tcase_add_test(tc, wrong_content_type_is_415);
  tcase_add_test(tc, body_over_the_limit_is_413);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
