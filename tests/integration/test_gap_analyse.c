/* The gap analysis over real HTTP against the real binary and a real
 * cluster: the analysis of a stored profile against the anonymous one,
 * determinism, what-if analyses by number of inhabitants, and a team with no
 * members (tests/integration/fixture_analyse.c sets up the server and clients). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_analyse.h"

/* Every role's status agrees with its fte, its presence and its band
 * (away from the band's edges, where rounding decides). */
static void assert_statuses_follow_the_band(const json_t *analysis) {
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(analysis, "rollen"), i, row) {
    const char *rol = it_str(row, "rol"), *status = it_str(row, "status");
    double fte = it_num(row, "fte"), aanw = it_num(row, "aanwezigheid");
    const json_t *band = json_object_get(row, "verwacht");
    ck_assert_msg(json_is_object(band), "%s has no band", rol);
    double p25 = it_num(band, "p25"), med = it_num(band, "mediaan"), p75 = it_num(band, "p75");
    ck_assert_msg(isfinite(p25) && isfinite(p75) && p25 >= 0 && p25 <= med && med <= p75,
                  "%s: band %g %g %g", rol, p25, med, p75);
    if (fte == 0) {
      ck_assert_str_eq(status, aanw >= 0.5 ? "ontbreekt" : "optioneel");
    } else if (fte < p25 - 1e-4) {
      ck_assert_msg(strcmp(status, "onderbezet") == 0, "%s: %g below %g is %s", rol, fte, p25,
                    status);
    } else if (fte > p75 + 1e-4) {
      ck_assert_msg(strcmp(status, "ruim") == 0, "%s: %g above %g is %s", rol, fte, p75, status);
    } else if (fte > p25 + 1e-4 && fte < p75 - 1e-4) {
      ck_assert_msg(strcmp(status, "passend") == 0, "%s: %g in %g-%g is %s", rol, fte, p25, p75,
                    status);
    }
  }
}

/* --- the analysis of a stored profile is the anonymous one --------------- */

START_TEST(stored_reference_profile_analysis_equals_the_anonymous_one) {
  json_t *ref = reference_profile("GM0050");
  char path[96];
  snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s", it_str(ref, "uuid"));
  json_t *body =
      json_pack("{s:O, s:O, s:O}", "gemeente", json_object_get(ref, "gemeente"), "peildatum",
                json_object_get(ref, "peildatum"), "leden", json_object_get(ref, "leden"));
  assert_stored_equals_anonymous(path, NULL, body);
  /* Public, and a valid token changes nothing. */
  assert_stored_equals_anonymous(path, &clients[B], body);
  /* The date does not enter the analysis. */
  json_object_del(body, "peildatum");
  assert_stored_equals_anonymous(path, NULL, body);

  /* The shape openapi.yaml gives (GapAnalyse), for a reference
   * municipality analysed against the other six (its own profile is left
   * out). */
  struct it_response r;
  analyse_ok(body, &r);
  ck_assert_str_eq(json_string_value(json_object_get(r.json, "methodeVersie")), "1.1");
  ck_assert_str_eq(it_str(r.json, "gemeente"), "GM0050");
  ck_assert_int_eq(json_integer_value(json_object_get(r.json, "inwoners")), inwoners_of("GM0050"));
  ck_assert_str_eq(it_str(json_object_get(r.json, "fit"), "methode"), "machtswet");
  ck_assert_int_eq(json_array_size(json_object_get(r.json, "referenties")), 6);
  size_t ri;
  json_t *ref_row;
  json_array_foreach(json_object_get(r.json, "referenties"), ri, ref_row) {
    ck_assert_str_ne(it_str(ref_row, "gemeente"), "GM0050");
  }
  json_t *roles = catalogue_roles();
  json_t *rows = json_object_get(r.json, "rollen");
  ck_assert_uint_eq(json_array_size(rows), json_array_size(roles));
  for (size_t i = 0; i < json_array_size(roles); i++) {
    ck_assert_str_eq(it_str(json_array_get(rows, i), "rol"),
                     it_str(json_array_get(roles, i), "code"));
  }
  assert_statuses_follow_the_band(r.json);
  json_decref(roles);
  it_response_free(&r);
  json_decref(body);
  json_decref(ref);
}
END_TEST

START_TEST(stored_own_profile_analysis_equals_the_anonymous_one) {
  json_t *body = small_team("GM0820", "2026-01-01", "Webredactie <&> \"1\"");
  struct profile p;
  create(body, &p);
  /* The writer, a reader of the municipality; the same bytes each time. */
  assert_stored_equals_anonymous(p.path, &clients[W], body);
  assert_stored_equals_anonymous(p.path, &clients[R], body);
  assert_stored_equals_anonymous(p.path, &clients[N], body);

  struct it_response r;
  char path[160];
  snprintf(path, sizeof(path), "%s/gap-analyse", p.path);
  get_ok(path, &clients[R], NULL, &r);
  /* An essential competency below the required level gives advice. */
  int tekort = 0;
  size_t i;
  json_t *a;
  json_array_foreach(json_object_get(r.json, "advies"), i, a) {
    tekort |= strcmp(it_str(a, "soort"), "competentie-tekort") == 0 &&
              strcmp(it_str(a, "rol"), "webredacteur") == 0 &&
              strcmp(it_str(a, "competentie"), "schrijven-voor-het-web") == 0;
  }
  ck_assert_msg(tekort, "no advice on schrijven-voor-het-web: %s", r.body);
  ck_assert_double_eq_tol(it_num(json_object_get(r.json, "samenvatting"), "totaalFte"), 2.3, 1e-9);
  assert_statuses_follow_the_band(r.json);
  /* A conditional GET. */
  char inm[128];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", it_header(&r, "ETag"));
  const char *h[] = {inm, NULL};
  struct it_response again;
  call("GET", path, &clients[R], h, NULL, &again);
  ck_assert_int_eq(again.status, 304);
  ck_assert_uint_eq(again.body_len, 0);
  it_response_free(&again);
  it_response_free(&r);

  /* Someone else's profile: a token is needed, with the scope and the
   * municipality. */
  ck_assert_int_eq(status_of("GET", path, NULL, NULL, NULL), 401);
  ck_assert_int_eq(status_of("GET", path, &clients[B], NULL, NULL), 403);
  ck_assert_int_eq(status_of("GET", path, &clients[E], NULL, NULL), 403);
  ck_assert_int_eq(status_of("GET",
                             "/api/v1/teamprofielen/00000000-0000-4000-8000-000000000000/"
                             "gap-analyse",
                             &clients[W], NULL, NULL),
                   404);
  json_decref(body);
}
END_TEST

/* A number a client computed, 0.05 x 0.43 / 2 = 0.010750000000000001 in IEEE
 * doubles (JavaScript prints it so), needs 17 significant digits. The
 * anonymous analysis rounds it to 0.0108; the stored profile must keep it,
 * or its analysis shows 0.0107 and differs from the anonymous one. */
START_TEST(stored_profile_keeps_every_digit_of_its_numbers) {
  const char *text =
      "{\"gemeente\": \"GM0820\", \"peildatum\": \"2019-06-01\", \"leden\": ["
      "{\"label\": \"Webredactie\", \"fte\": 0.3, \"rollen\": ["
      "{\"rol\": \"webredacteur\", \"aandeel\": 0.28925},"
      " {\"rol\": \"webanalist\", \"aandeel\": 0.010750000000000001}]}]}";
  json_t *body = json_loads(text, 0, NULL);
  ck_assert_ptr_nonnull(body);
  double sent = 0.05 * 0.43 / 2;
  ck_assert(sent != 0.01075); /* not the double nearest to 0.01075 */
  struct profile p;
  create(body, &p);
  struct it_response r, a;
  char path[160];
  snprintf(path, sizeof(path), "%s/gap-analyse", p.path);
  get_ok(path, &clients[W], NULL, &r);
  analyse_ok(body, &a);
  const json_t *row_r = json_array_get(json_object_get(r.json, "rollen"), 0);
  const json_t *row_a = json_array_get(json_object_get(a.json, "rollen"), 0);
  for (size_t i = 0; i < json_array_size(json_object_get(a.json, "rollen")); i++) {
    const json_t *x = json_array_get(json_object_get(a.json, "rollen"), i);
    if (strcmp(it_str(x, "rol"), "webanalist") == 0) {
      row_a = x;
      row_r = json_array_get(json_object_get(r.json, "rollen"), i);
    }
  }
  ck_assert_str_eq(it_str(row_a, "rol"), "webanalist");
  ck_assert_msg(r.body_len == a.body_len && memcmp(r.body, a.body, a.body_len) == 0,
                "the stored profile's analysis differs from the anonymous one: webanalist fte "
                "%g stored, %g sent (the profile was stored with 15 significant digits)",
                it_num(row_r, "fte"), it_num(row_a, "fte"));
  it_response_free(&r);
  it_response_free(&a);
  /* The profile itself gives back what was sent. */
  get_ok(p.path, &clients[W], NULL, &r);
  const json_t *rollen =
      json_object_get(json_array_get(json_object_get(r.json, "leden"), 0), "rollen");
  ck_assert_msg(it_num(json_array_get(rollen, 1), "aandeel") == sent,
                "aandeel %.17g stored as %.17g", sent,
                it_num(json_array_get(rollen, 1), "aandeel"));
  it_response_free(&r);
  json_decref(body);
}
END_TEST

/* --- determinism ----------------------------------------------------------- */

START_TEST(identical_posts_give_identical_bodies_and_etags) {
  json_t *ref = reference_profile("GM0050");
  json_t *body =
      json_pack("{s:s, s:O}", "gemeente", "GM0050", "leden", json_object_get(ref, "leden"));
  struct it_response a, b;
  analyse_ok(body, &a);
  analyse_ok(body, &b);
  ck_assert_uint_eq(a.body_len, b.body_len);
  ck_assert(memcmp(a.body, b.body, a.body_len) == 0);
  ck_assert_str_eq(it_header(&a, "ETag"), it_header(&b, "ETag"));

  /* The order of members, of a member's roles and competencies does not
   * matter either. */
  json_t *reversed = json_array();
  json_t *leden = json_object_get(ref, "leden");
  for (size_t i = json_array_size(leden); i-- > 0;) {
    json_t *m = json_deep_copy(json_array_get(leden, i));
    for (int k = 0; k < 2; k++) {
      const char *key = k == 0 ? "rollen" : "competenties";
      json_t *list = json_object_get(m, key), *rev = json_array();
      for (size_t j = json_array_size(list); j-- > 0;) {
        json_array_append(rev, json_array_get(list, j));
      }
      json_object_set_new(m, key, rev);
    }
    json_array_append_new(reversed, m);
  }
  json_t *body2 = json_pack("{s:s, s:o}", "gemeente", "GM0050", "leden", reversed);
  struct it_response c;
  analyse_ok(body2, &c);
  ck_assert_msg(c.body_len == a.body_len && memcmp(c.body, a.body, a.body_len) == 0,
                "the order of members changed the analysis:\n%s\n%s", a.body, c.body);
  it_response_free(&a);
  it_response_free(&b);
  it_response_free(&c);
  json_decref(body2);
  json_decref(body);
  json_decref(ref);
}
END_TEST

/* A body in its plainest form (numbers in their shortest digits, no escapes:
 * read straight into the analysis) and in forms that go the general way
 * (17 significant digits, a label with an escape, an exponent) give the
 * same answer, byte for byte, for a municipality and for a what-if. */
START_TEST(plain_and_general_bodies_give_the_same_answer) {
  json_t *ref = reference_profile("GM0050");
  json_t *leden = json_object_get(ref, "leden");
  ck_assert_uint_gt(json_array_size(leden), 1);
  for (int what_if = 0; what_if < 2; what_if++) {
    json_t *body = what_if ? json_pack("{s:i, s:O}", "inwoners", 45000, "leden", leden)
                           : json_pack("{s:s, s:O}", "gemeente", "GM0050", "leden", leden);
    char *forms[3];
    forms[0] = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
    forms[1] = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_t *escaped = json_deep_copy(body);
    json_t *first = json_array_get(json_object_get(escaped, "leden"), 0);
    char label[256];
    snprintf(label, sizeof(label), "%s \xc3\xa9", it_str(first, "label"));
    json_object_set_new(first, "label", json_string(label));
    /* é written as an escape */
    forms[2] = json_dumps(escaped, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15));
    json_decref(escaped);
    ck_assert_ptr_nonnull(strstr(forms[2], "\\u00E9"));
    struct it_response want;
    call("POST", "/api/v1/gap-analyses", NULL, NULL, forms[0], &want);
    ck_assert_msg(want.status == 200, "%ld: %s", want.status, want.body);
    for (int f = 1; f < 3; f++) {
      struct it_response got;
      call("POST", "/api/v1/gap-analyses", NULL, NULL, forms[f], &got);
      ck_assert_msg(got.status == 200, "%ld: %s", got.status, got.body);
      ck_assert_msg(got.body_len == want.body_len && memcmp(got.body, want.body, want.body_len) == 0,
                    "form %d answered differently:\n%s\n%s", f, want.body, got.body);
      ck_assert_str_eq(it_header(&got, "ETag"), it_header(&want, "ETag"));
      it_response_free(&got);
    }
    it_response_free(&want);
    for (int f = 0; f < 3; f++) free(forms[f]);
    json_decref(body);
  }
  json_decref(ref);
}
END_TEST

/* --- what-if by number of inhabitants -------------------------------------- */

/* Every band and verwachtFte of `b2` (at N2) is that of `b1` (at N1) times
 * (N2/N1)^b, b the fit's (rounded) elasticity, within the rounding of the
 * numbers involved. */
static void assert_scaled(const json_t *a1, const json_t *a2, double n1, double n2) {
  const json_t *fit1 = json_object_get(a1, "fit"), *fit2 = json_object_get(a2, "fit");
  ck_assert_msg(json_equal(fit1, fit2), "the fit depends on the inhabitants");
  double b = it_num(fit1, "b");
  double k = pow(n2 / n1, b);
  double lnr = fabs(log(n2 / n1));
  json_t *r1 = json_object_get(a1, "rollen"), *r2 = json_object_get(a2, "rollen");
  ck_assert_uint_eq(json_array_size(r1), json_array_size(r2));
  int checked = 0;
  for (size_t i = 0; i < json_array_size(r1); i++) {
    const json_t *x = json_array_get(r1, i), *y = json_array_get(r2, i);
    ck_assert_str_eq(it_str(x, "rol"), it_str(y, "rol"));
    ck_assert_double_eq(it_num(x, "aanwezigheid"), it_num(y, "aanwezigheid"));
    ck_assert_double_eq(it_num(x, "fte"), it_num(y, "fte"));
    const char *keys[] = {"p25", "mediaan", "p75"};
    for (size_t j = 0; j < 3; j++) {
      double v1 = it_num(json_object_get(x, "verwacht"), keys[j]);
      double v2 = it_num(json_object_get(y, "verwacht"), keys[j]);
      /* v1 and v2 are rounded to 4 decimals (±0.00005), b too. */
      double tol = 0.00005 * (1 + k) + v1 * k * lnr * 0.00005 + 1e-9;
      ck_assert_msg(fabs(v2 - v1 * k) <= tol, "%s %s: %g at %g, %g at %g; expected %g (b %g)",
                    it_str(x, "rol"), keys[j], v1, n1, v2, n2, v1 * k, b);
      checked += v1 > 0;
    }
  }
  ck_assert_int_gt(checked, 20);
  double e1 = it_num(json_object_get(a1, "samenvatting"), "verwachtFte");
  double e2 = it_num(json_object_get(a2, "samenvatting"), "verwachtFte");
  double tol = 0.00005 * (1 + k) + e1 * k * lnr * 0.00005 + 1e-9;
  ck_assert_msg(fabs(e2 - e1 * k) <= tol, "verwachtFte %g at %g, %g at %g", e1, n1, e2, n2);
}

START_TEST(what_if_inwoners_scales_the_band_by_the_fit) {
  /* Zeewolde's team at the size of Oisterwijk (GM0824, not a reference
   * municipality, so the what-if and the named analysis use the same seven). */
  json_t *ref = reference_profile("GM0050");
  long n1 = inwoners_of("GM0824");
  json_t *leden = json_object_get(ref, "leden");
  json_t *by_code = json_pack("{s:s, s:O}", "gemeente", "GM0824", "leden", leden);
  json_t *same = json_pack("{s:I, s:O}", "inwoners", (json_int_t)n1, "leden", leden);
  json_t *twice = json_pack("{s:I, s:O}", "inwoners", (json_int_t)(2 * n1), "leden", leden);
  json_t *third = json_pack("{s:I, s:O}", "inwoners", (json_int_t)(n1 / 3), "leden", leden);
  struct it_response g, a1, a2, a3;
  analyse_ok(by_code, &g);
  analyse_ok(same, &a1);
  analyse_ok(twice, &a2);
  analyse_ok(third, &a3);
  /* The same number of inhabitants as GM0824: the same analysis, only
   * without a municipality. */
  ck_assert(json_is_null(json_object_get(a1.json, "gemeente")));
  ck_assert_int_eq(json_integer_value(json_object_get(a1.json, "inwoners")), n1);
  ck_assert_int_eq(json_integer_value(json_object_get(a2.json, "inwoners")), 2 * n1);
  json_t *copy = json_deep_copy(a1.json);
  json_object_set_new(copy, "gemeente", json_string("GM0824"));
  ck_assert_msg(json_equal(copy, g.json), "what-if at GM0824's size differs from GM0824:\n%s\n%s",
                a1.body, g.body);
  json_decref(copy);
  assert_scaled(a1.json, a2.json, (double)n1, (double)(2 * n1));
  assert_scaled(a1.json, a3.json, (double)n1, (double)(n1 / 3));
  assert_statuses_follow_the_band(a2.json);
  assert_statuses_follow_the_band(a3.json);
  /* verwachtFte is exp(a)·N^b, capaciteit totaalFte / verwachtFte. */
  const json_t *fit = json_object_get(a2.json, "fit");
  double expect = exp(it_num(fit, "a")) * pow(2.0 * (double)n1, it_num(fit, "b"));
  const json_t *sum = json_object_get(a2.json, "samenvatting");
  ck_assert_double_eq_tol(it_num(sum, "verwachtFte") / expect, 1.0, 1e-3);
  ck_assert_double_eq_tol(it_num(sum, "capaciteit"),
                          it_num(sum, "totaalFte") / it_num(sum, "verwachtFte"), 2e-4);
  it_response_free(&g);
  it_response_free(&a1);
  it_response_free(&a2);
  it_response_free(&a3);
  json_decref(by_code);
  json_decref(same);
  json_decref(twice);
  json_decref(third);
  json_decref(ref);
}
END_TEST

START_TEST(municipality_larger_than_every_reference) {
  json_t *ref = reference_profile("GM0050");
  long n1 = inwoners_of("GM0050");
  /* The largest reference (Utrecht) is far below a million. */
  struct it_response r;
  get_ok("/api/v1/gemeenten?referentie=true&pageSize=100", NULL, NULL, &r);
  size_t i;
  json_t *g;
  json_array_foreach(json_object_get(r.json, "results"), i, g) {
    ck_assert_int_lt(json_integer_value(json_object_get(g, "inwoners")), 1000000);
  }
  it_response_free(&r);

  json_t *leden = json_object_get(ref, "leden");
  json_t *base = json_pack("{s:I, s:O}", "inwoners", (json_int_t)n1, "leden", leden);
  json_t *big = json_pack("{s:i, s:O}", "inwoners", 1000000, "leden", leden);
  json_t *huge = json_pack("{s:i, s:O}", "inwoners", 100000000, "leden", leden);
  json_t *tiny = json_pack("{s:i, s:O}", "inwoners", 1, "leden", leden);
  struct it_response a0, a1, a2, a3;
  analyse_ok(base, &a0);
  analyse_ok(big, &a1);
  analyse_ok(huge, &a2);
  analyse_ok(tiny, &a3);
  assert_scaled(a0.json, a1.json, (double)n1, 1e6);
  assert_statuses_follow_the_band(a1.json);
  assert_statuses_follow_the_band(a2.json);
  assert_statuses_follow_the_band(a3.json);
  const json_t *sum = json_object_get(a1.json, "samenvatting");
  const json_t *fit = json_object_get(a1.json, "fit");
  double expect = exp(it_num(fit, "a")) * pow(1e6, it_num(fit, "b"));
  ck_assert_double_eq_tol(it_num(sum, "verwachtFte") / expect, 1.0, 2e-3);
  ck_assert_msg(it_num(sum, "capaciteit") < 0.2, "a team of 2.7 fte for a million: capaciteit %g",
                it_num(sum, "capaciteit"));
  /* Every fielded role is understaffed at a million inhabitants. */
  json_t *row;
  json_array_foreach(json_object_get(a1.json, "rollen"), i, row) {
    if (it_num(row, "fte") > 0) ck_assert_str_eq(it_str(row, "status"), "onderbezet");
  }
  /* At a hundred million the numbers stay finite; a single inhabitant
   * makes every fielded role ample. */
  ck_assert(isfinite(it_num(json_object_get(a2.json, "samenvatting"), "verwachtFte")));
  json_array_foreach(json_object_get(a3.json, "rollen"), i, row) {
    if (it_num(row, "fte") > 0) ck_assert_str_eq(it_str(row, "status"), "ruim");
  }
  it_response_free(&a0);
  it_response_free(&a1);
  it_response_free(&a2);
  it_response_free(&a3);
  /* One more is out of range. */
  json_object_set_new(huge, "inwoners", json_integer(100000001));
  post_analysis(huge, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert(it_invalid_has(&r, "inwoners", "out-of-range"));
  it_response_free(&r);
  json_decref(base);
  json_decref(big);
  json_decref(huge);
  json_decref(tiny);
  json_decref(ref);
}
END_TEST

/* --- a team with no members ------------------------------------------------ */

START_TEST(team_without_members) {
  json_t *body = team("GM0820", "2020-01-01", json_array());
  struct it_response r;
  analyse_ok(body, &r);
  const json_t *sum = json_object_get(r.json, "samenvatting");
  ck_assert_double_eq(it_num(sum, "totaalFte"), 0);
  ck_assert_double_eq(it_num(sum, "capaciteit"), 0);
  ck_assert_double_eq(it_num(sum, "dekking"), 0);
  ck_assert_double_gt(it_num(sum, "verwachtFte"), 0);
  ck_assert_int_eq(json_array_size(json_object_get(r.json, "competentieTekorten")), 0);
  assert_statuses_follow_the_band(r.json);

  /* Missing core roles first, then missing roles by aanwezigheid x mediaan
   * (descending, rounded to 4 decimals, ties in catalogue order); nothing
   * else. */
  json_t *roles = catalogue_roles();
  json_t *rows = json_object_get(r.json, "rollen");
  json_t *kern = json_array(), *rest = json_array();
  for (size_t i = 0; i < json_array_size(roles); i++) {
    const json_t *role = json_array_get(roles, i), *row = json_array_get(rows, i);
    ck_assert_double_eq(it_num(row, "fte"), 0);
    if (strcmp(it_str(row, "status"), "ontbreekt") != 0) continue;
    json_array_append(json_is_true(json_object_get(role, "kernrol")) ? kern : rest, (json_t *)row);
  }
  ck_assert_int_ge(json_array_size(kern), 2); /* verbinder, communitymanager */
  const json_t *missing = json_object_get(sum, "ontbrekendeKernrollen");
  ck_assert_uint_eq(json_array_size(missing), json_array_size(kern));
  json_t *advies = json_object_get(r.json, "advies");
  ck_assert_uint_eq(json_array_size(advies), json_array_size(kern) + json_array_size(rest));
  size_t k = 0;
  for (size_t i = 0; i < json_array_size(kern); i++, k++) {
    const json_t *a = json_array_get(advies, k);
    ck_assert_str_eq(it_str(a, "soort"), "kernrol-ontbreekt");
    ck_assert_str_eq(it_str(a, "rol"), it_str(json_array_get(kern, i), "rol"));
    ck_assert_str_eq(json_string_value(json_array_get(missing, i)), it_str(a, "rol"));
    ck_assert_int_gt(json_array_size(json_object_get(a, "referentiegemeenten")), 0);
  }
  double prev = INFINITY;
  for (; k < json_array_size(advies); k++) {
    const json_t *a = json_array_get(advies, k);
    ck_assert_str_eq(it_str(a, "soort"), "rol-ontbreekt");
    int pos = -1;
    for (size_t i = 0; i < json_array_size(rows); i++) {
      if (strcmp(it_str(json_array_get(rows, i), "rol"), it_str(a, "rol")) == 0) pos = (int)i;
    }
    ck_assert_int_ge(pos, 0);
    const json_t *row = json_array_get(rows, (size_t)pos);
    double key =
        round4(it_num(row, "aanwezigheid") * it_num(json_object_get(row, "verwacht"), "mediaan"));
    /* Computed here from rounded figures: allow their rounding. */
    ck_assert_msg(key < prev + 2e-4, "advice on %s out of order", it_str(a, "rol"));
    prev = key;
  }
  it_response_free(&r);

  /* Stored (an old date, so GM0820's latest profile stays another): the
   * same analysis, and a chart that is well-formed. */
  struct profile p;
  create(body, &p);
  assert_stored_equals_anonymous(p.path, &clients[R], body);
  char svg[400];
  snprintf(svg, sizeof(svg), "%s/leeg.svg", scratch);
  get_chart(p.path, &clients[R], svg, &r);
  it_response_free(&r);
  json_decref(kern);
  json_decref(rest);
  json_decref(roles);
  json_decref(body);
}
END_TEST

int main(void) {
  Suite *s = suite_create("gap-analyse");
  TCase *tc = it_case("gap-analyse", 60, setup, teardown);
  tcase_add_test(tc, stored_reference_profile_analysis_equals_the_anonymous_one);
  tcase_add_test(tc, stored_own_profile_analysis_equals_the_anonymous_one);
  tcase_add_test(tc, stored_profile_keeps_every_digit_of_its_numbers);
  tcase_add_test(tc, identical_posts_give_identical_bodies_and_etags);
  tcase_add_test(tc, plain_and_general_bodies_give_the_same_answer);
  tcase_add_test(tc, what_if_inwoners_scales_the_band_by_the_fit);
  tcase_add_test(tc, municipality_larger_than_every_reference);
  tcase_add_test(tc, team_without_members);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
