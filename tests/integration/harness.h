#ifndef TEAMPLOTTER_TEST_HARNESS_H
#define TEAMPLOTTER_TEST_HARNESS_H

/* Integration-test harness: runs the real teamplotter binary on a free
 * loopback port against the throwaway cluster from scripts/dev.sh
 * (TEAMPLOTTER_DATABASE_URL) and talks to it over real HTTP (libcurl). */

#include <stddef.h>
#include <sys/types.h>

#include <check.h>
#include <jansson.h>

#define IT_MAX_HEADERS 64

struct it_server {
  pid_t pid;
  int port;
  int admin_port; /* TEAMPLOTTER_ADMIN_PORT: /livez, /readyz, /metrics */
  char log_path[256];
};

struct it_response {
  long status;
  char *body;
  size_t body_len;
  char *headers[IT_MAX_HEADERS]; /* "Name: value" lines */
  size_t header_count;
  json_t *json; /* parsed body when it is JSON, else NULL */
};

/* Sleeps `ms` milliseconds. */
void it_sleep_ms(long ms);

/* Seconds on the monotonic clock, for timing a request. */
double it_now_s(void);

/* The database URL under test; aborts the test binary when unset. */
const char *it_database_url(void);

/* Runs `teamplotter ARG` with `url` as database; returns its exit status. */
int it_run_binary(const char *arg, const char *url);

/* Starts a server; `env` is NULL or a NULL-terminated list of "NAME=value"
 * additions. Waits until /livez answers. Returns 0 on success. */
int it_server_start(struct it_server *s, const char *const *env);

/* The server as seen on its admin listener, for it_get and it_request. */
struct it_server it_admin(const struct it_server *s);

/* Sends SIGTERM and waits; returns the exit status (or -1). */
int it_server_stop(struct it_server *s);

/* it_server_stop, and when the exit status is not 0 (an ASan report, a
 * crash, a hang) the tail of the server's log goes to stderr first. */
int it_server_stop_verbose(struct it_server *s);

/* One HTTP request. `headers` is NULL or NULL-terminated "Name: value"
 * strings. `body` may be NULL. Returns 0 when a response arrived. */
int it_request(const struct it_server *s, const char *method, const char *path,
               const char *const *headers, const char *body, size_t body_len,
               struct it_response *out);

/* GET shortcut. */
int it_get(const struct it_server *s, const char *path, struct it_response *out);

/* A response header's value (case-insensitive name), or NULL. */
const char *it_header(const struct it_response *r, const char *name);

void it_response_free(struct it_response *r);

/* Runs the cluster's pg_ctl wrapper with `args` ("stop -m fast", "start");
 * returns its exit status. */
int it_pgctl(const char *args);

/* The first column of the first row of `sql` on `url` as a new string, or
 * NULL on error. Caller frees. */
char *it_sql_value(const char *url, const char *sql);

/* Runs a statement on `url`; returns 0 on success. */
int it_sql_exec(const char *url, const char *sql);

/* Whether the server's log contains `needle`. */
int it_log_contains(const struct it_server *s, const char *needle);

/* Asserts the conventions every response shares: API-Version, the
 * security headers, Cache-Control "private, no-store" (or "no-cache" on a
 * 200 or 304), and no Server header. */
void it_assert_conventions(const struct it_response *r);

/* Asserts a problem+json body with the given status and the members every
 * problem has. */
void it_assert_problem(const struct it_response *r, long status);

/* Deletes the clients whose id starts with `prefix` and every profile and
 * audit entry they wrote: a test's own rows, on a database other tests
 * may share. */
void it_remove_client_rows(const char *prefix);

/* Runs `teamplotter ARGV...` (argv: NULL-terminated arguments after the
 * program name) against it_database_url() and returns what it printed on
 * stdout as a new string, or NULL when it did not exit with status 0.
 * Caller frees. */
char *it_capture(const char *const *argv);

/* Whether servers run under valgrind (TEAMPLOTTER_TEST_VALGRIND=1): then
 * it_server_start waits longer for /livez and it_server_stop returns 99 when
 * valgrind found a memory error or a definite leak. */
int it_valgrind(void);

/* How it_raw ends its side of the connection after sending. */
enum it_raw_mode {
  IT_RAW_READ,       /* read the answer until the server closes or the timeout */
  IT_RAW_HALF_CLOSE, /* shutdown(SHUT_WR), then read as IT_RAW_READ */
  IT_RAW_CLOSE,      /* close at once, read nothing */
};

/* Sends `len` raw bytes to the server on a new TCP connection and, unless
 * IT_RAW_CLOSE, reads what comes back until the server closes or
 * `timeout_ms` passed. `*reply` (may be NULL to ignore) is a
 * new NUL-terminated buffer, `*reply_len` its length. Returns 0 when all
 * bytes were sent (a server may close early: then -1, with what it answered
 * still in *reply). */
int it_raw(const struct it_server *s, const void *data, size_t len, enum it_raw_mode mode,
           int timeout_ms, char **reply, size_t *reply_len);

/* Sets how long it_request waits for a whole exchange, in seconds; 0 restores
 * the default (60 s, 600 s under valgrind). */
void it_set_request_timeout(long seconds);

/* The status code of a raw HTTP reply ("HTTP/1.1 431 ..."), or 0. */
int it_raw_status(const char *reply);

/* A TCP connection to the loopback `port`, or -1. */
int it_connect(int port);

/* A test case of `timeout_s` seconds a test whose `setup` and `teardown`
 * run once around all of its tests (an unchecked fixture: one server for
 * the whole case). */
TCase *it_case(const char *name, double timeout_s, SFun setup, SFun teardown);

/* Runs the suite (Check's default fork mode) and returns the exit status of
 * a test binary: 0 when every test passed, else 1. */
int it_run_suite(Suite *s);

/* Prints `what` to stderr and exits 1: a fixture that cannot be
 * set up fails the whole binary. */
void it_fail_setup(const char *what) __attribute__((noreturn));

/* --- JSON, SQL, clients and requests (harness_data.c) ---------------------- */

/* `text` with every ' turned into ", as a new string: JSON written in C
 * without escapes (for bodies without a quote inside a string). */
char *it_json_text(const char *text);

/* it_json_text(text), parsed; asserts it parses. */
json_t *it_json(const char *text);

/* `doc` as compact JSON, a new string. */
char *it_dump(const json_t *doc);

/* The string member `key` of `obj`, or NULL. */
const char *it_str(const json_t *obj, const char *key);

/* The number member `key` of `obj`; asserts it is a number. */
double it_num(const json_t *obj, const char *key);

/* Whether the problem in `r` names `name` with `code` in invalidParams. */
int it_invalid_has(const struct it_response *r, const char *name, const char *code);

/* The first value of SQL with printf arguments on it_database_url(), as a
 * new string (caller frees); asserts the query ran. */
char *it_sqlf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* it_sqlf as a number. */
long it_sql_long(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
double it_sql_double(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A client of the API that a test binary makes for itself. */
struct it_client {
  const char *suffix, *scopes, *gemeenten; /* id is <prefix><suffix> */
  char id[64];
  char secret[128];
  char *token; /* from `teamplotter token ID` */
};

/* Makes the `n` clients with `teamplotter clients add`, checks that the
 * secret it printed is the one stored, and gets each client's token with
 * `teamplotter token`. Returns NULL, or what failed. */
const char *it_clients_add(const char *prefix, struct it_client *clients, size_t n);

/* Frees the tokens of it_clients_add. */
void it_clients_free(struct it_client *clients, size_t n);

/* One request to `s` with `token` as bearer (NULL: none). `extra` is NULL
 * or NULL-terminated headers; a body gets Content-Type: application/json
 * unless `extra` names a Content-Type. Asserts that a response came. */
void it_call(const struct it_server *s, const char *method, const char *path, const char *token,
             const char *const *extra, const char *body, size_t body_len, struct it_response *r);

/* The status of it_call (a problem's shape asserted from 400 on), the
 * response freed. */
long it_status_of(const struct it_server *s, const char *method, const char *path,
                  const char *token, const char *const *extra, const char *body);

/* --- files, processes, charts and CSV (harness_files.c) -------------------- */

/* Runs argv (PATH lookup), its stdout and stderr captured into *out (new
 * string). Returns the exit status, or -1 when it could not run. */
int it_run_captured(const char *const *argv, char **out);

/* Writes `len` bytes to `path`; asserts it worked. */
void it_write_file(const char *path, const char *data, size_t len);

/* `xmllint --noout` accepts the file. */
void it_assert_well_formed(const char *path);

/* The string value of an XPath expression over the file (xmllint). */
char *it_xpath_string(const char *path, const char *expr);

/* Renders `svg` with tests/integration/chart_render.sh (headless Chromium)
 * into `png`, `size` being "WxH" or NULL for the default 800x900, and
 * asserts the PNG is not blank and shows every large filled rectangle's
 * colour of the SVG. A missing chromium is a failure. */
void it_assert_renders(const char *svg, const char *png, const char *size);

/* Parses `s` strictly per RFC 4180: records end in CRLF (the last may not),
 * fields are separated by commas, a field holding a comma, quote or line
 * break is quoted and a quote in it is doubled. Returns an array of records
 * (arrays of strings) or NULL when `s` is not such CSV (*why says where). */
json_t *it_parse_csv(const char *s, const char **why);

/* Splits one CSV line (RFC 4180 quoting) into fields, in place; returns
 * the number of fields, or max + 1 when there are more. */
size_t it_csv_split(char *line, char **fields, size_t max);

#endif
