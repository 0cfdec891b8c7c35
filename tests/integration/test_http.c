/* The HTTP conventions every response shares, the operational endpoints,
 * PostgreSQL going away and coming back, graceful shutdown and migrations:
 * the real binary over real HTTP against a real cluster. */
#include <arpa/inet.h>
#include <check.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static struct it_server srv;

static const char *const SERVER_ENV[] = {
    "TEAMPLOTTER_CORS_ORIGINS=https://dashboard.example.nl,http://localhost:3000",
    "TEAMPLOTTER_MAX_BODY_BYTES=4096",
    NULL,
};

static void start(void) { ck_assert_int_eq(it_server_start(&srv, SERVER_ENV), 0); }
static void stop(void) {
  if (srv.pid > 0) ck_assert_int_eq(it_server_stop(&srv), 0);
}


START_TEST(livez_and_readyz_answer) {
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, "/livez", &r), 0);
  ck_assert_int_eq(r.status, 200);
  it_assert_conventions(&r);
  it_response_free(&r);
  ck_assert_int_eq(it_get(&srv, "/readyz", &r), 0);
  ck_assert_int_eq(r.status, 200);
  it_assert_conventions(&r);
  it_response_free(&r);
}
END_TEST

/* The root at /api/v1 and at /api/v1/, the spec's server URL plus its
 * path "/", which is where generated clients ask for it. */
START_TEST(root_lists_collections_and_versions) {
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, _i ? "/api/v1/" : "/api/v1", &r), 0);
  ck_assert_int_eq(r.status, 200);
  it_assert_conventions(&r);
  ck_assert_str_eq(it_header(&r, "Content-Type"), "application/json");
  ck_assert_str_eq(json_string_value(json_object_get(r.json, "apiVersie")),
                   it_header(&r, "API-Version"));
  char *versie = it_sql_value(it_database_url(),
                              "SELECT versie FROM catalogus_versies ORDER BY id DESC LIMIT 1");
  ck_assert_ptr_nonnull(versie);
  ck_assert_str_eq(json_string_value(json_object_get(r.json, "catalogusVersie")), versie);
  free(versie);
  json_t *links = json_object_get(r.json, "links");
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(links, "rollen"), "href")),
                   "/api/v1/rollen");
  it_response_free(&r);
}
END_TEST

START_TEST(unknown_paths_and_trailing_slashes_are_404) {
  const char *paths[] = {"/api/v1/bestaat-niet", "/api/v1//", "/api/v1/rollen/", "/livez/",
                         "//api/v1", "/pagina/",
                         "/api/v1/openapi.json/", "/api/v2", "/api/v1/%00", "/api/v1%2Fopenapi.json"};
  for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
    struct it_response r;
    ck_assert_int_eq(it_get(&srv, paths[i], &r), 0);
    ck_assert_msg(r.status == 404, "%s gave %ld", paths[i], r.status);
    it_assert_problem(&r, 404);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "code")), "not-found");
    it_response_free(&r);
  }
}
END_TEST

START_TEST(other_method_is_405_with_allow) {
  struct it_response r;
  ck_assert_int_eq(it_request(&srv, "DELETE", "/api/v1", NULL, NULL, 0, &r), 0);
  it_assert_problem(&r, 405);
  ck_assert_str_eq(it_header(&r, "Allow"), "GET, HEAD, OPTIONS");
  it_response_free(&r);
  ck_assert_int_eq(it_request(&srv, "PROPFIND", "/livez", NULL, NULL, 0, &r), 0);
  it_assert_problem(&r, 405);
  it_response_free(&r);
}
END_TEST

START_TEST(head_answers_without_body) {
  struct it_response r;
  ck_assert_int_eq(it_request(&srv, "HEAD", "/api/v1/openapi.json", NULL, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert_uint_eq(r.body_len, 0);
  ck_assert_ptr_nonnull(it_header(&r, "ETag"));
  it_assert_conventions(&r);
  it_response_free(&r);
}
END_TEST

START_TEST(unsupported_accept_is_406) {
  const char *refused[] = {"Accept: application/xml", "Accept: application/json;q=0",
                           "Accept: text/html, image/*"};
  const char *accepted[] = {"Accept: */*", "Accept: application/*",
                            "Accept: text/html;q=0.9, application/json;q=0.1"};
  for (size_t i = 0; i < 3; i++) {
    struct it_response r;
    const char *h[] = {refused[i], NULL};
    ck_assert_int_eq(it_request(&srv, "GET", "/api/v1", h, NULL, 0, &r), 0);
    it_assert_problem(&r, 406);
    it_response_free(&r);
    const char *ok[] = {accepted[i], NULL};
    ck_assert_int_eq(it_request(&srv, "GET", "/api/v1", ok, NULL, 0, &r), 0);
    ck_assert_msg(r.status == 200, "%s gave %ld", accepted[i], r.status);
    it_response_free(&r);
  }
}
END_TEST

START_TEST(body_over_the_limit_is_413_not_truncated) {
  size_t big = 4097;
  char *body = malloc(big);
  memset(body, 'x', big);
  const char *h[] = {"Content-Type: application/json", NULL};
  struct it_response r;
  ck_assert_int_eq(it_request(&srv, "POST", "/api/v1", h, body, big, &r), 0);
  it_assert_problem(&r, 413);
  it_response_free(&r);
  /* Exactly at the limit the body is accepted and routing decides. */
  ck_assert_int_eq(it_request(&srv, "POST", "/api/v1", h, body, 4096, &r), 0);
  it_assert_problem(&r, 405);
  it_response_free(&r);
  /* Ten megabytes: still a clean 413 and the server stays up. */
  size_t huge = 10 * 1024 * 1024;
  char *hbody = malloc(huge);
  memset(hbody, '[', huge);
  ck_assert_int_eq(it_request(&srv, "POST", "/api/v1", h, hbody, huge, &r), 0);
  it_assert_problem(&r, 413);
  it_response_free(&r);
  free(hbody);
  free(body);
  ck_assert_int_eq(it_get(&srv, "/livez", &r), 0);
  ck_assert_int_eq(r.status, 200);
  it_response_free(&r);
}
END_TEST

START_TEST(problem_instance_appears_in_the_log) {
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, "/api/v1/nergens", &r), 0);
  it_assert_problem(&r, 404);
  const char *instance = json_string_value(json_object_get(r.json, "instance"));
  const char *id = instance + strlen("urn:uuid:");
  ck_assert_uint_eq(strlen(id), 36);
  ck_assert_msg(it_log_contains(&srv, id), "request id %s not in the log", id);
  it_response_free(&r);
}
END_TEST

START_TEST(cors_allowlist) {
  struct it_response r;
  const char *allowed[] = {"Origin: https://dashboard.example.nl", NULL};
  ck_assert_int_eq(it_request(&srv, "GET", "/api/v1", allowed, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(it_header(&r, "Access-Control-Allow-Origin"), "https://dashboard.example.nl");
  /* Every response header the spec documents, so that a script can read
   * them: Retry-After of a 503 and WWW-Authenticate of a 401 too. */
  ck_assert_str_eq(it_header(&r, "Access-Control-Expose-Headers"),
                   "API-Version, ETag, Link, Location, Retry-After, WWW-Authenticate");
  it_response_free(&r);

  /* Errors carry CORS headers too, or browsers could not read them. */
  ck_assert_int_eq(it_request(&srv, "GET", "/api/v1/nergens", allowed, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 404);
  ck_assert_str_eq(it_header(&r, "Access-Control-Allow-Origin"), "https://dashboard.example.nl");
  it_response_free(&r);
  ck_assert_int_eq(it_request(&srv, "GET", "/api/v1/benchmarks", allowed, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 401);
  ck_assert_ptr_nonnull(strstr(it_header(&r, "Access-Control-Expose-Headers"), "WWW-Authenticate"));
  it_response_free(&r);

  const char *other[] = {"Origin: https://evil.example.com", NULL};
  ck_assert_int_eq(it_request(&srv, "GET", "/api/v1", other, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_null(it_header(&r, "Access-Control-Allow-Origin"));
  it_response_free(&r);

  /* The spec is readable from any origin. */
  ck_assert_int_eq(it_request(&srv, "GET", "/api/v1/openapi.json", other, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(it_header(&r, "Access-Control-Allow-Origin"), "*");
  it_response_free(&r);

  const char *preflight[] = {"Origin: http://localhost:3000",
                             "Access-Control-Request-Method: GET",
                             "Access-Control-Request-Headers: If-None-Match", NULL};
  ck_assert_int_eq(it_request(&srv, "OPTIONS", "/api/v1", preflight, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 204);
  it_assert_conventions(&r);
  ck_assert_str_eq(it_header(&r, "Access-Control-Allow-Origin"), "http://localhost:3000");
  ck_assert_ptr_nonnull(strstr(it_header(&r, "Access-Control-Allow-Methods"), "GET"));
  /* Every request header the API reads. */
  ck_assert_str_eq(it_header(&r, "Access-Control-Allow-Headers"),
                   "Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, "
                   "X-Audit-Toelichting");
  it_response_free(&r);

  /* A browser may send Idempotency-Key with a new team profile. */
  const char *keyed_preflight[] = {"Origin: http://localhost:3000",
                                   "Access-Control-Request-Method: POST",
                                   "Access-Control-Request-Headers: authorization,content-type,"
                                   "idempotency-key",
                                   NULL};
  ck_assert_int_eq(
      it_request(&srv, "OPTIONS", "/api/v1/teamprofielen", keyed_preflight, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 204);
  ck_assert_ptr_nonnull(strstr(it_header(&r, "Access-Control-Allow-Methods"), "POST"));
  ck_assert_ptr_nonnull(strstr(it_header(&r, "Access-Control-Allow-Headers"), "Idempotency-Key"));
  it_response_free(&r);

  const char *bad_preflight[] = {"Origin: https://evil.example.com",
                                 "Access-Control-Request-Method: GET", NULL};
  ck_assert_int_eq(it_request(&srv, "OPTIONS", "/api/v1", bad_preflight, NULL, 0, &r), 0);
  ck_assert_ptr_null(it_header(&r, "Access-Control-Allow-Origin"));
  ck_assert_ptr_null(it_header(&r, "Access-Control-Allow-Methods"));
  it_response_free(&r);
}
END_TEST

START_TEST(spec_is_served_as_json_and_yaml) {
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, "/api/v1/openapi.json", &r), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(r.json);
  ck_assert_str_eq(json_string_value(json_object_get(r.json, "openapi")), "3.0.3");
  const char *server_url = json_string_value(
      json_object_get(json_array_get(json_object_get(r.json, "servers"), 0), "url"));
  ck_assert_ptr_nonnull(server_url);
  size_t n = strlen(server_url);
  ck_assert(n > 7 && strcmp(server_url + n - 7, "/api/v1") == 0);
  it_response_free(&r);
  ck_assert_int_eq(it_get(&srv, "/api/v1/openapi.yaml", &r), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(it_header(&r, "Content-Type"), "application/yaml");
  ck_assert_ptr_nonnull(strstr(r.body, "openapi: 3.0.3"));
  it_response_free(&r);
}
END_TEST

START_TEST(etag_and_304) {
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, "/api/v1/openapi.json", &r), 0);
  const char *etag = it_header(&r, "ETag");
  ck_assert_ptr_nonnull(etag);
  ck_assert_int_eq(etag[0], '"');
  char inm[256];
  snprintf(inm, sizeof(inm), "If-None-Match: \"other\", %s", etag);
  char saved[128];
  snprintf(saved, sizeof(saved), "%s", etag);
  it_response_free(&r);
  const char *h[] = {inm, NULL};
  ck_assert_int_eq(it_request(&srv, "GET", "/api/v1/openapi.json", h, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 304);
  ck_assert_uint_eq(r.body_len, 0);
  ck_assert_str_eq(it_header(&r, "ETag"), saved);
  it_assert_conventions(&r);
  it_response_free(&r);
  const char *stale[] = {"If-None-Match: \"0123\"", NULL};
  ck_assert_int_eq(it_request(&srv, "GET", "/api/v1/openapi.json", stale, NULL, 0, &r), 0);
  ck_assert_int_eq(r.status, 200);
  it_response_free(&r);
}
END_TEST

/* The admin listener serves the probes and the metrics, and nothing of
 * the API; the public port keeps /livez and /readyz, not the metrics. */
START_TEST(admin_listener_serves_probes_only) {
  struct it_server admin = it_admin(&srv);
  struct it_response r;
  const char *ok[] = {"/livez", "/readyz", "/metrics"};
  for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
    ck_assert_int_eq(it_get(&admin, ok[i], &r), 0);
    ck_assert_msg(r.status == 200, "admin %s: %ld", ok[i], r.status);
    ck_assert_str_eq(it_header(&r, "X-Content-Type-Options"), "nosniff");
    it_response_free(&r);
  }
  const char *absent[] = {"/api/v1", "/api/v1/rollen", "/api/v1/openapi.json", "/livez/"};
  for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
    ck_assert_int_eq(it_get(&admin, absent[i], &r), 0);
    ck_assert_msg(r.status == 404, "admin %s: %ld", absent[i], r.status);
    it_assert_problem(&r, 404);
    it_response_free(&r);
  }
  ck_assert_int_eq(it_request(&admin, "POST", "/livez", NULL, "{}", 2, &r), 0);
  ck_assert_int_eq(r.status, 405);
  ck_assert_str_eq(it_header(&r, "Allow"), "GET, HEAD, OPTIONS");
  it_response_free(&r);
  ck_assert_int_eq(it_get(&srv, "/metrics", &r), 0);
  it_assert_problem(&r, 404);
  it_response_free(&r);
}
END_TEST

START_TEST(metrics_pass_promtool) {
  struct it_server admin = it_admin(&srv);
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, "/api/v1/nergens", &r), 0);
  it_response_free(&r);
  ck_assert_int_eq(it_get(&admin, "/metrics", &r), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(it_header(&r, "Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  ck_assert_ptr_nonnull(
      strstr(r.body, "teamplotter_http_requests_total{method=\"GET\",route=\"/livez\",code=\"200\"}"));
  ck_assert_ptr_nonnull(
      strstr(r.body, "teamplotter_http_requests_total{method=\"ANY\",route=\"unmatched\",code=\"404\"} 1"));
  ck_assert_ptr_nonnull(strstr(r.body, "teamplotter_db_pool_connections_max 4"));
  ck_assert_ptr_nonnull(strstr(r.body, "\nteamplotter_http_connections "));
  char path[] = "/tmp/teamplotter-metrics-XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(write(fd, r.body, r.body_len), (ssize_t)r.body_len);
  close(fd);
  char cmd[256];
  snprintf(cmd, sizeof(cmd), "promtool check metrics < %s", path);
  int st = system(cmd);
  unlink(path);
  ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "promtool rejected /metrics");
  it_response_free(&r);
}
END_TEST

static long status_of(const char *path) {
  struct it_response r;
  long st = it_get(&srv, path, &r) == 0 ? r.status : -1;
  it_response_free(&r);
  return st;
}

START_TEST(readyz_follows_postgresql) {
  ck_assert_int_eq(status_of("/readyz"), 200);
  ck_assert_int_eq(it_pgctl("stop -m fast"), 0);
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, "/readyz", &r), 0);
  it_assert_problem(&r, 503);
  ck_assert_str_eq(it_header(&r, "Retry-After"), "5");
  it_response_free(&r);
  /* What needs the database answers 503... */
  ck_assert_int_eq(it_get(&srv, "/api/v1/teamprofielen?referentie=true", &r), 0);
  it_assert_problem(&r, 503);
  /* No SQL, paths or library text leaks into a 5xx body. */
  ck_assert_ptr_null(strstr(r.body, "SELECT"));
  ck_assert_ptr_null(strstr(r.body, "connection"));
  ck_assert_ptr_null(strstr(r.body, "/tmp"));
  it_response_free(&r);
  ck_assert_int_eq(status_of("/livez"), 200);
  /* ...while what the in-memory snapshot holds is still served. */
  ck_assert_int_eq(status_of("/api/v1"), 200);
  ck_assert_int_eq(it_pgctl("start"), 0);
  long st = 0;
  for (int i = 0; i < 50 && st != 200; i++) {
    st = status_of("/readyz");
    if (st != 200) it_sleep_ms(100);
  }
  ck_assert_int_eq(st, 200);
  ck_assert_int_eq(status_of("/api/v1/teamprofielen?referentie=true"), 200);
}
END_TEST

struct busy_get {
  const struct it_server *server;
  long status;
};

static void *get_profiles(void *arg) {
  struct busy_get *g = arg;
  struct it_response r;
  g->status = it_get(g->server, "/api/v1/teamprofielen?referentie=true", &r) == 0 ? r.status : -1;
  it_response_free(&r);
  return NULL;
}

/* Every pooled connection waits on a lock another session holds: the
 * replica is busy, not broken, and its database answers. The admin /readyz
 * says so at once instead of queueing for a connection (and a load
 * balancer drains nothing). */
START_TEST(readyz_answers_at_once_while_the_pool_is_busy) {
  struct it_server busy;
  const char *env[] = {"TEAMPLOTTER_DB_POOL_SIZE=2", "TEAMPLOTTER_THREADS=4", NULL};
  ck_assert_int_eq(it_server_start(&busy, env), 0);
  struct it_server admin = it_admin(&busy);
  struct it_response r;
  ck_assert_int_eq(it_get(&admin, "/readyz", &r), 0);
  ck_assert_int_eq(r.status, 200);
  it_response_free(&r);
  PGconn *locker = PQconnectdb(it_database_url());
  ck_assert_int_eq(PQstatus(locker), CONNECTION_OK);
  PQclear(PQexec(locker, "BEGIN; LOCK TABLE teamprofielen IN ACCESS EXCLUSIVE MODE"));
  struct busy_get gets[2] = {{&busy, 0}, {&busy, 0}};
  pthread_t threads[2];
  for (int i = 0; i < 2; i++) ck_assert_int_eq(pthread_create(&threads[i], NULL, get_profiles, &gets[i]), 0);
  it_sleep_ms(500); /* both hold a connection now, waiting for the lock */
  double t0 = it_now_s();
  ck_assert_int_eq(it_get(&admin, "/readyz", &r), 0);
  double took = it_now_s() - t0;
  long status = r.status;
  it_response_free(&r);
  for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
  PQclear(PQexec(locker, "ROLLBACK"));
  PQfinish(locker);
  ck_assert_int_eq(it_server_stop_verbose(&busy), 0);
  ck_assert_msg(status == 200 && took < 0.5, "/readyz %ld after %.2f s", status, took);
  ck_assert_int_eq(gets[0].status, 503); /* they did wait for the lock */
}
END_TEST

START_TEST(graceful_shutdown_finishes_in_flight_request) {
  int fd = it_connect(srv.port);
  ck_assert_int_ge(fd, 0);
  const char head[] = "POST /api/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      "Content-Length: 10\r\nConnection: close\r\n\r\n12345";
  ck_assert_int_eq(write(fd, head, sizeof(head) - 1), (ssize_t)(sizeof(head) - 1));
  it_sleep_ms(200);
  kill(srv.pid, SIGTERM);
  it_sleep_ms(300);
  /* The server stopped accepting... */
  ck_assert_int_lt(it_connect(srv.port), 0);
  /* ...but the request in flight still gets its answer. */
  ck_assert_int_eq(write(fd, "67890", 5), 5);
  char buf[4096];
  size_t got = 0;
  ssize_t n;
  while (got < sizeof(buf) - 1 && (n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0) {
    got += (size_t)n;
  }
  buf[got] = '\0';
  close(fd);
  ck_assert_msg(strncmp(buf, "HTTP/1.1 405", 12) == 0, "got: %.40s", buf);
  int status = 0;
  ck_assert_int_eq(waitpid(srv.pid, &status, 0), srv.pid);
  srv.pid = 0;
  ck_assert(WIFEXITED(status));
  ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* A fresh database for the migration tests, dropped afterwards. */
static char fresh_url[512], fresh_name[64];

static void make_fresh_database(void) {
  const char *base = it_database_url();
  snprintf(fresh_name, sizeof(fresh_name), "tp_migrate_%d", (int)getpid());
  char sql[128];
  snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", fresh_name);
  it_sql_exec(base, sql);
  snprintf(sql, sizeof(sql), "CREATE DATABASE %s", fresh_name);
  ck_assert_int_eq(it_sql_exec(base, sql), 0);
  const char *slash = strrchr(base, '/');
  snprintf(fresh_url, sizeof(fresh_url), "%.*s/%s", (int)(slash - base), base, fresh_name);
}

static void drop_fresh_database(void) {
  char sql[128];
  snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", fresh_name);
  it_sql_exec(it_database_url(), sql);
}

START_TEST(migrate_concurrently_and_twice) {
  make_fresh_database();
  pid_t a = fork();
  if (a == 0) _exit(it_run_binary("migrate", fresh_url));
  pid_t b = fork();
  if (b == 0) _exit(it_run_binary("migrate", fresh_url));
  int sa = 0, sb = 0;
  waitpid(a, &sa, 0);
  waitpid(b, &sb, 0);
  ck_assert(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
  ck_assert(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
  char *applied = it_sql_value(fresh_url, "SELECT count(*) || ':' || count(DISTINCT version) FROM schema_migrations");
  char *gemeenten = it_sql_value(fresh_url, "SELECT count(*) FROM gemeenten");
  ck_assert_ptr_nonnull(applied);
  ck_assert_ptr_nonnull(gemeenten);
  ck_assert_int_eq(it_run_binary("migrate", fresh_url), 0);
  char *applied2 = it_sql_value(fresh_url, "SELECT count(*) || ':' || count(DISTINCT version) FROM schema_migrations");
  char *gemeenten2 = it_sql_value(fresh_url, "SELECT count(*) FROM gemeenten");
  ck_assert_str_eq(applied, applied2);
  ck_assert_str_eq(gemeenten, gemeenten2);
  ck_assert_str_eq(gemeenten, "355");
  /* One row per migration file, each once. */
  const char *colon = strchr(applied, ':');
  ck_assert_int_eq(strncmp(applied, colon + 1, (size_t)(colon - applied)), 0);
  ck_assert_int_ge(atoi(applied), 2);
  /* A migration edited after it was applied is refused. */
  ck_assert_int_eq(it_sql_exec(fresh_url, "UPDATE schema_migrations SET checksum = 'x' WHERE version = 1"), 0);
  ck_assert_int_ne(it_run_binary("migrate", fresh_url), 0);
  free(applied);
  free(applied2);
  free(gemeenten);
  free(gemeenten2);
  drop_fresh_database();
}
END_TEST

START_TEST(bad_configuration_exits_naming_the_variable) {
  char cmd[1024];
  snprintf(cmd, sizeof(cmd),
           "TEAMPLOTTER_PORT=80x TEAMPLOTTER_DATABASE_URL=postgresql://x %s serve 2>&1 | grep -q TEAMPLOTTER_PORT",
           TEAMPLOTTER_BINARY_PATH);
  ck_assert_int_eq(system(cmd), 0);
  snprintf(cmd, sizeof(cmd), "env -u TEAMPLOTTER_DATABASE_URL %s serve; test $? -eq 2",
           TEAMPLOTTER_BINARY_PATH);
  ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void) {
  it_database_url();
  Suite *s = suite_create("http");
  TCase *tc = tcase_create("conventions");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, start, stop);
  tcase_add_test(tc, livez_and_readyz_answer);
  tcase_add_test(tc, admin_listener_serves_probes_only);
  tcase_add_loop_test(tc, root_lists_collections_and_versions, 0, 2);
  tcase_add_test(tc, unknown_paths_and_trailing_slashes_are_404);
  tcase_add_test(tc, other_method_is_405_with_allow);
  tcase_add_test(tc, head_answers_without_body);
  tcase_add_test(tc, unsupported_accept_is_406);
  tcase_add_test(tc, body_over_the_limit_is_413_not_truncated);
  tcase_add_test(tc, problem_instance_appears_in_the_log);
  tcase_add_test(tc, cors_allowlist);
  tcase_add_test(tc, spec_is_served_as_json_and_yaml);
  tcase_add_test(tc, etag_and_304);
  tcase_add_test(tc, metrics_pass_promtool);
  tcase_add_test(tc, readyz_follows_postgresql);
  tcase_add_test(tc, readyz_answers_at_once_while_the_pool_is_busy);
  tcase_add_test(tc, graceful_shutdown_finishes_in_flight_request);
  suite_add_tcase(s, tc);
  TCase *tm = tcase_create("commands");
  tcase_set_timeout(tm, 120);
  tcase_add_test(tm, migrate_concurrently_and_twice);
  tcase_add_test(tm, bad_configuration_exits_naming_the_variable);
  suite_add_tcase(s, tm);
  return it_run_suite(s);
}
