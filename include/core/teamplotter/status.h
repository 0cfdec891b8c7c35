#ifndef TEAMPLOTTER_STATUS_H
#define TEAMPLOTTER_STATUS_H

/* One result code for every layer: 0 is success, results come back through
 * out-parameters. Only the HTTP layer turns these into status codes. */
typedef enum {
  TP_OK = 0,
  TP_ERR_PARAM,       /* the caller passed something invalid */
  TP_ERR_NOT_FOUND,   /* the thing asked for does not exist */
  TP_ERR_CONFLICT,    /* a unique, foreign-key or exclusion constraint refused the change */
  TP_ERR_PRECONDITION, /* the resource changed since the caller's ETag */
  TP_ERR_DB,          /* the database answered with an unexpected error */
  TP_ERR_UNAVAILABLE, /* no database connection could be had in time */
  TP_ERR_NOMEM,       /* an allocation failed */
  TP_ERR_IO,          /* a file or socket operation failed */
  TP_ERR_BUSY,        /* a shared computation is still running: ask again shortly */
  TP_ERR_OUTCOME_UNKNOWN, /* COMMIT was sent but its answer was lost: the write may or
                             may not have been stored */
  TP_ERR_INVALID,      /* the database refused the data by a rule (CHECK, NOT NULL) */
  TP_ERR_CONCURRENT    /* the transaction lost to a concurrent one (serialization
                          failure, deadlock) and was rolled back: nothing stored */
} tp_rc;

/* A short English name for logs, never shown to clients. */
const char *tp_rc_name(tp_rc rc);

#endif
