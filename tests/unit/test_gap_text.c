/* The analysis as JSON text (tp_gap_analyse_text), byte for byte against
 * golden files: tests/golden/gap/NAME.json is the exact answer body the
 * service sends for one named case below, and RANDOM-SET.jsonl holds the
 * answers for a fixed series of random teams, one per line. The jansson
 * forms (tp_gap_analyse_with, tp_gap_summary) must read as the same
 * bytes. No database.
 *
 * After a change that is meant to change answers, write the files anew
 * and review the difference (git diff, or `jq .` on both sides):
 *     TEAMPLOTTER_GOLDEN_UPDATE=1 build/unit_test_gap_text
 * (tests/golden/README.md). */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "gap_fixtures.h"
#include "teamplotter/gap.h"
#include "teamplotter/render.h"
#include "teamplotter/textbuf.h"

#define GOLDEN_DIR TEAMPLOTTER_SOURCE_DIR "/tests/golden/gap/"
/* The answers of method version 1, never written anew: version 1.1 must
 * give every one of their fields byte for byte. */
#define GOLDEN_V1_DIR TEAMPLOTTER_SOURCE_DIR "/tests/golden/gap-v1/"

/* ------------------------------------------------------------- fixtures */

/* Real inhabitants, no herkomst, a role outside the catalogue. */
#define REF_ODD                                                                            \
  "{'gemeente':'GM0006','teamprofiel':'eeeeeeee-0000-4000-8000-000000000006',"            \
  "'inwoners':80000.56789,'leden':[{'label':'e','fte':1.0,"                               \
  "'rollen':[{'rol':'verbinder','aandeel':0.5},{'rol':'aaa-oud','aandeel':0.5}],"          \
  "'competenties':[]}]}"

/* Reference sets: none, one, two (linear fallback), the worked three, and
 * all with the odd ones. */
enum { SET_NONE, SET_ONE, SET_TWO, SET_WORKED, SET_ALL, NSETS };
static const char *const REFERENCE_SETS[NSETS] = {
    "[]",
    "[" REF_B "]",
    "[" REF_A "," REF_C "]",
    "[" REF_A "," REF_B "," REF_C "]",
    "[" REF_C "," REF_ODD "," REF_A "," REF_EMPTY "," REF_B ","
    "{'gemeente':'GM0005','inwoners':0,'leden':[]}]",
};
static const char *const SET_NAMES[NSETS] = {"geen", "een", "twee", "drie", "alle"};

/* The catalogue and reference-set versions the service appends: absent,
 * strings, or null. */
enum versie { ZONDER_VERSIE, MET_VERSIE, VERSIE_NULL };

static json_t *versie_value(enum versie v, const char *naam) {
  return v == MET_VERSIE ? json_string(naam) : v == VERSIE_NULL ? json_null() : NULL;
}

/* Both versions of `v`, freed with versies_free. */
static struct tp_gap_versies versies_of(enum versie v) {
  return (struct tp_gap_versies){versie_value(v, "2026.1.1"), versie_value(v, "2026.1")};
}

static void versies_free(struct tp_gap_versies *v) {
  json_decref((json_t *)v->catalogus);
  json_decref((json_t *)v->referentie);
}

#define WORKED_TEAM(inwoners) \
  "{'gemeente':'GM0999','inwoners':" inwoners ",'peildatum':'2026-01-01','leden':" TEAM_LEDEN "}"

/* One file each. Together they hold every status, advice kind and fit
 * (golden_cases_cover_the_method checks that). */
static const struct golden_case {
  const char *name;
  int set;
  enum versie versie;
  const char *team;
} CASES[] = {
    {"uitgewerkt-voorbeeld", SET_WORKED, MET_VERSIE, WORKED_TEAM("40000")},
    {"uitgewerkt-voorbeeld-zonder-versie", SET_WORKED, ZONDER_VERSIE, WORKED_TEAM("40000")},
    {"uitgewerkt-voorbeeld-versie-null", SET_WORKED, VERSIE_NULL, WORKED_TEAM("40000")},
    {"kleine-gemeente", SET_WORKED, MET_VERSIE, WORKED_TEAM("2500")},
    {"grote-gemeente", SET_WORKED, MET_VERSIE, WORKED_TEAM("1000000")},
    {"zonder-inwoners-niet-geschaald", SET_WORKED, MET_VERSIE,
     "{'gemeente':'GM0999','leden':" TEAM_LEDEN "}"},
    {"geen-referenties", SET_NONE, MET_VERSIE, WORKED_TEAM("40000")},
    {"geen-referenties-leeg-team", SET_NONE, MET_VERSIE, "{'leden':[]}"},
    {"een-referentie", SET_ONE, MET_VERSIE, WORKED_TEAM("40000")},
    {"twee-referenties-lineair", SET_TWO, MET_VERSIE, WORKED_TEAM("40000")},
    {"alle-referenties", SET_ALL, MET_VERSIE, WORKED_TEAM("40000")},
    {"eigen-referentie-weggelaten", SET_ALL, MET_VERSIE,
     "{'gemeente':'GM0001','inwoners':40000,'leden':" TEAM_LEDEN "}"},
    {"leeg-team", SET_ALL, MET_VERSIE, "{'leden':[]}"},
    {"leeg-team-zonder-versie", SET_ALL, ZONDER_VERSIE, "{'leden':[]}"},
    {"leeg-team-met-inwoners", SET_ALL, MET_VERSIE, "{'inwoners':40000,'leden':[]}"},
    {"referentiegemeente-zonder-leden", SET_ALL, MET_VERSIE,
     "{'gemeente':'GM0001','inwoners':40000,'leden':[]}"},
    {"onbekende-rol", SET_ALL, MET_VERSIE,
     "{'gemeente':'GM0006','inwoners':80000.56789,'leden':[{'label':'x','fte':0.5,"
     "'rollen':[{'rol':'zzz-nieuw','aandeel':0.5}],'competenties':[]}]}"},
    {"inwoners-als-real", SET_ALL, MET_VERSIE,
     "{'inwoners':40000.0,'leden':[{'label':'x','fte':0.5,'rollen':[{'rol':'verbinder',"
     "'aandeel':0.5}],'competenties':[{'code':'bestuur','niveau':4}]}]}"},
    {"inwoners-met-decimalen", SET_ALL, MET_VERSIE,
     "{'inwoners':12345.67891,'leden':[{'label':'x','fte':0.5,"
     "'rollen':[{'rol':'webcare','aandeel':0.5}],'competenties':[]}]}"},
    {"inwoners-null", SET_ALL, MET_VERSIE, "{'inwoners':null,'leden':[]}"},
};

/* Random teams per reference set, in RANDOM-SET.jsonl. */
#define RANDOM_TEAMS 40

static const char *const ROLES[] = {"verbinder", "communitymanager", "webanalist",
                                    "eindredacteur", "webredacteur", "webcare", "pdc", "ux",
                                    "toegankelijkheid", "zzz-nieuw", "aaa-oud"};
static const char *const COMPETENCIES[] = {"bestuur", "verbinden", "strategie", "community",
                                           "data", "privacy", "eindredactie", "schrijven",
                                           "taal", "klantcontact", "producten", "onderzoek",
                                           "wcag", "onbekend"};
static const char *const GEMEENTEN[] = {"GM0001", "GM0002", "GM0003", "GM0006", "GM0999"};

static uint64_t seed;

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

/* --------------------------------------------------------- golden files */

static int updating(void) {
  const char *u = getenv("TEAMPLOTTER_GOLDEN_UPDATE");
  return u != NULL && strcmp(u, "1") == 0;
}

/* The whole file, NUL-terminated, its length in *len; NULL when missing. */
static char *read_golden(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 1 << 16, n = 0, got;
  char *text = malloc(cap);
  ck_assert_ptr_nonnull(text);
  while ((got = fread(text + n, 1, cap - n - 1, f)) > 0) {
    n += got;
    if (cap - n - 1 == 0) {
      cap *= 2;
      text = realloc(text, cap);
      ck_assert_ptr_nonnull(text);
    }
  }
  ck_assert_msg(!ferror(f), "reading %s failed", path);
  fclose(f);
  text[n] = '\0';
  *len = n;
  return text;
}

static void write_golden(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
  ck_assert_uint_eq(fwrite(text, 1, len, f), len);
  ck_assert_int_eq(fclose(f), 0);
}

/* One answer as method version 1 gave it: without what version 1.1 added
 * (bezetting, kwetsbareRollen, acties) and with methodeVersie 1. */
static void append_v1(struct tp_textbuf *out, const char *text, size_t len) {
  json_t *doc = json_loadb(text, len, 0, NULL);
  ck_assert_ptr_nonnull(doc);
  ck_assert_str_eq(json_string_value(json_object_get(doc, "methodeVersie")), "1.1");
  json_object_set_new(doc, "methodeVersie", json_integer(1));
  ck_assert_int_eq(json_object_del(doc, "acties"), 0);
  ck_assert_int_eq(json_object_del(json_object_get(doc, "samenvatting"), "kwetsbareRollen"), 0);
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(doc, "rollen"), i, row)
    ck_assert_int_eq(json_object_del(row, "bezetting"), 0);
  char *v1 = tp_json_render(doc);
  ck_assert_ptr_nonnull(v1);
  tp_textbuf_append(out, v1, strlen(v1));
  free(v1);
  json_decref(doc);
}

/* `got` (one answer, or answers one per line) with the fields of version
 * 1.1 taken out is golden file `name` of version 1, byte for byte. */
static void keeps_v1(const char *name, const char *got, size_t len) {
  struct tp_textbuf v1;
  tp_textbuf_init(&v1, 64u * 1024u * 1024u);
  for (size_t from = 0; from < len;) {
    const char *nl = memchr(got + from, '\n', len - from);
    size_t end = nl ? (size_t)(nl - got) : len;
    append_v1(&v1, got + from, end - from);
    if (nl) tp_textbuf_append(&v1, "\n", 1);
    from = end + (nl ? 1 : 0);
  }
  char path[512];
  snprintf(path, sizeof(path), GOLDEN_V1_DIR "%s", name);
  size_t wlen = 0, v1len = 0;
  char *want = read_golden(path, &wlen);
  ck_assert_msg(want != NULL, "no version 1 golden file %s", path);
  char *text = tp_textbuf_finish(&v1, &v1len);
  ck_assert_ptr_nonnull(text);
  size_t i = 0;
  while (i < v1len && i < wlen && text[i] == want[i]) i++;
  size_t from = i > 40 ? i - 40 : 0;
  ck_assert_msg(i == v1len && i == wlen, "%s: a field of version 1 differs at byte %zu: "
                "got ...%.80s, want ...%.80s", name, i, text + from, want + from);
  free(text);
  free(want);
}

/* `got` is the golden file `name` byte for byte (or, when updating, is
 * written as it). Check's messages are short: the first difference, and
 * its line for a .jsonl file, not the whole texts. */
static void matches_golden(const char *name, const char *got, size_t len) {
  keeps_v1(name, got, len);
  char path[512];
  snprintf(path, sizeof(path), GOLDEN_DIR "%s", name);
  if (updating()) {
    write_golden(path, got, len);
    return;
  }
  size_t wlen = 0;
  char *want = read_golden(path, &wlen);
  ck_assert_msg(want != NULL, "no golden file %s (TEAMPLOTTER_GOLDEN_UPDATE=1 writes it)", path);
  size_t i = 0, line = 1;
  while (i < len && i < wlen && got[i] == want[i]) line += got[i++] == '\n';
  size_t from = i > 40 ? i - 40 : 0;
  ck_assert_msg(i == len && i == wlen,
                "%s differs at byte %zu (line %zu): got ...%.80s, want ...%.80s", name, i, line,
                got + from, want + from);
  free(want);
}

/* The answer for `team`; the jansson forms read as the same bytes: the
 * whole analysis (without catalogue version) and its summary alone. */
static char *answer(const struct tp_gap_model *m, const json_t *team,
                    const struct tp_gap_versies *versies, size_t *len) {
  char *text = tp_gap_analyse_text(m, team, versies, len);
  ck_assert_ptr_nonnull(text);
  ck_assert_uint_eq(*len, strlen(text));

  json_t *doc = tp_gap_analyse_with(m, team);
  ck_assert_ptr_nonnull(doc);
  char *plain = tp_gap_analyse_text(m, team, NULL, NULL);
  char *again = tp_json_render(doc);
  ck_assert_str_eq(again, plain);
  free(again);
  json_t *sum = tp_gap_summary(m, team);
  ck_assert_ptr_nonnull(sum);
  char *want = tp_json_render(json_object_get(doc, "samenvatting"));
  char *got = tp_json_render(sum);
  ck_assert_str_eq(got, want);
  free(got);
  free(want);
  json_decref(sum);
  free(plain);
  json_decref(doc);
  return text;
}

/* A model and the documents it borrows from. */
struct fixture {
  json_t *cat, *refs;
  struct tp_gap_model *m;
};

static struct fixture fixture_of(int set) {
  struct fixture f = {J(CATALOGUS), J(REFERENCE_SETS[set]), NULL};
  f.m = tp_gap_model_new(f.cat, f.refs);
  ck_assert_ptr_nonnull(f.m);
  return f;
}

static void fixture_free(struct fixture *f) {
  tp_gap_model_free(f->m);
  json_decref(f->refs);
  json_decref(f->cat);
}

/* ----------------------------------------------------------------- tests */

START_TEST(named_cases_match_their_golden_files) {
  const struct golden_case *c = &CASES[_i];
  struct fixture f = fixture_of(c->set);
  json_t *team = J(c->team);
  struct tp_gap_versies versies = versies_of(c->versie);
  size_t len = 0;
  char *text = answer(f.m, team, &versies, &len);
  char name[128];
  snprintf(name, sizeof(name), "%s.json", c->name);
  matches_golden(name, text, len);
  free(text);
  versies_free(&versies);
  json_decref(team);
  fixture_free(&f);
}
END_TEST

START_TEST(random_teams_match_their_golden_file) {
  struct fixture f = fixture_of(_i);
  seed = 0x9E3779B97F4A7C15u + (uint64_t)_i;
  struct tp_textbuf all;
  tp_textbuf_init(&all, 64u * 1024u * 1024u);
  for (int i = 0; i < RANDOM_TEAMS; i++) {
    json_t *team = random_team();
    struct tp_gap_versies versies = versies_of((enum versie)(i % 3));
    size_t len = 0;
    char *text = answer(f.m, team, &versies, &len);
    tp_textbuf_append(&all, text, len);
    tp_textbuf_append(&all, "\n", 1);
    free(text);
    versies_free(&versies);
    json_decref(team);
  }
  char name[64];
  snprintf(name, sizeof(name), "random-%s.jsonl", SET_NAMES[_i]);
  size_t len = 0;
  char *text = tp_textbuf_finish(&all, &len);
  ck_assert_ptr_nonnull(text);
  matches_golden(name, text, len);
  free(text);
  fixture_free(&f);
}
END_TEST

/* The named cases hold every status, advice kind (both explanations of a
 * competency gap) and fit, and every form of catalogue version. */
START_TEST(golden_cases_cover_the_method) {
  static const char *const needed[] = {
      "\"status\":\"ontbreekt\"",       "\"status\":\"optioneel\"",
      "\"status\":\"onderbezet\"",      "\"status\":\"passend\"",
      "\"status\":\"ruim\"",            "\"status\":\"onbekend\"",
      "\"soort\":\"kernrol-ontbreekt\"", "\"soort\":\"rol-ontbreekt\"",
      "\"soort\":\"onderbezet\"",       "\"soort\":\"competentie-tekort\"",
      "het hoogste niveau onder de leden met deze rol is", "geen van de leden met deze rol heeft haar",
      "\"methode\":\"geen\"",           "\"methode\":\"lineair\"",
      "\"methode\":\"machtswet\"",      "\"verwacht\":null",
      "\"essentieel\":false}",          "\"onbekendeRollen\":[\"",
      "\"catalogusVersie\":\"2026.1.1\",\"referentieVersie\":\"2026.1\"}",
      "\"catalogusVersie\":null,\"referentieVersie\":null}",
  };
  int found[sizeof(needed) / sizeof(*needed)] = {0};
  for (size_t c = 0; c < sizeof(CASES) / sizeof(*CASES); c++) {
    char path[512];
    snprintf(path, sizeof(path), GOLDEN_DIR "%s.json", CASES[c].name);
    size_t len = 0;
    char *text = read_golden(path, &len);
    ck_assert_msg(text != NULL, "no golden file %s", path);
    for (size_t k = 0; k < sizeof(needed) / sizeof(*needed); k++)
      if (strstr(text, needed[k])) found[k] = 1;
    free(text);
  }
  for (size_t k = 0; k < sizeof(needed) / sizeof(*needed); k++)
    ck_assert_msg(found[k], "no golden case has %s", needed[k]);
}
END_TEST

/* A role code that is not UTF-8 (never from the API): no answer. */
START_TEST(role_code_not_utf8_gives_no_answer) {
  struct fixture f = fixture_of(SET_ALL);
  struct tp_gap_versies versies = versies_of(MET_VERSIE);
  json_t *team = J("{'inwoners':1000,'leden':[{'label':'x','fte':0.5,'rollen':[],'competenties':[]}]}");
  json_t *share = json_pack("{s:o, s:f}", "rol", json_string_nocheck("\xff"), "aandeel", 0.5);
  json_array_append_new(json_object_get(json_array_get(json_object_get(team, "leden"), 0), "rollen"),
                        share);
  ck_assert_ptr_null(tp_gap_analyse_text(f.m, team, &versies, NULL));
  ck_assert_ptr_null(tp_gap_analyse_with(f.m, team));
  json_decref(team);
  versies_free(&versies);
  fixture_free(&f);
}
END_TEST

int main(void) {
  Suite *s = suite_create("gap_text");
  TCase *tc = tcase_create("gap_text");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, named_cases_match_their_golden_files, 0,
                      (int)(sizeof(CASES) / sizeof(*CASES)));
  tcase_add_loop_test(tc, random_teams_match_their_golden_file, 0, NSETS);
  tcase_add_test(tc, golden_cases_cover_the_method);
  tcase_add_test(tc, role_code_not_utf8_gives_no_answer);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  /* Every golden file is written before the coverage test reads them. */
  if (updating()) srunner_set_fork_status(sr, CK_NOFORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
