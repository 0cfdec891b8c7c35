#ifndef TEAMPLOTTER_CATALOGUS_REPO_H
#define TEAMPLOTTER_CATALOGUS_REPO_H

#include <stddef.h>

#include "teamplotter/pool.h"

/* The current catalogue version ("2026.1") into `out`. */
tp_rc tp_repo_catalogus_versie(struct tp_db *db, char *out, size_t outlen);

#endif
