/* JSON, SQL, clients and requests as the integration tests write them. */
#include "harness.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *it_json_text(const char *text) {
  char *copy = strdup(text);
  for (char *p = copy; *p; p++) {
    if (*p == '\'') *p = '"';
  }
  return copy;
}

json_t *it_json(const char *text) {
  char *copy = it_json_text(text);
  json_error_t err;
  json_t *doc = json_loads(copy, 0, &err);
  ck_assert_msg(doc != NULL, "test JSON does not parse: %s in %s", err.text, copy);
  free(copy);
  return doc;
}

char *it_dump(const json_t *doc) {
  char *s = json_dumps(doc, JSON_COMPACT);
  ck_assert_ptr_nonnull(s);
  return s;
}

const char *it_str(const json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

double it_num(const json_t *obj, const char *key) {
  const json_t *v = json_object_get(obj, key);
  ck_assert_msg(json_is_number(v), "%s is not a number", key);
  return json_number_value(v);
}

int it_invalid_has(const struct it_response *r, const char *name, const char *code) {
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(r->json, "invalidParams"), i, e) {
    if (strcmp(it_str(e, "name"), name) == 0 && strcmp(it_str(e, "code"), code) == 0) return 1;
  }
  return 0;
}

/* --- SQL ------------------------------------------------------------------- */

static char *vsqlf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static char *vsqlf(const char *fmt, va_list ap) {
  char sql[8192];
  vsnprintf(sql, sizeof(sql), fmt, ap);
  char *v = it_sql_value(it_database_url(), sql);
  ck_assert_msg(v != NULL, "SQL failed: %s", sql);
  return v;
}

char *it_sqlf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *v = vsqlf(fmt, ap);
  va_end(ap);
  return v;
}

long it_sql_long(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *v = vsqlf(fmt, ap);
  va_end(ap);
  long n = atol(v);
  free(v);
  return n;
}

double it_sql_double(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *v = vsqlf(fmt, ap);
  va_end(ap);
  double d = atof(v);
  free(v);
  return d;
}

/* --- clients and their tokens ------------------------------------------------ */

const char *it_clients_add(const char *prefix, struct it_client *clients, size_t n) {
  for (size_t i = 0; i < n; i++) {
    struct it_client *c = &clients[i];
    snprintf(c->id, sizeof(c->id), "%s%s", prefix, c->suffix);
    const char *add[] = {"clients", "add",         c->id,        "--scopes",
                         c->scopes, "--gemeenten", c->gemeenten, NULL};
    char *out = it_capture(add);
    if (out == NULL) return "teamplotter clients add failed";
    /* The secret is printed once; it is the one stored. */
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT secret FROM clients WHERE id = '%s'", c->id);
    char *secret = it_sql_value(it_database_url(), sql);
    char line[200];
    snprintf(line, sizeof(line), "secret: %s\n", secret ? secret : "");
    int printed = secret != NULL && strstr(out, line) != NULL;
    snprintf(c->secret, sizeof(c->secret), "%s", secret ? secret : "");
    free(out);
    if (secret == NULL) return "the client is not in the clients table";
    free(secret);
    if (!printed) return "clients add did not print the stored secret";
    const char *tok[] = {"token", c->id, NULL};
    c->token = it_capture(tok);
    if (c->token == NULL) return "teamplotter token failed";
    c->token[strcspn(c->token, "\r\n")] = '\0';
  }
  return NULL;
}

void it_clients_free(struct it_client *clients, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(clients[i].token);
    clients[i].token = NULL;
  }
}

/* --- requests ---------------------------------------------------------------- */

void it_call(const struct it_server *s, const char *method, const char *path, const char *token,
             const char *const *extra, const char *body, size_t body_len, struct it_response *r) {
  const char *headers[16];
  size_t n = 0;
  char auth[4096];
  if (token != NULL) {
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
    headers[n++] = auth;
  }
  int has_ct = 0;
  for (size_t i = 0; extra != NULL && extra[i] != NULL && n < 14; i++) {
    if (strncasecmp(extra[i], "Content-Type:", 13) == 0) has_ct = 1;
    headers[n++] = extra[i];
  }
  if (body != NULL && !has_ct) headers[n++] = "Content-Type: application/json";
  headers[n] = NULL;
  ck_assert_int_eq(it_request(s, method, path, headers, body, body_len, r), 0);
}

long it_status_of(const struct it_server *s, const char *method, const char *path,
                  const char *token, const char *const *extra, const char *body) {
  struct it_response r;
  it_call(s, method, path, token, extra, body, body ? strlen(body) : 0, &r);
  long st = r.status;
  if (st >= 400) it_assert_problem(&r, st);
  it_response_free(&r);
  return st;
}
