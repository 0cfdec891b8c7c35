/* The gap analysis refuses what it cannot analyse: every validation error
 * at once, and 406 for an Accept it cannot answer. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_analyse.h"

/* --- validation ---------------------------------------------------------- */

START_TEST(validation_lists_every_error) {
  struct it_response r;
  /* gemeente and inwoners both: a conflict, and nothing else. */
  json_t *both = it_json("{'gemeente': 'GM0050', 'inwoners': 22680, 'leden': []}");
  post_analysis(both, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert_msg(it_invalid_has(&r, "inwoners", "conflict"), "%s", r.body);
  ck_assert_int_eq(json_array_size(json_object_get(r.json, "invalidParams")), 1);
  it_response_free(&r);

  /* Five errors at once, five entries. */
  json_t *five = it_json(
      "{'inwoners': 0, 'peildatum': '2026-02-30',"
      " 'leden': [{'label': 'A', 'fte': 2.0,"
      "            'rollen': [{'rol': 'bestaat-niet', 'aandeel': 0.5}],"
      "            'competenties': [{'code': 'schrijven-voor-het-web', 'niveau': 7}]}]}");
  post_analysis(five, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert_msg(json_array_size(json_object_get(r.json, "invalidParams")) == 5, "%s", r.body);
  ck_assert(it_invalid_has(&r, "inwoners", "out-of-range"));
  ck_assert(it_invalid_has(&r, "peildatum", "invalid-date"));
  ck_assert(it_invalid_has(&r, "leden.0.fte", "out-of-range"));
  ck_assert(it_invalid_has(&r, "leden.0.rollen.0.rol", "unknown-code"));
  ck_assert(it_invalid_has(&r, "leden.0.competenties.0.niveau", "out-of-range"));
  it_response_free(&r);

  /* Neither gemeente nor inwoners; an unknown field; inwoners not a whole
   * number; an unknown municipality. */
  struct {
    const char *body, *name, *code;
  } cases[] = {
      {"{'leden': []}", "gemeente", "required"},
      {"{'gemeente': 'GM0050', 'leden': [], 'extra': 1}", "extra", "unknown-field"},
      {"{'inwoners': 1.5, 'leden': []}", "inwoners", "out-of-range"},
      {"{'inwoners': '20000', 'leden': []}", "inwoners", "out-of-range"},
      {"{'gemeente': 'GM9999', 'leden': []}", "gemeente", "unknown-code"},
      {"{'gemeente': 'GM0050'}", "leden", "required"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    json_t *b = it_json(cases[i].body);
    post_analysis(b, NULL, &r);
    it_assert_problem(&r, 400);
    ck_assert_msg(it_invalid_has(&r, cases[i].name, cases[i].code), "%s: %s", cases[i].body,
                  r.body);
    it_response_free(&r);
    json_decref(b);
  }
  /* Not JSON; not declared as JSON. */
  call("POST", "/api/v1/gap-analyses", NULL, NULL, "{\"leden\": [", &r);
  it_assert_problem(&r, 400);
  it_response_free(&r);
  const char *text[] = {"Content-Type: text/plain", NULL};
  call("POST", "/api/v1/gap-analyses", NULL, text, "{\"gemeente\":\"GM0050\",\"leden\":[]}", &r);
  it_assert_problem(&r, 415);
  it_response_free(&r);
  json_decref(both);
  json_decref(five);
}
END_TEST

/* --- content negotiation --------------------------------------------------- */

START_TEST(unsupported_accept_is_406) {
  json_t *ref = reference_profile("GM0050");
  char path[160];
  snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s/gap-analyse", it_str(ref, "uuid"));
  const char *xml[] = {"Accept: application/xml", NULL};
  const char *csv[] = {"Accept: text/csv", NULL};
  const char *svg[] = {"Accept: image/svg+xml", NULL};
  const char *any[] = {"Accept: */*", NULL};
  const char *body = "{\"gemeente\": \"GM0050\", \"leden\": []}";
  ck_assert_int_eq(status_of("GET", path, NULL, xml, NULL), 406);
  ck_assert_int_eq(status_of("GET", path, NULL, csv, NULL), 406);
  ck_assert_int_eq(status_of("POST", "/api/v1/gap-analyses", NULL, xml, body), 406);
  /* JSON or the chart (test_gap_analyse_chart), nothing else. */
  ck_assert_int_eq(status_of("POST", "/api/v1/gap-analyses", NULL, csv, body), 406);
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks", &clients[B], xml, NULL), 406);
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks", &clients[B], svg, NULL), 406);
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0050/benchmark", &clients[B], xml, NULL),
                   406);
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0050/benchmark", &clients[B], csv, NULL),
                   406);
  /* What is offered. */
  struct it_response r;
  get_ok(path, NULL, any, &r);
  ck_assert_str_eq(it_header(&r, "Content-Type"), "application/json");
  it_response_free(&r);
  get_ok("/api/v1/benchmarks", &clients[B], any, &r);
  ck_assert_str_eq(it_header(&r, "Content-Type"), "application/json");
  it_response_free(&r);
  json_decref(ref);
}
END_TEST

int main(void) {
  Suite *s = suite_create("gap-analyse-validation");
  TCase *tc = it_case("gap-analyse-validation", 60, setup, teardown);
  tcase_add_test(tc, validation_lists_every_error);
  tcase_add_test(tc, unsupported_accept_is_406);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
