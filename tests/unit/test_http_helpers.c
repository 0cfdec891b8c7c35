/* Pure HTTP helpers: problem documents, query parameters, route matching,
 * content negotiation, Structured Field strings. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orcania.h>

#include "teamplotter/http.h"
#include "teamplotter/query.h"
#include "teamplotter/render.h"
#include "teamplotter/router.h"
#include "teamplotter/static_file.h"
#include "teamplotter/text.h"

START_TEST(problem_has_every_member) {
  json_t *doc = tp_problem_build(404, NULL, NULL, "Rol \"x\" bestaat niet.", "urn:uuid:abc", NULL);
  ck_assert_str_eq(json_string_value(json_object_get(doc, "type")), "urn:teamplotter:probleem:not-found");
  ck_assert_str_eq(json_string_value(json_object_get(doc, "code")), "not-found");
  ck_assert_str_eq(json_string_value(json_object_get(doc, "title")), "Niet gevonden");
  ck_assert_int_eq(json_integer_value(json_object_get(doc, "status")), 404);
  ck_assert_str_eq(json_string_value(json_object_get(doc, "detail")), "Rol \"x\" bestaat niet.");
  ck_assert_str_eq(json_string_value(json_object_get(doc, "instance")), "urn:uuid:abc");
  ck_assert_ptr_null(json_object_get(doc, "invalidParams"));
  json_decref(doc);
}
END_TEST

START_TEST(problem_400_lists_invalid_params) {
  json_t *invalid = json_pack("[{s:s,s:s,s:s},{s:s,s:s,s:s}]", "name", "page", "code", "min-value",
                              "reason", "r1", "name", "x", "code", "unknown-parameter", "reason", "r2");
  json_t *doc = tp_problem_build(400, NULL, NULL, NULL, "urn:uuid:abc", invalid);
  ck_assert_str_eq(json_string_value(json_object_get(doc, "code")), "invalid-params");
  ck_assert_uint_eq(json_array_size(json_object_get(doc, "invalidParams")), 2);
  /* Without a detail the title stands in. */
  ck_assert_str_eq(json_string_value(json_object_get(doc, "detail")), "Ongeldige invoer");
  json_decref(doc);
  json_decref(invalid);
}
END_TEST

START_TEST(unknown_status_renders_as_500_type) {
  json_t *doc = tp_problem_build(599, NULL, NULL, "x", "urn:uuid:1", NULL);
  ck_assert_str_eq(json_string_value(json_object_get(doc, "code")), "internal-error");
  ck_assert_int_eq(json_integer_value(json_object_get(doc, "status")), 599);
  json_decref(doc);
}
END_TEST

static const char *invalid_name(const struct tp_params *p, size_t i) {
  return json_string_value(json_object_get(json_array_get(p->invalid, i), "name"));
}
static const char *invalid_code(const struct tp_params *p, size_t i) {
  return json_string_value(json_object_get(json_array_get(p->invalid, i), "code"));
}

START_TEST(outcome_unknown_is_504_of_its_own) {
  json_t *doc = tp_problem_build(504, NULL, NULL, "x", "urn:uuid:1", NULL);
  ck_assert_str_eq(json_string_value(json_object_get(doc, "code")), "outcome-unknown");
  ck_assert_str_eq(json_string_value(json_object_get(doc, "title")), "Uitkomst onbekend");
  ck_assert_str_eq(json_string_value(json_object_get(doc, "type")),
                   "urn:teamplotter:probleem:outcome-unknown");
  ck_assert_int_eq(json_integer_value(json_object_get(doc, "status")), 504);
  json_decref(doc);
}
END_TEST

START_TEST(sf_strings) {
  char out[8];
  static const struct {
    const char *in;
    enum tp_sf_result want;
    const char *content;
  } cases[] = {
      {"\"abc\"", TP_SF_OK, "abc"},
      {" \t\"abc\"\t ", TP_SF_OK, "abc"},
      {"\"a\\\"b\\\\c\"", TP_SF_OK, "a\"b\\c"},
      {"\" ~!#\"", TP_SF_OK, " ~!#"},
      {"\"1234567\"", TP_SF_OK, "1234567"},
      {"\"12345678\"", TP_SF_TOO_LONG, NULL},
      {"\"\"", TP_SF_EMPTY, NULL},
      {"", TP_SF_MALFORMED, NULL},
      {"abc", TP_SF_MALFORMED, NULL},
      {"\"abc", TP_SF_MALFORMED, NULL},
      {"\"abc\\", TP_SF_MALFORMED, NULL},
      {"\"a\"b", TP_SF_MALFORMED, NULL},
      {"\"a\";k=1", TP_SF_MALFORMED, NULL},
      {"\"a\", \"b\"", TP_SF_MALFORMED, NULL},
      {"\"a\\x\"", TP_SF_MALFORMED, NULL},
      {"\"a\tb\"", TP_SF_MALFORMED, NULL},
      {"\"caf\xc3\xa9\"", TP_SF_MALFORMED, NULL},
      {"\"a\x7f\"", TP_SF_MALFORMED, NULL},
      {"'abc'", TP_SF_MALFORMED, NULL},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    enum tp_sf_result got = tp_sf_string(cases[i].in, out, sizeof(out) - 1);
    ck_assert_msg(got == cases[i].want, "case %zu (%s): %d, want %d", i, cases[i].in, (int)got,
                  (int)cases[i].want);
    if (cases[i].content != NULL) ck_assert_str_eq(out, cases[i].content);
  }
}
END_TEST

START_TEST(params_read_and_decode) {
  struct tp_params p;
  tp_params_parse(&p, "page=2&pageSize=50&zoek=De%20Fryske+Marren&kernrol=true&leeg=");
  long page, size;
  int kern;
  const char *zoek, *leeg;
  ck_assert_int_eq(tp_param_long(&p, "page", 1, 1000, 1, &page), 0);
  ck_assert_int_eq(tp_param_long(&p, "pageSize", 1, 100, 20, &size), 0);
  ck_assert_int_eq(tp_param_text(&p, "zoek", 1, 100, &zoek), 0);
  ck_assert_int_eq(tp_param_bool(&p, "kernrol", &kern), 0);
  ck_assert_int_eq(tp_param_text(&p, "leeg", 0, 10, &leeg), 0);
  ck_assert_int_eq(page, 2);
  ck_assert_int_eq(size, 50);
  ck_assert_str_eq(zoek, "De Fryske Marren");
  ck_assert_int_eq(kern, 1);
  ck_assert_str_eq(leeg, "");
  ck_assert_uint_eq(tp_params_finish(&p), 0);
  tp_params_free(&p);
}
END_TEST

START_TEST(params_collect_every_problem) {
  struct tp_params p;
  tp_params_parse(&p, "page=0&pageSize=101&kernrol=ja&onbekend=1&familie=x&page2=abc");
  long page, size;
  int kern;
  const char *fam;
  static const char *const families[] = {"content-en-redactie", NULL};
  tp_param_long(&p, "page", 1, 1000, 1, &page);
  tp_param_long(&p, "pageSize", 1, 100, 20, &size);
  tp_param_bool(&p, "kernrol", &kern);
  tp_param_enum(&p, "familie", families, &fam);
  ck_assert_uint_eq(tp_params_finish(&p), 6);
  ck_assert_str_eq(invalid_name(&p, 0), "page");
  ck_assert_str_eq(invalid_code(&p, 0), "min-value");
  ck_assert_str_eq(invalid_name(&p, 1), "pageSize");
  ck_assert_str_eq(invalid_code(&p, 1), "max-value");
  ck_assert_str_eq(invalid_code(&p, 2), "invalid-boolean");
  ck_assert_str_eq(invalid_code(&p, 3), "invalid-choice");
  ck_assert_str_eq(invalid_name(&p, 4), "onbekend");
  ck_assert_str_eq(invalid_code(&p, 4), "unknown-parameter");
  ck_assert_str_eq(invalid_name(&p, 5), "page2");
  tp_params_free(&p);
}
END_TEST

START_TEST(params_defaults_when_absent) {
  struct tp_params p;
  tp_params_parse(&p, NULL);
  long page = -5;
  int b = 7;
  const char *t = "x";
  ck_assert_int_eq(tp_param_long(&p, "page", 1, 10, 1, &page), 0);
  ck_assert_int_eq(tp_param_bool(&p, "b", &b), 0);
  ck_assert_int_eq(tp_param_text(&p, "t", 1, 5, &t), 0);
  ck_assert_int_eq(page, 1);
  ck_assert_int_eq(b, -1);
  ck_assert_ptr_null(t);
  ck_assert_uint_eq(tp_params_finish(&p), 0);
  tp_params_free(&p);
}
END_TEST

START_TEST(params_reject_bad_encoding_and_duplicates) {
  struct tp_params p;
  tp_params_parse(&p, "a=%zz&b=%00&c=%C3%28&d=1&d=2&=x&e=%E2%82%AC");
  const char *e;
  tp_param_get(&p, "d");
  ck_assert_int_eq(tp_param_text(&p, "e", 1, 10, &e), 0);
  ck_assert_str_eq(e, "\xE2\x82\xAC");
  ck_assert_uint_eq(tp_params_finish(&p), 5);
  ck_assert_str_eq(invalid_name(&p, 0), "a");
  ck_assert_str_eq(invalid_code(&p, 0), "invalid-encoding");
  ck_assert_str_eq(invalid_name(&p, 1), "b");
  ck_assert_str_eq(invalid_name(&p, 2), "c");
  ck_assert_str_eq(invalid_name(&p, 3), "d");
  ck_assert_str_eq(invalid_code(&p, 3), "duplicate");
  ck_assert_str_eq(invalid_name(&p, 4), "query");
  tp_params_free(&p);
}
END_TEST

START_TEST(params_bound_their_count_and_size) {
  char *q = malloc(20000);
  q[0] = '\0';
  for (int i = 0; i < 1000; i++) {
    char one[16];
    snprintf(one, sizeof(one), "k%d=1&", i);
    strcat(q, one);
  }
  struct tp_params p;
  tp_params_parse(&p, q);
  ck_assert_uint_eq(p.count, TP_QUERY_MAX_PARAMS);
  ck_assert_str_eq(invalid_code(&p, 0), "too-many-parameters");
  tp_params_free(&p);
  memset(q, 'a', 3000);
  memcpy(q, "zoek=", 5);
  q[3000] = '\0';
  tp_params_parse(&p, q);
  ck_assert_uint_eq(p.count, 0);
  ck_assert_str_eq(invalid_code(&p, 0), "max-length");
  tp_params_free(&p);
  free(q);
}
END_TEST

START_TEST(params_integer_edges) {
  const char *bad[] = {"page=", "page=1.0", "page=+1", "page=1e3", "page=99999999999999999999",
                       "page= 1", "page=-"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct tp_params p;
    long v;
    tp_params_parse(&p, bad[i]);
    ck_assert_msg(tp_param_long(&p, "page", 1, 100, 1, &v) != 0, "%s accepted", bad[i]);
    tp_params_free(&p);
  }
}
END_TEST

START_TEST(routes_match_exactly) {
  char *vars[TP_MAX_PATH_VARS] = {0};
  ck_assert_int_eq(tp_route_match("/api/v1", "/api/v1", NULL), 1);
  ck_assert_int_eq(tp_route_match("/api/v1", "/api/v1/", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1", "//api/v1", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1", "/api/v1x", NULL), 0);
  /* A pattern with a trailing slash (the root as the spec's server URL
   * plus "/") matches that path only. */
  ck_assert_int_eq(tp_route_match("/api/v1/", "/api/v1/", NULL), 1);
  ck_assert_int_eq(tp_route_match("/api/v1/", "/api/v1", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/", "/api/v1//", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/", "/api/v1/x", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/rollen", "/api/v1/rollen/", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/rollen/{code}", "/api/v1/rollen", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/rollen/{code}", "/api/v1/rollen/", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/rollen/{code}", "/api/v1/rollen/a/b", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/rollen/{code}", "/api/v1/rollen/web%20redacteur", vars), 1);
  ck_assert_str_eq(vars[0], "web redacteur");
  o_free(vars[0]);
  ck_assert_int_eq(tp_route_match("/api/v1/x/{a}/y/{b}", "/api/v1/x/1/y/2", vars), 1);
  ck_assert_str_eq(vars[0], "1");
  ck_assert_str_eq(vars[1], "2");
  o_free(vars[0]);
  o_free(vars[1]);
  /* Encoded NUL, slash, control characters and broken UTF-8 never match. */
  ck_assert_int_eq(tp_route_match("/api/v1/gemeenten/{code}", "/api/v1/gemeenten/GM0855%00", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/gemeenten/{code}", "/api/v1/gemeenten/..%2F..%2Fetc", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/gemeenten/{code}", "/api/v1/gemeenten/%0a", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/gemeenten/{code}", "/api/v1/gemeenten/%C3", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/gemeenten/{code}", "/api/v1/gemeenten/%4", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1", "/api/v%31", NULL), 1);
  /* Plain segments are compared as they are; escaped ones decoded first. */
  ck_assert_int_eq(tp_route_match("/api/v1/rollen", "/api/v1/Rollen", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/rollen", "/api/v1/rolle", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/rollen", "/api/v1/rollenx", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/rollen", "/api/v1/%72ollen", NULL), 1);
  ck_assert_int_eq(tp_route_match("/api/v1/rollen", "/api/v1/rollen%00", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/rollen", "/api/v1/roll\x01n", NULL), 0);
  ck_assert_int_eq(tp_route_match("/api/v1/rollen/{code}/x", "/api/v1/rollen/%41/x", vars), 1);
  ck_assert_str_eq(vars[0], "A");
  o_free(vars[0]);
  ck_assert_int_eq(tp_route_match("/api/v1/rollen/{code}/x", "/api/v1/rollen/a/y", NULL), 0);
}
END_TEST

/* Headers as Ulfius gathers them, and the fault tp_framing_fault must find. */
struct framing_case {
  const char *protocol;
  const char *headers[7]; /* "Name", "value", ..., NULL */
  const char *named;      /* the header named, or NULL for none */
  const char *code;       /* NULL: ambiguous-framing when named */
};

static const struct framing_case FRAMINGS[] = {
    /* Plain requests, with a body of either kind. */
    {"HTTP/1.1", {"Host", "x", "Accept", "*/*"}, NULL, NULL},
    {"HTTP/1.1", {"Content-Length", "0"}, NULL, NULL},
    {"HTTP/1.1", {"content-length", "1048576"}, NULL, NULL},
    {"HTTP/1.1", {"Transfer-Encoding", "chunked"}, NULL, NULL},
    {"HTTP/1.1", {"transfer-encoding", "Chunked"}, NULL, NULL},
    {"HTTP/1.0", {"Content-Length", "2"}, NULL, NULL},
    {"HTTP/1.1", {"X-Content-Length-Hint", "3"}, NULL, NULL},
    /* Both lengths, however spelled. */
    {"HTTP/1.1", {"Content-Length", "6", "Transfer-Encoding", "chunked"}, "Transfer-Encoding", NULL},
    {"HTTP/1.1", {"transfer-encoding", "CHUNKED", "CONTENT-LENGTH", "0"}, "Transfer-Encoding", NULL},
    /* Content-Length more than once (Ulfius joins one spelling with
     * commas), or not a number. */
    {"HTTP/1.1", {"Content-Length", "2,51"}, "Content-Length", NULL},
    {"HTTP/1.1", {"Content-Length", "2,2"}, "Content-Length", NULL},
    {"HTTP/1.1", {"Content-Length", "2", "content-length", "2"}, "Content-Length", NULL},
    {"HTTP/1.1", {"Content-Length", ""}, "Content-Length", NULL},
    {"HTTP/1.1", {"Content-Length", "+2"}, "Content-Length", NULL},
    {"HTTP/1.1", {"Content-Length", "2 "}, "Content-Length", NULL},
    /* Transfer-Encoding other than one chunked, or in HTTP/1.0. */
    {"HTTP/1.1", {"Transfer-Encoding", "chunked,chunked"}, "Transfer-Encoding", NULL},
    {"HTTP/1.1", {"Transfer-Encoding", "chunked", "transfer-encoding", "identity"},
     "Transfer-Encoding", NULL},
    {"HTTP/1.1", {"Transfer-Encoding", "gzip, chunked"}, "Transfer-Encoding", NULL},
    {"HTTP/1.1", {"Transfer-Encoding", "identity"}, "Transfer-Encoding", NULL},
    {"HTTP/1.0", {"Transfer-Encoding", "chunked"}, "Transfer-Encoding", NULL},
    /* Names that are not one header line as sent: named as received, and
     * before the lengths they may hide. */
    {"HTTP/1.1", {"Content-Length ", "5"}, "Content-Length ", "invalid-header-name"},
    {"HTTP/1.1", {"Content-Length\t", "5"}, "Content-Length\t", "invalid-header-name"},
    {"HTTP/1.1", {"X-AContent-Length: 60", "b"}, "X-AContent-Length: 60", "invalid-header-name"},
    {"HTTP/1.1", {"X-A\x01", "b"}, "X-A\x01", "invalid-header-name"},
    {"HTTP/1.1", {"Content-Length5", "2"}, "Content-Length5", "invalid-header-name"},
    {"HTTP/1.1", {"transfer-encodingchunked", ""}, "transfer-encodingchunked", "invalid-header-name"},
    {"HTTP/1.1", {"Content-Length", "5", "Transfer-Encoding ", "chunked"}, "Transfer-Encoding ",
     "invalid-header-name"},
    /* A long name is cut, and what is not UTF-8 scrubbed, for the JSON. */
    {"HTTP/1.1", {"X \xff", "x"}, "X ?", "invalid-header-name"},
    {"HTTP/1.1",
     {" 123456789012345678901234567890123456789012345678901234567890123456789", "x"},
     " 12345678901234567890123456789012345678901234567890123456789012", "invalid-header-name"},
};

START_TEST(framing_faults) {
  for (size_t i = 0; i < sizeof(FRAMINGS) / sizeof(FRAMINGS[0]); i++) {
    const struct framing_case *c = &FRAMINGS[i];
    struct _u_map map;
    struct tp_framing_fault fault;
    u_map_init(&map);
    for (size_t h = 0; c->headers[h] != NULL; h += 2) {
      u_map_put(&map, c->headers[h], c->headers[h + 1]);
    }
    int found = tp_framing_fault(&map, c->protocol, &fault);
    u_map_clean(&map);
    ck_assert_msg(found == (c->named != NULL), "case %zu (%s): found %d", i, c->headers[0], found);
    if (!found) continue;
    ck_assert_msg(strcmp(fault.header, c->named) == 0, "case %zu: named '%s'", i, fault.header);
    ck_assert_str_eq(fault.code, c->code ? c->code : "ambiguous-framing");
    ck_assert_ptr_nonnull(fault.reason);
  }
}
END_TEST

START_TEST(negotiation) {
  static const char *const json[] = {"application/json", NULL};
  static const char *const svg_json[] = {"application/json", "image/svg+xml", NULL};
  ck_assert_str_eq(tp_negotiate(NULL, json), "application/json");
  ck_assert_str_eq(tp_negotiate("", json), "application/json");
  ck_assert_str_eq(tp_negotiate("*/*", json), "application/json");
  ck_assert_str_eq(tp_negotiate("application/*", json), "application/json");
  ck_assert_str_eq(tp_negotiate("APPLICATION/JSON; charset=utf-8", json), "application/json");
  ck_assert_ptr_null(tp_negotiate("application/xml", json));
  ck_assert_ptr_null(tp_negotiate("application/json;q=0", json));
  ck_assert_ptr_null(tp_negotiate("application/json;q=0, text/*", json));
  ck_assert_ptr_null(tp_negotiate("*/*;q=0.5, application/json;q=0", json));
  ck_assert_str_eq(tp_negotiate("image/svg+xml", svg_json), "image/svg+xml");
  ck_assert_str_eq(tp_negotiate("image/svg+xml;q=0.9, application/json", svg_json), "application/json");
  ck_assert_str_eq(tp_negotiate("image/*, application/json;q=0.5", svg_json), "image/svg+xml");
}
END_TEST

/* Accept-Encoding (RFC 9110 §12.5.3): gzip or x-gzip with a q-value
 * above 0, or * when gzip is not named; names compared without case; a q
 * of 0 refuses. */
START_TEST(gzip_accepted) {
  ck_assert_int_eq(tp_accepts_gzip(NULL), 0);
  ck_assert_int_eq(tp_accepts_gzip(""), 0);
  ck_assert_int_eq(tp_accepts_gzip("gzip"), 1);
  ck_assert_int_eq(tp_accepts_gzip("gzip, deflate, br, zstd"), 1);
  ck_assert_int_eq(tp_accepts_gzip("br;q=1.0, GZIP;q=0.5"), 1);
  ck_assert_int_eq(tp_accepts_gzip("x-gzip"), 1);
  ck_assert_int_eq(tp_accepts_gzip("*"), 1);
  ck_assert_int_eq(tp_accepts_gzip("identity"), 0);
  ck_assert_int_eq(tp_accepts_gzip("deflate, br"), 0);
  ck_assert_int_eq(tp_accepts_gzip("gzip;q=0"), 0);
  ck_assert_int_eq(tp_accepts_gzip("gzip;q=0.000, identity"), 0);
  ck_assert_int_eq(tp_accepts_gzip("gzipper"), 0);
  ck_assert_int_eq(tp_accepts_gzip("*;q=0, identity"), 0);
  /* Named outright, gzip's own q-value decides over "*". */
  ck_assert_int_eq(tp_accepts_gzip("gzip;q=0, *"), 0);
  ck_assert_int_eq(tp_accepts_gzip("*;q=0, gzip"), 1);
}
END_TEST

START_TEST(media_types) {
  ck_assert_int_eq(tp_media_type_is("application/json", "application/json"), 1);
  ck_assert_int_eq(tp_media_type_is("Application/JSON; charset=utf-8", "application/json"), 1);
  ck_assert_int_eq(tp_media_type_is("application/jsonx", "application/json"), 0);
  ck_assert_int_eq(tp_media_type_is("text/plain", "application/json"), 0);
  ck_assert_int_eq(tp_media_type_is(NULL, "application/json"), 0);
}
END_TEST

START_TEST(reals_render_shortest_and_exact) {
  double tricky = 0.05 * 0.43 / 2; /* 0.010750000000000001 */
  json_t *doc = json_pack("{s:f, s:f, s:f, s:f, s:i, s:s, s:[f, f]}", "a", 0.3, "b", tricky, "c",
                          -2.5e-12, "d", 1e21, "e", 42, "f", "0.29999999999999999 \"1.5\"",
                          "g", 1.0, 123456.789);
  char *text = tp_json_render(doc);
  ck_assert_str_eq(text, "{\"a\":0.3,\"b\":0.010750000000000001,\"c\":-2.5e-12,\"d\":1e21,"
                         "\"e\":42,\"f\":\"0.29999999999999999 \\\"1.5\\\"\",\"g\":[1.0,123456.789]}");
  /* Every real reads back as exactly the double it was. */
  json_t *back = json_loads(text, 0, NULL);
  ck_assert(json_real_value(json_object_get(back, "b")) == tricky);
  json_decref(back);
  free(text);
  json_decref(doc);
}
END_TEST

START_TEST(query_encoding) {
  char out[64];
  ck_assert_int_eq(tp_query_encode("De Fryske&Marren", out, sizeof(out)), 20);
  ck_assert_str_eq(out, "De%20Fryske%26Marren");
  ck_assert_int_eq(tp_query_encode("abcdef", out, 4), -1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("http-helpers");
  TCase *tc = tcase_create("helpers");
  tcase_add_test(tc, problem_has_every_member);
  tcase_add_test(tc, problem_400_lists_invalid_params);
  tcase_add_test(tc, unknown_status_renders_as_500_type);
  tcase_add_test(tc, outcome_unknown_is_504_of_its_own);
  tcase_add_test(tc, sf_strings);
  tcase_add_test(tc, params_read_and_decode);
  tcase_add_test(tc, params_collect_every_problem);
  tcase_add_test(tc, params_defaults_when_absent);
  tcase_add_test(tc, params_reject_bad_encoding_and_duplicates);
  tcase_add_test(tc, params_bound_their_count_and_size);
  tcase_add_test(tc, params_integer_edges);
  tcase_add_test(tc, routes_match_exactly);
  tcase_add_test(tc, framing_faults);
  tcase_add_test(tc, negotiation);
  tcase_add_test(tc, media_types);
  tcase_add_test(tc, gzip_accepted);
  tcase_add_test(tc, query_encoding);
  tcase_add_test(tc, reals_render_shortest_and_exact);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
