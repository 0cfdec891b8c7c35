/* Team profiles: POST, PUT and DELETE with If-Match (428/412), ETags and
 * Location, text limits, 20 concurrent writers of which one wins, and a
 * connection killed mid-request that leaves no partial profile. */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fixture_teamprofielen.h"

/* --- ETags, If-Match, Location -------------------------------------------- */

START_TEST(post_is_201_with_location_of_the_same_document) {
  char *body = valid_body("GM0772", "2026-01-01");
  struct it_response post, get;
  call_s("POST", "/api/v1/teamprofielen", &clients[W], NULL, body, &post);
  ck_assert_int_eq(post.status, 201);
  it_assert_conventions(&post);
  ck_assert_str_eq(it_header(&post, "Content-Type"), "application/json");
  const char *location = it_header(&post, "Location");
  ck_assert_ptr_nonnull(location);
  char want[96];
  snprintf(want, sizeof(want), "/api/v1/teamprofielen/%s",
           json_string_value(json_object_get(post.json, "uuid")));
  ck_assert_str_eq(location, want);
  call_s("GET", location, &clients[W], NULL, NULL, &get);
  ck_assert_int_eq(get.status, 200);
  ck_assert_uint_eq(get.body_len, post.body_len);
  ck_assert_str_eq(get.body, post.body);
  ck_assert_str_eq(it_header(&get, "ETag"), it_header(&post, "ETag"));
  /* What was sent is what is stored. */
  json_t *sent = it_json(TEAM("GM0772", "2026-01-01", LID_OK "," LID_B));
  ck_assert(json_equal(json_object_get(get.json, "leden"), json_object_get(sent, "leden")));
  ck_assert_str_eq(json_string_value(json_object_get(get.json, "gemeente")), "GM0772");
  ck_assert_str_eq(json_string_value(json_object_get(get.json, "peildatum")), "2026-01-01");
  ck_assert_str_eq(json_string_value(json_object_get(get.json, "herkomst")), "opgave");
  ck_assert(json_is_false(json_object_get(get.json, "referentie")));
  json_decref(sent);
  /* If-None-Match with that ETag: 304. */
  char inm[128];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", it_header(&post, "ETag"));
  const char *h[] = {inm, NULL};
  struct it_response cond;
  call_s("GET", location, &clients[W], h, NULL, &cond);
  ck_assert_int_eq(cond.status, 304);
  it_response_free(&cond);
  it_response_free(&get);
  it_response_free(&post);
  free(body);
  /* application/json with a charset is JSON too. */
  const char *ct[] = {"Content-Type: application/json; charset=utf-8", NULL};
  char *again = valid_body("GM0772", "2026-01-02");
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen", &clients[W], ct, again), 201);
  free(again);
}
END_TEST

START_TEST(put_and_delete_need_if_match) {
  const struct it_client *w = &clients[W];
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  char *body = valid_body("GM0772", "2026-06-30");
  char *before = own_counts();
  /* Without If-Match: 428. */
  ck_assert_int_eq(status_of("PUT", p.path, w, NULL, body), 428);
  ck_assert_int_eq(status_of("DELETE", p.path, w, NULL, NULL), 428);
  /* A stale or made-up ETag: 412. */
  const char *stale[] = {"If-Match: \"00000000000000000000000000000000\"", NULL};
  ck_assert_int_eq(status_of("PUT", p.path, w, stale, body), 412);
  ck_assert_int_eq(status_of("DELETE", p.path, w, stale, NULL), 412);
  assert_counts(before, "PUT/DELETE without a valid If-Match");
  free(before);

  /* The right ETag: 200 with the new ETag, which a GET then shows. */
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, NULL};
  struct it_response put, get;
  call_s("PUT", p.path, w, h, body, &put);
  ck_assert_int_eq(put.status, 200);
  it_assert_conventions(&put);
  const char *new_etag = it_header(&put, "ETag");
  ck_assert_ptr_nonnull(new_etag);
  ck_assert_str_ne(new_etag, p.etag);
  call_s("GET", p.path, w, NULL, NULL, &get);
  ck_assert_int_eq(get.status, 200);
  ck_assert_str_eq(it_header(&get, "ETag"), new_etag);
  ck_assert_str_eq(get.body, put.body);
  ck_assert_str_eq(json_string_value(json_object_get(get.json, "peildatum")), "2026-06-30");
  ck_assert_str_eq(json_string_value(json_object_get(get.json, "uuid")), p.uuid);
  char old_etag[64];
  snprintf(old_etag, sizeof(old_etag), "%s", p.etag);
  snprintf(p.etag, sizeof(p.etag), "%s", new_etag);
  it_response_free(&put);
  it_response_free(&get);

  /* The old ETag is stale now. */
  char old[128];
  if_match(old, sizeof(old), old_etag);
  const char *oh[] = {old, NULL};
  ck_assert_int_eq(status_of("PUT", p.path, w, oh, body), 412);
  ck_assert_int_eq(status_of("DELETE", p.path, w, oh, NULL), 412);

  /* DELETE with the current ETag: 204, then gone. */
  if_match(im, sizeof(im), p.etag);
  struct it_response del;
  call_s("DELETE", p.path, w, h, NULL, &del);
  ck_assert_int_eq(del.status, 204);
  ck_assert_uint_eq(del.body_len, 0);
  it_assert_conventions(&del);
  it_response_free(&del);
  ck_assert_int_eq(status_of("GET", p.path, w, NULL, NULL), 404);
  ck_assert_int_eq(status_of("DELETE", p.path, w, h, NULL), 404);
  ck_assert_int_eq(status_of("PUT", p.path, w, h, body), 404);
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM teamleden WHERE profiel = '%s'", p.uuid), 0);
  free(body);
}
END_TEST

START_TEST(if_match_is_an_entity_tag_list_compared_strongly) {
  const struct it_client *w = &clients[W];
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  char *body = valid_body("GM0772", "2026-08-01");
  char h1[256];
  /* A weak tag never matches for If-Match. */
  snprintf(h1, sizeof(h1), "If-Match: W/%s", p.etag);
  const char *weak[] = {h1, NULL};
  ck_assert_int_eq(status_of("PUT", p.path, w, weak, body), 412);
  ck_assert_int_eq(status_of("DELETE", p.path, w, weak, NULL), 412);
  /* A list with the current tag somewhere in it matches. */
  snprintf(h1, sizeof(h1), "If-Match: \"0123\", %s ,\"4567\"", p.etag);
  const char *listed[] = {h1, NULL};
  struct it_response r;
  call_s("PUT", p.path, w, listed, body, &r);
  ck_assert_int_eq(r.status, 200);
  snprintf(p.etag, sizeof(p.etag), "%s", it_header(&r, "ETag"));
  it_response_free(&r);
  /* A list without it does not. */
  const char *others[] = {"If-Match: \"0123\", \"4567\"", NULL};
  ck_assert_int_eq(status_of("PUT", p.path, w, others, body), 412);
  /* "*" matches any current profile... */
  char *body2 = valid_body("GM0772", "2026-09-01");
  const char *star[] = {"If-Match: *", NULL};
  call_s("PUT", p.path, w, star, body2, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(json_string_value(json_object_get(r.json, "peildatum")), "2026-09-01");
  it_response_free(&r);
  ck_assert_int_eq(status_of("DELETE", p.path, w, star, NULL), 204);
  /* ...and no profile that is gone. */
  ck_assert_int_eq(status_of("PUT", p.path, w, star, body2), 404);
  ck_assert_int_eq(status_of("DELETE", p.path, w, star, NULL), 404);
  free(body);
  free(body2);
}
END_TEST

/* "*" counts only as the whole field; a malformed If-Match names no tag,
 * even the current one, so PUT and DELETE are 412 and change nothing. */
START_TEST(malformed_if_match_is_412_and_changes_nothing) {
  const struct it_client *w = &clients[W];
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  char *body = valid_body("GM0772", "2026-10-01");
  char *before = own_counts();
  char *doc_before =
      it_sqlf("SELECT md5(doc::text) FROM api_teamprofielen WHERE uuid = '%s'", p.uuid);
  char with_tag[160], weak_star[160];
  snprintf(with_tag, sizeof(with_tag), "If-Match: %s, *junk", p.etag);
  snprintf(weak_star, sizeof(weak_star), "If-Match: *%s", p.etag);
  const char *fields[] = {"If-Match: *\"stale\"", "If-Match: \"stale\", *junk", with_tag,
                          weak_star, "If-Match: *, *", "If-Match: stale"};
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
    const char *h[] = {fields[i], NULL};
    ck_assert_msg(status_of("PUT", p.path, w, h, body) == 412, "PUT with %s", fields[i]);
    ck_assert_msg(status_of("DELETE", p.path, w, h, NULL) == 412, "DELETE with %s", fields[i]);
  }
  assert_counts(before, "PUT/DELETE with a malformed If-Match");
  /* The answer says why: not that the profile changed. */
  const char *h[] = {fields[0], NULL};
  struct it_response r;
  call_s("PUT", p.path, w, h, body, &r);
  it_assert_problem(&r, 412);
  ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(r.json, "detail")), "If-Match"));
  it_response_free(&r);
  char *doc_after =
      it_sqlf("SELECT md5(doc::text) FROM api_teamprofielen WHERE uuid = '%s'", p.uuid);
  ck_assert_str_eq(doc_before, doc_after);
  /* A GET with such a field in If-None-Match: never 304. */
  snprintf(with_tag, sizeof(with_tag), "If-None-Match: %s, *junk", p.etag);
  const char *inm[] = {with_tag, NULL};
  ck_assert_int_eq(status_of("GET", p.path, w, inm, NULL), 200);
  free(doc_before);
  free(doc_after);
  free(before);
  free(body);
}
END_TEST

START_TEST(writes_take_no_query_parameters) {
  const struct it_client *w = &clients[W];
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  char *before = own_counts();
  char *body = valid_body("GM0772", "2026-02-01");
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen?dryRun=true", w, NULL, body), 400);
  char path[160], im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, NULL};
  snprintf(path, sizeof(path), "%s?force=1", p.path);
  ck_assert_int_eq(status_of("PUT", path, w, h, body), 400);
  ck_assert_int_eq(status_of("DELETE", path, w, h, NULL), 400);
  ck_assert_int_eq(status_of("GET", path, w, NULL, NULL), 400);
  assert_counts(before, "writes with a query");
  free(before);
  free(body);
}
END_TEST

START_TEST(text_limits_count_characters) {
  /* A label of 200 characters of two bytes each is allowed; 201 is not. */
  char label[512];
  for (int i = 0; i < 201; i++) memcpy(label + 2 * i, "\xc3\xa9", 2);
  label[400] = '\0';
  json_t *doc = it_json(TEAM("GM0772", "2026-01-01", LID_OK));
  json_t *lid = json_array_get(json_object_get(doc, "leden"), 0);
  json_object_set_new(lid, "label", json_string(label));
  char *ok = it_dump(doc);
  label[400] = '\xc3';
  label[401] = '\xa9';
  label[402] = '\0';
  json_object_set_new(lid, "label", json_string(label));
  char *too_long = it_dump(doc);
  json_decref(doc);
  struct profile p;
  create(&clients[W], ok, &p);
  struct it_response r;
  call_s("POST", "/api/v1/teamprofielen", &clients[W], NULL, too_long, &r);
  it_assert_problem(&r, 400);
  ck_assert(it_invalid_has(&r, "leden.0.label", "invalid-length"));
  it_response_free(&r);

  /* X-Audit-Toelichting: 1000 characters (2000 bytes) are allowed. */
  static char header[4200];
  int n = snprintf(header, sizeof(header), "X-Audit-Toelichting: ");
  for (int i = 0; i < 1000; i++) n += snprintf(header + n, sizeof(header) - (size_t)n, "\xc3\xab");
  const char *h[] = {header, NULL};
  ck_assert_int_eq(status_of("POST", "/api/v1/teamprofielen", &clients[W], h, ok), 201);
  snprintf(header + n, sizeof(header) - (size_t)n, "\xc3\xab");
  char *before = own_counts();
  call_s("POST", "/api/v1/teamprofielen", &clients[W], h, ok, &r);
  it_assert_problem(&r, 400);
  ck_assert(it_invalid_has(&r, "X-Audit-Toelichting", "max-length"));
  it_response_free(&r);
  assert_counts(before, "a note of 1001 characters");
  free(before);
  free(ok);
  free(too_long);
}
END_TEST

START_TEST(audittrail_follows_the_profile_to_its_new_municipality) {
  /* L writes for GM0153 and GM0164 and moves a profile from one to the
   * other: the trail then belongs to GM0164. */
  const struct it_client *l = &clients[L];
  struct profile p;
  create_valid(l, "GM0153", "2026-01-01", &p);
  char trail[160];
  snprintf(trail, sizeof(trail), "%s/audittrail", p.path);
  ck_assert_int_eq(status_of("GET", trail, &clients[L153], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", trail, &clients[L164], NULL, NULL), 403);
  char *body = valid_body("GM0164", "2026-01-01");
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, NULL};
  ck_assert_int_eq(status_of("PUT", p.path, l, h, body), 200);
  ck_assert_int_eq(status_of("GET", p.path, &clients[L153], NULL, NULL), 403);
  ck_assert_int_eq(status_of("GET", p.path, &clients[L164], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", trail, &clients[L153], NULL, NULL), 403);
  ck_assert_int_eq(status_of("GET", trail, &clients[L164], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", trail, l, NULL, NULL), 200);
  free(body);
}
END_TEST

/* --- 20 writers at once ---------------------------------------------------- */

#define WRITERS 20

/* Writer i's body: its own date, note and 60..79 members (big enough
 * that the writes overlap in the server). */
static char *writer_body(int i) {
  json_t *leden = json_array();
  for (int k = 0; k < 60 + i; k++) {
    char label[48];
    snprintf(label, sizeof(label), "Schrijver %02d lid %d", i, k);
    json_array_append_new(
        leden, json_pack("{s:s, s:f, s:[{s:s, s:f}, {s:s, s:f}], s:[{s:s, s:i}]}", "label", label,
                         "fte", 1.0, "rollen", "rol", "webredacteur", "aandeel", 0.5, "rol",
                         "verbinder", "aandeel", 0.5, "competenties", "code", "webanalyse",
                         "niveau", 1 + (i + k) % 4));
  }
  char date[24], note[32];
  snprintf(date, sizeof(date), "2026-03-%02d", i + 1);
  snprintf(note, sizeof(note), "schrijver %02d", i);
  json_t *doc = json_pack("{s:s, s:s, s:s, s:o}", "gemeente", "GM0772", "peildatum", date,
                          "toelichting", note, "leden", leden);
  char *s = it_dump(doc);
  json_decref(doc);
  return s;
}

START_TEST(twenty_concurrent_puts_one_wins) {
  const struct it_client *w = &clients[W];
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  /* libcurl's global state is set up before threads use it. */
  ck_assert_int_eq(curl_global_init(CURL_GLOBAL_DEFAULT), 0);
  char auth[4096], im[128];
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s", w->token);
  if_match(im, sizeof(im), p.etag);
  pthread_barrier_t start;
  ck_assert_int_eq(pthread_barrier_init(&start, NULL, WRITERS), 0);
  struct writer writers[WRITERS];
  pthread_t threads[WRITERS];
  for (int i = 0; i < WRITERS; i++) {
    writers[i] = (struct writer){&start, "PUT", p.path, auth, im, writer_body(i), -1, {0}};
  }
  for (int i = 0; i < WRITERS; i++) {
    ck_assert_int_eq(pthread_create(&threads[i], NULL, write_once, &writers[i]), 0);
  }
  for (int i = 0; i < WRITERS; i++) pthread_join(threads[i], NULL);
  pthread_barrier_destroy(&start);

  int winner = -1, ok = 0, stale = 0;
  for (int i = 0; i < WRITERS; i++) {
    ck_assert_msg(writers[i].rc == 0, "writer %d got no response", i);
    if (writers[i].r.status == 200) {
      ok++;
      winner = i;
    } else if (writers[i].r.status == 412) {
      stale++;
      it_assert_problem(&writers[i].r, 412);
    } else {
      ck_abort_msg("writer %d got %ld: %s", i, writers[i].r.status, writers[i].r.body);
    }
  }
  ck_assert_int_eq(ok, 1);
  ck_assert_int_eq(stale, WRITERS - 1);

  /* The stored profile is the winner's, whole. */
  struct it_response get;
  call_s("GET", p.path, w, NULL, NULL, &get);
  ck_assert_int_eq(get.status, 200);
  json_t *sent = json_loads(writers[winner].body, 0, NULL);
  ck_assert_ptr_nonnull(sent);
  char *got_leden = it_dump(json_object_get(get.json, "leden"));
  char *want_leden = it_dump(json_object_get(sent, "leden"));
  ck_assert_msg(json_equal(json_object_get(get.json, "leden"), json_object_get(sent, "leden")),
                "stored members %s are not the winner's %s", got_leden, want_leden);
  free(got_leden);
  free(want_leden);
  ck_assert_str_eq(json_string_value(json_object_get(get.json, "peildatum")),
                   json_string_value(json_object_get(sent, "peildatum")));
  ck_assert_str_eq(json_string_value(json_object_get(get.json, "toelichting")),
                   json_string_value(json_object_get(sent, "toelichting")));
  ck_assert_str_eq(get.body, writers[winner].r.body);
  ck_assert_str_eq(it_header(&get, "ETag"), it_header(&writers[winner].r, "ETag"));
  size_t members = json_array_size(json_object_get(sent, "leden"));
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM teamleden WHERE profiel = '%s'", p.uuid),
                   (long)members);
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM teamlid_rollen WHERE profiel = '%s'", p.uuid),
                   (long)(2 * members));
  ck_assert_int_eq(
      it_sql_long("SELECT count(*) FROM teamlid_competenties WHERE profiel = '%s'", p.uuid),
      (long)members);
  /* One update in the audit trail: the losers left no trace. */
  ck_assert_int_eq(
      it_sql_long("SELECT count(*) FROM audittrail WHERE profiel = '%s' AND actie = 'update'",
                  p.uuid),
      1);
  json_decref(sent);
  it_response_free(&get);
  for (int i = 0; i < WRITERS; i++) {
    free(writers[i].body);
    it_response_free(&writers[i].r);
  }
  curl_global_cleanup();
}
END_TEST

/* --- a connection killed mid-request ---------------------------------------- */

static void write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    ck_assert_int_gt(n, 0);
    data += n;
    len -= (size_t)n;
  }
}

/* Sends the headers of `method path` with the full Content-Length of
 * `body` but only `send` bytes of it, then closes the socket (with a
 * reset when `reset`). */
static void send_part(const char *method, const char *path, const char *token,
                      const char *etag, const char *body, size_t send, int reset) {
  int fd = it_connect(srv.port);
  ck_assert_int_ge(fd, 0);
  char head[8192];
  int n = snprintf(head, sizeof(head),
                   "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                   "Content-Type: application/json\r\n%s%s%sContent-Length: %zu\r\n\r\n",
                   method, path, token, etag ? "If-Match: " : "", etag ? etag : "",
                   etag ? "\r\n" : "", strlen(body));
  write_all(fd, head, (size_t)n);
  write_all(fd, body, send);
  it_sleep_ms(150);
  if (reset) {
    struct linger lg = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  }
  close(fd);
}

START_TEST(killed_connection_leaves_no_partial_profile) {
  const struct it_client *w = &clients[W];
  struct profile p;
  create_valid(w, "GM0772", "2026-01-01", &p);
  char *before = own_counts();
  char *big = team_of(300);
  size_t len = strlen(big);
  /* A new profile and a replacement, cut in half, cut one byte short, with
   * and without a reset. */
  send_part("POST", "/api/v1/teamprofielen", w->token, NULL, big, len / 2, 0);
  send_part("POST", "/api/v1/teamprofielen", w->token, NULL, big, len - 1, 1);
  send_part("PUT", p.path, w->token, p.etag, big, len / 2, 1);
  send_part("PUT", p.path, w->token, p.etag, big, len - 1, 0);
  /* Only headers. */
  send_part("PUT", p.path, w->token, p.etag, big, 0, 0);
  it_sleep_ms(500);
  assert_counts(before, "killed connections");
  struct profile again = p;
  refresh_etag(w, &again);
  ck_assert_str_eq(again.etag, p.etag);
  /* The server is fine, and the same request sent whole still works. */
  ck_assert_int_eq(status_of("GET", "/livez", NULL, NULL, NULL), 200);
  char im[128];
  if_match(im, sizeof(im), p.etag);
  const char *h[] = {im, NULL};
  ck_assert_int_eq(status_of("PUT", p.path, w, h, big), 200);
  ck_assert_int_eq(it_sql_long("SELECT count(*) FROM teamleden WHERE profiel = '%s'", p.uuid), 300);
  free(big);
  free(before);
}
END_TEST

int main(void) {
  Suite *s = suite_create("teamprofielen-writes");
  TCase *tc = it_case("teamprofielen-writes", 60, setup, teardown);
  tcase_add_test(tc, post_is_201_with_location_of_the_same_document);
  tcase_add_test(tc, put_and_delete_need_if_match);
  tcase_add_test(tc, if_match_is_an_entity_tag_list_compared_strongly);
  tcase_add_test(tc, malformed_if_match_is_412_and_changes_nothing);
  tcase_add_test(tc, writes_take_no_query_parameters);
  tcase_add_test(tc, text_limits_count_characters);
  tcase_add_test(tc, audittrail_follows_the_profile_to_its_new_municipality);
  tcase_add_test(tc, twenty_concurrent_puts_one_wins);
  tcase_add_test(tc, killed_connection_leaves_no_partial_profile);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
