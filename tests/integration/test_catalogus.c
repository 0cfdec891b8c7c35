/* The public catalogue and reference content: /rolfamilies, /rollen,
 * /competenties, /succesfactoren, /gemeenten, /succesverhalen, /bronnen and
 * the seven public reference team profiles, through the real binary over
 * real HTTP. Expected values are computed independently of the service:
 * with SQL on the seeded tables (it_sql_value), from fixed facts of the
 * publication (the seven, the two core roles, the CBS size classes) and,
 * when it exists, from the data pack in ../shared/data that the seed is
 * built from. */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#ifndef TEAMPLOTTER_SOURCE_DIR
#define TEAMPLOTTER_SOURCE_DIR "."
#endif

/* One server for the whole test case (unchecked fixture): every test only
 * reads, or writes rows of its own that it removes. */
static struct it_server srv;

/* toelichting of the rows this run writes, so teardown can remove them
 * even after a failed test. */
static char marker[64];

/* The seven reference municipalities of the publication, by CBS code. */
static const char *const SEVEN[] = {"GM0050", "GM0074", "GM0344", "GM0394",
                                    "GM0715", "GM0855", "GM1940", NULL};

/* --- small helpers ------------------------------------------------------- */

struct sbuf {
  char *s;
  size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *text) {
  size_t n = strlen(text);
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->s = realloc(b->s, b->cap);
    ck_assert_ptr_nonnull(b->s);
  }
  memcpy(b->s + b->len, text, n + 1);
  b->len += n;
}

static void sb_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_addf(struct sbuf *b, const char *fmt, ...) {
  char tmp[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(tmp, sizeof(tmp), fmt, ap);
  va_end(ap);
  sb_add(b, tmp);
}

/* A JSON scalar as SQL would print it (::text of int, float8, bool, text). */
static void sb_scalar(struct sbuf *b, const json_t *v) {
  if (json_is_string(v)) {
    sb_add(b, json_string_value(v));
  } else if (json_is_integer(v)) {
    sb_addf(b, "%lld", (long long)json_integer_value(v));
  } else if (json_is_real(v)) {
    sb_addf(b, "%.15g", json_real_value(v));
  } else if (json_is_boolean(v)) {
    sb_add(b, json_is_true(v) ? "true" : "false");
  } else {
    sb_add(b, "<null>");
  }
}

static const char *sb_str(struct sbuf *b) { return b->s ? b->s : ""; }

/* Like ck_assert_str_eq, but for texts of any length: reports where they
 * first differ (Check's own message would be cut off or refused). */
#define assert_text_eq(got, want) assert_text_eq_at(__LINE__, #got, (got), (want))

static void assert_text_eq_at(int line, const char *expr, const char *got, const char *want) {
  if (got == NULL || want == NULL) {
    ck_abort_msg("line %d: %s is %s, expected %s", line, expr, got ? got : "NULL",
                 want ? want : "NULL");
  }
  if (strcmp(got, want) == 0) return;
  size_t i = 0;
  while (got[i] != '\0' && got[i] == want[i]) i++;
  size_t from = i > 80 ? i - 80 : 0;
  ck_abort_msg("line %d: %s differs at byte %zu:\n  got  ...%.200s\n  want ...%.200s", line, expr,
               i, got + from, want + from);
}

static char *vsql(const char *fmt, va_list ap) {
  char sql[8192];
  vsnprintf(sql, sizeof(sql), fmt, ap);
  char *v = it_sql_value(it_database_url(), sql);
  ck_assert_msg(v != NULL, "SQL failed: %s", sql);
  return v;
}

/* The first value of a query, as a new string. */
static char *sqlf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *sqlf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *v = vsql(fmt, ap);
  va_end(ap);
  return v;
}

static long sql_long(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long sql_long(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *v = vsql(fmt, ap);
  va_end(ap);
  long n = atol(v);
  free(v);
  return n;
}

static double sql_double(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static double sql_double(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *v = vsql(fmt, ap);
  va_end(ap);
  double d = atof(v);
  free(v);
  return d;
}

/* Codes go into SQL text below; make sure they are what codes look like. */
static void assert_code(const char *code) {
  ck_assert_ptr_nonnull(code);
  ck_assert(code[0] != '\0');
  for (const char *p = code; *p; p++) {
    ck_assert_msg((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                      (*p >= '0' && *p <= '9') || *p == '-',
                  "unexpected character in code %s", code);
  }
}

static const char *str_of(const json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

static long count_of(const json_t *page) {
  return (long)json_integer_value(json_object_get(page, "count"));
}

static json_t *results_of(const json_t *page) { return json_object_get(page, "results"); }

/* GET `path` expecting `status`, with the conventions every response shares;
 * a 200 must be JSON with a strong ETag, anything else a problem. Returns the
 * parsed body (new reference). */
static json_t *get_json(const char *path, long status) {
  struct it_response r;
  ck_assert_msg(it_get(&srv, path, &r) == 0, "no response for %s", path);
  ck_assert_msg(r.status == status, "GET %s gave %ld, expected %ld: %.400s", path, r.status, status,
                r.body);
  it_assert_conventions(&r);
  if (status == 200) {
    ck_assert_ptr_nonnull(it_header(&r, "Content-Type"));
    assert_text_eq(it_header(&r, "Content-Type"), "application/json");
    const char *etag = it_header(&r, "ETag");
    ck_assert_msg(etag != NULL && etag[0] == '"', "GET %s: no strong ETag", path);
  } else {
    it_assert_problem(&r, status);
  }
  ck_assert_msg(r.json != NULL, "GET %s: body is not JSON", path);
  json_t *doc = json_incref(r.json);
  it_response_free(&r);
  return doc;
}

/* Every item of a collection: pageSize=100, following `next` to the end.
 * Checks that count stays the same and that the pages add up to it. */
static json_t *get_all(const char *path) {
  char url[2048];
  snprintf(url, sizeof(url), "%s%spageSize=100", path, strchr(path, '?') ? "&" : "?");
  json_t *all = json_array();
  long count = -1;
  for (int pages = 0;; pages++) {
    ck_assert_msg(pages < 50, "%s: paging does not end", path);
    json_t *page = get_json(url, 200);
    if (count < 0) count = count_of(page);
    ck_assert_int_eq(count_of(page), count);
    json_array_extend(all, results_of(page));
    const char *next = str_of(page, "next");
    if (next != NULL) snprintf(url, sizeof(url), "%s", next);
    json_decref(page);
    if (next == NULL) break;
  }
  ck_assert_msg((long)json_array_size(all) == count, "%s: pages hold %zu items, count says %ld",
                path, json_array_size(all), count);
  return all;
}

/* Joins `key` (or the string items themselves when NULL) of an array. */
static char *join(const json_t *arr, const char *key, const char *sep) {
  struct sbuf b = {0};
  size_t i;
  json_t *item;
  sb_add(&b, "");
  json_array_foreach(arr, i, item) {
    if (i > 0) sb_add(&b, sep);
    sb_scalar(&b, key ? json_object_get(item, key) : item);
  }
  return b.s;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted lines joined with '\n', for comparing sets. Takes the strings. */
static char *sorted_set(char **items, size_t n) {
  qsort(items, n, sizeof(char *), cmp_str);
  struct sbuf b = {0};
  sb_add(&b, "");
  for (size_t i = 0; i < n; i++) {
    if (i > 0) sb_add(&b, "\n");
    sb_add(&b, items[i]);
    free(items[i]);
  }
  return b.s;
}

static int in_array(const json_t *arr, const char *key, const char *value) {
  size_t i;
  json_t *item;
  json_array_foreach(arr, i, item) {
    const char *v = key ? str_of(item, key) : json_string_value(item);
    if (v != NULL && strcmp(v, value) == 0) return 1;
  }
  return 0;
}

static const json_t *find_by(const json_t *arr, const char *key, const char *value) {
  size_t i;
  json_t *item;
  json_array_foreach(arr, i, item) {
    const char *v = str_of(item, key);
    if (v != NULL && strcmp(v, value) == 0) return item;
  }
  return NULL;
}

/* A 400 problem whose invalidParams name exactly `names`. */
static void expect_400(const char *path, const char *const *names, size_t n) {
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, path, &r), 0);
  ck_assert_msg(r.status == 400, "GET %s gave %ld, expected 400: %.300s", path, r.status, r.body);
  it_assert_problem(&r, 400);
  assert_text_eq(str_of(r.json, "code"), "invalid-params");
  assert_text_eq(str_of(r.json, "type"), "urn:teamplotter:probleem:invalid-params");
  json_t *invalid = json_object_get(r.json, "invalidParams");
  ck_assert_msg(json_array_size(invalid) == n, "GET %s: %zu invalidParams, expected %zu: %s", path,
                json_array_size(invalid), n, r.body);
  size_t i;
  json_t *entry;
  json_array_foreach(invalid, i, entry) {
    ck_assert_msg(json_is_string(json_object_get(entry, "name")), "%s: entry without name", path);
    ck_assert_msg(str_of(entry, "code") != NULL && str_of(entry, "code")[0] != '\0',
                  "%s: entry without code", path);
    ck_assert_msg(str_of(entry, "reason") != NULL && str_of(entry, "reason")[0] != '\0',
                  "%s: entry without reason", path);
  }
  for (size_t k = 0; k < n; k++) {
    ck_assert_msg(in_array(invalid, "name", names[k]), "GET %s: invalidParams lacks %s: %s", path,
                  names[k], r.body);
  }
  it_response_free(&r);
}

/* A 404 problem with code not-found. */
static void expect_404(const char *path) {
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, path, &r), 0);
  ck_assert_msg(r.status == 404, "GET %s gave %ld, expected 404", path, r.status);
  it_assert_problem(&r, 404);
  assert_text_eq(str_of(r.json, "code"), "not-found");
  assert_text_eq(str_of(r.json, "type"), "urn:teamplotter:probleem:not-found");
  assert_text_eq(str_of(r.json, "title"), "Niet gevonden");
  ck_assert_ptr_null(json_object_get(r.json, "invalidParams"));
  it_response_free(&r);
}

/* The URL of relation `rel` in an RFC 8288 Link header, or NULL. */
static char *link_rel(const char *link, const char *rel) {
  if (link == NULL) return NULL;
  char want[64];
  snprintf(want, sizeof(want), "rel=\"%s\"", rel);
  const char *p = link;
  while ((p = strchr(p, '<')) != NULL) {
    const char *end = strchr(p, '>');
    if (end == NULL) return NULL;
    const char *next = strchr(end, '<');
    size_t params_len = next ? (size_t)(next - end) : strlen(end);
    char params[256];
    snprintf(params, sizeof(params), "%.*s", (int)params_len, end);
    if (strstr(params, want) != NULL) return strndup(p + 1, (size_t)(end - p - 1));
    p = end;
  }
  return NULL;
}

/* The numeric value of query parameter `name` in a URL, or -1. */
static long url_param(const char *url, const char *name) {
  const char *q = url ? strchr(url, '?') : NULL;
  size_t n = strlen(name);
  while (q != NULL) {
    q++;
    if (strncmp(q, name, n) == 0 && q[n] == '=') return atol(q + n + 1);
    q = strchr(q, '&');
  }
  return -1;
}

/* A file of the data pack, or NULL (with a note) when the pack is absent. */
static char pack_path[1024];

static int pack_file(const char *name) {
  snprintf(pack_path, sizeof(pack_path), "%s/../shared/data/%s", TEAMPLOTTER_SOURCE_DIR, name);
  if (access(pack_path, R_OK) != 0) {
    printf("note: %s is absent; comparison with the data pack skipped\n", pack_path);
    fflush(stdout);
    return 0;
  }
  return 1;
}

static json_t *load_pack(const char *name) {
  if (!pack_file(name)) return NULL;
  json_error_t err;
  json_t *doc = json_load_file(pack_path, 0, &err);
  ck_assert_msg(doc != NULL, "%s: %s", pack_path, err.text);
  return doc;
}

/* CBS size class from inhabitants (DESIGN.md). */
static long grootteklasse(long inwoners) {
  static const long bounds[] = {5000, 10000, 20000, 50000, 100000, 150000, 250000};
  for (long k = 0; k < 7; k++) {
    if (inwoners < bounds[k]) return k + 1;
  }
  return 8;
}

/* --- fixture ------------------------------------------------------------- */

static void remove_own_rows(void) {
  char sql[256];
  snprintf(sql, sizeof(sql),
           "DELETE FROM teamprofielen WHERE toelichting = '%s' AND NOT referentie", marker);
  it_sql_exec(it_database_url(), sql);
}

static void setup(void) {
  snprintf(marker, sizeof(marker), "it_catalogus-%d", (int)getpid());
  if (it_server_start(&srv, NULL) != 0) {
    fprintf(stderr, "test_catalogus: the server did not start\n");
    exit(1);
  }
}

static void teardown(void) {
  remove_own_rows();
  if (srv.pid > 0 && it_server_stop(&srv) != 0) {
    fprintf(stderr, "test_catalogus: the server did not stop cleanly\n");
    exit(1);
  }
}

/* --- seed counts and invariants ------------------------------------------ */

START_TEST(seed_counts_equal_the_tables) {
  static const struct {
    const char *path;
    const char *sql;
    long literal; /* from the data pack README; -1: none */
  } cases[] = {
      {"/api/v1/gemeenten", "SELECT count(*) FROM gemeenten", 355},
      {"/api/v1/gemeenten?referentie=true", "SELECT count(*) FROM gemeenten WHERE referentie", 7},
      {"/api/v1/gemeenten?referentie=false", "SELECT count(*) FROM gemeenten WHERE NOT referentie",
       348},
      {"/api/v1/teamprofielen?referentie=true",
       "SELECT count(*) FROM teamprofielen WHERE referentie", 7},
      {"/api/v1/succesverhalen", "SELECT count(*) FROM succesverhalen", 7},
      {"/api/v1/rolfamilies", "SELECT count(*) FROM rolfamilies", 6},
      {"/api/v1/rollen", "SELECT count(*) FROM rollen", 20},
      {"/api/v1/competenties", "SELECT count(*) FROM competenties", 39},
      {"/api/v1/succesfactoren", "SELECT count(*) FROM succesfactoren", -1},
      {"/api/v1/bronnen", "SELECT count(*) FROM bronnen", -1},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    json_t *page = get_json(cases[i].path, 200);
    long expected = sql_long("%s", cases[i].sql);
    ck_assert_msg(count_of(page) == expected, "%s: count %ld, SQL %ld", cases[i].path,
                  count_of(page), expected);
    if (cases[i].literal >= 0) ck_assert_int_eq(count_of(page), cases[i].literal);
    ck_assert_int_gt(count_of(page), 0);
    /* Without paging parameters a page holds at most 20. */
    long want = count_of(page) < 20 ? count_of(page) : 20;
    ck_assert_int_eq((long)json_array_size(results_of(page)), want);
    json_decref(page);
  }
}
END_TEST

START_TEST(every_role_has_tasks_and_competencies) {
  json_t *rollen = get_all("/api/v1/rollen");
  ck_assert_uint_eq(json_array_size(rollen), 20);
  size_t i;
  json_t *rol;
  json_array_foreach(rollen, i, rol) {
    const char *code = str_of(rol, "code");
    assert_code(code);
    json_t *taken = json_object_get(rol, "taken");
    json_t *comps = json_object_get(rol, "competenties");
    ck_assert_msg(json_array_size(taken) >= 3 && json_array_size(taken) <= 6, "%s has %zu tasks",
                  code, json_array_size(taken));
    ck_assert_msg(json_array_size(comps) >= 3 && json_array_size(comps) <= 6,
                  "%s has %zu competencies", code, json_array_size(comps));
    ck_assert_int_eq((long)json_array_size(taken),
                     sql_long("SELECT count(*) FROM rol_taken WHERE rol = '%s'", code));
    ck_assert_int_eq((long)json_array_size(comps),
                     sql_long("SELECT count(*) FROM rol_competenties WHERE rol = '%s'", code));
    /* 2-3 essential competencies, essentials first; levels 1-4. */
    size_t k, essentials = 0;
    json_t *c;
    int seen_optional = 0;
    json_array_foreach(comps, k, c) {
      json_int_t niveau = json_integer_value(json_object_get(c, "niveau"));
      ck_assert_msg(niveau >= 1 && niveau <= 4, "%s: level %lld", code, (long long)niveau);
      ck_assert(json_is_boolean(json_object_get(c, "essentieel")));
      ck_assert_ptr_nonnull(str_of(c, "naam"));
      if (json_is_true(json_object_get(c, "essentieel"))) {
        ck_assert_msg(!seen_optional, "%s: an essential competency after an optional one", code);
        essentials++;
      } else {
        seen_optional = 1;
      }
    }
    ck_assert_msg(essentials >= 2 && essentials <= 3, "%s has %zu essentials", code, essentials);
    ck_assert_ptr_nonnull(str_of(rol, "familie"));
    ck_assert_ptr_nonnull(str_of(rol, "omschrijving"));
    ck_assert_ptr_nonnull(str_of(rol, "herkomst"));
    ck_assert(json_is_boolean(json_object_get(rol, "kernrol")));
  }
  json_decref(rollen);

  /* Every competency is needed by at least one role. */
  json_t *comps = get_all("/api/v1/competenties");
  ck_assert_uint_eq(json_array_size(comps), 39);
  json_array_foreach(comps, i, rol) {
    ck_assert_msg(json_array_size(json_object_get(rol, "rollen")) > 0, "%s is needed by no role",
                  str_of(rol, "code"));
  }
  json_decref(comps);
}
END_TEST

/* --- roles and competencies against SQL and the data pack ---------------- */

START_TEST(role_competencies_and_tasks_equal_sql) {
  json_t *rollen = get_all("/api/v1/rollen");
  struct sbuf comps = {0}, taken = {0}, order = {0};
  size_t i, k;
  json_t *rol, *c;
  json_array_foreach(rollen, i, rol) {
    if (i > 0) {
      sb_add(&comps, ";");
      sb_add(&taken, ";");
      sb_add(&order, ",");
    }
    sb_add(&order, str_of(rol, "code"));
    sb_addf(&comps, "%s=", str_of(rol, "code"));
    json_array_foreach(json_object_get(rol, "competenties"), k, c) {
      sb_addf(&comps, "%s%s:%lld:%s", k ? "," : "", str_of(c, "code"),
              (long long)json_integer_value(json_object_get(c, "niveau")),
              json_is_true(json_object_get(c, "essentieel")) ? "true" : "false");
    }
    char *t = join(json_object_get(rol, "taken"), NULL, "|");
    sb_addf(&taken, "%s=%s", str_of(rol, "code"), t);
    free(t);
  }
  char *want_order = sqlf("SELECT string_agg(code, ',' ORDER BY volgorde) FROM rollen");
  char *want_comps = sqlf(
      "SELECT string_agg(r.code || '=' || (SELECT string_agg(rc.competentie || ':' || rc.niveau ||"
      " ':' || rc.essentieel, ',' ORDER BY rc.volgorde) FROM rol_competenties rc"
      " WHERE rc.rol = r.code), ';' ORDER BY r.volgorde) FROM rollen r");
  char *want_taken = sqlf(
      "SELECT string_agg(r.code || '=' || (SELECT string_agg(t.omschrijving, '|' ORDER BY"
      " t.volgorde) FROM rol_taken t WHERE t.rol = r.code), ';' ORDER BY r.volgorde)"
      " FROM rollen r");
  assert_text_eq(sb_str(&order), want_order);
  assert_text_eq(sb_str(&comps), want_comps);
  assert_text_eq(sb_str(&taken), want_taken);

  /* The detail of a role is the list item. */
  json_t *verbinder = get_json("/api/v1/rollen/verbinder", 200);
  ck_assert(json_equal(verbinder, find_by(rollen, "code", "verbinder")));
  json_decref(verbinder);

  free(want_order);
  free(want_comps);
  free(want_taken);
  free(comps.s);
  free(taken.s);
  free(order.s);
  json_decref(rollen);
}
END_TEST

START_TEST(competencies_list_the_roles_that_need_them) {
  json_t *comps = get_all("/api/v1/competenties");
  struct sbuf got = {0};
  size_t i, k;
  json_t *c, *r;
  json_array_foreach(comps, i, c) {
    sb_addf(&got, "%s%s=", i ? ";" : "", str_of(c, "code"));
    json_array_foreach(json_object_get(c, "rollen"), k, r) {
      sb_addf(&got, "%s%s:%lld:%s", k ? "," : "", str_of(r, "rol"),
              (long long)json_integer_value(json_object_get(r, "niveau")),
              json_is_true(json_object_get(r, "essentieel")) ? "true" : "false");
    }
  }
  char *want = sqlf(
      "SELECT string_agg(c.code || '=' || coalesce((SELECT string_agg(rc.rol || ':' || rc.niveau"
      " || ':' || rc.essentieel, ',' ORDER BY r.volgorde) FROM rol_competenties rc"
      " JOIN rollen r ON r.code = rc.rol WHERE rc.competentie = c.code), ''), ';'"
      " ORDER BY c.volgorde) FROM competenties c");
  assert_text_eq(sb_str(&got), want);
  free(want);
  free(got.s);

  /* Both directions tell the same story: (role, competency, level,
   * essential) from /rollen equals the same from /competenties. */
  json_t *rollen = get_all("/api/v1/rollen");
  char *from_roles[200], *from_comps[200];
  size_t nr = 0, nc = 0;
  json_array_foreach(rollen, i, r) {
    json_array_foreach(json_object_get(r, "competenties"), k, c) {
      ck_assert_uint_lt(nr, 200);
      char line[256];
      snprintf(line, sizeof(line), "%s %s %lld %d", str_of(r, "code"), str_of(c, "code"),
               (long long)json_integer_value(json_object_get(c, "niveau")),
               json_is_true(json_object_get(c, "essentieel")));
      from_roles[nr++] = strdup(line);
    }
  }
  json_array_foreach(comps, i, c) {
    json_array_foreach(json_object_get(c, "rollen"), k, r) {
      ck_assert_uint_lt(nc, 200);
      char line[256];
      snprintf(line, sizeof(line), "%s %s %lld %d", str_of(r, "rol"), str_of(c, "code"),
               (long long)json_integer_value(json_object_get(r, "niveau")),
               json_is_true(json_object_get(r, "essentieel")));
      from_comps[nc++] = strdup(line);
    }
  }
  ck_assert_uint_eq(nr, nc);
  char *a = sorted_set(from_roles, nr), *b = sorted_set(from_comps, nc);
  assert_text_eq(a, b);
  free(a);
  free(b);

  /* The detail of a competency is the list item. */
  json_t *one = get_json("/api/v1/competenties/bestuurlijke-sensitiviteit", 200);
  ck_assert(json_equal(one, find_by(comps, "code", "bestuurlijke-sensitiviteit")));
  ck_assert(in_array(json_object_get(one, "rollen"), "rol", "verbinder"));
  json_decref(one);
  json_decref(rollen);
  json_decref(comps);
}
END_TEST

START_TEST(catalogue_equals_the_data_pack) {
  json_t *pack = load_pack("catalogus.json");
  if (pack == NULL) return;
  json_t *prollen = json_object_get(pack, "rollen");
  json_t *pcomps = json_object_get(pack, "competenties");
  json_t *pfams = json_object_get(pack, "families");

  /* The catalogue version the root states. */
  json_t *root = get_json("/api/v1", 200);
  assert_text_eq(str_of(root, "catalogusVersie"), str_of(pack, "versie"));
  json_decref(root);

  /* Each role, by its detail URL, against the pack. */
  size_t i, k;
  json_t *prol, *pc;
  json_array_foreach(prollen, i, prol) {
    const char *code = str_of(prol, "code");
    assert_code(code);
    char path[256];
    snprintf(path, sizeof(path), "/api/v1/rollen/%s", code);
    json_t *rol = get_json(path, 200);
    static const char *const same[] = {"code",       "naam",        "familie",  "omschrijving",
                                       "kernrol",    "kernrolBron", "herkomst", "bronnen",
                                       "synoniemen", "taken"};
    for (size_t f = 0; f < sizeof(same) / sizeof(same[0]); f++) {
      ck_assert_msg(json_equal(json_object_get(rol, same[f]), json_object_get(prol, same[f])),
                    "role %s: %s differs from the data pack", code, same[f]);
    }
    ck_assert_msg(fabs(json_number_value(json_object_get(rol, "richtFteMinimum")) -
                       json_number_value(json_object_get(prol, "richtFteMinimum"))) < 1e-9,
                  "role %s: richtFteMinimum differs", code);
    json_t *comps = json_object_get(rol, "competenties");
    json_t *pcs = json_object_get(prol, "competenties");
    ck_assert_msg(json_array_size(comps) == json_array_size(pcs),
                  "role %s: %zu competencies, pack %zu", code, json_array_size(comps),
                  json_array_size(pcs));
    json_array_foreach(pcs, k, pc) {
      json_t *c = json_array_get(comps, k);
      ck_assert_msg(strcmp(str_of(c, "code"), str_of(pc, "code")) == 0,
                    "role %s competency %zu: %s, pack %s", code, k, str_of(c, "code"),
                    str_of(pc, "code"));
      ck_assert_int_eq(json_integer_value(json_object_get(c, "niveau")),
                       json_integer_value(json_object_get(pc, "niveau")));
      ck_assert(json_equal(json_object_get(c, "essentieel"), json_object_get(pc, "essentieel")));
    }
    json_decref(rol);
  }

  /* Competencies: same codes in the same order, and each lists exactly the
   * roles whose pack entry asks for it. */
  json_t *comps = get_all("/api/v1/competenties");
  ck_assert_uint_eq(json_array_size(comps), json_array_size(pcomps));
  json_array_foreach(pcomps, i, pc) {
    json_t *c = json_array_get(comps, i);
    assert_text_eq(str_of(c, "code"), str_of(pc, "code"));
    assert_text_eq(str_of(c, "naam"), str_of(pc, "naam"));
    assert_text_eq(str_of(c, "soort"), str_of(pc, "soort"));
    struct sbuf want = {0}, got = {0};
    sb_add(&want, "");
    sb_add(&got, "");
    size_t r;
    json_array_foreach(prollen, r, prol) {
      json_t *x;
      json_array_foreach(json_object_get(prol, "competenties"), k, x) {
        if (strcmp(str_of(x, "code"), str_of(pc, "code")) == 0) {
          sb_addf(&want, "%s:%lld:%d,", str_of(prol, "code"),
                  (long long)json_integer_value(json_object_get(x, "niveau")),
                  json_is_true(json_object_get(x, "essentieel")));
        }
      }
    }
    json_array_foreach(json_object_get(c, "rollen"), k, prol) {
      sb_addf(&got, "%s:%lld:%d,", str_of(prol, "rol"),
              (long long)json_integer_value(json_object_get(prol, "niveau")),
              json_is_true(json_object_get(prol, "essentieel")));
    }
    ck_assert_msg(strcmp(want.s, got.s) == 0, "competency %s: roles %s, pack %s",
                  str_of(pc, "code"), got.s, want.s);
    free(want.s);
    free(got.s);
  }
  json_decref(comps);

  /* Families in pack order, each with its roles in pack order. */
  json_t *fams = get_all("/api/v1/rolfamilies");
  ck_assert_uint_eq(json_array_size(fams), json_array_size(pfams));
  json_t *pf;
  json_array_foreach(pfams, i, pf) {
    json_t *f = json_array_get(fams, i);
    assert_text_eq(str_of(f, "code"), str_of(pf, "code"));
    assert_text_eq(str_of(f, "naam"), str_of(pf, "naam"));
    struct sbuf want = {0};
    sb_add(&want, "");
    json_array_foreach(prollen, k, prol) {
      if (strcmp(str_of(prol, "familie"), str_of(pf, "code")) == 0) {
        sb_addf(&want, "%s%s", want.len ? "," : "", str_of(prol, "code"));
      }
    }
    char *got = join(json_object_get(f, "rollen"), NULL, ",");
    assert_text_eq(got, want.s);
    free(got);
    free(want.s);
  }
  json_decref(fams);
  json_decref(pack);
}
END_TEST

START_TEST(role_families_match_the_roles) {
  json_t *fams = get_all("/api/v1/rolfamilies");
  char *order = join(fams, "code", ",");
  char *want = sqlf("SELECT string_agg(code, ',' ORDER BY volgorde) FROM rolfamilies");
  assert_text_eq(order, want);
  free(order);
  free(want);
  size_t i, total = 0;
  json_t *f;
  json_array_foreach(fams, i, f) {
    const char *code = str_of(f, "code");
    assert_code(code);
    char *rollen = join(json_object_get(f, "rollen"), NULL, ",");
    char *sql = sqlf(
        "SELECT coalesce(string_agg(code, ',' ORDER BY volgorde), '') FROM rollen"
        " WHERE familie = '%s'",
        code);
    assert_text_eq(rollen, sql);
    free(rollen);
    free(sql);
    total += json_array_size(json_object_get(f, "rollen"));
  }
  ck_assert_uint_eq(total, 20);
  json_decref(fams);
}
END_TEST

/* --- filters --------------------------------------------------------------- */

START_TEST(filter_familie) {
  json_t *fams = get_all("/api/v1/rolfamilies");
  size_t i, k;
  json_t *f, *rol;
  json_array_foreach(fams, i, f) {
    const char *code = str_of(f, "code");
    char path[256];
    snprintf(path, sizeof(path), "/api/v1/rollen?familie=%s", code);
    json_t *page = get_json(path, 200);
    ck_assert_int_eq(count_of(page),
                     sql_long("SELECT count(*) FROM rollen WHERE familie = '%s'", code));
    ck_assert_int_gt(count_of(page), 0);
    json_array_foreach(results_of(page), k, rol) assert_text_eq(str_of(rol, "familie"), code);
    char *got = join(results_of(page), "code", ",");
    char *want = join(json_object_get(f, "rollen"), NULL, ",");
    assert_text_eq(got, want);
    free(got);
    free(want);
    json_decref(page);
  }
  json_decref(fams);

  static const char *const familie[] = {"familie"};
  expect_400("/api/v1/rollen?familie=bestaat-niet", familie, 1);
  expect_400("/api/v1/rollen?familie=", familie, 1);
  /* A family that names nothing is reported together with other problems. */
  static const char *const two[] = {"familie", "pageSize"};
  expect_400("/api/v1/rollen?familie=bestaat-niet&pageSize=0", two, 2);

  /* Families combine with kernrol. */
  json_t *page = get_json("/api/v1/rollen?familie=kanalen-en-webcare&kernrol=true", 200);
  ck_assert_int_eq(count_of(page), 1);
  assert_text_eq(str_of(json_array_get(results_of(page), 0), "code"), "communitymanager");
  json_decref(page);
}
END_TEST

START_TEST(filter_kernrol) {
  /* The publication names exactly two core roles. */
  json_t *page = get_json("/api/v1/rollen?kernrol=true", 200);
  ck_assert_int_eq(count_of(page), 2);
  char *codes = join(results_of(page), "code", ",");
  char *want = sqlf("SELECT string_agg(code, ',' ORDER BY volgorde) FROM rollen WHERE kernrol");
  assert_text_eq(codes, want);
  assert_text_eq(codes, "verbinder,communitymanager");
  size_t i;
  json_t *rol;
  json_array_foreach(results_of(page), i, rol) {
    ck_assert(json_is_true(json_object_get(rol, "kernrol")));
    assert_text_eq(str_of(rol, "kernrolBron"), "publicatie");
    assert_text_eq(str_of(rol, "herkomst"), "publicatie");
  }
  free(codes);
  free(want);
  json_decref(page);

  page = get_json("/api/v1/rollen?kernrol=false", 200);
  ck_assert_int_eq(count_of(page), 18);
  ck_assert_int_eq(count_of(page), sql_long("SELECT count(*) FROM rollen WHERE NOT kernrol"));
  json_array_foreach(results_of(page), i, rol) {
    ck_assert(json_is_false(json_object_get(rol, "kernrol")));
    ck_assert(json_is_null(json_object_get(rol, "kernrolBron")));
  }
  json_decref(page);

  static const char *const kernrol[] = {"kernrol"};
  expect_400("/api/v1/rollen?kernrol=ja", kernrol, 1);
  expect_400("/api/v1/rollen?kernrol=1", kernrol, 1);
  expect_400("/api/v1/rollen?kernrol=", kernrol, 1);
}
END_TEST

START_TEST(filter_provincie) {
  json_t *page = get_json("/api/v1/gemeenten?provincie=Zeeland", 200);
  long zeeland = sql_long("SELECT count(*) FROM gemeenten WHERE provincie = 'Zeeland'");
  ck_assert_int_gt(zeeland, 0);
  ck_assert_int_eq(count_of(page), zeeland);
  size_t i;
  json_t *g;
  json_array_foreach(results_of(page), i, g) assert_text_eq(str_of(g, "provincie"), "Zeeland");
  json_decref(page);

  /* Every province, and together all 355. */
  static const char *const provincies[] = {
      "Drenthe",       "Flevoland",     "Friesland",  "Gelderland", "Groningen", "Limburg",
      "Noord-Brabant", "Noord-Holland", "Overijssel", "Utrecht",    "Zeeland",   "Zuid-Holland"};
  long total = 0;
  for (size_t p = 0; p < 12; p++) {
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/gemeenten?provincie=%s&pageSize=1", provincies[p]);
    page = get_json(path, 200);
    ck_assert_int_eq(
        count_of(page),
        sql_long("SELECT count(*) FROM gemeenten WHERE provincie = '%s'", provincies[p]));
    total += count_of(page);
    json_decref(page);
  }
  ck_assert_int_eq(total, 355);

  /* Combined with referentie: Heerenveen and De Fryske Marren. */
  page = get_json("/api/v1/gemeenten?provincie=Friesland&referentie=true", 200);
  char *codes = join(results_of(page), "code", ",");
  char *want = sqlf(
      "SELECT string_agg(code, ',' ORDER BY code) FROM gemeenten"
      " WHERE provincie = 'Friesland' AND referentie");
  assert_text_eq(codes, want);
  assert_text_eq(codes, "GM0074,GM1940");
  free(codes);
  free(want);
  json_decref(page);

  static const char *const provincie[] = {"provincie"};
  expect_400("/api/v1/gemeenten?provincie=Atlantis", provincie, 1);
  expect_400("/api/v1/gemeenten?provincie=zeeland", provincie, 1);
  expect_400("/api/v1/gemeenten?provincie=", provincie, 1);
}
END_TEST

START_TEST(filter_grootteklasse) {
  json_t *page = get_json("/api/v1/gemeenten?grootteklasse=8", 200);
  long big = sql_long("SELECT count(*) FROM gemeenten WHERE inwoners >= 250000");
  ck_assert_int_eq(count_of(page), big);
  ck_assert_int_gt(big, 0);
  size_t i;
  json_t *g;
  json_array_foreach(results_of(page), i, g) {
    ck_assert_int_ge(json_integer_value(json_object_get(g, "inwoners")), 250000);
    ck_assert_int_eq(json_integer_value(json_object_get(g, "grootteklasse")), 8);
  }
  json_decref(page);

  long total = 0;
  static const long bounds[] = {0, 5000, 10000, 20000, 50000, 100000, 150000, 250000, 1L << 40};
  for (long k = 1; k <= 8; k++) {
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/gemeenten?grootteklasse=%ld&pageSize=100", k);
    page = get_json(path, 200);
    ck_assert_int_eq(
        count_of(page),
        sql_long("SELECT count(*) FROM gemeenten WHERE inwoners >= %ld AND inwoners < %ld",
                 bounds[k - 1], bounds[k]));
    json_array_foreach(results_of(page), i, g) {
      ck_assert_int_eq(json_integer_value(json_object_get(g, "grootteklasse")), k);
    }
    total += count_of(page);
    json_decref(page);
  }
  ck_assert_int_eq(total, 355);

  static const char *const klasse[] = {"grootteklasse"};
  expect_400("/api/v1/gemeenten?grootteklasse=0", klasse, 1);
  expect_400("/api/v1/gemeenten?grootteklasse=9", klasse, 1);
  expect_400("/api/v1/gemeenten?grootteklasse=groot", klasse, 1);
  expect_400("/api/v1/gemeenten?grootteklasse=7.5", klasse, 1);
}
END_TEST

START_TEST(filter_referentie) {
  json_t *page = get_json("/api/v1/gemeenten?referentie=true", 200);
  ck_assert_int_eq(count_of(page), 7);
  char *codes = join(results_of(page), "code", ",");
  char *want = sqlf("SELECT string_agg(code, ',' ORDER BY code) FROM gemeenten WHERE referentie");
  assert_text_eq(codes, want);
  assert_text_eq(codes, "GM0050,GM0074,GM0344,GM0394,GM0715,GM0855,GM1940");
  for (size_t i = 0; SEVEN[i] != NULL; i++) {
    ck_assert(in_array(results_of(page), "code", SEVEN[i]));
  }
  free(codes);
  free(want);
  json_decref(page);

  json_t *rest = get_all("/api/v1/gemeenten?referentie=false");
  ck_assert_uint_eq(json_array_size(rest), 348);
  size_t i;
  json_t *g;
  json_array_foreach(rest, i, g) ck_assert(json_is_false(json_object_get(g, "referentie")));
  json_decref(rest);

  static const char *const referentie[] = {"referentie"};
  expect_400("/api/v1/gemeenten?referentie=misschien", referentie, 1);
}
END_TEST

/* zoek: case- and accent-insensitive on roles, competencies and
 * municipalities. */
static void expect_zoek(const char *collection, const char *term, const char *codes) {
  char path[512];
  snprintf(path, sizeof(path), "/api/v1/%s?zoek=%s&pageSize=100", collection, term);
  json_t *page = get_json(path, 200);
  char *got = join(results_of(page), "code", ",");
  ck_assert_msg(strcmp(got, codes) == 0, "%s: %s, expected %s", path, got, codes);
  free(got);
  json_decref(page);
}

START_TEST(zoek_ignores_case_and_accents) {
  /* De Fryske Marren, however it is typed. */
  static const char *const fryske[] = {"fryske",
                                       "FRYSKE",
                                       "Fryske",
                                       "Frysk%C3%A9",
                                       "FRYSK%C3%89",
                                       "fr%C3%BDsk%C3%AB",
                                       "de%20fryske%20marren",
                                       "De+Fryske+Marren"};
  for (size_t i = 0; i < sizeof(fryske) / sizeof(fryske[0]); i++) {
    expect_zoek("gemeenten", fryske[i], "GM1940");
  }
  expect_zoek("gemeenten", "zeewolde", "GM0050");
  expect_zoek("gemeenten", "ZEEWOLDE", "GM0050");
  expect_zoek("gemeenten", "Z%C3%A9%C3%A9wolde", "GM0050");
  /* Accents in the data: Súdwest-Fryslân found without them and in capitals. */
  expect_zoek("gemeenten", "sudwest", "GM1900");
  expect_zoek("gemeenten", "S%C3%9ADWEST", "GM1900");
  char *fryslan = sqlf(
      "SELECT string_agg(code, ',' ORDER BY code) FROM gemeenten"
      " WHERE lower(naam) LIKE '%%fryslân%%'");
  assert_text_eq(fryslan, "GM1900,GM1970");
  expect_zoek("gemeenten", "fryslan", fryslan);
  expect_zoek("gemeenten", "FRYSL%C3%82N", fryslan);
  free(fryslan);
  /* No wildcards: % and _ are plain characters no name contains. */
  expect_zoek("gemeenten", "%25", "");
  expect_zoek("gemeenten", "_", "");
  expect_zoek("gemeenten", "xyzzy", "");

  /* Roles: names, descriptions and synonyms. */
  expect_zoek("rollen", "ambassadeur", "verbinder");
  expect_zoek("rollen", "AMBASSADEUR", "verbinder");
  expect_zoek("rollen", "%C3%A9%C3%A9n%20functie", "verbinder");
  expect_zoek("rollen", "EEN+FUNCTIE", "verbinder");
  char *redacteur = sqlf(
      "SELECT string_agg(code, ',' ORDER BY volgorde) FROM rollen"
      " WHERE naam ILIKE '%%redacteur%%'");
  ck_assert_ptr_nonnull(strstr(redacteur, "webredacteur"));
  json_t *a = get_json("/api/v1/rollen?zoek=redacteur", 200);
  json_t *b = get_json("/api/v1/rollen?zoek=REDACTEUR", 200);
  ck_assert(json_equal(results_of(a), results_of(b)));
  /* Every role named redacteur is found (possibly more, by description). */
  char *names = redacteur, *save = NULL;
  for (char *code = strtok_r(names, ",", &save); code; code = strtok_r(NULL, ",", &save)) {
    ck_assert_msg(in_array(results_of(a), "code", code), "zoek=redacteur misses %s", code);
  }
  free(redacteur);
  json_decref(a);
  json_decref(b);

  /* Competencies: name and description. */
  a = get_json("/api/v1/competenties?zoek=sensitiviteit", 200);
  b = get_json("/api/v1/competenties?zoek=SENSITIVITEIT", 200);
  ck_assert_int_ge(count_of(a), 1);
  ck_assert(in_array(results_of(a), "code", "bestuurlijke-sensitiviteit"));
  ck_assert(json_equal(results_of(a), results_of(b)));
  json_decref(a);
  json_decref(b);

  static const char *const zoek[] = {"zoek"};
  expect_400("/api/v1/gemeenten?zoek=", zoek, 1);
  expect_400("/api/v1/rollen?zoek=", zoek, 1);
  expect_400("/api/v1/competenties?zoek=", zoek, 1);
  /* At most 100: 100 is answered, 101 is not. */
  char path[512];
  char long_term[102];
  memset(long_term, 'a', 100);
  long_term[100] = '\0';
  expect_zoek("gemeenten", long_term, "");
  long_term[100] = 'a';
  long_term[101] = '\0';
  snprintf(path, sizeof(path), "/api/v1/gemeenten?zoek=%s", long_term);
  expect_400(path, zoek, 1);
  /* zoek on a collection without it is an unknown key. */
  expect_400("/api/v1/succesfactoren?zoek=data", zoek, 1);
}
END_TEST

/* --- paging -------------------------------------------------------------- */

START_TEST(paging_edges) {
  json_t *all = get_all("/api/v1/rollen");
  ck_assert_uint_eq(json_array_size(all), 20);

  struct it_response r;
  json_t *seen = json_array();
  for (long page = 1; page <= 3; page++) {
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/rollen?pageSize=7&page=%ld", page);
    ck_assert_int_eq(it_get(&srv, path, &r), 0);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(count_of(r.json), 20);
    ck_assert_uint_eq(json_array_size(results_of(r.json)), page < 3 ? 7 : 6);
    json_array_extend(seen, results_of(r.json));
    const char *link = it_header(&r, "Link");
    ck_assert_ptr_nonnull(link);
    char *last = link_rel(link, "last"), *first = link_rel(link, "first");
    char *next = link_rel(link, "next"), *prev = link_rel(link, "prev");
    ck_assert_int_eq(url_param(last, "page"), 3);
    ck_assert_int_eq(url_param(last, "pageSize"), 7);
    ck_assert_int_eq(url_param(first, "page"), 1);
    ck_assert_int_eq(url_param(first, "pageSize"), 7);
    const char *bnext = str_of(r.json, "next"), *bprev = str_of(r.json, "previous");
    if (page < 3) {
      ck_assert_ptr_nonnull(bnext);
      ck_assert_int_eq(url_param(bnext, "page"), page + 1);
      ck_assert_int_eq(url_param(bnext, "pageSize"), 7);
      ck_assert_ptr_nonnull(next);
      assert_text_eq(next, bnext);
    } else {
      ck_assert(json_is_null(json_object_get(r.json, "next")));
      ck_assert_ptr_null(next);
    }
    if (page > 1) {
      ck_assert_ptr_nonnull(bprev);
      ck_assert_int_eq(url_param(bprev, "page"), page - 1);
      ck_assert_ptr_nonnull(prev);
      assert_text_eq(prev, bprev);
    } else {
      ck_assert(json_is_null(json_object_get(r.json, "previous")));
      ck_assert_ptr_null(prev);
    }
    free(last);
    free(first);
    free(next);
    free(prev);
    it_response_free(&r);
  }
  /* The three pages are the whole list, in the same order, once. */
  ck_assert(json_equal(seen, all));
  json_decref(seen);
  json_decref(all);

  /* Past the end: 200, no results, the right count, no next. */
  json_t *past = get_json("/api/v1/rollen?page=99&pageSize=7", 200);
  ck_assert_int_eq(count_of(past), 20);
  ck_assert_uint_eq(json_array_size(results_of(past)), 0);
  ck_assert(json_is_array(results_of(past)));
  ck_assert(json_is_null(json_object_get(past, "next")));
  const char *prev = str_of(past, "previous");
  if (prev != NULL) ck_assert_int_le(url_param(prev, "page"), 3);
  json_decref(past);
  past = get_json("/api/v1/gemeenten?page=1000000&pageSize=100", 200);
  ck_assert_int_eq(count_of(past), 355);
  ck_assert_uint_eq(json_array_size(results_of(past)), 0);
  json_decref(past);

  /* An empty result: count 0, one (empty) page. */
  ck_assert_int_eq(it_get(&srv, "/api/v1/gemeenten?zoek=xyzzy", &r), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert_int_eq(count_of(r.json), 0);
  ck_assert(json_is_null(json_object_get(r.json, "next")));
  ck_assert(json_is_null(json_object_get(r.json, "previous")));
  char *last = link_rel(it_header(&r, "Link"), "last");
  ck_assert_int_eq(url_param(last, "page"), 1);
  free(last);
  it_response_free(&r);

  /* Default page size 20; at most 100. */
  ck_assert_int_eq(it_get(&srv, "/api/v1/gemeenten", &r), 0);
  ck_assert_uint_eq(json_array_size(results_of(r.json)), 20);
  ck_assert_int_eq(url_param(str_of(r.json, "next"), "page"), 2);
  ck_assert_int_eq(url_param(str_of(r.json, "next"), "pageSize"), 20);
  last = link_rel(it_header(&r, "Link"), "last");
  ck_assert_int_eq(url_param(last, "page"), 18);
  free(last);
  it_response_free(&r);
  json_t *p4 = get_json("/api/v1/gemeenten?pageSize=100&page=4", 200);
  ck_assert_uint_eq(json_array_size(results_of(p4)), 55);
  ck_assert(json_is_null(json_object_get(p4, "next")));
  json_decref(p4);
  json_t *one = get_json("/api/v1/gemeenten?pageSize=1&page=355", 200);
  ck_assert_uint_eq(json_array_size(results_of(one)), 1);
  char *lastcode = sqlf("SELECT max(code) FROM gemeenten");
  assert_text_eq(str_of(json_array_get(results_of(one), 0), "code"), lastcode);
  free(lastcode);
  json_decref(one);

  static const char *const page_size[] = {"pageSize"};
  static const char *const page[] = {"page"};
  expect_400("/api/v1/rollen?pageSize=0", page_size, 1);
  expect_400("/api/v1/rollen?pageSize=101", page_size, 1);
  expect_400("/api/v1/gemeenten?pageSize=101", page_size, 1);
  expect_400("/api/v1/gemeenten?pageSize=-1", page_size, 1);
  expect_400("/api/v1/gemeenten?pageSize=1.5", page_size, 1);
  expect_400("/api/v1/gemeenten?pageSize=", page_size, 1);
  expect_400("/api/v1/bronnen?pageSize=abc", page_size, 1);
  expect_400("/api/v1/rollen?page=0", page, 1);
  expect_400("/api/v1/rollen?page=-3", page, 1);
  expect_400("/api/v1/rollen?page=een", page, 1);
  expect_400("/api/v1/rollen?page=99999999999999999999999", page, 1);
  expect_400("/api/v1/rollen?page=1&page=2", page, 1);
}
END_TEST

START_TEST(links_next_previous_are_consistent) {
  /* Forward along next: 8 pages of 50, all 355 codes once, ascending. */
  char url[2048] = "/api/v1/gemeenten?pageSize=50";
  struct sbuf codes = {0};
  sb_add(&codes, "");
  long pages = 0;
  char prev_code[16] = "";
  char last_url[2048] = "";
  for (;;) {
    struct it_response r;
    ck_assert_int_eq(it_get(&srv, url, &r), 0);
    ck_assert_int_eq(r.status, 200);
    pages++;
    ck_assert_int_le(pages, 8);
    ck_assert_int_eq(count_of(r.json), 355);
    const char *link = it_header(&r, "Link");
    char *lnext = link_rel(link, "next"), *lprev = link_rel(link, "prev");
    char *llast = link_rel(link, "last"), *lfirst = link_rel(link, "first");
    const char *bnext = str_of(r.json, "next"), *bprev = str_of(r.json, "previous");
    ck_assert_msg((lnext == NULL) == (bnext == NULL), "%s: Link next and body next disagree", url);
    ck_assert_msg((lprev == NULL) == (bprev == NULL), "%s: Link prev and body previous disagree",
                  url);
    if (lnext) assert_text_eq(lnext, bnext);
    if (lprev) assert_text_eq(lprev, bprev);
    ck_assert_int_eq(url_param(llast, "page"), 8);
    ck_assert_int_eq(url_param(lfirst, "page"), 1);
    ck_assert_int_eq(url_param(lfirst, "pageSize"), 50);
    snprintf(last_url, sizeof(last_url), "%s", llast);
    size_t i;
    json_t *g;
    json_array_foreach(results_of(r.json), i, g) {
      const char *code = str_of(g, "code");
      ck_assert_msg(strcmp(prev_code, code) < 0, "order: %s after %s", code, prev_code);
      snprintf(prev_code, sizeof(prev_code), "%s", code);
      sb_addf(&codes, "%s%s", codes.len ? "," : "", code);
    }
    if (bnext) snprintf(url, sizeof(url), "%s", bnext);
    free(lnext);
    free(lprev);
    free(llast);
    free(lfirst);
    it_response_free(&r);
    if (bnext == NULL) break;
  }
  ck_assert_int_eq(pages, 8);
  char *want = sqlf("SELECT string_agg(code, ',' ORDER BY code) FROM gemeenten");
  assert_text_eq(codes.s, want);
  free(want);
  free(codes.s);

  /* Backward along previous from the last page: 8 pages again. */
  snprintf(url, sizeof(url), "%s", last_url);
  pages = 0;
  for (;;) {
    json_t *page = get_json(url, 200);
    pages++;
    ck_assert_int_le(pages, 8);
    const char *prev = str_of(page, "previous");
    if (prev) snprintf(url, sizeof(url), "%s", prev);
    json_decref(page);
    if (prev == NULL) break;
  }
  ck_assert_int_eq(pages, 8);

  /* Links keep the filters: following next stays in the province. */
  long want_count = sql_long("SELECT count(*) FROM gemeenten WHERE provincie = 'Zuid-Holland'");
  snprintf(url, sizeof(url), "/api/v1/gemeenten?provincie=Zuid-Holland&pageSize=10");
  long seen = 0;
  for (int guard = 0; guard < 20; guard++) {
    json_t *page = get_json(url, 200);
    size_t i;
    json_t *g;
    json_array_foreach(results_of(page), i, g) {
      assert_text_eq(str_of(g, "provincie"), "Zuid-Holland");
      seen++;
    }
    const char *next = str_of(page, "next");
    if (next) {
      ck_assert_ptr_nonnull(strstr(next, "provincie=Zuid-Holland"));
      snprintf(url, sizeof(url), "%s", next);
    }
    json_decref(page);
    if (next == NULL) break;
  }
  ck_assert_int_eq(seen, want_count);

  /* A search term with characters that need encoding survives the links. */
  json_t *page = get_json("/api/v1/gemeenten?zoek=S%C3%BAdwest&pageSize=1&page=1", 200);
  ck_assert_int_eq(count_of(page), 1);
  json_decref(page);
  page = get_json("/api/v1/gemeenten?zoek=a&pageSize=1", 200);
  const char *next = str_of(page, "next");
  ck_assert_ptr_nonnull(next);
  json_t *second = get_json(next, 200);
  ck_assert_int_eq(count_of(second), count_of(page));
  json_decref(second);
  json_decref(page);
}
END_TEST

START_TEST(invalid_params_are_all_named_at_once) {
  static const char *const four[] = {"page", "pageSize", "kernrol", "foo"};
  expect_400("/api/v1/rollen?page=0&pageSize=101&kernrol=ja&foo=1", four, 4);
  static const char *const gemeenten[] = {"provincie", "grootteklasse", "referentie", "zoek",
                                          "sorteer"};
  expect_400(
      "/api/v1/gemeenten?provincie=Atlantis&grootteklasse=9&referentie=misschien&zoek="
      "&sorteer=naam",
      gemeenten, 5);
  /* Unknown keys, on collections and on items. */
  static const char *const foo[] = {"foo"};
  static const char *const unknown_item[] = {"expand"};
  expect_400("/api/v1/rolfamilies?foo=1", foo, 1);
  expect_400("/api/v1/succesfactoren?foo=1", foo, 1);
  expect_400("/api/v1/succesverhalen?foo=1", foo, 1);
  expect_400("/api/v1/bronnen?foo=1", foo, 1);
  expect_400("/api/v1/competenties?foo=", foo, 1);
  expect_400("/api/v1/rollen/verbinder?expand=competenties", unknown_item, 1);
  expect_400("/api/v1/gemeenten/GM0855?foo=1", foo, 1);
  expect_400("/api/v1/succesverhalen/GM0855?foo=1", foo, 1);
  expect_400("/api/v1/competenties/bestuurlijke-sensitiviteit?foo=1", foo, 1);
  expect_400("/api/v1/succesfactoren/sturen-op-data?foo=1", foo, 1);
  /* A filter of another collection is unknown here. */
  static const char *const familie[] = {"familie"};
  expect_400("/api/v1/gemeenten?familie=regie-en-strategie", familie, 1);
  /* The reasons are specific: the codes differ by kind of problem. */
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, "/api/v1/rollen?page=0&pageSize=101&kernrol=ja&foo=1", &r), 0);
  json_t *invalid = json_object_get(r.json, "invalidParams");
  assert_text_eq(str_of(find_by(invalid, "name", "page"), "code"), "min-value");
  assert_text_eq(str_of(find_by(invalid, "name", "pageSize"), "code"), "max-value");
  assert_text_eq(str_of(find_by(invalid, "name", "foo"), "code"), "unknown-parameter");
  ck_assert_int_eq(json_integer_value(json_object_get(r.json, "status")), 400);
  ck_assert_ptr_nonnull(strstr(str_of(r.json, "detail"), "4"));
  it_response_free(&r);
}
END_TEST

/* --- ETags, determinism, 404 ---------------------------------------------- */

static void etag_round_trip(const char *path) {
  struct it_response a, b, c;
  ck_assert_int_eq(it_get(&srv, path, &a), 0);
  ck_assert_int_eq(a.status, 200);
  const char *etag = it_header(&a, "ETag");
  ck_assert_ptr_nonnull(etag);
  ck_assert_msg(etag[0] == '"' && etag[strlen(etag) - 1] == '"' && strlen(etag) > 2,
                "%s: ETag %s is not a strong entity tag", path, etag);

  /* Determinism: the same request gives the same bytes and tag. */
  ck_assert_int_eq(it_get(&srv, path, &b), 0);
  ck_assert_int_eq(b.status, 200);
  assert_text_eq(it_header(&b, "ETag"), etag);
  ck_assert_uint_eq(a.body_len, b.body_len);
  ck_assert(memcmp(a.body, b.body, a.body_len) == 0);
  it_response_free(&b);

  /* 304 with no body, still with API-Version and the ETag. */
  char inm[256];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
  const char *h[] = {inm, NULL};
  ck_assert_int_eq(it_request(&srv, "GET", path, h, NULL, 0, &c), 0);
  ck_assert_msg(c.status == 304, "%s with If-None-Match gave %ld", path, c.status);
  ck_assert_uint_eq(c.body_len, 0);
  it_assert_conventions(&c);
  ck_assert_ptr_nonnull(it_header(&c, "ETag"));
  assert_text_eq(it_header(&c, "ETag"), etag);
  it_response_free(&c);

  /* One of a list; the weak form (If-None-Match compares weakly). */
  snprintf(inm, sizeof(inm), "If-None-Match: \"stale\", W/%s", etag);
  ck_assert_int_eq(it_request(&srv, "GET", path, h, NULL, 0, &c), 0);
  ck_assert_int_eq(c.status, 304);
  ck_assert_uint_eq(c.body_len, 0);
  it_response_free(&c);

  /* A stale tag gets the full representation. */
  const char *stale[] = {"If-None-Match: \"0000\"", NULL};
  ck_assert_int_eq(it_request(&srv, "GET", path, stale, NULL, 0, &c), 0);
  ck_assert_int_eq(c.status, 200);
  ck_assert_uint_eq(c.body_len, a.body_len);
  assert_text_eq(it_header(&c, "ETag"), etag);
  it_response_free(&c);
  it_response_free(&a);
}

START_TEST(etag_and_304_on_details_and_collections) {
  etag_round_trip("/api/v1/rollen/verbinder");
  etag_round_trip("/api/v1/competenties/bestuurlijke-sensitiviteit");
  etag_round_trip("/api/v1/gemeenten/GM0855");
  etag_round_trip("/api/v1/succesverhalen/GM0855");
  etag_round_trip("/api/v1/gemeenten?provincie=Zeeland");
  etag_round_trip("/api/v1/gemeenten?pageSize=100&page=2");
  etag_round_trip("/api/v1/rollen");
  etag_round_trip("/api/v1/teamprofielen?referentie=true");
  etag_round_trip("/api/v1");

  /* Different representations have different tags. */
  struct it_response a, b;
  ck_assert_int_eq(it_get(&srv, "/api/v1/gemeenten?page=1", &a), 0);
  ck_assert_int_eq(it_get(&srv, "/api/v1/gemeenten?page=2", &b), 0);
  ck_assert_str_ne(it_header(&a, "ETag"), it_header(&b, "ETag"));
  /* and a tag of one page does not answer 304 for another. */
  char inm[256];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", it_header(&a, "ETag"));
  it_response_free(&b);
  const char *h[] = {inm, NULL};
  ck_assert_int_eq(it_request(&srv, "GET", "/api/v1/gemeenten?page=2", h, NULL, 0, &b), 0);
  ck_assert_int_eq(b.status, 200);
  it_response_free(&a);
  it_response_free(&b);
}
END_TEST

START_TEST(unknown_codes_are_404_problems) {
  static const char *const paths[] = {
      "/api/v1/rollen/bestaat-niet",
      "/api/v1/rollen/VERBINDER",
      "/api/v1/competenties/bestaat-niet",
      "/api/v1/succesfactoren/bestaat-niet",
      "/api/v1/gemeenten/GM9999",
      "/api/v1/gemeenten/gm0855",
      "/api/v1/gemeenten/0855",
      "/api/v1/gemeenten/GM0855%00",
      "/api/v1/gemeenten/GM0855%20",
      "/api/v1/gemeenten/..%2F..%2Fetc%2Fpasswd",
      "/api/v1/gemeenten/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
      "/api/v1/rollen/../../etc/passwd",
      "/api/v1/rollen/verbinder%27%20OR%20%271%27=%271",
      "/api/v1/succesverhalen/GM0363", /* Amsterdam: a municipality without a story */
      "/api/v1/succesverhalen/GM9999",
      "/api/v1/teamprofielen/not-a-uuid",
      "/api/v1/teamprofielen/00000000-0000-0000-0000-000000000000",
      "/api/v1/teamprofielen/b8430267-e1ed-5696-adeb",
      "/api/v1/rollen/verbinder/",
      "/api/v1/rollen/",
  };
  for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) expect_404(paths[i]);

  /* The detail names what was not found, and never echoes SQL. */
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, "/api/v1/rollen/bestaat-niet", &r), 0);
  ck_assert_ptr_nonnull(strstr(str_of(r.json, "detail"), "rol"));
  ck_assert_ptr_null(strstr(r.body, "SELECT"));
  it_response_free(&r);
}
END_TEST

START_TEST(unsupported_accept_is_406_on_the_catalogue) {
  static const char *const paths[] = {"/api/v1/rollen", "/api/v1/rollen/verbinder",
                                      "/api/v1/gemeenten?provincie=Zeeland",
                                      "/api/v1/teamprofielen?referentie=true"};
  const char *h[] = {"Accept: application/xml", NULL};
  for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
    struct it_response r;
    ck_assert_int_eq(it_request(&srv, "GET", paths[i], h, NULL, 0, &r), 0);
    ck_assert_msg(r.status == 406, "%s gave %ld", paths[i], r.status);
    it_assert_problem(&r, 406);
    it_response_free(&r);
  }
}
END_TEST

/* --- municipalities -------------------------------------------------------- */

START_TEST(municipalities_equal_sql_and_size_classes) {
  json_t *all = get_all("/api/v1/gemeenten");
  ck_assert_uint_eq(json_array_size(all), 355);
  struct sbuf got = {0};
  size_t i;
  json_t *g;
  json_array_foreach(all, i, g) {
    long inwoners = (long)json_integer_value(json_object_get(g, "inwoners"));
    sb_addf(&got, "%s%s:%ld:%s:%s", i ? "," : "", str_of(g, "code"), inwoners,
            str_of(g, "provincie"), str_of(g, "peildatum"));
    /* The CBS size class, computed here from the inhabitants. */
    ck_assert_msg(
        json_integer_value(json_object_get(g, "grootteklasse")) == grootteklasse(inwoners),
        "%s: grootteklasse %lld for %ld inhabitants", str_of(g, "code"),
        (long long)json_integer_value(json_object_get(g, "grootteklasse")), inwoners);
    int reference = 0;
    for (size_t k = 0; SEVEN[k] != NULL; k++) reference |= strcmp(SEVEN[k], str_of(g, "code")) == 0;
    ck_assert_msg(json_is_true(json_object_get(g, "referentie")) == reference, "%s: referentie",
                  str_of(g, "code"));
    ck_assert(json_is_array(json_object_get(g, "bronnen")));
  }
  char *want = sqlf(
      "SELECT string_agg(code || ':' || inwoners || ':' || provincie || ':' ||"
      " peildatum, ',' ORDER BY code) FROM gemeenten");
  assert_text_eq(got.s, want);
  free(want);
  free(got.s);

  /* One municipality by code equals its list item and the table. */
  json_t *tilburg = get_json("/api/v1/gemeenten/GM0855", 200);
  ck_assert(json_equal(tilburg, find_by(all, "code", "GM0855")));
  assert_text_eq(str_of(tilburg, "naam"), "Tilburg");
  ck_assert_int_eq(json_integer_value(json_object_get(tilburg, "inwoners")),
                   sql_long("SELECT inwoners FROM gemeenten WHERE code = 'GM0855'"));
  ck_assert(json_is_true(json_object_get(tilburg, "referentie")));
  json_decref(tilburg);
  json_decref(all);
}
END_TEST

/* Splits one CSV line (RFC 4180 quoting) into fields, in place; returns
 * the number of fields, or max + 1 when there are more. */
static size_t csv_split(char *line, char **fields, size_t max) {
  size_t n = 0;
  char *p = line;
  for (;;) {
    if (n == max) return max + 1;
    if (*p == '"') {
      char *out = ++p;
      fields[n++] = out;
      while (*p != '\0') {
        if (*p == '"' && p[1] == '"') {
          *out++ = '"';
          p += 2;
        } else if (*p == '"') {
          p++;
          break;
        } else {
          *out++ = *p++;
        }
      }
      char sep = *p;
      *out = '\0';
      if (sep != ',') return n;
      p++;
      continue;
    }
    fields[n++] = p;
    char *comma = strchr(p, ',');
    if (comma == NULL) return n;
    *comma = '\0';
    p = comma + 1;
  }
}

START_TEST(municipalities_equal_the_data_pack) {
  if (!pack_file("gemeenten-2020.csv")) return;
  FILE *f = fopen(pack_path, "r");
  ck_assert_ptr_nonnull(f);
  json_t *all = get_all("/api/v1/gemeenten");
  char line[1024];
  size_t rows = 0;
  ck_assert_ptr_nonnull(fgets(line, sizeof(line), f)); /* header */
  ck_assert_ptr_nonnull(strstr(line, "code,naam,provincie,inwoners,peildatum"));
  while (fgets(line, sizeof(line), f) != NULL) {
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '\0') continue;
    char *fields[5];
    ck_assert_uint_eq(csv_split(line, fields, 5), 5);
    const json_t *g = find_by(all, "code", fields[0]);
    ck_assert_msg(g != NULL, "%s from the pack is not served", fields[0]);
    assert_text_eq(str_of(g, "naam"), fields[1]);
    assert_text_eq(str_of(g, "provincie"), fields[2]);
    ck_assert_int_eq(json_integer_value(json_object_get(g, "inwoners")), atol(fields[3]));
    assert_text_eq(str_of(g, "peildatum"), fields[4]);
    rows++;
  }
  fclose(f);
  ck_assert_uint_eq(rows, 355);
  ck_assert_uint_eq(json_array_size(all), rows);
  /* The one name with a comma in it. */
  assert_text_eq(str_of(find_by(all, "code", "GM0820"), "naam"), "Nuenen, Gerwen en Nederwetten");
  json_decref(all);
}
END_TEST

/* --- reference team profiles --------------------------------------------- */

START_TEST(reference_profiles_are_public) {
  json_t *page = get_json("/api/v1/teamprofielen?referentie=true", 200);
  ck_assert_int_eq(count_of(page), 7);
  ck_assert_uint_eq(json_array_size(results_of(page)), 7);
  char *gemeenten = join(results_of(page), "gemeente", ",");
  char *want = sqlf(
      "SELECT string_agg(gemeente, ',' ORDER BY gemeente) FROM teamprofielen"
      " WHERE referentie");
  assert_text_eq(gemeenten, want);
  assert_text_eq(gemeenten, "GM0050,GM0074,GM0344,GM0394,GM0715,GM0855,GM1940");
  free(gemeenten);
  free(want);

  size_t i, k, m;
  json_t *p, *lid, *rol;
  json_array_foreach(results_of(page), i, p) {
    const char *uuid = str_of(p, "uuid");
    assert_code(uuid);
    ck_assert_uint_eq(strlen(uuid), 36);
    ck_assert(json_is_true(json_object_get(p, "referentie")));
    /* totaalFte is the sum of the members' fte, in SQL and in the body. */
    double totaal = json_number_value(json_object_get(p, "totaalFte"));
    double sql = sql_double("SELECT sum(fte) FROM teamleden WHERE profiel = '%s'", uuid);
    ck_assert_msg(fabs(totaal - sql) < 1e-9, "%s: totaalFte %g, SQL %g", uuid, totaal, sql);
    double sum = 0;
    json_t *leden = json_object_get(p, "leden");
    ck_assert_int_eq((long)json_array_size(leden),
                     sql_long("SELECT count(*) FROM teamleden WHERE profiel = '%s'", uuid));
    json_array_foreach(leden, k, lid) {
      double fte = json_number_value(json_object_get(lid, "fte"));
      ck_assert(fte > 0 && fte <= 1.5);
      sum += fte;
      double shares = 0;
      json_array_foreach(json_object_get(lid, "rollen"), m, rol) {
        shares += json_number_value(json_object_get(rol, "aandeel"));
      }
      ck_assert_msg(fabs(shares - fte) <= 0.001 + 1e-9, "%s %s: shares %g, fte %g", uuid,
                    str_of(lid, "label"), shares, fte);
    }
    ck_assert_msg(fabs(sum - totaal) < 1e-6, "%s: members sum to %g, totaalFte %g", uuid, sum,
                  totaal);
    /* The detail by uuid is the list item. */
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s", uuid);
    json_t *one = get_json(path, 200);
    ck_assert_msg(json_equal(one, p), "%s: detail differs from the list item", uuid);
    json_decref(one);
  }
  /* Paging over the seven. */
  json_t *p2 = get_json("/api/v1/teamprofielen?referentie=true&pageSize=3&page=3", 200);
  ck_assert_int_eq(count_of(p2), 7);
  ck_assert_uint_eq(json_array_size(results_of(p2)), 1);
  ck_assert(json_equal(json_array_get(results_of(p2), 0), json_array_get(results_of(page), 6)));
  json_decref(p2);
  json_decref(page);

  static const char *const referentie[] = {"referentie"};
  expect_400("/api/v1/teamprofielen?referentie=ja", referentie, 1);
  static const char *const two[] = {"pageSize", "foo"};
  expect_400("/api/v1/teamprofielen?referentie=true&pageSize=0&foo=1", two, 2);
}
END_TEST

static void expect_401(const char *path) {
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, path, &r), 0);
  ck_assert_msg(r.status == 401, "GET %s gave %ld, expected 401", path, r.status);
  it_assert_problem(&r, 401);
  ck_assert_ptr_nonnull(it_header(&r, "WWW-Authenticate"));
  assert_text_eq(it_header(&r, "WWW-Authenticate"), "Bearer");
  assert_text_eq(str_of(r.json, "code"), "unauthorized");
  ck_assert_ptr_null(json_object_get(r.json, "results"));
  it_response_free(&r);
}

START_TEST(other_profiles_need_a_token) {
  expect_401("/api/v1/teamprofielen");
  expect_401("/api/v1/teamprofielen?referentie=false");
  expect_401("/api/v1/teamprofielen?page=1");

  /* A municipality's own profile (a row of this test, removed after). */
  char sql[512];
  snprintf(sql, sizeof(sql),
           "WITH p AS (INSERT INTO teamprofielen (gemeente, peildatum, herkomst, referentie,"
           " toelichting) VALUES ('GM0363', '2026-01-01', 'opgave', false, '%s') RETURNING uuid)"
           " SELECT uuid FROM p",
           marker);
  char *uuid = it_sql_value(it_database_url(), sql);
  ck_assert_ptr_nonnull(uuid);
  char path[128];
  snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s", uuid);
  expect_401(path);
  json_t *page = get_json("/api/v1/teamprofielen?referentie=true", 200);
  ck_assert_int_eq(count_of(page), 7);
  ck_assert(!in_array(results_of(page), "uuid", uuid));
  json_decref(page);
  remove_own_rows();
  expect_404(path);
  free(uuid);
}
END_TEST

START_TEST(reference_profiles_equal_the_data_pack) {
  json_t *pack = load_pack("referentieteams.json");
  if (pack == NULL) return;
  json_t *page = get_json("/api/v1/teamprofielen?referentie=true", 200);
  json_t *profielen = json_object_get(pack, "profielen");
  ck_assert_uint_eq(json_array_size(profielen), 7);
  size_t i, k;
  json_t *pp, *lid;
  json_array_foreach(profielen, i, pp) {
    const json_t *p = find_by(results_of(page), "gemeente", str_of(pp, "gemeente"));
    ck_assert_msg(p != NULL, "no reference profile for %s", str_of(pp, "gemeente"));
    assert_text_eq(str_of(p, "peildatum"), str_of(pp, "peildatum"));
    assert_text_eq(str_of(p, "herkomst"), str_of(pp, "herkomst"));
    ck_assert(json_equal(json_object_get(p, "bronnen"), json_object_get(pp, "bronnen")));
    json_t *leden = json_object_get(p, "leden"), *pleden = json_object_get(pp, "leden");
    ck_assert_uint_eq(json_array_size(leden), json_array_size(pleden));
    double sum = 0;
    json_array_foreach(pleden, k, lid) {
      json_t *l = json_array_get(leden, k);
      assert_text_eq(str_of(l, "label"), str_of(lid, "label"));
      ck_assert(fabs(json_number_value(json_object_get(l, "fte")) -
                     json_number_value(json_object_get(lid, "fte"))) < 1e-9);
      ck_assert_uint_eq(json_array_size(json_object_get(l, "rollen")),
                        json_array_size(json_object_get(lid, "rollen")));
      ck_assert(
          json_equal(json_object_get(l, "competenties"), json_object_get(lid, "competenties")));
      sum += json_number_value(json_object_get(lid, "fte"));
    }
    ck_assert_msg(fabs(json_number_value(json_object_get(p, "totaalFte")) - sum) < 1e-6,
                  "%s: totaalFte %g, pack %g", str_of(pp, "gemeente"),
                  json_number_value(json_object_get(p, "totaalFte")), sum);
  }
  json_decref(page);
  json_decref(pack);
}
END_TEST

/* --- success stories, factors and sources --------------------------------- */

START_TEST(success_story_has_sourced_figures) {
  json_t *bronnen = get_all("/api/v1/bronnen");
  ck_assert_int_eq((long)json_array_size(bronnen), sql_long("SELECT count(*) FROM bronnen"));
  json_t *story = get_json("/api/v1/succesverhalen/GM0855", 200);
  assert_text_eq(str_of(story, "gemeente"), "GM0855");
  assert_text_eq(str_of(story, "naam"), "Tilburg");
  ck_assert(strlen(str_of(story, "samenvatting")) > 20);
  ck_assert_int_eq(
      (long)json_array_size(json_object_get(story, "praktijken")),
      sql_long("SELECT count(*) FROM succesverhaal_praktijken WHERE gemeente = 'GM0855'"));
  ck_assert_uint_gt(json_array_size(json_object_get(story, "praktijken")), 0);
  json_t *kengetallen = json_object_get(story, "kengetallen");
  ck_assert_uint_gt(json_array_size(kengetallen), 0);
  ck_assert_int_eq((long)json_array_size(kengetallen),
                   sql_long("SELECT count(*) FROM kengetallen WHERE gemeente = 'GM0855'"));
  struct sbuf got = {0};
  size_t i;
  json_t *k;
  json_array_foreach(kengetallen, i, k) {
    ck_assert_msg(json_is_number(json_object_get(k, "waarde")), "kengetal %zu: waarde", i);
    ck_assert_msg(str_of(k, "eenheid") && str_of(k, "eenheid")[0], "kengetal %zu: eenheid", i);
    ck_assert_msg(str_of(k, "jaar") && str_of(k, "jaar")[0], "kengetal %zu: jaar", i);
    const char *bron = str_of(k, "bron");
    ck_assert_msg(bron != NULL && strncmp(bron, "http", 4) == 0, "kengetal %zu: bron", i);
    ck_assert_msg(in_array(bronnen, "url", bron), "kengetal %s cites %s, not in /bronnen",
                  str_of(k, "code"), bron);
    sb_addf(&got, "%s%s=", i ? ";" : "", str_of(k, "code"));
    sb_scalar(&got, json_object_get(k, "waarde"));
    sb_addf(&got, "|%s|%s|%s|%s", str_of(k, "eenheid"), str_of(k, "jaar"), bron,
            str_of(k, "herkomst"));
  }
  char *want = sqlf(
      "SELECT string_agg(code || '=' || waarde::float8 || '|' || eenheid || '|' ||"
      " jaar || '|' || bron || '|' || herkomst, ';' ORDER BY volgorde)"
      " FROM kengetallen WHERE gemeente = 'GM0855'");
  assert_text_eq(got.s, want);
  free(want);
  free(got.s);

  /* The story's detail is its list item; every story's sources resolve. */
  json_t *stories = get_all("/api/v1/succesverhalen");
  ck_assert_uint_eq(json_array_size(stories), 7);
  ck_assert(json_equal(story, find_by(stories, "gemeente", "GM0855")));
  json_t *s;
  json_array_foreach(stories, i, s) {
    int reference = 0;
    for (size_t n = 0; SEVEN[n] != NULL; n++)
      reference |= strcmp(SEVEN[n], str_of(s, "gemeente")) == 0;
    ck_assert_msg(reference, "story of %s, not one of the seven", str_of(s, "gemeente"));
    size_t n;
    json_t *x;
    json_array_foreach(json_object_get(s, "bronnen"), n, x) {
      ck_assert_msg(in_array(bronnen, "id", json_string_value(x)), "%s cites unknown source %s",
                    str_of(s, "gemeente"), json_string_value(x));
    }
    json_array_foreach(json_object_get(s, "kengetallen"), n, x) {
      if (!json_is_null(json_object_get(x, "bron"))) {
        ck_assert_msg(in_array(bronnen, "url", str_of(x, "bron")), "%s: %s not in /bronnen",
                      str_of(s, "gemeente"), str_of(x, "bron"));
      }
    }
  }
  json_decref(stories);
  json_decref(story);
  json_decref(bronnen);
}
END_TEST

START_TEST(every_cited_source_is_listed) {
  json_t *bronnen = get_all("/api/v1/bronnen");
  size_t i, n;
  json_t *item, *id;
  /* Ids and urls are unique. */
  char *ids = join(bronnen, "id", ",");
  char *want = sqlf("SELECT string_agg(id, ',' ORDER BY id) FROM bronnen");
  assert_text_eq(ids, want);
  free(ids);
  free(want);
  static const char *const collections[] = {"/api/v1/rollen", "/api/v1/succesfactoren",
                                            "/api/v1/gemeenten",
                                            "/api/v1/teamprofielen?referentie=true"};
  for (size_t c = 0; c < sizeof(collections) / sizeof(collections[0]); c++) {
    json_t *all = get_all(collections[c]);
    ck_assert_uint_gt(json_array_size(all), 0);
    json_array_foreach(all, i, item) {
      ck_assert_ptr_nonnull(str_of(item, "herkomst"));
      json_array_foreach(json_object_get(item, "bronnen"), n, id) {
        ck_assert_msg(in_array(bronnen, "id", json_string_value(id)), "%s cites unknown source %s",
                      collections[c], json_string_value(id));
      }
    }
    json_decref(all);
  }
  /* Success factors: list = SQL, detail = list item, examples exist. */
  json_t *factoren = get_all("/api/v1/succesfactoren");
  char *codes = join(factoren, "code", ",");
  want = sqlf("SELECT string_agg(code, ',' ORDER BY volgorde) FROM succesfactoren");
  assert_text_eq(codes, want);
  free(codes);
  free(want);
  json_array_foreach(factoren, i, item) {
    const char *code = str_of(item, "code");
    assert_code(code);
    char path[256];
    snprintf(path, sizeof(path), "/api/v1/succesfactoren/%s", code);
    json_t *one = get_json(path, 200);
    ck_assert(json_equal(one, item));
    json_decref(one);
    json_array_foreach(json_object_get(item, "voorbeeldgemeenten"), n, id) {
      int reference = 0;
      for (size_t s = 0; SEVEN[s] != NULL; s++)
        reference |= strcmp(SEVEN[s], json_string_value(id)) == 0;
      ck_assert_msg(reference, "%s: example %s is not a reference municipality", code,
                    json_string_value(id));
    }
  }
  json_decref(factoren);
  json_decref(bronnen);
}
END_TEST

START_TEST(success_stories_equal_the_data_pack) {
  json_t *pack = load_pack("succesverhalen.json");
  if (pack == NULL) return;
  size_t i, k;
  json_t *ps, *pk;
  json_array_foreach(json_object_get(pack, "succesverhalen"), i, ps) {
    const char *code = str_of(ps, "gemeente");
    assert_code(code);
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/succesverhalen/%s", code);
    json_t *s = get_json(path, 200);
    static const char *const same[] = {"naam",        "titel",    "samenvatting", "praktijken",
                                       "organisatie", "herkomst", "bronnen"};
    for (size_t f = 0; f < sizeof(same) / sizeof(same[0]); f++) {
      ck_assert_msg(json_equal(json_object_get(s, same[f]), json_object_get(ps, same[f])),
                    "story %s: %s differs from the data pack", code, same[f]);
    }
    json_t *ks = json_object_get(s, "kengetallen");
    ck_assert_uint_eq(json_array_size(ks), json_array_size(json_object_get(ps, "kengetallen")));
    json_array_foreach(json_object_get(ps, "kengetallen"), k, pk) {
      json_t *kg = json_array_get(ks, k);
      assert_text_eq(str_of(kg, "code"), str_of(pk, "code"));
      ck_assert_msg(fabs(json_number_value(json_object_get(kg, "waarde")) -
                         json_number_value(json_object_get(pk, "waarde"))) < 1e-9,
                    "%s %s: waarde", code, str_of(pk, "code"));
      static const char *const fields[] = {"naam",     "eenheid", "jaar",
                                           "herkomst", "bron",    "opmerking"};
      for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
        ck_assert_msg(json_equal(json_object_get(kg, fields[f]), json_object_get(pk, fields[f])),
                      "story %s figure %s: %s differs from the data pack", code, str_of(pk, "code"),
                      fields[f]);
      }
    }
    json_decref(s);
  }
  json_decref(pack);
}
END_TEST

START_TEST(root_states_the_catalogue_version) {
  json_t *root = get_json("/api/v1", 200);
  char *versie = sqlf("SELECT versie FROM catalogus_versies ORDER BY id DESC LIMIT 1");
  assert_text_eq(str_of(root, "catalogusVersie"), versie);
  free(versie);
  static const char *const collections[] = {"rolfamilies",    "rollen",       "competenties",
                                            "succesfactoren", "gemeenten",    "succesverhalen",
                                            "bronnen",        "teamprofielen"};
  json_t *links = json_object_get(root, "links");
  for (size_t i = 0; i < sizeof(collections) / sizeof(collections[0]); i++) {
    char want[128];
    snprintf(want, sizeof(want), "/api/v1/%s", collections[i]);
    assert_text_eq(str_of(json_object_get(links, collections[i]), "href"), want);
  }
  json_decref(root);
}
END_TEST

/* "Any invalid query (... unknown query key) -> 400": the root and the
 * spec documents are GETs of this API like any other. */
START_TEST(root_and_spec_reject_unknown_query_keys) {
  static const char *const foo[] = {"foo"};
  expect_400("/api/v1?foo=1", foo, 1);
  expect_400("/api/v1/openapi.json?foo=1", foo, 1);
  expect_400("/api/v1/openapi.yaml?foo=1", foo, 1);
}
END_TEST

int main(void) {
  it_database_url();
  Suite *s = suite_create("catalogus");
  TCase *tc = tcase_create("catalogue");
  tcase_set_timeout(tc, 60);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, seed_counts_equal_the_tables);
  tcase_add_test(tc, every_role_has_tasks_and_competencies);
  tcase_add_test(tc, role_competencies_and_tasks_equal_sql);
  tcase_add_test(tc, competencies_list_the_roles_that_need_them);
  tcase_add_test(tc, catalogue_equals_the_data_pack);
  tcase_add_test(tc, role_families_match_the_roles);
  tcase_add_test(tc, filter_familie);
  tcase_add_test(tc, filter_kernrol);
  tcase_add_test(tc, filter_provincie);
  tcase_add_test(tc, filter_grootteklasse);
  tcase_add_test(tc, filter_referentie);
  tcase_add_test(tc, zoek_ignores_case_and_accents);
  tcase_add_test(tc, paging_edges);
  tcase_add_test(tc, links_next_previous_are_consistent);
  tcase_add_test(tc, invalid_params_are_all_named_at_once);
  tcase_add_test(tc, etag_and_304_on_details_and_collections);
  tcase_add_test(tc, unknown_codes_are_404_problems);
  tcase_add_test(tc, unsupported_accept_is_406_on_the_catalogue);
  tcase_add_test(tc, municipalities_equal_sql_and_size_classes);
  tcase_add_test(tc, municipalities_equal_the_data_pack);
  tcase_add_test(tc, reference_profiles_are_public);
  tcase_add_test(tc, other_profiles_need_a_token);
  tcase_add_test(tc, reference_profiles_equal_the_data_pack);
  tcase_add_test(tc, success_story_has_sourced_figures);
  tcase_add_test(tc, every_cited_source_is_listed);
  tcase_add_test(tc, success_stories_equal_the_data_pack);
  tcase_add_test(tc, root_states_the_catalogue_version);
  tcase_add_test(tc, root_and_spec_reject_unknown_query_keys);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
