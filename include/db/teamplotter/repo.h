#ifndef TEAMPLOTTER_REPO_H
#define TEAMPLOTTER_REPO_H

/* What the repos (service/db/NAME_repo.c, one header each) have in common.
 * Each resource has a page query and a single-item query, both answering
 * with the JSON document the API returns (built by the api_* views of
 * sql/migrations). All SQL takes parameters. */

#include <jansson.h>

#include "teamplotter/pool.h"

/* A page query: fills *page (new reference) with
 * {count, results: [...], onbekend: [names of filters whose value does not
 * exist]}. `filter` is the resource's filter struct below. */
typedef tp_rc (*tp_page_fn)(struct tp_db *db, const void *filter, long limit, long offset,
                            json_t **page);

/* Takes one row of a streamed read: `values` holds its `n` columns as text
 * (NULL for SQL NULL), valid during the call only. Non-zero (out of memory)
 * stops the rows. */
#define TP_ROW_MAX_COLUMNS 16
typedef int (*tp_row_fn)(void *arg, int n, const char *const *values);

/* Who makes a change, for the audit trail of a profile or the catalogue. */
struct tp_change {
  const char *client_id;
  const char *toelichting; /* X-Audit-Toelichting, may be NULL */
};

/* A single-item query by key: TP_ERR_NOT_FOUND when absent. */
typedef tp_rc (*tp_item_fn)(struct tp_db *db, const char *key, json_t **doc);

#endif
