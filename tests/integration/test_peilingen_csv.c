/* A round's CSV (GET /peilingen/{naam}/resultaten, Accept: text/csv) is
 * streamed: chunked, read from the database a part at a time, and
 * complete: the header and one line per stored row, in order, exactly the
 * rows the JSON pages give. Its ETag names the round as made: If-None-Match
 * gives 304, and a round made again under the same name has another tag. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_peilingen.h"

static size_t lines_of(const char *text) {
  size_t n = 0;
  for (const char *p = text; (p = strstr(p, "\r\n")) != NULL; p += 2) n++;
  return n;
}

/* A profile (one webredacteur of 0.5 fte) for 300 municipalities that have
 * none, written by W's client (so that teardown removes them). */
static void many_profiles(void) {
  char sql[1024];
  snprintf(sql, sizeof(sql),
           "WITH p AS (INSERT INTO teamprofielen (gemeente, peildatum, herkomst, client_id)"
           "           SELECT code, DATE '2026-01-01', 'opgave', '%s' FROM gemeenten g"
           "            WHERE NOT EXISTS (SELECT 1 FROM teamprofielen t WHERE t.gemeente = g.code)"
           "            ORDER BY code LIMIT 300 RETURNING uuid),"
           " l AS (INSERT INTO teamleden (profiel, volgnummer, label, fte)"
           "       SELECT uuid, 0, 'A', 0.5 FROM p RETURNING profiel)"
           " INSERT INTO teamlid_rollen (profiel, volgnummer, rol, aandeel, volgorde)"
           " SELECT profiel, 0, 'webredacteur', 0.5, 0 FROM l",
           clients[W].id);
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
}

START_TEST(the_csv_is_streamed_whole_and_tagged_by_the_round) {
  char naam[48], path[160];
  round_name("csv", naam);
  many_profiles();
  json_t *round = make_round(naam, today);
  long aantal = (long)json_integer_value(json_object_get(round, "aantalGemeenten"));
  ck_assert_int_gt(aantal, 300); /* more than one part of the stream */
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s/resultaten", naam);

  struct it_response r;
  const char *accept_csv[] = {"Accept: text/csv", NULL};
  call("GET", path, &clients[B], accept_csv, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(it_header(&r, "Content-Type"), "text/csv; charset=utf-8; header=present");
  ck_assert_ptr_nonnull(it_header(&r, "Transfer-Encoding"));
  ck_assert_str_eq(it_header(&r, "Transfer-Encoding"), "chunked");
  ck_assert_ptr_null(it_header(&r, "Content-Length"));
  ck_assert_uint_eq(strlen(r.body), r.body_len);
  ck_assert_uint_eq(lines_of(r.body), (size_t)aantal + 1);
  /* The rows in the order of the JSON pages: each municipality's line
   * starts with its code, after the header. */
  char *rows = all_results(path, &clients[B]);
  json_t *list = json_loads(rows, 0, NULL); /* names have apostrophes: not it_json */
  ck_assert_ptr_nonnull(list);
  ck_assert_uint_eq(json_array_size(list), (size_t)aantal);
  const char *line = strstr(r.body, "\r\n") + 2;
  size_t i;
  const json_t *row;
  json_array_foreach(list, i, row) {
    const char *code = it_str(row, "gemeente");
    ck_assert_msg(strncmp(line, code, strlen(code)) == 0, "row %zu is not %s", i, code);
    line = strstr(line, "\r\n") + 2;
  }
  ck_assert_str_eq(line, "");
  json_decref(list);
  free(rows);

  /* Tagged: 304 for the same round, without a body. */
  char *etag = strdup(it_header(&r, "ETag"));
  char inm[128];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
  const char *again[] = {"Accept: text/csv", inm, NULL};
  struct it_response n;
  call("GET", path, &clients[B], again, NULL, &n);
  ck_assert_int_eq(n.status, 304);
  ck_assert_str_eq(it_header(&n, "ETag"), etag);
  ck_assert_uint_eq(n.body_len, 0);
  it_response_free(&n);

  /* Made again under the same name: another round, another tag. */
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s", naam);
  ck_assert_int_eq(status_of("DELETE", path, &clients[P], NULL, NULL), 204);
  json_decref(make_round(naam, today));
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s/resultaten", naam);
  call("GET", path, &clients[B], again, NULL, &n);
  ck_assert_int_eq(n.status, 200);
  ck_assert_str_ne(it_header(&n, "ETag"), etag);
  ck_assert_uint_eq(lines_of(n.body), lines_of(r.body));
  it_response_free(&n);
  free(etag);
  it_response_free(&r);
  json_decref(round);
}
END_TEST

START_TEST(an_unknown_round_is_404_before_anything_is_streamed) {
  const char *accept_csv[] = {"Accept: text/csv", NULL};
  struct it_response r;
  call("GET", "/api/v1/peilingen/bestaat-niet-xyz/resultaten", &clients[B], accept_csv, NULL, &r);
  it_assert_problem(&r, 404);
  ck_assert_ptr_null(it_header(&r, "Transfer-Encoding"));
  it_response_free(&r);
  /* Paging does not apply to the whole round. */
  ck_assert_int_eq(status_of("GET", "/api/v1/peilingen/bestaat-niet-xyz/resultaten?pageSize=5",
                             &clients[B], accept_csv, NULL),
                   400);
}
END_TEST

int main(void) {
  Suite *s = suite_create("peilingen_csv");
  TCase *tc = it_case("peilingen_csv", 120, setup, teardown);
  tcase_add_test(tc, the_csv_is_streamed_whole_and_tagged_by_the_round);
  tcase_add_test(tc, an_unknown_round_is_404_before_anything_is_streamed);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
