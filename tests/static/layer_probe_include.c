/* A breach for tests/static/layers.sh: core including a header of db.
 * Compiled with core's include directories, it must not build. */
#include "teamplotter/pool.h"

int tp_layer_probe_include(void);
int tp_layer_probe_include(void) { return 0; }
