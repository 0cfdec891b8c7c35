#include "harness.h"

#include <check.h>
#include <curl/curl.h>
#include <errno.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *it_database_url(void) {
  const char *url = getenv("TEAMPLOTTER_DATABASE_URL");
  if (url == NULL || url[0] == '\0') {
    fprintf(stderr, "TEAMPLOTTER_DATABASE_URL is not set: run through scripts/dev.sh test\n");
    exit(2);
  }
  return url;
}

/* Two free loopback ports, different from each other: both sockets stay
 * bound until both are known (one after the other, the kernel may hand
 * out the same port twice). 0, or -1. */
static int free_ports(int *first, int *second) {
  int fds[2] = {-1, -1}, ports[2] = {-1, -1}, rc = 0;
  for (int i = 0; i < 2 && rc == 0; i++) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    fds[i] = socket(AF_INET, SOCK_STREAM, 0);
    if (fds[i] < 0 || bind(fds[i], (struct sockaddr *)&a, sizeof(a)) != 0 ||
        getsockname(fds[i], (struct sockaddr *)&a, &len) != 0) {
      rc = -1;
    } else {
      ports[i] = ntohs(a.sin_port);
    }
  }
  for (int i = 0; i < 2; i++) {
    if (fds[i] >= 0) close(fds[i]);
  }
  *first = ports[0];
  *second = ports[1];
  return rc;
}

void it_sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

double it_now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int it_run_binary(const char *arg, const char *url) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    setenv("TEAMPLOTTER_DATABASE_URL", url, 1);
    setenv("TEAMPLOTTER_LOG_LEVEL", "warning", 1);
    execl(TEAMPLOTTER_BINARY, TEAMPLOTTER_BINARY, arg, (char *)NULL);
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* --- valgrind ------------------------------------------------------------
 * With TEAMPLOTTER_TEST_VALGRIND=1 every server the harness starts runs
 * under memcheck; a definite leak or a memory error makes valgrind exit
 * with 99, which it_server_stop returns, so the test fails. Valgrind's
 * report goes to <server log>.valgrind and is copied to stderr when it
 * found something. */

#ifndef TEAMPLOTTER_HARNESS_SOURCE_DIR
#define TEAMPLOTTER_HARNESS_SOURCE_DIR "."
#endif
#define IT_VALGRIND_EXIT 99

int it_valgrind(void) {
  const char *v = getenv("TEAMPLOTTER_TEST_VALGRIND");
  return v != NULL && strcmp(v, "1") == 0;
}

static void exec_server(const struct it_server *s) {
  if (!it_valgrind()) {
    execl(TEAMPLOTTER_BINARY, TEAMPLOTTER_BINARY, "serve", (char *)NULL);
    return;
  }
  char supp[1024], logfile[300];
  snprintf(supp, sizeof(supp), "--suppressions=%s/tests/integration/valgrind.supp",
           TEAMPLOTTER_HARNESS_SOURCE_DIR);
  snprintf(logfile, sizeof(logfile), "--log-file=%s.valgrind", s->log_path);
  execlp("valgrind", "valgrind", "--leak-check=full", "--errors-for-leak-kinds=definite",
         "--show-leak-kinds=definite", "--error-exitcode=99", "--num-callers=40", supp, logfile,
         TEAMPLOTTER_BINARY, "serve", (char *)NULL);
}

/* Copies valgrind's report to stderr (when it found something) and removes
 * it (when it did not). */
static void valgrind_report(const struct it_server *s, int exit_status) {
  char path[300];
  snprintf(path, sizeof(path), "%s.valgrind", s->log_path);
  if (exit_status == IT_VALGRIND_EXIT) {
    fprintf(stderr, "valgrind found errors in the server (report kept in %s):\n", path);
    FILE *f = fopen(path, "r");
    char line[1024];
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) fputs(line, stderr);
    if (f != NULL) fclose(f);
  } else {
    unlink(path);
  }
}

/* info.version of the served spec: what API-Version must say. */
static char api_version[64];

static int remember_api_version(const struct it_server *s) {
  struct it_response r;
  if (it_get(s, "/api/v1/openapi.json", &r) != 0) return -1;
  const char *v = json_string_value(json_object_get(json_object_get(r.json, "info"), "version"));
  int rc = v != NULL ? 0 : -1;
  if (v != NULL) snprintf(api_version, sizeof(api_version), "%s", v);
  it_response_free(&r);
  return rc;
}

int it_server_start(struct it_server *s, const char *const *env) {
  /* Every test binary brings the database up to date first (idempotent). */
  static int migrated;
  if (!migrated) {
    if (it_run_binary("migrate", it_database_url()) != 0) return -1;
    migrated = 1;
  }
  memset(s, 0, sizeof(*s));
  if (free_ports(&s->port, &s->admin_port) != 0) return -1;
  snprintf(s->log_path, sizeof(s->log_path), "/tmp/teamplotter-it-%d-%d.log", (int)getpid(),
           s->port);
  s->pid = fork();
  if (s->pid < 0) return -1;
  if (s->pid == 0) {
    char port[16];
    snprintf(port, sizeof(port), "%d", s->port);
    setenv("TEAMPLOTTER_PORT", port, 1);
    snprintf(port, sizeof(port), "%d", s->admin_port);
    setenv("TEAMPLOTTER_ADMIN_PORT", port, 1);
    setenv("TEAMPLOTTER_DATABASE_URL", it_database_url(), 1);
    setenv("TEAMPLOTTER_THREADS", "4", 0);
    setenv("TEAMPLOTTER_DB_POOL_SIZE", "4", 0);
    for (size_t i = 0; env != NULL && env[i] != NULL; i++) putenv((char *)env[i]);
    FILE *log = freopen(s->log_path, "w", stdout);
    if (log == NULL || dup2(fileno(stdout), STDERR_FILENO) < 0) _exit(126);
    exec_server(s);
    _exit(127);
  }
  /* Valgrind is 20-50 times slower: give it two minutes instead of 10 s. */
  int tries = it_valgrind() ? 2400 : 200;
  for (int i = 0; i < tries; i++) {
    struct it_response r;
    int answered = it_get(s, "/livez", &r) == 0;
    long st = r.status;
    it_response_free(&r);
    if (answered && st == 200) return remember_api_version(s);
    int status;
    if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
      s->pid = 0;
      return -1;
    }
    it_sleep_ms(50);
  }
  return -1;
}

struct it_server it_admin(const struct it_server *s) {
  struct it_server admin = *s;
  admin.port = s->admin_port;
  return admin;
}

/* Copies the tail of the server's log (its last 200 lines) to stderr. */
static void print_log_tail(const struct it_server *s) {
  FILE *f = fopen(s->log_path, "r");
  if (f == NULL) return;
  static char lines[200][512];
  size_t n = 0;
  while (fgets(lines[n % 200], sizeof(lines[0]), f) != NULL) n++;
  fclose(f);
  fprintf(stderr, "--- the last lines of the server log (%s) ---\n", s->log_path);
  for (size_t i = n > 200 ? n - 200 : 0; i < n; i++) fputs(lines[i % 200], stderr);
  fprintf(stderr, "--- end of the server log ---\n");
}

static int stop_server(struct it_server *s, int report) {
  if (s->pid <= 0) return -1;
  kill(s->pid, SIGTERM);
  int status = 0;
  /* Under valgrind the leak check runs after the drain: up to 3 minutes. */
  int tries = it_valgrind() ? 3600 : 600;
  for (int i = 0; i < tries; i++) {
    pid_t w = waitpid(s->pid, &status, WNOHANG);
    if (w == s->pid) {
      s->pid = 0;
      int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      if (it_valgrind()) valgrind_report(s, rc);
      if (report && rc != 0) print_log_tail(s);
      unlink(s->log_path);
      return rc;
    }
    it_sleep_ms(50);
  }
  kill(s->pid, SIGKILL);
  waitpid(s->pid, &status, 0);
  s->pid = 0;
  if (report) print_log_tail(s);
  return -1;
}

int it_server_stop(struct it_server *s) { return stop_server(s, 0); }

int it_server_stop_verbose(struct it_server *s) { return stop_server(s, 1); }

struct sink {
  char *data;
  size_t len;
};

static size_t on_body(char *ptr, size_t size, size_t n, void *user) {
  struct sink *b = user;
  size_t add = size * n;
  char *grown = realloc(b->data, b->len + add + 1);
  if (grown == NULL) return 0;
  b->data = grown;
  memcpy(b->data + b->len, ptr, add);
  b->len += add;
  b->data[b->len] = '\0';
  return add;
}

static size_t on_header(char *ptr, size_t size, size_t n, void *user) {
  struct it_response *r = user;
  size_t len = size * n;
  while (len > 0 && (ptr[len - 1] == '\r' || ptr[len - 1] == '\n')) len--;
  if (len > 0 && memchr(ptr, ':', len) != NULL && r->header_count < IT_MAX_HEADERS) {
    r->headers[r->header_count++] = strndup(ptr, len);
  } else if (len > 5 && strncmp(ptr, "HTTP/", 5) == 0) {
    /* A new status line (after 100 Continue): forget earlier headers. */
    for (size_t i = 0; i < r->header_count; i++) free(r->headers[i]);
    r->header_count = 0;
  }
  return size * n;
}

/* it_set_request_timeout; 0: the default. */
static long request_timeout;

void it_set_request_timeout(long seconds) { request_timeout = seconds; }

int it_request(const struct it_server *s, const char *method, const char *path,
               const char *const *headers, const char *body, size_t body_len,
               struct it_response *out) {
  memset(out, 0, sizeof(*out));
  CURL *curl = curl_easy_init();
  if (curl == NULL) return -1;
  char url[16384];
  snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", s->port, path);
  struct curl_slist *list = NULL;
  /* curl adds "Expect: 100-continue" for large bodies; keep requests plain. */
  list = curl_slist_append(list, "Expect:");
  for (size_t i = 0; headers != NULL && headers[i] != NULL; i++) {
    list = curl_slist_append(list, headers[i]);
  }
  struct sink sink = {NULL, 0};
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, out);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT,
                   request_timeout > 0 ? request_timeout : it_valgrind() ? 600L : 60L);
  if (strcmp(method, "HEAD") == 0) {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
  }
  if (body != NULL) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
  }
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  out->body = sink.data ? sink.data : strdup("");
  out->body_len = sink.len;
  const char *ct = it_header(out, "Content-Type");
  if (ct != NULL && strstr(ct, "json") != NULL) {
    out->json = json_loadb(out->body, out->body_len, 0, NULL);
  }
  return rc == CURLE_OK ? 0 : -1;
}

int it_get(const struct it_server *s, const char *path, struct it_response *out) {
  return it_request(s, "GET", path, NULL, NULL, 0, out);
}

const char *it_header(const struct it_response *r, const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < r->header_count; i++) {
    if (strncasecmp(r->headers[i], name, n) == 0 && r->headers[i][n] == ':') {
      const char *v = r->headers[i] + n + 1;
      while (*v == ' ') v++;
      return v;
    }
  }
  return NULL;
}

void it_response_free(struct it_response *r) {
  free(r->body);
  for (size_t i = 0; i < r->header_count; i++) free(r->headers[i]);
  json_decref(r->json);
  memset(r, 0, sizeof(*r));
}

int it_pgctl(const char *args) {
  const char *ctl = getenv("TEAMPLOTTER_TEST_PGCTL");
  if (ctl == NULL) return -1;
  char cmd[1024];
  snprintf(cmd, sizeof(cmd), "%s %s >/dev/null 2>&1", ctl, args);
  int st = system(cmd);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *it_sql_value(const char *url, const char *sql) {
  PGconn *conn = PQconnectdb(url);
  char *value = NULL;
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0) {
      value = strdup(PQgetvalue(res, 0, 0));
    }
    PQclear(res);
  }
  PQfinish(conn);
  return value;
}

int it_sql_exec(const char *url, const char *sql) {
  PGconn *conn = PQconnectdb(url);
  int rc = -1;
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);
    rc = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? 0 : -1;
    if (rc != 0) fprintf(stderr, "sql failed: %s", PQerrorMessage(conn));
    PQclear(res);
  }
  PQfinish(conn);
  return rc;
}

int it_log_contains(const struct it_server *s, const char *needle) {
  FILE *f = fopen(s->log_path, "r");
  if (f == NULL) return 0;
  char line[8192];
  int found = 0;
  while (!found && fgets(line, sizeof(line), f) != NULL) found = strstr(line, needle) != NULL;
  fclose(f);
  return found;
}

void it_assert_conventions(const struct it_response *r) {
  ck_assert_ptr_nonnull(it_header(r, "API-Version"));
  ck_assert_str_eq(it_header(r, "API-Version"), api_version);
  /* Which 200s and 304s may be kept depends on the request (test_cache_cors
   * holds each case); any other answer never is. */
  const char *cc = it_header(r, "Cache-Control");
  ck_assert_ptr_nonnull(cc);
  int kept = (r->status == 200 || r->status == 304) && strcmp(cc, "no-cache") == 0;
  ck_assert_msg(kept || strcmp(cc, "private, no-store") == 0, "Cache-Control: %s on a %ld", cc,
                r->status);
  ck_assert_str_eq(it_header(r, "X-Content-Type-Options"), "nosniff");
  ck_assert_str_eq(it_header(r, "X-Frame-Options"), "DENY");
  ck_assert_str_eq(it_header(r, "Content-Security-Policy"), "frame-ancestors 'none'");
  ck_assert_ptr_null(it_header(r, "Server"));
  ck_assert_ptr_null(it_header(r, "X-Powered-By"));
}

void it_assert_problem(const struct it_response *r, long status) {
  ck_assert_int_eq(r->status, status);
  it_assert_conventions(r);
  ck_assert_ptr_nonnull(it_header(r, "Content-Type"));
  ck_assert_str_eq(it_header(r, "Content-Type"), "application/problem+json");
  ck_assert_ptr_nonnull(r->json);
  ck_assert_int_eq(json_integer_value(json_object_get(r->json, "status")), status);
  const char *members[] = {"type", "code", "title", "detail", "instance"};
  for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
    ck_assert_msg(json_is_string(json_object_get(r->json, members[i])), "problem lacks %s",
                  members[i]);
  }
  ck_assert(strncmp(json_string_value(json_object_get(r->json, "instance")), "urn:uuid:", 9) == 0);
}

char *it_capture(const char *const *argv) {
  size_t argc = 0;
  while (argv[argc] != NULL) argc++;
  const char **full = calloc(argc + 2, sizeof(*full));
  if (full == NULL) return NULL;
  full[0] = TEAMPLOTTER_BINARY;
  for (size_t i = 0; i < argc; i++) full[i + 1] = argv[i];
  int fds[2];
  if (pipe(fds) != 0) {
    free(full);
    return NULL;
  }
  const char *url = it_database_url();
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    free(full);
    return NULL;
  }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    setenv("TEAMPLOTTER_DATABASE_URL", url, 1);
    setenv("TEAMPLOTTER_LOG_LEVEL", "warning", 1);
    execv(TEAMPLOTTER_BINARY, (char *const *)full);
    _exit(127);
  }
  close(fds[1]);
  free(full);
  struct sink out = {NULL, 0};
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof(buf))) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    on_body(buf, 1, (size_t)n, &out);
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    free(out.data);
    return NULL;
  }
  return out.data ? out.data : strdup("");
}

/* --- raw sockets ----------------------------------------------------------- */

int it_connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

int it_raw(const struct it_server *s, const void *data, size_t len, enum it_raw_mode mode,
           int timeout_ms, char **reply, size_t *reply_len) {
  struct sink got = {NULL, 0};
  int rc = 0;
  int fd = it_connect(s->port);
  if (fd < 0) {
    rc = -1;
    goto out;
  }
  const char *p = data;
  size_t sent = 0;
  while (sent < len) {
    ssize_t n = send(fd, p + sent, len - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      rc = -1; /* the server closed early; read what it said */
      break;
    }
    sent += (size_t)n;
  }
  if (mode == IT_RAW_CLOSE) {
    close(fd);
    goto out;
  }
  if (mode == IT_RAW_HALF_CLOSE) shutdown(fd, SHUT_WR);
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (;;) {
    clock_gettime(CLOCK_MONOTONIC, &now);
    long spent = (now.tv_sec - start.tv_sec) * 1000L + (now.tv_nsec - start.tv_nsec) / 1000000L;
    if (spent >= timeout_ms) break;
    struct pollfd pfd = {fd, POLLIN, 0};
    int r = poll(&pfd, 1, (int)(timeout_ms - spent));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    char buf[8192];
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    on_body(buf, 1, (size_t)n, &got);
  }
  close(fd);
out:
  if (reply != NULL) {
    *reply = got.data ? got.data : strdup("");
  } else {
    free(got.data);
  }
  if (reply_len != NULL) *reply_len = got.len;
  return rc;
}

int it_raw_status(const char *reply) {
  if (reply == NULL || strncmp(reply, "HTTP/1.", 7) != 0 || reply[8] != ' ') return 0;
  int code = 0;
  for (int i = 9; i < 12; i++) {
    if (reply[i] < '0' || reply[i] > '9') return 0;
    code = code * 10 + (reply[i] - '0');
  }
  return code;
}

void it_remove_client_rows(const char *prefix) {
  static const char *const tables[][2] = {
      {"teamprofielen", "client_id"}, {"audittrail", "client_id"}, {"clients", "id"}};
  for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
    char sql[512];
    snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s LIKE '%s%%'", tables[i][0], tables[i][1],
             prefix);
    it_sql_exec(it_database_url(), sql);
  }
}

TCase *it_case(const char *name, double timeout_s, SFun setup, SFun teardown) {
  it_database_url();
  TCase *tc = tcase_create(name);
  tcase_set_timeout(tc, timeout_s);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  return tc;
}

int it_run_suite(Suite *s) {
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}

void it_fail_setup(const char *what) {
  fprintf(stderr, "the fixture could not be set up: %s\n", what);
  exit(1);
}
