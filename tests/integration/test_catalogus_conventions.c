/* What every catalogue collection shares: paging at its edges, Link
 * next/previous, every invalid parameter named at once, ETags and 304,
 * 404 problems for unknown codes, 406, and the root with the catalogue
 * version. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_catalogus.h"

/* The URL of relation `rel` in an RFC 8288 Link header, or NULL. */
static char *link_rel(const char *link, const char *rel) {
  if (link == NULL) return NULL;
  char want[64];
  snprintf(want, sizeof(want), "rel=\"%s\"", rel);
  const char *p = link;
  while ((p = strchr(p, '<')) != NULL) {
    const char *end = strchr(p, '>');
    if (end == NULL) return NULL;
    const char *next = strchr(end, '<');
    size_t params_len = next ? (size_t)(next - end) : strlen(end);
    char params[256];
    snprintf(params, sizeof(params), "%.*s", (int)params_len, end);
    if (strstr(params, want) != NULL) return strndup(p + 1, (size_t)(end - p - 1));
    p = end;
  }
  return NULL;
}

/* The numeric value of query parameter `name` in a URL, or -1. */
static long url_param(const char *url, const char *name) {
  const char *q = url ? strchr(url, '?') : NULL;
  size_t n = strlen(name);
  while (q != NULL) {
    q++;
    if (strncmp(q, name, n) == 0 && q[n] == '=') return atol(q + n + 1);
    q = strchr(q, '&');
  }
  return -1;
}

/* --- paging -------------------------------------------------------------- */

START_TEST(paging_edges) {
  json_t *all = get_all("/api/v1/rollen");
  ck_assert_uint_eq(json_array_size(all), 20);

  struct it_response r;
  json_t *seen = json_array();
  for (long page = 1; page <= 3; page++) {
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/rollen?pageSize=7&page=%ld", page);
    ck_assert_int_eq(it_get(&srv, path, &r), 0);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(count_of(r.json), 20);
    ck_assert_uint_eq(json_array_size(results_of(r.json)), page < 3 ? 7 : 6);
    json_array_extend(seen, results_of(r.json));
    const char *link = it_header(&r, "Link");
    ck_assert_ptr_nonnull(link);
    char *last = link_rel(link, "last"), *first = link_rel(link, "first");
    char *next = link_rel(link, "next"), *prev = link_rel(link, "prev");
    ck_assert_int_eq(url_param(last, "page"), 3);
    ck_assert_int_eq(url_param(last, "pageSize"), 7);
    ck_assert_int_eq(url_param(first, "page"), 1);
    ck_assert_int_eq(url_param(first, "pageSize"), 7);
    const char *bnext = it_str(r.json, "next"), *bprev = it_str(r.json, "previous");
    if (page < 3) {
      ck_assert_ptr_nonnull(bnext);
      ck_assert_int_eq(url_param(bnext, "page"), page + 1);
      ck_assert_int_eq(url_param(bnext, "pageSize"), 7);
      ck_assert_ptr_nonnull(next);
      assert_text_eq(next, bnext);
    } else {
      ck_assert(json_is_null(json_object_get(r.json, "next")));
      ck_assert_ptr_null(next);
    }
    if (page > 1) {
      ck_assert_ptr_nonnull(bprev);
      ck_assert_int_eq(url_param(bprev, "page"), page - 1);
      ck_assert_ptr_nonnull(prev);
      assert_text_eq(prev, bprev);
    } else {
      ck_assert(json_is_null(json_object_get(r.json, "previous")));
      ck_assert_ptr_null(prev);
    }
    free(last);
    free(first);
    free(next);
    free(prev);
    it_response_free(&r);
  }
  /* The three pages are the whole list, in the same order, once. */
  ck_assert(json_equal(seen, all));
  json_decref(seen);
  json_decref(all);

  /* Past the end: 200, no results, the right count, no next. */
  json_t *past = get_json("/api/v1/rollen?page=99&pageSize=7", 200);
  ck_assert_int_eq(count_of(past), 20);
  ck_assert_uint_eq(json_array_size(results_of(past)), 0);
  ck_assert(json_is_array(results_of(past)));
  ck_assert(json_is_null(json_object_get(past, "next")));
  const char *prev = it_str(past, "previous");
  if (prev != NULL) ck_assert_int_le(url_param(prev, "page"), 3);
  json_decref(past);
  past = get_json("/api/v1/gemeenten?page=1000000&pageSize=100", 200);
  ck_assert_int_eq(count_of(past), 355);
  ck_assert_uint_eq(json_array_size(results_of(past)), 0);
  json_decref(past);

  /* An empty result: count 0, one (empty) page. */
  ck_assert_int_eq(it_get(&srv, "/api/v1/gemeenten?zoek=xyzzy", &r), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert_int_eq(count_of(r.json), 0);
  ck_assert(json_is_null(json_object_get(r.json, "next")));
  ck_assert(json_is_null(json_object_get(r.json, "previous")));
  char *last = link_rel(it_header(&r, "Link"), "last");
  ck_assert_int_eq(url_param(last, "page"), 1);
  free(last);
  it_response_free(&r);

  /* Default page size 20; at most 100. */
  ck_assert_int_eq(it_get(&srv, "/api/v1/gemeenten", &r), 0);
  ck_assert_uint_eq(json_array_size(results_of(r.json)), 20);
  ck_assert_int_eq(url_param(it_str(r.json, "next"), "page"), 2);
  ck_assert_int_eq(url_param(it_str(r.json, "next"), "pageSize"), 20);
  last = link_rel(it_header(&r, "Link"), "last");
  ck_assert_int_eq(url_param(last, "page"), 18);
  free(last);
  it_response_free(&r);
  json_t *p4 = get_json("/api/v1/gemeenten?pageSize=100&page=4", 200);
  ck_assert_uint_eq(json_array_size(results_of(p4)), 55);
  ck_assert(json_is_null(json_object_get(p4, "next")));
  json_decref(p4);
  json_t *one = get_json("/api/v1/gemeenten?pageSize=1&page=355", 200);
  ck_assert_uint_eq(json_array_size(results_of(one)), 1);
  char *lastcode = it_sqlf("SELECT max(code) FROM gemeenten");
  assert_text_eq(it_str(json_array_get(results_of(one), 0), "code"), lastcode);
  free(lastcode);
  json_decref(one);

  static const char *const page_size[] = {"pageSize"};
  static const char *const page[] = {"page"};
  expect_400("/api/v1/rollen?pageSize=0", page_size, 1);
  expect_400("/api/v1/rollen?pageSize=101", page_size, 1);
  expect_400("/api/v1/gemeenten?pageSize=101", page_size, 1);
  expect_400("/api/v1/gemeenten?pageSize=-1", page_size, 1);
  expect_400("/api/v1/gemeenten?pageSize=1.5", page_size, 1);
  expect_400("/api/v1/gemeenten?pageSize=", page_size, 1);
  expect_400("/api/v1/bronnen?pageSize=abc", page_size, 1);
  expect_400("/api/v1/rollen?page=0", page, 1);
  expect_400("/api/v1/rollen?page=-3", page, 1);
  expect_400("/api/v1/rollen?page=een", page, 1);
  expect_400("/api/v1/rollen?page=99999999999999999999999", page, 1);
  expect_400("/api/v1/rollen?page=1&page=2", page, 1);
}
END_TEST

START_TEST(links_next_previous_are_consistent) {
  /* Forward along next: 8 pages of 50, all 355 codes once, ascending. */
  char url[2048] = "/api/v1/gemeenten?pageSize=50";
  struct sbuf codes = {0};
  sb_add(&codes, "");
  long pages = 0;
  char prev_code[16] = "";
  char last_url[2048] = "";
  for (;;) {
    struct it_response r;
    ck_assert_int_eq(it_get(&srv, url, &r), 0);
    ck_assert_int_eq(r.status, 200);
    pages++;
    ck_assert_int_le(pages, 8);
    ck_assert_int_eq(count_of(r.json), 355);
    const char *link = it_header(&r, "Link");
    char *lnext = link_rel(link, "next"), *lprev = link_rel(link, "prev");
    char *llast = link_rel(link, "last"), *lfirst = link_rel(link, "first");
    const char *bnext = it_str(r.json, "next"), *bprev = it_str(r.json, "previous");
    ck_assert_msg((lnext == NULL) == (bnext == NULL), "%s: Link next and body next disagree", url);
    ck_assert_msg((lprev == NULL) == (bprev == NULL), "%s: Link prev and body previous disagree",
                  url);
    if (lnext) assert_text_eq(lnext, bnext);
    if (lprev) assert_text_eq(lprev, bprev);
    ck_assert_int_eq(url_param(llast, "page"), 8);
    ck_assert_int_eq(url_param(lfirst, "page"), 1);
    ck_assert_int_eq(url_param(lfirst, "pageSize"), 50);
    snprintf(last_url, sizeof(last_url), "%s", llast);
    size_t i;
    json_t *g;
    json_array_foreach(results_of(r.json), i, g) {
      const char *code = it_str(g, "code");
      ck_assert_msg(strcmp(prev_code, code) < 0, "order: %s after %s", code, prev_code);
      snprintf(prev_code, sizeof(prev_code), "%s", code);
      sb_addf(&codes, "%s%s", codes.len ? "," : "", code);
    }
    if (bnext) snprintf(url, sizeof(url), "%s", bnext);
    free(lnext);
    free(lprev);
    free(llast);
    free(lfirst);
    it_response_free(&r);
    if (bnext == NULL) break;
  }
  ck_assert_int_eq(pages, 8);
  char *want = it_sqlf("SELECT string_agg(code, ',' ORDER BY code) FROM gemeenten");
  assert_text_eq(codes.s, want);
  free(want);
  free(codes.s);

  /* Backward along previous from the last page: 8 pages again. */
  snprintf(url, sizeof(url), "%s", last_url);
  pages = 0;
  for (;;) {
    json_t *page = get_json(url, 200);
    pages++;
    ck_assert_int_le(pages, 8);
    const char *prev = it_str(page, "previous");
    if (prev) snprintf(url, sizeof(url), "%s", prev);
    json_decref(page);
    if (prev == NULL) break;
  }
  ck_assert_int_eq(pages, 8);

  /* Links keep the filters: following next stays in the province. */
  long want_count = it_sql_long("SELECT count(*) FROM gemeenten WHERE provincie = 'Zuid-Holland'");
  snprintf(url, sizeof(url), "/api/v1/gemeenten?provincie=Zuid-Holland&pageSize=10");
  long seen = 0;
  for (int guard = 0; guard < 20; guard++) {
    json_t *page = get_json(url, 200);
    size_t i;
    json_t *g;
    json_array_foreach(results_of(page), i, g) {
      assert_text_eq(it_str(g, "provincie"), "Zuid-Holland");
      seen++;
    }
    const char *next = it_str(page, "next");
    if (next) {
      ck_assert_ptr_nonnull(strstr(next, "provincie=Zuid-Holland"));
      snprintf(url, sizeof(url), "%s", next);
    }
    json_decref(page);
    if (next == NULL) break;
  }
  ck_assert_int_eq(seen, want_count);

  /* A search term with characters that need encoding survives the links. */
  json_t *page = get_json("/api/v1/gemeenten?zoek=S%C3%BAdwest&pageSize=1&page=1", 200);
  ck_assert_int_eq(count_of(page), 1);
  json_decref(page);
  page = get_json("/api/v1/gemeenten?zoek=a&pageSize=1", 200);
  const char *next = it_str(page, "next");
  ck_assert_ptr_nonnull(next);
  json_t *second = get_json(next, 200);
  ck_assert_int_eq(count_of(second), count_of(page));
  json_decref(second);
  json_decref(page);
}
END_TEST

START_TEST(invalid_params_are_all_named_at_once) {
  static const char *const four[] = {"page", "pageSize", "kernrol", "foo"};
  expect_400("/api/v1/rollen?page=0&pageSize=101&kernrol=ja&foo=1", four, 4);
  static const char *const gemeenten[] = {"provincie", "grootteklasse", "referentie", "zoek",
                                          "sorteer"};
  expect_400(
      "/api/v1/gemeenten?provincie=Atlantis&grootteklasse=9&referentie=misschien&zoek="
      "&sorteer=naam",
      gemeenten, 5);
  /* Unknown keys, on collections and on items. */
  static const char *const foo[] = {"foo"};
  static const char *const unknown_item[] = {"expand"};
  expect_400("/api/v1/rolfamilies?foo=1", foo, 1);
  expect_400("/api/v1/succesfactoren?foo=1", foo, 1);
  expect_400("/api/v1/succesverhalen?foo=1", foo, 1);
  expect_400("/api/v1/bronnen?foo=1", foo, 1);
  expect_400("/api/v1/competenties?foo=", foo, 1);
  expect_400("/api/v1/rollen/verbinder?expand=competenties", unknown_item, 1);
  expect_400("/api/v1/gemeenten/GM0855?foo=1", foo, 1);
  expect_400("/api/v1/succesverhalen/GM0855?foo=1", foo, 1);
  expect_400("/api/v1/competenties/bestuurlijke-sensitiviteit?foo=1", foo, 1);
  expect_400("/api/v1/succesfactoren/sturen-op-data?foo=1", foo, 1);
  /* A filter of another collection is unknown here. */
  static const char *const familie[] = {"familie"};
  expect_400("/api/v1/gemeenten?familie=regie-en-strategie", familie, 1);
  /* The reasons are specific: the codes differ by kind of problem. */
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, "/api/v1/rollen?page=0&pageSize=101&kernrol=ja&foo=1", &r), 0);
  json_t *invalid = json_object_get(r.json, "invalidParams");
  assert_text_eq(it_str(find_by(invalid, "name", "page"), "code"), "min-value");
  assert_text_eq(it_str(find_by(invalid, "name", "pageSize"), "code"), "max-value");
  assert_text_eq(it_str(find_by(invalid, "name", "foo"), "code"), "unknown-parameter");
  ck_assert_int_eq(json_integer_value(json_object_get(r.json, "status")), 400);
  ck_assert_ptr_nonnull(strstr(it_str(r.json, "detail"), "4"));
  it_response_free(&r);
}
END_TEST

/* --- ETags, determinism, 404 ---------------------------------------------- */

static void etag_round_trip(const char *path) {
  struct it_response a, b, c;
  ck_assert_int_eq(it_get(&srv, path, &a), 0);
  ck_assert_int_eq(a.status, 200);
  const char *etag = it_header(&a, "ETag");
  ck_assert_ptr_nonnull(etag);
  ck_assert_msg(etag[0] == '"' && etag[strlen(etag) - 1] == '"' && strlen(etag) > 2,
                "%s: ETag %s is not a strong entity tag", path, etag);

  /* Determinism: the same request gives the same bytes and tag. */
  ck_assert_int_eq(it_get(&srv, path, &b), 0);
  ck_assert_int_eq(b.status, 200);
  assert_text_eq(it_header(&b, "ETag"), etag);
  ck_assert_uint_eq(a.body_len, b.body_len);
  ck_assert(memcmp(a.body, b.body, a.body_len) == 0);
  it_response_free(&b);

  /* 304 with no body, still with API-Version and the ETag. */
  char inm[256];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
  const char *h[] = {inm, NULL};
  ck_assert_int_eq(it_request(&srv, "GET", path, h, NULL, 0, &c), 0);
  ck_assert_msg(c.status == 304, "%s with If-None-Match gave %ld", path, c.status);
  ck_assert_uint_eq(c.body_len, 0);
  it_assert_conventions(&c);
  ck_assert_ptr_nonnull(it_header(&c, "ETag"));
  assert_text_eq(it_header(&c, "ETag"), etag);
  it_response_free(&c);

  /* One of a list; the weak form (If-None-Match compares weakly). */
  snprintf(inm, sizeof(inm), "If-None-Match: \"stale\", W/%s", etag);
  ck_assert_int_eq(it_request(&srv, "GET", path, h, NULL, 0, &c), 0);
  ck_assert_int_eq(c.status, 304);
  ck_assert_uint_eq(c.body_len, 0);
  it_response_free(&c);

  /* A stale tag gets the full representation. */
  const char *stale[] = {"If-None-Match: \"0000\"", NULL};
  ck_assert_int_eq(it_request(&srv, "GET", path, stale, NULL, 0, &c), 0);
  ck_assert_int_eq(c.status, 200);
  ck_assert_uint_eq(c.body_len, a.body_len);
  assert_text_eq(it_header(&c, "ETag"), etag);
  it_response_free(&c);
  it_response_free(&a);
}

START_TEST(etag_and_304_on_details_and_collections) {
  etag_round_trip("/api/v1/rollen/verbinder");
  etag_round_trip("/api/v1/competenties/bestuurlijke-sensitiviteit");
  etag_round_trip("/api/v1/gemeenten/GM0855");
  etag_round_trip("/api/v1/succesverhalen/GM0855");
  etag_round_trip("/api/v1/gemeenten?provincie=Zeeland");
  etag_round_trip("/api/v1/gemeenten?pageSize=100&page=2");
  etag_round_trip("/api/v1/rollen");
  etag_round_trip("/api/v1/teamprofielen?referentie=true");
  etag_round_trip("/api/v1");

  /* Different representations have different tags. */
  struct it_response a, b;
  ck_assert_int_eq(it_get(&srv, "/api/v1/gemeenten?page=1", &a), 0);
  ck_assert_int_eq(it_get(&srv, "/api/v1/gemeenten?page=2", &b), 0);
  ck_assert_str_ne(it_header(&a, "ETag"), it_header(&b, "ETag"));
  /* and a tag of one page does not answer 304 for another. */
  char inm[256];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", it_header(&a, "ETag"));
  it_response_free(&b);
  const char *h[] = {inm, NULL};
  ck_assert_int_eq(it_request(&srv, "GET", "/api/v1/gemeenten?page=2", h, NULL, 0, &b), 0);
  ck_assert_int_eq(b.status, 200);
  it_response_free(&a);
  it_response_free(&b);
}
END_TEST

START_TEST(unknown_codes_are_404_problems) {
  static const char *const paths[] = {
      "/api/v1/rollen/bestaat-niet",
      "/api/v1/rollen/VERBINDER",
      "/api/v1/competenties/bestaat-niet",
      "/api/v1/succesfactoren/bestaat-niet",
      "/api/v1/gemeenten/GM9999",
      "/api/v1/gemeenten/gm0855",
      "/api/v1/gemeenten/0855",
      "/api/v1/gemeenten/GM0855%00",
      "/api/v1/gemeenten/GM0855%20",
      "/api/v1/gemeenten/..%2F..%2Fetc%2Fpasswd",
      "/api/v1/gemeenten/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
      "/api/v1/rollen/../../etc/passwd",
      "/api/v1/rollen/verbinder%27%20OR%20%271%27=%271",
      "/api/v1/succesverhalen/GM0363", /* Amsterdam: a municipality without a story */
      "/api/v1/succesverhalen/GM9999",
      "/api/v1/teamprofielen/not-a-uuid",
      "/api/v1/teamprofielen/00000000-0000-0000-0000-000000000000",
      "/api/v1/teamprofielen/b8430267-e1ed-5696-adeb",
      "/api/v1/rollen/verbinder/",
      "/api/v1/rollen/",
  };
  for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) expect_404(paths[i]);

  /* The detail names what was not found, and never echoes SQL. */
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, "/api/v1/rollen/bestaat-niet", &r), 0);
  ck_assert_ptr_nonnull(strstr(it_str(r.json, "detail"), "rol"));
  ck_assert_ptr_null(strstr(r.body, "SELECT"));
  it_response_free(&r);
}
END_TEST

START_TEST(unsupported_accept_is_406_on_the_catalogue) {
  static const char *const paths[] = {"/api/v1/rollen", "/api/v1/rollen/verbinder",
                                      "/api/v1/gemeenten?provincie=Zeeland",
                                      "/api/v1/teamprofielen?referentie=true"};
  const char *h[] = {"Accept: application/xml", NULL};
  for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
    struct it_response r;
    ck_assert_int_eq(it_request(&srv, "GET", paths[i], h, NULL, 0, &r), 0);
    ck_assert_msg(r.status == 406, "%s gave %ld", paths[i], r.status);
    it_assert_problem(&r, 406);
    it_response_free(&r);
  }
}
END_TEST

START_TEST(root_states_the_catalogue_version) {
  json_t *root = get_json("/api/v1", 200);
  char *versie = it_sqlf("SELECT versie FROM catalogus_versies ORDER BY id DESC LIMIT 1");
  assert_text_eq(it_str(root, "catalogusVersie"), versie);
  free(versie);
  static const char *const collections[] = {"rolfamilies",    "rollen",       "competenties",
                                            "succesfactoren", "gemeenten",    "succesverhalen",
                                            "bronnen",        "teamprofielen"};
  json_t *links = json_object_get(root, "links");
  for (size_t i = 0; i < sizeof(collections) / sizeof(collections[0]); i++) {
    char want[128];
    snprintf(want, sizeof(want), "/api/v1/%s", collections[i]);
    assert_text_eq(it_str(json_object_get(links, collections[i]), "href"), want);
  }
  json_decref(root);
}
END_TEST

/* "Any invalid query (... unknown query key) -> 400": the root and the
 * spec documents are GETs of this API like any other. */
START_TEST(root_and_spec_reject_unknown_query_keys) {
  static const char *const foo[] = {"foo"};
  expect_400("/api/v1?foo=1", foo, 1);
  expect_400("/api/v1/openapi.json?foo=1", foo, 1);
  expect_400("/api/v1/openapi.yaml?foo=1", foo, 1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("catalogus-conventions");
  TCase *tc = it_case("catalogus-conventions", 60, setup, teardown);
  tcase_add_test(tc, paging_edges);
  tcase_add_test(tc, links_next_previous_are_consistent);
  tcase_add_test(tc, invalid_params_are_all_named_at_once);
  tcase_add_test(tc, etag_and_304_on_details_and_collections);
  tcase_add_test(tc, unknown_codes_are_404_problems);
  tcase_add_test(tc, unsupported_accept_is_406_on_the_catalogue);
  tcase_add_test(tc, root_states_the_catalogue_version);
  tcase_add_test(tc, root_and_spec_reject_unknown_query_keys);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
