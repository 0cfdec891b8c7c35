/* teamplotter import referentieteams: a valid file replaces the reference
 * profiles atomically and keeps their ids; a broken file changes nothing
 * and names every problem by its path. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

/* Everything an import may touch, as one comparable value. */
static char *reference_state(void) {
  return it_sql_value(
      it_database_url(),
      "SELECT count(*) || ':' || md5(coalesce(string_agg(d.doc::text, ',' ORDER BY d.uuid), ''))"
      " FROM api_teamprofielen d WHERE d.referentie");
}

/* The current reference profiles in the file shape of referentieteams.json,
 * written to a temporary file; the caller frees the path. */
static char *export_references(void) {
  json_t *rows = NULL;
  char *text = it_sql_value(
      it_database_url(),
      "SELECT json_build_object('versie', 'test', 'profielen', json_agg(json_build_object("
      " 'gemeente', gemeente, 'peildatum', peildatum, 'herkomst', doc->'herkomst',"
      " 'bronnen', doc->'bronnen', 'toelichting', doc->'toelichting', 'leden', doc->'leden')"
      " ORDER BY gemeente))::text FROM api_teamprofielen WHERE referentie");
  ck_assert_ptr_nonnull(text);
  rows = json_loads(text, 0, NULL);
  free(text);
  ck_assert_ptr_nonnull(rows);
  char *path = strdup("/tmp/teamplotter-import-XXXXXX");
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  close(fd);
  ck_assert_int_eq(json_dump_file(rows, path, JSON_INDENT(1)), 0);
  json_decref(rows);
  return path;
}

/* Runs `teamplotter import referentieteams PATH`; exit status, and stderr
 * in *err (caller frees). */
static int run_import(const char *path, char **err) {
  char errfile[] = "/tmp/teamplotter-import-err-XXXXXX";
  int fd = mkstemp(errfile);
  ck_assert_int_ge(fd, 0);
  close(fd);
  char cmd[1024];
  snprintf(cmd, sizeof(cmd), "TEAMPLOTTER_DATABASE_URL='%s' %s import referentieteams %s >/dev/null 2>%s",
           it_database_url(), TEAMPLOTTER_BINARY_PATH, path, errfile);
  int st = system(cmd);
  FILE *f = fopen(errfile, "r");
  char buf[8192] = "";
  size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
  buf[n] = '\0';
  if (f) fclose(f);
  unlink(errfile);
  *err = strdup(buf);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void setup(void) { ck_assert_int_eq(it_run_binary("migrate", it_database_url()), 0); }

START_TEST(valid_file_replaces_and_keeps_ids) {
  char *before = reference_state();
  char *ids_before = it_sql_value(it_database_url(),
                                  "SELECT string_agg(uuid::text, ',' ORDER BY gemeente)"
                                  " FROM teamprofielen WHERE referentie");
  char *path = export_references();
  char *err = NULL;
  ck_assert_msg(run_import(path, &err) == 0, "import failed: %s", err);
  free(err);
  /* The same content comes back under the same ids. */
  char *after = reference_state();
  char *ids_after = it_sql_value(it_database_url(),
                                 "SELECT string_agg(uuid::text, ',' ORDER BY gemeente)"
                                 " FROM teamprofielen WHERE referentie");
  ck_assert_str_eq(before, after);
  ck_assert_str_eq(ids_before, ids_after);
  ck_assert_int_eq(atoi(after), 7);
  unlink(path);
  free(path);
  free(before);
  free(after);
  free(ids_before);
  free(ids_after);
}
END_TEST

START_TEST(changed_file_changes_the_references) {
  char *original = export_references();
  char *before = reference_state();
  char *path = export_references();
  json_t *doc = json_load_file(path, 0, NULL);
  /* Zeewolde's first member gets a different fte and matching share. */
  json_t *profielen = json_object_get(doc, "profielen");
  json_t *zeewolde = NULL;
  size_t i;
  json_t *p;
  json_array_foreach(profielen, i, p) {
    if (strcmp(json_string_value(json_object_get(p, "gemeente")), "GM0050") == 0) zeewolde = p;
  }
  ck_assert_ptr_nonnull(zeewolde);
  json_t *lid = json_array_get(json_object_get(zeewolde, "leden"), 0);
  json_t *rollen = json_object_get(lid, "rollen");
  /* A value that differs from the current one, whatever that is. */
  double fte_new = json_number_value(json_object_get(lid, "fte")) == 1.25 ? 1.2 : 1.25;
  json_object_set_new(lid, "fte", json_real(fte_new));
  json_array_clear(rollen);
  json_array_append_new(rollen, json_pack("{s:s, s:f}", "rol", "verbinder", "aandeel", fte_new));
  ck_assert_int_eq(json_dump_file(doc, path, 0), 0);
  char *err = NULL;
  ck_assert_msg(run_import(path, &err) == 0, "import failed: %s", err);
  free(err);
  char *fte = it_sql_value(it_database_url(),
                           "SELECT l.fte FROM teamleden l JOIN teamprofielen p ON p.uuid = l.profiel"
                           " WHERE p.referentie AND p.gemeente = 'GM0050' AND l.volgnummer = 0");
  ck_assert_double_eq_tol(strtod(fte, NULL), fte_new, 1e-9);
  free(fte);
  char *changed = reference_state();
  ck_assert_str_ne(before, changed);
  /* Put the original back, and it is exactly as before. */
  ck_assert_int_eq(run_import(original, &err), 0);
  free(err);
  char *restored = reference_state();
  ck_assert_str_eq(before, restored);
  free(restored);
  free(changed);
  free(before);
  json_decref(doc);
  unlink(path);
  unlink(original);
  free(path);
  free(original);
}
END_TEST

START_TEST(broken_files_change_nothing_and_name_every_problem) {
  char *before = reference_state();
  char *path = export_references();
  json_t *doc = json_load_file(path, 0, NULL);
  json_t *profielen = json_object_get(doc, "profielen");
  json_object_set_new(json_array_get(json_object_get(json_array_get(profielen, 1), "leden"), 0),
                      "fte", json_real(2.0));
  json_object_set_new(json_array_get(profielen, 2), "gemeente", json_string("GM0003"));
  json_object_set_new(json_array_get(profielen, 3), "bronnen", json_pack("[s]", "BESTAAT-NIET"));
  json_object_set_new(json_array_get(profielen, 4), "peildatum", json_string("2019-02-30"));
  json_array_append(profielen, json_array_get(profielen, 0)); /* a duplicate municipality */
  ck_assert_int_eq(json_dump_file(doc, path, 0), 0);
  json_decref(doc);
  char *err = NULL;
  ck_assert_int_eq(run_import(path, &err), 1);
  const char *expected[] = {"profielen.1.leden.0.fte", "profielen.2.gemeente",
                            "profielen.3.bronnen.0", "profielen.4.peildatum",
                            "profielen.7.gemeente"};
  for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
    ck_assert_msg(strstr(err, expected[i]) != NULL, "'%s' not named in:\n%s", expected[i], err);
  }
  free(err);
  char *after = reference_state();
  ck_assert_str_eq(before, after);
  free(after);

  /* Not JSON at all, and JSON of the wrong shape. */
  FILE *f = fopen(path, "w");
  fputs("{\"profielen\": [", f);
  fclose(f);
  ck_assert_int_eq(run_import(path, &err), 1);
  free(err);
  f = fopen(path, "w");
  fputs("{\"profielen\": {}}", f);
  fclose(f);
  ck_assert_int_eq(run_import(path, &err), 1);
  ck_assert_ptr_nonnull(strstr(err, "profielen"));
  free(err);
  ck_assert_int_eq(run_import("/nonexistent/file.json", &err), 1);
  free(err);
  after = reference_state();
  ck_assert_str_eq(before, after);
  free(after);
  free(before);
  unlink(path);
  free(path);
}
END_TEST

/* An import whose COMMIT PostgreSQL does not confirm within the 3 s
 * statement deadline (a deferred trigger sleeps once at commit time) may
 * have been applied: the command must not say that nothing changed. */
START_TEST(unconfirmed_commit_does_not_claim_nothing_changed) {
  char *before = reference_state();
  char *path = export_references();
  char trigger[1024];
  snprintf(trigger, sizeof(trigger),
           "CREATE OR REPLACE FUNCTION it_slow_import_%1$d() RETURNS trigger LANGUAGE plpgsql AS"
           " $$BEGIN IF NEW.client_id = 'import' AND current_setting('it.slept', true)"
           " IS DISTINCT FROM 'ja' THEN PERFORM set_config('it.slept', 'ja', true);"
           " PERFORM pg_sleep(4); END IF; RETURN NULL; END$$;"
           "CREATE CONSTRAINT TRIGGER it_slow_import_%1$d AFTER INSERT ON teamprofielen"
           " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION it_slow_import_%1$d()",
           (int)getpid());
  ck_assert_int_eq(it_sql_exec(it_database_url(), trigger), 0);
  char *err = NULL;
  int status = run_import(path, &err);
  sleep(2); /* PostgreSQL finishes the COMMIT meanwhile */
  snprintf(trigger, sizeof(trigger),
           "DROP TRIGGER it_slow_import_%1$d ON teamprofielen; DROP FUNCTION it_slow_import_%1$d()",
           (int)getpid());
  ck_assert_int_eq(it_sql_exec(it_database_url(), trigger), 0);
  ck_assert_int_eq(status, 1);
  ck_assert_msg(strstr(err, "nothing was changed") == NULL, "the import claims:\n%s", err);
  ck_assert_msg(strstr(err, "may or may not have been applied") != NULL, "stderr:\n%s", err);
  /* It was applied, with the same content. */
  char *after = reference_state();
  ck_assert_str_eq(before, after);
  free(after);
  free(err);
  free(before);
  unlink(path);
  free(path);
}
END_TEST

int main(void) {
  it_database_url();
  Suite *s = suite_create("import");
  TCase *tc = tcase_create("referentieteams");
  tcase_set_timeout(tc, 60);
  tcase_add_unchecked_fixture(tc, setup, NULL);
  tcase_add_test(tc, valid_file_replaces_and_keeps_ids);
  tcase_add_test(tc, changed_file_changes_the_references);
  tcase_add_test(tc, broken_files_change_nothing_and_name_every_problem);
  tcase_add_test(tc, unconfirmed_commit_does_not_claim_nothing_changed);
  tcase_add_test(tc, valid_file_replaces_and_keeps_ids);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_set_fork_status(sr, CK_NOFORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
