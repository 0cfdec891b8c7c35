/* Housekeeping of the audit trail: the retention period, for the server to
 * run now and then; `teamplotter audit purge` does the same at once. */
#include "teamplotter/audit.h"

#include "teamplotter/log.h"
#include "teamplotter/teamprofielen_repo.h"


tp_rc tp_audit_housekeeping(struct tp_pool *pool, unsigned days) {
  if (days == 0) return TP_OK;
  struct tp_db *db = NULL;
  unsigned long purged = 0;
  tp_rc rc = tp_pool_acquire(pool, &db);
  if (rc == TP_OK) rc = tp_repo_audittrail_purge(db, days, TP_AUDIT_HOUSEKEEPING_MAX_ROWS, &purged);
  tp_pool_release(pool, db);
  if (purged > 0) tp_log_info("audit: %lu audit rows older than %u days purged", purged, days);
  if (rc != TP_OK) tp_log_warning("audit: purging audit rows failed: %s", tp_rc_name(rc));
  return rc;
}
