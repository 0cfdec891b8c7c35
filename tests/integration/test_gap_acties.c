/* The worked example of method 1.1 (docs/methode.md, "Rekenvoorbeeld bij
 * versie 1.1"), number by number, over real HTTP against the seeded
 * reference set: people per role, the fragile roles and the 23 actions.
 * A stored profile of the same team gives the same actions. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_analyse.h"

#define WORKED_TEAM                                                                                \
  "{'inwoners':30000,'leden':["                                                                    \
  "{'label':'Teamleider online','fte':0.4,'rollen':[{'rol':'verbinder','aandeel':0.2},"            \
  "{'rol':'regisseur-online-dienstverlening','aandeel':0.2}],'competenties':["                     \
  "{'code':'bestuurlijke-sensitiviteit','niveau':3},{'code':'waarde-zichtbaar-maken','niveau':3}," \
  "{'code':'verbindend-werken','niveau':3},{'code':'communitybuilding','niveau':2}]},"             \
  "{'label':'Webredacteur 1','fte':0.9,'rollen':[{'rol':'webredacteur','aandeel':0.7},"            \
  "{'rol':'pdc-redacteur','aandeel':0.2}],'competenties':["                                        \
  "{'code':'schrijven-voor-het-web','niveau':3},{'code':'begrijpelijke-taal','niveau':3},"         \
  "{'code':'digitale-toegankelijkheid','niveau':2},"                                               \
  "{'code':'gemeentelijke-producten-en-regelgeving','niveau':3},"                                  \
  "{'code':'online-klantcontact','niveau':3},{'code':'snel-schakelen','niveau':3}]},"              \
  "{'label':'Webredacteur 2','fte':0.3,'rollen':[{'rol':'webredacteur','aandeel':0.3}],"           \
  "'competenties':[{'code':'schrijven-voor-het-web','niveau':2},"                                  \
  "{'code':'begrijpelijke-taal','niveau':3},{'code':'digitale-toegankelijkheid','niveau':2}]},"    \
  "{'label':'Communicatieadviseur','fte':0.4,'rollen':["                                           \
  "{'rol':'online-communicatieadviseur','aandeel':0.2},{'rol':'communitymanager','aandeel':0.1},"  \
  "{'rol':'webcare-medewerker','aandeel':0.1}],'competenties':["                                   \
  "{'code':'online-campagnes','niveau':3},{'code':'social-media','niveau':3},"                     \
  "{'code':'communitybuilding','niveau':3},{'code':'verbindend-werken','niveau':3},"               \
  "{'code':'online-klantcontact','niveau':2}]},"                                                   \
  "{'label':'Functioneel beheerder','fte':0.4,'rollen':["                                          \
  "{'rol':'functioneel-beheerder','aandeel':0.4}],'competenties':["                                \
  "{'code':'cms-en-platformbeheer','niveau':3},{'code':'leveranciersmanagement','niveau':2}]}]}"

static const json_t *role_row(const json_t *doc, const char *code) {
  size_t i;
  const json_t *r;
  json_array_foreach(json_object_get(doc, "rollen"), i, r) {
    if (strcmp(it_str(r, "rol"), code) == 0) return r;
  }
  ck_abort_msg("no row for %s", code);
  return NULL;
}

/* A role's band, status and depth as the table of the worked example gives them. */
static void check_role(const json_t *doc, const char *rol, double fte, double p25, double mediaan,
                       double p75, const char *status, long personen, double grootste,
                       int kwetsbaar) {
  const json_t *r = role_row(doc, rol), *band = json_object_get(r, "verwacht");
  const json_t *b = json_object_get(r, "bezetting");
  ck_assert_double_eq_tol(it_num(r, "fte"), fte, 1e-9);
  ck_assert_double_eq_tol(it_num(band, "p25"), p25, 1e-9);
  ck_assert_double_eq_tol(it_num(band, "mediaan"), mediaan, 1e-9);
  ck_assert_double_eq_tol(it_num(band, "p75"), p75, 1e-9);
  ck_assert_str_eq(it_str(r, "status"), status);
  ck_assert_int_eq(json_integer_value(json_object_get(b, "personen")), personen);
  ck_assert_double_eq_tol(it_num(b, "grootsteAandeel"), grootste, 1e-9);
  ck_assert_msg(json_is_true(json_object_get(b, "kwetsbaar")) == kwetsbaar, "%s", rol);
}

/* One action: its kind, role, fte (NAN: none) and members (NULL: none). */
static void check_actie(const json_t *doc, size_t i, const char *soort, const char *rol,
                        double fte, const char *leden) {
  const json_t *a = json_array_get(json_object_get(doc, "acties"), i);
  ck_assert_msg(a != NULL, "no action %zu", i);
  ck_assert_str_eq(it_str(a, "soort"), soort);
  ck_assert_str_eq(it_str(a, "rol"), rol);
  if (isnan(fte))
    ck_assert_ptr_null(json_object_get(a, "fte"));
  else
    ck_assert_double_eq_tol(it_num(a, "fte"), fte, 1e-9);
  const json_t *l = json_object_get(a, "leden");
  if (leden == NULL) {
    ck_assert_ptr_null(l);
    return;
  }
  char got[256] = "";
  size_t k;
  const json_t *x;
  json_array_foreach(l, k, x) {
    if (k > 0) strncat(got, "|", sizeof(got) - strlen(got) - 1);
    strncat(got, json_string_value(x), sizeof(got) - strlen(got) - 1);
  }
  ck_assert_str_eq(got, leden);
}

static void check_worked_example(const json_t *doc) {
  ck_assert_str_eq(it_str(doc, "methodeVersie"), "1.1");
  check_role(doc, "verbinder", 0.2, 0.0814, 0.1245, 0.1311, "ruim", 1, 1.0, 1);
  check_role(doc, "regisseur-online-dienstverlening", 0.2, 0.1727, 0.2147, 0.2547, "passend", 1,
             1.0, 1);
  check_role(doc, "webredacteur", 1.0, 0.4419, 0.4731, 0.5475, "ruim", 2, 0.7, 0);
  check_role(doc, "pdc-redacteur", 0.2, 0.1247, 0.1323, 0.1628, "ruim", 1, 1.0, 1);
  check_role(doc, "communitymanager", 0.1, 0.124, 0.1249, 0.1333, "onderbezet", 1, 1.0, 1);
  check_role(doc, "webcare-medewerker", 0.1, 0.2622, 0.3291, 0.3752, "onderbezet", 1, 1.0, 1);
  check_role(doc, "online-communicatieadviseur", 0.2, 0.1185, 0.1396, 0.1966, "ruim", 1, 1.0, 1);
  check_role(doc, "functioneel-beheerder", 0.4, 0.2322, 0.2653, 0.296, "ruim", 1, 1.0, 1);
  check_role(doc, "kanaalregisseur", 0.0, 0.1073, 0.1298, 0.1873, "ontbreekt", 0, 0.0, 0);

  char *fragile = it_dump(json_object_get(json_object_get(doc, "samenvatting"), "kwetsbareRollen"));
  ck_assert_str_eq(fragile, "[\"verbinder\",\"regisseur-online-dienstverlening\",\"pdc-redacteur\","
                            "\"communitymanager\",\"webcare-medewerker\","
                            "\"online-communicatieadviseur\",\"functioneel-beheerder\"]");
  free(fragile);

  ck_assert_uint_eq(json_array_size(json_object_get(doc, "acties")), 23);
  /* Group 1: the missing roles by presence x median, then the understaffed ones. */
  check_actie(doc, 0, "werven", "procesontwerper-digitale-diensten", 0.2505, NULL);
  check_actie(doc, 1, "werven", "webanalist", 0.1311, NULL);
  check_actie(doc, 2, "werven", "kanaalregisseur", 0.1073, NULL);
  check_actie(doc, 3, "werven", "contentstrateeg", 0.1117, NULL);
  check_actie(doc, 4, "werven", "eindredacteur", 0.1029, NULL);
  check_actie(doc, 5, "werven", "ux-onderzoeker", 0.0325, NULL);
  check_actie(doc, 6, "werven", "toegankelijkheidsspecialist", 0.0537, NULL);
  check_actie(doc, 7, "werven", "informatieadviseur", 0.0411, NULL);
  check_actie(doc, 8, "herverdelen", "webcare-medewerker", 0.1622, "Webredacteur 1");
  const json_t *a8 = json_array_get(json_object_get(doc, "acties"), 8);
  ck_assert_str_eq(it_str(a8, "vanRol"), "webredacteur");
  ck_assert_str_eq(it_str(a8, "toelichting"),
                   "Dit lid heeft de essentiële competenties van deze rol en kan 0,16 fte uit de "
                   "andere rol verschuiven; die houdt dan 0,84 fte, niet minder dan haar p25 van "
                   "0,44 fte.");
  check_actie(doc, 9, "herverdelen", "communitymanager", 0.024, "Communicatieadviseur");
  ck_assert_str_eq(it_str(json_array_get(json_object_get(doc, "acties"), 9), "vanRol"),
                   "online-communicatieadviseur");
  /* Group 2: the six essential gaps. */
  check_actie(doc, 10, "opleiden", "regisseur-online-dienstverlening", NAN, "Teamleider online");
  check_actie(doc, 11, "opleiden", "regisseur-online-dienstverlening", NAN, "Teamleider online");
  check_actie(doc, 12, "opleiden", "regisseur-online-dienstverlening", NAN, "Teamleider online");
  check_actie(doc, 13, "opleiden", "webcare-medewerker", NAN, "Communicatieadviseur");
  const json_t *a13 = json_array_get(json_object_get(doc, "acties"), 13);
  ck_assert_str_eq(it_str(a13, "competentie"), "online-klantcontact");
  ck_assert_int_eq(json_integer_value(json_object_get(a13, "doelniveau")), 3);
  check_actie(doc, 14, "opleiden", "webcare-medewerker", NAN, "Communicatieadviseur");
  check_actie(doc, 15, "opleiden", "functioneel-beheerder", NAN, "Functioneel beheerder");
  /* Group 3: the seven fragile roles in catalogue order. */
  check_actie(doc, 16, "spreiden", "verbinder", NAN, "");
  check_actie(doc, 17, "spreiden", "regisseur-online-dienstverlening", NAN, "");
  check_actie(doc, 18, "spreiden", "pdc-redacteur", NAN, "");
  check_actie(doc, 19, "spreiden", "communitymanager", NAN, "Teamleider online");
  check_actie(doc, 20, "spreiden", "webcare-medewerker", NAN, "Webredacteur 1");
  check_actie(doc, 21, "spreiden", "online-communicatieadviseur", NAN, "");
  check_actie(doc, 22, "spreiden", "functioneel-beheerder", NAN, "");
}

START_TEST(worked_example_number_by_number) {
  json_t *body = it_json(WORKED_TEAM);
  struct it_response r;
  analyse_ok(body, &r);
  check_worked_example(r.json);
  it_response_free(&r);
  json_decref(body);
}
END_TEST

/* The same team stored for a municipality that is no reference, and
 * analysed with that municipality's inhabitants, gives actions too, and
 * the development counts its fragile roles. */
START_TEST(stored_profile_and_development_show_the_fragile_roles) {
  json_t *body = it_json(WORKED_TEAM);
  json_object_del(body, "inwoners");
  json_object_set_new(body, "gemeente", json_string("GM0820"));
  json_object_set_new(body, "peildatum", json_string("2026-01-01"));
  struct profile p;
  create(body, &p);
  char path[128];
  snprintf(path, sizeof(path), "%s/gap-analyse", p.path);
  struct it_response r;
  get_ok(path, &clients[R], NULL, &r);
  ck_assert_str_eq(it_str(r.json, "methodeVersie"), "1.1");
  const json_t *fragile = json_object_get(json_object_get(r.json, "samenvatting"),
                                          "kwetsbareRollen");
  ck_assert_uint_gt(json_array_size(fragile), 0);
  ck_assert_uint_gt(json_array_size(json_object_get(r.json, "acties")), 0);
  char *want = it_dump(fragile);
  it_response_free(&r);

  get_ok("/api/v1/gemeenten/GM0820/ontwikkeling", &clients[R], NULL, &r);
  ck_assert_str_eq(it_str(r.json, "methodeVersie"), "1.1");
  const json_t *profielen = json_object_get(r.json, "profielen");
  const json_t *last = json_array_get(profielen, json_array_size(profielen) - 1);
  char *got = it_dump(json_object_get(json_object_get(last, "samenvatting"), "kwetsbareRollen"));
  ck_assert_str_eq(got, want);
  free(got);
  free(want);
  it_response_free(&r);
  json_decref(body);
}
END_TEST

int main(void) {
  Suite *s = suite_create("gap-acties");
  TCase *tc = it_case("gap-acties", 60, setup, teardown);
  tcase_add_test(tc, worked_example_number_by_number);
  tcase_add_test(tc, stored_profile_and_development_show_the_fragile_roles);
  suite_add_tcase(s, tc);
  return it_run_suite(s);
}
