/* The audit trail and personal data: purging what is older than the
 * retention period (teamplotter audit purge, tp_audit_housekeeping and the
 * repo function under both), and erasing one profile's content
 * (teamplotter audit erase UUID), against the real binary and a real
 * cluster. Rows are made through the API, then aged by SQL.
 *
 * Other test binaries may use the same database: every client here is
 * it-au-<pid>-..., assertions look at this run's profiles only, and
 * teardown removes their rows, the erasure rows included. */
#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "teamplotter/audit.h"
#include "teamplotter/pool.h"
#include "teamplotter/teamprofielen_repo.h"

static struct it_server srv;
static char prefix[48];
static struct it_client client = {
    "w", "teamprofielen.lezen,teamprofielen.schrijven,audittrail.lezen", "GM0772", "", "", NULL};
static char *token;

/* --- helpers ---------------------------------------------------------------- */

static void execf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void execf(const char *fmt, ...) {
  char sql[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sql, sizeof(sql), fmt, ap);
  va_end(ap);
  ck_assert_msg(it_sql_exec(it_database_url(), sql) == 0, "SQL failed: %s", sql);
}

static char *read_all(const char *path) {
  FILE *f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  char *buf = calloc(1, 65536);
  ck_assert_ptr_nonnull(buf);
  size_t n = fread(buf, 1, 65535, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

/* Runs `teamplotter ARGS...` against the test database with `retention`
 * (NULL: unset) as TEAMPLOTTER_AUDIT_RETENTION_DAYS. Exit status; what it
 * printed in *out and *err (caller frees). */
static int run_cli(const char *retention, char **out, char **err, ...) {
  const char *argv[8] = {TEAMPLOTTER_BINARY_PATH};
  size_t argc = 1;
  va_list ap;
  va_start(ap, err);
  for (const char *a = va_arg(ap, const char *); a != NULL && argc < 7;
       a = va_arg(ap, const char *)) {
    argv[argc++] = a;
  }
  va_end(ap);
  argv[argc] = NULL;
  char out_path[] = "/tmp/teamplotter-audit-out-XXXXXX";
  char err_path[] = "/tmp/teamplotter-audit-err-XXXXXX";
  int ofd = mkstemp(out_path), efd = mkstemp(err_path);
  ck_assert(ofd >= 0 && efd >= 0);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    dup2(ofd, STDOUT_FILENO);
    dup2(efd, STDERR_FILENO);
    setenv("TEAMPLOTTER_DATABASE_URL", it_database_url(), 1);
    setenv("TEAMPLOTTER_LOG_LEVEL", "warning", 1);
    if (retention != NULL) {
      setenv("TEAMPLOTTER_AUDIT_RETENTION_DAYS", retention, 1);
    } else {
      unsetenv("TEAMPLOTTER_AUDIT_RETENTION_DAYS");
    }
    execv(TEAMPLOTTER_BINARY_PATH, (char *const *)argv);
    _exit(127);
  }
  int status = 0;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  close(ofd);
  close(efd);
  *out = read_all(out_path);
  *err = read_all(err_path);
  unlink(out_path);
  unlink(err_path);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* One request with this run's token; `note` (may be NULL) as
 * X-Audit-Toelichting, `if_match` (may be NULL) as If-Match. */
static void call(const char *method, const char *path, const char *if_match, const char *note,
                 const char *body, struct it_response *r) {
  char im[128], xa[1200];
  const char *h[3];
  size_t n = 0;
  if (if_match != NULL) {
    snprintf(im, sizeof(im), "If-Match: %s", if_match);
    h[n++] = im;
  }
  if (note != NULL) {
    snprintf(xa, sizeof(xa), "X-Audit-Toelichting: %s", note);
    h[n++] = xa;
  }
  h[n] = NULL;
  it_call(&srv, method, path, token, h, body, body ? strlen(body) : 0, r);
}

/* A profile of GM0772 whose one member is labelled `label`. */
static char *body_with(const char *label, const char *peildatum) {
  json_t *doc = json_pack(
      "{s:s, s:s, s:[{s:s, s:f, s:[{s:s, s:f}]}]}", "gemeente", "GM0772", "peildatum", peildatum,
      "leden", "label", label, "fte", 0.8, "rollen", "rol", "webredacteur", "aandeel", 0.8);
  char *s = json_dumps(doc, JSON_COMPACT);
  json_decref(doc);
  return s;
}

struct profile {
  char uuid[40];
  char path[96];
  char etag[64];
};

static void post(const char *label, const char *note, struct profile *p) {
  char *body = body_with(label, "2026-01-01");
  struct it_response r;
  call("POST", "/api/v1/teamprofielen", NULL, note, body, &r);
  ck_assert_msg(r.status == 201, "POST gave %ld: %s", r.status, r.body);
  snprintf(p->uuid, sizeof(p->uuid), "%s", json_string_value(json_object_get(r.json, "uuid")));
  snprintf(p->path, sizeof(p->path), "/api/v1/teamprofielen/%s", p->uuid);
  snprintf(p->etag, sizeof(p->etag), "%s", it_header(&r, "ETag"));
  it_response_free(&r);
  free(body);
}

static void put(struct profile *p, const char *label, const char *peildatum, const char *note) {
  char *body = body_with(label, peildatum);
  struct it_response r;
  call("PUT", p->path, p->etag, note, body, &r);
  ck_assert_msg(r.status == 200, "PUT gave %ld: %s", r.status, r.body);
  snprintf(p->etag, sizeof(p->etag), "%s", it_header(&r, "ETag"));
  it_response_free(&r);
  free(body);
}

/* The audit trail of `p` through the API (200 asserted). */
static json_t *trail(const struct profile *p) {
  char path[160];
  snprintf(path, sizeof(path), "%s/audittrail?pageSize=100", p->path);
  struct it_response r;
  call("GET", path, NULL, NULL, NULL, &r);
  ck_assert_msg(r.status == 200, "GET %s gave %ld: %s", path, r.status, r.body);
  json_t *doc = json_incref(r.json);
  it_response_free(&r);
  return doc;
}

static long rows_of(const struct profile *p) {
  return it_sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s'", p->uuid);
}

/* Moves the audit rows of `p` with the given sequence positions (1 is the
 * oldest) `days` days into the past. */
static void age(const struct profile *p, int position, int days) {
  execf("UPDATE audittrail SET aanmaakdatum = aanmaakdatum - make_interval(days => %d)"
        " WHERE uuid = (SELECT uuid FROM audittrail WHERE profiel = '%s'"
        " ORDER BY volgnummer OFFSET %d LIMIT 1)",
        days, p->uuid, position - 1);
}

/* `n` audit rows of a made-up profile, `days` old, written by this run's
 * client; returns the profile's uuid (caller frees). */
static char *old_rows(int n, int days) {
  char *uuid = it_sqlf("SELECT gen_random_uuid()::text");
  execf("INSERT INTO audittrail (profiel, gemeente, client_id, actie, resultaat, aanmaakdatum,"
        " nieuw) SELECT '%s', 'GM0772', '%sbulk', 'update', 200,"
        " now() - make_interval(days => %d) - make_interval(secs => i),"
        " json_build_object('leden', json_build_array(json_build_object('label', 'Lid ' || i)))"
        " FROM generate_series(1, %d) AS i",
        uuid, prefix, days, n);
  return uuid;
}

static void setup(void) {
  snprintf(prefix, sizeof(prefix), "it-au-%d-", (int)getpid());
  if (it_server_start(&srv, NULL) != 0) it_fail_setup("the server did not start");
  const char *failed = it_clients_add(prefix, &client, 1);
  if (failed != NULL) it_fail_setup(failed);
  token = client.token;
}

static void teardown(void) {
  /* The erasure rows carry no client of this run: take them by profile. */
  char sql[512];
  snprintf(sql, sizeof(sql),
           "DELETE FROM audittrail WHERE profiel IN"
           " (SELECT profiel FROM audittrail WHERE client_id LIKE '%s%%')",
           prefix);
  it_sql_exec(it_database_url(), sql);
  it_remove_client_rows(prefix);
  it_clients_free(&client, 1);
  token = NULL;
  if (srv.pid > 0 && it_server_stop_verbose(&srv) != 0) {
    fprintf(stderr, "test_audit: the server did not stop cleanly\n");
    exit(1);
  }
}

/* --- purge ------------------------------------------------------------------- */

START_TEST(purge_removes_old_rows_and_keeps_recent_ones) {
  struct profile p;
  post("Webredactie 1", NULL, &p);
  put(&p, "Webredactie 1", "2026-02-01", NULL);
  put(&p, "Webredactie 1", "2026-03-01", NULL);
  ck_assert_int_eq(rows_of(&p), 3);
  age(&p, 1, 800); /* past two years */
  age(&p, 2, 700); /* within them */
  char *bulk = old_rows(2500, 731);
  char *out = NULL, *err = NULL;
  ck_assert_int_eq(run_cli("730", &out, &err, "audit", "purge", NULL), 0);
  ck_assert_msg(strstr(out, "older than 730 days purged") != NULL, "stdout: %s", out);
  ck_assert_msg(atol(out) >= 2501, "stdout: %s", out);
  free(out);
  free(err);
  /* The old rows went, in more than one batch; the recent ones stayed. */
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s'", bulk), 0);
  ck_assert_int_eq(rows_of(&p), 2);
  json_t *t = trail(&p);
  ck_assert_int_eq(json_integer_value(json_object_get(t, "count")), 2);
  json_t *results = json_object_get(t, "results");
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(results, 0), "actie")),
                   "update");
  json_decref(t);
  /* Nothing old is left: a second run purges nothing. */
  ck_assert_int_eq(run_cli("730", &out, &err, "audit", "purge", NULL), 0);
  ck_assert_msg(strncmp(out, "0 audit rows", 12) == 0, "stdout: %s", out);
  free(out);
  free(err);
  free(bulk);
}
END_TEST

/* The server applies the retention period itself, at start and then every
 * hour: rows past it go without anyone running the command. */
START_TEST(server_purges_at_start) {
  char *bulk = old_rows(30, 40);
  char *recent = old_rows(5, 10);
  struct it_server own;
  const char *env[] = {"TEAMPLOTTER_AUDIT_RETENTION_DAYS=30", NULL};
  ck_assert_int_eq(it_server_start(&own, env), 0);
  long left = -1;
  for (int i = 0; i < 100 && left != 0; i++) {
    left = it_sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s'", bulk);
    if (left != 0) usleep(100 * 1000);
  }
  ck_assert_int_eq(it_server_stop_verbose(&own), 0);
  ck_assert_int_eq(left, 0);
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s'", recent), 5);
  free(bulk);
  free(recent);
}
END_TEST

/* 0 keeps everything; the default is two years. */
START_TEST(purge_keeps_everything_at_0_and_two_years_by_default) {
  struct profile p;
  post("Webredactie 1", NULL, &p);
  put(&p, "Webredactie 1", "2026-02-01", NULL);
  age(&p, 1, 36000);
  age(&p, 2, 729);
  char *out = NULL, *err = NULL;
  ck_assert_int_eq(run_cli("0", &out, &err, "audit", "purge", NULL), 0);
  ck_assert_msg(strstr(out, "kept") != NULL, "stdout: %s", out);
  free(out);
  free(err);
  ck_assert_int_eq(rows_of(&p), 2);
  ck_assert_int_eq(run_cli(NULL, &out, &err, "audit", "purge", NULL), 0);
  ck_assert_msg(strstr(out, "older than 730 days purged") != NULL, "stdout: %s", out);
  free(out);
  free(err);
  ck_assert_int_eq(rows_of(&p), 1);
}
END_TEST

START_TEST(purge_usage_and_bad_settings) {
  char *out = NULL, *err = NULL;
  ck_assert_int_eq(run_cli("730", &out, &err, "audit", "purge", "now", NULL), 2);
  ck_assert_ptr_nonnull(strstr(err, "usage: teamplotter audit"));
  free(out);
  free(err);
  ck_assert_int_eq(run_cli("two years", &out, &err, "audit", "purge", NULL), 2);
  ck_assert_ptr_nonnull(strstr(err, "TEAMPLOTTER_AUDIT_RETENTION_DAYS"));
  free(out);
  free(err);
  ck_assert_int_eq(run_cli("36501", &out, &err, "audit", "purge", NULL), 2);
  ck_assert_ptr_nonnull(strstr(err, "TEAMPLOTTER_AUDIT_RETENTION_DAYS"));
  free(out);
  free(err);
  ck_assert_int_eq(run_cli("730", &out, &err, "audit", NULL), 2);
  ck_assert_ptr_nonnull(strstr(err, "usage: teamplotter audit"));
  free(out);
  free(err);
  ck_assert_int_eq(run_cli("730", &out, &err, "audit", "vergeet", NULL), 2);
  free(out);
  free(err);
}
END_TEST

/* The repo function under both: at most `max_rows` per call, in batches;
 * the housekeeping call takes a connection and gives it back. */
START_TEST(purge_is_bounded_per_call) {
  char *bulk = old_rows(2500, 1000);
  struct tp_pool *pool = NULL;
  struct tp_db *db = NULL;
  ck_assert_int_eq(tp_pool_create(&pool, it_database_url(), 1, 2000), TP_OK);
  ck_assert_int_eq(tp_pool_acquire(pool, &db), TP_OK);
  unsigned long purged = 0;
  ck_assert_int_eq(tp_repo_audittrail_purge(db, 999, 1500, &purged), TP_OK);
  ck_assert_uint_eq(purged, 1500);
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s'", bulk), 1000);
  ck_assert_int_eq(tp_repo_audittrail_purge(db, 0, 0, &purged), TP_OK);
  ck_assert_uint_eq(purged, 0);
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s'", bulk), 1000);
  tp_pool_release(pool, db);
  ck_assert_int_eq(tp_audit_housekeeping(pool, 0), TP_OK);
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s'", bulk), 1000);
  ck_assert_int_eq(tp_audit_housekeeping(pool, 999), TP_OK);
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s'", bulk), 0);
  unsigned in_use, size;
  tp_pool_stats(pool, &in_use, &size);
  ck_assert_uint_eq(in_use, 0);
  /* With every connection taken it waits, then says so. */
  ck_assert_int_eq(tp_pool_acquire(pool, &db), TP_OK);
  ck_assert_int_eq(tp_audit_housekeeping(pool, 999), TP_ERR_UNAVAILABLE);
  tp_pool_release(pool, db);
  tp_pool_destroy(pool);
  free(bulk);
}
END_TEST

/* --- erase ------------------------------------------------------------------- */

START_TEST(erase_clears_content_and_records_itself) {
  struct profile p, kept;
  post("Jan Jansen", "Jan Jansen begint op 1 januari.", &p);
  put(&p, "Webredactie 1", "2026-02-01", "Naam vervangen door een functie.");
  post("Webredactie 2", "Eerste opgave.", &kept);
  long kept_rows = rows_of(&kept);
  char *out = NULL, *err = NULL;
  ck_assert_int_eq(run_cli(NULL, &out, &err, "audit", "erase", p.uuid, NULL), 0);
  ck_assert_msg(strstr(out, "2 audit rows") != NULL, "stdout: %s", out);
  /* The profile itself is still there, and the command says so. */
  ck_assert_msg(strstr(out, "still exists") != NULL, "stdout: %s", out);
  free(out);
  free(err);
  /* No trace of the content; one row more, the erasure, with none either. */
  ck_assert_int_eq(rows_of(&p), 3);
  ck_assert_int_eq(
      it_sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s'"
                  " AND (oud IS NOT NULL OR nieuw IS NOT NULL OR toelichting IS NOT NULL)",
                  p.uuid),
      0);
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s'"
                               " AND actie = 'erase' AND client_id = 'teamplotter audit erase'",
                               p.uuid),
                   1);
  json_t *t = trail(&p);
  char *text = json_dumps(t, JSON_COMPACT);
  ck_assert_ptr_null(strstr(text, "Jan"));
  free(text);
  json_t *results = json_object_get(t, "results");
  ck_assert_int_eq(json_array_size(results), 3);
  json_t *last = json_array_get(results, 2);
  ck_assert_str_eq(json_string_value(json_object_get(last, "actie")), "erase");
  ck_assert_str_eq(json_string_value(json_object_get(last, "gemeente")), "GM0772");
  ck_assert_int_eq(json_integer_value(json_object_get(last, "resultaat")), 200);
  ck_assert(json_is_null(json_object_get(last, "oud")) &&
            json_is_null(json_object_get(last, "nieuw")) &&
            json_is_null(json_object_get(last, "toelichting")));
  /* Who changed what and when stays. */
  json_t *first = json_array_get(results, 0);
  ck_assert_str_eq(json_string_value(json_object_get(first, "actie")), "create");
  ck_assert_str_eq(json_string_value(json_object_get(first, "clientId")), client.id);
  json_decref(t);
  /* Another profile keeps its trail whole. */
  ck_assert_int_eq(rows_of(&kept), kept_rows);
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s'"
                               " AND nieuw IS NOT NULL AND toelichting IS NOT NULL",
                               kept.uuid),
                   kept_rows);
  /* Erasing again finds nothing and records nothing. */
  ck_assert_int_eq(run_cli(NULL, &out, &err, "audit", "erase", p.uuid, NULL), 0);
  ck_assert_msg(strstr(out, "nothing to erase") != NULL, "stdout: %s", out);
  free(out);
  free(err);
  ck_assert_int_eq(rows_of(&p), 3);
}
END_TEST

/* A profile that is gone: its trail is all that held its content. */
/* The answer kept for an Idempotency-Key holds the profile as created,
 * labels included: the erasure takes it too. */
START_TEST(erase_takes_the_answers_kept_for_idempotency_keys) {
  char *body = body_with("Jan Jansen", "2026-01-01");
  char auth[4096], key[96];
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
  snprintf(key, sizeof(key), "Idempotency-Key: \"%serase\"", prefix);
  const char *h[] = {auth, key, "Content-Type: application/json", NULL};
  struct it_response r;
  ck_assert_int_eq(it_request(&srv, "POST", "/api/v1/teamprofielen", h, body, strlen(body), &r), 0);
  ck_assert_msg(r.status == 201, "POST gave %ld: %s", r.status, r.body);
  char uuid[40];
  snprintf(uuid, sizeof(uuid), "%s", json_string_value(json_object_get(r.json, "uuid")));
  it_response_free(&r);
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM idempotentiesleutels WHERE teamprofiel = '%s'"
                               " AND antwoord LIKE '%%Jan Jansen%%'",
                               uuid),
                   1);
  char *out = NULL, *err = NULL;
  ck_assert_int_eq(run_cli(NULL, &out, &err, "audit", "erase", uuid, NULL), 0);
  ck_assert_msg(strstr(out, "1 answers kept for idempotency keys") != NULL, "stdout: %s", out);
  free(out);
  free(err);
  ck_assert_int_eq(
      it_sql_long("SELECT count(*) FROM idempotentiesleutels WHERE teamprofiel = '%s'", uuid), 0);
  free(body);
}
END_TEST

START_TEST(erase_after_delete) {
  struct profile p;
  post("Piet Pietersen", NULL, &p);
  struct it_response r;
  call("DELETE", p.path, p.etag, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 204);
  it_response_free(&r);
  char *out = NULL, *err = NULL;
  ck_assert_int_eq(run_cli(NULL, &out, &err, "audit", "erase", p.uuid, NULL), 0);
  ck_assert_msg(strstr(out, "2 audit rows") != NULL, "stdout: %s", out);
  ck_assert_ptr_null(strstr(out, "still exists"));
  free(out);
  free(err);
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s'"
                               " AND (oud::text LIKE '%%Piet%%' OR nieuw::text LIKE '%%Piet%%')",
                               p.uuid),
                   0);
  json_t *t = trail(&p);
  ck_assert_int_eq(json_integer_value(json_object_get(t, "count")), 3);
  json_decref(t);
}
END_TEST

START_TEST(erase_usage_and_unknown_profiles) {
  char *out = NULL, *err = NULL;
  /* A uuid without a trail: 1. */
  ck_assert_int_eq(run_cli(NULL, &out, &err, "audit", "erase",
                           "00000000-0000-4000-8000-000000000000", NULL),
                   1);
  ck_assert_msg(strstr(err, "no audit trail") != NULL, "stderr: %s", err);
  free(out);
  free(err);
  /* A reference profile changes only by import: no trail either. */
  char *ref = it_sqlf("SELECT uuid FROM teamprofielen WHERE referentie LIMIT 1");
  ck_assert_int_eq(run_cli(NULL, &out, &err, "audit", "erase", ref, NULL), 1);
  free(ref);
  free(out);
  free(err);
  /* Not a uuid, or no argument: usage, 2. */
  ck_assert_int_eq(run_cli(NULL, &out, &err, "audit", "erase", "GM0772", NULL), 2);
  ck_assert_msg(strstr(err, "not a UUID") != NULL, "stderr: %s", err);
  free(out);
  free(err);
  ck_assert_int_eq(run_cli(NULL, &out, &err, "audit", "erase", NULL), 2);
  ck_assert_ptr_nonnull(strstr(err, "usage: teamplotter audit"));
  free(out);
  free(err);
  ck_assert_int_eq(
      run_cli(NULL, &out, &err, "audit", "erase", "00000000-0000-4000-8000-000000000000", "x",
              NULL),
      2);
  free(out);
  free(err);
}
END_TEST

int main(void) {
  Suite *s = suite_create("audit");
  TCase *tc = tcase_create("audit");
  tcase_set_timeout(tc, it_valgrind() ? 1200 : 120);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, purge_removes_old_rows_and_keeps_recent_ones);
  tcase_add_test(tc, purge_keeps_everything_at_0_and_two_years_by_default);
  tcase_add_test(tc, purge_usage_and_bad_settings);
  tcase_add_test(tc, server_purges_at_start);
  tcase_add_test(tc, purge_is_bounded_per_call);
  tcase_add_test(tc, erase_clears_content_and_records_itself);
  tcase_add_test(tc, erase_after_delete);
  tcase_add_test(tc, erase_takes_the_answers_kept_for_idempotency_keys);
  tcase_add_test(tc, erase_usage_and_unknown_profiles);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
