#ifndef TEAMPLOTTER_SNAPSHOT_LISTENER_H
#define TEAMPLOTTER_SNAPSHOT_LISTENER_H

#include "teamplotter/status.h"

/* The thread that keeps a snapshot store current: it LISTENs for the
 * database's notification of a new snapshot version, checks the version
 * every half second when none comes, reloads the store when it changed and
 * confirms the store as fresh each time it finds it current. */
struct tp_snapshot_listener;
struct tp_snapshots;

/* Starts the listener of `store` on a connection of its own to `conninfo`. */
tp_rc tp_snapshot_listener_start(struct tp_snapshot_listener **out, struct tp_snapshots *store,
                                 const char *conninfo);

/* Stops the thread (its statements have deadlines, so it stops within
 * about two seconds) and frees the listener. NULL is ignored. */
void tp_snapshot_listener_stop(struct tp_snapshot_listener *l);

#endif
