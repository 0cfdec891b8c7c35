/* Reference-set versions: the seeded set is version one, an import that
 * changes the reference profiles records a version with what changed, an
 * identical one records none, analyses and a municipality's benchmark name
 * the version they used, and /referentieversies lists and shows them.
 *
 * These tests import reference sets, so they run on a database of their
 * own (tests/integration/fixture_catalogusbeheer.c): other tests keep
 * seeing the seeded reference profiles. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_catalogusbeheer.h"

/* --- helpers ------------------------------------------------------------------------ */

/* The current reference set in the file shape of referentieteams.json,
 * with `versie` when not NULL. */
static json_t *export_references(const char *versie) {
  char *text = it_sql_value(
      own_url,
      "SELECT json_build_object('profielen', json_agg(json_build_object("
      " 'gemeente', gemeente, 'peildatum', peildatum, 'herkomst', doc->'herkomst',"
      " 'bronnen', doc->'bronnen', 'toelichting', doc->'toelichting', 'leden', doc->'leden')"
      " ORDER BY gemeente))::text FROM api_teamprofielen WHERE referentie");
  ck_assert_ptr_nonnull(text);
  json_t *doc = json_loads(text, 0, NULL);
  free(text);
  ck_assert_ptr_nonnull(doc);
  if (versie != NULL) json_object_set_new(doc, "versie", json_string(versie));
  return doc;
}

/* The profile of `gemeente` in an exported file. */
static json_t *profile_in(json_t *file, const char *gemeente) {
  json_t *profielen = json_object_get(file, "profielen");
  long i = index_of(profielen, "gemeente", gemeente);
  ck_assert_int_ge(i, 0);
  return json_array_get(profielen, (size_t)i);
}

/* Gives the first member of `gemeente` in `file` another fte (and that
 * share in one role); returns the new fte. */
static double change_first_member(json_t *file, const char *gemeente) {
  json_t *lid = json_array_get(json_object_get(profile_in(file, gemeente), "leden"), 0);
  double fte = json_number_value(json_object_get(lid, "fte")) == 0.35 ? 0.45 : 0.35;
  json_object_set_new(lid, "fte", json_real(fte));
  json_t *rollen = json_object_get(lid, "rollen");
  json_t *rol = json_incref(json_object_get(json_array_get(rollen, 0), "rol"));
  json_array_clear(rollen);
  json_array_append_new(rollen, json_pack("{s:o, s:f}", "rol", rol, "aandeel", fte));
  return fte;
}

/* Imports `file` (written as `name`) as reference teams, asserting exit
 * status 0; the command's output, a new string. */
static char *import_ok(const char *name, const json_t *file) {
  char *path = write_json(name, file);
  char *out = NULL;
  int status = run_import("referentieteams", path, &out);
  ck_assert_msg(status == 0, "import gave %d: %s", status, out);
  free(path);
  return out;
}

static long versions(void) {
  char *v = it_sql_value(own_url, "SELECT count(*) FROM referentie_versies");
  ck_assert_ptr_nonnull(v);
  long n = atol(v);
  free(v);
  return n;
}

static json_t *analyse_inline(void) {
  static const char team[] = "{\"inwoners\":40000,\"leden\":[{\"label\":\"lid\",\"fte\":1.0,"
                             "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":1.0}]}]}";
  struct it_response r;
  req("POST", "/api/v1/gap-analyses", -1, NULL, NULL, team, &r);
  ck_assert_msg(r.status == 200, "gap analysis gave %ld: %s", r.status, r.body);
  json_t *doc = json_incref(r.json);
  it_response_free(&r);
  return doc;
}

/* The analysis of Tilburg's reference profile (public, no token). */
static json_t *analyse_reference(void) {
  char *uuid = it_sql_value(own_url, "SELECT uuid FROM teamprofielen"
                                     " WHERE referentie AND gemeente = 'GM0855'");
  char path[128];
  snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s/gap-analyse", uuid);
  free(uuid);
  return get_doc(&srv, path, NULL);
}

static json_t *benchmark_of_tilburg(void) {
  struct it_response r;
  req("GET", "/api/v1/gemeenten/GM0855/benchmark", LEZER, NULL, NULL, NULL, &r);
  ck_assert_msg(r.status == 200, "benchmark gave %ld: %s", r.status, r.body);
  json_t *doc = json_incref(r.json);
  it_response_free(&r);
  return doc;
}

/* Waits until the server's analyses state reference-set version `want`:
 * the snapshot follows an import made elsewhere within a second. */
static void await_reference_version(const char *want) {
  double until = it_now_s() + (it_valgrind() ? 30.0 : 5.0);
  json_t *a = analyse_inline();
  while (strcmp(it_str(a, "referentieVersie"), want) != 0 && it_now_s() < until) {
    json_decref(a);
    usleep(20000);
    a = analyse_inline();
  }
  ck_assert_str_eq(it_str(a, "referentieVersie"), want);
  json_decref(a);
}

/* Each of the three answers states methodeVersie, catalogusVersie and
 * reference-set version `want`, the last two as the root does. */
static void answers_state_version(const char *want) {
  json_t *root = get_doc(&srv, "/api/v1", NULL);
  json_t *docs[] = {analyse_inline(), analyse_reference(), benchmark_of_tilburg()};
  for (size_t i = 0; i < 3; i++) {
    /* The analyses state method 1.1; the benchmark's figures are those of 1. */
    if (i < 2)
      ck_assert_str_eq(it_str(docs[i], "methodeVersie"), "1.1");
    else
      ck_assert_int_eq(json_integer_value(json_object_get(docs[i], "methodeVersie")), 1);
    ck_assert_str_eq(it_str(docs[i], "catalogusVersie"), it_str(root, "catalogusVersie"));
    ck_assert_msg(it_str(docs[i], "referentieVersie") != NULL, "answer %zu has no version", i);
    ck_assert_str_eq(it_str(docs[i], "referentieVersie"), want);
    json_decref(docs[i]);
  }
  json_decref(root);
}

/* --- tests -------------------------------------------------------------------------- */

START_TEST(the_seeded_set_is_version_one) {
  json_t *list = get_doc(&srv, "/api/v1/referentieversies", NULL);
  ck_assert_int_eq(json_integer_value(json_object_get(list, "count")), 1);
  json_t *v = json_array_get(json_object_get(list, "results"), 0);
  ck_assert_str_eq(it_str(v, "versie"), "2026.1");
  ck_assert_str_eq(it_str(v, "bron"), "seed");
  ck_assert(json_is_true(json_object_get(v, "huidig")));
  ck_assert_int_eq(json_integer_value(json_object_get(v, "nummer")), 1);
  json_t *n = json_object_get(v, "aantallen");
  ck_assert_int_eq(json_integer_value(json_object_get(n, "profielen")), 7);
  ck_assert_int_eq(json_integer_value(json_object_get(n, "toegevoegd")), 7);
  ck_assert_ptr_null(json_object_get(v, "wijzigingen"));

  /* The version itself: every reference profile added, as the API shows it. */
  json_t *item = get_doc(&srv, "/api/v1/referentieversies/2026.1", NULL);
  json_t *changes = json_object_get(item, "wijzigingen");
  ck_assert_int_eq(json_array_size(changes), 7);
  json_t *first = json_array_get(changes, 0);
  ck_assert_str_eq(it_str(first, "gemeente"), "GM0050");
  ck_assert_str_eq(it_str(first, "actie"), "create");
  ck_assert(json_is_null(json_object_get(first, "oud")));
  char *uuid = it_sql_value(own_url, "SELECT uuid FROM teamprofielen"
                                     " WHERE referentie AND gemeente = 'GM0050'");
  ck_assert_str_eq(it_str(json_object_get(first, "nieuw"), "uuid"), uuid);
  free(uuid);
  answers_state_version("2026.1");
  json_decref(item);
  json_decref(list);
}
END_TEST

START_TEST(an_import_that_changes_the_set_is_a_version_and_an_identical_one_is_not) {
  json_t *file = export_references("it-2027.1");
  double old_fte = json_number_value(json_object_get(
      json_array_get(json_object_get(profile_in(file, "GM0050"), "leden"), 0), "fte"));
  double fte = change_first_member(file, "GM0050");
  char *out = import_ok("referenties.json", file);
  ck_assert_msg(strstr(out, "reference-set version it-2027.1") != NULL, "output: %s", out);
  free(out);
  ck_assert_int_eq(versions(), 2);
  /* The server's snapshot follows: its analyses name the new version. */
  await_reference_version("it-2027.1");

  /* Newest first, the old one no longer current. */
  json_t *list = get_doc(&srv, "/api/v1/referentieversies", NULL);
  ck_assert_int_eq(json_integer_value(json_object_get(list, "count")), 2);
  json_t *v = json_array_get(json_object_get(list, "results"), 0);
  ck_assert_str_eq(it_str(v, "versie"), "it-2027.1");
  ck_assert_str_eq(it_str(v, "bron"), "referenties.json");
  ck_assert_str_eq(it_str(v, "samenvatting"), "gewijzigd: GM0050");
  ck_assert(json_is_true(json_object_get(v, "huidig")));
  ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(v, "aantallen"),
                                                      "gewijzigd")), 1);
  ck_assert(json_is_false(json_object_get(json_array_get(json_object_get(list, "results"), 1),
                                          "huidig")));

  /* What changed: Zeewolde's profile before and after. */
  json_t *item = get_doc(&srv, "/api/v1/referentieversies/it-2027.1", NULL);
  json_t *changes = json_object_get(item, "wijzigingen");
  ck_assert_int_eq(json_array_size(changes), 1);
  json_t *c = json_array_get(changes, 0);
  ck_assert_str_eq(it_str(c, "gemeente"), "GM0050");
  ck_assert_str_eq(it_str(c, "actie"), "update");
  ck_assert_double_eq_tol(it_num(json_array_get(json_object_get(json_object_get(c, "oud"),
                                                                "leden"), 0), "fte"),
                          old_fte, 1e-9);
  ck_assert_double_eq_tol(it_num(json_array_get(json_object_get(json_object_get(c, "nieuw"),
                                                                "leden"), 0), "fte"),
                          fte, 1e-9);

  /* So do the analysis of a reference profile and the benchmark. */
  answers_state_version("it-2027.1");

  /* The same set again: nothing changed, no version. */
  out = import_ok("referenties.json", file);
  ck_assert_msg(strstr(out, "nothing changed") != NULL, "output: %s", out);
  free(out);
  ck_assert_int_eq(versions(), 2);
  answers_state_version("it-2027.1");
  json_decref(item);
  json_decref(list);
  json_decref(file);
}
END_TEST

START_TEST(a_taken_or_missing_name_is_numbered) {
  /* A changed set under a name already taken: the name with a number. */
  json_t *file = export_references("2026.1");
  change_first_member(file, "GM0074");
  json_object_set_new(file, "bron", json_string("VNG Realisatie, tabel 3"));
  char *out = import_ok("taken.json", file);
  ck_assert_msg(strstr(out, "reference-set version 2026.1.1") != NULL, "output: %s", out);
  free(out);
  await_reference_version("2026.1.1");
  json_t *item = get_doc(&srv, "/api/v1/referentieversies/2026.1.1", NULL);
  ck_assert_str_eq(it_str(item, "bron"), "VNG Realisatie, tabel 3");
  json_decref(item);
  json_decref(file);

  /* Without a name: the day of the import, numbered. */
  file = export_references(NULL);
  change_first_member(file, "GM0074");
  out = import_ok("zonder-naam.json", file);
  char *today = it_sql_value(own_url, "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')");
  char want[64];
  snprintf(want, sizeof(want), "reference-set version %s.1 ", today);
  ck_assert_msg(strstr(out, want) != NULL, "output: %s", out);
  free(out);
  snprintf(want, sizeof(want), "%s.1", today);
  await_reference_version(want);
  snprintf(want, sizeof(want), "/api/v1/referentieversies/%s.1", today);
  item = get_doc(&srv, want, NULL);
  ck_assert_str_eq(it_str(item, "bron"), "zonder-naam.json");
  json_decref(item);
  free(today);
  json_decref(file);
}
END_TEST

START_TEST(a_bad_name_changes_nothing) {
  long before = versions();
  json_t *file = export_references(NULL);
  change_first_member(file, "GM0344");
  json_object_set_new(file, "versie", json_integer(3));
  json_object_set_new(file, "bron", json_string(""));
  char *path = write_json("slecht.json", file);
  char *out = NULL;
  ck_assert_int_eq(run_import("referentieteams", path, &out), 1);
  ck_assert_msg(strstr(out, "versie: ") != NULL && strstr(out, "bron: ") != NULL, "output: %s",
                out);
  ck_assert_int_eq(versions(), before);
  free(out);
  free(path);
  json_decref(file);
}
END_TEST

START_TEST(the_list_pages_and_an_unknown_version_is_404) {
  long n = versions();
  ck_assert_int_ge(n, 2);
  struct it_response r;
  req("GET", "/api/v1/referentieversies?pageSize=1", -1, NULL, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_int_eq(json_integer_value(json_object_get(r.json, "count")), n);
  ck_assert_int_eq(json_array_size(json_object_get(r.json, "results")), 1);
  ck_assert_ptr_nonnull(it_header(&r, "ETag"));
  const char *link = it_header(&r, "Link");
  ck_assert_msg(link != NULL && strstr(link, "rel=\"next\"") != NULL, "Link: %s", link);
  char etag[64];
  snprintf(etag, sizeof(etag), "%s", it_header(&r, "ETag"));
  it_response_free(&r);
  /* The second page holds the second newest. */
  json_t *page2 = get_doc(&srv, "/api/v1/referentieversies?page=2&pageSize=1", NULL);
  ck_assert_int_eq(json_integer_value(json_object_get(
                       json_array_get(json_object_get(page2, "results"), 0), "nummer")),
                   n - 1);
  json_decref(page2);
  ck_assert_int_eq(status_of("GET", "/api/v1/referentieversies?pageSize=1", -1, NULL, etag, NULL),
                   304);
  ck_assert_int_eq(status_of("GET", "/api/v1/referentieversies?pageSize=0", -1, NULL, NULL, NULL),
                   400);
  ck_assert_int_eq(status_of("GET", "/api/v1/referentieversies/bestaat-niet", -1, NULL, NULL,
                             NULL),
                   404);
  ck_assert_int_eq(status_of("GET", "/api/v1/referentieversies/2026.1?x=1", -1, NULL, NULL, NULL),
                   400);
}
END_TEST

int main(void) {
  Suite *s = suite_create("referentieversies");
  TCase *tc = it_case("referentieversies", 120, setup, teardown);
  tcase_add_test(tc, the_seeded_set_is_version_one);
  tcase_add_test(tc, an_import_that_changes_the_set_is_a_version_and_an_identical_one_is_not);
  tcase_add_test(tc, a_taken_or_missing_name_is_numbered);
  tcase_add_test(tc, a_bad_name_changes_nothing);
  tcase_add_test(tc, the_list_pages_and_an_unknown_version_is_404);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
