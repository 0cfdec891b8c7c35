/* The plain reader of analysis bodies (tp_team_read_analysis) against the
 * general way (tp_json_parse, tp_team_validate, tp_gap_team_from_json):
 * whatever it reads, the general way accepts, with the same team, number
 * for number; plain valid bodies it always reads; the rest it leaves to
 * the general way. Random valid teams, teams changed field by field, and
 * texts changed byte by byte. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/parse.h"
#include "teamplotter/team.h"
#include "random_json.h"
#include "team_difference.h"

static const char KNOWN_JSON[] =
    "{\"gemeenten\": [\"GM0034\", \"GM0363\", \"GM0772\", \"GM0855\", \"GM1921\"],"
    " \"rollen\": [\"contentstrateeg\", \"kanaalregisseur\", \"regisseur-online-dienstverlening\","
    "              \"verbinder\", \"webcare-medewerker\", \"webredacteur\"],"
    " \"competenties\": [\"begrijpelijke-taal\", \"data-analyse\", \"schrijven-voor-het-web\","
    "                    \"toegankelijkheid\", \"webanalyse\"]}";

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

/* ------------------------------------------------------ the comparison */

/* The general way's verdict on `text`: 1 when it accepts the body. Then
 * the plain reader's team must be the team the general way reads. */
static int general_accepts(const char *text, size_t len, const struct tp_team_read *plain) {
  json_t *doc = tp_json_parse(text, len, NULL);
  if (doc == NULL || !json_is_object(doc)) {
    json_decref(doc);
    return 0;
  }
  json_t *invalid = json_array();
  tp_team_validate(doc, TP_TEAM_ANALYSE, &known, "", invalid);
  int ok = json_array_size(invalid) == 0;
  json_decref(invalid);
  if (ok && plain != NULL) {
    struct tp_gap_team want;
    ck_assert_int_eq(tp_gap_team_from_json(doc, &want), 0);
    const json_t *inwoners = json_object_get(doc, "inwoners");
    ck_assert_int_eq(plain->inwoners, inwoners ? json_integer_value(inwoners) : 0);
    ck_assert_ptr_null(plain->team.inwoners);
    const char *why = team_difference(&plain->team, &want);
    ck_assert_msg(why == NULL, "read otherwise (%s): %.*s", why ? why : "",
                  (int)(len > 300 ? 300 : len), text);
    tp_gap_team_free(&want);
  }
  json_decref(doc);
  return ok;
}

/* Reads `text` both ways and checks the promise. 1 when the plain reader read it. */
static int check_text(const char *text, size_t len) {
  struct tp_team_read plain;
  int read = tp_team_read_analysis(text, len, &known, &plain);
  ck_assert(read == 0 || read == 1);
  if (read) {
    ck_assert_msg(general_accepts(text, len, &plain), "read, but refused: %.*s",
                  (int)(len > 400 ? 400 : len), text);
    tp_gap_team_free(&plain.team);
  } else {
    ck_assert_ptr_null(plain.team.leden); /* nothing left to free */
  }
  return read;
}

static int check_str(const char *text) {
  return check_text(text, strlen(text));
}

/* ------------------------------------------------------ random teams */

static const char *pick(const struct tp_codes *codes) {
  return codes->codes[rnd() % codes->count];
}

/* Whitespace as people and tools write it, sometimes none. */
static const char *space(void) {
  static const char *const ws[] = {"", "", "", " ", "\n  ", "\t", "\r\n"};
  return ws[rnd() % (sizeof(ws) / sizeof(*ws))];
}

/* A plainly valid analysis body of `nleden` members, written the way
 * clients write numbers (shortest form) into `buf`. */
static size_t random_body(char *buf, size_t cap, size_t nleden) {
  size_t n = 0;
#define OUT(...)                                             \
  do {                                                       \
    n += (size_t)snprintf(buf + n, cap - n, __VA_ARGS__);    \
    ck_assert_uint_lt(n, cap);                               \
  } while (0)
  OUT("{%s", space());
  if (rnd() % 3 == 0) {
    OUT("\"inwoners\":%s%llu,", space(), (unsigned long long)(1 + rnd() % 100000000));
  } else {
    OUT("\"gemeente\":%s\"%s\",", space(), pick(&known.gemeenten));
  }
  if (rnd() % 2) {
    OUT("\"peildatum\":\"20%02d-%02d-%02d\",%s", (int)(rnd() % 30), (int)(1 + rnd() % 12),
        (int)(1 + rnd() % 28), space());
  }
  OUT("\"leden\":%s[", space());
  for (size_t i = 0; i < nleden; i++) {
    /* shares in hundredths; fte their sum, so they agree within the tolerance */
    size_t nrollen = 1 + rnd() % 3, used[3];
    unsigned hundredths[3], total = 0;
    for (size_t k = 0; k < nrollen; k++) {
      used[k] = rnd() % known.rollen.count;
      for (size_t j = 0; j < k; j++)
        if (used[j] == used[k]) used[k] = (used[k] + 1) % known.rollen.count, j = (size_t)-1;
      hundredths[k] = 1 + (unsigned)(rnd() % 50);
      total += hundredths[k];
    }
    OUT("%s{\"label\":%s\"Lid %zu\",%s", i ? "," : "", space(), i, space());
    if (total % 100 == 0) {
      OUT("\"fte\":%u,", total / 100); /* an integer is a number too */
    } else {
      OUT("\"fte\":%u.%02u,", total / 100, total % 100);
    }
    OUT("\"rollen\":[");
    for (size_t k = 0; k < nrollen; k++) {
      OUT("%s{\"rol\":\"%s\",%s\"aandeel\":0.%02u}", k ? "," : "", known.rollen.codes[used[k]],
          space(), hundredths[k]);
    }
    OUT("]");
    if (rnd() % 4) {
      size_t ncomp = rnd() % (known.competenties.count + 1);
      size_t first = rnd() % known.competenties.count;
      OUT(",\"competenties\":%s[", space());
      for (size_t k = 0; k < ncomp; k++) {
        OUT("%s{\"code\":\"%s\",\"niveau\":%d}", k ? "," : "",
            known.competenties.codes[(first + k) % known.competenties.count],
            (int)(1 + rnd() % 4));
      }
      OUT("]");
    }
    OUT("}");
  }
  OUT("]%s}%s", space(), space());
#undef OUT
  return n;
}

START_TEST(plain_valid_bodies_are_read) {
  static char buf[200000];
  for (int i = 0; i < 3000; i++) {
    size_t len = random_body(buf, sizeof(buf), (size_t)(rnd() % 25));
    ck_assert_msg(check_text(buf, len) == 1, "not read: %.*s", (int)(len > 400 ? 400 : len),
                  buf);
  }
  /* the largest team, and an empty one */
  size_t len = random_body(buf, sizeof(buf), TP_TEAM_MAX_LEDEN);
  ck_assert_int_eq(check_text(buf, len), 1);
  ck_assert_int_eq(check_str("{\"gemeente\":\"GM0363\",\"leden\":[]}"), 1);
  ck_assert_int_eq(check_str("{\"inwoners\":1,\"leden\":[]}"), 1);
}
END_TEST

/* Bodies the general way accepts or refuses that the plain reader leaves to
 * it; each is checked both ways. */
START_TEST(left_to_the_general_way) {
  static const char *const bodies[] = {
      /* valid, but not plain */
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"\\u0041\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"Zo\xc3\xab\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":5e-1,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":0.5000000000000001,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}]}]}",
      /* refused by the general way */
      "{\"gemeente\":\"GM0363\",\"gemeente\":\"GM0363\",\"leden\":[]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[]}x",
      "{\"gemeente\":\"GM0363\",\"leden\":[]}\"abc",
      "{\"gemeente\":\"GM0363\",\"leden\":[]}{}",
      "{\"gemeente\":\"GM0363\",\"leden\":[]",
      "{\"gemeente\":\"GM0363\",\"inwoners\":5,\"leden\":[]}",
      "{\"leden\":[]}",
      "{\"gemeente\":\"GM9999\",\"leden\":[]}",
      "{\"gemeente\":\"GM03630\",\"leden\":[]}",
      "{\"gemeente\":\"\",\"leden\":[]}",
      "{\"gemeente\":null,\"inwoners\":5,\"leden\":[]}",
      "{\"inwoners\":0,\"leden\":[]}",
      "{\"inwoners\":100000001,\"leden\":[]}",
      "{\"inwoners\":5.0,\"leden\":[]}",
      "{\"inwoners\":-5,\"leden\":[]}",
      "{\"gemeente\":\"GM0363\"}",
      "{\"gemeente\":\"GM0363\",\"leden\":{}}",
      "{\"gemeente\":\"GM0363\",\"leden\":[[]]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[null]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[],\"extra\":1}",
      "{\"gemeente\":\"GM0363\",\"peildatum\":\"2026-02-30\",\"leden\":[]}",
      "{\"gemeente\":\"GM0363\",\"peildatum\":\"2026-2-3\",\"leden\":[]}",
      "{\"gemeente\":\"GM0363\",\"toelichting\":\"x\",\"leden\":[]}",
      "[]",
      "\"x\"",
      "",
      "   ",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.4}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5,\"aandeel\":0.5}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":1.6,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":1.6}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":0,"
      "\"rollen\":[]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":0.5}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\tb\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.25},{\"rol\":\"verbinder\","
      "\"aandeel\":0.25}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"onbekend\",\"aandeel\":0.5}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}]},{\"label\":\"a\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}],\"competenties\":["
      "{\"code\":\"webanalyse\",\"niveau\":5}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}],\"competenties\":["
      "{\"code\":\"webanalyse\",\"niveau\":2.0}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}],\"competenties\":["
      "{\"code\":\"webanalyse\",\"niveau\":2},{\"code\":\"webanalyse\",\"niveau\":3}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}],\"competenties\":["
      "{\"code\":\"webanalyse\"}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":0.5,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}],\"competenties\":{}}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":true,"
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}]}]}",
      "{\"gemeente\":\"GM0363\",\"leden\":[{\"label\":\"a\",\"fte\":\"0.5\","
      "\"rollen\":[{\"rol\":\"verbinder\",\"aandeel\":0.5}]}]}",
  };
  for (size_t i = 0; i < sizeof(bodies) / sizeof(*bodies); i++) {
    ck_assert_msg(check_str(bodies[i]) == 0, "read: %s", bodies[i]);
  }
  /* 501 members: too many */
  static char buf[400000];
  size_t len = random_body(buf, sizeof(buf), TP_TEAM_MAX_LEDEN + 1);
  ck_assert_int_eq(check_text(buf, len), 0);
}
END_TEST

/* Field-level changes of valid teams (types, values, repeats, unknown
 * keys and codes, numbers in other forms), then byte-level ones: the
 * promise holds for every text, and both outcomes occur often. */
START_TEST(changed_bodies_keep_the_promise) {
  static char buf[200000];
  static const char *const values[] = {
      "null", "true", "0", "-1", "1e0", "0.5", "1.5", "1.50001", "2", "4", "5", "\"\"", "\"x\"",
      "[]", "{}", "[1]", "{\"a\":1}", "\"GM0363\"", "\"verbinder\"", "\"webanalyse\"",
      "100000000", "0.30000000000000004", "\"2026-01-01\"", "1234567890123456"};
  int read = 0, declined = 0;
  for (int i = 0; i < 20000; i++) {
    size_t len = random_body(buf, sizeof(buf), 1 + (size_t)(rnd() % 6));
    json_t *doc = json_loadb(buf, len, 0, NULL);
    ck_assert_ptr_nonnull(doc);
    /* one to three field changes somewhere in the tree */
    for (int c = 1 + (int)(rnd() % 3); c > 0; c--) {
      json_t *target = doc;
      json_t *leden = json_object_get(doc, "leden");
      if (json_array_size(leden) > 0 && rnd() % 4) {
        target = json_array_get(leden, rnd() % json_array_size(leden));
        const char *inner = (const char *[]){"rollen", "competenties", NULL}[rnd() % 3];
        json_t *list = inner ? json_object_get(target, inner) : NULL;
        if (json_array_size(list) > 0 && rnd() % 2) {
          if (rnd() % 4 == 0) { /* an element twice */
            json_array_append(list, json_array_get(list, rnd() % json_array_size(list)));
            continue;
          }
          target = json_array_get(list, rnd() % json_array_size(list));
        }
      }
      const char *key = NULL;
      size_t nkeys = json_object_size(target), k = rnd() % (nkeys + 1);
      void *it = json_object_iter(target);
      while (it != NULL && k-- > 0) it = json_object_iter_next(target, it);
      key = it ? json_object_iter_key(it) : "extra";
      if (rnd() % 5 == 0) {
        json_object_del(target, key);
      } else {
        json_t *v = json_loads(values[rnd() % (sizeof(values) / sizeof(*values))],
                               JSON_DECODE_ANY, NULL);
        ck_assert_ptr_nonnull(v);
        json_object_set_new(target, key, v);
      }
    }
    char *text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(doc);
    ck_assert_ptr_nonnull(text);
    if (check_str(text))
      read++;
    else
      declined++;
    free(text);
  }
  ck_assert_int_gt(read, 500);
  ck_assert_int_gt(declined, 2000);

  /* bytes changed */
  read = declined = 0;
  static char other[200000];
  for (int i = 0; i < 30000; i++) {
    size_t len = random_body(buf, sizeof(buf) / 2, 1 + (size_t)(rnd() % 4));
    size_t olen = random_body(other, sizeof(other), 1);
    other[olen] = '\0';
    for (size_t m = 1 + rnd() % 3; m > 0; m--) len = mutate_text(buf, len, sizeof(buf), other);
    if (check_text(buf, len))
      read++;
    else
      declined++;
  }
  ck_assert_int_gt(read, 100);
  ck_assert_int_gt(declined, 10000);
}
END_TEST

int main(void) {
  Suite *s = suite_create("team_read");
  TCase *tc = tcase_create("team_read");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, plain_valid_bodies_are_read);
  tcase_add_test(tc, left_to_the_general_way);
  tcase_add_test(tc, changed_bodies_keep_the_promise);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
