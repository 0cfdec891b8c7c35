/* Benchmark rounds (core/peiling.c): the body of a new round with every
 * violation named, the summary per size class with the k = 5 rule, and the
 * comparison of two rounds with its CSV. No database. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teamplotter/peiling.h"
#include "json_text.h"

/* --- the body ------------------------------------------------------------------- */

/* Whether `invalid` names `name` with `code`. */
static int names(const json_t *invalid, const char *name, const char *code) {
  size_t i;
  const json_t *e;
  json_array_foreach(invalid, i, e) {
    if (strcmp(json_string_value(json_object_get(e, "name")), name) == 0 &&
        strcmp(json_string_value(json_object_get(e, "code")), code) == 0)
      return 1;
  }
  return 0;
}

START_TEST(a_valid_body_gives_its_fields) {
  json_t *body = J("{'naam':'2026-q2.v_1','peildatum':'2026-06-30','toelichting':'Tweede.'}");
  json_t *invalid = json_array();
  struct tp_peiling_nieuw p;
  tp_peiling_validate(body, "2026-06-30", invalid, &p);
  ck_assert_uint_eq(json_array_size(invalid), 0);
  ck_assert_str_eq(p.naam, "2026-q2.v_1");
  ck_assert_str_eq(p.peildatum, "2026-06-30");
  ck_assert_str_eq(p.toelichting, "Tweede.");
  json_decref(invalid);
  json_decref(body);
  /* Without toelichting, and with no known today. */
  body = J("{'naam':'a','peildatum':'2999-01-01'}");
  invalid = json_array();
  tp_peiling_validate(body, "", invalid, &p);
  ck_assert_uint_eq(json_array_size(invalid), 0);
  ck_assert_ptr_null(p.toelichting);
  json_decref(invalid);
  json_decref(body);
}
END_TEST

START_TEST(every_violation_is_named_at_once) {
  json_t *body = J("{'naam':'met spatie','peildatum':'2026-02-30','toelichting':5,'extra':1}");
  json_t *invalid = json_array();
  struct tp_peiling_nieuw p;
  tp_peiling_validate(body, "2026-12-07", invalid, &p);
  ck_assert(names(invalid, "naam", "invalid-format"));
  ck_assert(names(invalid, "peildatum", "invalid-date"));
  ck_assert(names(invalid, "toelichting", "invalid-type"));
  ck_assert(names(invalid, "extra", "unknown-field"));
  ck_assert_uint_eq(json_array_size(invalid), 4);
  json_decref(invalid);
  json_decref(body);
  /* A date after today, a name of 41 characters, both missing. */
  body = J("{'naam':'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa','peildatum':'2026-12-08'}");
  invalid = json_array();
  tp_peiling_validate(body, "2026-12-07", invalid, &p);
  ck_assert(names(invalid, "naam", "invalid-length"));
  ck_assert(names(invalid, "peildatum", "max-value"));
  json_decref(invalid);
  json_decref(body);
  body = J("{}");
  invalid = json_array();
  tp_peiling_validate(body, "2026-12-07", invalid, &p);
  ck_assert(names(invalid, "naam", "required"));
  ck_assert(names(invalid, "peildatum", "required"));
  json_decref(invalid);
  json_decref(body);
}
END_TEST

START_TEST(names_are_a_limited_alphabet) {
  ck_assert(tp_peiling_naam_ok("A-z_0.9"));
  ck_assert(tp_peiling_naam_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")); /* 40 */
  ck_assert(!tp_peiling_naam_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
  ck_assert(!tp_peiling_naam_ok(""));
  ck_assert(!tp_peiling_naam_ok("a/b"));
  ck_assert(!tp_peiling_naam_ok("é"));
}
END_TEST

/* --- the summary ------------------------------------------------------------------ */

/* A row of class `k` for `gemeente` with its figures (dekking < 0: null);
 * GM9001 and GM9002 are the reference municipalities. */
static json_t *row(const char *gemeente, int k, double fte, double dekking) {
  return json_pack("{s:s, s:i, s:f, s:o, s:[{s:s},{s:s}]}", "gemeente", gemeente, "grootteklasse",
                   k, "ftePer10000", fte, "dekking",
                   dekking < 0 ? json_null() : json_real(dekking), "referenties", "gemeente",
                   "GM9001", "gemeente", "GM9002");
}

static const json_t *klasse(const json_t *sum, int k) {
  const json_t *c = json_array_get(json_object_get(sum, "grootteklassen"), (size_t)k - 1);
  ck_assert_int_eq(json_integer_value(json_object_get(c, "grootteklasse")), k);
  return c;
}

static double q(const json_t *c, const char *figure, const char *which) {
  const json_t *v = json_object_get(json_object_get(c, figure), which);
  ck_assert_msg(json_is_number(v), "%s.%s is not a number", figure, which);
  return json_number_value(v);
}

START_TEST(summary_has_quartiles_on_the_grid_from_five_municipalities) {
  /* Class 5: five that are not references (fte 0.51 .. 0.99) and one that is. */
  json_t *rows = json_pack("[o,o,o,o,o,o]", row("GM0001", 5, 0.51, 0.40),
                           row("GM0002", 5, 0.62, 0.50), row("GM0003", 5, 0.74, 0.61),
                           row("GM0004", 5, 0.86, 0.70), row("GM0005", 5, 0.99, 0.81),
                           row("GM9001", 5, 1.20, 0.95));
  json_t *sum = tp_peiling_samenvatting(rows);
  ck_assert_ptr_nonnull(sum);
  ck_assert_uint_eq(json_array_size(json_object_get(sum, "grootteklassen")), 8);
  const json_t *c = klasse(sum, 5);
  ck_assert_int_eq(json_integer_value(json_object_get(c, "aantalGemeenten")), 6);
  ck_assert(json_is_false(json_object_get(c, "onderdrukt")));
  ck_assert(json_is_null(json_object_get(c, "reden")));
  /* Over all six: PERCENTILE.INC at 1.25, 2.5, 3.75 of 0.51 0.62 0.74 0.86 0.99 1.20
   * = 0.65, 0.80, 0.9575, then on the grid of 0.1: 0.7, 0.8, 1.0. */
  ck_assert_double_eq_tol(q(c, "ftePer10000Kwartielen", "p25"), 0.7, 1e-12);
  ck_assert_double_eq_tol(q(c, "ftePer10000Kwartielen", "mediaan"), 0.8, 1e-12);
  ck_assert_double_eq_tol(q(c, "ftePer10000Kwartielen", "p75"), 1.0, 1e-12);
  /* Coverage 0.40 0.50 0.61 0.70 0.81 0.95: 0.5275, 0.655, 0.7825 → 0.55, 0.65, 0.8. */
  ck_assert(json_is_false(json_object_get(c, "dekkingOnderdrukt")));
  ck_assert_double_eq_tol(q(c, "dekkingKwartielen", "p25"), 0.55, 1e-12);
  ck_assert_double_eq_tol(q(c, "dekkingKwartielen", "mediaan"), 0.65, 1e-12);
  ck_assert_double_eq_tol(q(c, "dekkingKwartielen", "p75"), 0.8, 1e-12);
  /* An empty class: suppressed, with its reason. */
  c = klasse(sum, 1);
  ck_assert_int_eq(json_integer_value(json_object_get(c, "aantalGemeenten")), 0);
  ck_assert(json_is_true(json_object_get(c, "onderdrukt")));
  ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(c, "reden")), "minder dan 5"));
  ck_assert(json_is_null(json_object_get(c, "ftePer10000Kwartielen")));
  ck_assert(json_is_null(json_object_get(c, "dekkingKwartielen")));
  json_decref(sum);
  json_decref(rows);
}
END_TEST

START_TEST(references_do_not_count_towards_five) {
  /* Four others and two references: six municipalities, still suppressed. */
  json_t *rows = json_pack("[o,o,o,o,o,o]", row("GM0001", 4, 0.5, 0.4), row("GM0002", 4, 0.6, 0.5),
                           row("GM0003", 4, 0.7, 0.6), row("GM0004", 4, 0.8, 0.7),
                           row("GM9001", 4, 0.9, 0.8), row("GM9002", 4, 1.0, 0.9));
  json_t *sum = tp_peiling_samenvatting(rows);
  const json_t *c = klasse(sum, 4);
  ck_assert_int_eq(json_integer_value(json_object_get(c, "aantalGemeenten")), 6);
  ck_assert(json_is_true(json_object_get(c, "onderdrukt")));
  ck_assert(json_is_null(json_object_get(c, "ftePer10000Kwartielen")));
  ck_assert(json_is_true(json_object_get(c, "dekkingOnderdrukt")));
  ck_assert(json_is_null(json_object_get(c, "dekkingKwartielen")));
  json_decref(sum);
  json_decref(rows);
}
END_TEST

START_TEST(coverage_alone_is_suppressed_with_fewer_than_five_known) {
  /* Five others, one without a coverage. */
  json_t *rows = json_pack("[o,o,o,o,o]", row("GM0001", 3, 0.5, 0.4), row("GM0002", 3, 0.6, 0.5),
                           row("GM0003", 3, 0.7, 0.6), row("GM0004", 3, 0.8, 0.7),
                           row("GM0005", 3, 0.9, -1));
  json_t *sum = tp_peiling_samenvatting(rows);
  const json_t *c = klasse(sum, 3);
  ck_assert(json_is_false(json_object_get(c, "onderdrukt")));
  ck_assert_double_eq_tol(q(c, "ftePer10000Kwartielen", "mediaan"), 0.7, 1e-12);
  ck_assert(json_is_true(json_object_get(c, "dekkingOnderdrukt")));
  ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(c, "dekkingReden")), "dekking"));
  ck_assert(json_is_null(json_object_get(c, "dekkingKwartielen")));
  json_decref(sum);
  json_decref(rows);
}
END_TEST

/* --- the comparison ---------------------------------------------------------------- */

START_TEST(comparison_merges_by_code_and_names_who_is_in_one) {
  json_t *van = J("[{'gemeente':'GM0001','naam':'Een','grootteklasse':3,'ftePer10000':0.5,"
                  "  'dekking':0.4,'ontbrekendeKernrollen':['verbinder']},"
                  " {'gemeente':'GM0002','naam':'Twee','grootteklasse':4,'ftePer10000':0.8,"
                  "  'dekking':null,'ontbrekendeKernrollen':[]}]");
  json_t *naar = J("[{'gemeente':'GM0002','naam':'Twee','grootteklasse':5,'ftePer10000':0.7,"
                   "  'dekking':0.6,'ontbrekendeKernrollen':[]},"
                   " {'gemeente':'GM0003','naam':'Drie, drie','grootteklasse':2,'ftePer10000':1.1,"
                   "  'dekking':0.9,'ontbrekendeKernrollen':['verbinder','communitymanager']}]");
  json_t *v = tp_peiling_vergelijk("q1", van, "q2", naar);
  ck_assert_ptr_nonnull(v);
  ck_assert_uint_eq(json_array_size(v), 3);
  const json_t *een = json_array_get(v, 0), *twee = json_array_get(v, 1),
               *drie = json_array_get(v, 2);
  ck_assert_str_eq(json_string_value(json_object_get(een, "gemeente")), "GM0001");
  ck_assert_str_eq(json_string_value(json_object_get(een, "aanwezig")), "alleen-van");
  ck_assert_str_eq(json_string_value(json_object_get(een, "peilingVan")), "q1");
  ck_assert_str_eq(json_string_value(json_object_get(een, "peilingNaar")), "q2");
  ck_assert(json_is_null(json_object_get(een, "ftePer10000Naar")));
  ck_assert(json_is_null(json_object_get(een, "ftePer10000Verschil")));
  ck_assert(json_is_false(json_object_get(een, "grootteklasseGewijzigd")));
  ck_assert_str_eq(json_string_value(json_object_get(twee, "aanwezig")), "beide");
  ck_assert(json_is_true(json_object_get(twee, "grootteklasseGewijzigd")));
  ck_assert_double_eq_tol(json_number_value(json_object_get(twee, "ftePer10000Verschil")), -0.1,
                          1e-12);
  ck_assert(json_is_null(json_object_get(twee, "dekkingVerschil"))); /* one side null */
  ck_assert_str_eq(json_string_value(json_object_get(drie, "aanwezig")), "alleen-naar");
  ck_assert(json_is_null(json_object_get(drie, "ontbrekendeKernrollenVan")));
  ck_assert_uint_eq(json_array_size(json_object_get(drie, "ontbrekendeKernrollenNaar")), 2);

  size_t len;
  char *csv = tp_peiling_vergelijking_csv(v, &len);
  ck_assert_ptr_nonnull(csv);
  ck_assert_uint_eq(strlen(csv), len);
  ck_assert_ptr_nonnull(strstr(csv, "peilingVan,peilingNaar,gemeente,naam,aanwezig,"));
  ck_assert_ptr_nonnull(strstr(csv, "\r\nq1,q2,GM0001,Een,alleen-van,3,,false,0.5,,,0.4,,,verbinder,\r\n"));
  ck_assert_ptr_nonnull(strstr(csv, "\r\nq1,q2,GM0002,Twee,beide,4,5,true,0.8,0.7,-0.1,,0.6,,,\r\n"));
  ck_assert_ptr_nonnull(
      strstr(csv, "\r\nq1,q2,GM0003,\"Drie, drie\",alleen-naar,,2,false,,1.1,,,0.9,,,"
                  "verbinder communitymanager\r\n"));
  free(csv);
  json_decref(v);
  json_decref(van);
  json_decref(naar);
}
END_TEST

int main(void) {
  Suite *s = suite_create("peiling");
  TCase *tc = tcase_create("peiling");
  tcase_add_test(tc, a_valid_body_gives_its_fields);
  tcase_add_test(tc, every_violation_is_named_at_once);
  tcase_add_test(tc, names_are_a_limited_alphabet);
  tcase_add_test(tc, summary_has_quartiles_on_the_grid_from_five_municipalities);
  tcase_add_test(tc, references_do_not_count_towards_five);
  tcase_add_test(tc, coverage_alone_is_suppressed_with_fewer_than_five_known);
  tcase_add_test(tc, comparison_merges_by_code_and_names_who_is_in_one);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
