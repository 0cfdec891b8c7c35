/* Method 1.1 (docs/methode.md, steps 8 and 9): people per role and the
 * actions, on teams worked out by hand against the three references of
 * gap_fixtures.h at 40 000 inhabitants (scale factors 2, 1 and 0.5), and
 * a property test over random teams. No database.
 *
 * The bands at 40 000 inhabitants (p25 / median / p75, presence):
 *   verbinder        .4 / .4 / .45  (3/3)   communitymanager .25 / .3 / .35 (3/3)
 *   webredacteur     .6 / .6 / .7   (3/3)   eindredacteur    .15 / .2 / .2  (3/3)
 *   webcare          .2 / .4 / .4   (2/3)   webanalist       .1 / .2 / .2   (2/3)
 *   pdc              .05 / .1 / .1  (2/3)   ux               0 / 0 / .2     (1/3)
 *   toegankelijkheid 0 / 0 / 0      (0/3)
 * Essential competencies: verbinder bestuur 3, verbinden 3; communitymanager
 * community 3; webanalist data 3; eindredacteur eindredactie 4;
 * webredacteur schrijven 3; webcare klantcontact 3; pdc producten 3;
 * ux onderzoek 3; toegankelijkheid wcag 4. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gap_fixtures.h"
#include "teamplotter/gap.h"

#define REFS "[" REF_A "," REF_B "," REF_C "]"

/* Within the 4 decimals an answer shows. */
#define SHOWN 1e-4

static json_t *analyse(const char *team_text) {
  json_t *cat = J(CATALOGUS), *refs = J(REFS), *team = J(team_text);
  json_t *doc = tp_gap_analyse(cat, team, refs);
  ck_assert_ptr_nonnull(doc);
  json_decref(cat);
  json_decref(refs);
  json_decref(team);
  return doc;
}

#define TEAM(leden) "{'gemeente':'GM0999','inwoners':40000,'leden':[" leden "]}"

static const json_t *row_of(const json_t *doc, const char *code) {
  size_t i;
  const json_t *r;
  json_array_foreach(json_object_get(doc, "rollen"), i, r) {
    if (strcmp(str(r, "rol"), code) == 0) return r;
  }
  ck_abort_msg("no row for %s", code);
  return NULL;
}

static void check_depth(const json_t *doc, const char *code, long personen, double grootste,
                        int kwetsbaar) {
  const json_t *b = json_object_get(row_of(doc, code), "bezetting");
  ck_assert_msg(json_is_object(b), "no bezetting for %s", code);
  ck_assert_int_eq(json_integer_value(json_object_get(b, "personen")), personen);
  ck_assert_double_eq_tol(num(b, "grootsteAandeel"), grootste, SHOWN);
  ck_assert_msg(json_is_true(json_object_get(b, "kwetsbaar")) == kwetsbaar,
                "%s: kwetsbaar should be %d", code, kwetsbaar);
}

static const json_t *actie(const json_t *doc, size_t i) {
  const json_t *a = json_array_get(json_object_get(doc, "acties"), i);
  ck_assert_msg(a != NULL, "no action %zu", i);
  return a;
}

static void check_actie(const json_t *doc, size_t i, const char *soort, const char *rol) {
  const json_t *a = actie(doc, i);
  ck_assert_str_eq(str(a, "soort"), soort);
  ck_assert_str_eq(str(a, "rol"), rol);
  ck_assert_msg(json_is_array(json_object_get(a, "referentiegemeenten")), "action %zu", i);
  ck_assert_msg(strlen(str(a, "toelichting")) > 0, "action %zu", i);
}

/* The labels an action names, joined by spaces. */
static void check_leden(const json_t *doc, size_t i, const char *want) {
  char got[256] = "";
  size_t k;
  const json_t *l;
  const json_t *leden = json_object_get(actie(doc, i), "leden");
  ck_assert_msg(json_is_array(leden), "action %zu has no leden", i);
  json_array_foreach(leden, k, l) {
    if (k > 0) strncat(got, " ", sizeof(got) - strlen(got) - 1);
    strncat(got, json_string_value(l), sizeof(got) - strlen(got) - 1);
  }
  ck_assert_str_eq(got, want);
}

static size_t nacties(const json_t *doc) {
  return json_array_size(json_object_get(doc, "acties"));
}

static const char *fragile_text(const json_t *doc) {
  static char text[256];
  text[0] = '\0';
  size_t k;
  const json_t *v;
  json_array_foreach(json_object_get(json_object_get(doc, "samenvatting"), "kwetsbareRollen"), k,
                     v) {
    if (k > 0) strncat(text, " ", sizeof(text) - strlen(text) - 1);
    strncat(text, json_string_value(v), sizeof(text) - strlen(text) - 1);
  }
  return text;
}

/* ------------------------------------------------------- hand-computed */

/* One member on the core role verbinder (.5 > p75 .45: ruim). It rests on
 * one person: fragile both ways. Nobody has community 3, so the missing
 * core role communitymanager is recruited: .25 to p25, .3 to the median.
 * The other missing roles follow by presence x median: webredacteur
 * (1 x .6), eindredacteur (1 x .2), webcare (2/3 x .4 = .2667) ... */
START_TEST(one_member) {
  json_t *doc = analyse(TEAM("{'label':'Solo','fte':0.5,'rollen':[{'rol':'verbinder','aandeel':0.5}],"
                             "'competenties':[{'code':'bestuur','niveau':3},"
                             "{'code':'verbinden','niveau':3}]}"));
  check_depth(doc, "verbinder", 1, 1.0, 1);
  check_depth(doc, "communitymanager", 0, 0.0, 0);
  ck_assert_str_eq(fragile_text(doc), "verbinder");
  check_actie(doc, 0, "werven", "communitymanager");
  ck_assert_double_eq_tol(num(actie(doc, 0), "fte"), 0.25, SHOWN);
  ck_assert_str_eq(str(actie(doc, 0), "toelichting"),
                   "Niemand in het team kan fte naar deze rol verschuiven; werf 0,25 fte "
                   "(0,30 fte tot de mediaan).");
  ck_assert_ptr_null(json_object_get(actie(doc, 0), "leden"));
  check_actie(doc, 1, "werven", "webredacteur");
  ck_assert_double_eq_tol(num(actie(doc, 1), "fte"), 0.6, SHOWN);
  check_actie(doc, 2, "werven", "webcare");
  check_actie(doc, 3, "werven", "eindredacteur");
  check_actie(doc, 4, "werven", "webanalist");
  check_actie(doc, 5, "werven", "pdc");
  /* No essential gap; the fragile core role last, and nobody to back it up. */
  size_t last = nacties(doc) - 1;
  ck_assert_uint_eq(last, 6);
  check_actie(doc, last, "spreiden", "verbinder");
  check_leden(doc, last, "");
  ck_assert_str_eq(str(actie(doc, last), "toelichting"),
                   "Eén lid draagt 100 % van deze rol; niemand anders heeft haar essentiële "
                   "competenties op ten hoogste één niveau onder het vereiste: leid iemand op of "
                   "werf.");
  json_decref(doc);
}
END_TEST

/* Bert and Anna each hold .3 verbinder (.6: ruim, .2 above p25) and have
 * community 3. Each could move min(.3, .2) = .2 to communitymanager: equal,
 * so the label decides (Anna, though Bert comes first in the team). Anna
 * moves .2; verbinder is then at its p25 .4 and Bert can move nothing;
 * .05 is left to recruit (.3 - .2 = .1 to the median). */
START_TEST(several_candidates_by_amount_then_label) {
  json_t *doc = analyse(TEAM(
      "{'label':'Bert','fte':0.3,'rollen':[{'rol':'verbinder','aandeel':0.3}],"
      "'competenties':[{'code':'community','niveau':3}]},"
      "{'label':'Anna','fte':0.3,'rollen':[{'rol':'verbinder','aandeel':0.3}],"
      "'competenties':[{'code':'community','niveau':4}]}"));
  check_depth(doc, "verbinder", 2, 0.5, 0);
  check_actie(doc, 0, "herverdelen", "communitymanager");
  ck_assert_str_eq(str(actie(doc, 0), "vanRol"), "verbinder");
  ck_assert_double_eq_tol(num(actie(doc, 0), "fte"), 0.2, SHOWN);
  check_leden(doc, 0, "Anna");
  ck_assert_str_eq(str(actie(doc, 0), "toelichting"),
                   "Dit lid heeft de essentiële competenties van deze rol en kan 0,20 fte uit de "
                   "andere rol verschuiven; die houdt dan 0,40 fte, niet minder dan haar p25 van "
                   "0,40 fte.");
  check_actie(doc, 1, "werven", "communitymanager");
  ck_assert_double_eq_tol(num(actie(doc, 1), "fte"), 0.05, SHOWN);
  ck_assert_str_eq(str(actie(doc, 1), "toelichting"),
                   "Na het verschuiven ontbreekt nog 0,05 fte (0,10 fte tot de mediaan); werf die.");
  /* Nobody else moves: the other missing roles are recruited. */
  for (size_t i = 2; i < nacties(doc); i++)
    ck_assert_str_ne(str(actie(doc, i), "soort"), "herverdelen");
  json_decref(doc);
}
END_TEST

/* The larger amount first: Bert can move .2 from verbinder (.6, p25 .4),
 * Anna only .1 from pdc (.15, p25 .05), although Anna sorts first by
 * label. The need of communitymanager (.25) takes Bert's .2 and .05 of
 * Anna's. */
START_TEST(larger_amount_first) {
  json_t *doc = analyse(TEAM(
      "{'label':'Anna','fte':0.15,'rollen':[{'rol':'pdc','aandeel':0.15}],"
      "'competenties':[{'code':'community','niveau':3},{'code':'producten','niveau':3}]},"
      "{'label':'Bert','fte':0.6,'rollen':[{'rol':'verbinder','aandeel':0.6}],"
      "'competenties':[{'code':'community','niveau':3},{'code':'bestuur','niveau':3},"
      "{'code':'verbinden','niveau':3}]}"));
  check_actie(doc, 0, "herverdelen", "communitymanager");
  check_leden(doc, 0, "Bert");
  ck_assert_double_eq_tol(num(actie(doc, 0), "fte"), 0.2, SHOWN);
  check_actie(doc, 1, "herverdelen", "communitymanager");
  check_leden(doc, 1, "Anna");
  ck_assert_str_eq(str(actie(doc, 1), "vanRol"), "pdc");
  ck_assert_double_eq_tol(num(actie(doc, 1), "fte"), 0.05, SHOWN);
  /* The need is met: no werven for communitymanager. */
  check_actie(doc, 2, "werven", "webredacteur");
  json_decref(doc);
}
END_TEST

/* Shares of .8, .1 and .1 on webredacteur (median .6 > 0): the largest is
 * exactly 0.8 of the role, which is fragile; .4 of .5 is exactly 0.8 too.
 * With .79, .11 and .1 it is not. */
START_TEST(shares_exactly_at_the_threshold) {
  json_t *doc = analyse(TEAM(
      "{'label':'a','fte':0.8,'rollen':[{'rol':'webredacteur','aandeel':0.8}],'competenties':[]},"
      "{'label':'b','fte':0.1,'rollen':[{'rol':'webredacteur','aandeel':0.1}],'competenties':[]},"
      "{'label':'c','fte':0.1,'rollen':[{'rol':'webredacteur','aandeel':0.1}],'competenties':[]},"
      "{'label':'d','fte':0.4,'rollen':[{'rol':'webcare','aandeel':0.4}],'competenties':[]},"
      "{'label':'e','fte':0.1,'rollen':[{'rol':'webcare','aandeel':0.1}],'competenties':[]}"));
  check_depth(doc, "webredacteur", 3, 0.8, 1);
  check_depth(doc, "webcare", 2, 0.8, 1);
  json_decref(doc);
  doc = analyse(TEAM(
      "{'label':'a','fte':0.79,'rollen':[{'rol':'webredacteur','aandeel':0.79}],'competenties':[]},"
      "{'label':'b','fte':0.11,'rollen':[{'rol':'webredacteur','aandeel':0.11}],'competenties':[]},"
      "{'label':'c','fte':0.1,'rollen':[{'rol':'webredacteur','aandeel':0.1}],'competenties':[]}"));
  check_depth(doc, "webredacteur", 3, 0.79, 0);
  ck_assert_str_eq(fragile_text(doc), "");
  json_decref(doc);
}
END_TEST

/* A role whose median is 0 (toegankelijkheid: no reference fields it) is
 * not fragile on one member; ux (median 0) neither. A core role on one
 * member is, whatever its share. */
START_TEST(median_zero_is_not_fragile) {
  json_t *doc = analyse(TEAM(
      "{'label':'a','fte':0.3,'rollen':[{'rol':'toegankelijkheid','aandeel':0.1},"
      "{'rol':'ux','aandeel':0.1},{'rol':'communitymanager','aandeel':0.1}],'competenties':[]},"
      "{'label':'b','fte':0.1,'rollen':[{'rol':'verbinder','aandeel':0.1}],'competenties':[]}"));
  check_depth(doc, "toegankelijkheid", 1, 1.0, 0);
  check_depth(doc, "ux", 1, 1.0, 0);
  check_depth(doc, "communitymanager", 1, 1.0, 1);
  check_depth(doc, "verbinder", 1, 1.0, 1);
  ck_assert_str_eq(fragile_text(doc), "verbinder communitymanager");
  json_decref(doc);
}
END_TEST

/* Drie holds three roles (.3 each) and Twee .5 webredacteur:
 *   webredacteur .8 (ruim, .2 above p25), two people, largest .5/.8 = .625;
 *   webcare .3 (passend) and pdc .3 (ruim, .25 above p25) on Drie alone.
 * Drie has eindredactie 4, so the missing eindredacteur (.15 to p25) takes
 * .15 from pdc, his larger surplus (.25 against .2 in webredacteur); pdc
 * keeps .15. */
START_TEST(member_in_three_roles) {
  json_t *doc = analyse(TEAM(
      "{'label':'Drie','fte':0.9,'rollen':[{'rol':'webredacteur','aandeel':0.3},"
      "{'rol':'webcare','aandeel':0.3},{'rol':'pdc','aandeel':0.3}],"
      "'competenties':[{'code':'eindredactie','niveau':4}]},"
      "{'label':'Twee','fte':0.5,'rollen':[{'rol':'webredacteur','aandeel':0.5}],"
      "'competenties':[]}"));
  check_depth(doc, "webredacteur", 2, 0.625, 0);
  check_depth(doc, "webcare", 1, 1.0, 1);
  check_depth(doc, "pdc", 1, 1.0, 1);
  ck_assert_str_eq(fragile_text(doc), "webcare pdc");
  /* verbinder and communitymanager (core, nobody qualifies), then
   * eindredacteur (1 x .2) before webanalist (2/3 x .2). */
  check_actie(doc, 0, "werven", "verbinder");
  check_actie(doc, 1, "werven", "communitymanager");
  check_actie(doc, 2, "herverdelen", "eindredacteur");
  ck_assert_str_eq(str(actie(doc, 2), "vanRol"), "pdc");
  ck_assert_double_eq_tol(num(actie(doc, 2), "fte"), 0.15, SHOWN);
  check_leden(doc, 2, "Drie");
  ck_assert_str_eq(str(actie(doc, 2), "toelichting"),
                   "Dit lid heeft de essentiële competenties van deze rol en kan 0,15 fte uit de "
                   "andere rol verschuiven; die houdt dan 0,15 fte, niet minder dan haar p25 van "
                   "0,05 fte.");
  check_actie(doc, 3, "werven", "webanalist");
  /* Essential gaps in catalogue order: schrijven (both holders at 0, by
   * label), klantcontact, producten; then the fragile roles. */
  check_actie(doc, 4, "opleiden", "webredacteur");
  check_leden(doc, 4, "Drie Twee");
  ck_assert_str_eq(str(actie(doc, 4), "competentie"), "schrijven");
  ck_assert_int_eq(json_integer_value(json_object_get(actie(doc, 4), "doelniveau")), 3);
  check_actie(doc, 5, "opleiden", "webcare");
  check_actie(doc, 6, "opleiden", "pdc");
  check_actie(doc, 7, "spreiden", "webcare");
  check_actie(doc, 8, "spreiden", "pdc");
  ck_assert_uint_eq(nacties(doc), 9);
  json_decref(doc);
}
END_TEST

/* Schrijven 3 is missing on webredacteur: the member closest to it first
 * (Xena 2, Yara 1, Adam none), not the first by label. */
START_TEST(training_names_the_nearest_first) {
  json_t *doc = analyse(TEAM(
      "{'label':'Adam','fte':0.2,'rollen':[{'rol':'webredacteur','aandeel':0.2}],'competenties':[]},"
      "{'label':'Yara','fte':0.2,'rollen':[{'rol':'webredacteur','aandeel':0.2}],"
      "'competenties':[{'code':'schrijven','niveau':1}]},"
      "{'label':'Xena','fte':0.2,'rollen':[{'rol':'webredacteur','aandeel':0.2}],"
      "'competenties':[{'code':'schrijven','niveau':2}]}"));
  size_t i = 0;
  while (strcmp(str(actie(doc, i), "soort"), "opleiden") != 0) i++;
  check_actie(doc, i, "opleiden", "webredacteur");
  check_leden(doc, i, "Xena Yara Adam");
  ck_assert_str_eq(str(actie(doc, i), "toelichting"),
                   "Vereist is niveau 3; het eerstgenoemde lid heeft niveau 2 en zit er het "
                   "dichtst bij.");
  json_decref(doc);
}
END_TEST

/* Enig carries webanalist (data 3) alone. Backups need data >= 2: Quin (3,
 * short 0) first, then Pim, Sam and Tom (2, short 1) by label, at most
 * three; Rik (1) does not qualify. */
START_TEST(backups_of_a_fragile_role) {
  json_t *doc = analyse(TEAM(
      "{'label':'Enig','fte':0.2,'rollen':[{'rol':'webanalist','aandeel':0.2}],"
      "'competenties':[{'code':'data','niveau':3}]},"
      "{'label':'Tom','fte':0.1,'rollen':[{'rol':'pdc','aandeel':0.1}],"
      "'competenties':[{'code':'data','niveau':2}]},"
      "{'label':'Rik','fte':0.1,'rollen':[{'rol':'pdc','aandeel':0.1}],"
      "'competenties':[{'code':'data','niveau':1}]},"
      "{'label':'Sam','fte':0.1,'rollen':[{'rol':'pdc','aandeel':0.1}],"
      "'competenties':[{'code':'data','niveau':2}]},"
      "{'label':'Quin','fte':0.1,'rollen':[{'rol':'pdc','aandeel':0.1}],"
      "'competenties':[{'code':'data','niveau':3}]},"
      "{'label':'Pim','fte':0.1,'rollen':[{'rol':'pdc','aandeel':0.1}],"
      "'competenties':[{'code':'data','niveau':2}]}"));
  check_depth(doc, "webanalist", 1, 1.0, 1);
  size_t last = nacties(doc) - 1;
  check_actie(doc, last, "spreiden", "webanalist");
  check_leden(doc, last, "Quin Pim Sam");
  ck_assert_str_eq(str(actie(doc, last), "toelichting"),
                   "Eén lid draagt 100 % van deze rol; de genoemde leden hebben haar essentiële "
                   "competenties op ten hoogste één niveau onder het vereiste en kunnen leren haar "
                   "waar te nemen.");
  json_decref(doc);
}
END_TEST

/* Without inhabitants there are no bands: a missing role is recruited
 * without an amount, and nothing is moved. */
START_TEST(no_band_recruits_without_amount) {
  json_t *doc = analyse("{'leden':[{'label':'a','fte':0.6,'rollen':[{'rol':'verbinder',"
                        "'aandeel':0.6}],'competenties':[{'code':'community','niveau':4}]}]}");
  check_actie(doc, 0, "werven", "communitymanager");
  ck_assert_ptr_null(json_object_get(actie(doc, 0), "fte"));
  ck_assert_str_eq(str(actie(doc, 0), "toelichting"),
                   "Zonder verwachte bandbreedte is geen omvang te noemen; beleg de rol bij "
                   "iemand of werf.");
  /* The core role on one member is fragile without a band too. */
  ck_assert_str_eq(fragile_text(doc), "verbinder");
  json_decref(doc);
}
END_TEST

/* An empty team: every missing role is recruited, nothing else. */
START_TEST(empty_team_only_recruits) {
  json_t *doc = analyse(TEAM(""));
  ck_assert_uint_eq(nacties(doc), 7);
  for (size_t i = 0; i < nacties(doc); i++) ck_assert_str_eq(str(actie(doc, i), "soort"), "werven");
  ck_assert_str_eq(fragile_text(doc), "");
  json_decref(doc);
}
END_TEST

/* ----------------------------------------------------- property: random */

static uint64_t seed = 0x2545F4914F6CDD1Du;

static uint64_t rnd(void) {
  seed ^= seed >> 12;
  seed ^= seed << 25;
  seed ^= seed >> 27;
  return seed * 2685821657736338717u;
}

static size_t pick(size_t n) { return (size_t)(rnd() % n); }

static const char *const ROLES[] = {"verbinder", "communitymanager", "webanalist",
                                    "eindredacteur", "webredacteur", "webcare",
                                    "pdc", "ux", "toegankelijkheid"};
static const char *const COMPETENCIES[] = {"bestuur", "verbinden", "community", "data",
                                           "eindredactie", "schrijven", "klantcontact",
                                           "producten", "onderzoek", "wcag"};
#define NROLES (sizeof(ROLES) / sizeof(*ROLES))

/* A team of 0 to 11 members, each in 1 to 3 distinct roles, with random
 * competencies; at 40 000 or 10 000 inhabitants. */
static json_t *random_team(void) {
  json_t *leden = json_array();
  size_t n = pick(12);
  for (size_t i = 0; i < n; i++) {
    json_t *rollen = json_array(), *comps = json_array();
    double fte = 0.0;
    size_t first = pick(NROLES), nr = 1 + pick(3);
    for (size_t k = 0; k < nr; k++) {
      double aandeel = (double)(1 + pick(40)) / 100.0;
      fte += aandeel;
      json_array_append_new(rollen, json_pack("{s:s, s:f}", "rol", ROLES[(first + 3 * k) % NROLES],
                                              "aandeel", aandeel));
    }
    for (size_t k = 0; k < sizeof(COMPETENCIES) / sizeof(*COMPETENCIES); k++)
      if (pick(3) == 0)
        json_array_append_new(comps, json_pack("{s:s, s:i}", "code", COMPETENCIES[k], "niveau",
                                               (int)(1 + pick(4))));
    char label[16];
    snprintf(label, sizeof(label), "lid %zu", i);
    json_array_append_new(leden, json_pack("{s:s, s:f, s:o, s:o}", "label", label, "fte", fte,
                                           "rollen", rollen, "competenties", comps));
  }
  return json_pack("{s:s, s:i, s:o}", "gemeente", "GM0999", "inwoners",
                   pick(2) ? 40000 : 10000, "leden", leden);
}

static const json_t *member_of(const json_t *team, const char *label) {
  size_t i;
  const json_t *m;
  json_array_foreach(json_object_get(team, "leden"), i, m) {
    if (strcmp(str(m, "label"), label) == 0) return m;
  }
  return NULL;
}

static double share_of(const json_t *member, const char *rol) {
  size_t i;
  const json_t *s;
  json_array_foreach(json_object_get(member, "rollen"), i, s) {
    if (strcmp(str(s, "rol"), rol) == 0) return num(s, "aandeel");
  }
  return 0.0;
}

static int has_essential_gap(const json_t *doc, const char *rol, const char *competentie) {
  size_t i;
  const json_t *g;
  json_array_foreach(json_object_get(doc, "competentieTekorten"), i, g) {
    if (json_is_true(json_object_get(g, "essentieel")) && strcmp(str(g, "rol"), rol) == 0 &&
        strcmp(str(g, "competentie"), competentie) == 0) {
      return 1;
    }
  }
  return 0;
}

/* For every action of every team: a herverdelen leaves its donor role at
 * or above its p25 (all moves from it together) and moves no more than
 * the member holds there; every member named exists and holds what the
 * action says; herverdelen and werven name only roles that are short
 * (never passend or ruim), opleiden only an essential gap of the role,
 * spreiden only a fragile role. */
START_TEST(random_teams_keep_the_rules) {
  json_t *cat = J(CATALOGUS), *refs = J(REFS);
  struct tp_gap_model *m = tp_gap_model_new(cat, refs);
  ck_assert_ptr_nonnull(m);
  size_t kinds[4] = {0};
  for (int t = 0; t < 400; t++) {
    json_t *team = random_team();
    json_t *doc = tp_gap_analyse_with(m, team);
    ck_assert_ptr_nonnull(doc);
    json_t *taken = json_object(); /* "rol" -> fte moved away, "label/rol" -> by member */
    size_t i;
    const json_t *a;
    json_array_foreach(json_object_get(doc, "acties"), i, a) {
      const char *soort = str(a, "soort"), *rol = str(a, "rol");
      const json_t *row = row_of(doc, rol);
      const char *status = str(row, "status");
      const json_t *leden = json_object_get(a, "leden");
      size_t k;
      const json_t *l;
      json_array_foreach(leden, k, l) {
        ck_assert_msg(member_of(team, json_string_value(l)) != NULL, "team %d: unknown member", t);
      }
      if (strcmp(soort, "herverdelen") == 0 || strcmp(soort, "werven") == 0) {
        ck_assert_msg(strcmp(status, "passend") != 0 && strcmp(status, "ruim") != 0,
                      "team %d: %s on %s role %s", t, soort, status, rol);
      }
      if (strcmp(soort, "herverdelen") == 0) {
        kinds[0]++;
        const char *van = str(a, "vanRol");
        const json_t *donor = row_of(doc, van);
        ck_assert_str_eq(str(donor, "status"), "ruim");
        ck_assert_uint_eq(json_array_size(leden), 1);
        const char *label = json_string_value(json_array_get(leden, 0));
        double fte = num(a, "fte");
        ck_assert_msg(fte > 0.0, "team %d: nothing moved", t);
        char key[128];
        snprintf(key, sizeof(key), "%s/%s", label, van);
        double by_member = json_real_value(json_object_get(taken, key)) + fte;
        double from_role = json_real_value(json_object_get(taken, van)) + fte;
        json_object_set_new(taken, key, json_real(by_member));
        json_object_set_new(taken, van, json_real(from_role));
        ck_assert_msg(by_member <= share_of(member_of(team, label), van) + 1e-9,
                      "team %d: %s moves more than it holds in %s", t, label, van);
        double left = num(donor, "fte") - from_role;
        double p25 = num(json_object_get(donor, "verwacht"), "p25");
        ck_assert_msg(left >= p25 - SHOWN, "team %d: %s left at %f under p25 %f", t, van, left,
                      p25);
      } else if (strcmp(soort, "opleiden") == 0) {
        kinds[1]++;
        ck_assert_msg(has_essential_gap(doc, rol, str(a, "competentie")), "team %d", t);
        json_array_foreach(leden, k, l) {
          ck_assert_msg(share_of(member_of(team, json_string_value(l)), rol) > 0.0,
                        "team %d: %s does not hold %s", t, json_string_value(l), rol);
        }
      } else if (strcmp(soort, "spreiden") == 0) {
        kinds[2]++;
        ck_assert_msg(json_is_true(json_object_get(json_object_get(row, "bezetting"), "kwetsbaar")),
                      "team %d: spreiden on a role that is not fragile", t);
        ck_assert_uint_le(json_array_size(leden), 3);
      } else {
        ck_assert_str_eq(soort, "werven");
        kinds[3]++;
      }
    }
    json_decref(taken);
    json_decref(doc);
    json_decref(team);
  }
  /* The random teams meet every kind of action. */
  for (int k = 0; k < 4; k++) ck_assert_msg(kinds[k] > 0, "no action of kind %d", k);
  tp_gap_model_free(m);
  json_decref(refs);
  json_decref(cat);
}
END_TEST

int main(void) {
  Suite *s = suite_create("gap_acties");
  TCase *tc = tcase_create("gap_acties");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, one_member);
  tcase_add_test(tc, several_candidates_by_amount_then_label);
  tcase_add_test(tc, larger_amount_first);
  tcase_add_test(tc, shares_exactly_at_the_threshold);
  tcase_add_test(tc, median_zero_is_not_fragile);
  tcase_add_test(tc, member_in_three_roles);
  tcase_add_test(tc, training_names_the_nearest_first);
  tcase_add_test(tc, backups_of_a_fragile_role);
  tcase_add_test(tc, no_band_recruits_without_amount);
  tcase_add_test(tc, empty_team_only_recruits);
  tcase_add_test(tc, random_teams_keep_the_rules);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
