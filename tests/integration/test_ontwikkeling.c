/* A municipality's development over real HTTP: four profiles at three
 * dates, each summary equal to the profile's own gap analysis, the
 * differences computed here from the profiles, the filters and their 400s,
 * access (401/403/404, a reference municipality public), the CSV rows and
 * the chart (valid SVG, rendered in headless Chromium). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_analyse.h"

#define GEMEENTE "GM1900"
#define PATH "/api/v1/gemeenten/" GEMEENTE "/ontwikkeling"
#define NPROF 4

/* The profiles, each member holding one role: in the order stored. The
 * fourth has the second's date, stored after the third: it comes third. */
struct share {
  const char *rol;
  double fte;
};
static const struct {
  const char *peildatum;
  struct share shares[4];
} PROFILES[NPROF] = {
    {"2023-01-01", {{"verbinder", 0.5}, {"webredacteur", 1.0}}},
    {"2024-06-01", {{"verbinder", 0.5}, {"webredacteur", 0.8}, {"communitymanager", 0.4}}},
    {"2025-03-01",
     {{"verbinder", 1.0}, {"webredacteur", 1.0}, {"communitymanager", 0.4}, {"webanalist", 0.3}}},
    {"2024-06-01", {{"webredacteur", 1.0}, {"communitymanager", 0.4}}},
};
/* PROFILES in the development's order. */
static const int ORDER[NPROF] = {0, 1, 3, 2};

static struct profile stored[NPROF];

static void make_profiles(void) {
  for (int i = 0; i < NPROF; i++) {
    json_t *leden = json_array();
    for (int k = 0; k < 4 && PROFILES[i].shares[k].rol; k++)
      json_array_append_new(leden, member1(PROFILES[i].shares[k].rol, PROFILES[i].shares[k].fte,
                                           PROFILES[i].shares[k].rol));
    json_t *body = team(GEMEENTE, PROFILES[i].peildatum, leden);
    create(body, &stored[i]);
    json_decref(body);
  }
}

/* Profile i's fte on `rol` and in total, from its shares. */
static double fte_of(int i, const char *rol) {
  double f = 0.0;
  for (int k = 0; k < 4 && PROFILES[i].shares[k].rol; k++)
    if (rol == NULL || strcmp(PROFILES[i].shares[k].rol, rol) == 0) f += PROFILES[i].shares[k].fte;
  return f;
}

static int has(const json_t *arr, const char *s) {
  size_t i;
  const json_t *v;
  json_array_foreach(arr, i, v) {
    if (strcmp(json_string_value(v), s) == 0) return 1;
  }
  return 0;
}

static json_t *analysis_of(const struct profile *p) {
  char path[160];
  snprintf(path, sizeof(path), "%s/gap-analyse", p->path);
  struct it_response r;
  get_ok(path, &clients[W], NULL, &r);
  json_t *a = json_incref(r.json);
  it_response_free(&r);
  return a;
}

START_TEST(each_profile_with_its_analysis_and_the_differences) {
  make_profiles();
  struct it_response r;
  get_ok(PATH, &clients[W], NULL, &r);
  const json_t *list = json_object_get(r.json, "profielen");
  ck_assert_uint_eq(json_array_size(list), NPROF);
  ck_assert_str_eq(it_str(r.json, "gemeente"), GEMEENTE);
  ck_assert_str_eq(json_string_value(json_object_get(r.json, "methodeVersie")), "1.1");
  ck_assert(json_is_false(json_object_get(r.json, "afgekapt")));
  json_t *roles = catalogue_roles();
  json_t *prev_analysis = NULL;
  for (int k = 0; k < NPROF; k++) {
    int i = ORDER[k], v = k > 0 ? ORDER[k - 1] : -1;
    const json_t *e = json_array_get(list, (size_t)k);
    ck_assert_str_eq(it_str(e, "teamprofiel"), stored[i].uuid);
    ck_assert_str_eq(it_str(e, "peildatum"), PROFILES[i].peildatum);
    json_t *a = analysis_of(&stored[i]);
    ck_assert_msg(json_equal(json_object_get(e, "samenvatting"), json_object_get(a, "samenvatting")),
                  "the summary of profile %d differs from its gap analysis", i);
    ck_assert_str_eq(it_str(r.json, "catalogusVersie"), it_str(a, "catalogusVersie"));
    ck_assert_str_eq(it_str(r.json, "referentieVersie"), it_str(a, "referentieVersie"));
    const json_t *rows = json_object_get(e, "rollen"), *want = json_object_get(a, "rollen");
    ck_assert_uint_eq(json_array_size(rows), json_array_size(roles));
    for (size_t x = 0; x < json_array_size(want); x++) {
      const json_t *got = json_array_get(rows, x), *w = json_array_get(want, x);
      ck_assert_str_eq(it_str(got, "rol"), it_str(w, "rol"));
      ck_assert_double_eq_tol(it_num(got, "fte"), round4(fte_of(i, it_str(w, "rol"))), 1e-9);
      ck_assert_str_eq(it_str(got, "status"), it_str(w, "status"));
    }
    const json_t *d = json_object_get(e, "verschil");
    if (k == 0) {
      ck_assert(json_is_null(d));
    } else {
      ck_assert_str_eq(it_str(d, "vorigTeamprofiel"), stored[v].uuid);
      ck_assert_str_eq(it_str(d, "vorigePeildatum"), PROFILES[v].peildatum);
      ck_assert_double_eq_tol(it_num(d, "totaalFte"), round4(fte_of(i, NULL) - fte_of(v, NULL)),
                              1e-9);
      double dek = round4(it_num(json_object_get(a, "samenvatting"), "dekking") -
                          it_num(json_object_get(prev_analysis, "samenvatting"), "dekking"));
      ck_assert_double_eq_tol(it_num(d, "dekking"), dek, 1e-9);
      /* Per catalogue role: the change of fte, appearing, disappearing,
       * and a changed status. */
      size_t changed = 0, nieuw = 0, weg = 0, status = 0, x;
      const json_t *role;
      json_array_foreach(roles, x, role) {
        const char *code = it_str(role, "code");
        double nu = fte_of(i, code), toen = fte_of(v, code);
        if (round4(nu) != round4(toen)) {
          const json_t *c = json_array_get(json_object_get(d, "rollen"), changed++);
          ck_assert_str_eq(it_str(c, "rol"), code);
          ck_assert_double_eq_tol(it_num(c, "fte"), round4(nu - toen), 1e-9);
        }
        if (nu > 0 && toen == 0) {
          nieuw++;
          ck_assert_msg(has(json_object_get(d, "nieuweRollen"), code), "%s appeared", code);
        }
        if (nu == 0 && toen > 0) {
          weg++;
          ck_assert_msg(has(json_object_get(d, "verdwenenRollen"), code), "%s went", code);
        }
        const char *van = it_str(json_array_get(json_object_get(prev_analysis, "rollen"), x), "status");
        const char *naar = it_str(json_array_get(json_object_get(a, "rollen"), x), "status");
        if (strcmp(van, naar) != 0) {
          const json_t *s = json_array_get(json_object_get(d, "statusWijzigingen"), status++);
          ck_assert_str_eq(it_str(s, "rol"), code);
          ck_assert_str_eq(it_str(s, "van"), van);
          ck_assert_str_eq(it_str(s, "naar"), naar);
        }
      }
      ck_assert_uint_eq(json_array_size(json_object_get(d, "rollen")), changed);
      ck_assert_uint_eq(json_array_size(json_object_get(d, "nieuweRollen")), nieuw);
      ck_assert_uint_eq(json_array_size(json_object_get(d, "verdwenenRollen")), weg);
      ck_assert_uint_eq(json_array_size(json_object_get(d, "statusWijzigingen")), status);
      ck_assert_uint_gt(changed, 0);
    }
    json_decref(prev_analysis);
    prev_analysis = a;
  }
  json_decref(prev_analysis);
  json_decref(roles);
  it_response_free(&r);
}
END_TEST

/* The dates of the development at `query`, joined by spaces, as `c`. */
static void dates_at(const char *query, char *out, size_t len) {
  char path[200];
  snprintf(path, sizeof(path), PATH "%s", query);
  struct it_response r;
  get_ok(path, &clients[W], NULL, &r);
  out[0] = '\0';
  size_t i;
  const json_t *e;
  json_array_foreach(json_object_get(r.json, "profielen"), i, e) {
    snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? " " : "", it_str(e, "peildatum"));
    if (i == 0) ck_assert(json_is_null(json_object_get(e, "verschil")));
  }
  it_response_free(&r);
}

START_TEST(filters_and_their_problems) {
  make_profiles();
  char dates[200];
  dates_at("?vanaf=2024-06-01", dates, sizeof(dates));
  ck_assert_str_eq(dates, "2024-06-01 2024-06-01 2025-03-01");
  dates_at("?tot=2024-06-01", dates, sizeof(dates));
  ck_assert_str_eq(dates, "2023-01-01 2024-06-01 2024-06-01");
  dates_at("?vanaf=2023-01-01&tot=2023-01-01", dates, sizeof(dates));
  ck_assert_str_eq(dates, "2023-01-01");
  dates_at("?vanaf=2025-04-01", dates, sizeof(dates));
  ck_assert_str_eq(dates, "");
  /* A date that does not exist and one in the future: both in one answer. */
  struct it_response r;
  call("GET", PATH "?vanaf=2024-02-30&tot=2999-01-01", &clients[W], NULL, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert(it_invalid_has(&r, "vanaf", "invalid-date"));
  ck_assert(it_invalid_has(&r, "tot", "max-value"));
  ck_assert_uint_eq(json_array_size(json_object_get(r.json, "invalidParams")), 2);
  it_response_free(&r);
  call("GET", PATH "?vanaf=2025-01-01&tot=2024-01-01", &clients[W], NULL, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert(it_invalid_has(&r, "vanaf", "invalid-range"));
  ck_assert(it_invalid_has(&r, "tot", "invalid-range"));
  it_response_free(&r);
  call("GET", PATH "?vanaf=gisteren&tot=2024-1-01&per=rol", &clients[W], NULL, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert(it_invalid_has(&r, "vanaf", "min-length"));
  ck_assert(it_invalid_has(&r, "tot", "min-length"));
  ck_assert(it_invalid_has(&r, "per", "unknown-parameter"));
  ck_assert_uint_eq(json_array_size(json_object_get(r.json, "invalidParams")), 3);
  it_response_free(&r);
}
END_TEST

START_TEST(access) {
  json_t *body = small_team("GM0820", "2026-01-01", "Webredactie");
  struct profile own;
  create(body, &own);
  json_decref(body);
  const char *own_path = "/api/v1/gemeenten/GM0820/ontwikkeling";
  ck_assert_int_eq(status_of("GET", own_path, NULL, NULL, NULL), 401);
  const char *bad[] = {"Authorization: Bearer not.a.token", NULL};
  ck_assert_int_eq(status_of("GET", own_path, NULL, bad, NULL), 401);
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0050/ontwikkeling", NULL, bad, NULL),
                   401);
  /* Its own client, VNG's scope: yes; another municipality's client and a
   * client without a profile scope: no, without saying whose. */
  ck_assert_int_eq(status_of("GET", own_path, &clients[R], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", own_path, &clients[N], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", own_path, &clients[B], NULL, NULL), 200);
  struct it_response r;
  call("GET", own_path, &clients[E], NULL, NULL, &r);
  it_assert_problem(&r, 403);
  ck_assert_ptr_null(strstr(r.body, "GM0820"));
  it_response_free(&r);
  call("GET", own_path, &clients[A], NULL, NULL, &r);
  it_assert_problem(&r, 403);
  it_response_free(&r);
  /* A municipality without profiles: an empty list. */
  get_ok("/api/v1/gemeenten/GM0252/ontwikkeling", &clients[E], NULL, &r);
  ck_assert_uint_eq(json_array_size(json_object_get(r.json, "profielen")), 0);
  it_response_free(&r);
  /* One that does not exist. */
  call("GET", "/api/v1/gemeenten/GM9999/ontwikkeling", &clients[B], NULL, NULL, &r);
  it_assert_problem(&r, 404);
  it_response_free(&r);
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/XX/ontwikkeling", NULL, NULL, NULL), 404);
  /* A reference municipality is public: its reference profile, as its own
   * gap analysis sums it up. */
  get_ok("/api/v1/gemeenten/GM0050/ontwikkeling", NULL, NULL, &r);
  ck_assert_str_eq(it_header(&r, "Cache-Control"), "no-cache");
  const json_t *list = json_object_get(r.json, "profielen");
  ck_assert_uint_eq(json_array_size(list), 1);
  json_t *ref = reference_profile("GM0050");
  ck_assert_str_eq(it_str(json_array_get(list, 0), "teamprofiel"), it_str(ref, "uuid"));
  ck_assert(json_is_true(json_object_get(json_array_get(list, 0), "referentie")));
  struct profile rp;
  snprintf(rp.uuid, sizeof(rp.uuid), "%s", it_str(ref, "uuid"));
  snprintf(rp.path, sizeof(rp.path), "/api/v1/teamprofielen/%s", rp.uuid);
  json_t *a = analysis_of(&rp);
  ck_assert(json_equal(json_object_get(json_array_get(list, 0), "samenvatting"),
                       json_object_get(a, "samenvatting")));
  json_decref(a);
  json_decref(ref);
  it_response_free(&r);
}
END_TEST

START_TEST(csv_rows_per_date_and_role) {
  make_profiles();
  const char *h[] = {"Accept: text/csv", NULL};
  struct it_response r;
  call("GET", PATH, &clients[W], h, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(it_header(&r, "Content-Type"), "text/csv; charset=utf-8; header=present");
  const char *why = NULL;
  json_t *rows = it_parse_csv(r.body, &why);
  ck_assert_msg(rows != NULL, "not RFC 4180: %s", why);
  json_t *roles = catalogue_roles();
  size_t nroles = json_array_size(roles);
  ck_assert_uint_eq(json_array_size(rows), 1 + NPROF * nroles);
  const char *header[] = {"peildatum", "teamprofiel", "rol", "kernrol",
                          "fte",       "status",      "verschilFte", "vorigeStatus"};
  for (size_t c = 0; c < 8; c++)
    ck_assert_str_eq(json_string_value(json_array_get(json_array_get(rows, 0), c)), header[c]);
  for (int k = 0; k < NPROF; k++) {
    int i = ORDER[k], v = k > 0 ? ORDER[k - 1] : -1;
    for (size_t x = 0; x < nroles; x++) {
      const json_t *row = json_array_get(rows, 1 + (size_t)k * nroles + x);
      const char *code = it_str(json_array_get(roles, x), "code");
      ck_assert_str_eq(json_string_value(json_array_get(row, 0)), PROFILES[i].peildatum);
      ck_assert_str_eq(json_string_value(json_array_get(row, 1)), stored[i].uuid);
      ck_assert_str_eq(json_string_value(json_array_get(row, 2)), code);
      ck_assert_str_eq(json_string_value(json_array_get(row, 3)),
                       json_is_true(json_object_get(json_array_get(roles, x), "kernrol")) ? "true"
                                                                                          : "false");
      ck_assert_double_eq_tol(strtod(json_string_value(json_array_get(row, 4)), NULL),
                              fte_of(i, code), 1e-9);
      const char *verschil = json_string_value(json_array_get(row, 6));
      if (v < 0) {
        ck_assert_str_eq(verschil, "");
        ck_assert_str_eq(json_string_value(json_array_get(row, 7)), "");
      } else {
        ck_assert_double_eq_tol(strtod(verschil, NULL), round4(fte_of(i, code) - fte_of(v, code)),
                                1e-9);
      }
    }
  }
  json_decref(roles);
  json_decref(rows);
  it_response_free(&r);
}
END_TEST

START_TEST(chart_is_valid_svg_and_renders) {
  make_profiles();
  char svg[400], png[400];
  snprintf(svg, sizeof(svg), "%s/ontwikkeling.svg", scratch);
  snprintf(png, sizeof(png), "%s/ontwikkeling.png", scratch);
  const char *h[] = {"Accept: image/svg+xml", NULL};
  struct it_response r;
  call("GET", PATH, &clients[W], h, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_str_eq(it_header(&r, "Content-Type"), "image/svg+xml");
  it_write_file(svg, r.body, r.body_len);
  it_assert_well_formed(svg);
  char *v = it_xpath_string(svg, "string(/*/@version)");
  ck_assert_str_eq(v, "1.1");
  free(v);
  v = it_xpath_string(svg, "string(/*/@width)");
  ck_assert_str_eq(v, "800");
  free(v);
  v = it_xpath_string(svg, "string(/*/*[local-name()='title'])");
  ck_assert_str_eq(v, "Ontwikkeling online team: S\xc3\xba"
                      "dwest-Frysl\xc3\xa2n (GM1900)");
  free(v);
  v = it_xpath_string(svg, "count(//*[local-name()='g'][@class='peildatum'])");
  ck_assert_str_eq(v, "4");
  free(v);
  it_assert_renders(svg, png, "800x500");
  it_response_free(&r);
}
END_TEST

/* A case per test: its teardown removes the profiles of this run, so that
 * each test sees only its own. */
int main(void) {
  Suite *s = suite_create("ontwikkeling");
  TCase *tc = it_case("ontwikkeling", 120, setup, teardown);
  tcase_add_test(tc, each_profile_with_its_analysis_and_the_differences);
  suite_add_tcase(s, tc);
  TCase *tf = it_case("filters", 120, setup, teardown);
  tcase_add_test(tf, filters_and_their_problems);
  suite_add_tcase(s, tf);
  TCase *ta = it_case("access", 120, setup, teardown);
  tcase_add_test(ta, access);
  suite_add_tcase(s, ta);
  TCase *tcsv = it_case("csv", 120, setup, teardown);
  tcase_add_test(tcsv, csv_rows_per_date_and_role);
  suite_add_tcase(s, tcsv);
  TCase *tsvg = it_case("svg", 120, setup, teardown);
  tcase_add_test(tsvg, chart_is_valid_svg_and_renders);
  suite_add_tcase(s, tsvg);
  return it_run_suite(s);
}
