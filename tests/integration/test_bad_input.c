/* Reliability and security under bad input: the real binary over real HTTP
 * against a real cluster, with API requests that are wrong.
 *
 * The corpus is data: one table of API requests ({name, target, method,
 * path, headers, body, expected status and code}). Every write-path body goes
 * both to POST /api/v1/gap-analyses (public) and to POST
 * /api/v1/teamprofielen (with the token of a client made here, bound to
 * GM0855). Each case must get the right 4xx as application/problem+json, the
 * server must answer /livez with 200 after every case, and the database must
 * be unchanged: a row count and checksum of teamprofielen, teamleden,
 * teamlid_rollen, teamlid_competenties, audittrail and clients, before and
 * after. Validation takes time linear in the size of the body.
 *
 * A failing case does not stop the run: every case is tried and all
 * failures are reported together (tests/integration/fixture_bad_input.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fixture_bad_input.h"

/* Whether `r` is a problem+json with `status` and the members every problem
 * has, following the conventions; `code` (when not NULL) is the problem's
 * code, or for a 400 an invalidParams code that must be present. */
static int problem_ok(const struct it_response *r, long status, const char *code, char *why,
                      size_t n) {
  if (r->status != status) {
    snprintf(why, n, "status %ld, expected %ld; body: %.300s", r->status, status, r->body);
    return 0;
  }
  const char *ct = it_header(r, "Content-Type");
  if (ct == NULL || strcmp(ct, "application/problem+json") != 0) {
    snprintf(why, n, "Content-Type %s, expected application/problem+json", ct ? ct : "(none)");
    return 0;
  }
  const char *conv[][2] = {{"Cache-Control", "private, no-store"},
                           {"X-Content-Type-Options", "nosniff"},
                           {"X-Frame-Options", "DENY"},
                           {"Content-Security-Policy", "frame-ancestors 'none'"}};
  for (size_t i = 0; i < sizeof(conv) / sizeof(conv[0]); i++) {
    const char *v = it_header(r, conv[i][0]);
    if (v == NULL || strcmp(v, conv[i][1]) != 0) {
      snprintf(why, n, "header %s is %s", conv[i][0], v ? v : "missing");
      return 0;
    }
  }
  if (it_header(r, "API-Version") == NULL) {
    snprintf(why, n, "no API-Version header");
    return 0;
  }
  if (r->json == NULL || !json_is_object(r->json)) {
    snprintf(why, n, "the body is not a JSON object (%zu bytes: %.200s)", r->body_len, r->body);
    return 0;
  }
  if (json_integer_value(json_object_get(r->json, "status")) != status) {
    snprintf(why, n, "member status is not %ld", status);
    return 0;
  }
  const char *members[] = {"type", "code", "title", "detail", "instance"};
  for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
    if (!json_is_string(json_object_get(r->json, members[i]))) {
      snprintf(why, n, "the problem lacks %s", members[i]);
      return 0;
    }
  }
  const char *instance = json_string_value(json_object_get(r->json, "instance"));
  if (strncmp(instance, "urn:uuid:", 9) != 0 || strlen(instance) != 9 + 36) {
    snprintf(why, n, "instance %s is not urn:uuid:<uuid>", instance);
    return 0;
  }
  if (!it_log_contains(&srv, instance + 9)) {
    snprintf(why, n, "request id %s is not in the server log", instance + 9);
    return 0;
  }
  if (code == NULL) return 1;
  const char *pcode = json_string_value(json_object_get(r->json, "code"));
  if (status != 400) {
    if (strcmp(pcode, code) != 0) {
      snprintf(why, n, "code %s, expected %s", pcode, code);
      return 0;
    }
    return 1;
  }
  json_t *invalid = json_object_get(r->json, "invalidParams");
  size_t i;
  json_t *e;
  json_array_foreach(invalid, i, e) {
    if (strcmp(json_string_value(json_object_get(e, "code")), code) == 0) return 1;
  }
  char *list = json_dumps(invalid, JSON_COMPACT);
  snprintf(why, n, "no invalidParams entry with code %s in %.400s", code, list ? list : "null");
  free(list);
  return 0;
}

/* --- building blocks of bodies ---------------------------------------------- */

/* JSON written with ' for " (for bodies that hold no apostrophe). */
static struct blob quoted(const char *s, size_t len) {
  struct blob b = {malloc(len + 1), len};
  memcpy(b.data, s, len);
  b.data[len] = '\0';
  for (size_t i = 0; i < len; i++) {
    if (b.data[i] == '\'') b.data[i] = '"';
  }
  return b;
}

/* A team body, valid for both endpoints unless a part is replaced:
 * gemeente, peildatum, label, fte, rol, aandeel, competentie, niveau (each
 * as JSON text written with '). */
#define TEAM(g, d, l, f, r, a, c, n)                                                          \
  "{'gemeente':" g ",'peildatum':" d ",'leden':[{'label':" l ",'fte':" f ",'rollen':[{'rol':" r \
  ",'aandeel':" a "}],'competenties':[{'code':" c ",'niveau':" n "}]}]}"
#define G0 "'GM0855'"
#define D0 "'2026-01-01'"
#define L0 "'Webredactie'"
#define R0 "'webredacteur'"
#define C0 "'schrijven-voor-het-web'"
#define VALID TEAM(G0, D0, L0, "0.8", R0, "0.8", C0, "3")
#define WITH_G(g) TEAM(g, D0, L0, "0.8", R0, "0.8", C0, "3")
#define WITH_D(d) TEAM(G0, d, L0, "0.8", R0, "0.8", C0, "3")
#define WITH_L(l) TEAM(G0, D0, l, "0.8", R0, "0.8", C0, "3")
#define WITH_FTE(f) TEAM(G0, D0, L0, f, R0, f, C0, "3")
#define WITH_ROL(r) TEAM(G0, D0, L0, "0.8", r, "0.8", C0, "3")
#define WITH_AANDEEL(a) TEAM(G0, D0, L0, "0.8", R0, a, C0, "3")
#define WITH_COMP(c) TEAM(G0, D0, L0, "0.8", R0, "0.8", c, "3")
#define WITH_NIVEAU(n) TEAM(G0, D0, L0, "0.8", R0, "0.8", C0, n)
/* An invalid body (fte 0): nothing can be stored even when the request
 * got past what is being tested. */
#define INVALID WITH_FTE("0")

static struct blob valid_body(void) {
  static const char v[] = VALID;
  return quoted(v, sizeof(v) - 1);
}

static struct blob half_body(void) {
  struct blob b = valid_body();
  b.len /= 2;
  b.data[b.len] = '\0';
  return b;
}

static struct blob repeat3(const char *open, size_t times, const char *middle,
                           const char *close) {
  size_t lo = strlen(open), lm = strlen(middle), lc = strlen(close);
  struct blob b = {malloc(times * (lo + lc) + lm + 1), 0};
  for (size_t i = 0; i < times; i++, b.len += lo) memcpy(b.data + b.len, open, lo);
  memcpy(b.data + b.len, middle, lm);
  b.len += lm;
  for (size_t i = 0; i < times; i++, b.len += lc) memcpy(b.data + b.len, close, lc);
  b.data[b.len] = '\0';
  return b;
}

static struct blob nested_arrays(void) { return repeat3("[", 10000, "", "]"); }
static struct blob nested_objects(void) { return repeat3("{\"a\":", 10000, "1", "}"); }

/* 10 000 levels where the members belong. */
static struct blob nested_in_leden(void) {
  struct blob inner = repeat3("[", 10000, "", "]");
  const char *head = "{\"gemeente\":\"GM0855\",\"peildatum\":\"2026-01-01\",\"leden\":";
  size_t lh = strlen(head);
  struct blob b = {malloc(lh + inner.len + 2), lh + inner.len + 1};
  memcpy(b.data, head, lh);
  memcpy(b.data + lh, inner.data, inner.len);
  b.data[lh + inner.len] = '}';
  b.data[b.len] = '\0';
  free(inner.data);
  return b;
}

/* A body of `size` bytes: an invalid team (fte 0) padded with whitespace. */
static struct blob padded_invalid(size_t size) {
  static const char v[] = INVALID;
  struct blob t = quoted(v, sizeof(v) - 1);
  struct blob b = {malloc(size + 1), size};
  memset(b.data, ' ', size);
  memcpy(b.data, t.data, t.len);
  b.data[size] = '\0';
  free(t.data);
  return b;
}

static struct blob at_limit(void) { return padded_invalid(MAX_BODY); }
static struct blob over_limit(void) { return padded_invalid(MAX_BODY + 1); }
static struct blob ten_mb(void) { return padded_invalid(10u * 1024u * 1024u); }

/* A valid team whose field `key` holds a string of `size` bytes made of
 * `unit`: {"gemeente":...,"leden":[...],<key>:"xxxx..."} with `key`
 * replacing a field of the team (via the TEAM macro with a placeholder). */
static struct blob with_big(const char *shape, const char *unit, size_t size) {
  /* shape holds "@" where the big string goes (without quotes). */
  const char *at = strchr(shape, '@');
  size_t lu = strlen(unit), before = (size_t)(at - shape), after = strlen(at + 1);
  size_t units = size / lu;
  struct blob b = {malloc(before + units * lu + after + 1), 0};
  memcpy(b.data, shape, before);
  b.len = before;
  for (size_t i = 0; i < units; i++, b.len += lu) memcpy(b.data + b.len, unit, lu);
  memcpy(b.data + b.len, at + 1, after);
  b.len += after;
  b.data[b.len] = '\0';
  for (size_t i = 0; i < before; i++) {
    if (b.data[i] == '\'') b.data[i] = '"';
  }
  for (size_t i = b.len - after; i < b.len; i++) {
    if (b.data[i] == '\'') b.data[i] = '"';
  }
  return b;
}

static struct blob big_label(void) { return with_big(WITH_L("'@'"), "x", MB); }
static struct blob big_label_utf8(void) { return with_big(WITH_L("'@'"), "\xc3\xa9", MB); }
static struct blob big_gemeente(void) { return with_big(WITH_G("'@'"), "G", MB); }
static struct blob big_rol(void) { return with_big(WITH_ROL("'@'"), "r", MB); }
static struct blob big_key(void) {
  return with_big("{'gemeente':'GM0855','peildatum':'2026-01-01','leden':[],'@':1}", "k", MB);
}
static struct blob big_escapes(void) { return with_big(WITH_L("'@'"), "\\u00e9", MB); }

/* 501 members (the limit is 500). */
static struct blob too_many_members(void) {
  size_t cap = 501 * 100 + 200;
  struct blob b = {malloc(cap), 0};
  b.len = (size_t)snprintf(b.data, cap, "{\"gemeente\":\"GM0855\",\"peildatum\":\"2026-01-01\",\"leden\":[");
  for (int i = 0; i < 501; i++) {
    b.len += (size_t)snprintf(b.data + b.len, cap - b.len,
                              "%s{\"label\":\"lid %d\",\"fte\":1,\"rollen\":[{\"rol\":\"webredacteur\",\"aandeel\":1}]}",
                              i ? "," : "", i);
  }
  b.len += (size_t)snprintf(b.data + b.len, cap - b.len, "]}");
  return b;
}

/* `count` members or roles: {"inwoners":..., "leden":[{..."rollen":[{"rol":"r00001"},...]}]}
 * with distinct codes that name nothing. */
static struct blob many_unknown_roles(size_t count, int competencies) {
  size_t cap = count * 48 + 256;
  struct blob b = {malloc(cap), 0};
  b.len = (size_t)snprintf(b.data, cap,
                           "{\"gemeente\":\"GM0855\",\"peildatum\":\"2026-01-01\",\"leden\":[{"
                           "\"label\":\"a\",\"fte\":1,\"%s\":[",
                           competencies ? "competenties" : "rollen");
  for (size_t i = 0; i < count; i++) {
    if (competencies) {
      b.len += (size_t)snprintf(b.data + b.len, cap - b.len, "%s{\"code\":\"c%06zu\",\"niveau\":1}",
                                i ? "," : "", i);
    } else {
      b.len += (size_t)snprintf(b.data + b.len, cap - b.len, "%s{\"rol\":\"r%06zu\",\"aandeel\":0.1}",
                                i ? "," : "", i);
    }
  }
  b.len += (size_t)snprintf(b.data + b.len, cap - b.len, "]%s}]}",
                            competencies ? ",\"rollen\":[{\"rol\":\"webredacteur\",\"aandeel\":1}]"
                                         : "");
  return b;
}

static char *thousand_params(void) { return params_path("?", 1000, "p", 1, "1"); }
static char *thousand_params_gemeenten(void) {
  return params_path("/api/v1/gemeenten?", 1000, "p", 1, "1");
}
static char *thousand_duplicates(void) {
  return params_path("/api/v1/gemeenten?", 1000, "zoek", 0, "a");
}
static char *sixty_five_params(void) { return params_path("/api/v1/rollen?", 65, "x", 1, ""); }

static char *long_query_value(void) { return padded_path("/api/v1/gemeenten?zoek=", 8192, 'a', ""); }
static char *long_code(void) { return padded_path("/api/v1/gemeenten/", 8192, 'G', ""); }
static char *long_write_query(void) { return padded_path("?toelichting=", 8192, 'a', ""); }
static char *long_uuid(void) { return padded_path("/api/v1/teamprofielen/", 8192, '0', ""); }
static char *long_content_type(void) {
  return padded_path("Content-Type: application/json; x=", 8192, 'a', "");
}
static char *long_authorization(void) { return padded_path("Authorization: Bearer ", 8192, 'a', ""); }
/* 1001 characters, each of two bytes. */
static char *long_audit_note(void) {
  size_t head = strlen("X-Audit-Toelichting: ");
  char *p = padded_path("X-Audit-Toelichting: ", head + 2002, 'x', "");
  for (size_t i = 0; i < 1001; i++) memcpy(p + head + 2 * i, "\xc3\xa9", 2);
  return p;
}

/* --- the corpus of API requests ---------------------------------------------- */

enum target {
  T_WRITE,   /* POST both /api/v1/gap-analyses and /api/v1/teamprofielen */
  T_ANALYSE, /* POST /api/v1/gap-analyses only */
  T_PROFIEL, /* POST /api/v1/teamprofielen only (with the writer's token) */
  T_PATH,    /* method and path as given (no token unless a header says so) */
};

enum {
  F_NO_CT = 1,      /* send no Content-Type */
  F_OWN_AUTH = 2,   /* the case's headers carry Authorization */
  F_BENCH = 4,      /* send the benchmark client's token */
  F_BYTES = 8,      /* body is bytes as written (no ' to " conversion) */
};

struct bad_case {
  const char *name;
  enum target target;
  const char *method;      /* T_PATH only */
  const char *path;        /* T_PATH: the path; else a query suffix or NULL */
  char *(*make_path)(void); /* instead of path: a new string */
  const char *headers[4];
  char *(*make_header)(void); /* one more header: a new string */
  const char *body; /* written with ' for " unless F_BYTES */
  size_t body_len;  /* when the body holds NUL bytes: its length */
  struct blob (*make_body)(void);
  int flags;
  long status;
  const char *code; /* problem code, or for 400 an invalidParams code */
};

#define LIT(s) .body = s, .body_len = sizeof(s) - 1

static const struct bad_case CORPUS[] = {
    /* truncated JSON */
    {"truncated: half a body", T_WRITE, .make_body = half_body, .status = 400, .code = "invalid-json"},
    {"truncated: a lone {", T_WRITE, .body = "{", .status = 400, .code = "invalid-json"},
    {"truncated: inside a string", T_WRITE, .body = "{'gemeente':'GM08", .status = 400, .code = "invalid-json"},
    {"truncated: after a key", T_WRITE, .body = "{'gemeente'", .status = 400, .code = "invalid-json"},
    {"truncated: inside an escape", T_WRITE, .body = "{'gemeente':'GM\\u00", .status = 400, .code = "invalid-json"},
    {"empty body", T_WRITE, .body = "", .status = 400, .code = "required"},
    {"whitespace only", T_WRITE, .body = " \r\n\t ", .status = 400, .code = "invalid-json"},
    {"two documents", T_WRITE, .body = VALID VALID, .status = 400, .code = "invalid-json"},
    {"an unfinished string after the document", T_WRITE, .body = VALID "'abc", .status = 400, .code = "invalid-json"},
    {"an unfinished string that ends in }", T_WRITE, .body = VALID "'}", .status = 400, .code = "invalid-json"},
    {"vertical tab between tokens", T_WRITE, .body = "{'gemeente':\v'GM0855','leden':[]}", .status = 400, .code = "invalid-json"},
    {"form feed after the document", T_WRITE, .body = VALID "\f", .status = 400, .code = "invalid-json"},
    {"trailing comma in an object", T_WRITE, .body = "{'gemeente':'GM0855','leden':[],}", .status = 400, .code = "invalid-json"},
    {"comment", T_WRITE, .body = "{/* c */'gemeente':'GM0855','leden':[]}", .status = 400, .code = "invalid-json"},
    /* nesting */
    {"10 000 nested arrays", T_WRITE, .make_body = nested_arrays, .status = 400, .code = "invalid-json"},
    {"10 000 nested objects", T_WRITE, .make_body = nested_objects, .status = 400, .code = "invalid-json"},
    {"10 000 nested arrays as leden", T_WRITE, .make_body = nested_in_leden, .status = 400, .code = "invalid-json"},
    /* size */
    {"10 MB body", T_WRITE, .make_body = ten_mb, .status = 413, .code = "payload-too-large"},
    {"limit + 1 byte", T_WRITE, .make_body = over_limit, .status = 413, .code = "payload-too-large"},
    {"exactly the limit is read", T_WRITE, .make_body = at_limit, .status = 400, .code = "out-of-range"},
    /* invalid UTF-8 */
    {"invalid UTF-8 in a value", T_WRITE, .body = WITH_G("'GM\xff" "855'"), .status = 400, .code = "invalid-json"},
    {"invalid UTF-8 in a key", T_WRITE, .body = "{'gem\xc3" "eente':'GM0855','leden':[]}", .status = 400, .code = "invalid-json"},
    {"overlong UTF-8 (C0 AF)", T_WRITE, .body = WITH_L("'a\xc0\xaf" "b'"), .status = 400, .code = "invalid-json"},
    {"UTF-8 encoded surrogate", T_WRITE, .body = WITH_L("'a\xed\xa0\x80" "b'"), .status = 400, .code = "invalid-json"},
    {"UTF-8 above U+10FFFF", T_WRITE, .body = WITH_L("'a\xf4\x90\x80\x80'"), .status = 400, .code = "invalid-json"},
    {"UTF-8 cut at the end", T_WRITE, .body = "{'label':'\xc3", .status = 400, .code = "invalid-json"},
    {"Latin-1 text", T_WRITE, .body = WITH_L("'Caf\xe9'"), .status = 400, .code = "invalid-json"},
    {"lone surrogate escape", T_WRITE, .body = WITH_L("'a\\ud800b'"), .status = 400, .code = "invalid-json"},
    {"high surrogate before a plain escape", T_WRITE, .body = WITH_L("'a\\ud800\\u0041'"), .status = 400, .code = "invalid-json"},
    {"lone low surrogate escape", T_WRITE, .body = WITH_L("'a\\udc00'"), .status = 400, .code = "invalid-json"},
    {"byte order mark", T_WRITE, .body = "\xef\xbb\xbf" VALID, .status = 400, .code = "invalid-json"},
    /* NUL */
    {"\\u0000 in a label", T_WRITE, .body = WITH_L("'Web\\u0000redactie'"), .status = 400, .code = "invalid-json"},
    {"\\u0000 after a code", T_WRITE, .body = WITH_G("'GM0855\\u0000'"), .status = 400, .code = "invalid-json"},
    {"\\u0000 in a key", T_WRITE, .body = "{'gemeente\\u0000x':'GM0855','leden':[]}", .status = 400, .code = "invalid-json"},
    {"raw NUL in a string", T_WRITE, LIT(WITH_G("'GM0855\0'")), .status = 400, .code = "invalid-json"},
    {"raw NUL between tokens", T_WRITE, LIT("{'gemeente':\0'GM0855','leden':[]}"), .status = 400, .code = "invalid-json"},
    {"raw NUL after the document", T_WRITE, LIT(VALID "\0"), .status = 400, .code = "invalid-json"},
    {"raw NUL right after a number", T_WRITE, LIT(WITH_FTE("0.8\0")), .status = 400, .code = "invalid-json"},
    {"raw NUL as the body", T_WRITE, LIT("\0"), .status = 400, .code = "invalid-json"},
    /* numbers */
    {"fte 1e400", T_WRITE, .body = WITH_FTE("1e400"), .status = 400, .code = "invalid-json"},
    {"fte -1e400", T_WRITE, .body = WITH_FTE("-1e400"), .status = 400, .code = "invalid-json"},
    {"fte 1e-400", T_WRITE, .body = WITH_FTE("1e-400"), .status = 400, .code = "out-of-range"},
    {"fte NaN", T_WRITE, .body = WITH_FTE("NaN"), .status = 400, .code = "invalid-json"},
    {"fte Infinity", T_WRITE, .body = WITH_FTE("Infinity"), .status = 400, .code = "invalid-json"},
    {"fte -0", T_WRITE, .body = WITH_FTE("-0"), .status = 400, .code = "out-of-range"},
    {"fte -0.0", T_WRITE, .body = WITH_FTE("-0.0"), .status = 400, .code = "out-of-range"},
    {"fte 0", T_WRITE, .body = WITH_FTE("0"), .status = 400, .code = "out-of-range"},
    {"fte negative", T_WRITE, .body = WITH_FTE("-0.5"), .status = 400, .code = "out-of-range"},
    {"fte just over 1.5", T_WRITE, .body = WITH_FTE("1.5000001"), .status = 400, .code = "out-of-range"},
    {"fte huge integer", T_WRITE, .body = WITH_FTE("99999999999999999999999"), .status = 400, .code = "invalid-json"},
    {"fte hex", T_WRITE, .body = WITH_FTE("0x1"), .status = 400, .code = "invalid-json"},
    {"fte leading +", T_WRITE, .body = WITH_FTE("+0.8"), .status = 400, .code = "invalid-json"},
    {"fte as a string", T_WRITE, .body = WITH_FTE("'0.8'"), .status = 400, .code = "invalid-type"},
    {"fte null", T_WRITE, .body = WITH_FTE("null"), .status = 400, .code = "invalid-type"},
    {"aandeel -0", T_WRITE, .body = WITH_AANDEEL("-0"), .status = 400, .code = "out-of-range"},
    {"aandeel negative", T_WRITE, .body = WITH_AANDEEL("-0.8"), .status = 400, .code = "out-of-range"},
    {"niveau 2.0", T_WRITE, .body = WITH_NIVEAU("2.0"), .status = 400, .code = "out-of-range"},
    {"niveau 0", T_WRITE, .body = WITH_NIVEAU("0"), .status = 400, .code = "out-of-range"},
    {"niveau -1", T_WRITE, .body = WITH_NIVEAU("-1"), .status = 400, .code = "out-of-range"},
    {"niveau 2^63", T_WRITE, .body = WITH_NIVEAU("9223372036854775808"), .status = 400, .code = "invalid-json"},
    {"inwoners 1e400", T_ANALYSE, .body = "{'inwoners':1e400,'leden':[]}", .status = 400, .code = "invalid-json"},
    {"inwoners -0", T_ANALYSE, .body = "{'inwoners':-0,'leden':[]}", .status = 400, .code = "out-of-range"},
    {"inwoners 2^63-1", T_ANALYSE, .body = "{'inwoners':9223372036854775807,'leden':[]}", .status = 400, .code = "out-of-range"},
    {"inwoners as a real", T_ANALYSE, .body = "{'inwoners':45000.5,'leden':[]}", .status = 400, .code = "out-of-range"},
    /* duplicate keys */
    {"duplicate key at the top", T_WRITE, .body = "{'gemeente':'GM0855','gemeente':'GM0772','leden':[]}", .status = 400, .code = "invalid-json"},
    {"duplicate key in a member", T_WRITE, .body = "{'gemeente':'GM0855','leden':[{'label':'a','fte':1,'fte':0.5,'rollen':[]}]}", .status = 400, .code = "invalid-json"},
    {"duplicate key via an escape", T_WRITE, .body = "{'gemeente':'GM0855','gem\\u0065ente':'GM0772','leden':[]}", .status = 400, .code = "invalid-json"},
    /* strings of 1 MB */
    {"label of 1 MB", T_WRITE, .make_body = big_label, .status = 400, .code = "invalid-length"},
    {"label of 1 MB in 2-byte characters", T_WRITE, .make_body = big_label_utf8, .status = 400, .code = "invalid-length"},
    {"label of 1 MB in \\u escapes", T_WRITE, .make_body = big_escapes, .status = 400, .code = "invalid-length"},
    {"gemeente of 1 MB", T_WRITE, .make_body = big_gemeente, .status = 400, .code = "invalid-length"},
    {"rol of 1 MB", T_WRITE, .make_body = big_rol, .status = 400, .code = "invalid-length"},
    {"key of 1 MB", T_WRITE, .make_body = big_key, .status = 400, .code = "unknown-field"},
    /* shapes */
    {"body is an array", T_WRITE, .body = "[" VALID "]", .status = 400, .code = "invalid-json"},
    {"body is a string", T_WRITE, .body = "'GM0855'", .status = 400, .code = "invalid-json"},
    {"body is null", T_WRITE, .body = "null", .status = 400, .code = "invalid-json"},
    {"body is a number", T_WRITE, .body = "-0", .status = 400, .code = "invalid-json"},
    {"leden is an object", T_WRITE, .body = "{'gemeente':'GM0855','peildatum':'2026-01-01','leden':{}}", .status = 400, .code = "invalid-type"},
    {"leden is null", T_WRITE, .body = "{'gemeente':'GM0855','peildatum':'2026-01-01','leden':null}", .status = 400, .code = "invalid-type"},
    {"member is a string", T_WRITE, .body = "{'gemeente':'GM0855','peildatum':'2026-01-01','leden':['x']}", .status = 400, .code = "invalid-type"},
    {"rollen is a string", T_WRITE, .body = "{'gemeente':'GM0855','peildatum':'2026-01-01','leden':[{'label':'a','fte':1,'rollen':'webredacteur'}]}", .status = 400, .code = "invalid-type"},
    {"501 members", T_WRITE, .make_body = too_many_members, .status = 400, .code = "too-many"},
    /* codes */
    {"gemeente ../../etc/passwd", T_WRITE, .body = WITH_G("'../../etc/passwd'"), .status = 400, .code = "invalid-length"},
    {"gemeente GM0855%00", T_WRITE, .body = WITH_G("'GM0855%00'"), .status = 400, .code = "invalid-length"},
    {"gemeente GM08%0", T_WRITE, .body = WITH_G("'GM08%0'"), .status = 400, .code = "unknown-code"},
    {"gemeente ../etc", T_WRITE, .body = WITH_G("'../etc'"), .status = 400, .code = "unknown-code"},
    {"gemeente lower case", T_WRITE, .body = WITH_G("'gm0855'"), .status = 400, .code = "unknown-code"},
    {"gemeente empty", T_WRITE, .body = WITH_G("''"), .status = 400, .code = "invalid-length"},
    {"gemeente a number", T_WRITE, .body = WITH_G("855"), .status = 400, .code = "invalid-type"},
    {"rol ../../etc/passwd", T_WRITE, .body = WITH_ROL("'../../etc/passwd'"), .status = 400, .code = "unknown-code"},
    {"rol with SQL", T_WRITE, .body = "{\"gemeente\":\"GM0855\",\"peildatum\":\"2026-01-01\",\"leden\":[{\"label\":\"a\",\"fte\":1,\"rollen\":[{\"rol\":\"x'); DROP TABLE teamprofielen; --\",\"aandeel\":1}]}]}", .flags = F_BYTES, .status = 400, .code = "unknown-code"},
    {"competentie ../../etc/passwd", T_WRITE, .body = WITH_COMP("'../../../../etc/passwd'"), .status = 400, .code = "unknown-code"},
    {"peildatum 30 February", T_WRITE, .body = WITH_D("'2026-02-30'"), .status = 400, .code = "invalid-date"},
    {"peildatum 0000-00-00", T_WRITE, .body = WITH_D("'0000-00-00'"), .status = 400, .code = "invalid-date"},
    {"peildatum with NUL escape", T_WRITE, .body = WITH_D("'2026-01-0\\u0000'"), .status = 400, .code = "invalid-json"},
    /* Content-Type and Accept */
    {"no Content-Type", T_WRITE, .body = VALID, .flags = F_NO_CT, .status = 415, .code = "unsupported-media-type"},
    {"Content-Type text/plain", T_WRITE, .headers = {"Content-Type: text/plain"}, .body = VALID, .status = 415, .code = "unsupported-media-type"},
    {"Content-Type form", T_WRITE, .headers = {"Content-Type: application/x-www-form-urlencoded"}, .body = VALID, .status = 415, .code = "unsupported-media-type"},
    {"Content-Type multipart", T_WRITE, .headers = {"Content-Type: multipart/form-data; boundary=x"}, .body = VALID, .status = 415, .code = "unsupported-media-type"},
    {"Content-Type application/jsonx", T_WRITE, .headers = {"Content-Type: application/jsonx"}, .body = VALID, .status = 415, .code = "unsupported-media-type"},
    {"Content-Type json-patch", T_WRITE, .headers = {"Content-Type: application/json-patch+json"}, .body = VALID, .status = 415, .code = "unsupported-media-type"},
    {"Content-Type empty", T_WRITE, .headers = {"Content-Type: "}, .body = VALID, .status = 415, .code = "unsupported-media-type"},
    {"Content-Type of 8 KB", T_WRITE, .make_header = long_content_type, .body = INVALID, .status = 400, .code = "out-of-range"},
    {"Accept application/xml", T_WRITE, .headers = {"Accept: application/xml"}, .body = VALID, .status = 406, .code = "not-acceptable"},
    /* query strings on the write paths */
    {"1 000 query parameters on a POST", T_WRITE, .make_path = thousand_params, .body = VALID, .status = 400, .code = "too-many-parameters"},
    {"a query value of 8 KB on a POST", T_WRITE, .make_path = long_write_query, .body = VALID, .status = 400, .code = "max-length"},
    {"query ?%00 on a POST", T_WRITE, .path = "?x=%00", .body = VALID, .status = 400, .code = "invalid-encoding"},
    /* headers of the write path */
    {"Authorization of 8 KB", T_PROFIEL, .make_header = long_authorization, .body = VALID, .flags = F_OWN_AUTH, .status = 401, .code = "unauthorized"},
    {"Authorization ../../etc/passwd", T_PROFIEL, .headers = {"Authorization: Bearer ../../etc/passwd"}, .body = VALID, .flags = F_OWN_AUTH, .status = 401, .code = "unauthorized"},
    {"Authorization Basic", T_PROFIEL, .headers = {"Authorization: Basic Zm9vOmJhcg=="}, .body = VALID, .flags = F_OWN_AUTH, .status = 401, .code = "unauthorized"},
    /* libjwt 1.10.2 writes past a 0-byte buffer for an empty header or
     * payload segment: visible under valgrind only. */
    {"Authorization with an empty JWT header", T_PROFIEL, .headers = {"Authorization: Bearer .eyJjbGllbnRfaWQiOiJ4In0.x"}, .body = VALID, .flags = F_OWN_AUTH, .status = 401, .code = "unauthorized"},
    {"Authorization with an empty JWT payload", T_PROFIEL, .headers = {"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9..x"}, .body = VALID, .flags = F_OWN_AUTH, .status = 401, .code = "unauthorized"},
    {"Authorization alg none", T_PROFIEL, .headers = {"Authorization: Bearer eyJhbGciOiJub25lIn0.eyJjbGllbnRfaWQiOiJ4In0."}, .body = VALID, .flags = F_OWN_AUTH, .status = 401, .code = "unauthorized"},
    {"X-Audit-Toelichting not UTF-8", T_PROFIEL, .headers = {"X-Audit-Toelichting: caf\xe9"}, .body = INVALID, .status = 400, .code = "invalid-encoding"},
    {"X-Audit-Toelichting over 1000 characters", T_PROFIEL, .make_header = long_audit_note, .body = INVALID, .status = 400, .code = "max-length"},
    /* query strings and paths of reads */
    {"1 000 query parameters", T_PATH, "GET", .make_path = thousand_params_gemeenten, .status = 400, .code = "too-many-parameters"},
    {"1 000 duplicate parameters", T_PATH, "GET", .make_path = thousand_duplicates, .status = 400, .code = "duplicate"},
    {"65 unknown parameters", T_PATH, "GET", .make_path = sixty_five_params, .status = 400, .code = "too-many-parameters"},
    {"query value of 8 KB", T_PATH, "GET", .make_path = long_query_value, .status = 400, .code = "max-length"},
    {"query %ff", T_PATH, "GET", "/api/v1/gemeenten?zoek=%ff", .status = 400, .code = "invalid-encoding"},
    {"query %00", T_PATH, "GET", "/api/v1/gemeenten?zoek=GM0855%00", .status = 400, .code = "invalid-encoding"},
    {"query %zz", T_PATH, "GET", "/api/v1/gemeenten?zoek=%zz", .status = 400, .code = "invalid-encoding"},
    {"query % at the end", T_PATH, "GET", "/api/v1/gemeenten?zoek=a%", .status = 400, .code = "invalid-encoding"},
    {"query without a name", T_PATH, "GET", "/api/v1/gemeenten?=x", .status = 400, .code = "invalid-encoding"},
    {"query ../../etc/passwd", T_PATH, "GET", "/api/v1/gemeenten?provincie=../../etc/passwd", .status = 400, .code = "invalid-choice"},
    {"page 1e400", T_PATH, "GET", "/api/v1/gemeenten?page=1e400", .status = 400, .code = "invalid-integer"},
    {"page -0", T_PATH, "GET", "/api/v1/gemeenten?page=-0", .status = 400, .code = "min-value"},
    {"page 2^64", T_PATH, "GET", "/api/v1/gemeenten?page=18446744073709551616", .status = 400, .code = "invalid-integer"},
    {"pageSize NaN", T_PATH, "GET", "/api/v1/gemeenten?pageSize=NaN", .status = 400, .code = "invalid-integer"},
    {"pageSize 1e400", T_PATH, "GET", "/api/v1/rollen?pageSize=1e400", .status = 400, .code = "invalid-integer"},
    {"code ../../etc/passwd", T_PATH, "GET", "/api/v1/gemeenten/../../etc/passwd", .status = 404, .code = "not-found"},
    {"code ..%2F..%2Fetc%2Fpasswd", T_PATH, "GET", "/api/v1/gemeenten/..%2F..%2Fetc%2Fpasswd", .status = 404, .code = "not-found"},
    {"code %2e%2e", T_PATH, "GET", "/api/v1/rollen/%2e%2e", .status = 404, .code = "not-found"},
    {"code GM0855%00", T_PATH, "GET", "/api/v1/gemeenten/GM0855%00", .status = 404, .code = "not-found"},
    {"code GM0855%2500", T_PATH, "GET", "/api/v1/gemeenten/GM0855%2500", .status = 404, .code = "not-found"},
    {"code overlong %C0%AF", T_PATH, "GET", "/api/v1/gemeenten/%C0%AF", .status = 404, .code = "not-found"},
    {"code of 8 KB", T_PATH, "GET", .make_path = long_code, .status = 404, .code = "not-found"},
    {"uuid of 8 KB", T_PATH, "GET", .make_path = long_uuid, .status = 404, .code = "not-found"},
    {"uuid ..%2F..%2Fetc%2Fpasswd", T_PATH, "GET", "/api/v1/teamprofielen/..%2F..%2Fetc%2Fpasswd", .status = 404, .code = "not-found"},
    {"uuid with %00", T_PATH, "GET", "/api/v1/teamprofielen/00000000-0000-0000-0000-000000000000%00", .status = 404, .code = "not-found"},
    {"PUT uuid ../../etc/passwd", T_PATH, "PUT", "/api/v1/teamprofielen/..%2F..%2Fetc%2Fpasswd", .headers = {"Content-Type: application/json", "If-Match: *"}, .body = VALID, .status = 404, .code = "not-found"},
    {"benchmark code ../etc", T_PATH, "GET", "/api/v1/gemeenten/..%2Fetc/benchmark", .flags = F_BENCH, .status = 404, .code = "not-found"},
    /* A code whose first 16 bytes end inside a UTF-8 character, echoed in
     * the detail of the 404. */
    {"benchmark code cut inside a character", T_PATH, "GET", "/api/v1/gemeenten/GMa%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9/benchmark", .flags = F_BENCH, .status = 404, .code = "not-found"},
};

#define NCORPUS (sizeof(CORPUS) / sizeof(CORPUS[0]))

/* Runs one case against one path; failures go to `f`. */
static void run_one(const struct bad_case *c, const char *label, const char *path, int with_token,
                    struct failures *f) {
  struct blob body = {NULL, 0};
  if (c->make_body != NULL) {
    body = c->make_body();
  } else if (c->body != NULL) {
    size_t len = c->body_len ? c->body_len : strlen(c->body);
    body = (c->flags & F_BYTES) ? (struct blob){memcpy(malloc(len + 1), c->body, len), len}
                                : quoted(c->body, len);
  }
  const char *headers[8];
  size_t n = 0;
  char auth[4096];
  const char *token = (c->flags & F_BENCH) ? bench_token : with_token ? writer_token : NULL;
  if (token != NULL && !(c->flags & F_OWN_AUTH)) {
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
    headers[n++] = auth;
  }
  int has_ct = 0;
  for (size_t i = 0; i < 4 && c->headers[i] != NULL; i++) {
    if (strncasecmp(c->headers[i], "Content-Type:", 13) == 0) has_ct = 1;
    headers[n++] = c->headers[i];
  }
  char *made = c->make_header ? c->make_header() : NULL;
  if (made != NULL) {
    if (strncasecmp(made, "Content-Type:", 13) == 0) has_ct = 1;
    headers[n++] = made;
  }
  if (body.data != NULL && !has_ct) {
    headers[n++] = (c->flags & F_NO_CT) ? "Content-Type:" : "Content-Type: application/json";
  }
  headers[n] = NULL;
  const char *method = c->target == T_PATH ? c->method : "POST";
  struct it_response r;
  char why[1200];
  if (it_request(&srv, method, path, headers, body.data, body.len, &r) != 0) {
    fail_case(f, label, "no (complete) response, the connection was closed or timed out");
  } else if (!problem_ok(&r, c->status, c->code, why, sizeof(why))) {
    fail_case(f, label, "%s", why);
  }
  it_response_free(&r);
  free(body.data);
  free(made);
  if (!server_answers(why, sizeof(why))) fail_case(f, label, "%s", why);
}

START_TEST(api_corpus) {
  struct failures f = {.len = 0, .count = 0};
  int runs = 0;
  /* A request without an answer fails after 15 s, not curl's 60 s. */
  if (!it_valgrind()) it_set_request_timeout(15L * SLOWDOWN);
  for (size_t i = 0; i < NCORPUS; i++) {
    const struct bad_case *c = &CORPUS[i];
    char *made = c->make_path ? c->make_path() : NULL;
    const char *p = made ? made : c->path;
    if (c->target == T_PATH) {
      run_one(c, c->name, p, 0, &f);
      runs++;
    } else {
      static const char *const PATHS[] = {"/api/v1/gap-analyses", "/api/v1/teamprofielen"};
      for (int t = 0; t < 2; t++) {
        if ((c->target == T_ANALYSE && t == 1) || (c->target == T_PROFIEL && t == 0)) continue;
        char label[200], *path = malloc(strlen(PATHS[t]) + (p ? strlen(p) : 0) + 1);
        sprintf(path, "%s%s", PATHS[t], p ? p : "");
        snprintf(label, sizeof(label), "%s (%s)", c->name, t ? "teamprofielen" : "gap-analyses");
        run_one(c, label, path, t == 1, &f);
        runs++;
        free(path);
      }
    }
    free(made);
  }
  fprintf(stderr, "api corpus: %zu cases, %d requests, %d failed\n", NCORPUS, runs, f.count);
  assert_db_unchanged();
  assert_no_failures(&f, "API", runs);
}
END_TEST

/* The control: the valid body of the corpus is analysed (200), so the
 * failures above come from what each case breaks. */
START_TEST(valid_body_is_analysed) {
  struct blob b = valid_body();
  const char *h[] = {"Content-Type: application/json", NULL};
  struct it_response r;
  ck_assert_int_eq(it_request(&srv, "POST", "/api/v1/gap-analyses", h, b.data, b.len, &r), 0);
  ck_assert_msg(r.status == 200, "the valid body gave %ld: %s", r.status, r.body);
  ck_assert_str_eq(json_string_value(json_object_get(r.json, "methodeVersie")), "1.1");
  it_response_free(&r);
  free(b.data);
  assert_db_unchanged();
}
END_TEST

/* The reason of an invalid-json problem says where and what, on one line:
 * from yajl's messages, from the checks made while the tree is built and
 * from jansson (a text with a surrogate escape). */
START_TEST(invalid_json_reason_says_where) {
  static const struct {
    const char *body, *position, *words;
  } CASES[] = {
      {"{\"gemeente\":\"GM0855\",}", "(positie 22)", "parse error"},
      {"{\"gemeente\":\"GM0855\",\"gemeente\":\"GM0855\",\"leden\":[]}", "(positie 40)",
       "een sleutel komt twee keer voor"},
      {"{\"gemeente\":\"GM\\u0000\"}", "(positie 22)", "\\u0000 is niet toegestaan"},
      {"{\"label\":\"a\\ud800\"}", "(positie 18)", "invalid Unicode"},
      {"{\"leden\":[]}\v", "(positie 12)", "ongeldig teken"},
  };
  const char *h[] = {"Content-Type: application/json", NULL};
  for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
    struct it_response r;
    ck_assert_int_eq(it_request(&srv, "POST", "/api/v1/gap-analyses", h, CASES[i].body,
                                strlen(CASES[i].body), &r),
                     0);
    ck_assert_int_eq(r.status, 400);
    json_t *p = json_array_get(json_object_get(r.json, "invalidParams"), 0);
    const char *reason = json_string_value(json_object_get(p, "reason"));
    ck_assert_ptr_nonnull(reason);
    ck_assert_str_eq(json_string_value(json_object_get(p, "code")), "invalid-json");
    ck_assert_msg(strncmp(reason, "Geen geldige JSON ", 18) == 0, "%s", reason);
    ck_assert_msg(strstr(reason, CASES[i].position) != NULL, "%s: %s", CASES[i].body, reason);
    ck_assert_msg(strstr(reason, CASES[i].words) != NULL, "%s: %s", CASES[i].body, reason);
    ck_assert_msg(strchr(reason, '\n') == NULL, "%s", reason);
    it_response_free(&r);
  }
}
END_TEST

START_TEST(validation_time_is_linear) {
  if (it_valgrind()) return; /* a question of CPU time, not of memory */
  for (int competencies = 0; competencies < 2; competencies++) {
    struct blob b = many_unknown_roles(28000, competencies);
    ck_assert_uint_lt(b.len, MAX_BODY);
    const char *h[] = {"Content-Type: application/json", NULL};
    struct it_response r;
    double start = it_now_s();
    ck_assert_int_eq(it_request(&srv, "POST", "/api/v1/gap-analyses", h, b.data, b.len, &r), 0);
    double took = it_now_s() - start;
    ck_assert_int_eq(r.status, 400);
    it_response_free(&r);
    free(b.data);
    ck_assert_msg(took < 3.0 * SLOWDOWN,
                  "28 000 %s in one member took %.1f s to validate (limit %d s)",
                  competencies ? "competencies" : "roles", took, 3 * SLOWDOWN);
  }
  assert_db_unchanged();
}
END_TEST

int main(void) {
  Suite *s = suite_create("bad_input");
  TCase *tc = it_case("bad_input", BAD_INPUT_TIMEOUT, setup, teardown);
  tcase_add_test(tc, valid_body_is_analysed);
  tcase_add_test(tc, invalid_json_reason_says_where);
  tcase_add_test(tc, api_corpus);
  tcase_add_test(tc, validation_time_is_linear);
  suite_add_tcase(s, tc);
  int failed = it_run_suite(s);
  return failed == 0 && !teardown_failed ? 0 : 1;
}
