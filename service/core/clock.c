#include "teamplotter/clock.h"

long long tp_now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct timespec tp_timespec_of_ms(long long ms) {
  return (struct timespec){(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
}

void tp_cond_init_monotonic(pthread_cond_t *cond) {
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(cond, &attr);
  pthread_condattr_destroy(&attr);
}

void tp_today_utc(char out[16]) {
  time_t now = time(NULL);
  struct tm utc;
  if (gmtime_r(&now, &utc) == NULL || strftime(out, 16, "%Y-%m-%d", &utc) == 0) out[0] = '\0';
}
