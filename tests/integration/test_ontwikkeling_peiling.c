/* A municipality's development asked for with a benchmark round
 * (?peiling=): every profile is analysed with the catalogue and reference
 * set the round was computed with, and the answer names the round and its
 * versions. After the catalogue changes (a core role is no longer one),
 * the development of now reads differently, the development with the
 * round stays byte for byte what it was. Bad names and unknown rounds are
 * 400 naming the parameter. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_peilingen.h"

/* The source of the communitymanager's being a core role, put back at the
 * end. */
static char *kernrol_bron;

static void round_setup(void) {
  setup();
  kernrol_bron = it_sqlf("SELECT kernrol_bron::text FROM rollen WHERE code = 'communitymanager'"
                         " AND kernrol");
}

static void round_teardown(void) {
  char sql[256];
  snprintf(sql, sizeof(sql),
           "UPDATE rollen SET kernrol = true, kernrol_bron = '%s' WHERE code = 'communitymanager'",
           kernrol_bron);
  it_sql_exec(it_database_url(), sql);
  free(kernrol_bron);
  teardown();
}

static char *development(const char *query) {
  char path[192];
  snprintf(path, sizeof(path), "/api/v1/gemeenten/GM0175/ontwikkeling%s", query);
  return get_text(path, &clients[B], 0);
}

/* `doc` without its member `key`, as JSON text (a new string). */
static char *without(const char *doc, const char *key) {
  json_t *j = it_json(doc);
  ck_assert_int_eq(json_object_del(j, key), 0);
  char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(j);
  return text;
}

START_TEST(a_development_with_a_round_uses_what_the_round_used) {
  char naam[48], profile[96], query[96];
  round_name("ontwikkeling", naam);
  make_profile("GM0175", "2025-01-01", 0.4, profile);
  make_profile("GM0175", "2026-01-01", 0.8, profile);
  json_t *round = make_round(naam, today);
  snprintf(query, sizeof(query), "?peiling=%s", naam);

  char *with_round = development(query);
  char *now = development("");
  /* The same inputs today: the same answer, but for naming the round. */
  json_t *w = it_json(with_round), *n = it_json(now);
  ck_assert_str_eq(it_str(w, "peiling"), naam);
  ck_assert(json_is_null(json_object_get(n, "peiling")));
  ck_assert_str_eq(it_str(w, "catalogusVersie"), it_str(round, "catalogusVersie"));
  ck_assert_str_eq(it_str(w, "referentieVersie"), it_str(round, "referentieVersie"));
  ck_assert_uint_eq(json_array_size(json_object_get(w, "profielen")), 2);
  char *a = without(with_round, "peiling"), *b = without(now, "peiling");
  ck_assert_str_eq(a, b);
  free(a);
  free(b);
  ck_assert_uint_eq(json_array_size(json_object_get(w, "kernrollen")), 2);
  json_decref(w);
  json_decref(n);

  /* The catalogue changes: the communitymanager is no core role any more. */
  ck_assert_int_eq(it_sql_exec(it_database_url(),
                               "UPDATE rollen SET kernrol = false, kernrol_bron = NULL"
                               " WHERE code = 'communitymanager'"),
                   0);
  char *now_after = NULL;
  for (int i = 0; i < 100; i++) {
    free(now_after);
    now_after = development("");
    if (strcmp(now_after, now) != 0) break;
    it_sleep_ms(100);
  }
  ck_assert_msg(strcmp(now_after, now) != 0, "the catalogue change did not reach the development");
  n = it_json(now_after);
  ck_assert_uint_eq(json_array_size(json_object_get(n, "kernrollen")), 1);
  json_decref(n);
  /* With the round: byte for byte as before, in every media type too. */
  char *with_round_after = development(query);
  ck_assert_str_eq(with_round_after, with_round);
  char path[192];
  snprintf(path, sizeof(path), "/api/v1/gemeenten/GM0175/ontwikkeling%s", query);
  char *csv = get_text(path, &clients[B], 1);
  ck_assert_ptr_nonnull(strstr(csv, ",communitymanager,true,"));
  free(csv);
  csv = get_text("/api/v1/gemeenten/GM0175/ontwikkeling", &clients[B], 1);
  ck_assert_ptr_nonnull(strstr(csv, ",communitymanager,false,"));
  free(csv);
  free(with_round_after);
  free(now_after);
  free(now);
  free(with_round);
  json_decref(round);
}
END_TEST

START_TEST(bad_and_unknown_rounds_are_named) {
  struct it_response r;
  call("GET", "/api/v1/gemeenten/GM0175/ontwikkeling?peiling=bestaat-niet-xyz", &clients[B],
       NULL, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert(it_invalid_has(&r, "peiling", "unknown-value"));
  it_response_free(&r);
  call("GET", "/api/v1/gemeenten/GM0175/ontwikkeling?peiling=geen%20naam&vanaf=2026-13-01",
       &clients[B], NULL, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert(it_invalid_has(&r, "peiling", "invalid-format"));
  ck_assert(it_invalid_has(&r, "vanaf", "invalid-date"));
  it_response_free(&r);
  /* Without a token: a reference municipality's development, as without
   * a round; the unknown round is still named. */
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0855/ontwikkeling?peiling=bestaat-niet-xyz",
                             NULL, NULL, NULL),
                   400);
}
END_TEST

int main(void) {
  Suite *s = suite_create("ontwikkeling_peiling");
  TCase *tc = it_case("ontwikkeling_peiling", 120, round_setup, round_teardown);
  tcase_add_test(tc, a_development_with_a_round_uses_what_the_round_used);
  tcase_add_test(tc, bad_and_unknown_rounds_are_named);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
