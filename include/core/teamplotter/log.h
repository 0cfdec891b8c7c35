#ifndef TEAMPLOTTER_LOG_H
#define TEAMPLOTTER_LOG_H

#include <stdarg.h>
#include <stddef.h>

#include <yder.h>

#include "teamplotter/config.h"

/* Logging goes through yder, the logger Ulfius itself uses, so the
 * framework's own messages land in the same stream. One line per event;
 * a line logged while a request is served starts with "request=<id> ". */
#define tp_log_error(...) tp_log(Y_LOG_LEVEL_ERROR, __VA_ARGS__)
#define tp_log_warning(...) tp_log(Y_LOG_LEVEL_WARNING, __VA_ARGS__)
#define tp_log_info(...) tp_log(Y_LOG_LEVEL_INFO, __VA_ARGS__)
#define tp_log_debug(...) tp_log(Y_LOG_LEVEL_DEBUG, __VA_ARGS__)

/* Starts console logging at `level`. Call once, before any thread starts. */
void tp_log_open(enum tp_log_level level);
void tp_log_close(void);

/* Logs one line at yder `level`, after the current request's id. */
void tp_log(unsigned long level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The request this thread serves from now on (its id is copied), or NULL
 * when it serves none: the dispatcher sets it when a request starts and
 * clears it when it ends, so that the layers below need not know. */
void tp_log_set_request(const char *id);

/* Writes the line tp_log would log into `out` (cut to `len` bytes, always
 * terminated); returns the length of the whole line. For tests. */
size_t tp_log_line(char *out, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
