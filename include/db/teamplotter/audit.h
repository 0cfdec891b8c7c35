#ifndef TEAMPLOTTER_AUDIT_H
#define TEAMPLOTTER_AUDIT_H

#include "teamplotter/pool.h"
#include "teamplotter/status.h"

/* Audit rows one tp_audit_housekeeping call deletes at most: a backlog
 * (a shorter retention period just set) goes over several calls, each
 * done within seconds. */
#define TP_AUDIT_HOUSEKEEPING_MAX_ROWS 100000UL

/* The retention period of the audit trail, for the server to run
 * periodically (docs/operations.md, "Audit trail and personal data").
 * Deletes the audit rows older than `days` days (TEAMPLOTTER_AUDIT_RETENTION_DAYS),
 * oldest first, at most TP_AUDIT_HOUSEKEEPING_MAX_ROWS, in statements of at
 * most TP_AUDIT_PURGE_BATCH rows that each commit on their own. Takes one
 * pooled connection (waiting as any request does) and gives it back before
 * it returns. `days` 0 keeps everything: TP_OK at once, no connection.
 * Logs what it purged (INFO, nothing when nothing) or why it failed
 * (WARNING). Blocks; thread-safe; replicas may run it at the same time.
 * TP_OK, or the pool's or database's error (TP_ERR_UNAVAILABLE when no
 * connection could be had). */
tp_rc tp_audit_housekeeping(struct tp_pool *pool, unsigned days);

#endif
