/* The router refuses, at start, a route table in which a route flagged
 * TP_ROUTE_CACHED could be answered from the response cache wrongly: the
 * cache keys a response by the request target alone. */
#include <check.h>
#include <stddef.h>

#include "teamplotter/http.h"
#include "teamplotter/router.h"
#include "teamplotter/routes.h"

static void handler(struct tp_ctx *ctx) { (void)ctx; }

static const char *const ONE[] = {"application/json", NULL};
static const char *const TWO[] = {"application/json", "text/csv", NULL};
static const char *const NONE[] = {NULL};

/* tp_router_create of the table holding `route` alone. */
static tp_rc create_with(struct tp_route route) {
  const struct tp_route table[] = {route, {0}};
  const struct tp_route *const tables[] = {table, NULL};
  struct tp_router *router = NULL;
  tp_rc rc = tp_router_create(&router, tables);
  if (rc == TP_OK) {
    ck_assert_uint_eq(tp_router_count(router), 1);
    tp_router_destroy(router);
  } else {
    ck_assert_ptr_null(router);
  }
  return rc;
}

START_TEST(the_service_routes_are_accepted) {
  struct tp_router *router = NULL;
  ck_assert_int_eq(tp_router_create(&router, tp_all_routes), TP_OK);
  ck_assert_uint_gt(tp_router_count(router), 0);
  tp_router_destroy(router);
}
END_TEST

START_TEST(cached_gets_of_one_media_type_without_token_are_accepted) {
  ck_assert_int_eq(create_with((struct tp_route){"GET", "/a", handler, NULL, TP_ROUTE_CACHED}),
                   TP_OK);
  ck_assert_int_eq(create_with((struct tp_route){"GET", "/a", handler, ONE, TP_ROUTE_CACHED}),
                   TP_OK);
  /* Without the flag anything goes. */
  ck_assert_int_eq(create_with((struct tp_route){"GET", "/a", handler, TWO, TP_ROUTE_TOKEN}),
                   TP_OK);
}
END_TEST

START_TEST(cached_route_with_two_media_types_is_refused) {
  ck_assert_int_eq(create_with((struct tp_route){"GET", "/a", handler, TWO, TP_ROUTE_CACHED}),
                   TP_ERR_PARAM);
  ck_assert_int_eq(create_with((struct tp_route){"GET", "/a", handler, NONE, TP_ROUTE_CACHED}),
                   TP_ERR_PARAM);
}
END_TEST

START_TEST(cached_route_that_needs_a_token_is_refused) {
  ck_assert_int_eq(create_with((struct tp_route){"GET", "/a", handler, NULL,
                                                 TP_ROUTE_CACHED | TP_ROUTE_TOKEN}),
                   TP_ERR_PARAM);
}
END_TEST

START_TEST(cached_write_is_refused) {
  ck_assert_int_eq(create_with((struct tp_route){"PUT", "/a", handler, NULL, TP_ROUTE_CACHED}),
                   TP_ERR_PARAM);
}
END_TEST

/* One bad route among good tables refuses them all. */
START_TEST(one_bad_route_refuses_the_table) {
  const struct tp_route bad[] = {
      {"GET", "/x", handler, NULL, 0},
      {"GET", "/y", handler, TWO, TP_ROUTE_CACHED},
      {0},
  };
  const struct tp_route *const tables[] = {tp_routes_root, bad, NULL};
  struct tp_router *router = NULL;
  ck_assert_int_eq(tp_router_create(&router, tables), TP_ERR_PARAM);
  ck_assert_ptr_null(router);
}
END_TEST

int main(void) {
  Suite *s = suite_create("router");
  TCase *tc = tcase_create("cached routes");
  tcase_add_test(tc, the_service_routes_are_accepted);
  tcase_add_test(tc, cached_gets_of_one_media_type_without_token_are_accepted);
  tcase_add_test(tc, cached_route_with_two_media_types_is_refused);
  tcase_add_test(tc, cached_route_that_needs_a_token_is_refused);
  tcase_add_test(tc, cached_write_is_refused);
  tcase_add_test(tc, one_bad_route_refuses_the_table);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
