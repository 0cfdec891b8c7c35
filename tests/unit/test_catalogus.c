/* Validation of catalogue content and import files (service/core/catalogus.c):
 * each rule failing and passing, JSON paths, every violation at once, the
 * code in the path, and files whose roles refer to their own families and
 * competencies. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/catalogus.h"
#include "json_text.h"

static const char REFS_JSON[] =
    "{\"rolfamilies\": [\"contact\", \"regie\"],"
    " \"competenties\": [\"schrijven\", \"webanalyse\"],"
    " \"bronnen\": [\"DOK\", \"IB\"],"
    " \"bronUrls\": [\"https://example.org/a\"],"
    " \"gemeenten\": [\"GM0772\", \"GM0855\"]}";

static json_t *refs_doc;
static struct tp_catalogus_refs refs;

static void setup(void) {
  refs_doc = json_loads(REFS_JSON, 0, NULL);
  ck_assert_ptr_nonnull(refs_doc);
  ck_assert_int_eq(tp_catalogus_refs_from_json(refs_doc, &refs), 0);
}

static void teardown(void) {
  tp_catalogus_refs_free(&refs);
  json_decref(refs_doc);
}

static void dump(const json_t *invalid, char *out, size_t len) {
  out[0] = '\0';
  size_t i;
  json_t *e;
  json_array_foreach(invalid, i, e) {
    size_t used = strlen(out);
    snprintf(out + used, len - used, "%s(%s) ", json_string_value(json_object_get(e, "name")),
             json_string_value(json_object_get(e, "code")));
  }
}

static int has(const json_t *invalid, const char *name, const char *code) {
  size_t i;
  json_t *e;
  json_array_foreach(invalid, i, e) {
    if (strcmp(json_string_value(json_object_get(e, "name")), name) == 0 &&
        strcmp(json_string_value(json_object_get(e, "code")), code) == 0) {
      return 1;
    }
  }
  return 0;
}

static json_t *check(enum tp_catalogus_soort soort, const char *text, const char *code) {
  json_t *doc = J(text);
  json_t *invalid = json_array();
  tp_catalogus_validate(soort, doc, code, &refs, "", invalid);
  json_decref(doc);
  return invalid;
}

static void passes(enum tp_catalogus_soort soort, const char *text, const char *code) {
  json_t *invalid = check(soort, text, code);
  char seen[2048];
  dump(invalid, seen, sizeof(seen));
  ck_assert_msg(json_array_size(invalid) == 0, "expected no problems, got %s for %s", seen, text);
  json_decref(invalid);
}

static void fails(enum tp_catalogus_soort soort, const char *text, const char *code,
                  const char *name, const char *problem) {
  json_t *invalid = check(soort, text, code);
  char seen[2048];
  dump(invalid, seen, sizeof(seen));
  ck_assert_msg(has(invalid, name, problem), "expected %s(%s), got %s for %s", name, problem, seen,
                text);
  json_decref(invalid);
}

#define ROL(extra)                                                                               \
  "{'naam':'Webredacteur','familie':'contact','omschrijving':'Schrijft.','kernrol':false,"       \
  "'kernrolBron':null,'herkomst':'afgeleid','bronnen':['DOK'],'synoniemen':['redacteur'],"       \
  "'taken':['Schrijven'],'competenties':[{'code':'schrijven','niveau':3,'essentieel':true}],"    \
  "'richtFteMinimum':0.5" extra "}"

START_TEST(role_passes_with_and_without_its_code) {
  passes(TP_CAT_ROL, ROL(""), "webredacteur");
  passes(TP_CAT_ROL, ROL(",'code':'webredacteur'"), "webredacteur");
  /* Read-only fields of the GET document are accepted. */
  passes(TP_CAT_ROL,
         "{'code':'a','naam':'A','familie':'regie','omschrijving':'x','kernrol':true,"
         "'kernrolBron':'publicatie','herkomst':'publicatie','competenties':[{'code':'webanalyse',"
         "'naam':'Webanalyse','niveau':1,'essentieel':false}],'richtFteMinimum':1.5}",
         "a");
}
END_TEST

START_TEST(role_rules_each_fail) {
  fails(TP_CAT_ROL, ROL(",'code':'andere'"), "webredacteur", "code", "mismatch");
  fails(TP_CAT_ROL, ROL(""), "Web_Redacteur", "code", "invalid-format");
  fails(TP_CAT_ROL, ROL(""), "-rol", "code", "invalid-format");
  fails(TP_CAT_ROL, ROL(""), "rol--x", "code", "invalid-format");
  char long_code[128];
  memset(long_code, 'a', 101);
  long_code[101] = '\0';
  fails(TP_CAT_ROL, ROL(""), long_code, "code", "invalid-format");
  long_code[100] = '\0';
  passes(TP_CAT_ROL, ROL(""), long_code);
  fails(TP_CAT_ROL, ROL(",'extra':1"), "w", "extra", "unknown-field");
  fails(TP_CAT_ROL, "{'familie':'x'}", "w", "naam", "required");
  fails(TP_CAT_ROL, "{'familie':'x'}", "w", "familie", "unknown-code");
  fails(TP_CAT_ROL, "{'familie':'x'}", "w", "kernrol", "required");
  fails(TP_CAT_ROL, "{'familie':'x'}", "w", "herkomst", "required");
  fails(TP_CAT_ROL, "{'familie':'x'}", "w", "omschrijving", "required");
  fails(TP_CAT_ROL, "{'familie':'x'}", "w", "richtFteMinimum", "required");
  fails(TP_CAT_ROL, "{'naam':''}", "w", "naam", "invalid-length");
  fails(TP_CAT_ROL, "{'naam':7}", "w", "naam", "invalid-type");
  fails(TP_CAT_ROL, "{'herkomst':'opgave'}", "w", "herkomst", "invalid-choice");
  fails(TP_CAT_ROL, "{'kernrol':true,'kernrolBron':null}", "w", "kernrolBron", "required");
  fails(TP_CAT_ROL, "{'kernrol':false,'kernrolBron':'bron'}", "w", "kernrolBron", "not-allowed");
  fails(TP_CAT_ROL, "{'kernrol':true,'kernrolBron':'roddel'}", "w", "kernrolBron",
        "invalid-choice");
  fails(TP_CAT_ROL, "{'bronnen':['GEEN']}", "w", "bronnen.0", "unknown-code");
  fails(TP_CAT_ROL, "{'bronnen':'DOK'}", "w", "bronnen", "invalid-type");
  fails(TP_CAT_ROL, "{'synoniemen':['a','b','a']}", "w", "synoniemen.2", "duplicate");
  fails(TP_CAT_ROL, "{'taken':['']}", "w", "taken.0", "invalid-length");
  fails(TP_CAT_ROL, "{'taken':[1]}", "w", "taken.0", "invalid-type");
  fails(TP_CAT_ROL, "{'competenties':[{'code':'nee','niveau':1,'essentieel':true}]}", "w",
        "competenties.0.code", "unknown-code");
  fails(TP_CAT_ROL, "{'competenties':[{'code':'schrijven','niveau':5,'essentieel':true}]}", "w",
        "competenties.0.niveau", "out-of-range");
  fails(TP_CAT_ROL, "{'competenties':[{'code':'schrijven','niveau':2.5,'essentieel':true}]}",
        "w", "competenties.0.niveau", "out-of-range");
  fails(TP_CAT_ROL, "{'competenties':[{'code':'schrijven','niveau':2}]}", "w",
        "competenties.0.essentieel", "required");
  fails(TP_CAT_ROL,
        "{'competenties':[{'code':'schrijven','niveau':2,'essentieel':true},"
        "{'code':'schrijven','niveau':3,'essentieel':false}]}",
        "w", "competenties.1.code", "duplicate");
  fails(TP_CAT_ROL, "{'competenties':[7]}", "w", "competenties.0", "invalid-type");
  fails(TP_CAT_ROL, "{'richtFteMinimum':0}", "w", "richtFteMinimum", "out-of-range");
  fails(TP_CAT_ROL, "{'richtFteMinimum':1.6}", "w", "richtFteMinimum", "out-of-range");
  fails(TP_CAT_ROL, "[]", "w", "body", "invalid-type");
}
END_TEST

START_TEST(every_violation_at_once) {
  json_t *invalid = check(TP_CAT_ROL,
                          "{'code':'x','naam':'','kernrol':1,'bronnen':['Q'],'taken':[''],"
                          "'richtFteMinimum':-1,'z':0}",
                          "y");
  /* code, z, naam, omschrijving, familie, kernrol, herkomst, bronnen.0,
   * taken.0, richtFteMinimum */
  ck_assert_int_eq(json_array_size(invalid), 10);
  json_decref(invalid);
}
END_TEST

START_TEST(other_kinds) {
  passes(TP_CAT_COMPETENTIE, "{'naam':'A','omschrijving':'B','soort':'houding','rollen':[]}",
         "a");
  fails(TP_CAT_COMPETENTIE, "{'naam':'A','omschrijving':'B','soort':'gevoel'}", "a", "soort",
        "invalid-choice");
  passes(TP_CAT_ROLFAMILIE, "{'code':'f','naam':'F','omschrijving':'G','rollen':['x']}", "f");
  fails(TP_CAT_ROLFAMILIE, "{'naam':'F','omschrijving':'G','soort':'kennis'}", "f", "soort",
        "unknown-field");
  passes(TP_CAT_SUCCESFACTOR,
         "{'naam':'A','omschrijving':'B','herkomst':'bron','bronnen':['IB'],"
         "'voorbeeldgemeenten':['GM0855']}",
         "a");
  fails(TP_CAT_SUCCESFACTOR,
        "{'naam':'A','omschrijving':'B','herkomst':'bron','voorbeeldgemeenten':['GM0001']}", "a",
        "voorbeeldgemeenten.0", "unknown-code");
  passes(TP_CAT_SUCCESVERHAAL,
         "{'naam':'Tilburg','titel':'T','samenvatting':'S','organisatie':null,'herkomst':'bron',"
         "'praktijken':['p'],'bronnen':['IB'],'kengetallen':[{'code':'k','naam':'K','waarde':1.5,"
         "'eenheid':'%','jaar':null,'herkomst':'bron','bron':'https://example.org/a',"
         "'opmerking':null}]}",
         "GM0855");
  fails(TP_CAT_SUCCESVERHAAL, "{'titel':'T'}", "GM0001", "gemeente", "unknown-code");
  fails(TP_CAT_SUCCESVERHAAL, "{'kengetallen':[{'waarde':'veel','bron':'https://x'}]}", "GM0855",
        "kengetallen.0.waarde", "invalid-type");
  fails(TP_CAT_SUCCESVERHAAL, "{'kengetallen':[{'waarde':1,'bron':'https://x'}]}", "GM0855",
        "kengetallen.0.bron", "unknown-code");
  ck_assert_str_eq(tp_catalogus_soort_naam(TP_CAT_ROLFAMILIE), "rolfamilie");
}
END_TEST

#define SCHAAL                                                                                   \
  "'schaal':[{'niveau':1,'code':'a','naam':'A','omschrijving':'a'},"                             \
  "{'niveau':2,'code':'b','naam':'B','omschrijving':'b'},"                                       \
  "{'niveau':3,'code':'c','naam':'C','omschrijving':'c'},"                                       \
  "{'niveau':4,'code':'d','naam':'D','omschrijving':'d'}]"

/* A file whose role uses a family and competency that only the file has. */
#define FILE_DOC(rol_familie, rol_comp, extra)                                                   \
  "{'versie':'2027.1'," SCHAAL ","                                                               \
  "'families':[{'code':'nieuw','naam':'N','omschrijving':'n'}],"                                 \
  "'competenties':[{'code':'eigen','naam':'E','omschrijving':'e','soort':'kennis'}],"            \
  "'rollen':[{'code':'r','naam':'R','familie':'" rol_familie "','omschrijving':'r',"             \
  "'kernrol':false,'kernrolBron':null,'herkomst':'afgeleid','competenties':[{'code':'" rol_comp \
  "','niveau':2,'essentieel':false}],'richtFteMinimum':0.1}]" extra "}"

static json_t *check_file(const char *text) {
  json_t *doc = J(text);
  json_t *invalid = json_array();
  tp_catalogus_file_validate(doc, &refs, invalid);
  json_decref(doc);
  return invalid;
}

START_TEST(catalogue_file_roles_refer_to_the_file) {
  json_t *invalid = check_file(FILE_DOC("nieuw", "eigen", ""));
  char seen[2048];
  dump(invalid, seen, sizeof(seen));
  ck_assert_msg(json_array_size(invalid) == 0, "%s", seen);
  json_decref(invalid);
  /* The database's family and competency are not in this file. */
  invalid = check_file(FILE_DOC("regie", "schrijven", ""));
  ck_assert(has(invalid, "rollen.0.familie", "unknown-code"));
  ck_assert(has(invalid, "rollen.0.competenties.0.code", "unknown-code"));
  json_decref(invalid);
}
END_TEST

START_TEST(catalogue_file_rules) {
  json_t *invalid = check_file(FILE_DOC("nieuw", "eigen", ",'extra':1"));
  ck_assert(has(invalid, "extra", "unknown-field"));
  json_decref(invalid);
  invalid = check_file("{'versie':''}");
  ck_assert(has(invalid, "versie", "invalid-length"));
  ck_assert(has(invalid, "schaal", "required"));
  ck_assert(has(invalid, "families", "required"));
  ck_assert(has(invalid, "competenties", "required"));
  ck_assert(has(invalid, "rollen", "required"));
  json_decref(invalid);
  invalid = check_file("{'versie':'x','schaal':[{'niveau':1,'code':'a','naam':'A',"
                       "'omschrijving':'a'},{'niveau':1,'code':'b','naam':'B','omschrijving':'b'}],"
                       "'families':[],'competenties':[],'rollen':[]}");
  ck_assert(has(invalid, "schaal.1.niveau", "duplicate"));
  ck_assert(has(invalid, "schaal", "invalid-length"));
  ck_assert(has(invalid, "families", "invalid-length"));
  json_decref(invalid);
  invalid = check_file("{'versie':'x'," SCHAAL ",'families':[{'code':'f','naam':'F',"
                       "'omschrijving':'f'},{'code':'f','naam':'G','omschrijving':'g'}],"
                       "'competenties':[{'code':'c','naam':'C','omschrijving':'c','soort':'x'}],"
                       "'rollen':[3]}");
  ck_assert(has(invalid, "families.1.code", "duplicate"));
  ck_assert(has(invalid, "competenties.0.soort", "invalid-choice"));
  ck_assert(has(invalid, "rollen.0", "invalid-type"));
  json_decref(invalid);
  invalid = check_file("[1]");
  ck_assert(has(invalid, "body", "invalid-type"));
  json_decref(invalid);
}
END_TEST

START_TEST(success_files) {
  json_t *doc = J("{'toelichting':'t','succesfactoren':[{'code':'a','naam':'A','omschrijving':'x',"
                  "'herkomst':'bron'},{'code':'a','naam':'B','omschrijving':'y','herkomst':'bron'}]}");
  json_t *invalid = json_array();
  tp_succesfactoren_file_validate(doc, &refs, invalid);
  ck_assert(has(invalid, "succesfactoren.1.code", "duplicate"));
  ck_assert_int_eq(json_array_size(invalid), 1);
  json_decref(invalid);
  json_decref(doc);
  doc = J("{'succesverhalen':[{'gemeente':'GM0855','titel':'T','samenvatting':'S',"
          "'herkomst':'bron'},{'gemeente':'GM0855','titel':'U','samenvatting':'S',"
          "'herkomst':'bron'}],'x':1}");
  invalid = json_array();
  tp_succesverhalen_file_validate(doc, &refs, invalid);
  ck_assert(has(invalid, "succesverhalen.1.gemeente", "duplicate"));
  ck_assert(has(invalid, "x", "unknown-field"));
  json_decref(invalid);
  json_decref(doc);
  doc = J("{'succesverhalen':[]}");
  invalid = json_array();
  tp_succesverhalen_file_validate(doc, &refs, invalid);
  ck_assert(has(invalid, "succesverhalen", "invalid-length"));
  json_decref(invalid);
  json_decref(doc);
}
END_TEST

START_TEST(a_huge_file_is_capped) {
  /* 900 broken roles: at most 200 named and one more saying so. */
  json_t *doc = J("{'versie':'x'," SCHAAL ",'families':[{'code':'f','naam':'F','omschrijving':'f'}],"
                  "'competenties':[{'code':'c','naam':'C','omschrijving':'c','soort':'kennis'}]}");
  json_t *rollen = json_array();
  for (int i = 0; i < 900; i++) json_array_append_new(rollen, json_pack("{s:i}", "code", i));
  json_object_set_new(doc, "rollen", rollen);
  json_t *invalid = json_array();
  tp_catalogus_file_validate(doc, &refs, invalid);
  ck_assert_int_eq(json_array_size(invalid), TP_TEAM_MAX_PROBLEMS + 1);
  ck_assert(has(invalid, "body", "too-many-errors"));
  json_decref(invalid);
  /* Past 1 000 entries the list itself is refused. */
  for (int i = 0; i < 200; i++) json_array_append_new(rollen, json_pack("{s:i}", "code", i));
  invalid = json_array();
  tp_catalogus_file_validate(doc, &refs, invalid);
  ck_assert(has(invalid, "rollen", "invalid-length"));
  json_decref(invalid);
  json_decref(doc);
}
END_TEST

int main(void) {
  Suite *s = suite_create("catalogus");
  TCase *tc = tcase_create("validation");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, role_passes_with_and_without_its_code);
  tcase_add_test(tc, role_rules_each_fail);
  tcase_add_test(tc, every_violation_at_once);
  tcase_add_test(tc, other_kinds);
  tcase_add_test(tc, catalogue_file_roles_refer_to_the_file);
  tcase_add_test(tc, catalogue_file_rules);
  tcase_add_test(tc, success_files);
  tcase_add_test(tc, a_huge_file_is_capped);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
