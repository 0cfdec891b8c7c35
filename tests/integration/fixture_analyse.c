/* The fixture of the gap-analysis and benchmark tests: one server, the
 * clients of this run, and the requests and profiles they make.
 *
 * Other test binaries may use the same database at the same time: every
 * client a binary makes is named it-an-<pid>-..., only profiles made by
 * those clients are written, figures that depend on other people's profiles
 * are computed from one stable snapshot of the API, and teardown removes
 * everything it made. */
#include "fixture_analyse.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct it_server srv;

const char *const SERVER_ENV[] = {
    "TEAMPLOTTER_THREADS=8",
    "TEAMPLOTTER_DB_POOL_SIZE=8",
    NULL,
};

/* it-an-<pid>-: the prefix of every client id of this run. */
char prefix[48];
/* This file's directory (the script beside it; docs/ two levels up). */
char here[1024];
/* A scratch directory for SVG and PNG files, removed at teardown. */
char scratch[256];

struct it_client clients[NCLIENTS] = {
    /* writes the profiles of this run. GM0820 "Nuenen, Gerwen en
     * Nederwetten" (a comma for the CSV), GM0796 's-Hertogenbosch and
     * GM1900 Súdwest-Fryslân (awkward names for the chart), and class 3. */
    [W] = {"w", "teamprofielen.lezen,teamprofielen.schrijven",
           "GM0820,GM0796,GM1900,GM0279,GM0003,GM0072,GM0175,GM0180,GM0221", "", "", NULL},
    /* reads its own municipality's profiles */
    [R] = {"r", "teamprofielen.lezen", "GM0820", "", "", NULL},
    /* reads its own municipality, which has no profile (GM0252 Heumen) */
    [E] = {"e", "teamprofielen.lezen", "GM0252", "", "", NULL},
    /* benchmarks only */
    [B] = {"b", "benchmarks.lezen", "GM0772", "", "", NULL},
    /* every profile scope of GM0820, but not benchmarks.lezen */
    [N] = {"n", "teamprofielen.lezen,teamprofielen.schrijven,audittrail.lezen", "GM0820", "", "",
           NULL},
    /* the prober of size class 2: writes and reads GM0024 Loppersum only */
    [A] = {"a", "teamprofielen.lezen,teamprofielen.schrijven", "GM0024", "", "", NULL},
    /* a prober with two municipalities of class 2: GM0024 and GM1695 Noord-Beveland */
    [M] = {"m", "teamprofielen.lezen,teamprofielen.schrijven", "GM0024,GM1695", "", "", NULL},
    /* writes the other municipalities' profiles of classes 2, 1 and 5 */
    [P] = {"p", "teamprofielen.lezen,teamprofielen.schrijven",
           "GM0317,GM0339,GM0431,GM0638,GM0744,GM0944,GM0088,GM0093,GM0096,GM0277,"
           "GM0355,GM0106,GM0118,GM0141,GM0222,GM0345",
           "", "", NULL},
    /* the prober of size class 1: GM0060 Ameland */
    [S] = {"s", "teamprofielen.lezen,teamprofielen.schrijven", "GM0060", "", "", NULL},
};

double round4(double x) { return round(x * 10000.0) / 10000.0; }

void call(const char *method, const char *path, const struct it_client *c, const char *const *extra,
          const char *body, struct it_response *r) {
  it_call(&srv, method, path, c ? c->token : NULL, extra, body, body ? strlen(body) : 0, r);
}

long status_of(const char *method, const char *path, const struct it_client *c,
               const char *const *extra, const char *body) {
  return it_status_of(&srv, method, path, c ? c->token : NULL, extra, body);
}

/* GET as `c`, asserting 200 with a JSON body. */
void get_ok(const char *path, const struct it_client *c, const char *const *extra,
            struct it_response *r) {
  call("GET", path, c, extra, NULL, r);
  ck_assert_msg(r->status == 200, "GET %s gave %ld: %s", path, r->status, r->body);
  it_assert_conventions(r);
}

/* POST /api/v1/gap-analyses (anonymous) with `body`. */
void post_analysis(const json_t *body, const char *const *extra, struct it_response *r) {
  char *text = it_dump(body);
  call("POST", "/api/v1/gap-analyses", NULL, extra, text, r);
  free(text);
}

/* POST /api/v1/gap-analyses, asserting 200 with JSON. */
void analyse_ok(const json_t *body, struct it_response *r) {
  post_analysis(body, NULL, r);
  ck_assert_msg(r->status == 200, "POST gap-analyses gave %ld: %s", r->status, r->body);
  it_assert_conventions(r);
  ck_assert_str_eq(it_header(r, "Content-Type"), "application/json");
  ck_assert_ptr_nonnull(r->json);
}

/* POSTs the team profile `body` as `c` and fills `p`. */
void create_as(const struct it_client *c, const json_t *body, struct profile *p) {
  char *text = it_dump(body);
  struct it_response r;
  call("POST", "/api/v1/teamprofielen", c, NULL, text, &r);
  ck_assert_msg(r.status == 201, "POST teamprofielen gave %ld: %s", r.status, r.body);
  snprintf(p->uuid, sizeof(p->uuid), "%s", it_str(r.json, "uuid"));
  snprintf(p->path, sizeof(p->path), "/api/v1/teamprofielen/%s", p->uuid);
  it_response_free(&r);
  free(text);
}

/* POSTs the team profile `body` as W and fills `p`. */
void create(const json_t *body, struct profile *p) { create_as(&clients[W], body, p); }

/* A member with one role taking all of its fte. */
json_t *member1(const char *label, double fte, const char *rol) {
  return json_pack("{s:s, s:f, s:[{s:s, s:f}], s:[]}", "label", label, "fte", fte, "rollen", "rol",
                   rol, "aandeel", fte, "competenties");
}

/* A team profile body. Steals `leden`. */
json_t *team(const char *gemeente, const char *peildatum, json_t *leden) {
  return json_pack("{s:s, s:s, s:o}", "gemeente", gemeente, "peildatum", peildatum, "leden", leden);
}

/* A realistic small team: two roles shared by one member, a core role, a
 * competency below the level the catalogue requires (an essential gap), and
 * the label given. */
json_t *small_team(const char *gemeente, const char *peildatum, const char *label) {
  json_t *leden = json_pack(
      "[{s:s, s:f, s:[{s:s, s:f}, {s:s, s:f}], s:[{s:s, s:i}, {s:s, s:i}]},"
      " {s:s, s:f, s:[{s:s, s:f}], s:[{s:s, s:i}]},"
      " {s:s, s:f, s:[{s:s, s:f}, {s:s, s:f}], s:[]}]",
      "label", label, "fte", 0.8, "rollen", "rol", "webredacteur", "aandeel", 0.6, "rol",
      "webcare-medewerker", "aandeel", 0.2, "competenties", "code", "schrijven-voor-het-web",
      "niveau", 2, "code", "begrijpelijke-taal", "niveau", 3, "label", "Verbinder", "fte", 0.5,
      "rollen", "rol", "verbinder", "aandeel", 0.5, "competenties", "code", "verbindend-werken",
      "niveau", 4, "label", "Functioneel beheer & analyse", "fte", 1.0, "rollen", "rol",
      "functioneel-beheerder", "aandeel", 0.7, "rol", "webanalist", "aandeel", 0.3, "competenties");
  ck_assert_ptr_nonnull(leden);
  return team(gemeente, peildatum, leden);
}

/* The public document of the reference profile of `gemeente`. */
json_t *reference_profile(const char *gemeente) {
  char path[160];
  snprintf(path, sizeof(path), "/api/v1/teamprofielen?referentie=true&gemeente=%s", gemeente);
  struct it_response r;
  get_ok(path, NULL, NULL, &r);
  json_t *results = json_object_get(r.json, "results");
  ck_assert_int_eq(json_array_size(results), 1);
  json_t *doc = json_incref(json_array_get(results, 0));
  it_response_free(&r);
  return doc;
}

long inwoners_of(const char *gemeente) {
  char path[96];
  snprintf(path, sizeof(path), "/api/v1/gemeenten/%s", gemeente);
  struct it_response r;
  get_ok(path, NULL, NULL, &r);
  long n = (long)json_integer_value(json_object_get(r.json, "inwoners"));
  it_response_free(&r);
  ck_assert_int_gt(n, 0);
  return n;
}

/* The catalogue roles: [{code, naam, kernrol}] in catalogue order. */
json_t *catalogue_roles(void) {
  struct it_response r;
  get_ok("/api/v1/rollen?pageSize=100", NULL, NULL, &r);
  json_t *roles = json_incref(json_object_get(r.json, "results"));
  ck_assert_int_eq(json_integer_value(json_object_get(r.json, "count")),
                   (json_int_t)json_array_size(roles));
  it_response_free(&r);
  return roles;
}

/* GETs the chart of `path` as `c` into the file `file` and asserts the
 * media type and that xmllint accepts it. Returns the response (caller
 * frees). */
void get_chart(const char *profile_path, const struct it_client *c, const char *file,
               struct it_response *r) {
  char path[160];
  snprintf(path, sizeof(path), "%s/gap-analyse", profile_path);
  const char *accept[] = {"Accept: image/svg+xml", NULL};
  call("GET", path, c, accept, NULL, r);
  ck_assert_msg(r->status == 200, "chart of %s gave %ld: %s", path, r->status, r->body);
  it_assert_conventions(r);
  ck_assert_str_eq(it_header(r, "Content-Type"), "image/svg+xml");
  ck_assert_ptr_null(r->json);
  ck_assert_uint_gt(r->body_len, 500);
  it_write_file(file, r->body, r->body_len);
  it_assert_well_formed(file);
}

/* GET {profile}/gap-analyse as `c` and POST the same team anonymously: the
 * two bodies are byte-identical, and so are their ETags. */
void assert_stored_equals_anonymous(const char *profile_path, const struct it_client *c,
                                    const json_t *body) {
  char path[160];
  snprintf(path, sizeof(path), "%s/gap-analyse", profile_path);
  struct it_response stored, anon;
  get_ok(path, c, NULL, &stored);
  ck_assert_str_eq(it_header(&stored, "Content-Type"), "application/json");
  analyse_ok(body, &anon);
  ck_assert_msg(
      stored.body_len == anon.body_len && memcmp(stored.body, anon.body, stored.body_len) == 0,
      "stored and anonymous analyses differ:\n%s\n%s", stored.body, anon.body);
  ck_assert_ptr_nonnull(it_header(&stored, "ETag"));
  ck_assert_ptr_nonnull(it_header(&anon, "ETag"));
  ck_assert_str_eq(it_header(&stored, "ETag"), it_header(&anon, "ETag"));
  it_response_free(&stored);
  it_response_free(&anon);
}

/* --- the benchmark as one stable snapshot -------------------------------- */

/* All rows of GET /api/v1/benchmarks (JSON), walking the pages. */
json_t *walk_benchmark_pages(long page_size) { return walk_benchmark_pages_of(page_size, ""); }

json_t *walk_benchmark_pages_of(long page_size, const char *query) {
  json_t *rows = json_array();
  char path[1024];
  snprintf(path, sizeof(path), "/api/v1/benchmarks?pageSize=%ld%s", page_size, query);
  long count = -1;
  for (int pages = 0; pages < 1000; pages++) {
    struct it_response r;
    get_ok(path, &clients[B], NULL, &r);
    ck_assert_str_eq(it_header(&r, "Content-Type"), "application/json");
    long c = (long)json_integer_value(json_object_get(r.json, "count"));
    if (count >= 0) ck_assert_int_eq(c, count);
    count = c;
    json_t *results = json_object_get(r.json, "results");
    ck_assert_uint_le(json_array_size(results), (size_t)page_size);
    json_array_extend(rows, results);
    const char *next = it_str(r.json, "next");
    const char *link = it_header(&r, "Link");
    ck_assert_ptr_nonnull(link);
    if (next != NULL) {
      ck_assert_msg(strstr(link, "rel=\"next\"") != NULL, "Link without next: %s", link);
      const char *p = strstr(next, "/api/v1/benchmarks?");
      ck_assert_msg(p != NULL, "next is %s", next);
      snprintf(path, sizeof(path), "%s", p);
    }
    it_response_free(&r);
    if (next == NULL) break;
  }
  ck_assert_int_eq((long)json_array_size(rows), count);
  return rows;
}

/* The CSV of GET /api/v1/benchmarks as a new string. */
char *benchmark_csv(void) { return benchmark_csv_of(""); }

char *benchmark_csv_of(const char *query) {
  const char *accept[] = {"Accept: text/csv", NULL};
  char path[512];
  snprintf(path, sizeof(path), "/api/v1/benchmarks%s", query);
  struct it_response r;
  get_ok(path, &clients[B], accept, &r);
  const char *ct = it_header(&r, "Content-Type");
  ck_assert_ptr_nonnull(ct);
  ck_assert_msg(strncmp(ct, "text/csv", 8) == 0, "CSV has Content-Type %s", ct);
  char *body = strdup(r.body);
  it_response_free(&r);
  return body;
}

/* JSON rows and CSV taken while nobody changed a profile: the CSV before
 * and after the JSON pages is the same (other test binaries may write
 * profiles at the same time). */
json_t *stable_snapshot(long page_size, char **csv_out) {
  for (int attempt = 0; attempt < 8; attempt++) {
    char *before = benchmark_csv();
    json_t *rows = walk_benchmark_pages(page_size);
    char *after = benchmark_csv();
    int same = strcmp(before, after) == 0;
    free(after);
    if (same) {
      if (csv_out != NULL) {
        *csv_out = before;
      } else {
        free(before);
      }
      return rows;
    }
    free(before);
    json_decref(rows);
    usleep(200000);
  }
  ck_abort_msg("the benchmarks kept changing while they were read");
  return NULL;
}

const json_t *row_of(const json_t *rows, const char *gemeente) {
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    if (strcmp(it_str(row, "gemeente"), gemeente) == 0) return row;
  }
  return NULL;
}

/* --- fixture -------------------------------------------------------------- */

void setup(void) {
  snprintf(prefix, sizeof(prefix), "it-an-%d-", (int)getpid());
  snprintf(here, sizeof(here), "%s", __FILE__);
  char *slash = strrchr(here, '/');
  if (slash == NULL) it_fail_setup("cannot tell this file's directory from __FILE__");
  slash[1] = '\0';
  snprintf(scratch, sizeof(scratch), "/tmp/it-analyse-%d-XXXXXX", (int)getpid());
  if (mkdtemp(scratch) == NULL) it_fail_setup("mkdtemp failed");
  if (it_server_start(&srv, SERVER_ENV) != 0) it_fail_setup("the server did not start");
  const char *failed = it_clients_add(prefix, clients, NCLIENTS);
  if (failed != NULL) it_fail_setup(failed);
}

void teardown(void) {
  it_remove_client_rows(prefix);
  it_clients_free(clients, NCLIENTS);
  if (scratch[0] != '\0') {
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
    if (system(cmd) != 0) fprintf(stderr, "fixture_analyse: could not remove %s\n", scratch);
  }
  if (srv.pid > 0 && it_server_stop(&srv) != 0) {
    fprintf(stderr, "fixture_analyse: the server did not stop cleanly\n");
    exit(1);
  }
}
