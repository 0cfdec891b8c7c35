/* k-anonymity of the benchmarks: a size class is suppressed below five
 * profiles and ranked by PERCENTRANK.INC from five on, and a municipality's
 * own client learns of the others by probing with its own profile the
 * quartiles of its class and nothing more. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_analyse.h"

/* Size class 3 (10 000-19 999 inhabitants): no reference municipality is in
 * it. GM0279 Scherpenzeel has exactly 10 000, the lower bound of the class. */
static const char *const CLASS3[] = {"GM0279", "GM0003", "GM0072", "GM0175", "GM0180", "GM0221"};
#define NCLASS3 (sizeof(CLASS3) / sizeof(CLASS3[0]))

/* --- k-anonymity and PERCENTRANK.INC --------------------------------------- */

/* PERCENTILE.INC of the n values (sorted here), rounded as shown. */
static int cmp_num(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

static double percentile_inc(const double *sorted, size_t n, double p) {
  double h = (double)(n - 1) * p;
  size_t lo = (size_t)floor(h);
  if (lo + 1 >= n) return sorted[n - 1];
  return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

/* The grids of docs/methode.md, in units of 0.0001: 0.1 fte per 10 000
 * inhabitants, 0.05 coverage. */
#define GRID_FTE 1000
#define GRID_DEKKING 500

/* `x` (4 decimals) rounded half away from zero to a multiple of `step`. */
static double to_grid(double x, long long step) {
  long long units = llround(x * 10000.0);
  long long k = (llabs(units) + step / 2) / step;
  return (double)(units < 0 ? -k : k) * (double)step / 10000.0;
}

/* Whether `x` is a whole number of steps. */
static int on_grid(double x, long long step) {
  long long units = llround(x * 10000.0);
  return fabs(x * 10000.0 - (double)units) < 1e-6 && units % step == 0;
}

/* The quartiles the method publishes for values `v` on grid `step`, as
 * {p25, mediaan, p75}: PERCENTILE.INC as shown, rounded to the grid. */
static json_t *quartiles_of(double *v, size_t n, long long step) {
  qsort(v, n, sizeof(*v), cmp_num);
  return json_pack("{s:f, s:f, s:f}", "p25", to_grid(round4(percentile_inc(v, n, 0.25)), step),
                   "mediaan", to_grid(round4(percentile_inc(v, n, 0.5)), step), "p75",
                   to_grid(round4(percentile_inc(v, n, 0.75)), step));
}

/* The published quartiles `got` are `want` (to the last shown digit). */
static void assert_quartiles(const json_t *got, const json_t *want, const char *what) {
  static const char *const keys[] = {"p25", "mediaan", "p75"};
  ck_assert_msg(json_is_object(got) && json_object_size(got) == 3, "%s: quartiles %s", what,
                json_is_object(got) ? "with other members" : "missing");
  for (int k = 0; k < 3; k++) {
    ck_assert_msg(fabs(it_num(got, keys[k]) - it_num(want, keys[k])) < 1e-9,
                  "%s %s: %.4f, want %.4f", what, keys[k], it_num(got, keys[k]),
                  it_num(want, keys[k]));
  }
}

/* The band of `x` against quartiles `q`, as docs/methode.md defines it on
 * the values as shown: below p25; from p25 up to and including the median;
 * above the median up to and including p75; above p75. */
static const char *band_of(double x, const json_t *q) {
  if (x < it_num(q, "p25")) return "onder-p25";
  if (x <= it_num(q, "mediaan")) return "p25-mediaan";
  if (x <= it_num(q, "p75")) return "mediaan-p75";
  return "boven-p75";
}

/* The codes of the municipalities with a (public) reference profile, as a
 * JSON array (new reference). */
static json_t *reference_codes(void) {
  struct it_response r;
  get_ok("/api/v1/teamprofielen?referentie=true&pageSize=100", NULL, NULL, &r);
  json_t *codes = json_array();
  size_t i;
  const json_t *p;
  json_array_foreach(json_object_get(r.json, "results"), i, p) {
    json_array_append_new(codes, json_string(it_str(p, "gemeente")));
  }
  it_response_free(&r);
  ck_assert_uint_ge(json_array_size(codes), 1);
  return codes;
}

static int is_reference(const json_t *refs, const char *gemeente) {
  size_t i;
  const json_t *code;
  json_array_foreach(refs, i, code) {
    if (strcmp(json_string_value(code), gemeente) == 0) return 1;
  }
  return 0;
}

/* The position of `gemeente` in `rows` (VNG's exact view) is what
 * PERCENTRANK.INC gives over the rows of its size class, with the
 * quartiles of the others (itself left out) and its bands against them;
 * or suppressed below 5 others that are not reference municipalities
 * (`refs`). Returns the group size. */
static long assert_position(const json_t *rows, const char *gemeente, const json_t *refs) {
  const json_t *me = row_of(rows, gemeente);
  ck_assert_msg(me != NULL, "%s has no benchmark row", gemeente);
  json_int_t klasse = json_integer_value(json_object_get(me, "grootteklasse"));
  double my_fte = it_num(me, "ftePer10000");
  const json_t *my_dekking = json_object_get(me, "dekking");
  long n = 0, lower = 0, lower_d = 0;
  double others[128], others_d[128];
  size_t no = 0, nod = 0, counted = 0, counted_d = 0, i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    if (json_integer_value(json_object_get(row, "grootteklasse")) != klasse) continue;
    n++;
    lower += it_num(row, "ftePer10000") < my_fte;
    const json_t *d = json_object_get(row, "dekking");
    if (json_is_number(d) && json_is_number(my_dekking))
      lower_d += json_number_value(d) < json_number_value(my_dekking);
    if (row == me) continue;
    ck_assert_uint_lt(no, 128);
    others[no++] = it_num(row, "ftePer10000");
    if (json_is_number(d)) others_d[nod++] = json_number_value(d);
    int counts = !is_reference(refs, it_str(row, "gemeente"));
    counted += (size_t)counts;
    counted_d += (size_t)(counts && json_is_number(d));
  }
  const json_t *pos = json_object_get(me, "positie");
  ck_assert_str_eq(it_str(pos, "weergave"), "exact");
  ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), n);
  const json_t *pf = json_object_get(pos, "ftePer10000Percentiel");
  const json_t *pd = json_object_get(pos, "dekkingPercentiel");
  const json_t *qf = json_object_get(pos, "ftePer10000Kwartielen");
  const json_t *qd = json_object_get(pos, "dekkingKwartielen");
  if (counted < 5) {
    ck_assert_msg(json_is_null(pf) && json_is_null(pd) && json_is_null(qf) && json_is_null(qd) &&
                      json_is_null(json_object_get(pos, "ftePer10000Band")) &&
                      json_is_null(json_object_get(pos, "dekkingBand")),
                  "%s: %zu others (%zu not references) are not suppressed", gemeente, no,
                  counted);
    ck_assert(json_is_true(json_object_get(pos, "onderdrukt")));
    ck_assert_ptr_nonnull(it_str(pos, "reden"));
    ck_assert_ptr_nonnull(strstr(it_str(pos, "reden"), "5"));
    return n;
  }
  ck_assert_msg(json_is_false(json_object_get(pos, "onderdrukt")),
                "%s: %zu others not references, suppressed all the same", gemeente, counted);
  ck_assert(json_is_null(json_object_get(pos, "reden")));
  double want = 100.0 * (double)lower / (double)(n - 1);
  ck_assert_msg(json_is_number(pf) && fabs(json_number_value(pf) - want) <= 6e-5,
                "%s: ftePer10000Percentiel %s, PERCENTRANK.INC gives %.4f (%ld of %ld lower)",
                gemeente, json_is_number(pf) ? "a number" : "null", want, lower, n);
  json_t *want_q = quartiles_of(others, no, GRID_FTE);
  assert_quartiles(qf, want_q, gemeente);
  ck_assert_str_eq(it_str(pos, "ftePer10000Band"), band_of(my_fte, qf));
  json_decref(want_q);
  if (counted_d >= 5) {
    want_q = quartiles_of(others_d, nod, GRID_DEKKING);
    assert_quartiles(qd, want_q, gemeente);
    json_decref(want_q);
  } else {
    ck_assert(json_is_null(qd));
  }
  if (counted_d >= 5 && json_is_number(my_dekking)) {
    double want_d = 100.0 * (double)lower_d / (double)nod;
    ck_assert_msg(json_is_number(pd) && fabs(json_number_value(pd) - want_d) <= 6e-5,
                  "%s: dekkingPercentiel, PERCENTRANK.INC gives %.4f", gemeente, want_d);
    ck_assert_str_eq(it_str(pos, "dekkingBand"), band_of(json_number_value(my_dekking), qd));
  } else {
    ck_assert(json_is_null(pd));
    ck_assert(json_is_null(json_object_get(pos, "dekkingBand")));
  }
  return n;
}

START_TEST(size_class_is_suppressed_below_five_then_ranked) {
  /* Per municipality of class 3: members (fte, role) making distinct fte per
   * 10 000 inhabitants and some equal coverages (ties). */
  static const struct {
    double fte[2];
  } teams[NCLASS3] = {{{0.4, 0}},   {{1.2, 0}},    {{0.8, 0.3}},
                      {{1.5, 0.5}}, {{0.6887, 0}}, {{1.0, 1.0}}};
  struct profile p[NCLASS3];
  json_t *refs = reference_codes();
  json_t *rows = stable_snapshot(100, NULL);
  long before = 0;
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    before += json_integer_value(json_object_get(row, "grootteklasse")) == 3;
  }
  json_decref(rows);
  ck_assert_msg(before <= 1,
                "size class 3 already has %ld profiles of others; suppression cannot be shown",
                before);
  /* Scherpenzeel has 10 000 inhabitants: class 3, not 2. */
  ck_assert_int_eq(inwoners_of("GM0279"), 10000);
  for (size_t k = 0; k < NCLASS3; k++) {
    json_t *leden = json_array();
    json_array_append_new(leden, member1("Webredactie", teams[k].fte[0], "webredacteur"));
    if (teams[k].fte[1] > 0) {
      json_array_append_new(leden, member1("Webcare", teams[k].fte[1], "webcare-medewerker"));
    }
    json_t *body = team(CLASS3[k], "2026-01-01", leden);
    create(body, &p[k]);
    json_decref(body);
    if (k == 2) {
      /* Three of ours (and at most one other): suppressed everywhere. */
      rows = stable_snapshot(100, NULL);
      for (size_t j = 0; j <= k; j++) {
        ck_assert_int_lt(assert_position(rows, CLASS3[j], refs), 5);
        const json_t *me = row_of(rows, CLASS3[j]);
        ck_assert_int_eq(json_integer_value(json_object_get(me, "grootteklasse")), 3);
      }
      json_decref(rows);
      /* The same in the benchmark of one municipality. */
      struct it_response r;
      get_ok("/api/v1/gemeenten/GM0279/benchmark", &clients[B], NULL, &r);
      const json_t *pos = json_object_get(r.json, "positie");
      ck_assert(json_is_true(json_object_get(pos, "onderdrukt")));
      ck_assert(json_is_null(json_object_get(pos, "ftePer10000Percentiel")));
      ck_assert(json_is_null(json_object_get(pos, "dekkingPercentiel")));
      it_response_free(&r);
    }
  }
  /* Six of ours: ranked, as PERCENTRANK.INC over the group's rows. */
  rows = stable_snapshot(100, NULL);
  for (size_t k = 0; k < NCLASS3; k++) {
    ck_assert_int_ge(assert_position(rows, CLASS3[k], refs), (long)NCLASS3);
    const json_t *me = row_of(rows, CLASS3[k]);
    ck_assert_str_eq(it_str(me, "teamprofiel"), p[k].uuid);
    double total = teams[k].fte[0] + teams[k].fte[1];
    ck_assert_double_eq_tol(it_num(me, "ftePer10000"),
                            round4(total / (double)inwoners_of(CLASS3[k]) * 10000.0), 1e-9);
  }
  /* By hand, when no other profile is in the class: Scherpenzeel's 0.4 fte
   * per 10 000 and Staphorst's 0.6887 / 17 217 x 10 000 = 0.400012 are equal
   * at 4 decimals, so both are the lowest (0); Harlingen (0.6965) has two
   * below it of five others (40). Coverage: the three teams with only a
   * web editor tie at 0, the three with web care too at 60. */
  const json_t *pos_s = json_object_get(row_of(rows, "GM0279"), "positie");
  const json_t *pos_t = json_object_get(row_of(rows, "GM0180"), "positie");
  const json_t *pos_h = json_object_get(row_of(rows, "GM0072"), "positie");
  if (json_integer_value(json_object_get(pos_s, "groepsgrootte")) == 6) {
    ck_assert_double_eq_tol(it_num(pos_s, "ftePer10000Percentiel"), 0.0, 1e-9);
    ck_assert_double_eq_tol(it_num(pos_t, "ftePer10000Percentiel"), 0.0, 1e-9);
    ck_assert_double_eq_tol(it_num(pos_h, "ftePer10000Percentiel"), 40.0, 1e-9);
    ck_assert_double_eq_tol(it_num(pos_s, "dekkingPercentiel"), 0.0, 1e-9);
    ck_assert_double_eq_tol(it_num(pos_h, "dekkingPercentiel"), 60.0, 1e-9);
  }
  /* Each municipality's own benchmark says the same. */
  for (size_t k = 0; k < NCLASS3; k++) {
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/gemeenten/%s/benchmark", CLASS3[k]);
    struct it_response r;
    get_ok(path, &clients[B], NULL, &r);
    ck_assert_msg(json_equal(json_object_get(r.json, "positie"),
                             json_object_get(row_of(rows, CLASS3[k]), "positie")),
                  "%s: position differs from its row in /benchmarks: %s", CLASS3[k], r.body);
    it_response_free(&r);
  }
  json_decref(rows);
  json_decref(refs);
}
END_TEST

/* --- k-anonymity: what a municipality's own client can learn -------------- */

/* Size class 2 (5 000-9 999 inhabitants) has no reference municipality and
 * no other test writes it: GM0024 Loppersum probes it against six others.
 * Class 1 (below 5 000) has only five municipalities, so none of them ever
 * has five others: GM0060 Ameland probes it, the four others have a
 * profile. */
static const char *const CLASS2_OTHERS[] = {"GM0317", "GM0339", "GM0431",
                                            "GM0638", "GM0744", "GM0944"};
#define NCLASS2_OTHERS (sizeof(CLASS2_OTHERS) / sizeof(CLASS2_OTHERS[0]))
static const char *const CLASS1_OTHERS[] = {"GM0088", "GM0093", "GM0096", "GM0277"};
#define NCLASS1_OTHERS (sizeof(CLASS1_OTHERS) / sizeof(CLASS1_OTHERS[0]))

/* A team of `fte` in all (at most 3: a member has at most 1.5), in one of
 * three mixes of roles (so that the coverage moves too). */
static json_t *probe_team(const char *gemeente, double fte, int mix) {
  json_t *leden;
  if (mix % 3 == 0) {
    leden = json_pack("[o, o]", member1("Web", fte / 2, "webredacteur"),
                      member1("Web 2", fte / 2, "webredacteur"));
  } else if (mix % 3 == 1) {
    leden = json_pack("[o, o]", member1("Web", fte / 2, "webredacteur"),
                      member1("Webcare", fte / 2, "webcare-medewerker"));
  } else {
    leden = json_pack("[o, o, o]", member1("Web", fte / 2, "webredacteur"),
                      member1("Verbinder", fte / 4, "verbinder"),
                      member1("Data", fte / 4, "webanalist"));
  }
  return team(gemeente, "2026-03-01", leden);
}

/* A municipality's profile as one client keeps rewriting it. */
struct own {
  const struct it_client *c;
  const char *gemeente;
  struct profile p;
  char if_match[128];
};

/* The profile of `o` set to `fte` in mix `mix`: POSTed the first time, then
 * PUT with the ETag of the previous answer. */
static void set_own(struct own *o, double fte, int mix) {
  json_t *body = probe_team(o->gemeente, fte, mix);
  struct it_response r;
  if (o->p.uuid[0] == '\0') {
    create_as(o->c, body, &o->p);
    get_ok(o->p.path, o->c, NULL, &r);
  } else {
    char *text = it_dump(body);
    const char *h[] = {o->if_match, NULL};
    call("PUT", o->p.path, o->c, h, text, &r);
    free(text);
    ck_assert_msg(r.status == 200, "PUT %s gave %ld: %s", o->p.path, r.status, r.body);
  }
  ck_assert_ptr_nonnull(it_header(&r, "ETag"));
  snprintf(o->if_match, sizeof(o->if_match), "If-Match: %s", it_header(&r, "ETag"));
  it_response_free(&r);
  json_decref(body);
}

static void drop_own(struct own *o) {
  const char *h[] = {o->if_match, NULL};
  ck_assert_int_eq(status_of("DELETE", o->p.path, o->c, h, NULL), 204);
  o->p.uuid[0] = '\0';
}

/* The class figures VNG sees for class `klasse`, leaving out the codes
 * `skip` (NULL-terminated): the quartiles of fte per 10 000 and of
 * coverage, and how many rows there were. */
static size_t class_quartiles(int klasse, const char *const *skip, json_t **fte_q,
                              json_t **dek_q) {
  json_t *rows = stable_snapshot(100, NULL);
  double fte[64], dek[64];
  size_t n = 0, nd = 0, i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    int left_out = json_integer_value(json_object_get(row, "grootteklasse")) != klasse;
    for (size_t k = 0; skip[k] != NULL; k++)
      left_out |= strcmp(it_str(row, "gemeente"), skip[k]) == 0;
    if (left_out) continue;
    ck_assert_uint_lt(n, 64);
    fte[n++] = it_num(row, "ftePer10000");
    if (json_is_number(json_object_get(row, "dekking"))) dek[nd++] = it_num(row, "dekking");
  }
  json_decref(rows);
  ck_assert_msg(n >= 5 && nd >= 5, "class %d has %zu others (%zu with a coverage)", klasse, n, nd);
  *fte_q = quartiles_of(fte, n, GRID_FTE);
  *dek_q = quartiles_of(dek, nd, GRID_DEKKING);
  return n;
}

/* GET the benchmark of `gemeente` as `c`. */
static void get_benchmark(const char *gemeente, const struct it_client *c, struct it_response *r) {
  char path[96];
  snprintf(path, sizeof(path), "/api/v1/gemeenten/%s/benchmark", gemeente);
  get_ok(path, c, NULL, r);
}

/* The benchmark of `gemeente` as `c`, asserting that its position says no
 * more than the quartiles `want_fte` and `want_dek` of the others and the
 * bands of its own figures against them: the quartiles as published,
 * every other member of `positie` fixed or null. With `both_paths`, asked
 * once more after the rows of all were computed and kept (the first
 * answer after a write is computed from the size class alone): the same
 * bytes. Returns the document (new reference). */
static json_t *assert_banded(const char *gemeente, const struct it_client *c,
                             const json_t *want_fte, const json_t *want_dek, int both_paths) {
  struct it_response r;
  get_benchmark(gemeente, c, &r);
  const json_t *pos = json_object_get(r.json, "positie");
  static const char *const exact[] = {"groepsgrootte", "ftePer10000Percentiel",
                                      "dekkingPercentiel"};
  for (int k = 0; k < 3; k++) {
    ck_assert_msg(json_is_null(json_object_get(pos, exact[k])), "%s as %s shows %s: %s", gemeente,
                  c->id, exact[k], strstr(r.body, "\"positie\""));
  }
  const json_t *qf = json_object_get(pos, "ftePer10000Kwartielen");
  const json_t *qd = json_object_get(pos, "dekkingKwartielen");
  assert_quartiles(qf, want_fte, "ftePer10000Kwartielen");
  assert_quartiles(qd, want_dek, "dekkingKwartielen");
  static const char *const keys[] = {"p25", "mediaan", "p75"};
  for (int k = 0; k < 3; k++) {
    ck_assert_msg(on_grid(it_num(qf, keys[k]), GRID_FTE), "%s: ftePer10000 %s %.4f off the grid",
                  gemeente, keys[k], it_num(qf, keys[k]));
    ck_assert_msg(on_grid(it_num(qd, keys[k]), GRID_DEKKING), "%s: dekking %s %.4f off the grid",
                  gemeente, keys[k], it_num(qd, keys[k]));
  }
  json_t *want =
      json_pack("{s:n, s:n, s:n, s:b, s:n, s:O, s:s, s:O, s:s, s:s}", "groepsgrootte",
                "ftePer10000Percentiel", "dekkingPercentiel", "onderdrukt", 0, "reden",
                "ftePer10000Kwartielen", qf, "ftePer10000Band",
                band_of(it_num(r.json, "ftePer10000"), qf), "dekkingKwartielen", qd, "dekkingBand",
                band_of(it_num(r.json, "dekking"), qd), "weergave", "band");
  ck_assert_msg(json_equal(pos, want), "%s as %s: positie says more than its bands: %s", gemeente,
                c->id, r.body);
  json_decref(want);
  if (both_paths) {
    struct it_response all, again;
    get_ok("/api/v1/benchmarks?pageSize=1", &clients[B], NULL, &all);
    get_benchmark(gemeente, c, &again);
    ck_assert_msg(strcmp(again.body, r.body) == 0, "kept rows give %s, the class alone %s",
                  again.body, r.body);
    it_response_free(&all);
    it_response_free(&again);
  }
  json_t *doc = json_incref(r.json);
  it_response_free(&r);
  return doc;
}

/* The six others of class 2 with known teams. */
static void class2_others(struct own *others) {
  static const double fte[NCLASS2_OTHERS] = {0.5, 1.1, 1.6, 0.9, 1.2, 0.3};
  for (size_t k = 0; k < NCLASS2_OTHERS; k++) {
    others[k] = (struct own){&clients[P], CLASS2_OTHERS[k], {"", ""}, ""};
    set_own(&others[k], fte[k], (int)k);
  }
}

/* The attack: a client that may write only its own municipality's profile
 * sets it to chosen values and reads its benchmark each time. A sweep
 * over the whole range of its class, then a binary search for each place
 * where the answer changes. Once it could read every other's exact fte per
 * 10 000 inhabitants from where its percentile rank changed; now every
 * answer is the same published quartiles of the others with the band of
 * its own value, and the finest thing a search finds is a quartile. The
 * quartiles are those of the others rounded to the grid (0.1 fte per
 * 10 000, 0.05 coverage), so even those say no more of the others'
 * figures than a cell of the grid. */
START_TEST(own_client_learns_only_the_quartiles_of_its_class) {
  struct own others[NCLASS2_OTHERS];
  class2_others(others);
  const char *const skip[] = {"GM0024", "GM1695", NULL};
  json_t *want_fte = NULL, *want_dek = NULL;
  ck_assert_uint_eq(class_quartiles(2, skip, &want_fte, &want_dek), NCLASS2_OTHERS);

  struct own me = {&clients[A], "GM0024", {"", ""}, ""};
  json_t *first = NULL, *doc = NULL;
  int probes = 0;
  /* 0.2 to 2.59 fte: 0.21 to 2.73 per 10 000, around the others' 0.38 to 1.99. */
  char prev_band[32] = "";
  double prev_fte = 0.0;
  double change_lo[8], change_hi[8];
  size_t changes = 0;
  for (int i = 0; i < 240; i++, probes++) {
    double fte = 0.2 + 0.01 * i;
    set_own(&me, fte, i % 3);
    json_decref(doc);
    doc = assert_banded("GM0024", &clients[A], want_fte, want_dek, i % 8 == 0);
    const json_t *pos = json_object_get(doc, "positie");
    if (first == NULL) first = json_incref(json_object_get(pos, "ftePer10000Kwartielen"));
    ck_assert(json_equal(json_object_get(pos, "ftePer10000Kwartielen"), first));
    const char *band = it_str(pos, "ftePer10000Band");
    if (prev_band[0] != '\0' && strcmp(band, prev_band) != 0 && changes < 8) {
      change_lo[changes] = prev_fte;
      change_hi[changes++] = fte;
    }
    snprintf(prev_band, sizeof(prev_band), "%s", band);
    prev_fte = fte;
  }
  /* None of the others' figures as VNG sees them (4 decimals) is
   * published, unless it happens to lie on the grid. */
  json_t *rows = stable_snapshot(100, NULL);
  static const char *const keys[] = {"p25", "mediaan", "p75"};
  const json_t *first_d = json_object_get(json_object_get(doc, "positie"), "dekkingKwartielen");
  for (size_t k = 0; k < NCLASS2_OTHERS; k++) {
    const json_t *row = row_of(rows, CLASS2_OTHERS[k]);
    double f = it_num(row, "ftePer10000"), d = it_num(row, "dekking");
    for (int j = 0; j < 3; j++) {
      ck_assert_msg(on_grid(f, GRID_FTE) || it_num(first, keys[j]) != f,
                    "ftePer10000 %s is %s's %.4f", keys[j], CLASS2_OTHERS[k], f);
      ck_assert_msg(on_grid(d, GRID_DEKKING) || it_num(first_d, keys[j]) != d,
                    "dekking %s is %s's %.4f", keys[j], CLASS2_OTHERS[k], d);
    }
  }
  json_decref(rows);
  /* Each of the three quartiles is crossed once; a binary search between
   * the two sweep values around each crossing pins it down to the
   * published quartile, and to nothing else. */
  static const char *const bounds[] = {"p25", "mediaan", "p75"};
  static const char *const below[] = {"onder-p25", "p25-mediaan", "mediaan-p75"};
  ck_assert_uint_eq(changes, 3);
  for (size_t k = 0; k < changes; k++) {
    double lo = change_lo[k], hi = change_hi[k], x_lo = -INFINITY, x_hi = INFINITY;
    for (int step = 0; step < 10; step++, probes++) {
      double mid = (lo + hi) / 2;
      set_own(&me, mid, 0);
      json_decref(doc);
      doc = assert_banded("GM0024", &clients[A], want_fte, want_dek, 0);
      double x = it_num(doc, "ftePer10000");
      if (strcmp(it_str(json_object_get(doc, "positie"), "ftePer10000Band"), below[k]) == 0) {
        lo = mid;
        x_lo = x;
      } else {
        hi = mid;
        x_hi = x;
      }
    }
    double q = it_num(first, bounds[k]);
    ck_assert_msg(x_lo <= q && q <= x_hi, "the search ends at %.4f-%.4f, not around %s %.4f", x_lo,
                  x_hi, bounds[k], q);
  }
  ck_assert_int_ge(probes, 200);

  /* Nothing else in the answer moves with another municipality's value:
   * after another changes its team, only the quartiles (and so perhaps a
   * band) may differ. */
  json_t *before = json_deep_copy(doc);
  set_own(&others[0], 0.7, 1);
  json_decref(doc);
  struct it_response r;
  get_benchmark("GM0024", &clients[A], &r);
  doc = json_incref(r.json);
  it_response_free(&r);
  json_object_del(before, "positie");
  json_object_del(doc, "positie");
  ck_assert_msg(json_equal(before, doc), "the answer outside positie moved with another's team");

  drop_own(&me);
  for (size_t k = 0; k < NCLASS2_OTHERS; k++) drop_own(&others[k]);
  json_decref(before);
  json_decref(doc);
  json_decref(first);
  json_decref(want_fte);
  json_decref(want_dek);
}
END_TEST

/* The same attack by a client of two municipalities of one class: it moves
 * the one and reads the other. The figures a client sees leave out every
 * municipality it may act for, so the quartiles stay put; a client of
 * the one municipality alone counts the other among the others. */
START_TEST(client_of_two_municipalities_learns_no_more) {
  struct own others[NCLASS2_OTHERS];
  class2_others(others);
  struct own subject = {&clients[M], "GM0024", {"", ""}, ""};
  struct own moved = {&clients[M], "GM1695", {"", ""}, ""};
  set_own(&subject, 1.0, 0);
  const char *const both[] = {"GM0024", "GM1695", NULL};
  json_t *want_fte = NULL, *want_dek = NULL, *doc = NULL;
  ck_assert_uint_eq(class_quartiles(2, both, &want_fte, &want_dek), NCLASS2_OTHERS);
  for (int i = 0; i < 30; i++) {
    set_own(&moved, 0.1 + 0.08 * i, i % 3);
    json_decref(doc);
    doc = assert_banded("GM0024", &clients[M], want_fte, want_dek, i % 10 == 0);
  }
  /* GM0024's own client, which cannot write GM1695, sees it among the others. */
  const char *const self[] = {"GM0024", NULL};
  json_t *with_fte = NULL, *with_dek = NULL;
  ck_assert_uint_eq(class_quartiles(2, self, &with_fte, &with_dek), NCLASS2_OTHERS + 1);
  json_decref(doc);
  doc = assert_banded("GM0024", &clients[A], with_fte, with_dek, 1);
  drop_own(&moved);
  drop_own(&subject);
  for (size_t k = 0; k < NCLASS2_OTHERS; k++) drop_own(&others[k]);
  json_decref(doc);
  json_decref(want_fte);
  json_decref(want_dek);
  json_decref(with_fte);
  json_decref(with_dek);
}
END_TEST

/* Below five others nothing of the class is published to the
 * municipality's own client: not the quartiles, not a band, not the size
 * of the group, whatever value it probes with. VNG sees the group's size,
 * and no percentile either. */
START_TEST(below_five_others_nothing_of_the_class_is_shown) {
  struct own others[NCLASS1_OTHERS];
  static const double fte[NCLASS1_OTHERS] = {0.2, 0.5, 0.3, 0.4};
  for (size_t k = 0; k < NCLASS1_OTHERS; k++) {
    others[k] = (struct own){&clients[P], CLASS1_OTHERS[k], {"", ""}, ""};
    set_own(&others[k], fte[k], (int)k);
  }
  struct own me = {&clients[S], "GM0060", {"", ""}, ""};
  json_t *want = NULL;
  for (int i = 0; i < 40; i++) {
    set_own(&me, 0.05 + 0.03 * i, i % 3);
    struct it_response r, all, again;
    get_benchmark("GM0060", &clients[S], &r);
    const json_t *pos = json_object_get(r.json, "positie");
    const char *reden = it_str(pos, "reden");
    ck_assert_msg(reden != NULL && strstr(reden, "5") != NULL, "reden: %s", r.body);
    if (want == NULL) {
      want = json_pack("{s:n, s:n, s:n, s:b, s:s, s:n, s:n, s:n, s:n, s:s}", "groepsgrootte",
                       "ftePer10000Percentiel", "dekkingPercentiel", "onderdrukt", 1, "reden",
                       reden, "ftePer10000Kwartielen", "ftePer10000Band", "dekkingKwartielen",
                       "dekkingBand", "weergave", "band");
    }
    ck_assert_msg(json_equal(pos, want), "a group of five shows its class: %s", r.body);
    /* The same from the kept rows. */
    get_ok("/api/v1/benchmarks?pageSize=1", &clients[B], NULL, &all);
    get_benchmark("GM0060", &clients[S], &again);
    ck_assert_str_eq(again.body, r.body);
    it_response_free(&r);
    it_response_free(&all);
    it_response_free(&again);
  }
  /* VNG: all five in the group, suppressed all the same. */
  json_t *rows = stable_snapshot(100, NULL);
  const json_t *pos = json_object_get(row_of(rows, "GM0060"), "positie");
  ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), 5);
  ck_assert(json_is_true(json_object_get(pos, "onderdrukt")));
  ck_assert(json_is_null(json_object_get(pos, "ftePer10000Percentiel")));
  ck_assert(json_is_null(json_object_get(pos, "dekkingPercentiel")));
  ck_assert(json_is_null(json_object_get(pos, "ftePer10000Kwartielen")));
  json_decref(rows);
  drop_own(&me);
  for (size_t k = 0; k < NCLASS1_OTHERS; k++) drop_own(&others[k]);
  json_decref(want);
}
END_TEST

/* Size class 5 (50 000-99 999 inhabitants) holds three reference
 * municipalities, GM0074 Heerenveen, GM0715 Terneuzen and GM1940 De Fryske
 * Marren, whose reference profiles are public; of the others, only GM0164
 * and GM1900 get a profile from another test. P writes six more. */
static const char *const CLASS5_OURS[] = {"GM0355", "GM0106", "GM0118",
                                          "GM0141", "GM0222", "GM0345"};
#define NCLASS5_OURS (sizeof(CLASS5_OURS) / sizeof(CLASS5_OURS[0]))

/* Five others of which three are references leave two figures that
 * nobody knew, which the quartiles all but name: only others that are not
 * reference municipalities count towards the five. With three of ours,
 * each has the three references and two of ours among its others (at
 * least five), but at most four others that are not references
 * (GM0164 and GM1900 at most besides ours): suppressed, for VNG too. With
 * six of ours, at least five count: shown, with the references' figures
 * in the quartiles. */
START_TEST(reference_municipalities_do_not_count_towards_five) {
  static const double fte[NCLASS5_OURS] = {2.1, 2.9, 1.7, 2.6, 2.3, 1.9};
  json_t *refs = reference_codes();
  ck_assert(is_reference(refs, "GM0074") && is_reference(refs, "GM0715") &&
            is_reference(refs, "GM1940"));
  struct own ours[NCLASS5_OURS];
  for (size_t k = 0; k < NCLASS5_OURS; k++) {
    ours[k] = (struct own){&clients[P], CLASS5_OURS[k], {"", ""}, ""};
    set_own(&ours[k], fte[k], (int)k);
    if (k != 2 && k != NCLASS5_OURS - 1) continue;
    json_t *rows = stable_snapshot(100, NULL);
    for (size_t j = 0; j <= k; j++) {
      const json_t *pos = json_object_get(row_of(rows, CLASS5_OURS[j]), "positie");
      ck_assert_int_ge(json_integer_value(json_object_get(pos, "groepsgrootte")), 6);
      ck_assert_msg(json_is_boolean(json_object_get(pos, "onderdrukt")) &&
                        json_is_true(json_object_get(pos, "onderdrukt")) == (k == 2),
                    "%s with %zu of ours: onderdrukt %s", CLASS5_OURS[j], k + 1,
                    json_is_true(json_object_get(pos, "onderdrukt")) ? "true" : "false");
      assert_position(rows, CLASS5_OURS[j], refs);
    }
    /* The same in the benchmark of one municipality. */
    struct it_response r;
    get_benchmark(CLASS5_OURS[0], &clients[B], &r);
    ck_assert_msg(json_equal(json_object_get(r.json, "positie"),
                             json_object_get(row_of(rows, CLASS5_OURS[0]), "positie")),
                  "%s: position differs from its row in /benchmarks: %s", CLASS5_OURS[0],
                  r.body);
    it_response_free(&r);
    json_decref(rows);
  }
  for (size_t k = 0; k < NCLASS5_OURS; k++) drop_own(&ours[k]);
  json_decref(refs);
}
END_TEST

int main(void) {
  Suite *s = suite_create("benchmarks-k-anonymity");
  TCase *tc = it_case("benchmarks-k-anonymity", 60, setup, teardown);
  tcase_add_test(tc, size_class_is_suppressed_below_five_then_ranked);
  tcase_add_test(tc, own_client_learns_only_the_quartiles_of_its_class);
  tcase_add_test(tc, client_of_two_municipalities_learns_no_more);
  tcase_add_test(tc, below_five_others_nothing_of_the_class_is_shown);
  tcase_add_test(tc, reference_municipalities_do_not_count_towards_five);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
