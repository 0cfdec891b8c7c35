#ifndef TEAMPLOTTER_LOG_H
#define TEAMPLOTTER_LOG_H

#include <yder.h>

#include "teamplotter/config.h"

/* Logging goes through yder, the logger Ulfius itself uses, so the
 * framework's own messages land in the same stream. One line per event. */
#define tp_log_error(...) y_log_message(Y_LOG_LEVEL_ERROR, __VA_ARGS__)
#define tp_log_warning(...) y_log_message(Y_LOG_LEVEL_WARNING, __VA_ARGS__)
#define tp_log_info(...) y_log_message(Y_LOG_LEVEL_INFO, __VA_ARGS__)
#define tp_log_debug(...) y_log_message(Y_LOG_LEVEL_DEBUG, __VA_ARGS__)

/* Starts console logging at `level`. Call once, before any thread starts. */
void tp_log_open(enum tp_log_level level);
void tp_log_close(void);

#endif
