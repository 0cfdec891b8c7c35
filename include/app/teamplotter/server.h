#ifndef TEAMPLOTTER_SERVER_H
#define TEAMPLOTTER_SERVER_H

#include "teamplotter/config.h"

/* Serves HTTP until SIGTERM or SIGINT, then stops accepting, lets the
 * requests in flight finish, closes the pool and returns 0. Returns
 * non-zero when the server cannot start. Call from the main thread before
 * any other thread exists. */
int tp_serve(const struct tp_config *cfg);

#endif
