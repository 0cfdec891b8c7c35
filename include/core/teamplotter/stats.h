#ifndef TEAMPLOTTER_STATS_H
#define TEAMPLOTTER_STATS_H

#include <stddef.h>

/* Small numeric helpers of the gap analysis and the benchmark. Pure
 * functions: no allocation, no globals, thread-safe. */

/* The p-quantile (0 <= p <= 1) of `n` values sorted ascending, with linear
 * interpolation between order statistics: h = (n - 1) * p, then the value at
 * floor(h) plus the fraction of h times the step to the next one. This is
 * numpy's default (method "linear") and Excel's PERCENTILE.INC, so a reader
 * can check every band with a spreadsheet. n = 1 gives that value for every
 * p; n = 0 gives NaN. */
double tp_percentile_inc(const double *sorted, size_t n, double p);

/* tp_percentile_inc of the values left when those at the `nskip` indices
 * `skip` (ascending, distinct, each below n) are taken out, without a
 * copy: the quantile of a group without some of its members, when the
 * group is sorted once for all of them. NaN when none is left. */
double tp_percentile_inc_without(const double *sorted, size_t n, const size_t *skip, size_t nskip,
                                 double p);

/* Least squares of ln(t) on ln(n): ln(t_i) = a + b * ln(n_i).
 * `ok` is 0 (and the rest 0) when there are fewer than two points, a value
 * is not a positive finite number, or all n_i are equal (no slope exists).
 * When ok, has_r2 is 1 and r2 = 1 - SSres / SStot; when all t_i are equal
 * SStot is 0 and the line through them is exact, so r2 is 1. */
struct tp_fit {
  int ok;
  double a, b, r2;
  int has_r2;
};
void tp_fit_loglog(const double *n, const double *t, size_t count, struct tp_fit *out);

/* The coverage ("dekking") of a team against the reference set, in the
 * gap analysis and the benchmark alike: for each role, the number of
 * references that field it; their sum over the roles the team fields,
 * divided by their sum over every role. As shares of the reference set both
 * sums would carry the factor 1/|R|, which cancels, so whole counts give
 * the ratio exactly. Add each role once with tp_coverage_add. */
struct tp_coverage {
  size_t fielded; /* counts of the roles the team fields */
  size_t all;     /* counts of every role */
};
void tp_coverage_add(struct tp_coverage *c, size_t references_fielding, int team_fields);

/* The coverage in *out and 0; -1 when no reference fields any role, so
 * that the ratio is undefined (rendered as null). */
int tp_coverage_value(const struct tp_coverage *c, double *out);

/* `v` rounded half away from zero to 4 decimals. Never returns -0: a value
 * that rounds to zero is +0, so "-0.0" never reaches a response. Values too
 * large to carry decimals and non-finite values come back unchanged. */
double tp_round4(double v);

/* Writes `v` with exactly `decimals` (0..6) decimals and `sep` as the
 * decimal separator into `out`, independent of the C locale (printf's %f
 * follows LC_NUMERIC, which would put commas into SVG coordinates). No
 * "-0": a value that rounds to zero is written without a sign. Returns the
 * length written, or -1 when it does not fit or `v` is not finite. */
int tp_format_fixed(char *out, size_t len, double v, int decimals, char sep);

#endif
