/* libFuzzer target: the request-line and header parsers of service/http.
 *
 * The input, as a NUL-terminated string, is used as
 *  - a query string: tp_params_parse, the readers a list handler uses
 *    (tp_paging_read, tp_param_enum/bool/long/text, tp_param_get) and
 *    tp_params_finish; every parsed key and value goes through
 *    tp_query_encode and back through tp_params_parse;
 *  - a path: tp_route_match against the route patterns' shapes, and, percent-
 *    encoded, as one {variable} segment that must decode back to itself;
 *  - an Accept header (tp_negotiate) and a Content-Type (tp_media_type_is);
 *  - an If-Match / If-None-Match header (tp_etag_field_kind, tp_etag_list_has).
 * Besides the sanitizers, the invariants below are checked. */
#include "fuzz_common.h"

#include "teamplotter/http.h"
#include "teamplotter/paging.h"
#include "teamplotter/query.h"
#include "teamplotter/render.h"
#include "teamplotter/router.h"

static const char *const PROVINCIES[] = {
    "Drenthe",       "Flevoland",     "Friesland",  "Gelderland", "Groningen", "Limburg",
    "Noord-Brabant", "Noord-Holland", "Overijssel", "Utrecht",    "Zeeland",   "Zuid-Holland",
    NULL,
};

static char *must_malloc(size_t n) {
  char *p = malloc(n);
  if (p == NULL) abort();
  return p;
}

/* tp_query_encode into a buffer of exactly the size it needs (so ASan sees
 * any byte written past it), and refusing a buffer one byte short. */
static char *encode(const char *in) {
  size_t cap = 3 * strlen(in) + 1;
  char *big = must_malloc(cap);
  int n = tp_query_encode(in, big, cap);
  FUZZ_CHECK(n >= 0 && (size_t)n == strlen(big), "tp_query_encode failed with room to spare");
  char *exact = must_malloc((size_t)n + 1);
  FUZZ_CHECK(tp_query_encode(in, exact, (size_t)n + 1) == n, "exact buffer refused");
  FUZZ_CHECK(strcmp(exact, big) == 0, "encodings differ");
  char *shorter = must_malloc((size_t)n + 1);
  FUZZ_CHECK(tp_query_encode(in, shorter, (size_t)n) == -1, "a buffer too short was accepted");
  free(shorter);
  free(big);
  for (const char *p = exact; *p; p++) {
    FUZZ_CHECK(*p != '&' && *p != '=' && *p != '+' && *p != '/' && *p != '?' && *p != '#',
               "encoding left a delimiter in '%s'", exact);
  }
  return exact;
}

static void check_query(const char *raw) {
  struct tp_params params;
  tp_params_parse(&params, raw);
  FUZZ_CHECK(params.count <= TP_QUERY_MAX_PARAMS, "count %zu", params.count);
  for (size_t i = 0; i < params.count; i++) {
    const char *k = params.items[i].key, *v = params.items[i].value;
    FUZZ_CHECK(k != NULL && v != NULL, "item %zu is NULL", i);
    FUZZ_CHECK(k[0] != '\0' && tp_utf8_valid(k, strlen(k)), "key %zu is empty or not UTF-8", i);
    FUZZ_CHECK(strlen(v) <= 1024 && tp_utf8_valid(v, strlen(v)), "value %zu is bad", i);
    for (size_t j = 0; j < i; j++) {
      FUZZ_CHECK(strcmp(params.items[j].key, k) != 0, "duplicate key '%s' kept", k);
    }
  }
  fuzz_check_invalid(params.invalid, NULL);

  /* What a list handler reads (gemeenten: every kind of reader). */
  struct tp_paging paging;
  const char *provincie, *zoek, *gemeente;
  int referentie;
  long grootteklasse;
  tp_paging_read(&params, &paging);
  tp_param_enum(&params, "provincie", PROVINCIES, &provincie);
  tp_param_bool(&params, "referentie", &referentie);
  tp_param_long(&params, "grootteklasse", 1, 8, 0, &grootteklasse);
  tp_param_text(&params, "zoek", 1, 100, &zoek);
  tp_param_text(&params, "gemeente", 6, 6, &gemeente);
  const char *raw_page = tp_param_get(&params, "page");
  FUZZ_CHECK(paging.page >= 1 && paging.page <= 1000000, "page %ld", paging.page);
  FUZZ_CHECK(paging.page_size >= 1 && paging.page_size <= TP_PAGE_SIZE_MAX, "pageSize %ld",
             paging.page_size);
  FUZZ_CHECK(tp_paging_offset(&paging) >= 0, "negative offset");
  FUZZ_CHECK(raw_page != NULL || paging.page == 1, "page without a page parameter");
  FUZZ_CHECK(referentie >= -1 && referentie <= 1, "referentie %d", referentie);
  FUZZ_CHECK(grootteklasse >= 0 && grootteklasse <= 8, "grootteklasse %ld", grootteklasse);
  if (provincie != NULL) {
    int found = 0;
    for (size_t i = 0; PROVINCIES[i] != NULL; i++) found |= provincie == PROVINCIES[i];
    FUZZ_CHECK(found, "provincie does not point into the list");
  }
  if (zoek != NULL) {
    size_t n = tp_utf8_chars(zoek, strlen(zoek));
    FUZZ_CHECK(n >= 1 && n <= 100, "zoek of %zu characters", n);
  }
  if (gemeente != NULL) FUZZ_CHECK(tp_utf8_chars(gemeente, strlen(gemeente)) == 6, "gemeente");

  size_t before = json_array_size(params.invalid);
  size_t problems = tp_params_finish(&params);
  FUZZ_CHECK(problems == json_array_size(params.invalid) && problems >= before, "finish count");
  FUZZ_CHECK(tp_params_finish(&params) == problems, "finish is not idempotent");
  fuzz_check_invalid(params.invalid, NULL);

  /* Every kept parameter survives tp_query_encode + tp_params_parse. */
  for (size_t i = 0; i < params.count; i++) {
    char *k = encode(params.items[i].key), *v = encode(params.items[i].value);
    size_t len = strlen(k) + strlen(v) + 2;
    char *again = must_malloc(len);
    snprintf(again, len, "%s=%s", k, v);
    struct tp_params back;
    tp_params_parse(&back, again);
    FUZZ_CHECK(back.count == 1 && json_array_size(back.invalid) == 0, "'%s' does not parse back",
               again);
    FUZZ_CHECK(strcmp(back.items[0].key, params.items[i].key) == 0 &&
                   strcmp(back.items[0].value, params.items[i].value) == 0,
               "'%s' parses back to something else", again);
    tp_params_free(&back);
    free(again);
    free(k);
    free(v);
  }
  tp_params_free(&params);
}

static size_t count_vars(const char *pattern) {
  size_t n = 0;
  for (const char *p = pattern; *p; p++) n += *p == '{';
  return n;
}

static void check_route(const char *pattern, const char *path) {
  char *vars[TP_MAX_PATH_VARS + 1] = {0};
  int bare = tp_route_match(pattern, path, NULL);
  int with = tp_route_match(pattern, path, vars);
  FUZZ_CHECK(bare == with, "match with and without vars differ for %s", pattern);
  FUZZ_CHECK(vars[TP_MAX_PATH_VARS] == NULL, "more than TP_MAX_PATH_VARS variables stored");
  size_t n = count_vars(pattern);
  FUZZ_CHECK(!with || n <= TP_MAX_PATH_VARS, "matched %s with too many variables", pattern);
  for (size_t i = 0; i < TP_MAX_PATH_VARS; i++) {
    if (!with || i >= n) {
      FUZZ_CHECK(vars[i] == NULL, "variable %zu set without a match", i);
      continue;
    }
    FUZZ_CHECK(vars[i] != NULL && vars[i][0] != '\0', "variable %zu empty", i);
    FUZZ_CHECK(tp_utf8_valid(vars[i], strlen(vars[i])), "variable %zu not UTF-8", i);
    for (const unsigned char *p = (const unsigned char *)vars[i]; *p; p++) {
      FUZZ_CHECK(*p >= 0x20 && *p != 0x7f && *p != '/', "variable %zu holds 0x%02x", i, *p);
    }
    o_free(vars[i]);
  }
}

/* Whether `s` can be a path segment's decoded value. */
static int segment_value(const char *s) {
  if (s[0] == '\0' || !tp_utf8_valid(s, strlen(s))) return 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x20 || *p == 0x7f || *p == '/') return 0;
  }
  return 1;
}

static void check_paths(const char *s) {
  static const char *const patterns[] = {
      "/api/v1",
      "/api/v1/rollen/{code}",
      "/api/v1/teamprofielen/{uuid}/audittrail",
      "/api/v1/gemeenten/{code}/benchmark",
      "/{a}/{b}/{c}/{d}",
      "/{a}/{b}/{c}/{d}/{e}", /* one more variable than a route may have */
      "/{a}",
      NULL,
  };
  for (size_t i = 0; patterns[i] != NULL; i++) check_route(patterns[i], s);

  /* Any clean text, percent-encoded, is one segment that decodes back. */
  char *enc = encode(s);
  size_t len = strlen("/api/v1/rollen/") + strlen(enc) + 1;
  char *path = must_malloc(len);
  snprintf(path, len, "/api/v1/rollen/%s", enc);
  char *vars[TP_MAX_PATH_VARS] = {0};
  int m = tp_route_match("/api/v1/rollen/{code}", path, vars);
  FUZZ_CHECK(m == segment_value(s), "encoded segment %s: match %d", path, m);
  if (m) {
    FUZZ_CHECK(strcmp(vars[0], s) == 0, "segment %s decodes to something else", path);
    o_free(vars[0]);
  }
  free(path);
  free(enc);
}

static void check_negotiate(const char *s) {
  static const char *const json_only[] = {"application/json", NULL};
  static const char *const json_svg[] = {"application/json", "image/svg+xml", NULL};
  static const char *const json_csv[] = {"application/json", "text/csv", NULL};
  static const char *const yaml[] = {"application/yaml", "text/yaml", NULL};
  static const char *const *const lists[] = {json_only, json_svg, json_csv, yaml, NULL};
  for (size_t l = 0; lists[l] != NULL; l++) {
    const char *got = tp_negotiate(s, lists[l]);
    int member = got == NULL;
    for (size_t i = 0; lists[l][i] != NULL; i++) member |= got == lists[l][i];
    FUZZ_CHECK(member, "tp_negotiate returned a type not offered");
    if (s[0] == '\0') FUZZ_CHECK(got == lists[l][0], "empty Accept is not the default");
  }
  (void)tp_media_type_is(s, "application/json");
}

static void check_etags(const char *s, const uint8_t *data, size_t size) {
  char tag[TP_ETAG_LEN + 1];
  FUZZ_CHECK(tp_etag_of_bytes(data, size, tag) == 0 && strlen(tag) == TP_ETAG_LEN, "etag");
  int strong = tp_etag_list_has(s, tag, 0), weak = tp_etag_list_has(s, tag, 1);
  enum tp_etag_field kind = tp_etag_field_kind(s);
  FUZZ_CHECK(!strong || weak, "If-Match matches where If-None-Match does not");
  FUZZ_CHECK(tp_etag_list_has(tag, tag, 0) == 1, "a tag does not match itself");
  FUZZ_CHECK(kind != TP_ETAG_FIELD_MALFORMED || (!strong && !weak),
             "a malformed field '%s' matches", s);
  FUZZ_CHECK(kind != TP_ETAG_FIELD_ANY || (strong && weak), "'*' does not match");
  (void)tp_etag_list_has(s, "\"0123456789abcdef0123456789abcdef\"", 1);

  /* The tag appended to a list is found; its weak twin only weakly. */
  if (kind != TP_ETAG_FIELD_LIST) return;
  size_t len = strlen(s) + TP_ETAG_LEN + 8;
  char *list = must_malloc(len);
  snprintf(list, len, "%s, %s", s, tag);
  FUZZ_CHECK(tp_etag_list_has(list, tag, 0) == 1, "tag not found at the end of '%s'", list);
  snprintf(list, len, "%s, W/%s", s, tag);
  FUZZ_CHECK(tp_etag_list_has(list, tag, 1) == 1, "weak tag not found at the end of '%s'", list);
  FUZZ_CHECK(tp_etag_list_has(list, tag, 0) == strong, "a weak tag changed If-Match");
  free(list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = fuzz_cstring(data, size);
  check_query(s);
  check_paths(s);
  check_negotiate(s);
  check_etags(s, data, size);
  free(s);
  return 0;
}
