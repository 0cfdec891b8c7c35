#ifndef TEAMPLOTTER_CLOCK_H
#define TEAMPLOTTER_CLOCK_H

#include <pthread.h>
#include <time.h>

/* Deadlines and waits on the monotonic clock, which a change of the wall
 * clock never moves: one helper for the pool, the snapshot store and the
 * housekeeping thread. */

/* Milliseconds on the monotonic clock. */
long long tp_now_ms(void);

/* The moment `ms` (a tp_now_ms value) for pthread_cond_timedwait on a
 * condition variable made by tp_cond_init_monotonic. */
struct timespec tp_timespec_of_ms(long long ms);

/* Initialises `cond` to wait on the monotonic clock. */
void tp_cond_init_monotonic(pthread_cond_t *cond);

/* Today's date in UTC as YYYY-MM-DD into `out`; "" when the wall clock
 * cannot be read. */
void tp_today_utc(char out[16]);

#endif
