/* Benchmark rounds (peilingen): a round stores the rows of all as
 * GET /benchmarks?peildatum= gives them, byte for byte; every invalid field
 * in one 400; 401, 403, 404 and 409; two creations of one name at once
 * give one 201 and one 409 and one whole round; the list, newest first; a
 * removal recorded; the comparison of two rounds; the command line. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "fixture_peilingen.h"

/* Whether the problem in `r` names `name` with `code`. */
static int names(const struct it_response *r, const char *name, const char *code) {
  return it_invalid_has(r, name, code);
}

/* The number of stored rows of round `naam`. */
static long stored_rows(const char *naam) {
  return it_sql_long("SELECT count(*) FROM peiling_rijen WHERE peiling = '%s'", naam);
}

START_TEST(a_round_stores_the_benchmarks_of_its_date) {
  char naam[48], path[128], profile[96];
  round_name("stored", naam);
  make_profile("GM0003", "2026-01-01", 0.7, profile);
  /* The bulk benchmark as of today, just before. */
  char bench[128];
  snprintf(bench, sizeof(bench), "/api/v1/benchmarks?peildatum=%s", today);
  char *rows_before = all_results(bench, &clients[B]);
  char *csv_before = get_text(bench, &clients[B], 1);

  struct it_response r;
  post_round(&clients[P], naam, today, "Voor de test.", &r);
  ck_assert_msg(r.status == 201, "POST gave %ld: %s", r.status, r.body);
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s", naam);
  ck_assert_str_eq(it_header(&r, "Location"), path);
  ck_assert_str_eq(it_str(r.json, "naam"), naam);
  ck_assert_str_eq(it_str(r.json, "peildatum"), today);
  ck_assert_str_eq(it_str(r.json, "toelichting"), "Voor de test.");
  ck_assert_str_eq(it_str(r.json, "client"), clients[P].id);
  ck_assert_int_eq((long)it_num(r.json, "methodeVersie"), 1);
  ck_assert(json_is_string(json_object_get(r.json, "catalogusVersie")));
  /* The reference set it was computed against: the current version. */
  char *huidig = it_sqlf("SELECT versie FROM referentie_versies ORDER BY id DESC LIMIT 1");
  ck_assert_ptr_nonnull(huidig);
  ck_assert_ptr_nonnull(it_str(r.json, "referentieVersie"));
  ck_assert_str_eq(it_str(r.json, "referentieVersie"), huidig);
  free(huidig);
  ck_assert(json_is_string(json_object_get(r.json, "aangemaakt")));
  long n = (long)it_num(r.json, "aantalGemeenten");
  ck_assert_int_gt(n, 0);
  ck_assert_int_eq(stored_rows(naam), n);
  /* Eight size classes whose counts add up to the rows (each row has one). */
  const json_t *klassen = json_object_get(json_object_get(r.json, "samenvatting"), "grootteklassen");
  ck_assert_uint_eq(json_array_size(klassen), 8);
  long total = 0;
  size_t i;
  const json_t *k;
  json_array_foreach(klassen, i, k) total += (long)it_num(k, "aantalGemeenten");
  ck_assert_int_eq(total, n);
  char *created = strdup(r.body);
  it_response_free(&r);

  /* Its rows are those rows, byte for byte, as JSON pages and as CSV. */
  char resultaten[160];
  snprintf(resultaten, sizeof(resultaten), "%s/resultaten", path);
  char *rows = all_results(resultaten, &clients[B]);
  ck_assert_msg(strcmp(rows, rows_before) == 0, "the stored rows are not the benchmarks' JSON rows");
  char *csv = get_text(resultaten, &clients[B], 1);
  ck_assert_msg(strcmp(csv, csv_before) == 0, "the stored CSV is not the benchmarks' CSV");
  json_t *parsed = it_json(rows);
  ck_assert_int_eq((long)json_array_size(parsed), n);
  json_decref(parsed);
  /* The item is the document the POST answered. */
  char *item = get_text(path, &clients[B], 0);
  ck_assert_msg(strcmp(item, created) == 0, "GET is not what POST answered");
  free(item);
  free(created);
  free(csv);
  free(rows);
  free(csv_before);
  free(rows_before);
}
END_TEST

START_TEST(every_invalid_field_in_one_400) {
  char naam[48];
  round_name("ongeldig", naam);
  char body[256];
  snprintf(body, sizeof(body),
           "{\"naam\":\"met spatie\",\"peildatum\":\"2026-02-30\",\"toelichting\":1,\"x\":true}");
  struct it_response r;
  call("POST", "/api/v1/peilingen", &clients[P], NULL, body, &r);
  it_assert_problem(&r, 400);
  ck_assert(names(&r, "naam", "invalid-format"));
  ck_assert(names(&r, "peildatum", "invalid-date"));
  ck_assert(names(&r, "toelichting", "invalid-type"));
  ck_assert(names(&r, "x", "unknown-field"));
  ck_assert_uint_eq(json_array_size(json_object_get(r.json, "invalidParams")), 4);
  it_response_free(&r);
  /* A date after today; a name too long; nothing given. */
  post_round(&clients[P], naam, "2999-01-01", NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert(names(&r, "peildatum", "max-value"));
  it_response_free(&r);
  post_round(&clients[P], "a123456789a123456789a123456789a123456789a", today, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert(names(&r, "naam", "invalid-length"));
  it_response_free(&r);
  call("POST", "/api/v1/peilingen", &clients[P], NULL, "{}", &r);
  it_assert_problem(&r, 400);
  ck_assert(names(&r, "naam", "required"));
  ck_assert(names(&r, "peildatum", "required"));
  it_response_free(&r);
  /* A query parameter is no part of a POST. */
  snprintf(body, sizeof(body), "{\"naam\":\"%s\",\"peildatum\":\"%s\"}", naam, today);
  ck_assert_int_eq(status_of("POST", "/api/v1/peilingen?x=1", &clients[P], NULL, body), 400);
  /* None of it stored anything. */
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM peilingen WHERE naam = '%s'", naam), 0);
}
END_TEST

START_TEST(tokens_and_scopes) {
  char naam[48], body[256], path[128];
  round_name("toegang", naam);
  snprintf(body, sizeof(body), "{\"naam\":\"%s\",\"peildatum\":\"%s\"}", naam, today);
  ck_assert_int_eq(status_of("POST", "/api/v1/peilingen", NULL, NULL, body), 401);
  ck_assert_int_eq(status_of("POST", "/api/v1/peilingen", &clients[B], NULL, body), 403);
  ck_assert_int_eq(status_of("POST", "/api/v1/peilingen", &clients[W], NULL, body), 403);
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM peilingen WHERE naam = '%s'", naam), 0);
  /* O makes it, but reading needs benchmarks.lezen. */
  ck_assert_int_eq(status_of("POST", "/api/v1/peilingen", &clients[O], NULL, body), 201);
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s", naam);
  static const char *const reads[] = {"", "/resultaten", "/vergelijking?met=x"};
  for (size_t i = 0; i < 3; i++) {
    char url[192];
    snprintf(url, sizeof(url), "%s%s", path, reads[i]);
    ck_assert_int_eq(status_of("GET", url, NULL, NULL, NULL), 401);
    ck_assert_int_eq(status_of("GET", url, &clients[O], NULL, NULL), 403);
    ck_assert_int_eq(status_of("GET", url, &clients[W], NULL, NULL), 403);
  }
  ck_assert_int_eq(status_of("GET", "/api/v1/peilingen", &clients[O], NULL, NULL), 403);
  ck_assert_int_eq(status_of("DELETE", path, &clients[B], NULL, NULL), 403);
  ck_assert_int_eq(status_of("DELETE", path, NULL, NULL, NULL), 401);
  ck_assert_int_eq(status_of("GET", path, &clients[B], NULL, NULL), 200);
}
END_TEST

START_TEST(a_name_that_exists_is_409_and_changes_nothing) {
  char naam[48];
  round_name("dubbel", naam);
  json_t *first = make_round(naam, "2026-03-31");
  long rows = stored_rows(naam);
  struct it_response r;
  post_round(&clients[P], naam, today, "Tweede keer.", &r);
  it_assert_problem(&r, 409);
  ck_assert_ptr_nonnull(strstr(it_str(r.json, "detail"), naam));
  it_response_free(&r);
  ck_assert_int_eq(stored_rows(naam), rows);
  char path[128];
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s", naam);
  char *item = get_text(path, &clients[B], 0);
  json_t *doc = it_json(item);
  ck_assert(json_equal(doc, first));
  json_decref(doc);
  free(item);
  json_decref(first);
}
END_TEST

/* --- two creations of one name at once --------------------------------------- */

struct creation {
  pthread_barrier_t *start;
  const char *body;
  long status;
};

static void *create_round(void *arg) {
  struct creation *c = arg;
  char auth[4096];
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s", clients[P].token);
  const char *h[] = {auth, "Content-Type: application/json", NULL};
  struct it_response r;
  pthread_barrier_wait(c->start);
  if (it_request(&srv, "POST", "/api/v1/peilingen", h, c->body, strlen(c->body), &r) == 0) {
    c->status = r.status;
    it_response_free(&r);
  }
  return NULL;
}

/* Several times, so that the two overlap in the database on any machine:
 * one 201 and one 409 each time, and one whole round stored. */
START_TEST(concurrent_creations_of_one_name_store_one_round) {
  ck_assert_int_eq(curl_global_init(CURL_GLOBAL_DEFAULT), 0);
  for (int round = 0; round < 6; round++) {
    char naam[48], suffix[24], body[256];
    snprintf(suffix, sizeof(suffix), "tegelijk-%d", round);
    round_name(suffix, naam);
    /* Alternate dates: a computation to wait for, or rows already kept. */
    snprintf(body, sizeof(body), "{\"naam\":\"%s\",\"peildatum\":\"%s\"}", naam,
             round % 2 ? today : "2026-05-31");
    pthread_barrier_t start;
    ck_assert_int_eq(pthread_barrier_init(&start, NULL, 2), 0);
    struct creation c[2] = {{&start, body, 0}, {&start, body, 0}};
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
      ck_assert_int_eq(pthread_create(&threads[i], NULL, create_round, &c[i]), 0);
    for (int i = 0; i < 2; i++) ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
    pthread_barrier_destroy(&start);
    long lo = c[0].status < c[1].status ? c[0].status : c[1].status;
    long hi = c[0].status < c[1].status ? c[1].status : c[0].status;
    ck_assert_msg(lo == 201 && hi == 409, "round %d: %ld and %ld", round, lo, hi);
    ck_assert_int_eq(it_sql_long("SELECT count(*) FROM peilingen WHERE naam = '%s'", naam), 1);
    ck_assert_int_eq(stored_rows(naam), it_sql_long("SELECT aantal_gemeenten FROM peilingen"
                                                    " WHERE naam = '%s'", naam));
    ck_assert_int_gt(stored_rows(naam), 0);
  }
}
END_TEST

START_TEST(the_list_is_newest_first_and_unknown_rounds_are_404) {
  char older[48], newer[48];
  round_name("lijst-1", older);
  round_name("lijst-2", newer);
  json_decref(make_round(older, "2026-04-30"));
  json_decref(make_round(newer, "2026-04-30"));
  char *list = all_results("/api/v1/peilingen", &clients[B]);
  const char *a = strstr(list, older), *b = strstr(list, newer);
  ck_assert_ptr_nonnull(a);
  ck_assert_ptr_nonnull(b);
  ck_assert(b < a);
  json_t *docs = it_json(list);
  ck_assert_int_ge((long)json_array_size(docs), 2);
  json_decref(docs);
  free(list);
  char path[128];
  round_name("bestaat-niet", older);
  static const char *const tails[] = {"", "/resultaten", "/vergelijking"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(path, sizeof(path), "/api/v1/peilingen/%s%s", older, tails[i]);
    ck_assert_int_eq(status_of("GET", path, &clients[B], NULL, NULL), 404);
  }
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s/resultaten?pageSize=0", newer);
  ck_assert_int_eq(status_of("GET", path, &clients[B], NULL, NULL), 400);
  const char *csv[] = {"Accept: text/csv", NULL};
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s/resultaten?page=1", newer);
  ck_assert_int_eq(status_of("GET", path, &clients[B], csv, NULL), 400);
}
END_TEST

START_TEST(a_removal_takes_the_rows_and_is_recorded) {
  char naam[48], path[128];
  round_name("weg", naam);
  json_t *doc = make_round(naam, "2026-02-28");
  ck_assert_int_gt(stored_rows(naam), 0);
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s", naam);
  ck_assert_int_eq(status_of("DELETE", path, &clients[B], NULL, NULL), 403);
  ck_assert_int_eq(status_of("DELETE", path, &clients[P], NULL, NULL), 204);
  ck_assert_int_eq(status_of("GET", path, &clients[B], NULL, NULL), 404);
  ck_assert_int_eq(status_of("DELETE", path, &clients[P], NULL, NULL), 404);
  ck_assert_int_eq(stored_rows(naam), 0);
  /* One record: who, when, and the round's document. */
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM peiling_verwijderingen WHERE peiling = '%s'"
                               " AND client_id = '%s' AND verwijderd > now() - interval '1 minute'",
                               naam, clients[P].id),
                   1);
  char *metadata = it_sqlf("SELECT metadata::text FROM peiling_verwijderingen WHERE peiling = '%s'",
                           naam);
  json_t *recorded = it_json(metadata);
  ck_assert(json_equal(recorded, doc));
  json_decref(recorded);
  free(metadata);
  json_decref(doc);
  /* The name is free again. */
  json_decref(make_round(naam, "2026-02-28"));
}
END_TEST

/* The comparison row of `gemeente` in `rows`, or NULL. */
static const json_t *comparison_of(const json_t *rows, const char *gemeente) {
  size_t i;
  const json_t *row;
  json_array_foreach(rows, i, row) {
    if (strcmp(it_str(row, "gemeente"), gemeente) == 0) return row;
  }
  return NULL;
}

START_TEST(two_rounds_compared_per_municipality) {
  char van[48], naar[48], path[192], profile[96];
  round_name("voor", van);
  round_name("na", naar);
  /* GM0072 gets its first profile between the two dates. */
  json_decref(make_round(van, "2025-12-30"));
  make_profile("GM0072", "2025-12-31", 0.9, profile);
  json_decref(make_round(naar, "2026-01-01"));

  snprintf(path, sizeof(path), "/api/v1/peilingen/%s/vergelijking", naar);
  char *rows_default = all_results(path, &clients[B]);
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s/vergelijking?met=%s", naar, van);
  char *rows_met = all_results(path, &clients[B]);
  /* Without ?met: the round before it, here `van`. */
  ck_assert_msg(strcmp(rows_default, rows_met) == 0, "without ?met it is not the round before");
  json_t *rows = it_json(rows_met);
  const json_t *nieuw = comparison_of(rows, "GM0072");
  ck_assert_ptr_nonnull(nieuw);
  ck_assert_str_eq(it_str(nieuw, "aanwezig"), "alleen-naar");
  ck_assert_str_eq(it_str(nieuw, "peilingVan"), van);
  ck_assert_str_eq(it_str(nieuw, "peilingNaar"), naar);
  ck_assert(json_is_null(json_object_get(nieuw, "ftePer10000Van")));
  ck_assert(json_is_number(json_object_get(nieuw, "ftePer10000Naar")));
  ck_assert(json_is_null(json_object_get(nieuw, "ftePer10000Verschil")));
  ck_assert_int_eq((long)it_num(nieuw, "grootteklasseNaar"), 3);
  /* A single webredacteur misses both core roles. */
  ck_assert_uint_eq(json_array_size(json_object_get(nieuw, "ontbrekendeKernrollenNaar")), 2);
  /* A reference municipality is in both, unchanged. */
  const json_t *zeewolde = comparison_of(rows, "GM0050");
  ck_assert_ptr_nonnull(zeewolde);
  ck_assert_str_eq(it_str(zeewolde, "aanwezig"), "beide");
  ck_assert_double_eq(it_num(zeewolde, "ftePer10000Verschil"), 0.0);
  ck_assert(json_is_false(json_object_get(zeewolde, "grootteklasseGewijzigd")));
  /* The other way round, GM0072 is only in `naar`'s counterpart. */
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s/vergelijking?met=%s&pageSize=100", van, naar);
  struct it_response r;
  call("GET", path, &clients[B], NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(it_str(comparison_of(json_object_get(r.json, "results"), "GM0072"), "aanwezig"),
                   "alleen-van");
  it_response_free(&r);
  /* CSV: a header and one line per municipality. */
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s/vergelijking?met=%s", naar, van);
  char *csv = get_text(path, &clients[B], 1);
  ck_assert_int_eq(strncmp(csv, "peilingVan,peilingNaar,gemeente,", 32), 0);
  char line[160];
  snprintf(line, sizeof(line), "\r\n%s,%s,GM0072,Harlingen,alleen-naar,,3,false,,", van, naar);
  ck_assert_ptr_nonnull(strstr(csv, line));
  size_t lines = 0;
  for (const char *p = csv; (p = strstr(p, "\r\n")) != NULL; p += 2) lines++;
  ck_assert_uint_eq(lines, json_array_size(rows) + 1);
  free(csv);
  json_decref(rows);
  free(rows_met);
  free(rows_default);
  /* An unknown or malformed ?met is named; the first round has none before it. */
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s/vergelijking?met=bestaat-niet-%s", naar, van);
  call("GET", path, &clients[B], NULL, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert(names(&r, "met", "unknown-value"));
  it_response_free(&r);
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s/vergelijking?met=a%%20b", naar);
  call("GET", path, &clients[B], NULL, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert(names(&r, "met", "invalid-format"));
  it_response_free(&r);
  char eerste[48];
  round_name("eerste", eerste);
  json_decref(make_round(eerste, "1990-01-01"));
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s/vergelijking", eerste);
  call("GET", path, &clients[B], NULL, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert(names(&r, "met", "required"));
  it_response_free(&r);
}
END_TEST

START_TEST(the_command_line_makes_a_round_and_prints_its_summary) {
  char naam[48];
  round_name("cli", naam);
  const char *maak[] = {"peiling", "maak", naam, "--peildatum", "2026-03-31", "--toelichting",
                        "Vanaf de commandoregel.", NULL};
  char *out = it_capture(maak);
  ck_assert_ptr_nonnull(out);
  char expect[96];
  snprintf(expect, sizeof(expect), "peiling %s as of 2026-03-31: ", naam);
  ck_assert_ptr_nonnull(strstr(out, expect));
  ck_assert_ptr_nonnull(strstr(out, "  grootteklasse 8: "));
  free(out);
  char path[128];
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s", naam);
  char *item = get_text(path, &clients[B], 0);
  json_t *doc = it_json(item);
  ck_assert_str_eq(it_str(doc, "client"), "teamplotter-cli");
  ck_assert_str_eq(it_str(doc, "toelichting"), "Vanaf de commandoregel.");
  ck_assert_int_eq(stored_rows(naam), (long)it_num(doc, "aantalGemeenten"));
  json_decref(doc);
  free(item);
  /* The same name again: refused, exit status 1; a bad date: 2. */
  const char *again[] = {TEAMPLOTTER_BINARY_PATH, "peiling", "maak", naam, "--peildatum",
                         "2026-03-31", NULL};
  char *said = NULL;
  ck_assert_int_eq(it_run_captured(again, &said), 1);
  ck_assert_ptr_nonnull(strstr(said, "exists already"));
  free(said);
  const char *bad[] = {TEAMPLOTTER_BINARY_PATH, "peiling", "maak", "x y", "--peildatum",
                       "2999-13-01", NULL};
  ck_assert_int_eq(it_run_captured(bad, &said), 2);
  ck_assert_ptr_nonnull(strstr(said, "naam:"));
  ck_assert_ptr_nonnull(strstr(said, "peildatum:"));
  free(said);
}
END_TEST

int main(void) {
  Suite *s = suite_create("peilingen");
  TCase *tc = it_case("peilingen", 120, setup, teardown);
  tcase_add_test(tc, a_round_stores_the_benchmarks_of_its_date);
  tcase_add_test(tc, every_invalid_field_in_one_400);
  tcase_add_test(tc, tokens_and_scopes);
  tcase_add_test(tc, a_name_that_exists_is_409_and_changes_nothing);
  tcase_add_test(tc, concurrent_creations_of_one_name_store_one_round);
  tcase_add_test(tc, the_list_is_newest_first_and_unknown_rounds_are_404);
  tcase_add_test(tc, a_removal_takes_the_rows_and_is_recorded);
  tcase_add_test(tc, two_rounds_compared_per_municipality);
  tcase_add_test(tc, the_command_line_makes_a_round_and_prints_its_summary);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
