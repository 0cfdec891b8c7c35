/* Catalogue management: PUT/DELETE of roles, competencies, families and
 * success factors with scope catalogus.beheren and preconditions; imports
 * of catalogue, success-factor and success-story files; versions, their
 * audit trail, and a second replica following a change.
 *
 * These tests change the catalogue, so they run on a database of their own
 * (created next to the shared one and dropped at the end): other tests
 * keep seeing the seeded catalogue. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "harness.h"

static struct it_server srv, replica;
static char shared_url[1024], own_url[1024], own_db[64];
static char scratch[256];

enum { BEHEER, LEZER, SCHRIJVER, NCLIENTS };
static struct {
  const char *suffix, *scopes, *gemeenten;
  char id[64];
  char *token;
} clients[NCLIENTS] = {
    [BEHEER] = {"beheer", "catalogus.beheren", "*", "", NULL},
    [LEZER] = {"lezer", "teamprofielen.lezen,benchmarks.lezen,audittrail.lezen", "*", "", NULL},
    [SCHRIJVER] = {"schrijver", "teamprofielen.lezen,teamprofielen.schrijven", "GM0772", "",
                   NULL},
};

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* --- helpers ---------------------------------------------------------------- */

static void fail_setup(const char *what) {
  fprintf(stderr, "test_catalogusbeheer: %s\n", what);
  exit(1);
}

static char *dump(const json_t *doc) {
  char *s = json_dumps(doc, JSON_COMPACT);
  ck_assert_ptr_nonnull(s);
  return s;
}

static const char *str(const json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

/* One request to `s` as client `who` (-1: no token); `if_match`,
 * `if_none_match` and one `extra` header line may be NULL; a body is sent
 * as JSON unless `extra` is a Content-Type. */
static void req_extra(const struct it_server *s, const char *method, const char *path, int who,
                      const char *if_match, const char *if_none_match, const char *extra,
                      const char *body, struct it_response *r) {
  const char *headers[8];
  char auth[4096], im[256], inm[256];
  size_t n = 0;
  if (who >= 0) {
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", clients[who].token);
    headers[n++] = auth;
  }
  if (if_match != NULL) {
    snprintf(im, sizeof(im), "If-Match: %s", if_match);
    headers[n++] = im;
  }
  if (if_none_match != NULL) {
    snprintf(inm, sizeof(inm), "If-None-Match: %s", if_none_match);
    headers[n++] = inm;
  }
  if (extra != NULL) headers[n++] = extra;
  if (body != NULL && (extra == NULL || strncasecmp(extra, "Content-Type:", 13) != 0)) {
    headers[n++] = "Content-Type: application/json";
  }
  headers[n] = NULL;
  ck_assert_int_eq(it_request(s, method, path, headers, body, body ? strlen(body) : 0, r), 0);
  it_assert_conventions(r);
}

static void req_on(const struct it_server *s, const char *method, const char *path, int who,
                   const char *if_match, const char *if_none_match, const char *body,
                   struct it_response *r) {
  req_extra(s, method, path, who, if_match, if_none_match, NULL, body, r);
}

static void req(const char *method, const char *path, int who, const char *if_match,
                const char *if_none_match, const char *body, struct it_response *r) {
  req_on(&srv, method, path, who, if_match, if_none_match, body, r);
}

/* The status of one request; a problem's shape is checked. */
static long status_of(const char *method, const char *path, int who, const char *if_match,
                      const char *if_none_match, const char *body) {
  struct it_response r;
  req(method, path, who, if_match, if_none_match, body, &r);
  long st = r.status;
  if (st >= 400) it_assert_problem(&r, st);
  it_response_free(&r);
  return st;
}

/* GET `path` (200 asserted); the document, and its ETag in `etag`. */
static json_t *get_doc(const struct it_server *s, const char *path, char etag[64]) {
  struct it_response r;
  req_on(s, "GET", path, -1, NULL, NULL, NULL, &r);
  ck_assert_msg(r.status == 200, "GET %s gave %ld: %s", path, r.status, r.body);
  ck_assert_ptr_nonnull(r.json);
  if (etag != NULL) snprintf(etag, 64, "%s", it_header(&r, "ETag"));
  json_t *doc = json_incref(r.json);
  it_response_free(&r);
  return doc;
}

static char *current_version(const struct it_server *s) {
  json_t *root = get_doc(s, "/api/v1", NULL);
  char *v = strdup(str(root, "catalogusVersie"));
  json_decref(root);
  return v;
}

/* Waits until `s` serves catalogue version `want`: after a change made
 * elsewhere (an import), a replica follows within a second. */
static void await_version(const struct it_server *s, const char *want) {
  double until = now_s() + (it_valgrind() ? 30.0 : 5.0);
  char *v = current_version(s);
  while (strcmp(v, want) != 0 && now_s() < until) {
    usleep(20000);
    free(v);
    v = current_version(s);
  }
  ck_assert_str_eq(v, want);
  free(v);
}

/* Waits until `s` serves another version than `old`; returns it. */
static char *await_change(const struct it_server *s, const char *old) {
  double until = now_s() + (it_valgrind() ? 30.0 : 5.0);
  char *v = current_version(s);
  while (strcmp(v, old) == 0 && now_s() < until) {
    usleep(20000);
    free(v);
    v = current_version(s);
  }
  ck_assert_str_ne(v, old);
  return v;
}

static long versions_count(void) {
  char *v = it_sql_value(own_url, "SELECT count(*) FROM catalogus_versies");
  ck_assert_ptr_nonnull(v);
  long n = atol(v);
  free(v);
  return n;
}

/* Everything the catalogue holds, as one comparable value. */
static char *catalogue_state(void) {
  return it_sql_value(own_url,
                      "SELECT md5(catalogus_stand()::text) || ':' ||"
                      " (SELECT count(*) FROM catalogus_versies) || ':' ||"
                      " (SELECT count(*) FROM catalogus_wijzigingen) || ':' ||"
                      " (SELECT count(*) FROM rollen) || ':' || (SELECT count(*) FROM competenties)");
}

/* The first role of the catalogue (its code in `code`). */
static json_t *first_role(char code[128], char etag[64]) {
  json_t *page = get_doc(&srv, "/api/v1/rollen?pageSize=1", NULL);
  snprintf(code, 128, "%s", str(json_array_get(json_object_get(page, "results"), 0), "code"));
  json_decref(page);
  char path[256];
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  return get_doc(&srv, path, etag);
}

/* PUT `doc` to `path` with If-Match `etag` as the manager, asserting 200. */
static void put_ok(const char *path, const json_t *doc, const char *etag) {
  char *body = dump(doc);
  struct it_response r;
  req("PUT", path, BEHEER, etag, NULL, body, &r);
  ck_assert_msg(r.status == 200, "PUT %s gave %ld: %s", path, r.status, r.body);
  it_response_free(&r);
  free(body);
}

static int invalid_has(const struct it_response *r, const char *name, const char *code) {
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(r->json, "invalidParams"), i, e) {
    if (strcmp(str(e, "name"), name) == 0 && strcmp(str(e, "code"), code) == 0) return 1;
  }
  return 0;
}

/* Runs `teamplotter import KIND PATH`; exit status, stdout+stderr in *out. */
static int run_import(const char *kind, const char *path, char **out) {
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

static char *write_json(const char *name, const json_t *doc) {
  char *path = malloc(400);
  ck_assert_ptr_nonnull(path);
  snprintf(path, 400, "%s/%s", scratch, name);
  ck_assert_int_eq(json_dump_file(doc, path, JSON_INDENT(1)), 0);
  return path;
}

/* The current catalogue in the shape of catalogus.json, named `versie`. */
static json_t *export_catalogue(const char *versie) {
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
static long index_of(const json_t *list, const char *key, const char *value) {
  size_t i;
  json_t *e;
  json_array_foreach(list, i, e) {
    if (strcmp(str(e, key), value) == 0) return (long)i;
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
  if (it_sql_exec(shared_url, sql) != 0) fail_setup("CREATE DATABASE failed");
  PQconninfoOption *opts = PQconninfoParse(shared_url, NULL);
  if (opts == NULL) fail_setup("cannot parse TEAMPLOTTER_DATABASE_URL");
  size_t len = 0;
  for (PQconninfoOption *o = opts; o->keyword != NULL; o++) {
    if (o->val == NULL || o->val[0] == '\0' || strcmp(o->keyword, "dbname") == 0) continue;
    len += (size_t)snprintf(own_url + len, sizeof(own_url) - len, "%s='%s' ", o->keyword, o->val);
  }
  snprintf(own_url + len, sizeof(own_url) - len, "dbname=%s", own_db);
  PQconninfoFree(opts);
  setenv("TEAMPLOTTER_DATABASE_URL", own_url, 1);
}

static void setup(void) {
  create_own_database();
  snprintf(scratch, sizeof(scratch), "/tmp/it-catalogus-%d-XXXXXX", (int)getpid());
  if (mkdtemp(scratch) == NULL) fail_setup("mkdtemp failed");
  if (it_server_start(&srv, NULL) != 0) fail_setup("the server did not start");
  if (it_server_start(&replica, NULL) != 0) fail_setup("the replica did not start");
  for (int i = 0; i < NCLIENTS; i++) {
    snprintf(clients[i].id, sizeof(clients[i].id), "it-cat-%s", clients[i].suffix);
    const char *add[] = {"clients",         "add",         clients[i].id,        "--scopes",
                         clients[i].scopes, "--gemeenten", clients[i].gemeenten, NULL};
    char *out = it_capture(add);
    if (out == NULL) fail_setup("teamplotter clients add failed");
    free(out);
    const char *tok[] = {"token", clients[i].id, NULL};
    clients[i].token = it_capture(tok);
    if (clients[i].token == NULL) fail_setup("teamplotter token failed");
    clients[i].token[strcspn(clients[i].token, "\r\n")] = '\0';
  }
}

static void teardown(void) {
  for (int i = 0; i < NCLIENTS; i++) free(clients[i].token);
  int bad = (srv.pid > 0 && it_server_stop_verbose(&srv) != 0) |
            (replica.pid > 0 && it_server_stop_verbose(&replica) != 0);
  char sql[160];
  snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", own_db);
  it_sql_exec(shared_url, sql);
  char cmd[400];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
  if (system(cmd) != 0) fprintf(stderr, "test_catalogusbeheer: could not remove %s\n", scratch);
  if (bad) {
    fprintf(stderr, "test_catalogusbeheer: a server did not stop cleanly\n");
    exit(1);
  }
}

/* --- access and preconditions ------------------------------------------------------- */

START_TEST(writes_need_a_token_with_catalogus_beheren) {
  static const char *const paths[] = {"/api/v1/rollen/verbinder", "/api/v1/competenties/x",
                                      "/api/v1/rolfamilies/x", "/api/v1/succesfactoren/x"};
  char *before = catalogue_state();
  for (size_t i = 0; i < 4; i++) {
    ck_assert_int_eq(status_of("PUT", paths[i], -1, "\"x\"", NULL, "{}"), 401);
    ck_assert_int_eq(status_of("DELETE", paths[i], -1, "\"x\"", NULL, NULL), 401);
    /* Every other scope, all municipalities: still not the catalogue. */
    ck_assert_int_eq(status_of("PUT", paths[i], LEZER, "\"x\"", NULL, "{}"), 403);
    ck_assert_int_eq(status_of("DELETE", paths[i], SCHRIJVER, "\"x\"", NULL, NULL), 403);
  }
  char *after = catalogue_state();
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
}
END_TEST

START_TEST(writes_need_a_current_precondition) {
  char code[128], etag[64], path[256];
  json_t *rol = first_role(code, etag);
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  char *body = dump(rol);
  char *before = catalogue_state();
  ck_assert_int_eq(status_of("PUT", path, BEHEER, NULL, NULL, body), 428);
  ck_assert_int_eq(status_of("DELETE", path, BEHEER, NULL, NULL, NULL), 428);
  ck_assert_int_eq(status_of("PUT", path, BEHEER, "\"0123456789abcdef0123456789abcdef\"", NULL,
                             body), 412);
  ck_assert_int_eq(status_of("DELETE", path, BEHEER, "\"0123456789abcdef0123456789abcdef\"",
                             NULL, NULL), 412);
  /* A weak tag never matches If-Match. */
  char weak[80];
  snprintf(weak, sizeof(weak), "W/%s", etag);
  ck_assert_int_eq(status_of("PUT", path, BEHEER, weak, NULL, body), 412);
  /* Creating what exists, and changing what does not. */
  ck_assert_int_eq(status_of("PUT", path, BEHEER, NULL, "*", body), 412);
  json_t *other = json_deep_copy(rol);
  json_object_del(other, "code");
  char *other_body = dump(other);
  ck_assert_int_eq(status_of("PUT", "/api/v1/rollen/bestaat-niet", BEHEER, etag, NULL,
                             other_body), 404);
  free(other_body);
  json_decref(other);
  ck_assert_int_eq(status_of("DELETE", "/api/v1/rollen/bestaat-niet", BEHEER, etag, NULL, NULL),
                   404);
  char *after = catalogue_state();
  ck_assert_str_eq(before, after);
  /* The current tag, also in a list, is accepted. */
  char list[160];
  snprintf(list, sizeof(list), "\"00000000000000000000000000000000\", %s", etag);
  ck_assert_int_eq(status_of("PUT", path, BEHEER, list, NULL, body), 200);
  free(before);
  free(after);
  free(body);
  json_decref(rol);
}
END_TEST

/* If-Match and If-None-Match as RFC 9110 reads them: "*" only as the whole
 * value; a malformed field matches nothing, so a write with one in If-Match
 * is 412 and one in If-None-Match creates nothing. */
START_TEST(malformed_preconditions_change_nothing) {
  char code[128], etag[64], path[256];
  json_t *rol = first_role(code, etag);
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  json_t *changed = json_deep_copy(rol);
  json_object_set_new(changed, "omschrijving", json_string("Overschreven zonder geldige ETag."));
  char *body = dump(changed);
  char *before = catalogue_state();
  char with_tag[160];
  snprintf(with_tag, sizeof(with_tag), "%s, *junk", etag);
  const char *malformed[] = {"*\"stale\"", "\"stale\", *junk", with_tag, "*, *", "stale"};
  for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
    ck_assert_msg(status_of("PUT", path, BEHEER, malformed[i], NULL, body) == 412,
                  "PUT with If-Match: %s", malformed[i]);
    ck_assert_msg(status_of("DELETE", path, BEHEER, malformed[i], NULL, NULL) == 412,
                  "DELETE with If-Match: %s", malformed[i]);
  }
  /* Only "*" itself creates: anything else in If-None-Match is no precondition. */
  json_t *fresh = json_deep_copy(rol);
  json_object_del(fresh, "code");
  char *fresh_body = dump(fresh);
  const char *not_star[] = {"*junk", "*\"stale\"", "\"stale\", *", "W/*"};
  for (size_t i = 0; i < sizeof(not_star) / sizeof(not_star[0]); i++) {
    ck_assert_msg(status_of("PUT", "/api/v1/rollen/nieuw-door-ruis", BEHEER, NULL, not_star[i],
                            fresh_body) == 428,
                  "PUT with If-None-Match: %s", not_star[i]);
  }
  char *after = catalogue_state();
  ck_assert_str_eq(before, after);
  json_t *now = get_doc(&srv, path, NULL);
  ck_assert(json_equal(now, rol));
  json_decref(now);
  /* A GET with a malformed If-None-Match that holds the tag: the full 200. */
  struct it_response r;
  req("GET", path, -1, NULL, with_tag, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_uint_gt(r.body_len, 0);
  it_response_free(&r);
  free(fresh_body);
  json_decref(fresh);
  free(before);
  free(after);
  free(body);
  json_decref(changed);
  json_decref(rol);
}
END_TEST

/* --- a change and what follows it ------------------------------------------------------ */

/* A one-member team in the role `code`, without competencies. */
static char *team_in_role(const char *code) {
  json_t *team = json_pack("{s:i, s:[{s:s, s:f, s:[{s:s, s:f}]}]}", "inwoners", 40000, "leden",
                           "label", "lid", "fte", 1.0, "rollen", "rol", code, "aandeel", 1.0);
  char *text = dump(team);
  json_decref(team);
  return text;
}

static json_t *analyse(const char *team) {
  struct it_response r;
  req("POST", "/api/v1/gap-analyses", -1, NULL, NULL, team, &r);
  ck_assert_msg(r.status == 200, "gap analysis gave %ld: %s", r.status, r.body);
  json_t *doc = json_incref(r.json);
  it_response_free(&r);
  return doc;
}

/* The required level the analysis states for competency `comp` of role `rol`. */
static long required_level(const json_t *analysis, const char *rol, const char *comp) {
  size_t i;
  json_t *g;
  json_array_foreach(json_object_get(analysis, "competentieTekorten"), i, g) {
    if (strcmp(str(g, "rol"), rol) == 0 && strcmp(str(g, "competentie"), comp) == 0) {
      return (long)json_integer_value(json_object_get(g, "vereist"));
    }
  }
  return -1;
}

START_TEST(a_change_moves_version_etag_analysis_and_the_replica) {
  char code[128], etag[64], path[256], list_etag[64];
  json_t *rol = first_role(code, etag);
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  json_t *rollen = get_doc(&srv, "/api/v1/rollen", list_etag);
  char *v0 = current_version(&srv);
  char *team = team_in_role(code);
  json_t *a0 = analyse(team);
  ck_assert_str_eq(str(a0, "catalogusVersie"), v0);

  /* Raise the first competency of the role to another level. */
  json_t *comp = json_array_get(json_object_get(rol, "competenties"), 0);
  const char *comp_code = str(comp, "code");
  long old_level = (long)json_integer_value(json_object_get(comp, "niveau"));
  long new_level = old_level == 4 ? 1 : old_level + 1;
  ck_assert_int_eq(required_level(a0, code, comp_code), old_level);
  json_t *changed = json_deep_copy(rol);
  json_object_set_new(json_array_get(json_object_get(changed, "competenties"), 0), "niveau",
                      json_integer(new_level));
  char *body = dump(changed);
  struct it_response r;
  req_extra(&srv, "PUT", path, BEHEER, etag, NULL,
            "X-Audit-Toelichting: niveau bijgesteld na overleg", body, &r);
  ck_assert_msg(r.status == 200, "PUT gave %ld: %s", r.status, r.body);
  double committed = now_s();
  /* The answer is the stored document with its new tag. */
  char new_etag[64];
  snprintf(new_etag, sizeof(new_etag), "%s", it_header(&r, "ETag"));
  ck_assert_str_ne(new_etag, etag);
  ck_assert_int_eq(json_integer_value(json_object_get(
                       json_array_get(json_object_get(r.json, "competenties"), 0), "niveau")),
                   new_level);
  it_response_free(&r);

  /* This replica: new version, new tags, new analysis, at once. */
  char *v1 = current_version(&srv);
  ck_assert_str_ne(v1, v0);
  char now_etag[64], now_list_etag[64];
  json_t *after = get_doc(&srv, path, now_etag);
  ck_assert_str_eq(now_etag, new_etag);
  json_t *rollen_after = get_doc(&srv, "/api/v1/rollen", now_list_etag);
  ck_assert_str_ne(now_list_etag, list_etag);
  json_t *a1 = analyse(team);
  ck_assert_str_eq(str(a1, "catalogusVersie"), v1);
  ck_assert_int_eq(required_level(a1, code, comp_code), new_level);

  /* The other replica follows within a second. */
  double limit = it_valgrind() ? 20.0 : 1.0, waited;
  char *seen = NULL;
  do {
    free(seen);
    seen = current_version(&replica);
    waited = now_s() - committed;
    if (strcmp(seen, v1) == 0) break;
    usleep(20000);
  } while (waited < limit + 5.0);
  ck_assert_str_eq(seen, v1);
  ck_assert_msg(waited <= limit, "the replica took %.3f s", waited);
  char replica_etag[64];
  json_t *on_replica = get_doc(&replica, path, replica_etag);
  ck_assert_str_eq(replica_etag, new_etag);

  /* The version says who, when and what; its trail holds before and after. */
  char vpath[256];
  snprintf(vpath, sizeof(vpath), "/api/v1/catalogusversies/%s", v1);
  json_t *version = get_doc(&srv, vpath, NULL);
  ck_assert_str_eq(str(version, "clientId"), clients[BEHEER].id);
  ck_assert_str_eq(str(version, "bron"), "api");
  ck_assert_str_eq(str(version, "toelichting"), "niveau bijgesteld na overleg");
  ck_assert(json_is_true(json_object_get(version, "huidig")));
  ck_assert_ptr_nonnull(strstr(str(version, "samenvatting"), code));
  ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(version, "aantallen"),
                                                      "gewijzigd")), 1);
  snprintf(vpath, sizeof(vpath), "/api/v1/catalogusversies/%s/wijzigingen", v1);
  json_t *trail = get_doc(&srv, vpath, NULL);
  ck_assert_int_eq(json_integer_value(json_object_get(trail, "count")), 1);
  json_t *w = json_array_get(json_object_get(trail, "results"), 0);
  ck_assert_str_eq(str(w, "soort"), "rol");
  ck_assert_str_eq(str(w, "code"), code);
  ck_assert_str_eq(str(w, "actie"), "update");
  ck_assert(json_equal(json_object_get(w, "oud"), rol));
  ck_assert(json_equal(json_object_get(w, "nieuw"), after));
  json_t *versions = get_doc(&srv, "/api/v1/catalogusversies", NULL);
  ck_assert_str_eq(str(json_array_get(json_object_get(versions, "results"), 0), "versie"), v1);

  /* Putting the old content back is one more version, and the old tags
   * come back with the old content. */
  put_ok(path, rol, new_etag);
  char *v2 = current_version(&srv);
  ck_assert_str_ne(v2, v1);
  char back_etag[64], back_list_etag[64];
  json_decref(get_doc(&srv, path, back_etag));
  json_decref(get_doc(&srv, "/api/v1/rollen", back_list_etag));
  ck_assert_str_eq(back_etag, etag);
  ck_assert_str_eq(back_list_etag, list_etag);

  free(v0);
  free(v1);
  free(v2);
  free(seen);
  free(team);
  free(body);
  json_decref(rol);
  json_decref(rollen);
  json_decref(rollen_after);
  json_decref(changed);
  json_decref(after);
  json_decref(a0);
  json_decref(a1);
  json_decref(on_replica);
  json_decref(version);
  json_decref(trail);
  json_decref(versions);
}
END_TEST

START_TEST(the_same_content_makes_no_version) {
  char code[128], etag[64], path[256];
  json_t *rol = first_role(code, etag);
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  long n = versions_count();
  /* Without the code and with a read-only competency name changed: the
   * same role. */
  json_t *same = json_deep_copy(rol);
  json_object_del(same, "code");
  json_object_set_new(json_array_get(json_object_get(same, "competenties"), 0), "naam",
                      json_string("genegeerd"));
  put_ok(path, same, etag);
  ck_assert_int_eq(versions_count(), n);
  char etag2[64];
  json_t *again = get_doc(&srv, path, etag2);
  ck_assert(json_equal(again, rol));
  ck_assert_str_eq(etag2, etag);
  json_decref(again);
  json_decref(same);
  json_decref(rol);
}
END_TEST

START_TEST(bad_bodies_name_every_field_and_change_nothing) {
  char code[128], etag[64], path[256];
  json_t *rol = first_role(code, etag);
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  char *before = catalogue_state();
  struct it_response r;
  req("PUT", path, BEHEER, etag, NULL,
      "{\"code\":\"andere-code\",\"naam\":\"\",\"familie\":\"bestaat-niet\",\"kernrol\":\"ja\","
      "\"herkomst\":\"geruchten\",\"bronnen\":[\"GEEN\"],\"synoniemen\":[\"a\",\"a\"],"
      "\"taken\":[1],\"competenties\":[{\"code\":\"nope\",\"niveau\":9},{\"code\":\"nope\","
      "\"niveau\":2,\"essentieel\":true}],\"richtFteMinimum\":2,\"extra\":true}",
      &r);
  ck_assert_int_eq(r.status, 400);
  it_assert_problem(&r, 400);
  ck_assert(invalid_has(&r, "code", "mismatch"));
  ck_assert(invalid_has(&r, "naam", "invalid-length"));
  ck_assert(invalid_has(&r, "omschrijving", "required"));
  ck_assert(invalid_has(&r, "familie", "unknown-code"));
  ck_assert(invalid_has(&r, "kernrol", "invalid-type"));
  ck_assert(invalid_has(&r, "herkomst", "invalid-choice"));
  ck_assert(invalid_has(&r, "bronnen.0", "unknown-code"));
  ck_assert(invalid_has(&r, "synoniemen.1", "duplicate"));
  ck_assert(invalid_has(&r, "taken.0", "invalid-type"));
  ck_assert(invalid_has(&r, "competenties.0.code", "unknown-code"));
  ck_assert(invalid_has(&r, "competenties.0.niveau", "out-of-range"));
  ck_assert(invalid_has(&r, "competenties.0.essentieel", "required"));
  ck_assert(invalid_has(&r, "richtFteMinimum", "out-of-range"));
  ck_assert(invalid_has(&r, "extra", "unknown-field"));
  it_response_free(&r);
  /* A kernrol names its source; a non-kernrol has none. */
  json_t *k = json_deep_copy(rol);
  json_object_set_new(k, "kernrol", json_true());
  json_object_set_new(k, "kernrolBron", json_null());
  char *kb = dump(k);
  req("PUT", path, BEHEER, etag, NULL, kb, &r);
  ck_assert_int_eq(r.status, 400);
  ck_assert(invalid_has(&r, "kernrolBron", "required"));
  it_response_free(&r);
  /* Wrong shapes, a wrong code in the path, not JSON, the wrong type. */
  ck_assert_int_eq(status_of("PUT", path, BEHEER, etag, NULL, "[]"), 400);
  ck_assert_int_eq(status_of("PUT", path, BEHEER, etag, NULL, "{\"naam\":"), 400);
  ck_assert_int_eq(status_of("PUT", "/api/v1/competenties/Geen_Code", BEHEER, NULL, "*",
                             "{\"naam\":\"x\",\"omschrijving\":\"y\",\"soort\":\"kennis\"}"),
                   400);
  ck_assert_int_eq(status_of("PUT", "/api/v1/competenties/nieuw?x=1", BEHEER, NULL, "*",
                             "{\"naam\":\"x\",\"omschrijving\":\"y\",\"soort\":\"kennis\"}"),
                   400);
  req_extra(&srv, "PUT", path, BEHEER, etag, NULL, "Content-Type: text/plain", "{}", &r);
  ck_assert_int_eq(r.status, 415);
  it_response_free(&r);
  char *after = catalogue_state();
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
  free(kb);
  json_decref(k);
  json_decref(rol);
}
END_TEST

/* --- create and delete ----------------------------------------------------------------- */

START_TEST(create_and_delete_each_kind) {
  static const struct {
    const char *path, *body, *list;
  } kinds[] = {
      {"/api/v1/rolfamilies/it-familie", "{\"naam\":\"IT-familie\",\"omschrijving\":\"Test\"}",
       "/api/v1/rolfamilies"},
      {"/api/v1/competenties/it-competentie",
       "{\"code\":\"it-competentie\",\"naam\":\"IT\",\"omschrijving\":\"Test\",\"soort\":"
       "\"vaardigheid\"}",
       "/api/v1/competenties"},
      {"/api/v1/rollen/it-rol",
       "{\"naam\":\"IT-rol\",\"familie\":\"it-familie\",\"omschrijving\":\"Test\","
       "\"kernrol\":false,\"kernrolBron\":null,\"herkomst\":\"schatting\",\"taken\":[\"iets\"],"
       "\"competenties\":[{\"code\":\"it-competentie\",\"niveau\":3,\"essentieel\":true}],"
       "\"richtFteMinimum\":0.25}",
       "/api/v1/rollen"},
      {"/api/v1/succesfactoren/it-factor",
       "{\"naam\":\"IT-factor\",\"omschrijving\":\"Test\",\"herkomst\":\"afgeleid\","
       "\"voorbeeldgemeenten\":[\"GM0855\"]}",
       "/api/v1/succesfactoren"},
  };
  char etags[4][64];
  for (size_t i = 0; i < 4; i++) {
    json_t *list = get_doc(&srv, kinds[i].list, NULL);
    long count = (long)json_integer_value(json_object_get(list, "count"));
    long n = versions_count();
    struct it_response r;
    req("PUT", kinds[i].path, BEHEER, NULL, "*", kinds[i].body, &r);
    ck_assert_msg(r.status == 201, "PUT %s gave %ld: %s", kinds[i].path, r.status, r.body);
    ck_assert_str_eq(it_header(&r, "Location"), kinds[i].path);
    snprintf(etags[i], 64, "%s", it_header(&r, "ETag"));
    it_response_free(&r);
    ck_assert_int_eq(versions_count(), n + 1);
    char got[64];
    json_decref(get_doc(&srv, kinds[i].path, got));
    ck_assert_str_eq(got, etags[i]);
    json_t *list2 = get_doc(&srv, kinds[i].list, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(list2, "count")), count + 1);
    json_decref(list);
    json_decref(list2);
  }
  /* New entries come last, and link up. */
  json_t *fam = get_doc(&srv, "/api/v1/rolfamilies/it-familie", NULL);
  ck_assert_str_eq(json_string_value(json_array_get(json_object_get(fam, "rollen"), 0)), "it-rol");
  json_t *comp = get_doc(&srv, "/api/v1/competenties/it-competentie", NULL);
  ck_assert_str_eq(str(json_array_get(json_object_get(comp, "rollen"), 0), "rol"), "it-rol");

  /* In use: the family by the role, the competency by the role. */
  struct it_response r;
  char fam_etag[64], comp_etag[64];
  json_decref(get_doc(&srv, "/api/v1/rolfamilies/it-familie", fam_etag));
  json_decref(get_doc(&srv, "/api/v1/competenties/it-competentie", comp_etag));
  req("DELETE", "/api/v1/rolfamilies/it-familie", BEHEER, fam_etag, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 409);
  it_assert_problem(&r, 409);
  ck_assert_ptr_nonnull(strstr(str(r.json, "detail"), "it-rol"));
  it_response_free(&r);
  req("DELETE", "/api/v1/competenties/it-competentie", BEHEER, comp_etag, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 409);
  ck_assert_ptr_nonnull(strstr(str(r.json, "detail"), "it-rol"));
  it_response_free(&r);

  /* Role first, then what it used; each gone from the API. */
  static const int order[] = {2, 1, 0, 3};
  for (size_t k = 0; k < 4; k++) {
    size_t i = (size_t)order[k];
    char cur[64];
    json_decref(get_doc(&srv, kinds[i].path, cur));
    ck_assert_int_eq(status_of("DELETE", kinds[i].path, BEHEER, cur, NULL, NULL), 204);
    ck_assert_int_eq(status_of("GET", kinds[i].path, -1, NULL, NULL, NULL), 404);
  }
  /* Nothing refers to them, so they are gone from the tables too. */
  char *left = it_sql_value(own_url,
                            "SELECT (SELECT count(*) FROM rollen WHERE code = 'it-rol') +"
                            " (SELECT count(*) FROM competenties WHERE code = 'it-competentie') +"
                            " (SELECT count(*) FROM rolfamilies WHERE code = 'it-familie') +"
                            " (SELECT count(*) FROM succesfactoren WHERE code = 'it-factor')");
  ck_assert_str_eq(left, "0");
  free(left);
  json_decref(fam);
  json_decref(comp);
}
END_TEST

/* A stored profile of GM0772 with one member in role `rol`; its path. */
static void store_profile(const char *rol, char path[128]) {
  json_t *body = json_pack("{s:s, s:s, s:[{s:s, s:f, s:[{s:s, s:f}]}]}", "gemeente", "GM0772",
                           "peildatum", "2026-06-01", "leden", "label", "lid", "fte", 1.0,
                           "rollen", "rol", rol, "aandeel", 1.0);
  char *text = dump(body);
  struct it_response r;
  req("POST", "/api/v1/teamprofielen", SCHRIJVER, NULL, NULL, text, &r);
  ck_assert_msg(r.status == 201, "POST gave %ld: %s", r.status, r.body);
  snprintf(path, 128, "%s", it_header(&r, "Location"));
  it_response_free(&r);
  free(text);
  json_decref(body);
}

START_TEST(a_role_in_use_is_409_and_survives_in_profiles_when_imported_away) {
  /* The last role of the catalogue, used by a stored profile. */
  json_t *page = get_doc(&srv, "/api/v1/rollen?pageSize=100", NULL);
  json_t *results = json_object_get(page, "results");
  char code[128], rol_path[256], profile[128];
  snprintf(code, sizeof(code), "%s", str(json_array_get(results, json_array_size(results) - 1),
                                        "code"));
  snprintf(rol_path, sizeof(rol_path), "/api/v1/rollen/%s", code);
  store_profile(code, profile);
  char etag[64];
  json_t *rol = get_doc(&srv, rol_path, etag);
  struct it_response r;
  req("DELETE", rol_path, BEHEER, etag, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 409);
  it_assert_problem(&r, 409);
  ck_assert_str_eq(str(r.json, "code"), "in-gebruik");
  ck_assert_ptr_nonnull(strstr(str(r.json, "detail"), "teamprofiel"));
  it_response_free(&r);

  /* A catalogue file without the role takes it out; the profile keeps it. */
  json_t *file = export_catalogue("it-zonder-rol");
  json_t *rollen = json_object_get(file, "rollen");
  json_array_remove(rollen, (size_t)index_of(rollen, "code", code));
  char *path = write_json("zonder-rol.json", file), *out = NULL;
  ck_assert_msg(run_import("catalogus", path, &out) == 0, "import failed: %s", out);
  ck_assert_ptr_nonnull(strstr(out, "it-zonder-rol"));
  free(out);
  await_version(&srv, "it-zonder-rol");
  ck_assert_int_eq(status_of("GET", rol_path, -1, NULL, NULL, NULL), 404);
  ck_assert_int_eq(status_of("DELETE", rol_path, BEHEER, etag, NULL, NULL), 404);
  json_t *page2 = get_doc(&srv, "/api/v1/rollen?pageSize=100", NULL);
  ck_assert_int_eq(json_integer_value(json_object_get(page2, "count")),
                   json_integer_value(json_object_get(page, "count")) - 1);
  char *vervallen = it_sql_value(own_url, "SELECT string_agg(code, ',') FROM rollen WHERE vervallen");
  ck_assert_str_eq(vervallen, code);
  free(vervallen);
  /* The stored profile is whole and its analysis names the role. */
  req("GET", profile, SCHRIJVER, NULL, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  const json_t *lid = json_array_get(json_object_get(r.json, "leden"), 0);
  ck_assert_str_eq(str(json_array_get(json_object_get(lid, "rollen"), 0), "rol"), code);
  it_response_free(&r);
  char gap[192];
  snprintf(gap, sizeof(gap), "%s/gap-analyse", profile);
  req("GET", gap, SCHRIJVER, NULL, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(str(r.json, "catalogusVersie"), "it-zonder-rol");
  ck_assert_str_eq(json_string_value(json_array_get(json_object_get(r.json, "onbekendeRollen"), 0)),
                   code);
  ck_assert_int_eq(index_of(json_object_get(r.json, "rollen"), "rol", code), -1);
  it_response_free(&r);
  /* A new profile cannot use it. */
  json_t *body = json_pack("{s:s, s:s, s:[{s:s, s:f, s:[{s:s, s:f}]}]}", "gemeente", "GM0772",
                           "peildatum", "2026-07-01", "leden", "label", "lid", "fte", 1.0,
                           "rollen", "rol", code, "aandeel", 1.0);
  char *text = dump(body);
  req("POST", "/api/v1/teamprofielen", SCHRIJVER, NULL, NULL, text, &r);
  ck_assert_int_eq(r.status, 400);
  ck_assert(invalid_has(&r, "leden.0.rollen.0.rol", "unknown-code"));
  it_response_free(&r);

  /* Importing it again brings it back as it was. */
  json_t *full = export_catalogue("it-met-rol");
  json_array_append(json_object_get(full, "rollen"), rol);
  char *path2 = write_json("met-rol.json", full);
  ck_assert_msg(run_import("catalogus", path2, &out) == 0, "import failed: %s", out);
  free(out);
  char etag2[64];
  json_t *back = get_doc(&srv, rol_path, etag2);
  ck_assert(json_equal(back, rol));
  ck_assert_str_eq(etag2, etag);

  /* The profile can go; then the role is free to be deleted. */
  char pet[64];
  req("GET", profile, SCHRIJVER, NULL, NULL, NULL, &r);
  snprintf(pet, sizeof(pet), "%s", it_header(&r, "ETag"));
  it_response_free(&r);
  ck_assert_int_eq(status_of("DELETE", profile, SCHRIJVER, pet, NULL, NULL), 204);
  free(path);
  free(path2);
  free(text);
  json_decref(body);
  json_decref(back);
  json_decref(full);
  json_decref(file);
  json_decref(page);
  json_decref(page2);
  json_decref(rol);
}
END_TEST

START_TEST(concurrent_writers_exactly_one_wins) {
  char code[128], etag[64], path[256];
  json_t *rol = first_role(code, etag);
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  long n = versions_count();
  enum { WRITERS = 8 };
  pid_t pids[WRITERS];
  for (int i = 0; i < WRITERS; i++) {
    pids[i] = fork();
    ck_assert_int_ge(pids[i], 0);
    if (pids[i] == 0) {
      json_t *mine = json_deep_copy(rol);
      char naam[64];
      snprintf(naam, sizeof(naam), "Schrijver %d", i);
      json_object_set_new(mine, "naam", json_string(naam));
      char *body = json_dumps(mine, JSON_COMPACT);
      struct it_response r;
      char auth[4096], im[128];
      snprintf(auth, sizeof(auth), "Authorization: Bearer %s", clients[BEHEER].token);
      snprintf(im, sizeof(im), "If-Match: %s", etag);
      const char *h[] = {auth, im, "Content-Type: application/json", NULL};
      int rc = it_request(&srv, "PUT", path, h, body, strlen(body), &r);
      _exit(rc != 0 ? 1 : r.status == 200 ? 10 : r.status == 412 ? 11 : 12);
    }
  }
  int won = 0, lost = 0;
  for (int i = 0; i < WRITERS; i++) {
    int st;
    ck_assert_int_eq(waitpid(pids[i], &st, 0), pids[i]);
    ck_assert(WIFEXITED(st));
    won += WEXITSTATUS(st) == 10;
    lost += WEXITSTATUS(st) == 11;
  }
  ck_assert_int_eq(won, 1);
  ck_assert_int_eq(lost, WRITERS - 1);
  ck_assert_int_eq(versions_count(), n + 1);
  char now[64];
  json_t *cur = get_doc(&srv, path, now);
  put_ok(path, rol, now);
  json_decref(cur);
  json_decref(rol);
}
END_TEST

/* --- imports ------------------------------------------------------------------------------ */

START_TEST(catalogue_import_valid_and_broken) {
  json_t *file = export_catalogue("it-2099.1");
  /* Rename a role, reorder two competencies and drop a family nobody uses
   * (added first through the API). */
  ck_assert_int_eq(status_of("PUT", "/api/v1/rolfamilies/it-leeg", BEHEER, NULL, "*",
                             "{\"naam\":\"Leeg\",\"omschrijving\":\"Zonder rollen\"}"),
                   201);
  json_t *rol0 = json_array_get(json_object_get(file, "rollen"), 0);
  char code[128];
  snprintf(code, sizeof(code), "%s", str(rol0, "code"));
  json_object_set_new(rol0, "naam", json_string("Hernoemd door import"));
  json_t *comps = json_object_get(file, "competenties");
  json_t *c0 = json_incref(json_array_get(comps, 0));
  json_array_remove(comps, 0);
  json_array_append_new(comps, c0);

  /* Broken: every problem named by its path, nothing changed. */
  json_t *broken = json_deep_copy(file);
  json_object_set_new(broken, "versie", json_integer(7));
  json_array_remove(json_object_get(broken, "schaal"), 3);
  json_t *b_rollen = json_object_get(broken, "rollen");
  json_object_set_new(json_array_get(b_rollen, 1), "familie", json_string("weg"));
  json_object_set_new(
      json_array_get(json_object_get(json_array_get(b_rollen, 2), "competenties"), 0), "code",
      json_string("onbekend"));
  json_array_append(b_rollen, json_array_get(b_rollen, 0));
  json_object_set_new(broken, "onbekend", json_true());
  char *before = catalogue_state();
  char *bad_path = write_json("broken.json", broken), *out = NULL;
  ck_assert_int_eq(run_import("catalogus", bad_path, &out), 1);
  static const char *const named[] = {"versie:", "schaal:", "rollen.1.familie:",
                                      "rollen.2.competenties.0.code:", "onbekend:"};
  for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
    ck_assert_msg(strstr(out, named[i]) != NULL, "%s not named in: %s", named[i], out);
  }
  char dup[160];
  snprintf(dup, sizeof(dup), "rollen.%zu.code:", json_array_size(b_rollen) - 1);
  ck_assert_msg(strstr(out, dup) != NULL, "%s not named in: %s", dup, out);
  free(out);
  /* Not JSON at all. */
  char junk[400];
  snprintf(junk, sizeof(junk), "%s/junk.json", scratch);
  FILE *f = fopen(junk, "w");
  ck_assert_ptr_nonnull(f);
  fputs("{\"versie\": ", f);
  fclose(f);
  ck_assert_int_eq(run_import("catalogus", junk, &out), 1);
  free(out);
  char *after = catalogue_state();
  ck_assert_str_eq(before, after);

  /* Valid: one new version with that name, and the changes in its trail. */
  char *good = write_json("good.json", file);
  ck_assert_msg(run_import("catalogus", good, &out) == 0, "import failed: %s", out);
  free(out);
  await_version(&srv, "it-2099.1");
  json_t *v = get_doc(&srv, "/api/v1/catalogusversies/it-2099.1", NULL);
  ck_assert_str_eq(str(v, "bron"), "import");
  ck_assert_str_eq(str(v, "clientId"), "import");
  ck_assert_str_eq(str(v, "toelichting"), "Testcatalogus");
  json_t *trail = get_doc(&srv, "/api/v1/catalogusversies/it-2099.1/wijzigingen?pageSize=100",
                          NULL);
  int renamed = 0, dropped = 0;
  size_t i;
  json_t *w;
  json_array_foreach(json_object_get(trail, "results"), i, w) {
    renamed |= strcmp(str(w, "soort"), "rol") == 0 && strcmp(str(w, "code"), code) == 0 &&
               strcmp(str(w, "actie"), "update") == 0;
    dropped |= strcmp(str(w, "soort"), "rolfamilie") == 0 &&
               strcmp(str(w, "code"), "it-leeg") == 0 && strcmp(str(w, "actie"), "destroy") == 0;
  }
  ck_assert(renamed);
  ck_assert(dropped);
  char path[256];
  snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
  json_t *rol = get_doc(&srv, path, NULL);
  ck_assert_str_eq(str(rol, "naam"), "Hernoemd door import");
  /* The file's order is the catalogue's order. */
  json_t *cs = get_doc(&srv, "/api/v1/competenties?pageSize=100", NULL);
  json_t *res = json_object_get(cs, "results");
  ck_assert_str_eq(str(json_array_get(res, json_array_size(res) - 1), "code"), str(c0, "code"));
  ck_assert_int_eq(status_of("GET", "/api/v1/rolfamilies/it-leeg", -1, NULL, NULL, NULL), 404);
  /* The same file again: its version exists. */
  ck_assert_int_eq(run_import("catalogus", good, &out), 1);
  ck_assert_ptr_nonnull(strstr(out, "versie"));
  free(out);
  free(before);
  free(after);
  free(bad_path);
  free(good);
  json_decref(v);
  json_decref(trail);
  json_decref(rol);
  json_decref(cs);
  json_decref(broken);
  json_decref(file);
}
END_TEST

static json_t *export_list(const char *view, const char *key, const char *order) {
  char sql[400];
  snprintf(sql, sizeof(sql),
           "SELECT json_build_object('toelichting', 'Test', '%s',"
           " (SELECT json_agg(doc ORDER BY %s) FROM %s))::text",
           key, order, view);
  char *text = it_sql_value(own_url, sql);
  ck_assert_ptr_nonnull(text);
  json_t *doc = json_loads(text, 0, NULL);
  free(text);
  ck_assert_ptr_nonnull(doc);
  return doc;
}

START_TEST(success_content_import_valid_and_broken) {
  json_t *factoren = export_list("api_succesfactoren", "succesfactoren", "volgorde");
  json_t *verhalen = export_list("api_succesverhalen", "succesverhalen", "gemeente");
  json_t *f_list = json_object_get(factoren, "succesfactoren");
  json_t *v_list = json_object_get(verhalen, "succesverhalen");
  ck_assert_int_gt(json_array_size(f_list), 1);
  ck_assert_int_gt(json_array_size(v_list), 1);
  char *before = catalogue_state(), *out = NULL;

  json_t *bad_f = json_deep_copy(factoren);
  json_object_set_new(json_array_get(json_object_get(bad_f, "succesfactoren"), 0),
                      "voorbeeldgemeenten", json_pack("[s]", "GM9999"));
  char *p = write_json("f-bad.json", bad_f);
  ck_assert_int_eq(run_import("succesfactoren", p, &out), 1);
  ck_assert_ptr_nonnull(strstr(out, "succesfactoren.0.voorbeeldgemeenten.0:"));
  free(out);
  free(p);
  json_t *bad_v = json_deep_copy(verhalen);
  /* The first story with result figures. */
  size_t with = 0;
  json_t *b_list = json_object_get(bad_v, "succesverhalen");
  while (with < json_array_size(b_list) &&
         json_array_size(json_object_get(json_array_get(b_list, with), "kengetallen")) == 0) {
    with++;
  }
  json_t *k0 = json_array_get(json_object_get(json_array_get(b_list, with), "kengetallen"), 0);
  ck_assert_ptr_nonnull(k0);
  char waarde[80], bron[80];
  snprintf(waarde, sizeof(waarde), "succesverhalen.%zu.kengetallen.0.waarde:", with);
  snprintf(bron, sizeof(bron), "succesverhalen.%zu.kengetallen.0.bron:", with);
  json_object_set_new(k0, "waarde", json_string("veel"));
  json_object_set_new(k0, "bron", json_string("https://niet.in.de/bronnenlijst"));
  p = write_json("v-bad.json", bad_v);
  ck_assert_int_eq(run_import("succesverhalen", p, &out), 1);
  ck_assert_msg(strstr(out, waarde) && strstr(out, bron), "not named: %s", out);
  free(out);
  free(p);
  char *after = catalogue_state();
  ck_assert_str_eq(before, after);

  /* Valid: drop the last factor, change a story's title. */
  char gone[128];
  snprintf(gone, sizeof(gone), "%s", str(json_array_get(f_list, json_array_size(f_list) - 1),
                                         "code"));
  json_array_remove(f_list, json_array_size(f_list) - 1);
  json_object_set_new(json_array_get(v_list, 0), "titel", json_string("Nieuwe titel"));
  char *v0 = current_version(&srv);
  p = write_json("f.json", factoren);
  ck_assert_msg(run_import("succesfactoren", p, &out) == 0, "import failed: %s", out);
  free(out);
  free(p);
  char *v1 = await_change(&srv, v0);
  char fpath[256];
  snprintf(fpath, sizeof(fpath), "/api/v1/succesfactoren/%s", gone);
  ck_assert_int_eq(status_of("GET", fpath, -1, NULL, NULL, NULL), 404);
  p = write_json("v.json", verhalen);
  ck_assert_msg(run_import("succesverhalen", p, &out) == 0, "import failed: %s", out);
  free(out);
  char *v2 = await_change(&srv, v1);
  char spath[256];
  snprintf(spath, sizeof(spath), "/api/v1/succesverhalen/%s",
           str(json_array_get(v_list, 0), "gemeente"));
  json_t *story = get_doc(&srv, spath, NULL);
  ck_assert_str_eq(str(story, "titel"), "Nieuwe titel");
  /* Again: nothing changes, no version. */
  long n = versions_count();
  ck_assert_int_eq(run_import("succesverhalen", p, &out), 0);
  free(out);
  ck_assert_int_eq(versions_count(), n);
  free(p);
  free(before);
  free(after);
  free(v0);
  free(v1);
  free(v2);
  json_decref(story);
  json_decref(bad_f);
  json_decref(bad_v);
  json_decref(factoren);
  json_decref(verhalen);
}
END_TEST

START_TEST(versions_are_listed_newest_first_and_paged) {
  json_t *all = get_doc(&srv, "/api/v1/catalogusversies?pageSize=100", NULL);
  json_t *res = json_object_get(all, "results");
  ck_assert_int_eq(json_integer_value(json_object_get(all, "count")), versions_count());
  ck_assert(json_is_true(json_object_get(json_array_get(res, 0), "huidig")));
  await_version(&srv, str(json_array_get(res, 0), "versie"));
  for (size_t i = 1; i < json_array_size(res); i++) {
    ck_assert(json_is_false(json_object_get(json_array_get(res, i), "huidig")));
    ck_assert_int_lt(json_integer_value(json_object_get(json_array_get(res, i), "nummer")),
                     json_integer_value(json_object_get(json_array_get(res, i - 1), "nummer")));
  }
  /* The seed's version is the oldest. */
  ck_assert_str_eq(str(json_array_get(res, json_array_size(res) - 1), "bron"), "seed");
  ck_assert_int_eq(status_of("GET", "/api/v1/catalogusversies/bestaat-niet", -1, NULL, NULL,
                             NULL), 404);
  ck_assert_int_eq(status_of("GET", "/api/v1/catalogusversies/bestaat-niet/wijzigingen", -1,
                             NULL, NULL, NULL), 404);
  ck_assert_int_eq(status_of("GET", "/api/v1/catalogusversies?onbekend=1", -1, NULL, NULL,
                             NULL), 400);
  json_decref(all);
}
END_TEST

int main(void) {
  it_database_url();
  Suite *s = suite_create("catalogusbeheer");
  TCase *tc = tcase_create("catalogusbeheer");
  tcase_set_timeout(tc, 120);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, writes_need_a_token_with_catalogus_beheren);
  tcase_add_test(tc, writes_need_a_current_precondition);
  tcase_add_test(tc, malformed_preconditions_change_nothing);
  tcase_add_test(tc, a_change_moves_version_etag_analysis_and_the_replica);
  tcase_add_test(tc, the_same_content_makes_no_version);
  tcase_add_test(tc, bad_bodies_name_every_field_and_change_nothing);
  tcase_add_test(tc, create_and_delete_each_kind);
  tcase_add_test(tc, a_role_in_use_is_409_and_survives_in_profiles_when_imported_away);
  tcase_add_test(tc, concurrent_writers_exactly_one_wins);
  tcase_add_test(tc, catalogue_import_valid_and_broken);
  tcase_add_test(tc, success_content_import_valid_and_broken);
  tcase_add_test(tc, versions_are_listed_newest_first_and_paged);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
