/* The benchmark (benchmark.h) with its peers ranked once: the same
 * position as a pass over every peer per subject, and the role overlap
 * with few and many roles. No database. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teamplotter/benchmark.h"
#include "teamplotter/stats.h"
#include "benchmark_helpers.h"
#include "json_text.h"

/* --------------------------------------------- ranked peers, as before */

/* The position as it was computed before the peers were ranked once: a
 * pass over every peer per subject. The reference for the test below. */
static double old_percent_rank(const double *values, size_t n, double x) {
  size_t below = 0;
  for (size_t i = 0; i < n; i++)
    if (values[i] < x) below++;
  return n > 1 ? 100.0 * (double)below / (double)(n - 1) : 0.0;
}

static json_t *real4_or_null(double v) { return isfinite(v) ? json_real(tp_round4(v)) : json_null(); }

/* `x` as shown rounded half away from zero to a whole number of `step`s
 * of 0.0001: the grids of docs/methode.md. */
static double to_grid(double x, long long step) {
  long long units = llround(tp_round4(x) * 10000.0);
  long long k = (llabs(units) + step / 2) / step;
  return (double)(units < 0 ? -k : k) * (double)step / 10000.0;
}

/* {p25, mediaan, p75} of the n values (sorted here) as published, from a
 * copy of the others: as shown, then on the grid `step`; null when fewer
 * than 5. */
static json_t *copy_quartiles(double *v, size_t n, long long step, double q[3]) {
  if (n < 5) {
    q[0] = q[1] = q[2] = NAN;
    return json_null();
  }
  qsort(v, n, sizeof(double), cmp_double_asc);
  static const double p[3] = {0.25, 0.5, 0.75};
  for (int k = 0; k < 3; k++) q[k] = to_grid(tp_percentile_inc(v, n, p[k]), step);
  return json_pack("{s:f, s:f, s:f}", "p25", q[0], "mediaan", q[1], "p75", q[2]);
}

/* The band of x against q as docs/methode.md words it, on shown values. */
static json_t *plain_band(double x, const double q[3]) {
  if (!isfinite(x) || !isfinite(q[0])) return json_null();
  x = tp_round4(x);
  return json_string(x < q[0] ? "onder-p25" : x <= q[1] ? "p25-mediaan" : x <= q[2] ? "mediaan-p75"
                                                                                  : "boven-p75");
}

/* Whether `code` is the municipality of one of the references `refs`. */
static int old_is_reference(const json_t *refs, const char *code) {
  size_t i;
  const json_t *r;
  json_array_foreach(refs, i, r) {
    const char *rc = json_string_value(json_object_get(r, "gemeente"));
    if (code && rc && strcmp(code, rc) == 0) return 1;
  }
  return 0;
}

static json_t *old_position(const json_t *subject, const json_t *peers, const json_t *refs) {
  const char *code = json_string_value(json_object_get(subject, "gemeente"));
  const json_t *dek = json_object_get(subject, "dekking");
  const json_t *jn = json_object_get(subject, "inwoners");
  double inwoners = json_number_value(jn);
  int has_n = json_is_number(jn) && isfinite(inwoners) && inwoners > 0.0;
  int klasse = has_n ? tp_grootteklasse((long)inwoners) : 0;
  double totaal = 0.0;
  size_t i;
  json_t *lid;
  json_array_foreach(json_object_get(subject, "leden"), i, lid)
    totaal += json_number_value(json_object_get(lid, "fte"));
  double fte10k = has_n ? totaal / inwoners * 10000.0 : NAN;
  size_t cap = json_array_size(peers) + 1, n = 0, nd = 0;
  double *fte = malloc(cap * sizeof(double)), *cov = malloc(cap * sizeof(double));
  fte[n++] = tp_round4(fte10k);
  if (json_is_number(dek)) cov[nd++] = tp_round4(json_number_value(dek));
  /* The others, copied without the subject. */
  double *ofte = malloc(cap * sizeof(double)), *ocov = malloc(cap * sizeof(double));
  size_t no = 0, nod = 0, counted = 0, counted_d = 0;
  const json_t *p;
  json_array_foreach(peers, i, p) {
    const char *pc = json_string_value(json_object_get(p, "gemeente"));
    double pn = json_number_value(json_object_get(p, "inwoners"));
    if (code && pc && strcmp(code, pc) == 0) continue;
    if (!(pn > 0.0) || tp_grootteklasse((long)pn) != klasse) continue;
    fte[n++] = ofte[no++] = tp_round4(json_number_value(json_object_get(p, "totaalFte")) / pn * 10000.0);
    const json_t *pd = json_object_get(p, "dekking");
    if (json_is_number(pd)) cov[nd++] = ocov[nod++] = tp_round4(json_number_value(pd));
    /* Reference municipalities make the figures but do not count towards 5. */
    int counts = !old_is_reference(refs, pc);
    counted += (size_t)counts;
    counted_d += (size_t)(counts && json_is_number(pd));
  }
  int suppressed = counted < 5, cov_shown = !suppressed && counted_d >= 5;
  double qf[3], qd[3];
  json_t *jqf = suppressed ? (qf[0] = NAN, json_null()) : copy_quartiles(ofte, no, 1000, qf);
  json_t *jqd = cov_shown ? copy_quartiles(ocov, nod, 500, qd) : (qd[0] = NAN, json_null());
  json_t *pos = json_pack(
      "{s:s, s:I, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:o}", "weergave", "exact", "groepsgrootte",
      (json_int_t)n, "ftePer10000Percentiel",
      suppressed || !isfinite(fte[0]) ? json_null() : real4_or_null(old_percent_rank(fte, n, fte[0])),
      "dekkingPercentiel",
      !cov_shown || !json_is_number(dek) ? json_null()
                                         : real4_or_null(old_percent_rank(cov, nd, cov[0])),
      "onderdrukt", suppressed, "reden",
      suppressed ? json_string("minder dan 5 andere gemeenten met een profiel in deze "
                               "grootteklasse (referentiegemeenten tellen niet mee)")
                 : json_null(),
      "ftePer10000Kwartielen", jqf, "ftePer10000Band", plain_band(fte10k, qf),
      "dekkingKwartielen", jqd, "dekkingBand",
      json_is_number(dek) ? plain_band(json_number_value(dek), qd) : json_null());
  free(fte);
  free(cov);
  free(ofte);
  free(ocov);
  return pos;
}

static unsigned long long seed = 88172645463325252ULL;
static unsigned pick(unsigned n) {
  seed ^= seed << 13;
  seed ^= seed >> 7;
  seed ^= seed << 17;
  return (unsigned)(seed % n);
}

/* Random size classes of up to 60 peers: ties in both figures, unknown
 * coverage, peers of another class or without a size, the subject among
 * them (or twice), codes missing, some reference municipalities. One
 * ranking serves every subject. */
START_TEST(ranked_position_equals_a_pass_over_the_peers) {
  static const long sizes[] = {12000, 15000, 19999, 10000, 25000, 0, -5, 9999};
  static const double fte[] = {0.5, 1.0, 1.2, 1.5, 2.0, 0.75};
  static const double dek[] = {0.5, 0.75, 0.9, 1.0};
  /* Among the codes GM0000-GM0039 of the peers, three are references (one
   * without inhabitants: skipped as a reference row, public all the same). */
  json_t *refs = J("[{'gemeente':'GM0003','inwoners':12000,'leden':[]},"
                   "{'gemeente':'GM0017','inwoners':15000,'leden':[]},"
                   "{'gemeente':'GM0029','leden':[]}]");
  for (int round = 0; round < 300; round++) {
    json_t *peers = json_array();
    unsigned np = pick(61);
    for (unsigned i = 0; i < np; i++) {
      char code[16];
      snprintf(code, sizeof(code), "GM%04u", pick(40));
      json_t *peer = json_pack("{s:s, s:I, s:f}", "gemeente", code, "inwoners",
                               (json_int_t)sizes[pick(8)], "totaalFte", fte[pick(6)]);
      if (pick(5) == 0) json_object_del(peer, "gemeente");
      json_object_set_new(peer, "dekking", pick(4) == 0 ? json_null() : json_real(dek[pick(4)]));
      json_array_append_new(peers, peer);
    }
    struct tp_peer_ranks *ranks = tp_peer_ranks_new(peers, refs);
    ck_assert_ptr_nonnull(ranks);
    for (int s = 0; s < 20; s++) {
      char code[16];
      snprintf(code, sizeof(code), "GM%04u", pick(40));
      json_t *subject = json_pack(
          "{s:s, s:I, s:o, s:[{s:s, s:f, s:[], s:[]}]}", "gemeente", code, "inwoners",
          (json_int_t)sizes[pick(5)], "dekking", pick(4) == 0 ? json_null() : json_real(dek[pick(4)]),
          "leden", "label", "a", "fte", fte[pick(6)], "rollen", "competenties");
      if (pick(10) == 0) json_object_del(subject, "inwoners");
      json_t *want = old_position(subject, peers, refs);
      json_t *got = tp_benchmark_ranked(subject, refs, ranks);
      json_t *plain = tp_benchmark(subject, refs, peers);
      ck_assert_ptr_nonnull(got);
      char *sw = json_dumps(want, JSON_COMPACT | JSON_REAL_PRECISION(17));
      char *sg = json_dumps(json_object_get(got, "positie"), JSON_COMPACT | JSON_REAL_PRECISION(17));
      char *sp = json_dumps(json_object_get(plain, "positie"), JSON_COMPACT | JSON_REAL_PRECISION(17));
      ck_assert_str_eq(sg, sw);
      ck_assert_str_eq(sp, sw);
      free(sw);
      free(sg);
      free(sp);
      json_decref(want);
      json_decref(got);
      json_decref(plain);
      json_decref(subject);
    }
    tp_peer_ranks_free(ranks);
    json_decref(peers);
  }
  json_decref(refs);
}
END_TEST

/* Role overlap with many distinct roles among the references (more than
 * fit in one 64-bit set) and with few, against the Jaccard index counted
 * here: |A ∩ B| / |A ∪ B| over role codes. */
static void overlap_case(int nrollen) {
  char code[16];
  json_t *refs = json_array();
  /* Reference i fields roles i, i+3, i+6, ... below nrollen. */
  for (int i = 0; i < 3; i++) {
    json_t *shares = json_array();
    for (int k = i; k < nrollen; k += 3) {
      snprintf(code, sizeof(code), "r%03d", k);
      json_array_append_new(shares, json_pack("{s:s, s:f}", "rol", code, "aandeel", 0.01));
    }
    snprintf(code, sizeof(code), "GM%04d", i + 1);
    json_array_append_new(refs, json_pack("{s:s, s:i, s:[{s:s, s:f, s:o, s:[]}]}", "gemeente",
                                          code, "inwoners", 10000 * (i + 1), "leden", "label",
                                          "x", "fte", 0.01 * (nrollen / 3 + 1), "rollen", shares,
                                          "competenties"));
  }
  /* The subject fields every even role, and one no reference has. */
  json_t *shares = json_array();
  for (int k = 0; k < nrollen; k += 2) {
    snprintf(code, sizeof(code), "r%03d", k);
    json_array_append_new(shares, json_pack("{s:s, s:f}", "rol", code, "aandeel", 0.01));
  }
  json_array_append_new(shares, json_pack("{s:s, s:f}", "rol", "zzz-eigen", "aandeel", 0.01));
  json_t *subject = json_pack("{s:s, s:i, s:n, s:[{s:s, s:f, s:o, s:[]}]}", "gemeente", "GM0100",
                              "inwoners", 10000, "dekking", "leden", "label", "x", "fte", 1.0,
                              "rollen", shares, "competenties");
  json_t *peers = json_array();
  json_t *doc = tp_benchmark(subject, refs, peers);
  ck_assert_ptr_nonnull(doc);
  for (int i = 0; i < 3; i++) {
    int mine = nrollen / 2 + nrollen % 2 + 1, theirs = 0, both = 0;
    for (int k = i; k < nrollen; k += 3) {
      theirs++;
      both += k % 2 == 0;
    }
    double want = round((double)both / (double)(mine + theirs - both) * 10000.0) / 10000.0;
    const json_t *row = json_array_get(json_object_get(doc, "referenties"), (size_t)i);
    ck_assert_msg(fabs(num(row, "rolOverlap") - want) < TOL, "%d roles, reference %d: %g, want %g",
                  nrollen, i, num(row, "rolOverlap"), want);
  }
  json_decref(doc);
  json_decref(peers);
  json_decref(subject);
  json_decref(refs);
}

START_TEST(role_overlap_with_few_and_many_roles) {
  overlap_case(10);
  overlap_case(64);
  overlap_case(65);
  overlap_case(200);
}
END_TEST

int main(void) {
  Suite *s = suite_create("benchmark_ranked");
  TCase *tc = tcase_create("benchmark_ranked");
  tcase_add_test(tc, ranked_position_equals_a_pass_over_the_peers);
  tcase_add_test(tc, role_overlap_with_few_and_many_roles);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
