#include "teamplotter/log.h"

void tp_log_open(enum tp_log_level level) {
  static const unsigned long yder_levels[] = {
      [TP_LOG_ERROR] = Y_LOG_LEVEL_ERROR,
      [TP_LOG_WARNING] = Y_LOG_LEVEL_WARNING,
      [TP_LOG_INFO] = Y_LOG_LEVEL_INFO,
      [TP_LOG_DEBUG] = Y_LOG_LEVEL_DEBUG,
  };
  y_init_logs("teamplotter", Y_LOG_MODE_CONSOLE, yder_levels[level], NULL, NULL);
}

void tp_log_close(void) { y_close_logs(); }
