/* The fixture of the team-profile tests: one server for a test case, the
 * clients of this run, and the requests and profiles they make.
 *
 * Other test binaries may use the same database at the same time: every
 * client a binary makes is named it-tp-<pid>-..., only profiles made by
 * those clients are touched, row counts are taken over those clients only,
 * and teardown removes all of it. */
#include "fixture_teamprofielen.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct it_server srv;

const char *const SERVER_ENV[] = {
    "TEAMPLOTTER_MAX_BODY_BYTES=262144",
    /* Enough for the 20 concurrent writers to be served at once. */
    "TEAMPLOTTER_THREADS=24",
    "TEAMPLOTTER_DB_POOL_SIZE=24",
    NULL,
};

/* it-tp-<pid>-: the prefix of every client id of this run. */
char prefix[48];

struct it_client clients[NCLIENTS] = {
    /* writes for GM0772 (Eindhoven), may read the audit trail */
    [W] = {"w", "teamprofielen.lezen,teamprofielen.schrijven,audittrail.lezen", "GM0772", "", "",
           NULL},
    /* the same for another municipality, GM0363 (Amsterdam) */
    [O] = {"o", "teamprofielen.lezen,teamprofielen.schrijven,audittrail.lezen", "GM0363", "", "",
           NULL},
    /* reads only */
    [R] = {"r", "teamprofielen.lezen", "GM0772", "", "", NULL},
    /* benchmarks only: no team-profile scope at all */
    [B] = {"b", "benchmarks.lezen", "GM0772", "", "", NULL},
    /* reads and writes, but may not read the audit trail */
    [N] = {"n", "teamprofielen.lezen,teamprofielen.schrijven", "GM0772", "", "", NULL},
    /* two municipalities of its own, for the list */
    [L] = {"l", "teamprofielen.lezen,teamprofielen.schrijven,audittrail.lezen", "GM0153,GM0164", "",
           "", NULL},
    /* one of L's municipalities each */
    [L153] = {"l153", "teamprofielen.lezen,audittrail.lezen", "GM0153", "", "", NULL},
    [L164] = {"l164", "teamprofielen.lezen,audittrail.lezen", "GM0164", "", "", NULL},
    /* revoked by a test */
    [X] = {"x", "teamprofielen.lezen,teamprofielen.schrijven", "GM0772", "", "", NULL},
    /* revoked by the test that compares the answers to bad tokens */
    [V] = {"v", "teamprofielen.lezen,teamprofielen.schrijven", "GM0772", "", "", NULL},
    /* its writes can be made to commit slowly (slow_commits_for) */
    [S] = {"s", "teamprofielen.lezen,teamprofielen.schrijven", "GM0772", "", "", NULL},
};

/* From now on every COMMIT that stores, changes or deletes a profile last
 * written by client `c` takes `seconds`: a deferred constraint trigger
 * sleeps at commit time. Over the server's 3 s statement deadline, the
 * server gives up waiting while PostgreSQL goes on and commits. Other
 * clients' writes are not slowed. */
void slow_commits_for(const struct it_client *c, double seconds) {
  char sql[1024];
  snprintf(sql, sizeof(sql),
           "CREATE OR REPLACE FUNCTION it_slow_commit_%1$d() RETURNS trigger LANGUAGE plpgsql AS"
           " $$BEGIN"
           " IF (CASE WHEN TG_OP = 'DELETE' THEN OLD.client_id ELSE NEW.client_id END) = '%2$s'"
           " THEN PERFORM pg_sleep(%3$g); END IF; RETURN NULL; END$$;"
           "SET client_min_messages = warning;"
           "DROP TRIGGER IF EXISTS it_slow_commit_%1$d ON teamprofielen;"
           "CREATE CONSTRAINT TRIGGER it_slow_commit_%1$d"
           " AFTER INSERT OR UPDATE OR DELETE ON teamprofielen DEFERRABLE INITIALLY DEFERRED"
           " FOR EACH ROW EXECUTE FUNCTION it_slow_commit_%1$d()",
           (int)getpid(), c->id, seconds);
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
}

void no_slow_commits(void) {
  char sql[256];
  snprintf(sql, sizeof(sql),
           "SET client_min_messages = warning;"
           "DROP TRIGGER IF EXISTS it_slow_commit_%1$d ON teamprofielen;"
           "DROP FUNCTION IF EXISTS it_slow_commit_%1$d()",
           (int)getpid());
  it_sql_exec(it_database_url(), sql);
}

/* Rows that belong to this run's clients, as one comparable text:
 * profiles / members / member roles / member competencies / audit entries. */
char *own_counts(void) {
  return it_sqlf(
      "SELECT (SELECT count(*) FROM teamprofielen WHERE client_id LIKE '%1$s%%')"
      " || '/' || (SELECT count(*) FROM teamleden l JOIN teamprofielen p ON p.uuid = l.profiel"
      "            WHERE p.client_id LIKE '%1$s%%')"
      " || '/' || (SELECT count(*) FROM teamlid_rollen l JOIN teamprofielen p"
      "            ON p.uuid = l.profiel WHERE p.client_id LIKE '%1$s%%')"
      " || '/' || (SELECT count(*) FROM teamlid_competenties l JOIN teamprofielen p"
      "            ON p.uuid = l.profiel WHERE p.client_id LIKE '%1$s%%')"
      " || '/' || (SELECT count(*) FROM audittrail WHERE client_id LIKE '%1$s%%')",
      prefix);
}

void assert_counts(const char *before, const char *what) {
  char *now = own_counts();
  ck_assert_msg(strcmp(before, now) == 0, "%s: rows changed from %s to %s", what, before, now);
  free(now);
}

void call(const char *method, const char *path, const struct it_client *c, const char *const *extra,
          const char *body, size_t body_len, struct it_response *r) {
  it_call(&srv, method, path, c ? c->token : NULL, extra, body, body_len, r);
}

void call_s(const char *method, const char *path, const struct it_client *c,
            const char *const *extra, const char *body, struct it_response *r) {
  call(method, path, c, extra, body, body ? strlen(body) : 0, r);
}

long status_of(const char *method, const char *path, const struct it_client *c,
               const char *const *extra, const char *body) {
  return it_status_of(&srv, method, path, c ? c->token : NULL, extra, body);
}

/* POSTs `body` as `c`, asserts 201 and fills `p`. */
void create(const struct it_client *c, const char *body, struct profile *p) {
  struct it_response r;
  call_s("POST", "/api/v1/teamprofielen", c, NULL, body, &r);
  ck_assert_msg(r.status == 201, "POST gave %ld: %s", r.status, r.body);
  it_assert_conventions(&r);
  snprintf(p->uuid, sizeof(p->uuid), "%s", json_string_value(json_object_get(r.json, "uuid")));
  snprintf(p->path, sizeof(p->path), "/api/v1/teamprofielen/%s", p->uuid);
  ck_assert_ptr_nonnull(it_header(&r, "ETag"));
  snprintf(p->etag, sizeof(p->etag), "%s", it_header(&r, "ETag"));
  it_response_free(&r);
}

/* The current ETag of `p` by GET as `c`. */
void refresh_etag(const struct it_client *c, struct profile *p) {
  struct it_response r;
  call_s("GET", p->path, c, NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  snprintf(p->etag, sizeof(p->etag), "%s", it_header(&r, "ETag"));
  it_response_free(&r);
}

void if_match(char *out, size_t len, const char *etag) { snprintf(out, len, "If-Match: %s", etag); }

/* A valid body for `gemeente` as a new string. */
char *valid_body(const char *gemeente, const char *peildatum) {
  json_t *doc = it_json(TEAM("GM0000", "2000-01-01", LID_OK "," LID_B));
  json_object_set_new(doc, "gemeente", json_string(gemeente));
  json_object_set_new(doc, "peildatum", json_string(peildatum));
  char *s = it_dump(doc);
  json_decref(doc);
  return s;
}

void create_valid(const struct it_client *c, const char *gemeente, const char *peildatum,
                  struct profile *p) {
  char *body = valid_body(gemeente, peildatum);
  create(c, body, p);
  free(body);
}

void *write_once(void *arg) {
  struct writer *wr = arg;
  const char *h[] = {wr->auth, wr->header, "Content-Type: application/json", NULL};
  pthread_barrier_wait(wr->start);
  wr->rc = it_request(&srv, wr->method, wr->path, h, wr->body, strlen(wr->body), &wr->r);
  return NULL;
}

/* A body with `n` members of 1 fte each. */
char *team_of(size_t n) {
  json_t *leden = json_array();
  for (size_t i = 0; i < n; i++) {
    char label[32];
    snprintf(label, sizeof(label), "Lid %zu", i);
    json_array_append_new(
        leden, json_pack("{s:s, s:f, s:[{s:s, s:f}], s:[{s:s, s:i}]}", "label", label, "fte", 1.0,
                         "rollen", "rol", "webredacteur", "aandeel", 1.0, "competenties", "code",
                         "webanalyse", "niveau", 2));
  }
  json_t *doc =
      json_pack("{s:s, s:s, s:o}", "gemeente", "GM0772", "peildatum", "2026-01-01", "leden", leden);
  char *s = it_dump(doc);
  json_decref(doc);
  return s;
}

/* --- fixture -------------------------------------------------------------- */

static void remove_own_rows(void) {
  no_slow_commits();
  it_remove_client_rows(prefix);
}

void setup(void) {
  snprintf(prefix, sizeof(prefix), "it-tp-%d-", (int)getpid());
  if (it_server_start(&srv, SERVER_ENV) != 0) it_fail_setup("the server did not start");
  const char *failed = it_clients_add(prefix, clients, NCLIENTS);
  if (failed != NULL) it_fail_setup(failed);
}

void teardown(void) {
  remove_own_rows();
  /* Every test sent these tokens and the secrets sign them: neither may
   * appear in the server's log. */
  for (int i = 0; i < NCLIENTS; i++) {
    if (srv.pid > 0 && clients[i].token != NULL &&
        (it_log_contains(&srv, clients[i].token) || it_log_contains(&srv, clients[i].secret))) {
      fprintf(stderr, "fixture_teamprofielen: client %s's token or secret is in the server log\n",
              clients[i].id);
      exit(1);
    }
  }
  it_clients_free(clients, NCLIENTS);
  if (srv.pid > 0 && it_server_stop(&srv) != 0) {
    fprintf(stderr,
            "fixture_teamprofielen: the server did not stop cleanly (see its exit status)\n");
    exit(1);
  }
}
