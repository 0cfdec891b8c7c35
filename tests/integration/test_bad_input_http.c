/* Reliability and security under bad HTTP: raw sockets for what curl will
 * not send (HTTP-level oddities, request smuggling, on the API and the admin
 * listener), and requests cut off by their clients that must not hold up
 * shutdown.
 *
 * For HTTP-level oddities libmicrohttpd often answers itself (400, 413, 414,
 * 431, 505 with its own HTML bodies; see docs/operations.md): there only
 * the server staying up and answering the next request is asserted, except
 * where the request reaches our dispatcher and we owe a problem+json. The
 * database must be unchanged afterwards (tests/integration/fixture_bad_input.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <signal.h>

#include "fixture_bad_input.h"

/* --- HTTP-level oddities over a raw socket ------------------------------------ */

struct raw_case {
  const char *name;
  const char *data; /* the bytes as sent (no ' conversion) */
  size_t len;       /* of data */
  struct blob (*make)(void);
  enum it_raw_mode mode;
  /* 0: only that the server stays up; else our problem+json with this
   * status is required. `observed` is what libmicrohttpd 0.9.75 answers,
   * for docs/operations.md; it is not asserted. */
  int problem;
  int silent; /* no answer comes: read for half a second only */
  const char *observed;
};

#define RAW(s) .data = s, .len = sizeof(s) - 1

static struct blob long_request_line(void) {
  char *p = padded_path("GET /api/v1/gemeenten?zoek=", 8192, 'a', "");
  struct blob b = {NULL, 0};
  size_t cap = strlen(p) + 64;
  b.data = malloc(cap);
  b.len = (size_t)snprintf(b.data, cap, "%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", p);
  free(p);
  return b;
}

static struct blob huge_request_line(void) {
  char *p = padded_path("GET /api/v1/", 200000, 'a', "");
  size_t cap = strlen(p) + 64;
  struct blob b = {malloc(cap), 0};
  b.len = (size_t)snprintf(b.data, cap, "%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", p);
  free(p);
  return b;
}

static struct blob hundred_big_headers(void) {
  size_t cap = 100 * 8220 + 128;
  struct blob b = {malloc(cap), 0};
  b.len = (size_t)snprintf(b.data, cap, "GET /livez HTTP/1.1\r\nHost: x\r\n");
  for (int i = 0; i < 100; i++) {
    b.len += (size_t)snprintf(b.data + b.len, cap - b.len, "X-Big-%02d: ", i);
    memset(b.data + b.len, 'v', 8192);
    b.len += 8192;
    memcpy(b.data + b.len, "\r\n", 2);
    b.len += 2;
  }
  b.len += (size_t)snprintf(b.data + b.len, cap - b.len, "Connection: close\r\n\r\n");
  return b;
}

/* 8 000 empty query parameters (24 KB): more than libmicrohttpd's
 * per-connection memory holds, however large that is set. */
static struct blob empty_params(void) {
  char *p = params_path("GET /api/v1/gemeenten?", 8000, "a", 0, "");
  size_t cap = strlen(p) + 64;
  struct blob b = {malloc(cap), 0};
  b.len = (size_t)snprintf(b.data, cap, "%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", p);
  free(p);
  return b;
}

/* A 10 MB body in 64 KB chunks. */
static struct blob chunked_ten_mb(void) {
  const char *head = "POST /api/v1/gap-analyses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
  size_t chunk = 65536, chunks = 160, lh = strlen(head);
  struct blob b = {malloc(lh + chunks * (chunk + 16) + 16), 0};
  memcpy(b.data, head, lh);
  b.len = lh;
  for (size_t i = 0; i < chunks; i++) {
    b.len += (size_t)sprintf(b.data + b.len, "%zx\r\n", chunk);
    memset(b.data + b.len, i == 0 ? '[' : ' ', chunk);
    b.len += chunk;
    memcpy(b.data + b.len, "\r\n", 2);
    b.len += 2;
  }
  memcpy(b.data + b.len, "0\r\n\r\n", 5);
  b.len += 5;
  return b;
}

static const struct raw_case ODDITIES[] = {
    {"request line of 8 KB", .make = long_request_line, .mode = IT_RAW_READ, .problem = 400,
     .observed = "reaches the API: 400 max-length"},
    {"request line of 200 KB", .make = huge_request_line, .mode = IT_RAW_READ,
     .observed = "414 from libmicrohttpd (HTML) above the 128 KiB of connection memory"},
    {"100 headers of 8 KB", .make = hundred_big_headers, .mode = IT_RAW_READ,
     .observed = "431 from libmicrohttpd (HTML), connection closed"},
    {"8 000 empty query parameters", .make = empty_params, .mode = IT_RAW_READ,
     .silent = 1, .observed = "no answer: libmicrohttpd runs out of connection memory; held until the timeout"},
    {"header with a NUL byte", RAW("GET /livez HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\nConnection: close\r\n\r\n"),
     .mode = IT_RAW_READ, .observed = "200: the value ends at the NUL"},
    {"Authorization with a NUL byte", RAW("GET /api/v1/teamprofielen HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \0x\r\nConnection: close\r\n\r\n"),
     .mode = IT_RAW_READ, .problem = 401, .observed = "401: the value ends at the NUL"},
    {"NUL in the request target", RAW("GET /api/v1/gemeenten/GM0855\0/../x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
     .mode = IT_RAW_READ, .observed = "the target ends at the NUL: GET /api/v1/gemeenten/GM0855"},
    {"control character in the path", RAW("GET /api/v1/gemeenten/GM08\x01" "55 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
     .mode = IT_RAW_READ, .problem = 404, .observed = "reaches the API: 404"},
    {"invalid method G@T", RAW("G@T /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
     .mode = IT_RAW_READ, .problem = 405, .observed = "reaches the API: 405 with Allow"},
    {"invalid method with a control character", RAW("GET\x01 /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
     .mode = IT_RAW_READ, .problem = 405, .observed = "reaches the API: 405"},
    {"invalid method that is not UTF-8", RAW("G\xff" "T /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
     .mode = IT_RAW_READ, .problem = 405, .observed = "reaches the API: 405"},
    {"method of 17 bytes cut inside a character", RAW("a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
     .mode = IT_RAW_READ, .problem = 405, .observed = "reaches the API: 405"},
    {"method starting with NUL", RAW("\0GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
     .mode = IT_RAW_READ, .observed = "400 from libmicrohttpd (HTML)"},
    {"HTTP/1.0 without Host", RAW("GET /livez HTTP/1.0\r\n\r\n"), .mode = IT_RAW_READ,
     .observed = "200, connection closed"},
    {"HTTP/1.1 without Host", RAW("GET /livez HTTP/1.1\r\nConnection: close\r\n\r\n"),
     .mode = IT_RAW_READ, .observed = "200 (libmicrohttpd is not strict about Host)"},
    {"HTTP/0.9 request", RAW("GET /livez\r\n\r\n"), .mode = IT_RAW_READ,
     .observed = "400 from libmicrohttpd (HTML)"},
    {"HTTP/3.0 request line", RAW("GET /livez HTTP/3.0\r\nHost: x\r\n\r\n"), .mode = IT_RAW_READ,
     .observed = "505 from libmicrohttpd (HTML)"},
    {"HTTP/2 preface", RAW("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), .mode = IT_RAW_READ,
     .observed = "505 from libmicrohttpd (HTML)"},
    {"TLS ClientHello on the plain port", RAW("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\x00\x00\x00\x00\x00\x00\x00\x00"),
     .mode = IT_RAW_READ, .silent = 1, .observed = "no answer; closed after the 30 s idle timeout"},
    {"a line of text", RAW("hello\r\n\r\n"), .mode = IT_RAW_READ,
     .observed = "connection closed without an answer"},
    {"header line without a colon", RAW("GET /livez HTTP/1.1\r\nHost: x\r\nNoColon\r\nConnection: close\r\n\r\n"),
     .mode = IT_RAW_READ, .observed = "400 from libmicrohttpd (HTML)"},
    {"header line with an empty name", RAW("GET /livez HTTP/1.1\r\nHost: x\r\n: e\r\nX-After: 1\r\nConnection: close\r\n\r\n"),
     .mode = IT_RAW_READ, .observed = "the headers end there: 200, then the lines after it are read as the next request (400 from libmicrohttpd)"},
    {"Content-Length -1", RAW("POST /api/v1/gap-analyses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -1\r\nConnection: close\r\n\r\n{}"),
     .mode = IT_RAW_READ, .observed = "400 from libmicrohttpd (HTML)"},
    {"Content-Length 10^23", RAW("POST /api/v1/gap-analyses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999999\r\nConnection: close\r\n\r\n{}"),
     .mode = IT_RAW_READ, .observed = "413 from libmicrohttpd (HTML)"},
    {"broken chunk size", RAW("POST /api/v1/gap-analyses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
     .mode = IT_RAW_READ, .observed = "400 from libmicrohttpd (HTML)"},
    {"10 MB chunked body", .make = chunked_ten_mb, .mode = IT_RAW_READ, .problem = 413,
     .observed = "reaches the API: 413 after the whole body was read"},
    {"two pipelined requests", RAW("GET /livez HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
     .mode = IT_RAW_READ, .observed = "both answered in order"},
    {"cut off in the request line, closed", RAW("GET /liv"), .mode = IT_RAW_CLOSE,
     .observed = "dropped"},
    {"cut off in the headers, closed", RAW("POST /api/v1/gap-analyses HTTP/1.1\r\nHost: x\r\nContent-Ty"),
     .mode = IT_RAW_CLOSE, .observed = "dropped"},
    {"cut off in the body, closed", RAW("POST /api/v1/gap-analyses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"gemeente\":"),
     .mode = IT_RAW_CLOSE, .observed = "dropped; logged as 'closed by remote side with incomplete request'"},
    {"cut off in a chunk, closed", RAW("POST /api/v1/gap-analyses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n100\r\n{\"a\""),
     .mode = IT_RAW_CLOSE, .observed = "dropped"},
    {"cut off in the body, half closed", RAW("POST /api/v1/gap-analyses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"gemeente\":"),
     .mode = IT_RAW_HALF_CLOSE, .silent = 1, .observed = "held until the 30 s idle timeout"},
    {"Expect: 100-continue over the limit", RAW("POST /api/v1/gap-analyses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\nExpect: 100-continue\r\n\r\n"),
     .mode = IT_RAW_READ, .silent = 1, .observed = "100 Continue, then waits for the body"},
};

#define NODDITIES (sizeof(ODDITIES) / sizeof(ODDITIES[0]))

/* Our problem+json with `status` in a raw reply: its document (new
 * reference), or NULL with the reason in `why`. */
static json_t *raw_problem(const char *reply, size_t len, int status, char *why, size_t n) {
  int got = it_raw_status(reply);
  if (got != status) {
    snprintf(why, n, "status %d, expected %d: %.200s", got, status, reply);
    return NULL;
  }
  const char *end = strstr(reply, "\r\n\r\n");
  if (end == NULL || strstr(reply, "\r\nContent-Type: application/problem+json\r\n") == NULL ||
      strstr(reply, "\r\nX-Content-Type-Options: nosniff\r\n") == NULL) {
    snprintf(why, n, "not our problem+json: %.300s", reply);
    return NULL;
  }
  const char *body = end + 4;
  json_error_t err;
  json_t *doc = json_loadb(body, len - (size_t)(body - reply), JSON_DISABLE_EOF_CHECK, &err);
  int ok = doc != NULL && json_integer_value(json_object_get(doc, "status")) == status &&
           json_is_string(json_object_get(doc, "instance")) &&
           json_is_string(json_object_get(doc, "detail"));
  if (!ok) {
    snprintf(why, n, "the problem body is missing or broken (%zu bytes): %.200s",
             len - (size_t)(body - reply), body);
    json_decref(doc);
    return NULL;
  }
  return doc;
}

static int raw_problem_ok(const char *reply, size_t len, int status, char *why, size_t n) {
  json_t *doc = raw_problem(reply, len, status, why, n);
  json_decref(doc);
  return doc != NULL;
}

START_TEST(http_oddities) {
  struct failures f = {.len = 0, .count = 0};
  int answer_ms = it_valgrind() ? 120000 : 10000 * SLOWDOWN;
  for (size_t i = 0; i < NODDITIES; i++) {
    const struct raw_case *c = &ODDITIES[i];
    struct blob b = c->make ? c->make() : (struct blob){(char *)c->data, c->len};
    char *reply = NULL;
    size_t len = 0;
    char why[1200];
    it_raw(&srv, b.data, b.len, c->mode, c->silent ? 500 : answer_ms, &reply, &len);
    if (c->problem != 0 && !raw_problem_ok(reply, len, c->problem, why, sizeof(why))) {
      fail_case(&f, c->name, "%s", why);
    }
    fprintf(stderr, "oddity %-45s -> %d (%s)\n", c->name, it_raw_status(reply), c->observed);
    free(reply);
    if (c->make) free(b.data);
    if (!server_answers(why, sizeof(why))) fail_case(&f, c->name, "%s", why);
  }
  assert_db_unchanged();
  assert_no_failures(&f, "HTTP-level", (int)NODDITIES);
}
END_TEST

/* --- request smuggling over a raw socket ------------------------------------------ */

/* Requests whose length a proxy in front and libmicrohttpd could read
 * differently. Each carries, where libmicrohttpd 0.9.75 would see the next
 * request, a smuggled GET of a canary path; libmicrohttpd's reading is in
 * docs/operations.md ("Request smuggling"). */
struct smuggle_case {
  const char *name;
  const char *head;   /* everything before the smuggled request */
  const char *header; /* the header the 400 must name, as received */
};

#define POST_ANALYSIS "POST /api/v1/gap-analyses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"

static const struct smuggle_case SMUGGLES[] = {
    {"Content-Length and Transfer-Encoding",
     POST_ANALYSIS "Content-Length: 60\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
     "Transfer-Encoding"},
    {"Content-Length and Transfer-Encoding: Chunked",
     POST_ANALYSIS "Transfer-Encoding: Chunked\r\nContent-Length: 60\r\n\r\n0\r\n\r\n", "Transfer-Encoding"},
    {"two different Content-Lengths", POST_ANALYSIS "Content-Length: 2\r\nContent-Length: 60\r\n\r\n{}",
     "Content-Length"},
    {"two equal Content-Lengths", POST_ANALYSIS "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
     "Content-Length"},
    {"Content-Length twice, in another case", POST_ANALYSIS "Content-Length: 2\r\ncontent-length: 60\r\n\r\n{}",
     "Content-Length"},
    {"space before the colon of Content-Length", POST_ANALYSIS "Content-Length : 60\r\n\r\n",
     "Content-Length "},
    {"tab before the colon of Content-Length", POST_ANALYSIS "Content-Length\t: 60\r\n\r\n",
     "Content-Length\t"},
    {"space before the colon of Transfer-Encoding, with a Content-Length",
     POST_ANALYSIS "Content-Length: 5\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", "Transfer-Encoding "},
    {"two Transfer-Encodings", POST_ANALYSIS "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n",
     "Transfer-Encoding"},
    {"Transfer-Encoding in HTTP/1.0",
     "POST /api/v1/gap-analyses HTTP/1.0\r\nHost: x\r\nContent-Type: application/json\r\n"
     "Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
     "Transfer-Encoding"},
    {"folded line holding a Content-Length", POST_ANALYSIS "X-A: b\r\n Content-Length: 60\r\n\r\n",
     "X-AContent-Length: 60"},
    {"folded Transfer-Encoding value, with a Content-Length",
     POST_ANALYSIS "Content-Length: 5\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", "Transfer-Encodingchunked"},
    {"Content-Length twice, the second not UTF-8",
     POST_ANALYSIS "Content-Length: 2\r\nContent-Length: \xff\r\n\r\n{}", "Content-Length"},
};

#define NSMUGGLES (sizeof(SMUGGLES) / sizeof(SMUGGLES[0]))

/* How many HTTP responses a raw reply holds, each body skipped by its
 * Content-Length. */
static int raw_response_count(const char *reply, size_t len) {
  int n = 0;
  size_t at = 0;
  while (at < len && strncmp(reply + at, "HTTP/1.", 7) == 0) {
    n++;
    const char *end = strstr(reply + at, "\r\n\r\n");
    if (end == NULL) break;
    size_t body = 0;
    for (const char *h = strstr(reply + at, "\r\n"); h < end; h = strstr(h + 2, "\r\n")) {
      if (strncasecmp(h + 2, "Content-Length:", 15) == 0) body = strtoul(h + 17, NULL, 10);
    }
    at = (size_t)(end + 4 - reply) + body;
  }
  return n;
}

/* Each request gets one 400 problem+json naming the header, with
 * Connection: close, and the connection really closes: the bytes after it
 * are never read as a request (the canary path is not in the log). */
START_TEST(request_smuggling_is_refused) {
  struct failures f = {.len = 0, .count = 0};
  int wait_ms = it_valgrind() ? 120000 : 10000 * SLOWDOWN;
  for (size_t i = 0; i < NSMUGGLES; i++) {
    const struct smuggle_case *c = &SMUGGLES[i];
    char canary[64], data[1024], why[1200];
    snprintf(canary, sizeof(canary), "/api/v1/smuggled-canary-%zu", i);
    int len = snprintf(data, sizeof(data), "%sGET %s HTTP/1.1\r\nHost: x\r\n\r\n", c->head, canary);
    ck_assert(len > 0 && (size_t)len < sizeof(data));
    char *reply = NULL;
    size_t reply_len = 0;
    double start = it_now_s();
    it_raw(&srv, data, (size_t)len, IT_RAW_READ, wait_ms, &reply, &reply_len);
    double took = it_now_s() - start;
    json_t *doc = raw_problem(reply, reply_len, 400, why, sizeof(why));
    json_t *param = json_array_get(json_object_get(doc, "invalidParams"), 0);
    const char *named = json_string_value(json_object_get(param, "name"));
    /* One line per case: Check refuses a failure message over 8 KB. */
    char seen[512];
    snprintf(seen, sizeof(seen), "%s%s%s%s",
             doc == NULL ? "not our 400; " : "",
             doc != NULL && (named == NULL || strcmp(named, c->header) != 0)
                 ? "invalidParams[0] names another header; " : "",
             strstr(reply, "\r\nConnection: close\r\n") == NULL ? "no Connection: close; " : "",
             took * 1000.0 >= wait_ms * 0.9 ? "the connection stayed open; " : "");
    int responses = raw_response_count(reply, reply_len);
    int served = it_log_contains(&srv, canary);
    if (seen[0] != '\0' || responses != 1 || served) {
      fail_case(&f, c->name, "%s%d responses; the smuggled GET was %s; first answer: %.100s", seen,
                responses, served ? "served" : "not served", doc == NULL ? why : reply);
    }
    json_decref(doc);
    free(reply);
    if (!server_answers(why, sizeof(why))) fail_case(&f, c->name, "%s", why);
  }
  assert_db_unchanged();
  assert_no_failures(&f, "smuggling", (int)NSMUGGLES);
}
END_TEST

/* The admin listener makes the same framing check: every header reaches it,
 * also one whose value is not UTF-8. */
START_TEST(admin_listener_refuses_smuggling_too) {
  struct it_server admin = it_admin(&srv);
  struct failures f = {.len = 0, .count = 0};
  int wait_ms = it_valgrind() ? 120000 : 10000 * SLOWDOWN;
  for (size_t i = 0; i < NSMUGGLES; i++) {
    char *reply = NULL;
    size_t reply_len = 0;
    it_raw(&admin, SMUGGLES[i].head, strlen(SMUGGLES[i].head), IT_RAW_READ, wait_ms, &reply,
           &reply_len);
    char why[1200];
    json_t *doc = raw_problem(reply, reply_len, 400, why, sizeof(why));
    if (doc == NULL || strstr(reply, "\r\nConnection: close\r\n") == NULL) {
      fail_case(&f, SMUGGLES[i].name, "%s", doc == NULL ? why : "no Connection: close");
    }
    json_decref(doc);
    free(reply);
  }
  assert_no_failures(&f, "smuggling on the admin port", (int)NSMUGGLES);
}
END_TEST

/* Validation must cost time in proportion to the body, not to its square:
 * one member with 28 000 distinct role codes (0.9 MB, under the body
 * limit), or as many competencies, is a plain 400, answered quickly. */
/* --- shutdown after cut-off requests ------------------------------------------ */

/* A server of this test's own (checked fixture): the test stops it. */
static struct it_server own;

static void own_start(void) { ck_assert_int_eq(it_server_start(&own, SERVER_ENV), 0); }
static void own_stop(void) {
  if (own.pid > 0) ck_assert_int_eq(it_server_stop_verbose(&own), 0);
}

/* Clients that give up halfway must not count as requests in flight for
 * ever: after 40 requests cut off in their headers or body, SIGTERM still
 * stops the server without waiting out the 25 s drain. */
START_TEST(cut_off_requests_do_not_hold_up_shutdown) {
  static const char *const cuts[] = {
      "GET /livez HTTP/1.1\r\nHost: x\r\nX-Par",
      "POST /api/v1/gap-analyses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 100000\r\n\r\n{}",
  };
  for (int i = 0; i < 40; i++) {
    const char *c = cuts[i % 2];
    it_raw(&own, c, strlen(c), IT_RAW_CLOSE, 0, NULL, NULL);
  }
  it_sleep_ms(300);
  struct it_response r;
  ck_assert_int_eq(it_get(&own, "/livez", &r), 0);
  ck_assert_int_eq(r.status, 200);
  it_response_free(&r);
  double start = it_now_s();
  kill(own.pid, SIGTERM);
  int limit_ms = it_valgrind() ? 180000 : 40000;
  int stopped = 0;
  for (int waited = 0; waited < limit_ms && !stopped; waited += 100) {
    stopped = it_log_contains(&own, "serve: stopped");
    if (!stopped) it_sleep_ms(100);
  }
  double took = it_now_s() - start;
  int stuck = it_log_contains(&own, "still in flight");
  ck_assert_msg(stopped, "the server did not stop");
  ck_assert_msg(!stuck,
                "after requests cut off by their clients the shutdown waited %.1f s for requests "
                "'still in flight' that no longer exist",
                took);
}
END_TEST

int main(void) {
  Suite *s = suite_create("bad_input_http");
  TCase *tc = it_case("bad_input_http", BAD_INPUT_TIMEOUT, setup, teardown);
  tcase_add_test(tc, http_oddities);
  tcase_add_test(tc, request_smuggling_is_refused);
  tcase_add_test(tc, admin_listener_refuses_smuggling_too);
  suite_add_tcase(s, tc);

  TCase *ts = tcase_create("shutdown");
  tcase_set_timeout(ts, BAD_INPUT_TIMEOUT);
  tcase_add_checked_fixture(ts, own_start, own_stop);
  tcase_add_test(ts, cut_off_requests_do_not_hold_up_shutdown);
  suite_add_tcase(s, ts);
  int failed = it_run_suite(s);
  return failed == 0 && !teardown_failed ? 0 : 1;
}
