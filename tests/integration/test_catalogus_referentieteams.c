/* The seven public reference team profiles: public, equal to the data
 * pack, and other profiles need a token. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_catalogus.h"

/* --- reference team profiles --------------------------------------------- */

START_TEST(reference_profiles_are_public) {
  json_t *page = get_json("/api/v1/teamprofielen?referentie=true", 200);
  ck_assert_int_eq(count_of(page), 7);
  ck_assert_uint_eq(json_array_size(results_of(page)), 7);
  char *gemeenten = join(results_of(page), "gemeente", ",");
  char *want = it_sqlf(
      "SELECT string_agg(gemeente, ',' ORDER BY gemeente) FROM teamprofielen"
      " WHERE referentie");
  assert_text_eq(gemeenten, want);
  assert_text_eq(gemeenten, "GM0050,GM0074,GM0344,GM0394,GM0715,GM0855,GM1940");
  free(gemeenten);
  free(want);

  size_t i, k, m;
  json_t *p, *lid, *rol;
  json_array_foreach(results_of(page), i, p) {
    const char *uuid = it_str(p, "uuid");
    assert_code(uuid);
    ck_assert_uint_eq(strlen(uuid), 36);
    ck_assert(json_is_true(json_object_get(p, "referentie")));
    /* totaalFte is the sum of the members' fte, in SQL and in the body. */
    double totaal = json_number_value(json_object_get(p, "totaalFte"));
    double sql = it_sql_double("SELECT sum(fte) FROM teamleden WHERE profiel = '%s'", uuid);
    ck_assert_msg(fabs(totaal - sql) < 1e-9, "%s: totaalFte %g, SQL %g", uuid, totaal, sql);
    double sum = 0;
    json_t *leden = json_object_get(p, "leden");
    ck_assert_int_eq((long)json_array_size(leden),
                     it_sql_long("SELECT count(*) FROM teamleden WHERE profiel = '%s'", uuid));
    json_array_foreach(leden, k, lid) {
      double fte = json_number_value(json_object_get(lid, "fte"));
      ck_assert(fte > 0 && fte <= 1.5);
      sum += fte;
      double shares = 0;
      json_array_foreach(json_object_get(lid, "rollen"), m, rol) {
        shares += json_number_value(json_object_get(rol, "aandeel"));
      }
      ck_assert_msg(fabs(shares - fte) <= 0.001 + 1e-9, "%s %s: shares %g, fte %g", uuid,
                    it_str(lid, "label"), shares, fte);
    }
    ck_assert_msg(fabs(sum - totaal) < 1e-6, "%s: members sum to %g, totaalFte %g", uuid, sum,
                  totaal);
    /* The detail by uuid is the list item. */
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s", uuid);
    json_t *one = get_json(path, 200);
    ck_assert_msg(json_equal(one, p), "%s: detail differs from the list item", uuid);
    json_decref(one);
  }
  /* Paging over the seven. */
  json_t *p2 = get_json("/api/v1/teamprofielen?referentie=true&pageSize=3&page=3", 200);
  ck_assert_int_eq(count_of(p2), 7);
  ck_assert_uint_eq(json_array_size(results_of(p2)), 1);
  ck_assert(json_equal(json_array_get(results_of(p2), 0), json_array_get(results_of(page), 6)));
  json_decref(p2);
  json_decref(page);

  static const char *const referentie[] = {"referentie"};
  expect_400("/api/v1/teamprofielen?referentie=ja", referentie, 1);
  static const char *const two[] = {"pageSize", "foo"};
  expect_400("/api/v1/teamprofielen?referentie=true&pageSize=0&foo=1", two, 2);
}
END_TEST

static void expect_401(const char *path) {
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, path, &r), 0);
  ck_assert_msg(r.status == 401, "GET %s gave %ld, expected 401", path, r.status);
  it_assert_problem(&r, 401);
  ck_assert_ptr_nonnull(it_header(&r, "WWW-Authenticate"));
  assert_text_eq(it_header(&r, "WWW-Authenticate"), "Bearer");
  assert_text_eq(it_str(r.json, "code"), "unauthorized");
  ck_assert_ptr_null(json_object_get(r.json, "results"));
  it_response_free(&r);
}

START_TEST(other_profiles_need_a_token) {
  expect_401("/api/v1/teamprofielen");
  expect_401("/api/v1/teamprofielen?referentie=false");
  expect_401("/api/v1/teamprofielen?page=1");

  /* A municipality's own profile (a row of this test, removed after). */
  char sql[512];
  snprintf(sql, sizeof(sql),
           "WITH p AS (INSERT INTO teamprofielen (gemeente, peildatum, herkomst, referentie,"
           " toelichting) VALUES ('GM0363', '2026-01-01', 'opgave', false, '%s') RETURNING uuid)"
           " SELECT uuid FROM p",
           marker);
  char *uuid = it_sql_value(it_database_url(), sql);
  ck_assert_ptr_nonnull(uuid);
  char path[128];
  snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s", uuid);
  expect_401(path);
  json_t *page = get_json("/api/v1/teamprofielen?referentie=true", 200);
  ck_assert_int_eq(count_of(page), 7);
  ck_assert(!in_array(results_of(page), "uuid", uuid));
  json_decref(page);
  remove_own_rows();
  expect_404(path);
  free(uuid);
}
END_TEST

START_TEST(reference_profiles_equal_the_data_pack) {
  json_t *pack = load_pack("referentieteams.json");
  if (pack == NULL) return;
  json_t *page = get_json("/api/v1/teamprofielen?referentie=true", 200);
  json_t *profielen = json_object_get(pack, "profielen");
  ck_assert_uint_eq(json_array_size(profielen), 7);
  size_t i, k;
  json_t *pp, *lid;
  json_array_foreach(profielen, i, pp) {
    const json_t *p = find_by(results_of(page), "gemeente", it_str(pp, "gemeente"));
    ck_assert_msg(p != NULL, "no reference profile for %s", it_str(pp, "gemeente"));
    assert_text_eq(it_str(p, "peildatum"), it_str(pp, "peildatum"));
    assert_text_eq(it_str(p, "herkomst"), it_str(pp, "herkomst"));
    ck_assert(json_equal(json_object_get(p, "bronnen"), json_object_get(pp, "bronnen")));
    json_t *leden = json_object_get(p, "leden"), *pleden = json_object_get(pp, "leden");
    ck_assert_uint_eq(json_array_size(leden), json_array_size(pleden));
    double sum = 0;
    json_array_foreach(pleden, k, lid) {
      json_t *l = json_array_get(leden, k);
      assert_text_eq(it_str(l, "label"), it_str(lid, "label"));
      ck_assert(fabs(json_number_value(json_object_get(l, "fte")) -
                     json_number_value(json_object_get(lid, "fte"))) < 1e-9);
      ck_assert_uint_eq(json_array_size(json_object_get(l, "rollen")),
                        json_array_size(json_object_get(lid, "rollen")));
      ck_assert(
          json_equal(json_object_get(l, "competenties"), json_object_get(lid, "competenties")));
      sum += json_number_value(json_object_get(lid, "fte"));
    }
    ck_assert_msg(fabs(json_number_value(json_object_get(p, "totaalFte")) - sum) < 1e-6,
                  "%s: totaalFte %g, pack %g", it_str(pp, "gemeente"),
                  json_number_value(json_object_get(p, "totaalFte")), sum);
  }
  json_decref(page);
  json_decref(pack);
}
END_TEST

int main(void) {
  Suite *s = suite_create("catalogus-referentieteams");
  TCase *tc = it_case("catalogus-referentieteams", 60, setup, teardown);
  tcase_add_test(tc, reference_profiles_are_public);
  tcase_add_test(tc, other_profiles_need_a_token);
  tcase_add_test(tc, reference_profiles_equal_the_data_pack);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
