#ifndef TEAMPLOTTER_ONTWIKKELING_REPO_H
#define TEAMPLOTTER_ONTWIKKELING_REPO_H

/* What the development of a municipality reads (ontwikkeling_repo.c). */

#include <jansson.h>

#include "teamplotter/repo.h"

struct tp_ontwikkeling_query {
  const char *gemeente;     /* the municipality's code */
  const char *vanaf, *tot;  /* peildatum bounds (YYYY-MM-DD, inclusive), NULL: open */
  int alleen_referentie;    /* only its reference profiles (the public ones) */
  long limit;               /* the most profiles to read: the newest */
};

/* The municipality's team profiles, each as the API returns it
 * (GET /teamprofielen/{uuid}), oldest first: by peildatum, then when
 * stored, then uuid. Of more than q->limit, the newest q->limit. *out: a
 * new JSON array (empty when there are none). One statement. */
tp_rc tp_repo_ontwikkeling_profielen(struct tp_db *db, const struct tp_ontwikkeling_query *q,
                                     json_t **out);

#endif
