#ifndef TEAMPLOTTER_ONTWIKKELING_REPO_H
#define TEAMPLOTTER_ONTWIKKELING_REPO_H

/* What the development of a municipality reads (ontwikkeling_repo.c). */

#include <stddef.h>

#include "teamplotter/ontwikkeling.h"
#include "teamplotter/repo.h"

struct tp_ontwikkeling_query {
  const char *gemeente;     /* the municipality's code */
  const char *vanaf, *tot;  /* peildatum bounds (YYYY-MM-DD, inclusive), NULL: open */
  int alleen_referentie;    /* only its reference profiles (the public ones) */
  long limit;               /* the most profiles to read: the newest */
};

/* The profiles read, each with its team as the analysis reads it: only
 * the members' fte and role shares, straight from the member tables
 * (no documents). The strings and arrays belong to `rows`. */
struct tp_ontwikkeling_rows;
struct tp_ontwikkeling_profielen {
  struct tp_ontwikkeling_punt *punten;
  size_t n;
  struct tp_ontwikkeling_rows *rows;
};

/* The municipality's team profiles, oldest first: by peildatum, then when
 * stored, then uuid. Of more than q->limit, the newest q->limit. Members
 * in their order, shares in theirs, as GET /teamprofielen/{uuid} lists
 * them; numbers read from the same text. One statement. Free *out with
 * tp_repo_ontwikkeling_free (also after a failure). */
tp_rc tp_repo_ontwikkeling_profielen(struct tp_db *db, const struct tp_ontwikkeling_query *q,
                                     struct tp_ontwikkeling_profielen *out);
void tp_repo_ontwikkeling_free(struct tp_ontwikkeling_profielen *p);

#endif
