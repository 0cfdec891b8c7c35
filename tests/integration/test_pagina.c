/* The page for people (GET /, /pagina/...) and the API reference
 * (GET /docs): embedded files with their media type, ETag and 304, gzip
 * when the client takes it, and the page's strict Content-Security-Policy
 * on these answers alone; the API keeps its own headers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct it_server srv;

static void start(void) { ck_assert_int_eq(it_server_start(&srv, NULL), 0); }
static void stop(void) {
  if (srv.pid > 0) ck_assert_int_eq(it_server_stop(&srv), 0);
}

static const char PAGE_CSP[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

/* The headers every answer of the page shares but its CSP. */
static void assert_page_headers(const struct it_response *r) {
  ck_assert_ptr_nonnull(it_header(r, "API-Version"));
  ck_assert_str_eq(it_header(r, "X-Content-Type-Options"), "nosniff");
  ck_assert_str_eq(it_header(r, "X-Frame-Options"), "DENY");
  ck_assert_str_eq(it_header(r, "Cache-Control"), "no-cache");
  ck_assert_str_eq(it_header(r, "Vary"), "Origin, Authorization, Accept, Accept-Encoding");
  ck_assert_ptr_nonnull(it_header(r, "ETag"));
}

static void get_with(const char *path, const char *h1, const char *h2, struct it_response *r) {
  const char *headers[] = {h1, h2, NULL};
  ck_assert_int_eq(it_request(&srv, "GET", path, h1 ? headers : NULL, NULL, 0, r), 0);
}

START_TEST(page_is_html_under_a_strict_csp) {
  struct it_response r;
  get_with("/", "Accept: text/html,application/xhtml+xml,*/*;q=0.8", NULL, &r);
  ck_assert_int_eq(r.status, 200);
  assert_page_headers(&r);
  ck_assert_str_eq(it_header(&r, "Content-Type"), "text/html; charset=utf-8");
  ck_assert_str_eq(it_header(&r, "Content-Security-Policy"), PAGE_CSP);
  ck_assert_ptr_null(it_header(&r, "Content-Encoding"));
  ck_assert_ptr_nonnull(strstr(r.body, "<html lang=\"nl\""));
  ck_assert_ptr_nonnull(strstr(r.body, "/pagina/app.js"));
  /* Nothing inline the CSP would refuse: no inline script or style. */
  ck_assert_ptr_null(strstr(r.body, "<script>"));
  ck_assert_ptr_null(strstr(r.body, "<style"));
  ck_assert_ptr_null(strstr(r.body, " style="));
  /* 304 for its ETag. */
  char inm[128];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", it_header(&r, "ETag"));
  struct it_response again;
  get_with("/", inm, NULL, &again);
  ck_assert_int_eq(again.status, 304);
  ck_assert_uint_eq(again.body_len, 0);
  it_response_free(&again);
  it_response_free(&r);
}
END_TEST

/* Each file of the page with its own media type. */
START_TEST(page_files_have_their_media_type) {
  struct {
    const char *path, *type;
  } files[] = {
      {"/pagina/app.js", "text/javascript; charset=utf-8"},
      {"/pagina/stijl.css", "text/css; charset=utf-8"},
      {"/docs", "text/html; charset=utf-8"},
      {"/docs/redoc.standalone.js", "text/javascript; charset=utf-8"},
      {"/docs/LICENSE-redoc.txt", "text/plain; charset=utf-8"},
  };
  for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    struct it_response r;
    get_with(files[i].path, NULL, NULL, &r);
    ck_assert_msg(r.status == 200, "%s gave %ld", files[i].path, r.status);
    assert_page_headers(&r);
    ck_assert_str_eq(it_header(&r, "Content-Type"), files[i].type);
    ck_assert_uint_gt(r.body_len, 0);
    /* The reference's renderer needs inline styles, never eval. */
    const char *csp = it_header(&r, "Content-Security-Policy");
    ck_assert_ptr_nonnull(strstr(csp, "default-src 'self'"));
    ck_assert_ptr_null(strstr(csp, "unsafe-eval"));
    it_response_free(&r);
  }
}
END_TEST

/* Gzipped when the client takes it: other bytes, another ETag, and the
 * same file once unpacked. */
START_TEST(gzip_when_accepted) {
  struct it_response plain, packed, refused;
  get_with("/pagina/app.js", NULL, NULL, &plain);
  get_with("/pagina/app.js", "Accept-Encoding: br;q=1.0, gzip;q=0.8", NULL, &packed);
  get_with("/pagina/app.js", "Accept-Encoding: gzip;q=0, identity", NULL, &refused);
  ck_assert_int_eq(packed.status, 200);
  ck_assert_str_eq(it_header(&packed, "Content-Encoding"), "gzip");
  ck_assert_str_ne(it_header(&packed, "ETag"), it_header(&plain, "ETag"));
  ck_assert_uint_lt(packed.body_len, plain.body_len);
  ck_assert_uint_ge(packed.body_len, 2);
  ck_assert_int_eq((unsigned char)packed.body[0], 0x1f);
  ck_assert_int_eq((unsigned char)packed.body[1], 0x8b);
  ck_assert_ptr_null(it_header(&refused, "Content-Encoding"));
  ck_assert_uint_eq(refused.body_len, plain.body_len);
  char gz[] = "/tmp/tp-pagina-XXXXXX";
  int fd = mkstemp(gz);
  ck_assert_int_ge(fd, 0);
  close(fd);
  it_write_file(gz, packed.body, packed.body_len);
  char cmd[128];
  snprintf(cmd, sizeof(cmd), "gzip -dc < %s > %s.out", gz, gz);
  ck_assert_int_eq(system(cmd), 0);
  char out[64];
  snprintf(out, sizeof(out), "%s.out", gz);
  FILE *f = fopen(out, "rb");
  ck_assert_ptr_nonnull(f);
  char *unpacked = malloc(plain.body_len + 1);
  size_t n = fread(unpacked, 1, plain.body_len + 1, f);
  fclose(f);
  ck_assert_uint_eq(n, plain.body_len);
  ck_assert(memcmp(unpacked, plain.body, n) == 0);
  free(unpacked);
  unlink(out);
  unlink(gz);
  /* The 304 of the gzipped answer. */
  char inm[128];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", it_header(&packed, "ETag"));
  struct it_response again;
  get_with("/pagina/app.js", "Accept-Encoding: gzip", inm, &again);
  ck_assert_int_eq(again.status, 304);
  it_response_free(&again);
  it_response_free(&plain);
  it_response_free(&packed);
  it_response_free(&refused);
}
END_TEST

/* What the page does not have is 404, what Accept refuses 406, and a
 * query 400: problems with the API's own headers. */
START_TEST(unknown_files_and_refused_types) {
  struct it_response r;
  get_with("/pagina/bestaat-niet.js", NULL, NULL, &r);
  it_assert_problem(&r, 404);
  it_response_free(&r);
  get_with("/pagina/app.js", "Accept: text/css", NULL, &r);
  it_assert_problem(&r, 406);
  it_response_free(&r);
  get_with("/", "Accept: application/json", NULL, &r);
  it_assert_problem(&r, 406);
  it_response_free(&r);
  get_with("/?x=1", NULL, NULL, &r);
  it_assert_problem(&r, 400);
  it_response_free(&r);
  get_with("/docs/", NULL, NULL, &r);
  it_assert_problem(&r, 404);
  it_response_free(&r);
}
END_TEST

/* The API's answers keep their headers: the page's CSP is the page's. */
START_TEST(api_headers_unchanged) {
  struct it_response r;
  get_with("/api/v1/rollen", "Accept-Encoding: gzip", NULL, &r);
  ck_assert_int_eq(r.status, 200);
  it_assert_conventions(&r);
  ck_assert_ptr_null(it_header(&r, "Content-Encoding"));
  ck_assert_str_eq(it_header(&r, "Vary"), "Origin, Authorization");
  it_response_free(&r);
  /* The root links the reference and the page. */
  get_with("/api/v1", NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  json_t *links = json_object_get(r.json, "links");
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(links, "docs"), "href")),
                   "/docs");
  ck_assert_str_eq(json_string_value(json_object_get(json_object_get(links, "pagina"), "href")),
                   "/");
  it_response_free(&r);
}
END_TEST

int main(void) {
  Suite *s = suite_create("pagina");
  TCase *tc = it_case("pagina", 30, start, stop);
  tcase_add_test(tc, page_is_html_under_a_strict_csp);
  tcase_add_test(tc, page_files_have_their_media_type);
  tcase_add_test(tc, gzip_when_accepted);
  tcase_add_test(tc, unknown_files_and_refused_types);
  tcase_add_test(tc, api_headers_unchanged);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
