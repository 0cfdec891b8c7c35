/* The gap analysis (gap.h) on the worked example and other cases,
 * checked against numbers worked out by hand in the comments. No
 * database. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gap_fixtures.h"
#include "teamplotter/gap.h"
#include "teamplotter/stats.h"

/* ------------------------------------------------------------- fixtures */

static json_t *team_at(const char *inwoners) {
  char text[2048];
  snprintf(text, sizeof(text),
           "{'gemeente':'GM0999','inwoners':%s,'peildatum':'2026-01-01','leden':" TEAM_LEDEN "}",
           inwoners);
  return J(text);
}

static json_t *analyse(const json_t *team, const char *refs) {
  json_t *cat = J(CATALOGUS), *r = J(refs);
  json_t *doc = tp_gap_analyse(cat, team, r);
  ck_assert_ptr_nonnull(doc);
  json_decref(cat);
  json_decref(r);
  return doc;
}

static json_t *worked(void) {
  json_t *team = team_at("40000");
  json_t *doc = analyse(team, "[" REF_A "," REF_B "," REF_C "]");
  json_decref(team);
  return doc;
}

static const json_t *row_of(const json_t *doc, const char *code) {
  size_t i;
  const json_t *r;
  json_array_foreach(json_object_get(doc, "rollen"), i, r) {
    if (strcmp(json_string_value(json_object_get(r, "rol")), code) == 0) return r;
  }
  ck_abort_msg("no row for %s", code);
  return NULL;
}

static void check_band(const json_t *doc, const char *code, double p25, double med, double p75) {
  const json_t *band = json_object_get(row_of(doc, code), "verwacht");
  ck_assert_msg(json_is_object(band), "no band for %s", code);
  ck_assert_double_eq_tol(num(band, "p25"), p25, TOL);
  ck_assert_double_eq_tol(num(band, "mediaan"), med, TOL);
  ck_assert_double_eq_tol(num(band, "p75"), p75, TOL);
}

static void check_status(const json_t *doc, const char *code, const char *status) {
  ck_assert_str_eq(str(row_of(doc, code), "status"), status);
}

/* ------------------------------------------------------------ the worked example */

START_TEST(worked_fit_and_references) {
  json_t *doc = worked();
  ck_assert_str_eq(json_string_value(json_object_get(doc, "methodeVersie")), "1.1");
  ck_assert_str_eq(str(doc, "gemeente"), "GM0999");
  ck_assert(json_is_integer(json_object_get(doc, "inwoners")));
  ck_assert_int_eq(json_integer_value(json_object_get(doc, "inwoners")), 40000);
  /* Three references with two distinct sizes: the power law.
   * a = -4.530789 -> -4.5308, b = 0.5, R² = 0.966608 -> 0.9666. */
  const json_t *fit = json_object_get(doc, "fit");
  ck_assert_str_eq(str(fit, "methode"), "machtswet");
  ck_assert_double_eq_tol(num(fit, "a"), -4.5308, TOL);
  ck_assert_double_eq_tol(num(fit, "b"), 0.5, TOL);
  ck_assert_double_eq_tol(num(fit, "r2"), 0.9666, TOL);
  /* References sorted by code, with their provenance and totals. */
  const json_t *refs = json_object_get(doc, "referenties");
  ck_assert_uint_eq(json_array_size(refs), 3);
  ck_assert_str_eq(str(json_array_get(refs, 0), "gemeente"), "GM0001");
  ck_assert_str_eq(str(json_array_get(refs, 1), "gemeente"), "GM0002");
  ck_assert_str_eq(str(json_array_get(refs, 2), "gemeente"), "GM0003");
  ck_assert_str_eq(str(json_array_get(refs, 1), "herkomst"), "publicatie");
  ck_assert_str_eq(str(json_array_get(refs, 0), "teamprofiel"),
                   "bbbbbbbb-0000-4000-8000-000000000001");
  ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(refs, 1), "inwoners")),
                   160000);
  ck_assert_double_eq_tol(num(json_array_get(refs, 0), "totaalFte"), 2.5, TOL);
  ck_assert_double_eq_tol(num(json_array_get(refs, 1), "totaalFte"), 4.0, TOL);
  ck_assert_double_eq_tol(num(json_array_get(refs, 2), "totaalFte"), 1.0, TOL);
  ck_assert_uint_eq(json_array_size(json_object_get(doc, "onbekendeRollen")), 0);
  json_decref(doc);
}
END_TEST

START_TEST(worked_bands_and_statuses) {
  json_t *doc = worked();
  /* N = 40 000, b = 0.5: s = f * (N / N_i)^0.5, factor 2 for A (10 000), 1 for B,
   * 0.5 for C (160 000). Per role (A, B, C) scaled, sorted, then p25/median/p75 with
   * h = 0.5, 1, 1.5:
   *   verbinder      .4  .5  .4  -> .4 .4 .5   -> .4   .4  .45  aanw 1
   *   communitym.    .4  .3  .2  -> .2 .3 .4   -> .25  .3  .35  aanw 1
   *   webanalist     0   .2  .2  -> 0 .2 .2    -> .1   .2  .2   aanw 2/3
   *   eindredacteur  .2  .2  .1  -> .1 .2 .2   -> .15  .2  .2   aanw 1
   *   webredacteur   .6  .8  .6  -> .6 .6 .8   -> .6   .6  .7   aanw 1
   *   webcare        .4  .4  0   -> 0 .4 .4    -> .2   .4  .4   aanw 2/3 (C fields none)
   *   pdc            0   .1  .1  -> 0 .1 .1    -> .05  .1  .1   aanw 2/3
   *   ux             0   0   .4  -> 0 0 .4     -> 0    0   .2   aanw 1/3
   *   toegankelijkh. 0   0   0                 -> 0    0   0    aanw 0 */
  check_band(doc, "verbinder", 0.4, 0.4, 0.45);
  check_band(doc, "communitymanager", 0.25, 0.3, 0.35);
  check_band(doc, "webanalist", 0.1, 0.2, 0.2);
  check_band(doc, "eindredacteur", 0.15, 0.2, 0.2);
  check_band(doc, "webredacteur", 0.6, 0.6, 0.7);
  check_band(doc, "webcare", 0.2, 0.4, 0.4);
  check_band(doc, "pdc", 0.05, 0.1, 0.1);
  check_band(doc, "ux", 0.0, 0.0, 0.2);
  check_band(doc, "toegankelijkheid", 0.0, 0.0, 0.0);
  ck_assert_double_eq_tol(num(row_of(doc, "webanalist"), "aanwezigheid"), 0.6667, TOL);
  ck_assert_double_eq_tol(num(row_of(doc, "ux"), "aanwezigheid"), 0.3333, TOL);
  ck_assert_double_eq_tol(num(row_of(doc, "verbinder"), "aanwezigheid"), 1.0, TOL);
  ck_assert_double_eq_tol(num(row_of(doc, "toegankelijkheid"), "aanwezigheid"), 0.0, TOL);
  ck_assert_double_eq_tol(num(row_of(doc, "pdc"), "fte"), 0.3, TOL);
  /* Team f_r against the bands:
   *   verbinder .42 in [.4, .45]            passend
   *   communitymanager 0, aanw 1 >= .5       ontbreekt
   *   webanalist .05 < p25 .1                onderbezet
   *   eindredacteur 0, aanw 1                ontbreekt
   *   webredacteur .5 < p25 .6               onderbezet
   *   webcare 0, aanw 2/3                    ontbreekt
   *   pdc .3 > p75 .1                        ruim
   *   ux 0, aanw 1/3 < .5                    optioneel
   *   toegankelijkheid .1 > p75 0            ruim (a role only this team fields) */
  check_status(doc, "verbinder", "passend");
  check_status(doc, "communitymanager", "ontbreekt");
  check_status(doc, "webanalist", "onderbezet");
  check_status(doc, "eindredacteur", "ontbreekt");
  check_status(doc, "webredacteur", "onderbezet");
  check_status(doc, "webcare", "ontbreekt");
  check_status(doc, "pdc", "ruim");
  check_status(doc, "ux", "optioneel");
  check_status(doc, "toegankelijkheid", "ruim");
  /* All catalogue roles, in catalogue order. */
  const json_t *rows = json_object_get(doc, "rollen");
  ck_assert_uint_eq(json_array_size(rows), 9);
  ck_assert_str_eq(str(json_array_get(rows, 0), "rol"), "verbinder");
  ck_assert_str_eq(str(json_array_get(rows, 2), "rol"), "webanalist");
  ck_assert_str_eq(str(json_array_get(rows, 8), "rol"), "toegankelijkheid");
  json_decref(doc);
}
END_TEST

START_TEST(worked_summary) {
  json_t *doc = worked();
  const json_t *sum = json_object_get(doc, "samenvatting");
  /* totaalFte = .42 + .65 + .3 = 1.37.
   * verwachtFte = exp(a) * N^b = exp(ln(10)/3 - 0.5 ln 40000) * 40000^0.5 = 10^(1/3) = 2.154435.
   * capaciteit = 1.37 / 2.154435 = 0.635898.
   * dekking: aanwezigheid sums to 1+1+2/3+1+1+2/3+2/3+1/3+0 = 19/3; the fielded roles
   * (verbinder 1, webanalist 2/3, webredacteur 1, pdc 2/3, toegankelijkheid 0) sum to 10/3;
   * 10/19 = 0.526316. */
  ck_assert_double_eq_tol(num(sum, "totaalFte"), 1.37, TOL);
  ck_assert_double_eq_tol(num(sum, "verwachtFte"), 2.1544, TOL);
  ck_assert_double_eq_tol(num(sum, "capaciteit"), 0.6359, TOL);
  ck_assert_double_eq_tol(num(sum, "dekking"), 0.5263, TOL);
  const json_t *missing = json_object_get(sum, "ontbrekendeKernrollen");
  ck_assert_uint_eq(json_array_size(missing), 1);
  ck_assert_str_eq(json_string_value(json_array_get(missing, 0)), "communitymanager");
  json_decref(doc);
}
END_TEST

static void check_gap(const json_t *gaps, size_t i, const char *rol, const char *comp,
                      int vereist, int hoogste, int essentieel) {
  const json_t *g = json_array_get(gaps, i);
  ck_assert_msg(g != NULL, "no gap %zu", i);
  ck_assert_str_eq(str(g, "rol"), rol);
  ck_assert_str_eq(str(g, "competentie"), comp);
  ck_assert_int_eq(json_integer_value(json_object_get(g, "vereist")), vereist);
  ck_assert_int_eq(json_integer_value(json_object_get(g, "hoogste")), hoogste);
  ck_assert_int_eq(json_is_true(json_object_get(g, "essentieel")), essentieel);
}

START_TEST(worked_competency_gaps) {
  json_t *doc = worked();
  const json_t *gaps = json_object_get(doc, "competentieTekorten");
  /* Fielded roles: verbinder, webanalist, webredacteur, pdc, toegankelijkheid.
   * Essential first, then catalogue role order, then requirement order:
   *   verbinder/bestuur 3: Regisseur 3, no gap; verbinder/verbinden 3: best 2, gap.
   *   webanalist/data 3: Analist has none -> 0, gap.
   *   webredacteur/schrijven 3: Redacteur 2, gap (the Regisseur's 4 does not count: he
   *     does not hold the role).
   *   pdc/producten 3: Redacteur 2, Analist 3 -> best 3, no gap.
   *   toegankelijkheid/wcag 4: Analist 3, gap.
   * Then the non-essential ones:
   *   verbinder/strategie 2: 0; webanalist/privacy 2: 1; webredacteur/taal 3: 2;
   *   pdc/schrijven 3: Redacteur 2 (Analist none) -> 2.
   * Unfielded roles (communitymanager, ...) give no gaps. */
  ck_assert_uint_eq(json_array_size(gaps), 8);
  check_gap(gaps, 0, "verbinder", "verbinden", 3, 2, 1);
  check_gap(gaps, 1, "webanalist", "data", 3, 0, 1);
  check_gap(gaps, 2, "webredacteur", "schrijven", 3, 2, 1);
  check_gap(gaps, 3, "toegankelijkheid", "wcag", 4, 3, 1);
  check_gap(gaps, 4, "verbinder", "strategie", 2, 0, 0);
  check_gap(gaps, 5, "webanalist", "privacy", 2, 1, 0);
  check_gap(gaps, 6, "webredacteur", "taal", 3, 2, 0);
  check_gap(gaps, 7, "pdc", "schrijven", 3, 2, 0);
  json_decref(doc);
}
END_TEST

static void check_advice(const json_t *adv, size_t i, const char *soort, const char *rol,
                         const char *comp, const char *refs_csv) {
  const json_t *a = json_array_get(adv, i);
  ck_assert_msg(a != NULL, "no advice %zu", i);
  ck_assert_str_eq(str(a, "soort"), soort);
  ck_assert_str_eq(str(a, "rol"), rol);
  if (comp)
    ck_assert_str_eq(str(a, "competentie"), comp);
  else
    ck_assert_ptr_null(json_object_get(a, "competentie"));
  char got[256] = "";
  size_t k;
  const json_t *g;
  json_array_foreach(json_object_get(a, "referentiegemeenten"), k, g) {
    if (k) strcat(got, ",");
    strcat(got, json_string_value(g));
  }
  ck_assert_str_eq(got, refs_csv);
  ck_assert_uint_gt(strlen(str(a, "toelichting")), 10);
}

START_TEST(worked_advice_order) {
  json_t *doc = worked();
  const json_t *adv = json_object_get(doc, "advies");
  /* 1. missing core roles: communitymanager (fielded by all three).
   * 2. missing roles by aanwezigheid * mediaan, descending:
   *    webcare 2/3 * .4 = .2667 before eindredacteur 1 * .2 = .2 (the catalogue has
   *    eindredacteur first, so the sort shows).
   * 3. understaffed by shortfall p25 - f, descending: webredacteur .6 - .5 = .1 before
   *    webanalist .1 - .05 = .05 (catalogue order is the other way round).
   * 4. essential competency gaps, in competentieTekorten order; non-essential ones
   *    give no advice.
   * Reference municipalities fielding the role, sorted by code: A = GM0003, B = GM0001,
   * C = GM0002; webcare is fielded by A and B; webanalist by B and C; nobody fields
   * toegankelijkheid. */
  ck_assert_uint_eq(json_array_size(adv), 9);
  check_advice(adv, 0, "kernrol-ontbreekt", "communitymanager", NULL, "GM0001,GM0002,GM0003");
  check_advice(adv, 1, "rol-ontbreekt", "webcare", NULL, "GM0001,GM0003");
  check_advice(adv, 2, "rol-ontbreekt", "eindredacteur", NULL, "GM0001,GM0002,GM0003");
  check_advice(adv, 3, "onderbezet", "webredacteur", NULL, "GM0001,GM0002,GM0003");
  check_advice(adv, 4, "onderbezet", "webanalist", NULL, "GM0001,GM0002");
  check_advice(adv, 5, "competentie-tekort", "verbinder", "verbinden", "GM0001,GM0002,GM0003");
  check_advice(adv, 6, "competentie-tekort", "webanalist", "data", "GM0001,GM0002");
  check_advice(adv, 7, "competentie-tekort", "webredacteur", "schrijven",
               "GM0001,GM0002,GM0003");
  check_advice(adv, 8, "competentie-tekort", "toegankelijkheid", "wcag", "");
  /* The explanations carry the numbers. */
  ck_assert_str_eq(str(json_array_get(adv, 0), "toelichting"),
                   "Geen fte op deze kernrol; 3 van de 3 referentiegemeenten hebben haar, met "
                   "een mediaan van 0,30 fte bij uw inwonertal.");
  ck_assert_str_eq(str(json_array_get(adv, 1), "toelichting"),
                   "Geen fte op deze rol; 2 van de 3 referentiegemeenten hebben haar, met een "
                   "mediaan van 0,40 fte bij uw inwonertal.");
  ck_assert_str_eq(str(json_array_get(adv, 3), "toelichting"),
                   "0,50 fte op deze rol, minder dan de 0,60 tot 0,70 fte (p25 tot p75) die bij "
                   "uw inwonertal past; tot p25 ontbreekt 0,10 fte.");
  ck_assert_str_eq(str(json_array_get(adv, 5), "toelichting"),
                   "Essentiële competentie, vereist op niveau 3; het hoogste niveau onder de "
                   "leden met deze rol is 2.");
  ck_assert_str_eq(str(json_array_get(adv, 6), "toelichting"),
                   "Essentiële competentie, vereist op niveau 3; geen van de leden met deze rol "
                   "heeft haar.");
  json_decref(doc);
}
END_TEST

START_TEST(key_order_is_fixed) {
  json_t *doc = worked();
  char *s = dump(doc);
  const char *keys[] = {"\"methodeVersie\"", "\"gemeente\"", "\"inwoners\"",   "\"fit\"",
                        "\"referenties\"",   "\"samenvatting\"", "\"rollen\"",
                        "\"competentieTekorten\"", "\"advies\"", "\"acties\"",
                        "\"onbekendeRollen\""};
  ck_assert_ptr_eq(strstr(s, keys[0]), s + 1);
  const char *prev = s;
  for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
    /* The first occurrence of each top-level key after the previous one. */
    const char *at = strstr(prev, keys[i]);
    ck_assert_msg(at != NULL, "%s missing or out of order", keys[i]);
    prev = at;
  }
  ck_assert_ptr_nonnull(strstr(s, "\"fit\":{\"methode\":\"machtswet\",\"a\":-4.5308,\"b\":0.5,"
                                  "\"r2\":0.9666}"));
  ck_assert_ptr_nonnull(strstr(s, "{\"rol\":\"verbinder\",\"fte\":0.42,\"aanwezigheid\":1.0,"
                                  "\"status\":\"passend\",\"verwacht\":{\"p25\":0.4,"
                                  "\"mediaan\":0.4,\"p75\":0.45},\"bezetting\":{\"personen\":1,"
                                  "\"grootsteAandeel\":1.0,\"kwetsbaar\":true}}"));
  free(s);
  json_decref(doc);
}
END_TEST

/* ---------------------------------------------------------- other cases */

START_TEST(own_reference_profile_is_left_out) {
  /* A reference municipality is analysed against the others only: the team of
   * GM0002 against A, B and C gives exactly what it gives against A and B. */
  json_t *team = J("{'gemeente':'GM0002','inwoners':160000,'leden':" TEAM_LEDEN "}");
  json_t *with_own = analyse(team, "[" REF_A "," REF_B "," REF_C "]");
  json_t *without = analyse(team, "[" REF_A "," REF_B "]");
  ck_assert_uint_eq(json_array_size(json_object_get(with_own, "referenties")), 2);
  char *x = json_dumps(with_own, JSON_COMPACT | JSON_PRESERVE_ORDER);
  char *y = json_dumps(without, JSON_COMPACT | JSON_PRESERVE_ORDER);
  ck_assert_str_eq(x, y);
  free(x);
  free(y);
  json_decref(with_own);
  json_decref(without);
  json_decref(team);
}
END_TEST

START_TEST(two_references_fall_back_to_linear) {
  /* A (10 000, T 1) and B (40 000, T 2.5); team at 20 000.
   * b = 1, a = mean(ln(1/10000), ln(2.5/40000)) = mean(-9.210340, -9.680344) = -9.445342.
   * verwachtFte = exp(a) * 20000 = 20000 * sqrt(1e-4 * 6.25e-5) = 1.581139.
   * s = f * N / N_i: factor 2 for A, 0.5 for B.
   *   verbinder .4, .25 -> sorted .25 .4: p25 = .25 + .25*.15 = .2875, med .325, p75 .3625
   *   webcare   .4, .2  -> .25, .3, .35
   *   webanalist 0, .1 -> .025, .05, .075 (aanwezigheid .5) */
  json_t *team = team_at("20000");
  json_t *doc = analyse(team, "[" REF_A "," REF_B "]");
  const json_t *fit = json_object_get(doc, "fit");
  ck_assert_str_eq(str(fit, "methode"), "lineair");
  ck_assert_double_eq_tol(num(fit, "a"), -9.4453, TOL);
  ck_assert_double_eq_tol(num(fit, "b"), 1.0, TOL);
  ck_assert(json_is_null(json_object_get(fit, "r2")));
  ck_assert_double_eq_tol(num(json_object_get(doc, "samenvatting"), "verwachtFte"), 1.5811, TOL);
  check_band(doc, "verbinder", 0.2875, 0.325, 0.3625);
  check_band(doc, "webcare", 0.25, 0.3, 0.35);
  check_band(doc, "webanalist", 0.025, 0.05, 0.075);
  ck_assert_double_eq_tol(num(row_of(doc, "webanalist"), "aanwezigheid"), 0.5, TOL);
  /* verbinder .42 > .3625: ruim; webanalist .05 within [.025, .075]: passend;
   * webcare 0 with aanwezigheid 1: ontbreekt. */
  check_status(doc, "verbinder", "ruim");
  check_status(doc, "webanalist", "passend");
  check_status(doc, "webcare", "ontbreekt");
  json_decref(doc);
  json_decref(team);
}
END_TEST

START_TEST(one_reference_band_is_its_value) {
  /* B alone, team at 40 000: lineair, a = ln(2.5 / 40000) = -9.680344, and p25 = median =
   * p75 = B's own fte on the role (factor 1). */
  json_t *team = team_at("40000");
  json_t *doc = analyse(team, "[" REF_B "]");
  ck_assert_str_eq(str(json_object_get(doc, "fit"), "methode"), "lineair");
  ck_assert_double_eq_tol(num(json_object_get(doc, "fit"), "a"), -9.6803, TOL);
  check_band(doc, "verbinder", 0.5, 0.5, 0.5);
  check_band(doc, "webredacteur", 0.8, 0.8, 0.8);
  check_band(doc, "ux", 0.0, 0.0, 0.0);
  ck_assert_double_eq_tol(num(json_object_get(doc, "samenvatting"), "verwachtFte"), 2.5, TOL);
  json_decref(doc);
  json_decref(team);
}
END_TEST

START_TEST(equal_inhabitants_fall_back_to_linear) {
  /* Three references, all at 40 000, totals 1, 2.5 and 4: no slope can be fitted.
   * a = mean(ln T_i) - ln 40000 = ln(10)/3 - 10.596635 = -9.829106; at N = 40 000 the
   * scale factor is 1: verbinder .2 .5 .8 -> p25 .35, median .5, p75 .65;
   * verwachtFte = 10^(1/3) = 2.154435. */
  json_t *team = team_at("40000");
  const char *refs =
      "[" REF_B ","
      "{'gemeente':'GM0005','inwoners':40000,'leden':[{'label':'x','fte':1.0,"
      "'rollen':[{'rol':'verbinder','aandeel':0.2},{'rol':'webredacteur','aandeel':0.8}],"
      "'competenties':[]}]},"
      "{'gemeente':'GM0006','inwoners':40000,'leden':[{'label':'x','fte':1.5,"
      "'rollen':[{'rol':'verbinder','aandeel':0.8},{'rol':'webredacteur','aandeel':0.7}],"
      "'competenties':[]},{'label':'y','fte':1.5,'rollen':[{'rol':'webcare','aandeel':1.5}],"
      "'competenties':[]},{'label':'z','fte':1.0,'rollen':[{'rol':'webcare','aandeel':1.0}],"
      "'competenties':[]}]}]";
  json_t *doc = analyse(team, refs);
  const json_t *fit = json_object_get(doc, "fit");
  ck_assert_str_eq(str(fit, "methode"), "lineair");
  ck_assert_double_eq_tol(num(fit, "a"), -9.8291, TOL);
  ck_assert_double_eq_tol(num(fit, "b"), 1.0, TOL);
  ck_assert(json_is_null(json_object_get(fit, "r2")));
  check_band(doc, "verbinder", 0.35, 0.5, 0.65);
  ck_assert_double_eq_tol(num(json_object_get(doc, "samenvatting"), "verwachtFte"), 2.1544, TOL);
  json_decref(doc);
  json_decref(team);
}
END_TEST

START_TEST(team_without_members) {
  json_t *team = J("{'gemeente':'GM0999','inwoners':40000,'leden':[]}");
  json_t *doc = analyse(team, "[" REF_A "," REF_B "," REF_C "]");
  const json_t *sum = json_object_get(doc, "samenvatting");
  /* Nothing fielded: capaciteit 0, dekking 0 / (19/3) = 0. */
  ck_assert_double_eq_tol(num(sum, "totaalFte"), 0.0, TOL);
  ck_assert_double_eq_tol(num(sum, "capaciteit"), 0.0, TOL);
  ck_assert_double_eq_tol(num(sum, "dekking"), 0.0, TOL);
  ck_assert_uint_eq(json_array_size(json_object_get(sum, "ontbrekendeKernrollen")), 2);
  check_status(doc, "verbinder", "ontbreekt");
  check_status(doc, "ux", "optioneel");
  check_status(doc, "toegankelijkheid", "optioneel");
  ck_assert_uint_eq(json_array_size(json_object_get(doc, "competentieTekorten")), 0);
  /* Core roles in catalogue order, then missing roles by aanwezigheid * mediaan:
   * webredacteur 1*.6 = .6, webcare 2/3*.4 = .2667, eindredacteur .2,
   * webanalist 2/3*.2 = .1333, pdc 2/3*.1 = .0667. */
  const json_t *adv = json_object_get(doc, "advies");
  const char *expect[] = {"verbinder", "communitymanager", "webredacteur", "webcare",
                          "eindredacteur", "webanalist", "pdc"};
  ck_assert_uint_eq(json_array_size(adv), 7);
  for (size_t i = 0; i < 7; i++)
    ck_assert_str_eq(str(json_array_get(adv, i), "rol"), expect[i]);
  ck_assert_str_eq(str(json_array_get(adv, 1), "soort"), "kernrol-ontbreekt");
  ck_assert_str_eq(str(json_array_get(adv, 2), "soort"), "rol-ontbreekt");
  json_decref(doc);
  json_decref(team);
}
END_TEST

START_TEST(no_usable_references) {
  /* No references at all: no fit, no bands. Unfielded roles are optioneel
   * (aanwezigheid 0), fielded ones onbekend; nothing to expect, no coverage. */
  json_t *team = team_at("40000");
  json_t *doc = analyse(team, "[]");
  const json_t *fit = json_object_get(doc, "fit");
  ck_assert_str_eq(str(fit, "methode"), "geen");
  ck_assert(json_is_null(json_object_get(fit, "a")));
  ck_assert(json_is_null(json_object_get(fit, "b")));
  ck_assert(json_is_null(json_object_get(fit, "r2")));
  const json_t *sum = json_object_get(doc, "samenvatting");
  ck_assert_double_eq_tol(num(sum, "totaalFte"), 1.37, TOL);
  ck_assert(json_is_null(json_object_get(sum, "verwachtFte")));
  ck_assert(json_is_null(json_object_get(sum, "capaciteit")));
  ck_assert(json_is_null(json_object_get(sum, "dekking")));
  ck_assert_uint_eq(json_array_size(json_object_get(sum, "ontbrekendeKernrollen")), 0);
  check_status(doc, "verbinder", "onbekend");
  check_status(doc, "toegankelijkheid", "onbekend");
  check_status(doc, "communitymanager", "optioneel");
  ck_assert(json_is_null(json_object_get(row_of(doc, "verbinder"), "verwacht")));
  ck_assert_double_eq_tol(num(row_of(doc, "verbinder"), "aanwezigheid"), 0.0, TOL);
  /* Competency gaps do not need references; their advice still comes. */
  ck_assert_uint_eq(json_array_size(json_object_get(doc, "competentieTekorten")), 8);
  ck_assert_uint_eq(json_array_size(json_object_get(doc, "advies")), 4);
  ck_assert_str_eq(str(json_array_get(json_object_get(doc, "advies"), 0), "soort"),
                   "competentie-tekort");
  json_decref(doc);

  /* Only a reference without members: it cannot enter the fit either. */
  doc = analyse(team, "[" REF_EMPTY "]");
  ck_assert_str_eq(str(json_object_get(doc, "fit"), "methode"), "geen");
  ck_assert_uint_eq(json_array_size(json_object_get(doc, "referenties")), 1);
  check_status(doc, "verbinder", "onbekend");
  ck_assert(json_is_null(json_object_get(json_object_get(doc, "samenvatting"), "dekking")));
  json_decref(doc);
  json_decref(team);
}
END_TEST

START_TEST(reference_without_members) {
  /* D (GM0004, 20 000) has no members: out of the fit (a, b, R² as in the worked
   * example), in the band with zeros, and in the denominator of aanwezigheid.
   *   verbinder (A B C D) .4 .5 .4 0 -> sorted 0 .4 .4 .5; h = .75, 1.5, 2.25:
   *   p25 = 0 + .75*.4 = .3, median .4, p75 = .4 + .25*.1 = .425; aanwezigheid 3/4. */
  json_t *team = team_at("40000");
  json_t *doc = analyse(team, "[" REF_EMPTY "," REF_A "," REF_B "," REF_C "]");
  const json_t *fit = json_object_get(doc, "fit");
  ck_assert_str_eq(str(fit, "methode"), "machtswet");
  ck_assert_double_eq_tol(num(fit, "b"), 0.5, TOL);
  ck_assert_double_eq_tol(num(fit, "r2"), 0.9666, TOL);
  const json_t *refs = json_object_get(doc, "referenties");
  ck_assert_uint_eq(json_array_size(refs), 4);
  ck_assert_str_eq(str(json_array_get(refs, 3), "gemeente"), "GM0004");
  ck_assert_double_eq_tol(num(json_array_get(refs, 3), "totaalFte"), 0.0, TOL);
  check_band(doc, "verbinder", 0.3, 0.4, 0.425);
  ck_assert_double_eq_tol(num(row_of(doc, "verbinder"), "aanwezigheid"), 0.75, TOL);
  check_status(doc, "verbinder", "passend");
  json_decref(doc);
  json_decref(team);
}
END_TEST

START_TEST(larger_and_smaller_than_every_reference) {
  /* N = 1 000 000: factors (N/N_i)^0.5 = 10, 5, 2.5; verbinder 2, 2.5, 2 -> 2, 2, 2.25;
   * verwachtFte = 10^(1/3) * 5 = 10.772173. The team's .42 is onderbezet. */
  json_t *team = team_at("1000000");
  json_t *doc = analyse(team, "[" REF_A "," REF_B "," REF_C "]");
  check_band(doc, "verbinder", 2.0, 2.0, 2.25);
  ck_assert_double_eq_tol(num(json_object_get(doc, "samenvatting"), "verwachtFte"), 10.7722, TOL);
  check_status(doc, "verbinder", "onderbezet");
  json_decref(doc);
  json_decref(team);
  /* N = 2 500: factors .5, .25, .125; verbinder .1, .125, .1 -> .1, .1, .1125;
   * verwachtFte = 10^(1/3) / 4 = 0.538609. The team's .42 is ruim. */
  team = team_at("2500");
  doc = analyse(team, "[" REF_A "," REF_B "," REF_C "]");
  check_band(doc, "verbinder", 0.1, 0.1, 0.1125);
  ck_assert_double_eq_tol(num(json_object_get(doc, "samenvatting"), "verwachtFte"), 0.5386, TOL);
  check_status(doc, "verbinder", "ruim");
  json_decref(doc);
  json_decref(team);
}
END_TEST

START_TEST(unknown_roles_are_reported_and_counted) {
  json_t *team = J("{'inwoners':40000,'leden':["
                   "{'label':'x','fte':0.6,'rollen':[{'rol':'zzz-nieuw','aandeel':0.2},"
                   "{'rol':'verbinder','aandeel':0.4}],'competenties':[]},"
                   "{'label':'y','fte':0.2,'rollen':[{'rol':'zzz-nieuw','aandeel':0.2}],"
                   "'competenties':[]}]}");
  const char *refs = "[" REF_A "," REF_B ","
                     "{'gemeente':'GM0002','inwoners':160000,'leden':[{'label':'c','fte':4.0,"
                     "'rollen':[{'rol':'verbinder','aandeel':3.0},{'rol':'aaa-oud','aandeel':1.0}],"
                     "'competenties':[]}]}]";
  json_t *doc = analyse(team, refs);
  /* No gemeente: null. */
  ck_assert(json_is_null(json_object_get(doc, "gemeente")));
  const json_t *unknown = json_object_get(doc, "onbekendeRollen");
  ck_assert_uint_eq(json_array_size(unknown), 2);
  ck_assert_str_eq(json_string_value(json_array_get(unknown, 0)), "aaa-oud");
  ck_assert_str_eq(json_string_value(json_array_get(unknown, 1)), "zzz-nieuw");
  /* Counted in totaalFte (.6 + .2) but without a row; the reference's total keeps its 1.0
   * of aaa-oud too, so the fit sees T = 1, 2.5, 4 and b stays 0.5. */
  ck_assert_double_eq_tol(num(json_object_get(doc, "samenvatting"), "totaalFte"), 0.8, TOL);
  ck_assert_double_eq_tol(num(json_object_get(doc, "fit"), "b"), 0.5, TOL);
  ck_assert_uint_eq(json_array_size(json_object_get(doc, "rollen")), 9);
  ck_assert_double_eq_tol(num(row_of(doc, "verbinder"), "fte"), 0.4, TOL);
  json_decref(doc);
  json_decref(team);
}
END_TEST

START_TEST(same_input_same_bytes) {
  json_t *a = worked(), *b = worked();
  char *sa = dump(a), *sb = dump(b);
  ck_assert_str_eq(sa, sb);
  /* The order of the references does not matter either. */
  json_t *team = team_at("40000");
  const char *orders[] = {"[" REF_C "," REF_A "," REF_B "]", "[" REF_B "," REF_C "," REF_A "]",
                          "[" REF_C "," REF_B "," REF_A "]"};
  for (size_t i = 0; i < 3; i++) {
    json_t *c = analyse(team, orders[i]);
    char *sc = dump(c);
    ck_assert_str_eq(sa, sc);
    free(sc);
    json_decref(c);
  }
  free(sa);
  free(sb);
  json_decref(a);
  json_decref(b);
  json_decref(team);
}
END_TEST

/* Every real in the document has at most 4 decimals and none is -0. */
static void check_rounded(const json_t *v) {
  size_t i;
  const char *key;
  const json_t *x;
  if (json_is_real(v)) {
    double d = json_real_value(v);
    ck_assert_msg(d == tp_round4(d), "%.17g has more than 4 decimals", d);
    ck_assert_msg(!(d == 0.0 && signbit(d)), "-0 in output");
  } else if (json_is_object(v)) {
    json_object_foreach((json_t *)v, key, x) check_rounded(x);
  } else if (json_is_array(v)) {
    json_array_foreach(v, i, x) check_rounded(x);
  }
}

START_TEST(reals_are_rounded_to_4_decimals) {
  json_t *team = team_at("33333");
  json_t *doc = analyse(team, "[" REF_A "," REF_B "," REF_C "," REF_EMPTY "]");
  check_rounded(doc);
  char *s = dump(doc);
  ck_assert_ptr_null(strstr(s, "-0.0"));
  /* No number in exponent notation (a digit followed by "e-"). */
  for (const char *p = strstr(s, "e-"); p; p = strstr(p + 1, "e-"))
    ck_assert_msg(!(p > s && p[-1] >= '0' && p[-1] <= '9'), "exponent at %s", p);
  free(s);
  json_decref(doc);
  json_decref(team);
}
END_TEST

START_TEST(what_if_doubling_inhabitants) {
  /* s_ir and exp(a) N^b both scale with (2N / N)^b = 2^b = sqrt(2) here; the rounding
   * to 4 decimals on both sides leaves at most 1.3e-4 of difference. */
  json_t *t1 = team_at("40000"), *t2 = team_at("80000.0");
  const char *refs = "[" REF_A "," REF_B "," REF_C "]";
  json_t *d1 = analyse(t1, refs), *d2 = analyse(t2, refs);
  double factor = pow(2.0, num(json_object_get(d1, "fit"), "b"));
  ck_assert_double_eq_tol(factor, sqrt(2.0), 1e-9);
  /* A real inhabitant count stays a real. */
  ck_assert(json_is_real(json_object_get(d2, "inwoners")));
  ck_assert_double_eq_tol(num(json_object_get(d2, "samenvatting"), "verwachtFte"),
                          num(json_object_get(d1, "samenvatting"), "verwachtFte") * factor, 2e-4);
  const char *keys[] = {"p25", "mediaan", "p75"};
  size_t i;
  const json_t *r1;
  json_array_foreach(json_object_get(d1, "rollen"), i, r1) {
    const json_t *r2 = json_array_get(json_object_get(d2, "rollen"), i);
    for (int k = 0; k < 3; k++)
      ck_assert_double_eq_tol(num(json_object_get(r2, "verwacht"), keys[k]),
                              num(json_object_get(r1, "verwacht"), keys[k]) * factor, 2e-4);
  }
  /* The fit itself does not depend on the team. */
  ck_assert_double_eq_tol(num(json_object_get(d2, "fit"), "a"),
                          num(json_object_get(d1, "fit"), "a"), TOL);
  json_decref(d1);
  json_decref(d2);
  json_decref(t1);
  json_decref(t2);
}
END_TEST

START_TEST(band_edges_are_inclusive) {
  /* A team exactly at p25 (.6 on webredacteur) and exactly at p75 (.45 on verbinder)
   * is passend, although .45 comes out of .4 + .5 * (.5 - .4) with rounding noise. */
  json_t *team = J("{'inwoners':40000,'leden':["
                   "{'label':'x','fte':1.05,'rollen':[{'rol':'webredacteur','aandeel':0.6},"
                   "{'rol':'verbinder','aandeel':0.45}],'competenties':[]}]}");
  json_t *doc = analyse(team, "[" REF_A "," REF_B "," REF_C "]");
  check_status(doc, "webredacteur", "passend");
  check_status(doc, "verbinder", "passend");
  json_decref(doc);
  json_decref(team);
  /* One reference of 30 000 with .3 fte, a team of 10 000 with .1: linear, so the band is
   * .3 * 10000 / 30000, which in floating point is 0.09999999999999999. The team sits on
   * both edges and is passend, not ruim. */
  team = J("{'inwoners':10000,'leden':[{'label':'x','fte':0.1,'rollen':["
           "{'rol':'verbinder','aandeel':0.1}],'competenties':[]}]}");
  doc = analyse(team, "[{'gemeente':'GM0007','inwoners':30000,'leden':[{'label':'y','fte':0.3,"
                      "'rollen':[{'rol':'verbinder','aandeel':0.3}],'competenties':[]}]}]");
  check_band(doc, "verbinder", 0.1, 0.1, 0.1);
  check_status(doc, "verbinder", "passend");
  json_decref(doc);
  json_decref(team);
  /* The other way round: .4 * 10000 / 25000 is 0.16000000000000003, a team with .16 is
   * still passend, not onderbezet. */
  team = J("{'inwoners':10000,'leden':[{'label':'x','fte':0.16,'rollen':["
           "{'rol':'webredacteur','aandeel':0.16}],'competenties':[]}]}");
  doc = analyse(team, "[{'gemeente':'GM0008','inwoners':25000,'leden':[{'label':'y','fte':0.4,"
                      "'rollen':[{'rol':'webredacteur','aandeel':0.4}],'competenties':[]}]}]");
  check_band(doc, "webredacteur", 0.16, 0.16, 0.16);
  check_status(doc, "webredacteur", "passend");
  json_decref(doc);
  json_decref(team);
}
END_TEST


int main(void) {
  Suite *s = suite_create("gap");
  TCase *tc_gap = tcase_create("gap");
  tcase_add_test(tc_gap, worked_fit_and_references);
  tcase_add_test(tc_gap, worked_bands_and_statuses);
  tcase_add_test(tc_gap, worked_summary);
  tcase_add_test(tc_gap, worked_competency_gaps);
  tcase_add_test(tc_gap, worked_advice_order);
  tcase_add_test(tc_gap, key_order_is_fixed);
  tcase_add_test(tc_gap, own_reference_profile_is_left_out);
  tcase_add_test(tc_gap, two_references_fall_back_to_linear);
  tcase_add_test(tc_gap, one_reference_band_is_its_value);
  tcase_add_test(tc_gap, equal_inhabitants_fall_back_to_linear);
  tcase_add_test(tc_gap, team_without_members);
  tcase_add_test(tc_gap, no_usable_references);
  tcase_add_test(tc_gap, reference_without_members);
  tcase_add_test(tc_gap, larger_and_smaller_than_every_reference);
  tcase_add_test(tc_gap, unknown_roles_are_reported_and_counted);
  tcase_add_test(tc_gap, same_input_same_bytes);
  tcase_add_test(tc_gap, reals_are_rounded_to_4_decimals);
  tcase_add_test(tc_gap, what_if_doubling_inhabitants);
  tcase_add_test(tc_gap, band_edges_are_inclusive);
  suite_add_tcase(s, tc_gap);

  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
