/* Catalogue management by import: catalogue, success-factor and
 * success-story files, valid and broken, and the versions they make, listed
 * newest first and paged. On a database of their own
 * (tests/integration/fixture_catalogusbeheer.c). */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_catalogusbeheer.h"

/* --- imports ------------------------------------------------------------------------------ */

START_TEST(catalogue_import_valid_and_broken) {
  json_t *file = export_catalogue("it-2099.1");
  /* Rename a role, reorder two competencies and drop a family nobody uses
   * (added first through the API). */
  ck_assert_int_eq(status_of("PUT", "/api/v1/rolfamilies/it-leeg", BEHEER, NULL, "*",
                             "{\"naam\":\"Leeg\",\"omschrijving\":\"Zonder rollen\"}"),
                   201);
  json_t *rol0 = json_array_get(json_object_get(file, "rollen"), 0);
  char code[128];
  snprintf(code, sizeof(code), "%s", it_str(rol0, "code"));
  json_object_set_new(rol0, "naam", json_string("Hernoemd door import"));
  json_t *comps = json_object_get(file, "competenties");
  json_t *c0 = json_incref(json_array_get(comps, 0));
  json_array_remove(comps, 0);
  json_array_append_new(comps, c0);

  /* Broken: every problem named by its path, nothing changed. */
  json_t *broken = json_deep_copy(file);
  json_object_set_new(broken, "versie", json_integer(7));
  json_array_remove(json_object_get(broken, "schaal"), 3);
  json_t *b_rollen = json_object_get(broken, "rollen");
  json_object_set_new(json_array_get(b_rollen, 1), "familie", json_string("weg"));
  json_object_set_new(
      json_array_get(json_object_get(json_array_get(b_rollen, 2), "competenties"), 0), "code",
      json_string("onbekend"));
  json_array_append(b_rollen, json_array_get(b_rollen, 0));
  json_object_set_new(broken, "onbekend", json_true());
  char *before = catalogue_state();
  char *bad_path = write_json("broken.json", broken), *out = NULL;
  ck_assert_int_eq(run_import("catalogus", bad_path, &out), 1);
  static const char *const named[] = {"versie:", "schaal:", "rollen.1.familie:",
                                      "rollen.2.competenties.0.code:", "onbekend:"};
  for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
    ck_assert_msg(strstr(out, named[i]) != NULL, "%s not named in: %s", named[i], out);
  }
  char dup[160];
  snprintf(dup, sizeof(dup), "rollen.%zu.code:", json_array_size(b_rollen) - 1);
  ck_assert_msg(strstr(out, dup) != NULL, "%s not named in: %s", dup, out);
  free(out);
  /* Not JSON at all. */
  char junk[400];
  snprintf(junk, sizeof(junk), "%s/junk.json", scratch);
  FILE *f = fopen(junk, "w");
  ck_assert_ptr_nonnull(f);
  fputs("{\"versie\": ", f);
  fclose(f);
  ck_assert_int_eq(run_import("catalogus", junk, &out), 1);
  free(out);
  char *after = catalogue_state();
  ck_assert_str_eq(before, after);

  /* Valid: one new version with that name, and the changes in its trail. */
  char *good = write_json("good.json", file);
  ck_assert_msg(run_import("catalogus", good, &out) == 0, "import failed: %s", out);
  free(out);
  await_version(&srv, "it-2099.1");
  json_t *v = get_doc(&srv, "/api/v1/catalogusversies/it-2099.1", NULL);
  ck_assert_str_eq(it_str(v, "bron"), "import");
  ck_assert_str_eq(it_str(v, "clientId"), "import");
  ck_assert_str_eq(it_str(v, "toelichting"), "Testcatalogus");
  json_t *trail =
      get_doc(&srv, "/api/v1/catalogusversies/it-2099.1/wijzigingen?pageSize=100", NULL);
  int renamed = 0, dropped = 0;
  size_t i;
  json_t *w;
  json_array_foreach(json_object_get(trail, "results"), i, w) {
    renamed |= strcmp(it_str(w, "soort"), "rol") == 0 && strcmp(it_str(w, "code"), code) == 0 &&
               strcmp(it_str(w, "actie"), "update") == 0;
    dropped |= strcmp(it_str(w, "soort"), "rolfamilie") == 0 &&
               strcmp(it_str(w, "code"), "it-leeg") == 0 &&
               strcmp(it_str(w, "actie"), "destroy") == 0;
  }
  ck_assert(renamed);
  ck_assert(dropped);
  char path[256];
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  json_t *rol = get_doc(&srv, path, NULL);
  ck_assert_str_eq(it_str(rol, "naam"), "Hernoemd door import");
  /* The file's order is the catalogue's order. */
  json_t *cs = get_doc(&srv, "/api/v1/competenties?pageSize=100", NULL);
  json_t *res = json_object_get(cs, "results");
  ck_assert_str_eq(it_str(json_array_get(res, json_array_size(res) - 1), "code"),
                   it_str(c0, "code"));
  ck_assert_int_eq(status_of("GET", "/api/v1/rolfamilies/it-leeg", -1, NULL, NULL, NULL), 404);
  /* The same file again: its version exists. */
  ck_assert_int_eq(run_import("catalogus", good, &out), 1);
  ck_assert_ptr_nonnull(strstr(out, "versie"));
  free(out);
  free(before);
  free(after);
  free(bad_path);
  free(good);
  json_decref(v);
  json_decref(trail);
  json_decref(rol);
  json_decref(cs);
  json_decref(broken);
  json_decref(file);
}
END_TEST

static json_t *export_list(const char *view, const char *key, const char *order) {
  char sql[400];
  snprintf(sql, sizeof(sql),
           "SELECT json_build_object('toelichting', 'Test', '%s',"
           " (SELECT json_agg(doc ORDER BY %s) FROM %s))::text",
           key, order, view);
  char *text = it_sql_value(own_url, sql);
  ck_assert_ptr_nonnull(text);
  json_t *doc = json_loads(text, 0, NULL);
  free(text);
  ck_assert_ptr_nonnull(doc);
  return doc;
}

START_TEST(success_content_import_valid_and_broken) {
  json_t *factoren = export_list("api_succesfactoren", "succesfactoren", "volgorde");
  json_t *verhalen = export_list("api_succesverhalen", "succesverhalen", "gemeente");
  json_t *f_list = json_object_get(factoren, "succesfactoren");
  json_t *v_list = json_object_get(verhalen, "succesverhalen");
  ck_assert_int_gt(json_array_size(f_list), 1);
  ck_assert_int_gt(json_array_size(v_list), 1);
  char *before = catalogue_state(), *out = NULL;

  json_t *bad_f = json_deep_copy(factoren);
  json_object_set_new(json_array_get(json_object_get(bad_f, "succesfactoren"), 0),
                      "voorbeeldgemeenten", json_pack("[s]", "GM9999"));
  char *p = write_json("f-bad.json", bad_f);
  ck_assert_int_eq(run_import("succesfactoren", p, &out), 1);
  ck_assert_ptr_nonnull(strstr(out, "succesfactoren.0.voorbeeldgemeenten.0:"));
  free(out);
  free(p);
  json_t *bad_v = json_deep_copy(verhalen);
  /* The first story with result figures. */
  size_t with = 0;
  json_t *b_list = json_object_get(bad_v, "succesverhalen");
  while (with < json_array_size(b_list) &&
         json_array_size(json_object_get(json_array_get(b_list, with), "kengetallen")) == 0) {
    with++;
  }
  json_t *k0 = json_array_get(json_object_get(json_array_get(b_list, with), "kengetallen"), 0);
  ck_assert_ptr_nonnull(k0);
  char waarde[80], bron[80];
  snprintf(waarde, sizeof(waarde), "succesverhalen.%zu.kengetallen.0.waarde:", with);
  snprintf(bron, sizeof(bron), "succesverhalen.%zu.kengetallen.0.bron:", with);
  json_object_set_new(k0, "waarde", json_string("veel"));
  json_object_set_new(k0, "bron", json_string("https://niet.in.de/bronnenlijst"));
  p = write_json("v-bad.json", bad_v);
  ck_assert_int_eq(run_import("succesverhalen", p, &out), 1);
  ck_assert_msg(strstr(out, waarde) && strstr(out, bron), "not named: %s", out);
  free(out);
  free(p);
  char *after = catalogue_state();
  ck_assert_str_eq(before, after);

  /* Valid: drop the last factor, change a story's title. */
  char gone[128];
  snprintf(gone, sizeof(gone), "%s",
           it_str(json_array_get(f_list, json_array_size(f_list) - 1), "code"));
  json_array_remove(f_list, json_array_size(f_list) - 1);
  json_object_set_new(json_array_get(v_list, 0), "titel", json_string("Nieuwe titel"));
  char *v0 = current_version(&srv);
  p = write_json("f.json", factoren);
  ck_assert_msg(run_import("succesfactoren", p, &out) == 0, "import failed: %s", out);
  free(out);
  free(p);
  char *v1 = await_change(&srv, v0);
  char fpath[256];
  snprintf(fpath, sizeof(fpath), "/api/v1/succesfactoren/%s", gone);
  ck_assert_int_eq(status_of("GET", fpath, -1, NULL, NULL, NULL), 404);
  p = write_json("v.json", verhalen);
  ck_assert_msg(run_import("succesverhalen", p, &out) == 0, "import failed: %s", out);
  free(out);
  char *v2 = await_change(&srv, v1);
  char spath[256];
  snprintf(spath, sizeof(spath), "/api/v1/succesverhalen/%s",
           it_str(json_array_get(v_list, 0), "gemeente"));
  json_t *story = get_doc(&srv, spath, NULL);
  ck_assert_str_eq(it_str(story, "titel"), "Nieuwe titel");
  /* Again: nothing changes, no version. */
  long n = versions_count();
  ck_assert_int_eq(run_import("succesverhalen", p, &out), 0);
  free(out);
  ck_assert_int_eq(versions_count(), n);
  free(p);
  free(before);
  free(after);
  free(v0);
  free(v1);
  free(v2);
  json_decref(story);
  json_decref(bad_f);
  json_decref(bad_v);
  json_decref(factoren);
  json_decref(verhalen);
}
END_TEST

START_TEST(versions_are_listed_newest_first_and_paged) {
  json_t *all = get_doc(&srv, "/api/v1/catalogusversies?pageSize=100", NULL);
  json_t *res = json_object_get(all, "results");
  ck_assert_int_eq(json_integer_value(json_object_get(all, "count")), versions_count());
  ck_assert(json_is_true(json_object_get(json_array_get(res, 0), "huidig")));
  await_version(&srv, it_str(json_array_get(res, 0), "versie"));
  for (size_t i = 1; i < json_array_size(res); i++) {
    ck_assert(json_is_false(json_object_get(json_array_get(res, i), "huidig")));
    ck_assert_int_lt(json_integer_value(json_object_get(json_array_get(res, i), "nummer")),
                     json_integer_value(json_object_get(json_array_get(res, i - 1), "nummer")));
  }
  /* The seed's version is the oldest. */
  ck_assert_str_eq(it_str(json_array_get(res, json_array_size(res) - 1), "bron"), "seed");
  ck_assert_int_eq(status_of("GET", "/api/v1/catalogusversies/bestaat-niet", -1, NULL, NULL, NULL),
                   404);
  ck_assert_int_eq(
      status_of("GET", "/api/v1/catalogusversies/bestaat-niet/wijzigingen", -1, NULL, NULL, NULL),
      404);
  ck_assert_int_eq(status_of("GET", "/api/v1/catalogusversies?onbekend=1", -1, NULL, NULL,
                             NULL), 400);
  json_decref(all);
}
END_TEST

int main(void) {
  Suite *s = suite_create("catalogusbeheer-import");
  TCase *tc = it_case("catalogusbeheer-import", 120, setup, teardown);
  tcase_add_test(tc, catalogue_import_valid_and_broken);
  tcase_add_test(tc, success_content_import_valid_and_broken);
  tcase_add_test(tc, versions_are_listed_newest_first_and_paged);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
