/* The benchmark rows of many municipalities: their profiles' figures,
 * ranked once among all (core/benchmark.c), written as JSON text and CSV
 * and kept with an index by municipality. */
#include "teamplotter/benchmark_rows.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teamplotter/benchmark.h"
#include "teamplotter/csv.h"
#include "teamplotter/render.h"
#include "teamplotter/textbuf.h"

/* One row of some 160 bytes per municipality with a profile: 355 today,
 * 100 000 fill about 16 MB (the scale mode of bench/), so this bound
 * leaves room for four times that. */
#define CSV_TEXT_LIMIT (64 * 1024 * 1024)
/* One row of JSON is some 1.3 KB with the seven references. */
#define ROW_TEXT_LIMIT (1024 * 1024)
/* The codes of all municipalities. */
#define CODES_TEXT_LIMIT (64 * 1024 * 1024)

/* --- the profiles -------------------------------------------------------------- */

void tp_bm_teamprofielen_free(struct tp_bm_teamprofielen *ps) {
  for (size_t i = 0; i < ps->n; i++) {
    free(ps->v[i].text);
    free(ps->v[i].rollen);
    free(ps->v[i].fte);
    free(ps->v[i].kernrollen);
  }
  free(ps->v);
  for (size_t i = 0; i < ps->ncodes; i++) free(ps->codes[i]);
  free(ps->codes);
  memset(ps, 0, sizeof(*ps));
}

struct tp_bm_teamprofiel *tp_bm_teamprofielen_add(struct tp_bm_teamprofielen *ps, const char *gemeente,
                                         const char *naam, const char *teamprofiel,
                                         const char *peildatum) {
  if (ps->n == ps->cap) {
    size_t cap = ps->cap ? 2 * ps->cap : 512;
    struct tp_bm_teamprofiel *v = realloc(ps->v, cap * sizeof(*v));
    if (v == NULL) return NULL;
    ps->v = v;
    ps->cap = cap;
  }
  struct tp_bm_teamprofiel *p = &ps->v[ps->n];
  memset(p, 0, sizeof(*p));
  /* The four strings in one block. */
  const char *in[] = {gemeente, naam, teamprofiel, peildatum};
  const char **out[] = {&p->gemeente, &p->naam, &p->teamprofiel, &p->peildatum};
  size_t len[4], total = 0;
  for (int i = 0; i < 4; i++) total += (len[i] = in[i] ? strlen(in[i]) + 1 : 0);
  p->text = malloc(total ? total : 1);
  if (p->text == NULL) return NULL;
  char *at = p->text;
  for (int i = 0; i < 4; i++) {
    *out[i] = in[i] ? memcpy(at, in[i], len[i]) : NULL;
    at += len[i];
  }
  ps->n++;
  return p;
}

const char *tp_bm_teamprofielen_intern(struct tp_bm_teamprofielen *ps, const char *code) {
  size_t lo = 0, hi = ps->ncodes;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(ps->codes[mid], code);
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
  char *copy = strdup(code);
  if (copy == NULL) return NULL;
  memmove(ps->codes + lo + 1, ps->codes + lo, (ps->ncodes - lo) * sizeof(*ps->codes));
  ps->codes[lo] = copy;
  ps->ncodes++;
  return copy;
}

static int cmp_code(const void *x, const void *y) {
  return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int tp_bm_teamprofielen_analyse(struct tp_bm_teamprofielen *ps, const struct tp_gap_model *gap) {
  for (size_t i = 0; i < ps->n; i++) {
    struct tp_bm_teamprofiel *p = &ps->v[i];
    struct tp_gap_totals t = {p->gemeente, (double)p->inwoners, p->totaal, p->rollen, p->fte,
                              p->nrollen};
    struct tp_gap_figures fig;
    if (tp_gap_figures(gap, &t, &fig) != 0) return -1;
    p->dekking = fig.dekking;
    p->capaciteit = fig.capaciteit;
    if (fig.ontbrekende_kernrollen[0] != '\0' &&
        (p->kernrollen = strdup(fig.ontbrekende_kernrollen)) == NULL) {
      return -1;
    }
    /* The roles it fields (every sum is of shares > 0), by code. */
    qsort(p->rollen, p->nrollen, sizeof(*p->rollen), cmp_code);
    free(p->fte);
    p->fte = NULL;
  }
  return 0;
}

/* --- one row ------------------------------------------------------------------- */

/* Everything the rows of a set of profiles share. */
struct rows {
  const struct tp_bm_teamprofielen *ps;
  struct tp_bm_refs *refs;
  struct tp_peer_ranks *ranks;
  const json_t *catalogus_versie;
};

/* The rows of `ps`; without the peers `excluded` names (never `subject`). */
static int rows_init(struct rows *r, const struct tp_bm_teamprofielen *ps, const json_t *inputs,
                     const char *subject, tp_bm_excluded_fn excluded, void *arg) {
  r->ps = ps;
  r->refs = tp_bm_refs_new(json_object_get(inputs, "referenties"));
  r->ranks = NULL;
  r->catalogus_versie = json_object_get(inputs, "catalogusVersie");
  struct tp_bm_peer *peers = calloc(ps->n ? ps->n : 1, sizeof(*peers));
  if (peers != NULL && r->refs != NULL) {
    size_t np = 0;
    for (size_t i = 0; i < ps->n; i++) {
      const struct tp_bm_teamprofiel *p = &ps->v[i];
      if (excluded != NULL && p->gemeente != NULL && strcmp(p->gemeente, subject) != 0 &&
          excluded(arg, p->gemeente)) {
        continue;
      }
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
  const struct tp_bm_teamprofiel *p = &r->ps->v[i];
  json_t *inwoners = json_integer(p->inwoners);
  struct tp_bm_subject s = {p->gemeente, p->naam,     inwoners,  p->totaal,
                            !isnan(p->dekking), p->dekking, p->rollen, p->nrollen};
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

int tp_bm_row_of(const struct tp_bm_teamprofielen *ps, const json_t *inputs, const char *gemeente,
                 tp_bm_excluded_fn excluded, void *arg, json_t **row) {
  struct rows r;
  *row = NULL;
  int failed = rows_init(&r, ps, inputs, gemeente, excluded, arg) != 0;
  for (size_t i = 0; !failed && i < ps->n; i++) {
    if (ps->v[i].gemeente == NULL || strcmp(ps->v[i].gemeente, gemeente) != 0) continue;
    struct tp_textbuf b;
    tp_textbuf_init(&b, ROW_TEXT_LIMIT);
    failed = write_row(&b, &r, i, NULL) != 0 || b.failed ||
             (*row = json_loadb(b.data, b.len, 0, NULL)) == NULL;
    tp_textbuf_free(&b);
    break;
  }
  rows_free(&r);
  return failed ? -1 : 0;
}

/* --- CSV ------------------------------------------------------------------------ */

const char *const TP_BM_CSV_COLUMNS[] = {
    "gemeente", "naam", "inwoners", "grootteklasse", "peildatum", "teamprofiel", "totaalFte",
    "ftePer10000", "dekking", "capaciteit", "dichtstbijzijnd", "groepsgrootte",
    "ftePer10000Percentiel", "dekkingPercentiel", "onderdrukt", NULL,
};

/* The CSV row of profile `p` with the figures of its JSON row. */
static void csv_row(struct tp_textbuf *c, const struct tp_bm_teamprofiel *p,
                    const struct tp_bm_figures *f) {
  tp_csv_field(c, p->gemeente, 1);
  tp_csv_field(c, p->naam, 0);
  tp_csv_integer(c, p->inwoners);
  if (f->grootteklasse)
    tp_csv_integer(c, f->grootteklasse);
  else
    tp_csv_field(c, NULL, 0);
  tp_csv_field(c, p->peildatum, 0);
  tp_csv_field(c, p->teamprofiel, 0);
  tp_csv_real(c, f->totaal);
  tp_csv_real(c, f->fte10k);
  tp_csv_real(c, f->dekking);
  tp_csv_real(c, p->capaciteit);
  char codes[64] = "";
  size_t used = 0;
  for (size_t k = 0; k < f->nnearest; k++) {
    used += (size_t)snprintf(codes + used, sizeof(codes) - used, "%s%s", k ? " " : "",
                             f->nearest[k]);
    if (used >= sizeof(codes)) break;
  }
  tp_csv_field(c, codes, 0);
  tp_csv_integer(c, (long long)f->groepsgrootte);
  tp_csv_real(c, f->fte_percentiel);
  tp_csv_real(c, f->dekking_percentiel);
  tp_csv_field(c, f->onderdrukt ? "true" : "false", 0);
  tp_textbuf_puts(c, "\r\n");
}

/* --- the rows of all, kept ----------------------------------------------------- */

/* A municipality's code and its row, for the index. */
struct place {
  const char *gemeente;
  size_t row;
};

/* One row's JSON text. Each in a block of its own: one block of all would
 * be copied as it grows, and the copy would raise the peak memory of
 * 100 000 municipalities by a third. */
struct text {
  char *data;
  size_t len;
};

struct tp_bm_rows {
  atomic_long refs;
  size_t n;
  struct text *rows;
  char *codes;   /* the codes of the index, each NUL-terminated */
  struct place *index; /* sorted by code; nindex entries */
  size_t nindex;
  const char **row_codes; /* per row its code (in `codes`), NULL: none */
  char *csv;
  size_t csv_len;
  size_t *csv_at; /* n + 1 offsets: where the header ends, then each row's line */
  char **kernrollen; /* per row, as its profile's; NULL: none */
};

static int cmp_place(const void *x, const void *y) {
  return strcmp(((const struct place *)x)->gemeente, ((const struct place *)y)->gemeente);
}

/* The index by municipality of rows whose codes are in `codes` one after
 * the other (`present[i]`: row i has one). */
static int build_index(struct tp_bm_rows *kept, const unsigned char *present) {
  kept->index = malloc((kept->n ? kept->n : 1) * sizeof(*kept->index));
  kept->row_codes = calloc(kept->n ? kept->n : 1, sizeof(*kept->row_codes));
  if (kept->index == NULL || kept->row_codes == NULL) return -1;
  const char *at = kept->codes;
  for (size_t i = 0; i < kept->n; i++) {
    if (!present[i]) continue;
    kept->index[kept->nindex++] = (struct place){at, i};
    kept->row_codes[i] = at;
    at += strlen(at) + 1;
  }
  qsort(kept->index, kept->nindex, sizeof(*kept->index), cmp_place);
  return 0;
}

struct tp_bm_rows *tp_bm_rows_build(const struct tp_bm_teamprofielen *ps, const json_t *inputs) {
  struct tp_bm_rows *kept = calloc(1, sizeof(*kept));
  if (kept != NULL) atomic_init(&kept->refs, 1);
  unsigned char *present = calloc(ps->n ? ps->n : 1, 1);
  struct rows r = {0};
  struct tp_textbuf csv, row, codes;
  tp_textbuf_init(&csv, CSV_TEXT_LIMIT);
  tp_textbuf_init(&row, ROW_TEXT_LIMIT);
  tp_textbuf_init(&codes, CODES_TEXT_LIMIT);
  int failed = kept == NULL || present == NULL ||
               (kept->rows = calloc(ps->n ? ps->n : 1, sizeof(*kept->rows))) == NULL ||
               (kept->csv_at = calloc(ps->n + 1, sizeof(*kept->csv_at))) == NULL ||
               (kept->kernrollen = calloc(ps->n ? ps->n : 1, sizeof(*kept->kernrollen))) == NULL ||
               rows_init(&r, ps, inputs, NULL, NULL, NULL) != 0;
  for (size_t i = 0; TP_BM_CSV_COLUMNS[i] != NULL; i++) {
    tp_csv_field(&csv, TP_BM_CSV_COLUMNS[i], i == 0);
  }
  tp_textbuf_puts(&csv, "\r\n");
  if (!failed) kept->csv_at[0] = csv.len;
  for (size_t i = 0; !failed && i < ps->n; i++) {
    struct tp_bm_figures fig;
    tp_textbuf_clear(&row);
    failed = write_row(&row, &r, i, &fig) != 0 || row.failed ||
             (kept->rows[i].data = malloc(row.len)) == NULL;
    if (failed) break;
    memcpy(kept->rows[i].data, row.data, row.len);
    kept->rows[i].len = row.len;
    kept->n = i + 1;
    if (ps->v[i].gemeente != NULL) {
      tp_textbuf_append(&codes, ps->v[i].gemeente, strlen(ps->v[i].gemeente) + 1);
      present[i] = 1;
    }
    csv_row(&csv, &ps->v[i], &fig);
    kept->csv_at[i + 1] = csv.len;
    if (ps->v[i].kernrollen != NULL &&
        (kept->kernrollen[i] = strdup(ps->v[i].kernrollen)) == NULL) {
      failed = 1;
    }
  }
  rows_free(&r);
  if (!failed) {
    kept->codes = tp_textbuf_finish(&codes, NULL);
    kept->csv = tp_textbuf_finish(&csv, &kept->csv_len);
    failed = kept->codes == NULL || kept->csv == NULL || build_index(kept, present) != 0;
  }
  tp_textbuf_free(&row);
  tp_textbuf_free(&codes);
  tp_textbuf_free(&csv);
  free(present);
  if (failed) {
    tp_bm_rows_drop(kept);
    return NULL;
  }
  return kept;
}

struct tp_bm_rows *tp_bm_rows_hold(struct tp_bm_rows *r) {
  atomic_fetch_add(&r->refs, 1);
  return r;
}

void tp_bm_rows_drop(struct tp_bm_rows *r) {
  if (r == NULL || atomic_fetch_sub(&r->refs, 1) != 1) return;
  for (size_t i = 0; i < r->n; i++) {
    free(r->rows[i].data);
    if (r->kernrollen != NULL) free(r->kernrollen[i]);
  }
  free(r->kernrollen);
  free(r->rows);
  free(r->codes);
  free(r->index);
  free(r->row_codes);
  free(r->csv);
  free(r->csv_at);
  free(r);
}

size_t tp_bm_rows_count(const struct tp_bm_rows *r) { return r->n; }

const char *tp_bm_rows_text(const struct tp_bm_rows *r, size_t i, size_t *len) {
  *len = r->rows[i].len;
  return r->rows[i].data;
}

long tp_bm_rows_find(const struct tp_bm_rows *r, const char *gemeente) {
  struct place key = {gemeente, 0};
  const struct place *hit = bsearch(&key, r->index, r->nindex, sizeof(*r->index), cmp_place);
  return hit != NULL ? (long)hit->row : -1;
}

char *tp_bm_rows_page(const struct tp_bm_rows *r, long from, long count, size_t *len) {
  struct tp_textbuf page;
  tp_textbuf_init(&page, CSV_TEXT_LIMIT);
  tp_textbuf_puts(&page, "[");
  for (long k = from; k < from + count && k >= 0 && (size_t)k < r->n; k++) {
    size_t n;
    const char *row = tp_bm_rows_text(r, (size_t)k, &n);
    if (k > from) tp_textbuf_puts(&page, ",");
    tp_textbuf_append(&page, row, n);
  }
  tp_textbuf_puts(&page, "]");
  return tp_textbuf_finish(&page, len);
}

const char *tp_bm_rows_csv(const struct tp_bm_rows *r, size_t *len) {
  *len = r->csv_len;
  return r->csv;
}

const char *tp_bm_rows_csv_header(const struct tp_bm_rows *r, size_t *len) {
  *len = r->csv_at[0];
  return r->csv;
}

const char *tp_bm_rows_csv_line(const struct tp_bm_rows *r, size_t i, size_t *len) {
  *len = r->csv_at[i + 1] - r->csv_at[i];
  return r->csv + r->csv_at[i];
}

const char *tp_bm_rows_gemeente(const struct tp_bm_rows *r, size_t i) { return r->row_codes[i]; }

const char *tp_bm_rows_kernrollen(const struct tp_bm_rows *r, size_t i) {
  return r->kernrollen[i] != NULL ? r->kernrollen[i] : "";
}
