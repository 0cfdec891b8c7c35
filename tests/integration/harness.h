#ifndef TEAMPLOTTER_TEST_HARNESS_H
#define TEAMPLOTTER_TEST_HARNESS_H

/* Integration-test harness: runs the real teamplotter binary on a free
 * loopback port against the throwaway cluster from scripts/dev.sh
 * (TEAMPLOTTER_DATABASE_URL) and talks to it over real HTTP (libcurl). */

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#define IT_MAX_HEADERS 64

struct it_server {
  pid_t pid;
  int port;
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

/* The database URL under test; aborts the test binary when unset. */
const char *it_database_url(void);

/* Runs `teamplotter ARG` with `url` as database; returns its exit status. */
int it_run_binary(const char *arg, const char *url);

/* Starts a server; `env` is NULL or a NULL-terminated list of "NAME=value"
 * additions. Waits until /livez answers. Returns 0 on success. */
int it_server_start(struct it_server *s, const char *const *env);

/* Sends SIGTERM and waits; returns the exit status (or -1). */
int it_server_stop(struct it_server *s);

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

/* Asserts the conventions every response shares: API-Version and the
 * security headers, and no Server header. */
void it_assert_conventions(const struct it_response *r);

/* Asserts a problem+json body with the given status and the members every
 * problem has. */
void it_assert_problem(const struct it_response *r, long status);

/* Runs `teamplotter ARGV...` (argv: NULL-terminated arguments after the
 * program name) against it_database_url() and returns what it printed on
 * stdout as a new string, or NULL when it did not exit with status 0.
 * Caller frees. */
char *it_capture(const char *const *argv);

#endif
