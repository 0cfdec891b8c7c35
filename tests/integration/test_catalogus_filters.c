/* The filters of the catalogue's collections (familie, kernrol,
 * provincie, grootteklasse, referentie) and zoek, which ignores case and
 * accents, against SQL on the seeded tables. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_catalogus.h"

/* --- filters --------------------------------------------------------------- */

START_TEST(filter_familie) {
  json_t *fams = get_all("/api/v1/rolfamilies");
  size_t i, k;
  json_t *f, *rol;
  json_array_foreach(fams, i, f) {
    const char *code = it_str(f, "code");
    char path[256];
    snprintf(path, sizeof(path), "/api/v1/rollen?familie=%s", code);
    json_t *page = get_json(path, 200);
    ck_assert_int_eq(count_of(page),
                     it_sql_long("SELECT count(*) FROM rollen WHERE familie = '%s'", code));
    ck_assert_int_gt(count_of(page), 0);
    json_array_foreach(results_of(page), k, rol) assert_text_eq(it_str(rol, "familie"), code);
    char *got = join(results_of(page), "code", ",");
    char *want = join(json_object_get(f, "rollen"), NULL, ",");
    assert_text_eq(got, want);
    free(got);
    free(want);
    json_decref(page);
  }
  json_decref(fams);

  static const char *const familie[] = {"familie"};
  expect_400("/api/v1/rollen?familie=bestaat-niet", familie, 1);
  expect_400("/api/v1/rollen?familie=", familie, 1);
  /* A family that names nothing is reported together with other problems. */
  static const char *const two[] = {"familie", "pageSize"};
  expect_400("/api/v1/rollen?familie=bestaat-niet&pageSize=0", two, 2);

  /* Families combine with kernrol. */
  json_t *page = get_json("/api/v1/rollen?familie=kanalen-en-webcare&kernrol=true", 200);
  ck_assert_int_eq(count_of(page), 1);
  assert_text_eq(it_str(json_array_get(results_of(page), 0), "code"), "communitymanager");
  json_decref(page);
}
END_TEST

START_TEST(filter_kernrol) {
  /* The publication names exactly two core roles. */
  json_t *page = get_json("/api/v1/rollen?kernrol=true", 200);
  ck_assert_int_eq(count_of(page), 2);
  char *codes = join(results_of(page), "code", ",");
  char *want = it_sqlf("SELECT string_agg(code, ',' ORDER BY volgorde) FROM rollen WHERE kernrol");
  assert_text_eq(codes, want);
  assert_text_eq(codes, "verbinder,communitymanager");
  size_t i;
  json_t *rol;
  json_array_foreach(results_of(page), i, rol) {
    ck_assert(json_is_true(json_object_get(rol, "kernrol")));
    assert_text_eq(it_str(rol, "kernrolBron"), "publicatie");
    assert_text_eq(it_str(rol, "herkomst"), "publicatie");
  }
  free(codes);
  free(want);
  json_decref(page);

  page = get_json("/api/v1/rollen?kernrol=false", 200);
  ck_assert_int_eq(count_of(page), 18);
  ck_assert_int_eq(count_of(page), it_sql_long("SELECT count(*) FROM rollen WHERE NOT kernrol"));
  json_array_foreach(results_of(page), i, rol) {
    ck_assert(json_is_false(json_object_get(rol, "kernrol")));
    ck_assert(json_is_null(json_object_get(rol, "kernrolBron")));
  }
  json_decref(page);

  static const char *const kernrol[] = {"kernrol"};
  expect_400("/api/v1/rollen?kernrol=ja", kernrol, 1);
  expect_400("/api/v1/rollen?kernrol=1", kernrol, 1);
  expect_400("/api/v1/rollen?kernrol=", kernrol, 1);
}
END_TEST

START_TEST(filter_provincie) {
  json_t *page = get_json("/api/v1/gemeenten?provincie=Zeeland", 200);
  long zeeland = it_sql_long("SELECT count(*) FROM gemeenten WHERE provincie = 'Zeeland'");
  ck_assert_int_gt(zeeland, 0);
  ck_assert_int_eq(count_of(page), zeeland);
  size_t i;
  json_t *g;
  json_array_foreach(results_of(page), i, g) assert_text_eq(it_str(g, "provincie"), "Zeeland");
  json_decref(page);

  /* Every province, and together all 355. */
  static const char *const provincies[] = {
      "Drenthe",       "Flevoland",     "Friesland",  "Gelderland", "Groningen", "Limburg",
      "Noord-Brabant", "Noord-Holland", "Overijssel", "Utrecht",    "Zeeland",   "Zuid-Holland"};
  long total = 0;
  for (size_t p = 0; p < 12; p++) {
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/gemeenten?provincie=%s&pageSize=1", provincies[p]);
    page = get_json(path, 200);
    ck_assert_int_eq(
        count_of(page),
        it_sql_long("SELECT count(*) FROM gemeenten WHERE provincie = '%s'", provincies[p]));
    total += count_of(page);
    json_decref(page);
  }
  ck_assert_int_eq(total, 355);

  /* Combined with referentie: Heerenveen and De Fryske Marren. */
  page = get_json("/api/v1/gemeenten?provincie=Friesland&referentie=true", 200);
  char *codes = join(results_of(page), "code", ",");
  char *want = it_sqlf(
      "SELECT string_agg(code, ',' ORDER BY code) FROM gemeenten"
      " WHERE provincie = 'Friesland' AND referentie");
  assert_text_eq(codes, want);
  assert_text_eq(codes, "GM0074,GM1940");
  free(codes);
  free(want);
  json_decref(page);

  static const char *const provincie[] = {"provincie"};
  expect_400("/api/v1/gemeenten?provincie=Atlantis", provincie, 1);
  expect_400("/api/v1/gemeenten?provincie=zeeland", provincie, 1);
  expect_400("/api/v1/gemeenten?provincie=", provincie, 1);
}
END_TEST

START_TEST(filter_grootteklasse) {
  json_t *page = get_json("/api/v1/gemeenten?grootteklasse=8", 200);
  long big = it_sql_long("SELECT count(*) FROM gemeenten WHERE inwoners >= 250000");
  ck_assert_int_eq(count_of(page), big);
  ck_assert_int_gt(big, 0);
  size_t i;
  json_t *g;
  json_array_foreach(results_of(page), i, g) {
    ck_assert_int_ge(json_integer_value(json_object_get(g, "inwoners")), 250000);
    ck_assert_int_eq(json_integer_value(json_object_get(g, "grootteklasse")), 8);
  }
  json_decref(page);

  long total = 0;
  static const long bounds[] = {0, 5000, 10000, 20000, 50000, 100000, 150000, 250000, 1L << 40};
  for (long k = 1; k <= 8; k++) {
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/gemeenten?grootteklasse=%ld&pageSize=100", k);
    page = get_json(path, 200);
    ck_assert_int_eq(
        count_of(page),
        it_sql_long("SELECT count(*) FROM gemeenten WHERE inwoners >= %ld AND inwoners < %ld",
                    bounds[k - 1], bounds[k]));
    json_array_foreach(results_of(page), i, g) {
      ck_assert_int_eq(json_integer_value(json_object_get(g, "grootteklasse")), k);
    }
    total += count_of(page);
    json_decref(page);
  }
  ck_assert_int_eq(total, 355);

  static const char *const klasse[] = {"grootteklasse"};
  expect_400("/api/v1/gemeenten?grootteklasse=0", klasse, 1);
  expect_400("/api/v1/gemeenten?grootteklasse=9", klasse, 1);
  expect_400("/api/v1/gemeenten?grootteklasse=groot", klasse, 1);
  expect_400("/api/v1/gemeenten?grootteklasse=7.5", klasse, 1);
}
END_TEST

START_TEST(filter_referentie) {
  json_t *page = get_json("/api/v1/gemeenten?referentie=true", 200);
  ck_assert_int_eq(count_of(page), 7);
  char *codes = join(results_of(page), "code", ",");
  char *want =
      it_sqlf("SELECT string_agg(code, ',' ORDER BY code) FROM gemeenten WHERE referentie");
  assert_text_eq(codes, want);
  assert_text_eq(codes, "GM0050,GM0074,GM0344,GM0394,GM0715,GM0855,GM1940");
  for (size_t i = 0; SEVEN[i] != NULL; i++) {
    ck_assert(in_array(results_of(page), "code", SEVEN[i]));
  }
  free(codes);
  free(want);
  json_decref(page);

  json_t *rest = get_all("/api/v1/gemeenten?referentie=false");
  ck_assert_uint_eq(json_array_size(rest), 348);
  size_t i;
  json_t *g;
  json_array_foreach(rest, i, g) ck_assert(json_is_false(json_object_get(g, "referentie")));
  json_decref(rest);

  static const char *const referentie[] = {"referentie"};
  expect_400("/api/v1/gemeenten?referentie=misschien", referentie, 1);
}
END_TEST

/* zoek: case- and accent-insensitive on roles, competencies and
 * municipalities. */
static void expect_zoek(const char *collection, const char *term, const char *codes) {
  char path[512];
  snprintf(path, sizeof(path), "/api/v1/%s?zoek=%s&pageSize=100", collection, term);
  json_t *page = get_json(path, 200);
  char *got = join(results_of(page), "code", ",");
  ck_assert_msg(strcmp(got, codes) == 0, "%s: %s, expected %s", path, got, codes);
  free(got);
  json_decref(page);
}

START_TEST(zoek_ignores_case_and_accents) {
  /* De Fryske Marren, however it is typed. */
  static const char *const fryske[] = {"fryske",
                                       "FRYSKE",
                                       "Fryske",
                                       "Frysk%C3%A9",
                                       "FRYSK%C3%89",
                                       "fr%C3%BDsk%C3%AB",
                                       "de%20fryske%20marren",
                                       "De+Fryske+Marren"};
  for (size_t i = 0; i < sizeof(fryske) / sizeof(fryske[0]); i++) {
    expect_zoek("gemeenten", fryske[i], "GM1940");
  }
  expect_zoek("gemeenten", "zeewolde", "GM0050");
  expect_zoek("gemeenten", "ZEEWOLDE", "GM0050");
  expect_zoek("gemeenten", "Z%C3%A9%C3%A9wolde", "GM0050");
  /* Accents in the data: Súdwest-Fryslân found without them and in capitals. */
  expect_zoek("gemeenten", "sudwest", "GM1900");
  expect_zoek("gemeenten", "S%C3%9ADWEST", "GM1900");
  char *fryslan = it_sqlf(
      "SELECT string_agg(code, ',' ORDER BY code) FROM gemeenten"
      " WHERE lower(naam) LIKE '%%fryslân%%'");
  assert_text_eq(fryslan, "GM1900,GM1970");
  expect_zoek("gemeenten", "fryslan", fryslan);
  expect_zoek("gemeenten", "FRYSL%C3%82N", fryslan);
  free(fryslan);
  /* No wildcards: % and _ are plain characters no name contains. */
  expect_zoek("gemeenten", "%25", "");
  expect_zoek("gemeenten", "_", "");
  expect_zoek("gemeenten", "xyzzy", "");

  /* Roles: names, descriptions and synonyms. */
  expect_zoek("rollen", "ambassadeur", "verbinder");
  expect_zoek("rollen", "AMBASSADEUR", "verbinder");
  expect_zoek("rollen", "%C3%A9%C3%A9n%20functie", "verbinder");
  expect_zoek("rollen", "EEN+FUNCTIE", "verbinder");
  char *redacteur = it_sqlf(
      "SELECT string_agg(code, ',' ORDER BY volgorde) FROM rollen"
      " WHERE naam ILIKE '%%redacteur%%'");
  ck_assert_ptr_nonnull(strstr(redacteur, "webredacteur"));
  json_t *a = get_json("/api/v1/rollen?zoek=redacteur", 200);
  json_t *b = get_json("/api/v1/rollen?zoek=REDACTEUR", 200);
  ck_assert(json_equal(results_of(a), results_of(b)));
  /* Every role named redacteur is found (possibly more, by description). */
  char *names = redacteur, *save = NULL;
  for (char *code = strtok_r(names, ",", &save); code; code = strtok_r(NULL, ",", &save)) {
    ck_assert_msg(in_array(results_of(a), "code", code), "zoek=redacteur misses %s", code);
  }
  free(redacteur);
  json_decref(a);
  json_decref(b);

  /* Competencies: name and description. */
  a = get_json("/api/v1/competenties?zoek=sensitiviteit", 200);
  b = get_json("/api/v1/competenties?zoek=SENSITIVITEIT", 200);
  ck_assert_int_ge(count_of(a), 1);
  ck_assert(in_array(results_of(a), "code", "bestuurlijke-sensitiviteit"));
  ck_assert(json_equal(results_of(a), results_of(b)));
  json_decref(a);
  json_decref(b);

  static const char *const zoek[] = {"zoek"};
  expect_400("/api/v1/gemeenten?zoek=", zoek, 1);
  expect_400("/api/v1/rollen?zoek=", zoek, 1);
  expect_400("/api/v1/competenties?zoek=", zoek, 1);
  /* At most 100: 100 is answered, 101 is not. */
  char path[512];
  char long_term[102];
  memset(long_term, 'a', 100);
  long_term[100] = '\0';
  expect_zoek("gemeenten", long_term, "");
  long_term[100] = 'a';
  long_term[101] = '\0';
  snprintf(path, sizeof(path), "/api/v1/gemeenten?zoek=%s", long_term);
  expect_400(path, zoek, 1);
  /* zoek on a collection without it is an unknown key. */
  expect_400("/api/v1/succesfactoren?zoek=data", zoek, 1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("catalogus-filters");
  TCase *tc = it_case("catalogus-filters", 60, setup, teardown);
  tcase_add_test(tc, filter_familie);
  tcase_add_test(tc, filter_kernrol);
  tcase_add_test(tc, filter_provincie);
  tcase_add_test(tc, filter_grootteklasse);
  tcase_add_test(tc, filter_referentie);
  tcase_add_test(tc, zoek_ignores_case_and_accents);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
