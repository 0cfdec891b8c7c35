/* The fixture of the catalogue-management tests: a database of their own
 * (created next to the shared one and dropped at the end, so that other
 * tests keep seeing the seeded catalogue), a server and a replica on it,
 * the manager, a reader and a writer, and the catalogue as SQL sees it. */
#include "fixture_catalogusbeheer.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

struct it_server srv, replica;
char shared_url[1024], own_url[1024], own_db[64];
char scratch[256];

struct it_client clients[NCLIENTS] = {
    [BEHEER] = {"beheer", "catalogus.beheren", "*", "", "", NULL},
    [LEZER] = {"lezer", "teamprofielen.lezen,benchmarks.lezen,audittrail.lezen", "*", "", "", NULL},
    [SCHRIJVER] = {"schrijver", "teamprofielen.lezen,teamprofielen.schrijven", "GM0772", "", "",
                   NULL},
};

/* --- helpers ---------------------------------------------------------------- */

/* One request to `s` as client `who` (-1: no token); `if_match`,
 * `if_none_match` and one `extra` header line may be NULL; a body is sent
 * as JSON unless `extra` is a Content-Type. */
void req_extra(const struct it_server *s, const char *method, const char *path, int who,
               const char *if_match, const char *if_none_match, const char *extra, const char *body,
               struct it_response *r) {
  const char *headers[4];
  char im[256], inm[256];
  size_t n = 0;
  if (if_match != NULL) {
    snprintf(im, sizeof(im), "If-Match: %s", if_match);
    headers[n++] = im;
  }
  if (if_none_match != NULL) {
    snprintf(inm, sizeof(inm), "If-None-Match: %s", if_none_match);
    headers[n++] = inm;
  }
  if (extra != NULL) headers[n++] = extra;
  headers[n] = NULL;
  it_call(s, method, path, who >= 0 ? clients[who].token : NULL, headers, body,
          body ? strlen(body) : 0, r);
  it_assert_conventions(r);
}

void req_on(const struct it_server *s, const char *method, const char *path, int who,
            const char *if_match, const char *if_none_match, const char *body,
            struct it_response *r) {
  req_extra(s, method, path, who, if_match, if_none_match, NULL, body, r);
}

void req(const char *method, const char *path, int who, const char *if_match,
         const char *if_none_match, const char *body, struct it_response *r) {
  req_on(&srv, method, path, who, if_match, if_none_match, body, r);
}

/* The status of one request; a problem's shape is checked. */
long status_of(const char *method, const char *path, int who, const char *if_match,
               const char *if_none_match, const char *body) {
  struct it_response r;
  req(method, path, who, if_match, if_none_match, body, &r);
  long st = r.status;
  if (st >= 400) it_assert_problem(&r, st);
  it_response_free(&r);
  return st;
}

/* GET `path` (200 asserted); the document, and its ETag in `etag`. */
json_t *get_doc(const struct it_server *s, const char *path, char etag[64]) {
  struct it_response r;
  req_on(s, "GET", path, -1, NULL, NULL, NULL, &r);
  ck_assert_msg(r.status == 200, "GET %s gave %ld: %s", path, r.status, r.body);
  ck_assert_ptr_nonnull(r.json);
  if (etag != NULL) snprintf(etag, 64, "%s", it_header(&r, "ETag"));
  json_t *doc = json_incref(r.json);
  it_response_free(&r);
  return doc;
}

char *current_version(const struct it_server *s) {
  json_t *root = get_doc(s, "/api/v1", NULL);
  char *v = strdup(it_str(root, "catalogusVersie"));
  json_decref(root);
  return v;
}

/* Waits until `s` serves catalogue version `want`: after a change made
 * elsewhere (an import), a replica follows within a second. */
void await_version(const struct it_server *s, const char *want) {
  double until = it_now_s() + (it_valgrind() ? 30.0 : 5.0);
  char *v = current_version(s);
  while (strcmp(v, want) != 0 && it_now_s() < until) {
    usleep(20000);
    free(v);
    v = current_version(s);
  }
  ck_assert_str_eq(v, want);
  free(v);
}

/* Waits until `s` serves another version than `old`; returns it. */
char *await_change(const struct it_server *s, const char *old) {
  double until = it_now_s() + (it_valgrind() ? 30.0 : 5.0);
  char *v = current_version(s);
  while (strcmp(v, old) == 0 && it_now_s() < until) {
    usleep(20000);
    free(v);
    v = current_version(s);
  }
  ck_assert_str_ne(v, old);
  return v;
}

long versions_count(void) {
  char *v = it_sql_value(own_url, "SELECT count(*) FROM catalogus_versies");
  ck_assert_ptr_nonnull(v);
  long n = atol(v);
  free(v);
  return n;
}

/* Everything the catalogue holds, as one comparable value. */
char *catalogue_state(void) {
  return it_sql_value(
      own_url,
      "SELECT md5(catalogus_stand()::text) || ':' ||"
      " (SELECT count(*) FROM catalogus_versies) || ':' ||"
      " (SELECT count(*) FROM catalogus_wijzigingen) || ':' ||"
      " (SELECT count(*) FROM rollen) || ':' || (SELECT count(*) FROM competenties)");
}

/* The first role of the catalogue (its code in `code`). */
json_t *first_role(char code[128], char etag[64]) {
  json_t *page = get_doc(&srv, "/api/v1/rollen?pageSize=1", NULL);
  snprintf(code, 128, "%s", it_str(json_array_get(json_object_get(page, "results"), 0), "code"));
  json_decref(page);
  char path[256];
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  return get_doc(&srv, path, etag);
}

/* PUT `doc` to `path` with If-Match `etag` as the manager, asserting 200. */
void put_ok(const char *path, const json_t *doc, const char *etag) {
  char *body = it_dump(doc);
  struct it_response r;
  req("PUT", path, BEHEER, etag, NULL, body, &r);
  ck_assert_msg(r.status == 200, "PUT %s gave %ld: %s", path, r.status, r.body);
  it_response_free(&r);
  free(body);
}

/* Runs `teamplotter import KIND PATH`; exit status, stdout+stderr in *out. */
int run_import(const char *kind, const char *path, char **out) {
  char cmd[2048], outfile[300];
  snprintf(outfile, sizeof(outfile), "%s/import.out", scratch);
  snprintf(cmd, sizeof(cmd), "TEAMPLOTTER_DATABASE_URL='%s' %s import %s %s >%s 2>&1", own_url,
           TEAMPLOTTER_BINARY_PATH, kind, path, outfile);
  int st = system(cmd);
  FILE *f = fopen(outfile, "r");
  char buf[16384] = "";
  size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
  buf[n] = '\0';
  if (f) fclose(f);
  *out = strdup(buf);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *write_json(const char *name, const json_t *doc) {
  char *path = malloc(400);
  ck_assert_ptr_nonnull(path);
  snprintf(path, 400, "%s/%s", scratch, name);
  ck_assert_int_eq(json_dump_file(doc, path, JSON_INDENT(1)), 0);
  return path;
}

/* The current catalogue in the shape of catalogus.json, named `versie`. */
json_t *export_catalogue(const char *versie) {
  char sql[1024];
  snprintf(sql, sizeof(sql),
           "SELECT json_build_object('versie', '%s', 'toelichting', 'Testcatalogus',"
           " 'schaalBron', 'DDAT',"
           " 'schaal', (SELECT json_agg(doc ORDER BY niveau) FROM api_niveaus),"
           " 'families', (SELECT json_agg(doc::jsonb - 'rollen' ORDER BY volgorde)"
           "   FROM api_rolfamilies),"
           " 'competenties', (SELECT json_agg(doc::jsonb - 'rollen' ORDER BY volgorde)"
           "   FROM api_competenties),"
           " 'rollen', (SELECT json_agg(doc ORDER BY volgorde) FROM api_rollen))::text",
           versie);
  char *text = it_sql_value(own_url, sql);
  ck_assert_ptr_nonnull(text);
  json_t *doc = json_loads(text, 0, NULL);
  free(text);
  ck_assert_ptr_nonnull(doc);
  return doc;
}

/* Index of the element of `list` whose `key` is `value`, or -1. */
long index_of(const json_t *list, const char *key, const char *value) {
  size_t i;
  json_t *e;
  json_array_foreach(list, i, e) {
    if (strcmp(it_str(e, key), value) == 0) return (long)i;
  }
  return -1;
}

/* --- fixture ------------------------------------------------------------------ */

/* A database of this test's own on the shared cluster, as a conninfo. */
static void create_own_database(void) {
  snprintf(shared_url, sizeof(shared_url), "%s", it_database_url());
  snprintf(own_db, sizeof(own_db), "teamplotter_it_catalogus_%d", (int)getpid());
  char sql[160];
  snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", own_db);
  it_sql_exec(shared_url, sql);
  snprintf(sql, sizeof(sql), "CREATE DATABASE %s", own_db);
  if (it_sql_exec(shared_url, sql) != 0) it_fail_setup("CREATE DATABASE failed");
  PQconninfoOption *opts = PQconninfoParse(shared_url, NULL);
  if (opts == NULL) it_fail_setup("cannot parse TEAMPLOTTER_DATABASE_URL");
  size_t len = 0;
  for (PQconninfoOption *o = opts; o->keyword != NULL; o++) {
    if (o->val == NULL || o->val[0] == '\0' || strcmp(o->keyword, "dbname") == 0) continue;
    len += (size_t)snprintf(own_url + len, sizeof(own_url) - len, "%s='%s' ", o->keyword, o->val);
  }
  snprintf(own_url + len, sizeof(own_url) - len, "dbname=%s", own_db);
  PQconninfoFree(opts);
  setenv("TEAMPLOTTER_DATABASE_URL", own_url, 1);
}

void setup(void) {
  create_own_database();
  snprintf(scratch, sizeof(scratch), "/tmp/it-catalogus-%d-XXXXXX", (int)getpid());
  if (mkdtemp(scratch) == NULL) it_fail_setup("mkdtemp failed");
  if (it_server_start(&srv, NULL) != 0) it_fail_setup("the server did not start");
  if (it_server_start(&replica, NULL) != 0) it_fail_setup("the replica did not start");
  const char *failed = it_clients_add("it-cat-", clients, NCLIENTS);
  if (failed != NULL) it_fail_setup(failed);
}

void teardown(void) {
  it_clients_free(clients, NCLIENTS);
  int bad = (srv.pid > 0 && it_server_stop_verbose(&srv) != 0) |
            (replica.pid > 0 && it_server_stop_verbose(&replica) != 0);
  char sql[160];
  snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", own_db);
  it_sql_exec(shared_url, sql);
  char cmd[400];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
  if (system(cmd) != 0) fprintf(stderr, "fixture_catalogusbeheer: could not remove %s\n", scratch);
  if (bad) {
    fprintf(stderr, "fixture_catalogusbeheer: a server did not stop cleanly\n");
    exit(1);
  }
}
