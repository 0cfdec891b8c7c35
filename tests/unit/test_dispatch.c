/* The dispatcher's promise: every request is answered exactly once. A
 * handler that returns without answering gets 500; a second answer is
 * ignored and the first stands. Requests are faked: no listener, no
 * database. */
#include <check.h>
#include <string.h>

#include <jansson.h>
#include <ulfius.h>

#include "teamplotter/app.h"
#include "teamplotter/config.h"
#include "teamplotter/http.h"
#include "teamplotter/metrics.h"
#include "teamplotter/router.h"

static void silent(struct tp_ctx *ctx) { (void)ctx; }

static void twice(struct tp_ctx *ctx) {
  static const char body[] = "{\"eerste\":true}";
  tp_respond_bytes(ctx, 200, "application/json", body, sizeof(body) - 1);
  tp_problem(ctx, 409, NULL, "Het tweede antwoord.");
  tp_respond_empty(ctx, 204);
}

static void problem_then_busy(struct tp_ctx *ctx) {
  tp_problem(ctx, 404, NULL, "Het eerste antwoord.");
  tp_problem_rc(ctx, TP_ERR_BUSY, "Het tweede");
}

static void once(struct tp_ctx *ctx) { tp_respond_empty(ctx, 204); }

static void refused_by_rule(struct tp_ctx *ctx) { tp_problem_rc(ctx, TP_ERR_INVALID, "Dit ding"); }
static void lost_to_another(struct tp_ctx *ctx) {
  tp_problem_rc(ctx, TP_ERR_CONCURRENT, "Dit ding");
}
static void unexpected(struct tp_ctx *ctx) { tp_problem_rc(ctx, TP_ERR_DB, "Dit ding"); }

static const struct tp_route ROUTES[] = {
    {"GET", "/stil", silent, NULL, 0},
    {"GET", "/twee-keer", twice, NULL, 0},
    {"GET", "/probleem-dan-druk", problem_then_busy, NULL, 0},
    {"GET", "/een-keer", once, NULL, 0},
    {"GET", "/regel", refused_by_rule, NULL, 0},
    {"GET", "/gelijktijdig", lost_to_another, NULL, 0},
    {"GET", "/onverwacht", unexpected, NULL, 0},
    {0},
};
static const struct tp_route *const TABLES[] = {ROUTES, NULL};

struct fake {
  struct tp_config cfg;
  struct tp_app app;
  struct _u_request req;
  struct _u_response resp;
};

/* Serves GET `path` through the dispatcher into f->resp. */
static void serve(struct fake *f, const char *path) {
  memset(f, 0, sizeof(*f));
  f->cfg.max_body_bytes = 1024;
  f->app.cfg = &f->cfg;
  f->app.api_version = "test";
  ck_assert_int_eq(tp_router_create(&f->app.router, TABLES), TP_OK);
  ck_assert_int_eq(tp_metrics_create(&f->app.metrics, f->app.router), TP_OK);
  ulfius_init_request(&f->req);
  ulfius_init_response(&f->resp);
  f->req.http_verb = o_strdup("GET");
  f->req.http_url = o_strdup(path);
  f->req.http_protocol = o_strdup("HTTP/1.1");
  ck_assert_int_eq(tp_dispatch(&f->req, &f->resp, &f->app), U_CALLBACK_COMPLETE);
}

static void fake_free(struct fake *f) {
  ulfius_clean_request(&f->req);
  ulfius_clean_response(&f->resp);
  tp_metrics_destroy(f->app.metrics);
  tp_router_destroy(f->app.router);
}

static json_t *body_of(const struct fake *f) {
  return json_loadb(f->resp.binary_body, f->resp.binary_body_length, 0, NULL);
}

START_TEST(handler_without_answer_gets_500) {
  struct fake f;
  serve(&f, "/stil");
  ck_assert_uint_eq(f.resp.status, 500);
  ck_assert_str_eq(u_map_get(f.resp.map_header, "Content-Type"), "application/problem+json");
  json_t *doc = body_of(&f);
  ck_assert_ptr_nonnull(doc);
  ck_assert_str_eq(json_string_value(json_object_get(doc, "code")), "internal-error");
  ck_assert_int_eq(json_integer_value(json_object_get(doc, "status")), 500);
  json_decref(doc);
  fake_free(&f);
}
END_TEST

START_TEST(second_answer_is_ignored) {
  struct fake f;
  serve(&f, "/twee-keer");
  ck_assert_uint_eq(f.resp.status, 200);
  ck_assert_str_eq(u_map_get(f.resp.map_header, "Content-Type"), "application/json");
  ck_assert_uint_eq(f.resp.binary_body_length, strlen("{\"eerste\":true}"));
  ck_assert_int_eq(memcmp(f.resp.binary_body, "{\"eerste\":true}", f.resp.binary_body_length), 0);
  fake_free(&f);
}
END_TEST

START_TEST(second_problem_leaves_the_first_headers) {
  struct fake f;
  serve(&f, "/probleem-dan-druk");
  ck_assert_uint_eq(f.resp.status, 404);
  ck_assert_ptr_null(u_map_get(f.resp.map_header, "Retry-After"));
  json_t *doc = body_of(&f);
  ck_assert_str_eq(json_string_value(json_object_get(doc, "detail")), "Het eerste antwoord.");
  json_decref(doc);
  fake_free(&f);
}
END_TEST

START_TEST(one_answer_stands) {
  struct fake f;
  serve(&f, "/een-keer");
  ck_assert_uint_eq(f.resp.status, 204);
  ck_assert_uint_eq(f.resp.binary_body_length, 0);
  fake_free(&f);
}
END_TEST

/* tp_problem_rc, the one place a tp_rc becomes a status. */
START_TEST(results_become_statuses) {
  static const struct {
    const char *path;
    unsigned status;
    const char *retry_after;
  } cases[] = {
      {"/regel", 400, NULL},        /* a CHECK or NOT NULL refusal: the client's data */
      {"/gelijktijdig", 503, "5"},  /* lost to a concurrent transaction twice */
      {"/onverwacht", 500, NULL},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct fake f;
    serve(&f, cases[i].path);
    ck_assert_msg(f.resp.status == cases[i].status, "%s: %ld", cases[i].path, (long)f.resp.status);
    ck_assert_str_eq(u_map_get(f.resp.map_header, "Content-Type"), "application/problem+json");
    const char *retry = u_map_get(f.resp.map_header, "Retry-After");
    if (cases[i].retry_after == NULL) {
      ck_assert_ptr_null(retry);
    } else {
      ck_assert_str_eq(retry, cases[i].retry_after);
    }
    fake_free(&f);
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("dispatch");
  TCase *tc = tcase_create("answers");
  tcase_add_test(tc, handler_without_answer_gets_500);
  tcase_add_test(tc, second_answer_is_ignored);
  tcase_add_test(tc, second_problem_leaves_the_first_headers);
  tcase_add_test(tc, one_answer_stands);
  tcase_add_test(tc, results_become_statuses);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
