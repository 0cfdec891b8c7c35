#ifndef TEAMPLOTTER_FIXTURE_BAD_INPUT_H
#define TEAMPLOTTER_FIXTURE_BAD_INPUT_H

/* The fixture of the bad-input tests (fixture_bad_input.c). */

#include <stddef.h>

#include "harness.h"

/* The server's TEAMPLOTTER_MAX_BODY_BYTES (in SERVER_ENV). */
#define MAX_BODY 1048576
#define MB 1000000u

/* ASan and valgrind make everything slower; time limits scale with it. */
#if defined(__SANITIZE_ADDRESS__)
#define SLOWDOWN 4
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLOWDOWN 4
#endif
#endif
#ifndef SLOWDOWN
#define SLOWDOWN 1
#endif

/* Seconds a test case of these binaries may take. */
#define BAD_INPUT_TIMEOUT (it_valgrind() ? 7200 : 600)

extern const char *const SERVER_ENV[];
extern struct it_server srv;

/* badinput-<pid>: writes for GM0855; badinput-<pid>-bench: benchmarks. */
extern char writer_id[64], bench_id[64];
extern char *writer_token, *bench_token;

/* The unchecked fixture of a test case (it_case). */
void setup(void);
void teardown(void);

/* Set when the shared server did not stop cleanly: main then fails after
 * Check has reported every test. */
extern int teardown_failed;

/* Failures collected over a whole table: a failing case does not stop the
 * run, and all are reported together by assert_no_failures. */
struct failures {
  char text[16384];
  size_t len;
  int count;
};
void fail_case(struct failures *f, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void assert_no_failures(const struct failures *f, const char *table, int cases);

/* The database is what it was at setup (a row count and checksum of the
 * tables a write could touch). */
void assert_db_unchanged(void);

/* Whether the server answers /livez with 200 and a plain API request
 * correctly; else why not in `why`. */
int server_answers(char *why, size_t n);

/* A body of `len` bytes (not NUL-terminated for the server). */
struct blob {
  char *data;
  size_t len;
};

/* `prefix` followed by `count` parameters `name[i]=value` joined by &
 * (the index only when `numbered`), as a new string. */
char *params_path(const char *prefix, int count, const char *name, int numbered, const char *value);

/* `prefix`, `fill` up to `total` bytes with `suffix` at the end, as a new
 * string. */
char *padded_path(const char *prefix, size_t total, char fill, const char *suffix);

#endif
