/* Every rule of an analysis body at its boundary, just inside and just
 * outside, through both readers: the plain reader (tp_team_read_analysis)
 * and the general way (tp_json_parse, tp_team_validate), which a body takes
 * when it holds an escape. The verdict, and the invalidParams of a refused
 * body, must not depend on the escape; the plain reader must read what is
 * valid and nothing else. So a rule changed in one reader only fails here. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/parse.h"
#include "teamplotter/team.h"
#include "team_difference.h"

static const char KNOWN_JSON[] =
    "{\"gemeenten\": [\"GM0363\", \"GM0772\"],"
    " \"rollen\": [\"kanaalregisseur\", \"verbinder\", \"webredacteur\"],"
    " \"competenties\": [\"begrijpelijke-taal\", \"webanalyse\"]}";

static json_t *known_doc;
static struct tp_known known;

static void setup(void) {
  known_doc = json_loads(KNOWN_JSON, 0, NULL);
  ck_assert_ptr_nonnull(known_doc);
  ck_assert_int_eq(tp_known_from_json(known_doc, &known), 0);
}

static void teardown(void) {
  tp_known_free(&known);
  json_decref(known_doc);
}

/* Bodies are written with ' for "; ~ stands for the row's number of x's. */
#define BODY(leden) "{'gemeente':'GM0363','leden':[" leden "]}"
#define LID(fte, rollen) "{'label':'a','fte':" fte ",'rollen':[" rollen "]}"
#define ROL(rol, aandeel) "{'rol':'" rol "','aandeel':" aandeel "}"
#define LID_K(comps) "{'label':'a','fte':1,'rollen':[" ROL("verbinder", "1") "],'competenties':[" comps "]}"
#define K(code, niveau) "{'code':'" code "','niveau':" niveau "}"

struct row {
  const char *body;
  int xs;           /* for the body's ~ */
  const char *name; /* the violation the body is refused for; NULL: valid */
  const char *code;
};

static const struct row ROWS[] = {
    /* fte and shares: (0, 1.5] */
    {BODY(LID("1.5", ROL("verbinder", "1.5"))), 0, NULL, NULL},
    {BODY(LID("1.5001", ROL("verbinder", "1.5"))), 0, "leden.0.fte", "out-of-range"},
    {BODY(LID("0.001", ROL("verbinder", "0.001"))), 0, NULL, NULL},
    {BODY(LID("0", ROL("verbinder", "0.5"))), 0, "leden.0.fte", "out-of-range"},
    {BODY(LID("-0.5", ROL("verbinder", "0.5"))), 0, "leden.0.fte", "out-of-range"},
    {BODY(LID("1.5", ROL("verbinder", "1.51"))), 0, "leden.0.rollen.0.aandeel", "out-of-range"},
    {BODY(LID("1", ROL("verbinder", "0"))), 0, "leden.0.rollen.0.aandeel", "out-of-range"},
    {BODY(LID("'1'", ROL("verbinder", "1"))), 0, "leden.0.fte", "invalid-type"},
    /* the shares make the fte, within 0.001; at least one role */
    {BODY(LID("0.5", ROL("verbinder", "0.5005"))), 0, NULL, NULL},
    {BODY(LID("0.5", ROL("verbinder", "0.502"))), 0, "leden.0.rollen", "shares-mismatch"},
    {BODY(LID("1", ROL("verbinder", "0.5") "," ROL("webredacteur", "0.5"))), 0, NULL, NULL},
    {BODY(LID("1", ROL("verbinder", "0.5") "," ROL("webredacteur", "0.49"))), 0, "leden.0.rollen",
     "shares-mismatch"},
    {BODY(LID("0.5", "")), 0, "leden.0.rollen", "shares-mismatch"},
    {BODY(LID("0.001", "")), 0, "leden.0.rollen", "shares-mismatch"},
    {BODY(LID("0.0005", "")), 0, "leden.0.rollen", "shares-mismatch"},
    /* levels: integers 1..4; competenties optional */
    {BODY(LID_K(K("webanalyse", "1") "," K("begrijpelijke-taal", "4"))), 0, NULL, NULL},
    {BODY(LID_K(K("webanalyse", "5"))), 0, "leden.0.competenties.0.niveau", "out-of-range"},
    {BODY(LID_K(K("webanalyse", "0"))), 0, "leden.0.competenties.0.niveau", "out-of-range"},
    {BODY(LID_K(K("webanalyse", "2.0"))), 0, "leden.0.competenties.0.niveau", "out-of-range"},
    {BODY(LID_K("")), 0, NULL, NULL},
    {BODY(LID_K("{'code':'webanalyse'}")), 0, "leden.0.competenties.0.niveau", "required"},
    {BODY(LID_K("{'niveau':2}")), 0, "leden.0.competenties.0.code", "required"},
    /* codes: known, at most once per member, 1..100 characters */
    {BODY(LID_K(K("webanalyse", "2") "," K("webanalyse", "3"))), 0,
     "leden.0.competenties.1.code", "duplicate"},
    {BODY(LID_K(K("onbekend", "2"))), 0, "leden.0.competenties.0.code", "unknown-code"},
    {BODY(LID_K(K("~", "2"))), 101, "leden.0.competenties.0.code", "invalid-length"},
    {BODY(LID("1", ROL("verbinder", "0.5") "," ROL("verbinder", "0.5"))), 0,
     "leden.0.rollen.1.rol", "duplicate"},
    {BODY(LID("1", ROL("onbekend", "1"))), 0, "leden.0.rollen.0.rol", "unknown-code"},
    {BODY(LID("1", ROL("", "1"))), 0, "leden.0.rollen.0.rol", "invalid-length"},
    {BODY(LID("1", ROL("~", "1"))), 101, "leden.0.rollen.0.rol", "invalid-length"},
    {BODY(LID("1", "{'aandeel':1}")), 0, "leden.0.rollen.0.rol", "required"},
    {BODY(LID("1", "{'rol':'verbinder'}")), 0, "leden.0.rollen.0.aandeel", "required"},
    {BODY(LID("1", "{'rol':'verbinder','aandeel':1,'x':1}")), 0, "leden.0.rollen.0.x",
     "unknown-field"},
    /* labels: 1..200 characters, unique; label, fte and rollen required */
    {BODY("{'label':'~','fte':1,'rollen':[" ROL("verbinder", "1") "]}"), 200, NULL, NULL},
    {BODY("{'label':'~','fte':1,'rollen':[" ROL("verbinder", "1") "]}"), 201,
     "leden.0.label", "invalid-length"},
    {BODY("{'label':'','fte':1,'rollen':[" ROL("verbinder", "1") "]}"), 0, "leden.0.label",
     "invalid-length"},
    {BODY(LID("1", ROL("verbinder", "1")) "," LID("1", ROL("verbinder", "1"))), 0,
     "leden.1.label", "duplicate"},
    {BODY("{'fte':1,'rollen':[" ROL("verbinder", "1") "]}"), 0, "leden.0.label", "required"},
    {BODY("{'label':'a','rollen':[" ROL("verbinder", "1") "]}"), 0, "leden.0.fte", "required"},
    {BODY("{'label':'a','fte':1}"), 0, "leden.0.rollen", "required"},
    {BODY("{'label':'a','fte':1,'rollen':[" ROL("verbinder", "1") "],'x':1}"), 0, "leden.0.x",
     "unknown-field"},
    {BODY("[]"), 0, "leden.0", "invalid-type"},
    /* the body: gemeente (known, 6 characters) or inwoners (1..100 million), leden */
    {"{'gemeente':'GM0772','leden':[]}", 0, NULL, NULL},
    {"{'gemeente':'GM9999','leden':[]}", 0, "gemeente", "unknown-code"},
    {"{'gemeente':'GM03630','leden':[]}", 0, "gemeente", "invalid-length"},
    {"{'gemeente':'','leden':[]}", 0, "gemeente", "invalid-length"},
    {"{'inwoners':1,'leden':[]}", 0, NULL, NULL},
    {"{'inwoners':0,'leden':[]}", 0, "inwoners", "out-of-range"},
    {"{'inwoners':100000000,'leden':[]}", 0, NULL, NULL},
    {"{'inwoners':100000001,'leden':[]}", 0, "inwoners", "out-of-range"},
    {"{'inwoners':5.0,'leden':[]}", 0, "inwoners", "out-of-range"},
    {"{'inwoners':5,'gemeente':'GM0363','leden':[]}", 0, "inwoners", "conflict"},
    {"{'leden':[]}", 0, "gemeente", "required"},
    {"{'gemeente':'GM0363'}", 0, "leden", "required"},
    {"{'gemeente':'GM0363','leden':{}}", 0, "leden", "invalid-type"},
    {"{'gemeente':'GM0363','leden':[],'toelichting':'x'}", 0, "toelichting", "unknown-field"},
    /* peildatum: optional, a real date */
    {"{'gemeente':'GM0363','peildatum':'2024-02-29','leden':[]}", 0, NULL, NULL},
    {"{'gemeente':'GM0363','peildatum':'2023-02-29','leden':[]}", 0, "peildatum", "invalid-date"},
    {"{'gemeente':'GM0363','peildatum':'2024-02-290','leden':[]}", 0, "peildatum",
     "invalid-length"},
    {"{'gemeente':'GM0363','peildatum':'','leden':[]}", 0, "peildatum", "invalid-length"},
};

/* `fmt` with ~ made `xs` x's and ' made ", in `out` (of `cap`). */
static size_t body_text(const char *fmt, int xs, char *out, size_t cap) {
  size_t n = 0;
  for (const char *p = fmt; *p; p++) {
    for (int k = 0; k < (*p == '~' ? xs : 1); k++) {
      ck_assert_uint_lt(n + 1, cap);
      out[n++] = *p == '~' ? 'x' : *p == '\'' ? '"' : *p;
    }
  }
  out[n] = '\0';
  return n;
}

/* The same body with its first key's first letter written as an escape
 * ("\u0067emeente"): it means the same, but only the general way reads it. */
static size_t escaped(const char *text, size_t len, char *out, size_t cap) {
  const char *q = memchr(text, '"', len);
  ck_assert_ptr_nonnull(q);
  size_t at = (size_t)(q - text) + 1;
  int n = snprintf(out, cap, "%.*s\\u%04x%.*s", (int)at, text, (unsigned char)text[at],
                   (int)(len - at - 1), text + at + 1);
  ck_assert(n > 0 && (size_t)n < cap);
  return (size_t)n;
}

/* The general way's invalidParams for `text`, as text ("[]": accepted);
 * the document read, when `doc` is not NULL. Free both. */
static char *general(const char *text, size_t len, json_t **doc) {
  json_t *body = tp_json_parse(text, len, NULL);
  ck_assert_msg(body != NULL, "not JSON: %s", text);
  json_t *invalid = json_array();
  tp_team_validate(body, TP_TEAM_ANALYSE, &known, "", invalid);
  char *dump = json_dumps(invalid, JSON_COMPACT | JSON_ENSURE_ASCII);
  json_decref(invalid);
  if (doc != NULL)
    *doc = body;
  else
    json_decref(body);
  ck_assert_ptr_nonnull(dump);
  return dump;
}

/* Checks one body both ways against its row. */
static void check_body(const char *text, size_t len, const char *name, const char *code) {
  char other[4096];
  size_t olen = escaped(text, len, other, sizeof(other));
  struct tp_team_read fast, unused;
  int read = tp_team_read_analysis(text, len, &known, &fast);
  ck_assert_int_eq(tp_team_read_analysis(other, olen, &known, &unused), 0);
  json_t *doc;
  char *plain = general(text, len, &doc), *slow = general(other, olen, NULL);

  /* The escape changes nothing the general way says, byte for byte. */
  ck_assert_msg(strcmp(plain, slow) == 0, "%s\n  plain:   %s\n  escaped: %s", text, plain, slow);
  if (name == NULL) {
    ck_assert_msg(strcmp(plain, "[]") == 0, "refused: %s\n  %s", text, plain);
    /* the plain reader decides it too, and reads the same team */
    ck_assert_msg(read == 1, "the plain reader left a valid body: %s", text);
    struct tp_gap_team want;
    ck_assert_int_eq(tp_gap_team_from_json(doc, &want), 0);
    const char *why = team_difference(&fast.team, &want);
    ck_assert_msg(why == NULL, "read otherwise (%s): %s", why ? why : "", text);
    tp_gap_team_free(&want);
    tp_gap_team_free(&fast.team);
  } else {
    ck_assert_msg(read == 0, "the plain reader accepted what the rules refuse: %s\n  %s", text,
                  plain);
    char want[160];
    snprintf(want, sizeof(want), "{\"name\":\"%s\",\"code\":\"%s\",", name, code);
    ck_assert_msg(strstr(plain, want) != NULL, "%s\n  wanted %s in %s", text, want, plain);
  }
  json_decref(doc);
  free(plain);
  free(slow);
}

START_TEST(each_rule_at_its_boundary_both_ways) {
  for (size_t i = 0; i < sizeof(ROWS) / sizeof(*ROWS); i++) {
    char text[2048];
    size_t len = body_text(ROWS[i].body, ROWS[i].xs, text, sizeof(text));
    check_body(text, len, ROWS[i].name, ROWS[i].code);
  }
}
END_TEST

/* A team of `n` members labelled 0, 1, ... */
static size_t team_text(size_t n, char *out, size_t cap) {
  size_t len = (size_t)snprintf(out, cap, "{\"gemeente\":\"GM0363\",\"leden\":[");
  for (size_t i = 0; i < n; i++) {
    len += (size_t)snprintf(out + len, cap - len,
                            "%s{\"label\":\"%zu\",\"fte\":1,\"rollen\":[" ROL("verbinder", "1") "]}",
                            i ? "," : "", i);
    ck_assert_uint_lt(len, cap);
  }
  len += (size_t)snprintf(out + len, cap - len, "]}");
  for (char *p = out; *p; p++)
    if (*p == '\'') *p = '"';
  return len;
}

START_TEST(members_up_to_the_limit_both_ways) {
  static char text[200000];
  size_t len = team_text(TP_TEAM_MAX_LEDEN, text, sizeof(text));
  struct tp_team_read fast;
  ck_assert_int_eq(tp_team_read_analysis(text, len, &known, &fast), 1);
  tp_gap_team_free(&fast.team);
  char *verdict = general(text, len, NULL);
  ck_assert_str_eq(verdict, "[]");
  free(verdict);

  len = team_text(TP_TEAM_MAX_LEDEN + 1, text, sizeof(text));
  ck_assert_int_eq(tp_team_read_analysis(text, len, &known, &fast), 0);
  verdict = general(text, len, NULL);
  ck_assert_str_eq(verdict, "[{\"name\":\"leden\",\"code\":\"too-many\","
                            "\"reason\":\"Een team heeft hoogstens 500 leden.\"}]");
  free(verdict);
}
END_TEST

int main(void) {
  Suite *s = suite_create("team_rules");
  TCase *tc = tcase_create("team_rules");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, each_rule_at_its_boundary_both_ways);
  tcase_add_test(tc, members_up_to_the_limit_both_ways);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
