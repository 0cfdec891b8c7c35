/* The analysis written straight as text (tp_gap_analyse_text) against
 * the jansson tree it replaced, rendered with tp_json_render: byte for byte
 * the same for many random teams. The tree builder below is the former
 * one, kept here only to pin the bytes; it reads gap.c's arrays, so the
 * test compiles gap.c into itself. No database. */
#include <check.h>
#include <stdint.h>

#include "core/gap.c"
#include "gap_fixtures.h"

/* --------------------------------------------- the former tree builder */

/* The reference municipalities that field role r, sorted by code, each once. */
static json_t *old_fielding(const struct work *w, size_t r) {
  json_t *arr = json_array();
  int oom = 0;
  const char *last = NULL;
  for (size_t i = 0; i < w->nrefs; i++) {
    const char *g = w->refs[i]->doc.gemeente;
    if (!g || !(w->refs[i]->fte[r] > 0.0)) continue;
    if (last && strcmp(last, g) == 0) continue;
    tp_doc_push(arr, json_string(g), &oom);
    last = g;
  }
  if (oom) {
    json_decref(arr);
    return NULL;
  }
  return arr;
}

/* Two decimals with a decimal comma, into `buf`. */
static const char *nl2(char *buf, size_t len, double v) {
  if (tp_format_fixed(buf, len, v, 2, ',') < 0) snprintf(buf, len, "?");
  return buf;
}

static json_t *old_advice(const struct work *w, const char *soort, size_t r, const char *comp,
                      const char *text) {
  int oom = 0;
  json_t *a = json_object();
  tp_doc_set(a, "soort", json_string(soort), &oom);
  tp_doc_set(a, "rol", json_string(w->roles[r].code), &oom);
  if (comp) tp_doc_set(a, "competentie", json_string(comp), &oom);
  tp_doc_set(a, "referentiegemeenten", old_fielding(w, r), &oom);
  tp_doc_set(a, "toelichting", json_string(text), &oom);
  if (oom) {
    json_decref(a);
    return NULL;
  }
  return a;
}

static json_t *old_missing_advice(const struct work *w, size_t r, int kern) {
  char text[256], med[32];
  const struct role_result *x = &w->res[r];
  snprintf(text, sizeof(text),
           "Geen fte op deze %s; %zu van de %zu referentiegemeenten hebben haar, met een "
           "mediaan van %s fte bij uw inwonertal.",
           kern ? "kernrol" : "rol", x->present, w->nrefs, nl2(med, sizeof(med), x->mediaan));
  return old_advice(w, kern ? "kernrol-ontbreekt" : "rol-ontbreekt", r, NULL, text);
}

static json_t *old_understaffed_advice(const struct work *w, size_t r) {
  char text[256], f[32], p25[32], p75[32], gap[32];
  const struct role_result *x = &w->res[r];
  snprintf(text, sizeof(text),
           "%s fte op deze rol, minder dan de %s tot %s fte (p25 tot p75) die bij uw "
           "inwonertal past; tot p25 ontbreekt %s fte.",
           nl2(f, sizeof(f), x->f), nl2(p25, sizeof(p25), x->p25), nl2(p75, sizeof(p75), x->p75),
           nl2(gap, sizeof(gap), x->p25 - x->f));
  return old_advice(w, "onderbezet", r, NULL, text);
}

static json_t *old_competency_advice(const struct work *w, const struct comp_gap *g) {
  char text[256];
  if (g->hoogste > 0)
    snprintf(text, sizeof(text),
             "Essentiële competentie, vereist op niveau %d; het hoogste niveau onder de leden "
             "met deze rol is %d.",
             g->vereist, g->hoogste);
  else
    snprintf(text, sizeof(text),
             "Essentiële competentie, vereist op niveau %d; geen van de leden met deze rol "
             "heeft haar.",
             g->vereist);
  return old_advice(w, "competentie-tekort", g->role, g->competentie, text);
}

/* Step 7, in the order of DESIGN.md. */
static json_t *old_advice_list(const struct work *w) {
  int oom = 0;
  json_t *list = json_array();
  struct ranked *rank = malloc((w->nroles ? w->nroles : 1) * sizeof(*rank));
  if (!list || !rank) {
    json_decref(list);
    free(rank);
    return NULL;
  }

  for (size_t r = 0; r < w->nroles; r++)
    if (w->roles[r].kernrol && w->res[r].status == ST_ONTBREEKT)
      tp_doc_push(list, old_missing_advice(w, r, 1), &oom);

  size_t n = 0;
  for (size_t r = 0; r < w->nroles; r++)
    if (!w->roles[r].kernrol && w->res[r].status == ST_ONTBREEKT) {
      rank[n].idx = r;
      rank[n++].key = tp_round4(aanwezigheid(w, r) * w->res[r].mediaan);
    }
  qsort(rank, n, sizeof(*rank), cmp_ranked);
  for (size_t k = 0; k < n; k++) tp_doc_push(list, old_missing_advice(w, rank[k].idx, 0), &oom);

  n = 0;
  for (size_t r = 0; r < w->nroles; r++)
    if (w->res[r].status == ST_ONDERBEZET) {
      rank[n].idx = r;
      rank[n++].key = tp_round4(w->res[r].p25 - w->res[r].f);
    }
  qsort(rank, n, sizeof(*rank), cmp_ranked);
  for (size_t k = 0; k < n; k++) tp_doc_push(list, old_understaffed_advice(w, rank[k].idx), &oom);

  for (size_t k = 0; k < w->ngaps; k++)
    if (w->gaps[k].essentieel) tp_doc_push(list, old_competency_advice(w, &w->gaps[k]), &oom);

  free(rank);
  if (oom) {
    json_decref(list);
    return NULL;
  }
  return list;
}

/* The summary; dekking weighs each role by its aanwezigheid (tp_coverage).
 * New reference, or NULL when out of memory. */
static json_t *old_summary(const struct work *w) {
  int oom = 0;
  int can_expect = w->fit != FIT_GEEN && w->has_inwoners;
  double verwacht = can_expect ? exp(w->a) * pow(w->inwoners, w->b) : NAN;
  struct tp_coverage coverage = {0, 0};
  for (size_t r = 0; r < w->nroles; r++)
    tp_coverage_add(&coverage, w->res[r].present, w->res[r].f > 0.0);
  double dekking = 0.0;
  int has_dekking = tp_coverage_value(&coverage, &dekking) == 0;
  json_t *sum = json_object();
  tp_doc_set(sum, "totaalFte", tp_doc_real4(w->totaal), &oom);
  tp_doc_set(sum, "verwachtFte", can_expect ? tp_doc_real4(verwacht) : json_null(), &oom);
  tp_doc_set(sum, "capaciteit",
             can_expect && verwacht > 0.0 ? tp_doc_real4(w->totaal / verwacht) : json_null(), &oom);
  tp_doc_set(sum, "dekking", has_dekking ? tp_doc_real4(dekking) : json_null(), &oom);
  json_t *missing = json_array();
  for (size_t r = 0; r < w->nroles; r++)
    if (w->roles[r].kernrol && w->res[r].status == ST_ONTBREEKT)
      tp_doc_push(missing, json_string(w->roles[r].code), &oom);
  tp_doc_set(sum, "ontbrekendeKernrollen", missing, &oom);
  if (oom) {
    json_decref(sum);
    return NULL;
  }
  return sum;
}

static json_t *old_render(const struct work *w, const json_t *team) {
  int oom = 0;
  json_t *doc = json_object();
  tp_doc_set(doc, "methodeVersie", json_integer(TP_METHODE_VERSIE), &oom);
  tp_doc_set(doc, "gemeente", tp_doc_str_or_null(tp_doc_str(team, "gemeente")), &oom);
  tp_doc_set(doc, "inwoners", tp_doc_number_copy(json_object_get(team, "inwoners")), &oom);

  json_t *fit = json_object();
  tp_doc_set(fit, "methode", json_string(FIT_NAMES[w->fit]), &oom);
  tp_doc_set(fit, "a", w->fit == FIT_GEEN ? json_null() : tp_doc_real4(w->a), &oom);
  tp_doc_set(fit, "b", w->fit == FIT_GEEN ? json_null() : tp_doc_real4(w->b), &oom);
  tp_doc_set(fit, "r2", w->fit == FIT_MACHTSWET && w->has_r2 ? tp_doc_real4(w->r2) : json_null(),
             &oom);
  tp_doc_set(doc, "fit", fit, &oom);

  json_t *refs = json_array();
  for (size_t i = 0; i < w->nrefs; i++) {
    const struct tp_doc_ref *r = &w->refs[i]->doc;
    json_t *row = json_object();
    tp_doc_set(row, "gemeente", tp_doc_str_or_null(r->gemeente), &oom);
    tp_doc_set(row, "teamprofiel", tp_doc_str_or_null(r->teamprofiel), &oom);
    tp_doc_set(row, "herkomst", tp_doc_str_or_null(w->refs[i]->herkomst), &oom);
    tp_doc_set(row, "inwoners", tp_doc_number_copy(w->refs[i]->inwoners), &oom);
    tp_doc_set(row, "totaalFte", tp_doc_real4(r->totaal), &oom);
    tp_doc_push(refs, row, &oom);
  }
  tp_doc_set(doc, "referenties", refs, &oom);

  tp_doc_set(doc, "samenvatting", old_summary(w), &oom);

  json_t *rows = json_array();
  for (size_t r = 0; r < w->nroles; r++) {
    const struct role_result *x = &w->res[r];
    json_t *row = json_object();
    tp_doc_set(row, "rol", json_string(w->roles[r].code), &oom);
    tp_doc_set(row, "fte", tp_doc_real4(x->f), &oom);
    tp_doc_set(row, "aanwezigheid", tp_doc_real4(aanwezigheid(w, r)), &oom);
    tp_doc_set(row, "status", json_string(STATUS_NAMES[x->status]), &oom);
    if (x->has_band) {
      json_t *band = json_object();
      tp_doc_set(band, "p25", tp_doc_real4(x->p25), &oom);
      tp_doc_set(band, "mediaan", tp_doc_real4(x->mediaan), &oom);
      tp_doc_set(band, "p75", tp_doc_real4(x->p75), &oom);
      tp_doc_set(row, "verwacht", band, &oom);
    } else {
      tp_doc_set(row, "verwacht", json_null(), &oom);
    }
    tp_doc_push(rows, row, &oom);
  }
  tp_doc_set(doc, "rollen", rows, &oom);

  json_t *gaps = json_array();
  for (size_t k = 0; k < w->ngaps; k++) {
    const struct comp_gap *g = &w->gaps[k];
    json_t *row = json_object();
    tp_doc_set(row, "rol", json_string(w->roles[g->role].code), &oom);
    tp_doc_set(row, "competentie", json_string(g->competentie), &oom);
    tp_doc_set(row, "vereist", json_integer(g->vereist), &oom);
    tp_doc_set(row, "hoogste", json_integer(g->hoogste), &oom);
    tp_doc_set(row, "essentieel", json_boolean(g->essentieel), &oom);
    tp_doc_push(gaps, row, &oom);
  }
  tp_doc_set(doc, "competentieTekorten", gaps, &oom);
  tp_doc_set(doc, "advies", old_advice_list(w), &oom);

  json_t *unknown = json_array();
  for (size_t k = 0; k < w->unknown.n; k++) {
    if (k > 0 && strcmp(w->unknown.v[k], w->unknown.v[k - 1]) == 0) continue;
    tp_doc_push(unknown, json_string(w->unknown.v[k]), &oom);
  }
  tp_doc_set(doc, "onbekendeRollen", unknown, &oom);

  if (oom) {
    json_decref(doc);
    return NULL;
  }
  return doc;
}

/* ------------------------------------------------------------- fixtures */

/* Real inhabitants, no herkomst, a role outside the catalogue. */
#define REF_ODD                                                                            \
  "{'gemeente':'GM0006','teamprofiel':'eeeeeeee-0000-4000-8000-000000000006',"            \
  "'inwoners':80000.56789,'leden':[{'label':'e','fte':1.0,"                               \
  "'rollen':[{'rol':'verbinder','aandeel':0.5},{'rol':'aaa-oud','aandeel':0.5}],"          \
  "'competenties':[]}]}"

/* Reference sets: none, one, two (linear fallback), the worked three, and
 * all with the odd ones. */
static const char *const REFERENCE_SETS[] = {
    "[]",
    "[" REF_B "]",
    "[" REF_A "," REF_C "]",
    "[" REF_A "," REF_B "," REF_C "]",
    "[" REF_C "," REF_ODD "," REF_A "," REF_EMPTY "," REF_B ","
    "{'gemeente':'GM0005','inwoners':0,'leden':[]}]",
};

static const char *const ROLES[] = {"verbinder", "communitymanager", "webanalist",
                                    "eindredacteur", "webredacteur", "webcare", "pdc", "ux",
                                    "toegankelijkheid", "zzz-nieuw", "aaa-oud"};
static const char *const COMPETENCIES[] = {"bestuur", "verbinden", "strategie", "community",
                                           "data", "privacy", "eindredactie", "schrijven",
                                           "taal", "klantcontact", "producten", "onderzoek",
                                           "wcag", "onbekend"};
static const char *const GEMEENTEN[] = {"GM0001", "GM0002", "GM0003", "GM0006", "GM0999"};

static uint64_t seed = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void) { /* xorshift64*: the same teams on every run */
  seed ^= seed >> 12;
  seed ^= seed << 25;
  seed ^= seed >> 27;
  return seed * 2685821657736338717u;
}

static size_t pick(size_t n) { return (size_t)(rnd() % n); }

/* A number of hundredths, as a team's fte and shares are written. */
static json_t *hundredths(size_t max) { return json_real((double)(1 + pick(max)) / 100.0); }

static json_t *random_member(size_t i) {
  char label[32];
  snprintf(label, sizeof(label), "lid %zu", i);
  json_t *rollen = json_array(), *comps = json_array();
  size_t nr = pick(4), nc = pick(5);
  double fte = 0.0;
  for (size_t k = 0; k < nr; k++) {
    json_t *aandeel = hundredths(60);
    fte += json_real_value(aandeel);
    json_array_append_new(rollen, json_pack("{s:s, s:o}", "rol",
                                            ROLES[pick(sizeof(ROLES) / sizeof(*ROLES))],
                                            "aandeel", aandeel));
  }
  for (size_t k = 0; k < nc; k++)
    json_array_append_new(comps, json_pack("{s:s, s:i}", "code",
                                           COMPETENCIES[pick(sizeof(COMPETENCIES) /
                                                             sizeof(*COMPETENCIES))],
                                           "niveau", (int)(1 + pick(4))));
  return json_pack("{s:s, s:f, s:o, s:o}", "label", label, "fte", fte, "rollen", rollen,
                   "competenties", comps);
}

/* A team as the API hands it over: a municipality (one of the references,
 * an unknown one, or none), inhabitants as an integer, a real, or missing,
 * and 0 to 24 members. */
static json_t *random_team(void) {
  json_t *team = json_object();
  size_t g = pick(sizeof(GEMEENTEN) / sizeof(*GEMEENTEN) + 1);
  if (g < sizeof(GEMEENTEN) / sizeof(*GEMEENTEN))
    json_object_set_new(team, "gemeente", json_string(GEMEENTEN[g]));
  switch (pick(6)) {
    case 0:
    case 1:
      json_object_set_new(team, "inwoners", json_integer((json_int_t)(1000 + pick(900000))));
      break;
    case 2:
      json_object_set_new(team, "inwoners", json_real((double)(100000 + pick(90000000)) / 100.0));
      break;
    case 3:
      json_object_set_new(team, "inwoners", json_real((double)(1 + pick(1000000)) / 7.0));
      break;
    case 4:
      json_object_set_new(team, "inwoners", json_integer((json_int_t)(40000 << pick(3))));
      break;
    default:
      break; /* none: no scaling, null in the answer */
  }
  json_t *leden = json_array();
  size_t n = pick(5) == 0 ? 0 : pick(25);
  for (size_t i = 0; i < n; i++) json_array_append_new(leden, random_member(i));
  json_object_set_new(team, "leden", leden);
  return team;
}

/* What the former code answered: the tree, rendered, with the catalogue
 * version added last as the API did. NULL when the tree failed. */
static char *old_text(const struct tp_gap_model *m, const json_t *team, const json_t *versie) {
  struct work w;
  struct tp_gap_team t;
  json_t *doc = NULL;
  ck_assert_int_eq(tp_gap_team_from_json(team, &t), 0);
  if (analyse(&w, m, &t, 1) == 0 && competency_gaps(&w) == 0) {
    if (w.unknown.n > 0) qsort(w.unknown.v, w.unknown.n, sizeof(*w.unknown.v), tp_doc_cmp_str);
    doc = old_render(&w, team);
  }
  work_free(&w);
  tp_gap_team_free(&t);
  if (doc == NULL) return NULL;
  if (versie != NULL) json_object_set(doc, "catalogusVersie", (json_t *)versie);
  char *text = tp_json_render(doc);
  json_decref(doc);
  return text;
}

static char *old_summary_text(const struct tp_gap_model *m, const json_t *team) {
  struct work w;
  struct tp_gap_team t;
  ck_assert_int_eq(tp_gap_team_from_json(team, &t), 0);
  json_t *sum = analyse(&w, m, &t, 0) == 0 ? old_summary(&w) : NULL; /* no bands, as the summary */
  work_free(&w);
  tp_gap_team_free(&t);
  char *text = sum ? tp_json_render(sum) : NULL;
  json_decref(sum);
  return text;
}

/* Check's messages are short: the first difference, not the whole texts. */
static void same_text(const char *got, const char *want) {
  size_t i = 0;
  while (got[i] != '\0' && got[i] == want[i]) i++;
  size_t from = i > 40 ? i - 40 : 0;
  ck_assert_msg(got[i] == want[i], "differs at byte %zu: got ...%.80s, want ...%.80s", i,
                got + from, want + from);
}

static void same_answer(const struct tp_gap_model *m, const json_t *team, const json_t *versie) {
  char *want = old_text(m, team, versie);
  size_t len = 0;
  char *got = tp_gap_analyse_text(m, team, versie, &len);
  if (want == NULL) {
    ck_assert_ptr_null(got);
    return;
  }
  ck_assert_ptr_nonnull(got);
  ck_assert_uint_eq(len, strlen(got));
  same_text(got, want);
  free(got);
  free(want);
}

/* ----------------------------------------------------------------- tests */

START_TEST(text_is_the_former_tree) {
  json_t *cat = J(CATALOGUS);
  json_t *versies[] = {NULL, json_string("2026.1"), json_null()};
  for (size_t s = 0; s < sizeof(REFERENCE_SETS) / sizeof(*REFERENCE_SETS); s++) {
    json_t *refs = J(REFERENCE_SETS[s]);
    struct tp_gap_model *m = tp_gap_model_new(cat, refs);
    ck_assert_ptr_nonnull(m);
    for (int i = 0; i < 400; i++) {
      json_t *team = random_team();
      same_answer(m, team, versies[(size_t)i % 3]);
      /* The jansson forms read back from the text render as the former trees. */
      char *want = old_text(m, team, NULL);
      json_t *doc = tp_gap_analyse_with(m, team);
      char *got = tp_json_render(doc);
      same_text(got, want);
      free(got);
      free(want);
      json_decref(doc);
      want = old_summary_text(m, team);
      doc = tp_gap_summary(m, team);
      got = tp_json_render(doc);
      same_text(got, want);
      free(got);
      free(want);
      json_decref(doc);
      json_decref(team);
    }
    tp_gap_model_free(m);
    json_decref(refs);
  }
  for (size_t v = 0; v < 3; v++) json_decref(versies[v]);
  json_decref(cat);
}
END_TEST

/* The edges by name: no members, no inhabitants, a team that is itself a
 * reference, unknown roles only, inhabitants as integer and as real. */
START_TEST(text_edges) {
  json_t *cat = J(CATALOGUS);
  json_t *refs = J(REFERENCE_SETS[4]);
  struct tp_gap_model *m = tp_gap_model_new(cat, refs);
  ck_assert_ptr_nonnull(m);
  json_t *versie = json_string("2026.1.1");
  const char *teams[] = {
      "{'leden':[]}",
      "{'inwoners':40000,'leden':[]}",
      "{'gemeente':'GM0001','inwoners':40000,'leden':[]}",
      "{'gemeente':'GM0006','inwoners':80000.56789,'leden':[{'label':'x','fte':0.5,"
      "'rollen':[{'rol':'zzz-nieuw','aandeel':0.5}],'competenties':[]}]}",
      "{'inwoners':40000.0,'leden':[{'label':'x','fte':0.5,"
      "'rollen':[{'rol':'verbinder','aandeel':0.5}],'competenties':[{'code':'bestuur','niveau':4}]}]}",
      "{'inwoners':12345.67891,'leden':[{'label':'x','fte':0.5,"
      "'rollen':[{'rol':'webcare','aandeel':0.5}],'competenties':[]}]}",
      "{'inwoners':null,'leden':[]}",
  };
  for (size_t i = 0; i < sizeof(teams) / sizeof(*teams); i++) {
    json_t *team = J(teams[i]);
    same_answer(m, team, versie);
    same_answer(m, team, NULL);
    json_decref(team);
  }
  /* A role code that is not UTF-8 (never from the API): no answer from either. */
  json_t *team = J("{'inwoners':1000,'leden':[{'label':'x','fte':0.5,'rollen':[],'competenties':[]}]}");
  json_t *share = json_pack("{s:o, s:f}", "rol", json_string_nocheck("\xff"), "aandeel", 0.5);
  json_array_append_new(json_object_get(json_array_get(json_object_get(team, "leden"), 0), "rollen"),
                        share);
  ck_assert_ptr_null(tp_gap_analyse_text(m, team, versie, NULL));
  same_answer(m, team, versie);
  json_decref(team);
  json_decref(versie);
  tp_gap_model_free(m);
  json_decref(refs);
  json_decref(cat);
}
END_TEST

int main(void) {
  Suite *s = suite_create("gap_text");
  TCase *tc = tcase_create("gap_text");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, text_is_the_former_tree);
  tcase_add_test(tc, text_edges);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
