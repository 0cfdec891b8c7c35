/* SQLSTATE -> tp_rc, by code where one code of a class differs, else by
 * class. */
#include "teamplotter/pg_errors.h"

#include <string.h>

static const struct {
  const char *sqlstate;
  tp_rc rc;
} BY_CODE[] = {
    {"23502", TP_ERR_INVALID},     /* not_null_violation */
    {"23514", TP_ERR_INVALID},     /* check_violation */
    {"40001", TP_ERR_CONCURRENT},  /* serialization_failure */
    {"40P01", TP_ERR_CONCURRENT},  /* deadlock_detected */
    {"57P01", TP_ERR_UNAVAILABLE}, /* admin_shutdown */
    {"57P02", TP_ERR_UNAVAILABLE}, /* crash_shutdown */
    {"57P03", TP_ERR_UNAVAILABLE}, /* cannot_connect_now */
    {"57P04", TP_ERR_UNAVAILABLE}, /* database_dropped */
    {"57P05", TP_ERR_UNAVAILABLE}, /* idle_session_timeout */
};

static const struct {
  const char *class;
  tp_rc rc;
} BY_CLASS[] = {
    {"08", TP_ERR_UNAVAILABLE}, /* connection exception */
    {"23", TP_ERR_CONFLICT},    /* integrity constraint violation: unique, foreign key,
                                   exclusion, restrict */
    {"53", TP_ERR_UNAVAILABLE}, /* insufficient resources: disk, memory, connections */
};

tp_rc tp_pg_error_rc(const char *sqlstate) {
  if (sqlstate == NULL || strlen(sqlstate) != 5) return TP_ERR_DB;
  for (size_t i = 0; i < sizeof(BY_CODE) / sizeof(BY_CODE[0]); i++) {
    if (strcmp(sqlstate, BY_CODE[i].sqlstate) == 0) return BY_CODE[i].rc;
  }
  for (size_t i = 0; i < sizeof(BY_CLASS) / sizeof(BY_CLASS[0]); i++) {
    if (strncmp(sqlstate, BY_CLASS[i].class, 2) == 0) return BY_CLASS[i].rc;
  }
  return TP_ERR_DB;
}
