/* The profiles of one municipality, for its development. */
#include <stdio.h>

#include "teamplotter/ontwikkeling_repo.h"

#include "pg.h"

/* The newest $5, then put oldest first; the documents are built for those
 * rows only. */
static const char PROFIELEN[] =
    "SELECT coalesce(json_agg(d.doc ORDER BY x.peildatum, x.aangemaakt, x.uuid), '[]'::json)::text"
    " FROM (SELECT p.uuid, p.peildatum, p.aangemaakt FROM teamprofielen p"
    "        WHERE p.gemeente = $1"
    "          AND ($2::date IS NULL OR p.peildatum >= $2::date)"
    "          AND ($3::date IS NULL OR p.peildatum <= $3::date)"
    "          AND (p.referentie OR NOT $4::boolean)"
    "        ORDER BY p.peildatum DESC, p.aangemaakt DESC, p.uuid DESC LIMIT $5::integer) x"
    " JOIN api_teamprofielen d ON d.uuid = x.uuid";

tp_rc tp_repo_ontwikkeling_profielen(struct tp_db *db, const struct tp_ontwikkeling_query *q,
                                     json_t **out) {
  char limit[24];
  snprintf(limit, sizeof(limit), "%ld", q->limit);
  const char *params[] = {q->gemeente, q->vanaf, q->tot, q->alleen_referentie ? "true" : "false",
                          limit};
  return tp_db_json(db, PROFIELEN, 5, params, out);
}
