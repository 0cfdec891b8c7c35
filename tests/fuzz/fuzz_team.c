/* libFuzzer target: reading a body (service/core/parse.c) and team-body
 * validation (service/core/team.c).
 *
 * The input is parsed as JSON the way the API parses a body (tp_json_parse)
 * and validated as every kind of team body and as a reference-team file.
 * Invariants checked besides the sanitizers:
 *  - tp_json_parse accepts what jansson's json_loadb (JSON_REJECT_DUPLICATES
 *    | JSON_DECODE_ANY) accepts, to an equal tree, and refuses what it
 *    refuses; jansson alone takes a NUL byte right after a number or a
 *    literal ([98\0,true]);
 *  - every invalidParams entry is {name, code, reason}, non-empty UTF-8
 *    strings, every name carrying the prefix asked for;
 *  - validation is deterministic, and a prefix only prefixes the names;
 *  - a body without violations really is valid (an independent check of
 *    the rules), stays valid after json_dumps + json_loadb, and is valid
 *    once more when validated again;
 *  - tp_referentie_import_validate on {"profielen": [body]} reports at least
 *    what tp_team_validate(TP_TEAM_IMPORT, "profielen.0.") reports, and only
 *    gemeente or bronnen problems beside it;
 *  - what the plain reader of analysis bodies (tp_team_read_analysis) reads,
 *    tp_json_parse and tp_team_validate accept, and tp_gap_team_from_json
 *    reads to the same team. */
#include <math.h>

#include "fuzz_common.h"
#include "teamplotter/parse.h"
#include "teamplotter/team.h"
#include "../unit/team_difference.h"

/* The codes of the first reference profile of the data pack
 * (referentieteams.json) and the municipalities of the seven, plus one
 * municipality that is not a reference (GM0363), all in strcmp order. */
static const char *const GEMEENTEN[] = {"GM0050", "GM0074", "GM0344", "GM0363",
                                        "GM0394", "GM0715", "GM0855", "GM1940"};
static const char *const REFERENTIE[] = {"GM0050", "GM0074", "GM0344", "GM0394",
                                         "GM0715", "GM0855", "GM1940"};
static const char *const ROLLEN[] = {
    "communitymanager",         "contentstrateeg",
    "eindredacteur",            "front-end-ontwikkelaar",
    "functioneel-beheerder",    "informatieadviseur",
    "interactieontwerper",      "kanaalregisseur",
    "online-communicatieadviseur", "pdc-redacteur",
    "privacy-en-securityadviseur", "procesontwerper-digitale-diensten",
    "regisseur-online-dienstverlening", "servicedesigner",
    "toegankelijkheidsspecialist", "ux-onderzoeker",
    "verbinder",                "webanalist",
    "webcare-medewerker",       "webredacteur"};
static const char *const COMPETENTIES[] = {
    "analytisch-vermogen", "architectuur-en-koppelingen", "begrijpelijke-taal",
    "bestuurlijke-sensitiviteit", "cms-en-platformbeheer", "communitybuilding",
    "contentstrategie", "denken-vanuit-de-inwoner", "digitale-toegankelijkheid",
    "e-formulieren-ontwerpen", "eindredactie", "front-end-ontwikkeling",
    "gebruikersonderzoek", "gemeentelijke-producten-en-regelgeving", "informatiearchitectuur",
    "informatiebeveiliging", "interactieontwerp", "klantreizen-en-servicedesign",
    "leveranciersmanagement", "omnichannel-kanaalsturing", "online-campagnes",
    "online-klantcontact", "overheidsstandaarden-en-gdi", "privacy-en-avg",
    "procesanalyse-en-verbetering", "productmanagement-en-prioriteren",
    "schrijven-voor-het-web", "snel-schakelen", "social-media", "stakeholdermanagement",
    "toptakenmethode", "verbindend-werken", "visie-en-strategie", "vraag-achter-de-vraag",
    "waarde-zichtbaar-maken", "webanalyse", "zaakgericht-werken", "zorgvuldigheid"};
static const char *const BRONNEN[] = {"B12", "BBW", "BIG", "DRO", "FS", "GP", "GV",
                                      "HM20", "HM24", "IB", "ING22", "ING23", "ING4", "ING5",
                                      "JDB", "MET", "NHN", "PLG", "UTM", "WST"};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct tp_known KNOWN = {
    {GEMEENTEN, N(GEMEENTEN)}, {ROLLEN, N(ROLLEN)}, {COMPETENTIES, N(COMPETENTIES)}};
static const struct tp_codes REF = {REFERENTIE, N(REFERENTIE)};
static const struct tp_codes BRON = {BRONNEN, N(BRONNEN)};

static void check_sorted(const struct tp_codes *c) {
  for (size_t i = 0; i + 1 < c->count; i++) {
    FUZZ_CHECK(strcmp(c->codes[i], c->codes[i + 1]) < 0, "code list not sorted at %s",
               c->codes[i]);
  }
  for (size_t i = 0; i < c->count; i++) {
    FUZZ_CHECK(tp_codes_has(c, c->codes[i]), "tp_codes_has misses %s", c->codes[i]);
  }
}

static json_t *validate(const json_t *body, enum tp_team_kind kind, const char *prefix) {
  json_t *invalid = json_array();
  if (invalid == NULL) abort();
  tp_team_validate(body, kind, &KNOWN, prefix, invalid);
  fuzz_check_invalid(invalid, prefix);
  return invalid;
}

/* A text member of 1..max characters without NUL. */
static int ok_text(const json_t *v, size_t max) {
  if (!json_is_string(v)) return 0;
  size_t n = json_string_length(v);
  return n > 0 && tp_utf8_chars(json_string_value(v), n) <= max &&
         memchr(json_string_value(v), '\0', n) == NULL;
}

static int ok_positive(const json_t *v) {
  if (!json_is_number(v)) return 0;
  double d = json_number_value(v);
  return isfinite(d) && d > 0 && d <= TP_TEAM_FTE_MAX;
}

static int only_keys(const json_t *obj, const char *const *allowed) {
  const char *key;
  json_t *value;
  json_object_foreach((json_t *)obj, key, value) {
    int ok = 0;
    for (size_t i = 0; allowed[i] != NULL; i++) ok |= strcmp(allowed[i], key) == 0;
    if (!ok) return 0;
  }
  return 1;
}

/* An independent reading of the rules for a body the validator accepted:
 * aborts naming the first rule it breaks. */
static void check_really_valid(const json_t *body, enum tp_team_kind kind) {
  static const char *const member_keys[] = {"label", "fte", "rollen", "competenties", NULL};
  static const char *const role_keys[] = {"rol", "aandeel", NULL};
  static const char *const comp_keys[] = {"code", "niveau", NULL};
  FUZZ_CHECK(json_is_object(body), "accepted a body that is no object (kind %d)", kind);
  const json_t *gemeente = json_object_get(body, "gemeente");
  const json_t *inwoners = json_object_get(body, "inwoners");
  if (kind == TP_TEAM_ANALYSE && inwoners != NULL) {
    FUZZ_CHECK(gemeente == NULL, "accepted gemeente and inwoners together");
    FUZZ_CHECK(json_is_integer(inwoners) && json_integer_value(inwoners) >= 1 &&
                   json_integer_value(inwoners) <= 100000000,
               "accepted inwoners out of range");
  } else {
    FUZZ_CHECK(json_is_string(gemeente) && tp_codes_has(&KNOWN.gemeenten,
                                                        json_string_value(gemeente)),
               "accepted a missing or unknown gemeente (kind %d)", kind);
  }
  const json_t *datum = json_object_get(body, "peildatum");
  FUZZ_CHECK(kind == TP_TEAM_ANALYSE ? datum == NULL || tp_is_date(json_string_value(datum))
                                      : tp_is_date(json_string_value(datum)),
             "accepted a missing or bad peildatum (kind %d)", kind);
  const json_t *leden = json_object_get(body, "leden");
  FUZZ_CHECK(json_is_array(leden) && json_array_size(leden) <= TP_TEAM_MAX_LEDEN,
             "accepted leden that is no array of at most 500");
  size_t i;
  const json_t *m;
  json_array_foreach(leden, i, m) {
    FUZZ_CHECK(json_is_object(m) && only_keys(m, member_keys), "leden.%zu: accepted bad member",
               i);
    const json_t *label = json_object_get(m, "label");
    FUZZ_CHECK(ok_text(label, TP_TEAM_LABEL_MAX), "leden.%zu: accepted bad label", i);
    for (size_t j = 0; j < i; j++) {
      const char *other = json_string_value(json_object_get(json_array_get(leden, j), "label"));
      FUZZ_CHECK(strcmp(other, json_string_value(label)) != 0,
                 "leden.%zu: accepted a duplicate label", i);
    }
    const json_t *fte = json_object_get(m, "fte");
    FUZZ_CHECK(ok_positive(fte), "leden.%zu: accepted fte out of range", i);
    const json_t *rollen = json_object_get(m, "rollen");
    FUZZ_CHECK(json_is_array(rollen), "leden.%zu: accepted rollen that is no array", i);
    double sum = 0;
    size_t k;
    const json_t *r;
    json_array_foreach(rollen, k, r) {
      FUZZ_CHECK(json_is_object(r) && only_keys(r, role_keys), "leden.%zu.rollen.%zu: bad", i, k);
      const json_t *rol = json_object_get(r, "rol");
      FUZZ_CHECK(ok_text(rol, 100) && tp_codes_has(&KNOWN.rollen, json_string_value(rol)),
                 "leden.%zu.rollen.%zu: accepted bad rol", i, k);
      FUZZ_CHECK(ok_positive(json_object_get(r, "aandeel")),
                 "leden.%zu.rollen.%zu: accepted bad aandeel", i, k);
      sum += json_number_value(json_object_get(r, "aandeel"));
      for (size_t j = 0; j < k; j++) {
        FUZZ_CHECK(strcmp(json_string_value(json_object_get(json_array_get(rollen, j), "rol")),
                          json_string_value(json_object_get(r, "rol"))) != 0,
                   "leden.%zu.rollen.%zu: accepted a duplicate rol", i, k);
      }
    }
    FUZZ_CHECK(fabs(sum - json_number_value(fte)) <= TP_TEAM_AANDEEL_TOLERANCE,
               "leden.%zu: accepted shares %.17g for fte %.17g", i, sum, json_number_value(fte));
    const json_t *comps = json_object_get(m, "competenties");
    FUZZ_CHECK(comps == NULL || json_is_array(comps), "leden.%zu: accepted bad competenties", i);
    const json_t *c;
    json_array_foreach(comps, k, c) {
      FUZZ_CHECK(json_is_object(c) && only_keys(c, comp_keys), "leden.%zu.competenties.%zu", i,
                 k);
      const json_t *code = json_object_get(c, "code");
      FUZZ_CHECK(ok_text(code, 100) && tp_codes_has(&KNOWN.competenties, json_string_value(code)),
                 "leden.%zu.competenties.%zu: accepted bad code", i, k);
      for (size_t j = 0; j < k; j++) {
        FUZZ_CHECK(strcmp(json_string_value(json_object_get(json_array_get(comps, j), "code")),
                          json_string_value(code)) != 0,
                   "leden.%zu.competenties.%zu: accepted a duplicate code", i, k);
      }
      const json_t *lvl = json_object_get(c, "niveau");
      FUZZ_CHECK(json_is_integer(lvl) && json_integer_value(lvl) >= 1 &&
                     json_integer_value(lvl) <= 4,
                 "leden.%zu.competenties.%zu: accepted bad niveau", i, k);
    }
  }
}

/* Whether `invalid` has an entry named `name` with `code`. */
static int has_violation(const json_t *invalid, const char *name, const char *code) {
  size_t i;
  const json_t *e;
  json_array_foreach(invalid, i, e) {
    if (strcmp(json_string_value(json_object_get(e, "name")), name) == 0 &&
        strcmp(json_string_value(json_object_get(e, "code")), code) == 0) {
      return 1;
    }
  }
  return 0;
}

/* The duplicate rule, read the plain way: element k of `arr` is a duplicate
 * when its `key` is an acceptable text and some earlier element has the
 * same string under `key`. Checks the validator reports exactly those. */
static void check_duplicates(const json_t *invalid, const json_t *arr, const char *key,
                             size_t max, const char *path) {
  size_t k;
  const json_t *el;
  json_array_foreach(arr, k, el) {
    const json_t *v = json_object_get(el, key);
    int want = 0;
    for (size_t j = 0; ok_text(v, max) && j < k && !want; j++) {
      const char *other = json_string_value(json_object_get(json_array_get(arr, j), key));
      want = other != NULL && strcmp(other, json_string_value(v)) == 0;
    }
    char name[160];
    snprintf(name, sizeof(name), "%s.%zu.%s", path, k, key);
    FUZZ_CHECK(has_violation(invalid, name, "duplicate") == want, "%s: duplicate should be %d",
               name, want);
  }
}

static void check_all_duplicates(const json_t *body, const json_t *invalid) {
  const json_t *leden = json_object_get(body, "leden");
  if (!json_is_array(leden) || json_array_size(leden) > TP_TEAM_MAX_LEDEN) return;
  check_duplicates(invalid, leden, "label", TP_TEAM_LABEL_MAX, "leden");
  size_t i;
  const json_t *m;
  json_array_foreach(leden, i, m) {
    if (!json_is_object(m)) continue;
    char path[64];
    const json_t *rollen = json_object_get(m, "rollen");
    if (json_is_array(rollen)) {
      snprintf(path, sizeof(path), "leden.%zu.rollen", i);
      check_duplicates(invalid, rollen, "rol", TP_TEAM_CODE_MAX, path);
    }
    const json_t *comps = json_object_get(m, "competenties");
    if (json_is_array(comps)) {
      snprintf(path, sizeof(path), "leden.%zu.competenties", i);
      check_duplicates(invalid, comps, "code", TP_TEAM_CODE_MAX, path);
    }
  }
}

static void check_kind(const json_t *body, enum tp_team_kind kind) {
  json_t *invalid = validate(body, kind, "");
  /* Past TP_TEAM_MAX_PROBLEMS violations the rest are dropped, repeats too. */
  if (json_is_object(body) && json_array_size(invalid) <= TP_TEAM_MAX_PROBLEMS) {
    check_all_duplicates(body, invalid);
  }
  json_t *again = validate(body, kind, NULL);
  FUZZ_CHECK(json_equal(invalid, again), "validation is not deterministic (kind %d)", kind);
  json_decref(again);

  /* A prefix changes the names and nothing else. */
  static const char PREFIX[] = "profielen.12.";
  json_t *prefixed = validate(body, kind, PREFIX);
  FUZZ_CHECK(json_array_size(prefixed) == json_array_size(invalid),
             "prefix changes the number of violations (kind %d)", kind);
  for (size_t i = 0; i < json_array_size(invalid); i++) {
    const char *a = json_string_value(json_object_get(json_array_get(invalid, i), "name"));
    const char *b = json_string_value(json_object_get(json_array_get(prefixed, i), "name"));
    size_t pl = strlen(PREFIX), la = strlen(a), lb = strlen(b);
    int same = lb == pl + la && memcmp(b + pl, a, la) == 0;
    int cut = lb == 255 && lb < pl + la && memcmp(b + pl, a, lb - pl) == 0; /* name[256] */
    FUZZ_CHECK(same || cut, "prefixed name '%s' is not '%s' + '%s'", b, PREFIX, a);
  }
  json_decref(prefixed);

  if (json_array_size(invalid) == 0) {
    check_really_valid(body, kind);
    char *text = json_dumps(body, JSON_COMPACT);
    FUZZ_CHECK(text != NULL, "a valid body does not serialise (kind %d)", kind);
    json_error_t err;
    json_t *reparsed = json_loadb(text, strlen(text), JSON_REJECT_DUPLICATES, &err);
    FUZZ_CHECK(reparsed != NULL, "a valid body does not parse back: %s", err.text);
    json_t *re = validate(reparsed, kind, "");
    FUZZ_CHECK(json_array_size(re) == 0, "a valid body is invalid after a round trip (kind %d)",
               kind);
    json_decref(re);
    json_decref(reparsed);
    free(text);
  }
  json_decref(invalid);
}

static void check_reference_file(const json_t *doc) {
  json_t *invalid = json_array();
  tp_referentie_import_validate(doc, &KNOWN, &REF, &BRON, invalid);
  FUZZ_CHECK(fuzz_check_invalid(invalid, "profielen") > 0 || json_is_object(doc),
             "a reference file that is no object was accepted");
  json_decref(invalid);
}

static void check_wrapped(const json_t *body) {
  json_t *doc = json_pack("{s:[O]}", "profielen", body);
  if (doc == NULL) abort();
  json_t *file = json_array();
  tp_referentie_import_validate(doc, &KNOWN, &REF, &BRON, file);
  fuzz_check_invalid(file, "profielen.0.");
  json_t *own = validate(body, TP_TEAM_IMPORT, "profielen.0.");
  /* The file's own checks (gemeente, bronnen) may fill the answer up to
   * its limit: then it ends in one "too-many-errors" at "body", and what
   * the profile's validation names later need not be in it. */
  int capped = json_array_size(file) > TP_TEAM_MAX_PROBLEMS;
  size_t i;
  const json_t *e;
  json_array_foreach(own, i, e) {
    FUZZ_CHECK(capped || fuzz_has_entry(file, e), "import misses %s",
               json_string_value(json_object_get(e, "name")));
  }
  json_array_foreach(file, i, e) {
    const char *name = json_string_value(json_object_get(e, "name"));
    const char *code = json_string_value(json_object_get(e, "code"));
    FUZZ_CHECK(fuzz_has_entry(own, e) || strcmp(name, "profielen.0.gemeente") == 0 ||
                   strncmp(name, "profielen.0.bronnen.", 20) == 0 ||
                   (capped && i == TP_TEAM_MAX_PROBLEMS && strcmp(name, "body") == 0 &&
                    strcmp(code, "too-many-errors") == 0),
               "import reports an unexpected %s", name);
  }
  json_decref(own);
  json_decref(file);
  json_decref(doc);
}

/* The plain reader's promise for this input (`body`: tp_json_parse's). */
static void check_plain_reader(const uint8_t *data, size_t size, const json_t *body) {
  struct tp_team_read plain;
  if (!tp_team_read_analysis((const char *)data, size, &KNOWN, &plain)) {
    FUZZ_CHECK(plain.team.leden == NULL, "the plain reader declined but kept memory");
    return;
  }
  FUZZ_CHECK(json_is_object(body), "the plain reader reads what tp_json_parse refuses");
  json_t *invalid = validate(body, TP_TEAM_ANALYSE, "");
  FUZZ_CHECK(json_array_size(invalid) == 0, "the plain reader reads an invalid body");
  json_decref(invalid);
  struct tp_gap_team want;
  if (tp_gap_team_from_json(body, &want) != 0) abort();
  const json_t *inwoners = json_object_get(body, "inwoners");
  FUZZ_CHECK(plain.inwoners == (inwoners ? json_integer_value(inwoners) : 0),
             "the plain reader read another number of inhabitants");
  const char *why = team_difference(&plain.team, &want);
  FUZZ_CHECK(why == NULL, "the plain reader read another team (%s)", why ? why : "");
  tp_gap_team_free(&want);
  tp_gap_team_free(&plain.team);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int initialised;
  if (!initialised) {
    check_sorted(&KNOWN.gemeenten);
    check_sorted(&KNOWN.rollen);
    check_sorted(&KNOWN.competenties);
    check_sorted(&REF);
    check_sorted(&BRON);
    initialised = 1;
  }
  json_error_t err;
  json_t *theirs =
      json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
  json_t *body = tp_json_parse((const char *)data, size, NULL);
  if (body != NULL) {
    FUZZ_CHECK(theirs != NULL && json_equal(body, theirs), "tp_json_parse accepts more than jansson");
  } else {
    FUZZ_CHECK(theirs == NULL || memchr(data, '\0', size) != NULL,
               "tp_json_parse refuses what jansson accepts");
  }
  json_decref(theirs);
  check_plain_reader(data, size, body);
  if (body == NULL || !json_is_object(body)) {
    json_decref(body);
    return 0;
  }
  check_kind(body, TP_TEAM_TEAMPROFIEL);
  check_kind(body, TP_TEAM_ANALYSE);
  check_kind(body, TP_TEAM_IMPORT);
  check_reference_file(body);
  check_wrapped(body);
  json_decref(body);
  return 0;
}
