#ifndef TEAMPLOTTER_CLIENTS_REPO_H
#define TEAMPLOTTER_CLIENTS_REPO_H

/* API clients and their secrets (clients_repo.c). */

#include <jansson.h>

#include "teamplotter/repo.h"

/* A client as {"id","secret","scopes":[],"gemeenten":[],"alleGemeenten",
 * "ingetrokken"}; TP_ERR_NOT_FOUND when unknown. Holds the secret: never
 * render it. */
tp_rc tp_repo_client(struct tp_db *db, const char *id, json_t **out);
/* tp_repo_client on a connection of `pool`, taken and given back. */
tp_rc tp_repo_client_pooled(struct tp_pool *pool, const char *id, json_t **out);

/* Adds a client; TP_ERR_CONFLICT when the id exists, TP_ERR_PARAM when a
 * municipality code does not exist. `scopes` and `gemeenten` are arrays. */
tp_rc tp_repo_client_add(struct tp_db *db, const char *id, const char *secret,
                         const json_t *scopes, const json_t *gemeenten, int alle_gemeenten);

/* Every client without secrets, ordered by id. */
tp_rc tp_repo_clients_list(struct tp_db *db, json_t **out);

/* Marks a client revoked; TP_ERR_NOT_FOUND when unknown. */
tp_rc tp_repo_client_revoke(struct tp_db *db, const char *id);

#endif
