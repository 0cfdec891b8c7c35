/* Team profiles read back: awkward strings round-trip unchanged, and the
 * list shows a client's own and the reference profiles, with its filters. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_teamprofielen.h"

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
  char *body = it_dump(doc);
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
  char *body2 = it_dump(doc);
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, "X-Audit-Toelichting: '; DROP TABLE audittrail; -- \"x\"", NULL};
  call_s("PUT", p.path, &clients[W], h, body2, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(json_string_value(json_object_get(r.json, "toelichting")), labels[2]);
  ck_assert(json_equal(json_object_get(r.json, "leden"), json_object_get(doc, "leden")));
  it_response_free(&r);
  /* The tables are all still there and the note is stored as sent. */
  char *stored = it_sqlf(
      "SELECT toelichting FROM audittrail WHERE profiel = '%s' AND actie = 'update'", p.uuid);
  ck_assert_str_eq(stored, "'; DROP TABLE audittrail; -- \"x\"");
  free(stored);
  ck_assert_int_ge(it_sql_long("SELECT count(*) FROM clients WHERE id LIKE '%s%%'", prefix), 1);
  ck_assert_int_ge(
      it_sql_long("SELECT count(*) FROM teamprofielen WHERE gemeente = '%s'", "GM0772"), 1);
  free(body);
  free(body2);
  json_decref(doc);
}
END_TEST

/* --- the list ------------------------------------------------------------------------ */

/* GET `query` as `c` (200 expected); the page. */
static json_t *list(const struct it_client *c, const char *query) {
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
    if (strcmp(it_str(p, "uuid"), uuid) == 0) return 1;
  }
  return 0;
}

START_TEST(list_shows_own_and_reference_profiles_and_filters) {
  const struct it_client *l = &clients[L];
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
    const char *g = it_str(p, "gemeente");
    ck_assert_msg(json_is_true(json_object_get(p, "referentie")) || strcmp(g, "GM0153") == 0 ||
                      strcmp(g, "GM0164") == 0,
                  "the list shows %s of %s", it_str(p, "uuid"), g);
  }
  ck_assert(lists(page, a1.uuid) && lists(page, a2.uuid) && lists(page, b1.uuid));
  ck_assert(!lists(page, other.uuid));
  char *want = it_sqlf(
      "SELECT count(*) FROM teamprofielen WHERE referentie OR gemeente IN "
      "('GM0153', 'GM0164')");
  ck_assert_int_eq(json_integer_value(json_object_get(page, "count")), atol(want));
  free(want);
  json_decref(page);

  /* gemeente */
  page = list(l, "gemeente=GM0153");
  json_array_foreach(json_object_get(page, "results"), i, p) {
    ck_assert_str_eq(it_str(p, "gemeente"), "GM0153");
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
    ck_assert_str_ge(it_str(p, "peildatum"), "2031-03-15");
  }
  ck_assert(!lists(page, a1.uuid) && lists(page, a2.uuid) && lists(page, b1.uuid));
  json_decref(page);
  page = list(l, "peildatumTot=2031-03-15");
  json_array_foreach(json_object_get(page, "results"), i, p) {
    ck_assert_str_le(it_str(p, "peildatum"), "2031-03-15");
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
      found |= strcmp(it_str(e, "name"), bad[k].name) == 0;
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
  Suite *s = suite_create("teamprofielen-read");
  TCase *tc = it_case("teamprofielen-read", 60, setup, teardown);
  tcase_add_test(tc, awkward_strings_round_trip);
  tcase_add_test(tc, list_shows_own_and_reference_profiles_and_filters);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
