/* /gemeenten: every municipality with its CBS size class against SQL and
 * the data pack (gemeenten-2020.csv). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_catalogus.h"

/* --- municipalities -------------------------------------------------------- */

START_TEST(municipalities_equal_sql_and_size_classes) {
  json_t *all = get_all("/api/v1/gemeenten");
  ck_assert_uint_eq(json_array_size(all), 355);
  struct sbuf got = {0};
  size_t i;
  json_t *g;
  json_array_foreach(all, i, g) {
    long inwoners = (long)json_integer_value(json_object_get(g, "inwoners"));
    sb_addf(&got, "%s%s:%ld:%s:%s", i ? "," : "", it_str(g, "code"), inwoners,
            it_str(g, "provincie"), it_str(g, "peildatum"));
    /* The CBS size class, computed here from the inhabitants. */
    ck_assert_msg(
        json_integer_value(json_object_get(g, "grootteklasse")) == grootteklasse(inwoners),
        "%s: grootteklasse %lld for %ld inhabitants", it_str(g, "code"),
        (long long)json_integer_value(json_object_get(g, "grootteklasse")), inwoners);
    int reference = 0;
    for (size_t k = 0; SEVEN[k] != NULL; k++) reference |= strcmp(SEVEN[k], it_str(g, "code")) == 0;
    ck_assert_msg(json_is_true(json_object_get(g, "referentie")) == reference, "%s: referentie",
                  it_str(g, "code"));
    ck_assert(json_is_array(json_object_get(g, "bronnen")));
  }
  char *want = it_sqlf(
      "SELECT string_agg(code || ':' || inwoners || ':' || provincie || ':' ||"
      " peildatum, ',' ORDER BY code) FROM gemeenten");
  assert_text_eq(got.s, want);
  free(want);
  free(got.s);

  /* One municipality by code equals its list item and the table. */
  json_t *tilburg = get_json("/api/v1/gemeenten/GM0855", 200);
  ck_assert(json_equal(tilburg, find_by(all, "code", "GM0855")));
  assert_text_eq(it_str(tilburg, "naam"), "Tilburg");
  ck_assert_int_eq(json_integer_value(json_object_get(tilburg, "inwoners")),
                   it_sql_long("SELECT inwoners FROM gemeenten WHERE code = 'GM0855'"));
  ck_assert(json_is_true(json_object_get(tilburg, "referentie")));
  json_decref(tilburg);
  json_decref(all);
}
END_TEST

START_TEST(municipalities_equal_the_data_pack) {
  if (!pack_file("gemeenten-2020.csv")) return;
  FILE *f = fopen(pack_path, "r");
  ck_assert_ptr_nonnull(f);
  json_t *all = get_all("/api/v1/gemeenten");
  char line[1024];
  size_t rows = 0;
  ck_assert_ptr_nonnull(fgets(line, sizeof(line), f)); /* header */
  ck_assert_ptr_nonnull(strstr(line, "code,naam,provincie,inwoners,peildatum"));
  while (fgets(line, sizeof(line), f) != NULL) {
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '\0') continue;
    char *fields[5];
    ck_assert_uint_eq(it_csv_split(line, fields, 5), 5);
    const json_t *g = find_by(all, "code", fields[0]);
    ck_assert_msg(g != NULL, "%s from the pack is not served", fields[0]);
    assert_text_eq(it_str(g, "naam"), fields[1]);
    assert_text_eq(it_str(g, "provincie"), fields[2]);
    ck_assert_int_eq(json_integer_value(json_object_get(g, "inwoners")), atol(fields[3]));
    assert_text_eq(it_str(g, "peildatum"), fields[4]);
    rows++;
  }
  fclose(f);
  ck_assert_uint_eq(rows, 355);
  ck_assert_uint_eq(json_array_size(all), rows);
  /* The one name with a comma in it. */
  assert_text_eq(it_str(find_by(all, "code", "GM0820"), "naam"), "Nuenen, Gerwen en Nederwetten");
  json_decref(all);
}
END_TEST

int main(void) {
  Suite *s = suite_create("catalogus-gemeenten");
  TCase *tc = it_case("catalogus-gemeenten", 60, setup, teardown);
  tcase_add_test(tc, municipalities_equal_sql_and_size_classes);
  tcase_add_test(tc, municipalities_equal_the_data_pack);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
