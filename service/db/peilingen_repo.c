/* Benchmark rounds: stored once with all their rows, read as stored. */
#include "teamplotter/peilingen_repo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"

#include "teamplotter/benchmark_repo.h"
#include "teamplotter/gap.h"
#include "teamplotter/snapshot.h"
#include "teamplotter/render.h"
#include "teamplotter/textbuf.h"

/* The rows of a round as one JSON parameter: [{"r": row text, "c": CSV
 * line, "k": the core roles missed}, ...], each as a JSON string, so that the database stores the
 * very bytes the benchmark wrote. Some 1.5 KB per municipality. */
#define PARAM_TEXT_LIMIT (512 * 1024 * 1024)
/* A page of rows, or the CSV of one round. */
#define READ_TEXT_LIMIT (256 * 1024 * 1024)

/* `n` bytes at `s` as a JSON string into `b`. -1 when out of memory. */
static int put_stringn(struct tp_textbuf *b, const char *s, size_t n) {
  char *copy = malloc(n + 1);
  if (copy == NULL) return -1;
  memcpy(copy, s, n);
  copy[n] = '\0';
  int bad = tp_json_put_string(b, copy);
  free(copy);
  return bad;
}

static char *rows_param(const struct tp_bm_rows *rows) {
  struct tp_textbuf b;
  tp_textbuf_init(&b, PARAM_TEXT_LIMIT);
  tp_textbuf_puts(&b, "[");
  int bad = 0;
  for (size_t i = 0; !bad && i < tp_bm_rows_count(rows); i++) {
    size_t len;
    const char *text = tp_bm_rows_text(rows, i, &len);
    tp_textbuf_puts(&b, i ? ",{\"r\":" : "{\"r\":");
    bad = put_stringn(&b, text, len) != 0;
    text = tp_bm_rows_csv_line(rows, i, &len);
    tp_textbuf_puts(&b, ",\"c\":");
    bad = bad || put_stringn(&b, text, len) != 0;
    tp_textbuf_puts(&b, ",\"k\":");
    bad = bad || tp_json_put_string(&b, tp_bm_rows_kernrollen(rows, i)) != 0;
    tp_textbuf_puts(&b, "}");
  }
  tp_textbuf_puts(&b, "]");
  if (bad) {
    tp_textbuf_free(&b);
    return NULL;
  }
  return tp_textbuf_finish(&b, NULL);
}

/* What one attempt at storing a round needs. */
struct maak {
  const char *params[11];
  json_t **doc;
};

static tp_rc maak_in(struct tp_db *db, void *arg) {
  struct maak *m = arg;
  json_decref(*m->doc);
  *m->doc = NULL;
  /* One statement for the round and its rows: a second round of the same
   * name waits on the first's key and then fails whole. */
  tp_rc rc = tp_db_run(
      db,
      "WITH p AS (INSERT INTO peilingen (naam, peildatum, toelichting, client_id, methode_versie,"
      "                                  catalogus_versie, referentie_versie, aantal_gemeenten,"
      "                                  samenvatting, csv_kop, model)"
      "           VALUES ($1, $2::date, $3, $4, $5::integer, $6, $10,"
      "                   json_array_length($9::json), $7::json, $8, $11::json)"
      "           RETURNING naam)"
      " INSERT INTO peiling_rijen (peiling, volgnummer, gemeente, rij, csv,"
      "                            ontbrekende_kernrollen)"
      " SELECT p.naam, e.i, (e.v->>'r')::json->>'gemeente', e.v->>'r', e.v->>'c',"
      "        string_to_array(rtrim(e.v->>'k'), ' ')"
      "   FROM p, json_array_elements($9::json) WITH ORDINALITY AS e(v, i)",
      11, m->params);
  if (rc != TP_OK) return rc;
  return tp_db_json(db, "SELECT doc::text FROM api_peilingen WHERE naam = $1", 1, m->params,
                    m->doc);
}

/* Stores round `p` of `rows` with `samenvatting`, computed with the
 * analysis inputs `model` (see tp_repo_peiling_maak). */
static tp_rc store(struct tp_db *db, const struct tp_peiling_nieuw *p, const char *client_id,
                   const json_t *model, const struct tp_bm_rows *rows,
                   const json_t *samenvatting, json_t **doc) {
  *doc = NULL;
  char methode[16];
  snprintf(methode, sizeof(methode), "%d", TP_METHODE_VERSIE);
  size_t kop_len;
  const char *kop = tp_bm_rows_csv_header(rows, &kop_len);
  char *kop_text = malloc(kop_len + 1);
  char *summary = tp_json_render(samenvatting);
  char *rijen = rows_param(rows);
  char *model_text = tp_json_render(model);
  tp_rc rc = TP_ERR_NOMEM;
  if (kop_text != NULL && summary != NULL && rijen != NULL && model_text != NULL) {
    memcpy(kop_text, kop, kop_len);
    kop_text[kop_len] = '\0';
    struct maak m = {{p->naam, p->peildatum, p->toelichting, client_id, methode,
                      json_string_value(json_object_get(model, "catalogusVersie")), summary,
                      kop_text, rijen,
                      json_string_value(json_object_get(model, "referentieVersie")),
                      model_text},
                     doc};
    /* A large round is a large statement. */
    tp_db_set_deadline(db, 60000);
    rc = tp_db_transaction(db, maak_in, &m);
    if (rc != TP_OK) {
      json_decref(*doc);
      *doc = NULL;
    }
  }
  free(kop_text);
  free(summary);
  free(rijen);
  free(model_text);
  return rc;
}

tp_rc tp_repo_peiling_maak(struct tp_pool *pool, struct tp_snapshots *snapshots,
                           struct tp_snapshot *snap, const struct tp_peiling_nieuw *p,
                           const char *client_id, long wait_ms, json_t **doc) {
  struct tp_bm_rows *rows = NULL;
  json_t *samenvatting = NULL;
  struct tp_db *db = NULL;
  *doc = NULL;
  tp_rc rc = tp_repo_benchmark_rows(pool, snapshots, snap, p->peildatum, wait_ms, &rows);
  if (rc == TP_OK && (samenvatting = tp_peiling_samenvatting_van(rows)) == NULL) rc = TP_ERR_NOMEM;
  if (rc == TP_OK) rc = tp_pool_acquire(pool, &db);
  if (rc == TP_OK) rc = store(db, p, client_id, snap->inputs, rows, samenvatting, doc);
  tp_pool_release(pool, db);
  json_decref(samenvatting);
  tp_bm_rows_drop(rows);
  return rc;
}

tp_rc tp_repo_peiling_model(struct tp_db *db, const char *naam, json_t **model) {
  const char *params[] = {naam};
  return tp_db_json(db, "SELECT model::text FROM peilingen WHERE naam = $1", 1, params, model);
}

static const char PEILINGEN_PAGE[] =
    TP_PAGE_SQL("SELECT doc, aangemaakt, naam FROM api_peilingen", "aangemaakt DESC, naam",
                "$1", "$2", TP_NONE_UNKNOWN);

tp_rc tp_repo_peilingen_page(struct tp_db *db, const void *filter, long limit, long offset,
                             json_t **page) {
  (void)filter;
  const char *params[2];
  return tp_db_page(db, PEILINGEN_PAGE, 0, params, limit, offset, page);
}

tp_rc tp_repo_peiling(struct tp_db *db, const char *naam, json_t **doc) {
  const char *params[] = {naam};
  return tp_db_json(db, "SELECT doc::text FROM api_peilingen WHERE naam = $1", 1, params, doc);
}

/* Stored texts joined (join_texts): the count of the first row, then
 * each stored text, after `sep` from the second on. */
struct joined {
  struct tp_textbuf b;
  const char *sep;
  long rows;  /* texts appended */
  long count; /* from the first column of the first row */
  int found;
};

/* A tp_row_fn: columns (count or header, text or NULL). */
static int join_row(void *arg, int n, const char *const *values) {
  struct joined *j = arg;
  if (n < 2) return -1;
  if (!j->found) {
    j->found = 1;
    j->count = values[0] ? strtol(values[0], NULL, 10) : 0;
  }
  if (values[1] == NULL) return 0;
  if (j->rows++ > 0) tp_textbuf_puts(&j->b, j->sep);
  tp_textbuf_puts(&j->b, values[1]);
  return j->b.failed ? -1 : 0;
}

/* Runs `sql` (rows of: count or header, stored text) and joins the texts
 * between `open` and `close`, `sep` between them, into *text (malloc()ed,
 * `*len` bytes), the first row's count into *count when not NULL.
 * TP_ERR_NOT_FOUND when there is no row (no such round). */
static tp_rc join_texts(struct tp_db *db, const char *sql, int nparams,
                        const char *const *params, const char *open, const char *sep,
                        const char *close, long *count, char **text, size_t *len) {
  struct joined j = {.sep = sep};
  *text = NULL;
  tp_textbuf_init(&j.b, READ_TEXT_LIMIT);
  tp_textbuf_puts(&j.b, open);
  tp_rc rc = tp_db_each_row(db, sql, nparams, params, join_row, &j);
  tp_textbuf_puts(&j.b, close);
  if (rc == TP_OK && !j.found) rc = TP_ERR_NOT_FOUND;
  if (rc == TP_OK && j.b.failed) rc = TP_ERR_NOMEM;
  if (rc == TP_OK) {
    if (count != NULL) *count = j.count;
    *text = tp_textbuf_finish(&j.b, len);
    if (*text == NULL) rc = TP_ERR_NOMEM;
  }
  tp_textbuf_free(&j.b);
  return rc;
}

tp_rc tp_repo_peiling_resultaten(struct tp_db *db, const char *naam, long limit, long offset,
                                 long *count, char **text, size_t *len) {
  char lim[24], off[24];
  snprintf(lim, sizeof(lim), "%ld", limit);
  snprintf(off, sizeof(off), "%ld", offset);
  const char *params[] = {naam, lim, off};
  /* The round's row first (its count), then the page's rows. */
  return join_texts(db,
                    "SELECT p.aantal_gemeenten, r.rij FROM peilingen p"
                    "  LEFT JOIN LATERAL (SELECT rij, volgnummer FROM peiling_rijen"
                    "                      WHERE peiling = p.naam ORDER BY volgnummer"
                    "                      LIMIT $2::bigint OFFSET $3::bigint) r ON true"
                    " WHERE p.naam = $1 ORDER BY r.volgnummer",
                    3, params, "[", ",", "]", count, text, len);
}

tp_rc tp_repo_peiling_csv_kop(struct tp_db *db, const char *naam, struct tp_peiling_csv *out) {
  const char *params[] = {naam};
  memset(out, 0, sizeof(*out));
  tp_rc rc = TP_OK;
  PGresult *res = tp_db_exec(db,
                             "SELECT naam, aangemaakt::text, aantal_gemeenten, csv_kop"
                             "  FROM peilingen WHERE naam = $1",
                             1, params, &rc);
  if (res == NULL) return rc;
  if (PQntuples(res) != 1) {
    rc = TP_ERR_NOT_FOUND;
  } else if ((out->kop = strdup(PQgetvalue(res, 0, 3))) == NULL) {
    rc = TP_ERR_NOMEM;
  } else {
    snprintf(out->naam, sizeof(out->naam), "%s", PQgetvalue(res, 0, 0));
    snprintf(out->aangemaakt, sizeof(out->aangemaakt), "%s", PQgetvalue(res, 0, 1));
    out->aantal = strtol(PQgetvalue(res, 0, 2), NULL, 10);
  }
  PQclear(res);
  return rc;
}

/* Appends a row's line (column 1) and notes its position (column 0). */
struct rijen {
  struct tp_textbuf *out;
  long n, last;
};

static int append_line(void *arg, int n, const char *const *values) {
  struct rijen *r = arg;
  if (n < 2 || values[0] == NULL || values[1] == NULL) return -1;
  tp_textbuf_puts(r->out, values[1]);
  r->last = strtol(values[0], NULL, 10);
  r->n++;
  return r->out->failed ? -1 : 0;
}

tp_rc tp_repo_peiling_csv_rijen(struct tp_db *db, const struct tp_peiling_csv *p, long after,
                                long limit, struct tp_textbuf *out, long *n, long *last) {
  char from[24], lim[24];
  snprintf(from, sizeof(from), "%ld", after);
  snprintf(lim, sizeof(lim), "%ld", limit);
  const char *params[] = {p->naam, p->aangemaakt, from, lim};
  struct rijen r = {out, 0, after};
  tp_rc rc = tp_db_each_row(db,
                            "SELECT r.volgnummer, r.csv FROM peiling_rijen r"
                            " WHERE r.peiling = $1 AND r.volgnummer > $3::integer"
                            "   AND EXISTS (SELECT 1 FROM peilingen p"
                            "                WHERE p.naam = $1 AND p.aangemaakt = $2::timestamptz)"
                            " ORDER BY r.volgnummer LIMIT $4::integer",
                            4, params, append_line, &r);
  *n = r.n;
  *last = r.last;
  return rc;
}

/* The compared figures of the rows of round $n, sorted as the comparison
 * merges them. */
#define COMPARED_ROWS(n)                                                                   \
  "(SELECT coalesce(json_agg(json_build_object("                                           \
  "  'gemeente', r.gemeente, 'naam', d.j->'naam', 'grootteklasse', d.j->'grootteklasse',"  \
  "  'ftePer10000', d.j->'ftePer10000', 'dekking', d.j->'dekking',"                        \
  "  'ontbrekendeKernrollen', to_json(r.ontbrekende_kernrollen))"                          \
  "  ORDER BY r.gemeente COLLATE \"C\"), '[]'::json)"                                       \
  "  FROM peiling_rijen r CROSS JOIN LATERAL (SELECT r.rij::json AS j) d"                   \
  " WHERE r.peiling = " n ")"

tp_rc tp_repo_peiling_vergelijking(struct tp_db *db, const char *naam, const char *met,
                                   json_t **out) {
  const char *params[] = {naam, met};
  tp_db_set_deadline(db, 60000);
  return tp_db_json(
      db,
      "WITH deze AS (SELECT naam, peildatum, aangemaakt FROM peilingen WHERE naam = $1),"
      " met AS (SELECT coalesce($2::text,"
      "          (SELECT p.naam FROM peilingen p, deze"
      "            WHERE (p.peildatum, p.aangemaakt) < (deze.peildatum, deze.aangemaakt)"
      "            ORDER BY p.peildatum DESC, p.aangemaakt DESC LIMIT 1)) AS naam)"
      "SELECT json_build_object('naar', " COMPARED_ROWS("$1") ","
      " 'met', met.naam,"
      " 'van', CASE WHEN EXISTS (SELECT 1 FROM peilingen WHERE naam = met.naam)"
      "             THEN " COMPARED_ROWS("met.naam") " END)::text"
      "  FROM deze, met",
      2, params, out);
}

/* What one attempt at removing a round needs. */
struct verwijder {
  const char *params[2];
};

static tp_rc verwijder_in(struct tp_db *db, void *arg) {
  struct verwijder *v = arg;
  PGresult *res = NULL;
  tp_rc rc = TP_OK;
  /* The record first, of the round as it is; then the round, whose rows
   * go with it. */
  /* Locked first: of two removals of the same round, the second finds
   * nothing once the first commits, and records nothing. */
  res = tp_db_exec(db, "SELECT 1 FROM peilingen WHERE naam = $1 FOR UPDATE", 1, v->params, &rc);
  if (res == NULL) return rc;
  int found = PQntuples(res);
  PQclear(res);
  if (found == 0) return TP_ERR_NOT_FOUND;
  res = tp_db_exec(db,
                   "INSERT INTO peiling_verwijderingen (peiling, client_id, metadata)"
                   " SELECT naam, $2, doc FROM api_peilingen WHERE naam = $1",
                   2, v->params, &rc);
  if (res == NULL) return rc;
  PQclear(res);
  return tp_db_run(db, "DELETE FROM peilingen WHERE naam = $1", 1, v->params);
}

tp_rc tp_repo_peiling_verwijder(struct tp_db *db, const char *naam, const char *client_id) {
  struct verwijder v = {{naam, client_id}};
  return tp_db_transaction(db, verwijder_in, &v);
}
