/* The gap analysis's model and plain forms (gap.h): one model for many
 * teams, a team document read as arrays, the figures of a team given by
 * its totals, the catalogue's requirements as the model reads them. No
 * database. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "gap_fixtures.h"
#include "teamplotter/gap.h"

/* A team document read into the plain form the analysis counts: members in
 * order with their slices of shares and levels, fields as they are (a
 * share without a role, a level without a code, a member that is not an
 * object), and inwoners borrowed as given. */
START_TEST(team_from_json_keeps_every_entry_in_order) {
  json_t *team = J("{'gemeente':'GM0363','inwoners':1200,'leden':["
                   "{'label':'a','fte':0.8,'rollen':[{'rol':'webredacteur','aandeel':0.5},"
                   "{'rol':'verbinder','aandeel':0.3}],'competenties':[{'code':'schrijven',"
                   "'niveau':3}]},"
                   "'geen object',"
                   "{'label':'c','fte':1,'rollen':[{'aandeel':0.4},{'rol':'x'}],"
                   "'competenties':[{'niveau':2},{'code':'data','niveau':4}]}]}");
  struct tp_gap_team t;
  ck_assert_int_eq(tp_gap_team_from_json(team, &t), 0);
  ck_assert_str_eq(t.gemeente, "GM0363");
  ck_assert_ptr_eq(t.inwoners, json_object_get(team, "inwoners"));
  ck_assert_uint_eq(t.nleden, 3);
  ck_assert_uint_eq(t.naandelen, 4);
  ck_assert_uint_eq(t.ncompetenties, 3);
  ck_assert_double_eq(t.leden[0].fte, 0.8);
  ck_assert_uint_eq(t.leden[0].aandeel0, 0);
  ck_assert_uint_eq(t.leden[0].naandelen, 2);
  ck_assert_uint_eq(t.leden[0].competentie0, 0);
  ck_assert_uint_eq(t.leden[0].ncompetenties, 1);
  ck_assert_double_eq(t.leden[1].fte, 0.0); /* not an object: nothing */
  ck_assert_uint_eq(t.leden[1].naandelen, 0);
  ck_assert_uint_eq(t.leden[1].ncompetenties, 0);
  ck_assert_double_eq(t.leden[2].fte, 1.0); /* an integer is a number */
  ck_assert_uint_eq(t.leden[2].aandeel0, 2);
  ck_assert_uint_eq(t.leden[2].naandelen, 2);
  ck_assert_uint_eq(t.leden[2].competentie0, 1);
  ck_assert_uint_eq(t.leden[2].ncompetenties, 2);
  ck_assert_str_eq(t.aandelen[1].rol, "verbinder");
  ck_assert_double_eq(t.aandelen[1].aandeel, 0.3);
  ck_assert_ptr_null(t.aandelen[2].rol);
  ck_assert_double_eq(t.aandelen[2].aandeel, 0.4);
  ck_assert_str_eq(t.aandelen[3].rol, "x");
  ck_assert_double_eq(t.aandelen[3].aandeel, 0.0);
  ck_assert_str_eq(t.competenties[0].code, "schrijven");
  ck_assert_int_eq(t.competenties[0].niveau, 3);
  ck_assert_ptr_null(t.competenties[1].code);
  ck_assert_int_eq(t.competenties[1].niveau, 2);
  ck_assert_str_eq(t.competenties[2].code, "data");
  ck_assert_int_eq(t.competenties[2].niveau, 4);
  tp_gap_team_free(&t);
  ck_assert_ptr_null(t.leden);
  /* no members, no municipality */
  json_t *empty = J("{'inwoners':5}");
  ck_assert_int_eq(tp_gap_team_from_json(empty, &t), 0);
  ck_assert_ptr_null(t.gemeente);
  ck_assert_uint_eq(t.nleden, 0);
  tp_gap_team_free(&t);
  json_decref(empty);
  json_decref(team);
}
END_TEST

/* One model, built once, serves many teams: each analysis is byte for byte
 * what tp_gap_analyse gives with the documents, also when a team is itself
 * a reference (left out of that analysis only) or names unknown roles. */
START_TEST(one_model_many_teams) {
  json_t *cat = J(CATALOGUS);
  json_t *refs = J("[" REF_C "," REF_A "," REF_EMPTY "," REF_B ","
                   "{'gemeente':'GM0005','inwoners':0,'leden':[]},"
                   "{'gemeente':'GM0006','teamprofiel':'eeeeeeee-0000-4000-8000-000000000006',"
                   "'inwoners':80000.5,'leden':[{'label':'e','fte':1.0,"
                   "'rollen':[{'rol':'verbinder','aandeel':0.5},{'rol':'aaa-oud','aandeel':0.5}],"
                   "'competenties':[]}]}]");
  struct tp_gap_model *m = tp_gap_model_new(cat, refs);
  ck_assert_ptr_nonnull(m);
  const char *teams[] = {
      "{'gemeente':'GM0999','inwoners':40000,'leden':" TEAM_LEDEN "}",
      "{'gemeente':'GM0001','inwoners':40000,'leden':" TEAM_LEDEN "}",
      "{'gemeente':'GM0006','inwoners':2500.25,'leden':" TEAM_LEDEN "}",
      "{'inwoners':1000000,'leden':[]}",
      "{'gemeente':'GM0999','inwoners':40000,'leden':[{'label':'x','fte':0.6,"
      "'rollen':[{'rol':'zzz-nieuw','aandeel':0.2},{'rol':'verbinder','aandeel':0.4}],"
      "'competenties':[{'code':'bestuur','niveau':4},{'code':'verbinden','niveau':1}]}]}",
      "{'gemeente':'GM0999','inwoners':40000,'leden':" TEAM_LEDEN "}",
  };
  for (size_t i = 0; i < sizeof(teams) / sizeof(*teams); i++) {
    json_t *team = J(teams[i]);
    json_t *want = tp_gap_analyse(cat, team, refs);
    json_t *got = tp_gap_analyse_with(m, team);
    ck_assert_ptr_nonnull(want);
    ck_assert_ptr_nonnull(got);
    char *sw = dump(want), *sg = dump(got);
    ck_assert_str_eq(sg, sw);
    /* The summary alone is the analysis's summary. */
    json_t *sum = tp_gap_summary(m, team);
    ck_assert_ptr_nonnull(sum);
    char *ss = dump(sum), *sx = dump(json_object_get(want, "samenvatting"));
    ck_assert_str_eq(ss, sx);
    free(ss);
    free(sx);
    json_decref(sum);
    free(sw);
    free(sg);
    json_decref(want);
    json_decref(got);
    json_decref(team);
  }
  /* GM0001 is left out of its own analysis and only of that one. */
  json_t *team = J(teams[1]);
  json_t *own = tp_gap_analyse_with(m, team);
  ck_assert_uint_eq(json_array_size(json_object_get(own, "referenties")), 4);
  json_decref(own);
  json_decref(team);
  team = J(teams[0]);
  json_t *other = tp_gap_analyse_with(m, team);
  ck_assert_uint_eq(json_array_size(json_object_get(other, "referenties")), 5);
  /* The unknown role of a reference is reported, once. */
  const json_t *unknown = json_object_get(other, "onbekendeRollen");
  ck_assert_uint_eq(json_array_size(unknown), 1);
  ck_assert_str_eq(json_string_value(json_array_get(unknown, 0)), "aaa-oud");
  json_decref(other);
  json_decref(team);
  tp_gap_model_free(m);
  json_decref(cat);
  json_decref(refs);
}
END_TEST

/* --------------------------------------------- totals without members */

/* A summary figure as tp_gap_figures gives it: NAN for null. */
static void same_figure(double got, const json_t *want, const char *what) {
  if (json_is_null(want)) {
    ck_assert_msg(isnan(got), "%s: %.17g, expected null", what, got);
  } else {
    ck_assert_msg(json_is_number(want), "%s is neither null nor a number", what);
    ck_assert_msg(got == json_number_value(want), "%s: %.17g, expected %.17g", what, got,
                  json_number_value(want));
  }
}

/* The totals of `team` as teamprofiel_bezetting keeps them: fte summed in
 * member order, each role's shares in member, then share order. */
struct totals {
  const char *rollen[64];
  double fte[64];
  size_t n;
  double totaal;
};

static void totals_of(const json_t *team, struct totals *t) {
  size_t i, j;
  const json_t *lid, *share;
  memset(t, 0, sizeof(*t));
  json_array_foreach(json_object_get(team, "leden"), i, lid) {
    t->totaal += json_number_value(json_object_get(lid, "fte"));
    json_array_foreach(json_object_get(lid, "rollen"), j, share) {
      const char *rol = json_string_value(json_object_get(share, "rol"));
      size_t k = 0;
      while (k < t->n && strcmp(t->rollen[k], rol) != 0) k++;
      if (k == t->n) {
        ck_assert_uint_lt(t->n, 64);
        t->rollen[t->n] = rol;
        t->fte[t->n++] = 0.0;
      }
      t->fte[k] += json_number_value(json_object_get(share, "aandeel"));
    }
  }
}

static unsigned rng = 12345u;
static unsigned pick(unsigned n) { /* LCG: the same teams every run */
  rng = rng * 1103515245u + 12345u;
  return (rng >> 8) % n;
}

/* A benchmark reads a profile's totals, not its members: the figures it
 * gets are those of the profile's own summary, bit for bit, for random
 * teams (shares like .1 + .2 whose float sums are inexact, unknown roles,
 * a reference municipality left out of its own set, no members, no or
 * odd inhabitants) and for a model without references. */
START_TEST(figures_from_totals_equal_the_summary) {
  static const char *const roles[] = {"verbinder", "communitymanager", "webanalist",
                                      "eindredacteur", "webredacteur", "webcare", "pdc", "ux",
                                      "toegankelijkheid", "zzz-onbekend"};
  static const char *const codes[] = {"GM0001", "GM0002", "GM0003", "GM0004", "GM0999", NULL};
  static const double inwoners[] = {10000, 40000, 2500.5, 1, 0, -5, 1e7, 160000};
  json_t *cat = J(CATALOGUS);
  size_t missing_seen = 0; /* teams that miss a core role: the comparison is not all "" */
  json_t *refsets[] = {J("[" REF_C "," REF_A "," REF_EMPTY "," REF_B "]"), J("[]"),
                       J("[" REF_A "]")};
  for (size_t set = 0; set < sizeof(refsets) / sizeof(*refsets); set++) {
    struct tp_gap_model *m = tp_gap_model_new(cat, refsets[set]);
    ck_assert_ptr_nonnull(m);
    for (int round = 0; round < 2000; round++) {
      json_t *leden = json_array();
      for (unsigned i = pick(6); i > 0; i--) {
        json_t *shares = json_array();
        double fte = 0.0;
        for (unsigned k = pick(4); k > 0; k--) {
          double a = (double)(1 + pick(15)) / (pick(2) ? 10.0 : 100.0);
          fte += a;
          json_array_append_new(shares, json_pack("{s:s, s:f}", "rol", roles[pick(10)],
                                                  "aandeel", a));
        }
        json_array_append_new(leden, json_pack("{s:s, s:f, s:o, s:[]}", "label", "x", "fte",
                                               fte > 0.0 ? fte : 0.5, "rollen", shares,
                                               "competenties"));
      }
      const char *code = codes[pick(6)];
      double n = inwoners[pick(8)];
      json_t *team = json_pack("{s:f, s:o}", "inwoners", n, "leden", leden);
      if (code) json_object_set_new(team, "gemeente", json_string(code));
      json_t *sum = tp_gap_summary(m, team);
      ck_assert_ptr_nonnull(sum);
      struct totals t;
      totals_of(team, &t);
      struct tp_gap_totals in = {code, n, t.totaal, t.rollen, t.fte, t.n};
      struct tp_gap_figures got;
      ck_assert_int_eq(tp_gap_figures(m, &in, &got), 0);
      same_figure(got.totaal_fte, json_object_get(sum, "totaalFte"), "totaalFte");
      same_figure(got.capaciteit, json_object_get(sum, "capaciteit"), "capaciteit");
      same_figure(got.dekking, json_object_get(sum, "dekking"), "dekking");
      /* The core roles it misses, as the summary names them. */
      char kern[TP_GAP_KERNROLLEN_TEXT] = "";
      size_t k;
      const json_t *rol;
      json_array_foreach(json_object_get(sum, "ontbrekendeKernrollen"), k, rol) {
        strcat(kern, json_string_value(rol));
        strcat(kern, " ");
      }
      ck_assert_str_eq(got.ontbrekende_kernrollen, kern);
      missing_seen += kern[0] != '\0';
      json_decref(sum);
      json_decref(team);
    }
    tp_gap_model_free(m);
    json_decref(refsets[set]);
  }
  ck_assert_uint_gt(missing_seen, 0);
  json_decref(cat);
}
END_TEST

/* The competency gaps come from the catalogue's requirements as the model
 * read them: a role listed twice counts its shares on the first entry, and
 * a requirement without a code is skipped, as a lookup by code would. */
START_TEST(model_requirements_and_lookup) {
  json_t *cat = J("[{'code':'b','kernrol':false,'competenties':["
                  "  {'code':'x','niveau':2,'essentieel':true},{'niveau':4,'essentieel':true}]},"
                  " {'code':'a','kernrol':true,'competenties':[{'code':'y','niveau':3,'essentieel':true}]},"
                  " {'kernrol':true},"
                  " {'code':'b','kernrol':false,'competenties':[{'code':'z','niveau':1,'essentieel':true}]}]");
  json_t *refs = J("[]");
  json_t *team = J("{'inwoners':1000,'leden':[{'label':'m','fte':1,'rollen':["
                   "{'rol':'b','aandeel':0.5},{'rol':'a','aandeel':0.5}],"
                   "'competenties':[{'code':'x','niveau':1},{'code':'y','niveau':3}]}]}");
  struct tp_gap_model *m = tp_gap_model_new(cat, refs);
  ck_assert_ptr_nonnull(m);
  json_t *want = tp_gap_analyse(cat, team, refs);
  json_t *got = tp_gap_analyse_with(m, team);
  char *sw = dump(want), *sg = dump(got);
  ck_assert_str_eq(sg, sw);
  /* Rows: b, a, b (the role without a code has none). */
  const json_t *rows = json_object_get(got, "rollen");
  ck_assert_uint_eq(json_array_size(rows), 3);
  ck_assert_double_eq_tol(num(json_array_get(rows, 0), "fte"), 0.5, TOL);
  ck_assert_double_eq_tol(num(json_array_get(rows, 2), "fte"), 0.0, TOL);
  /* One gap: x on b (level 1 of 2); y is met; z's role has no fte. */
  const json_t *gaps = json_object_get(got, "competentieTekorten");
  ck_assert_uint_eq(json_array_size(gaps), 1);
  ck_assert_str_eq(str(json_array_get(gaps, 0), "competentie"), "x");
  ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(gaps, 0), "hoogste")), 1);
  free(sw);
  free(sg);
  json_decref(want);
  json_decref(got);
  tp_gap_model_free(m);
  json_decref(team);
  json_decref(cat);
  json_decref(refs);
}
END_TEST

int main(void) {
  Suite *s = suite_create("gap_model");
  TCase *tc_model = tcase_create("model");
  tcase_add_test(tc_model, one_model_many_teams);
  tcase_add_test(tc_model, team_from_json_keeps_every_entry_in_order);
  tcase_add_test(tc_model, figures_from_totals_equal_the_summary);
  tcase_add_test(tc_model, model_requirements_and_lookup);
  suite_add_tcase(s, tc_model);

  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
