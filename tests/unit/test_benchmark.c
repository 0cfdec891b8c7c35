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
#include "benchmark_helpers.h"
#include "json_text.h"

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
 *   GM0205 16 000  2.4 -> 1.5     dekking 0.6
 *   GM0300 20 000  another class: ignored
 * Five others: the subject's class figures are shown. */
#define PEER_201 "{'gemeente':'GM0201','inwoners':12000,'totaalFte':0.6,'dekking':0.2},"
#define PEER_202 "{'gemeente':'GM0202','inwoners':15000,'totaalFte':1.2,'dekking':0.4},"
#define PEER_203 "{'gemeente':'GM0203','inwoners':10000,'totaalFte':1.2,'dekking':0.95},"
#define PEER_204 "{'gemeente':'GM0204','inwoners':19999,'totaalFte':4.0,'dekking':1.0},"
#define PEER_205 "{'gemeente':'GM0205','inwoners':16000,'totaalFte':2.4,'dekking':0.6},"
#define PEER_300 "{'gemeente':'GM0300','inwoners':20000,'totaalFte':1.0,'dekking':0.5}"
/* A sixth in class 3: 0.99 -> 0.9, dekking 0.5; and the six, opening an array. */
#define PEER_206 "{'gemeente':'GM0206','inwoners':11000,'totaalFte':0.99,'dekking':0.5},"
#define PEERS_201_206 "[" PEER_201 PEER_202 PEER_203 PEER_204 PEER_205 PEER_206
static const char *PEERS_FIVE =
    "[{'gemeente':'GM0100','inwoners':10000,'totaalFte':9.0,'dekking':0.1}," PEER_201 PEER_202
    PEER_203 PEER_204 PEER_205 PEER_300 "]";

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

/* The quartiles {p25, mediaan, p75} of `pos` member `key` are these. */
static void assert_quartiles(const json_t *pos, const char *key, double p25, double med,
                             double p75) {
  const json_t *q = json_object_get(pos, key);
  ck_assert_msg(json_is_object(q) && json_object_size(q) == 3, "%s is not three quartiles", key);
  ck_assert_double_eq_tol(num(q, "p25"), p25, TOL);
  ck_assert_double_eq_tol(num(q, "mediaan"), med, TOL);
  ck_assert_double_eq_tol(num(q, "p75"), p75, TOL);
}

/* Every figure of the class in `pos` is null: suppressed. */
static void assert_class_suppressed(const json_t *pos) {
  static const char *const keys[] = {"ftePer10000Percentiel", "dekkingPercentiel",
                                     "ftePer10000Kwartielen", "ftePer10000Band",
                                     "dekkingKwartielen",     "dekkingBand"};
  for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
    ck_assert_msg(json_is_null(json_object_get(pos, keys[k])), "%s is not null", keys[k]);
  ck_assert(json_is_true(json_object_get(pos, "onderdrukt")));
  ck_assert_str_eq(str(pos, "reden"),
                   "minder dan 5 andere gemeenten met een profiel in deze grootteklasse "
                   "(referentiegemeenten tellen niet mee)");
}

START_TEST(position_among_five_others) {
  /* Group: the subject (1.2 per 10 000, dekking 0.96) and GM0201..GM0205; GM0300 is in
   * class 4 and the stale GM0100 entry is replaced by the subject's own figures.
   * fte per 10 000: 1.2 (subject), 0.5, 0.8, 1.2, 2.0001, 1.5. Strictly below 1.2: 2
   * values; 100 * 2 / (6 - 1) = 40 (the tie with GM0203 does not count as below).
   * dekking: 0.96, 0.2, 0.4, 0.95, 1.0, 0.6. Strictly below 0.96: 4; 100 * 4 / 5 = 80.
   * Quartiles of the five others alone: fte 0.5 0.8 1.2 1.5 2.0001 gives h = 1, 2, 3:
   * 0.8, 1.2, 1.5; the subject's 1.2 is the median, which belongs to p25-mediaan.
   * dekking 0.2 0.4 0.6 0.95 1.0: 0.4, 0.6, 0.95; 0.96 is above p75. */
  json_t *doc = bench(SUBJECT, REFERENCES, PEERS_FIVE);
  const json_t *pos = json_object_get(doc, "positie");
  ck_assert_str_eq(str(pos, "weergave"), "exact");
  ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), 6);
  ck_assert_double_eq_tol(num(pos, "ftePer10000Percentiel"), 40.0, TOL);
  ck_assert_double_eq_tol(num(pos, "dekkingPercentiel"), 80.0, TOL);
  ck_assert(json_is_false(json_object_get(pos, "onderdrukt")));
  ck_assert(json_is_null(json_object_get(pos, "reden")));
  assert_quartiles(pos, "ftePer10000Kwartielen", 0.8, 1.2, 1.5);
  assert_quartiles(pos, "dekkingKwartielen", 0.4, 0.6, 0.95);
  ck_assert_str_eq(str(pos, "ftePer10000Band"), "p25-mediaan");
  ck_assert_str_eq(str(pos, "dekkingBand"), "boven-p75");
  const char *keys[] = {"weergave",          "groepsgrootte",         "ftePer10000Percentiel",
                        "dekkingPercentiel", "onderdrukt",            "reden",
                        "ftePer10000Kwartielen", "ftePer10000Band",   "dekkingKwartielen",
                        "dekkingBand"};
  size_t i = 0;
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)pos, key, v) {
    ck_assert_uint_lt(i, 10);
    ck_assert_str_eq(key, keys[i++]);
  }
  ck_assert_uint_eq(i, 10);
  json_decref(doc);
  /* Lowest and highest in the group: 0 and 100, below p25 and above p75. */
  doc = bench("{'gemeente':'GM0100','inwoners':10000,'dekking':0.1,'leden':["
              "{'label':'a','fte':0.1,'rollen':[{'rol':'verbinder','aandeel':0.1}],"
              "'competenties':[]}]}",
              REFERENCES, PEERS_FIVE);
  pos = json_object_get(doc, "positie");
  ck_assert_double_eq_tol(num(pos, "ftePer10000Percentiel"), 0.0, TOL);
  ck_assert_double_eq_tol(num(pos, "dekkingPercentiel"), 0.0, TOL);
  ck_assert_str_eq(str(pos, "ftePer10000Band"), "onder-p25");
  ck_assert_str_eq(str(pos, "dekkingBand"), "onder-p25");
  json_decref(doc);
  doc = bench("{'gemeente':'GM0100','inwoners':10000,'dekking':1.0,'leden':["
              "{'label':'a','fte':1.5,'rollen':[{'rol':'verbinder','aandeel':1.5}],"
              "'competenties':[]},{'label':'b','fte':1.5,'rollen':[{'rol':'verbinder',"
              "'aandeel':1.5}],'competenties':[]}]}",
              REFERENCES, PEERS_FIVE);
  pos = json_object_get(doc, "positie");
  ck_assert_double_eq_tol(num(pos, "ftePer10000Percentiel"), 100.0, TOL);
  /* dekking 1.0 ties with GM0204: 4 strictly below -> 80. */
  ck_assert_double_eq_tol(num(pos, "dekkingPercentiel"), 80.0, TOL);
  ck_assert_str_eq(str(pos, "ftePer10000Band"), "boven-p75");
  ck_assert_str_eq(str(pos, "dekkingBand"), "boven-p75");
  json_decref(doc);
}
END_TEST

START_TEST(suppressed_below_five_others_not_at_five) {
  /* Four others: a group of five, suppressed all the same; also with the
   * subject's own (stale) entry among them. */
  const char *four[] = {
      "[" PEER_201 PEER_202 PEER_203 PEER_204 PEER_300 "]",
      "[" PEER_201 PEER_202 PEER_203
      "{'gemeente':'GM0100','inwoners':10000,'totaalFte':2.0,'dekking':0.1}," PEER_204 PEER_300 "]",
  };
  json_t *doc;
  const json_t *pos;
  for (size_t k = 0; k < 2; k++) {
    doc = bench(SUBJECT, REFERENCES, four[k]);
    pos = json_object_get(doc, "positie");
    ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), 5);
    assert_class_suppressed(pos);
    json_decref(doc);
  }
  /* The subject alone (no peers given): a group of one. */
  doc = bench(SUBJECT, REFERENCES, "[]");
  pos = json_object_get(doc, "positie");
  ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), 1);
  assert_class_suppressed(pos);
  json_decref(doc);
  /* Five others, but one without a dekking: the fte figures are shown, the dekking
   * figures have only four others and stay null, without suppressing the group. */
  const char *five = "[" PEER_201 PEER_202 PEER_203
                     "{'gemeente':'GM0204','inwoners':19999,'totaalFte':4.0,'dekking':null},"
                     PEER_205 PEER_300 "]";
  doc = bench(SUBJECT, REFERENCES, five);
  pos = json_object_get(doc, "positie");
  ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), 6);
  ck_assert(json_is_false(json_object_get(pos, "onderdrukt")));
  ck_assert_double_eq_tol(num(pos, "ftePer10000Percentiel"), 40.0, TOL);
  assert_quartiles(pos, "ftePer10000Kwartielen", 0.8, 1.2, 1.5);
  ck_assert_str_eq(str(pos, "ftePer10000Band"), "p25-mediaan");
  ck_assert(json_is_null(json_object_get(pos, "dekkingPercentiel")));
  ck_assert(json_is_null(json_object_get(pos, "dekkingKwartielen")));
  ck_assert(json_is_null(json_object_get(pos, "dekkingBand")));
  json_decref(doc);
}
END_TEST

/* The references' profiles are public: a size class whose others are
 * five, three of them reference municipalities, hides only two unknown
 * figures, which its quartiles all but name. Only others that are not
 * reference municipalities count towards the five (their figures still
 * make the quartiles); the same for the coverage. GM0203 and GM0205 are
 * reference municipalities here, with 10 000 and 16 000 inhabitants. */
START_TEST(reference_municipalities_do_not_count_towards_five) {
  const char *refs = "[{'gemeente':'GM0203','inwoners':10000,'leden':["
                     "{'label':'x','fte':1.2,'rollen':[{'rol':'webcare','aandeel':1.2}],"
                     "'competenties':[]}]},"
                     "{'gemeente':'GM0205','inwoners':16000,'leden':[]}]";
  /* Five others, two of them references: three count. */
  json_t *doc = bench(SUBJECT, refs, PEERS_FIVE);
  const json_t *pos = json_object_get(doc, "positie");
  ck_assert_msg(json_is_true(json_object_get(pos, "onderdrukt")),
                "five others of which two references are not suppressed");
  ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), 6);
  assert_class_suppressed(pos);
  json_decref(doc);
  /* Two more that are not: five count. fte per 10 000 of the seven others:
   * 0.5 0.8 0.9 1.0 1.2 1.5 2.0001 (h = 1.5, 3, 4.5): 0.85, 1.0, 1.35, on
   * the grid 0.9, 1.0 and 1.4. The coverage of GM0207 is unknown, so of
   * the others with one only four are not references: no coverage figures. */
  const char *seven =
      PEERS_201_206 "{'gemeente':'GM0207','inwoners':10000,'totaalFte':1.0,'dekking':null}]";
  doc = bench(SUBJECT, refs, seven);
  pos = json_object_get(doc, "positie");
  ck_assert(json_is_false(json_object_get(pos, "onderdrukt")));
  ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), 8);
  assert_quartiles(pos, "ftePer10000Kwartielen", 0.9, 1.0, 1.4);
  ck_assert(json_is_null(json_object_get(pos, "dekkingKwartielen")));
  ck_assert(json_is_null(json_object_get(pos, "dekkingPercentiel")));
  ck_assert(json_is_null(json_object_get(pos, "dekkingBand")));
  json_decref(doc);
  /* With its coverage known (0.7), five count for the coverage too: 0.2 0.4
   * 0.5 0.6 0.7 0.95 1.0 gives 0.45, 0.6, 0.825, on the grid 0.45, 0.6, 0.85. */
  const char *known =
      PEERS_201_206 "{'gemeente':'GM0207','inwoners':10000,'totaalFte':1.0,'dekking':0.7}]";
  doc = bench(SUBJECT, refs, known);
  pos = json_object_get(doc, "positie");
  assert_quartiles(pos, "dekkingKwartielen", 0.45, 0.6, 0.85);
  ck_assert_str_eq(str(pos, "dekkingBand"), "boven-p75");
  json_decref(doc);
}
END_TEST

/* The benchmark of GM0100 (10 000 inhabitants) with one member of `fte` and
 * coverage `dekking`, a value probed against `peers`. */
static json_t *bench_probe(double fte, double dekking, const char *peers) {
  char subject[512];
  snprintf(subject, sizeof(subject),
           "{'gemeente':'GM0100','inwoners':10000,'dekking':%.17g,'leden':["
           "{'label':'a','fte':%.17g,'rollen':[{'rol':'verbinder','aandeel':%.17g}],"
           "'competenties':[]}]}",
           dekking, fte, fte);
  return bench(subject, REFERENCES, peers);
}

/* The band as shown: each middle band holds its bounds, the median belongs
 * to the lower one, and values are compared rounded to 4 decimals. */
START_TEST(band_boundaries) {
  const double q[3] = {1.0, 2.0, 3.0};
  static const struct {
    double x;
    const char *band;
  } cases[] = {
      {-1.0, "onder-p25"},     {0.9999, "onder-p25"},     {0.99995, "p25-mediaan"},
      {1.0, "p25-mediaan"},    {1.5, "p25-mediaan"},      {2.0, "p25-mediaan"},
      {2.00004, "p25-mediaan"}, {2.0001, "mediaan-p75"},  {2.5, "mediaan-p75"},
      {3.0, "mediaan-p75"},    {3.00004999, "mediaan-p75"}, {3.0001, "boven-p75"},
      {1e9, "boven-p75"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const char *got = tp_benchmark_band(cases[i].x, q);
    ck_assert_msg(got != NULL && strcmp(got, cases[i].band) == 0, "%.8g: %s, want %s", cases[i].x,
                  got ? got : "NULL", cases[i].band);
  }
  /* The quartiles as shown, too: 0.99996 is shown as 1. */
  const double shown[3] = {0.99996, 2.0, 3.0};
  ck_assert_str_eq(tp_benchmark_band(1.0, shown), "p25-mediaan");
  /* All three equal (many ties): the value itself is in the lower middle band. */
  const double flat[3] = {1.0, 1.0, 1.0};
  ck_assert_str_eq(tp_benchmark_band(0.9, flat), "onder-p25");
  ck_assert_str_eq(tp_benchmark_band(1.0, flat), "p25-mediaan");
  ck_assert_str_eq(tp_benchmark_band(1.1, flat), "boven-p75");
  /* Nothing to compare. */
  const double none[3] = {NAN, NAN, NAN};
  ck_assert_ptr_null(tp_benchmark_band(1.0, none));
  ck_assert_ptr_null(tp_benchmark_band(NAN, q));
  ck_assert_ptr_null(tp_benchmark_band(INFINITY, q));
}
END_TEST

/* The subject's own value, whatever it is, and its stale entries among
 * the peers do not move the quartiles it is held against: they are those
 * of the others alone. */
START_TEST(quartiles_leave_the_subject_out) {
  static const char *const stale[] = {
      "", "{'gemeente':'GM0100','inwoners':10000,'totaalFte':0.5,'dekking':0.2},",
      "{'gemeente':'GM0100','inwoners':10000,'totaalFte':1.5,'dekking':0.95},"
      "{'gemeente':'GM0100','inwoners':10000,'totaalFte':1.5,'dekking':null},"
      "{'gemeente':'GM0100','inwoners':10000,'totaalFte':0.1,'dekking':1.0},",
      /* More of its own than fit on the stack. */
      "{'gemeente':'GM0100','inwoners':10000,'totaalFte':0.5,'dekking':0.2},"
      "{'gemeente':'GM0100','inwoners':10000,'totaalFte':0.5,'dekking':0.2},"
      "{'gemeente':'GM0100','inwoners':10000,'totaalFte':1.2,'dekking':0.95},"
      "{'gemeente':'GM0100','inwoners':10000,'totaalFte':3.0,'dekking':null},"
      "{'gemeente':'GM0100','inwoners':10000,'totaalFte':0.9,'dekking':0.4},"
      "{'gemeente':'GM0100','inwoners':10000,'totaalFte':0.01,'dekking':0.0},"};
  const char *others = PEER_201 PEER_202 PEER_203 PEER_204 PEER_205 PEER_206 PEER_300 "]";
  /* The others: fte 0.5 0.8 0.9 1.2 1.5 2.0001 (h = 1.25, 2.5, 3.75) gives 0.825,
   * 1.05, 1.425, published on the grid of 0.1 as 0.8, 1.1 (a half rounds away
   * from zero) and 1.4; dekking 0.2 0.4 0.5 0.6 0.95 1.0 gives 0.425, 0.55,
   * 0.8625, on the grid of 0.05 0.45, 0.55 and 0.85. */
  for (size_t k = 0; k < sizeof(stale) / sizeof(stale[0]); k++) {
    char peers[2048];
    snprintf(peers, sizeof(peers), "[%s%s", stale[k], others);
    for (int i = 0; i <= 60; i++) {
      json_t *doc = bench_probe(0.05 * i + 0.01, i / 60.0, peers);
      const json_t *pos = json_object_get(doc, "positie");
      ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), 7);
      assert_quartiles(pos, "ftePer10000Kwartielen", 0.8, 1.1, 1.4);
      assert_quartiles(pos, "dekkingKwartielen", 0.45, 0.55, 0.85);
      double qf[3] = {0.8, 1.1, 1.4}, qd[3] = {0.45, 0.55, 0.85};
      ck_assert_str_eq(str(pos, "ftePer10000Band"),
                       tp_benchmark_band(num(doc, "ftePer10000"), qf));
      ck_assert_str_eq(str(pos, "dekkingBand"), tp_benchmark_band(i / 60.0, qd));
      json_decref(doc);
    }
  }
}
END_TEST

/* `v` lies on the grid of `step` (in units of 0.0001): a whole number of
 * steps. */
static int on_grid(double v, long step) {
  long long units = llround(v * 10000.0);
  return fabs(v * 10000.0 - (double)units) < 1e-6 && units % step == 0;
}

/* Five peers whose figures have 4 significant decimals, as real teams and
 * coverages over 106 role counts give them (docs/methode.md): with five
 * others PERCENTILE.INC is the 2nd, 3rd and 4th value itself, and with nine
 * the 3rd, 5th and 7th. A published quartile must be none of them, and must
 * lie on the grid (0.1 fte per 10 000, 0.05 coverage); the band is the own
 * value against exactly the published quartiles. */
#define GRID_201 "{'gemeente':'GM0201','inwoners':13457,'totaalFte':0.9,'dekking':0.3962},"
#define GRID_202 "{'gemeente':'GM0202','inwoners':17012,'totaalFte':1.3,'dekking':0.4811},"
#define GRID_203 "{'gemeente':'GM0203','inwoners':11211,'totaalFte':1.1,'dekking':0.6038},"
#define GRID_204 "{'gemeente':'GM0204','inwoners':19775,'totaalFte':1.6,'dekking':0.6415},"
#define GRID_205 "{'gemeente':'GM0205','inwoners':15262,'totaalFte':1.7,'dekking':0.7264},"
#define GRID_206 "{'gemeente':'GM0206','inwoners':12345,'totaalFte':0.7,'dekking':0.5472},"
#define GRID_207 "{'gemeente':'GM0207','inwoners':16789,'totaalFte':1.4,'dekking':0.6604},"
#define GRID_208 "{'gemeente':'GM0208','inwoners':10456,'totaalFte':1.2,'dekking':0.5189},"
#define GRID_209 "{'gemeente':'GM0209','inwoners':18123,'totaalFte':1.0,'dekking':0.4434},"

START_TEST(published_quartiles_are_no_peers_value) {
  static const char *const groups[] = {
      "[" GRID_201 GRID_202 GRID_203 GRID_204 GRID_205 PEER_300 "]",
      "[" GRID_201 GRID_202 GRID_203 GRID_204 GRID_205 GRID_206 GRID_207 GRID_208 GRID_209
      PEER_300 "]",
  };
  static const char *const keys[] = {"p25", "mediaan", "p75"};
  for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
    json_t *peers = J(groups[g]);
    /* The peers' figures as shown. */
    double fte[16], dek[16];
    size_t n = 0, i;
    const json_t *p;
    json_array_foreach(peers, i, p) {
      if (tp_grootteklasse((long)num(p, "inwoners")) != 3) continue;
      fte[n] = tp_round4(num(p, "totaalFte") / num(p, "inwoners") * 10000.0);
      dek[n++] = num(p, "dekking");
    }
    ck_assert_uint_eq(n, g == 0 ? 5 : 9);
    for (int s = 0; s <= 40; s++) {
      json_t *doc = bench_probe(0.3 + 0.04 * s, s / 40.0, groups[g]);
      ck_assert_int_eq(tp_benchmark_banded(doc), 0);
      const json_t *pos = json_object_get(doc, "positie");
      const json_t *qf = json_object_get(pos, "ftePer10000Kwartielen");
      const json_t *qd = json_object_get(pos, "dekkingKwartielen");
      double f[3], d[3];
      for (int k = 0; k < 3; k++) {
        f[k] = num(qf, keys[k]);
        d[k] = num(qd, keys[k]);
        for (size_t j = 0; j < n; j++) {
          ck_assert_msg(f[k] != fte[j], "%zu others: ftePer10000 %s is a peer's %.4f", n,
                        keys[k], fte[j]);
          ck_assert_msg(d[k] != dek[j], "%zu others: dekking %s is a peer's %.4f", n, keys[k],
                        dek[j]);
        }
        ck_assert_msg(on_grid(f[k], 1000), "%zu others: ftePer10000 %s %.4f is not on 0.1", n,
                      keys[k], f[k]);
        ck_assert_msg(on_grid(d[k], 500), "%zu others: dekking %s %.4f is not on 0.05", n,
                      keys[k], d[k]);
      }
      ck_assert_str_eq(str(pos, "ftePer10000Band"), tp_benchmark_band(num(doc, "ftePer10000"), f));
      ck_assert_str_eq(str(pos, "dekkingBand"), tp_benchmark_band(num(doc, "dekking"), d));
      json_decref(doc);
    }
    json_decref(peers);
  }
}
END_TEST

/* A client's view: the exact position goes, the bands stay. */
START_TEST(banded_view_keeps_only_the_bands) {
  json_t *doc = bench(SUBJECT, REFERENCES, PEERS_FIVE);
  json_t *want = json_deep_copy(doc);
  ck_assert_int_eq(tp_benchmark_banded(doc), 0);
  json_t *pos = json_object_get(want, "positie");
  json_object_set_new(pos, "weergave", json_string("band"));
  json_object_set_new(pos, "groepsgrootte", json_null());
  json_object_set_new(pos, "ftePer10000Percentiel", json_null());
  json_object_set_new(pos, "dekkingPercentiel", json_null());
  ck_assert(json_equal(doc, want));
  json_decref(doc);
  json_decref(want);
  json_t *none = json_object();
  ck_assert_int_eq(tp_benchmark_banded(none), -1);
  json_decref(none);
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

int main(void) {
  Suite *s = suite_create("benchmark");
  TCase *tc = tcase_create("benchmark");
  tcase_add_test(tc, size_class_boundaries);
  tcase_add_test(tc, subject_figures_and_key_order);
  tcase_add_test(tc, reference_rows_sorted_without_the_subject);
  tcase_add_test(tc, role_overlap_is_jaccard);
  tcase_add_test(tc, reference_coverage_against_the_other_references);
  tcase_add_test(tc, nearest_three_with_ties_by_code);
  tcase_add_test(tc, position_among_five_others);
  tcase_add_test(tc, suppressed_below_five_others_not_at_five);
  tcase_add_test(tc, reference_municipalities_do_not_count_towards_five);
  tcase_add_test(tc, band_boundaries);
  tcase_add_test(tc, quartiles_leave_the_subject_out);
  tcase_add_test(tc, published_quartiles_are_no_peers_value);
  tcase_add_test(tc, banded_view_keeps_only_the_bands);
  tcase_add_test(tc, percentile_without_equals_a_copy);
  tcase_add_test(tc, reference_order_does_not_matter);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
