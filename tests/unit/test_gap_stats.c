/* The numeric helpers of the gap analysis (stats.h), checked against
 * numbers worked out by hand in the comments. No database. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/stats.h"

#define TOL 1e-9

START_TEST(percentile_hand_computed) {
  /* h = (n - 1) * p; value = x[floor h] + frac(h) * (x[floor h + 1] - x[floor h]).
   * n = 1: every quantile is the value. */
  const double one[] = {5.0};
  ck_assert_double_eq_tol(tp_percentile_inc(one, 1, 0.25), 5.0, TOL);
  ck_assert_double_eq_tol(tp_percentile_inc(one, 1, 0.5), 5.0, TOL);
  ck_assert_double_eq_tol(tp_percentile_inc(one, 1, 0.75), 5.0, TOL);
  /* n = 2, {1, 3}: h = 0.25 -> 1 + 0.25*2 = 1.5; h = 0.5 -> 2; h = 0.75 -> 2.5.
   * numpy.percentile([1, 3], [25, 50, 75]) = [1.5, 2.0, 2.5]. */
  const double two[] = {1.0, 3.0};
  ck_assert_double_eq_tol(tp_percentile_inc(two, 2, 0.25), 1.5, TOL);
  ck_assert_double_eq_tol(tp_percentile_inc(two, 2, 0.5), 2.0, TOL);
  ck_assert_double_eq_tol(tp_percentile_inc(two, 2, 0.75), 2.5, TOL);
  /* n = 4, {1, 2, 4, 8}: h = 0.75 -> 1 + 0.75*1 = 1.75; h = 1.5 -> 2 + 0.5*2 = 3;
   * h = 2.25 -> 4 + 0.25*4 = 5. numpy: [1.75, 3.0, 5.0]. */
  const double four[] = {1.0, 2.0, 4.0, 8.0};
  ck_assert_double_eq_tol(tp_percentile_inc(four, 4, 0.25), 1.75, TOL);
  ck_assert_double_eq_tol(tp_percentile_inc(four, 4, 0.5), 3.0, TOL);
  ck_assert_double_eq_tol(tp_percentile_inc(four, 4, 0.75), 5.0, TOL);
  /* n = 7, {1, 2, 3, 5, 8, 13, 21}: h = 1.5 -> 2 + 0.5*1 = 2.5; h = 3 -> 5;
   * h = 4.5 -> 8 + 0.5*5 = 10.5. numpy: [2.5, 5.0, 10.5]. */
  const double seven[] = {1, 2, 3, 5, 8, 13, 21};
  ck_assert_double_eq_tol(tp_percentile_inc(seven, 7, 0.25), 2.5, TOL);
  ck_assert_double_eq_tol(tp_percentile_inc(seven, 7, 0.5), 5.0, TOL);
  ck_assert_double_eq_tol(tp_percentile_inc(seven, 7, 0.75), 10.5, TOL);
  /* The ends are the extremes. */
  ck_assert_double_eq_tol(tp_percentile_inc(seven, 7, 0.0), 1.0, TOL);
  ck_assert_double_eq_tol(tp_percentile_inc(seven, 7, 1.0), 21.0, TOL);
  ck_assert(isnan(tp_percentile_inc(seven, 0, 0.5)));
}
END_TEST

START_TEST(fit_exact_power_law) {
  /* t = 0.05 * n^0.8: ln t = ln 0.05 + 0.8 ln n, a = ln 0.05 = -2.995732273553991. */
  const double n[] = {1000.0, 10000.0, 100000.0, 350000.0};
  double t[4];
  for (int i = 0; i < 4; i++) t[i] = 0.05 * pow(n[i], 0.8);
  struct tp_fit f;
  tp_fit_loglog(n, t, 4, &f);
  ck_assert_int_eq(f.ok, 1);
  ck_assert_int_eq(f.has_r2, 1);
  ck_assert_double_eq_tol(f.b, 0.8, 1e-12);
  ck_assert_double_eq_tol(f.a, -2.995732273553991, 1e-10);
  ck_assert_double_eq_tol(f.r2, 1.0, 1e-12);
}
END_TEST

START_TEST(fit_noisy_three_points) {
  /* n = 10 000, 40 000, 160 000 (x = ln n = 9.210340, 10.596635, 11.982929,
   * equally spaced by ln 4 = 1.386294); t = 1, 2.5, 4 (y = 0, 0.916291, 1.386294).
   * xbar = 10.596635, ybar = ln(10)/3 = 0.767528.
   * Sxx = 2 * 1.386294^2 = 3.843624; Sxy = 1.386294 * (1.386294 - 0) = 1.921812.
   * b = Sxy / Sxx = 0.5 exactly; a = ybar - b * xbar = 0.767528 - 5.298317 = -4.530789.
   * Fitted y: 0.074381, 0.767528, 1.460675; residuals -0.074381, 0.148762, -0.074381.
   * SSres = 0.005533 + 0.022130 + 0.005533 = 0.033195;
   * SStot = 0.589100 + 0.022130 + 0.382871 = 0.994101; R² = 1 - 0.033195/0.994101 = 0.966608. */
  const double n[] = {10000.0, 40000.0, 160000.0};
  const double t[] = {1.0, 2.5, 4.0};
  struct tp_fit f;
  tp_fit_loglog(n, t, 3, &f);
  ck_assert_int_eq(f.ok, 1);
  ck_assert_double_eq_tol(f.b, 0.5, 1e-12);
  ck_assert_double_eq_tol(f.a, -4.530789002, 1e-8);
  ck_assert_double_eq_tol(f.r2, 0.966607669, 1e-8);
  /* Order does not matter. */
  const double n2[] = {160000.0, 10000.0, 40000.0};
  const double t2[] = {4.0, 1.0, 2.5};
  struct tp_fit g;
  tp_fit_loglog(n2, t2, 3, &g);
  ck_assert_double_eq_tol(g.b, f.b, 1e-12);
  ck_assert_double_eq_tol(g.r2, f.r2, 1e-12);
}
END_TEST

START_TEST(fit_degenerate_inputs) {
  struct tp_fit f;
  const double n1[] = {1000.0};
  const double t1[] = {1.0};
  tp_fit_loglog(n1, t1, 1, &f);
  ck_assert_int_eq(f.ok, 0);
  /* All n equal: no slope. */
  const double n2[] = {5000.0, 5000.0, 5000.0};
  const double t2[] = {1.0, 2.0, 3.0};
  tp_fit_loglog(n2, t2, 3, &f);
  ck_assert_int_eq(f.ok, 0);
  ck_assert_int_eq(f.has_r2, 0);
  /* A zero total has no logarithm. */
  const double n3[] = {1000.0, 2000.0};
  const double t3[] = {1.0, 0.0};
  tp_fit_loglog(n3, t3, 2, &f);
  ck_assert_int_eq(f.ok, 0);
  /* Two points: the line through them, exact. t = 2 at n = 1000, 8 at 4000: b = 1,
   * a = ln 2 - ln 1000. */
  const double n4[] = {1000.0, 4000.0};
  const double t4[] = {2.0, 8.0};
  tp_fit_loglog(n4, t4, 2, &f);
  ck_assert_int_eq(f.ok, 1);
  ck_assert_double_eq_tol(f.b, 1.0, 1e-12);
  ck_assert_double_eq_tol(f.a, log(2.0) - log(1000.0), 1e-12);
  ck_assert_double_eq_tol(f.r2, 1.0, 1e-12);
  /* Equal totals: SStot = 0 and SSres = 0, a flat line; R² is defined as 1. */
  const double t5[] = {3.0, 3.0};
  tp_fit_loglog(n4, t5, 2, &f);
  ck_assert_int_eq(f.ok, 1);
  ck_assert_double_eq(f.b, 0.0);
  ck_assert_double_eq_tol(f.a, log(3.0), 1e-15);
  ck_assert_double_eq(f.r2, 1.0);
}
END_TEST

START_TEST(round4_values) {
  ck_assert_double_eq(tp_round4(1.23456), 1.2346);
  ck_assert_double_eq(tp_round4(-1.23456), -1.2346);
  ck_assert_double_eq(tp_round4(2.0), 2.0);
  ck_assert_double_eq(tp_round4(0.42), 0.42);
  ck_assert_double_eq(tp_round4(0.12344), 0.1234);
  ck_assert_double_eq(tp_round4(-0.99996), -1.0);
  /* Values that round to zero are +0, never -0. */
  ck_assert_double_eq(tp_round4(0.00004), 0.0);
  ck_assert_int_eq(signbit(tp_round4(-0.00004)), 0);
  ck_assert_int_eq(signbit(tp_round4(-0.0)), 0);
  ck_assert_double_eq(tp_round4(-0.00005), -0.0001);
  /* Too large to carry decimals, or not a number: unchanged. */
  ck_assert_double_eq(tp_round4(1e15), 1e15);
  ck_assert(isnan(tp_round4(NAN)));
}
END_TEST

START_TEST(format_fixed_values) {
  char buf[32];
  ck_assert_int_eq(tp_format_fixed(buf, sizeof(buf), 0.125, 2, ','), 4);
  ck_assert_str_eq(buf, "0,13");
  tp_format_fixed(buf, sizeof(buf), -0.004, 2, ',');
  ck_assert_str_eq(buf, "0,00");
  tp_format_fixed(buf, sizeof(buf), -2.5, 1, '.');
  ck_assert_str_eq(buf, "-2.5");
  tp_format_fixed(buf, sizeof(buf), 1234.04, 1, '.');
  ck_assert_str_eq(buf, "1234.0");
  tp_format_fixed(buf, sizeof(buf), 7.4, 0, ',');
  ck_assert_str_eq(buf, "7");
  ck_assert_int_eq(tp_format_fixed(buf, 4, 1234.5, 2, ','), -1);
  ck_assert_int_eq(tp_format_fixed(buf, sizeof(buf), INFINITY, 2, ','), -1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("gap_stats");
  TCase *tc_stats = tcase_create("stats");
  tcase_add_test(tc_stats, percentile_hand_computed);
  tcase_add_test(tc_stats, fit_exact_power_law);
  tcase_add_test(tc_stats, fit_noisy_three_points);
  tcase_add_test(tc_stats, fit_degenerate_inputs);
  tcase_add_test(tc_stats, round4_values);
  tcase_add_test(tc_stats, format_fixed_values);
  suite_add_tcase(s, tc_stats);

  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
