#ifndef TEAMPLOTTER_PG_ERRORS_H
#define TEAMPLOTTER_PG_ERRORS_H

#include "teamplotter/status.h"

/* What a PostgreSQL error means for the caller, by its SQLSTATE (the
 * five-character code of PostgreSQL's errcodes.txt; its first two
 * characters are the class). The one place that reads SQLSTATEs:
 *
 *   23502, 23514 (not null, check)          TP_ERR_INVALID      the data broke a rule
 *   other 23xxx (unique, foreign key, ...)  TP_ERR_CONFLICT     it clashes with stored data
 *   40001, 40P01 (serialization, deadlock)  TP_ERR_CONCURRENT   lost to a concurrent
 *                                                               transaction: run it again
 *   08xxx, 53xxx, 57P0x (connection, resources, shutdown)
 *                                           TP_ERR_UNAVAILABLE  PostgreSQL cannot serve now
 *   anything else, or NULL                  TP_ERR_DB           unexpected */
tp_rc tp_pg_error_rc(const char *sqlstate);

#endif
