/* libFuzzer target: catalogue validation (service/core/catalogus.c).
 *
 * The input is parsed as JSON the way the API parses a body and validated
 * as each kind of catalogue entry (with and without a code in the path) and
 * as each import file. Invariants checked besides the sanitizers:
 *  - every invalidParams entry is {name, code, reason}, non-empty UTF-8
 *    strings; at most TP_TEAM_MAX_PROBLEMS + 1 of them;
 *  - validation is deterministic;
 *  - an accepted entry holds the rules the database relies on (an
 *    independent reading of them): codes in kebab form and known where they
 *    refer, a kernrol with its source and only then, levels 1..4, fte in
 *    (0, 1.5], no repeated codes; an accepted entry stays accepted after a
 *    round trip through json_dumps;
 *  - a code in the path that differs from the body's is always refused. */
#include <math.h>

#include "fuzz_common.h"
#include "teamplotter/catalogus.h"
#include "teamplotter/parse.h"

static const char *const FAMILIES[] = {"contact", "regie"};
static const char *const COMPETENCIES[] = {"schrijven", "webanalyse"};
static const char *const SOURCES[] = {"DOK", "IB"};
static const char *const URLS[] = {"https://example.org/a"};
static const char *const MUNICIPALITIES[] = {"GM0772", "GM0855"};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct tp_catalogus_refs REFS = {
    {FAMILIES, N(FAMILIES)},   {COMPETENCIES, N(COMPETENCIES)},
    {SOURCES, N(SOURCES)},     {URLS, N(URLS)},
    {MUNICIPALITIES, N(MUNICIPALITIES)},
};

static int kebab(const char *s) {
  if (s == NULL || *s == '\0' || *s == '-') return 0;
  for (const char *p = s; *p; p++) {
    int word = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9');
    if (!word && !(*p == '-' && p[1] != '-' && p[1] != '\0')) return 0;
  }
  return 1;
}

static const char *s_of(const json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

/* No element of `list` repeats the string under `key` (NULL: itself). */
static int distinct(const json_t *list, const char *key) {
  for (size_t i = 0; i < json_array_size(list); i++) {
    for (size_t j = 0; j < i; j++) {
      const json_t *a = json_array_get(list, i), *b = json_array_get(list, j);
      const char *x = json_string_value(key ? json_object_get(a, key) : a);
      const char *y = json_string_value(key ? json_object_get(b, key) : b);
      if (x != NULL && y != NULL && strcmp(x, y) == 0) return 0;
    }
  }
  return 1;
}

static void check_accepted_role(const json_t *doc) {
  FUZZ_CHECK(tp_codes_has(&REFS.rolfamilies, s_of(doc, "familie")), "accepted unknown familie");
  const json_t *kern = json_object_get(doc, "kernrol");
  const json_t *bron = json_object_get(doc, "kernrolBron");
  FUZZ_CHECK(json_is_boolean(kern), "accepted kernrol that is no boolean");
  FUZZ_CHECK(json_is_true(kern) == (bron != NULL && !json_is_null(bron)),
             "accepted kernrol and kernrolBron that disagree");
  const json_t *fte = json_object_get(doc, "richtFteMinimum");
  FUZZ_CHECK(json_is_number(fte) && json_number_value(fte) > 0 &&
                 json_number_value(fte) <= TP_TEAM_FTE_MAX,
             "accepted richtFteMinimum out of range");
  const json_t *comps = json_object_get(doc, "competenties");
  FUZZ_CHECK(comps == NULL || json_is_array(comps), "accepted competenties that is no list");
  FUZZ_CHECK(distinct(comps, "code"), "accepted a repeated competency");
  size_t i;
  const json_t *c;
  json_array_foreach(comps, i, c) {
    FUZZ_CHECK(tp_codes_has(&REFS.competenties, s_of(c, "code")), "accepted unknown competency");
    const json_t *lvl = json_object_get(c, "niveau");
    FUZZ_CHECK(json_is_integer(lvl) && json_integer_value(lvl) >= 1 &&
                   json_integer_value(lvl) <= 4,
               "accepted niveau out of range");
    FUZZ_CHECK(json_is_boolean(json_object_get(c, "essentieel")), "accepted bad essentieel");
  }
  const json_t *bronnen = json_object_get(doc, "bronnen");
  FUZZ_CHECK(distinct(bronnen, NULL), "accepted repeated bronnen");
  const json_t *b;
  json_array_foreach(bronnen, i, b) {
    FUZZ_CHECK(tp_codes_has(&REFS.bronnen, json_string_value(b)), "accepted unknown bron");
  }
  FUZZ_CHECK(distinct(json_object_get(doc, "synoniemen"), NULL), "accepted repeated synoniemen");
}

static json_t *validate(enum tp_catalogus_soort soort, const json_t *doc, const char *code) {
  json_t *invalid = json_array();
  if (invalid == NULL) abort();
  tp_catalogus_validate(soort, doc, code, &REFS, "", invalid);
  FUZZ_CHECK(fuzz_check_invalid(invalid, "") <= TP_TEAM_MAX_PROBLEMS + 1, "too many problems");
  return invalid;
}

static void check_entry(enum tp_catalogus_soort soort, const json_t *doc, const char *code) {
  json_t *invalid = validate(soort, doc, code);
  json_t *again = validate(soort, doc, code);
  FUZZ_CHECK(json_equal(invalid, again), "validation is not deterministic (kind %d)", soort);
  json_decref(again);
  const char *key = soort == TP_CAT_SUCCESVERHAAL ? "gemeente" : "code";
  const char *own = s_of(doc, key);
  if (json_array_size(invalid) == 0) {
    FUZZ_CHECK(json_is_object(doc), "accepted an entry that is no object");
    const char *effective = own ? own : code;
    FUZZ_CHECK(effective != NULL, "accepted an entry without a code");
    FUZZ_CHECK(code == NULL || own == NULL || strcmp(own, code) == 0,
               "accepted a body code that differs from the path");
    if (soort == TP_CAT_SUCCESVERHAAL) {
      FUZZ_CHECK(tp_codes_has(&REFS.gemeenten, effective), "accepted unknown gemeente");
    } else {
      FUZZ_CHECK(kebab(effective), "accepted code '%s'", effective);
    }
    if (soort == TP_CAT_ROL) check_accepted_role(doc);
    char *text = json_dumps(doc, JSON_COMPACT);
    FUZZ_CHECK(text != NULL, "an accepted entry does not serialise");
    json_t *back = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    FUZZ_CHECK(back != NULL, "an accepted entry does not parse back");
    json_t *re = validate(soort, back, code);
    FUZZ_CHECK(json_array_size(re) == 0, "an accepted entry is refused after a round trip");
    json_decref(re);
    json_decref(back);
    free(text);
  }
  json_decref(invalid);
}

static void check_file(void (*fn)(const json_t *, const struct tp_catalogus_refs *, json_t *),
                       const json_t *doc) {
  json_t *invalid = json_array();
  if (invalid == NULL) abort();
  fn(doc, &REFS, invalid);
  FUZZ_CHECK(fuzz_check_invalid(invalid, "") <= TP_TEAM_MAX_PROBLEMS + 1, "too many problems");
  FUZZ_CHECK(json_array_size(invalid) > 0 || json_is_object(doc), "accepted a file that is no object");
  json_decref(invalid);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  json_t *doc = tp_json_parse((const char *)data, size, NULL); /* as the API reads a body */
  if (doc == NULL) return 0;
  static const enum tp_catalogus_soort kinds[] = {TP_CAT_ROL, TP_CAT_COMPETENTIE,
                                                  TP_CAT_ROLFAMILIE, TP_CAT_SUCCESFACTOR,
                                                  TP_CAT_SUCCESVERHAAL};
  for (size_t k = 0; k < N(kinds); k++) {
    const char *path_code = kinds[k] == TP_CAT_SUCCESVERHAAL ? "GM0855" : "webredacteur";
    check_entry(kinds[k], doc, NULL);
    check_entry(kinds[k], doc, path_code);
  }
  check_file(tp_catalogus_file_validate, doc);
  check_file(tp_succesfactoren_file_validate, doc);
  check_file(tp_succesverhalen_file_validate, doc);
  json_decref(doc);
  return 0;
}
