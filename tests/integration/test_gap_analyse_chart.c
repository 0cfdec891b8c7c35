/* The SVG chart of a gap analysis: well-formed XML (xmllint), safe with
 * awkward names, and rendered by headless Chromium into a PNG that is not
 * blank (tests/integration/chart_render.sh).
 *
 * TEAMPLOTTER_UPDATE_EXAMPLE=1 also writes docs/gap-analyse-voorbeeld.svg
 * and docs/gap-analyse-voorbeeld.png (the chart of Zeewolde's reference
 * profile) into the source tree. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_analyse.h"

/* --- the chart ------------------------------------------------------------- */

START_TEST(reference_chart_is_valid_svg_and_renders) {
  json_t *ref = reference_profile("GM0050");
  char profile_path[96];
  snprintf(profile_path, sizeof(profile_path), "/api/v1/teamprofielen/%s", it_str(ref, "uuid"));
  char svg[400], png[400];
  snprintf(svg, sizeof(svg), "%s/zeewolde.svg", scratch);
  snprintf(png, sizeof(png), "%s/zeewolde.png", scratch);
  struct it_response r, j;
  get_chart(profile_path, NULL, svg, &r);
  /* A standalone SVG 1.1 document, 800 wide, with a title naming the
   * municipality and the date. */
  char *root = it_xpath_string(svg, "local-name(/*)");
  ck_assert_str_eq(root, "svg");
  free(root);
  char *ns = it_xpath_string(svg, "namespace-uri(/*)");
  ck_assert_str_eq(ns, "http://www.w3.org/2000/svg");
  free(ns);
  char *width = it_xpath_string(svg, "string(/*/@width)");
  ck_assert_str_eq(width, "800");
  free(width);
  char *version = it_xpath_string(svg, "string(/*/@version)");
  ck_assert_str_eq(version, "1.1");
  free(version);
  char *title = it_xpath_string(svg, "string(/*/*[local-name()='title'])");
  ck_assert_msg(strstr(title, "Zeewolde (GM0050)") != NULL && strstr(title, "2019-01-01"),
                "title: %s", title);
  free(title);
  /* One row per catalogue role: every (short enough) role name is there. */
  json_t *roles = catalogue_roles();
  size_t i;
  json_t *role;
  json_array_foreach(roles, i, role) {
    const char *naam = it_str(role, "naam");
    if (strlen(naam) <= 44) {
      ck_assert_msg(strstr(r.body, naam) != NULL, "the chart lacks role %s", naam);
    }
  }
  json_decref(roles);
  /* Its own ETag, and 304 for it. */
  char path[160];
  snprintf(path, sizeof(path), "%s/gap-analyse", profile_path);
  get_ok(path, NULL, NULL, &j);
  ck_assert_str_ne(it_header(&r, "ETag"), it_header(&j, "ETag"));
  char inm[128];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", it_header(&r, "ETag"));
  const char *h[] = {"Accept: image/svg+xml", inm, NULL};
  struct it_response again;
  call("GET", path, NULL, h, NULL, &again);
  ck_assert_int_eq(again.status, 304);
  it_response_free(&again);
  it_response_free(&j);

  it_assert_renders(svg, png, NULL);

  /* TEAMPLOTTER_UPDATE_EXAMPLE=1: the example in docs/, rendered at the
   * chart's own height. */
  const char *update = getenv("TEAMPLOTTER_UPDATE_EXAMPLE");
  if (update != NULL && strcmp(update, "1") == 0) {
    char doc_svg[1200], doc_png[1200], size[32];
    snprintf(doc_svg, sizeof(doc_svg), "%s../../docs/gap-analyse-voorbeeld.svg", here);
    snprintf(doc_png, sizeof(doc_png), "%s../../docs/gap-analyse-voorbeeld.png", here);
    it_write_file(doc_svg, r.body, r.body_len);
    char *height = it_xpath_string(svg, "string(/*/@height)");
    snprintf(size, sizeof(size), "800x%s", height);
    free(height);
    it_assert_renders(doc_svg, doc_png, size);
  }
  it_response_free(&r);
  json_decref(ref);
}
END_TEST

START_TEST(awkward_names_keep_the_chart_valid) {
  /* Member labels with markup characters; municipality names with an
   * apostrophe and with non-ASCII letters. */
  struct {
    const char *gemeente, *label, *title;
  } cases[] = {
      {"GM0796", "<&> \"quoted\" 'apos' ]]> <!-- -->",
       "Gap-analyse online team: 's-Hertogenbosch (GM0796), peildatum 2026-03-01"},
      {"GM1900", "a&b<c>d &amp; &#0; \xc3\xa9\xe2\x82\xac",
       "Gap-analyse online team: S\xc3\xba"
       "dwest-Frysl\xc3\xa2n (GM1900), peildatum 2026-03-01"},
  };
  for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    json_t *body = small_team(cases[k].gemeente, "2026-03-01", cases[k].label);
    struct profile p;
    create(body, &p);
    /* The label went in as given. */
    struct it_response r;
    get_ok(p.path, &clients[W], NULL, &r);
    ck_assert_str_eq(it_str(json_array_get(json_object_get(r.json, "leden"), 0), "label"),
                     cases[k].label);
    it_response_free(&r);
    assert_stored_equals_anonymous(p.path, &clients[W], body);
    char svg[400], png[400];
    snprintf(svg, sizeof(svg), "%s/awkward-%zu.svg", scratch, k);
    snprintf(png, sizeof(png), "%s/awkward-%zu.png", scratch, k);
    get_chart(p.path, &clients[W], svg, &r);
    char *title = it_xpath_string(svg, "string(/*/*[local-name()='title'])");
    ck_assert_str_eq(title, cases[k].title);
    free(title);
    if (k == 0) it_assert_renders(svg, png, NULL);
    it_response_free(&r);
    json_decref(body);
  }
}
END_TEST

/* POST /api/v1/gap-analyses with Accept: image/svg+xml: the chart of an
 * anonymous team, the same bytes as the stored profile's chart for the
 * same team; a what-if team is titled by its inhabitants. */
START_TEST(anonymous_chart_equals_the_profiles) {
  json_t *ref = reference_profile("GM0050");
  char profile_path[96], svg[400];
  snprintf(profile_path, sizeof(profile_path), "/api/v1/teamprofielen/%s", it_str(ref, "uuid"));
  snprintf(svg, sizeof(svg), "%s/anonymous.svg", scratch);
  struct it_response stored, r;
  get_chart(profile_path, NULL, svg, &stored);
  json_t *body = json_pack("{s:O, s:O, s:O}", "gemeente", json_object_get(ref, "gemeente"),
                           "peildatum", json_object_get(ref, "peildatum"), "leden",
                           json_object_get(ref, "leden"));
  const char *accept[] = {"Accept: image/svg+xml", NULL};
  post_analysis(body, accept, &r);
  ck_assert_msg(r.status == 200, "POST gap-analyses as SVG gave %ld: %s", r.status, r.body);
  it_assert_conventions(&r);
  ck_assert_str_eq(it_header(&r, "Content-Type"), "image/svg+xml");
  ck_assert_str_eq(it_header(&r, "Vary"), "Origin, Authorization, Accept");
  ck_assert_uint_eq(r.body_len, stored.body_len);
  ck_assert(memcmp(r.body, stored.body, r.body_len) == 0);
  it_response_free(&r);
  it_response_free(&stored);

  /* A what-if team: its title names the inhabitants. */
  json_object_del(body, "gemeente");
  json_object_del(body, "peildatum");
  json_object_set_new(body, "inwoners", json_integer(30000));
  post_analysis(body, accept, &r);
  ck_assert_int_eq(r.status, 200);
  it_write_file(svg, r.body, r.body_len);
  it_assert_well_formed(svg);
  char *title = it_xpath_string(svg, "string(/*/*[local-name()='title'])");
  ck_assert_str_eq(title, "Gap-analyse online team: Wat-als: 30000 inwoners");
  free(title);
  it_response_free(&r);

  /* A bad team is a problem, whatever the Accept; JSON stays the default. */
  json_object_set_new(body, "inwoners", json_integer(-1));
  post_analysis(body, accept, &r);
  it_assert_problem(&r, 400);
  ck_assert(it_invalid_has(&r, "inwoners", "out-of-range"));
  it_response_free(&r);
  json_object_set_new(body, "inwoners", json_integer(30000));
  const char *html[] = {"Accept: text/html", NULL};
  post_analysis(body, html, &r);
  it_assert_problem(&r, 406);
  it_response_free(&r);
  json_decref(body);
  json_decref(ref);
}
END_TEST

int main(void) {
  Suite *s = suite_create("gap-analyse-chart");
  TCase *tc = it_case("gap-analyse-chart", 60, setup, teardown);
  tcase_add_test(tc, reference_chart_is_valid_svg_and_renders);
  tcase_add_test(tc, awkward_names_keep_the_chart_valid);
  tcase_add_test(tc, anonymous_chart_equals_the_profiles);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
