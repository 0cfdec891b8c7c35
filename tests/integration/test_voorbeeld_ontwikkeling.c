/* The worked example of docs/methode.md, "Rekenvoorbeeld: ontwikkeling en
 * peilingen", reproduced number by number: Appingedam's two profiles, its
 * development, and two rounds and their comparison. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_peilingen.h"

static const char PROFIEL_2025[] =
    "{'gemeente':'GM0003','peildatum':'2025-01-01','leden':["
    "{'label':'Webredactie','fte':0.6,'rollen':[{'rol':'webredacteur','aandeel':0.6}],"
    "'competenties':[]}]}";
static const char PROFIEL_2026[] =
    "{'gemeente':'GM0003','peildatum':'2026-01-01','leden':["
    "{'label':'Webredactie','fte':0.8,'rollen':[{'rol':'webredacteur','aandeel':0.8}],"
    "'competenties':[]},"
    "{'label':'Online klantcontact','fte':0.5,'rollen':[{'rol':'verbinder','aandeel':0.3},"
    "{'rol':'communitymanager','aandeel':0.2}],'competenties':[]}]}";

static void post_profile(const char *body) {
  char *text = it_json_text(body);
  struct it_response r;
  call("POST", "/api/v1/teamprofielen", &clients[W], NULL, text, &r);
  ck_assert_msg(r.status == 201, "POST profile gave %ld: %s", r.status, r.body);
  it_response_free(&r);
  free(text);
}

static double num(const json_t *o, const char *key) {
  const json_t *v = json_object_get(o, key);
  ck_assert_msg(json_is_number(v), "%s is not a number", key);
  return json_number_value(v);
}

#define ASSERT_NUM(o, key, want) ck_assert_double_eq_tol(num((o), (key)), (want), 1e-9)

/* The codes in array `a` joined by spaces. */
static void codes(const json_t *a, char *out, size_t len) {
  size_t i, at = 0;
  const json_t *v;
  out[0] = '\0';
  json_array_foreach(a, i, v) {
    at += (size_t)snprintf(out + at, len - at, "%s%s", i ? " " : "", json_string_value(v));
  }
}

static const json_t *role(const json_t *profiel, const char *code) {
  size_t i;
  const json_t *r;
  json_array_foreach(json_object_get(profiel, "rollen"), i, r) {
    if (strcmp(it_str(r, "rol"), code) == 0) return r;
  }
  ck_abort_msg("no role %s", code);
  return NULL;
}

START_TEST(the_development_of_the_example) {
  post_profile(PROFIEL_2025);
  post_profile(PROFIEL_2026);
  char *text = get_text("/api/v1/gemeenten/GM0003/ontwikkeling?vanaf=2025-01-01&tot=2026-01-01",
                        &clients[B], 0);
  json_t *doc = it_json(text);
  ck_assert_int_eq((int)num(doc, "inwoners"), 11523);
  const json_t *list = json_object_get(doc, "profielen");
  ck_assert_uint_eq(json_array_size(list), 2);
  const json_t *a = json_array_get(list, 0), *b = json_array_get(list, 1);
  char buf[256];

  /* 2025-01-01 */
  const json_t *s = json_object_get(a, "samenvatting");
  ASSERT_NUM(s, "totaalFte", 0.6);
  ASSERT_NUM(s, "verwachtFte", 1.4244);
  ASSERT_NUM(s, "capaciteit", 0.4212);
  ASSERT_NUM(s, "dekking", 0.066);
  codes(json_object_get(s, "ontbrekendeKernrollen"), buf, sizeof(buf));
  ck_assert_str_eq(buf, "verbinder communitymanager");
  codes(json_object_get(s, "kwetsbareRollen"), buf, sizeof(buf));
  ck_assert_str_eq(buf, "webredacteur");
  const json_t *band = json_object_get(a, "verwachtTotaal");
  ASSERT_NUM(band, "p25", 1.3629);
  ASSERT_NUM(band, "mediaan", 1.4556);
  ASSERT_NUM(band, "p75", 1.5162);
  ck_assert_str_eq(it_str(role(a, "webredacteur"), "status"), "ruim");
  ck_assert_str_eq(it_str(role(a, "verbinder"), "status"), "ontbreekt");
  ck_assert(json_is_null(json_object_get(a, "verschil")));

  /* 2026-01-01 */
  s = json_object_get(b, "samenvatting");
  ASSERT_NUM(s, "totaalFte", 1.3);
  ASSERT_NUM(s, "verwachtFte", 1.4244);
  ASSERT_NUM(s, "capaciteit", 0.9126);
  ASSERT_NUM(s, "dekking", 0.1981);
  ck_assert_uint_eq(json_array_size(json_object_get(s, "ontbrekendeKernrollen")), 0);
  codes(json_object_get(s, "kwetsbareRollen"), buf, sizeof(buf));
  ck_assert_str_eq(buf, "verbinder webredacteur communitymanager");
  ck_assert(json_equal(json_object_get(b, "verwachtTotaal"), (json_t *)band));
  const json_t *d = json_object_get(b, "verschil");
  ck_assert_str_eq(it_str(d, "vorigePeildatum"), "2025-01-01");
  ASSERT_NUM(d, "totaalFte", 0.7);
  ASSERT_NUM(d, "dekking", 0.1321);
  size_t i;
  const json_t *x;
  const char *want_roles[] = {"verbinder", "webredacteur", "communitymanager"};
  const double want_fte[] = {0.3, 0.2, 0.2};
  ck_assert_uint_eq(json_array_size(json_object_get(d, "rollen")), 3);
  json_array_foreach(json_object_get(d, "rollen"), i, x) {
    ck_assert_str_eq(it_str(x, "rol"), want_roles[i]);
    ASSERT_NUM(x, "fte", want_fte[i]);
  }
  codes(json_object_get(d, "nieuweRollen"), buf, sizeof(buf));
  ck_assert_str_eq(buf, "verbinder communitymanager");
  ck_assert_uint_eq(json_array_size(json_object_get(d, "verdwenenRollen")), 0);
  ck_assert_uint_eq(json_array_size(json_object_get(d, "statusWijzigingen")), 2);
  json_array_foreach(json_object_get(d, "statusWijzigingen"), i, x) {
    ck_assert_str_eq(it_str(x, "van"), "ontbreekt");
    ck_assert_str_eq(it_str(x, "naar"), "ruim");
  }
  json_decref(doc);
  free(text);

  /* Two rounds: mid 2025 and today; Appingedam in both, compared. */
  char van[48], naar[48], path[192];
  round_name("vb-2025", van);
  round_name("vb-nu", naar);
  json_decref(make_round(van, "2025-06-30"));
  json_t *round = make_round(naar, today);
  snprintf(path, sizeof(path), "/api/v1/peilingen/%s/vergelijking?met=%s", naar, van);
  char *rows = all_results(path, &clients[B]);
  json_t *list2 = json_loads(rows, 0, NULL);
  ck_assert_ptr_nonnull(list2);
  const json_t *row = NULL;
  json_array_foreach(list2, i, x) {
    if (strcmp(it_str(x, "gemeente"), "GM0003") == 0) row = x;
  }
  ck_assert_ptr_nonnull(row);
  ck_assert_str_eq(it_str(row, "aanwezig"), "beide");
  ck_assert_int_eq((int)num(row, "grootteklasseVan"), 3);
  ck_assert_int_eq((int)num(row, "grootteklasseNaar"), 3);
  ASSERT_NUM(row, "ftePer10000Van", 0.5207);
  ASSERT_NUM(row, "ftePer10000Naar", 1.1282);
  ASSERT_NUM(row, "ftePer10000Verschil", 0.6075);
  ASSERT_NUM(row, "dekkingVan", 0.066);
  ASSERT_NUM(row, "dekkingNaar", 0.1981);
  ASSERT_NUM(row, "dekkingVerschil", 0.1321);
  codes(json_object_get(row, "ontbrekendeKernrollenVan"), buf, sizeof(buf));
  ck_assert_str_eq(buf, "verbinder communitymanager");
  ck_assert_uint_eq(json_array_size(json_object_get(row, "ontbrekendeKernrollenNaar")), 0);
  /* Class 3 has one municipality with a profile that is no reference:
   * its figures are suppressed (k = 5). */
  const json_t *k3 = json_array_get(
      json_object_get(json_object_get(round, "samenvatting"), "grootteklassen"), 2);
  ck_assert_int_eq((int)num(k3, "grootteklasse"), 3);
  ck_assert(json_is_true(json_object_get(k3, "onderdrukt")));
  ck_assert(json_is_null(json_object_get(k3, "ftePer10000Kwartielen")));
  json_decref(list2);
  free(rows);
  json_decref(round);
}
END_TEST

int main(void) {
  Suite *s = suite_create("voorbeeld_ontwikkeling");
  TCase *tc = it_case("voorbeeld_ontwikkeling", 120, setup, teardown);
  tcase_add_test(tc, the_development_of_the_example);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
