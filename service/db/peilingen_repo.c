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

/* A page of rows of one round. */
#define READ_TEXT_LIMIT (256 * 1024 * 1024)

/* Rows per part of the COPY that stores a round: some 500 KB. */
#define COPY_ROWS_PER_PART 500

/* What one attempt at storing a round needs, and how far its COPY got. */
struct maak {
  const char *params[11];
  const struct tp_bm_rows *rows;
  size_t next_row;
  json_t **doc;
};

/* The core roles "a b " as an array literal {"a","b"}. */
static void kernrollen_field(struct tp_textbuf *out, const char *codes) {
  struct tp_textbuf array;
  tp_textbuf_init(&array, 64 * 1024);
  tp_textbuf_puts(&array, "{");
  int first = 1;
  for (const char *at = codes; *at != '\0';) {
    size_t n = strcspn(at, " ");
    if (n > 0) {
      tp_textbuf_puts(&array, first ? "\"" : ",\"");
      for (size_t i = 0; i < n; i++) {
        if (at[i] == '"' || at[i] == '\\') tp_textbuf_puts(&array, "\\");
        tp_textbuf_append(&array, at + i, 1);
      }
      tp_textbuf_puts(&array, "\"");
      first = 0;
    }
    at += n + (at[n] == ' ');
  }
  tp_textbuf_puts(&array, "}");
  if (array.failed) out->failed = 1;
  else tp_copy_field(out, array.data, array.len);
  tp_textbuf_free(&array);
}

/* A tp_copy_fn: the next rows of the round, a line each: peiling,
 * volgnummer (from 1), gemeente, the row's JSON text, its CSV line, the
 * core roles its analysis missed. */
static int next_rows(void *arg, struct tp_textbuf *out) {
  struct maak *m = arg;
  size_t n = tp_bm_rows_count(m->rows);
  for (size_t end = m->next_row + COPY_ROWS_PER_PART; m->next_row < n && m->next_row < end;
       m->next_row++) {
    size_t i = m->next_row, len;
    const char *gemeente = tp_bm_rows_gemeente(m->rows, i);
    if (gemeente == NULL) return -1;
    tp_copy_field(out, m->params[0], strlen(m->params[0]));
    tp_textbuf_printf(out, "\t%zu\t", i + 1);
    tp_copy_field(out, gemeente, strlen(gemeente));
    tp_textbuf_puts(out, "\t");
    const char *text = tp_bm_rows_text(m->rows, i, &len);
    tp_copy_field(out, text, len);
    tp_textbuf_puts(out, "\t");
    text = tp_bm_rows_csv_line(m->rows, i, &len);
    tp_copy_field(out, text, len);
    tp_textbuf_puts(out, "\t");
    kernrollen_field(out, tp_bm_rows_kernrollen(m->rows, i));
    tp_textbuf_puts(out, "\n");
  }
  return out->failed ? -1 : m->next_row < n;
}

static tp_rc maak_in(struct tp_db *db, void *arg) {
  struct maak *m = arg;
  json_decref(*m->doc);
  *m->doc = NULL;
  m->next_row = 0;
  /* The round's row first: a second round of the same name waits on its
   * key and then fails whole. Its rows follow as COPY data, a part at a
   * time: the round is never held twice in memory. */
  tp_rc rc = tp_db_run(
      db,
      "INSERT INTO peilingen (naam, peildatum, toelichting, client_id, methode_versie,"
      "                       catalogus_versie, referentie_versie, aantal_gemeenten,"
      "                       samenvatting, csv_kop, model)"
      " VALUES ($1, $2::date, $3, $4, $5::integer, $6, $10, $9::integer, $7::json, $8,"
      "         $11::json)",
      11, m->params);
  if (rc == TP_OK) {
    rc = tp_db_copy_in(db,
                       "COPY peiling_rijen (peiling, volgnummer, gemeente, rij, csv,"
                       "                    ontbrekende_kernrollen) FROM STDIN",
                       next_rows, m);
  }
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
  char methode[16], aantal[24];
  snprintf(methode, sizeof(methode), "%d", TP_METHODE_VERSIE);
  snprintf(aantal, sizeof(aantal), "%zu", tp_bm_rows_count(rows));
  size_t kop_len;
  const char *kop = tp_bm_rows_csv_header(rows, &kop_len);
  char *kop_text = malloc(kop_len + 1);
  char *summary = tp_json_render(samenvatting);
  char *model_text = tp_json_render(model);
  tp_rc rc = TP_ERR_NOMEM;
  if (kop_text != NULL && summary != NULL && model_text != NULL) {
    memcpy(kop_text, kop, kop_len);
    kop_text[kop_len] = '\0';
    struct maak m = {{p->naam, p->peildatum, p->toelichting, client_id, methode,
                      json_string_value(json_object_get(model, "catalogusVersie")), summary,
                      kop_text, aantal,
                      json_string_value(json_object_get(model, "referentieVersie")),
                      model_text},
                     rows, 0, doc};
    /* A large round is a large COPY. */
    tp_db_set_deadline(db, 60000);
    rc = tp_db_transaction(db, maak_in, &m);
    if (rc != TP_OK) {
      json_decref(*doc);
      *doc = NULL;
    }
  }
  free(kop_text);
  free(summary);
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
