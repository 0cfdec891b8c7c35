#include "teamplotter/log.h"

#include <stdio.h>
#include <stdlib.h>

/* Longer than a request id (a UUID); a longer id is cut. */
#define REQUEST_ID_MAX 63
/* Most lines fit here; a longer one is formatted on the heap. */
#define LINE_STACK 1024

static _Thread_local char current_request[REQUEST_ID_MAX + 1];

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

void tp_log_set_request(const char *id) {
  snprintf(current_request, sizeof(current_request), "%s", id != NULL ? id : "");
}

static size_t vline(char *out, size_t len, const char *fmt, va_list ap) {
  int prefix = current_request[0] != '\0'
                   ? snprintf(out, len, "request=%s ", current_request)
                   : snprintf(out, len, "%s", "");
  size_t used = prefix < 0 ? 0 : (size_t)prefix;
  int message = vsnprintf(used < len ? out + used : NULL, used < len ? len - used : 0, fmt, ap);
  return used + (message < 0 ? 0 : (size_t)message);
}

size_t tp_log_line(char *out, size_t len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  size_t n = vline(out, len, fmt, ap);
  va_end(ap);
  return n;
}

void tp_log(unsigned long level, const char *fmt, ...) {
  char stack[LINE_STACK];
  va_list ap, again;
  va_start(ap, fmt);
  va_copy(again, ap);
  size_t n = vline(stack, sizeof(stack), fmt, ap);
  char *line = n < sizeof(stack) ? stack : malloc(n + 1);
  if (line != stack && line != NULL) vline(line, n + 1, fmt, again);
  /* Out of memory: the line as far as it fit. */
  y_log_message(level, "%s", line != NULL ? line : stack);
  if (line != stack) free(line);
  va_end(again);
  va_end(ap);
}
