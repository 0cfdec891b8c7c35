#ifndef TEAMPLOTTER_MIGRATE_H
#define TEAMPLOTTER_MIGRATE_H

#include "teamplotter/status.h"

/* Applies the embedded migrations (sql/migrations/NNNN_name.sql) that the
 * database has not seen yet, in order, each in its own transaction, and
 * records them in schema_migrations with a checksum. A PostgreSQL advisory
 * lock makes concurrent runs wait for each other, so running it twice or
 * from two processes at once applies each migration once. A migration
 * whose file changed after it was applied is an error. `applied` receives
 * the number applied by this call. */
tp_rc tp_migrate(const char *conninfo, int *applied);

#endif
