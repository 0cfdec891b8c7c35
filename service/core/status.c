#include "teamplotter/status.h"

const char *tp_rc_name(tp_rc rc) {
  switch (rc) {
  case TP_OK: return "ok";
  case TP_ERR_PARAM: return "invalid parameter";
  case TP_ERR_NOT_FOUND: return "not found";
  case TP_ERR_CONFLICT: return "conflict";
  case TP_ERR_PRECONDITION: return "precondition failed";
  case TP_ERR_DB: return "database error";
  case TP_ERR_UNAVAILABLE: return "database unavailable";
  case TP_ERR_NOMEM: return "out of memory";
  case TP_ERR_IO: return "i/o error";
  case TP_ERR_BUSY: return "still computing";
  case TP_ERR_OUTCOME_UNKNOWN: return "commit outcome unknown";
  case TP_ERR_INVALID: return "refused by a database rule";
  case TP_ERR_CONCURRENT: return "lost to a concurrent transaction";
  }
  return "unknown";
}
