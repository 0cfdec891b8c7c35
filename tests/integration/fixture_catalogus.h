#ifndef TEAMPLOTTER_FIXTURE_CATALOGUS_H
#define TEAMPLOTTER_FIXTURE_CATALOGUS_H

/* The fixture of the catalogue tests (fixture_catalogus.c): one server for
 * the whole test case, and helpers that compute what the API should say
 * independently of the service. */

#include <stddef.h>

#include "harness.h"

extern struct it_server srv;

/* toelichting of the rows this run writes, so teardown can remove them
 * even after a failed test. */
extern char marker[64];

/* The seven reference municipalities of the publication, by CBS code;
 * NULL-terminated. */
extern const char *const SEVEN[];

/* The unchecked fixture of a test case (it_case). */
void setup(void);
void teardown(void);

/* Deletes the profiles this run wrote (toelichting `marker`). */
void remove_own_rows(void);

/* A growing string. */
struct sbuf {
  char *s;
  size_t len, cap;
};
void sb_add(struct sbuf *b, const char *text);
void sb_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON scalar as SQL would print it (::text of int, float8, bool, text). */
void sb_scalar(struct sbuf *b, const json_t *v);
const char *sb_str(struct sbuf *b);

/* Like ck_assert_str_eq, but for texts of any length: reports where they
 * first differ (Check's own message would be cut off or refused). */
#define assert_text_eq(got, want) assert_text_eq_at(__LINE__, #got, (got), (want))
void assert_text_eq_at(int line, const char *expr, const char *got, const char *want);

/* Codes go into SQL text: asserts they are what codes look like. */
void assert_code(const char *code);

long count_of(const json_t *page);
json_t *results_of(const json_t *page);

/* GET `path` expecting `status`, with the conventions every response
 * shares; a 200 must be JSON with a strong ETag, anything else a problem.
 * Returns the parsed body (new reference). */
json_t *get_json(const char *path, long status);

/* Every item of a collection: pageSize=100, following `next` to the end.
 * Checks that count stays the same and that the pages add up to it. */
json_t *get_all(const char *path);

/* Joins `key` (or the string items themselves when NULL) of an array. */
char *join(const json_t *arr, const char *key, const char *sep);

/* Whether an item's `key` (or the string item when NULL) is `value`. */
int in_array(const json_t *arr, const char *key, const char *value);

/* The item whose `key` is `value`, or NULL. */
const json_t *find_by(const json_t *arr, const char *key, const char *value);

/* A 400 problem whose invalidParams name exactly `names`. */
void expect_400(const char *path, const char *const *names, size_t n);

/* A 404 problem with code not-found. */
void expect_404(const char *path);

/* A file of the data pack: pack_file sets pack_path and says whether it
 * is there (printing a note when the pack is absent); load_pack parses a
 * JSON file of it, or NULL. */
extern char pack_path[1024];
int pack_file(const char *name);
json_t *load_pack(const char *name);

/* CBS size class from inhabitants. */
long grootteklasse(long inwoners);

#endif
