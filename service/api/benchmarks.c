/* Benchmarks: a municipality's newest profile beside the seven and among
 * the municipalities of its size class; and all of them at once (JSON or
 * CSV) for VNG's bulk benchmarking. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "teamplotter/api.h"
#include "teamplotter/app.h"
#include "teamplotter/auth.h"
#include "teamplotter/benchmark.h"
#include "teamplotter/gap.h"
#include "teamplotter/log.h"
#include "teamplotter/pool.h"
#include "teamplotter/render.h"
#include "teamplotter/repo.h"
#include "teamplotter/snapshot.h"
#include "teamplotter/stats.h"
#include "teamplotter/text.h"
#include "teamplotter/textbuf.h"

/* One row of some 160 bytes per municipality with a profile: 355 today,
 * 100 000 fill about 16 MB (the scale mode of bench/), so this bound
 * leaves room for four times that. */
#define CSV_TEXT_LIMIT (64 * 1024 * 1024)
/* One row of JSON is some 1.3 KB with the seven references. */
#define ROW_TEXT_LIMIT (1024 * 1024)

/* --- the profiles, read row by row ------------------------------------------ */

/* What the rows need of one municipality's newest profile: its figures,
 * computed as its row arrives, and the roles it fields. Its members are
 * never read: their totals are kept in the database. */
struct profile {
  char *text; /* one block: the four strings below */
  const char *gemeente, *naam, *teamprofiel, *peildatum;
  json_int_t inwoners;
  double totaal;      /* the sum of the members' fte, in member order */
  double dekking;     /* of its gap analysis; NAN: null */
  double capaciteit;  /* of its gap analysis; NAN: null */
  const char **roles; /* interned (struct profiles.codes) */
  size_t nroles;
};

struct profiles {
  const struct tp_snapshot *snap;
  struct profile *v;
  size_t n, cap;
  /* Every role code met, once, sorted: the profiles point into it, so
   * their role sets outlive the row texts they were read from. */
  char **codes;
  size_t ncodes, codes_cap;
};

static void profiles_free(struct profiles *ps) {
  for (size_t i = 0; i < ps->n; i++) {
    free(ps->v[i].text);
    free(ps->v[i].roles);
  }
  free(ps->v);
  for (size_t i = 0; i < ps->ncodes; i++) free(ps->codes[i]);
  free(ps->codes);
}

/* The interned copy of role code `s`; NULL when out of memory. */
static const char *intern(struct profiles *ps, const char *s) {
  size_t lo = 0, hi = ps->ncodes;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(ps->codes[mid], s);
    if (c == 0) return ps->codes[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (ps->ncodes == ps->codes_cap) {
    size_t cap = ps->codes_cap ? 2 * ps->codes_cap : 64;
    char **v = realloc(ps->codes, cap * sizeof(*v));
    if (v == NULL) return NULL;
    ps->codes = v;
    ps->codes_cap = cap;
  }
  char *copy = strdup(s);
  if (copy == NULL) return NULL;
  memmove(ps->codes + lo + 1, ps->codes + lo, (ps->ncodes - lo) * sizeof(*ps->codes));
  ps->codes[lo] = copy;
  ps->ncodes++;
  return copy;
}

static int cmp_code(const void *x, const void *y) {
  return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The four strings of a row in one block. */
static int copy_strings(struct profile *p, const char *const *values) {
  static const int cols[] = {TP_LATEST_GEMEENTE, TP_LATEST_NAAM, TP_LATEST_TEAMPROFIEL,
                             TP_LATEST_PEILDATUM};
  size_t len[4], total = 0;
  for (int i = 0; i < 4; i++) total += (len[i] = values[cols[i]] ? strlen(values[cols[i]]) + 1 : 0);
  p->text = malloc(total ? total : 1);
  if (p->text == NULL) return -1;
  const char **out[] = {&p->gemeente, &p->naam, &p->teamprofiel, &p->peildatum};
  char *at = p->text;
  for (int i = 0; i < 4; i++) {
    *out[i] = values[cols[i]] ? memcpy(at, values[cols[i]], len[i]) : NULL;
    at += len[i];
  }
  return 0;
}

/* Totals "<total> <rol> <fte> <rol> <fte> ..." (see
 * tp_repo_each_latest_profile) into *total and roles/fte (room for `max`),
 * the roles interned; the number of roles, or -1 when the text is not of
 * that form or memory ran out. */
static long read_totals(struct profiles *ps, const char *text, double *total, const char **roles,
                        double *fte, size_t max) {
  char *end;
  *total = strtod(text, &end);
  if (end == text) return -1;
  size_t n = 0;
  for (const char *p = end; *p == ' ';) {
    const char *code = p + 1, *stop = strchr(code, ' ');
    char buf[128];
    if (stop == NULL || stop == code || (size_t)(stop - code) >= sizeof(buf) || n == max) return -1;
    memcpy(buf, code, (size_t)(stop - code));
    buf[stop - code] = '\0';
    fte[n] = strtod(stop + 1, &end);
    if (end == stop + 1 || !(roles[n] = intern(ps, buf))) return -1;
    n++;
    p = end;
  }
  return *end == '\0' ? (long)n : -1;
}

/* A tp_row_fn: one row of tp_repo_each_latest_profile into a profile, with
 * the figures of its gap analysis. */
static int add_profile(void *arg, int n, const char *const *values) {
  struct profiles *ps = arg;
  const char *totalen = n >= TP_LATEST_COLUMNS ? values[TP_LATEST_TOTALEN] : NULL;
  if (totalen == NULL) return -1;
  if (ps->n == ps->cap) {
    size_t cap = ps->cap ? 2 * ps->cap : 512;
    struct profile *v = realloc(ps->v, cap * sizeof(*v));
    if (v == NULL) return -1;
    ps->v = v;
    ps->cap = cap;
  }
  struct profile *p = &ps->v[ps->n];
  memset(p, 0, sizeof(*p));
  const char *inw = values[TP_LATEST_INWONERS];
  p->inwoners = inw ? strtoll(inw, NULL, 10) : 0;
  size_t max = 1;
  for (const char *c = totalen; *c; c++) max += *c == ' ';
  max /= 2; /* a role is two words */
  const char **roles = malloc((max ? max : 1) * sizeof(*roles));
  double *fte = malloc((max ? max : 1) * sizeof(*fte));
  double totaal = 0.0;
  long nroles = roles && fte ? read_totals(ps, totalen, &totaal, roles, fte, max) : -1;
  struct tp_gap_totals t = {values[TP_LATEST_GEMEENTE], (double)p->inwoners, totaal, roles, fte,
                            nroles > 0 ? (size_t)nroles : 0};
  struct tp_gap_figures fig;
  int failed = nroles < 0 || tp_gap_figures(ps->snap->gap, &t, &fig) != 0 ||
               copy_strings(p, values) != 0;
  if (!failed) {
    p->totaal = t.totaal;
    p->dekking = fig.dekking;
    p->capaciteit = fig.capaciteit;
    /* The roles it fields (every sum is of shares > 0), by code as a
     * benchmark compares them. */
    p->roles = roles;
    p->nroles = t.nroles;
    roles = NULL;
    qsort(p->roles, p->nroles, sizeof(*p->roles), cmp_code);
    ps->n++;
  } else if (nroles < 0) {
    tp_log_error("benchmarks: totals of profile %s not read (malformed, or out of memory)",
                 values[TP_LATEST_TEAMPROFIEL]);
  }
  free(roles);
  free(fte);
  return failed ? -1 : 0;
}

/* The newest profiles (all, or the size class of `gemeente`) read and
 * analysed into *ps. */
static tp_rc read_profiles(struct tp_pool *pool, const struct tp_snapshot *snap,
                           const char *gemeente, struct profiles *ps) {
  memset(ps, 0, sizeof(*ps));
  ps->snap = snap;
  struct tp_db *db = NULL;
  tp_rc rc = tp_pool_acquire(pool, &db);
  if (rc == TP_OK) rc = tp_repo_each_latest_profile(db, gemeente, add_profile, ps);
  tp_pool_release(pool, db);
  if (rc != TP_OK) profiles_free(ps);
  return rc;
}

/* --- rows --------------------------------------------------------------------- */

/* Everything the rows of a set of profiles share. */
struct rows {
  const struct profiles *ps;
  struct tp_bm_refs *refs;
  struct tp_peer_ranks *ranks;
  const json_t *catalogus_versie;
};

/* Whether the peer `gemeente` is left out of the figures of `subject`
 * that `principal` sees: when it is another municipality the principal
 * may act for (NULL: none is). */
static int left_out(const json_t *principal, const char *subject, const char *gemeente) {
  return principal != NULL && gemeente != NULL && strcmp(gemeente, subject) != 0 &&
         tp_principal_may(principal, gemeente);
}

/* The rows of `ps`; with `principal`, the peers the principal may act for
 * (other than `subject`) are left out. */
static int rows_init(struct rows *r, const struct profiles *ps, const json_t *principal,
                     const char *subject) {
  r->ps = ps;
  r->refs = tp_bm_refs_new(json_object_get(ps->snap->inputs, "referenties"));
  r->ranks = NULL;
  r->catalogus_versie = json_object_get(ps->snap->inputs, "catalogusVersie");
  struct tp_bm_peer *peers = calloc(ps->n ? ps->n : 1, sizeof(*peers));
  if (peers != NULL && r->refs != NULL) {
    size_t np = 0;
    for (size_t i = 0; i < ps->n; i++) {
      const struct profile *p = &ps->v[i];
      if (left_out(principal, subject, p->gemeente)) continue;
      /* Its total as its own row has it, so that it ranks by the fte per
       * 10 000 its row shows. */
      peers[np++] = (struct tp_bm_peer){p->gemeente, (double)p->inwoners, p->totaal,
                                        !isnan(p->dekking), p->dekking};
    }
    /* One ranking for all: peers rank within the size class of their own
     * number of inhabitants; the reference set says which of them do not
     * count towards the 5. */
    r->ranks = tp_peer_ranks_of(peers, np, r->refs);
  }
  free(peers);
  return r->refs != NULL && r->ranks != NULL ? 0 : -1;
}

static void rows_free(struct rows *r) {
  tp_bm_refs_free(r->refs);
  tp_peer_ranks_free(r->ranks);
}

/* The benchmark row of profile i as JSON text into `b`, its figures in
 * *fig. -1 when a string is not UTF-8. */
static int write_row(struct tp_textbuf *b, const struct rows *r, size_t i,
                     struct tp_bm_figures *fig) {
  const struct profile *p = &r->ps->v[i];
  json_t *inwoners = json_integer(p->inwoners);
  struct tp_bm_subject s = {p->gemeente, p->naam,     inwoners,  p->totaal,
                            !isnan(p->dekking), p->dekking, p->roles, p->nroles};
  int bad = inwoners == NULL || tp_bm_write(b, &s, r->refs, r->ranks, fig) != 0;
  json_decref(inwoners);
  tp_textbuf_puts(b, ",\"teamprofiel\":");
  bad |= tp_json_put_string(b, p->teamprofiel);
  tp_textbuf_puts(b, ",\"peildatum\":");
  bad |= tp_json_put_string(b, p->peildatum);
  tp_textbuf_puts(b, ",\"capaciteit\":");
  tp_json_put_real(b, p->capaciteit);
  tp_textbuf_puts(b, ",\"methodeVersie\":");
  tp_json_put_integer(b, TP_METHODE_VERSIE);
  tp_textbuf_puts(b, ",\"catalogusVersie\":");
  bad |= tp_json_put_string(b, json_string_value(r->catalogus_versie));
  tp_textbuf_puts(b, "}");
  return bad ? -1 : 0;
}

/* --- CSV (RFC 4180) ------------------------------------------------------- */

/* One field: quoted when it holds a comma, quote or line break. */
static void csv_field(struct tp_textbuf *c, const char *s, int first) {
  if (!first) tp_textbuf_puts(c, ",");
  if (s == NULL) return;
  if (strpbrk(s, ",\"\r\n") == NULL) {
    tp_textbuf_puts(c, s);
    return;
  }
  tp_textbuf_puts(c, "\"");
  for (const char *p = s; *p; p++) {
    tp_textbuf_append(c, p, 1);
    if (*p == '"') tp_textbuf_puts(c, "\""); /* a quote is written twice */
  }
  tp_textbuf_puts(c, "\"");
}

/* A number as in the JSON rows: empty for null (NAN), else as "%.15g"
 * prints it. A figure of at most 4 decimals below 10^11 (every figure
 * here) has fewer than 16 digits, so that is its shortest exact form, the
 * JSON text without the ".0" of a whole number: written without printf,
 * which otherwise takes a fifth of the CSV of 100 000 municipalities. */
static void csv_real(struct tp_textbuf *c, double v) {
  char num[64];
  tp_textbuf_puts(c, ",");
  if (isnan(v)) return;
  int n = -1;
  if (fabs(v) < 1e11 && tp_round4(v) == v) {
    n = tp_json_format_real(v, num, sizeof(num));
    if (n >= 2 && memcmp(num + n - 2, ".0", 2) == 0) n -= 2;
  }
  if (n < 0) n = snprintf(num, sizeof(num), "%.15g", v);
  if (n > 0 && (size_t)n < sizeof(num)) tp_textbuf_append(c, num, (size_t)n);
}

static void csv_integer(struct tp_textbuf *c, long long v) {
  tp_textbuf_puts(c, ",");
  tp_json_put_integer(c, v);
}

static const char *const CSV_COLUMNS[] = {
    "gemeente", "naam", "inwoners", "grootteklasse", "peildatum", "teamprofiel", "totaalFte",
    "ftePer10000", "dekking", "capaciteit", "dichtstbijzijnd", "groepsgrootte",
    "ftePer10000Percentiel", "dekkingPercentiel", "onderdrukt", NULL,
};

/* The CSV row of profile `p` with the figures of its JSON row. */
static void csv_row(struct tp_textbuf *c, const struct profile *p, const struct tp_bm_figures *f) {
  csv_field(c, p->gemeente, 1);
  csv_field(c, p->naam, 0);
  csv_integer(c, p->inwoners);
  if (f->grootteklasse)
    csv_integer(c, f->grootteklasse);
  else
    csv_field(c, NULL, 0);
  csv_field(c, p->peildatum, 0);
  csv_field(c, p->teamprofiel, 0);
  csv_real(c, f->totaal);
  csv_real(c, f->fte10k);
  csv_real(c, f->dekking);
  csv_real(c, p->capaciteit);
  char codes[64] = "";
  size_t used = 0;
  for (size_t k = 0; k < f->nnearest; k++) {
    used += (size_t)snprintf(codes + used, sizeof(codes) - used, "%s%s", k ? " " : "",
                             f->nearest[k]);
    if (used >= sizeof(codes)) break;
  }
  csv_field(c, codes, 0);
  csv_integer(c, (long long)f->groepsgrootte);
  csv_real(c, f->fte_percentiel);
  csv_real(c, f->dekking_percentiel);
  csv_field(c, f->onderdrukt ? "true" : "false", 0);
  tp_textbuf_puts(c, "\r\n");
}

/* --- the rows of all, kept --------------------------------------------------- */

/* The rows of all as kept between requests, in row order:
 * {"codes": [gemeente of each row], "rows": [JSON text of each row],
 *  "csv": the CSV of all}. Text rather than the rows' jansson trees, which
 * take about ten times the memory (a gigabyte for 100 000
 * municipalities). New reference, or NULL when out of memory. */
static json_t *keep(const struct profiles *ps) {
  struct rows r = {0};
  struct tp_textbuf csv, row;
  json_t *codes = json_array(), *texts = json_array(), *kept = NULL;
  int failed = codes == NULL || texts == NULL || rows_init(&r, ps, NULL, NULL) != 0;
  tp_textbuf_init(&csv, CSV_TEXT_LIMIT);
  for (size_t i = 0; CSV_COLUMNS[i] != NULL; i++) csv_field(&csv, CSV_COLUMNS[i], i == 0);
  tp_textbuf_puts(&csv, "\r\n");
  tp_textbuf_init(&row, ROW_TEXT_LIMIT);
  for (size_t i = 0; !failed && i < ps->n; i++) {
    struct tp_bm_figures fig;
    tp_textbuf_clear(&row);
    failed = write_row(&row, &r, i, &fig) != 0 || row.failed;
    const json_t *code = NULL;
    if (!failed) {
      /* Checked UTF-8 already: written from valid strings. */
      code = ps->v[i].gemeente ? json_string_nocheck(ps->v[i].gemeente) : json_null();
      failed = json_array_append_new(texts, json_stringn_nocheck(row.data, row.len)) != 0 ||
               json_array_append_new(codes, (json_t *)code) != 0;
      csv_row(&csv, &ps->v[i], &fig);
    }
  }
  tp_textbuf_free(&row);
  size_t len;
  char *c = tp_textbuf_finish(&csv, &len);
  if (!failed && c != NULL)
    kept = json_pack("{s:O, s:O, s:s%}", "codes", codes, "rows", texts, "csv", c, len);
  free(c);
  rows_free(&r);
  json_decref(codes);
  json_decref(texts);
  return kept;
}

/* Row i of kept rows as a document (the text reads back as the same
 * document: every real was written in its shortest exact form). New
 * reference, or NULL. */
static json_t *kept_row(const json_t *kept, size_t i) {
  const json_t *text = json_array_get(json_object_get(kept, "rows"), i);
  return json_loadb(json_string_value(text), json_string_length(text), 0, NULL);
}

/* The profiles version (*version, a new reference; NULL after answering
 * about `what`). */
static void profiles_version(struct tp_ctx *ctx, const char *what, json_t **version) {
  *version = NULL;
  /* The version first: rows read after it are at least as new, so a write
   * in between gives the next request another version, never stale rows. */
  tp_rc rc = tp_api_fetch(ctx, tp_repo_profiles_version, NULL, version);
  if (rc != TP_OK || !json_is_string(*version)) {
    json_decref(*version);
    *version = NULL;
    tp_problem_rc(ctx, rc != TP_OK ? rc : TP_ERR_DB, what);
  }
}

/* How long a request waits for rows being computed before it is told to
 * ask again (503, Retry-After): the computation never holds an HTTP
 * worker, and a waiting request holds one only this long (others that
 * come meanwhile hardly wait at all, see tp_snapshot_memo_compute). */
#define ROWS_WAIT_MS 1000

/* What the thread that computes the rows of all needs. */
struct rows_job {
  struct tp_pool *pool;
  const struct tp_snapshot *snap;
  char version[128]; /* for the log line */
};

/* tp_memo_fn: the rows of all, read and kept (see keep()). */
static json_t *compute_rows(void *arg, tp_rc *rc) {
  const struct rows_job *job = arg;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct profiles ps;
  json_t *kept = NULL;
  *rc = read_profiles(job->pool, job->snap, NULL, &ps);
  if (*rc != TP_OK) return NULL;
  kept = keep(&ps);
  if (kept == NULL) *rc = TP_ERR_NOMEM;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (kept != NULL) {
    tp_log_info("benchmarks: rows of %zu municipalities computed in %.0f ms (profiles %s)",
                ps.n,
                (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
                job->version);
  }
  profiles_free(&ps);
  return kept;
}

/* The rows of all from the newest profiles and the snapshot's catalogue
 * and reference set, kept (see keep()). Computed once per snapshot and
 * profiles version, on a thread of its own, and kept with the snapshot:
 * every later request costs a version query. New reference, shared
 * read-only, or NULL after answering 503 (also while they are still being
 * computed) or 500 about `what`. */
static json_t *load_kept(struct tp_ctx *ctx, const char *what) {
  struct tp_snapshot *snap = tp_ctx_snapshot(ctx);
  if (snap == NULL) return NULL;
  json_t *version = NULL;
  profiles_version(ctx, what, &version);
  if (version == NULL) return NULL;
  struct rows_job *job = o_malloc(sizeof(*job));
  json_t *kept = NULL;
  tp_rc rc = TP_ERR_NOMEM;
  if (job != NULL) {
    *job = (struct rows_job){ctx->app->pool, snap, ""};
    snprintf(job->version, sizeof(job->version), "%s", json_string_value(version));
    kept = tp_snapshot_memo_compute(ctx->app->snapshots, snap, json_string_value(version),
                                    compute_rows, o_free, job, ROWS_WAIT_MS, &rc);
  }
  if (kept == NULL) tp_problem_rc(ctx, rc, what);
  json_decref(version);
  return kept;
}

/* The benchmark row of `gemeente` among the profiles of its size class
 * alone into *row (new reference; NULL when it has no profile); with
 * `principal`, without the other municipalities it may act for. */
static tp_rc class_row(struct tp_ctx *ctx, struct tp_snapshot *snap, const char *gemeente,
                       const json_t *principal, json_t **row) {
  struct profiles ps;
  struct rows r;
  *row = NULL;
  tp_rc rc = read_profiles(ctx->app->pool, snap, gemeente, &ps);
  if (rc != TP_OK) return rc;
  int failed = rows_init(&r, &ps, principal, gemeente) != 0;
  for (size_t i = 0; !failed && i < ps.n; i++) {
    if (ps.v[i].gemeente == NULL || strcmp(ps.v[i].gemeente, gemeente) != 0) continue;
    struct tp_textbuf b;
    tp_textbuf_init(&b, ROW_TEXT_LIMIT);
    failed = write_row(&b, &r, i, NULL) != 0 || b.failed ||
             (*row = json_loadb(b.data, b.len, 0, NULL)) == NULL;
    tp_textbuf_free(&b);
    break;
  }
  rows_free(&r);
  profiles_free(&ps);
  return failed ? TP_ERR_NOMEM : TP_OK;
}

/* Whether `principal` may act for another municipality than `gemeente`. */
static int acts_for_others(const json_t *principal, const char *gemeente) {
  if (json_is_true(json_object_get(principal, "alleGemeenten"))) return 1;
  size_t i;
  const json_t *g;
  json_array_foreach(json_object_get(principal, "gemeenten"), i, g) {
    if (json_is_string(g) && strcmp(json_string_value(g), gemeente) != 0) return 1;
  }
  return 0;
}

/* The benchmark row of `gemeente` (NULL when it has no profile), from the
 * kept rows when they are current, else from its size class alone. With
 * `principal`, as that client may see it: without the other
 * municipalities it may act for, which it could move to watch the class's
 * figures move (docs/methode.md); the kept rows leave out only
 * `gemeente` itself, so such a client's row comes from its class. TP_OK,
 * or what went wrong after answering about `what`. */
static tp_rc load_row(struct tp_ctx *ctx, const char *gemeente, const json_t *principal,
                      const char *what, json_t **row) {
  *row = NULL;
  struct tp_snapshot *snap = tp_ctx_snapshot(ctx);
  if (snap == NULL) return TP_ERR_UNAVAILABLE;
  json_t *version = NULL;
  profiles_version(ctx, what, &version);
  if (version == NULL) return TP_ERR_DB;
  json_t *kept = tp_snapshot_memo_peek(snap, json_string_value(version));
  tp_rc rc = TP_OK;
  if (principal != NULL && acts_for_others(principal, gemeente)) {
    rc = class_row(ctx, snap, gemeente, principal, row);
  } else if (kept != NULL) {
    size_t i;
    json_t *code;
    json_array_foreach(json_object_get(kept, "codes"), i, code) {
      if (json_is_string(code) && strcmp(json_string_value(code), gemeente) == 0) {
        if ((*row = kept_row(kept, i)) == NULL) rc = TP_ERR_NOMEM;
        break;
      }
    }
  } else {
    rc = class_row(ctx, snap, gemeente, NULL, row);
  }
  if (rc != TP_OK) tp_problem_rc(ctx, rc, what);
  json_decref(kept);
  json_decref(version);
  return rc;
}

static void get_gemeente_benchmark(struct tp_ctx *ctx) {
  const char *code = tp_path_var(ctx, 0);
  json_t *principal = NULL;
  enum tp_auth_result auth = tp_auth(ctx, &principal);
  if (auth == TP_AUTH_ANSWERED) return;
  if (auth == TP_AUTH_ANONYMOUS) {
    tp_problem(ctx, 401, NULL, "Deze resource vraagt een token ('Authorization: Bearer <JWT>').");
    return;
  }
  struct tp_params params;
  tp_params_parse(&params, ctx->query);
  json_t *row = NULL;
  /* VNG's scope sees the exact position; a municipality's own client
   * only its bands against the others' quartiles (docs/methode.md). */
  int exact = tp_principal_has_scope(principal, "benchmarks.lezen");
  if (!exact && !(tp_principal_has_scope(principal, "teamprofielen.lezen") &&
                  tp_principal_may(principal, code))) {
    tp_problem(ctx, 403, NULL,
               "Nodig: scope 'benchmarks.lezen', of 'teamprofielen.lezen' voor deze gemeente.");
  } else if (tp_params_finish(&params) > 0) {
    tp_problem_params(ctx, &params);
  } else {
    if (load_row(ctx, code, exact ? NULL : principal, "De benchmark", &row) != TP_OK) {
      /* answered */
    } else if (row == NULL) {
      /* The code echoed is cut to 16 bytes, at a character boundary. */
      tp_problem(ctx, 404, NULL, "Gemeente %.*s bestaat niet of heeft geen teamprofiel.",
                 (int)tp_utf8_prefix(code, strlen(code), 16), code);
    } else if (!exact && tp_benchmark_banded(row) != 0) {
      tp_problem_rc(ctx, TP_ERR_NOMEM, "De benchmark");
    } else {
      tp_respond_json(ctx, 200, row);
    }
  }
  json_decref(row);
  tp_params_free(&params);
  json_decref(principal);
}

static void list_benchmarks(struct tp_ctx *ctx) {
  json_t *principal = tp_auth_require(ctx, "benchmarks.lezen");
  if (principal == NULL) return;
  int csv = strcmp(ctx->media_type, "text/csv") == 0;
  struct tp_params params;
  struct tp_paging paging;
  tp_params_parse(&params, ctx->query);
  /* CSV is the whole set in one document; JSON is paged like every collection. */
  if (!csv) tp_paging_read(&params, &paging);
  json_t *kept = NULL;
  if (tp_params_finish(&params) > 0) {
    tp_problem_params(ctx, &params);
  } else {
    kept = load_kept(ctx, "De benchmarks");
    const json_t *texts = json_object_get(kept, "rows");
    const json_t *text = json_object_get(kept, "csv");
    if (kept == NULL) {
      /* answered */
    } else if (csv && !json_is_string(text)) {
      tp_problem_rc(ctx, TP_ERR_NOMEM, "");
    } else if (csv) {
      tp_respond_bytes(ctx, 200, "text/csv; charset=utf-8; header=present",
                       json_string_value(text), json_string_length(text));
    } else {
      /* The page's rows as they are kept: already JSON text. */
      struct tp_textbuf page;
      tp_textbuf_init(&page, CSV_TEXT_LIMIT);
      tp_textbuf_puts(&page, "[");
      long from = tp_paging_offset(&paging);
      for (long k = from; k < from + paging.page_size && (size_t)k < json_array_size(texts); k++) {
        const json_t *row = json_array_get(texts, (size_t)k);
        if (k > from) tp_textbuf_puts(&page, ",");
        tp_textbuf_append(&page, json_string_value(row), json_string_length(row));
      }
      tp_textbuf_puts(&page, "]");
      size_t len;
      char *results = tp_textbuf_finish(&page, &len);
      if (results == NULL)
        tp_problem_rc(ctx, TP_ERR_NOMEM, "De benchmarks");
      else
        tp_respond_page_text(ctx, &params, &paging, (long)json_array_size(texts), results, len);
      free(results);
    }
  }
  json_decref(kept);
  tp_params_free(&params);
  json_decref(principal);
}

static const char *const JSON_OR_CSV[] = {"application/json", "text/csv", NULL};

const struct tp_route tp_routes_benchmarks[] = {
    {"GET", "/api/v1/gemeenten/{code}/benchmark", get_gemeente_benchmark, NULL, TP_ROUTE_TOKEN},
    {"GET", "/api/v1/benchmarks", list_benchmarks, JSON_OR_CSV, TP_ROUTE_TOKEN},
    {0},
};
