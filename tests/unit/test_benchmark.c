/* The benchmark (benchmark.h): size classes, role overlap, nearest
 * references, and the position among peers with its suppression rule.
 * No database. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teamplotter/benchmark.h"
#include "teamplotter/stats.h"
#include "json_text.h"

#define TOL 1e-9

static double num(const json_t *obj, const char *key) {
  const json_t *v = json_object_get(obj, key);
  ck_assert_msg(json_is_number(v), "%s is not a number", key);
  return json_number_value(v);
}

static const char *str(const json_t *obj, const char *key) {
  const char *s = json_string_value(json_object_get(obj, key));
  ck_assert_msg(s != NULL, "%s is not a string", key);
  return s;
}

static int cmp_double_asc(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

START_TEST(size_class_boundaries) {
  /* Each lower bound belongs to its class. */
  const long n[] = {0,     4999,   5000,   9999,   10000,  19999,  20000,   49999, 50000,
                    99999, 100000, 149999, 150000, 249999, 250000, 1000000, -1};
  const int k[] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 0};
  for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++)
    ck_assert_msg(tp_grootteklasse(n[i]) == k[i], "%ld inhabitants: class %d, expected %d", n[i],
                  tp_grootteklasse(n[i]), k[i]);
}
END_TEST

/* The subject GM0100 (10 000 inhabitants, 1.2 fte: verbinder .6 + webredacteur .6). */
static const char *SUBJECT =
    "{'gemeente':'GM0100','naam':'Testdorp','inwoners':10000,'dekking':0.96,'leden':["
    "{'label':'a','fte':0.6,'rollen':[{'rol':'verbinder','aandeel':0.6}],'competenties':[]},"
    "{'label':'b','fte':0.6,'rollen':[{'rol':'webredacteur','aandeel':0.6}],'competenties':[]}]}";

/* References, in no particular order:
 *   GM0005  20 000  {verbinder, webredacteur}  T 2.0  overlap 2/2 = 1     afstand ln 2
 *   GM0004   5 000  {webcare}                  T 0.5  overlap 0/3 = 0     afstand ln 2
 *   GM0001  30 000  {webredacteur, webcare}    T 3.0  overlap 1/3         afstand ln 3
 *   GM0002     100  no members                 T 0    overlap 0/2 = 0     afstand ln 100
 *   GM0100  10 000  {verbinder}                the subject itself: left out of the rows */
static const char *REFERENCES =
    "[{'gemeente':'GM0005','inwoners':20000,'leden':["
    "{'label':'x','fte':1.0,'rollen':[{'rol':'verbinder','aandeel':1.0}],'competenties':[]},"
    "{'label':'y','fte':1.0,'rollen':[{'rol':'webredacteur','aandeel':1.0}],'competenties':[]}]},"
    "{'gemeente':'GM0002','inwoners':100,'leden':[]},"
    "{'gemeente':'GM0001','inwoners':30000,'leden':["
    "{'label':'x','fte':1.5,'rollen':[{'rol':'webredacteur','aandeel':1.5}],'competenties':[]},"
    "{'label':'y','fte':1.5,'rollen':[{'rol':'webcare','aandeel':1.5}],'competenties':[]}]},"
    "{'gemeente':'GM0100','inwoners':10000,'leden':["
    "{'label':'x','fte':1.0,'rollen':[{'rol':'verbinder','aandeel':1.0}],'competenties':[]}]},"
    "{'gemeente':'GM0004','inwoners':5000,'leden':["
    "{'label':'x','fte':0.5,'rollen':[{'rol':'webcare','aandeel':0.5}],'competenties':[]}]}]";

/* Peers in class 3 (10 000-19 999), with fte per 10 000 and dekking:
 *   GM0100 (the subject, stale figures that must be ignored)
 *   GM0201 12 000  0.6 -> 0.5     dekking 0.2
 *   GM0202 15 000  1.2 -> 0.8     dekking 0.4
 *   GM0203 10 000  1.2 -> 1.2     dekking 0.95
 *   GM0204 19 999  4.0 -> 2.0001  dekking 1.0
 *   GM0300 20 000  another class: ignored */
static const char *PEERS_FIVE =
    "[{'gemeente':'GM0100','inwoners':10000,'totaalFte':9.0,'dekking':0.1},"
    "{'gemeente':'GM0201','inwoners':12000,'totaalFte':0.6,'dekking':0.2},"
    "{'gemeente':'GM0202','inwoners':15000,'totaalFte':1.2,'dekking':0.4},"
    "{'gemeente':'GM0203','inwoners':10000,'totaalFte':1.2,'dekking':0.95},"
    "{'gemeente':'GM0204','inwoners':19999,'totaalFte':4.0,'dekking':1.0},"
    "{'gemeente':'GM0300','inwoners':20000,'totaalFte':1.0,'dekking':0.5}]";

static json_t *bench(const char *subject, const char *refs, const char *peers) {
  json_t *s = J(subject), *r = J(refs), *p = J(peers);
  json_t *doc = tp_benchmark(s, r, p);
  ck_assert_ptr_nonnull(doc);
  json_decref(s);
  json_decref(r);
  json_decref(p);
  return doc;
}

static const json_t *ref_row(const json_t *doc, const char *code) {
  size_t i;
  const json_t *r;
  json_array_foreach(json_object_get(doc, "referenties"), i, r) {
    if (strcmp(str(r, "gemeente"), code) == 0) return r;
  }
  ck_abort_msg("no row for %s", code);
  return NULL;
}

START_TEST(subject_figures_and_key_order) {
  json_t *doc = bench(SUBJECT, REFERENCES, PEERS_FIVE);
  ck_assert_str_eq(str(doc, "gemeente"), "GM0100");
  ck_assert_str_eq(str(doc, "naam"), "Testdorp");
  ck_assert_int_eq(json_integer_value(json_object_get(doc, "inwoners")), 10000);
  ck_assert_int_eq(json_integer_value(json_object_get(doc, "grootteklasse")), 3);
  ck_assert_double_eq_tol(num(doc, "totaalFte"), 1.2, TOL);
  ck_assert_double_eq_tol(num(doc, "ftePer10000"), 1.2, TOL);
  ck_assert_double_eq_tol(num(doc, "dekking"), 0.96, TOL);
  const char *keys[] = {"gemeente",    "naam",    "inwoners",    "grootteklasse",
                        "totaalFte",   "ftePer10000", "dekking", "referenties",
                        "dichtstbijzijnd", "positie"};
  size_t i = 0;
  const char *key;
  json_t *v;
  json_object_foreach(doc, key, v) {
    ck_assert_uint_lt(i, 10);
    ck_assert_str_eq(key, keys[i++]);
  }
  ck_assert_uint_eq(i, 10);
  json_decref(doc);
}
END_TEST

START_TEST(reference_rows_sorted_without_the_subject) {
  json_t *doc = bench(SUBJECT, REFERENCES, PEERS_FIVE);
  const json_t *rows = json_object_get(doc, "referenties");
  ck_assert_uint_eq(json_array_size(rows), 4);
  const char *order[] = {"GM0001", "GM0002", "GM0004", "GM0005"};
  for (size_t i = 0; i < 4; i++)
    ck_assert_str_eq(str(json_array_get(rows, i), "gemeente"), order[i]);
  /* GM0001: 3.0 fte at 30 000 -> 1.0 per 10 000; afstand |ln 10000 - ln 30000| = ln 3. */
  const json_t *r = ref_row(doc, "GM0001");
  ck_assert_int_eq(json_integer_value(json_object_get(r, "inwoners")), 30000);
  ck_assert_double_eq_tol(num(r, "totaalFte"), 3.0, TOL);
  ck_assert_double_eq_tol(num(r, "ftePer10000"), 1.0, TOL);
  ck_assert_double_eq_tol(num(r, "afstand"), 1.0986, TOL);
  ck_assert_double_eq_tol(num(ref_row(doc, "GM0002"), "afstand"), 4.6052, TOL);
  ck_assert_double_eq_tol(num(ref_row(doc, "GM0002"), "ftePer10000"), 0.0, TOL);
  json_decref(doc);
}
END_TEST

START_TEST(role_overlap_is_jaccard) {
  json_t *doc = bench(SUBJECT, REFERENCES, PEERS_FIVE);
  /* Subject {verbinder, webredacteur}. */
  ck_assert_double_eq_tol(num(ref_row(doc, "GM0005"), "rolOverlap"), 1.0, TOL);    /* identical */
  ck_assert_double_eq_tol(num(ref_row(doc, "GM0004"), "rolOverlap"), 0.0, TOL);    /* disjoint */
  ck_assert_double_eq_tol(num(ref_row(doc, "GM0001"), "rolOverlap"), 0.3333, TOL); /* 1 of 3 */
  ck_assert_double_eq_tol(num(ref_row(doc, "GM0002"), "rolOverlap"), 0.0, TOL);    /* one empty */
  json_decref(doc);
  /* Two empty sets: nothing to compare, null. */
  doc = bench("{'gemeente':'GM0100','inwoners':10000,'dekking':null,'leden':[]}", REFERENCES,
              PEERS_FIVE);
  ck_assert(json_is_null(json_object_get(ref_row(doc, "GM0002"), "rolOverlap")));
  ck_assert_double_eq_tol(num(ref_row(doc, "GM0005"), "rolOverlap"), 0.0, TOL);
  ck_assert(json_is_null(json_object_get(doc, "dekking")));
  ck_assert(json_is_null(json_object_get(doc, "naam")));
  json_decref(doc);
}
END_TEST

START_TEST(reference_coverage_against_the_other_references) {
  /* Over all five references (GM0100 included): verbinder is fielded by 2 (GM0005,
   * GM0100), webredacteur by 2 (GM0005, GM0001), webcare by 2 (GM0001, GM0004). Each
   * reference is measured against the other four (leave-one-out), so its own roles
   * count one less:
   *   GM0005 {verbinder, webredacteur}: (1 + 1) / (1 + 1 + 2) = 2/4;
   *   GM0001 {webredacteur, webcare}:   (1 + 1) / (2 + 1 + 1) = 2/4;
   *   GM0004 {webcare}:                 1 / (2 + 2 + 1) = 1/5;
   *   GM0002 {}:                        0 / 6. */
  json_t *doc = bench(SUBJECT, REFERENCES, PEERS_FIVE);
  ck_assert_double_eq_tol(num(ref_row(doc, "GM0005"), "dekking"), 0.5, TOL);
  ck_assert_double_eq_tol(num(ref_row(doc, "GM0001"), "dekking"), 0.5, TOL);
  ck_assert_double_eq_tol(num(ref_row(doc, "GM0004"), "dekking"), 0.2, TOL);
  ck_assert_double_eq_tol(num(ref_row(doc, "GM0002"), "dekking"), 0.0, TOL);
  json_decref(doc);
}
END_TEST

START_TEST(nearest_three_with_ties_by_code) {
  /* afstand: GM0004 ln 2, GM0005 ln 2 (a tie: by code), GM0001 ln 3, GM0002 ln 100;
   * the subject's own reference profile (afstand 0) is not a neighbour. */
  json_t *doc = bench(SUBJECT, REFERENCES, PEERS_FIVE);
  const json_t *near = json_object_get(doc, "dichtstbijzijnd");
  ck_assert_uint_eq(json_array_size(near), 3);
  ck_assert_str_eq(json_string_value(json_array_get(near, 0)), "GM0004");
  ck_assert_str_eq(json_string_value(json_array_get(near, 1)), "GM0005");
  ck_assert_str_eq(json_string_value(json_array_get(near, 2)), "GM0001");
  ck_assert_double_eq_tol(num(ref_row(doc, "GM0004"), "afstand"), 0.6931, TOL);
  ck_assert_double_eq_tol(num(ref_row(doc, "GM0005"), "afstand"), 0.6931, TOL);
  json_decref(doc);
  /* Fewer than three references: all of them. */
  doc = bench(SUBJECT, "[{'gemeente':'GM0009','inwoners':9000,'leden':[]}]", PEERS_FIVE);
  ck_assert_uint_eq(json_array_size(json_object_get(doc, "dichtstbijzijnd")), 1);
  json_decref(doc);
}
END_TEST

START_TEST(percentiles_in_a_group_of_five) {
  /* Group: the subject (1.2 per 10 000, dekking 0.96) and GM0201..GM0204; GM0300 is in
   * class 4 and the stale GM0100 entry is replaced by the subject's own figures.
   * fte per 10 000: 1.2 (subject), 0.5, 0.8, 1.2, 2.0001. Strictly below 1.2: 2 values;
   * 100 * 2 / (5 - 1) = 50 (the tie with GM0203 does not count as below).
   * dekking: 0.96, 0.2, 0.4, 0.95, 1.0. Strictly below 0.96: 3; 100 * 3 / 4 = 75. */
  json_t *doc = bench(SUBJECT, REFERENCES, PEERS_FIVE);
  const json_t *pos = json_object_get(doc, "positie");
  ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), 5);
  ck_assert_double_eq_tol(num(pos, "ftePer10000Percentiel"), 50.0, TOL);
  ck_assert_double_eq_tol(num(pos, "dekkingPercentiel"), 75.0, TOL);
  ck_assert(json_is_false(json_object_get(pos, "onderdrukt")));
  ck_assert(json_is_null(json_object_get(pos, "reden")));
  json_decref(doc);
  /* Lowest and highest in the group: 0 and 100. */
  doc = bench("{'gemeente':'GM0100','inwoners':10000,'dekking':0.1,'leden':["
              "{'label':'a','fte':0.1,'rollen':[{'rol':'verbinder','aandeel':0.1}],"
              "'competenties':[]}]}",
              REFERENCES, PEERS_FIVE);
  pos = json_object_get(doc, "positie");
  ck_assert_double_eq_tol(num(pos, "ftePer10000Percentiel"), 0.0, TOL);
  ck_assert_double_eq_tol(num(pos, "dekkingPercentiel"), 0.0, TOL);
  json_decref(doc);
  doc = bench("{'gemeente':'GM0100','inwoners':10000,'dekking':1.0,'leden':["
              "{'label':'a','fte':1.5,'rollen':[{'rol':'verbinder','aandeel':1.5}],"
              "'competenties':[]},{'label':'b','fte':1.5,'rollen':[{'rol':'verbinder',"
              "'aandeel':1.5}],'competenties':[]}]}",
              REFERENCES, PEERS_FIVE);
  pos = json_object_get(doc, "positie");
  ck_assert_double_eq_tol(num(pos, "ftePer10000Percentiel"), 100.0, TOL);
  /* dekking 1.0 ties with GM0204: 3 strictly below -> 75. */
  ck_assert_double_eq_tol(num(pos, "dekkingPercentiel"), 75.0, TOL);
  json_decref(doc);
}
END_TEST

START_TEST(suppressed_below_five_not_at_five) {
  /* Four: the subject and three peers. */
  const char *four = "[{'gemeente':'GM0201','inwoners':12000,'totaalFte':0.6,'dekking':0.2},"
                     "{'gemeente':'GM0202','inwoners':15000,'totaalFte':1.2,'dekking':0.4},"
                     "{'gemeente':'GM0203','inwoners':10000,'totaalFte':1.2,'dekking':0.95},"
                     "{'gemeente':'GM0300','inwoners':20000,'totaalFte':1.0,'dekking':0.5}]";
  json_t *doc = bench(SUBJECT, REFERENCES, four);
  const json_t *pos = json_object_get(doc, "positie");
  ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), 4);
  ck_assert(json_is_null(json_object_get(pos, "ftePer10000Percentiel")));
  ck_assert(json_is_null(json_object_get(pos, "dekkingPercentiel")));
  ck_assert(json_is_true(json_object_get(pos, "onderdrukt")));
  ck_assert_str_eq(str(pos, "reden"),
                   "minder dan 5 gemeenten met een profiel in deze grootteklasse");
  json_decref(doc);
  /* The subject alone (no peers given): a group of one. */
  doc = bench(SUBJECT, REFERENCES, "[]");
  pos = json_object_get(doc, "positie");
  ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), 1);
  ck_assert(json_is_true(json_object_get(pos, "onderdrukt")));
  json_decref(doc);
  /* Five, but one without a dekking: the fte percentile is shown, the dekking
   * percentile has only four values and stays null, without suppressing the group. */
  const char *five = "[{'gemeente':'GM0201','inwoners':12000,'totaalFte':0.6,'dekking':0.2},"
                     "{'gemeente':'GM0202','inwoners':15000,'totaalFte':1.2,'dekking':0.4},"
                     "{'gemeente':'GM0203','inwoners':10000,'totaalFte':1.2,'dekking':0.95},"
                     "{'gemeente':'GM0204','inwoners':19999,'totaalFte':4.0,'dekking':null}]";
  doc = bench(SUBJECT, REFERENCES, five);
  pos = json_object_get(doc, "positie");
  ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), 5);
  ck_assert(json_is_false(json_object_get(pos, "onderdrukt")));
  ck_assert_double_eq_tol(num(pos, "ftePer10000Percentiel"), 50.0, TOL);
  ck_assert(json_is_null(json_object_get(pos, "dekkingPercentiel")));
  json_decref(doc);
}
END_TEST

/* tp_percentile_inc_without is the quantile of what is left, as a copy
 * without those values gives it: random sorted values with ties, random
 * places taken out. */
START_TEST(percentile_without_equals_a_copy) {
  static const double p[] = {0.0, 0.25, 0.5, 0.75, 1.0, 0.1, 0.9};
  unsigned long long x = 0x9e3779b97f4a7c15ULL;
  for (int round = 0; round < 2000; round++) {
    double v[40], left[40];
    size_t skip[40], n = 1 + (size_t)(round % 40), m = 0, nleft = 0;
    for (size_t i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      v[i] = (double)(x % 7) / 4.0; /* ties */
    }
    qsort(v, n, sizeof(double), cmp_double_asc);
    for (size_t i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      if (x % 3 == 0)
        skip[m++] = i;
      else
        left[nleft++] = v[i];
    }
    for (size_t k = 0; k < sizeof(p) / sizeof(p[0]); k++) {
      double got = tp_percentile_inc_without(v, n, skip, m, p[k]);
      double want = tp_percentile_inc(left, nleft, p[k]);
      ck_assert_msg(nleft == 0 ? isnan(got) : got == want, "n %zu, %zu out, p %g: %.17g, want %.17g",
                    n, m, p[k], got, want);
    }
  }
}
END_TEST

START_TEST(reference_order_does_not_matter) {
  json_t *a = bench(SUBJECT, REFERENCES, PEERS_FIVE);
  json_t *refs = J(REFERENCES);
  /* Reverse the references. */
  json_t *rev = json_array();
  for (size_t i = json_array_size(refs); i-- > 0;) json_array_append(rev, json_array_get(refs, i));
  json_t *s = J(SUBJECT), *p = J(PEERS_FIVE);
  json_t *b = tp_benchmark(s, rev, p);
  size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15);
  char *sa = json_dumps(a, flags), *sb = json_dumps(b, flags);
  ck_assert_str_eq(sa, sb);
  free(sa);
  free(sb);
  json_decref(a);
  json_decref(b);
  json_decref(refs);
  json_decref(rev);
  json_decref(s);
  json_decref(p);
}
END_TEST

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

static json_t *old_position(const json_t *subject, const json_t *peers) {
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
  const json_t *p;
  json_array_foreach(peers, i, p) {
    const char *pc = json_string_value(json_object_get(p, "gemeente"));
    double pn = json_number_value(json_object_get(p, "inwoners"));
    if (code && pc && strcmp(code, pc) == 0) continue;
    if (!(pn > 0.0) || tp_grootteklasse((long)pn) != klasse) continue;
    fte[n++] = tp_round4(json_number_value(json_object_get(p, "totaalFte")) / pn * 10000.0);
    const json_t *pd = json_object_get(p, "dekking");
    if (json_is_number(pd)) cov[nd++] = tp_round4(json_number_value(pd));
  }
  int suppressed = n < 5;
  json_t *pos = json_pack(
      "{s:I, s:o, s:o, s:b, s:o}", "groepsgrootte", (json_int_t)n, "ftePer10000Percentiel",
      suppressed || !isfinite(fte[0]) ? json_null() : real4_or_null(old_percent_rank(fte, n, fte[0])),
      "dekkingPercentiel",
      suppressed || !json_is_number(dek) || nd < 5 ? json_null()
                                                    : real4_or_null(old_percent_rank(cov, nd, cov[0])),
      "onderdrukt", suppressed, "reden",
      suppressed ? json_string("minder dan 5 gemeenten met een profiel in deze grootteklasse")
                 : json_null());
  free(fte);
  free(cov);
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
 * them (or twice), codes missing. One ranking serves every subject. */
START_TEST(ranked_position_equals_a_pass_over_the_peers) {
  static const long sizes[] = {12000, 15000, 19999, 10000, 25000, 0, -5, 9999};
  static const double fte[] = {0.5, 1.0, 1.2, 1.5, 2.0, 0.75};
  static const double dek[] = {0.5, 0.75, 0.9, 1.0};
  json_t *refs = J("[]");
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
    struct tp_peer_ranks *ranks = tp_peer_ranks_new(peers);
    ck_assert_ptr_nonnull(ranks);
    for (int s = 0; s < 20; s++) {
      char code[16];
      snprintf(code, sizeof(code), "GM%04u", pick(40));
      json_t *subject = json_pack(
          "{s:s, s:I, s:o, s:[{s:s, s:f, s:[], s:[]}]}", "gemeente", code, "inwoners",
          (json_int_t)sizes[pick(5)], "dekking", pick(4) == 0 ? json_null() : json_real(dek[pick(4)]),
          "leden", "label", "a", "fte", fte[pick(6)], "rollen", "competenties");
      if (pick(10) == 0) json_object_del(subject, "inwoners");
      json_t *want = old_position(subject, peers);
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
static void overlap_case(int nroles) {
  char code[16];
  json_t *refs = json_array();
  /* Reference i fields roles i, i+3, i+6, ... below nroles. */
  for (int i = 0; i < 3; i++) {
    json_t *shares = json_array();
    for (int k = i; k < nroles; k += 3) {
      snprintf(code, sizeof(code), "r%03d", k);
      json_array_append_new(shares, json_pack("{s:s, s:f}", "rol", code, "aandeel", 0.01));
    }
    snprintf(code, sizeof(code), "GM%04d", i + 1);
    json_array_append_new(refs, json_pack("{s:s, s:i, s:[{s:s, s:f, s:o, s:[]}]}", "gemeente",
                                          code, "inwoners", 10000 * (i + 1), "leden", "label",
                                          "x", "fte", 0.01 * (nroles / 3 + 1), "rollen", shares,
                                          "competenties"));
  }
  /* The subject fields every even role, and one no reference has. */
  json_t *shares = json_array();
  for (int k = 0; k < nroles; k += 2) {
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
    int mine = nroles / 2 + nroles % 2 + 1, theirs = 0, both = 0;
    for (int k = i; k < nroles; k += 3) {
      theirs++;
      both += k % 2 == 0;
    }
    double want = round((double)both / (double)(mine + theirs - both) * 10000.0) / 10000.0;
    const json_t *row = json_array_get(json_object_get(doc, "referenties"), (size_t)i);
    ck_assert_msg(fabs(num(row, "rolOverlap") - want) < TOL, "%d roles, reference %d: %g, want %g",
                  nroles, i, num(row, "rolOverlap"), want);
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
  Suite *s = suite_create("benchmark");
  TCase *tc = tcase_create("benchmark");
  tcase_add_test(tc, size_class_boundaries);
  tcase_add_test(tc, subject_figures_and_key_order);
  tcase_add_test(tc, reference_rows_sorted_without_the_subject);
  tcase_add_test(tc, role_overlap_is_jaccard);
  tcase_add_test(tc, reference_coverage_against_the_other_references);
  tcase_add_test(tc, nearest_three_with_ties_by_code);
  tcase_add_test(tc, percentiles_in_a_group_of_five);
  tcase_add_test(tc, suppressed_below_five_not_at_five);
  tcase_add_test(tc, percentile_without_equals_a_copy);
  tcase_add_test(tc, reference_order_does_not_matter);
  tcase_add_test(tc, ranked_position_equals_a_pass_over_the_peers);
  tcase_add_test(tc, role_overlap_with_few_and_many_roles);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
