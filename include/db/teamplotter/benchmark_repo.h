#ifndef TEAMPLOTTER_BENCHMARK_REPO_H
#define TEAMPLOTTER_BENCHMARK_REPO_H

#include <jansson.h>

#include "teamplotter/benchmark_rows.h"
#include "teamplotter/status.h"

/* The benchmark rows as the API serves them: the newest profiles read as
 * typed rows, computed (benchmark_rows.h) and, for all municipalities at
 * once, kept with the snapshot until a profile changes. */
struct tp_db;
struct tp_pool;
struct tp_snapshot;
struct tp_snapshots;

/* The newest profile of each municipality that has one (by peildatum, then
 * by when it was stored), in code order, into *out (freed by the caller
 * also on failure): with `gemeente` given, only the municipalities in its
 * size class; with `peildatum` (YYYY-MM-DD) given, the newest with a
 * peildatum on or before it. Each has its roles in the order read, with
 * their fte: not yet analysed. */
tp_rc tp_repo_latest_teamprofielen(struct tp_db *db, const char *gemeente, const char *peildatum,
                                   struct tp_bm_teamprofielen *out);

/* Reads a profile's totals as the database writes them, "<total fte>
 * <rol> <fte> <rol> <fte> ..." (roles by code, each once; each real in its
 * shortest exact form), into p->totaal, p->rollen (interned in `ps`),
 * p->fte and p->nrollen. 0, or -1 when the text is not of that form or
 * memory ran out. */
int tp_repo_read_totalen(struct tp_bm_teamprofielen *ps, struct tp_bm_teamprofiel *p, const char *text);

/* A version of the team profiles as a JSON string: another value after any
 * profile was added, changed or removed. A tp_item_fn; the key is unused. */
tp_rc tp_repo_teamprofielen_version(struct tp_db *db, const char *unused, json_t **out);

/* The rows of all municipalities from the newest profiles (on or before
 * `peildatum` when not NULL) and `snap`'s catalogue and reference set:
 * computed once per snapshot, profiles version and as-of date on a thread
 * of their own, and kept with the snapshot (the latest asked for), so
 * that every later call for the same date costs a version query. *out is
 * held (tp_bm_rows_drop) on TP_OK; TP_ERR_BUSY when they are still being
 * computed after `wait_ms`. */
tp_rc tp_repo_benchmark_rows(struct tp_pool *pool, struct tp_snapshots *store,
                             struct tp_snapshot *snap, const char *peildatum, long wait_ms,
                             struct tp_bm_rows **out);

/* The row of `gemeente` as a document (*row a new reference; NULL when it
 * has no profile, on or before `peildatum` when not NULL): from the kept
 * rows when they are current for that date and `excluded` is NULL, else
 * computed from its size class alone (as of the same date) without the
 * peers `excluded` names; with the snapshot's "referentieVersie" last. */
tp_rc tp_repo_benchmark_row(struct tp_pool *pool, struct tp_snapshot *snap, const char *gemeente,
                            const char *peildatum, tp_bm_excluded_fn excluded, void *arg,
                            json_t **row);

#endif
