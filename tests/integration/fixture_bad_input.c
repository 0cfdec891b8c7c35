/* The fixture of the bad-input tests: one server with a 1 MiB body limit,
 * a writer and a benchmark client of this run, the database fingerprint
 * taken before, and failures collected over a whole table of cases. */
#include "fixture_bad_input.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const SERVER_ENV[] = {
    "TEAMPLOTTER_MAX_BODY_BYTES=1048576",
    NULL,
};

struct it_server srv;

char writer_id[64], bench_id[64];
char *writer_token, *bench_token;
static char *db_before;

/* --- failures collected over a whole table --------------------------------- */

void fail_case(struct failures *f, const char *name, const char *fmt, ...) {
  char why[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof(why), fmt, ap);
  va_end(ap);
  fprintf(stderr, "FAIL %s: %s\n", name, why);
  f->count++;
  if (f->len < sizeof(f->text) - 1) {
    int n = snprintf(f->text + f->len, sizeof(f->text) - f->len, "\n  %s: %s", name, why);
    if (n > 0) f->len += (size_t)n;
    if (f->len >= sizeof(f->text)) f->len = sizeof(f->text) - 1;
  }
}

void assert_no_failures(const struct failures *f, const char *table, int cases) {
  ck_assert_msg(f->count == 0, "%d of %d %s cases failed:%s", f->count, cases, table, f->text);
}

/* --- the database fingerprint ----------------------------------------------- */

static const char *const TABLES[] = {"teamprofielen",        "teamleden",  "teamlid_rollen",
                                     "teamlid_competenties", "audittrail", "clients"};

/* "table=count:md5 ..." over every row of the tables a write could touch. */
static char *db_fingerprint(void) {
  char sql[2048];
  size_t used = (size_t)snprintf(sql, sizeof(sql), "SELECT ''");
  for (size_t i = 0; i < sizeof(TABLES) / sizeof(TABLES[0]); i++) {
    used += (size_t)snprintf(sql + used, sizeof(sql) - used,
                             " || ' %1$s=' || (SELECT count(*) || ':' || coalesce(md5(string_agg("
                             "t::text, ',' ORDER BY t::text)), '-') FROM %1$s t)",
                             TABLES[i]);
  }
  return it_sql_value(it_database_url(), sql);
}

void assert_db_unchanged(void) {
  char *now = db_fingerprint();
  ck_assert_ptr_nonnull(now);
  ck_assert_msg(strcmp(now, db_before) == 0, "the database changed:\n before:%s\n after: %s",
                db_before, now);
  free(now);
}

/* --- checks that report instead of aborting -------------------------------- */

/* Whether the server answers /livez with 200 and a plain API request
 * correctly; else why not in `why`. */
int server_answers(char *why, size_t n) {
  struct it_response r;
  int ok = it_get(&srv, "/livez", &r) == 0 && r.status == 200;
  if (!ok) snprintf(why, n, "afterwards /livez gave %ld", r.status);
  it_response_free(&r);
  if (!ok) return 0;
  ok = it_get(&srv, "/api/v1/rolfamilies", &r) == 0 && r.status == 200 && r.json != NULL;
  if (!ok) snprintf(why, n, "afterwards GET /api/v1/rolfamilies gave %ld", r.status);
  it_response_free(&r);
  return ok;
}

/* --- building blocks of paths ------------------------------------------------ */

/* `prefix` followed by `count` parameters `name[i]=value` joined by &
 * (the index only when `numbered`). */
char *params_path(const char *prefix, int count, const char *name, int numbered,
                  const char *value) {
  size_t cap = strlen(prefix) + (size_t)count * (strlen(name) + strlen(value) + 14) + 1;
  char *p = malloc(cap);
  size_t n = (size_t)snprintf(p, cap, "%s", prefix);
  for (int i = 0; i < count; i++) {
    if (numbered) {
      n += (size_t)snprintf(p + n, cap - n, "%s%s%d=%s", i ? "&" : "", name, i, value);
    } else {
      n += (size_t)snprintf(p + n, cap - n, "%s%s=%s", i ? "&" : "", name, value);
    }
  }
  return p;
}

char *padded_path(const char *prefix, size_t total, char fill, const char *suffix) {
  size_t lp = strlen(prefix), ls = strlen(suffix);
  char *p = malloc(total + 1);
  memcpy(p, prefix, lp);
  memset(p + lp, fill, total - lp - ls);
  memcpy(p + total - ls, suffix, ls);
  p[total] = '\0';
  return p;
}

/* --- fixture ------------------------------------------------------------------- */

/* badinput-<pid> writes for GM0855; badinput-<pid>-bench reads benchmarks. */
static struct it_client clients[] = {
    {"", "teamprofielen.schrijven,teamprofielen.lezen", "GM0855", "", "", NULL},
    {"-bench", "benchmarks.lezen", "GM0855", "", "", NULL},
};
#define NCLIENTS (sizeof(clients) / sizeof(clients[0]))

void setup(void) {
  snprintf(writer_id, sizeof(writer_id), "badinput-%d", (int)getpid());
  snprintf(bench_id, sizeof(bench_id), "badinput-%d-bench", (int)getpid());
  if (it_server_start(&srv, SERVER_ENV) != 0) it_fail_setup("the server did not start");
  const char *failed = it_clients_add(writer_id, clients, NCLIENTS);
  if (failed != NULL) it_fail_setup(failed);
  writer_token = clients[0].token;
  bench_token = clients[1].token;
  db_before = db_fingerprint();
  if (db_before == NULL) it_fail_setup("the database fingerprint failed");
}

int teardown_failed;

void teardown(void) {
  it_remove_client_rows(writer_id);
  it_clients_free(clients, NCLIENTS);
  free(db_before);
  if (srv.pid > 0) {
    int rc = it_server_stop_verbose(&srv);
    if (rc != 0) {
      fprintf(stderr, "fixture_bad_input: the server did not stop cleanly (exit status %d%s)\n", rc,
              rc == 99 ? ": valgrind found errors" : "");
      teardown_failed = 1;
    }
  }
}
