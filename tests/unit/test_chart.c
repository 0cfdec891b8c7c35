/* The SVG chart (chart.h): well-formed XML (checked with xmllint), one row
 * per role, escaped text, the marks docs/methode.md ("De grafiek") names. No
 * database. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "teamplotter/chart.h"
#include "teamplotter/gap.h"
#include "json_text.h"
#include "svg_check.h"

static const char *CATALOGUS =
    "[{'code':'verbinder','naam':'Verbinder','kernrol':true,'competenties':["
    "  {'code':'bestuur','naam':'B','niveau':3,'essentieel':true}]},"
    " {'code':'communitymanager','naam':'Communitymanager','kernrol':true,'competenties':[]},"
    " {'code':'webredacteur','naam':'Webredacteur','kernrol':false,'competenties':[]},"
    " {'code':'webcare','naam':'Webcare','kernrol':false,'competenties':[]}]";

static const char *REFERENCES =
    "[{'gemeente':'GM0001','inwoners':10000,'leden':[{'label':'a','fte':1.0,'rollen':["
    "{'rol':'verbinder','aandeel':0.3},{'rol':'communitymanager','aandeel':0.2},"
    "{'rol':'webredacteur','aandeel':0.5}],'competenties':[]}]},"
    "{'gemeente':'GM0002','inwoners':40000,'leden':[{'label':'a','fte':1.5,'rollen':["
    "{'rol':'verbinder','aandeel':0.5},{'rol':'communitymanager','aandeel':0.5},"
    "{'rol':'webredacteur','aandeel':0.5}],'competenties':[]},{'label':'b','fte':1.0,"
    "'rollen':[{'rol':'webredacteur','aandeel':1.0}],'competenties':[]}]},"
    "{'gemeente':'GM0003','inwoners':160000,'leden':[{'label':'a','fte':1.5,'rollen':["
    "{'rol':'verbinder','aandeel':1.0},{'rol':'communitymanager','aandeel':0.5}],"
    "'competenties':[]},{'label':'b','fte':1.5,'rollen':[{'rol':'webredacteur','aandeel':1.5}],"
    "'competenties':[]},{'label':'c','fte':1.0,'rollen':[{'rol':'webcare','aandeel':1.0}],"
    "'competenties':[]}]}]";

/* A team without a communitymanager (a missing core role). */
static const char *TEAM =
    "{'gemeente':'GM0999','inwoners':30000,'leden':[{'label':'x','fte':1.2,'rollen':["
    "{'rol':'verbinder','aandeel':0.4},{'rol':'webredacteur','aandeel':0.8}],"
    "'competenties':[{'code':'bestuur','niveau':3}]}]}";

static json_t *analysis(const char *refs) {
  json_t *cat = J(CATALOGUS), *team = J(TEAM), *r = J(refs);
  json_t *doc = tp_gap_analyse(cat, team, r);
  ck_assert_ptr_nonnull(doc);
  json_decref(cat);
  json_decref(team);
  json_decref(r);
  return doc;
}

START_TEST(xmllint_rejects_broken_xml) {
  /* The checker itself can fail: otherwise the tests below prove nothing. */
  ck_assert_int_ne(xmllint("<svg><g></svg>"), 0);
  ck_assert_int_ne(xmllint("<svg><text>a & b</text></svg>"), 0);
  ck_assert_int_eq(xmllint("<svg><text>a &amp; b</text></svg>"), 0);
}
END_TEST

START_TEST(chart_is_wellformed_with_rows_and_marks) {
  json_t *doc = analysis(REFERENCES);
  json_t *names = json_pack("{s:s,s:s,s:s,s:s}", "verbinder", "Verbinder <&> \"x\" 'y'",
                            "communitymanager", "Communitymanager", "webredacteur",
                            "Webredacteur", "webcare", "Webcaremedewerker");
  char *svg = tp_chart_svg(doc, names, "Testdorp (GM0999), peildatum 2026-01-01");
  ck_assert_ptr_nonnull(svg);
  ck_assert_int_eq(xmllint(svg), 0);
  ck_assert_ptr_nonnull(strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
                                    "width=\"800\""));
  ck_assert_ptr_nonnull(strstr(svg, "<title id=\"titel\">Gap-analyse online team: Testdorp "
                                    "(GM0999), peildatum 2026-01-01</title>"));
  ck_assert_ptr_nonnull(strstr(svg, "<desc"));
  /* One row per role. */
  ck_assert_uint_eq(count(svg, "<g class=\"rij"), 4);
  /* The label, escaped. */
  ck_assert_ptr_nonnull(strstr(svg, "Verbinder &lt;&amp;&gt; &quot;x&quot; &apos;y&apos;"));
  ck_assert_ptr_null(strstr(svg, "Verbinder <&>"));
  /* The missing core role is marked; the others are not. */
  ck_assert_str_eq(json_string_value(json_array_get(
                       json_object_get(json_object_get(doc, "samenvatting"),
                                       "ontbrekendeKernrollen"), 0)),
                   "communitymanager");
  ck_assert_uint_eq(count(svg, "<g class=\"rij kernrol-ontbreekt\">"), 1);
  /* A band with a median tick for every role that has one, and the legend. */
  ck_assert_uint_ge(count(svg, "fill=\"#d9dee4\""), 4);
  ck_assert_ptr_nonnull(strstr(svg, "class=\"legenda\""));
  ck_assert_ptr_nonnull(strstr(svg, "mediaan"));
  free(svg);
  json_decref(names);
  json_decref(doc);
}
END_TEST

/* Method 1.1: both roles of the one member (the core role verbinder and
 * webredacteur) rest on one person. Each is marked with a sign, says so
 * in its text and its tooltip, and the legend and the description
 * explain and name them. */
START_TEST(fragile_roles_are_marked) {
  json_t *doc = analysis(REFERENCES);
  const json_t *fragile = json_object_get(json_object_get(doc, "samenvatting"), "kwetsbareRollen");
  ck_assert_uint_eq(json_array_size(fragile), 2);
  json_t *names = json_pack("{s:s,s:s}", "verbinder", "Verbinder", "webredacteur", "Webredacteur");
  char *svg = tp_chart_svg(doc, names, "t");
  ck_assert_ptr_nonnull(svg);
  ck_assert_int_eq(xmllint(svg), 0);
  ck_assert_uint_eq(count(svg, "<g class=\"rij kwetsbaar\">"), 2);
  ck_assert_uint_eq(count(svg, "class=\"teken-kwetsbaar\""), 3); /* two rows and the legend */
  ck_assert_uint_eq(count(svg, " · kwetsbaar</text>"), 2);
  ck_assert_uint_eq(count(svg, "; kwetsbaar: rust op één persoon</title>"), 2);
  ck_assert_ptr_nonnull(strstr(svg, ">kwetsbaar: rust op één persoon</text>"));
  ck_assert_ptr_nonnull(strstr(svg, " Kwetsbare rollen: Verbinder, Webredacteur.</desc>"));
  free(svg);
  json_decref(names);
  json_decref(doc);
}
END_TEST

/* Every value text of a row ("0,80 fte · ruim · kwetsbaar") ends inside
 * the 800 px: one that would run past the edge is anchored at it. The
 * width is estimated as the chart does (6.4 px a character at 11 px),
 * from where the text starts or, anchored at its end, where it ends. */
START_TEST(value_texts_stay_inside_the_chart) {
  json_t *doc = analysis(REFERENCES);
  json_t *names = json_pack("{s:s}", "webredacteur", "Webredacteur");
  char *svg = tp_chart_svg(doc, names, "t");
  ck_assert_ptr_nonnull(svg);
  size_t texts = 0, at_edge = 0;
  for (const char *p = svg; (p = strstr(p, " fte · ")) != NULL; p++) {
    const char *open = p;
    while (open > svg && strncmp(open, "<text ", 6) != 0) open--;
    double x = strtod(strstr(open, "x=\"") + 3, NULL);
    const char *body = strchr(open, '>') + 1, *close = strstr(body, "</text>");
    size_t chars = 0;
    for (const char *c = body; c < close; c++) chars += ((unsigned char)*c & 0xc0) != 0x80;
    int anchored_end = strstr(open, "text-anchor=\"end\"") != NULL &&
                       strstr(open, "text-anchor=\"end\"") < body;
    double right = anchored_end ? x : x + 6.4 * (double)chars;
    ck_assert_msg(right <= 800.0, "a value text runs to %.1f px: %.*s", right,
                  (int)(close - body), body);
    texts++;
    at_edge += (size_t)anchored_end;
  }
  /* Four roles (and the subtitle); the longest bar reaches the axis's end,
   * so at least one text is anchored at the edge. */
  ck_assert_uint_ge(texts, 4);
  ck_assert_uint_ge(at_edge, 1);
  free(svg);
  json_decref(names);
  json_decref(doc);
}
END_TEST

START_TEST(title_is_escaped) {
  json_t *doc = analysis(REFERENCES);
  char *svg = tp_chart_svg(doc, NULL, "<&> \"Dorp\" 'test'");
  ck_assert_ptr_nonnull(svg);
  ck_assert_int_eq(xmllint(svg), 0);
  ck_assert_ptr_null(strstr(svg, "<&>"));
  ck_assert_uint_eq(count(svg, "&lt;&amp;&gt; &quot;Dorp&quot; &apos;test&apos;"), 2);
  /* Without names the codes are the labels. */
  ck_assert_ptr_nonnull(strstr(svg, ">communitymanager</text>"));
  free(svg);
  json_decref(doc);
}
END_TEST

START_TEST(hostile_text_cannot_break_the_document) {
  json_t *doc = analysis(REFERENCES);
  /* Control characters, invalid UTF-8, a surrogate, a CDATA end, a long name. */
  json_t *names = json_pack("{s:s}", "webcare",
                            "Webcare ]]> <!-- --> &amp; een heel lange naam die niet in de "
                            "kolom past en dus wordt ingekort");
  char *svg = tp_chart_svg(doc, names, "bad \x01\x1f utf8 \xff\xfe \xed\xa0\x80 \xc3\x28 end");
  ck_assert_ptr_nonnull(svg);
  ck_assert_int_eq(xmllint(svg), 0);
  ck_assert_ptr_nonnull(strstr(svg, "&amp;amp;"));
  ck_assert_ptr_nonnull(strstr(svg, "…</text>"));
  free(svg);
  json_decref(names);
  json_decref(doc);
}
END_TEST

START_TEST(chart_without_references) {
  /* No bands at all (verwacht null, status onbekend): still a valid chart. */
  json_t *doc = analysis("[]");
  char *svg = tp_chart_svg(doc, NULL, NULL);
  ck_assert_ptr_nonnull(svg);
  ck_assert_int_eq(xmllint(svg), 0);
  ck_assert_uint_eq(count(svg, "<g class=\"rij"), 4);
  ck_assert_uint_eq(count(svg, "fill=\"#d9dee4\""), 1); /* the legend's swatch only */
  ck_assert_ptr_nonnull(strstr(svg, "onbekend"));
  free(svg);
  json_decref(doc);
  /* Not an analysis. */
  json_t *arr = json_array();
  ck_assert_ptr_null(tp_chart_svg(arr, NULL, "x"));
  ck_assert_ptr_null(tp_chart_svg(NULL, NULL, "x"));
  json_decref(arr);
}
END_TEST

START_TEST(same_analysis_same_chart) {
  json_t *doc = analysis(REFERENCES);
  char *a = tp_chart_svg(doc, NULL, "t"), *b = tp_chart_svg(doc, NULL, "t");
  ck_assert_str_eq(a, b);
  /* Coordinates use a decimal point whatever the locale. */
  ck_assert_ptr_null(strstr(a, "x=\"0,"));
  free(a);
  free(b);
  json_decref(doc);
}
END_TEST

int main(void) {
  Suite *s = suite_create("chart");
  TCase *tc = tcase_create("chart");
  tcase_add_test(tc, xmllint_rejects_broken_xml);
  tcase_add_test(tc, chart_is_wellformed_with_rows_and_marks);
  tcase_add_test(tc, fragile_roles_are_marked);
  tcase_add_test(tc, value_texts_stay_inside_the_chart);
  tcase_add_test(tc, title_is_escaped);
  tcase_add_test(tc, hostile_text_cannot_break_the_document);
  tcase_add_test(tc, chart_without_references);
  tcase_add_test(tc, same_analysis_same_chart);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
