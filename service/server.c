#include "teamplotter/server.h"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <ulfius.h>

#include "teamplotter/app.h"
#include "teamplotter/clients_repo.h"
#include "teamplotter/housekeeping.h"
#include "teamplotter/log.h"
#include "teamplotter/metrics.h"
#include "teamplotter/router.h"
#include "teamplotter/routes.h"
#include "teamplotter/snapshot.h"
#include "teamplotter/spec.h"

/* Seconds an idle or stalled connection may live. Without it each idle
 * keep-alive connection would hold a worker forever. */
#define CONNECTION_TIMEOUT_S 30
/* How long a shutdown waits for requests in flight. */
#define DRAIN_TIMEOUT_S 25
#define UPLOAD_GRACE_S 3
/* Memory libmicrohttpd gives each connection for the request line and
 * headers. Its default (32 KiB) answers a long query string (1 000
 * parameters) with a bare 431 before the API can name what is wrong. */
#define CONNECTION_MEMORY_BYTES (128 * 1024)
/* How long a request waits for a free database connection. */
#define POOL_WAIT_MS 2000
/* The admin listener: a thread per connection, so that a probe never waits
 * behind another; few connections, since only probes and scrapers come. */
#define ADMIN_MAX_CONNECTIONS 32
#define ADMIN_CONNECTION_TIMEOUT_S 10
/* Open files besides the public connections: the database pool and
 * listener, the admin connections, the log, epoll and event descriptors. */
#define FD_RESERVE 128

/* The app whose in-flight count the MHD callbacks below keep. MHD calls them
 * with Ulfius's own closure, so the count cannot travel there. */
static struct tp_app *counted_app;

/* Per connection (its socket context): Ulfius's state of the request on
 * it from the request line until MHD reports it completed. */
struct conn_state {
  void *con_cls;
};

static struct conn_state *state_of(struct MHD_Connection *connection) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return ci ? ci->socket_context : NULL;
}

/* libmicrohttpd 0.9.75 closes a connection whose query string overflowed
 * its memory pool without NOTIFY_COMPLETED: finish the request here. */
static void on_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe) {
  if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
    *socket_context = calloc(1, sizeof(struct conn_state));
    if (counted_app != NULL) atomic_fetch_add(&counted_app->connections, 1);
    return;
  }
  if (counted_app != NULL) atomic_fetch_sub(&counted_app->connections, 1);
  struct conn_state *st = *socket_context;
  if (st != NULL && st->con_cls != NULL) {
    mhd_request_completed(cls, connection, &st->con_cls, MHD_REQUEST_TERMINATED_WITH_ERROR);
    if (counted_app != NULL) atomic_fetch_sub(&counted_app->in_flight, 1);
  }
  free(st);
  *socket_context = NULL;
}

/* Wraps Ulfius's request-start hook to count requests in flight. */
static void *on_request_start(void *cls, const char *uri, struct MHD_Connection *connection) {
  void *con_cls = ulfius_uri_logger(cls, uri);
  struct conn_state *st = state_of(connection);
  if (st != NULL) st->con_cls = con_cls;
  if (counted_app != NULL) atomic_fetch_add(&counted_app->in_flight, 1);
  return con_cls;
}

/* Wraps Ulfius's completion hook: the response has been sent. */
static void on_request_done(void *cls, struct MHD_Connection *connection, void **con_cls,
                            enum MHD_RequestTerminationCode toe) {
  mhd_request_completed(cls, connection, con_cls, toe);
  struct conn_state *st = state_of(connection);
  if (st != NULL) st->con_cls = NULL;
  if (counted_app != NULL) atomic_fetch_sub(&counted_app->in_flight, 1);
}

/* Headers of every response. The dispatcher sets Cache-Control for each of
 * its answers (router.c, add_caching), which takes the place of this one;
 * "private, no-store" stays only on an answer Ulfius gives itself. */
static int set_default_headers(struct _u_instance *inst, const char *api_version) {
  struct _u_map *h = inst->default_headers;
  return u_map_put(h, "API-Version", api_version) != U_OK ||
         u_map_put(h, "Cache-Control", "private, no-store") != U_OK ||
         u_map_put(h, "X-Content-Type-Options", "nosniff") != U_OK ||
         u_map_put(h, "X-Frame-Options", "DENY") != U_OK ||
         u_map_put(h, "Content-Security-Policy", "frame-ancestors 'none'") != U_OK;
}

/* Waits for the requests in flight. A request whose handler runs gets up
 * to DRAIN_TIMEOUT_S to finish. A request no handler is working on (its
 * response still being sent, or its client still sending, or a client that
 * gave up: libmicrohttpd reports no completion for those until the idle
 * timeout) gets UPLOAD_GRACE_S. */
static void drain(struct tp_app *app) {
  struct timespec step = {0, 20 * 1000 * 1000};
  for (int ticks = 0;; ticks++) {
    long handling = atomic_load(&app->handling);
    long in_flight = atomic_load(&app->in_flight);
    if (handling <= 0 && in_flight <= 0) return;
    if (handling <= 0 && ticks >= UPLOAD_GRACE_S * 50) {
      tp_log_info("shutdown: %ld unfinished requests without a running handler closed", in_flight);
      return;
    }
    if (ticks >= DRAIN_TIMEOUT_S * 50) {
      tp_log_warning("shutdown: %ld requests still in flight after %d s", in_flight,
                     DRAIN_TIMEOUT_S);
      return;
    }
    nanosleep(&step, NULL);
  }
}

/* Raises the open-file limit as far as the connection limits need and the
 * hard limit allows, and returns how many public connections fit: fewer
 * than configured when the hard limit is too low (logged). */
static unsigned fit_connections(const struct tp_config *cfg) {
  unsigned wanted = cfg->max_connections;
  rlim_t need = (rlim_t)wanted + cfg->db_pool_size + ADMIN_MAX_CONNECTIONS + FD_RESERVE;
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return wanted;
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) getrlimit(RLIMIT_NOFILE, &rl);
  }
  unsigned fit = wanted;
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
    rlim_t room = rl.rlim_cur > need - wanted ? rl.rlim_cur - (need - wanted) : 0;
    fit = room < 16 ? 16 : (unsigned)room;
    tp_log_warning("serve: the open-files limit (%llu, hard %llu) leaves room for %u "
                   "connections, not TEAMPLOTTER_MAX_CONNECTIONS=%u",
                   (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max, fit, wanted);
  }
  tp_log_info("serve: max connections %u, per address %u, open-files limit %llu", fit,
              cfg->max_connections_per_ip, (unsigned long long)rl.rlim_cur);
  return fit;
}

/* Starts the admin listener on its own port and thread(s): /livez, /readyz
 * and /metrics answer there however busy the public workers are. */
static int start_admin(struct _u_instance *admin, const struct tp_config *cfg,
                       struct tp_app *app) {
  if (ulfius_init_instance(admin, cfg->admin_port, NULL, NULL) != U_OK) return -1;
  admin->allowed_post_processor = U_POST_PROCESS_NONE;
  admin->max_post_body_size = 1024;
  admin->check_utf8 = 0; /* as on the public port: every header reaches the framing check */
  if (set_default_headers(admin, app->api_version) ||
      ulfius_set_default_endpoint(admin, tp_dispatch_admin, app) != U_OK) {
    ulfius_clean_instance(admin);
    return -1;
  }
  struct MHD_OptionItem options[] = {
      {MHD_OPTION_CONNECTION_LIMIT, ADMIN_MAX_CONNECTIONS, NULL},
      {MHD_OPTION_CONNECTION_TIMEOUT, ADMIN_CONNECTION_TIMEOUT_S, NULL},
      /* Ulfius keeps its request state through these two. */
      {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)mhd_request_completed, NULL},
      {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)ulfius_uri_logger, NULL},
      {MHD_OPTION_END, 0, NULL},
  };
  /* poll(), not select(): with thousands of public connections open, the
   * admin sockets' numbers exceed what select() can watch. */
  unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                   MHD_USE_POLL | MHD_USE_ERROR_LOG;
  if (ulfius_start_framework_with_mhd_options(admin, flags, options) != U_OK) {
    ulfius_clean_instance(admin);
    return -1;
  }
  return 0;
}

/* What http/ reaches of db/ (app.h). */
static const struct tp_ports PORTS = {
    .snapshot_acquire = tp_snapshot_acquire,
    .snapshot_acquire_loaded = tp_snapshot_acquire_loaded,
    .snapshot_release = tp_snapshot_release,
    .snapshot_slot = tp_snapshot_slot,
    .client = tp_repo_client_pooled,
};

int tp_serve(const struct tp_config *cfg) {
  struct tp_app app;
  struct tp_housekeeping *housekeeping = NULL;
  struct _u_instance inst, admin;
  int rc = 1, inst_ready = 0, started = 0, admin_started = 0;
  MHD_socket listener = MHD_INVALID_SOCKET;
  sigset_t stop_signals;

  /* Block the stop signals before any thread starts, so every thread
   * inherits the mask and only sigwait below sees them. */
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
  signal(SIGPIPE, SIG_IGN);

  memset(&app, 0, sizeof(app));
  app.cfg = cfg;
  app.ports = &PORTS;
  app.api_version = tp_spec_version();
  if (app.api_version == NULL) {
    tp_log_error("serve: the embedded OpenAPI document has no info.version");
    return 1;
  }
  /* The route table first: a route the router refuses is logged, and
   * nothing has started yet. */
  tp_rc routes = tp_router_create(&app.router, tp_all_routes);
  if (routes == TP_ERR_PARAM) {
    tp_log_error("serve: the route table is refused");
    goto out;
  }
  if (routes != TP_OK ||
      tp_pool_create(&app.pool, cfg->database_url, cfg->db_pool_size, POOL_WAIT_MS) != TP_OK ||
      tp_snapshots_create(&app.snapshots, cfg->database_url, app.pool) != TP_OK ||
      tp_housekeeping_start(&housekeeping, app.pool, cfg) != TP_OK ||
      tp_metrics_create(&app.metrics, app.router) != TP_OK) {
    tp_log_error("serve: out of memory");
    goto out;
  }
  if (ulfius_init_instance(&inst, cfg->port, NULL, NULL) != U_OK) {
    tp_log_error("serve: could not initialise the HTTP instance");
    goto out;
  }
  inst_ready = 1;
  /* One byte over the limit tells a cut body from one that fits. */
  inst.max_post_body_size = cfg->max_body_bytes + 1;
  inst.max_post_param_size = cfg->max_body_bytes + 1;
  inst.allowed_post_processor = U_POST_PROCESS_NONE;
  inst.check_utf8 = 0; /* values are checked where they are used */
  if (set_default_headers(&inst, app.api_version) ||
      ulfius_set_default_endpoint(&inst, tp_dispatch, &app) != U_OK) {
    tp_log_error("serve: could not configure the HTTP instance");
    goto out;
  }

  counted_app = &app;
  unsigned max_connections = fit_connections(cfg);
  struct MHD_OptionItem options[] = {
      {MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)cfg->threads, NULL},
      {MHD_OPTION_CONNECTION_LIMIT, (intptr_t)max_connections, NULL},
      {MHD_OPTION_PER_IP_CONNECTION_LIMIT, (intptr_t)cfg->max_connections_per_ip, NULL},
      {MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT_S, NULL},
      {MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONNECTION_MEMORY_BYTES, NULL},
      {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_request_done, NULL},
      {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, NULL},
      {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_request_start, NULL},
      {MHD_OPTION_END, 0, NULL},
  };
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
  if (ulfius_start_framework_with_mhd_options(&inst, flags, options) != U_OK) {
    tp_log_error("serve: could not listen on port %u", cfg->port);
    goto out;
  }
  started = 1;
  if (start_admin(&admin, cfg, &app) != 0) {
    tp_log_error("serve: could not listen on admin port %u", cfg->admin_port);
    goto out;
  }
  admin_started = 1;
  tp_log_info("serve: listening on port %u with %u threads, admin on port %u (API %s)",
              cfg->port, cfg->threads, cfg->admin_port, app.api_version);

  int sig = 0;
  sigwait(&stop_signals, &sig);
  /* From now on every answer closes its connection, so keep-alive clients
   * reconnect elsewhere instead of sending a request that gets cut off. */
  atomic_store(&app.draining, 1);
  tp_log_info("serve: signal %d received, finishing %ld requests in flight", sig,
              (long)atomic_load(&app.in_flight));
  /* New connections are refused at once (shutdown stops the listening),
   * but the descriptor is closed only once the daemon has stopped:
   * libmicrohttpd's threads may still look at it, and a closed number
   * could meanwhile be reused by a database connection. */
  listener = MHD_quiesce_daemon(inst.mhd_daemon);
  if (listener != MHD_INVALID_SOCKET) shutdown(listener, SHUT_RDWR);
  drain(&app);
  rc = 0;

out:
  /* Whatever still waits for PostgreSQL (a handler past the drain, the
   * benchmark rows' job, the snapshot listener) stops waiting now, so that
   * the process ends even when PostgreSQL never answers. */
  tp_pool_abort(app.pool);
  if (started) ulfius_stop_framework(&inst);
  if (listener != MHD_INVALID_SOCKET) close(listener);
  /* The admin listener last: probes are answered while the public
   * listener drains. */
  if (admin_started) {
    ulfius_stop_framework(&admin);
    ulfius_clean_instance(&admin);
  }
  if (inst_ready) ulfius_clean_instance(&inst);
  counted_app = NULL;
  tp_metrics_destroy(app.metrics);
  tp_router_destroy(app.router);
  tp_housekeeping_stop(housekeeping);
  tp_snapshots_destroy(app.snapshots);
  tp_pool_destroy(app.pool);
  if (rc == 0) tp_log_info("serve: stopped");
  return rc;
}
