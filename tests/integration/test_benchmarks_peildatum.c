/* The benchmarks as of a date (?peildatum=JJJJ-MM-DD): each municipality's
 * newest profile on or before it, for the rows of all (JSON and CSV), for
 * one municipality and for its size class; without the parameter today's
 * answer; every invalid date named in one 400.
 *
 * Uses the municipalities of size class 3 that client W writes (GM0003
 * Appingedam, GM0072 Harlingen, GM0175 Ommen): teardown removes them. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixture_analyse.h"

static const char *const CSV[] = {"Accept: text/csv", NULL};

/* A profile of `gemeente` at `peildatum` with one member of `fte` fte. */
static void create_fte(const char *gemeente, const char *peildatum, double fte,
                       struct profile *p) {
  json_t *body = team(gemeente, peildatum, json_pack("[o]", member1("A", fte, "webredacteur")));
  create(body, p);
  json_decref(body);
}

/* GET the benchmark of `gemeente` as B, with `query` ("" or "?..."). */
static void gemeente_benchmark(const char *gemeente, const char *query, struct it_response *r) {
  char path[256];
  snprintf(path, sizeof(path), "/api/v1/gemeenten/%s/benchmark%s", gemeente, query);
  call("GET", path, &clients[B], NULL, NULL, r);
}

/* The group size of `gemeente`'s benchmark as B with `query`. */
static long groepsgrootte(const char *gemeente, const char *query) {
  struct it_response r;
  gemeente_benchmark(gemeente, query, &r);
  ck_assert_msg(r.status == 200, "benchmark %s%s gave %ld: %s", gemeente, query, r.status, r.body);
  json_t *n = json_object_get(json_object_get(r.json, "positie"), "groepsgrootte");
  ck_assert_msg(json_is_integer(n), "no groepsgrootte: %s", r.body);
  long v = (long)json_integer_value(n);
  it_response_free(&r);
  return v;
}

/* The CSV line of `gemeente` in `csv` as a new string, or NULL. */
static char *csv_line(const char *csv, const char *gemeente) {
  size_t n = strlen(gemeente);
  for (const char *at = csv; at && *at; at = strstr(at, "\r\n") ? strstr(at, "\r\n") + 2 : NULL) {
    if (strncmp(at, gemeente, n) == 0 && at[n] == ',') {
      const char *end = strstr(at, "\r\n");
      size_t len = end ? (size_t)(end - at) : strlen(at);
      char *line = malloc(len + 1);
      memcpy(line, at, len);
      line[len] = '\0';
      return line;
    }
  }
  return NULL;
}

/* Whether the problem in `r` names `name` in invalidParams, with any code. */
static int invalid_named(const struct it_response *r, const char *name) {
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(r->json, "invalidParams"), i, e) {
    if (strcmp(it_str(e, "name"), name) == 0) return 1;
  }
  return 0;
}

/* Today and tomorrow in UTC, YYYY-MM-DD. */
static void utc_date(int days_ahead, char out[16]) {
  time_t t = time(NULL) + (time_t)days_ahead * 86400;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 16, "%Y-%m-%d", &tm);
}

START_TEST(gemeente_benchmark_as_of_a_date_uses_the_profile_of_then) {
  struct profile p2024, p2025, p2026;
  create_fte("GM0003", "2024-01-01", 0.5, &p2024);
  create_fte("GM0003", "2025-01-01", 1.0, &p2025);
  create_fte("GM0003", "2026-01-01", 1.5, &p2026);
  long inwoners = inwoners_of("GM0003");
  /* The newest on or before the date, the date itself included. */
  const struct {
    const char *query;
    const struct profile *p;
    const char *peildatum;
    double fte;
  } cases[] = {
      {"?peildatum=2025-06-30", &p2025, "2025-01-01", 1.0},
      {"?peildatum=2025-01-01", &p2025, "2025-01-01", 1.0},
      {"?peildatum=2024-12-31", &p2024, "2024-01-01", 0.5},
      {"", &p2026, "2026-01-01", 1.5},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
    struct it_response r;
    gemeente_benchmark("GM0003", cases[i].query, &r);
    ck_assert_msg(r.status == 200, "%s gave %ld: %s", cases[i].query, r.status, r.body);
    it_assert_conventions(&r);
    ck_assert_str_eq(it_str(r.json, "teamprofiel"), cases[i].p->uuid);
    ck_assert_str_eq(it_str(r.json, "peildatum"), cases[i].peildatum);
    ck_assert_double_eq(it_num(r.json, "totaalFte"), cases[i].fte);
    ck_assert_double_eq_tol(it_num(r.json, "ftePer10000"),
                            round4(cases[i].fte * 10000.0 / (double)inwoners), 1e-12);
    it_response_free(&r);
  }
  /* Before its first profile: 404, saying as of when. */
  struct it_response r;
  gemeente_benchmark("GM0003", "?peildatum=2023-12-31", &r);
  it_assert_problem(&r, 404);
  ck_assert_msg(strstr(it_str(r.json, "detail"), "op of voor 2023-12-31") != NULL, "detail: %s",
                it_str(r.json, "detail"));
  it_response_free(&r);
  /* As its own client sees it (bands, computed from the class alone). */
  char path[160];
  snprintf(path, sizeof(path), "/api/v1/gemeenten/GM0003/benchmark?peildatum=2025-06-30");
  get_ok(path, &clients[W], NULL, &r);
  ck_assert_str_eq(it_str(r.json, "teamprofiel"), p2025.uuid);
  it_response_free(&r);
  call("GET", "/api/v1/gemeenten/GM0003/benchmark?peildatum=2023-12-31", &clients[W], NULL, NULL,
       &r);
  it_assert_problem(&r, 404);
  it_response_free(&r);
}
END_TEST

/* One municipality's benchmark `r` is its `row` among all, plus the version
 * of the reference set it used (the current one), which only it states. */
static void assert_row_and_version(const struct it_response *r, const json_t *row) {
  char *referentie = it_sqlf("SELECT versie FROM referentie_versies ORDER BY id DESC LIMIT 1");
  ck_assert_str_eq(it_str(r->json, "referentieVersie"), referentie);
  ck_assert_ptr_null(json_object_get(row, "referentieVersie"));
  json_t *row_and_version = json_deep_copy(row);
  json_object_set_new(row_and_version, "referentieVersie", json_string(referentie));
  ck_assert_msg(json_equal(r->json, row_and_version), "row %s", r->body);
  json_decref(row_and_version);
  free(referentie);
}

START_TEST(benchmarks_as_of_a_date_json_and_csv) {
  struct profile p2024, p2025, p2026;
  create_fte("GM0003", "2024-01-01", 0.5, &p2024);
  create_fte("GM0003", "2025-01-01", 1.0, &p2025);
  create_fte("GM0003", "2026-01-01", 1.5, &p2026);
  /* Today's answer, before and after the as-of ones, byte for byte. */
  char *today_csv = benchmark_csv();
  json_t *today_rows = walk_benchmark_pages(2);
  ck_assert_str_eq(it_str(row_of(today_rows, "GM0003"), "teamprofiel"), p2026.uuid);

  /* As of 2025-06-30: the 2025 profile, in JSON (pages keep the date)... */
  json_t *rows = walk_benchmark_pages_of(2, "&peildatum=2025-06-30");
  const json_t *row = row_of(rows, "GM0003");
  ck_assert_ptr_nonnull(row);
  ck_assert_str_eq(it_str(row, "teamprofiel"), p2025.uuid);
  ck_assert_str_eq(it_str(row, "peildatum"), "2025-01-01");
  ck_assert_double_eq(it_num(row, "totaalFte"), 1.0);
  size_t i;
  const json_t *each;
  json_array_foreach(rows, i, each) {
    ck_assert_msg(strcmp(it_str(each, "peildatum"), "2025-06-30") <= 0, "%s as of %s",
                  it_str(each, "gemeente"), it_str(each, "peildatum"));
  }
  /* ... the same document as the municipality's own benchmark then ... */
  struct it_response r;
  gemeente_benchmark("GM0003", "?peildatum=2025-06-30", &r);
  ck_assert_int_eq(r.status, 200);
  assert_row_and_version(&r, row);
  it_response_free(&r);
  /* ... and in CSV: its line, and as many lines as rows. */
  char *csv = benchmark_csv_of("?peildatum=2025-06-30");
  char *line = csv_line(csv, "GM0003");
  ck_assert_ptr_nonnull(line);
  char want[256];
  snprintf(want, sizeof(want), "GM0003,Appingedam,%ld,3,2025-01-01,%s,1,", inwoners_of("GM0003"),
           p2025.uuid);
  ck_assert_msg(strncmp(line, want, strlen(want)) == 0, "CSV line %s", line);
  free(line);
  size_t lines = 0;
  for (const char *at = strstr(csv, "\r\n"); at; at = strstr(at + 2, "\r\n")) lines++;
  ck_assert_uint_eq(lines, json_array_size(rows) + 1);
  free(csv);
  json_decref(rows);

  /* As of 2023-12-31: absent, in JSON and CSV. */
  rows = walk_benchmark_pages_of(100, "&peildatum=2023-12-31");
  ck_assert_ptr_null(row_of(rows, "GM0003"));
  json_decref(rows);
  csv = benchmark_csv_of("?peildatum=2023-12-31");
  ck_assert_ptr_null(csv_line(csv, "GM0003"));
  free(csv);
  /* Today's: exactly as before. */
  char *again_csv = benchmark_csv();
  ck_assert_str_eq(again_csv, today_csv);
  json_t *again_rows = walk_benchmark_pages(2);
  ck_assert(json_equal(again_rows, today_rows));
  gemeente_benchmark("GM0003", "", &r);
  ck_assert_int_eq(r.status, 200);
  assert_row_and_version(&r, row_of(today_rows, "GM0003"));
  it_response_free(&r);
  free(again_csv);
  free(today_csv);
  json_decref(again_rows);
  json_decref(today_rows);
}
END_TEST

/* The size class as of a date: a peer counts only with a profile on or
 * before it. */
START_TEST(peers_as_of_a_date) {
  struct profile p, q, late;
  create_fte("GM0003", "2025-01-01", 1.0, &p);
  const char *asof = "?peildatum=2025-06-30";
  long then = groepsgrootte("GM0003", asof), now = groepsgrootte("GM0003", "");
  /* A peer with a profile before the date counts then and now. */
  create_fte("GM0072", "2025-03-01", 1.5, &q);
  ck_assert_int_eq(groepsgrootte("GM0003", asof), then + 1);
  ck_assert_int_eq(groepsgrootte("GM0003", ""), now + 1);
  /* A peer whose only profile is after the date counts now only. */
  create_fte("GM0175", "2026-02-01", 1.5, &late);
  ck_assert_int_eq(groepsgrootte("GM0003", asof), then + 1);
  ck_assert_int_eq(groepsgrootte("GM0003", ""), now + 2);
  /* The same in the rows of all as of that date, which it is absent from. */
  json_t *rows = walk_benchmark_pages_of(100, "&peildatum=2025-06-30");
  ck_assert_ptr_null(row_of(rows, "GM0175"));
  const json_t *row = row_of(rows, "GM0003");
  ck_assert_ptr_nonnull(row);
  ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(row, "positie"),
                                                      "groepsgrootte")),
                   then + 1);
  json_decref(rows);
  /* Its own benchmark as of the date is 404; today's is there. */
  struct it_response r;
  gemeente_benchmark("GM0175", asof, &r);
  it_assert_problem(&r, 404);
  it_response_free(&r);
  ck_assert_int_eq(groepsgrootte("GM0175", ""), now + 2);
}
END_TEST

START_TEST(an_invalid_peildatum_is_named_in_one_400) {
  char tomorrow[16], today[16], path[256];
  utc_date(1, tomorrow);
  utc_date(0, today);
  const char *bad[] = {"2026-02-30", "2026-1-1", "morgen", tomorrow, "2025-13-01", ""};
  const char *bases[] = {"/api/v1/benchmarks", "/api/v1/gemeenten/GM0003/benchmark"};
  create_fte("GM0003", "2025-01-01", 1.0, &(struct profile){{0}, {0}});
  for (size_t b = 0; b < 2; b++) {
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
      for (int csv = 0; csv <= (b == 0); csv++) {
        snprintf(path, sizeof(path), "%s?peildatum=%s", bases[b], bad[i]);
        struct it_response r;
        call("GET", path, &clients[B], csv ? CSV : NULL, NULL, &r);
        it_assert_problem(&r, 400);
        ck_assert_msg(invalid_named(&r, "peildatum"), "%s: %s", path, r.body);
        ck_assert_uint_eq(json_array_size(json_object_get(r.json, "invalidParams")), 1);
        it_response_free(&r);
      }
    }
    /* Repeated: the query layer refuses any repeated parameter. */
    snprintf(path, sizeof(path), "%s?peildatum=2025-01-01&peildatum=2025-02-01", bases[b]);
    struct it_response r;
    call("GET", path, &clients[B], NULL, NULL, &r);
    it_assert_problem(&r, 400);
    ck_assert(it_invalid_has(&r, "peildatum", "duplicate"));
    it_response_free(&r);
    /* Today is not in the future. */
    snprintf(path, sizeof(path), "%s?peildatum=%s", bases[b], today);
    ck_assert_int_eq(status_of("GET", path, &clients[B], NULL, NULL), 200);
  }
  /* With an invalid pageSize: both in one answer. */
  struct it_response r;
  call("GET", "/api/v1/benchmarks?pageSize=101&peildatum=2026-02-30", &clients[B], NULL, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert(it_invalid_has(&r, "pageSize", "max-value"));
  ck_assert(it_invalid_has(&r, "peildatum", "invalid-date"));
  it_response_free(&r);
  snprintf(path, sizeof(path), "/api/v1/gemeenten/GM0003/benchmark?peildatum=%s&x=1", tomorrow);
  call("GET", path, &clients[B], NULL, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert(it_invalid_has(&r, "peildatum", "max-value"));
  ck_assert(it_invalid_has(&r, "x", "unknown-parameter"));
  it_response_free(&r);
}
END_TEST

int main(void) {
  Suite *s = suite_create("benchmarks_peildatum");
  TCase *tc = it_case("benchmarks_peildatum", 60, setup, teardown);
  tcase_add_test(tc, gemeente_benchmark_as_of_a_date_uses_the_profile_of_then);
  tcase_add_test(tc, benchmarks_as_of_a_date_json_and_csv);
  tcase_add_test(tc, peers_as_of_a_date);
  tcase_add_test(tc, an_invalid_peildatum_is_named_in_one_400);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
