/* The benchmarks over real HTTP: access rules, the JSON pages against the
 * RFC 4180 CSV, one municipality's row, rows that follow every profile
 * write at once, concurrent first requests, and the totals kept for them.
 *
 * Figures that depend on other people's profiles are computed from one
 * stable snapshot of the API (fixture_analyse.c). */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fixture_analyse.h"

/* A CSV number equals a JSON number (null: an empty field). */
static void assert_csv_number(const char *text, const json_t *v, const char *gemeente,
                              const char *col) {
  if (json_is_null(v) || v == NULL) {
    ck_assert_msg(text[0] == '\0', "%s %s: CSV '%s', JSON null", gemeente, col, text);
    return;
  }
  ck_assert_msg(json_is_number(v), "%s %s is not a number in JSON", gemeente, col);
  char *end = NULL;
  errno = 0;
  double d = strtod(text, &end);
  ck_assert_msg(text[0] != '\0' && *end == '\0' && errno == 0, "%s %s: CSV '%s' is no number",
                gemeente, col, text);
  double j = json_number_value(v);
  ck_assert_msg(fabs(d - j) <= 1e-9 * fmax(1.0, fabs(j)), "%s %s: CSV %s, JSON %.17g", gemeente,
                col, text, j);
}

/* --- benchmark access ---------------------------------------------------- */

START_TEST(gemeente_benchmark_access) {
  /* The newest profile of GM0820 in this run. */
  json_t *body = small_team("GM0820", "2026-05-01", "Webredactie");
  struct profile own, other;
  create(body, &own);
  json_t *body2 = small_team("GM0796", "2026-01-01", "Webredactie");
  create(body2, &other);
  const char *own_path = "/api/v1/gemeenten/GM0820/benchmark";
  const char *other_path = "/api/v1/gemeenten/GM0796/benchmark";
  /* No token, a token that is not one. */
  struct it_response r;
  call("GET", own_path, NULL, NULL, NULL, &r);
  it_assert_problem(&r, 401);
  it_response_free(&r);
  const char *bad[] = {"Authorization: Bearer not.a.token", NULL};
  ck_assert_int_eq(status_of("GET", own_path, NULL, bad, NULL), 401);
  /* benchmarks.lezen: every municipality with a profile. */
  ck_assert_int_eq(status_of("GET", own_path, &clients[B], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", other_path, &clients[B], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0050/benchmark", &clients[B], NULL, NULL),
                   200);
  /* teamprofielen.lezen: its own municipality only. */
  get_ok(own_path, &clients[R], NULL, &r);
  ck_assert_str_eq(it_str(r.json, "gemeente"), "GM0820");
  ck_assert_str_eq(it_str(r.json, "naam"), "Nuenen, Gerwen en Nederwetten");
  ck_assert_str_eq(it_str(r.json, "teamprofiel"), own.uuid);
  it_response_free(&r);
  ck_assert_int_eq(status_of("GET", own_path, &clients[N], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", other_path, &clients[R], NULL, NULL), 403);
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0050/benchmark", &clients[R], NULL, NULL),
                   403);
  /* The writer reads profiles, but GM0050 is not one of its municipalities. */
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0050/benchmark", &clients[W], NULL, NULL),
                   403);
  /* Unknown municipality, or one without a profile: 404. */
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM9999/benchmark", &clients[B], NULL, NULL),
                   404);
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0252/benchmark", &clients[B], NULL, NULL),
                   404);
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0252/benchmark", &clients[E], NULL, NULL),
                   404);
  /* A query parameter it does not know. */
  char q[160];
  snprintf(q, sizeof(q), "%s?pageSize=5", own_path);
  ck_assert_int_eq(status_of("GET", q, &clients[B], NULL, NULL), 400);
  json_decref(body);
  json_decref(body2);
}
END_TEST

START_TEST(benchmarks_need_their_scope) {
  const char *csv[] = {"Accept: text/csv", NULL};
  struct it_response r;
  call("GET", "/api/v1/benchmarks", NULL, NULL, NULL, &r);
  it_assert_problem(&r, 401);
  it_response_free(&r);
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks", NULL, csv, NULL), 401);
  const int without[] = {W, R, E, N, A, M, P, S};
  for (size_t i = 0; i < sizeof(without) / sizeof(without[0]); i++) {
    const struct it_client *c = &clients[without[i]];
    ck_assert_msg(status_of("GET", "/api/v1/benchmarks", c, NULL, NULL) == 403, "%s", c->id);
    ck_assert_msg(status_of("GET", "/api/v1/benchmarks", c, csv, NULL) == 403, "%s", c->id);
  }
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks", &clients[B], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks", &clients[B], csv, NULL), 200);
  /* JSON paging is checked like every collection's. */
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks?pageSize=101", &clients[B], NULL, NULL),
                   400);
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks?page=0", &clients[B], NULL, NULL), 400);
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks?onbekend=1", &clients[B], NULL, NULL), 400);
}
END_TEST

/* --- CSV and JSON of the benchmarks ---------------------------------------- */

static const char *const CSV_HEADER[] = {
    "gemeente",
    "naam",
    "inwoners",
    "grootteklasse",
    "peildatum",
    "teamprofiel",
    "totaalFte",
    "ftePer10000",
    "dekking",
    "capaciteit",
    "dichtstbijzijnd",
    "groepsgrootte",
    "ftePer10000Percentiel",
    "dekkingPercentiel",
    "onderdrukt",
    NULL,
};

START_TEST(benchmarks_csv_and_json_agree) {
  /* Profiles of this run with a comma (GM0820) and non-ASCII (GM1900) in
   * the municipality's name. */
  json_t *b1 = small_team("GM0820", "2026-01-01", "Webredactie");
  json_t *b2 = small_team("GM1900", "2026-01-01", "Webredactie");
  struct profile p1, p2;
  create(b1, &p1);
  create(b2, &p2);
  char *csv = NULL;
  json_t *rows = stable_snapshot(3, &csv);
  const char *why = NULL;
  json_t *records = it_parse_csv(csv, &why);
  ck_assert_msg(records != NULL, "the CSV is not RFC 4180 (%s):\n%s", why, csv);
  /* The header, then one record per JSON row, in the same order. */
  json_t *header = json_array_get(records, 0);
  size_t ncol = 0;
  while (CSV_HEADER[ncol] != NULL) ncol++;
  ck_assert_uint_eq(json_array_size(header), ncol);
  for (size_t c = 0; c < ncol; c++) {
    ck_assert_str_eq(json_string_value(json_array_get(header, c)), CSV_HEADER[c]);
  }
  ck_assert_msg(json_array_size(records) == json_array_size(rows) + 1,
                "%zu CSV records, %zu JSON rows", json_array_size(records) - 1,
                json_array_size(rows));
  ck_assert_ptr_nonnull(row_of(rows, "GM0820"));
  ck_assert_ptr_nonnull(row_of(rows, "GM1900"));
  ck_assert_ptr_nonnull(row_of(rows, "GM0050"));
  for (size_t i = 0; i < json_array_size(rows); i++) {
    const json_t *row = json_array_get(rows, i), *rec = json_array_get(records, i + 1);
    const json_t *pos = json_object_get(row, "positie");
    ck_assert_uint_eq(json_array_size(rec), ncol);
    const char *g = it_str(row, "gemeente");
    if (i > 0) ck_assert_int_lt(strcmp(it_str(json_array_get(rows, i - 1), "gemeente"), g), 0);
    for (size_t c = 0; c < ncol; c++) {
      const char *col = CSV_HEADER[c];
      const char *cell = json_string_value(json_array_get(rec, c));
      const json_t *v = json_object_get(row, col);
      if (v == NULL) v = json_object_get(pos, col);
      if (strcmp(col, "dichtstbijzijnd") == 0) {
        char joined[256] = "";
        size_t k;
        json_t *code;
        json_array_foreach(v, k, code) {
          size_t used = strlen(joined);
          snprintf(joined + used, sizeof(joined) - used, "%s%s", k ? " " : "",
                   json_string_value(code));
        }
        ck_assert_msg(strcmp(cell, joined) == 0, "%s %s: CSV '%s', JSON '%s'", g, col, cell,
                      joined);
      } else if (json_is_string(v)) {
        ck_assert_msg(strcmp(cell, json_string_value(v)) == 0, "%s %s: CSV '%s', JSON '%s'", g, col,
                      cell, json_string_value(v));
      } else if (json_is_boolean(v)) {
        ck_assert_msg(strcmp(cell, json_is_true(v) ? "true" : "false") == 0, "%s %s: CSV '%s'", g,
                      col, cell);
      } else {
        ck_assert_msg(v != NULL, "%s: JSON row has no %s", g, col);
        assert_csv_number(cell, v, g, col);
      }
    }
  }
  /* The name with a comma came through as one field. */
  const json_t *row = row_of(rows, "GM0820");
  ck_assert_str_eq(it_str(row, "naam"), "Nuenen, Gerwen en Nederwetten");
  ck_assert_str_eq(it_str(row_of(rows, "GM1900"), "naam"), "Súdwest-Fryslân");
  ck_assert_ptr_nonnull(strstr(csv, "\"Nuenen, Gerwen en Nederwetten\""));
  /* The CSV has its own strong ETag: 304 while nothing changed. */
  const char *accept[] = {"Accept: text/csv", NULL};
  struct it_response c1, c2, jr;
  get_ok("/api/v1/benchmarks", &clients[B], accept, &c1);
  get_ok("/api/v1/benchmarks", &clients[B], NULL, &jr);
  ck_assert_ptr_nonnull(it_header(&c1, "ETag"));
  ck_assert_str_ne(it_header(&c1, "ETag"), it_header(&jr, "ETag"));
  char inm[128];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", it_header(&c1, "ETag"));
  const char *cond[] = {"Accept: text/csv", inm, NULL};
  call("GET", "/api/v1/benchmarks", &clients[B], cond, NULL, &c2);
  ck_assert_msg(c2.status == 304 || (c2.status == 200 &&
                                     strcmp(it_header(&c2, "ETag"), it_header(&c1, "ETag")) != 0),
                "conditional CSV GET gave %ld", c2.status);
  it_response_free(&c1);
  it_response_free(&c2);
  it_response_free(&jr);
  json_decref(records);
  json_decref(rows);
  free(csv);
  json_decref(b1);
  json_decref(b2);
}
END_TEST

/* --- one municipality's row: its own figures, its latest profile --------- */

/* The set of roles with fte > 0 in `leden`, as an object of role -> fte. */
static json_t *fielded_roles(const json_t *leden) {
  json_t *sum = json_object();
  size_t i, j;
  json_t *m, *r;
  json_array_foreach(leden, i, m) {
    json_array_foreach(json_object_get(m, "rollen"), j, r) {
      const char *rol = it_str(r, "rol");
      double before = json_number_value(json_object_get(sum, rol));
      json_object_set_new(sum, rol, json_real(before + it_num(r, "aandeel")));
    }
  }
  return sum;
}

static double jaccard(const json_t *a, const json_t *b) {
  long both = 0, either = 0;
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)a, key, v) {
    either++;
    both += json_object_get(b, key) != NULL;
  }
  json_object_foreach((json_t *)b, key, v) either += json_object_get(a, key) == NULL;
  return either == 0 ? NAN : (double)both / (double)either;
}

/* A benchmark row `row` of a municipality with `leden` and `inwoners`:
 * each reference municipality with its own figures (those of its own gap
 * analysis), the Jaccard overlap of the fielded roles, the distance in
 * ln N, itself left out, and the three nearest. */
static void assert_beside_the_references(const json_t *row, const json_t *leden, long inwoners) {
  json_t *mine = fielded_roles(leden);
  const json_t *refs = json_object_get(row, "referenties");
  const char *self = it_str(row, "gemeente");
  ck_assert_int_ge(json_array_size(refs), 3);
  size_t i;
  json_t *e;
  const char *prev = "";
  json_array_foreach(refs, i, e) {
    const char *code = it_str(e, "gemeente");
    ck_assert_msg(strcmp(code, self) != 0, "%s is among its own references", self);
    ck_assert_int_lt(strcmp(prev, code), 0);
    prev = code;
    json_t *ref = reference_profile(code);
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s/gap-analyse", it_str(ref, "uuid"));
    struct it_response a;
    get_ok(path, NULL, NULL, &a);
    const json_t *sum = json_object_get(a.json, "samenvatting");
    long n = (long)json_integer_value(json_object_get(a.json, "inwoners"));
    ck_assert_int_eq(json_integer_value(json_object_get(e, "inwoners")), n);
    ck_assert_double_eq(it_num(e, "totaalFte"), it_num(sum, "totaalFte"));
    ck_assert_msg(json_equal(json_object_get(e, "dekking"), json_object_get(sum, "dekking")),
                  "%s: dekking in the benchmark differs from its own analysis", code);
    ck_assert_double_eq_tol(it_num(e, "ftePer10000"),
                            it_num(sum, "totaalFte") / (double)n * 10000.0, 1.0001e-4);
    json_t *theirs = fielded_roles(json_object_get(ref, "leden"));
    ck_assert_double_eq_tol(it_num(e, "rolOverlap"), round4(jaccard(mine, theirs)), 1e-9);
    ck_assert_double_eq_tol(it_num(e, "afstand"), fabs(log((double)inwoners) - log((double)n)),
                            1.0001e-4);
    json_decref(theirs);
    it_response_free(&a);
    json_decref(ref);
  }
  /* The three nearest: by distance, then code. */
  const json_t *near = json_object_get(row, "dichtstbijzijnd");
  ck_assert_uint_eq(json_array_size(near), 3);
  int taken[64] = {0};
  for (size_t k = 0; k < 3; k++) {
    size_t best = SIZE_MAX;
    json_array_foreach(refs, i, e) {
      if (i >= 64 || taken[i]) continue;
      if (best == SIZE_MAX) {
        best = i;
        continue;
      }
      const json_t *b = json_array_get(refs, best);
      double d = it_num(e, "afstand"), db = it_num(b, "afstand");
      if (d < db || (d == db && strcmp(it_str(e, "gemeente"), it_str(b, "gemeente")) < 0)) best = i;
    }
    taken[best] = 1;
    ck_assert_str_eq(json_string_value(json_array_get(near, k)),
                     it_str(json_array_get(refs, best), "gemeente"));
  }
  json_decref(mine);
}

START_TEST(benchmark_row_follows_the_latest_profile_and_the_analysis) {
  /* An older, bigger team and a newer one: the newer counts. */
  json_t *older =
      team("GM0796", "2025-06-30",
           json_pack("[o, o]", member1("A", 1.5, "webredacteur"), member1("B", 1.5, "webanalist")));
  json_t *newer = small_team("GM0796", "2026-06-01", "Webredactie");
  struct profile p_old, p_new;
  create(newer, &p_new);
  create(older, &p_old); /* stored later, dated earlier */
  struct it_response r, a;
  get_ok("/api/v1/gemeenten/GM0796/benchmark", &clients[B], NULL, &r);
  ck_assert_str_eq(it_str(r.json, "teamprofiel"), p_new.uuid);
  ck_assert_str_eq(it_str(r.json, "peildatum"), "2026-06-01");
  ck_assert_str_eq(it_str(r.json, "naam"), "'s-Hertogenbosch");
  ck_assert_int_eq(json_integer_value(json_object_get(r.json, "grootteklasse")), 7);
  long n = inwoners_of("GM0796");
  ck_assert_int_eq(json_integer_value(json_object_get(r.json, "inwoners")), n);
  /* Its figures are those of its gap analysis. */
  char path[160];
  snprintf(path, sizeof(path), "%s/gap-analyse", p_new.path);
  get_ok(path, &clients[W], NULL, &a);
  const json_t *sum = json_object_get(a.json, "samenvatting");
  /* And it names the reference set the analysis used. */
  ck_assert_ptr_nonnull(it_str(a.json, "referentieVersie"));
  ck_assert_str_eq(it_str(r.json, "referentieVersie"), it_str(a.json, "referentieVersie"));
  ck_assert_double_eq_tol(it_num(r.json, "totaalFte"), 2.3, 1e-9);
  ck_assert_double_eq(it_num(r.json, "totaalFte"), it_num(sum, "totaalFte"));
  ck_assert_double_eq(it_num(r.json, "dekking"), it_num(sum, "dekking"));
  ck_assert_double_eq(it_num(r.json, "capaciteit"), it_num(sum, "capaciteit"));
  ck_assert_double_eq_tol(it_num(r.json, "ftePer10000"), round4(2.3 / (double)n * 10000.0), 1e-9);
  /* Beside the seven. */
  ck_assert_int_eq(json_array_size(json_object_get(r.json, "referenties")), 7);
  assert_beside_the_references(r.json, json_object_get(newer, "leden"), n);
  it_response_free(&a);
  /* A reference municipality is compared with the other six. */
  get_ok("/api/v1/gemeenten/GM0050/benchmark", &clients[B], NULL, &a);
  ck_assert_int_eq(json_array_size(json_object_get(a.json, "referenties")), 6);
  it_response_free(&a);
  /* The same row in the list of all. */
  json_t *rows = stable_snapshot(100, NULL);
  const json_t *row = row_of(rows, "GM0796");
  ck_assert_ptr_nonnull(row);
  ck_assert_str_eq(it_str(row, "teamprofiel"), p_new.uuid);
  json_t *single = NULL;
  get_ok("/api/v1/gemeenten/GM0796/benchmark", &clients[B], NULL, &a);
  single = a.json;
  /* The row, plus the reference set's version that only one municipality's benchmark states. */
  json_t *row_and_version = json_deep_copy(row);
  json_object_set(row_and_version, "referentieVersie", json_object_get(r.json, "referentieVersie"));
  ck_assert_ptr_null(json_object_get(row, "referentieVersie"));
  ck_assert_msg(json_equal(single, row_and_version),
                "the benchmark of GM0796 differs from its row:\n%s", a.body);
  json_decref(row_and_version);
  it_response_free(&a);
  it_response_free(&r);
  json_decref(rows);
  json_decref(older);
  json_decref(newer);
}
END_TEST

/* --- the benchmarks are kept per profiles version ------------------------- */

/* The CSV line of `gemeente` in GET /api/v1/benchmarks on server `s` (a
 * new string; "" when it has no row). */
static char *csv_line_on(const struct it_server *s, const char *gemeente) {
  char auth[4096];
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s", clients[B].token);
  const char *h[] = {auth, "Accept: text/csv", NULL};
  struct it_response r;
  ck_assert_int_eq(it_request(s, "GET", "/api/v1/benchmarks", h, NULL, 0, &r), 0);
  ck_assert_msg(r.status == 200, "GET /api/v1/benchmarks gave %ld", r.status);
  char needle[32];
  snprintf(needle, sizeof(needle), "\r\n%s,", gemeente);
  const char *at = strstr(r.body, needle);
  char *line = at ? strndup(at + 2, strcspn(at + 2, "\r\n")) : strdup("");
  it_response_free(&r);
  return line;
}

/* The line on this server and on a second one (a replica on the same
 * database): both equal, and returned. */
static char *line_on_both(const struct it_server *other, const char *gemeente) {
  char *a = csv_line_on(&srv, gemeente), *b = csv_line_on(other, gemeente);
  ck_assert_str_eq(a, b);
  free(b);
  return a;
}

START_TEST(benchmarks_follow_every_profile_write_at_once) {
  /* A second replica; both keep the rows of all after the first request. */
  struct it_server other;
  ck_assert_int_eq(it_server_start(&other, SERVER_ENV), 0);
  char *before = line_on_both(&other, "GM0279");
  free(line_on_both(&other, "GM0279")); /* now served from what they keep */

  /* POST: the new, newest profile is in the row at once, on both. */
  json_t *body = small_team("GM0279", "2026-11-28", "Webredactie");
  struct profile p;
  create(body, &p);
  char *posted = line_on_both(&other, "GM0279");
  ck_assert_msg(strstr(posted, p.uuid) != NULL, "no new profile in %s", posted);
  ck_assert_str_ne(posted, before);

  /* PUT: another team, another total fte. */
  struct it_response r;
  call("GET", p.path, &clients[W], NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  char if_match[128];
  snprintf(if_match, sizeof(if_match), "If-Match: %s", it_header(&r, "ETag"));
  it_response_free(&r);
  json_t *bigger = team("GM0279", "2026-11-28",
                        json_pack("[o, o]", member1("A", 1.5, "webredacteur"),
                                  member1("B", 1.25, "webanalist")));
  char *text = it_dump(bigger);
  const char *h[] = {if_match, NULL};
  ck_assert_int_eq(status_of("PUT", p.path, &clients[W], h, text), 200);
  free(text);
  char *put = line_on_both(&other, "GM0279");
  ck_assert_msg(strstr(put, ",2.75,") != NULL, "totaalFte 2.75 not in %s", put);
  ck_assert_str_ne(put, posted);

  /* A write outside the API, to the profile row, counts too. */
  char sql[256];
  snprintf(sql, sizeof(sql), "UPDATE teamprofielen SET peildatum = '2026-11-27' WHERE uuid = '%s'",
           p.uuid);
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
  char *sql_line = line_on_both(&other, "GM0279");
  ck_assert_msg(strstr(sql_line, ",2026-11-27,") != NULL, "new peildatum not in %s", sql_line);

  /* DELETE: back to what it was. */
  call("GET", p.path, &clients[W], NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  snprintf(if_match, sizeof(if_match), "If-Match: %s", it_header(&r, "ETag"));
  it_response_free(&r);
  ck_assert_int_eq(status_of("DELETE", p.path, &clients[W], h, NULL), 204);
  char *deleted = line_on_both(&other, "GM0279");
  ck_assert_str_eq(deleted, before);

  ck_assert_int_eq(it_server_stop_verbose(&other), 0);
  free(before);
  free(posted);
  free(put);
  free(sql_line);
  free(deleted);
  json_decref(body);
  json_decref(bigger);
}
END_TEST

/* --- concurrent first requests -------------------------------------------- */

struct csv_fetch {
  const struct it_server *server;
  pthread_barrier_t *start;
  char *body;
  long status;
};

static void *fetch_csv(void *arg) {
  struct csv_fetch *f = arg;
  char auth[4096];
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s", clients[B].token);
  const char *h[] = {auth, "Accept: text/csv", NULL};
  struct it_response r;
  pthread_barrier_wait(f->start);
  if (it_request(f->server, "GET", "/api/v1/benchmarks", h, NULL, 0, &r) == 0) {
    f->status = r.status;
    f->body = strdup(r.body ? r.body : "");
    it_response_free(&r);
  }
  return NULL;
}

/* How many lines of the server's log contain `needle`. */
static int log_count(const struct it_server *s, const char *needle) {
  FILE *f = fopen(s->log_path, "r");
  ck_assert_ptr_nonnull(f);
  char line[8192];
  int n = 0;
  while (fgets(line, sizeof(line), f) != NULL) n += strstr(line, needle) != NULL;
  fclose(f);
  return n;
}

/* Requests that arrive together for rows nobody keeps yet get the same
 * rows, computed once: the others wait for the one computing them. Five
 * rounds, each after a profile write (new rows to compute), so that
 * requests overlap a computation in some round even on a fast machine. */
START_TEST(concurrent_first_requests_compute_the_rows_once) {
  enum { FETCHERS = 12, ROUNDS = 5 };
  struct it_server fresh;
  ck_assert_int_eq(it_server_start(&fresh, SERVER_ENV), 0);
  ck_assert_int_eq(curl_global_init(CURL_GLOBAL_DEFAULT), 0);
  json_t *body = small_team("GM0279", "2026-11-30", "Gelijktijdig");
  struct profile p;
  create(body, &p);
  char sql[256];
  snprintf(sql, sizeof(sql), "UPDATE teamprofielen SET versie = versie + 1 WHERE uuid = '%s'",
           p.uuid);
  for (int round = 1; round <= ROUNDS; round++) {
    ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
    pthread_barrier_t start;
    ck_assert_int_eq(pthread_barrier_init(&start, NULL, FETCHERS), 0);
    struct csv_fetch f[FETCHERS];
    pthread_t threads[FETCHERS];
    for (int i = 0; i < FETCHERS; i++) {
      f[i] = (struct csv_fetch){&fresh, &start, NULL, 0};
      ck_assert_int_eq(pthread_create(&threads[i], NULL, fetch_csv, &f[i]), 0);
    }
    for (int i = 0; i < FETCHERS; i++) ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < FETCHERS; i++) {
      ck_assert_int_eq(f[i].status, 200);
      ck_assert_ptr_nonnull(f[i].body);
      ck_assert_str_eq(f[i].body, f[0].body);
    }
    for (int i = 0; i < FETCHERS; i++) free(f[i].body);
    /* Other test binaries may write a profile meanwhile (a new version, a
     * second computation): then the bodies above would differ too. */
    ck_assert_int_eq(log_count(&fresh, "benchmarks: rows of"), round);
  }
  ck_assert_int_eq(it_server_stop_verbose(&fresh), 0);
  struct it_response r;
  call("GET", p.path, &clients[W], NULL, NULL, &r);
  char if_match[128];
  snprintf(if_match, sizeof(if_match), "If-Match: %s", it_header(&r, "ETag"));
  it_response_free(&r);
  const char *h[] = {if_match, NULL};
  ck_assert_int_eq(status_of("DELETE", p.path, &clients[W], h, NULL), 204);
  json_decref(body);
}
END_TEST

/* --- the totals kept for benchmarks ------------------------------------ */

/* teamprofiel_bezetting holds, for every profile and nothing else, the
 * totals of its members as the gap analysis sums them in C: fte in member
 * order, each role's shares in member, then share order, as doubles. The
 * members are read from the member tables here and summed again. */
static void assert_totals_current(void) {
  char *text = it_sql_value(
      it_database_url(),
      "SELECT json_build_object("
      " 'orphans', (SELECT count(*) FROM teamprofiel_bezetting b"
      "              WHERE NOT EXISTS (SELECT 1 FROM teamprofielen p WHERE p.uuid = b.profiel)),"
      " 'profiles', coalesce(json_agg(json_build_object('uuid', p.uuid, 'totalen', b.totalen,"
      "   'leden', (SELECT coalesce(json_agg(json_build_object('fte', l.fte, 'rollen',"
      "       (SELECT coalesce(json_agg(json_build_object('rol', lr.rol, 'aandeel', lr.aandeel)"
      "                                 ORDER BY lr.volgorde), '[]')"
      "          FROM teamlid_rollen lr"
      "         WHERE lr.profiel = l.profiel AND lr.volgnummer = l.volgnummer))"
      "       ORDER BY l.volgnummer), '[]')"
      "     FROM teamleden l WHERE l.profiel = p.uuid))), '[]'))"
      " FROM teamprofielen p LEFT JOIN teamprofiel_bezetting b ON b.profiel = p.uuid");
  ck_assert_ptr_nonnull(text);
  json_t *all = it_json(text);
  free(text);
  ck_assert_int_eq(json_integer_value(json_object_get(all, "orphans")), 0);
  size_t i, j, k;
  json_t *p, *lid, *share;
  json_array_foreach(json_object_get(all, "profiles"), i, p) {
    const char *uuid = it_str(p, "uuid");
    const char *totalen = json_string_value(json_object_get(p, "totalen"));
    ck_assert_msg(totalen != NULL, "no totals for profile %s", uuid);
    /* The expected totals, by role code (as kept). */
    const char *roles[64];
    double fte[64], totaal = 0.0;
    size_t n = 0;
    json_array_foreach(json_object_get(p, "leden"), j, lid) {
      totaal += it_num(lid, "fte");
      json_array_foreach(json_object_get(lid, "rollen"), k, share) {
        const char *rol = it_str(share, "rol");
        size_t x = 0;
        while (x < n && strcmp(roles[x], rol) != 0) x++;
        if (x == n) {
          ck_assert_uint_lt(n, 64);
          roles[n] = rol;
          fte[n++] = 0.0;
        }
        fte[x] += it_num(share, "aandeel");
      }
    }
    /* "<total> <rol> <fte> ...": read back with strtod, every digit. */
    char *copy = strdup(totalen), *save = NULL;
    ck_assert_ptr_nonnull(copy);
    char *word = strtok_r(copy, " ", &save);
    ck_assert_ptr_nonnull(word);
    ck_assert_msg(strtod(word, NULL) == totaal, "profile %s: total %s kept, %.17g summed", uuid,
                  word, totaal);
    char prev[128] = "";
    size_t seen = 0;
    while ((word = strtok_r(NULL, " ", &save)) != NULL) {
      const char *value = strtok_r(NULL, " ", &save);
      ck_assert_msg(value != NULL, "profile %s: role %s without fte in '%s'", uuid, word, totalen);
      ck_assert_msg(strcmp(prev, word) < 0, "profile %s: roles not by code: %s", uuid, totalen);
      snprintf(prev, sizeof(prev), "%s", word);
      size_t x = 0;
      while (x < n && strcmp(roles[x], word) != 0) x++;
      ck_assert_msg(x < n, "profile %s: role %s kept but not held", uuid, word);
      ck_assert_msg(strtod(value, NULL) == fte[x], "profile %s, %s: %s kept, %.17g summed", uuid,
                    word, value, fte[x]);
      seen++;
    }
    ck_assert_uint_eq(seen, n);
    free(copy);
  }
  json_decref(all);
}

/* Every way the members change, through the API or in SQL, keeps the
 * totals current; and the benchmark row shows the new total at once. */
START_TEST(benchmark_totals_follow_every_member_write) {
  assert_totals_current();
  /* .1 + .2 in one role: a sum a decimal total would get "wrong". */
  json_t *body = team("GM0279", "2026-11-29",
                      json_pack("[{s:s, s:f, s:[{s:s, s:f}, {s:s, s:f}], s:[]},"
                                " {s:s, s:f, s:[{s:s, s:f}], s:[]}]",
                                "label", "A", "fte", 0.3, "rollen", "rol", "webredacteur",
                                "aandeel", 0.1, "rol", "verbinder", "aandeel", 0.2,
                                "competenties", "label", "B", "fte", 0.2, "rollen", "rol",
                                "webredacteur", "aandeel", 0.2, "competenties"));
  struct profile p;
  create(body, &p);
  assert_totals_current();
  char *kept = NULL, sql[512];
  snprintf(sql, sizeof(sql),
           "SELECT totalen::text FROM teamprofiel_bezetting WHERE profiel = '%s'", p.uuid);
  kept = it_sql_value(it_database_url(), sql);
  ck_assert_msg(kept && strcmp(kept, "0.5 verbinder 0.2 webredacteur 0.30000000000000004") == 0,
                "kept totals %s", kept);
  free(kept);

  /* PUT: other members. */
  struct it_response r;
  call("GET", p.path, &clients[W], NULL, NULL, &r);
  char if_match[128];
  snprintf(if_match, sizeof(if_match), "If-Match: %s", it_header(&r, "ETag"));
  it_response_free(&r);
  json_t *other = team("GM0279", "2026-11-29",
                       json_pack("[o, o, o]", member1("A", 1.5, "webredacteur"),
                                 member1("B", 0.25, "webanalist"), member1("C", 0.5, "verbinder")));
  char *text = it_dump(other);
  const char *h[] = {if_match, NULL};
  ck_assert_int_eq(status_of("PUT", p.path, &clients[W], h, text), 200);
  free(text);
  assert_totals_current();

  /* In SQL: a share changed, a member removed, a member without roles. */
  const char *const statements[][2] = {
      {"UPDATE teamlid_rollen SET aandeel = 0.7 WHERE profiel = '", "' AND volgnummer = 0"},
      {"DELETE FROM teamleden WHERE profiel = '", "' AND volgnummer = 1"},
      {"INSERT INTO teamleden (profiel, volgnummer, label, fte) VALUES ('", "', 7, 'Z', 0.1)"},
      {"DELETE FROM teamlid_rollen WHERE profiel = '", "' AND volgnummer = 2"},
  };
  for (size_t i = 0; i < sizeof(statements) / sizeof(*statements); i++) {
    snprintf(sql, sizeof(sql), "%s%s%s", statements[i][0], p.uuid, statements[i][1]);
    ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
    assert_totals_current();
  }
  /* The profile row changes with it, as the API would: the benchmark row
   * is current at once, with members of 1.5, 0.5 and 0.1 fte; also when
   * the kept totals are missing (members written with triggers off):
   * they are computed on the spot, the profile is not left out. */
  for (int missing = 0; missing <= 1; missing++) {
    if (missing) {
      snprintf(sql, sizeof(sql), "DELETE FROM teamprofiel_bezetting WHERE profiel = '%s'",
               p.uuid);
      ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
    }
    snprintf(sql, sizeof(sql), "UPDATE teamprofielen SET versie = versie + 1 WHERE uuid = '%s'",
             p.uuid);
    ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
    call("GET", "/api/v1/gemeenten/GM0279/benchmark", &clients[W], NULL, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_double_eq(it_num(r.json, "totaalFte"), 2.1);
    ck_assert_str_eq(it_str(r.json, "teamprofiel"), p.uuid);
    it_response_free(&r);
    char *line = csv_line_on(&srv, "GM0279");
    ck_assert_msg(strstr(line, p.uuid) && strstr(line, ",2.1,"), "CSV line %s", line);
    free(line);
  }
  /* Putting the row back (any member write does) makes the table whole. */
  snprintf(sql, sizeof(sql), "SELECT bezetting_bijwerken(ARRAY['%s'::uuid])", p.uuid);
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
  assert_totals_current();

  /* DELETE: its totals go with it. */
  call("GET", p.path, &clients[W], NULL, NULL, &r);
  snprintf(if_match, sizeof(if_match), "If-Match: %s", it_header(&r, "ETag"));
  it_response_free(&r);
  ck_assert_int_eq(status_of("DELETE", p.path, &clients[W], h, NULL), 204);
  assert_totals_current();
  snprintf(sql, sizeof(sql), "SELECT count(*) FROM teamprofiel_bezetting WHERE profiel = '%s'",
           p.uuid);
  char *count = it_sql_value(it_database_url(), sql);
  ck_assert_str_eq(count, "0");
  free(count);
  json_decref(body);
  json_decref(other);
}
END_TEST

int main(void) {
  Suite *s = suite_create("benchmarks");
  TCase *tc = it_case("benchmarks", 60, setup, teardown);
  tcase_add_test(tc, gemeente_benchmark_access);
  tcase_add_test(tc, benchmarks_need_their_scope);
  tcase_add_test(tc, benchmarks_csv_and_json_agree);
  tcase_add_test(tc, benchmark_row_follows_the_latest_profile_and_the_analysis);
  tcase_add_test(tc, benchmarks_follow_every_profile_write_at_once);
  tcase_add_test(tc, benchmark_totals_follow_every_member_write);
  tcase_add_test(tc, concurrent_first_requests_compute_the_rows_once);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
