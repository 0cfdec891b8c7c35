#include "teamplotter/team.h"

#include "check.h"

#include "teamplotter/team_rules.h"
#include "teamplotter/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_code(const void *key, const void *elem) {
  return strcmp((const char *)key, *(const char *const *)elem);
}

const char *tp_codes_find(const struct tp_codes *codes, const char *code) {
  if (code == NULL || codes->count == 0) return NULL;
  const char *const *at = bsearch(code, codes->codes, codes->count, sizeof(char *), cmp_code);
  return at ? *at : NULL;
}

int tp_codes_has(const struct tp_codes *codes, const char *code) {
  return tp_codes_find(codes, code) != NULL;
}

int tp_codes_from_json(const json_t *array, struct tp_codes *out) {
  size_t n = json_array_size(array);
  const char **codes = calloc(n ? n : 1, sizeof(char *));
  if (codes == NULL) return -1;
  for (size_t i = 0; i < n; i++) codes[i] = json_string_value(json_array_get(array, i));
  out->codes = codes;
  out->count = n;
  return 0;
}

int tp_known_from_json(const json_t *doc, struct tp_known *known) {
  memset(known, 0, sizeof(*known));
  if (tp_codes_from_json(json_object_get(doc, "gemeenten"), &known->gemeenten) != 0 ||
      tp_codes_from_json(json_object_get(doc, "rollen"), &known->rollen) != 0 ||
      tp_codes_from_json(json_object_get(doc, "competenties"), &known->competenties) != 0) {
    tp_known_free(known);
    return -1;
  }
  return 0;
}

void tp_codes_free(struct tp_codes *codes) {
  free((void *)codes->codes);
  codes->codes = NULL;
  codes->count = 0;
}

void tp_known_free(struct tp_known *known) {
  tp_codes_free(&known->gemeenten);
  tp_codes_free(&known->rollen);
  tp_codes_free(&known->competenties);
}

int tp_is_date(const char *s) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
  for (int i = 0; i < 10; i++) {
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
  }
  /* Digits only, checked above: plain arithmetic reads them. */
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap);
}

/* tp_check_positive, tp_check_niveau and check_members name a missing
 * value "required" themselves: these fields are. */
_Static_assert(TP_TEAM_LID_REQUIRED >> TP_LID_FTE & TP_TEAM_LID_REQUIRED >> TP_LID_ROLLEN & 1u,
               "fte and rollen are checked as required");
_Static_assert(TP_TEAM_ROL_REQUIRED >> TP_ROL_AANDEEL & 1u, "aandeel is checked as required");
_Static_assert(TP_TEAM_COMPETENTIE_REQUIRED >> TP_COMPETENTIE_NIVEAU & 1u,
               "niveau is checked as required");
_Static_assert(TP_TEAM_ANALYSIS_REQUIRED >> TP_BODY_LEDEN & 1u, "leden is checked as required");

/* The roles of the member at `path` (which ends in ".rollen" here). */
static void check_roles(struct tp_check *c, const json_t *rollen, struct tp_path *path,
                        const struct tp_known *known, int fte_ok, double fte) {
  if (!json_is_array(rollen)) {
    tp_check_bad(c, path->s, rollen ? "invalid-type" : "required",
                 "Verwacht een lijst van rollen.");
    return;
  }
  double sum = 0;
  int sum_ok = 1;
  struct tp_repeats repeated;
  tp_repeats_find(&repeated, rollen, "rol");
  size_t i;
  json_t *r;
  json_array_foreach((json_t *)rollen, i, r) {
    size_t up = tp_path_add_index(path, i);
    if (!json_is_object(r)) {
      tp_check_bad(c, path->s, "invalid-type", "Verwacht een object met rol en aandeel.");
      sum_ok = 0;
      tp_path_back(path, up);
      continue;
    }
    const json_t *v[2];
    tp_check_fields(c, r, path->s, tp_team_rol_fields, v);
    size_t at = tp_path_add(path, "rol");
    const char *rol = tp_check_text(c, v[TP_ROL_ROL], path->s, TP_TEAM_CODE_MAX,
                                    tp_team_required(TP_TEAM_ROL_REQUIRED, TP_ROL_ROL));
    if (rol != NULL && !tp_codes_has(&known->rollen, rol)) {
      tp_check_bad(c, path->s, "unknown-code", "Deze rol staat niet in de catalogus.");
    }
    if (tp_repeats_at(&repeated, i, rol)) {
      tp_check_bad(c, path->s, "duplicate", "Deze rol staat al eerder bij dit lid.");
    }
    tp_path_back(path, at);
    double share = 0;
    tp_path_add(path, "aandeel");
    if (tp_check_positive(c, v[TP_ROL_AANDEEL], path->s, TP_TEAM_FTE_MAX, &share)) {
      sum += share;
    } else {
      sum_ok = 0;
    }
    tp_path_back(path, up);
  }
  tp_repeats_free(&repeated);
  if (!tp_team_has_rollen(json_array_size(rollen))) {
    /* Named whatever fte is: no fte is the sum of no shares. */
    tp_check_bad(c, path->s, "shares-mismatch", "Een teamlid heeft minstens één rol.");
  } else if (fte_ok && sum_ok && !tp_team_aandelen_match(sum, fte)) {
    char reason[128];
    snprintf(reason, sizeof(reason), "De aandelen tellen op tot %.4g, maar fte is %.4g.", sum, fte);
    tp_check_bad(c, path->s, "shares-mismatch", reason);
  }
}

/* The competencies of the member at `path` (ending in ".competenties"). */
static void check_competencies(struct tp_check *c, const json_t *comps, struct tp_path *path,
                               const struct tp_known *known) {
  if (comps == NULL) return; /* optional */
  if (!json_is_array(comps)) {
    tp_check_bad(c, path->s, "invalid-type", "Verwacht een lijst van competenties.");
    return;
  }
  struct tp_repeats repeated;
  tp_repeats_find(&repeated, comps, "code");
  size_t i;
  json_t *k;
  json_array_foreach((json_t *)comps, i, k) {
    size_t up = tp_path_add_index(path, i);
    if (!json_is_object(k)) {
      tp_check_bad(c, path->s, "invalid-type", "Verwacht een object met code en niveau.");
      tp_path_back(path, up);
      continue;
    }
    const json_t *v[2];
    tp_check_fields(c, k, path->s, tp_team_competentie_fields, v);
    size_t at = tp_path_add(path, "code");
    const char *code =
        tp_check_text(c, v[TP_COMPETENTIE_CODE], path->s, TP_TEAM_CODE_MAX,
                      tp_team_required(TP_TEAM_COMPETENTIE_REQUIRED, TP_COMPETENTIE_CODE));
    if (code != NULL && !tp_codes_has(&known->competenties, code)) {
      tp_check_bad(c, path->s, "unknown-code", "Deze competentie staat niet in de catalogus.");
    }
    if (tp_repeats_at(&repeated, i, code)) {
      tp_check_bad(c, path->s, "duplicate", "Deze competentie staat al eerder bij dit lid.");
    }
    tp_path_back(path, at);
    tp_path_add(path, "niveau");
    tp_check_niveau(c, v[TP_COMPETENTIE_NIVEAU], path->s);
    tp_path_back(path, up);
  }
  tp_repeats_free(&repeated);
}

static void check_members(struct tp_check *c, const json_t *leden, const struct tp_known *known) {
  if (leden == NULL) {
    tp_check_bad(c, "leden", "required", "Dit veld is verplicht (een lege lijst mag).");
    return;
  }
  if (!json_is_array(leden)) {
    tp_check_bad(c, "leden", "invalid-type", "Verwacht een lijst van teamleden.");
    return;
  }
  if (!tp_team_size_ok(json_array_size(leden))) {
    tp_check_bad(c, "leden", "too-many", "Een team heeft hoogstens 500 leden.");
    return;
  }
  struct tp_repeats repeated;
  tp_repeats_find(&repeated, leden, "label");
  struct tp_path path = {.len = 0};
  tp_path_add(&path, "leden");
  size_t i;
  json_t *m;
  json_array_foreach((json_t *)leden, i, m) {
    size_t up = tp_path_add_index(&path, i);
    if (!json_is_object(m)) {
      tp_check_bad(c, path.s, "invalid-type", "Verwacht een object per teamlid.");
      tp_path_back(&path, up);
      continue;
    }
    const json_t *v[4];
    tp_check_fields(c, m, path.s, tp_team_lid_fields, v);
    size_t at = tp_path_add(&path, "label");
    const char *label = tp_check_text(c, v[TP_LID_LABEL], path.s, TP_TEAM_LABEL_MAX,
                                      tp_team_required(TP_TEAM_LID_REQUIRED, TP_LID_LABEL));
    if (tp_repeats_at(&repeated, i, label)) {
      tp_check_bad(c, path.s, "duplicate", "Labels moeten binnen een profiel uniek zijn.");
    }
    tp_path_back(&path, at);
    double fte = 0;
    tp_path_add(&path, "fte");
    int fte_ok = tp_check_positive(c, v[TP_LID_FTE], path.s, TP_TEAM_FTE_MAX, &fte);
    tp_path_back(&path, at);
    tp_path_add(&path, "rollen");
    check_roles(c, v[TP_LID_ROLLEN], &path, known, fte_ok, fte);
    tp_path_back(&path, at);
    tp_path_add(&path, "competenties");
    check_competencies(c, v[TP_LID_COMPETENTIES], &path, known);
    tp_path_back(&path, up);
  }
  tp_repeats_free(&repeated);
}

void tp_team_validate(const json_t *body, enum tp_team_kind kind, const struct tp_known *known,
                      const char *prefix, json_t *invalid) {
  struct tp_check c = {invalid, prefix ? prefix : ""};
  if (!json_is_object(body)) {
    tp_check_bad(&c, "body", "invalid-type", "Verwacht een JSON-object.");
    return;
  }
  static const char *const profile_keys[] = {"gemeente", "peildatum", "toelichting", "leden",
                                             NULL};
  static const char *const import_keys[] = {"gemeente", "peildatum", "herkomst", "bronnen",
                                            "toelichting", "leden", NULL};
  tp_check_fields(&c, body, "",
                  kind == TP_TEAM_ANALYSE ? tp_team_analysis_fields
                  : kind == TP_TEAM_IMPORT ? import_keys
                                           : profile_keys,
                  NULL);

  const json_t *inwoners = json_object_get(body, "inwoners");
  int need_gemeente = tp_team_needs_gemeente(kind, inwoners != NULL);
  const char *gemeente = tp_check_text(&c, json_object_get(body, "gemeente"), "gemeente",
                                       TP_TEAM_GEMEENTE_MAX, need_gemeente);
  if (gemeente != NULL && !tp_codes_has(&known->gemeenten, gemeente)) {
    tp_check_bad(&c, "gemeente", "unknown-code", "Deze gemeentecode bestaat niet.");
  }
  if (kind == TP_TEAM_ANALYSE && inwoners != NULL) {
    if (tp_team_conflicts(gemeente != NULL, inwoners != NULL)) {
      tp_check_bad(&c, "inwoners", "conflict", "Geef gemeente of inwoners, niet allebei.");
    } else if (!json_is_integer(inwoners) || !tp_team_inwoners_ok(json_integer_value(inwoners))) {
      tp_check_bad(&c, "inwoners", "out-of-range", "Verwacht een geheel getal van 1 tot 100 miljoen.");
    }
  }

  const char *datum = tp_check_text(&c, json_object_get(body, "peildatum"), "peildatum",
                                    TP_TEAM_PEILDATUM_MAX, tp_team_needs_peildatum(kind));
  if (datum != NULL && !tp_is_date(datum)) {
    tp_check_bad(&c, "peildatum", "invalid-date", "Verwacht een bestaande datum als JJJJ-MM-DD.");
  }
  if (kind != TP_TEAM_ANALYSE) {
    tp_check_text(&c, json_object_get(body, "toelichting"), "toelichting",
                  TP_TEAM_TOELICHTING_MAX, 0);
  }
  if (kind == TP_TEAM_IMPORT) {
    static const char *const herkomsten[] = {"publicatie", "bron", "afgeleid", "schatting",
                                             "opgave", "demo", NULL};
    const char *h = tp_check_text(&c, json_object_get(body, "herkomst"), "herkomst",
                                  TP_TEAM_HERKOMST_MAX, 1);
    int ok = h == NULL;
    for (size_t i = 0; h != NULL && herkomsten[i] != NULL; i++) ok |= strcmp(h, herkomsten[i]) == 0;
    if (!ok) tp_check_bad(&c, "herkomst", "invalid-choice", "Onbekende herkomst.");
    const json_t *bronnen = json_object_get(body, "bronnen");
    if (bronnen != NULL && !json_is_array(bronnen)) {
      tp_check_bad(&c, "bronnen", "invalid-type", "Verwacht een lijst van bron-id's.");
    }
  }
  check_members(&c, json_object_get(body, "leden"), known);
}

void tp_referentie_import_validate(const json_t *doc, const struct tp_known *known,
                                  const struct tp_codes *referentie, const struct tp_codes *bronnen,
                                  json_t *invalid) {
  struct tp_check c = {invalid, ""};
  const json_t *profielen = json_object_get(doc, "profielen");
  if (!json_is_object(doc) || !json_is_array(profielen) || json_array_size(profielen) == 0) {
    tp_check_bad(&c, "profielen", "required", "Verwacht een object met een niet-lege lijst profielen.");
    return;
  }
  /* What the reference-set version is named after and where it came from. */
  tp_check_text(&c, json_object_get(doc, "versie"), "versie", TP_REFERENTIE_VERSIE_MAX, 0);
  tp_check_text(&c, json_object_get(doc, "bron"), "bron", TP_REFERENTIE_BRON_MAX, 0);
  tp_check_text(&c, json_object_get(doc, "toelichting"), "toelichting", 2000, 0);
  struct tp_repeats repeated;
  tp_repeats_find(&repeated, profielen, "gemeente");
  size_t i;
  json_t *p;
  json_array_foreach((json_t *)profielen, i, p) {
    char prefix[32], path[64];
    snprintf(prefix, sizeof(prefix), "profielen.%zu.", i);
    tp_team_validate(p, TP_TEAM_IMPORT, known, prefix, invalid);
    const char *gemeente = json_string_value(json_object_get(p, "gemeente"));
    snprintf(path, sizeof(path), "profielen.%zu.gemeente", i);
    if (gemeente != NULL && tp_codes_has(&known->gemeenten, gemeente) &&
        !tp_codes_has(referentie, gemeente)) {
      tp_check_bad(&c, path, "not-a-reference", "Deze gemeente is geen referentiegemeente.");
    }
    if (tp_repeats_at(&repeated, i, gemeente)) {
      tp_check_bad(&c, path, "duplicate", "Deze gemeente heeft al een profiel in dit bestand.");
    }
    size_t k;
    json_t *bron;
    json_array_foreach(json_object_get(p, "bronnen"), k, bron) {
      snprintf(path, sizeof(path), "profielen.%zu.bronnen.%zu", i, k);
      if (!json_is_string(bron) || !tp_codes_has(bronnen, json_string_value(bron))) {
        tp_check_bad(&c, path, "unknown-code", "Deze bron staat niet in de bronnenlijst.");
      }
    }
  }
  tp_repeats_free(&repeated);
}
