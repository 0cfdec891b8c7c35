#ifndef TEAMPLOTTER_FIXTURE_CATALOGUSBEHEER_H
#define TEAMPLOTTER_FIXTURE_CATALOGUSBEHEER_H

/* The fixture of the catalogue-management tests
 * (fixture_catalogusbeheer.c): a database of their own, a server and a
 * replica on it, and three clients. */

#include "harness.h"

/* The server the tests write to, and a second one on the same database. */
extern struct it_server srv, replica;
/* The shared database, this binary's own one (conninfo) and its name. */
extern char shared_url[1024], own_url[1024], own_db[64];
/* A scratch directory for import files, removed at teardown. */
extern char scratch[256];

enum { BEHEER, LEZER, SCHRIJVER, NCLIENTS };
extern struct it_client clients[NCLIENTS];

/* The unchecked fixture of a test case (it_case). */
void setup(void);
void teardown(void);

/* One request to `s` as client `who` (-1: no token); `if_match`,
 * `if_none_match` and one `extra` header line may be NULL; a body is sent
 * as JSON unless `extra` is a Content-Type. The conventions are asserted.
 * req_on: no extra header; req: to srv. */
void req_extra(const struct it_server *s, const char *method, const char *path, int who,
               const char *if_match, const char *if_none_match, const char *extra, const char *body,
               struct it_response *r);
void req_on(const struct it_server *s, const char *method, const char *path, int who,
            const char *if_match, const char *if_none_match, const char *body,
            struct it_response *r);
void req(const char *method, const char *path, int who, const char *if_match,
         const char *if_none_match, const char *body, struct it_response *r);

/* The status of one request; a problem's shape is checked. */
long status_of(const char *method, const char *path, int who, const char *if_match,
               const char *if_none_match, const char *body);

/* GET `path` (200 asserted); the document, and its ETag in `etag`. */
json_t *get_doc(const struct it_server *s, const char *path, char etag[64]);

/* The catalogue version `s` serves, as a new string. */
char *current_version(const struct it_server *s);

/* Waits until `s` serves catalogue version `want`. */
void await_version(const struct it_server *s, const char *want);

/* Waits until `s` serves another version than `old`; returns it. */
char *await_change(const struct it_server *s, const char *old);

/* The number of catalogue versions in the own database. */
long versions_count(void);

/* Everything the catalogue holds, as one comparable value. */
char *catalogue_state(void);

/* The first role of the catalogue (its code in `code`). */
json_t *first_role(char code[128], char etag[64]);

/* PUT `doc` to `path` with If-Match `etag` as the manager, asserting 200. */
void put_ok(const char *path, const json_t *doc, const char *etag);

/* Runs `teamplotter import KIND PATH`; exit status, stdout+stderr in *out. */
int run_import(const char *kind, const char *path, char **out);

/* Writes `doc` to <scratch>/<name>; the path, a new string. */
char *write_json(const char *name, const json_t *doc);

/* The current catalogue in the shape of catalogus.json, named `versie`. */
json_t *export_catalogue(const char *versie);

/* Index of the element of `list` whose `key` is `value`, or -1. */
long index_of(const json_t *list, const char *key, const char *value);

#endif
