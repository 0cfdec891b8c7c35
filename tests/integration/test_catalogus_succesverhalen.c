/* Success stories, success factors and sources: sourced figures, every
 * cited source listed, and equal to the data pack. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_catalogus.h"

/* --- success stories, factors and sources --------------------------------- */

START_TEST(success_story_has_sourced_figures) {
  json_t *bronnen = get_all("/api/v1/bronnen");
  ck_assert_int_eq((long)json_array_size(bronnen), it_sql_long("SELECT count(*) FROM bronnen"));
  json_t *story = get_json("/api/v1/succesverhalen/GM0855", 200);
  assert_text_eq(it_str(story, "gemeente"), "GM0855");
  assert_text_eq(it_str(story, "naam"), "Tilburg");
  ck_assert(strlen(it_str(story, "samenvatting")) > 20);
  ck_assert_int_eq(
      (long)json_array_size(json_object_get(story, "praktijken")),
      it_sql_long("SELECT count(*) FROM succesverhaal_praktijken WHERE gemeente = 'GM0855'"));
  ck_assert_uint_gt(json_array_size(json_object_get(story, "praktijken")), 0);
  json_t *kengetallen = json_object_get(story, "kengetallen");
  ck_assert_uint_gt(json_array_size(kengetallen), 0);
  ck_assert_int_eq((long)json_array_size(kengetallen),
                   it_sql_long("SELECT count(*) FROM kengetallen WHERE gemeente = 'GM0855'"));
  struct sbuf got = {0};
  size_t i;
  json_t *k;
  json_array_foreach(kengetallen, i, k) {
    ck_assert_msg(json_is_number(json_object_get(k, "waarde")), "kengetal %zu: waarde", i);
    ck_assert_msg(it_str(k, "eenheid") && it_str(k, "eenheid")[0], "kengetal %zu: eenheid", i);
    ck_assert_msg(it_str(k, "jaar") && it_str(k, "jaar")[0], "kengetal %zu: jaar", i);
    const char *bron = it_str(k, "bron");
    ck_assert_msg(bron != NULL && strncmp(bron, "http", 4) == 0, "kengetal %zu: bron", i);
    ck_assert_msg(in_array(bronnen, "url", bron), "kengetal %s cites %s, not in /bronnen",
                  it_str(k, "code"), bron);
    sb_addf(&got, "%s%s=", i ? ";" : "", it_str(k, "code"));
    sb_scalar(&got, json_object_get(k, "waarde"));
    sb_addf(&got, "|%s|%s|%s|%s", it_str(k, "eenheid"), it_str(k, "jaar"), bron,
            it_str(k, "herkomst"));
  }
  char *want = it_sqlf(
      "SELECT string_agg(code || '=' || waarde::float8 || '|' || eenheid || '|' ||"
      " jaar || '|' || bron || '|' || herkomst, ';' ORDER BY volgorde)"
      " FROM kengetallen WHERE gemeente = 'GM0855'");
  assert_text_eq(got.s, want);
  free(want);
  free(got.s);

  /* The story's detail is its list item; every story's sources resolve. */
  json_t *stories = get_all("/api/v1/succesverhalen");
  ck_assert_uint_eq(json_array_size(stories), 7);
  ck_assert(json_equal(story, find_by(stories, "gemeente", "GM0855")));
  json_t *s;
  json_array_foreach(stories, i, s) {
    int reference = 0;
    for (size_t n = 0; SEVEN[n] != NULL; n++)
      reference |= strcmp(SEVEN[n], it_str(s, "gemeente")) == 0;
    ck_assert_msg(reference, "story of %s, not one of the seven", it_str(s, "gemeente"));
    size_t n;
    json_t *x;
    json_array_foreach(json_object_get(s, "bronnen"), n, x) {
      ck_assert_msg(in_array(bronnen, "id", json_string_value(x)), "%s cites unknown source %s",
                    it_str(s, "gemeente"), json_string_value(x));
    }
    json_array_foreach(json_object_get(s, "kengetallen"), n, x) {
      if (!json_is_null(json_object_get(x, "bron"))) {
        ck_assert_msg(in_array(bronnen, "url", it_str(x, "bron")), "%s: %s not in /bronnen",
                      it_str(s, "gemeente"), it_str(x, "bron"));
      }
    }
  }
  json_decref(stories);
  json_decref(story);
  json_decref(bronnen);
}
END_TEST

START_TEST(every_cited_source_is_listed) {
  json_t *bronnen = get_all("/api/v1/bronnen");
  size_t i, n;
  json_t *item, *id;
  /* Ids and urls are unique. */
  char *ids = join(bronnen, "id", ",");
  char *want = it_sqlf("SELECT string_agg(id, ',' ORDER BY id) FROM bronnen");
  assert_text_eq(ids, want);
  free(ids);
  free(want);
  static const char *const collections[] = {"/api/v1/rollen", "/api/v1/succesfactoren",
                                            "/api/v1/gemeenten",
                                            "/api/v1/teamprofielen?referentie=true"};
  for (size_t c = 0; c < sizeof(collections) / sizeof(collections[0]); c++) {
    json_t *all = get_all(collections[c]);
    ck_assert_uint_gt(json_array_size(all), 0);
    json_array_foreach(all, i, item) {
      ck_assert_ptr_nonnull(it_str(item, "herkomst"));
      json_array_foreach(json_object_get(item, "bronnen"), n, id) {
        ck_assert_msg(in_array(bronnen, "id", json_string_value(id)), "%s cites unknown source %s",
                      collections[c], json_string_value(id));
      }
    }
    json_decref(all);
  }
  /* Success factors: list = SQL, detail = list item, examples exist. */
  json_t *factoren = get_all("/api/v1/succesfactoren");
  char *codes = join(factoren, "code", ",");
  want = it_sqlf("SELECT string_agg(code, ',' ORDER BY volgorde) FROM succesfactoren");
  assert_text_eq(codes, want);
  free(codes);
  free(want);
  json_array_foreach(factoren, i, item) {
    const char *code = it_str(item, "code");
    assert_code(code);
    char path[256];
    snprintf(path, sizeof(path), "/api/v1/succesfactoren/%s", code);
    json_t *one = get_json(path, 200);
    ck_assert(json_equal(one, item));
    json_decref(one);
    json_array_foreach(json_object_get(item, "voorbeeldgemeenten"), n, id) {
      int reference = 0;
      for (size_t s = 0; SEVEN[s] != NULL; s++)
        reference |= strcmp(SEVEN[s], json_string_value(id)) == 0;
      ck_assert_msg(reference, "%s: example %s is not a reference municipality", code,
                    json_string_value(id));
    }
  }
  json_decref(factoren);
  json_decref(bronnen);
}
END_TEST

START_TEST(success_stories_equal_the_data_pack) {
  json_t *pack = load_pack("succesverhalen.json");
  if (pack == NULL) return;
  size_t i, k;
  json_t *ps, *pk;
  json_array_foreach(json_object_get(pack, "succesverhalen"), i, ps) {
    const char *code = it_str(ps, "gemeente");
    assert_code(code);
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/succesverhalen/%s", code);
    json_t *s = get_json(path, 200);
    static const char *const same[] = {"naam",        "titel",    "samenvatting", "praktijken",
                                       "organisatie", "herkomst", "bronnen"};
    for (size_t f = 0; f < sizeof(same) / sizeof(same[0]); f++) {
      ck_assert_msg(json_equal(json_object_get(s, same[f]), json_object_get(ps, same[f])),
                    "story %s: %s differs from the data pack", code, same[f]);
    }
    json_t *ks = json_object_get(s, "kengetallen");
    ck_assert_uint_eq(json_array_size(ks), json_array_size(json_object_get(ps, "kengetallen")));
    json_array_foreach(json_object_get(ps, "kengetallen"), k, pk) {
      json_t *kg = json_array_get(ks, k);
      assert_text_eq(it_str(kg, "code"), it_str(pk, "code"));
      ck_assert_msg(fabs(json_number_value(json_object_get(kg, "waarde")) -
                         json_number_value(json_object_get(pk, "waarde"))) < 1e-9,
                    "%s %s: waarde", code, it_str(pk, "code"));
      static const char *const fields[] = {"naam",     "eenheid", "jaar",
                                           "herkomst", "bron",    "opmerking"};
      for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
        ck_assert_msg(json_equal(json_object_get(kg, fields[f]), json_object_get(pk, fields[f])),
                      "story %s figure %s: %s differs from the data pack", code, it_str(pk, "code"),
                      fields[f]);
      }
    }
    json_decref(s);
  }
  json_decref(pack);
}
END_TEST

int main(void) {
  Suite *s = suite_create("catalogus-succesverhalen");
  TCase *tc = it_case("catalogus-succesverhalen", 60, setup, teardown);
  tcase_add_test(tc, success_story_has_sourced_figures);
  tcase_add_test(tc, every_cited_source_is_listed);
  tcase_add_test(tc, success_stories_equal_the_data_pack);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
