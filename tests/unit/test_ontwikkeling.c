/* A municipality's development (ontwikkeling.h): each profile's summary
 * and role rows are those of its own gap analysis, the differences are
 * those of the figures shown, the CSV has a row per profile and role, and
 * the chart is well-formed SVG (xmllint) with a column per profile. No
 * database. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "teamplotter/gap.h"
#include "teamplotter/ontwikkeling.h"
#include "teamplotter/render.h"
#include "gap_fixtures.h"
#include "json_text.h"
#include "svg_check.h"

#define GEMEENTE "{'code':'GM0999','naam':'Proefdorp','inwoners':40000}"

/* Three profiles of GM0999:
 *   P1 2024-01-01: verbinder .42, webredacteur .5, pdc .3 (TEAM_LEDEN also
 *                  webanalist .05, toegankelijkheid .1): 1.37 fte
 *   P2 2025-01-01: verbinder .5, communitymanager .3, webredacteur .5: 1.3 fte
 *   P3 2025-06-01: verbinder .5, communitymanager .3, webredacteur .8: 1.6 fte */
#define P1 "{'uuid':'11111111-0000-4000-8000-000000000001','gemeente':'GM0999'," \
           "'peildatum':'2024-01-01','herkomst':'opgave','referentie':false,'leden':" TEAM_LEDEN "}"
#define P2_LEDEN                                                                            \
  "[{'label':'a','fte':0.8,'rollen':[{'rol':'verbinder','aandeel':0.5},"                    \
  "{'rol':'communitymanager','aandeel':0.3}],'competenties':[]},"                           \
  "{'label':'b','fte':0.5,'rollen':[{'rol':'webredacteur','aandeel':0.5}],'competenties':[]}]"
#define P3_LEDEN                                                                            \
  "[{'label':'a','fte':0.8,'rollen':[{'rol':'verbinder','aandeel':0.5},"                    \
  "{'rol':'communitymanager','aandeel':0.3}],'competenties':[]},"                           \
  "{'label':'b','fte':0.8,'rollen':[{'rol':'webredacteur','aandeel':0.8}],'competenties':[]}]"
#define P2 "{'uuid':'11111111-0000-4000-8000-000000000002','gemeente':'GM0999'," \
           "'peildatum':'2025-01-01','herkomst':'opgave','referentie':false,'leden':" P2_LEDEN "}"
#define P3 "{'uuid':'11111111-0000-4000-8000-000000000003','gemeente':'GM0999'," \
           "'peildatum':'2025-06-01','herkomst':'opgave','referentie':false,'leden':" P3_LEDEN "}"

static json_t *rollen_doc, *refs_doc;
static struct tp_gap_model *model;

static void setup(void) {
  rollen_doc = J(CATALOGUS);
  refs_doc = J("[" REF_A "," REF_B "," REF_C "]");
  model = tp_gap_model_new(rollen_doc, refs_doc);
  ck_assert_ptr_nonnull(model);
}

static void teardown(void) {
  tp_gap_model_free(model);
  json_decref(rollen_doc);
  json_decref(refs_doc);
}

/* The profiles in `list` (documents as the API shows them) as the
 * repository gives them; free with free_points. */
static struct tp_ontwikkeling_punt *points_of(const json_t *list, size_t *n) {
  *n = json_array_size(list);
  struct tp_ontwikkeling_punt *punten = calloc(*n ? *n : 1, sizeof(*punten));
  ck_assert_ptr_nonnull(punten);
  for (size_t i = 0; i < *n; i++) {
    const json_t *p = json_array_get(list, i);
    punten[i].teamprofiel = json_string_value(json_object_get(p, "uuid"));
    punten[i].peildatum = json_string_value(json_object_get(p, "peildatum"));
    punten[i].herkomst = json_string_value(json_object_get(p, "herkomst"));
    punten[i].referentie = json_is_true(json_object_get(p, "referentie"));
    ck_assert_int_eq(tp_gap_team_from_json(p, &punten[i].team), 0);
  }
  return punten;
}

static void free_points(struct tp_ontwikkeling_punt *punten, size_t n) {
  for (size_t i = 0; i < n; i++) tp_gap_team_free(&punten[i].team);
  free(punten);
}

/* The document of the profiles in `list`, read back from its text. */
static json_t *develop(const json_t *gemeente, const json_t *list, int afgekapt,
                       const json_t *versies) {
  size_t n, len = 0;
  struct tp_ontwikkeling_punt *punten = points_of(list, &n);
  char *text = tp_ontwikkeling_json(model, gemeente, punten, n, afgekapt, versies, &len);
  json_t *doc = text != NULL ? json_loadb(text, len, 0, NULL) : NULL;
  free(text);
  free_points(punten, n);
  return doc;
}

static json_t *development(const char *profielen, int afgekapt) {
  json_t *gemeente = J(GEMEENTE), *list = J(profielen), *versies = J("{'catalogusVersie':'t.1'}");
  json_t *doc = develop(gemeente, list, afgekapt, versies);
  ck_assert_ptr_nonnull(doc);
  json_decref(gemeente);
  json_decref(list);
  json_decref(versies);
  return doc;
}

/* The gap analysis of profile `p` as GET .../gap-analyse computes it. */
static json_t *analysis_of(const char *p) {
  json_t *profile = J(p), *gemeente = J(GEMEENTE);
  json_t *team = json_pack("{sOsOsO}", "gemeente", json_object_get(profile, "gemeente"),
                           "inwoners", json_object_get(gemeente, "inwoners"), "leden",
                           json_object_get(profile, "leden"));
  json_t *a = tp_gap_analyse(rollen_doc, team, refs_doc);
  ck_assert_ptr_nonnull(a);
  json_decref(team);
  json_decref(gemeente);
  json_decref(profile);
  return a;
}

static const json_t *profile_at(const json_t *doc, size_t i) {
  return json_array_get(json_object_get(doc, "profielen"), i);
}

START_TEST(each_profile_shows_its_own_analysis) {
  json_t *doc = development("[" P1 "," P2 "," P3 "]", 0);
  const char *src[] = {P1, P2, P3};
  ck_assert_uint_eq(json_array_size(json_object_get(doc, "profielen")), 3);
  for (size_t i = 0; i < 3; i++) {
    json_t *a = analysis_of(src[i]);
    const json_t *p = profile_at(doc, i);
    ck_assert_msg(json_equal(json_object_get(p, "samenvatting"), json_object_get(a, "samenvatting")),
                  "profile %zu: the summary differs from its analysis'", i);
    const json_t *rows = json_object_get(p, "rollen"), *want = json_object_get(a, "rollen");
    ck_assert_uint_eq(json_array_size(rows), json_array_size(want));
    for (size_t r = 0; r < json_array_size(want); r++) {
      const json_t *x = json_array_get(rows, r), *y = json_array_get(want, r);
      ck_assert_str_eq(str(x, "rol"), str(y, "rol"));
      ck_assert_double_eq(num(x, "fte"), num(y, "fte"));
      ck_assert_str_eq(str(x, "status"), str(y, "status"));
    }
    json_decref(a);
  }
  ck_assert_str_eq(str(profile_at(doc, 1), "peildatum"), "2025-01-01");
  ck_assert_str_eq(str(profile_at(doc, 2), "teamprofiel"), "11111111-0000-4000-8000-000000000003");
  json_decref(doc);
}
END_TEST

/* The references' totals 1, 2.5 and 4 at 10 000, 40 000 and 160 000
 * inhabitants, scaled with b = 0.5 to 40 000: 2, 2.5 and 2. */
START_TEST(the_expected_total_is_the_scaled_references) {
  json_t *doc = development("[" P2 "]", 0);
  const json_t *band = json_object_get(profile_at(doc, 0), "verwachtTotaal");
  ck_assert_double_eq_tol(num(band, "p25"), 2.0, TOL);
  ck_assert_double_eq_tol(num(band, "mediaan"), 2.0, TOL);
  ck_assert_double_eq_tol(num(band, "p75"), 2.25, TOL);
  json_decref(doc);
}
END_TEST

static int has(const json_t *arr, const char *s) {
  size_t i;
  const json_t *v;
  json_array_foreach(arr, i, v) {
    if (strcmp(json_string_value(v), s) == 0) return 1;
  }
  return 0;
}

START_TEST(differences_are_those_of_the_profiles) {
  json_t *doc = development("[" P1 "," P2 "," P3 "]", 0);
  ck_assert(json_is_null(json_object_get(profile_at(doc, 0), "verschil")));
  const json_t *d = json_object_get(profile_at(doc, 1), "verschil");
  ck_assert_str_eq(str(d, "vorigTeamprofiel"), "11111111-0000-4000-8000-000000000001");
  ck_assert_str_eq(str(d, "vorigePeildatum"), "2024-01-01");
  /* 1.3 - 1.37 */
  ck_assert_double_eq_tol(num(d, "totaalFte"), -0.07, TOL);
  /* By role, catalogue order: verbinder +.08, communitymanager +.3,
   * webanalist -.05, pdc -.3, toegankelijkheid -.1 (webredacteur stays .5). */
  const char *rol[] = {"verbinder", "communitymanager", "webanalist", "pdc", "toegankelijkheid"};
  const double fte[] = {0.08, 0.3, -0.05, -0.3, -0.1};
  const json_t *rollen = json_object_get(d, "rollen");
  ck_assert_uint_eq(json_array_size(rollen), 5);
  for (size_t k = 0; k < 5; k++) {
    ck_assert_str_eq(str(json_array_get(rollen, k), "rol"), rol[k]);
    ck_assert_double_eq_tol(num(json_array_get(rollen, k), "fte"), fte[k], TOL);
  }
  ck_assert_uint_eq(json_array_size(json_object_get(d, "nieuweRollen")), 1);
  ck_assert(has(json_object_get(d, "nieuweRollen"), "communitymanager"));
  ck_assert_uint_eq(json_array_size(json_object_get(d, "verdwenenRollen")), 3);
  ck_assert(has(json_object_get(d, "verdwenenRollen"), "webanalist"));
  ck_assert(has(json_object_get(d, "verdwenenRollen"), "pdc"));
  ck_assert(has(json_object_get(d, "verdwenenRollen"), "toegankelijkheid"));
  /* Coverage and statuses against the two analyses. */
  json_t *a1 = analysis_of(P1), *a2 = analysis_of(P2);
  double dek = round(1e4 * (num(json_object_get(a2, "samenvatting"), "dekking") -
                            num(json_object_get(a1, "samenvatting"), "dekking"))) / 1e4;
  ck_assert_double_eq_tol(num(d, "dekking"), dek, TOL);
  size_t changed = 0;
  for (size_t r = 0; r < json_array_size(json_object_get(a1, "rollen")); r++) {
    const json_t *x = json_array_get(json_object_get(a1, "rollen"), r);
    const json_t *y = json_array_get(json_object_get(a2, "rollen"), r);
    if (strcmp(str(x, "status"), str(y, "status")) == 0) continue;
    const json_t *w = json_array_get(json_object_get(d, "statusWijzigingen"), changed++);
    ck_assert_str_eq(str(w, "rol"), str(x, "rol"));
    ck_assert_str_eq(str(w, "van"), str(x, "status"));
    ck_assert_str_eq(str(w, "naar"), str(y, "status"));
  }
  ck_assert_uint_gt(changed, 0);
  ck_assert_uint_eq(json_array_size(json_object_get(d, "statusWijzigingen")), changed);
  /* P3 against P2: only webredacteur, +.3. */
  d = json_object_get(profile_at(doc, 2), "verschil");
  ck_assert_double_eq_tol(num(d, "totaalFte"), 0.3, TOL);
  ck_assert_uint_eq(json_array_size(json_object_get(d, "rollen")), 1);
  ck_assert_str_eq(str(json_array_get(json_object_get(d, "rollen"), 0), "rol"), "webredacteur");
  ck_assert_uint_eq(json_array_size(json_object_get(d, "nieuweRollen")), 0);
  ck_assert_uint_eq(json_array_size(json_object_get(d, "verdwenenRollen")), 0);
  json_decref(a1);
  json_decref(a2);
  json_decref(doc);
}
END_TEST

START_TEST(the_document_without_profiles_and_its_versions) {
  json_t *doc = development("[]", 1);
  ck_assert_uint_eq(json_array_size(json_object_get(doc, "profielen")), 0);
  char *kern = dump(json_object_get(doc, "kernrollen"));
  ck_assert_str_eq(kern, "[\"verbinder\",\"communitymanager\"]");
  free(kern);
  ck_assert(json_is_true(json_object_get(doc, "afgekapt")));
  ck_assert_str_eq(str(doc, "gemeente"), "GM0999");
  ck_assert_str_eq(str(doc, "naam"), "Proefdorp");
  /* The versions close the document, in the order given. */
  json_t *gemeente = J(GEMEENTE), *none = J("[]");
  json_t *versies = J("{'catalogusVersie':'t.1','referentieVersie':7}");
  json_t *more = develop(gemeente, none, 0, versies);
  const char *keys[9];
  size_t n = 0;
  const char *key;
  json_t *value;
  json_object_foreach(more, key, value) {
    if (n < 9) keys[n++] = key;
  }
  ck_assert_uint_eq(n, 9);
  ck_assert_str_eq(keys[5], "profielen");
  ck_assert_str_eq(keys[6], "methodeVersie");
  ck_assert_str_eq(keys[7], "catalogusVersie");
  ck_assert_str_eq(keys[8], "referentieVersie");
  json_decref(more);
  json_decref(versies);
  json_decref(none);
  json_decref(gemeente);
  json_decref(doc);
}
END_TEST

/* The text the JSON answer sends is the document as every JSON answer is
 * rendered: reading it back and rendering it again gives the same bytes
 * (key order, reals in their shortest exact form, nulls, escapes), for
 * several profiles with differences, none, a municipality without a
 * number of inhabitants, and a reference profile without herkomst. */
START_TEST(the_json_text_is_the_rendered_document) {
  const char *cases[][2] = {
      {"[" P1 "," P2 "," P3 "]", GEMEENTE},
      {"[]", GEMEENTE},
      {"[" P3 "]", "{'code':'GM0999','naam':'Proef \\\"dorp\\\"','inwoners':null}"},
      {"[{'uuid':'11111111-0000-4000-8000-000000000009','peildatum':'2020-02-29','referentie':true,"
       "'leden':[]}]",
       "{'code':'GM0999','naam':'Proefdorp','inwoners':12345.678}"},
  };
  for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
    json_t *gemeente = J(cases[c][1]), *list = J(cases[c][0]);
    json_t *versies = J("{'catalogusVersie':'t.1','referentieVersie':null,'peiling':'p-1'}");
    size_t n, len = 0;
    struct tp_ontwikkeling_punt *punten = points_of(list, &n);
    char *text = tp_ontwikkeling_json(model, gemeente, punten, n, 0, versies, &len);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(strlen(text), len);
    json_t *doc = json_loadb(text, len, 0, NULL);
    ck_assert_msg(doc != NULL, "case %zu is not JSON: %s", c, text);
    char *again = tp_json_render(doc);
    ck_assert_str_eq(again, text);
    free(again);
    json_decref(doc);
    free(text);
    free_points(punten, n);
    json_decref(versies);
    json_decref(list);
    json_decref(gemeente);
  }
}
END_TEST

START_TEST(csv_has_a_row_per_profile_and_role) {
  json_t *doc = development("[" P1 "," P2 "]", 0);
  size_t len = 0;
  char *csv = tp_ontwikkeling_csv(doc, &len);
  ck_assert_ptr_nonnull(csv);
  ck_assert_uint_eq(len, strlen(csv));
  size_t lines = 0;
  for (char *p = csv; (p = strstr(p, "\r\n")) != NULL; p += 2) lines++;
  ck_assert_uint_eq(lines, 1 + 2 * 9);
  static const char header[] =
      "peildatum,teamprofiel,rol,kernrol,fte,status,verschilFte,vorigeStatus\r\n";
  ck_assert(strncmp(csv, header, sizeof(header) - 1) == 0);
  ck_assert_ptr_nonnull(strstr(
      csv, "\r\n2024-01-01,11111111-0000-4000-8000-000000000001,verbinder,true,0.42,"));
  /* The first profile's rows end without a difference. */
  char *row = strstr(csv, "\r\n2024-01-01,11111111-0000-4000-8000-000000000001,pdc,false,0.3,");
  ck_assert_ptr_nonnull(row);
  char *end = strstr(row + 2, "\r\n");
  ck_assert(end[-1] == ',' && end[-2] == ',');
  /* pdc: two of the three references field it, so without fte it is missing. */
  ck_assert_ptr_nonnull(strstr(
      csv, "\r\n2025-01-01,11111111-0000-4000-8000-000000000002,pdc,false,0,ontbreekt,-0.3,"));
  ck_assert_ptr_nonnull(strstr(
      csv, "\r\n2025-01-01,11111111-0000-4000-8000-000000000002,webredacteur,false,0.5,"));
  free(csv);
  json_decref(doc);
}
END_TEST

START_TEST(chart_is_valid_svg_with_a_column_per_profile) {
  json_t *doc = development("[" P1 "," P2 "," P3 "]", 0);
  /* A name that needs escaping. */
  json_object_set_new(doc, "naam", json_string("<Dorp & \"Stad\"> 's-Gravenhage"));
  char *svg = tp_ontwikkeling_svg(doc);
  ck_assert_ptr_nonnull(svg);
  ck_assert_int_eq(xmllint(svg), 0);
  ck_assert_ptr_nonnull(strstr(svg, "width=\"800\""));
  ck_assert_ptr_nonnull(strstr(svg, "version=\"1.1\""));
  ck_assert_ptr_nonnull(strstr(svg, "&lt;Dorp &amp; &quot;Stad&quot;&gt; &apos;s-Gravenhage (GM0999)"));
  ck_assert_uint_eq(count(svg, "<g class=\"peildatum\">"), 3);
  ck_assert_ptr_nonnull(strstr(svg, ">2025-06-01</text>"));
  /* P1 and P2 lack a core role, P3 fields both: 1/2, 2/2 and 2/2. */
  ck_assert_uint_eq(count(svg, ">2/2</text>"), 2);
  ck_assert_uint_eq(count(svg, ">1/2</text>"), 1);
  ck_assert_uint_eq(count(svg, "fill=\"#2166ac\""), 1 + 3); /* the legend and three bars */
  free(svg);
  json_decref(doc);
}
END_TEST

START_TEST(chart_of_none_and_of_many) {
  json_t *doc = development("[]", 0);
  char *svg = tp_ontwikkeling_svg(doc);
  ck_assert_ptr_nonnull(svg);
  ck_assert_int_eq(xmllint(svg), 0);
  ck_assert_ptr_nonnull(strstr(svg, "Geen teamprofielen"));
  free(svg);
  json_decref(doc);
  /* 500 profiles: every column, and dates under at most ten of them. */
  json_t *many = json_array(), *one = J(P2);
  for (int i = 0; i < TP_ONTWIKKELING_MAX; i++) json_array_append(many, one);
  json_t *gemeente = J(GEMEENTE);
  doc = develop(gemeente, many, 0, NULL);
  svg = tp_ontwikkeling_svg(doc);
  ck_assert_ptr_nonnull(svg);
  ck_assert_int_eq(xmllint(svg), 0);
  ck_assert_uint_eq(count(svg, "<g class=\"peildatum\">"), TP_ONTWIKKELING_MAX);
  size_t labels = count(svg, ">2025-01-01</text>");
  ck_assert_uint_ge(labels, 5);
  ck_assert_uint_le(labels, 10);
  free(svg);
  json_decref(doc);
  json_decref(gemeente);
  json_decref(one);
  json_decref(many);
}
END_TEST

int main(void) {
  Suite *s = suite_create("ontwikkeling");
  TCase *tc = tcase_create("ontwikkeling");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, each_profile_shows_its_own_analysis);
  tcase_add_test(tc, the_expected_total_is_the_scaled_references);
  tcase_add_test(tc, differences_are_those_of_the_profiles);
  tcase_add_test(tc, the_document_without_profiles_and_its_versions);
  tcase_add_test(tc, the_json_text_is_the_rendered_document);
  tcase_add_test(tc, csv_has_a_row_per_profile_and_role);
  tcase_add_test(tc, chart_is_valid_svg_with_a_column_per_profile);
  tcase_add_test(tc, chart_of_none_and_of_many);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
