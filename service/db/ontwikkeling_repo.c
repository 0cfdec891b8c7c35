/* The profiles of one municipality, for its development: what their
 * analyses need and no more (the documents of api_teamprofielen cost
 * several times the analyses themselves). */
#include "teamplotter/ontwikkeling_repo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"

/* The newest $5, then oldest first; one row per share, a member without
 * shares once (rol NULL), a profile without members once (volgnummer
 * NULL). */
static const char PROFIELEN[] =
    "SELECT x.uuid, to_char(x.peildatum, 'YYYY-MM-DD'), x.referentie, x.herkomst,"
    "       l.volgnummer, l.fte, lr.rol, lr.aandeel"
    "  FROM (SELECT p.uuid, p.peildatum, p.aangemaakt, p.referentie, p.herkomst"
    "          FROM teamprofielen p"
    "         WHERE p.gemeente = $1"
    "           AND ($2::date IS NULL OR p.peildatum >= $2::date)"
    "           AND ($3::date IS NULL OR p.peildatum <= $3::date)"
    "           AND (p.referentie OR NOT $4::boolean)"
    "         ORDER BY p.peildatum DESC, p.aangemaakt DESC, p.uuid DESC LIMIT $5::integer) x"
    "  LEFT JOIN teamleden l ON l.profiel = x.uuid"
    "  LEFT JOIN teamlid_rollen lr ON lr.profiel = l.profiel AND lr.volgnummer = l.volgnummer"
    " ORDER BY x.peildatum, x.aangemaakt, x.uuid, l.volgnummer, lr.volgorde";

enum { C_UUID, C_PEILDATUM, C_REFERENTIE, C_HERKOMST, C_LID, C_FTE, C_ROL, C_AANDEEL };

struct tp_ontwikkeling_rows {
  PGresult *res;
  struct tp_gap_lid *leden;
  struct tp_gap_aandeel *aandelen;
};

static const char *value(PGresult *res, int row, int col) {
  return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* Groups the rows into profiles, members and shares: the arrays of each
 * profile's team are slices of the shared ones. */
static void group(struct tp_ontwikkeling_profielen *out) {
  PGresult *res = out->rows->res;
  struct tp_gap_lid *leden = out->rows->leden;
  struct tp_gap_aandeel *aandelen = out->rows->aandelen;
  size_t nleden = 0, naandelen = 0;
  struct tp_ontwikkeling_punt *p = NULL;
  struct tp_gap_lid *lid = NULL;
  for (int i = 0; i < PQntuples(res); i++) {
    if (i == 0 || strcmp(PQgetvalue(res, i, C_UUID), PQgetvalue(res, i - 1, C_UUID)) != 0) {
      p = &out->punten[out->n++];
      p->teamprofiel = PQgetvalue(res, i, C_UUID);
      p->peildatum = PQgetvalue(res, i, C_PEILDATUM);
      p->referentie = strcmp(PQgetvalue(res, i, C_REFERENTIE), "t") == 0;
      p->herkomst = value(res, i, C_HERKOMST);
      p->team.leden = &leden[nleden];
      p->team.aandelen = &aandelen[naandelen];
      lid = NULL;
    }
    const char *volgnummer = value(res, i, C_LID);
    if (volgnummer == NULL) continue;
    if (lid == NULL || i == 0 || strcmp(volgnummer, PQgetvalue(res, i - 1, C_LID)) != 0) {
      lid = &p->team.leden[p->team.nleden++];
      nleden++;
      lid->fte = strtod(PQgetvalue(res, i, C_FTE), NULL);
      lid->aandeel0 = p->team.naandelen;
    }
    const char *rol = value(res, i, C_ROL);
    if (rol == NULL) continue;
    p->team.aandelen[p->team.naandelen++] =
        (struct tp_gap_aandeel){rol, strtod(PQgetvalue(res, i, C_AANDEEL), NULL)};
    naandelen++;
    lid->naandelen++;
  }
}

tp_rc tp_repo_ontwikkeling_profielen(struct tp_db *db, const struct tp_ontwikkeling_query *q,
                                     struct tp_ontwikkeling_profielen *out) {
  memset(out, 0, sizeof(*out));
  char limit[24];
  snprintf(limit, sizeof(limit), "%ld", q->limit);
  const char *params[] = {q->gemeente, q->vanaf, q->tot, q->alleen_referentie ? "true" : "false",
                          limit};
  tp_rc rc = TP_OK;
  PGresult *res = tp_db_exec(db, PROFIELEN, 5, params, &rc);
  if (res == NULL) return rc;
  size_t n = (size_t)PQntuples(res) + 1;
  out->rows = calloc(1, sizeof(*out->rows));
  out->punten = calloc(n, sizeof(*out->punten));
  if (out->rows != NULL) {
    out->rows->res = res;
    out->rows->leden = calloc(n, sizeof(*out->rows->leden));
    out->rows->aandelen = calloc(n, sizeof(*out->rows->aandelen));
  }
  if (out->rows == NULL || out->punten == NULL || out->rows->leden == NULL ||
      out->rows->aandelen == NULL) {
    if (out->rows == NULL) PQclear(res);
    tp_repo_ontwikkeling_free(out);
    return TP_ERR_NOMEM;
  }
  group(out);
  return TP_OK;
}

void tp_repo_ontwikkeling_free(struct tp_ontwikkeling_profielen *p) {
  if (p->rows != NULL) {
    PQclear(p->rows->res);
    free(p->rows->leden);
    free(p->rows->aandelen);
    free(p->rows);
  }
  free(p->punten);
  memset(p, 0, sizeof(*p));
}
