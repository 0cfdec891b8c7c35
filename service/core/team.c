#include "teamplotter/team.h"
#include "teamplotter/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_code(const void *key, const void *elem) {
  return strcmp((const char *)key, *(const char *const *)elem);
}

int tp_codes_has(const struct tp_codes *codes, const char *code) {
  return code != NULL && codes->count > 0 &&
         bsearch(code, codes->codes, codes->count, sizeof(char *), cmp_code) != NULL;
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

/* snprintf(out, size, "%s%s", a, b) without printf: a 20-member team
 * builds its field paths some 400 times per request. */
static void path_cat(char *out, size_t size, const char *a, const char *b) {
  size_t n = 0;
  for (; *a && n + 1 < size; a++) out[n++] = *a;
  for (; *b && n + 1 < size; b++) out[n++] = *b;
  out[n] = '\0';
}

/* snprintf(out, size, "%s.%zu", a, i). */
static void path_index(char *out, size_t size, const char *a, size_t i) {
  char num[24], rev[20];
  size_t n = 0, k = 0;
  do {
    rev[k++] = (char)('0' + i % 10);
    i /= 10;
  } while (i > 0);
  num[n++] = '.';
  while (k > 0) num[n++] = rev[--k];
  num[n] = '\0';
  path_cat(out, size, a, num);
}

/* Collects violations under a common path prefix. */
struct checker {
  json_t *invalid;
  const char *prefix;
};

static void bad(struct checker *c, const char *path, const char *code, const char *reason) {
  char name[256];
  size_t n = json_array_size(c->invalid);
  /* A hostile body can hold a hundred thousand mistakes; the answer names
   * the first TP_TEAM_MAX_PROBLEMS and says that there are more. */
  if (n > TP_TEAM_MAX_PROBLEMS) return;
  if (n == TP_TEAM_MAX_PROBLEMS) {
    code = "too-many-errors";
    path = "body";
    reason = "Meer fouten dan hier genoemd; herstel deze eerst.";
  }
  snprintf(name, sizeof(name), "%s%s", c->prefix, path);
  json_array_append_new(c->invalid,
                        json_pack("{s:s, s:s, s:s}", "name", name, "code", code, "reason", reason));
}

/* Which elements of an array repeat the string `key` of an earlier one:
 * the duplicate checks of roles, competencies, labels and imports. Found
 * by sorting, because a body under the size limit can list some 30 000
 * roles, and comparing each with every one before it takes seconds. */
struct repeats {
  const json_t *arr;
  const char *key;
  unsigned char *flag; /* flag[i]: element i repeats; NULL when out of memory */
};

struct keyed {
  const char *value;
  size_t index;
};

static int cmp_keyed(const void *x, const void *y) {
  const struct keyed *a = x, *b = y;
  int c = strcmp(a->value, b->value);
  return c ? c : (a->index > b->index) - (a->index < b->index);
}

static void repeats_find(struct repeats *r, const json_t *arr, const char *key) {
  size_t n = json_array_size(arr), m = 0;
  struct keyed *sorted = malloc((n ? n : 1) * sizeof(*sorted));
  r->arr = arr;
  r->key = key;
  r->flag = calloc(n ? n : 1, 1);
  if (sorted == NULL || r->flag == NULL) {
    free(r->flag);
    r->flag = NULL;
  } else {
    for (size_t i = 0; i < n; i++) {
      const char *v = json_string_value(json_object_get(json_array_get(arr, i), key));
      if (v != NULL) sorted[m++] = (struct keyed){v, i};
    }
    qsort(sorted, m, sizeof(*sorted), cmp_keyed);
    for (size_t i = 1; i < m; i++) {
      if (strcmp(sorted[i - 1].value, sorted[i].value) == 0) r->flag[sorted[i].index] = 1;
    }
  }
  free(sorted);
}

/* Whether element `i`, whose `key` is `value` (NULL: not checked),
 * repeats an earlier one. */
static int repeats_at(const struct repeats *r, size_t i, const char *value) {
  if (value == NULL) return 0;
  if (r->flag != NULL) return r->flag[i];
  /* Out of memory: the slow way, still correct. */
  for (size_t j = 0; j < i; j++) {
    const char *other = json_string_value(json_object_get(json_array_get(r->arr, j), r->key));
    if (other != NULL && strcmp(other, value) == 0) return 1;
  }
  return 0;
}

static void repeats_free(struct repeats *r) {
  free(r->flag);
  r->flag = NULL;
}

/* Reports keys of `obj` that are not in `allowed` (NULL-terminated). */
static void unknown_keys(struct checker *c, const json_t *obj, const char *path,
                         const char *const *allowed) {
  const char *key;
  json_t *value;
  json_object_foreach((json_t *)obj, key, value) {
    int ok = 0;
    for (size_t i = 0; allowed[i] != NULL; i++) ok |= strcmp(allowed[i], key) == 0;
    if (!ok) {
      char p[256];
      int keep = (int)tp_utf8_prefix(key, strlen(key), 64);
      snprintf(p, sizeof(p), "%s%s%.*s", path, path[0] ? "." : "", keep, key);
      bad(c, p, "unknown-field", "Dit veld bestaat niet.");
    }
  }
}

/* A string of 1..max bytes, or a violation. Returns the string or NULL. */
static const char *text(struct checker *c, const json_t *obj, const char *key, const char *path,
                        size_t max, int required) {
  const json_t *v = json_object_get(obj, key);
  if (v == NULL) {
    if (required) bad(c, path, "required", "Dit veld is verplicht.");
    return NULL;
  }
  if (!json_is_string(v)) {
    bad(c, path, "invalid-type", "Verwacht een tekst.");
    return NULL;
  }
  size_t n = json_string_length(v);
  size_t chars = tp_utf8_chars(json_string_value(v), n);
  if (n == 0 || chars > max || memchr(json_string_value(v), '\0', n) != NULL) {
    char reason[96];
    snprintf(reason, sizeof(reason), "Verwacht een tekst van 1 tot en met %zu tekens.", max);
    bad(c, path, "invalid-length", reason);
    return NULL;
  }
  return json_string_value(v);
}

/* A number in (0, max], or a violation. Returns 1 with *out set. */
static int positive(struct checker *c, const json_t *v, const char *path, double max,
                    double *out) {
  if (v == NULL) {
    bad(c, path, "required", "Dit veld is verplicht.");
    return 0;
  }
  if (!json_is_number(v)) {
    bad(c, path, "invalid-type", "Verwacht een getal.");
    return 0;
  }
  double d = json_number_value(v);
  if (!isfinite(d) || d <= 0 || d > max) {
    char reason[96];
    snprintf(reason, sizeof(reason), "Verwacht een getal groter dan 0 en hoogstens %g.", max);
    bad(c, path, "out-of-range", reason);
    return 0;
  }
  *out = d;
  return 1;
}

static void check_roles(struct checker *c, const json_t *rollen, const char *mpath,
                        const struct tp_known *known, int fte_ok, double fte) {
  char path[160];
  path_cat(path, sizeof(path), mpath, ".rollen");
  if (!json_is_array(rollen)) {
    bad(c, path, rollen ? "invalid-type" : "required", "Verwacht een lijst van rollen.");
    return;
  }
  double sum = 0;
  int sum_ok = 1;
  struct repeats repeated;
  repeats_find(&repeated, rollen, "rol");
  size_t i;
  json_t *r;
  json_array_foreach((json_t *)rollen, i, r) {
    char rpath[200], field[224];
    path_index(rpath, sizeof(rpath), path, i);
    if (!json_is_object(r)) {
      bad(c, rpath, "invalid-type", "Verwacht een object met rol en aandeel.");
      sum_ok = 0;
      continue;
    }
    static const char *const keys[] = {"rol", "aandeel", NULL};
    unknown_keys(c, r, rpath, keys);
    path_cat(field, sizeof(field), rpath, ".rol");
    const char *rol = text(c, r, "rol", field, 100, 1);
    if (rol != NULL && !tp_codes_has(&known->rollen, rol)) {
      bad(c, field, "unknown-code", "Deze rol staat niet in de catalogus.");
    }
    if (repeats_at(&repeated, i, rol)) {
      bad(c, field, "duplicate", "Deze rol staat al eerder bij dit lid.");
    }
    double share = 0;
    path_cat(field, sizeof(field), rpath, ".aandeel");
    if (positive(c, json_object_get(r, "aandeel"), field, TP_TEAM_FTE_MAX, &share)) {
      sum += share;
    } else {
      sum_ok = 0;
    }
  }
  repeats_free(&repeated);
  if (fte_ok && sum_ok && fabs(sum - fte) > TP_TEAM_SHARE_TOLERANCE) {
    char reason[128];
    snprintf(reason, sizeof(reason), "De aandelen tellen op tot %.4g, maar fte is %.4g.", sum, fte);
    bad(c, path, "shares-mismatch", reason);
  }
}

static void check_competencies(struct checker *c, const json_t *comps, const char *mpath,
                               const struct tp_known *known) {
  char path[160];
  path_cat(path, sizeof(path), mpath, ".competenties");
  if (comps == NULL) return; /* optional */
  if (!json_is_array(comps)) {
    bad(c, path, "invalid-type", "Verwacht een lijst van competenties.");
    return;
  }
  struct repeats repeated;
  repeats_find(&repeated, comps, "code");
  size_t i;
  json_t *k;
  json_array_foreach((json_t *)comps, i, k) {
    char cpath[200], field[224];
    path_index(cpath, sizeof(cpath), path, i);
    if (!json_is_object(k)) {
      bad(c, cpath, "invalid-type", "Verwacht een object met code en niveau.");
      continue;
    }
    static const char *const keys[] = {"code", "niveau", NULL};
    unknown_keys(c, k, cpath, keys);
    path_cat(field, sizeof(field), cpath, ".code");
    const char *code = text(c, k, "code", field, 100, 1);
    if (code != NULL && !tp_codes_has(&known->competenties, code)) {
      bad(c, field, "unknown-code", "Deze competentie staat niet in de catalogus.");
    }
    if (repeats_at(&repeated, i, code)) {
      bad(c, field, "duplicate", "Deze competentie staat al eerder bij dit lid.");
    }
    path_cat(field, sizeof(field), cpath, ".niveau");
    const json_t *lvl = json_object_get(k, "niveau");
    if (lvl == NULL) {
      bad(c, field, "required", "Dit veld is verplicht.");
    } else if (!json_is_integer(lvl) || json_integer_value(lvl) < 1 ||
               json_integer_value(lvl) > 4) {
      bad(c, field, "out-of-range", "Verwacht een geheel getal van 1 tot en met 4.");
    }
  }
  repeats_free(&repeated);
}

static void check_members(struct checker *c, const json_t *leden, const struct tp_known *known) {
  if (leden == NULL) {
    bad(c, "leden", "required", "Dit veld is verplicht (een lege lijst mag).");
    return;
  }
  if (!json_is_array(leden)) {
    bad(c, "leden", "invalid-type", "Verwacht een lijst van teamleden.");
    return;
  }
  if (json_array_size(leden) > TP_TEAM_MAX_MEMBERS) {
    bad(c, "leden", "too-many", "Een team heeft hoogstens 500 leden.");
    return;
  }
  struct repeats repeated;
  repeats_find(&repeated, leden, "label");
  size_t i;
  json_t *m;
  json_array_foreach((json_t *)leden, i, m) {
    char mpath[64], field[96];
    path_index(mpath, sizeof(mpath), "leden", i);
    if (!json_is_object(m)) {
      bad(c, mpath, "invalid-type", "Verwacht een object per teamlid.");
      continue;
    }
    static const char *const keys[] = {"label", "fte", "rollen", "competenties", NULL};
    unknown_keys(c, m, mpath, keys);
    path_cat(field, sizeof(field), mpath, ".label");
    const char *label = text(c, m, "label", field, TP_TEAM_LABEL_MAX, 1);
    if (repeats_at(&repeated, i, label)) {
      bad(c, field, "duplicate", "Labels moeten binnen een profiel uniek zijn.");
    }
    double fte = 0;
    path_cat(field, sizeof(field), mpath, ".fte");
    int fte_ok = positive(c, json_object_get(m, "fte"), field, TP_TEAM_FTE_MAX, &fte);
    check_roles(c, json_object_get(m, "rollen"), mpath, known, fte_ok, fte);
    check_competencies(c, json_object_get(m, "competenties"), mpath, known);
  }
  repeats_free(&repeated);
}

void tp_team_validate(const json_t *body, enum tp_team_kind kind, const struct tp_known *known,
                      const char *prefix, json_t *invalid) {
  struct checker c = {invalid, prefix ? prefix : ""};
  if (!json_is_object(body)) {
    bad(&c, "body", "invalid-type", "Verwacht een JSON-object.");
    return;
  }
  static const char *const profile_keys[] = {"gemeente", "peildatum", "toelichting", "leden",
                                             NULL};
  static const char *const analysis_keys[] = {"gemeente", "inwoners", "peildatum", "leden", NULL};
  static const char *const import_keys[] = {"gemeente", "peildatum", "herkomst", "bronnen",
                                            "toelichting", "leden", NULL};
  unknown_keys(&c, body, "",
               kind == TP_TEAM_ANALYSIS ? analysis_keys
               : kind == TP_TEAM_IMPORT ? import_keys
                                        : profile_keys);

  const json_t *inwoners = json_object_get(body, "inwoners");
  int need_gemeente = kind != TP_TEAM_ANALYSIS || inwoners == NULL;
  const char *gemeente = text(&c, body, "gemeente", "gemeente", 6, need_gemeente);
  if (gemeente != NULL && !tp_codes_has(&known->gemeenten, gemeente)) {
    bad(&c, "gemeente", "unknown-code", "Deze gemeentecode bestaat niet.");
  }
  if (kind == TP_TEAM_ANALYSIS && inwoners != NULL) {
    if (gemeente != NULL) {
      bad(&c, "inwoners", "conflict", "Geef gemeente of inwoners, niet allebei.");
    } else if (!json_is_integer(inwoners) || json_integer_value(inwoners) < 1 ||
               json_integer_value(inwoners) > 100000000) {
      bad(&c, "inwoners", "out-of-range", "Verwacht een geheel getal van 1 tot 100 miljoen.");
    }
  }

  const char *datum = text(&c, body, "peildatum", "peildatum", 10, kind != TP_TEAM_ANALYSIS);
  if (datum != NULL && !tp_is_date(datum)) {
    bad(&c, "peildatum", "invalid-date", "Verwacht een bestaande datum als JJJJ-MM-DD.");
  }
  if (kind != TP_TEAM_ANALYSIS) text(&c, body, "toelichting", "toelichting", 4000, 0);
  if (kind == TP_TEAM_IMPORT) {
    static const char *const herkomsten[] = {"publicatie", "bron", "afgeleid", "schatting",
                                             "opgave", "demo", NULL};
    const char *h = text(&c, body, "herkomst", "herkomst", 20, 1);
    int ok = h == NULL;
    for (size_t i = 0; h != NULL && herkomsten[i] != NULL; i++) ok |= strcmp(h, herkomsten[i]) == 0;
    if (!ok) bad(&c, "herkomst", "invalid-choice", "Onbekende herkomst.");
    const json_t *bronnen = json_object_get(body, "bronnen");
    if (bronnen != NULL && !json_is_array(bronnen)) {
      bad(&c, "bronnen", "invalid-type", "Verwacht een lijst van bron-id's.");
    }
  }
  check_members(&c, json_object_get(body, "leden"), known);
}

void tp_reference_import_validate(const json_t *doc, const struct tp_known *known,
                                  const struct tp_codes *referentie, const struct tp_codes *bronnen,
                                  json_t *invalid) {
  struct checker c = {invalid, ""};
  const json_t *profielen = json_object_get(doc, "profielen");
  if (!json_is_object(doc) || !json_is_array(profielen) || json_array_size(profielen) == 0) {
    bad(&c, "profielen", "required", "Verwacht een object met een niet-lege lijst profielen.");
    return;
  }
  struct repeats repeated;
  repeats_find(&repeated, profielen, "gemeente");
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
      bad(&c, path, "not-a-reference", "Deze gemeente is geen referentiegemeente.");
    }
    if (repeats_at(&repeated, i, gemeente)) {
      bad(&c, path, "duplicate", "Deze gemeente heeft al een profiel in dit bestand.");
    }
    size_t k;
    json_t *bron;
    json_array_foreach(json_object_get(p, "bronnen"), k, bron) {
      snprintf(path, sizeof(path), "profielen.%zu.bronnen.%zu", i, k);
      if (!json_is_string(bron) || !tp_codes_has(bronnen, json_string_value(bron))) {
        bad(&c, path, "unknown-code", "Deze bron staat niet in de bronnenlijst.");
      }
    }
  }
  repeats_free(&repeated);
}
