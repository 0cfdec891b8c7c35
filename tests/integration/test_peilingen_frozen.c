/* A benchmark round is frozen: after it is made, a profile changes, a
 * municipality's number of inhabitants changes (reference data, through
 * SQL) and a core role of the catalogue changes, so that the benchmark of
 * the same date now reads differently; the round's document, its results
 * as JSON pages and as CSV, and its comparison with itself stay byte for
 * byte what they were. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_peilingen.h"

/* GM0175 Ommen's inhabitants and the source of the communitymanager's
 * being a core role, before the test, put back at the end. */
static long ommen_inwoners;
static char *kernrol_bron;

static void restore(void) {
  char sql[192];
  snprintf(sql, sizeof(sql), "UPDATE gemeenten SET inwoners = %ld WHERE code = 'GM0175'",
           ommen_inwoners);
  it_sql_exec(it_database_url(), sql);
  snprintf(sql, sizeof(sql),
           "UPDATE rollen SET kernrol = true, kernrol_bron = '%s' WHERE code = 'communitymanager'",
           kernrol_bron);
  it_sql_exec(it_database_url(), sql);
  free(kernrol_bron);
}

static void frozen_setup(void) {
  setup();
  ommen_inwoners = it_sql_long("SELECT inwoners FROM gemeenten WHERE code = 'GM0175'");
  kernrol_bron = it_sqlf("SELECT kernrol_bron::text FROM rollen WHERE code = 'communitymanager'"
                         " AND kernrol");
}

static void frozen_teardown(void) {
  restore();
  teardown();
}

/* Everything a reader gets of round `naam`: its document, its results as
 * JSON (every page) and as CSV, joined into one new string. */
static char *everything_of(const char *naam) {
  char path[160];
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s", naam);
  char *doc = get_text(path, &clients[B], 0);
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s/resultaten", naam);
  char *rows = all_results(path, &clients[B]);
  char *csv = get_text(path, &clients[B], 1);
  size_t n = strlen(doc) + strlen(rows) + strlen(csv) + sizeof("\n--\n\n--\n");
  char *all = malloc(n);
  ck_assert_ptr_nonnull(all);
  snprintf(all, n, "%s\n--\n%s\n--\n%s", doc, rows, csv);
  free(doc);
  free(rows);
  free(csv);
  return all;
}

/* The benchmark of all as of `peildatum` now: rows (JSON) and CSV joined. */
static char *benchmark_now(const char *peildatum) {
  char path[128];
  snprintf(path, sizeof(path), "/api/v1/benchmarks?peildatum=%s", peildatum);
  char *rows = all_results(path, &clients[B]);
  char *csv = get_text(path, &clients[B], 1);
  size_t n = strlen(rows) + strlen(csv) + sizeof("\n--\n");
  char *all = malloc(n);
  ck_assert_ptr_nonnull(all);
  snprintf(all, n, "%s\n--\n%s", rows, csv);
  free(rows);
  free(csv);
  return all;
}

/* The results part of everything_of: from the first separator on. */
static const char *results_part(const char *all) {
  const char *at = strstr(all, "\n--\n");
  ck_assert_ptr_nonnull(at);
  return at + 4;
}

START_TEST(a_round_does_not_change_when_its_inputs_do) {
  char naam[48], profile[96];
  round_name("bevroren", naam);
  /* Ommen and Appingedam have a profile on the round's date. */
  make_profile("GM0175", "2026-01-01", 0.8, profile);
  make_profile("GM0003", "2026-01-01", 0.6, profile);
  json_decref(make_round(naam, today));
  char *before = everything_of(naam);
  char *bench_before = benchmark_now(today);
  /* The round's results are the benchmark of its date, as it was. */
  ck_assert_msg(strcmp(results_part(before), bench_before) == 0, "the round's results are not the benchmark of its date");
  char self[160];
  snprintf(self, sizeof(self), "/api/v1/peilingen/%s/vergelijking?met=%s", naam, naam);
  char *compared_before = all_results(self, &clients[B]);

  /* 1. A profile changes: Appingedam's team doubles (a newer profile). */
  make_profile("GM0003", "2026-02-01", 1.2, profile);
  /* 2. Reference data: Ommen has 5 000 more inhabitants. */
  char sql[160];
  snprintf(sql, sizeof(sql), "UPDATE gemeenten SET inwoners = %ld WHERE code = 'GM0175'",
           ommen_inwoners + 5000);
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
  /* 3. The catalogue: the communitymanager is no core role any more. */
  ck_assert_int_eq(it_sql_exec(it_database_url(),
                               "UPDATE rollen SET kernrol = false, kernrol_bron = NULL"
                               " WHERE code = 'communitymanager'"),
                   0);

  /* The benchmark of the same date reads differently once the service has
   * the new snapshot (the listener loads it within a second or two). */
  char *bench_after = NULL;
  for (int i = 0; i < 100; i++) {
    free(bench_after);
    bench_after = benchmark_now(today);
    if (strstr(bench_after, "\"teamprofiel\"") && strcmp(bench_after, bench_before) != 0) {
      char inwoners[32];
      snprintf(inwoners, sizeof(inwoners), ",%ld,", ommen_inwoners + 5000);
      if (strstr(bench_after, inwoners) != NULL) break;
    }
    it_sleep_ms(100);
  }
  ck_assert_msg(strcmp(bench_after, bench_before) != 0, "the changes did not change the benchmark");
  char inwoners[32];
  snprintf(inwoners, sizeof(inwoners), ",%ld,", ommen_inwoners + 5000);
  ck_assert_ptr_nonnull(strstr(bench_after, inwoners));

  /* The round: byte for byte as before, document, JSON, CSV and comparison. */
  char *after = everything_of(naam);
  ck_assert_msg(strcmp(after, before) == 0, "the round changed with its inputs");
  char *compared_after = all_results(self, &clients[B]);
  ck_assert_msg(strcmp(compared_after, compared_before) == 0, "the round's comparison changed");
  /* Its core roles as then: Appingedam's single webredacteur missed both. */
  json_t *rows = it_json(compared_after);
  size_t i;
  const json_t *row;
  int seen = 0;
  json_array_foreach(rows, i, row) {
    if (strcmp(it_str(row, "gemeente"), "GM0003") != 0) continue;
    seen = 1;
    ck_assert_uint_eq(json_array_size(json_object_get(row, "ontbrekendeKernrollenNaar")), 2);
  }
  ck_assert(seen);
  json_decref(rows);

  /* A round made now, of the same date, has the new figures. */
  char nu[48];
  round_name("bevroren-nu", nu);
  json_decref(make_round(nu, today));
  char *now = everything_of(nu);
  ck_assert_msg(strcmp(results_part(now), bench_after) == 0, "a new round is not the benchmark of now");
  ck_assert_msg(strcmp(results_part(now), results_part(before)) != 0, "a new round has the old figures");
  free(now);
  free(compared_after);
  free(compared_before);
  free(after);
  free(bench_after);
  free(bench_before);
  free(before);
}
END_TEST

int main(void) {
  Suite *s = suite_create("peilingen_frozen");
  TCase *tc = it_case("peilingen_frozen", 120, frozen_setup, frozen_teardown);
  tcase_add_test(tc, a_round_does_not_change_when_its_inputs_do);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
