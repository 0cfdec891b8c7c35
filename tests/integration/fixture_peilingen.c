/* The fixture of the benchmark-round tests: a server, the clients of this
 * run, and helpers for rounds and profiles. */
#include "fixture_peilingen.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct it_server srv;

static const char *const SERVER_ENV[] = {
    "TEAMPLOTTER_THREADS=8",
    "TEAMPLOTTER_DB_POOL_SIZE=8",
    NULL,
};

/* it-pl-<pid>-: the prefix of every client id of this run. */
static char prefix[48];
/* The pid of the process that set up: tests run in children of it. */
static int run;
char today[16];

struct it_client clients[NCLIENTS] = {
    [P] = {"p", "peilingen.beheren,benchmarks.lezen", "GM0363", "", "", NULL},
    [B] = {"b", "benchmarks.lezen", "GM0363", "", "", NULL},
    [O] = {"o", "peilingen.beheren", "GM0363", "", "", NULL},
    [W] = {"w", "teamprofielen.lezen,teamprofielen.schrijven",
           "GM0003,GM0072,GM0175,GM0180,GM0221", "", "", NULL},
};

void round_name(const char *suffix, char out[48]) {
  snprintf(out, 48, "it-%d-%s", run, suffix);
}

void setup(void) {
  run = (int)getpid();
  snprintf(prefix, sizeof(prefix), "it-pl-%d-", run);
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(today, sizeof(today), "%Y-%m-%d", &tm);
  if (it_server_start(&srv, SERVER_ENV) != 0) it_fail_setup("the server did not start");
  const char *failed = it_clients_add(prefix, clients, NCLIENTS);
  if (failed != NULL) it_fail_setup(failed);
}

void teardown(void) {
  /* Rounds the command line made carry no client of this run. */
  char sql[256];
  snprintf(sql, sizeof(sql), "DELETE FROM peilingen WHERE naam LIKE 'it-%d-%%'", run);
  it_sql_exec(it_database_url(), sql);
  snprintf(sql, sizeof(sql), "DELETE FROM peiling_verwijderingen WHERE peiling LIKE 'it-%d-%%'",
           run);
  it_sql_exec(it_database_url(), sql);
  it_remove_client_rows(prefix);
  it_clients_free(clients, NCLIENTS);
  if (srv.pid > 0 && it_server_stop(&srv) != 0) {
    fprintf(stderr, "fixture_peilingen: the server did not stop cleanly\n");
    exit(1);
  }
}

void call(const char *method, const char *path, const struct it_client *c,
          const char *const *extra, const char *body, struct it_response *r) {
  it_call(&srv, method, path, c ? c->token : NULL, extra, body, body ? strlen(body) : 0, r);
}

long status_of(const char *method, const char *path, const struct it_client *c,
               const char *const *extra, const char *body) {
  return it_status_of(&srv, method, path, c ? c->token : NULL, extra, body);
}

void post_round(const struct it_client *c, const char *naam, const char *peildatum,
                const char *toelichting, struct it_response *r) {
  json_t *body = json_pack("{s:s, s:s}", "naam", naam, "peildatum", peildatum);
  if (toelichting != NULL) json_object_set_new(body, "toelichting", json_string(toelichting));
  char *text = it_dump(body);
  call("POST", "/api/v1/peilingen", c, NULL, text, r);
  free(text);
  json_decref(body);
}

json_t *make_round(const char *naam, const char *peildatum) {
  struct it_response r;
  post_round(&clients[P], naam, peildatum, NULL, &r);
  ck_assert_msg(r.status == 201, "POST round %s gave %ld: %s", naam, r.status, r.body);
  json_t *doc = json_incref(r.json);
  it_response_free(&r);
  return doc;
}

char *get_text(const char *path, const struct it_client *c, int csv) {
  const char *accept[] = {"Accept: text/csv", NULL};
  struct it_response r;
  call("GET", path, c, csv ? accept : NULL, NULL, &r);
  ck_assert_msg(r.status == 200, "GET %s gave %ld: %s", path, r.status, r.body);
  char *text = strdup(r.body ? r.body : "");
  it_response_free(&r);
  return text;
}

char *all_results(const char *path, const struct it_client *c) {
  size_t cap = 1 << 16, len = 0;
  char *out = malloc(cap);
  ck_assert_ptr_nonnull(out);
  out[len++] = '[';
  for (long page = 1;; page++) {
    char url[512];
    snprintf(url, sizeof(url), "%s%cpageSize=3&page=%ld", path, strchr(path, '?') ? '&' : '?',
             page);
    char *body = get_text(url, c, 0);
    /* The rows as the page wrote them: from `"results":[` to the closing `]}`. */
    const char *at = strstr(body, "\"results\":[");
    ck_assert_ptr_nonnull(at);
    at += strlen("\"results\":[");
    size_t n = strlen(at);
    ck_assert(n >= 2 && strcmp(at + n - 2, "]}") == 0);
    n -= 2;
    if (n > 0) {
      while (len + n + 3 > cap) ck_assert_ptr_nonnull(out = realloc(out, cap *= 2));
      if (len > 1) out[len++] = ',';
      memcpy(out + len, at, n);
      len += n;
    }
    int last = strstr(body, "\"next\":null") != NULL;
    free(body);
    if (last) break;
  }
  out[len++] = ']';
  out[len] = '\0';
  return out;
}

void make_profile(const char *gemeente, const char *peildatum, double fte, char path[96]) {
  json_t *body = json_pack("{s:s, s:s, s:[{s:s, s:f, s:[{s:s, s:f}], s:[]}]}", "gemeente",
                           gemeente, "peildatum", peildatum, "leden", "label", "A", "fte", fte,
                           "rollen", "rol", "webredacteur", "aandeel", fte, "competenties");
  char *text = it_dump(body);
  struct it_response r;
  call("POST", "/api/v1/teamprofielen", &clients[W], NULL, text, &r);
  ck_assert_msg(r.status == 201, "POST profile gave %ld: %s", r.status, r.body);
  snprintf(path, 96, "%s", it_header(&r, "Location"));
  it_response_free(&r);
  free(text);
  json_decref(body);
}
