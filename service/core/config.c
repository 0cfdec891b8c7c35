#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "teamplotter/config.h"

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <orcania.h>

#include "teamplotter/log.h"

/* Each numeric variable: name, bounds and where it goes. */
struct num_spec {
  const char *name;
  unsigned long long min, max, def;
};

static const struct num_spec SPEC_PORT = {"TEAMPLOTTER_PORT", 1, 65535, TP_DEFAULT_PORT};
static const struct num_spec SPEC_ADMIN_PORT = {"TEAMPLOTTER_ADMIN_PORT", 1, 65535,
                                                TP_DEFAULT_ADMIN_PORT};
/* Below 16 a handful of keep-alive clients would lock everyone out. */
static const struct num_spec SPEC_MAX_CONN = {"TEAMPLOTTER_MAX_CONNECTIONS", 16, 1000000,
                                              TP_DEFAULT_MAX_CONNECTIONS};
static const struct num_spec SPEC_MAX_CONN_IP = {"TEAMPLOTTER_MAX_CONNECTIONS_PER_IP", 1, 1000000,
                                                 TP_DEFAULT_MAX_CONNECTIONS_PER_IP};
/* Its default is the number of CPUs: see tp_config_default_threads. */
static const struct num_spec SPEC_THREADS = {"TEAMPLOTTER_THREADS", 1, 256, 0};
static const struct num_spec SPEC_POOL = {"TEAMPLOTTER_DB_POOL_SIZE", 1, 256,
                                          TP_DEFAULT_DB_POOL_SIZE};
static const struct num_spec SPEC_BODY = {"TEAMPLOTTER_MAX_BODY_BYTES", 1024,
                                          64ULL * 1024 * 1024, TP_DEFAULT_MAX_BODY_BYTES};
static const struct num_spec SPEC_JWT = {"TEAMPLOTTER_JWT_MAX_AGE", 1, 7 * 24 * 3600,
                                         TP_DEFAULT_JWT_MAX_AGE};
static const struct num_spec SPEC_AUDIT = {"TEAMPLOTTER_AUDIT_RETENTION_DAYS", 0, 36500,
                                           TP_DEFAULT_AUDIT_RETENTION_DAYS};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* One worker per core: more workers than cores only queue requests behind
 * each other's time slices (docs/performance.md, "Worker threads"). The
 * CPUs this process may run on (a cpuset of a container, say), not all;
 * no more than the pool has connections, so that no worker waits for one. */
unsigned tp_config_default_threads(unsigned db_pool_size) {
  cpu_set_t set;
  long n = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set)
                                                       : sysconf(_SC_NPROCESSORS_ONLN);
  if (n > (long)db_pool_size) n = (long)db_pool_size;
  if (n < 2) n = 2;
  if (n > 256) n = 256;
  return (unsigned)n;
}

/* Parses a decimal unsigned number strictly: digits only, within bounds. */
static tp_rc parse_num(const struct num_spec *spec, tp_getenv_fn getenv_fn,
                       unsigned long long *out, char *err, size_t errlen) {
  const char *raw = getenv_fn(spec->name);
  if (raw == NULL || raw[0] == '\0') {
    *out = spec->def;
    return TP_OK;
  }
  for (const char *p = raw; *p; p++) {
    if (*p < '0' || *p > '9') {
      set_err(err, errlen, "%s must be a whole number from %llu to %llu, got \"%s\"",
              spec->name, spec->min, spec->max, raw);
      return TP_ERR_PARAM;
    }
  }
  errno = 0;
  char *end = NULL;
  unsigned long long v = strtoull(raw, &end, 10);
  if (errno != 0 || end == raw || *end != '\0' || v < spec->min || v > spec->max) {
    set_err(err, errlen, "%s must be a whole number from %llu to %llu, got \"%s\"",
            spec->name, spec->min, spec->max, raw);
    return TP_ERR_PARAM;
  }
  *out = v;
  return TP_OK;
}

static tp_rc parse_log_level(tp_getenv_fn getenv_fn, enum tp_log_level *out, char *err,
                             size_t errlen) {
  static const struct {
    const char *name;
    enum tp_log_level level;
  } levels[] = {{"error", TP_LOG_ERROR},
                {"warning", TP_LOG_WARNING},
                {"info", TP_LOG_INFO},
                {"debug", TP_LOG_DEBUG}};
  const char *raw = getenv_fn("TEAMPLOTTER_LOG_LEVEL");
  if (raw == NULL || raw[0] == '\0') {
    *out = TP_LOG_INFO;
    return TP_OK;
  }
  for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
    if (strcasecmp(raw, levels[i].name) == 0) {
      *out = levels[i].level;
      return TP_OK;
    }
  }
  set_err(err, errlen, "TEAMPLOTTER_LOG_LEVEL must be one of error, warning, info, debug, got \"%s\"",
          raw);
  return TP_ERR_PARAM;
}

/* An origin is scheme://host[:port] with no path, as browsers send it. */
static int origin_is_valid(const char *o, size_t len) {
  const char *rest;
  if (len > 7 && strncmp(o, "http://", 7) == 0) {
    rest = o + 7;
  } else if (len > 8 && strncmp(o, "https://", 8) == 0) {
    rest = o + 8;
  } else {
    return 0;
  }
  if (rest >= o + len) return 0;
  for (const char *p = rest; p < o + len; p++) {
    char c = *p;
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '-' || c == '.' || c == ':' || c == '[' || c == ']';
    if (!ok) return 0;
  }
  return 1;
}

static tp_rc parse_cors(struct tp_config *cfg, tp_getenv_fn getenv_fn, char *err,
                        size_t errlen) {
  const char *raw = getenv_fn("TEAMPLOTTER_CORS_ORIGINS");
  if (raw == NULL) return TP_OK;
  const char *p = raw;
  while (*p) {
    while (*p == ' ' || *p == ',') p++;
    if (!*p) break;
    const char *start = p;
    while (*p && *p != ',' && *p != ' ') p++;
    size_t len = (size_t)(p - start);
    if (len == 1 && start[0] == '*') {
      cfg->cors_any = 1;
      continue;
    }
    if (!origin_is_valid(start, len)) {
      set_err(err, errlen,
              "TEAMPLOTTER_CORS_ORIGINS must be a comma-separated list of origins such as "
              "https://dashboard.example.nl (or *), got \"%.*s\"",
              (int)len, start);
      return TP_ERR_PARAM;
    }
    if (cfg->cors_origin_count == TP_MAX_CORS_ORIGINS) {
      set_err(err, errlen, "TEAMPLOTTER_CORS_ORIGINS lists more than %d origins",
              TP_MAX_CORS_ORIGINS);
      return TP_ERR_PARAM;
    }
    char *copy = o_strndup(start, len);
    if (copy == NULL) return TP_ERR_NOMEM;
    cfg->cors_origins[cfg->cors_origin_count++] = copy;
  }
  return TP_OK;
}

tp_rc tp_config_load(struct tp_config *cfg, tp_getenv_fn getenv_fn, int need_database,
                     char *err, size_t errlen) {
  unsigned long long v;
  tp_rc rc;
  memset(cfg, 0, sizeof(*cfg));
  err[0] = '\0';

  const char *url = getenv_fn("TEAMPLOTTER_DATABASE_URL");
  if ((url == NULL || url[0] == '\0') && need_database) {
    set_err(err, errlen, "TEAMPLOTTER_DATABASE_URL must be set (a libpq connection string or URI)");
    return TP_ERR_PARAM;
  }
  if (url != NULL && url[0] != '\0') {
    cfg->database_url = o_strdup(url);
    if (cfg->database_url == NULL) return TP_ERR_NOMEM;
  }

  if ((rc = parse_num(&SPEC_PORT, getenv_fn, &v, err, errlen)) != TP_OK) goto fail;
  cfg->port = (unsigned)v;
  if ((rc = parse_num(&SPEC_ADMIN_PORT, getenv_fn, &v, err, errlen)) != TP_OK) goto fail;
  cfg->admin_port = (unsigned)v;
  if (cfg->admin_port == cfg->port) {
    set_err(err, errlen, "TEAMPLOTTER_ADMIN_PORT must differ from TEAMPLOTTER_PORT (both %u)",
            cfg->port);
    rc = TP_ERR_PARAM;
    goto fail;
  }
  if ((rc = parse_num(&SPEC_MAX_CONN, getenv_fn, &v, err, errlen)) != TP_OK) goto fail;
  cfg->max_connections = (unsigned)v;
  if ((rc = parse_num(&SPEC_MAX_CONN_IP, getenv_fn, &v, err, errlen)) != TP_OK) goto fail;
  cfg->max_connections_per_ip = (unsigned)v;
  if ((rc = parse_num(&SPEC_POOL, getenv_fn, &v, err, errlen)) != TP_OK) goto fail;
  cfg->db_pool_size = (unsigned)v;
  struct num_spec threads = SPEC_THREADS;
  threads.def = tp_config_default_threads(cfg->db_pool_size);
  if ((rc = parse_num(&threads, getenv_fn, &v, err, errlen)) != TP_OK) goto fail;
  cfg->threads = (unsigned)v;
  if ((rc = parse_num(&SPEC_BODY, getenv_fn, &v, err, errlen)) != TP_OK) goto fail;
  cfg->max_body_bytes = (size_t)v;
  if ((rc = parse_num(&SPEC_JWT, getenv_fn, &v, err, errlen)) != TP_OK) goto fail;
  cfg->jwt_max_age = (unsigned)v;
  if ((rc = parse_num(&SPEC_AUDIT, getenv_fn, &v, err, errlen)) != TP_OK) goto fail;
  cfg->audit_retention_days = (unsigned)v;
  if ((rc = parse_log_level(getenv_fn, &cfg->log_level, err, errlen)) != TP_OK) goto fail;
  if ((rc = parse_cors(cfg, getenv_fn, err, errlen)) != TP_OK) goto fail;
  return TP_OK;

fail:
  tp_config_free(cfg);
  return rc;
}

void tp_config_free(struct tp_config *cfg) {
  o_free(cfg->database_url);
  for (size_t i = 0; i < cfg->cors_origin_count; i++) o_free(cfg->cors_origins[i]);
  memset(cfg, 0, sizeof(*cfg));
}

void tp_config_mask_url(const char *url, char *out, size_t outlen) {
  if (url == NULL) {
    snprintf(out, outlen, "(not set)");
    return;
  }
  /* URI form: scheme://user:password@host/... */
  const char *scheme = strstr(url, "://");
  if (scheme != NULL) {
    const char *userinfo = scheme + 3;
    const char *at = strchr(userinfo, '@');
    const char *colon = strchr(userinfo, ':');
    const char *slash = strchr(userinfo, '/');
    if (at != NULL && colon != NULL && colon < at && (slash == NULL || at < slash)) {
      snprintf(out, outlen, "%.*s****%s", (int)(colon + 1 - url), url, at);
      return;
    }
  }
  /* key=value form: mask the value of password=... */
  const char *pw = strstr(url, "password=");
  if (pw != NULL) {
    const char *end = pw + 9;
    if (*end == '\'') {
      end++;
      while (*end && *end != '\'') end += (*end == '\\' && end[1]) ? 2 : 1;
      if (*end) end++;
    } else {
      while (*end && *end != ' ') end++;
    }
    snprintf(out, outlen, "%.*spassword=****%s", (int)(pw - url), url, end);
    return;
  }
  snprintf(out, outlen, "%s", url);
}

void tp_config_log(const struct tp_config *cfg) {
  static const char *level_names[] = {"error", "warning", "info", "debug"};
  char masked[512];
  char origins[1024] = "";
  size_t used = 0;
  tp_config_mask_url(cfg->database_url, masked, sizeof(masked));
  if (cfg->cors_any) used += (size_t)snprintf(origins, sizeof(origins), "*");
  for (size_t i = 0; i < cfg->cors_origin_count && used < sizeof(origins); i++) {
    used += (size_t)snprintf(origins + used, sizeof(origins) - used, "%s%s",
                             used ? "," : "", cfg->cors_origins[i]);
  }
  tp_log_info("config: TEAMPLOTTER_DATABASE_URL=%s TEAMPLOTTER_PORT=%u TEAMPLOTTER_ADMIN_PORT=%u "
              "TEAMPLOTTER_THREADS=%u TEAMPLOTTER_DB_POOL_SIZE=%u TEAMPLOTTER_MAX_BODY_BYTES=%zu "
              "TEAMPLOTTER_MAX_CONNECTIONS=%u TEAMPLOTTER_MAX_CONNECTIONS_PER_IP=%u "
              "TEAMPLOTTER_CORS_ORIGINS=%s TEAMPLOTTER_LOG_LEVEL=%s TEAMPLOTTER_JWT_MAX_AGE=%u "
              "TEAMPLOTTER_AUDIT_RETENTION_DAYS=%u",
              masked, cfg->port, cfg->admin_port, cfg->threads, cfg->db_pool_size,
              cfg->max_body_bytes, cfg->max_connections, cfg->max_connections_per_ip,
              origins[0] ? origins : "(none)", level_names[cfg->log_level], cfg->jwt_max_age,
              cfg->audit_retention_days);
}
