/* Validation of a team body (service/core/team.c; the rules: docs/methode.md,
 * "Regels voor een geldig team"): every rule with a failing and a passing
 * case, the JSON paths of the violations, all violations at once, the
 * what-if analysis body, and tp_is_date. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "teamplotter/team.h"
#include "json_text.h"

/* A small catalogue, sorted as tp_repo_known_codes sorts (COLLATE "C"). */
static const char KNOWN_JSON[] =
    "{\"gemeenten\": [\"GM0363\", \"GM0772\", \"GM0855\"],"
    " \"rollen\": [\"kanaalregisseur\", \"regisseur-online-dienstverlening\", \"verbinder\","
    "              \"webcare-medewerker\", \"webredacteur\"],"
    " \"competenties\": [\"begrijpelijke-taal\", \"schrijven-voor-het-web\", \"webanalyse\"]}";

static json_t *known_doc;
static struct tp_known known;

static void setup(void) {
  json_error_t err;
  known_doc = json_loads(KNOWN_JSON, 0, &err);
  ck_assert_ptr_nonnull(known_doc);
  ck_assert_int_eq(tp_known_from_json(known_doc, &known), 0);
}

static void teardown(void) {
  tp_known_free(&known);
  json_decref(known_doc);
}

static json_t *validate_doc(const json_t *body, enum tp_team_kind kind, const char *prefix) {
  json_t *invalid = json_array();
  tp_team_validate(body, kind, &known, prefix, invalid);
  return invalid;
}

static json_t *validate(const char *text, enum tp_team_kind kind) {
  json_t *body = J(text);
  json_t *invalid = validate_doc(body, kind, "");
  json_decref(body);
  return invalid;
}

static void dump(const json_t *invalid, char *out, size_t len) {
  char *text = json_dumps(invalid, JSON_COMPACT);
  snprintf(out, len, "%s", text ? text : "?");
  free(text);
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

/* Every entry has name, code and a non-empty reason. */
static void assert_well_formed(const json_t *invalid) {
  size_t i;
  json_t *e;
  json_array_foreach(invalid, i, e) {
    ck_assert_int_eq(json_object_size(e), 3);
    ck_assert(json_is_string(json_object_get(e, "name")));
    ck_assert(json_is_string(json_object_get(e, "code")));
    ck_assert_int_gt(json_string_length(json_object_get(e, "reason")), 0);
  }
}

/* `text` is valid. */
static void passes_kind(const char *text, enum tp_team_kind kind) {
  json_t *invalid = validate(text, kind);
  char got[2048];
  dump(invalid, got, sizeof(got));
  ck_assert_msg(json_array_size(invalid) == 0, "expected valid: %s\n  got %s", text, got);
  json_decref(invalid);
}
static void passes(const char *text) { passes_kind(text, TP_TEAM_TEAMPROFIEL); }

/* `text` has exactly one violation: `name` with `code`. */
static void fails_kind(const char *text, enum tp_team_kind kind, const char *name,
                       const char *code) {
  json_t *invalid = validate(text, kind);
  char got[2048];
  dump(invalid, got, sizeof(got));
  ck_assert_msg(json_array_size(invalid) == 1 && has(invalid, name, code),
                "expected only %s/%s for %s\n  got %s", name, code, text, got);
  assert_well_formed(invalid);
  json_decref(invalid);
}
static void fails(const char *text, const char *name, const char *code) {
  fails_kind(text, TP_TEAM_TEAMPROFIEL, name, code);
}

/* Building blocks for bodies. */
#define ROL(r, a) "{'rol':'" r "','aandeel':" a "}"
#define COMP(c, n) "{'code':'" c "','niveau':" n "}"
#define LID(label, fte, rollen, comps) \
  "{'label':'" label "','fte':" fte ",'rollen':[" rollen "],'competenties':[" comps "]}"
#define TEAM(g, d, leden) "{'gemeente':'" g "','peildatum':'" d "','leden':[" leden "]}"
#define LID_OK                                                                      \
  LID("Webredactie 1", "0.8", ROL("webredacteur", "0.6") "," ROL("webcare-medewerker", "0.2"), \
      COMP("schrijven-voor-het-web", "3"))
#define LID_B LID("Regie", "1.0", ROL("regisseur-online-dienstverlening", "1.0"), "")
#define WITH_LID(lid) TEAM("GM0772", "2026-01-01", lid)

/* --- the example body of openapi.yaml and the shape ------------------------ */

START_TEST(example_body_is_valid) {
  passes(TEAM("GM0772", "2026-01-01", LID_OK));
  passes(TEAM("GM0772", "2026-01-01", LID_OK "," LID_B));
  /* An empty team is a team; competencies are optional; toelichting is allowed. */
  passes(TEAM("GM0772", "2026-01-01", ""));
  passes(WITH_LID("{'label':'A','fte':0.5,'rollen':[" ROL("verbinder", "0.5") "]}"));
  passes("{'gemeente':'GM0772','peildatum':'2026-01-01','toelichting':'Eerste opgave.','leden':[]}");
}
END_TEST

START_TEST(body_must_be_an_object) {
  const char *bodies[] = {"[]", "3", "'tekst'", "null"};
  for (size_t i = 0; i < 4; i++) {
    json_error_t err;
    char text[16];
    snprintf(text, sizeof(text), "%s", bodies[i]);
    for (char *p = text; *p; p++) {
      if (*p == '\'') *p = '"';
    }
    json_t *body = json_loads(text, JSON_DECODE_ANY, &err);
    json_t *invalid = validate_doc(body, TP_TEAM_TEAMPROFIEL, "");
    ck_assert_uint_eq(json_array_size(invalid), 1);
    ck_assert(has(invalid, "body", "invalid-type"));
    json_decref(invalid);
    json_decref(body);
  }
}
END_TEST

/* --- each rule: failing and passing --------------------------------------- */

START_TEST(known_municipality) {
  fails(TEAM("GM9999", "2026-01-01", LID_OK), "gemeente", "unknown-code");
  fails(TEAM("gm0772", "2026-01-01", LID_OK), "gemeente", "unknown-code");
  fails(TEAM("GM07720", "2026-01-01", LID_OK), "gemeente", "invalid-length");
  fails(TEAM("", "2026-01-01", LID_OK), "gemeente", "invalid-length");
  fails("{'gemeente':772,'peildatum':'2026-01-01','leden':[]}", "gemeente", "invalid-type");
  fails("{'gemeente':null,'peildatum':'2026-01-01','leden':[]}", "gemeente", "invalid-type");
  fails("{'peildatum':'2026-01-01','leden':[]}", "gemeente", "required");
  passes(TEAM("GM0363", "2026-01-01", LID_OK));
  passes(TEAM("GM0855", "2026-01-01", LID_OK));
}
END_TEST

START_TEST(known_role_codes) {
  fails(WITH_LID(LID("A", "0.8", ROL("bestaat-niet", "0.8"), "")), "leden.0.rollen.0.rol",
        "unknown-code");
  fails(WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.4") "," ROL("Webcare-medewerker", "0.4"), "")),
        "leden.0.rollen.1.rol", "unknown-code");
  /* The same role twice in one member. */
  fails(WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.4") "," ROL("webredacteur", "0.4"), "")),
        "leden.0.rollen.1.rol", "duplicate");
  fails(WITH_LID("{'label':'A','fte':0.8,'rollen':[{'aandeel':0.8}]}"), "leden.0.rollen.0.rol",
        "required");
  fails(WITH_LID("{'label':'A','fte':0.8,'rollen':[{'rol':5,'aandeel':0.8}]}"),
        "leden.0.rollen.0.rol", "invalid-type");
  passes(WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.4") "," ROL("webcare-medewerker", "0.4"), "")));
  passes(WITH_LID(LID("A", "0.8", ROL("kanaalregisseur", "0.8"), "")));
}
END_TEST

START_TEST(known_competency_codes) {
  fails(WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.8"), COMP("toveren", "3"))),
        "leden.0.competenties.0.code", "unknown-code");
  fails(WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.8"),
                     COMP("webanalyse", "3") "," COMP("webanalyse", "2"))),
        "leden.0.competenties.1.code", "duplicate");
  fails(WITH_LID("{'label':'A','fte':0.8,'rollen':[" ROL("webredacteur", "0.8")
                 "],'competenties':[{'niveau':3}]}"),
        "leden.0.competenties.0.code", "required");
  fails(WITH_LID("{'label':'A','fte':0.8,'rollen':[" ROL("webredacteur", "0.8")
                 "],'competenties':{}}"),
        "leden.0.competenties", "invalid-type");
  fails(WITH_LID("{'label':'A','fte':0.8,'rollen':[" ROL("webredacteur", "0.8")
                 "],'competenties':['webanalyse']}"),
        "leden.0.competenties.0", "invalid-type");
  passes(WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.8"),
                      COMP("webanalyse", "3") "," COMP("begrijpelijke-taal", "2"))));
}
END_TEST

START_TEST(fte_between_zero_and_one_and_a_half) {
  fails(WITH_LID(LID("A", "0", ROL("webredacteur", "0.5"), "")), "leden.0.fte", "out-of-range");
  fails(WITH_LID(LID("A", "0.0", ROL("webredacteur", "0.5"), "")), "leden.0.fte", "out-of-range");
  fails(WITH_LID(LID("A", "-0.5", ROL("webredacteur", "0.5"), "")), "leden.0.fte", "out-of-range");
  fails(WITH_LID(LID("A", "1.5000001", ROL("webredacteur", "1.0"), "")), "leden.0.fte",
        "out-of-range");
  fails(WITH_LID(LID("A", "2", ROL("webredacteur", "1.0"), "")), "leden.0.fte", "out-of-range");
  fails(WITH_LID("{'label':'A','fte':'0.8','rollen':[" ROL("webredacteur", "0.8") "]}"),
        "leden.0.fte", "invalid-type");
  fails(WITH_LID("{'label':'A','fte':true,'rollen':[" ROL("webredacteur", "0.8") "]}"),
        "leden.0.fte", "invalid-type");
  fails(WITH_LID("{'label':'A','rollen':[" ROL("webredacteur", "0.8") "]}"), "leden.0.fte",
        "required");
  passes(WITH_LID(LID("A", "1.5", ROL("webredacteur", "1.5"), "")));
  passes(WITH_LID(LID("A", "1", ROL("webredacteur", "1"), "")));
  passes(WITH_LID(LID("A", "0.001", ROL("webredacteur", "0.001"), "")));
}
END_TEST

START_TEST(share_greater_than_zero) {
  fails(WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.8") "," ROL("verbinder", "0"), "")),
        "leden.0.rollen.1.aandeel", "out-of-range");
  fails(WITH_LID(LID("A", "0.8", ROL("webredacteur", "1.0") "," ROL("verbinder", "-0.2"), "")),
        "leden.0.rollen.1.aandeel", "out-of-range");
  fails(WITH_LID(LID("A", "0.8", ROL("webredacteur", "'0.8'"), "")), "leden.0.rollen.0.aandeel",
        "invalid-type");
  fails(WITH_LID("{'label':'A','fte':0.8,'rollen':[{'rol':'webredacteur'}]}"),
        "leden.0.rollen.0.aandeel", "required");
  passes(WITH_LID(LID("A", "0.8", ROL("webredacteur", "0.7999") "," ROL("verbinder", "0.0001"), "")));
}
END_TEST

START_TEST(shares_sum_to_fte) {
  fails(WITH_LID(LID("A", "1.0", ROL("webredacteur", "0.6") "," ROL("verbinder", "0.3"), "")),
        "leden.0.rollen", "shares-mismatch");
  /* The tolerance is 0.001 either way. */
  fails(WITH_LID(LID("A", "1.0", ROL("webredacteur", "0.6") "," ROL("verbinder", "0.398"), "")),
        "leden.0.rollen", "shares-mismatch");
  fails(WITH_LID(LID("A", "1.0", ROL("webredacteur", "0.6") "," ROL("verbinder", "0.402"), "")),
        "leden.0.rollen", "shares-mismatch");
  passes(WITH_LID(LID("A", "1.0", ROL("webredacteur", "0.6") "," ROL("verbinder", "0.3991"), "")));
  passes(WITH_LID(LID("A", "1.0", ROL("webredacteur", "0.6") "," ROL("verbinder", "0.4009"), "")));
  passes(WITH_LID(LID("A", "0.9", ROL("webredacteur", "0.3") "," ROL("verbinder", "0.3") ","
                                       ROL("kanaalregisseur", "0.3"), "")));
  /* A member without roles does not add up either. */
  fails(WITH_LID(LID("A", "0.5", "", "")), "leden.0.rollen", "shares-mismatch");
  fails(WITH_LID("{'label':'A','fte':0.5}"), "leden.0.rollen", "required");
  fails(WITH_LID("{'label':'A','fte':0.5,'rollen':{}}"), "leden.0.rollen", "invalid-type");
  fails(WITH_LID("{'label':'A','fte':0.5,'rollen':['webredacteur']}"), "leden.0.rollen.0",
        "invalid-type");
  /* An empty list is named whatever fte is: there is nothing to add up. */
  const char *empty[][2] = {
      {"{'inwoners':5,'leden':[{'label':'a','fte':2,'rollen':[]}]}", "out-of-range"},
      {"{'inwoners':5,'leden':[{'label':'a','fte':'x','rollen':[]}]}", "invalid-type"},
      {"{'inwoners':5,'leden':[{'label':'a','rollen':[]}]}", "required"},
  };
  for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
    json_t *invalid = validate(empty[i][0], TP_TEAM_ANALYSE);
    char got[1024];
    dump(invalid, got, sizeof(got));
    ck_assert_msg(json_array_size(invalid) == 2 && has(invalid, "leden.0.fte", empty[i][1]) &&
                      has(invalid, "leden.0.rollen", "shares-mismatch"),
                  "%s\n  got %s", empty[i][0], got);
    assert_well_formed(invalid);
    json_decref(invalid);
  }
  /* A share that is itself wrong, or a wrong fte, reports only that. */
  fails(WITH_LID(LID("A", "1.0", ROL("webredacteur", "0.6") "," ROL("verbinder", "0"), "")),
        "leden.0.rollen.1.aandeel", "out-of-range");
  fails(WITH_LID(LID("A", "7", ROL("webredacteur", "0.6"), "")), "leden.0.fte", "out-of-range");
}
END_TEST

START_TEST(level_one_to_four) {
  const char *bad[] = {"0", "5", "-1", "2.5", "'3'", "null", "true", "3.0"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    char body[1024];
    snprintf(body, sizeof(body),
             "{'gemeente':'GM0772','peildatum':'2026-01-01','leden':[{'label':'A','fte':0.8,"
             "'rollen':[{'rol':'webredacteur','aandeel':0.8}],"
             "'competenties':[{'code':'webanalyse','niveau':%s}]}]}",
             bad[i]);
    fails(body, "leden.0.competenties.0.niveau", "out-of-range");
  }
  fails(WITH_LID("{'label':'A','fte':0.8,'rollen':[" ROL("webredacteur", "0.8")
                 "],'competenties':[{'code':'webanalyse'}]}"),
        "leden.0.competenties.0.niveau", "required");
  for (int n = 1; n <= 4; n++) {
    char body[1024];
    snprintf(body, sizeof(body),
             "{'gemeente':'GM0772','peildatum':'2026-01-01','leden':[{'label':'A','fte':0.8,"
             "'rollen':[{'rol':'webredacteur','aandeel':0.8}],"
             "'competenties':[{'code':'webanalyse','niveau':%d}]}]}",
             n);
    passes(body);
  }
}
END_TEST

/* A body with `n` valid members labelled "Lid 0".."Lid n-1". */
static json_t *team_of(size_t n) {
  json_t *leden = json_array();
  for (size_t i = 0; i < n; i++) {
    char label[32];
    snprintf(label, sizeof(label), "Lid %zu", i);
    json_array_append_new(
        leden, json_pack("{s:s, s:f, s:[{s:s, s:f}], s:[]}", "label", label, "fte", 1.0, "rollen",
                         "rol", "webredacteur", "aandeel", 1.0, "competenties"));
  }
  return json_pack("{s:s, s:s, s:o}", "gemeente", "GM0772", "peildatum", "2026-01-01", "leden",
                   leden);
}

START_TEST(at_most_500_members) {
  json_t *body = team_of(500);
  json_t *invalid = validate_doc(body, TP_TEAM_TEAMPROFIEL, "");
  ck_assert_uint_eq(json_array_size(invalid), 0);
  json_decref(invalid);
  json_decref(body);

  body = team_of(501);
  invalid = validate_doc(body, TP_TEAM_TEAMPROFIEL, "");
  /* One violation for the list, not 501 for its members. */
  ck_assert_uint_eq(json_array_size(invalid), 1);
  ck_assert(has(invalid, "leden", "too-many"));
  json_decref(invalid);
  json_decref(body);

  fails("{'gemeente':'GM0772','peildatum':'2026-01-01'}", "leden", "required");
  fails("{'gemeente':'GM0772','peildatum':'2026-01-01','leden':{}}", "leden", "invalid-type");
  fails("{'gemeente':'GM0772','peildatum':'2026-01-01','leden':null}", "leden", "invalid-type");
  fails(WITH_LID("'Webredactie'"), "leden.0", "invalid-type");
}
END_TEST

START_TEST(labels_unique_within_a_profile) {
  fails(WITH_LID(LID("Dubbel", "0.5", ROL("webredacteur", "0.5"), "") ","
                 LID("Dubbel", "0.5", ROL("verbinder", "0.5"), "")),
        "leden.1.label", "duplicate");
  /* The third of three is reported too, each at its own index. */
  json_t *invalid = validate(WITH_LID(LID("X", "0.5", ROL("webredacteur", "0.5"), "") ","
                                      LID("Y", "0.5", ROL("webredacteur", "0.5"), "") ","
                                      LID("X", "0.5", ROL("webredacteur", "0.5"), "") ","
                                      LID("X", "0.5", ROL("webredacteur", "0.5"), "")),
                             TP_TEAM_TEAMPROFIEL);
  ck_assert_uint_eq(json_array_size(invalid), 2);
  ck_assert(has(invalid, "leden.2.label", "duplicate"));
  ck_assert(has(invalid, "leden.3.label", "duplicate"));
  json_decref(invalid);
  /* Case matters; labels are compared as written. */
  passes(WITH_LID(LID("Dubbel", "0.5", ROL("webredacteur", "0.5"), "") ","
                  LID("dubbel", "0.5", ROL("verbinder", "0.5"), "")));
  fails(WITH_LID(LID("", "0.5", ROL("webredacteur", "0.5"), "")), "leden.0.label",
        "invalid-length");
  fails(WITH_LID("{'label':3,'fte':0.5,'rollen':[" ROL("webredacteur", "0.5") "]}"),
        "leden.0.label", "invalid-type");
  fails(WITH_LID("{'fte':0.5,'rollen':[" ROL("webredacteur", "0.5") "]}"), "leden.0.label",
        "required");
  /* 200 bytes is the longest label. */
  char label[TP_TEAM_LABEL_MAX + 2];
  memset(label, 'x', sizeof(label));
  label[TP_TEAM_LABEL_MAX] = '\0';
  json_t *body = team_of(1);
  json_object_set_new(json_array_get(json_object_get(body, "leden"), 0), "label",
                      json_string(label));
  invalid = validate_doc(body, TP_TEAM_TEAMPROFIEL, "");
  ck_assert_uint_eq(json_array_size(invalid), 0);
  json_decref(invalid);
  label[TP_TEAM_LABEL_MAX] = 'x';
  label[TP_TEAM_LABEL_MAX + 1] = '\0';
  json_object_set_new(json_array_get(json_object_get(body, "leden"), 0), "label",
                      json_string(label));
  invalid = validate_doc(body, TP_TEAM_TEAMPROFIEL, "");
  ck_assert_uint_eq(json_array_size(invalid), 1);
  ck_assert(has(invalid, "leden.0.label", "invalid-length"));
  json_decref(invalid);
  /* The limit counts characters, not bytes: 200 x "é" (400 bytes) fits,
   * 201 does not. */
  char wide[2 * (TP_TEAM_LABEL_MAX + 1) + 1];
  for (int i = 0; i <= TP_TEAM_LABEL_MAX; i++) memcpy(wide + 2 * i, "\xc3\xa9", 2);
  wide[2 * TP_TEAM_LABEL_MAX] = '\0';
  json_object_set_new(json_array_get(json_object_get(body, "leden"), 0), "label",
                      json_string(wide));
  invalid = validate_doc(body, TP_TEAM_TEAMPROFIEL, "");
  ck_assert_uint_eq(json_array_size(invalid), 0);
  json_decref(invalid);
  wide[2 * TP_TEAM_LABEL_MAX] = '\xc3';
  wide[2 * TP_TEAM_LABEL_MAX + 1] = '\xa9';
  wide[2 * TP_TEAM_LABEL_MAX + 2] = '\0';
  json_object_set_new(json_array_get(json_object_get(body, "leden"), 0), "label",
                      json_string(wide));
  invalid = validate_doc(body, TP_TEAM_TEAMPROFIEL, "");
  ck_assert_uint_eq(json_array_size(invalid), 1);
  ck_assert(has(invalid, "leden.0.label", "invalid-length"));
  json_decref(invalid);
  json_decref(body);
}
END_TEST

START_TEST(peildatum_a_real_date) {
  fails(TEAM("GM0772", "2026-02-29", LID_OK), "peildatum", "invalid-date");
  passes(TEAM("GM0772", "2028-02-29", LID_OK));
  fails(TEAM("GM0772", "2026-04-31", LID_OK), "peildatum", "invalid-date");
  fails(TEAM("GM0772", "2026-13-01", LID_OK), "peildatum", "invalid-date");
  fails(TEAM("GM0772", "2026-1-01", LID_OK), "peildatum", "invalid-date");
  fails(TEAM("GM0772", "01-01-2026", LID_OK), "peildatum", "invalid-date");
  fails(TEAM("GM0772", "2026-01-01T00:00", LID_OK), "peildatum", "invalid-length");
  fails(TEAM("GM0772", "", LID_OK), "peildatum", "invalid-length");
  fails("{'gemeente':'GM0772','peildatum':20260101,'leden':[]}", "peildatum", "invalid-type");
  fails("{'gemeente':'GM0772','leden':[]}", "peildatum", "required");
  passes(TEAM("GM0772", "2026-12-31", LID_OK));
}
END_TEST

START_TEST(unknown_fields_at_every_level) {
  fails("{'gemeente':'GM0772','peildatum':'2026-01-01','leden':[],'kleur':'rood'}", "kleur",
        "unknown-field");
  /* inwoners belongs to the what-if analysis only. */
  fails("{'gemeente':'GM0772','peildatum':'2026-01-01','leden':[],'inwoners':1000}", "inwoners",
        "unknown-field");
  /* uuid, herkomst and the like are the server's. */
  fails("{'gemeente':'GM0772','peildatum':'2026-01-01','leden':[],'herkomst':'opgave'}",
        "herkomst", "unknown-field");
  fails(WITH_LID("{'label':'A','fte':0.5,'uren':18,'rollen':[" ROL("webredacteur", "0.5") "]}"),
        "leden.0.uren", "unknown-field");
  fails(WITH_LID("{'label':'A','fte':0.5,'rollen':[{'rol':'webredacteur','aandeel':0.5,'x':1}]}"),
        "leden.0.rollen.0.x", "unknown-field");
  fails(WITH_LID("{'label':'A','fte':0.5,'rollen':[" ROL("webredacteur", "0.5")
                 "],'competenties':[{'code':'webanalyse','niveau':2,'sinds':2020}]}"),
        "leden.0.competenties.0.sinds", "unknown-field");
  /* Field names are case-sensitive. */
  fails("{'Gemeente':'GM0772','gemeente':'GM0772','peildatum':'2026-01-01','leden':[]}",
        "Gemeente", "unknown-field");
}
END_TEST

START_TEST(long_unknown_field_names_are_reported) {
  /* The name in invalidParams is cut to 64 bytes; the field must be
   * reported even when the cut falls inside a UTF-8 character. */
  char key[128];
  memset(key, 'k', 63);
  strcpy(key + 63, "\xc3\xa9"); /* 63 x 'k' + "é": byte 64 is half of é */
  json_t *body = J(TEAM("GM0772", "2026-01-01", ""));
  json_object_set_new(body, key, json_integer(1));
  json_t *invalid = validate_doc(body, TP_TEAM_TEAMPROFIEL, "");
  char got[2048];
  dump(invalid, got, sizeof(got));
  ck_assert_msg(json_array_size(invalid) == 1,
                "an unknown field named 63 x 'k' + 'é' must be refused; got %s", got);
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(invalid, 0), "code")),
                   "unknown-field");
  json_decref(invalid);
  json_decref(body);
}
END_TEST

START_TEST(long_ascii_field_names_are_reported) {
  char key[300];
  memset(key, 'k', 299);
  key[299] = '\0';
  json_t *body = J(TEAM("GM0772", "2026-01-01", ""));
  json_object_set_new(body, key, json_integer(1));
  json_t *invalid = validate_doc(body, TP_TEAM_TEAMPROFIEL, "");
  ck_assert_uint_eq(json_array_size(invalid), 1);
  const char *name = json_string_value(json_object_get(json_array_get(invalid, 0), "name"));
  ck_assert_uint_le(strlen(name), 64);
  ck_assert_int_eq(strncmp(name, key, strlen(name)), 0);
  json_decref(invalid);
  json_decref(body);
}
END_TEST

START_TEST(wrong_json_types) {
  fails("{'gemeente':'GM0772','peildatum':'2026-01-01','toelichting':12,'leden':[]}",
        "toelichting", "invalid-type");
  fails("{'gemeente':['GM0772'],'peildatum':'2026-01-01','leden':[]}", "gemeente",
        "invalid-type");
  fails("{'gemeente':'GM0772','peildatum':'2026-01-01','leden':'geen'}", "leden", "invalid-type");
  fails(WITH_LID("{'label':'A','fte':[0.5],'rollen':[" ROL("webredacteur", "0.5") "]}"),
        "leden.0.fte", "invalid-type");
  fails(WITH_LID("{'label':{},'fte':0.5,'rollen':[" ROL("webredacteur", "0.5") "]}"),
        "leden.0.label", "invalid-type");
  fails(WITH_LID("{'label':'A','fte':0.5,'rollen':[{'rol':['webredacteur'],'aandeel':0.5}]}"),
        "leden.0.rollen.0.rol", "invalid-type");
}
END_TEST

START_TEST(five_errors_at_once_with_their_paths) {
  /* gemeente unknown, peildatum not a date, label 1 a duplicate, a level of
   * 7 at member 2, a share of 0 at member 3. */
  json_t *invalid = validate(
      "{'gemeente':'GM9999','peildatum':'2026-02-29','leden':["
      "{'label':'A','fte':1.0,'rollen':[{'rol':'webredacteur','aandeel':1.0}]},"
      "{'label':'A','fte':0.5,'rollen':[{'rol':'verbinder','aandeel':0.5}]},"
      "{'label':'C','fte':0.5,'rollen':[{'rol':'verbinder','aandeel':0.5}],"
      " 'competenties':[{'code':'webanalyse','niveau':7}]},"
      "{'label':'D','fte':0.5,'rollen':[{'rol':'webredacteur','aandeel':0}]}]}",
      TP_TEAM_TEAMPROFIEL);
  char got[2048];
  dump(invalid, got, sizeof(got));
  ck_assert_msg(json_array_size(invalid) == 5, "got %s", got);
  ck_assert(has(invalid, "gemeente", "unknown-code"));
  ck_assert(has(invalid, "peildatum", "invalid-date"));
  ck_assert(has(invalid, "leden.1.label", "duplicate"));
  ck_assert(has(invalid, "leden.2.competenties.0.niveau", "out-of-range"));
  ck_assert(has(invalid, "leden.3.rollen.0.aandeel", "out-of-range"));
  assert_well_formed(invalid);
  json_decref(invalid);
}
END_TEST

START_TEST(every_error_of_a_bad_body) {
  /* Errors of every kind in one body are all reported. */
  json_t *invalid = validate(
      "{'gemeente':7,'peildatum':'2026-00-10','extra':1,'leden':["
      "{'label':'','fte':2,'rollen':[{'rol':'x','aandeel':-1}],"
      " 'competenties':[{'code':'y','niveau':0}]},"
      "{'label':'B','fte':1.0,'rollen':[{'rol':'webredacteur','aandeel':0.5}]},"
      "5]}",
      TP_TEAM_TEAMPROFIEL);
  char got[4096];
  dump(invalid, got, sizeof(got));
  const char *want[][2] = {{"gemeente", "invalid-type"},
                           {"peildatum", "invalid-date"},
                           {"extra", "unknown-field"},
                           {"leden.0.label", "invalid-length"},
                           {"leden.0.fte", "out-of-range"},
                           {"leden.0.rollen.0.rol", "unknown-code"},
                           {"leden.0.rollen.0.aandeel", "out-of-range"},
                           {"leden.0.competenties.0.code", "unknown-code"},
                           {"leden.0.competenties.0.niveau", "out-of-range"},
                           {"leden.1.rollen", "shares-mismatch"},
                           {"leden.2", "invalid-type"}};
  size_t n = sizeof(want) / sizeof(want[0]);
  ck_assert_msg(json_array_size(invalid) == n, "got %s", got);
  for (size_t i = 0; i < n; i++) {
    ck_assert_msg(has(invalid, want[i][0], want[i][1]), "%s/%s missing in %s", want[i][0],
                  want[i][1], got);
  }
  json_decref(invalid);
}
END_TEST

START_TEST(prefix_goes_before_every_name) {
  json_t *body = J("{'gemeente':'GM9999','peildatum':'2026-01-01','leden':["
                   "{'label':'A','fte':0.5,'rollen':[{'rol':'webredacteur','aandeel':0}]}]}");
  json_t *invalid = validate_doc(body, TP_TEAM_IMPORT, "profielen.2.");
  char got[2048];
  dump(invalid, got, sizeof(got));
  ck_assert_msg(json_array_size(invalid) == 3, "got %s", got);
  ck_assert(has(invalid, "profielen.2.gemeente", "unknown-code"));
  ck_assert(has(invalid, "profielen.2.herkomst", "required"));
  ck_assert(has(invalid, "profielen.2.leden.0.rollen.0.aandeel", "out-of-range"));
  json_decref(invalid);
  /* NULL is no prefix. */
  invalid = json_array();
  tp_team_validate(body, TP_TEAM_TEAMPROFIEL, &known, NULL, invalid);
  ck_assert(has(invalid, "gemeente", "unknown-code"));
  json_decref(invalid);
  json_decref(body);
}
END_TEST

START_TEST(import_body) {
  passes_kind("{'gemeente':'GM0855','peildatum':'2019-01-01','herkomst':'schatting',"
              "'bronnen':['ING4'],'toelichting':'x','leden':[]}",
              TP_TEAM_IMPORT);
  fails_kind("{'gemeente':'GM0855','peildatum':'2019-01-01','herkomst':'gok','leden':[]}",
             TP_TEAM_IMPORT, "herkomst", "invalid-choice");
  fails_kind("{'gemeente':'GM0855','peildatum':'2019-01-01','herkomst':'bron','bronnen':'ING4',"
             "'leden':[]}",
             TP_TEAM_IMPORT, "bronnen", "invalid-type");
  /* herkomst and bronnen are not for API clients. */
  fails("{'gemeente':'GM0855','peildatum':'2019-01-01','bronnen':[],'leden':[]}", "bronnen",
        "unknown-field");
}
END_TEST

/* A reference-team file may name its version, source and note: texts. */
START_TEST(reference_file_names_its_version) {
  static const char *const referentie_codes[] = {"GM0855"};
  static const char *const bron_codes[] = {"ING4"};
  const struct tp_codes referentie = {referentie_codes, 1}, bronnen = {bron_codes, 1};
  static const char profielen[] = "'profielen':[{'gemeente':'GM0855','peildatum':'2019-01-01',"
                                  "'herkomst':'schatting','bronnen':['ING4'],'leden':[]}]";
  char text[512];
  snprintf(text, sizeof(text), "{'versie':'2027.1','bron':'VNG Realisatie','toelichting':'x',%s}",
           profielen);
  json_t *ok = J(text);
  json_t *invalid = json_array();
  tp_referentie_import_validate(ok, &known, &referentie, &bronnen, invalid);
  ck_assert_int_eq(json_array_size(invalid), 0);
  json_decref(invalid);
  json_decref(ok);

  snprintf(text, sizeof(text), "{'versie':2027,'bron':'','toelichting':['x'],%s}", profielen);
  json_t *bad = J(text);
  invalid = json_array();
  tp_referentie_import_validate(bad, &known, &referentie, &bronnen, invalid);
  char got[512];
  dump(invalid, got, sizeof(got));
  ck_assert_msg(has(invalid, "versie", "invalid-type"), "%s", got);
  ck_assert_msg(has(invalid, "bron", "invalid-length"), "%s", got);
  ck_assert_msg(has(invalid, "toelichting", "invalid-type"), "%s", got);
  ck_assert_int_eq(json_array_size(invalid), 3);
  json_decref(invalid);
  json_decref(bad);

  /* At most TP_REFERENTIE_VERSIE_MAX characters. */
  char versie[TP_REFERENTIE_VERSIE_MAX + 2];
  memset(versie, 'v', sizeof(versie) - 1);
  versie[sizeof(versie) - 1] = '\0';
  snprintf(text, sizeof(text), "{'versie':'%s',%s}", versie, profielen);
  bad = J(text);
  invalid = json_array();
  tp_referentie_import_validate(bad, &known, &referentie, &bronnen, invalid);
  ck_assert(has(invalid, "versie", "invalid-length"));
  json_decref(invalid);
  json_decref(bad);
}
END_TEST

/* --- the what-if analysis ------------------------------------------------- */

START_TEST(analysis_with_inwoners_instead_of_gemeente) {
  passes_kind("{'inwoners':50000,'leden':[" LID_OK "]}", TP_TEAM_ANALYSE);
  passes_kind("{'inwoners':1,'peildatum':'2026-01-01','leden':[]}", TP_TEAM_ANALYSE);
  passes_kind("{'inwoners':100000000,'leden':[]}", TP_TEAM_ANALYSE);
  passes_kind("{'gemeente':'GM0772','leden':[" LID_OK "]}", TP_TEAM_ANALYSE);
  /* peildatum is optional, but a real date when given. */
  fails_kind("{'inwoners':50000,'peildatum':'2026-02-29','leden':[]}", TP_TEAM_ANALYSE,
             "peildatum", "invalid-date");
  const char *bad[] = {"0", "-5", "100000001", "'50000'", "1.5", "null"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    char body[256];
    snprintf(body, sizeof(body), "{'inwoners':%s,'leden':[]}", bad[i]);
    fails_kind(body, TP_TEAM_ANALYSE, "inwoners", "out-of-range");
  }
  /* toelichting is stored with a profile; an analysis stores nothing. */
  fails_kind("{'inwoners':50000,'toelichting':'x','leden':[]}", TP_TEAM_ANALYSE, "toelichting",
             "unknown-field");
  /* The members are checked like a profile's. */
  fails_kind("{'inwoners':50000,'leden':[" LID("A", "0", ROL("webredacteur", "0.5"), "") "]}",
             TP_TEAM_ANALYSE, "leden.0.fte", "out-of-range");
}
END_TEST

START_TEST(analysis_with_both_is_a_conflict) {
  fails_kind("{'gemeente':'GM0772','inwoners':50000,'leden':[]}", TP_TEAM_ANALYSE, "inwoners",
             "conflict");
  /* Neither: gemeente is required. */
  fails_kind("{'leden':[]}", TP_TEAM_ANALYSE, "gemeente", "required");
  fails_kind("{'gemeente':'GM9999','leden':[]}", TP_TEAM_ANALYSE, "gemeente", "unknown-code");
}
END_TEST

START_TEST(analysis_with_too_many_members) {
  json_t *body = team_of(501);
  json_object_del(body, "gemeente");
  json_object_set_new(body, "inwoners", json_integer(200000));
  json_t *invalid = validate_doc(body, TP_TEAM_ANALYSE, "");
  ck_assert_uint_eq(json_array_size(invalid), 1);
  ck_assert(has(invalid, "leden", "too-many"));
  json_decref(invalid);
  json_decref(body);
}
END_TEST

/* --- dates and codes ------------------------------------------------------ */

START_TEST(is_date) {
  const char *yes[] = {"2026-01-01", "2028-02-29", "2000-02-29", "2026-12-31", "1900-01-01",
                       "2999-12-31", "2026-04-30", "2024-02-29", "2026-02-28"};
  const char *no[] = {"2026-02-29", "1900-02-29", "2100-02-29", "2026-04-31", "2026-06-31",
                      "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32", "1899-12-31",
                      "3000-01-01", "2026-1-01",  "2026-01-1",  "26-01-01",   "2026/01/01",
                      "2026-01-01x", "2026-01-0a", "+026-01-01", "2026-01-01 ", " 2026-01-01",
                      "",           "2026 01 01", "20260101",   "2026-0-101", "abcd-ef-gh",
                      "2026-01--1", "-026-01-01"};
  for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
    ck_assert_msg(tp_is_date(yes[i]), "%s should be a date", yes[i]);
  }
  for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
    ck_assert_msg(!tp_is_date(no[i]), "\"%s\" should not be a date", no[i]);
  }
  ck_assert(!tp_is_date(NULL));
}
END_TEST

START_TEST(codes_lookup) {
  ck_assert(tp_codes_has(&known.gemeenten, "GM0772"));
  ck_assert(tp_codes_has(&known.gemeenten, "GM0363"));
  ck_assert(tp_codes_has(&known.gemeenten, "GM0855"));
  ck_assert(!tp_codes_has(&known.gemeenten, "GM0000"));
  ck_assert(!tp_codes_has(&known.gemeenten, "GM077"));
  ck_assert(!tp_codes_has(&known.gemeenten, NULL));
  ck_assert(tp_codes_has(&known.rollen, "webredacteur"));
  ck_assert(!tp_codes_has(&known.rollen, "schrijven-voor-het-web"));
  ck_assert(tp_codes_has(&known.competenties, "schrijven-voor-het-web"));
  /* An empty catalogue knows nothing. */
  json_error_t err;
  json_t *empty = json_loads("{\"gemeenten\":[],\"rollen\":[],\"competenties\":[]}", 0, &err);
  struct tp_known none;
  ck_assert_int_eq(tp_known_from_json(empty, &none), 0);
  ck_assert(!tp_codes_has(&none.gemeenten, "GM0772"));
  json_t *invalid = json_array();
  json_t *body = J(TEAM("GM0772", "2026-01-01", LID_OK));
  tp_team_validate(body, TP_TEAM_TEAMPROFIEL, &none, "", invalid);
  ck_assert(has(invalid, "gemeente", "unknown-code"));
  ck_assert(has(invalid, "leden.0.rollen.0.rol", "unknown-code"));
  ck_assert(has(invalid, "leden.0.competenties.0.code", "unknown-code"));
  json_decref(body);
  json_decref(invalid);
  tp_known_free(&none);
  json_decref(empty);
}
END_TEST

START_TEST(problems_are_capped) {
  /* 300 members with an unknown role each: 200 named, then one entry saying
   * there are more. */
  json_t *leden = json_array();
  for (int i = 0; i < 300; i++) {
    char label[16];
    snprintf(label, sizeof(label), "lid %d", i);
    json_array_append_new(leden, json_pack("{s:s, s:f, s:[{s:s, s:f}]}", "label", label, "fte", 0.5,
                                           "rollen", "rol", "bestaat-niet", "aandeel", 0.5));
  }
  json_t *body = json_pack("{s:s, s:s, s:o}", "gemeente", "GM0855", "peildatum", "2026-01-01",
                           "leden", leden);
  json_t *invalid = validate_doc(body, TP_TEAM_TEAMPROFIEL, "");
  ck_assert_uint_eq(json_array_size(invalid), TP_TEAM_MAX_PROBLEMS + 1);
  const json_t *last = json_array_get(invalid, TP_TEAM_MAX_PROBLEMS);
  ck_assert_str_eq(json_string_value(json_object_get(last, "code")), "too-many-errors");
  ck_assert_str_eq(json_string_value(json_object_get(json_array_get(invalid, 0), "name")),
                   "leden.0.rollen.0.rol");
  json_decref(invalid);
  json_decref(body);
}
END_TEST

/* Repeats, short arrays (compared pairwise) and long ones (sorted)
 * alike: an element repeats when an earlier one has the same string;
 * elements without one never do. */
START_TEST(repeats_short_and_long) {
  static const char *const values[] = {"a", "b", "c", "ab", NULL};
  unsigned seed = 7;
  for (int round = 0; round < 2000; round++) {
    size_t n = (size_t)round % 21;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      const char *v = values[(seed >> 16) % 5];
      json_array_append_new(arr, v ? json_pack("{s:s}", "k", v) : json_object());
    }
    struct tp_repeats r;
    tp_repeats_find(&r, arr, "k");
    for (size_t i = 0; i < n; i++) {
      const char *v = json_string_value(json_object_get(json_array_get(arr, i), "k"));
      int want = 0;
      for (size_t j = 0; v != NULL && j < i; j++) {
        const char *w = json_string_value(json_object_get(json_array_get(arr, j), "k"));
        want |= w != NULL && strcmp(w, v) == 0;
      }
      ck_assert_int_eq(tp_repeats_at(&r, i, v), want);
    }
    tp_repeats_free(&r);
    json_decref(arr);
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("team");
  TCase *tc = tcase_create("validate");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, example_body_is_valid);
  tcase_add_test(tc, body_must_be_an_object);
  tcase_add_test(tc, known_municipality);
  tcase_add_test(tc, known_role_codes);
  tcase_add_test(tc, known_competency_codes);
  tcase_add_test(tc, fte_between_zero_and_one_and_a_half);
  tcase_add_test(tc, share_greater_than_zero);
  tcase_add_test(tc, shares_sum_to_fte);
  tcase_add_test(tc, level_one_to_four);
  tcase_add_test(tc, at_most_500_members);
  tcase_add_test(tc, labels_unique_within_a_profile);
  tcase_add_test(tc, peildatum_a_real_date);
  tcase_add_test(tc, unknown_fields_at_every_level);
  tcase_add_test(tc, long_unknown_field_names_are_reported);
  tcase_add_test(tc, long_ascii_field_names_are_reported);
  tcase_add_test(tc, wrong_json_types);
  tcase_add_test(tc, five_errors_at_once_with_their_paths);
  tcase_add_test(tc, every_error_of_a_bad_body);
  tcase_add_test(tc, prefix_goes_before_every_name);
  tcase_add_test(tc, import_body);
  tcase_add_test(tc, analysis_with_inwoners_instead_of_gemeente);
  tcase_add_test(tc, analysis_with_both_is_a_conflict);
  tcase_add_test(tc, analysis_with_too_many_members);
  tcase_add_test(tc, is_date);
  tcase_add_test(tc, repeats_short_and_long);
  tcase_add_test(tc, codes_lookup);
  tcase_add_test(tc, problems_are_capped);
  tcase_add_test(tc, reference_file_names_its_version);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
