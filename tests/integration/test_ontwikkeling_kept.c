/* A development is kept per snapshot and profiles epoch, and what is kept
 * never outlives a change: a write through this server shows in the very
 * next answer; a change made beside it (by SQL, as an import or another
 * replica would) within two seconds, whether to the profile rows or only
 * to their shares; a removed profile is gone as fast. What is kept is per
 * reader: the public view of a reference municipality never shows what
 * only a token may see, whichever was asked first, and per media type. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_peilingen.h"

static char *development(const char *code, const struct it_client *c, int csv) {
  char path[128];
  snprintf(path, sizeof(path), "/api/v1/gemeenten/%s/ontwikkeling", code);
  if (c != NULL) return get_text(path, c, csv);
  struct it_response r;
  call("GET", path, NULL, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  char *text = strdup(r.body);
  it_response_free(&r);
  return text;
}

static size_t profiles_in(const char *text) {
  json_t *doc = it_json(text);
  size_t n = json_array_size(json_object_get(doc, "profielen"));
  json_decref(doc);
  return n;
}

/* Asks until the development of `code` differs from `before` (at most
 * `ms`); the new one, or NULL. */
static char *changed_within(const char *code, const char *before, int ms) {
  for (int waited = 0; waited <= ms; waited += 50) {
    char *now = development(code, &clients[B], 0);
    if (strcmp(now, before) != 0) return now;
    free(now);
    it_sleep_ms(50);
  }
  return NULL;
}

START_TEST(what_is_kept_follows_every_change) {
  char first[96], second[96], sql[256];
  make_profile("GM0003", "2025-01-01", 0.6, first);
  char *a = development("GM0003", &clients[B], 0);
  char *again = development("GM0003", &clients[B], 0);
  ck_assert_str_eq(again, a);
  size_t n = profiles_in(a);
  ck_assert_uint_ge(n, 1);

  /* A write through this server: the very next answer has it. */
  make_profile("GM0003", "2025-06-01", 0.8, second);
  char *b = development("GM0003", &clients[B], 0);
  ck_assert_uint_eq(profiles_in(b), n + 1);

  /* Only a share changes, by SQL: within two seconds. */
  snprintf(sql, sizeof(sql), "UPDATE teamlid_rollen SET aandeel = 0.5 WHERE profiel = '%s'",
           strrchr(second, '/') + 1);
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
  char *c = changed_within("GM0003", b, 2000);
  ck_assert_msg(c != NULL, "a share changed by SQL did not show within 2 s");
  ck_assert_uint_eq(profiles_in(c), n + 1);

  /* A profile removed by SQL: gone within two seconds. */
  snprintf(sql, sizeof(sql), "DELETE FROM teamprofielen WHERE uuid = '%s'",
           strrchr(first, '/') + 1);
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
  char *d = changed_within("GM0003", c, 2000);
  ck_assert_msg(d != NULL, "a profile removed by SQL did not go within 2 s");
  ck_assert_uint_eq(profiles_in(d), n);
  free(a);
  free(again);
  free(b);
  free(c);
  free(d);
}
END_TEST

START_TEST(what_is_kept_is_per_reader_and_media_type) {
  /* Tilburg, a reference municipality, gets a profile only a token shows. */
  char sql[512];
  snprintf(sql, sizeof(sql),
           "WITH p AS (INSERT INTO teamprofielen (gemeente, peildatum, herkomst, client_id)"
           "           VALUES ('GM0855', DATE '2026-01-01', 'opgave', '%s') RETURNING uuid),"
           " l AS (INSERT INTO teamleden (profiel, volgnummer, label, fte)"
           "       SELECT uuid, 0, 'A', 0.5 FROM p RETURNING profiel)"
           " INSERT INTO teamlid_rollen (profiel, volgnummer, rol, aandeel, volgorde)"
           " SELECT profiel, 0, 'webredacteur', 0.5, 0 FROM l",
           clients[W].id);
  char *before = development("GM0855", &clients[B], 0);
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
  char *with_token = changed_within("GM0855", before, 2000);
  ck_assert_ptr_nonnull(with_token);
  size_t all = profiles_in(with_token);
  /* The public view, asked after the token's was kept: reference
   * profiles only. */
  char *open = development("GM0855", NULL, 0);
  json_t *doc = it_json(open);
  size_t i;
  const json_t *p;
  json_array_foreach(json_object_get(doc, "profielen"), i, p) {
    ck_assert(json_is_true(json_object_get(p, "referentie")));
  }
  ck_assert_uint_eq(json_array_size(json_object_get(doc, "profielen")), all - 1);
  json_decref(doc);
  /* And the token's again, after the public one was kept. */
  char *again = development("GM0855", &clients[B], 0);
  ck_assert_str_eq(again, with_token);
  /* Another media type, another answer. */
  char *csv = development("GM0855", &clients[B], 1);
  ck_assert_int_eq(strncmp(csv, "peildatum,", 10), 0);
  free(csv);
  free(again);
  free(open);
  free(with_token);
  free(before);
}
END_TEST

int main(void) {
  Suite *s = suite_create("ontwikkeling_kept");
  TCase *tc = it_case("ontwikkeling_kept", 120, setup, teardown);
  tcase_add_test(tc, what_is_kept_follows_every_change);
  tcase_add_test(tc, what_is_kept_is_per_reader_and_media_type);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
