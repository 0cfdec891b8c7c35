/* Validation of catalogue content and import files (catalogus.h). The
 * rules follow the schema's CHECKs, so that what passes here is stored. */
#include "teamplotter/catalogus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "doc.h"

#include "teamplotter/text.h"

#define CODE_MAX 100
#define NAAM_MAX 200
#define TEKST_MAX 4000
#define LIST_MAX 100
#define FILE_LIST_MAX 1000

static const char *const HERKOMSTEN[] = {"publicatie", "bron", "afgeleid", "schatting", NULL};
static const char *const SOORTEN[] = {"kennis", "vaardigheid", "houding", NULL};

const char *tp_catalogus_soort_naam(enum tp_catalogus_soort soort) {
  static const char *const names[] = {"rol", "competentie", "rolfamilie", "succesfactor",
                                      "succesverhaal"};
  return names[soort];
}

/* "base.key", or "key" at the top. Paths are short; one cut short still
 * names its field's place, as tp_check_bad's names are cut too. */
static void at(char *out, size_t n, const char *base, const char *key) {
  if (snprintf(out, n, "%s%s%s", base, base[0] ? "." : "", key) >= (int)n) out[n - 1] = '\0';
}

static void at_index(char *out, size_t n, const char *base, const char *key, size_t i) {
  if (snprintf(out, n, "%s%s%s.%zu", base, base[0] ? "." : "", key, i) >= (int)n) {
    out[n - 1] = '\0';
  }
}

/* Lower-case words of a-z and 0-9 joined by single hyphens. */
static int is_kebab(const char *s) {
  int word = 0;
  for (; *s; s++) {
    if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')) {
      word = 1;
    } else if (*s == '-' && word) {
      word = 0;
    } else {
      return 0;
    }
  }
  return word;
}

static const char *field_text(struct tp_check *c, const json_t *obj, const char *base,
                              const char *key, size_t max, int required) {
  char path[256];
  at(path, sizeof(path), base, key);
  return tp_check_text(c, json_object_get(obj, key), path, max, required);
}

/* A string or null of 1..max characters; absent is fine. */
static void optional_text(struct tp_check *c, const json_t *obj, const char *base,
                          const char *key, size_t max) {
  if (!json_is_null(json_object_get(obj, key))) field_text(c, obj, base, key, max, 0);
}

static const char *field_code(struct tp_check *c, const json_t *obj, const char *base,
                              const char *key, int required) {
  char path[256];
  at(path, sizeof(path), base, key);
  const char *v = tp_check_text(c, json_object_get(obj, key), path, CODE_MAX, required);
  if (v != NULL && !is_kebab(v)) {
    tp_check_bad(c, path, "invalid-format",
                 "Verwacht kleine letters en cijfers in woorden met koppeltekens (rol-code).");
    return NULL;
  }
  return v;
}

static const char *field_choice(struct tp_check *c, const json_t *obj, const char *base,
                                const char *key, const char *const *options) {
  char path[256];
  at(path, sizeof(path), base, key);
  const char *v = tp_check_text(c, json_object_get(obj, key), path, CODE_MAX, 1);
  if (v == NULL) return NULL;
  for (size_t i = 0; options[i] != NULL; i++) {
    if (strcmp(options[i], v) == 0) return v;
  }
  char reason[160] = "Kies uit:";
  for (size_t i = 0; options[i] != NULL; i++) {
    size_t len = strlen(reason);
    snprintf(reason + len, sizeof(reason) - len, "%s %s", i ? "," : "", options[i]);
  }
  tp_check_bad(c, path, "invalid-choice", reason);
  return NULL;
}

/* Returns 1 with *out set, or records a violation. */
static int field_bool(struct tp_check *c, const json_t *obj, const char *base, const char *key,
                      int *out) {
  char path[256];
  at(path, sizeof(path), base, key);
  const json_t *v = json_object_get(obj, key);
  if (json_is_boolean(v)) {
    *out = json_is_true(v);
    return 1;
  }
  tp_check_bad(c, path, v ? "invalid-type" : "required",
               v ? "Verwacht true of false." : "Dit veld is verplicht.");
  return 0;
}

/* The array `key` of at most `max` elements, or NULL after a violation.
 * Absent means empty unless `required`. */
static const json_t *field_array(struct tp_check *c, const json_t *obj, const char *base,
                                 const char *key, size_t max, int required) {
  char path[256], reason[96];
  at(path, sizeof(path), base, key);
  const json_t *v = json_object_get(obj, key);
  if (v == NULL) {
    if (required) tp_check_bad(c, path, "required", "Dit veld is verplicht.");
    return NULL;
  }
  if (!json_is_array(v)) {
    tp_check_bad(c, path, "invalid-type", "Verwacht een lijst.");
    return NULL;
  }
  if (json_array_size(v) > max || (required && json_array_size(v) == 0)) {
    snprintf(reason, sizeof(reason), "Verwacht een lijst van %d tot en met %zu elementen.",
             required ? 1 : 0, max);
    tp_check_bad(c, path, "invalid-length", reason);
    return NULL;
  }
  return v;
}

/* A list of distinct texts; each in `known` when that is given. */
static void text_list(struct tp_check *c, const json_t *obj, const char *base, const char *key,
                      size_t max_len, const struct tp_codes *known, const char *unknown_reason) {
  const json_t *list = field_array(c, obj, base, key, LIST_MAX, 0);
  struct tp_repeats repeated;
  tp_repeats_find(&repeated, list, NULL);
  size_t i;
  json_t *v;
  json_array_foreach((json_t *)list, i, v) {
    char path[256], reason[96];
    at_index(path, sizeof(path), base, key, i);
    const char *s = json_string_value(v);
    size_t chars = s ? tp_utf8_chars(s, json_string_length(v)) : 0;
    if (s == NULL) {
      tp_check_bad(c, path, "invalid-type", "Verwacht een tekst.");
    } else if (chars == 0 || chars > max_len || strlen(s) != json_string_length(v)) {
      snprintf(reason, sizeof(reason), "Verwacht een tekst van 1 tot en met %zu tekens.", max_len);
      tp_check_bad(c, path, "invalid-length", reason);
    } else if (known != NULL && !tp_codes_has(known, s)) {
      tp_check_bad(c, path, "unknown-code", unknown_reason);
    } else if (tp_repeats_at(&repeated, i, s)) {
      tp_check_bad(c, path, "duplicate", "Deze waarde staat al eerder in de lijst.");
    }
  }
  tp_repeats_free(&repeated);
}

/* The entry's own key: `code` (`gemeente` for a story), which the URL may
 * supply. */
static const char *own_code(struct tp_check *c, const json_t *doc, const char *base,
                            const char *key, const char *url_code) {
  char path[256];
  at(path, sizeof(path), base, key);
  if (url_code != NULL && json_object_get(doc, key) == NULL) {
    if (strcmp(key, "code") == 0 && (!is_kebab(url_code) || strlen(url_code) > CODE_MAX)) {
      tp_check_bad(c, path, "invalid-format",
                   "De code in het pad moet uit hoogstens 100 kleine letters en cijfers in "
                   "woorden met koppeltekens bestaan.");
      return NULL;
    }
    return url_code;
  }
  const char *v = strcmp(key, "code") == 0 ? field_code(c, doc, base, key, 1)
                                           : field_text(c, doc, base, key, CODE_MAX, 1);
  if (v != NULL && url_code != NULL && strcmp(v, url_code) != 0) {
    tp_check_bad(c, path, "mismatch", "Verwacht dezelfde waarde als in het pad.");
  }
  return v;
}

static void check_role_competencies(struct tp_check *c, const json_t *doc, const char *base,
                                    const struct tp_codes *competenties) {
  const json_t *list = field_array(c, doc, base, "competenties", LIST_MAX, 0);
  struct tp_repeats repeated;
  tp_repeats_find(&repeated, list, "code");
  size_t i;
  json_t *k;
  json_array_foreach((json_t *)list, i, k) {
    char item[256], path[288];
    at_index(item, sizeof(item), base, "competenties", i);
    if (!json_is_object(k)) {
      tp_check_bad(c, item, "invalid-type", "Verwacht een object met code, niveau en essentieel.");
      continue;
    }
    static const char *const keys[] = {"code", "naam", "niveau", "essentieel", NULL};
    tp_check_fields(c, k, item, keys, NULL);
    const char *code = field_code(c, k, item, "code", 1);
    at(path, sizeof(path), item, "code");
    if (code != NULL && !tp_codes_has(competenties, code)) {
      tp_check_bad(c, path, "unknown-code", "Deze competentie staat niet in de catalogus.");
    } else if (tp_repeats_at(&repeated, i, code)) {
      tp_check_bad(c, path, "duplicate", "Deze competentie staat al eerder bij deze rol.");
    }
    at(path, sizeof(path), item, "niveau");
    tp_check_niveau(c, json_object_get(k, "niveau"), path);
    int essentieel;
    field_bool(c, k, item, "essentieel", &essentieel);
  }
  tp_repeats_free(&repeated);
}

static void check_rol(struct tp_check *c, const json_t *doc, const char *base,
                      const struct tp_catalogus_refs *refs) {
  char path[256];
  static const char *const keys[] = {"code",    "naam",       "familie",    "omschrijving",
                                     "kernrol", "kernrolBron", "herkomst",   "bronnen",
                                     "synoniemen", "taken",   "competenties", "richtFteMinimum",
                                     NULL};
  tp_check_fields(c, doc, base, keys, NULL);
  field_text(c, doc, base, "naam", NAAM_MAX, 1);
  field_text(c, doc, base, "omschrijving", TEKST_MAX, 1);
  const char *familie = field_code(c, doc, base, "familie", 1);
  at(path, sizeof(path), base, "familie");
  if (familie != NULL && !tp_codes_has(&refs->rolfamilies, familie)) {
    tp_check_bad(c, path, "unknown-code", "Deze rolfamilie staat niet in de catalogus.");
  }
  int kernrol = 0;
  int kernrol_known = field_bool(c, doc, base, "kernrol", &kernrol);
  const json_t *bron = json_object_get(doc, "kernrolBron");
  at(path, sizeof(path), base, "kernrolBron");
  if (kernrol_known && kernrol && (bron == NULL || json_is_null(bron))) {
    tp_check_bad(c, path, "required", "Een kernrol noemt de herkomst van die keuze.");
  } else if (kernrol_known && !kernrol && bron != NULL && !json_is_null(bron)) {
    tp_check_bad(c, path, "not-allowed", "Alleen een kernrol heeft een kernrolBron; stuur null.");
  } else if (bron != NULL && !json_is_null(bron)) {
    field_choice(c, doc, base, "kernrolBron", HERKOMSTEN);
  }
  field_choice(c, doc, base, "herkomst", HERKOMSTEN);
  text_list(c, doc, base, "bronnen", CODE_MAX, &refs->bronnen,
            "Deze bron staat niet in de bronnenlijst.");
  text_list(c, doc, base, "synoniemen", NAAM_MAX, NULL, NULL);
  text_list(c, doc, base, "taken", TEKST_MAX, NULL, NULL);
  check_role_competencies(c, doc, base, &refs->competenties);
  double fte;
  at(path, sizeof(path), base, "richtFteMinimum");
  tp_check_positive(c, json_object_get(doc, "richtFteMinimum"), path, TP_TEAM_FTE_MAX, &fte);
}

static void check_competentie(struct tp_check *c, const json_t *doc, const char *base) {
  static const char *const keys[] = {"code", "naam", "omschrijving", "soort", "rollen", NULL};
  tp_check_fields(c, doc, base, keys, NULL);
  field_text(c, doc, base, "naam", NAAM_MAX, 1);
  field_text(c, doc, base, "omschrijving", TEKST_MAX, 1);
  field_choice(c, doc, base, "soort", SOORTEN);
}

static void check_rolfamilie(struct tp_check *c, const json_t *doc, const char *base) {
  static const char *const keys[] = {"code", "naam", "omschrijving", "rollen", NULL};
  tp_check_fields(c, doc, base, keys, NULL);
  field_text(c, doc, base, "naam", NAAM_MAX, 1);
  field_text(c, doc, base, "omschrijving", TEKST_MAX, 1);
}

static void check_succesfactor(struct tp_check *c, const json_t *doc, const char *base,
                               const struct tp_catalogus_refs *refs) {
  static const char *const keys[] = {"code",    "naam",    "omschrijving", "herkomst",
                                     "bronnen", "voorbeeldgemeenten", NULL};
  tp_check_fields(c, doc, base, keys, NULL);
  field_text(c, doc, base, "naam", NAAM_MAX, 1);
  field_text(c, doc, base, "omschrijving", TEKST_MAX, 1);
  field_choice(c, doc, base, "herkomst", HERKOMSTEN);
  text_list(c, doc, base, "bronnen", CODE_MAX, &refs->bronnen,
            "Deze bron staat niet in de bronnenlijst.");
  text_list(c, doc, base, "voorbeeldgemeenten", CODE_MAX, &refs->gemeenten,
            "Deze gemeentecode bestaat niet.");
}

static void check_kengetallen(struct tp_check *c, const json_t *doc, const char *base,
                              const struct tp_catalogus_refs *refs) {
  const json_t *list = field_array(c, doc, base, "kengetallen", LIST_MAX, 0);
  size_t i;
  json_t *k;
  json_array_foreach((json_t *)list, i, k) {
    char item[256], path[288];
    at_index(item, sizeof(item), base, "kengetallen", i);
    if (!json_is_object(k)) {
      tp_check_bad(c, item, "invalid-type", "Verwacht een object.");
      continue;
    }
    static const char *const keys[] = {"code", "naam",     "waarde", "eenheid",
                                       "jaar", "herkomst", "bron",   "opmerking", NULL};
    tp_check_fields(c, k, item, keys, NULL);
    field_code(c, k, item, "code", 1);
    field_text(c, k, item, "naam", NAAM_MAX, 1);
    field_text(c, k, item, "eenheid", NAAM_MAX, 1);
    optional_text(c, k, item, "jaar", NAAM_MAX);
    optional_text(c, k, item, "opmerking", TEKST_MAX);
    field_choice(c, k, item, "herkomst", HERKOMSTEN);
    at(path, sizeof(path), item, "waarde");
    const json_t *w = json_object_get(k, "waarde");
    if (!json_is_number(w)) {
      tp_check_bad(c, path, w ? "invalid-type" : "required",
                   w ? "Verwacht een getal." : "Dit veld is verplicht.");
    }
    const json_t *bron = json_object_get(k, "bron");
    at(path, sizeof(path), item, "bron");
    if (bron != NULL && !json_is_null(bron)) {
      const char *url = field_text(c, k, item, "bron", TEKST_MAX, 0);
      if (url != NULL && !tp_codes_has(&refs->bron_urls, url)) {
        tp_check_bad(c, path, "unknown-code", "Deze url staat niet in de bronnenlijst.");
      }
    }
  }
}

static void check_succesverhaal(struct tp_check *c, const json_t *doc, const char *base,
                                const struct tp_catalogus_refs *refs) {
  static const char *const keys[] = {"gemeente",   "naam",     "titel",   "samenvatting",
                                     "organisatie", "herkomst", "praktijken", "bronnen",
                                     "kengetallen", NULL};
  tp_check_fields(c, doc, base, keys, NULL);
  field_text(c, doc, base, "titel", NAAM_MAX, 1);
  field_text(c, doc, base, "samenvatting", TEKST_MAX, 1);
  optional_text(c, doc, base, "organisatie", TEKST_MAX);
  field_choice(c, doc, base, "herkomst", HERKOMSTEN);
  text_list(c, doc, base, "praktijken", TEKST_MAX, NULL, NULL);
  text_list(c, doc, base, "bronnen", CODE_MAX, &refs->bronnen,
            "Deze bron staat niet in de bronnenlijst.");
  check_kengetallen(c, doc, base, refs);
}

/* One entry at `base` ("" for a request body). Returns its own code. */
static const char *check_entry(struct tp_check *c, enum tp_catalogus_soort soort,
                               const json_t *doc, const char *url_code, const char *base,
                               const struct tp_catalogus_refs *refs) {
  if (!json_is_object(doc)) {
    tp_check_bad(c, base[0] ? base : "body", "invalid-type", "Verwacht een object.");
    return NULL;
  }
  const char *key = soort == TP_CAT_SUCCESVERHAAL ? "gemeente" : "code";
  const char *code = own_code(c, doc, base, key, url_code);
  switch (soort) {
  case TP_CAT_ROL:
    check_rol(c, doc, base, refs);
    break;
  case TP_CAT_COMPETENTIE:
    check_competentie(c, doc, base);
    break;
  case TP_CAT_ROLFAMILIE:
    check_rolfamilie(c, doc, base);
    break;
  case TP_CAT_SUCCESFACTOR:
    check_succesfactor(c, doc, base, refs);
    break;
  case TP_CAT_SUCCESVERHAAL:
    if (code != NULL && !tp_codes_has(&refs->gemeenten, code)) {
      char path[256];
      at(path, sizeof(path), base, key);
      tp_check_bad(c, path, "unknown-code", "Deze gemeentecode bestaat niet.");
    }
    check_succesverhaal(c, doc, base, refs);
    break;
  }
  return code;
}

void tp_catalogus_validate(enum tp_catalogus_soort soort, const json_t *doc, const char *code,
                           const struct tp_catalogus_refs *refs, const char *prefix,
                           json_t *invalid) {
  struct tp_check c = {invalid, prefix};
  check_entry(&c, soort, doc, code, "", refs);
}

/* Validates list `key` of a file, every element of `soort`; the codes of
 * the valid ones are collected, sorted, into *codes when that is given
 * (the caller frees codes->codes). */
static void check_file_list(struct tp_check *c, const json_t *doc, const char *key,
                            enum tp_catalogus_soort soort, const struct tp_catalogus_refs *refs,
                            struct tp_codes *codes) {
  const json_t *list = field_array(c, doc, "", key, FILE_LIST_MAX, 1);
  const char *own = soort == TP_CAT_SUCCESVERHAAL ? "gemeente" : "code";
  const char **found = calloc(json_array_size(list) + 1, sizeof(char *));
  size_t n = 0;
  struct tp_repeats repeated;
  tp_repeats_find(&repeated, list, own);
  size_t i;
  json_t *v;
  json_array_foreach((json_t *)list, i, v) {
    char base[64], path[96];
    snprintf(base, sizeof(base), "%s.%zu", key, i);
    const char *code = check_entry(c, soort, v, NULL, base, refs);
    if (tp_repeats_at(&repeated, i, code)) {
      at(path, sizeof(path), base, own);
      tp_check_bad(c, path, "duplicate", "Deze code staat al eerder in het bestand.");
    } else if (code != NULL && found != NULL) {
      found[n++] = code;
    }
  }
  tp_repeats_free(&repeated);
  if (codes == NULL) {
    free(found);
    return;
  }
  if (found != NULL) qsort(found, n, sizeof(*found), tp_doc_cmp_str);
  codes->codes = found;
  codes->count = found ? n : 0;
}

static void check_schaal(struct tp_check *c, const json_t *doc) {
  const json_t *list = field_array(c, doc, "", "schaal", 4, 1);
  int seen[5] = {0};
  size_t i;
  json_t *v;
  json_array_foreach((json_t *)list, i, v) {
    char base[32], path[64];
    snprintf(base, sizeof(base), "schaal.%zu", i);
    if (!json_is_object(v)) {
      tp_check_bad(c, base, "invalid-type", "Verwacht een object.");
      continue;
    }
    static const char *const keys[] = {"niveau", "code", "naam", "omschrijving", NULL};
    tp_check_fields(c, v, base, keys, NULL);
    field_code(c, v, base, "code", 1);
    field_text(c, v, base, "naam", NAAM_MAX, 1);
    field_text(c, v, base, "omschrijving", TEKST_MAX, 1);
    at(path, sizeof(path), base, "niveau");
    int level = tp_check_niveau(c, json_object_get(v, "niveau"), path);
    if (level > 0 && seen[level]++) {
      tp_check_bad(c, path, "duplicate", "Dit niveau staat al eerder in de schaal.");
    }
  }
  if (list != NULL && json_array_size(list) != 4) {
    tp_check_bad(c, "schaal", "invalid-length", "Verwacht de vier niveaus 1 tot en met 4.");
  }
}

void tp_catalogus_file_validate(const json_t *doc, const struct tp_catalogus_refs *refs,
                                json_t *invalid) {
  struct tp_check c = {invalid, ""};
  if (!json_is_object(doc)) {
    tp_check_bad(&c, "body", "invalid-type", "Verwacht een catalogusbestand (een object).");
    return;
  }
  static const char *const keys[] = {"versie", "toelichting", "schaalBron", "schaal",
                                     "families", "competenties", "rollen", NULL};
  tp_check_fields(&c, doc, "", keys, NULL);
  field_text(&c, doc, "", "versie", 50, 1);
  optional_text(&c, doc, "", "toelichting", TEKST_MAX);
  optional_text(&c, doc, "", "schaalBron", NAAM_MAX);
  check_schaal(&c, doc);
  /* Roles refer to the families and competencies of this file. */
  struct tp_catalogus_refs own = *refs;
  own.rolfamilies = (struct tp_codes){0};
  own.competenties = (struct tp_codes){0};
  check_file_list(&c, doc, "families", TP_CAT_ROLFAMILIE, refs, &own.rolfamilies);
  check_file_list(&c, doc, "competenties", TP_CAT_COMPETENTIE, refs, &own.competenties);
  check_file_list(&c, doc, "rollen", TP_CAT_ROL, &own, NULL);
  free((void *)own.rolfamilies.codes);
  free((void *)own.competenties.codes);
}

/* {toelichting?, <key>: [entries of soort]} */
static void check_content_file(const json_t *doc, const char *key, enum tp_catalogus_soort soort,
                               const struct tp_catalogus_refs *refs, json_t *invalid) {
  struct tp_check c = {invalid, ""};
  if (!json_is_object(doc)) {
    tp_check_bad(&c, "body", "invalid-type", "Verwacht een object.");
    return;
  }
  const char *const keys[] = {"toelichting", key, NULL};
  tp_check_fields(&c, doc, "", keys, NULL);
  optional_text(&c, doc, "", "toelichting", TEKST_MAX);
  check_file_list(&c, doc, key, soort, refs, NULL);
}

void tp_succesfactoren_file_validate(const json_t *doc, const struct tp_catalogus_refs *refs,
                                     json_t *invalid) {
  check_content_file(doc, "succesfactoren", TP_CAT_SUCCESFACTOR, refs, invalid);
}

void tp_succesverhalen_file_validate(const json_t *doc, const struct tp_catalogus_refs *refs,
                                     json_t *invalid) {
  check_content_file(doc, "succesverhalen", TP_CAT_SUCCESVERHAAL, refs, invalid);
}

int tp_catalogus_refs_from_json(const json_t *doc, struct tp_catalogus_refs *refs) {
  memset(refs, 0, sizeof(*refs));
  if (tp_codes_from_json(json_object_get(doc, "rolfamilies"), &refs->rolfamilies) != 0 ||
      tp_codes_from_json(json_object_get(doc, "competenties"), &refs->competenties) != 0 ||
      tp_codes_from_json(json_object_get(doc, "bronnen"), &refs->bronnen) != 0 ||
      tp_codes_from_json(json_object_get(doc, "bronUrls"), &refs->bron_urls) != 0 ||
      tp_codes_from_json(json_object_get(doc, "gemeenten"), &refs->gemeenten) != 0) {
    tp_catalogus_refs_free(refs);
    return -1;
  }
  return 0;
}

void tp_catalogus_refs_free(struct tp_catalogus_refs *refs) {
  tp_codes_free(&refs->rolfamilies);
  tp_codes_free(&refs->competenties);
  tp_codes_free(&refs->bronnen);
  tp_codes_free(&refs->bron_urls);
  tp_codes_free(&refs->gemeenten);
}
