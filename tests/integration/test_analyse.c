/* The teamplotter over real HTTP against the real binary and a real
 * cluster: the gap analysis of a stored profile against the anonymous one,
 * what-if analyses by number of inhabitants, validation, the benchmark of
 * one municipality and of all of them (JSON pages against the RFC 4180 CSV),
 * k-anonymity in a size class and PERCENTRANK.INC, what a municipality's own
 * client can learn of the others by probing with its own profile (the
 * quartiles and nothing more), access rules, content
 * negotiation, determinism, and the SVG chart: well-formed XML (xmllint),
 * safe with awkward names, and rendered by headless Chromium into a PNG
 * that is not blank (tests/integration/chart_render.sh).
 *
 * Other test binaries may use the same database at the same time: every
 * client this binary makes is named it-an-<pid>-..., only profiles made by
 * those clients are written, figures that depend on other people's profiles
 * are computed from one stable snapshot of the API, and teardown removes
 * everything it made.
 *
 * TEAMPLOTTER_UPDATE_EXAMPLE=1 also writes docs/gap-analyse-voorbeeld.svg
 * and docs/gap-analyse-voorbeeld.png (the chart of Zeewolde's reference
 * profile) into the source tree. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>

#include "harness.h"

static struct it_server srv;

static const char *const SERVER_ENV[] = {
    "TEAMPLOTTER_THREADS=8",
    "TEAMPLOTTER_DB_POOL_SIZE=8",
    NULL,
};

/* it-an-<pid>-: the prefix of every client id of this run. */
static char prefix[48];
/* This file's directory (the script beside it; docs/ two levels up). */
static char here[1024];
/* A scratch directory for SVG and PNG files, removed at teardown. */
static char scratch[256];

/* Size class 3 (10 000-19 999 inhabitants): no reference municipality is in
 * it. GM0279 Scherpenzeel has exactly 10 000, the lower bound of the class. */
static const char *const CLASS3[] = {"GM0279", "GM0003", "GM0072", "GM0175", "GM0180", "GM0221"};
#define NCLASS3 (sizeof(CLASS3) / sizeof(CLASS3[0]))

struct client {
  const char *suffix, *scopes, *gemeenten;
  char id[64];
  char *token;
};

enum { W, R, E, B, N, A, M, P, S, NCLIENTS };

static struct client clients[NCLIENTS] = {
    /* writes the profiles of this run. GM0820 "Nuenen, Gerwen en
     * Nederwetten" (a comma for the CSV), GM0796 's-Hertogenbosch and
     * GM1900 Súdwest-Fryslân (awkward names for the chart), and class 3. */
    [W] = {"w", "teamprofielen.lezen,teamprofielen.schrijven",
           "GM0820,GM0796,GM1900,GM0279,GM0003,GM0072,GM0175,GM0180,GM0221", "", NULL},
    /* reads its own municipality's profiles */
    [R] = {"r", "teamprofielen.lezen", "GM0820", "", NULL},
    /* reads its own municipality, which has no profile (GM0252 Heumen) */
    [E] = {"e", "teamprofielen.lezen", "GM0252", "", NULL},
    /* benchmarks only */
    [B] = {"b", "benchmarks.lezen", "GM0772", "", NULL},
    /* every profile scope of GM0820, but not benchmarks.lezen */
    [N] = {"n", "teamprofielen.lezen,teamprofielen.schrijven,audittrail.lezen", "GM0820", "", NULL},
    /* the prober of size class 2: writes and reads GM0024 Loppersum only */
    [A] = {"a", "teamprofielen.lezen,teamprofielen.schrijven", "GM0024", "", NULL},
    /* a prober with two municipalities of class 2: GM0024 and GM1695 Noord-Beveland */
    [M] = {"m", "teamprofielen.lezen,teamprofielen.schrijven", "GM0024,GM1695", "", NULL},
    /* writes the other municipalities' profiles of classes 2, 1 and 5 */
    [P] = {"p", "teamprofielen.lezen,teamprofielen.schrijven",
           "GM0317,GM0339,GM0431,GM0638,GM0744,GM0944,GM0088,GM0093,GM0096,GM0277,"
           "GM0355,GM0106,GM0118,GM0141,GM0222,GM0345",
           "", NULL},
    /* the prober of size class 1: GM0060 Ameland */
    [S] = {"s", "teamprofielen.lezen,teamprofielen.schrijven", "GM0060", "", NULL},
};

/* --- small helpers ------------------------------------------------------- */

static json_t *J(const char *text) {
  char *copy = strdup(text);
  for (char *p = copy; *p; p++) {
    if (*p == '\'') *p = '"';
  }
  json_error_t err;
  json_t *doc = json_loads(copy, 0, &err);
  ck_assert_msg(doc != NULL, "test JSON does not parse: %s in %s", err.text, copy);
  free(copy);
  return doc;
}

static char *dump(const json_t *doc) {
  char *s = json_dumps(doc, JSON_COMPACT);
  ck_assert_ptr_nonnull(s);
  return s;
}

static const char *str(const json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

static double num(const json_t *obj, const char *key) {
  const json_t *v = json_object_get(obj, key);
  ck_assert_msg(json_is_number(v), "%s is not a number", key);
  return json_number_value(v);
}

/* Half away from zero, to 4 decimals, as the service rounds. */
static double round4(double x) { return round(x * 10000.0) / 10000.0; }

/* One request as `c` (NULL: no token). `extra` is NULL or NULL-terminated
 * headers; a body gets Content-Type: application/json unless `extra` has
 * one. */
static void call(const char *method, const char *path, const struct client *c,
                 const char *const *extra, const char *body, struct it_response *r) {
  const char *headers[16];
  size_t n = 0;
  char auth[4096];
  if (c != NULL) {
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", c->token);
    headers[n++] = auth;
  }
  int has_ct = 0;
  for (size_t i = 0; extra != NULL && extra[i] != NULL && n < 14; i++) {
    if (strncasecmp(extra[i], "Content-Type:", 13) == 0) has_ct = 1;
    headers[n++] = extra[i];
  }
  if (body != NULL && !has_ct) headers[n++] = "Content-Type: application/json";
  headers[n] = NULL;
  ck_assert_int_eq(it_request(&srv, method, path, headers, body, body ? strlen(body) : 0, r), 0);
}

/* The status of one request (a problem's shape checked), response freed. */
static long status_of(const char *method, const char *path, const struct client *c,
                      const char *const *extra, const char *body) {
  struct it_response r;
  call(method, path, c, extra, body, &r);
  long st = r.status;
  if (st >= 400) it_assert_problem(&r, st);
  it_response_free(&r);
  return st;
}

/* GET as `c`, asserting 200 with a JSON body. */
static void get_ok(const char *path, const struct client *c, const char *const *extra,
                   struct it_response *r) {
  call("GET", path, c, extra, NULL, r);
  ck_assert_msg(r->status == 200, "GET %s gave %ld: %s", path, r->status, r->body);
  it_assert_conventions(r);
}

/* POST /api/v1/gap-analyses (anonymous) with `body`. */
static void post_analysis(const json_t *body, const char *const *extra, struct it_response *r) {
  char *text = dump(body);
  call("POST", "/api/v1/gap-analyses", NULL, extra, text, r);
  free(text);
}

/* POST /api/v1/gap-analyses, asserting 200 with JSON. */
static void analyse_ok(const json_t *body, struct it_response *r) {
  post_analysis(body, NULL, r);
  ck_assert_msg(r->status == 200, "POST gap-analyses gave %ld: %s", r->status, r->body);
  it_assert_conventions(r);
  ck_assert_str_eq(it_header(r, "Content-Type"), "application/json");
  ck_assert_ptr_nonnull(r->json);
}

static int invalid_has(const struct it_response *r, const char *name, const char *code) {
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(r->json, "invalidParams"), i, e) {
    if (strcmp(str(e, "name"), name) == 0 && strcmp(str(e, "code"), code) == 0) return 1;
  }
  return 0;
}

/* A stored profile: its uuid and path. */
struct profile {
  char uuid[40];
  char path[96];
};

/* POSTs the team profile `body` as `c` and fills `p`. */
static void create_as(const struct client *c, const json_t *body, struct profile *p) {
  char *text = dump(body);
  struct it_response r;
  call("POST", "/api/v1/teamprofielen", c, NULL, text, &r);
  ck_assert_msg(r.status == 201, "POST teamprofielen gave %ld: %s", r.status, r.body);
  snprintf(p->uuid, sizeof(p->uuid), "%s", str(r.json, "uuid"));
  snprintf(p->path, sizeof(p->path), "/api/v1/teamprofielen/%s", p->uuid);
  it_response_free(&r);
  free(text);
}

/* POSTs the team profile `body` as W and fills `p`. */
static void create(const json_t *body, struct profile *p) { create_as(&clients[W], body, p); }

/* A member with one role taking all of its fte. */
static json_t *member1(const char *label, double fte, const char *rol) {
  return json_pack("{s:s, s:f, s:[{s:s, s:f}], s:[]}", "label", label, "fte", fte, "rollen", "rol",
                   rol, "aandeel", fte, "competenties");
}

/* A team profile body. Steals `leden`. */
static json_t *team(const char *gemeente, const char *peildatum, json_t *leden) {
  return json_pack("{s:s, s:s, s:o}", "gemeente", gemeente, "peildatum", peildatum, "leden", leden);
}

/* A realistic small team: two roles shared by one member, a core role, a
 * competency below the level the catalogue requires (an essential gap), and
 * the label given. */
static json_t *small_team(const char *gemeente, const char *peildatum, const char *label) {
  json_t *leden = json_pack(
      "[{s:s, s:f, s:[{s:s, s:f}, {s:s, s:f}], s:[{s:s, s:i}, {s:s, s:i}]},"
      " {s:s, s:f, s:[{s:s, s:f}], s:[{s:s, s:i}]},"
      " {s:s, s:f, s:[{s:s, s:f}, {s:s, s:f}], s:[]}]",
      "label", label, "fte", 0.8, "rollen", "rol", "webredacteur", "aandeel", 0.6, "rol",
      "webcare-medewerker", "aandeel", 0.2, "competenties", "code", "schrijven-voor-het-web",
      "niveau", 2, "code", "begrijpelijke-taal", "niveau", 3, "label", "Verbinder", "fte", 0.5,
      "rollen", "rol", "verbinder", "aandeel", 0.5, "competenties", "code", "verbindend-werken",
      "niveau", 4, "label", "Functioneel beheer & analyse", "fte", 1.0, "rollen", "rol",
      "functioneel-beheerder", "aandeel", 0.7, "rol", "webanalist", "aandeel", 0.3, "competenties");
  ck_assert_ptr_nonnull(leden);
  return team(gemeente, peildatum, leden);
}

/* The public document of the reference profile of `gemeente`. */
static json_t *reference_profile(const char *gemeente) {
  char path[160];
  snprintf(path, sizeof(path), "/api/v1/teamprofielen?referentie=true&gemeente=%s", gemeente);
  struct it_response r;
  get_ok(path, NULL, NULL, &r);
  json_t *results = json_object_get(r.json, "results");
  ck_assert_int_eq(json_array_size(results), 1);
  json_t *doc = json_incref(json_array_get(results, 0));
  it_response_free(&r);
  return doc;
}

static long inwoners_of(const char *gemeente) {
  char path[96];
  snprintf(path, sizeof(path), "/api/v1/gemeenten/%s", gemeente);
  struct it_response r;
  get_ok(path, NULL, NULL, &r);
  long n = (long)json_integer_value(json_object_get(r.json, "inwoners"));
  it_response_free(&r);
  ck_assert_int_gt(n, 0);
  return n;
}

/* The catalogue roles: [{code, naam, kernrol}] in catalogue order. */
static json_t *catalogue_roles(void) {
  struct it_response r;
  get_ok("/api/v1/rollen?pageSize=100", NULL, NULL, &r);
  json_t *roles = json_incref(json_object_get(r.json, "results"));
  ck_assert_int_eq(json_integer_value(json_object_get(r.json, "count")),
                   (json_int_t)json_array_size(roles));
  it_response_free(&r);
  return roles;
}

/* Every role's status agrees with its fte, its presence and its band
 * (away from the band's edges, where rounding decides). */
static void assert_statuses_follow_the_band(const json_t *analysis) {
  size_t i;
  json_t *row;
  json_array_foreach(json_object_get(analysis, "rollen"), i, row) {
    const char *rol = str(row, "rol"), *status = str(row, "status");
    double fte = num(row, "fte"), aanw = num(row, "aanwezigheid");
    const json_t *band = json_object_get(row, "verwacht");
    ck_assert_msg(json_is_object(band), "%s has no band", rol);
    double p25 = num(band, "p25"), med = num(band, "mediaan"), p75 = num(band, "p75");
    ck_assert_msg(isfinite(p25) && isfinite(p75) && p25 >= 0 && p25 <= med && med <= p75,
                  "%s: band %g %g %g", rol, p25, med, p75);
    if (fte == 0) {
      ck_assert_str_eq(status, aanw >= 0.5 ? "ontbreekt" : "optioneel");
    } else if (fte < p25 - 1e-4) {
      ck_assert_msg(strcmp(status, "onderbezet") == 0, "%s: %g below %g is %s", rol, fte, p25,
                    status);
    } else if (fte > p75 + 1e-4) {
      ck_assert_msg(strcmp(status, "ruim") == 0, "%s: %g above %g is %s", rol, fte, p75, status);
    } else if (fte > p25 + 1e-4 && fte < p75 - 1e-4) {
      ck_assert_msg(strcmp(status, "passend") == 0, "%s: %g in %g-%g is %s", rol, fte, p25, p75,
                    status);
    }
  }
}

/* --- processes: xmllint, the render script ------------------------------- */

/* Runs argv (PATH lookup), its stdout and stderr captured into *out (new
 * string). Returns the exit status, or -1 when it could not run. */
static int run(const char *const *argv, char **out) {
  int fds[2];
  *out = NULL;
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    execvp(argv[0], (char *const *)argv);
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  close(fds[1]);
  size_t len = 0, cap = 4096;
  char *buf = malloc(cap);
  ck_assert_ptr_nonnull(buf);
  for (;;) {
    if (len + 1024 > cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      ck_assert_ptr_nonnull(buf);
    }
    ssize_t n = read(fds[0], buf + len, cap - len - 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
  }
  buf[len] = '\0';
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  *out = buf;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void write_file(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
  ck_assert_uint_eq(fwrite(data, 1, len, f), len);
  ck_assert_int_eq(fclose(f), 0);
}

/* `xmllint --noout` accepts the file. */
static void assert_well_formed(const char *path) {
  const char *argv[] = {"xmllint", "--noout", "--nonet", path, NULL};
  char *out = NULL;
  int st = run(argv, &out);
  ck_assert_msg(st == 0, "xmllint rejects %s (status %d): %s", path, st, out ? out : "");
  free(out);
}

/* The string value of an XPath expression over the file (xmllint). */
static char *xpath_string(const char *path, const char *expr) {
  const char *argv[] = {"xmllint", "--nonet", "--xpath", expr, path, NULL};
  char *out = NULL;
  int st = run(argv, &out);
  ck_assert_msg(st == 0, "xmllint --xpath %s on %s (status %d): %s", expr, path, st,
                out ? out : "");
  size_t len = strlen(out);
  while (len > 0 && out[len - 1] == '\n') out[--len] = '\0';
  return out;
}

/* Renders `svg` with tests/integration/chart_render.sh (headless Chromium)
 * into `png`, `size` being "WxH" or NULL for the default 800x900, and
 * asserts the PNG is not blank and shows every large filled rectangle's
 * colour of the SVG. A missing chromium is a failure. */
static void assert_renders(const char *svg, const char *png, const char *size) {
  char script[1200];
  snprintf(script, sizeof(script), "%schart_render.sh", here);
  /* The colours of the SVG's filled rectangles of at least 10 x 6 px, via
   * XPath: each must be visible in the rendering. */
  char *fills = xpath_string(svg,
                             "//*[local-name()='rect'][number(@width) >= 10][number(@height) >= 6]"
                             "/@fill");
  const char *argv[32];
  size_t n = 0;
  argv[n++] = "sh";
  argv[n++] = script;
  if (size != NULL) {
    argv[n++] = "-s";
    argv[n++] = size;
  }
  argv[n++] = svg;
  argv[n++] = png;
  /* xmllint prints ` fill="#1b7837"` per attribute; keep distinct colours. */
  char colours[24][8];
  size_t ncol = 0;
  for (char *p = strstr(fills, "fill=\"#"); p != NULL && ncol < 24; p = strstr(p + 1, "fill=\"#")) {
    char c[8];
    if (sscanf(p, "fill=\"#%6[0-9a-fA-F]\"", c) != 1 || strlen(c) != 6) continue;
    int seen = 0;
    for (size_t k = 0; k < ncol; k++) seen |= strcasecmp(colours[k], c) == 0;
    if (!seen) snprintf(colours[ncol++], sizeof(colours[0]), "%s", c);
  }
  free(fills);
  ck_assert_msg(ncol >= 3, "the chart has only %zu filled colours", ncol);
  for (size_t k = 0; k < ncol && n < 31; k++) argv[n++] = colours[k];
  argv[n] = NULL;
  char *out = NULL;
  int st = run(argv, &out);
  if (st == 3) {
    ck_abort_msg(
        "headless Chromium is needed to render the chart and is missing "
        "(install Debian's chromium: apt-get install -y chromium): %s",
        out ? out : "");
  }
  ck_assert_msg(st == 0, "rendering %s failed (status %d): %s", svg, st, out ? out : "");
  free(out);
}

/* GETs the chart of `path` as `c` into <scratch>/<name>.svg and asserts the
 * media type and that xmllint accepts it. Returns the response (caller
 * frees). */
static void get_chart(const char *profile_path, const struct client *c, const char *file,
                      struct it_response *r) {
  char path[160];
  snprintf(path, sizeof(path), "%s/gap-analyse", profile_path);
  const char *accept[] = {"Accept: image/svg+xml", NULL};
  call("GET", path, c, accept, NULL, r);
  ck_assert_msg(r->status == 200, "chart of %s gave %ld: %s", path, r->status, r->body);
  it_assert_conventions(r);
  ck_assert_str_eq(it_header(r, "Content-Type"), "image/svg+xml");
  ck_assert_ptr_null(r->json);
  ck_assert_uint_gt(r->body_len, 500);
  write_file(file, r->body, r->body_len);
  assert_well_formed(file);
}

/* --- the benchmark as one stable snapshot -------------------------------- */

/* All rows of GET /api/v1/benchmarks (JSON), walking the pages. */
static json_t *walk_benchmark_pages(long page_size) {
  json_t *rows = json_array();
  char path[1024];
  snprintf(path, sizeof(path), "/api/v1/benchmarks?pageSize=%ld", page_size);
  long count = -1;
  for (int pages = 0; pages < 1000; pages++) {
    struct it_response r;
    get_ok(path, &clients[B], NULL, &r);
    ck_assert_str_eq(it_header(&r, "Content-Type"), "application/json");
    long c = (long)json_integer_value(json_object_get(r.json, "count"));
    if (count >= 0) ck_assert_int_eq(c, count);
    count = c;
    json_t *results = json_object_get(r.json, "results");
    ck_assert_uint_le(json_array_size(results), (size_t)page_size);
    json_array_extend(rows, results);
    const char *next = str(r.json, "next");
    const char *link = it_header(&r, "Link");
    ck_assert_ptr_nonnull(link);
    if (next != NULL) {
      ck_assert_msg(strstr(link, "rel=\"next\"") != NULL, "Link without next: %s", link);
      const char *p = strstr(next, "/api/v1/benchmarks?");
      ck_assert_msg(p != NULL, "next is %s", next);
      snprintf(path, sizeof(path), "%s", p);
    }
    it_response_free(&r);
    if (next == NULL) break;
  }
  ck_assert_int_eq((long)json_array_size(rows), count);
  return rows;
}

/* The CSV of GET /api/v1/benchmarks as a new string. */
static char *benchmark_csv(void) {
  const char *accept[] = {"Accept: text/csv", NULL};
  struct it_response r;
  get_ok("/api/v1/benchmarks", &clients[B], accept, &r);
  const char *ct = it_header(&r, "Content-Type");
  ck_assert_ptr_nonnull(ct);
  ck_assert_msg(strncmp(ct, "text/csv", 8) == 0, "CSV has Content-Type %s", ct);
  char *body = strdup(r.body);
  it_response_free(&r);
  return body;
}

/* JSON rows and CSV taken while nobody changed a profile: the CSV before
 * and after the JSON pages is the same (other test binaries may write
 * profiles at the same time). */
static json_t *stable_snapshot(long page_size, char **csv_out) {
  for (int attempt = 0; attempt < 8; attempt++) {
    char *before = benchmark_csv();
    json_t *rows = walk_benchmark_pages(page_size);
    char *after = benchmark_csv();
    int same = strcmp(before, after) == 0;
    free(after);
    if (same) {
      if (csv_out != NULL) {
        *csv_out = before;
      } else {
        free(before);
      }
      return rows;
    }
    free(before);
    json_decref(rows);
    usleep(200000);
  }
  ck_abort_msg("the benchmarks kept changing while they were read");
  return NULL;
}

static const json_t *row_of(const json_t *rows, const char *gemeente) {
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    if (strcmp(str(row, "gemeente"), gemeente) == 0) return row;
  }
  return NULL;
}

/* --- CSV, RFC 4180 ----------------------------------------------------- */

/* Parses `s` strictly per RFC 4180: records end in CRLF (the last may not),
 * fields are separated by commas, a field holding a comma, quote or line
 * break is quoted and a quote in it is doubled. Returns an array of records
 * (arrays of strings) or NULL when `s` is not such CSV (*why says where). */
static json_t *parse_csv(const char *s, const char **why) {
  json_t *records = json_array(), *record = json_array();
  size_t cap = strlen(s) + 1, len = 0;
  char *field = malloc(cap);
  const char *p = s;
  *why = NULL;
  for (;;) {
    len = 0;
    if (*p == '"') {
      p++;
      for (;;) {
        if (*p == '\0') {
          *why = "unterminated quoted field";
          goto bad;
        }
        if (*p == '"' && p[1] == '"') {
          field[len++] = '"';
          p += 2;
        } else if (*p == '"') {
          p++;
          break;
        } else {
          field[len++] = *p++;
        }
      }
      if (*p != ',' && *p != '\r' && *p != '\0') {
        *why = "text after a closing quote";
        goto bad;
      }
    } else {
      while (*p != ',' && *p != '\r' && *p != '\n' && *p != '\0') {
        if (*p == '"') {
          *why = "a quote inside an unquoted field";
          goto bad;
        }
        field[len++] = *p++;
      }
      if (*p == '\n') {
        *why = "a bare LF (records end in CRLF)";
        goto bad;
      }
    }
    json_array_append_new(record, json_stringn(field, len));
    if (*p == ',') {
      p++;
      continue;
    }
    if (*p == '\r') {
      if (p[1] != '\n') {
        *why = "a CR without LF";
        goto bad;
      }
      p += 2;
    }
    json_array_append_new(records, record);
    record = json_array();
    if (*p == '\0') break;
  }
  json_decref(record);
  free(field);
  return records;
bad:
  json_decref(record);
  json_decref(records);
  free(field);
  return NULL;
}

/* A CSV number equals a JSON number (null: an empty field). */
static void assert_csv_number(const char *text, const json_t *v, const char *gemeente,
                              const char *col) {
  if (json_is_null(v) || v == NULL) {
    ck_assert_msg(text[0] == '\0', "%s %s: CSV '%s', JSON null", gemeente, col, text);
    return;
  }
  ck_assert_msg(json_is_number(v), "%s %s is not a number in JSON", gemeente, col);
  char *end = NULL;
  errno = 0;
  double d = strtod(text, &end);
  ck_assert_msg(text[0] != '\0' && *end == '\0' && errno == 0, "%s %s: CSV '%s' is no number",
                gemeente, col, text);
  double j = json_number_value(v);
  ck_assert_msg(fabs(d - j) <= 1e-9 * fmax(1.0, fabs(j)), "%s %s: CSV %s, JSON %.17g", gemeente,
                col, text, j);
}

/* --- fixture -------------------------------------------------------------- */

static void fail_setup(const char *what) {
  fprintf(stderr, "test_analyse: %s\n", what);
  exit(1);
}

static void remove_own_rows(void) { it_remove_client_rows(prefix); }

static void setup(void) {
  snprintf(prefix, sizeof(prefix), "it-an-%d-", (int)getpid());
  snprintf(here, sizeof(here), "%s", __FILE__);
  char *slash = strrchr(here, '/');
  if (slash == NULL) fail_setup("cannot tell this file's directory from __FILE__");
  slash[1] = '\0';
  snprintf(scratch, sizeof(scratch), "/tmp/it-analyse-%d-XXXXXX", (int)getpid());
  if (mkdtemp(scratch) == NULL) fail_setup("mkdtemp failed");
  if (it_server_start(&srv, SERVER_ENV) != 0) fail_setup("the server did not start");
  for (int i = 0; i < NCLIENTS; i++) {
    struct client *c = &clients[i];
    snprintf(c->id, sizeof(c->id), "%s%s", prefix, c->suffix);
    const char *add[] = {"clients", "add",         c->id,        "--scopes",
                         c->scopes, "--gemeenten", c->gemeenten, NULL};
    char *out = it_capture(add);
    if (out == NULL) fail_setup("teamplotter clients add failed");
    free(out);
    const char *tok[] = {"token", c->id, NULL};
    c->token = it_capture(tok);
    if (c->token == NULL) fail_setup("teamplotter token failed");
    c->token[strcspn(c->token, "\r\n")] = '\0';
  }
}

static void teardown(void) {
  remove_own_rows();
  for (int i = 0; i < NCLIENTS; i++) {
    free(clients[i].token);
    clients[i].token = NULL;
  }
  if (scratch[0] != '\0') {
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
    if (system(cmd) != 0) fprintf(stderr, "test_analyse: could not remove %s\n", scratch);
  }
  if (srv.pid > 0 && it_server_stop(&srv) != 0) {
    fprintf(stderr, "test_analyse: the server did not stop cleanly\n");
    exit(1);
  }
}

/* --- the analysis of a stored profile is the anonymous one --------------- */

/* GET {profile}/gap-analyse as `c` and POST the same team anonymously: the
 * two bodies are byte-identical, and so are their ETags. */
static void assert_stored_equals_anonymous(const char *profile_path, const struct client *c,
                                           const json_t *body) {
  char path[160];
  snprintf(path, sizeof(path), "%s/gap-analyse", profile_path);
  struct it_response stored, anon;
  get_ok(path, c, NULL, &stored);
  ck_assert_str_eq(it_header(&stored, "Content-Type"), "application/json");
  analyse_ok(body, &anon);
  ck_assert_msg(
      stored.body_len == anon.body_len && memcmp(stored.body, anon.body, stored.body_len) == 0,
      "stored and anonymous analyses differ:\n%s\n%s", stored.body, anon.body);
  ck_assert_ptr_nonnull(it_header(&stored, "ETag"));
  ck_assert_ptr_nonnull(it_header(&anon, "ETag"));
  ck_assert_str_eq(it_header(&stored, "ETag"), it_header(&anon, "ETag"));
  it_response_free(&stored);
  it_response_free(&anon);
}

START_TEST(stored_reference_profile_analysis_equals_the_anonymous_one) {
  json_t *ref = reference_profile("GM0050");
  char path[96];
  snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s", str(ref, "uuid"));
  json_t *body =
      json_pack("{s:O, s:O, s:O}", "gemeente", json_object_get(ref, "gemeente"), "peildatum",
                json_object_get(ref, "peildatum"), "leden", json_object_get(ref, "leden"));
  assert_stored_equals_anonymous(path, NULL, body);
  /* Public, and a valid token changes nothing. */
  assert_stored_equals_anonymous(path, &clients[B], body);
  /* The date does not enter the analysis. */
  json_object_del(body, "peildatum");
  assert_stored_equals_anonymous(path, NULL, body);

  /* The shape DESIGN.md gives, for a reference municipality analysed
   * against the other six (its own profile is left out). */
  struct it_response r;
  analyse_ok(body, &r);
  ck_assert_int_eq(json_integer_value(json_object_get(r.json, "methodeVersie")), 1);
  ck_assert_str_eq(str(r.json, "gemeente"), "GM0050");
  ck_assert_int_eq(json_integer_value(json_object_get(r.json, "inwoners")), inwoners_of("GM0050"));
  ck_assert_str_eq(str(json_object_get(r.json, "fit"), "methode"), "machtswet");
  ck_assert_int_eq(json_array_size(json_object_get(r.json, "referenties")), 6);
  size_t ri;
  json_t *ref_row;
  json_array_foreach(json_object_get(r.json, "referenties"), ri, ref_row) {
    ck_assert_str_ne(str(ref_row, "gemeente"), "GM0050");
  }
  json_t *roles = catalogue_roles();
  json_t *rows = json_object_get(r.json, "rollen");
  ck_assert_uint_eq(json_array_size(rows), json_array_size(roles));
  for (size_t i = 0; i < json_array_size(roles); i++) {
    ck_assert_str_eq(str(json_array_get(rows, i), "rol"), str(json_array_get(roles, i), "code"));
  }
  assert_statuses_follow_the_band(r.json);
  json_decref(roles);
  it_response_free(&r);
  json_decref(body);
  json_decref(ref);
}
END_TEST

START_TEST(stored_own_profile_analysis_equals_the_anonymous_one) {
  json_t *body = small_team("GM0820", "2026-01-01", "Webredactie <&> \"1\"");
  struct profile p;
  create(body, &p);
  /* The writer, a reader of the municipality; the same bytes each time. */
  assert_stored_equals_anonymous(p.path, &clients[W], body);
  assert_stored_equals_anonymous(p.path, &clients[R], body);
  assert_stored_equals_anonymous(p.path, &clients[N], body);

  struct it_response r;
  char path[160];
  snprintf(path, sizeof(path), "%s/gap-analyse", p.path);
  get_ok(path, &clients[R], NULL, &r);
  /* An essential competency below the required level gives advice. */
  int tekort = 0;
  size_t i;
  json_t *a;
  json_array_foreach(json_object_get(r.json, "advies"), i, a) {
    tekort |= strcmp(str(a, "soort"), "competentie-tekort") == 0 &&
              strcmp(str(a, "rol"), "webredacteur") == 0 &&
              strcmp(str(a, "competentie"), "schrijven-voor-het-web") == 0;
  }
  ck_assert_msg(tekort, "no advice on schrijven-voor-het-web: %s", r.body);
  ck_assert_double_eq_tol(num(json_object_get(r.json, "samenvatting"), "totaalFte"), 2.3, 1e-9);
  assert_statuses_follow_the_band(r.json);
  /* A conditional GET. */
  char inm[128];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", it_header(&r, "ETag"));
  const char *h[] = {inm, NULL};
  struct it_response again;
  call("GET", path, &clients[R], h, NULL, &again);
  ck_assert_int_eq(again.status, 304);
  ck_assert_uint_eq(again.body_len, 0);
  it_response_free(&again);
  it_response_free(&r);

  /* Someone else's profile: a token is needed, with the scope and the
   * municipality. */
  ck_assert_int_eq(status_of("GET", path, NULL, NULL, NULL), 401);
  ck_assert_int_eq(status_of("GET", path, &clients[B], NULL, NULL), 403);
  ck_assert_int_eq(status_of("GET", path, &clients[E], NULL, NULL), 403);
  ck_assert_int_eq(status_of("GET",
                             "/api/v1/teamprofielen/00000000-0000-4000-8000-000000000000/"
                             "gap-analyse",
                             &clients[W], NULL, NULL),
                   404);
  json_decref(body);
}
END_TEST

/* A number a client computed, 0.05 x 0.43 / 2 = 0.010750000000000001 in IEEE
 * doubles (JavaScript prints it so), needs 17 significant digits. The
 * anonymous analysis rounds it to 0.0108; the stored profile must keep it,
 * or its analysis shows 0.0107 and differs from the anonymous one. */
START_TEST(stored_profile_keeps_every_digit_of_its_numbers) {
  const char *text =
      "{\"gemeente\": \"GM0820\", \"peildatum\": \"2019-06-01\", \"leden\": ["
      "{\"label\": \"Webredactie\", \"fte\": 0.3, \"rollen\": ["
      "{\"rol\": \"webredacteur\", \"aandeel\": 0.28925},"
      " {\"rol\": \"webanalist\", \"aandeel\": 0.010750000000000001}]}]}";
  json_t *body = json_loads(text, 0, NULL);
  ck_assert_ptr_nonnull(body);
  double sent = 0.05 * 0.43 / 2;
  ck_assert(sent != 0.01075); /* not the double nearest to 0.01075 */
  struct profile p;
  create(body, &p);
  struct it_response r, a;
  char path[160];
  snprintf(path, sizeof(path), "%s/gap-analyse", p.path);
  get_ok(path, &clients[W], NULL, &r);
  analyse_ok(body, &a);
  const json_t *row_r = json_array_get(json_object_get(r.json, "rollen"), 0);
  const json_t *row_a = json_array_get(json_object_get(a.json, "rollen"), 0);
  for (size_t i = 0; i < json_array_size(json_object_get(a.json, "rollen")); i++) {
    const json_t *x = json_array_get(json_object_get(a.json, "rollen"), i);
    if (strcmp(str(x, "rol"), "webanalist") == 0) {
      row_a = x;
      row_r = json_array_get(json_object_get(r.json, "rollen"), i);
    }
  }
  ck_assert_str_eq(str(row_a, "rol"), "webanalist");
  ck_assert_msg(r.body_len == a.body_len && memcmp(r.body, a.body, a.body_len) == 0,
                "the stored profile's analysis differs from the anonymous one: webanalist fte "
                "%g stored, %g sent (the profile was stored with 15 significant digits)",
                num(row_r, "fte"), num(row_a, "fte"));
  it_response_free(&r);
  it_response_free(&a);
  /* The profile itself gives back what was sent. */
  get_ok(p.path, &clients[W], NULL, &r);
  const json_t *rollen =
      json_object_get(json_array_get(json_object_get(r.json, "leden"), 0), "rollen");
  ck_assert_msg(num(json_array_get(rollen, 1), "aandeel") == sent, "aandeel %.17g stored as %.17g",
                sent, num(json_array_get(rollen, 1), "aandeel"));
  it_response_free(&r);
  json_decref(body);
}
END_TEST

/* --- determinism ----------------------------------------------------------- */

START_TEST(identical_posts_give_identical_bodies_and_etags) {
  json_t *ref = reference_profile("GM0050");
  json_t *body =
      json_pack("{s:s, s:O}", "gemeente", "GM0050", "leden", json_object_get(ref, "leden"));
  struct it_response a, b;
  analyse_ok(body, &a);
  analyse_ok(body, &b);
  ck_assert_uint_eq(a.body_len, b.body_len);
  ck_assert(memcmp(a.body, b.body, a.body_len) == 0);
  ck_assert_str_eq(it_header(&a, "ETag"), it_header(&b, "ETag"));

  /* The order of members, of a member's roles and competencies does not
   * matter either. */
  json_t *reversed = json_array();
  json_t *leden = json_object_get(ref, "leden");
  for (size_t i = json_array_size(leden); i-- > 0;) {
    json_t *m = json_deep_copy(json_array_get(leden, i));
    for (int k = 0; k < 2; k++) {
      const char *key = k == 0 ? "rollen" : "competenties";
      json_t *list = json_object_get(m, key), *rev = json_array();
      for (size_t j = json_array_size(list); j-- > 0;) {
        json_array_append(rev, json_array_get(list, j));
      }
      json_object_set_new(m, key, rev);
    }
    json_array_append_new(reversed, m);
  }
  json_t *body2 = json_pack("{s:s, s:o}", "gemeente", "GM0050", "leden", reversed);
  struct it_response c;
  analyse_ok(body2, &c);
  ck_assert_msg(c.body_len == a.body_len && memcmp(c.body, a.body, a.body_len) == 0,
                "the order of members changed the analysis:\n%s\n%s", a.body, c.body);
  it_response_free(&a);
  it_response_free(&b);
  it_response_free(&c);
  json_decref(body2);
  json_decref(body);
  json_decref(ref);
}
END_TEST

/* A body in its plainest form (numbers in their shortest digits, no escapes:
 * read straight into the analysis) and in forms that go the general way
 * (17 significant digits, a label with an escape, an exponent) give the
 * same answer, byte for byte, for a municipality and for a what-if. */
START_TEST(plain_and_general_bodies_give_the_same_answer) {
  json_t *ref = reference_profile("GM0050");
  json_t *leden = json_object_get(ref, "leden");
  ck_assert_uint_gt(json_array_size(leden), 1);
  for (int what_if = 0; what_if < 2; what_if++) {
    json_t *body = what_if ? json_pack("{s:i, s:O}", "inwoners", 45000, "leden", leden)
                           : json_pack("{s:s, s:O}", "gemeente", "GM0050", "leden", leden);
    char *forms[3];
    forms[0] = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
    forms[1] = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_t *escaped = json_deep_copy(body);
    json_t *first = json_array_get(json_object_get(escaped, "leden"), 0);
    char label[256];
    snprintf(label, sizeof(label), "%s \xc3\xa9", str(first, "label"));
    json_object_set_new(first, "label", json_string(label));
    /* é written as an escape */
    forms[2] = json_dumps(escaped, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15));
    json_decref(escaped);
    ck_assert_ptr_nonnull(strstr(forms[2], "\\u00E9"));
    struct it_response want;
    call("POST", "/api/v1/gap-analyses", NULL, NULL, forms[0], &want);
    ck_assert_msg(want.status == 200, "%ld: %s", want.status, want.body);
    for (int f = 1; f < 3; f++) {
      struct it_response got;
      call("POST", "/api/v1/gap-analyses", NULL, NULL, forms[f], &got);
      ck_assert_msg(got.status == 200, "%ld: %s", got.status, got.body);
      ck_assert_msg(got.body_len == want.body_len && memcmp(got.body, want.body, want.body_len) == 0,
                    "form %d answered differently:\n%s\n%s", f, want.body, got.body);
      ck_assert_str_eq(it_header(&got, "ETag"), it_header(&want, "ETag"));
      it_response_free(&got);
    }
    it_response_free(&want);
    for (int f = 0; f < 3; f++) free(forms[f]);
    json_decref(body);
  }
  json_decref(ref);
}
END_TEST

/* --- what-if by number of inhabitants -------------------------------------- */

/* Every band and verwachtFte of `b2` (at N2) is that of `b1` (at N1) times
 * (N2/N1)^b, b the fit's (rounded) elasticity, within the rounding of the
 * numbers involved. */
static void assert_scaled(const json_t *a1, const json_t *a2, double n1, double n2) {
  const json_t *fit1 = json_object_get(a1, "fit"), *fit2 = json_object_get(a2, "fit");
  ck_assert_msg(json_equal(fit1, fit2), "the fit depends on the inhabitants");
  double b = num(fit1, "b");
  double k = pow(n2 / n1, b);
  double lnr = fabs(log(n2 / n1));
  json_t *r1 = json_object_get(a1, "rollen"), *r2 = json_object_get(a2, "rollen");
  ck_assert_uint_eq(json_array_size(r1), json_array_size(r2));
  int checked = 0;
  for (size_t i = 0; i < json_array_size(r1); i++) {
    const json_t *x = json_array_get(r1, i), *y = json_array_get(r2, i);
    ck_assert_str_eq(str(x, "rol"), str(y, "rol"));
    ck_assert_double_eq(num(x, "aanwezigheid"), num(y, "aanwezigheid"));
    ck_assert_double_eq(num(x, "fte"), num(y, "fte"));
    const char *keys[] = {"p25", "mediaan", "p75"};
    for (size_t j = 0; j < 3; j++) {
      double v1 = num(json_object_get(x, "verwacht"), keys[j]);
      double v2 = num(json_object_get(y, "verwacht"), keys[j]);
      /* v1 and v2 are rounded to 4 decimals (±0.00005), b too. */
      double tol = 0.00005 * (1 + k) + v1 * k * lnr * 0.00005 + 1e-9;
      ck_assert_msg(fabs(v2 - v1 * k) <= tol, "%s %s: %g at %g, %g at %g; expected %g (b %g)",
                    str(x, "rol"), keys[j], v1, n1, v2, n2, v1 * k, b);
      checked += v1 > 0;
    }
  }
  ck_assert_int_gt(checked, 20);
  double e1 = num(json_object_get(a1, "samenvatting"), "verwachtFte");
  double e2 = num(json_object_get(a2, "samenvatting"), "verwachtFte");
  double tol = 0.00005 * (1 + k) + e1 * k * lnr * 0.00005 + 1e-9;
  ck_assert_msg(fabs(e2 - e1 * k) <= tol, "verwachtFte %g at %g, %g at %g", e1, n1, e2, n2);
}

START_TEST(what_if_inwoners_scales_the_band_by_the_fit) {
  /* Zeewolde's team at the size of Oisterwijk (GM0824, not a reference
   * municipality, so the what-if and the named analysis use the same seven). */
  json_t *ref = reference_profile("GM0050");
  long n1 = inwoners_of("GM0824");
  json_t *leden = json_object_get(ref, "leden");
  json_t *by_code = json_pack("{s:s, s:O}", "gemeente", "GM0824", "leden", leden);
  json_t *same = json_pack("{s:I, s:O}", "inwoners", (json_int_t)n1, "leden", leden);
  json_t *twice = json_pack("{s:I, s:O}", "inwoners", (json_int_t)(2 * n1), "leden", leden);
  json_t *third = json_pack("{s:I, s:O}", "inwoners", (json_int_t)(n1 / 3), "leden", leden);
  struct it_response g, a1, a2, a3;
  analyse_ok(by_code, &g);
  analyse_ok(same, &a1);
  analyse_ok(twice, &a2);
  analyse_ok(third, &a3);
  /* The same number of inhabitants as GM0824: the same analysis, only
   * without a municipality. */
  ck_assert(json_is_null(json_object_get(a1.json, "gemeente")));
  ck_assert_int_eq(json_integer_value(json_object_get(a1.json, "inwoners")), n1);
  ck_assert_int_eq(json_integer_value(json_object_get(a2.json, "inwoners")), 2 * n1);
  json_t *copy = json_deep_copy(a1.json);
  json_object_set_new(copy, "gemeente", json_string("GM0824"));
  ck_assert_msg(json_equal(copy, g.json), "what-if at GM0824's size differs from GM0824:\n%s\n%s",
                a1.body, g.body);
  json_decref(copy);
  assert_scaled(a1.json, a2.json, (double)n1, (double)(2 * n1));
  assert_scaled(a1.json, a3.json, (double)n1, (double)(n1 / 3));
  assert_statuses_follow_the_band(a2.json);
  assert_statuses_follow_the_band(a3.json);
  /* verwachtFte is exp(a)·N^b, capaciteit totaalFte / verwachtFte. */
  const json_t *fit = json_object_get(a2.json, "fit");
  double expect = exp(num(fit, "a")) * pow(2.0 * (double)n1, num(fit, "b"));
  const json_t *sum = json_object_get(a2.json, "samenvatting");
  ck_assert_double_eq_tol(num(sum, "verwachtFte") / expect, 1.0, 1e-3);
  ck_assert_double_eq_tol(num(sum, "capaciteit"), num(sum, "totaalFte") / num(sum, "verwachtFte"),
                          2e-4);
  it_response_free(&g);
  it_response_free(&a1);
  it_response_free(&a2);
  it_response_free(&a3);
  json_decref(by_code);
  json_decref(same);
  json_decref(twice);
  json_decref(third);
  json_decref(ref);
}
END_TEST

START_TEST(municipality_larger_than_every_reference) {
  json_t *ref = reference_profile("GM0050");
  long n1 = inwoners_of("GM0050");
  /* The largest reference (Utrecht) is far below a million. */
  struct it_response r;
  get_ok("/api/v1/gemeenten?referentie=true&pageSize=100", NULL, NULL, &r);
  size_t i;
  json_t *g;
  json_array_foreach(json_object_get(r.json, "results"), i, g) {
    ck_assert_int_lt(json_integer_value(json_object_get(g, "inwoners")), 1000000);
  }
  it_response_free(&r);

  json_t *leden = json_object_get(ref, "leden");
  json_t *base = json_pack("{s:I, s:O}", "inwoners", (json_int_t)n1, "leden", leden);
  json_t *big = json_pack("{s:i, s:O}", "inwoners", 1000000, "leden", leden);
  json_t *huge = json_pack("{s:i, s:O}", "inwoners", 100000000, "leden", leden);
  json_t *tiny = json_pack("{s:i, s:O}", "inwoners", 1, "leden", leden);
  struct it_response a0, a1, a2, a3;
  analyse_ok(base, &a0);
  analyse_ok(big, &a1);
  analyse_ok(huge, &a2);
  analyse_ok(tiny, &a3);
  assert_scaled(a0.json, a1.json, (double)n1, 1e6);
  assert_statuses_follow_the_band(a1.json);
  assert_statuses_follow_the_band(a2.json);
  assert_statuses_follow_the_band(a3.json);
  const json_t *sum = json_object_get(a1.json, "samenvatting");
  const json_t *fit = json_object_get(a1.json, "fit");
  double expect = exp(num(fit, "a")) * pow(1e6, num(fit, "b"));
  ck_assert_double_eq_tol(num(sum, "verwachtFte") / expect, 1.0, 2e-3);
  ck_assert_msg(num(sum, "capaciteit") < 0.2, "a team of 2.7 fte for a million: capaciteit %g",
                num(sum, "capaciteit"));
  /* Every fielded role is understaffed at a million inhabitants. */
  json_t *row;
  json_array_foreach(json_object_get(a1.json, "rollen"), i, row) {
    if (num(row, "fte") > 0) ck_assert_str_eq(str(row, "status"), "onderbezet");
  }
  /* At a hundred million the numbers stay finite; a single inhabitant
   * makes every fielded role ample. */
  ck_assert(isfinite(num(json_object_get(a2.json, "samenvatting"), "verwachtFte")));
  json_array_foreach(json_object_get(a3.json, "rollen"), i, row) {
    if (num(row, "fte") > 0) ck_assert_str_eq(str(row, "status"), "ruim");
  }
  it_response_free(&a0);
  it_response_free(&a1);
  it_response_free(&a2);
  it_response_free(&a3);
  /* One more is out of range. */
  json_object_set_new(huge, "inwoners", json_integer(100000001));
  post_analysis(huge, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert(invalid_has(&r, "inwoners", "out-of-range"));
  it_response_free(&r);
  json_decref(base);
  json_decref(big);
  json_decref(huge);
  json_decref(tiny);
  json_decref(ref);
}
END_TEST

/* --- a team with no members ------------------------------------------------ */

START_TEST(team_without_members) {
  json_t *body = team("GM0820", "2020-01-01", json_array());
  struct it_response r;
  analyse_ok(body, &r);
  const json_t *sum = json_object_get(r.json, "samenvatting");
  ck_assert_double_eq(num(sum, "totaalFte"), 0);
  ck_assert_double_eq(num(sum, "capaciteit"), 0);
  ck_assert_double_eq(num(sum, "dekking"), 0);
  ck_assert_double_gt(num(sum, "verwachtFte"), 0);
  ck_assert_int_eq(json_array_size(json_object_get(r.json, "competentieTekorten")), 0);
  assert_statuses_follow_the_band(r.json);

  /* Missing core roles first, then missing roles by aanwezigheid x mediaan
   * (descending, rounded to 4 decimals, ties in catalogue order); nothing
   * else. */
  json_t *roles = catalogue_roles();
  json_t *rows = json_object_get(r.json, "rollen");
  json_t *kern = json_array(), *rest = json_array();
  for (size_t i = 0; i < json_array_size(roles); i++) {
    const json_t *role = json_array_get(roles, i), *row = json_array_get(rows, i);
    ck_assert_double_eq(num(row, "fte"), 0);
    if (strcmp(str(row, "status"), "ontbreekt") != 0) continue;
    json_array_append(json_is_true(json_object_get(role, "kernrol")) ? kern : rest, (json_t *)row);
  }
  ck_assert_int_ge(json_array_size(kern), 2); /* verbinder, communitymanager */
  const json_t *missing = json_object_get(sum, "ontbrekendeKernrollen");
  ck_assert_uint_eq(json_array_size(missing), json_array_size(kern));
  json_t *advies = json_object_get(r.json, "advies");
  ck_assert_uint_eq(json_array_size(advies), json_array_size(kern) + json_array_size(rest));
  size_t k = 0;
  for (size_t i = 0; i < json_array_size(kern); i++, k++) {
    const json_t *a = json_array_get(advies, k);
    ck_assert_str_eq(str(a, "soort"), "kernrol-ontbreekt");
    ck_assert_str_eq(str(a, "rol"), str(json_array_get(kern, i), "rol"));
    ck_assert_str_eq(json_string_value(json_array_get(missing, i)), str(a, "rol"));
    ck_assert_int_gt(json_array_size(json_object_get(a, "referentiegemeenten")), 0);
  }
  double prev = INFINITY;
  for (; k < json_array_size(advies); k++) {
    const json_t *a = json_array_get(advies, k);
    ck_assert_str_eq(str(a, "soort"), "rol-ontbreekt");
    int pos = -1;
    for (size_t i = 0; i < json_array_size(rows); i++) {
      if (strcmp(str(json_array_get(rows, i), "rol"), str(a, "rol")) == 0) pos = (int)i;
    }
    ck_assert_int_ge(pos, 0);
    const json_t *row = json_array_get(rows, (size_t)pos);
    double key =
        round4(num(row, "aanwezigheid") * num(json_object_get(row, "verwacht"), "mediaan"));
    /* Computed here from rounded figures: allow their rounding. */
    ck_assert_msg(key < prev + 2e-4, "advice on %s out of order", str(a, "rol"));
    prev = key;
  }
  it_response_free(&r);

  /* Stored (an old date, so GM0820's latest profile stays another): the
   * same analysis, and a chart that is well-formed. */
  struct profile p;
  create(body, &p);
  assert_stored_equals_anonymous(p.path, &clients[R], body);
  char svg[400];
  snprintf(svg, sizeof(svg), "%s/leeg.svg", scratch);
  get_chart(p.path, &clients[R], svg, &r);
  it_response_free(&r);
  json_decref(kern);
  json_decref(rest);
  json_decref(roles);
  json_decref(body);
}
END_TEST

/* --- validation ---------------------------------------------------------- */

START_TEST(validation_lists_every_error) {
  struct it_response r;
  /* gemeente and inwoners both: a conflict, and nothing else. */
  json_t *both = J("{'gemeente': 'GM0050', 'inwoners': 22680, 'leden': []}");
  post_analysis(both, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert_msg(invalid_has(&r, "inwoners", "conflict"), "%s", r.body);
  ck_assert_int_eq(json_array_size(json_object_get(r.json, "invalidParams")), 1);
  it_response_free(&r);

  /* Five errors at once, five entries. */
  json_t *five =
      J("{'inwoners': 0, 'peildatum': '2026-02-30',"
        " 'leden': [{'label': 'A', 'fte': 2.0,"
        "            'rollen': [{'rol': 'bestaat-niet', 'aandeel': 0.5}],"
        "            'competenties': [{'code': 'schrijven-voor-het-web', 'niveau': 7}]}]}");
  post_analysis(five, NULL, &r);
  it_assert_problem(&r, 400);
  ck_assert_msg(json_array_size(json_object_get(r.json, "invalidParams")) == 5, "%s", r.body);
  ck_assert(invalid_has(&r, "inwoners", "out-of-range"));
  ck_assert(invalid_has(&r, "peildatum", "invalid-date"));
  ck_assert(invalid_has(&r, "leden.0.fte", "out-of-range"));
  ck_assert(invalid_has(&r, "leden.0.rollen.0.rol", "unknown-code"));
  ck_assert(invalid_has(&r, "leden.0.competenties.0.niveau", "out-of-range"));
  it_response_free(&r);

  /* Neither gemeente nor inwoners; an unknown field; inwoners not a whole
   * number; an unknown municipality. */
  struct {
    const char *body, *name, *code;
  } cases[] = {
      {"{'leden': []}", "gemeente", "required"},
      {"{'gemeente': 'GM0050', 'leden': [], 'extra': 1}", "extra", "unknown-field"},
      {"{'inwoners': 1.5, 'leden': []}", "inwoners", "out-of-range"},
      {"{'inwoners': '20000', 'leden': []}", "inwoners", "out-of-range"},
      {"{'gemeente': 'GM9999', 'leden': []}", "gemeente", "unknown-code"},
      {"{'gemeente': 'GM0050'}", "leden", "required"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    json_t *b = J(cases[i].body);
    post_analysis(b, NULL, &r);
    it_assert_problem(&r, 400);
    ck_assert_msg(invalid_has(&r, cases[i].name, cases[i].code), "%s: %s", cases[i].body, r.body);
    it_response_free(&r);
    json_decref(b);
  }
  /* Not JSON; not declared as JSON. */
  call("POST", "/api/v1/gap-analyses", NULL, NULL, "{\"leden\": [", &r);
  it_assert_problem(&r, 400);
  it_response_free(&r);
  const char *text[] = {"Content-Type: text/plain", NULL};
  call("POST", "/api/v1/gap-analyses", NULL, text, "{\"gemeente\":\"GM0050\",\"leden\":[]}", &r);
  it_assert_problem(&r, 415);
  it_response_free(&r);
  json_decref(both);
  json_decref(five);
}
END_TEST

/* --- content negotiation --------------------------------------------------- */

START_TEST(unsupported_accept_is_406) {
  json_t *ref = reference_profile("GM0050");
  char path[160];
  snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s/gap-analyse", str(ref, "uuid"));
  const char *xml[] = {"Accept: application/xml", NULL};
  const char *csv[] = {"Accept: text/csv", NULL};
  const char *svg[] = {"Accept: image/svg+xml", NULL};
  const char *any[] = {"Accept: */*", NULL};
  const char *body = "{\"gemeente\": \"GM0050\", \"leden\": []}";
  ck_assert_int_eq(status_of("GET", path, NULL, xml, NULL), 406);
  ck_assert_int_eq(status_of("GET", path, NULL, csv, NULL), 406);
  ck_assert_int_eq(status_of("POST", "/api/v1/gap-analyses", NULL, xml, body), 406);
  /* The chart is only for stored profiles. */
  ck_assert_int_eq(status_of("POST", "/api/v1/gap-analyses", NULL, svg, body), 406);
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks", &clients[B], xml, NULL), 406);
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks", &clients[B], svg, NULL), 406);
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0050/benchmark", &clients[B], xml, NULL),
                   406);
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0050/benchmark", &clients[B], csv, NULL),
                   406);
  /* What is offered. */
  struct it_response r;
  get_ok(path, NULL, any, &r);
  ck_assert_str_eq(it_header(&r, "Content-Type"), "application/json");
  it_response_free(&r);
  get_ok("/api/v1/benchmarks", &clients[B], any, &r);
  ck_assert_str_eq(it_header(&r, "Content-Type"), "application/json");
  it_response_free(&r);
  json_decref(ref);
}
END_TEST

/* --- benchmark access ---------------------------------------------------- */

START_TEST(gemeente_benchmark_access) {
  /* The newest profile of GM0820 in this run. */
  json_t *body = small_team("GM0820", "2026-05-01", "Webredactie");
  struct profile own, other;
  create(body, &own);
  json_t *body2 = small_team("GM0796", "2026-01-01", "Webredactie");
  create(body2, &other);
  const char *own_path = "/api/v1/gemeenten/GM0820/benchmark";
  const char *other_path = "/api/v1/gemeenten/GM0796/benchmark";
  /* No token, a token that is not one. */
  struct it_response r;
  call("GET", own_path, NULL, NULL, NULL, &r);
  it_assert_problem(&r, 401);
  it_response_free(&r);
  const char *bad[] = {"Authorization: Bearer not.a.token", NULL};
  ck_assert_int_eq(status_of("GET", own_path, NULL, bad, NULL), 401);
  /* benchmarks.lezen: every municipality with a profile. */
  ck_assert_int_eq(status_of("GET", own_path, &clients[B], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", other_path, &clients[B], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0050/benchmark", &clients[B], NULL, NULL),
                   200);
  /* teamprofielen.lezen: its own municipality only. */
  get_ok(own_path, &clients[R], NULL, &r);
  ck_assert_str_eq(str(r.json, "gemeente"), "GM0820");
  ck_assert_str_eq(str(r.json, "naam"), "Nuenen, Gerwen en Nederwetten");
  ck_assert_str_eq(str(r.json, "teamprofiel"), own.uuid);
  it_response_free(&r);
  ck_assert_int_eq(status_of("GET", own_path, &clients[N], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", other_path, &clients[R], NULL, NULL), 403);
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0050/benchmark", &clients[R], NULL, NULL),
                   403);
  /* The writer reads profiles, but GM0050 is not one of its municipalities. */
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0050/benchmark", &clients[W], NULL, NULL),
                   403);
  /* Unknown municipality, or one without a profile: 404. */
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM9999/benchmark", &clients[B], NULL, NULL),
                   404);
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0252/benchmark", &clients[B], NULL, NULL),
                   404);
  ck_assert_int_eq(status_of("GET", "/api/v1/gemeenten/GM0252/benchmark", &clients[E], NULL, NULL),
                   404);
  /* A query parameter it does not know. */
  char q[160];
  snprintf(q, sizeof(q), "%s?pageSize=5", own_path);
  ck_assert_int_eq(status_of("GET", q, &clients[B], NULL, NULL), 400);
  json_decref(body);
  json_decref(body2);
}
END_TEST

START_TEST(benchmarks_need_their_scope) {
  const char *csv[] = {"Accept: text/csv", NULL};
  struct it_response r;
  call("GET", "/api/v1/benchmarks", NULL, NULL, NULL, &r);
  it_assert_problem(&r, 401);
  it_response_free(&r);
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks", NULL, csv, NULL), 401);
  const int without[] = {W, R, E, N, A, M, P, S};
  for (size_t i = 0; i < sizeof(without) / sizeof(without[0]); i++) {
    const struct client *c = &clients[without[i]];
    ck_assert_msg(status_of("GET", "/api/v1/benchmarks", c, NULL, NULL) == 403, "%s", c->id);
    ck_assert_msg(status_of("GET", "/api/v1/benchmarks", c, csv, NULL) == 403, "%s", c->id);
  }
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks", &clients[B], NULL, NULL), 200);
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks", &clients[B], csv, NULL), 200);
  /* JSON paging is checked like every collection's. */
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks?pageSize=101", &clients[B], NULL, NULL),
                   400);
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks?page=0", &clients[B], NULL, NULL), 400);
  ck_assert_int_eq(status_of("GET", "/api/v1/benchmarks?onbekend=1", &clients[B], NULL, NULL), 400);
}
END_TEST

/* --- CSV and JSON of the benchmarks ---------------------------------------- */

static const char *const CSV_HEADER[] = {
    "gemeente",
    "naam",
    "inwoners",
    "grootteklasse",
    "peildatum",
    "teamprofiel",
    "totaalFte",
    "ftePer10000",
    "dekking",
    "capaciteit",
    "dichtstbijzijnd",
    "groepsgrootte",
    "ftePer10000Percentiel",
    "dekkingPercentiel",
    "onderdrukt",
    NULL,
};

START_TEST(benchmarks_csv_and_json_agree) {
  /* Profiles of this run with a comma (GM0820) and non-ASCII (GM1900) in
   * the municipality's name. */
  json_t *b1 = small_team("GM0820", "2026-01-01", "Webredactie");
  json_t *b2 = small_team("GM1900", "2026-01-01", "Webredactie");
  struct profile p1, p2;
  create(b1, &p1);
  create(b2, &p2);
  char *csv = NULL;
  json_t *rows = stable_snapshot(3, &csv);
  const char *why = NULL;
  json_t *records = parse_csv(csv, &why);
  ck_assert_msg(records != NULL, "the CSV is not RFC 4180 (%s):\n%s", why, csv);
  /* The header, then one record per JSON row, in the same order. */
  json_t *header = json_array_get(records, 0);
  size_t ncol = 0;
  while (CSV_HEADER[ncol] != NULL) ncol++;
  ck_assert_uint_eq(json_array_size(header), ncol);
  for (size_t c = 0; c < ncol; c++) {
    ck_assert_str_eq(json_string_value(json_array_get(header, c)), CSV_HEADER[c]);
  }
  ck_assert_msg(json_array_size(records) == json_array_size(rows) + 1,
                "%zu CSV records, %zu JSON rows", json_array_size(records) - 1,
                json_array_size(rows));
  ck_assert_ptr_nonnull(row_of(rows, "GM0820"));
  ck_assert_ptr_nonnull(row_of(rows, "GM1900"));
  ck_assert_ptr_nonnull(row_of(rows, "GM0050"));
  for (size_t i = 0; i < json_array_size(rows); i++) {
    const json_t *row = json_array_get(rows, i), *rec = json_array_get(records, i + 1);
    const json_t *pos = json_object_get(row, "positie");
    ck_assert_uint_eq(json_array_size(rec), ncol);
    const char *g = str(row, "gemeente");
    if (i > 0) ck_assert_int_lt(strcmp(str(json_array_get(rows, i - 1), "gemeente"), g), 0);
    for (size_t c = 0; c < ncol; c++) {
      const char *col = CSV_HEADER[c];
      const char *cell = json_string_value(json_array_get(rec, c));
      const json_t *v = json_object_get(row, col);
      if (v == NULL) v = json_object_get(pos, col);
      if (strcmp(col, "dichtstbijzijnd") == 0) {
        char joined[256] = "";
        size_t k;
        json_t *code;
        json_array_foreach(v, k, code) {
          size_t used = strlen(joined);
          snprintf(joined + used, sizeof(joined) - used, "%s%s", k ? " " : "",
                   json_string_value(code));
        }
        ck_assert_msg(strcmp(cell, joined) == 0, "%s %s: CSV '%s', JSON '%s'", g, col, cell,
                      joined);
      } else if (json_is_string(v)) {
        ck_assert_msg(strcmp(cell, json_string_value(v)) == 0, "%s %s: CSV '%s', JSON '%s'", g, col,
                      cell, json_string_value(v));
      } else if (json_is_boolean(v)) {
        ck_assert_msg(strcmp(cell, json_is_true(v) ? "true" : "false") == 0, "%s %s: CSV '%s'", g,
                      col, cell);
      } else {
        ck_assert_msg(v != NULL, "%s: JSON row has no %s", g, col);
        assert_csv_number(cell, v, g, col);
      }
    }
  }
  /* The name with a comma came through as one field. */
  const json_t *row = row_of(rows, "GM0820");
  ck_assert_str_eq(str(row, "naam"), "Nuenen, Gerwen en Nederwetten");
  ck_assert_str_eq(str(row_of(rows, "GM1900"), "naam"), "Súdwest-Fryslân");
  ck_assert_ptr_nonnull(strstr(csv, "\"Nuenen, Gerwen en Nederwetten\""));
  /* The CSV has its own strong ETag: 304 while nothing changed. */
  const char *accept[] = {"Accept: text/csv", NULL};
  struct it_response c1, c2, jr;
  get_ok("/api/v1/benchmarks", &clients[B], accept, &c1);
  get_ok("/api/v1/benchmarks", &clients[B], NULL, &jr);
  ck_assert_ptr_nonnull(it_header(&c1, "ETag"));
  ck_assert_str_ne(it_header(&c1, "ETag"), it_header(&jr, "ETag"));
  char inm[128];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", it_header(&c1, "ETag"));
  const char *cond[] = {"Accept: text/csv", inm, NULL};
  call("GET", "/api/v1/benchmarks", &clients[B], cond, NULL, &c2);
  ck_assert_msg(c2.status == 304 || (c2.status == 200 &&
                                     strcmp(it_header(&c2, "ETag"), it_header(&c1, "ETag")) != 0),
                "conditional CSV GET gave %ld", c2.status);
  it_response_free(&c1);
  it_response_free(&c2);
  it_response_free(&jr);
  json_decref(records);
  json_decref(rows);
  free(csv);
  json_decref(b1);
  json_decref(b2);
}
END_TEST

/* --- one municipality's row: its own figures, its latest profile --------- */

/* The set of roles with fte > 0 in `leden`, as an object of role -> fte. */
static json_t *fielded_roles(const json_t *leden) {
  json_t *sum = json_object();
  size_t i, j;
  json_t *m, *r;
  json_array_foreach(leden, i, m) {
    json_array_foreach(json_object_get(m, "rollen"), j, r) {
      const char *rol = str(r, "rol");
      double before = json_number_value(json_object_get(sum, rol));
      json_object_set_new(sum, rol, json_real(before + num(r, "aandeel")));
    }
  }
  return sum;
}

static double jaccard(const json_t *a, const json_t *b) {
  long both = 0, either = 0;
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)a, key, v) {
    either++;
    both += json_object_get(b, key) != NULL;
  }
  json_object_foreach((json_t *)b, key, v) either += json_object_get(a, key) == NULL;
  return either == 0 ? NAN : (double)both / (double)either;
}

/* A benchmark row `row` of a municipality with `leden` and `inwoners`:
 * each reference municipality with its own figures (those of its own gap
 * analysis), the Jaccard overlap of the fielded roles, the distance in
 * ln N, itself left out, and the three nearest. */
static void assert_beside_the_references(const json_t *row, const json_t *leden, long inwoners) {
  json_t *mine = fielded_roles(leden);
  const json_t *refs = json_object_get(row, "referenties");
  const char *self = str(row, "gemeente");
  ck_assert_int_ge(json_array_size(refs), 3);
  size_t i;
  json_t *e;
  const char *prev = "";
  json_array_foreach(refs, i, e) {
    const char *code = str(e, "gemeente");
    ck_assert_msg(strcmp(code, self) != 0, "%s is among its own references", self);
    ck_assert_int_lt(strcmp(prev, code), 0);
    prev = code;
    json_t *ref = reference_profile(code);
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/teamprofielen/%s/gap-analyse", str(ref, "uuid"));
    struct it_response a;
    get_ok(path, NULL, NULL, &a);
    const json_t *sum = json_object_get(a.json, "samenvatting");
    long n = (long)json_integer_value(json_object_get(a.json, "inwoners"));
    ck_assert_int_eq(json_integer_value(json_object_get(e, "inwoners")), n);
    ck_assert_double_eq(num(e, "totaalFte"), num(sum, "totaalFte"));
    ck_assert_msg(json_equal(json_object_get(e, "dekking"), json_object_get(sum, "dekking")),
                  "%s: dekking in the benchmark differs from its own analysis", code);
    ck_assert_double_eq_tol(num(e, "ftePer10000"), num(sum, "totaalFte") / (double)n * 10000.0,
                            1.0001e-4);
    json_t *theirs = fielded_roles(json_object_get(ref, "leden"));
    ck_assert_double_eq_tol(num(e, "rolOverlap"), round4(jaccard(mine, theirs)), 1e-9);
    ck_assert_double_eq_tol(num(e, "afstand"), fabs(log((double)inwoners) - log((double)n)),
                            1.0001e-4);
    json_decref(theirs);
    it_response_free(&a);
    json_decref(ref);
  }
  /* The three nearest: by distance, then code. */
  const json_t *near = json_object_get(row, "dichtstbijzijnd");
  ck_assert_uint_eq(json_array_size(near), 3);
  int taken[64] = {0};
  for (size_t k = 0; k < 3; k++) {
    size_t best = SIZE_MAX;
    json_array_foreach(refs, i, e) {
      if (i >= 64 || taken[i]) continue;
      if (best == SIZE_MAX) {
        best = i;
        continue;
      }
      const json_t *b = json_array_get(refs, best);
      double d = num(e, "afstand"), db = num(b, "afstand");
      if (d < db || (d == db && strcmp(str(e, "gemeente"), str(b, "gemeente")) < 0)) best = i;
    }
    taken[best] = 1;
    ck_assert_str_eq(json_string_value(json_array_get(near, k)),
                     str(json_array_get(refs, best), "gemeente"));
  }
  json_decref(mine);
}

START_TEST(benchmark_row_follows_the_latest_profile_and_the_analysis) {
  /* An older, bigger team and a newer one: the newer counts. */
  json_t *older =
      team("GM0796", "2025-06-30",
           json_pack("[o, o]", member1("A", 1.5, "webredacteur"), member1("B", 1.5, "webanalist")));
  json_t *newer = small_team("GM0796", "2026-06-01", "Webredactie");
  struct profile p_old, p_new;
  create(newer, &p_new);
  create(older, &p_old); /* stored later, dated earlier */
  struct it_response r, a;
  get_ok("/api/v1/gemeenten/GM0796/benchmark", &clients[B], NULL, &r);
  ck_assert_str_eq(str(r.json, "teamprofiel"), p_new.uuid);
  ck_assert_str_eq(str(r.json, "peildatum"), "2026-06-01");
  ck_assert_str_eq(str(r.json, "naam"), "'s-Hertogenbosch");
  ck_assert_int_eq(json_integer_value(json_object_get(r.json, "grootteklasse")), 7);
  long n = inwoners_of("GM0796");
  ck_assert_int_eq(json_integer_value(json_object_get(r.json, "inwoners")), n);
  /* Its figures are those of its gap analysis. */
  char path[160];
  snprintf(path, sizeof(path), "%s/gap-analyse", p_new.path);
  get_ok(path, &clients[W], NULL, &a);
  const json_t *sum = json_object_get(a.json, "samenvatting");
  ck_assert_double_eq_tol(num(r.json, "totaalFte"), 2.3, 1e-9);
  ck_assert_double_eq(num(r.json, "totaalFte"), num(sum, "totaalFte"));
  ck_assert_double_eq(num(r.json, "dekking"), num(sum, "dekking"));
  ck_assert_double_eq(num(r.json, "capaciteit"), num(sum, "capaciteit"));
  ck_assert_double_eq_tol(num(r.json, "ftePer10000"), round4(2.3 / (double)n * 10000.0), 1e-9);
  /* Beside the seven. */
  ck_assert_int_eq(json_array_size(json_object_get(r.json, "referenties")), 7);
  assert_beside_the_references(r.json, json_object_get(newer, "leden"), n);
  it_response_free(&a);
  /* A reference municipality is compared with the other six. */
  get_ok("/api/v1/gemeenten/GM0050/benchmark", &clients[B], NULL, &a);
  ck_assert_int_eq(json_array_size(json_object_get(a.json, "referenties")), 6);
  it_response_free(&a);
  /* The same row in the list of all. */
  json_t *rows = stable_snapshot(100, NULL);
  const json_t *row = row_of(rows, "GM0796");
  ck_assert_ptr_nonnull(row);
  ck_assert_str_eq(str(row, "teamprofiel"), p_new.uuid);
  json_t *single = NULL;
  get_ok("/api/v1/gemeenten/GM0796/benchmark", &clients[B], NULL, &a);
  single = a.json;
  ck_assert_msg(json_equal(single, row), "the benchmark of GM0796 differs from its row:\n%s",
                a.body);
  it_response_free(&a);
  it_response_free(&r);
  json_decref(rows);
  json_decref(older);
  json_decref(newer);
}
END_TEST

/* --- k-anonymity and PERCENTRANK.INC --------------------------------------- */

/* PERCENTILE.INC of the n values (sorted here), rounded as shown. */
static int cmp_num(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

static double percentile_inc(const double *sorted, size_t n, double p) {
  double h = (double)(n - 1) * p;
  size_t lo = (size_t)floor(h);
  if (lo + 1 >= n) return sorted[n - 1];
  return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

/* The grids of docs/methode.md, in units of 0.0001: 0.1 fte per 10 000
 * inhabitants, 0.05 coverage. */
#define GRID_FTE 1000
#define GRID_DEKKING 500

/* `x` (4 decimals) rounded half away from zero to a multiple of `step`. */
static double to_grid(double x, long long step) {
  long long units = llround(x * 10000.0);
  long long k = (llabs(units) + step / 2) / step;
  return (double)(units < 0 ? -k : k) * (double)step / 10000.0;
}

/* Whether `x` is a whole number of steps. */
static int on_grid(double x, long long step) {
  long long units = llround(x * 10000.0);
  return fabs(x * 10000.0 - (double)units) < 1e-6 && units % step == 0;
}

/* The quartiles the method publishes for values `v` on grid `step`, as
 * {p25, mediaan, p75}: PERCENTILE.INC as shown, rounded to the grid. */
static json_t *quartiles_of(double *v, size_t n, long long step) {
  qsort(v, n, sizeof(*v), cmp_num);
  return json_pack("{s:f, s:f, s:f}", "p25", to_grid(round4(percentile_inc(v, n, 0.25)), step),
                   "mediaan", to_grid(round4(percentile_inc(v, n, 0.5)), step), "p75",
                   to_grid(round4(percentile_inc(v, n, 0.75)), step));
}

/* The published quartiles `got` are `want` (to the last shown digit). */
static void assert_quartiles(const json_t *got, const json_t *want, const char *what) {
  static const char *const keys[] = {"p25", "mediaan", "p75"};
  ck_assert_msg(json_is_object(got) && json_object_size(got) == 3, "%s: quartiles %s", what,
                json_is_object(got) ? "with other members" : "missing");
  for (int k = 0; k < 3; k++) {
    ck_assert_msg(fabs(num(got, keys[k]) - num(want, keys[k])) < 1e-9, "%s %s: %.4f, want %.4f",
                  what, keys[k], num(got, keys[k]), num(want, keys[k]));
  }
}

/* The band of `x` against quartiles `q`, as docs/methode.md defines it on
 * the values as shown: below p25; from p25 up to and including the median;
 * above the median up to and including p75; above p75. */
static const char *band_of(double x, const json_t *q) {
  if (x < num(q, "p25")) return "onder-p25";
  if (x <= num(q, "mediaan")) return "p25-mediaan";
  if (x <= num(q, "p75")) return "mediaan-p75";
  return "boven-p75";
}

/* The codes of the municipalities with a (public) reference profile, as a
 * JSON array (new reference). */
static json_t *reference_codes(void) {
  struct it_response r;
  get_ok("/api/v1/teamprofielen?referentie=true&pageSize=100", NULL, NULL, &r);
  json_t *codes = json_array();
  size_t i;
  const json_t *p;
  json_array_foreach(json_object_get(r.json, "results"), i, p) {
    json_array_append_new(codes, json_string(str(p, "gemeente")));
  }
  it_response_free(&r);
  ck_assert_uint_ge(json_array_size(codes), 1);
  return codes;
}

static int is_reference(const json_t *refs, const char *gemeente) {
  size_t i;
  const json_t *code;
  json_array_foreach(refs, i, code) {
    if (strcmp(json_string_value(code), gemeente) == 0) return 1;
  }
  return 0;
}

/* The position of `gemeente` in `rows` (VNG's exact view) is what
 * PERCENTRANK.INC gives over the rows of its size class, with the
 * quartiles of the others (itself left out) and its bands against them;
 * or suppressed below 5 others that are not reference municipalities
 * (`refs`). Returns the group size. */
static long assert_position(const json_t *rows, const char *gemeente, const json_t *refs) {
  const json_t *me = row_of(rows, gemeente);
  ck_assert_msg(me != NULL, "%s has no benchmark row", gemeente);
  json_int_t klasse = json_integer_value(json_object_get(me, "grootteklasse"));
  double my_fte = num(me, "ftePer10000");
  const json_t *my_dekking = json_object_get(me, "dekking");
  long n = 0, lower = 0, lower_d = 0;
  double others[128], others_d[128];
  size_t no = 0, nod = 0, counted = 0, counted_d = 0, i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    if (json_integer_value(json_object_get(row, "grootteklasse")) != klasse) continue;
    n++;
    lower += num(row, "ftePer10000") < my_fte;
    const json_t *d = json_object_get(row, "dekking");
    if (json_is_number(d) && json_is_number(my_dekking))
      lower_d += json_number_value(d) < json_number_value(my_dekking);
    if (row == me) continue;
    ck_assert_uint_lt(no, 128);
    others[no++] = num(row, "ftePer10000");
    if (json_is_number(d)) others_d[nod++] = json_number_value(d);
    int counts = !is_reference(refs, str(row, "gemeente"));
    counted += (size_t)counts;
    counted_d += (size_t)(counts && json_is_number(d));
  }
  const json_t *pos = json_object_get(me, "positie");
  ck_assert_str_eq(str(pos, "weergave"), "exact");
  ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), n);
  const json_t *pf = json_object_get(pos, "ftePer10000Percentiel");
  const json_t *pd = json_object_get(pos, "dekkingPercentiel");
  const json_t *qf = json_object_get(pos, "ftePer10000Kwartielen");
  const json_t *qd = json_object_get(pos, "dekkingKwartielen");
  if (counted < 5) {
    ck_assert_msg(json_is_null(pf) && json_is_null(pd) && json_is_null(qf) && json_is_null(qd) &&
                      json_is_null(json_object_get(pos, "ftePer10000Band")) &&
                      json_is_null(json_object_get(pos, "dekkingBand")),
                  "%s: %zu others (%zu not references) are not suppressed", gemeente, no,
                  counted);
    ck_assert(json_is_true(json_object_get(pos, "onderdrukt")));
    ck_assert_ptr_nonnull(str(pos, "reden"));
    ck_assert_ptr_nonnull(strstr(str(pos, "reden"), "5"));
    return n;
  }
  ck_assert_msg(json_is_false(json_object_get(pos, "onderdrukt")),
                "%s: %zu others not references, suppressed all the same", gemeente, counted);
  ck_assert(json_is_null(json_object_get(pos, "reden")));
  double want = 100.0 * (double)lower / (double)(n - 1);
  ck_assert_msg(json_is_number(pf) && fabs(json_number_value(pf) - want) <= 6e-5,
                "%s: ftePer10000Percentiel %s, PERCENTRANK.INC gives %.4f (%ld of %ld lower)",
                gemeente, json_is_number(pf) ? "a number" : "null", want, lower, n);
  json_t *want_q = quartiles_of(others, no, GRID_FTE);
  assert_quartiles(qf, want_q, gemeente);
  ck_assert_str_eq(str(pos, "ftePer10000Band"), band_of(my_fte, qf));
  json_decref(want_q);
  if (counted_d >= 5) {
    want_q = quartiles_of(others_d, nod, GRID_DEKKING);
    assert_quartiles(qd, want_q, gemeente);
    json_decref(want_q);
  } else {
    ck_assert(json_is_null(qd));
  }
  if (counted_d >= 5 && json_is_number(my_dekking)) {
    double want_d = 100.0 * (double)lower_d / (double)nod;
    ck_assert_msg(json_is_number(pd) && fabs(json_number_value(pd) - want_d) <= 6e-5,
                  "%s: dekkingPercentiel, PERCENTRANK.INC gives %.4f", gemeente, want_d);
    ck_assert_str_eq(str(pos, "dekkingBand"), band_of(json_number_value(my_dekking), qd));
  } else {
    ck_assert(json_is_null(pd));
    ck_assert(json_is_null(json_object_get(pos, "dekkingBand")));
  }
  return n;
}

START_TEST(size_class_is_suppressed_below_five_then_ranked) {
  /* Per municipality of class 3: members (fte, role) making distinct fte per
   * 10 000 inhabitants and some equal coverages (ties). */
  static const struct {
    double fte[2];
  } teams[NCLASS3] = {{{0.4, 0}},   {{1.2, 0}},    {{0.8, 0.3}},
                      {{1.5, 0.5}}, {{0.6887, 0}}, {{1.0, 1.0}}};
  struct profile p[NCLASS3];
  json_t *refs = reference_codes();
  json_t *rows = stable_snapshot(100, NULL);
  long before = 0;
  size_t i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    before += json_integer_value(json_object_get(row, "grootteklasse")) == 3;
  }
  json_decref(rows);
  ck_assert_msg(before <= 1,
                "size class 3 already has %ld profiles of others; suppression cannot be shown",
                before);
  /* Scherpenzeel has 10 000 inhabitants: class 3, not 2. */
  ck_assert_int_eq(inwoners_of("GM0279"), 10000);
  for (size_t k = 0; k < NCLASS3; k++) {
    json_t *leden = json_array();
    json_array_append_new(leden, member1("Webredactie", teams[k].fte[0], "webredacteur"));
    if (teams[k].fte[1] > 0) {
      json_array_append_new(leden, member1("Webcare", teams[k].fte[1], "webcare-medewerker"));
    }
    json_t *body = team(CLASS3[k], "2026-01-01", leden);
    create(body, &p[k]);
    json_decref(body);
    if (k == 2) {
      /* Three of ours (and at most one other): suppressed everywhere. */
      rows = stable_snapshot(100, NULL);
      for (size_t j = 0; j <= k; j++) {
        ck_assert_int_lt(assert_position(rows, CLASS3[j], refs), 5);
        const json_t *me = row_of(rows, CLASS3[j]);
        ck_assert_int_eq(json_integer_value(json_object_get(me, "grootteklasse")), 3);
      }
      json_decref(rows);
      /* The same in the benchmark of one municipality. */
      struct it_response r;
      get_ok("/api/v1/gemeenten/GM0279/benchmark", &clients[B], NULL, &r);
      const json_t *pos = json_object_get(r.json, "positie");
      ck_assert(json_is_true(json_object_get(pos, "onderdrukt")));
      ck_assert(json_is_null(json_object_get(pos, "ftePer10000Percentiel")));
      ck_assert(json_is_null(json_object_get(pos, "dekkingPercentiel")));
      it_response_free(&r);
    }
  }
  /* Six of ours: ranked, as PERCENTRANK.INC over the group's rows. */
  rows = stable_snapshot(100, NULL);
  for (size_t k = 0; k < NCLASS3; k++) {
    ck_assert_int_ge(assert_position(rows, CLASS3[k], refs), (long)NCLASS3);
    const json_t *me = row_of(rows, CLASS3[k]);
    ck_assert_str_eq(str(me, "teamprofiel"), p[k].uuid);
    double total = teams[k].fte[0] + teams[k].fte[1];
    ck_assert_double_eq_tol(num(me, "ftePer10000"),
                            round4(total / (double)inwoners_of(CLASS3[k]) * 10000.0), 1e-9);
  }
  /* By hand, when no other profile is in the class: Scherpenzeel's 0.4 fte
   * per 10 000 and Staphorst's 0.6887 / 17 217 x 10 000 = 0.400012 are equal
   * at 4 decimals, so both are the lowest (0); Harlingen (0.6965) has two
   * below it of five others (40). Coverage: the three teams with only a
   * web editor tie at 0, the three with web care too at 60. */
  const json_t *pos_s = json_object_get(row_of(rows, "GM0279"), "positie");
  const json_t *pos_t = json_object_get(row_of(rows, "GM0180"), "positie");
  const json_t *pos_h = json_object_get(row_of(rows, "GM0072"), "positie");
  if (json_integer_value(json_object_get(pos_s, "groepsgrootte")) == 6) {
    ck_assert_double_eq_tol(num(pos_s, "ftePer10000Percentiel"), 0.0, 1e-9);
    ck_assert_double_eq_tol(num(pos_t, "ftePer10000Percentiel"), 0.0, 1e-9);
    ck_assert_double_eq_tol(num(pos_h, "ftePer10000Percentiel"), 40.0, 1e-9);
    ck_assert_double_eq_tol(num(pos_s, "dekkingPercentiel"), 0.0, 1e-9);
    ck_assert_double_eq_tol(num(pos_h, "dekkingPercentiel"), 60.0, 1e-9);
  }
  /* Each municipality's own benchmark says the same. */
  for (size_t k = 0; k < NCLASS3; k++) {
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/gemeenten/%s/benchmark", CLASS3[k]);
    struct it_response r;
    get_ok(path, &clients[B], NULL, &r);
    ck_assert_msg(json_equal(json_object_get(r.json, "positie"),
                             json_object_get(row_of(rows, CLASS3[k]), "positie")),
                  "%s: position differs from its row in /benchmarks: %s", CLASS3[k], r.body);
    it_response_free(&r);
  }
  json_decref(rows);
  json_decref(refs);
}
END_TEST

/* --- k-anonymity: what a municipality's own client can learn -------------- */

/* Size class 2 (5 000-9 999 inhabitants) has no reference municipality and
 * no other test writes it: GM0024 Loppersum probes it against six others.
 * Class 1 (below 5 000) has only five municipalities, so none of them ever
 * has five others: GM0060 Ameland probes it, the four others have a
 * profile. */
static const char *const CLASS2_OTHERS[] = {"GM0317", "GM0339", "GM0431",
                                            "GM0638", "GM0744", "GM0944"};
#define NCLASS2_OTHERS (sizeof(CLASS2_OTHERS) / sizeof(CLASS2_OTHERS[0]))
static const char *const CLASS1_OTHERS[] = {"GM0088", "GM0093", "GM0096", "GM0277"};
#define NCLASS1_OTHERS (sizeof(CLASS1_OTHERS) / sizeof(CLASS1_OTHERS[0]))

/* A team of `fte` in all (at most 3: a member has at most 1.5), in one of
 * three mixes of roles (so that the coverage moves too). */
static json_t *probe_team(const char *gemeente, double fte, int mix) {
  json_t *leden;
  if (mix % 3 == 0) {
    leden = json_pack("[o, o]", member1("Web", fte / 2, "webredacteur"),
                      member1("Web 2", fte / 2, "webredacteur"));
  } else if (mix % 3 == 1) {
    leden = json_pack("[o, o]", member1("Web", fte / 2, "webredacteur"),
                      member1("Webcare", fte / 2, "webcare-medewerker"));
  } else {
    leden = json_pack("[o, o, o]", member1("Web", fte / 2, "webredacteur"),
                      member1("Verbinder", fte / 4, "verbinder"),
                      member1("Data", fte / 4, "webanalist"));
  }
  return team(gemeente, "2026-03-01", leden);
}

/* A municipality's profile as one client keeps rewriting it. */
struct own {
  const struct client *c;
  const char *gemeente;
  struct profile p;
  char if_match[128];
};

/* The profile of `o` set to `fte` in mix `mix`: POSTed the first time, then
 * PUT with the ETag of the previous answer. */
static void set_own(struct own *o, double fte, int mix) {
  json_t *body = probe_team(o->gemeente, fte, mix);
  struct it_response r;
  if (o->p.uuid[0] == '\0') {
    create_as(o->c, body, &o->p);
    get_ok(o->p.path, o->c, NULL, &r);
  } else {
    char *text = dump(body);
    const char *h[] = {o->if_match, NULL};
    call("PUT", o->p.path, o->c, h, text, &r);
    free(text);
    ck_assert_msg(r.status == 200, "PUT %s gave %ld: %s", o->p.path, r.status, r.body);
  }
  ck_assert_ptr_nonnull(it_header(&r, "ETag"));
  snprintf(o->if_match, sizeof(o->if_match), "If-Match: %s", it_header(&r, "ETag"));
  it_response_free(&r);
  json_decref(body);
}

static void drop_own(struct own *o) {
  const char *h[] = {o->if_match, NULL};
  ck_assert_int_eq(status_of("DELETE", o->p.path, o->c, h, NULL), 204);
  o->p.uuid[0] = '\0';
}

/* The class figures VNG sees for class `klasse`, leaving out the codes
 * `skip` (NULL-terminated): the quartiles of fte per 10 000 and of
 * coverage, and how many rows there were. */
static size_t class_quartiles(int klasse, const char *const *skip, json_t **fte_q,
                              json_t **dek_q) {
  json_t *rows = stable_snapshot(100, NULL);
  double fte[64], dek[64];
  size_t n = 0, nd = 0, i;
  json_t *row;
  json_array_foreach(rows, i, row) {
    int left_out = json_integer_value(json_object_get(row, "grootteklasse")) != klasse;
    for (size_t k = 0; skip[k] != NULL; k++) left_out |= strcmp(str(row, "gemeente"), skip[k]) == 0;
    if (left_out) continue;
    ck_assert_uint_lt(n, 64);
    fte[n++] = num(row, "ftePer10000");
    if (json_is_number(json_object_get(row, "dekking"))) dek[nd++] = num(row, "dekking");
  }
  json_decref(rows);
  ck_assert_msg(n >= 5 && nd >= 5, "class %d has %zu others (%zu with a coverage)", klasse, n, nd);
  *fte_q = quartiles_of(fte, n, GRID_FTE);
  *dek_q = quartiles_of(dek, nd, GRID_DEKKING);
  return n;
}

/* GET the benchmark of `gemeente` as `c`. */
static void get_benchmark(const char *gemeente, const struct client *c, struct it_response *r) {
  char path[96];
  snprintf(path, sizeof(path), "/api/v1/gemeenten/%s/benchmark", gemeente);
  get_ok(path, c, NULL, r);
}

/* The benchmark of `gemeente` as `c`, asserting that its position says no
 * more than the quartiles `want_fte` and `want_dek` of the others and the
 * bands of its own figures against them: the quartiles as published,
 * every other member of `positie` fixed or null. With `both_paths`, asked
 * once more after the rows of all were computed and kept (the first
 * answer after a write is computed from the size class alone): the same
 * bytes. Returns the document (new reference). */
static json_t *assert_banded(const char *gemeente, const struct client *c, const json_t *want_fte,
                             const json_t *want_dek, int both_paths) {
  struct it_response r;
  get_benchmark(gemeente, c, &r);
  const json_t *pos = json_object_get(r.json, "positie");
  static const char *const exact[] = {"groepsgrootte", "ftePer10000Percentiel",
                                      "dekkingPercentiel"};
  for (int k = 0; k < 3; k++) {
    ck_assert_msg(json_is_null(json_object_get(pos, exact[k])), "%s as %s shows %s: %s", gemeente,
                  c->id, exact[k], strstr(r.body, "\"positie\""));
  }
  const json_t *qf = json_object_get(pos, "ftePer10000Kwartielen");
  const json_t *qd = json_object_get(pos, "dekkingKwartielen");
  assert_quartiles(qf, want_fte, "ftePer10000Kwartielen");
  assert_quartiles(qd, want_dek, "dekkingKwartielen");
  static const char *const keys[] = {"p25", "mediaan", "p75"};
  for (int k = 0; k < 3; k++) {
    ck_assert_msg(on_grid(num(qf, keys[k]), GRID_FTE), "%s: ftePer10000 %s %.4f off the grid",
                  gemeente, keys[k], num(qf, keys[k]));
    ck_assert_msg(on_grid(num(qd, keys[k]), GRID_DEKKING), "%s: dekking %s %.4f off the grid",
                  gemeente, keys[k], num(qd, keys[k]));
  }
  json_t *want = json_pack("{s:n, s:n, s:n, s:b, s:n, s:O, s:s, s:O, s:s, s:s}", "groepsgrootte",
                           "ftePer10000Percentiel", "dekkingPercentiel", "onderdrukt", 0, "reden",
                           "ftePer10000Kwartielen", qf, "ftePer10000Band",
                           band_of(num(r.json, "ftePer10000"), qf), "dekkingKwartielen", qd,
                           "dekkingBand", band_of(num(r.json, "dekking"), qd), "weergave", "band");
  ck_assert_msg(json_equal(pos, want), "%s as %s: positie says more than its bands: %s", gemeente,
                c->id, r.body);
  json_decref(want);
  if (both_paths) {
    struct it_response all, again;
    get_ok("/api/v1/benchmarks?pageSize=1", &clients[B], NULL, &all);
    get_benchmark(gemeente, c, &again);
    ck_assert_msg(strcmp(again.body, r.body) == 0, "kept rows give %s, the class alone %s",
                  again.body, r.body);
    it_response_free(&all);
    it_response_free(&again);
  }
  json_t *doc = json_incref(r.json);
  it_response_free(&r);
  return doc;
}

/* The six others of class 2 with known teams. */
static void class2_others(struct own *others) {
  static const double fte[NCLASS2_OTHERS] = {0.5, 1.1, 1.6, 0.9, 1.2, 0.3};
  for (size_t k = 0; k < NCLASS2_OTHERS; k++) {
    others[k] = (struct own){&clients[P], CLASS2_OTHERS[k], {"", ""}, ""};
    set_own(&others[k], fte[k], (int)k);
  }
}

/* The attack: a client that may write only its own municipality's profile
 * sets it to chosen values and reads its benchmark each time. A sweep
 * over the whole range of its class, then a binary search for each place
 * where the answer changes. Once it could read every other's exact fte per
 * 10 000 inhabitants from where its percentile rank changed; now every
 * answer is the same published quartiles of the others with the band of
 * its own value, and the finest thing a search finds is a quartile. The
 * quartiles are those of the others rounded to the grid (0.1 fte per
 * 10 000, 0.05 coverage), so even those say no more of the others'
 * figures than a cell of the grid. */
START_TEST(own_client_learns_only_the_quartiles_of_its_class) {
  struct own others[NCLASS2_OTHERS];
  class2_others(others);
  const char *const skip[] = {"GM0024", "GM1695", NULL};
  json_t *want_fte = NULL, *want_dek = NULL;
  ck_assert_uint_eq(class_quartiles(2, skip, &want_fte, &want_dek), NCLASS2_OTHERS);

  struct own me = {&clients[A], "GM0024", {"", ""}, ""};
  json_t *first = NULL, *doc = NULL;
  int probes = 0;
  /* 0.2 to 2.59 fte: 0.21 to 2.73 per 10 000, around the others' 0.38 to 1.99. */
  char prev_band[32] = "";
  double prev_fte = 0.0;
  double change_lo[8], change_hi[8];
  size_t changes = 0;
  for (int i = 0; i < 240; i++, probes++) {
    double fte = 0.2 + 0.01 * i;
    set_own(&me, fte, i % 3);
    json_decref(doc);
    doc = assert_banded("GM0024", &clients[A], want_fte, want_dek, i % 8 == 0);
    const json_t *pos = json_object_get(doc, "positie");
    if (first == NULL) first = json_incref(json_object_get(pos, "ftePer10000Kwartielen"));
    ck_assert(json_equal(json_object_get(pos, "ftePer10000Kwartielen"), first));
    const char *band = str(pos, "ftePer10000Band");
    if (prev_band[0] != '\0' && strcmp(band, prev_band) != 0 && changes < 8) {
      change_lo[changes] = prev_fte;
      change_hi[changes++] = fte;
    }
    snprintf(prev_band, sizeof(prev_band), "%s", band);
    prev_fte = fte;
  }
  /* None of the others' figures as VNG sees them (4 decimals) is
   * published, unless it happens to lie on the grid. */
  json_t *rows = stable_snapshot(100, NULL);
  static const char *const keys[] = {"p25", "mediaan", "p75"};
  const json_t *first_d = json_object_get(json_object_get(doc, "positie"), "dekkingKwartielen");
  for (size_t k = 0; k < NCLASS2_OTHERS; k++) {
    const json_t *row = row_of(rows, CLASS2_OTHERS[k]);
    double f = num(row, "ftePer10000"), d = num(row, "dekking");
    for (int j = 0; j < 3; j++) {
      ck_assert_msg(on_grid(f, GRID_FTE) || num(first, keys[j]) != f,
                    "ftePer10000 %s is %s's %.4f", keys[j], CLASS2_OTHERS[k], f);
      ck_assert_msg(on_grid(d, GRID_DEKKING) || num(first_d, keys[j]) != d,
                    "dekking %s is %s's %.4f", keys[j], CLASS2_OTHERS[k], d);
    }
  }
  json_decref(rows);
  /* Each of the three quartiles is crossed once; a binary search between
   * the two sweep values around each crossing pins it down to the
   * published quartile, and to nothing else. */
  static const char *const bounds[] = {"p25", "mediaan", "p75"};
  static const char *const below[] = {"onder-p25", "p25-mediaan", "mediaan-p75"};
  ck_assert_uint_eq(changes, 3);
  for (size_t k = 0; k < changes; k++) {
    double lo = change_lo[k], hi = change_hi[k], x_lo = -INFINITY, x_hi = INFINITY;
    for (int step = 0; step < 10; step++, probes++) {
      double mid = (lo + hi) / 2;
      set_own(&me, mid, 0);
      json_decref(doc);
      doc = assert_banded("GM0024", &clients[A], want_fte, want_dek, 0);
      double x = num(doc, "ftePer10000");
      if (strcmp(str(json_object_get(doc, "positie"), "ftePer10000Band"), below[k]) == 0) {
        lo = mid;
        x_lo = x;
      } else {
        hi = mid;
        x_hi = x;
      }
    }
    double q = num(first, bounds[k]);
    ck_assert_msg(x_lo <= q && q <= x_hi, "the search ends at %.4f-%.4f, not around %s %.4f", x_lo,
                  x_hi, bounds[k], q);
  }
  ck_assert_int_ge(probes, 200);

  /* Nothing else in the answer moves with another municipality's value:
   * after another changes its team, only the quartiles (and so perhaps a
   * band) may differ. */
  json_t *before = json_deep_copy(doc);
  set_own(&others[0], 0.7, 1);
  json_decref(doc);
  struct it_response r;
  get_benchmark("GM0024", &clients[A], &r);
  doc = json_incref(r.json);
  it_response_free(&r);
  json_object_del(before, "positie");
  json_object_del(doc, "positie");
  ck_assert_msg(json_equal(before, doc), "the answer outside positie moved with another's team");

  drop_own(&me);
  for (size_t k = 0; k < NCLASS2_OTHERS; k++) drop_own(&others[k]);
  json_decref(before);
  json_decref(doc);
  json_decref(first);
  json_decref(want_fte);
  json_decref(want_dek);
}
END_TEST

/* The same attack by a client of two municipalities of one class: it moves
 * the one and reads the other. The figures a client sees leave out every
 * municipality it may act for, so the quartiles stay put; a client of
 * the one municipality alone counts the other among the others. */
START_TEST(client_of_two_municipalities_learns_no_more) {
  struct own others[NCLASS2_OTHERS];
  class2_others(others);
  struct own subject = {&clients[M], "GM0024", {"", ""}, ""};
  struct own moved = {&clients[M], "GM1695", {"", ""}, ""};
  set_own(&subject, 1.0, 0);
  const char *const both[] = {"GM0024", "GM1695", NULL};
  json_t *want_fte = NULL, *want_dek = NULL, *doc = NULL;
  ck_assert_uint_eq(class_quartiles(2, both, &want_fte, &want_dek), NCLASS2_OTHERS);
  for (int i = 0; i < 30; i++) {
    set_own(&moved, 0.1 + 0.08 * i, i % 3);
    json_decref(doc);
    doc = assert_banded("GM0024", &clients[M], want_fte, want_dek, i % 10 == 0);
  }
  /* GM0024's own client, which cannot write GM1695, sees it among the others. */
  const char *const self[] = {"GM0024", NULL};
  json_t *with_fte = NULL, *with_dek = NULL;
  ck_assert_uint_eq(class_quartiles(2, self, &with_fte, &with_dek), NCLASS2_OTHERS + 1);
  json_decref(doc);
  doc = assert_banded("GM0024", &clients[A], with_fte, with_dek, 1);
  drop_own(&moved);
  drop_own(&subject);
  for (size_t k = 0; k < NCLASS2_OTHERS; k++) drop_own(&others[k]);
  json_decref(doc);
  json_decref(want_fte);
  json_decref(want_dek);
  json_decref(with_fte);
  json_decref(with_dek);
}
END_TEST

/* Below five others nothing of the class is published to the
 * municipality's own client: not the quartiles, not a band, not the size
 * of the group, whatever value it probes with. VNG sees the group's size,
 * and no percentile either. */
START_TEST(below_five_others_nothing_of_the_class_is_shown) {
  struct own others[NCLASS1_OTHERS];
  static const double fte[NCLASS1_OTHERS] = {0.2, 0.5, 0.3, 0.4};
  for (size_t k = 0; k < NCLASS1_OTHERS; k++) {
    others[k] = (struct own){&clients[P], CLASS1_OTHERS[k], {"", ""}, ""};
    set_own(&others[k], fte[k], (int)k);
  }
  struct own me = {&clients[S], "GM0060", {"", ""}, ""};
  json_t *want = NULL;
  for (int i = 0; i < 40; i++) {
    set_own(&me, 0.05 + 0.03 * i, i % 3);
    struct it_response r, all, again;
    get_benchmark("GM0060", &clients[S], &r);
    const json_t *pos = json_object_get(r.json, "positie");
    const char *reden = str(pos, "reden");
    ck_assert_msg(reden != NULL && strstr(reden, "5") != NULL, "reden: %s", r.body);
    if (want == NULL) {
      want = json_pack("{s:n, s:n, s:n, s:b, s:s, s:n, s:n, s:n, s:n, s:s}", "groepsgrootte",
                       "ftePer10000Percentiel", "dekkingPercentiel", "onderdrukt", 1, "reden",
                       reden, "ftePer10000Kwartielen", "ftePer10000Band", "dekkingKwartielen",
                       "dekkingBand", "weergave", "band");
    }
    ck_assert_msg(json_equal(pos, want), "a group of five shows its class: %s", r.body);
    /* The same from the kept rows. */
    get_ok("/api/v1/benchmarks?pageSize=1", &clients[B], NULL, &all);
    get_benchmark("GM0060", &clients[S], &again);
    ck_assert_str_eq(again.body, r.body);
    it_response_free(&r);
    it_response_free(&all);
    it_response_free(&again);
  }
  /* VNG: all five in the group, suppressed all the same. */
  json_t *rows = stable_snapshot(100, NULL);
  const json_t *pos = json_object_get(row_of(rows, "GM0060"), "positie");
  ck_assert_int_eq(json_integer_value(json_object_get(pos, "groepsgrootte")), 5);
  ck_assert(json_is_true(json_object_get(pos, "onderdrukt")));
  ck_assert(json_is_null(json_object_get(pos, "ftePer10000Percentiel")));
  ck_assert(json_is_null(json_object_get(pos, "dekkingPercentiel")));
  ck_assert(json_is_null(json_object_get(pos, "ftePer10000Kwartielen")));
  json_decref(rows);
  drop_own(&me);
  for (size_t k = 0; k < NCLASS1_OTHERS; k++) drop_own(&others[k]);
  json_decref(want);
}
END_TEST

/* Size class 5 (50 000-99 999 inhabitants) holds three reference
 * municipalities, GM0074 Heerenveen, GM0715 Terneuzen and GM1940 De Fryske
 * Marren, whose reference profiles are public; of the others, only GM0164
 * and GM1900 get a profile from another test. P writes six more. */
static const char *const CLASS5_OURS[] = {"GM0355", "GM0106", "GM0118",
                                          "GM0141", "GM0222", "GM0345"};
#define NCLASS5_OURS (sizeof(CLASS5_OURS) / sizeof(CLASS5_OURS[0]))

/* Five others of which three are references leave two figures that
 * nobody knew, which the quartiles all but name: only others that are not
 * reference municipalities count towards the five. With three of ours,
 * each has the three references and two of ours among its others (at
 * least five), but at most four others that are not references
 * (GM0164 and GM1900 at most besides ours): suppressed, for VNG too. With
 * six of ours, at least five count: shown, with the references' figures
 * in the quartiles. */
START_TEST(reference_municipalities_do_not_count_towards_five) {
  static const double fte[NCLASS5_OURS] = {2.1, 2.9, 1.7, 2.6, 2.3, 1.9};
  json_t *refs = reference_codes();
  ck_assert(is_reference(refs, "GM0074") && is_reference(refs, "GM0715") &&
            is_reference(refs, "GM1940"));
  struct own ours[NCLASS5_OURS];
  for (size_t k = 0; k < NCLASS5_OURS; k++) {
    ours[k] = (struct own){&clients[P], CLASS5_OURS[k], {"", ""}, ""};
    set_own(&ours[k], fte[k], (int)k);
    if (k != 2 && k != NCLASS5_OURS - 1) continue;
    json_t *rows = stable_snapshot(100, NULL);
    for (size_t j = 0; j <= k; j++) {
      const json_t *pos = json_object_get(row_of(rows, CLASS5_OURS[j]), "positie");
      ck_assert_int_ge(json_integer_value(json_object_get(pos, "groepsgrootte")), 6);
      ck_assert_msg(json_is_boolean(json_object_get(pos, "onderdrukt")) &&
                        json_is_true(json_object_get(pos, "onderdrukt")) == (k == 2),
                    "%s with %zu of ours: onderdrukt %s", CLASS5_OURS[j], k + 1,
                    json_is_true(json_object_get(pos, "onderdrukt")) ? "true" : "false");
      assert_position(rows, CLASS5_OURS[j], refs);
    }
    /* The same in the benchmark of one municipality. */
    struct it_response r;
    get_benchmark(CLASS5_OURS[0], &clients[B], &r);
    ck_assert_msg(json_equal(json_object_get(r.json, "positie"),
                             json_object_get(row_of(rows, CLASS5_OURS[0]), "positie")),
                  "%s: position differs from its row in /benchmarks: %s", CLASS5_OURS[0],
                  r.body);
    it_response_free(&r);
    json_decref(rows);
  }
  for (size_t k = 0; k < NCLASS5_OURS; k++) drop_own(&ours[k]);
  json_decref(refs);
}
END_TEST

/* --- the chart ------------------------------------------------------------- */

START_TEST(reference_chart_is_valid_svg_and_renders) {
  json_t *ref = reference_profile("GM0050");
  char profile_path[96];
  snprintf(profile_path, sizeof(profile_path), "/api/v1/teamprofielen/%s", str(ref, "uuid"));
  char svg[400], png[400];
  snprintf(svg, sizeof(svg), "%s/zeewolde.svg", scratch);
  snprintf(png, sizeof(png), "%s/zeewolde.png", scratch);
  struct it_response r, j;
  get_chart(profile_path, NULL, svg, &r);
  /* A standalone SVG 1.1 document, 800 wide, with a title naming the
   * municipality and the date. */
  char *root = xpath_string(svg, "local-name(/*)");
  ck_assert_str_eq(root, "svg");
  free(root);
  char *ns = xpath_string(svg, "namespace-uri(/*)");
  ck_assert_str_eq(ns, "http://www.w3.org/2000/svg");
  free(ns);
  char *width = xpath_string(svg, "string(/*/@width)");
  ck_assert_str_eq(width, "800");
  free(width);
  char *version = xpath_string(svg, "string(/*/@version)");
  ck_assert_str_eq(version, "1.1");
  free(version);
  char *title = xpath_string(svg, "string(/*/*[local-name()='title'])");
  ck_assert_msg(strstr(title, "Zeewolde (GM0050)") != NULL && strstr(title, "2019-01-01"),
                "title: %s", title);
  free(title);
  /* One row per catalogue role: every (short enough) role name is there. */
  json_t *roles = catalogue_roles();
  size_t i;
  json_t *role;
  json_array_foreach(roles, i, role) {
    const char *naam = str(role, "naam");
    if (strlen(naam) <= 44) {
      ck_assert_msg(strstr(r.body, naam) != NULL, "the chart lacks role %s", naam);
    }
  }
  json_decref(roles);
  /* Its own ETag, and 304 for it. */
  char path[160];
  snprintf(path, sizeof(path), "%s/gap-analyse", profile_path);
  get_ok(path, NULL, NULL, &j);
  ck_assert_str_ne(it_header(&r, "ETag"), it_header(&j, "ETag"));
  char inm[128];
  snprintf(inm, sizeof(inm), "If-None-Match: %s", it_header(&r, "ETag"));
  const char *h[] = {"Accept: image/svg+xml", inm, NULL};
  struct it_response again;
  call("GET", path, NULL, h, NULL, &again);
  ck_assert_int_eq(again.status, 304);
  it_response_free(&again);
  it_response_free(&j);

  assert_renders(svg, png, NULL);

  /* TEAMPLOTTER_UPDATE_EXAMPLE=1: the example in docs/, rendered at the
   * chart's own height. */
  const char *update = getenv("TEAMPLOTTER_UPDATE_EXAMPLE");
  if (update != NULL && strcmp(update, "1") == 0) {
    char doc_svg[1200], doc_png[1200], size[32];
    snprintf(doc_svg, sizeof(doc_svg), "%s../../docs/gap-analyse-voorbeeld.svg", here);
    snprintf(doc_png, sizeof(doc_png), "%s../../docs/gap-analyse-voorbeeld.png", here);
    write_file(doc_svg, r.body, r.body_len);
    char *height = xpath_string(svg, "string(/*/@height)");
    snprintf(size, sizeof(size), "800x%s", height);
    free(height);
    assert_renders(doc_svg, doc_png, size);
  }
  it_response_free(&r);
  json_decref(ref);
}
END_TEST

START_TEST(awkward_names_keep_the_chart_valid) {
  /* Member labels with markup characters; municipality names with an
   * apostrophe and with non-ASCII letters. */
  struct {
    const char *gemeente, *label, *title;
  } cases[] = {
      {"GM0796", "<&> \"quoted\" 'apos' ]]> <!-- -->",
       "Gap-analyse online team: 's-Hertogenbosch (GM0796), peildatum 2026-03-01"},
      {"GM1900", "a&b<c>d &amp; &#0; \xc3\xa9\xe2\x82\xac",
       "Gap-analyse online team: S\xc3\xba"
       "dwest-Frysl\xc3\xa2n (GM1900), peildatum 2026-03-01"},
  };
  for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    json_t *body = small_team(cases[k].gemeente, "2026-03-01", cases[k].label);
    struct profile p;
    create(body, &p);
    /* The label went in as given. */
    struct it_response r;
    get_ok(p.path, &clients[W], NULL, &r);
    ck_assert_str_eq(str(json_array_get(json_object_get(r.json, "leden"), 0), "label"),
                     cases[k].label);
    it_response_free(&r);
    assert_stored_equals_anonymous(p.path, &clients[W], body);
    char svg[400], png[400];
    snprintf(svg, sizeof(svg), "%s/awkward-%zu.svg", scratch, k);
    snprintf(png, sizeof(png), "%s/awkward-%zu.png", scratch, k);
    get_chart(p.path, &clients[W], svg, &r);
    char *title = xpath_string(svg, "string(/*/*[local-name()='title'])");
    ck_assert_str_eq(title, cases[k].title);
    free(title);
    if (k == 0) assert_renders(svg, png, NULL);
    it_response_free(&r);
    json_decref(body);
  }
}
END_TEST

/* --- the benchmarks are kept per profiles version ------------------------- */

/* The CSV line of `gemeente` in GET /api/v1/benchmarks on server `s` (a
 * new string; "" when it has no row). */
static char *csv_line_on(const struct it_server *s, const char *gemeente) {
  char auth[4096];
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s", clients[B].token);
  const char *h[] = {auth, "Accept: text/csv", NULL};
  struct it_response r;
  ck_assert_int_eq(it_request(s, "GET", "/api/v1/benchmarks", h, NULL, 0, &r), 0);
  ck_assert_msg(r.status == 200, "GET /api/v1/benchmarks gave %ld", r.status);
  char needle[32];
  snprintf(needle, sizeof(needle), "\r\n%s,", gemeente);
  const char *at = strstr(r.body, needle);
  char *line = at ? strndup(at + 2, strcspn(at + 2, "\r\n")) : strdup("");
  it_response_free(&r);
  return line;
}

/* The line on this server and on a second one (a replica on the same
 * database): both equal, and returned. */
static char *line_on_both(const struct it_server *other, const char *gemeente) {
  char *a = csv_line_on(&srv, gemeente), *b = csv_line_on(other, gemeente);
  ck_assert_str_eq(a, b);
  free(b);
  return a;
}

START_TEST(benchmarks_follow_every_profile_write_at_once) {
  /* A second replica; both keep the rows of all after the first request. */
  struct it_server other;
  ck_assert_int_eq(it_server_start(&other, SERVER_ENV), 0);
  char *before = line_on_both(&other, "GM0279");
  free(line_on_both(&other, "GM0279")); /* now served from what they keep */

  /* POST: the new, newest profile is in the row at once, on both. */
  json_t *body = small_team("GM0279", "2026-11-28", "Webredactie");
  struct profile p;
  create(body, &p);
  char *posted = line_on_both(&other, "GM0279");
  ck_assert_msg(strstr(posted, p.uuid) != NULL, "no new profile in %s", posted);
  ck_assert_str_ne(posted, before);

  /* PUT: another team, another total fte. */
  struct it_response r;
  call("GET", p.path, &clients[W], NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  char if_match[128];
  snprintf(if_match, sizeof(if_match), "If-Match: %s", it_header(&r, "ETag"));
  it_response_free(&r);
  json_t *bigger = team("GM0279", "2026-11-28",
                        json_pack("[o, o]", member1("A", 1.5, "webredacteur"),
                                  member1("B", 1.25, "webanalist")));
  char *text = dump(bigger);
  const char *h[] = {if_match, NULL};
  ck_assert_int_eq(status_of("PUT", p.path, &clients[W], h, text), 200);
  free(text);
  char *put = line_on_both(&other, "GM0279");
  ck_assert_msg(strstr(put, ",2.75,") != NULL, "totaalFte 2.75 not in %s", put);
  ck_assert_str_ne(put, posted);

  /* A write outside the API, to the profile row, counts too. */
  char sql[256];
  snprintf(sql, sizeof(sql), "UPDATE teamprofielen SET peildatum = '2026-11-27' WHERE uuid = '%s'",
           p.uuid);
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
  char *sql_line = line_on_both(&other, "GM0279");
  ck_assert_msg(strstr(sql_line, ",2026-11-27,") != NULL, "new peildatum not in %s", sql_line);

  /* DELETE: back to what it was. */
  call("GET", p.path, &clients[W], NULL, NULL, &r);
  ck_assert_int_eq(r.status, 200);
  snprintf(if_match, sizeof(if_match), "If-Match: %s", it_header(&r, "ETag"));
  it_response_free(&r);
  ck_assert_int_eq(status_of("DELETE", p.path, &clients[W], h, NULL), 204);
  char *deleted = line_on_both(&other, "GM0279");
  ck_assert_str_eq(deleted, before);

  ck_assert_int_eq(it_server_stop_verbose(&other), 0);
  free(before);
  free(posted);
  free(put);
  free(sql_line);
  free(deleted);
  json_decref(body);
  json_decref(bigger);
}
END_TEST

/* --- concurrent first requests -------------------------------------------- */

struct csv_fetch {
  const struct it_server *server;
  pthread_barrier_t *start;
  char *body;
  long status;
};

static void *fetch_csv(void *arg) {
  struct csv_fetch *f = arg;
  char auth[4096];
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s", clients[B].token);
  const char *h[] = {auth, "Accept: text/csv", NULL};
  struct it_response r;
  pthread_barrier_wait(f->start);
  if (it_request(f->server, "GET", "/api/v1/benchmarks", h, NULL, 0, &r) == 0) {
    f->status = r.status;
    f->body = strdup(r.body ? r.body : "");
    it_response_free(&r);
  }
  return NULL;
}

/* How many lines of the server's log contain `needle`. */
static int log_count(const struct it_server *s, const char *needle) {
  FILE *f = fopen(s->log_path, "r");
  ck_assert_ptr_nonnull(f);
  char line[8192];
  int n = 0;
  while (fgets(line, sizeof(line), f) != NULL) n += strstr(line, needle) != NULL;
  fclose(f);
  return n;
}

/* Requests that arrive together for rows nobody keeps yet get the same
 * rows, computed once: the others wait for the one computing them. Five
 * rounds, each after a profile write (new rows to compute), so that
 * requests overlap a computation in some round even on a fast machine. */
START_TEST(concurrent_first_requests_compute_the_rows_once) {
  enum { FETCHERS = 12, ROUNDS = 5 };
  struct it_server fresh;
  ck_assert_int_eq(it_server_start(&fresh, SERVER_ENV), 0);
  ck_assert_int_eq(curl_global_init(CURL_GLOBAL_DEFAULT), 0);
  json_t *body = small_team("GM0279", "2026-11-30", "Gelijktijdig");
  struct profile p;
  create(body, &p);
  char sql[256];
  snprintf(sql, sizeof(sql), "UPDATE teamprofielen SET versie = versie + 1 WHERE uuid = '%s'",
           p.uuid);
  for (int round = 1; round <= ROUNDS; round++) {
    ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
    pthread_barrier_t start;
    ck_assert_int_eq(pthread_barrier_init(&start, NULL, FETCHERS), 0);
    struct csv_fetch f[FETCHERS];
    pthread_t threads[FETCHERS];
    for (int i = 0; i < FETCHERS; i++) {
      f[i] = (struct csv_fetch){&fresh, &start, NULL, 0};
      ck_assert_int_eq(pthread_create(&threads[i], NULL, fetch_csv, &f[i]), 0);
    }
    for (int i = 0; i < FETCHERS; i++) ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < FETCHERS; i++) {
      ck_assert_int_eq(f[i].status, 200);
      ck_assert_ptr_nonnull(f[i].body);
      ck_assert_str_eq(f[i].body, f[0].body);
    }
    for (int i = 0; i < FETCHERS; i++) free(f[i].body);
    /* Other test binaries may write a profile meanwhile (a new version, a
     * second computation): then the bodies above would differ too. */
    ck_assert_int_eq(log_count(&fresh, "benchmarks: rows of"), round);
  }
  ck_assert_int_eq(it_server_stop_verbose(&fresh), 0);
  struct it_response r;
  call("GET", p.path, &clients[W], NULL, NULL, &r);
  char if_match[128];
  snprintf(if_match, sizeof(if_match), "If-Match: %s", it_header(&r, "ETag"));
  it_response_free(&r);
  const char *h[] = {if_match, NULL};
  ck_assert_int_eq(status_of("DELETE", p.path, &clients[W], h, NULL), 204);
  json_decref(body);
}
END_TEST

/* --- the totals kept for benchmarks ------------------------------------ */

/* teamprofiel_bezetting holds, for every profile and nothing else, the
 * totals of its members as the gap analysis sums them in C: fte in member
 * order, each role's shares in member, then share order, as doubles. The
 * members are read from the member tables here and summed again. */
static void assert_totals_current(void) {
  char *text = it_sql_value(
      it_database_url(),
      "SELECT json_build_object("
      " 'orphans', (SELECT count(*) FROM teamprofiel_bezetting b"
      "              WHERE NOT EXISTS (SELECT 1 FROM teamprofielen p WHERE p.uuid = b.profiel)),"
      " 'profiles', coalesce(json_agg(json_build_object('uuid', p.uuid, 'totalen', b.totalen,"
      "   'leden', (SELECT coalesce(json_agg(json_build_object('fte', l.fte, 'rollen',"
      "       (SELECT coalesce(json_agg(json_build_object('rol', lr.rol, 'aandeel', lr.aandeel)"
      "                                 ORDER BY lr.volgorde), '[]')"
      "          FROM teamlid_rollen lr"
      "         WHERE lr.profiel = l.profiel AND lr.volgnummer = l.volgnummer))"
      "       ORDER BY l.volgnummer), '[]')"
      "     FROM teamleden l WHERE l.profiel = p.uuid))), '[]'))"
      " FROM teamprofielen p LEFT JOIN teamprofiel_bezetting b ON b.profiel = p.uuid");
  ck_assert_ptr_nonnull(text);
  json_t *all = J(text);
  free(text);
  ck_assert_int_eq(json_integer_value(json_object_get(all, "orphans")), 0);
  size_t i, j, k;
  json_t *p, *lid, *share;
  json_array_foreach(json_object_get(all, "profiles"), i, p) {
    const char *uuid = str(p, "uuid");
    const char *totalen = json_string_value(json_object_get(p, "totalen"));
    ck_assert_msg(totalen != NULL, "no totals for profile %s", uuid);
    /* The expected totals, by role code (as kept). */
    const char *roles[64];
    double fte[64], totaal = 0.0;
    size_t n = 0;
    json_array_foreach(json_object_get(p, "leden"), j, lid) {
      totaal += num(lid, "fte");
      json_array_foreach(json_object_get(lid, "rollen"), k, share) {
        const char *rol = str(share, "rol");
        size_t x = 0;
        while (x < n && strcmp(roles[x], rol) != 0) x++;
        if (x == n) {
          ck_assert_uint_lt(n, 64);
          roles[n] = rol;
          fte[n++] = 0.0;
        }
        fte[x] += num(share, "aandeel");
      }
    }
    /* "<total> <rol> <fte> ...": read back with strtod, every digit. */
    char *copy = strdup(totalen), *save = NULL;
    ck_assert_ptr_nonnull(copy);
    char *word = strtok_r(copy, " ", &save);
    ck_assert_ptr_nonnull(word);
    ck_assert_msg(strtod(word, NULL) == totaal, "profile %s: total %s kept, %.17g summed", uuid,
                  word, totaal);
    char prev[128] = "";
    size_t seen = 0;
    while ((word = strtok_r(NULL, " ", &save)) != NULL) {
      const char *value = strtok_r(NULL, " ", &save);
      ck_assert_msg(value != NULL, "profile %s: role %s without fte in '%s'", uuid, word, totalen);
      ck_assert_msg(strcmp(prev, word) < 0, "profile %s: roles not by code: %s", uuid, totalen);
      snprintf(prev, sizeof(prev), "%s", word);
      size_t x = 0;
      while (x < n && strcmp(roles[x], word) != 0) x++;
      ck_assert_msg(x < n, "profile %s: role %s kept but not held", uuid, word);
      ck_assert_msg(strtod(value, NULL) == fte[x], "profile %s, %s: %s kept, %.17g summed", uuid,
                    word, value, fte[x]);
      seen++;
    }
    ck_assert_uint_eq(seen, n);
    free(copy);
  }
  json_decref(all);
}

/* Every way the members change, through the API or in SQL, keeps the
 * totals current; and the benchmark row shows the new total at once. */
START_TEST(benchmark_totals_follow_every_member_write) {
  assert_totals_current();
  /* .1 + .2 in one role: a sum a decimal total would get "wrong". */
  json_t *body = team("GM0279", "2026-11-29",
                      json_pack("[{s:s, s:f, s:[{s:s, s:f}, {s:s, s:f}], s:[]},"
                                " {s:s, s:f, s:[{s:s, s:f}], s:[]}]",
                                "label", "A", "fte", 0.3, "rollen", "rol", "webredacteur",
                                "aandeel", 0.1, "rol", "verbinder", "aandeel", 0.2,
                                "competenties", "label", "B", "fte", 0.2, "rollen", "rol",
                                "webredacteur", "aandeel", 0.2, "competenties"));
  struct profile p;
  create(body, &p);
  assert_totals_current();
  char *kept = NULL, sql[512];
  snprintf(sql, sizeof(sql),
           "SELECT totalen::text FROM teamprofiel_bezetting WHERE profiel = '%s'", p.uuid);
  kept = it_sql_value(it_database_url(), sql);
  ck_assert_msg(kept && strcmp(kept, "0.5 verbinder 0.2 webredacteur 0.30000000000000004") == 0,
                "kept totals %s", kept);
  free(kept);

  /* PUT: other members. */
  struct it_response r;
  call("GET", p.path, &clients[W], NULL, NULL, &r);
  char if_match[128];
  snprintf(if_match, sizeof(if_match), "If-Match: %s", it_header(&r, "ETag"));
  it_response_free(&r);
  json_t *other = team("GM0279", "2026-11-29",
                       json_pack("[o, o, o]", member1("A", 1.5, "webredacteur"),
                                 member1("B", 0.25, "webanalist"), member1("C", 0.5, "verbinder")));
  char *text = dump(other);
  const char *h[] = {if_match, NULL};
  ck_assert_int_eq(status_of("PUT", p.path, &clients[W], h, text), 200);
  free(text);
  assert_totals_current();

  /* In SQL: a share changed, a member removed, a member without roles. */
  const char *const statements[][2] = {
      {"UPDATE teamlid_rollen SET aandeel = 0.7 WHERE profiel = '", "' AND volgnummer = 0"},
      {"DELETE FROM teamleden WHERE profiel = '", "' AND volgnummer = 1"},
      {"INSERT INTO teamleden (profiel, volgnummer, label, fte) VALUES ('", "', 7, 'Z', 0.1)"},
      {"DELETE FROM teamlid_rollen WHERE profiel = '", "' AND volgnummer = 2"},
  };
  for (size_t i = 0; i < sizeof(statements) / sizeof(*statements); i++) {
    snprintf(sql, sizeof(sql), "%s%s%s", statements[i][0], p.uuid, statements[i][1]);
    ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
    assert_totals_current();
  }
  /* The profile row changes with it, as the API would: the benchmark row
   * is current at once, with members of 1.5, 0.5 and 0.1 fte; also when
   * the kept totals are missing (members written with triggers off):
   * they are computed on the spot, the profile is not left out. */
  for (int missing = 0; missing <= 1; missing++) {
    if (missing) {
      snprintf(sql, sizeof(sql), "DELETE FROM teamprofiel_bezetting WHERE profiel = '%s'",
               p.uuid);
      ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
    }
    snprintf(sql, sizeof(sql), "UPDATE teamprofielen SET versie = versie + 1 WHERE uuid = '%s'",
             p.uuid);
    ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
    call("GET", "/api/v1/gemeenten/GM0279/benchmark", &clients[W], NULL, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_double_eq(num(r.json, "totaalFte"), 2.1);
    ck_assert_str_eq(str(r.json, "teamprofiel"), p.uuid);
    it_response_free(&r);
    char *line = csv_line_on(&srv, "GM0279");
    ck_assert_msg(strstr(line, p.uuid) && strstr(line, ",2.1,"), "CSV line %s", line);
    free(line);
  }
  /* Putting the row back (any member write does) makes the table whole. */
  snprintf(sql, sizeof(sql), "SELECT bezetting_bijwerken(ARRAY['%s'::uuid])", p.uuid);
  ck_assert_int_eq(it_sql_exec(it_database_url(), sql), 0);
  assert_totals_current();

  /* DELETE: its totals go with it. */
  call("GET", p.path, &clients[W], NULL, NULL, &r);
  snprintf(if_match, sizeof(if_match), "If-Match: %s", it_header(&r, "ETag"));
  it_response_free(&r);
  ck_assert_int_eq(status_of("DELETE", p.path, &clients[W], h, NULL), 204);
  assert_totals_current();
  snprintf(sql, sizeof(sql), "SELECT count(*) FROM teamprofiel_bezetting WHERE profiel = '%s'",
           p.uuid);
  char *count = it_sql_value(it_database_url(), sql);
  ck_assert_str_eq(count, "0");
  free(count);
  json_decref(body);
  json_decref(other);
}
END_TEST

int main(void) {
  it_database_url();
  Suite *s = suite_create("analyse");
  TCase *tc = tcase_create("analyse");
  tcase_set_timeout(tc, 60);
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_add_test(tc, stored_reference_profile_analysis_equals_the_anonymous_one);
  tcase_add_test(tc, stored_own_profile_analysis_equals_the_anonymous_one);
  tcase_add_test(tc, stored_profile_keeps_every_digit_of_its_numbers);
  tcase_add_test(tc, identical_posts_give_identical_bodies_and_etags);
  tcase_add_test(tc, plain_and_general_bodies_give_the_same_answer);
  tcase_add_test(tc, what_if_inwoners_scales_the_band_by_the_fit);
  tcase_add_test(tc, municipality_larger_than_every_reference);
  tcase_add_test(tc, team_without_members);
  tcase_add_test(tc, validation_lists_every_error);
  tcase_add_test(tc, unsupported_accept_is_406);
  tcase_add_test(tc, gemeente_benchmark_access);
  tcase_add_test(tc, benchmarks_need_their_scope);
  tcase_add_test(tc, benchmarks_csv_and_json_agree);
  tcase_add_test(tc, benchmark_row_follows_the_latest_profile_and_the_analysis);
  tcase_add_test(tc, size_class_is_suppressed_below_five_then_ranked);
  tcase_add_test(tc, own_client_learns_only_the_quartiles_of_its_class);
  tcase_add_test(tc, client_of_two_municipalities_learns_no_more);
  tcase_add_test(tc, below_five_others_nothing_of_the_class_is_shown);
  tcase_add_test(tc, reference_municipalities_do_not_count_towards_five);
  tcase_add_test(tc, reference_chart_is_valid_svg_and_renders);
  tcase_add_test(tc, awkward_names_keep_the_chart_valid);
  tcase_add_test(tc, benchmarks_follow_every_profile_write_at_once);
  tcase_add_test(tc, benchmark_totals_follow_every_member_write);
  tcase_add_test(tc, concurrent_first_requests_compute_the_rows_once);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? 0 : 1;
}
