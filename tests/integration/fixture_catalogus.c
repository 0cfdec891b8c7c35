/* The fixture of the catalogue tests: one server for the whole test case,
 * and the helpers that compute what the API should say independently of
 * the service (SQL on the seeded tables, the data pack in ../shared/data). */
#include "fixture_catalogus.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef TEAMPLOTTER_SOURCE_DIR
#define TEAMPLOTTER_SOURCE_DIR "."
#endif

/* One server for the whole test case (unchecked fixture): every test only
 * reads, or writes rows of its own that it removes. */
struct it_server srv;

/* toelichting of the rows this run writes, so teardown can remove them
 * even after a failed test. */
char marker[64];

/* The seven reference municipalities of the publication, by CBS code. */
const char *const SEVEN[] = {"GM0050", "GM0074", "GM0344", "GM0394",
                             "GM0715", "GM0855", "GM1940", NULL};

/* --- small helpers ------------------------------------------------------- */

void sb_add(struct sbuf *b, const char *text) {
  size_t n = strlen(text);
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->s = realloc(b->s, b->cap);
    ck_assert_ptr_nonnull(b->s);
  }
  memcpy(b->s + b->len, text, n + 1);
  b->len += n;
}

void sb_addf(struct sbuf *b, const char *fmt, ...) {
  char tmp[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(tmp, sizeof(tmp), fmt, ap);
  va_end(ap);
  sb_add(b, tmp);
}

/* A JSON scalar as SQL would print it (::text of int, float8, bool, text). */
void sb_scalar(struct sbuf *b, const json_t *v) {
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

const char *sb_str(struct sbuf *b) { return b->s ? b->s : ""; }

void assert_text_eq_at(int line, const char *expr, const char *got, const char *want) {
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

/* Codes go into SQL text below; make sure they are what codes look like. */
void assert_code(const char *code) {
  ck_assert_ptr_nonnull(code);
  ck_assert(code[0] != '\0');
  for (const char *p = code; *p; p++) {
    ck_assert_msg((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                      (*p >= '0' && *p <= '9') || *p == '-',
                  "unexpected character in code %s", code);
  }
}

long count_of(const json_t *page) {
  return (long)json_integer_value(json_object_get(page, "count"));
}

json_t *results_of(const json_t *page) { return json_object_get(page, "results"); }

/* GET `path` expecting `status`, with the conventions every response shares;
 * a 200 must be JSON with a strong ETag, anything else a problem. Returns the
 * parsed body (new reference). */
json_t *get_json(const char *path, long status) {
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
json_t *get_all(const char *path) {
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
    const char *next = it_str(page, "next");
    if (next != NULL) snprintf(url, sizeof(url), "%s", next);
    json_decref(page);
    if (next == NULL) break;
  }
  ck_assert_msg((long)json_array_size(all) == count, "%s: pages hold %zu items, count says %ld",
                path, json_array_size(all), count);
  return all;
}

/* Joins `key` (or the string items themselves when NULL) of an array. */
char *join(const json_t *arr, const char *key, const char *sep) {
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

int in_array(const json_t *arr, const char *key, const char *value) {
  size_t i;
  json_t *item;
  json_array_foreach(arr, i, item) {
    const char *v = key ? it_str(item, key) : json_string_value(item);
    if (v != NULL && strcmp(v, value) == 0) return 1;
  }
  return 0;
}

const json_t *find_by(const json_t *arr, const char *key, const char *value) {
  size_t i;
  json_t *item;
  json_array_foreach(arr, i, item) {
    const char *v = it_str(item, key);
    if (v != NULL && strcmp(v, value) == 0) return item;
  }
  return NULL;
}

/* A 400 problem whose invalidParams name exactly `names`. */
void expect_400(const char *path, const char *const *names, size_t n) {
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, path, &r), 0);
  ck_assert_msg(r.status == 400, "GET %s gave %ld, expected 400: %.300s", path, r.status, r.body);
  it_assert_problem(&r, 400);
  assert_text_eq(it_str(r.json, "code"), "invalid-params");
  assert_text_eq(it_str(r.json, "type"), "urn:teamplotter:probleem:invalid-params");
  json_t *invalid = json_object_get(r.json, "invalidParams");
  ck_assert_msg(json_array_size(invalid) == n, "GET %s: %zu invalidParams, expected %zu: %s", path,
                json_array_size(invalid), n, r.body);
  size_t i;
  json_t *entry;
  json_array_foreach(invalid, i, entry) {
    ck_assert_msg(json_is_string(json_object_get(entry, "name")), "%s: entry without name", path);
    ck_assert_msg(it_str(entry, "code") != NULL && it_str(entry, "code")[0] != '\0',
                  "%s: entry without code", path);
    ck_assert_msg(it_str(entry, "reason") != NULL && it_str(entry, "reason")[0] != '\0',
                  "%s: entry without reason", path);
  }
  for (size_t k = 0; k < n; k++) {
    ck_assert_msg(in_array(invalid, "name", names[k]), "GET %s: invalidParams lacks %s: %s", path,
                  names[k], r.body);
  }
  it_response_free(&r);
}

/* A 404 problem with code not-found. */
void expect_404(const char *path) {
  struct it_response r;
  ck_assert_int_eq(it_get(&srv, path, &r), 0);
  ck_assert_msg(r.status == 404, "GET %s gave %ld, expected 404", path, r.status);
  it_assert_problem(&r, 404);
  assert_text_eq(it_str(r.json, "code"), "not-found");
  assert_text_eq(it_str(r.json, "type"), "urn:teamplotter:probleem:not-found");
  assert_text_eq(it_str(r.json, "title"), "Niet gevonden");
  ck_assert_ptr_null(json_object_get(r.json, "invalidParams"));
  it_response_free(&r);
}

/* A file of the data pack, or NULL (with a note) when the pack is absent. */
char pack_path[1024];

int pack_file(const char *name) {
  snprintf(pack_path, sizeof(pack_path), "%s/../shared/data/%s", TEAMPLOTTER_SOURCE_DIR, name);
  if (access(pack_path, R_OK) != 0) {
    printf("note: %s is absent; comparison with the data pack skipped\n", pack_path);
    fflush(stdout);
    return 0;
  }
  return 1;
}

json_t *load_pack(const char *name) {
  if (!pack_file(name)) return NULL;
  json_error_t err;
  json_t *doc = json_load_file(pack_path, 0, &err);
  ck_assert_msg(doc != NULL, "%s: %s", pack_path, err.text);
  return doc;
}

/* CBS size class from inhabitants (docs/methode.md, "Grootteklasse"). */
long grootteklasse(long inwoners) {
  static const long bounds[] = {5000, 10000, 20000, 50000, 100000, 150000, 250000};
  for (long k = 0; k < 7; k++) {
    if (inwoners < bounds[k]) return k + 1;
  }
  return 8;
}

/* --- fixture ------------------------------------------------------------- */

void remove_own_rows(void) {
  char sql[256];
  snprintf(sql, sizeof(sql),
           "DELETE FROM teamprofielen WHERE toelichting = '%s' AND NOT referentie", marker);
  it_sql_exec(it_database_url(), sql);
}

void setup(void) {
  snprintf(marker, sizeof(marker), "it_catalogus-%d", (int)getpid());
  if (it_server_start(&srv, NULL) != 0) it_fail_setup("the server did not start");
}

void teardown(void) {
  remove_own_rows();
  if (srv.pid > 0 && it_server_stop(&srv) != 0) {
    fprintf(stderr, "fixture_catalogus: the server did not stop cleanly\n");
    exit(1);
  }
}
