#include "teamplotter/stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The k-th (from 0) of the sorted values left when those at the indices
 * `skip` (ascending, distinct) are taken out. */
static double kth_left(const double *sorted, const size_t *skip, size_t nskip, size_t k) {
  for (size_t i = 0; i < nskip && skip[i] <= k; i++) k++;
  return sorted[k];
}

double tp_percentile_inc_without(const double *sorted, size_t n, const size_t *skip, size_t nskip,
                                 double p) {
  if (nskip >= n) return NAN;
  size_t left = n - nskip;
  if (p <= 0.0) return kth_left(sorted, skip, nskip, 0);
  if (p >= 1.0) return kth_left(sorted, skip, nskip, left - 1);
  double h = (double)(left - 1) * p;
  size_t lo = (size_t)floor(h);
  if (lo + 1 >= left) return kth_left(sorted, skip, nskip, left - 1);
  double frac = h - (double)lo;
  double a = kth_left(sorted, skip, nskip, lo), b = kth_left(sorted, skip, nskip, lo + 1);
  /* Equal neighbours give exactly that value, without a rounding step. */
  if (a == b) return a;
  return a + frac * (b - a);
}

double tp_percentile_inc(const double *sorted, size_t n, double p) {
  return tp_percentile_inc_without(sorted, n, NULL, 0, p);
}

void tp_fit_loglog(const double *n, const double *t, size_t count, struct tp_fit *out) {
  memset(out, 0, sizeof(*out));
  if (count < 2) return;
  int n_equal = 1, t_equal = 1;
  for (size_t i = 0; i < count; i++) {
    if (!(isfinite(n[i]) && isfinite(t[i]) && n[i] > 0.0 && t[i] > 0.0)) return;
    if (n[i] != n[0]) n_equal = 0;
    if (t[i] != t[0]) t_equal = 0;
  }
  /* Tested on the inputs, not on Sxx: the mean of equal logarithms can be an
   * ulp off, which would leave a tiny Sxx and an absurd slope. */
  if (n_equal) return;

  double xbar = 0.0, ybar = 0.0;
  for (size_t i = 0; i < count; i++) {
    xbar += log(n[i]);
    ybar += log(t[i]);
  }
  xbar /= (double)count;
  ybar /= (double)count;
  double sxx = 0.0, sxy = 0.0, syy = 0.0;
  for (size_t i = 0; i < count; i++) {
    double dx = log(n[i]) - xbar, dy = log(t[i]) - ybar;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > 0.0)) return;
  /* Equal totals lie on a flat line exactly: b = 0 and a = ln t, without
   * the rounding noise of the general formula. */
  double b = t_equal ? 0.0 : sxy / sxx;
  double a = t_equal ? log(t[0]) : ybar - b * xbar;
  double ssres = 0.0;
  for (size_t i = 0; i < count; i++) {
    double r = log(t[i]) - (a + b * log(n[i]));
    ssres += r * r;
  }
  double r2 = 1.0;
  if (!t_equal && syy > 0.0) {
    r2 = 1.0 - ssres / syy;
    /* With an intercept R² lies in [0, 1]; rounding must not push it out. */
    if (r2 < 0.0) r2 = 0.0;
    if (r2 > 1.0) r2 = 1.0;
  }
  out->ok = 1;
  out->a = a;
  out->b = b;
  out->r2 = r2;
  out->has_r2 = 1;
}

void tp_coverage_add(struct tp_coverage *c, size_t references_fielding, int team_fields) {
  c->all += references_fielding;
  if (team_fields) c->fielded += references_fielding;
}

int tp_coverage_value(const struct tp_coverage *c, double *out) {
  if (c->all == 0) return -1;
  *out = (double)c->fielded / (double)c->all;
  return 0;
}

double tp_round4(double v) {
  /* From 2^52 / 10^4 on, a double has no fourth decimal left to round. */
  if (!isfinite(v) || fabs(v) >= 4.5e11) return v;
  double r = round(v * 10000.0) / 10000.0;
  return r == 0.0 ? 0.0 : r;
}

int tp_format_fixed(char *out, size_t len, double v, int decimals, char sep) {
  static const long long pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  if (!isfinite(v) || decimals < 0 || decimals > 6 || len == 0) return -1;
  double scaled = round(fabs(v) * (double)pow10[decimals]);
  if (scaled >= 9e15) return -1;
  long long units = (long long)scaled;
  long long whole = units / pow10[decimals], frac = units % pow10[decimals];
  const char *sign = (v < 0.0 && units != 0) ? "-" : "";
  int w;
  if (decimals == 0)
    w = snprintf(out, len, "%s%lld", sign, whole);
  else
    w = snprintf(out, len, "%s%lld%c%0*lld", sign, whole, sep, decimals, frac);
  return (w < 0 || (size_t)w >= len) ? -1 : w;
}
