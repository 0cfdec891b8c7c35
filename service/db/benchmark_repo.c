/* The benchmark rows: the newest profiles read as typed rows, and the rows
 * of all kept with the snapshot. */
#include "teamplotter/benchmark_repo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orcania.h>

#include "pg.h"

#include "teamplotter/clock.h"
#include "teamplotter/log.h"
#include "teamplotter/memo.h"
#include "teamplotter/pool.h"
#include "teamplotter/snapshot.h"

/* The columns of the newest-profile query. */
enum { LATEST_GEMEENTE, LATEST_NAAM, LATEST_INWONERS, LATEST_GROOTTEKLASSE, LATEST_TEAMPROFIEL,
       LATEST_PEILDATUM, LATEST_TOTALEN, LATEST_COLUMNS };

int tp_repo_read_totalen(struct tp_bm_teamprofielen *ps, struct tp_bm_teamprofiel *p, const char *text) {
  size_t max = 1;
  for (const char *c = text; *c; c++) max += *c == ' ';
  max /= 2; /* a role is two words */
  p->rollen = malloc((max ? max : 1) * sizeof(*p->rollen));
  p->fte = malloc((max ? max : 1) * sizeof(*p->fte));
  p->nrollen = 0;
  if (p->rollen == NULL || p->fte == NULL) return -1;
  char *end;
  p->totaal = strtod(text, &end);
  if (end == text) return -1;
  for (const char *at = end; *at == ' ';) {
    const char *code = at + 1, *stop = strchr(code, ' ');
    char buf[128];
    if (stop == NULL || stop == code || (size_t)(stop - code) >= sizeof(buf) || p->nrollen == max) {
      return -1;
    }
    memcpy(buf, code, (size_t)(stop - code));
    buf[stop - code] = '\0';
    p->fte[p->nrollen] = strtod(stop + 1, &end);
    if (end == stop + 1 || !(p->rollen[p->nrollen] = tp_bm_teamprofielen_intern(ps, buf))) return -1;
    p->nrollen++;
    at = end;
  }
  return *end == '\0' ? 0 : -1;
}

/* A tp_row_fn: one row of the newest-profile query into a profile. */
static int add_profile(void *arg, int n, const char *const *values) {
  struct tp_bm_teamprofielen *ps = arg;
  const char *totalen = n >= LATEST_COLUMNS ? values[LATEST_TOTALEN] : NULL;
  if (totalen == NULL) return -1;
  struct tp_bm_teamprofiel *p = tp_bm_teamprofielen_add(ps, values[LATEST_GEMEENTE], values[LATEST_NAAM],
                                               values[LATEST_TEAMPROFIEL], values[LATEST_PEILDATUM]);
  if (p == NULL) return -1;
  const char *inw = values[LATEST_INWONERS];
  p->inwoners = inw ? strtoll(inw, NULL, 10) : 0;
  if (tp_repo_read_totalen(ps, p, totalen) != 0) {
    tp_log_error("benchmarks: totals of profile %s not read (malformed, or out of memory)",
                 values[LATEST_TEAMPROFIEL]);
    return -1;
  }
  return 0;
}

/* Its totals come from teamprofiel_bezetting, kept by triggers, rather
 * than from the member tables: one short row per profile instead of
 * grouping every member and share. A profile written while triggers were
 * off has no row there: its totals are computed the same way on the spot,
 * never left out. Rows arrive one at a time (no more than one in memory
 * besides the typed ones). */
tp_rc tp_repo_latest_teamprofielen(struct tp_db *db, const char *gemeente, const char *peildatum,
                                   struct tp_bm_teamprofielen *out) {
  const char *params[] = {gemeente, peildatum};
  memset(out, 0, sizeof(*out));
  /* Every municipality's profile at once: VNG's bulk run may be large (it
   * runs on a thread of its own, never on an HTTP worker). One size class
   * is small, and keeps the ordinary deadline. */
  if (gemeente == NULL) tp_db_set_deadline(db, 60000);
  return tp_db_each_row(
      db,
      "SELECT DISTINCT ON (p.gemeente) p.gemeente, g.naam, g.inwoners, g.grootteklasse,"
      "       p.uuid, to_char(p.peildatum, 'YYYY-MM-DD'),"
      "       coalesce(b.totalen,"
      "                (SELECT t.totalen FROM bezetting_totalen(ARRAY[p.uuid]) AS t))"
      "  FROM teamprofielen p"
      "  JOIN gemeenten g ON g.code = p.gemeente"
      "  LEFT JOIN teamprofiel_bezetting b ON b.profiel = p.uuid"
      " WHERE ($1::text IS NULL OR g.grootteklasse ="
      "        (SELECT grootteklasse FROM gemeenten WHERE code = $1))"
      "   AND ($2::date IS NULL OR p.peildatum <= $2::date)"
      " ORDER BY p.gemeente, p.peildatum DESC, p.aangemaakt DESC",
      2, params, add_profile, out);
}

tp_rc tp_repo_teamprofielen_version(struct tp_db *db, const char *unused, json_t **out) {
  (void)unused;
  /* Every write of a profile row gives it a new xmin, through the API or
   * not: a PUT updates the row (versie), a POST adds one, a DELETE removes
   * one. The members live in other tables, which the API only writes
   * together with the row. The snapshot versions everything else the
   * benchmark reads (municipalities, catalogue, references). */
  return tp_db_json(db,
                    "SELECT to_json(count(*) || ':' ||"
                    " coalesce(sum(hashtextextended(uuid::text || ':' || xmin::text, 0)), 0))::text"
                    " FROM teamprofielen",
                    0, NULL, out);
}

/* --- the rows, computed and kept --------------------------------------------- */

/* The newest profiles (all, or the size class of `gemeente`; on or before
 * `peildatum` when given) read and analysed into *ps (freed on failure). */
static tp_rc read_profiles(struct tp_pool *pool, const struct tp_snapshot *snap,
                           const char *gemeente, const char *peildatum,
                           struct tp_bm_teamprofielen *ps) {
  struct tp_db *db = NULL;
  tp_rc rc = tp_pool_acquire(pool, &db);
  if (rc == TP_OK) {
    rc = tp_repo_latest_teamprofielen(db, gemeente, peildatum, ps);
  } else {
    memset(ps, 0, sizeof(*ps));
  }
  tp_pool_release(pool, db);
  if (rc == TP_OK && tp_bm_teamprofielen_analyse(ps, snap->gap) != 0) rc = TP_ERR_NOMEM;
  if (rc != TP_OK) tp_bm_teamprofielen_free(ps);
  return rc;
}

/* The profiles version as a new JSON string. The version first: rows read
 * after it are at least as new, so a write in between gives the next
 * request another version, never stale rows. */
static tp_rc profiles_version(struct tp_pool *pool, json_t **version) {
  struct tp_db *db = NULL;
  *version = NULL;
  tp_rc rc = tp_pool_acquire(pool, &db);
  if (rc == TP_OK) rc = tp_repo_teamprofielen_version(db, NULL, version);
  tp_pool_release(pool, db);
  if (rc != TP_OK || !json_is_string(*version)) {
    json_decref(*version);
    *version = NULL;
    return rc != TP_OK ? rc : TP_ERR_DB;
  }
  return TP_OK;
}

/* The memo key of the rows of all: the profiles version, and the as-of
 * date when there is one. So today's rows and those as of a date share
 * the snapshot's one kept value: the latest asked for is kept. */
static void rows_key(const json_t *version, const char *peildatum, char *key, size_t size) {
  if (peildatum == NULL)
    snprintf(key, size, "%s", json_string_value(version));
  else
    snprintf(key, size, "%s peildatum=%s", json_string_value(version), peildatum);
}

/* What the thread that computes the rows of all needs. */
struct rows_job {
  struct tp_pool *pool;
  const struct tp_snapshot *snap;
  char peildatum[16]; /* "": today */
  char version[128];  /* for the log line */
};

/* tp_memo_compute_fn: the rows of all, read and kept. */
static void *compute_rows(void *arg, tp_rc *rc) {
  const struct rows_job *job = arg;
  long long started = tp_now_ms();
  struct tp_bm_teamprofielen ps;
  *rc = read_profiles(job->pool, job->snap, NULL, job->peildatum[0] ? job->peildatum : NULL, &ps);
  if (*rc != TP_OK) return NULL;
  struct tp_bm_rows *rows = tp_bm_rows_build(&ps, job->snap->inputs);
  if (rows == NULL) *rc = TP_ERR_NOMEM;
  if (rows != NULL) {
    tp_log_info("benchmarks: rows of %zu municipalities computed in %lld ms (profiles %s%s%s)",
                ps.n, tp_now_ms() - started, job->version, job->peildatum[0] ? ", as of " : "",
                job->peildatum);
  }
  tp_bm_teamprofielen_free(&ps);
  return rows;
}

static void *rows_hold(void *rows) { return tp_bm_rows_hold(rows); }
static void rows_drop(void *rows) { tp_bm_rows_drop(rows); }
static const struct tp_memo_ops ROWS = {rows_hold, rows_drop};

tp_rc tp_repo_benchmark_rows(struct tp_pool *pool, struct tp_snapshots *store,
                             struct tp_snapshot *snap, const char *peildatum, long wait_ms,
                             struct tp_bm_rows **out) {
  json_t *version = NULL;
  *out = NULL;
  tp_rc rc = profiles_version(pool, &version);
  if (rc != TP_OK) return rc;
  struct rows_job *job = o_malloc(sizeof(*job));
  rc = TP_ERR_NOMEM;
  if (job != NULL) {
    char key[160];
    rows_key(version, peildatum, key, sizeof(key));
    *job = (struct rows_job){pool, snap, "", ""};
    snprintf(job->peildatum, sizeof(job->peildatum), "%s", peildatum ? peildatum : "");
    snprintf(job->version, sizeof(job->version), "%s", json_string_value(version));
    *out = tp_snapshot_memo_value(store, snap, key, &ROWS, compute_rows, o_free, job, wait_ms,
                                  &rc);
  }
  json_decref(version);
  return *out != NULL ? TP_OK : rc;
}

/* The row of `gemeente` among its size class alone. */
static tp_rc class_row(struct tp_pool *pool, struct tp_snapshot *snap, const char *gemeente,
                       const char *peildatum, tp_bm_excluded_fn excluded, void *arg,
                       json_t **row) {
  struct tp_bm_teamprofielen ps;
  tp_rc rc = read_profiles(pool, snap, gemeente, peildatum, &ps);
  if (rc != TP_OK) return rc;
  if (tp_bm_row_of(&ps, snap->inputs, gemeente, excluded, arg, row) != 0) rc = TP_ERR_NOMEM;
  tp_bm_teamprofielen_free(&ps);
  return rc;
}

tp_rc tp_repo_benchmark_row(struct tp_pool *pool, struct tp_snapshot *snap, const char *gemeente,
                            const char *peildatum, tp_bm_excluded_fn excluded, void *arg,
                            json_t **row) {
  json_t *version = NULL;
  *row = NULL;
  tp_rc rc = profiles_version(pool, &version);
  if (rc != TP_OK) return rc;
  char key[160];
  rows_key(version, peildatum, key, sizeof(key));
  struct tp_bm_rows *kept = tp_snapshot_memo_peek(snap, key);
  if (excluded != NULL || kept == NULL) {
    rc = class_row(pool, snap, gemeente, peildatum, excluded, arg, row);
  } else {
    /* The kept text reads back as the same document: every real was
     * written in its shortest exact form. */
    long i = tp_bm_rows_find(kept, gemeente);
    size_t len;
    const char *text = i >= 0 ? tp_bm_rows_text(kept, (size_t)i, &len) : NULL;
    if (text != NULL && (*row = json_loadb(text, len, 0, NULL)) == NULL) rc = TP_ERR_NOMEM;
  }
  /* One municipality's benchmark also names the reference set it used;
   * the rows of all do not repeat it in every row. */
  if (rc == TP_OK && *row != NULL &&
      json_object_set(*row, "referentieVersie",
                      json_object_get(snap->inputs, "referentieVersie")) != 0) {
    rc = TP_ERR_NOMEM;
  }
  tp_bm_rows_drop(kept);
  json_decref(version);
  return rc;
}
