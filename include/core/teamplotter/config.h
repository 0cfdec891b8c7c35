#ifndef TEAMPLOTTER_CONFIG_H
#define TEAMPLOTTER_CONFIG_H

#include <stddef.h>

#include "teamplotter/status.h"

#define TP_DEFAULT_PORT 8080
#define TP_DEFAULT_ADMIN_PORT 9090
#define TP_DEFAULT_MAX_CONNECTIONS 4096
#define TP_DEFAULT_MAX_CONNECTIONS_PER_IP 64
#define TP_DEFAULT_DB_POOL_SIZE 8
#define TP_DEFAULT_MAX_BODY_BYTES (1024 * 1024)
#define TP_DEFAULT_JWT_MAX_AGE 3600
/* Two years: see docs/operations.md, "Audit trail and personal data". */
#define TP_DEFAULT_AUDIT_RETENTION_DAYS 730
#define TP_MAX_CORS_ORIGINS 32

enum tp_log_level { TP_LOG_ERROR, TP_LOG_WARNING, TP_LOG_INFO, TP_LOG_DEBUG };

/* The effective configuration, read once at start and then read-only. */
struct tp_config {
  char *database_url;      /* libpq conninfo or URI; contains secrets */
  unsigned port;
  unsigned admin_port;     /* /livez, /readyz and /metrics on a listener of their own */
  unsigned max_connections;        /* open HTTP connections on the public port */
  unsigned max_connections_per_ip; /* of them from one client address */
  unsigned threads;        /* HTTP worker threads (default: tp_config_default_threads) */
  unsigned db_pool_size;   /* PostgreSQL connections */
  size_t max_body_bytes;   /* larger request bodies get 413 */
  char *cors_origins[TP_MAX_CORS_ORIGINS];
  size_t cors_origin_count;
  int cors_any;            /* TEAMPLOTTER_CORS_ORIGINS is "*" */
  enum tp_log_level log_level;
  unsigned jwt_max_age;    /* seconds a token may live */
  unsigned audit_retention_days; /* audit rows older than this are purged; 0 keeps them */
};

/* Looks up one environment variable; NULL when unset. Tests pass their own. */
typedef const char *(*tp_getenv_fn)(const char *name);

/* Fills `cfg` from the environment. On a missing or invalid value returns
 * TP_ERR_PARAM with a message naming the variable in `err`; `cfg` then holds
 * nothing to free. With `need_database` 0 the database URL may be absent.
 * On TP_OK the caller frees with tp_config_free. */
tp_rc tp_config_load(struct tp_config *cfg, tp_getenv_fn getenv_fn, int need_database,
                     char *err, size_t errlen);

/* Releases what tp_config_load allocated. Safe on a zeroed struct. */
void tp_config_free(struct tp_config *cfg);

/* Writes the effective configuration to the log, the database password
 * masked. */
void tp_config_log(const struct tp_config *cfg);

/* Copies `url` into `out` with any password replaced by "****". */
void tp_config_mask_url(const char *url, char *out, size_t outlen);

/* HTTP worker threads when TEAMPLOTTER_THREADS is not set: one per CPU this
 * process may run on, at most `db_pool_size` (so that no worker waits for
 * a connection), at least 2 (a request waiting on PostgreSQL holds its
 * worker). */
unsigned tp_config_default_threads(unsigned db_pool_size);

#endif
